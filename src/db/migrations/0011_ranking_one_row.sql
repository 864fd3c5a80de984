-- A ranking served is one row: its items, in order, in arrays of the ranking (item k is the k-th
-- element of each), their feature values in one float32 bytea. Written as a ranking row and 20
-- item rows, the log cost the embedded database (on the service's thread) more than twice as much.
-- The items logged before are moved into their rankings, in the order of their positions; a vector
-- of another length than the ranking's feature names is cut or padded with zeros (the trainer reads
-- a missing feature as 0); items whose ranking was purged go with the table.
ALTER TABLE "rankings" ADD COLUMN "positions" integer[] DEFAULT '{}'::integer[] NOT NULL;--> statement-breakpoint
ALTER TABLE "rankings" ADD COLUMN "candidate_ids" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "rankings" ADD COLUMN "scores" double precision[] DEFAULT '{}'::double precision[] NOT NULL;--> statement-breakpoint
ALTER TABLE "rankings" ADD COLUMN "features" "bytea" DEFAULT '\x'::bytea NOT NULL;--> statement-breakpoint
ALTER TABLE "rankings" ADD COLUMN "teams" text[];--> statement-breakpoint
UPDATE "rankings" SET "positions" = i.positions, "candidate_ids" = i.candidate_ids, "scores" = i.scores,
  "features" = i.features, "teams" = i.teams
FROM (
  SELECT it.ranking_id,
    array_agg(it.position ORDER BY it.position) AS positions,
    array_agg(it.candidate_id ORDER BY it.position) AS candidate_ids,
    array_agg(it.score ORDER BY it.position) AS scores,
    string_agg(substring(it.features || decode(repeat('00', 4 * cardinality(r.feature_names)), 'hex')
      FROM 1 FOR 4 * cardinality(r.feature_names)), '\x'::bytea ORDER BY it.position) AS features,
    CASE WHEN bool_or(it.team IS NOT NULL) THEN array_agg(it.team ORDER BY it.position) END AS teams
  FROM "ranking_items" it JOIN "rankings" r ON r.id = it.ranking_id
  GROUP BY it.ranking_id
) i
WHERE "rankings"."id" = i.ranking_id;--> statement-breakpoint
DROP TABLE "ranking_items" CASCADE;
