/**
 * `passerelles rank` and `passerelles match` end to end through `main`, on the embedded database
 * in a temporary data folder holding the dev relevance set.
 */
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './support/cli.ts';
import { devPath } from './support/import-fixtures.ts';

describe('passerelles rank and match on the embedded database', () => {
  let dir: string;
  const saved = { ...process.env };
  const file = (name: string) => join(dir, name);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'passerelles-rank-'));
    delete process.env.DATABASE_URL;
    process.env.PASSERELLES_DATA_DIR = file('data');
    process.env.LOG_LEVEL = 'silent';
    await copyFile(devPath('structure'), file('structures.jsonl'));
    await copyFile(devPath('resource'), file('resources.jsonl'));
    expect((await cli(['import', 'structures', file('structures.jsonl')])).code).toBe(0);
    expect((await cli(['import', 'resources', file('resources.jsonl')])).code).toBe(0);
  }, 60_000);
  afterAll(async () => {
    process.env = saved;
    await rm(dir, { recursive: true, force: true });
  });

  it('prints one JSON line per distinct query, best first, with ids and scores only', async () => {
    await writeFile(file('queries.jsonl'), [
      { query_type: 'structure', query_id: 'dev-s01', doc_id: 'dev-r01', grade: 3 },
      { query_type: 'structure', query_id: 'dev-s01', doc_id: 'dev-r02', grade: 0 },
      { query_type: 'resource', query_id: 'dev-r02' },
    ].map((q) => JSON.stringify(q)).join('\n'));
    const out = await cli(['rank', '--queries', file('queries.jsonl'), '--limit', '5', '--as-of', '2026-12-01']);
    expect(out.code).toBe(0);
    const lines = out.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.query_type, l.query_id])).toEqual([['structure', 'dev-s01'], ['resource', 'dev-r02']]);
    for (const line of lines) {
      expect(Object.keys(line)).toEqual(['query_type', 'query_id', 'results']);
      expect(line.results.length).toBe(5);
      for (const r of line.results) expect(Object.keys(r)).toEqual(['id', 'score']);
      const scores = line.results.map((r: { score: number }) => r.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
    }
    expect(lines[0].results[0].id).toMatch(/^dev-r\d+$/);
    expect(lines[1].results[0].id).toMatch(/^dev-s\d+$/);
    // these few judgments leave most records of the database unjudged: said on stderr
    expect(out.stderr).toMatch(/Attention : la base contient 39 structures et 78 ressources que les jugements de .*queries\.jsonl ne notent pas/);
  });

  it('does not warn when the qrels judge every record of the database', async () => {
    const out = await cli(['rank', '--queries', new URL('./fixtures/dev/qrels.jsonl', import.meta.url).pathname, '--limit', '1', '--as-of', '2026-12-01']);
    expect(out.code).toBe(0);
    expect(out.stderr).not.toContain('Attention');
  });

  it('answers an unknown id with an error line and exit code 2, and still ranks the others', async () => {
    await writeFile(file('unknown.jsonl'), '{"query_type":"structure","query_id":"nope"}\nnot json\n{"query_type":"resource","query_id":"dev-r02"}\n');
    const out = await cli(['rank', '--queries', file('unknown.jsonl'), '--as-of', '2026-12-01']);
    expect(out.code).toBe(2);
    const lines = out.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ query_type: 'structure', query_id: 'nope', results: [], error: { code: 'matches.structure_not_found' } });
    expect(lines[1].results.length).toBe(10);
    expect(out.stderr).toContain('unknown.jsonl:2');
    expect(out.stderr).toContain('unknown.jsonl:1');
  });

  it('explains matches for a structure in French and gives the same list as JSON', async () => {
    const text = await cli(['match', '--structure', 'dev-s01', '--limit', '3', '--explain', '--as-of', '2026-12-01']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^\s+1\. [\d.]+\s+dev-r\d+/m);
    expect(text.stdout).toContain('répond au besoin');
    const json = await cli(['match', '--structure', 'dev-s01', '--limit', '3', '--json', '--as-of', '2026-12-01']);
    const list = JSON.parse(json.stdout);
    expect(list.results).toHaveLength(3);
    expect(text.stdout).toContain(list.results[0].id);
    const missing = await cli(['match', '--resource', 'dev-r999']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('dev-r999');
  });
});
