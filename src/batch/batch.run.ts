/**
 * The nightly run, as every entry point starts it (`passerelles batch`, the schedule of `serve`,
 * the benchmark):
 *
 *   lock → resume the unfinished run, or start one (nightly: retrain if new feedback, compact the
 *   index; plan the shards from the store) → shards, in this process (`local`) or by the workers
 *   of the queue (`queue`) → summary → prune old runs → reports.
 *
 * A run survives kill -9 at any moment: its date, k and model are stored with it, each shard is
 * committed with its results in one transaction, and a restarted run skips the done shards.
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import type { Logger } from '../config/logger.ts';
import type { Store } from '../db/open.ts';
import { dayNumber, isoDay } from '../domain/day.ts';
import { PasserellesError } from '../domain/errors.ts';
import type { EntityKind } from '../domain/types.ts';
import type { Index } from '../engine/index.ts';
import type { RankRequest } from '../engine/request.ts';
import { FEATURE_NAMES } from '../features/index.ts';
import { parseModel, type RankingModel } from '../ranking/model.ts';
import { withRunLock } from './batch.lock.ts';
import { planShards } from './batch.plan.ts';
import { createBatchRepository, type BatchRun, type ResultRow, type RunSummary, type Shard } from './batch.repository.ts';
import { QuerySets, rankQueries, type Seeds } from './batch.shard.ts';
import type { ShardRanking } from './batch.threads.ts';

export interface BatchProgress {
  runId: number;
  shardsDone: number;
  shardsTotal: number;
  queriesDone: number;
  queriesTotal: number;
}

/** What the feedback loop offers the nightly run (issue 15): retrain when new feedback arrived. */
export type TrainIfNewFeedback = () => Promise<{ trained: boolean; model?: RankingModel }>;

/** The shard queue of the distributed mode (batch.queue.ts). */
export interface ShardQueue {
  enqueue(runId: number, shardKeys: string[]): Promise<void>;
}

export interface BatchDeps {
  store: Store;
  logger: Logger;
  /** The index to rank over: the service's live one, or one built from the store for the command. */
  index: () => Promise<Index>;
  /** The model of a new run (batch.models.ts: the registry's current one, else the committed file). */
  currentModel: () => Promise<RankingModel>;
  /** Nightly runs retrain first when new feedback arrived; absent until the feedback loop provides it. */
  trainIfNewFeedback?: TrainIfNewFeedback;
  /** Needed for mode `queue`. */
  queue?: ShardQueue;
  /** Called after each shard (and while waiting for the workers). */
  onProgress?: (p: BatchProgress) => void;
  /** Writes the run's reports; returns where (relative to the reports folder). */
  writeReports?: (run: BatchRun) => Promise<string>;
  now?: () => Date;
  /** This process, as recorded on the shards it writes. */
  worker?: string;
}

export interface BatchOptions {
  asOf?: string;
  k: number;
  shardSize: number;
  keepRuns: number;
  trigger: 'cli' | 'nightly' | 'bench' | 'test';
  mode: 'local' | 'queue';
  /** Pause before each shard's commit (tests of kill -9 and of workers killed mid-shard). */
  shardDelayMs?: number;
  /** How often the coordinator of a queued run checks the shards (ms). */
  pollMs?: number;
  /** A queued run re-enqueues its pending shards after this long without progress (ms). */
  stallMs?: number;
}

export interface BatchOutcome { run: BatchRun; summary: RunSummary; resumed: boolean; reportsAt?: string }

export const defaultWorkerName = (): string => `${process.pid}@${process.env.HOSTNAME ?? 'local'}`;

/** The model as its file: what a run stores to score again after a restart. */
export const modelFile = (model: RankingModel) => ({
  version: model.version, kind: 'linear' as const, bias: model.bias,
  weights: Object.fromEntries(FEATURE_NAMES.map((name, i) => [name, model.weights[i]])),
});

/** The engine's request of a run: its date, k and model; no explanation, ties broken by id. */
export function runRequest(run: Pick<BatchRun, 'asOf' | 'k' | 'model'>): RankRequest {
  return {
    limit: run.k, asOf: run.asOf, asOfDay: dayNumber(run.asOf), model: parseModel(run.model, 'modèle du calcul'),
    explain: false, includeExcluded: false,
  };
}

async function activeIds(store: Store, kind: EntityKind): Promise<{ id: string; region: string }[]> {
  const table = kind === 'structure' ? sql`structures` : sql`resources`;
  return store.rows<{ id: string; region: string }>(sql`select id, region from ${table} where archived_at is null`);
}

/** Ranks a shard's queries: in this thread (inProcessRanker) or spread over threads (batch.threads.ts). */
export type ShardRanker = (shard: Shard) => Promise<ShardRanking>;

/** The seeds of some queries of a kind (batch.shard.ts Seeds), by their ids. */
export type SeedSource = (kind: EntityKind, queryIds: readonly string[]) => Promise<Seeds>;

/**
 * Where a run's queries find their seeds: the top-k the last run finished before it gave them (at
 * night, yesterday's: most stay, and the exact search then starts from a threshold near its final
 * one). Undefined when no run finished before it. The results do not depend on it, only the time.
 */
export async function previousTopKs(store: Pick<Store, 'db'>, runId: number): Promise<SeedSource | undefined> {
  const repo = createBatchRepository(store);
  const previous = await repo.previousDone(runId);
  return previous ? (kind, ids) => repo.topKs(previous.id, kind, ids) : undefined;
}

/**
 * Ranks in this thread, yielding to the event loop every few queries (the service keeps answering
 * during a nightly run); the shard's queries seeded from `seeds` when given (read once a shard).
 */
export function inProcessRanker(index: Index, sets: QuerySets, request: RankRequest, seeds?: SeedSource): ShardRanker {
  return async (shard) => {
    const results: ResultRow[] = [];
    let pairs = 0;
    const queries = sets.of(shard);
    const shardSeeds = await seeds?.(shard.kind, queries.map((q) => q.entity.id));
    for (let i = 0; i < queries.length; i += 200) {
      if (i > 0) await yieldToLoop();
      const part = rankQueries(index, shard.kind, queries.slice(i, i + 200), request, shardSeeds);
      results.push(...part.results);
      pairs += part.pairs;
    }
    return { results, pairs };
  };
}

/** Ranks the queries of a shard, then commits them; false when it was already done. */
export async function processShard(
  deps: { store: Store; worker: string }, rank: ShardRanker, shard: Shard, delayMs = 0,
): Promise<{ written: boolean; pairs: number; queries: number }> {
  const { results, pairs } = await rank(shard);
  if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
  const written = await createBatchRepository(deps.store).commitShard(shard, results, pairs, deps.worker);
  return { written, pairs, queries: results.length };
}

async function startRun(deps: BatchDeps, options: BatchOptions, index: () => Promise<Index>): Promise<BatchRun> {
  const repo = createBatchRepository(deps.store);
  const now = deps.now ?? (() => new Date());
  let model = await deps.currentModel();
  let retrained = false, compacted = false;
  if (options.trigger === 'nightly') {
    if (deps.trainIfNewFeedback) {
      const trained = await deps.trainIfNewFeedback();
      retrained = trained.trained;
      if (trained.model) model = trained.model;
      deps.logger.info({ retrained }, retrained ? 'modèle réentraîné sur les nouveaux retours' : 'pas de nouveaux retours : modèle inchangé');
    }
    (await index()).compact();
    compacted = true;
  }
  const run = await repo.createRun({
    trigger: options.trigger, mode: options.mode, asOf: options.asOf ?? isoDay(now()), k: options.k,
    modelVersion: model.version, model: modelFile(model),
  });
  const plans = [
    ...planShards('resource', await activeIds(deps.store, 'resource'), options.shardSize),
    ...planShards('structure', await activeIds(deps.store, 'structure'), options.shardSize),
  ];
  await repo.addShards(run.id, plans);
  deps.logger.info({ runId: run.id, asOf: run.asOf, k: run.k, model: run.modelVersion, shards: plans.length, retrained, compacted },
    'calcul de nuit commencé');
  return { ...run, summary: { retrained, compacted } as RunSummary };
}

async function runLocally(deps: BatchDeps, options: BatchOptions, run: BatchRun, index: Index): Promise<void> {
  const repo = createBatchRepository(deps.store);
  const worker = deps.worker ?? defaultWorkerName();
  const seeds = await previousTopKs(deps.store, run.id);
  const rank = inProcessRanker(index, new QuerySets(index), runRequest(run), seeds);
  const counts = await repo.countShards(run.id);
  const progress = { runId: run.id, shardsDone: counts.done, shardsTotal: counts.total, queriesDone: counts.queriesDone, queriesTotal: counts.queries };
  deps.onProgress?.(progress);
  for (const shard of await repo.shards(run.id, 'pending')) {
    const done = await processShard({ store: deps.store, worker }, rank, shard, options.shardDelayMs);
    progress.shardsDone += 1;
    progress.queriesDone += shard.size;
    deps.logger.debug({ runId: run.id, shard: shard.key, queries: done.queries, pairs: done.pairs, written: done.written }, 'tranche écrite');
    deps.onProgress?.(progress);
  }
}

async function runByQueue(deps: BatchDeps, options: BatchOptions, run: BatchRun): Promise<void> {
  if (!deps.queue) throw new PasserellesError('batch.no_queue', 'Le mode « file » demande un serveur PostgreSQL (DATABASE_URL).', 400);
  const repo = createBatchRepository(deps.store);
  const enqueuePending = async () => deps.queue!.enqueue(run.id, (await repo.shards(run.id, 'pending')).map((s) => s.key));
  await enqueuePending();
  let last = -1, lastChange = Date.now();
  for (;;) {
    const c = await repo.countShards(run.id);
    deps.onProgress?.({ runId: run.id, shardsDone: c.done, shardsTotal: c.total, queriesDone: c.queriesDone, queriesTotal: c.queries });
    if (c.done === c.total) return;
    if (c.done !== last) { last = c.done; lastChange = Date.now(); }
    else if (Date.now() - lastChange > (options.stallMs ?? 15 * 60_000)) {
      deps.logger.warn({ runId: run.id, pending: c.total - c.done }, 'aucune tranche terminée depuis longtemps : tranches restantes remises dans la file');
      await enqueuePending();
      lastChange = Date.now();
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 500));
  }
}

/** Runs (or resumes) the batch to its end; `batch.busy` (409) when another process holds the run. */
export function runBatch(deps: BatchDeps, options: BatchOptions): Promise<BatchOutcome> {
  return withRunLock(deps.store, async () => {
    const repo = createBatchRepository(deps.store);
    const started = Date.now();
    // Built (or fetched) once, and only when this process ranks or compacts: a queue's coordinator does not.
    let built: Promise<Index> | undefined;
    const index = () => (built ??= deps.index());
    const unfinished = await repo.unfinished();
    const resumable = unfinished && (options.asOf === undefined || options.asOf === unfinished.asOf) && options.k === unfinished.k;
    if (unfinished && !resumable) {
      deps.logger.warn({ runId: unfinished.id }, 'calcul inachevé abandonné : autre date ou autre k demandés');
      await repo.fail(unfinished.id);
    }
    const run = resumable ? unfinished : await startRun(deps, options, index);
    if (resumable) deps.logger.info({ runId: run.id, asOf: run.asOf }, 'reprise du calcul inachevé');
    if (run.mode === 'queue' && options.mode === 'queue') await runByQueue(deps, options, run);
    else await runLocally(deps, options, run, await index());

    const figures = await repo.shardFigures(run.id);
    const durationMs = Date.now() - (resumable ? run.startedAt.getTime() : started);
    const seconds = Math.max(durationMs, 1) / 1000;
    const summary: RunSummary = {
      durationMs, queries: figures.queries, pairsScored: figures.pairsScored,
      queriesPerSecond: Math.round(figures.queries / seconds), pairsPerSecond: Math.round(figures.pairsScored / seconds),
      shards: figures.shards, resultsByRegion: await repo.resultsByRegion(run.id), workers: figures.workers,
      ...(run.summary ? { retrained: run.summary.retrained, compacted: run.summary.compacted } : {}),
    };
    await repo.finish(run.id, summary);
    const pruned = await repo.prune(options.keepRuns);
    deps.logger.info({ runId: run.id, ...summary, resultsByRegion: undefined, pruned }, 'calcul de nuit terminé');
    const finished = (await repo.getRun(run.id))!;
    let reportsAt: string | undefined;
    if (deps.writeReports) {
      reportsAt = await deps.writeReports(finished);
      await repo.setReports(run.id, reportsAt);
    }
    return { run: { ...finished, reportsAt: reportsAt ?? null }, summary, resumed: Boolean(resumable), reportsAt };
  });
}
