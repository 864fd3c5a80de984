CREATE TABLE "model_changes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"version" text NOT NULL,
	"action" text NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"reason" text NOT NULL,
	"actor" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "model_changes" ADD CONSTRAINT "model_changes_version_model_versions_version_fk" FOREIGN KEY ("version") REFERENCES "public"."model_versions"("version") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "model_changes_version_idx" ON "model_changes" USING btree ("version","at");--> statement-breakpoint
CREATE UNIQUE INDEX "model_versions_one_current_idx" ON "model_versions" USING btree ("status") WHERE status = 'current';