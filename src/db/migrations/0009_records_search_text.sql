ALTER TABLE "resources" ADD COLUMN "search_text" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "structures" ADD COLUMN "search_text" text DEFAULT '' NOT NULL;--> statement-breakpoint
-- Rows written before this migration: the same texts folded in SQL (accents by translate, then
-- lower case); the service folds the texts of every record it writes from now on.
UPDATE "structures" SET "search_text" = lower(translate(concat_ws(' ', "name", "record"->>'description', "record"->>'need_text',
  (SELECT string_agg(t, ' ') FROM jsonb_array_elements_text(CASE WHEN jsonb_typeof("record"->'tags') = 'array' THEN "record"->'tags' END) AS t), "commune"),
  'àâäáãåçéèêëíìîïñóòôöõúùûüýÿÀÂÄÁÃÅÇÉÈÊËÍÌÎÏÑÓÒÔÖÕÚÙÛÜÝŸ', 'aaaaaaceeeeiiiinooooouuuuyyaaaaaaceeeeiiiinooooouuuuyy'));--> statement-breakpoint
UPDATE "resources" SET "search_text" = lower(translate(concat_ws(' ', "title", "record"->>'description',
  (SELECT string_agg(t, ' ') FROM jsonb_array_elements_text(CASE WHEN jsonb_typeof("record"->'skills') = 'array' THEN "record"->'skills' END) AS t),
  (SELECT string_agg(t, ' ') FROM jsonb_array_elements_text(CASE WHEN jsonb_typeof("record"->'tags') = 'array' THEN "record"->'tags' END) AS t), "commune"),
  'àâäáãåçéèêëíìîïñóòôöõúùûüýÿÀÂÄÁÃÅÇÉÈÊËÍÌÎÏÑÓÒÔÖÕÚÙÛÜÝŸ', 'aaaaaaceeeeiiiinooooouuuuyyaaaaaaceeeeiiiinooooouuuuyy'));
