CREATE TABLE "pending_registrations" (
	"id" text PRIMARY KEY NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"record" jsonb NOT NULL,
	"name" text NOT NULL,
	"commune" text NOT NULL,
	"department" text NOT NULL,
	"region" text NOT NULL,
	"contact_name" text NOT NULL,
	"contact_email" text NOT NULL,
	"claim_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone,
	"decided_by" text,
	"decision_note" text,
	"key_id" text,
	CONSTRAINT "pending_registrations_claim_hash_unique" UNIQUE("claim_hash")
);
--> statement-breakpoint
CREATE INDEX "pending_registrations_region_idx" ON "pending_registrations" USING btree ("region","status");