CREATE TABLE "feedback_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"client_event_id" text NOT NULL,
	"kind" text NOT NULL,
	"reason" text,
	"reason_text" text,
	"ranking_id" text,
	"position" integer,
	"structure_id" text NOT NULL,
	"resource_id" text NOT NULL,
	"key_id" text,
	"role" text NOT NULL,
	"requester" text NOT NULL,
	"region" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "feedback_events_client_event_id_unique" UNIQUE("client_event_id")
);
--> statement-breakpoint
CREATE TABLE "model_versions" (
	"version" text PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"model" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"promoted_at" timestamp with time zone,
	"parent" text,
	"metrics" jsonb,
	"reason" text
);
--> statement-breakpoint
CREATE TABLE "ranking_items" (
	"ranking_id" text NOT NULL,
	"position" integer NOT NULL,
	"candidate_id" text NOT NULL,
	"score" double precision NOT NULL,
	"features" real[] NOT NULL,
	"team" text,
	CONSTRAINT "ranking_items_ranking_id_position_pk" PRIMARY KEY("ranking_id","position")
);
--> statement-breakpoint
CREATE TABLE "rankings" (
	"id" text PRIMARY KEY NOT NULL,
	"served_at" timestamp with time zone DEFAULT now() NOT NULL,
	"key_id" text,
	"role" text NOT NULL,
	"requester" text NOT NULL,
	"query_kind" text NOT NULL,
	"query_id" text NOT NULL,
	"preview" boolean DEFAULT false NOT NULL,
	"as_of" text NOT NULL,
	"model_version" text NOT NULL,
	"feature_names" text[] NOT NULL,
	"interleaved_with" text,
	"swapped_at" integer,
	"source" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "ranking_items" ADD CONSTRAINT "ranking_items_ranking_id_rankings_id_fk" FOREIGN KEY ("ranking_id") REFERENCES "public"."rankings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "feedback_events_structure_idx" ON "feedback_events" USING btree ("structure_id");--> statement-breakpoint
CREATE INDEX "feedback_events_resource_idx" ON "feedback_events" USING btree ("resource_id");--> statement-breakpoint
CREATE INDEX "feedback_events_occurred_idx" ON "feedback_events" USING btree ("occurred_at");--> statement-breakpoint
CREATE INDEX "feedback_events_ranking_idx" ON "feedback_events" USING btree ("ranking_id");--> statement-breakpoint
CREATE INDEX "feedback_events_requester_idx" ON "feedback_events" USING btree ("requester","kind");--> statement-breakpoint
CREATE INDEX "model_versions_status_idx" ON "model_versions" USING btree ("status");--> statement-breakpoint
CREATE INDEX "ranking_items_candidate_idx" ON "ranking_items" USING btree ("candidate_id");--> statement-breakpoint
CREATE INDEX "rankings_served_at_idx" ON "rankings" USING btree ("served_at");--> statement-breakpoint
CREATE INDEX "rankings_requester_idx" ON "rankings" USING btree ("requester","served_at");--> statement-breakpoint
CREATE INDEX "rankings_query_idx" ON "rankings" USING btree ("query_kind","query_id");