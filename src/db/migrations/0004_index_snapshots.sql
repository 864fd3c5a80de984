CREATE TABLE "index_snapshot_chunks" (
	"snapshot_id" text NOT NULL,
	"seq" integer NOT NULL,
	"bytes" "bytea" NOT NULL,
	CONSTRAINT "index_snapshot_chunks_snapshot_id_seq_pk" PRIMARY KEY("snapshot_id","seq")
);
--> statement-breakpoint
CREATE TABLE "index_snapshots" (
	"id" text PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"size" bigint NOT NULL,
	"completed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "index_snapshot_chunks" ADD CONSTRAINT "index_snapshot_chunks_snapshot_id_index_snapshots_id_fk" FOREIGN KEY ("snapshot_id") REFERENCES "public"."index_snapshots"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "index_snapshot_chunks" ALTER COLUMN "bytes" SET STORAGE EXTERNAL;
