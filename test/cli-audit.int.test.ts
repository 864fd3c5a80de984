/**
 * `passerelles audit` end to end through `main`, on the embedded database in a temporary data
 * folder: the command line's changes are in the trail as « ligne de commande » (the operator),
 * printed as a French table or JSON lines, with the API's filters; a bad filter names its option.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashKey } from '../src/keys/keys.usecases.ts';
import { cli, embeddedCliFolder } from './support/cli.ts';

const DEV = new URL('./fixtures/dev/', import.meta.url).pathname;

describe('passerelles audit on the embedded database', () => {
  embeddedCliFolder('passerelles-audit-');

  it('lists the command line’s import, key creation and revocation as « ligne de commande », newest first, never with the key', async () => {
    expect((await cli(['import', 'structures', join(DEV, 'structures.jsonl')])).code).toBe(0);
    const created = await cli(['keys', 'create', '--role', 'delegate', '--region', '53', '--label', 'Bretagne']);
    expect(created.code).toBe(0);
    const key = created.stdout.trim();
    const keyId = /Clé (key_[0-9a-f]+) créée/.exec(created.stderr)![1];
    expect((await cli(['keys', 'revoke', keyId])).code).toBe(0);

    const table = await cli(['audit']);
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^quand \(UTC\)\s+qui\s+action\s+quoi\s+détail$/);
    expect(lines.slice(1).map((l) => l.split(/\s{2,}/).slice(1, 4))).toEqual([
      ['ligne de commande', 'révocation de clé', `clé ${keyId}`],
      ['ligne de commande', 'création de clé', `clé ${keyId}`],
      ['ligne de commande', 'import de fichier', 'structures'],
    ]);
    expect(lines[3]).toMatch(/structures\.jsonl : 40 insérés, 0 mis à jour, 0 inchangé, 0 rejeté \(import n° \d+\)$/);
    expect(table.stdout).not.toContain(key);
    expect(table.stdout).not.toContain(hashKey(key));

    const json = await cli(['audit', '--json', '--action', 'key.created', '--actor', 'operateur']);
    const entries = json.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      actor: { id: 'operateur', role: 'admin' }, action: 'key.created', record_kind: 'key', record_id: keyId,
      details: { role: 'delegate', regions: ['53'], structure_id: null },
    });
    expect(JSON.stringify(entries)).not.toContain(hashKey(key));

    const first = await cli(['audit', '--limit', '2']);
    const cursor = /--cursor (\d+)/.exec(first.stderr)![1];
    const rest = await cli(['audit', '--limit', '2', '--cursor', cursor]);
    expect(rest.stdout).toContain('import de fichier');
    expect(rest.stderr).not.toContain('--cursor');
  }, 300_000); // eight commands, each opening the embedded database from its folder

  it('names the option of a bad filter, and says when nothing matches', async () => {
    const bad = await cli(['audit', '--action', 'record.deleted', '--from', 'hier']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/cli\.bad_arguments.*--action : .*--from : /s);
    const none = await cli(['audit', '--id', 'inconnu']);
    expect(none.code).toBe(0);
    expect(none.stderr).toContain('Aucune action enregistrée pour ces filtres.');
  }, 120_000);
});
