/**
 * Tables of Passerelles. Each record keeps its contract fields as imported (`record`, jsonb) and
 * the columns that lists, filters and blocking need, derived once at write time.
 * Migrations are generated from this file by drizzle-kit (`npm run db:generate`) and serve both
 * the embedded PGlite database and a PostgreSQL server.
 */
import { sql } from 'drizzle-orm';
import {
  bigserial, doublePrecision, index, integer, jsonb, pgTable, text, timestamp,
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

export const schema = { structures, resources, importRuns, apiKeys };
