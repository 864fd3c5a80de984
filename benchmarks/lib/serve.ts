/**
 * How the feedback benchmark serves a ranking: through the service's own code path. `serve(query,
 * model)` asks src/matching for the query's list with the model passed per request (candidates,
 * exact features, the model's scores: what the API answers), applies the random adjacent swap of
 * a configured share of rankings, and returns the ranking as the log stores it (items with their
 * shown position, feature vector and score). `candidates(query)` gives a fixed pool per query (the
 * engine's 50 best under the default model, cached) on which the benchmark judges models against
 * the simulated users' true preferences, and the 100,000-event timing re-ranks.
 */
import type { EntityKind } from '../../src/domain/types.ts';
import type { Matching } from '../../src/matching/matching.usecases.ts';
import type { RankingModel } from '../../src/ranking/model.ts';
import { vectorOf, type LoggedRanking, type Rng } from '../../src/learning/events.ts';
import { applySwap, chooseSwap } from '../../src/learning/propensity.ts';

export interface Query { kind: EntityKind; id: string }
export interface Candidate { id: string; features: Float64Array }
export interface LinearModel { version: string; bias: number; weights: ArrayLike<number> }

export const requesterOf = (q: Query) => `${q.kind}:${q.id}`;

export function linearScore(x: ArrayLike<number>, m: LinearModel): number {
  let s = m.bias;
  for (let d = 0; d < x.length; d++) s += m.weights[d] * x[d];
  return s;
}

/** The candidates ranked by a model, best first (ties by id). */
export function rankBy(candidates: readonly Candidate[], model: LinearModel): { c: Candidate; score: number }[] {
  return candidates.map((c) => ({ c, score: linearScore(c.features, model) }))
    .sort((a, b) => b.score - a.score || (a.c.id < b.c.id ? -1 : 1));
}

/** A benchmark model as the service takes it. */
export const asRankingModel = (m: LinearModel): RankingModel => ({ version: m.version, bias: m.bias, weights: Float64Array.from(m.weights) });

export interface ServeOptions { rng: Rng; swapShare: number; shown: number; at: number; rankingId: string }

export interface Server {
  /** The fixed pool of a query, for judging (cached). */
  candidates(q: Query): Candidate[];
  /** A ranking served through src/matching and logged: the service's list, with a swap in a share of rankings. */
  serve(q: Query, model: LinearModel, o: ServeOptions): LoggedRanking;
  /** The same from the cached pool re-ranked by the model (fast: for the 100,000-event timing only). */
  serveFromPool(q: Query, model: LinearModel, o: ServeOptions): LoggedRanking;
}

export function createServer(matching: Matching, names: readonly string[], o: { poolSize: number; asOf: string }): Server {
  const cache = new Map<string, Candidate[]>();
  const ask = (q: Query, limit: number, model?: RankingModel) => {
    const query = { limit, as_of: o.asOf };
    return q.kind === 'structure' ? matching.forStructure(q.id, query, undefined, model) : matching.forResource(q.id, query, undefined, model);
  };
  const candidates = (q: Query) => {
    const key = requesterOf(q);
    let list = cache.get(key);
    if (!list) {
      list = ask(q, o.poolSize, matching.model()).results.filter((r) => !r.excluded).map((r) => ({ id: r.id, features: vectorOf(r.features, names) }));
      cache.set(key, list);
    }
    return list;
  };
  const logged = (q: Query, top: { id: string; features: Float64Array; score: number }[], model: LinearModel, s: ServeOptions): LoggedRanking => {
    const swap = chooseSwap(s.rng, top.length, s.swapShare);
    const items = applySwap(top, swap).map((c, i) => ({ id: c.id, position: i + 1, features: c.features, score: c.score }));
    return { id: s.rankingId, requester: requesterOf(q), at: s.at, items, swap, modelVersion: model.version };
  };
  return {
    candidates,
    serve(q, model, s) {
      const results = ask(q, s.shown, asRankingModel(model)).results.filter((r) => !r.excluded);
      return logged(q, results.map((r) => ({ id: r.id, features: vectorOf(r.features, names), score: r.score })), model, s);
    },
    serveFromPool(q, model, s) {
      return logged(q, rankBy(candidates(q), model).slice(0, s.shown).map(({ c, score }) => ({ ...c, score })), model, s);
    },
  };
}
