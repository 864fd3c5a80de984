/**
 * `passerelles train` and `passerelles models` end to end through `main`, on the embedded
 * database in a temporary data folder: French messages, exit codes, and a trained model's file
 * written to the data folder.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openStore } from '../src/db/open.ts';
import { cli, embeddedCliFolder } from './support/cli.ts';
import { synthetic } from './learning/synthetic.ts';
import { writeLogs } from './support/logs.ts';
import { FEATURE_NAMES } from '../src/features/index.ts';
import { DEFAULT_MODEL, loadMatchingFiles } from '../src/matching/matching.models.ts';

describe('passerelles train and models on the embedded database', () => {
  const folder = embeddedCliFolder('passerelles-models-', { PASSERELLES_PROMOTION_MIN_REQUESTERS: '500' });

  it('registers the default at first use, trains nothing without feedback and cannot roll back past it', async () => {
    const train = await cli(['train']);
    expect(train.code).toBe(0);
    expect(train.stdout).toMatch(/^Aucun retour d’utilisateur enregistré/);
    const list = await cli(['models', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`${DEFAULT_MODEL}\\s+courante`));
    const rollback = await cli(['models', 'rollback']);
    expect(rollback.code).toBe(1);
    expect(rollback.stderr).toMatch(/models\.nothing_to_roll_back.*Aucun modèle précédent/);
    expect((await cli(['models', 'show', 'inconnu'])).stderr).toMatch(/models\.not_found/);
    expect((await cli(['models', 'frobnicate'])).stderr).toMatch(/action attendue list, show, promote ou rollback/);
  });

  it('trains from the logged feedback, keeps the candidate with its reason, writes its file, then does nothing until new feedback', async () => {
    const store = await openStore({ dataDir: join(folder.dir, 'data') });
    try {
      // Users who care first about distance and capacity; rankings logged by the default model.
      const truth = FEATURE_NAMES.map((n) => ({ geography: 3, capacity: 2.5 } as Record<string, number>)[n] ?? 0.3);
      const logs = synthetic({ seed: 5, rankings: 600, truth, logging: Array.from(loadMatchingFiles().model.weights), swapShare: 0.15, requesters: 100 });
      await writeLogs(store, logs.rankings, logs.events, { base: new Date(Date.now() - 86_400_000), msPerAt: 60_000 });
    } finally {
      await store.close();
    }
    const train = await cli(['train']);
    expect(train.code).toBe(0);
    expect(train.stdout).toMatch(/Entraînement du modèle de classement/);
    expect(train.stdout).toMatch(/Pas assez de demandeurs évalués \(\d+, il en faut 500\)/);
    expect(train.stdout).toMatch(/reste candidate/);
    const version = /Version\s+: (appris-\d{8}-\d{6})/.exec(train.stdout)?.[1];
    expect(version).toBeDefined();
    expect(existsSync(join(folder.dir, 'data', 'models', `${version}.json`))).toBe(true);
    const show = await cli(['models', 'show', version!]);
    expect(show.stdout).toMatch(new RegExp(`Modèle ${version} — candidate \\(appris à partir de ${DEFAULT_MODEL}\\)`));
    expect((await cli(['train'])).stdout).toMatch(/^Aucun nouveau retour depuis le dernier entraînement/);
    const promote = await cli(['models', 'promote', version!, '--reason', 'essai']);
    expect(promote.stdout).toMatch(/promu : il sert désormais/);
    expect((await cli(['models', 'rollback'])).stdout).toMatch(new RegExp(`Retour arrière : ${DEFAULT_MODEL} sert de nouveau`));
  });
});

describe('passerelles batch --nightly on the embedded database', () => {
  const folder = embeddedCliFolder('passerelles-nightly-');

  it('retrains before a nightly batch run when new feedback arrived, as serve does each night, and not before a plain run', async () => {
    const store = await openStore({ dataDir: join(folder.dir, 'data') });
    try {
      const truth = FEATURE_NAMES.map((n) => ({ capacity: 3 } as Record<string, number>)[n] ?? 0.3);
      const logs = synthetic({ seed: 6, rankings: 300, truth, logging: Array.from(loadMatchingFiles().model.weights), swapShare: 0.15, requesters: 60 });
      await writeLogs(store, logs.rankings, logs.events, { base: new Date(Date.now() - 3_600_000), msPerAt: 1_000 });
    } finally {
      await store.close();
    }
    const before = (await cli(['models', 'list'])).stdout.match(/appris-\d{8}-\d{6}/g) ?? [];
    const plain = await cli(['batch', '--as-of', '2026-12-01']);
    expect(plain.code).toBe(0);
    expect((await cli(['models', 'list'])).stdout.match(/appris-\d{8}-\d{6}/g) ?? []).toEqual(before);
    const nightly = await cli(['batch', '--nightly', '--as-of', '2026-12-01']);
    expect(nightly.code).toBe(0);
    expect(nightly.stdout).toMatch(/Calcul n° \d+ terminé/);
    const after = (await cli(['models', 'list'])).stdout.match(/appris-\d{8}-\d{6}/g) ?? [];
    expect(new Set(after).size).toBe(new Set(before).size + 1);
    const check = await openStore({ dataDir: join(folder.dir, 'data') });
    try {
      const runs = await check.rows<{ trigger: string; summary: { retrained: boolean; compacted: boolean } }>(sql`select trigger, summary from batch_runs order by id`);
      expect(runs.map((r) => [r.trigger, r.summary.retrained, r.summary.compacted])).toEqual([['cli', false, false], ['nightly', true, true]]);
    } finally {
      await check.close();
    }
  }, 120_000);
});
