/**
 * Migrations that convert data written before them, each run (its own SQL) over tables of the old
 * shape in a schema of their own:
 * - 0008 turns the feature vectors of logged rankings from real[] into float32 bytes: the rankings
 *   logged before it read back value for value after it;
 * - 0009 adds the folded search text of records: the records stored before it are found by a
 *   list's `q` as they were (accents and case ignored, tags and skills included);
 * - 0011 moves the items of logged rankings into arrays of their ranking: every item in the order
 *   of its position, with its score, team and feature values.
 */
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf, type Store } from '../src/db/open.ts';
import { float32Bytes, float32Values } from '../src/db/schema.ts';
import { openTestStore, storeKinds } from './support/stores.ts';

const statementsOf = (file: string) => readFileSync(new URL(`../src/db/migrations/${file}`, import.meta.url), 'utf8')
  .split('--> statement-breakpoint').map((s) => s.trim()).filter(Boolean);

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
    const statements = statementsOf('0008_ranking_features_bytea.sql');
    const rows = await store.db.transaction(async (tx) => {
      await tx.execute(sql`create schema legacy_0008`);
      await tx.execute(sql`set local search_path to legacy_0008`);
      await tx.execute(sql`create table ranking_items (ranking_id text not null, position integer not null, features real[] not null)`);
      await tx.execute(sql`insert into ranking_items values ('rk_1', 1, '{0.25,1,0,0.1234567}'), ('rk_1', 2, '{}'), ('rk_2', 1, '{0.5}')`);
      for (const statement of statements) await tx.execute(sql.raw(statement));
      const result = await rowsOf<{ features: Uint8Array }>(tx, sql`select ranking_id, position, features from ranking_items order by ranking_id, position`);
      await tx.execute(sql`drop schema legacy_0008 cascade`);
      return result;
    });
    expect(rows.map((r) => float32Values(r.features))).toEqual([[0.25, 1, 0, Math.fround(0.1234567)], [], [0.5]]);
  });

  it('gives the records stored before 0009 their folded search text, tags and skills included', async () => {
    const rows = await store.db.transaction(async (tx) => {
      await tx.execute(sql`create schema legacy_0009`);
      await tx.execute(sql`set local search_path to legacy_0009`);
      await tx.execute(sql`create table structures (id text primary key, name text not null, commune text not null, record jsonb not null)`);
      await tx.execute(sql`create table resources (id text primary key, title text not null, commune text not null, record jsonb not null)`);
      await tx.execute(sql`insert into structures values
        ('s1', 'Épicerie SOLIDAIRE', 'Brest', '{"description": "Précarité alimentaire", "need_text": "Un local à l''Île", "tags": ["Vélo", "réemploi"]}'),
        ('s2', 'Atelier', 'Évry', '{"description": "Bois"}')`);
      await tx.execute(sql`insert into resources values ('r1', 'Salle à Dijon', 'Dijon', '{"description": "Rez-de-chaussée", "skills": ["Comptabilité"], "tags": ["ÉNERGIE"]}')`);
      for (const statement of statementsOf('0009_records_search_text.sql')) await tx.execute(sql.raw(statement));
      const result = await rowsOf<{ id: string; search_text: string }>(tx, sql`select id, search_text from structures union all select id, search_text from resources order by id`);
      await tx.execute(sql`drop schema legacy_0009 cascade`);
      return result;
    });
    expect(rows).toEqual([
      { id: 'r1', search_text: 'salle a dijon rez-de-chaussee comptabilite energie dijon' },
      { id: 's1', search_text: "epicerie solidaire precarite alimentaire un local a l'ile velo reemploi brest" },
      { id: 's2', search_text: 'atelier bois evry' },
    ]);
  });

  it('moves the items logged before 0011 into their rankings, in the order of their positions, vectors cut or padded to the feature names', async () => {
    const rows = await store.db.transaction(async (tx) => {
      await tx.execute(sql`create schema legacy_0011`);
      await tx.execute(sql`set local search_path to legacy_0011`);
      await tx.execute(sql`create table rankings (id text primary key, feature_names text[] not null)`);
      await tx.execute(sql`create table ranking_items (ranking_id text not null, position integer not null, candidate_id text not null,
        score double precision not null, features bytea not null, team text, primary key (ranking_id, position))`);
      await tx.execute(sql`insert into rankings values ('rk_1', '{a,b}'), ('rk_2', '{a,b}'), ('rk_3', '{a}')`);
      const bytes = (values: number[]) => Buffer.from(float32Bytes(values)).toString('hex');
      await tx.execute(sql.raw(`insert into ranking_items values
        ('rk_1', 2, 'c2', 0.5, decode('${bytes([3, 4])}', 'hex'), null),
        ('rk_1', 1, 'c1', 1.5, decode('${bytes([1, 2])}', 'hex'), null),
        ('rk_2', 1, 'c3', 2, decode('${bytes([5])}', 'hex'), 'current'),
        ('rk_2', 2, 'c4', 1, decode('${bytes([6, 7, 8])}', 'hex'), null),
        ('rk_gone', 1, 'c9', 1, decode('${bytes([9, 9])}', 'hex'), null)`));
      for (const statement of statementsOf('0011_ranking_one_row.sql')) await tx.execute(sql.raw(statement));
      const result = await rowsOf<{ id: string; positions: number[]; candidate_ids: string[]; scores: number[]; features: Uint8Array; teams: string[] | null }>(
        tx, sql`select id, positions, candidate_ids, scores, features, to_json(teams) as teams from rankings order by id`);
      const [left] = await rowsOf<{ n: number }>(tx, sql`select count(*)::int as n from pg_tables where schemaname = 'legacy_0011' and tablename = 'ranking_items'`);
      await tx.execute(sql`drop schema legacy_0011 cascade`);
      return { result, left: left.n };
    });
    expect(rows.left).toBe(0);
    expect(rows.result.map((r) => ({ ...r, scores: r.scores.map(Number), features: float32Values(r.features) }))).toEqual([
      { id: 'rk_1', positions: [1, 2], candidate_ids: ['c1', 'c2'], scores: [1.5, 0.5], features: [1, 2, 3, 4], teams: null },
      { id: 'rk_2', positions: [1, 2], candidate_ids: ['c3', 'c4'], scores: [2, 1], features: [5, 0, 6, 7], teams: ['current', null] },
      { id: 'rk_3', positions: [], candidate_ids: [], scores: [], features: [], teams: null },
    ]);
  });
});
