/**
 * Tables of Passerelles. Each record keeps its contract fields as imported (`record`, jsonb) and
 * the columns that lists, filters and blocking need, derived once at write time.
 * Migrations are generated from this file by drizzle-kit (`npm run db:generate`) and serve both
 * the embedded PGlite database and a PostgreSQL server.
 */
import { sql } from 'drizzle-orm';
import {
  bigint, bigserial, boolean, customType, doublePrecision, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex,
} from 'drizzle-orm/pg-core';
import type { ResourceRecord, StructureRecord } from '../domain/types.ts';

const placeColumns = () => ({
  postalCode: text('postal_code').notNull(),
  inseeCode: text('insee_code').notNull(),
  commune: text('commune').notNull(),
  department: text('department').notNull(),
  region: text('region').notNull(),
  lat: doublePrecision('lat').notNull(),
  lon: doublePrecision('lon').notNull(),
});

const lifecycleColumns = () => ({
  /** sha-256 of the canonical record: an import that brings the same record again changes nothing. */
  contentHash: text('content_hash').notNull(),
  /** Soft delete: archived records are not matched but stay for reports and feedback history. */
  archivedAt: timestamp('archived_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const structures = pgTable('structures', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  legalForm: text('legal_form').notNull(),
  needs: text('needs').array().notNull(),
  ...placeColumns(),
  record: jsonb('record').$type<StructureRecord>().notNull(),
  /** Name, description, need text, tags and commune, lower case without accents: what a list's `q` searches. */
  searchText: text('search_text').notNull().default(''),
  ...lifecycleColumns(),
}, (t) => [
  index('structures_region_idx').on(t.region),
  index('structures_department_idx').on(t.department),
  index('structures_legal_form_idx').on(t.legalForm),
  index('structures_updated_at_idx').on(t.updatedAt),
]);

export const resources = pgTable('resources', {
  id: text('id').primaryKey(),
  pillar: text('pillar').notNull(),
  title: text('title').notNull(),
  scope: text('scope').notNull(),
  ...placeColumns(),
  record: jsonb('record').$type<ResourceRecord>().notNull(),
  /** Title, description, skills, tags and commune, lower case without accents: what a list's `q` searches. */
  searchText: text('search_text').notNull().default(''),
  ...lifecycleColumns(),
}, (t) => [
  index('resources_region_idx').on(t.region),
  index('resources_department_idx').on(t.department),
  index('resources_pillar_idx').on(t.pillar),
  index('resources_updated_at_idx').on(t.updatedAt),
]);

/** One row per import run, for operations and reports. */
export const importRuns = pgTable('import_runs', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  kind: text('kind').notNull(),
  source: text('source').notNull(),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
  inserted: integer('inserted').notNull().default(0),
  updated: integer('updated').notNull().default(0),
  unchanged: integer('unchanged').notNull().default(0),
  rejected: integer('rejected').notNull().default(0),
});

/** API keys: only a hash is stored; the key itself is shown once at creation. */
export const apiKeys = pgTable('api_keys', {
  id: text('id').primaryKey(),
  label: text('label').notNull().default(''),
  keyHash: text('key_hash').notNull().unique(),
  role: text('role').notNull(),
  regions: text('regions').array().notNull().default(sql`'{}'::text[]`),
  structureId: text('structure_id'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  expiresAt: timestamp('expires_at', { withTimezone: true }),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
});

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => 'bytea' });

/** A vector of float32 values as bytes, big-endian (what PostgreSQL's `float4send` gives). */
export function float32Bytes(values: ArrayLike<number>): Uint8Array {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], false);
  return bytes;
}

/** The values of `float32Bytes` back (a trailing partial value is ignored). */
export function float32Values(bytes: Uint8Array): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Array.from({ length: Math.floor(bytes.byteLength / 4) }, (_, i) => view.getFloat32(i * 4, false));
}

/**
 * Every ranking served (API and `passerelles match`): who asked, what, as of when, with which
 * model — the ranking log that feedback points to and that the trainer learns from. Written off
 * the request path; purged after PASSERELLES_RANKING_RETENTION_DAYS.
 */
export const rankings = pgTable('rankings', {
  id: text('id').primaryKey(),
  servedAt: timestamp('served_at', { withTimezone: true }).notNull().defaultNow(),
  /** The key that asked (null for the command line's operator) and its role. */
  keyId: text('key_id'),
  role: text('role').notNull(),
  /** Who the ranking is for, for per-requester effects: the key id, or `operateur`. */
  requester: text('requester').notNull(),
  /** `structure` or `resource` (what the query is), and its id, or the hash of a preview. */
  queryKind: text('query_kind').notNull(),
  queryId: text('query_id').notNull(),
  preview: boolean('preview').notNull().default(false),
  asOf: text('as_of').notNull(),
  modelVersion: text('model_version').notNull(),
  /** Names of the features, in the order of every item's `features` (the engine's FEATURE_NAMES when served). */
  featureNames: text('feature_names').array().notNull(),
  /** The candidate model interleaved with the current one (team-draft), if any. */
  interleavedWith: text('interleaved_with'),
  /** Position k whose item was swapped at random with k+1 (propensity estimation), if any. */
  swappedAt: integer('swapped_at'),
  source: text('source').notNull(),
  /**
   * The items shown, in order, one array a field (item k is the k-th element of each): a ranking is
   * one row. Written as 21 rows (the ranking and 20 items), the log cost the embedded database, whose
   * WebAssembly runs on the service's thread, more than twice as much per ranking served.
   */
  positions: integer('positions').array().notNull().default(sql`'{}'::integer[]`),
  candidateIds: text('candidate_ids').array().notNull().default(sql`'{}'::text[]`),
  scores: doublePrecision('scores').array().notNull().default(sql`'{}'::double precision[]`),
  /**
   * Every item's feature values in the order of `feature_names`, item after item, as float32
   * big-endian (`float32Bytes`): item k's are bytes [4·k·n, 4·(k+1)·n) for n feature names. Bytes,
   * not real[]: PostgreSQL does not parse each number as text on the way in.
   */
  features: bytea('features').notNull().default(sql`'\\x'::bytea`),
  /** Team of each item of an interleaved ranking (`current` or `candidate`); null when not interleaved. */
  teams: text('teams').array(),
}, (t) => [
  index('rankings_served_at_idx').on(t.servedAt),
  index('rankings_requester_idx').on(t.requester, t.servedAt),
  index('rankings_query_idx').on(t.queryKind, t.queryId),
]);

/**
 * What users did with a suggestion: viewed, shortlisted, contacted, partnership (signed),
 * not_interested (with a reason). Names a ranking and one of its items, or a structure–resource
 * pair outside any ranking. Idempotent by the client's event id.
 */
export const feedbackEvents = pgTable('feedback_events', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  clientEventId: text('client_event_id').notNull().unique(),
  kind: text('kind').notNull(),
  /** For not_interested: location, eligibility, capacity, not_relevant, already_partner, other. */
  reason: text('reason'),
  reasonText: text('reason_text'),
  rankingId: text('ranking_id'),
  position: integer('position'),
  structureId: text('structure_id').notNull(),
  resourceId: text('resource_id').notNull(),
  /** The key that sent it, its role, and the requester it acts for (see rankings.requester). */
  keyId: text('key_id'),
  role: text('role').notNull(),
  requester: text('requester').notNull(),
  /** Région of the structure, for a delegate's scope. */
  region: text('region').notNull(),
  occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  index('feedback_events_structure_idx').on(t.structureId),
  index('feedback_events_resource_idx').on(t.resourceId),
  index('feedback_events_occurred_idx').on(t.occurredAt),
  index('feedback_events_ranking_idx').on(t.rankingId),
  index('feedback_events_requester_idx').on(t.requester, t.kind),
]);

/**
 * Ranking model versions: the committed default and every model `passerelles train` learned, with
 * its weights, training window and figures; exactly one is `current`. Promotion and rollback
 * change the status; the service picks up the current one without a restart.
 */
export const modelVersions = pgTable('model_versions', {
  version: text('version').primaryKey(),
  /** current, candidate, retired. */
  status: text('status').notNull(),
  /** The model file as JSON (version, kind, bias, weights, description, evaluation). */
  model: jsonb('model').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  promotedAt: timestamp('promoted_at', { withTimezone: true }),
  /** The model this one was trained from (or rolled back to). */
  parent: text('parent'),
  /** Held-out figures and the guard's verdict, and why it was or was not promoted. */
  metrics: jsonb('metrics'),
  reason: text('reason'),
}, (t) => [
  index('model_versions_status_idx').on(t.status),
  /** At most one current model, whatever two processes try at once. */
  uniqueIndex('model_versions_one_current_idx').on(t.status).where(sql`status = 'current'`),
]);

/**
 * Associations that asked for an account from the public form: their structure record as sent
 * (validated, not yet a structure), waiting for a delegate of their région or an admin. Approval
 * creates the structure; the association then takes its structure key with its follow-up link
 * (only the sha-256 of that link's token is kept, like keys).
 */
export const pendingRegistrations = pgTable('pending_registrations', {
  id: text('id').primaryKey(),
  /** pending, approved, rejected. */
  status: text('status').notNull().default('pending'),
  /** The structure record as validated (its id chosen at the request). */
  record: jsonb('record').$type<StructureRecord>().notNull(),
  name: text('name').notNull(),
  commune: text('commune').notNull(),
  department: text('department').notNull(),
  region: text('region').notNull(),
  contactName: text('contact_name').notNull(),
  contactEmail: text('contact_email').notNull(),
  claimHash: text('claim_hash').notNull().unique(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  decidedAt: timestamp('decided_at', { withTimezone: true }),
  /** The key of the delegate or admin who decided. */
  decidedBy: text('decided_by'),
  decisionNote: text('decision_note'),
  /** The structure key taken with the follow-up link (its id; the key is shown once). */
  keyId: text('key_id'),
}, (t) => [
  index('pending_registrations_region_idx').on(t.region, t.status),
]);

/**
 * Every change of a model's status, with its reason: registered (the committed default, at cold
 * start), trained (a new candidate), promoted (by the guard or by hand), rolled back, retired. The
 * history of promotions and rollbacks tells which model was current before the current one.
 */
export const modelChanges = pgTable('model_changes', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  version: text('version').notNull().references(() => modelVersions.version),
  /** registered, trained, promoted, rolled_back, retired. */
  action: text('action').notNull(),
  fromStatus: text('from_status'),
  toStatus: text('to_status').notNull(),
  reason: text('reason').notNull(),
  /** Who did it: a key id, `operateur` (command line) or `entrainement` (the guard). */
  actor: text('actor').notNull(),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  index('model_changes_version_idx').on(t.version, t.at),
]);


/**
 * The audit trail: who did what, and when — records created, changed, archived, imported; reports
 * exported; models promoted or rolled back; keys created or revoked. Written by the use cases in
 * the same transaction as the change it records (an acknowledged change always has its entry, a
 * failed one never). Never holds a key, a key hash or a record's field values (`details` names
 * fields, counts and versions only). Kept for good: no retention, nothing purges it.
 */
export const auditEntries = pgTable('audit_entries', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  /** The transaction's time: the `updated_at` of the rows the change wrote. */
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  /** Who: a key id, `operateur` (the command line), `entrainement`, `demarrage`, or a registration id. */
  actorId: text('actor_id').notNull(),
  /** admin, delegate, structure (the key's role), systeme or inscription. */
  actorRole: text('actor_role').notNull(),
  /** record.created, record.updated, record.archived, records.imported, report.exported, model.promoted, model.rolled_back, key.created, key.revoked. */
  action: text('action').notNull(),
  /** structure, resource, key, model or report; and its id (null for an import: it names its run in details). */
  recordKind: text('record_kind'),
  recordId: text('record_id'),
  details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
}, (t) => [
  index('audit_entries_at_idx').on(t.at),
  index('audit_entries_actor_idx').on(t.actorId, t.id),
  index('audit_entries_action_idx').on(t.action, t.id),
  index('audit_entries_record_idx').on(t.recordKind, t.recordId, t.id),
]);

/**
 * Snapshots of the matching index on a PostgreSQL server (the embedded database keeps its
 * snapshot in a file beside its data folder): every instance of the service, the batch and the
 * trainer starts from the latest complete one whose key matches its code and thesaurus, then
 * catches up with the records changed since `since`. The bytes are split in rows of `chunks`.
 */
export const indexSnapshots = pgTable('index_snapshots', {
  id: text('id').primaryKey(),
  /** What the index depends on (format, code, thesaurus): see src/matching/matching.snapshot.ts. */
  key: text('key').notNull(),
  size: bigint('size', { mode: 'number' }).notNull(),
  /** Set once every chunk is written: a snapshot being written is never read. */
  completedAt: timestamp('completed_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const indexSnapshotChunks = pgTable('index_snapshot_chunks', {
  snapshotId: text('snapshot_id').notNull().references(() => indexSnapshots.id, { onDelete: 'cascade' }),
  seq: integer('seq').notNull(),
  bytes: bytea('bytes').notNull(),
}, (t) => [primaryKey({ columns: [t.snapshotId, t.seq] })]);

/**
 * Nightly runs (`passerelles batch`): the top-k of every active structure and resource, computed
 * shard by shard. A run keeps what makes it reproducible (reference date, k, the model itself) so
 * that a run resumed after a crash scores exactly as it began; its summary (duration, pairs
 * scored, throughput, results per région, workers) is written when it ends.
 */
export const batchRuns = pgTable('batch_runs', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  /** running, done, failed. */
  status: text('status').notNull(),
  /** What started it: cli, nightly, bench. */
  trigger: text('trigger').notNull(),
  /** local (one process) or queue (pg-boss workers). */
  mode: text('mode').notNull(),
  asOf: text('as_of').notNull(),
  k: integer('k').notNull(),
  modelVersion: text('model_version').notNull(),
  /** The model file as JSON, so that a resumed run scores with the same weights. */
  model: jsonb('model').notNull(),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
  summary: jsonb('summary'),
  /** Where its reports were written (relative to the reports folder), once written. */
  reportsAt: text('reports_at'),
}, (t) => [
  index('batch_runs_status_idx').on(t.status, t.id),
]);

/**
 * The shards of a run: one direction (the kind of the queries), one région, one id range
 * (inclusive). A shard is `done` in the same transaction that writes its results: a restarted run
 * or a retried job skips it, and its results are never written twice.
 */
export const batchShards = pgTable('batch_shards', {
  runId: bigint('run_id', { mode: 'number' }).notNull().references(() => batchRuns.id, { onDelete: 'cascade' }),
  /** `structure:53:0004`: kind, région, ordinal. */
  key: text('key').notNull(),
  kind: text('kind').notNull(),
  region: text('region').notNull(),
  firstId: text('first_id').notNull(),
  lastId: text('last_id').notNull(),
  /** Queries in the range when planned. */
  size: integer('size').notNull(),
  /** pending, done. */
  status: text('status').notNull().default('pending'),
  pairsScored: bigint('pairs_scored', { mode: 'number' }),
  worker: text('worker'),
  doneAt: timestamp('done_at', { withTimezone: true }),
}, (t) => [
  primaryKey({ columns: [t.runId, t.key] }),
]);

/**
 * One query's top-k in a run: the candidates in rank order with their scores (arrays, one row per
 * query: 250,000 rows for a national run instead of 2.5 million).
 */
export const batchResults = pgTable('batch_results', {
  runId: bigint('run_id', { mode: 'number' }).notNull().references(() => batchRuns.id, { onDelete: 'cascade' }),
  /** What the query is: structure (its candidates are resources) or resource. */
  kind: text('kind').notNull(),
  queryId: text('query_id').notNull(),
  region: text('region').notNull(),
  shard: text('shard').notNull(),
  candidates: text('candidates').array().notNull(),
  scores: doublePrecision('scores').array().notNull(),
}, (t) => [
  primaryKey({ columns: [t.runId, t.kind, t.queryId] }),
  index('batch_results_region_idx').on(t.runId, t.region),
]);

export const schema = {
  structures, resources, importRuns, apiKeys, rankings, feedbackEvents, modelVersions, modelChanges, pendingRegistrations,
  indexSnapshots, indexSnapshotChunks, batchRuns, batchShards, batchResults, auditEntries,
};
