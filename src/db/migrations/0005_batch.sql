CREATE TABLE "batch_results" (
	"run_id" bigint NOT NULL,
	"kind" text NOT NULL,
	"query_id" text NOT NULL,
	"region" text NOT NULL,
	"shard" text NOT NULL,
	"candidates" text[] NOT NULL,
	"scores" double precision[] NOT NULL,
	CONSTRAINT "batch_results_run_id_kind_query_id_pk" PRIMARY KEY("run_id","kind","query_id")
);
--> statement-breakpoint
CREATE TABLE "batch_runs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"trigger" text NOT NULL,
	"mode" text NOT NULL,
	"as_of" text NOT NULL,
	"k" integer NOT NULL,
	"model_version" text NOT NULL,
	"model" jsonb NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"summary" jsonb,
	"reports_at" text
);
--> statement-breakpoint
CREATE TABLE "batch_shards" (
	"run_id" bigint NOT NULL,
	"key" text NOT NULL,
	"kind" text NOT NULL,
	"region" text NOT NULL,
	"first_id" text NOT NULL,
	"last_id" text NOT NULL,
	"size" integer NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"pairs_scored" bigint,
	"worker" text,
	"done_at" timestamp with time zone,
	CONSTRAINT "batch_shards_run_id_key_pk" PRIMARY KEY("run_id","key")
);
--> statement-breakpoint
ALTER TABLE "batch_results" ADD CONSTRAINT "batch_results_run_id_batch_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."batch_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "batch_shards" ADD CONSTRAINT "batch_shards_run_id_batch_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."batch_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "batch_results_region_idx" ON "batch_results" USING btree ("run_id","region");--> statement-breakpoint
CREATE INDEX "batch_runs_status_idx" ON "batch_runs" USING btree ("status","id");