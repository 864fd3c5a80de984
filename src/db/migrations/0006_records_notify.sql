-- Every committed change of a structure or resource is announced on the channel
-- `passerelles_records` (delivered at commit, never for a rolled-back write), so that every API
-- instance sharing the database updates its index within a second (src/matching/matching.listen.ts).
-- One notification per statement: {"kind":"structure","ids":[…]}, or {"kind":…,"all":true} when the
-- ids would not fit in a notification (a large import): the listeners then catch up by updated_at.
CREATE OR REPLACE FUNCTION passerelles_notify_changes() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids text[];
  payload text;
BEGIN
  SELECT array_agg(id ORDER BY id) INTO ids FROM (SELECT id FROM changed LIMIT 101) c;
  IF ids IS NULL THEN
    RETURN NULL;
  END IF;
  payload := json_build_object('kind', TG_ARGV[0], 'ids', ids)::text;
  IF array_length(ids, 1) > 100 OR octet_length(payload) > 7000 THEN
    payload := json_build_object('kind', TG_ARGV[0], 'all', true)::text;
  END IF;
  PERFORM pg_notify('passerelles_records', payload);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER structures_notify_insert AFTER INSERT ON structures REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION passerelles_notify_changes('structure');
--> statement-breakpoint
CREATE TRIGGER structures_notify_update AFTER UPDATE ON structures REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION passerelles_notify_changes('structure');
--> statement-breakpoint
CREATE TRIGGER resources_notify_insert AFTER INSERT ON resources REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION passerelles_notify_changes('resource');
--> statement-breakpoint
CREATE TRIGGER resources_notify_update AFTER UPDATE ON resources REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION passerelles_notify_changes('resource');
