/**
 * `train` as a use case over a real store (PGlite, and PostgreSQL when TEST_DATABASE_URL is set),
 * on synthetic rankings and events written straight into the tables: nothing to do without new
 * feedback; a clear preference that differs from the default model is learned and promoted; pure
 * noise is never promoted, night after night.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/db/open.ts';
import { feedbackEvents, rankings } from '../../src/db/schema.ts';
import { DEFAULT_MODEL } from '../../src/matching/matching.models.ts';
import { readCommittedModel } from '../../src/models/models.serving.ts';
import { trainModel, type TrainingSettings } from '../../src/models/models.train.ts';
import { createModels, type Models } from '../../src/models/models.usecases.ts';
import { synthetic } from '../learning/synthetic.ts';
import { FEATURE_NAMES } from '../../src/features/index.ts';
import { loadMatchingFiles } from '../../src/matching/matching.models.ts';
import { writeLogs } from '../support/logs.ts';
import { openTestStore, storeKinds } from '../support/stores.ts';

/** Weights by feature name, in FEATURE_NAMES order (a feature not named weighs 0). */
const byName = (w: Record<string, number>) => FEATURE_NAMES.map((n) => w[n] ?? 0);
/** The committed default model's weights in FEATURE_NAMES order. */
const DEFAULT_WEIGHTS = Array.from(loadMatchingFiles().model.weights);
/** Users who care first about distance and capacity, little about shared words. */
const TRUTH = byName({
  text: 0.5, need_text: 0.5, need_concept: 0.5, pillar: 0.5, geography: 3, eligibility: 0.2, availability: 0.5,
  capacity: 2.5, accessibility: 0.2, skills: 0.2, amount: 0.2, need_amount: 0.3, need_period: 0.3,
});
const NOW = new Date('2026-12-04T03:00:00Z');
const DAY_MS = 86_400_000;

describe.each(storeKinds())('training on %s', (kind) => {
  let store: Store;
  let models: Models;
  let dir: string;
  const settings = (): TrainingSettings => ({
    margin: 0.01, confidence: 0.95, minRequesters: 20, holdoutShare: 0.25, windowDays: 180, attributionDays: 30, filesDir: dir,
  });
  /** One night: `rankings` served over the day before `now`, then train. */
  async function night(seed: number, now: Date, noise: boolean, current: number[], rankings = 3000) {
    const logs = synthetic({ seed, rankings, truth: TRUTH, logging: current, eta: 1, swapShare: 0.15, requesters: 200, noise });
    for (const r of logs.rankings) r.id = `n${seed}-${r.id}`;
    for (const e of logs.events) e.rankingId = `n${seed}-${e.rankingId}`;
    for (const r of logs.rankings) for (const it of r.items) it.id = `n${seed}-${it.id}`;
    for (const e of logs.events) e.itemId = `n${seed}-${e.itemId}`;
    await writeLogs(store, logs.rankings, logs.events, { base: new Date(now.getTime() - DAY_MS), msPerAt: DAY_MS / rankings / 2 });
    return trainModel({ store, models, settings: settings(), now: () => now });
  }

  beforeAll(async () => {
    store = await openTestStore(kind);
    models = createModels({ store, now: () => NOW, readModelFile: readCommittedModel });
    await models.registerDefault(readCommittedModel(DEFAULT_MODEL)!);
    dir = mkdtempSync(join(tmpdir(), 'passerelles-models-'));
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('does nothing when no feedback was ever recorded, and says so', async () => {
    const outcome = await trainModel({ store, models, settings: settings(), now: () => NOW });
    expect(outcome.status).toBe('no_feedback');
    expect(outcome.message).toMatch(/Aucun retour/);
    expect((await models.repository.list()).map((v) => v.version)).toEqual([DEFAULT_MODEL]);
  });

  it('with pure-noise events, never promotes a model, night after night', async () => {
    for (const [i, seed] of [11, 12, 13].entries()) {
      const outcome = await night(seed, new Date(NOW.getTime() + i * DAY_MS), true, DEFAULT_WEIGHTS, 1500);
      expect(outcome.status).toBe('trained');
      if (outcome.status !== 'trained') return;
      expect(outcome.promoted, outcome.report.guard.reason).toBe(false);
      expect(outcome.version.status).toBe('candidate');
      expect(outcome.version.reason).toMatch(/^Non promu/);
    }
    expect((await models.current()).version).toBe(DEFAULT_MODEL);
    // Only the newest candidate stays a candidate; the older ones are retired, with the reason.
    const statuses = (await models.repository.list()).map((v) => v.status);
    expect(statuses.filter((s) => s === 'candidate')).toHaveLength(1);
  }, 240_000);

  it('does nothing when no feedback arrived since the last trained version', async () => {
    const outcome = await trainModel({ store, models, settings: settings(), now: () => NOW });
    expect(outcome.status).toBe('no_new_feedback');
    expect(outcome.message).toMatch(/Aucun nouveau retour depuis le dernier entraînement \(appris-/);
  });

  it('learns a clear preference that differs from the default model, promotes it and writes its file', async () => {
    // Forget the noise of the nights before: the window would hold it.
    await store.db.delete(feedbackEvents);
    await store.db.delete(rankings);
    const now = new Date(NOW.getTime() + 10 * DAY_MS);
    const outcome = await night(21, now, false, DEFAULT_WEIGHTS, 2000);
    expect(outcome.status).toBe('trained');
    if (outcome.status !== 'trained') return;
    const { report, version } = outcome;
    expect(outcome.promoted, report.guard.reason).toBe(true);
    expect(report.guard.lower!).toBeGreaterThan(0.01);
    expect(report.heldOut.candidate.ndcg10!).toBeGreaterThan(report.heldOut.current.ndcg10!);
    expect(report.heldOut.current.version).toBe(DEFAULT_MODEL);
    expect(report.propensities.estimated).toBe(true);
    expect(report.requesters).toBe(200);
    expect(version.status).toBe('current');
    expect(version.parent).toBe(DEFAULT_MODEL);
    expect(version.reason).toMatch(/^Promu/);
    // Distance now weighs more than shared words.
    expect(version.model.weights.geography).toBeGreaterThan(version.model.weights.text);
    expect((await models.current()).version).toBe(version.version);
    const file = JSON.parse(readFileSync(outcome.file!, 'utf8'));
    expect(file.version).toBe(version.version);
    expect(file.training.heldOut.candidate.ndcg10).toBe(report.heldOut.candidate.ndcg10);
    const history = await models.repository.changes();
    const last = history.slice(-2);
    expect(last.map((c) => [c.version, c.fromStatus, c.toStatus])).toEqual([[DEFAULT_MODEL, 'current', 'retired'], [version.version, 'candidate', 'current']]);
    expect(last.every((c) => c.actor === 'entrainement' && c.reason.length > 0)).toBe(true);
  }, 240_000);
});
