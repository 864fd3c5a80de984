/**
 * How the feedback benchmark serves a ranking: `serve(query, model)` returns the ranking as it
 * would be logged (items with their shown position, feature vector and score), with a random
 * adjacent swap in a configured share of rankings. The engine gives the candidates once per query
 * (its `limit` best under the default model, with their features by name); each model re-ranks
 * them by its own linear score. This stands in for the service's logged code path until it exists
 * (issue 15, src/feedback): swap `serve` for it then.
 */
import type { EntityKind } from '../../src/domain/types.ts';
import type { Matching } from '../../src/matching/matching.usecases.ts';
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

export interface ServeOptions { rng: Rng; swapShare: number; shown: number; at: number; rankingId: string }

export interface Server {
  /** The candidates of a query (cached). */
  candidates(q: Query): Candidate[];
  serve(q: Query, model: LinearModel, o: ServeOptions): LoggedRanking;
}

export function createServer(matching: Matching, names: readonly string[], o: { poolSize: number; asOf: string }): Server {
  const cache = new Map<string, Candidate[]>();
  const candidates = (q: Query) => {
    const key = requesterOf(q);
    let list = cache.get(key);
    if (!list) {
      const query = { limit: o.poolSize, as_of: o.asOf };
      const res = q.kind === 'structure' ? matching.forStructure(q.id, query) : matching.forResource(q.id, query);
      list = res.results.filter((r) => !r.excluded).map((r) => ({ id: r.id, features: vectorOf(r.features, names) }));
      cache.set(key, list);
    }
    return list;
  };
  return {
    candidates,
    serve(q, model, s) {
      const top = rankBy(candidates(q), model).slice(0, s.shown);
      const swap = chooseSwap(s.rng, top.length, s.swapShare);
      const items = applySwap(top, swap).map(({ c, score }, i) => ({ id: c.id, position: i + 1, features: c.features, score }));
      return { id: s.rankingId, requester: requesterOf(q), at: s.at, items, swap, modelVersion: model.version };
    },
  };
}
