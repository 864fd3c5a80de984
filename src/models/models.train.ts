/**
 * `passerelles train` as a use case: one night of the feedback loop.
 *
 *   new feedback since the last trained version? (else nothing to do)
 *   → logged rankings of the window with their feature vectors, events attached (models.logs.ts)
 *   → propensities from the randomly swapped rankings (learning/propensity.ts)
 *   → split by time: the most recent share of events held out (learning/evaluate.ts)
 *   → pairwise training with inverse-propensity weights, from the current model (learning/train.ts)
 *   → NDCG@10 of the candidate and of the current model on the same held-out rankings
 *   → the guard: promote only when the bootstrap lower bound of the gain over requesters beats the margin
 *   → the candidate stored (model_versions, and a file VERSION.json), promoted or not, with the reason.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/config.ts';
import type { Store } from '../db/open.ts';
import { FEATURE_NAMES } from '../features/index.ts';
import { evaluateModel, promotionGuard, splitByTime } from '../learning/evaluate.ts';
import { toExamples } from '../learning/events.ts';
import { estimatePropensities } from '../learning/propensity.ts';
import { train } from '../learning/train.ts';
import { Prng } from '../../seed/prng.ts';
import { readTrainingLogs } from './models.logs.ts';
import { finite, round, type TrainingReport } from './models.report.ts';
import type { ModelFile, ModelVersion } from './models.repository.ts';
import type { Models } from './models.usecases.ts';

export interface TrainingSettings {
  /** Least NDCG@10 gain the bootstrap lower bound must exceed to promote. */
  margin: number;
  /** One-sided confidence of that lower bound (e.g. 0.95). */
  confidence: number;
  /** Fewest requesters judged on the held-out split for the guard to decide. */
  minRequesters: number;
  /** Share of the most recent events held out. */
  holdoutShare: number;
  /** Rankings older than this many days are not read. */
  windowDays: number;
  /** How long after a ranking an event about one of its pairs, sent without the ranking id, is still attached to it. */
  attributionDays: number;
  /** Folder of the trained model files (none written when absent). */
  filesDir?: string;
  /** Bootstrap resamples. Default 1000. */
  resamples?: number;
  /** Seed of training and bootstrap; default the newest event id (the same feedback gives the same model). */
  seed?: number;
  epochs?: number;
  l2?: number;
}

export type TrainOutcome =
  | { status: 'no_feedback'; message: string }
  | { status: 'no_new_feedback'; message: string; lastTrained: string }
  | { status: 'no_usable_feedback'; message: string }
  | { status: 'trained'; message: string; version: ModelVersion; report: TrainingReport; promoted: boolean; file: string | null };

export interface TrainDeps { store: Store; models: Models; settings: TrainingSettings; now?: () => Date }

const DAY_MS = 86_400_000;
const pad = (n: number) => String(n).padStart(2, '0');

/** `appris-AAAAMMJJ-HHMMSS` (UTC) of the training time. */
export function trainedVersionName(at: Date): string {
  return `appris-${at.getUTCFullYear()}${pad(at.getUTCMonth() + 1)}${pad(at.getUTCDate())}-${pad(at.getUTCHours())}${pad(at.getUTCMinutes())}${pad(at.getUTCSeconds())}`;
}

export async function trainModel(deps: TrainDeps): Promise<TrainOutcome> {
  const started = performance.now();
  const { models, settings } = deps;
  const now = deps.now?.() ?? new Date();
  const watermark = await models.repository.feedbackWatermark();
  if (watermark.events === 0) {
    return { status: 'no_feedback', message: 'Aucun retour d’utilisateur enregistré : rien à apprendre, le modèle courant reste en place.' };
  }
  const last = await models.repository.lastTrained();
  if (last?.metrics && last.metrics.trainedThrough.lastEventId >= watermark.lastEventId) {
    return {
      status: 'no_new_feedback', lastTrained: last.version,
      message: `Aucun nouveau retour depuis le dernier entraînement (${last.version}) : rien à faire.`,
    };
  }

  const current = await models.current();
  const currentModel = models.toRankingModel(current);
  const logs = await readTrainingLogs(deps.store, { since: new Date(now.getTime() - settings.windowDays * DAY_MS), attributionDays: settings.attributionDays });
  if (logs.events.length === 0) {
    return {
      status: 'no_usable_feedback',
      message: `${watermark.events} retours enregistrés, mais aucun ne se rattache à un classement conservé des ${settings.windowDays} derniers jours : rien à apprendre.`,
    };
  }
  const all = toExamples(logs.rankings, logs.events, { keepSilent: true });
  const acted = all.filter((e) => e.events > 0);
  const propensities = estimatePropensities(all);
  const split = splitByTime(acted, settings.holdoutShare);
  const seed = settings.seed ?? watermark.lastEventId;
  const learned = train(split.train, {
    names: FEATURE_NAMES, current: { weights: currentModel.weights, bias: currentModel.bias }, propensities,
    rng: new Prng(seed), ...(settings.epochs ? { epochs: settings.epochs } : {}), ...(settings.l2 !== undefined ? { l2: settings.l2 } : {}),
  });
  const before = evaluateModel(split.test, currentModel.weights, { propensities });
  const after = evaluateModel(split.test, learned.vector, { propensities });
  const resamples = settings.resamples ?? 1000;
  const verdict = promotionGuard(before.perRequester, after.perRequester, {
    margin: settings.margin, confidence: settings.confidence, resamples, minRequesters: settings.minRequesters, rng: new Prng(seed + 1),
  });

  let version = trainedVersionName(now);
  for (let i = 2; await models.repository.get(version); i++) version = `${trainedVersionName(now)}-${i}`;
  const sum = (xs: { events: number }[]) => xs.reduce((n, e) => n + e.events, 0);
  const report: TrainingReport = {
    trainedAt: now.toISOString(),
    trainedThrough: watermark,
    window: { from: logs.from?.toISOString() ?? null, to: logs.to?.toISOString() ?? null, days: settings.windowDays },
    events: logs.events.length, ignoredEvents: logs.ignored, rankings: logs.rankings.length,
    requesters: new Set(acted.map((e) => e.requester)).size, pairs: learned.stats.pairs,
    split: {
      cutoff: Number.isFinite(split.cutoff) ? new Date(split.cutoff).toISOString() : null,
      trainRankings: split.train.length, testRankings: split.test.length, trainEvents: sum(split.train), testEvents: sum(split.test),
    },
    heldOut: {
      candidate: { version, ndcg10: round(after.mean), requesters: after.perRequester.size, rankings: after.rankings },
      current: { version: current.version, ndcg10: round(before.mean), requesters: before.perRequester.size, rankings: before.rankings },
    },
    propensities: {
      estimated: propensities.estimated, values: [...propensities.values].map((p) => round(p, 3) ?? 0),
      swaps: [...propensities.swaps], eta: round(propensities.eta, 3) ?? 0,
    },
    guard: {
      promote: verdict.promote, meanDelta: finite(verdict.meanDelta), lower: finite(verdict.lower), upper: finite(verdict.upper),
      requesters: verdict.requesters, margin: settings.margin, confidence: settings.confidence, reason: verdict.reason,
    },
    seconds: round((performance.now() - started) / 1000, 2) ?? 0,
  };
  const file: ModelFile = {
    version, kind: 'linear',
    description: `Appris le ${now.toISOString().slice(0, 10)} à partir de ${current.version}, sur ${report.events} retours de ${report.requesters} demandeurs (correction du biais de position ${propensities.estimated ? 'estimée sur les classements échangés' : 'non estimée : aucun échange'}).`,
    bias: learned.bias,
    weights: learned.weights,
    training: report,
  };
  let path: string | null = null;
  if (settings.filesDir) {
    mkdirSync(settings.filesDir, { recursive: true });
    path = join(settings.filesDir, `${version}.json`);
    writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`);
  }
  const stored = await models.addTrained(file, report, current.version);
  return {
    status: 'trained', version: stored, report, promoted: verdict.promote, file: path,
    message: verdict.promote ? `Nouveau modèle ${version} promu : ${verdict.reason}` : `Nouveau candidat ${version} : ${verdict.reason}`,
  };
}

/** The training settings of the configuration. */
export function trainingSettings(config: Config): TrainingSettings {
  return {
    margin: config.promotionMargin, confidence: config.promotionConfidence, minRequesters: config.promotionMinRequesters,
    holdoutShare: config.holdoutShare, windowDays: config.trainingWindowDays, attributionDays: config.attributionDays,
    filesDir: trainedModelsDir(config),
  };
}

/** Where trained model files go: PASSERELLES_TRAINED_MODELS_DIR, else the models folder of the data folder. */
export const trainedModelsDir = (config: Pick<Config, 'trainedModelsDir' | 'dataDir'>) => config.trainedModelsDir ?? join(config.dataDir, 'models');
