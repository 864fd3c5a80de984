/**
 * How a process serves with the registry's model. `openServedMatching` registers the committed
 * default when the registry has no current model (cold start), then builds matching over the
 * store with the current model. `watchModels` keeps a long-running service in step without a
 * restart: every few seconds it reads the current version (and the newest candidate, for the
 * online comparison) and hands a changed model to `matching.useModel` / `compareOnline`.
 * Polling works alike on PGlite and PostgreSQL; one small indexed query per interval.
 */
import { readFileSync } from 'node:fs';
import type { Logger } from '../config/logger.ts';
import type { Store } from '../db/open.ts';
import { DEFAULT_MODEL, loadMatchingFiles, MODELS_DIR, type MatchingFiles } from '../matching/matching.models.ts';
import { openMatching, type OpenMatchingOptions } from '../matching/matching.sync.ts';
import type { Matching } from '../matching/matching.usecases.ts';
import type { ModelFile } from './models.repository.ts';
import { createModels, type Models } from './models.usecases.ts';

/** A committed ranking model file of models/ by version, as JSON; undefined when there is none (or it is not a model). */
export function readCommittedModel(version: string): ModelFile | undefined {
  if (!/^[A-Za-z0-9._-]+$/.test(version)) return undefined;
  try {
    const file = JSON.parse(readFileSync(new URL(`${version}.json`, MODELS_DIR), 'utf8')) as ModelFile;
    return file.kind === 'linear' && file.version === version ? file : undefined;
  } catch {
    return undefined;
  }
}

export interface ServedMatching { matching: Matching; models: Models }

/** The model registry with the committed default registered (cold start), and the files matching starts from with its current model. */
export async function servedFiles(store: Store): Promise<{ models: Models; files: MatchingFiles }> {
  const models = createModels({ store, readModelFile: readCommittedModel });
  const defaultFile = readCommittedModel(DEFAULT_MODEL);
  if (!defaultFile) throw new Error(`models/${DEFAULT_MODEL}.json introuvable`);
  const { current } = await models.registerDefault(defaultFile);
  return { models, files: { ...loadMatchingFiles(), model: models.toRankingModel(current) } };
}

/** Matching over the store with the registry's current model (the committed default at cold start). */
export async function openServedMatching(store: Store, options: Omit<OpenMatchingOptions, 'files'> = {}): Promise<ServedMatching> {
  const { models, files } = await servedFiles(store);
  const matching = await openMatching(store, { ...options, files });
  return { matching, models };
}

export interface ModelWatch {
  /** Reads the registry once and applies what changed (the timer calls it). */
  check(): Promise<void>;
  stop(): void;
}

export interface WatchOptions {
  models: Models;
  matching: Matching;
  intervalMs: number;
  /** Share of rankings interleaving the newest candidate (0: no online comparison). */
  interleavingShare: number;
  logger: Logger;
}

export function watchModels(o: WatchOptions): ModelWatch {
  let candidateVersion: string | undefined;
  let running: Promise<void> | undefined;

  async function apply(): Promise<void> {
    const version = await o.models.repository.currentVersion();
    if (version && version !== o.matching.model().version) {
      const row = await o.models.repository.get(version);
      if (row) {
        const previous = o.matching.model().version;
        o.matching.useModel(o.models.toRankingModel(row));
        o.logger.info({ modelVersion: version, previous }, 'nouveau modèle courant adopté');
      }
    }
    if (o.interleavingShare <= 0) return;
    const candidate = await o.models.repository.newestCandidate();
    if (candidate?.version === candidateVersion) return;
    candidateVersion = candidate?.version;
    o.matching.compareOnline(candidate ? o.models.toRankingModel(candidate) : undefined, o.interleavingShare);
    o.logger.info({ candidate: candidateVersion ?? null, share: o.interleavingShare }, 'comparaison en ligne');
  }

  const check = () => (running ??= apply()
    .catch((err: unknown) => { o.logger.warn({ err }, 'lecture du modèle courant impossible : le modèle en place continue de servir'); })
    .finally(() => { running = undefined; }));
  const timer = setInterval(() => { void check(); }, o.intervalMs);
  timer.unref();
  return { check, stop: () => clearInterval(timer) };
}
