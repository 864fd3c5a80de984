/**
 * Migration 0008 turns the feature vectors of logged rankings from real[] into float32 bytes: the
 * rankings logged before it must read back value for value after it. The migration's own SQL is
 * run over a table of the old shape, in a schema of its own.
 */
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../src/db/open.ts';
import { float32Bytes, float32Values } from '../src/db/schema.ts';
import { openTestStore, storeKinds } from './support/stores.ts';

const MIGRATION = new URL('../src/db/migrations/0008_ranking_features_bytea.sql', import.meta.url);

describe('float32 bytes of a feature vector', () => {
  it('give back the values stored as real (float32), in order, big-endian like float4send', () => {
    const values = [0, 1, 0.5, 0.1, 0.333333, 1e-7];
    expect(float32Values(float32Bytes(values))).toEqual(values.map(Math.fround));
    expect([...float32Bytes([1])]).toEqual([0x3f, 0x80, 0, 0]);
    expect(float32Values(new Uint8Array(0))).toEqual([]);
  });
});

describe.each(storeKinds())('migration 0008 on %s', (kind) => {
  let store: Store;
  beforeAll(async () => { store = await openTestStore(kind); });
  afterAll(() => store.close());

  it('keeps every logged feature value, in order, and an empty vector empty', async () => {
    const statements = readFileSync(MIGRATION, 'utf8').split('--> statement-breakpoint').map((s) => s.trim()).filter(Boolean);
    const rows = await store.db.transaction(async (tx) => {
      await tx.execute(sql`create schema legacy_0008`);
      await tx.execute(sql`set local search_path to legacy_0008`);
      await tx.execute(sql`create table ranking_items (ranking_id text not null, position integer not null, features real[] not null)`);
      await tx.execute(sql`insert into ranking_items values ('rk_1', 1, '{0.25,1,0,0.1234567}'), ('rk_1', 2, '{}'), ('rk_2', 1, '{0.5}')`);
      for (const statement of statements) await tx.execute(sql.raw(statement));
      const result = await tx.execute(sql`select ranking_id, position, features from ranking_items order by ranking_id, position`);
      await tx.execute(sql`drop schema legacy_0008 cascade`);
      return ((result as { rows?: unknown[] }).rows ?? [...(result as unknown as unknown[])]) as { features: Uint8Array }[];
    });
    expect(rows.map((r) => float32Values(r.features))).toEqual([[0.25, 1, 0, Math.fround(0.1234567)], [], [0.5]]);
  });
});
