/**
 * Offline evaluation and the promotion guard. NDCG@10 of a linear model on held-out logged
 * rankings: each ranking's items are re-ranked by the model's score and judged by their graded
 * labels (gain 2^label − 1, not_interested counting 0), averaged per requester then over
 * requesters. With propensities, each gain is divided by the examination propensity of the
 * position the item was shown at (inverse propensity scoring), so that the model that produced
 * the logs is not favoured merely because users looked at its top; the ideal DCG stays that of
 * the unweighted gains, so this estimate can exceed 1 on one ranking. The held-out split is by time
 * (the most recent share of events). The guard bootstraps the per-requester NDCG difference of a
 * candidate against the current model and promotes only when the lower confidence bound exceeds a
 * margin: noise cannot fake it.
 */
import type { Rng, TrainingExample } from './events.ts';
import { propensityAt, type Propensities } from './propensity.ts';

export interface NdcgOptions {
  /** Cut-off. Default 10. */
  k?: number;
  /** Inverse-propensity weighting of the gains (see the header). */
  propensities?: Propensities;
  /** Largest inverse-propensity weight. Default 20. */
  maxWeight?: number;
}

export interface NdcgResult {
  /** Mean over requesters of their mean NDCG. */
  mean: number;
  perRequester: Map<string, number>;
  /** Rankings that counted (at least one positive gain). */
  rankings: number;
}

export const gainOf = (label: number) => (label > 0 ? 2 ** label - 1 : 0);

/** DCG@k of gains taken in the order of `order`. */
export function dcg(gains: ArrayLike<number>, order: ArrayLike<number>, k: number): number {
  let s = 0;
  for (let r = 0; r < Math.min(k, order.length); r++) s += gains[order[r]] / Math.log2(r + 2);
  return s;
}

/**
 * NDCG@k of a ranking given by scores (higher first, ties by index) against gains; NaN when no
 * gain. `idealGains` (default: the gains) normalise: with inverse-propensity gains, the ideal is
 * taken on the unweighted ones, the same for every model, so that the weights do not cancel out
 * (with one acted-on item, normalising by its own weighted gain would make the weight vanish).
 */
export function ndcgOf(scores: ArrayLike<number>, gains: ArrayLike<number>, k = 10, idealGains: ArrayLike<number> = gains): number {
  const n = gains.length;
  const byScore = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b] - scores[a] || a - b);
  const ideal = Array.from({ length: n }, (_, i) => i).sort((a, b) => idealGains[b] - idealGains[a] || a - b);
  const best = dcg(idealGains, ideal, k);
  return best > 0 ? dcg(gains, byScore, k) / best : NaN;
}

/** The linear score of every item of an example. */
export function scoresOf(e: TrainingExample, weights: ArrayLike<number>): Float64Array {
  const out = new Float64Array(e.n);
  for (let i = 0; i < e.n; i++) {
    let s = 0;
    for (let d = 0; d < e.dims; d++) s += weights[d] * e.features[i * e.dims + d];
    out[i] = s;
  }
  return out;
}

/** NDCG@k of a model (weights in feature order) over logged examples, per requester. */
export function evaluateModel(examples: readonly TrainingExample[], weights: ArrayLike<number>, options: NdcgOptions = {}): NdcgResult {
  const k = options.k ?? 10, maxWeight = options.maxWeight ?? 20;
  const sums = new Map<string, { total: number; n: number }>();
  let rankings = 0;
  for (const e of examples) {
    const gains = new Float64Array(e.n), weighted = new Float64Array(e.n);
    for (let i = 0; i < e.n; i++) {
      gains[i] = gainOf(e.labels[i]);
      weighted[i] = options.propensities && gains[i] > 0 ? gains[i] * Math.min(maxWeight, 1 / propensityAt(options.propensities, e.positions[i])) : gains[i];
    }
    const v = ndcgOf(scoresOf(e, weights), weighted, k, gains);
    if (Number.isNaN(v)) continue;
    rankings++;
    const acc = sums.get(e.requester) ?? { total: 0, n: 0 };
    acc.total += v; acc.n++;
    sums.set(e.requester, acc);
  }
  const perRequester = new Map([...sums].map(([r, a]) => [r, a.total / a.n]));
  const values = [...perRequester.values()];
  return { mean: values.length ? values.reduce((a, b) => a + b, 0) / values.length : NaN, perRequester, rankings };
}

/**
 * Split by time: the most recent examples holding about `share` of the events are held out.
 * Examples served at the same instant stay on the same side.
 */
export function splitByTime<T extends { at: number; events: number }>(examples: readonly T[], share: number): { train: T[]; test: T[]; cutoff: number } {
  const sorted = [...examples].sort((a, b) => a.at - b.at);
  const total = sorted.reduce((n, e) => n + e.events, 0);
  let held = 0, i = sorted.length;
  while (i > 0 && held < share * total) held += sorted[--i].events;
  const cutoff = i < sorted.length ? sorted[i].at : Infinity;
  return { train: sorted.filter((e) => e.at < cutoff), test: sorted.filter((e) => e.at >= cutoff), cutoff };
}

export interface GuardOptions {
  /** Least NDCG gain the lower bound must exceed. */
  margin: number;
  /** One-sided confidence of the lower bound, e.g. 0.95. */
  confidence: number;
  /** Bootstrap resamples, e.g. 1000. */
  resamples: number;
  rng: Rng;
  /** Fewest requesters judged on both sides. Default 20. */
  minRequesters?: number;
}

export interface GuardVerdict {
  promote: boolean;
  meanDelta: number;
  lower: number;
  upper: number;
  requesters: number;
  /** Why, in French (stored with the candidate). */
  reason: string;
}

const fmt = (x: number) => (x >= 0 ? '+' : '') + x.toFixed(3);

/** Bootstrap over requesters of the per-requester NDCG difference (candidate − current). */
export function promotionGuard(current: Map<string, number>, candidate: Map<string, number>, options: GuardOptions): GuardVerdict {
  const deltas = [...candidate].filter(([r]) => current.has(r)).map(([r, v]) => v - current.get(r)!);
  const n = deltas.length, min = options.minRequesters ?? 20;
  const meanDelta = n ? deltas.reduce((a, b) => a + b, 0) / n : NaN;
  if (n < min) {
    return { promote: false, meanDelta, lower: NaN, upper: NaN, requesters: n, reason: `Pas assez de demandeurs évalués (${n}, il en faut ${min}) : le candidat reste candidat.` };
  }
  const means = new Float64Array(options.resamples);
  for (let b = 0; b < options.resamples; b++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += deltas[Math.floor(options.rng.next() * n)];
    means[b] = s / n;
  }
  means.sort();
  const at = (q: number) => means[Math.min(means.length - 1, Math.max(0, Math.floor(q * means.length)))];
  const lower = at(1 - options.confidence), upper = at(options.confidence);
  const pct = Math.round(options.confidence * 100);
  const promote = lower > options.margin;
  const reason = promote
    ? `Promu : NDCG@10 ${fmt(meanDelta)} en moyenne sur ${n} demandeurs, borne basse à ${pct} % ${fmt(lower)} au-dessus de la marge ${options.margin}.`
    : `Non promu : NDCG@10 ${fmt(meanDelta)} en moyenne sur ${n} demandeurs, mais la borne basse à ${pct} % (${fmt(lower)}) ne dépasse pas la marge ${options.margin}.`;
  return { promote, meanDelta, lower, upper, requesters: n, reason };
}
