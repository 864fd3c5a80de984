/**
 * `passerelles match` logging its rankings, `passerelles feedback import` with the importer's
 * conventions (rejects as file:line and field, FILE.rejects.jsonl, exit codes 0 / 2 / 1) and
 * `passerelles rankings purge`, end to end through `main` on the embedded database.
 */
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/db/open.ts';
import { cli } from './support/cli.ts';
import { devPath } from './support/import-fixtures.ts';

const exists = (path: string) => stat(path).then(() => true, () => false);
const jsonl = (rows: unknown[]) => `${rows.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n')}\n`;

describe('feedback on the command line, on the embedded database', () => {
  let dir: string;
  const saved = { ...process.env };
  const file = (name: string) => join(dir, name);
  /** Runs SQL on the data folder between two commands (the store is closed after each). */
  const query = async <T>(q: ReturnType<typeof sql>) => {
    const store = await openStore({ dataDir: file('data') });
    try { return await store.rows<T>(q); } finally { await store.close(); }
  };
  let ranking: { ranking_id: string; results: { id: string }[] };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'passerelles-feedback-'));
    delete process.env.DATABASE_URL;
    process.env.PASSERELLES_DATA_DIR = file('data');
    process.env.LOG_LEVEL = 'silent';
    process.env.PASSERELLES_SWAP_SHARE = '0';
    expect((await cli(['import', 'structures', devPath('structure')])).code).toBe(0);
    expect((await cli(['import', 'resources', devPath('resource')])).code).toBe(0);
  }, 60_000);
  afterAll(async () => {
    process.env = saved;
    await rm(dir, { recursive: true, force: true });
  });

  it('logs the ranking of passerelles match before exiting and prints its id, in text and in JSON', async () => {
    const json = await cli(['match', '--structure', 'dev-s06', '--limit', '5', '--json', '--as-of', '2026-12-01']);
    expect(json.code).toBe(0);
    ranking = JSON.parse(json.stdout);
    expect(ranking.ranking_id).toMatch(/^[0-9a-f-]{36}$/);
    const [row] = await query<{ key_id: string | null; requester: string; source: string; items: number }>(sql`
      select key_id, requester, source, cardinality(candidate_ids) as items
      from rankings r where id = ${ranking.ranking_id}`);
    expect(row).toEqual({ key_id: null, requester: 'operateur', source: 'cli', items: 5 });
    const text = await cli(['match', '--structure', 'dev-s06', '--limit', '3', '--as-of', '2026-12-01']);
    expect(text.stdout).toMatch(/classement [0-9a-f-]{36}/);
  });

  it('imports feedback with exit code 2, printing each reject as file:line and field and writing FILE.rejects.jsonl', async () => {
    const path = file('avis.jsonl');
    await writeFile(path, jsonl([
      { client_event_id: 'c1', kind: 'not_interested', reason: 'location', ranking_id: ranking.ranking_id, item_id: ranking.results[0].id },
      { client_event_id: 'c2', kind: 'contacted', structure_id: 'dev-s06', resource_id: 'dev-r52' },
      { client_event_id: 'c3', kind: 'viewed', ranking_id: 'inconnu', item_id: 'dev-r01' },
      { client_event_id: 'c4', kind: 'aimé', structure_id: 'dev-s06', resource_id: 'dev-r52' },
      '{oops',
      { client_event_id: 'c5', kind: 'viewed', ranking_id: ranking.ranking_id, item_id: 'dev-s25' },
    ]));
    const out = await cli(['feedback', 'import', path]);
    expect(out.code, out.stderr).toBe(2);
    expect(out.stdout).toBe(`avis : 2 enregistré(s), 0 déjà reçu(s), 4 rejeté(s) (voir ${path}.rejects.jsonl)\n`);
    expect(out.stderr).toContain(`${path}:3 (événement c3) champ ranking_id : classement « inconnu » inconnu`);
    expect(out.stderr).toContain(`${path}:4 (événement c4) champ kind :`);
    expect(out.stderr).toContain(`${path}:5 : JSON invalide`);
    expect(out.stderr).toContain(`${path}:6 (événement c5) champ item_id : « dev-s25 » ne fait pas partie du classement`);
    const rejects = (await readFile(`${path}.rejects.jsonl`, 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(rejects.map((r) => [r.line, r.code, r.field])).toEqual([
      [3, 'feedback.unknown_ranking', 'ranking_id'], [4, 'feedback.invalid', 'kind'], [5, 'import.invalid_json', undefined],
      [6, 'feedback.item_not_in_ranking', 'item_id'],
    ]);
    const again = await cli(['feedback', 'import', path]);
    expect(again.stdout).toContain('0 enregistré(s), 2 déjà reçu(s)');
  });

  it('acts for the requester of the ranking an imported event names: the operator’s next list leaves the item out', async () => {
    const out = await cli(['match', '--structure', 'dev-s06', '--limit', '5', '--json', '--as-of', '2026-12-01']);
    const list = JSON.parse(out.stdout);
    expect(list.results.map((r: { id: string }) => r.id)).not.toContain(ranking.results[0].id);
    expect(list.excludedByFeedback).toBe(1);
  });

  it('imports a CSV file with exit code 0 and removes the rejects file of an earlier run', async () => {
    const path = file('avis.csv');
    await writeFile(`${path}.rejects.jsonl`, 'ancien\n');
    await writeFile(path, 'client_event_id;kind;structure_id;resource_id;occurred_at\nv1;viewed;dev-s06;dev-r52;2026-11-30T09:00:00Z\n');
    const out = await cli(['feedback', 'import', path]);
    expect(out).toMatchObject({ code: 0, stderr: '' });
    expect(out.stdout).toBe('avis : 1 enregistré(s), 0 déjà reçu(s), 0 rejeté(s)\n');
    expect(await exists(`${path}.rejects.jsonl`)).toBe(false);
  });

  it('stores nothing and exits 1 on a fatal error: a CSV header with an unknown column, a file that is not UTF-8', async () => {
    const before = await query<{ n: number }>(sql`select count(*)::int as n from feedback_events`);
    await writeFile(file('bad.csv'), 'client_event_id,kind,note\nx1,viewed,bien\n');
    const header = await cli(['feedback', 'import', file('bad.csv')]);
    expect(header.code).toBe(1);
    expect(header.stderr).toContain('colonne(s) inconnue(s) : note');
    await writeFile(file('latin1.jsonl'), Buffer.from([...Buffer.from('{"client_event_id":"x2","kind":"viewed","structure_id":"dev-s06","resource_id":"dev-r52"}\n'), 0xe9, 0x0a]));
    const encoding = await cli(['feedback', 'import', file('latin1.jsonl')]);
    expect(encoding.code).toBe(1);
    expect(encoding.stderr).toContain('UTF-8');
    expect(await query(sql`select count(*)::int as n from feedback_events`)).toEqual(before);
    const missing = await cli(['feedback', 'import', file('absent.jsonl')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('fichier introuvable');
  });

  it('purges the rankings older than the retention period', async () => {
    await query(sql`update rankings set served_at = now() - interval '200 days' where id = ${ranking.ranking_id}`);
    const out = await cli(['rankings', 'purge']);
    expect(out.code).toBe(0);
    expect(out.stdout).toBe('classements : 1 supprimé(s), servis il y a plus de 180 jour(s)\n');
    expect(await query(sql`select id from rankings where id = ${ranking.ranking_id}`)).toEqual([]);
    expect((await cli(['rankings', 'purge', '--days', 'zéro'])).code).toBe(1);
  });
});
