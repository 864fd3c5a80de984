-- Feature vectors of logged rankings as float32 bytes, big-endian (float4send of each value, in
-- order): PostgreSQL no longer parses each number as text on the way in. ALTER … USING may not
-- hold a subquery, hence a new column filled from the old one.
ALTER TABLE "ranking_items" ADD COLUMN "features_f32" bytea;--> statement-breakpoint
UPDATE "ranking_items" AS i SET "features_f32" = (
  SELECT coalesce(string_agg(float4send(u.f), ''::bytea ORDER BY u.o), ''::bytea)
  FROM unnest(i."features") WITH ORDINALITY AS u(f, o));--> statement-breakpoint
ALTER TABLE "ranking_items" DROP COLUMN "features";--> statement-breakpoint
ALTER TABLE "ranking_items" RENAME COLUMN "features_f32" TO "features";--> statement-breakpoint
ALTER TABLE "ranking_items" ALTER COLUMN "features" SET NOT NULL;
