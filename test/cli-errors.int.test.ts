/**
 * What a newcomer can get wrong on the command line is told in French, naming the option or the
 * variable and the expected form, with one code for argument errors (cli.bad_arguments).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/config.ts';
import { cli } from './support/cli.ts';

describe('command line errors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'passerelles-errors-'));
  const saved = { ...process.env };
  beforeAll(() => {
    delete process.env.DATABASE_URL;
    process.env.PASSERELLES_DATA_DIR = join(dir, 'data');
    process.env.LOG_LEVEL = 'silent';
  });
  afterAll(() => { process.env = saved; rmSync(dir, { recursive: true, force: true }); });

  it('names the unknown or incomplete option in French, never in node’s English', async () => {
    const unknown = await cli(['match', '--structur', 'x']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('[cli.bad_arguments] : match : option inconnue « --structur » ; options possibles : --structure VALEUR');
    const missing = await cli(['keys', 'create', '--role']);
    expect(missing.stderr).toContain('l’option « --role » attend une valeur');
    const flagValue = await cli(['match', '--structure', 'x', '--json=oui']);
    expect(flagValue.stderr).toContain('l’option « --json » ne prend pas de valeur');
    const extra = await cli(['serve', 'maintenant']);
    expect(extra.stderr).toContain('[cli.bad_arguments] : serve : argument inattendu « maintenant »');
    for (const out of [unknown, missing, flagValue, extra]) expect(out.stderr).not.toMatch(/Unknown|argument missing|does not take/);
  });

  it('bounds --limit with the argument code, naming the range', async () => {
    const out = await cli(['match', '--structure', 'x', '--limit', '500']);
    expect(out.stderr).toContain('[cli.bad_arguments] : match : --limit attend un entier de 1 à 200, reçu « 500 »');
  });

  it('gives every reason a key request is refused, each naming its option', async () => {
    const role = await cli(['keys', 'create', '--role', 'chef']);
    expect(role.code).toBe(1);
    expect(role.stderr).toMatch(/\[keys\.invalid\] : keys create : clé non créée — --role : .*"admin"\|"delegate"\|"structure"/);
    const delegate = await cli(['keys', 'create', '--role', 'delegate', '--region', '99', '--expires', '2020-01-01']);
    expect(delegate.stderr).toContain('--region : Région inconnue : « 99 »');
    expect(delegate.stderr).toContain('--expires : La date d’expiration est passée');
    const structure = await cli(['keys', 'create', '--role', 'structure', '--structure', 'nope', '--region', '53']);
    expect(structure.stderr).toContain('--region : Seul un délégué a des régions ; --structure : Structure inconnue : « nope »');
    expect(role.stderr).not.toContain('voir le détail');
  });

  it('says which variable is wrong, what it expects and what it got', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow('PORT : un entier de 0 à 65535 attendu (ex. 3000), reçu « abc »');
    expect(() => loadConfig({ PASSERELLES_RATE_LIMIT: '-1' })).toThrow('PASSERELLES_RATE_LIMIT : un entier strictement positif attendu, reçu « -1 »');
    expect(() => loadConfig({ LOG_LEVEL: 'bavard' })).toThrow(/LOG_LEVEL : .*"info".*, reçu « bavard »/);
  });

  it('words a missing record as the API does', async () => {
    const out = await cli(['match', '--resource', 'nope']);
    expect(out.stderr).toContain('Ressource « nope » introuvable.');
  });
});
