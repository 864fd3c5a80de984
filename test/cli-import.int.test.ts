/**
 * `passerelles import` end to end through `main`, on the embedded database in a temporary data
 * folder: exit codes 0 / 2 / 1, messages, the rejects file, the progress bar.
 */
import { copyFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './support/cli.ts';
import { devPath, devRecords, toJsonl } from './support/import-fixtures.ts';

const exists = (path: string) => stat(path).then(() => true, () => false);

describe('passerelles import on the embedded database', () => {
  let dir: string;
  const saved = { ...process.env };
  const file = (name: string) => join(dir, name);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'passerelles-import-'));
    delete process.env.DATABASE_URL;
    process.env.PASSERELLES_DATA_DIR = file('data');
    process.env.LOG_LEVEL = 'silent';
    await copyFile(devPath('structure'), file('structures.jsonl'));
    await copyFile(devPath('resource'), file('resources.jsonl'));
  });
  afterAll(async () => {
    process.env = saved;
    await rm(dir, { recursive: true, force: true });
  });

  it('imports the dev set with exit code 0, then finds every record unchanged', async () => {
    const first = await cli(['import', 'structures', file('structures.jsonl')]);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toBe('structures : 40 insérées, 0 mises à jour, 0 inchangées, 0 rejetées\n');
    expect((await cli(['import', 'resources', file('resources.jsonl')])).stdout).toContain('ressources : 80 insérées');
    expect((await cli(['import', 'structures', file('structures.jsonl')])).stdout).toContain('0 insérées, 0 mises à jour, 40 inchangées');
    expect(await exists(file('structures.jsonl.rejects.jsonl'))).toBe(false);
  });

  it('exits 2, prints each reject as file:line and field, and writes them to FILE.rejects.jsonl', async () => {
    const [a, b] = devRecords('structure');
    await writeFile(file('mixed.jsonl'), toJsonl([a, { ...b, postal_code: '99999' }, '{oops', { ...a, name: 'Doublon' }]));
    const result = await cli(['import', 'structures', file('mixed.jsonl')]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe(`structures : 0 insérées, 0 mises à jour, 1 inchangée, 3 rejetées (voir ${file('mixed.jsonl.rejects.jsonl')})\n`);
    expect(result.stderr).toContain(`${file('mixed.jsonl')}:2 (id dev-s02) champ postal_code : code postal « 99999 » inconnu`);
    expect(result.stderr).toContain(`${file('mixed.jsonl')}:3 : JSON invalide`);
    expect(result.stderr).toContain(`${file('mixed.jsonl')}:4 (id dev-s01) champ id : identifiant « dev-s01 » déjà présent ligne 1`);
    const rejects = (await readFile(file('mixed.jsonl.rejects.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(rejects.map((r) => [r.line, r.code, r.field])).toEqual([
      [2, 'import.unknown_postal_code', 'postal_code'], [3, 'import.invalid_json', undefined], [4, 'import.duplicate_id', 'id'],
    ]);
    expect(rejects[1].raw).toBe('{oops');
  });

  it('removes the rejects file of an earlier run once nothing is rejected', async () => {
    await writeFile(file('mixed.jsonl'), toJsonl(devRecords('structure').slice(0, 2)));
    expect((await cli(['import', 'structures', file('mixed.jsonl')])).code).toBe(0);
    expect(await exists(file('mixed.jsonl.rejects.jsonl'))).toBe(false);
  });

  it('says « fichier vide » and exits 0 for an empty file', async () => {
    await writeFile(file('empty.csv'), '\uFEFF\r\n');
    const result = await cli(['import', 'resources', file('empty.csv')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('ressources : fichier vide');
  });

  it('exits 1 naming the file when it does not exist', async () => {
    const result = await cli(['import', 'structures', file('absent.jsonl')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`« ${file('absent.jsonl')} » : fichier introuvable`);
  });

  it('exits 1 naming the line of bytes that are not UTF-8, and leaves the database unchanged', async () => {
    const renamed = toJsonl([{ ...devRecords('structure')[0], name: 'Renommée' }]);
    await writeFile(file('latin1.jsonl'), Buffer.concat([Buffer.from(renamed), Buffer.from('{"id": "x", "name": "Caf\xe9"}\n', 'latin1')]));
    const result = await cli(['import', 'structures', file('latin1.jsonl')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`« ${file('latin1.jsonl')} », ligne 2 : contenu qui n’est pas de l’UTF-8 valide`);
    expect((await cli(['import', 'structures', file('structures.jsonl')])).stdout).toContain('0 mises à jour, 40 inchangées');
  });

  it('exits 1 on an unknown extension unless --format is given', async () => {
    await copyFile(file('resources.jsonl'), file('resources.txt'));
    const refused = await cli(['import', 'resources', file('resources.txt')]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('--format jsonl ou --format csv');
    expect((await cli(['import', 'resources', file('resources.txt'), '--format', 'jsonl'])).code).toBe(0);
  });

  it('exits 1 naming the file when the database is unreachable', async () => {
    process.env.DATABASE_URL = 'postgres://postgres@127.0.0.1:1/none';
    try {
      const result = await cli(['import', 'structures', file('structures.jsonl')]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`Import de « ${file('structures.jsonl')} » impossible, base inchangée`);
    } finally {
      delete process.env.DATABASE_URL;
    }
  });

  it('draws a progress bar on stderr only when it is a terminal', async () => {
    const tty = await cli(['import', 'resources', file('resources.jsonl')], true);
    expect(tty.stderr).toMatch(/\[[█░]+\] +\d+ % · .* lignes/);
    const pipe = await cli(['import', 'resources', file('resources.jsonl')]);
    expect(pipe.stderr).toBe('');
  });
});
