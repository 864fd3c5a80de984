/**
 * Synthetic logs for the learning tests: rankings of random feature vectors ordered by a logging
 * model (with random adjacent swaps), users who examine position k with probability k^-eta and act
 * on what they examine by a known linear preference (or at random, for noise).
 */
import { FEEDBACK_KINDS, type FeedbackEvent, type LoggedRanking } from '../../src/learning/events.ts';
import { applySwap, chooseSwap } from '../../src/learning/propensity.ts';
import { Prng } from '../../seed/prng.ts';

export interface SyntheticOptions {
  seed: number;
  rankings: number;
  dims?: number;
  items?: number;
  /** The users' true linear preference. */
  truth: readonly number[];
  /** The model that ordered the logged rankings. */
  logging: readonly number[];
  eta?: number;
  swapShare?: number;
  requesters?: number;
  /** Events independent of the items. */
  noise?: boolean;
}

export const dot = (w: ArrayLike<number>, x: ArrayLike<number>) => {
  let s = 0;
  for (let d = 0; d < w.length; d++) s += w[d] * x[d];
  return s;
};

export const cosine = (a: ArrayLike<number>, b: ArrayLike<number>) => dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b));

/** Relevance grade 0..3 of an item under the true preference (centred for uniform features). */
export function trueGrade(truth: readonly number[], x: ArrayLike<number>): number {
  const centre = truth.reduce((s, w) => s + w / 2, 0);
  const spread = Math.sqrt(truth.reduce((s, w) => s + (w * w) / 12, 0));
  const z = (dot(truth, x) - centre) / spread;
  return z > 1.2 ? 3 : z > 0.5 ? 2 : z > -0.2 ? 1 : 0;
}

export function synthetic(o: SyntheticOptions): { rankings: LoggedRanking[]; events: FeedbackEvent[] } {
  const rng = new Prng(o.seed);
  const dims = o.dims ?? o.truth.length, n = o.items ?? 10, eta = o.eta ?? 1;
  const rankings: LoggedRanking[] = [], events: FeedbackEvent[] = [];
  const act = [0.02, 0.25, 0.6, 0.9];
  for (let r = 0; r < o.rankings; r++) {
    const vectors = Array.from({ length: n }, (_, i) => ({ id: `i${r}-${i}`, features: Float64Array.from({ length: dims }, () => rng.next()) }));
    vectors.sort((a, b) => dot(o.logging, b.features) - dot(o.logging, a.features));
    const swap = chooseSwap(rng, n, o.swapShare ?? 0);
    const items = applySwap(vectors, swap).map((v, i) => ({ id: v.id, position: i + 1, features: v.features, score: dot(o.logging, v.features) }));
    const ranking: LoggedRanking = { id: `r${r}`, requester: `q${r % (o.requesters ?? 200)}`, at: r, items, swap };
    rankings.push(ranking);
    for (const item of items) {
      if (rng.next() >= item.position ** -eta) continue;
      const g = o.noise ? Math.floor(rng.next() * 4) : trueGrade(o.truth, item.features);
      if (rng.next() >= act[g]) continue;
      // Deeper events for better items: viewed, shortlisted, contacted.
      const depth = o.noise ? Math.floor(rng.next() * 3) : Math.max(0, g - 1);
      for (let k = 0; k <= depth; k++) events.push({ rankingId: ranking.id, itemId: item.id, kind: FEEDBACK_KINDS[k], at: r });
    }
  }
  return { rankings, events };
}

/** Mean true NDCG@10 of a model over fresh random lists of `pool` items (top 10 judged by true grades). */
export function trueNdcg(weights: ArrayLike<number>, truth: readonly number[], seed: number, lists = 300, pool = 30): number {
  const rng = new Prng(seed);
  let total = 0, counted = 0;
  for (let l = 0; l < lists; l++) {
    const xs = Array.from({ length: pool }, () => Float64Array.from(truth, () => rng.next()));
    const gains = xs.map((x) => 2 ** trueGrade(truth, x) - 1);
    const order = xs.map((_, i) => i).sort((a, b) => dot(weights, xs[b]) - dot(weights, xs[a]));
    const ideal = [...gains].sort((a, b) => b - a);
    const dcg = (g: number[]) => g.slice(0, 10).reduce((s, x, i) => s + x / Math.log2(i + 2), 0);
    if (dcg(ideal) > 0) { total += dcg(order.map((i) => gains[i])) / dcg(ideal); counted++; }
  }
  return total / counted;
}
