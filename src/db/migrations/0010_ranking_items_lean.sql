-- The ranking log writes about 20 item rows for each ranking served. A foreign key checked row by
-- row and an index of candidate ids that no query reads cost PostgreSQL more than half of its time
-- for each ranking (1.8 against 0.8 ms at national scale). Items are written only with their
-- ranking, in one statement, and the purge removes them with it (rankings.repository.ts).
ALTER TABLE "ranking_items" DROP CONSTRAINT "ranking_items_ranking_id_rankings_id_fk";
--> statement-breakpoint
DROP INDEX "ranking_items_candidate_idx";