CREATE TABLE "api_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"label" text DEFAULT '' NOT NULL,
	"key_hash" text NOT NULL,
	"role" text NOT NULL,
	"regions" text[] DEFAULT '{}'::text[] NOT NULL,
	"structure_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_keys_key_hash_unique" UNIQUE("key_hash")
);
--> statement-breakpoint
CREATE TABLE "import_runs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"source" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"inserted" integer DEFAULT 0 NOT NULL,
	"updated" integer DEFAULT 0 NOT NULL,
	"unchanged" integer DEFAULT 0 NOT NULL,
	"rejected" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "resources" (
	"id" text PRIMARY KEY NOT NULL,
	"pillar" text NOT NULL,
	"title" text NOT NULL,
	"scope" text NOT NULL,
	"postal_code" text NOT NULL,
	"insee_code" text NOT NULL,
	"commune" text NOT NULL,
	"department" text NOT NULL,
	"region" text NOT NULL,
	"lat" double precision NOT NULL,
	"lon" double precision NOT NULL,
	"record" jsonb NOT NULL,
	"content_hash" text NOT NULL,
	"archived_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "structures" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"legal_form" text NOT NULL,
	"needs" text[] NOT NULL,
	"postal_code" text NOT NULL,
	"insee_code" text NOT NULL,
	"commune" text NOT NULL,
	"department" text NOT NULL,
	"region" text NOT NULL,
	"lat" double precision NOT NULL,
	"lon" double precision NOT NULL,
	"record" jsonb NOT NULL,
	"content_hash" text NOT NULL,
	"archived_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "resources_region_idx" ON "resources" USING btree ("region");--> statement-breakpoint
CREATE INDEX "resources_department_idx" ON "resources" USING btree ("department");--> statement-breakpoint
CREATE INDEX "resources_pillar_idx" ON "resources" USING btree ("pillar");--> statement-breakpoint
CREATE INDEX "resources_updated_at_idx" ON "resources" USING btree ("updated_at");--> statement-breakpoint
CREATE INDEX "structures_region_idx" ON "structures" USING btree ("region");--> statement-breakpoint
CREATE INDEX "structures_department_idx" ON "structures" USING btree ("department");--> statement-breakpoint
CREATE INDEX "structures_legal_form_idx" ON "structures" USING btree ("legal_form");--> statement-breakpoint
CREATE INDEX "structures_updated_at_idx" ON "structures" USING btree ("updated_at");