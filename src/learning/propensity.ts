/**
 * Position bias, estimated from the logs rather than assumed. In a small configured share of the
 * rankings served, two adjacent items (shown positions k and k+1) are swapped at random
 * (`chooseSwap`, RandPair-style intervention). Because the swap is random, the item the model put
 * at k has the same relevance on average whether it is shown at k or at k+1; so the ratio of the
 * click rates (any positive event) of the same items at the two positions estimates the relative
 * examination propensity p(k+1)/p(k):
 *
 *   r_k = [rate(A at k+1 | swapped) + rate(B at k+1 | not swapped)] / [rate(A at k | not swapped) + rate(B at k | swapped)]
 *
 * where A is the item the model ranked k and B the one it ranked k+1. The ratios are chained into
 * p(k)/p(1), smoothed (each raw log-ratio shrunk towards a power-law fit p(k) = k^-η by precision:
 * a ratio resting on few clicks is pulled more), clipped to [minRatio, 1], floored at minPropensity.
 */
import type { Rng, TrainingExample } from './events.ts';

export interface PropensityOptions {
  /** Positions estimated (beyond, the last value holds). Default 10. */
  maxPosition?: number;
  /** How far (standard deviation of the log-ratio) a ratio may plausibly stray from the power-law fit: the
   *  smaller, the more a noisy raw ratio is pulled towards the fit. Default 0.05. */
  priorSd?: number;
  /** Lowest ratio p(k+1)/p(k) kept. Default 0.3. */
  minRatio?: number;
  /** Lowest propensity kept (the inverse weight is at most its inverse). Default 0.05. */
  minPropensity?: number;
}

export interface Propensities {
  /** p(k)/p(1) for k = 1..maxPosition (index k-1); p(1) = 1. */
  values: Float64Array;
  /** Raw ratios p(k+1)/p(k) from the swaps (NaN where no swap at k was logged). */
  rawRatios: Float64Array;
  /** Smoothed, clipped ratios that were chained. */
  ratios: Float64Array;
  /** Number of swapped rankings at each k. */
  swaps: Int32Array;
  /** Exponent of the power-law fit (0 when nothing could be estimated). */
  eta: number;
  /** False when no swap was logged: all propensities 1, no correction. */
  estimated: boolean;
}

/** The propensity of a shown position (1-based); positions beyond the estimate keep the last value. */
export function propensityAt(p: Propensities, position: number): number {
  const v = p.values;
  return v[Math.min(Math.max(position, 1), v.length) - 1];
}

/** No correction: every position examined alike. */
export function uniformPropensities(maxPosition = 10): Propensities {
  return {
    values: new Float64Array(maxPosition).fill(1), rawRatios: new Float64Array(maxPosition - 1).fill(NaN),
    ratios: new Float64Array(maxPosition - 1).fill(1), swaps: new Int32Array(maxPosition - 1), eta: 0, estimated: false,
  };
}

/**
 * At serving time: whether this ranking of n items gets a random adjacent swap and where. With
 * probability `share`, k uniform in 1..min(n, maxPosition)-1 (positions k and k+1 are swapped); else null.
 */
export function chooseSwap(rng: Rng, n: number, share: number, maxPosition = 10): number | null {
  const m = Math.min(n, maxPosition);
  if (m < 2 || !(rng.next() < share)) return null;
  return 1 + Math.min(m - 2, Math.floor(rng.next() * (m - 1)));
}

/** A copy of a ranked list with positions k and k+1 (1-based) swapped; the same list when k is null. */
export function applySwap<T>(items: readonly T[], k: number | null): T[] {
  const out = items.slice();
  if (k === null || k < 1 || k >= out.length) return out;
  [out[k - 1], out[k]] = [out[k], out[k - 1]];
  return out;
}

/** Clicks and impressions per shown position, for control rankings and rankings swapped at k. */
interface Counts { ctlClicks: Float64Array; ctlShown: Float64Array; swClicks: Float64Array; swShown: Float64Array }

/**
 * Estimates the examination propensities from logged rankings (all of them, acted on or not:
 * build the examples with `keepSilent`). A click is any positive label.
 */
export function estimatePropensities(examples: readonly TrainingExample[], options: PropensityOptions = {}): Propensities {
  const K = options.maxPosition ?? 10;
  const priorPrecision = 1 / (options.priorSd ?? 0.05) ** 2, minRatio = options.minRatio ?? 0.3, minP = options.minPropensity ?? 0.05;
  // counts[k-1]: for the pair (k, k+1), index 0 = position k, 1 = position k+1.
  const counts: Counts[] = Array.from({ length: K - 1 }, () => ({
    ctlClicks: new Float64Array(2), ctlShown: new Float64Array(2), swClicks: new Float64Array(2), swShown: new Float64Array(2),
  }));
  for (const e of examples) {
    const clickAt = new Float64Array(K + 1); // by shown position
    const shown = new Uint8Array(K + 1);
    for (let i = 0; i < e.n; i++) {
      const pos = e.positions[i];
      if (pos < 1 || pos > K) continue;
      shown[pos] = 1;
      if (e.labels[i] > 0) clickAt[pos] = 1;
    }
    for (let k = 1; k < K; k++) {
      if (!shown[k] || !shown[k + 1]) continue;
      const c = counts[k - 1];
      if (e.swap === k) {
        c.swShown[0]++; c.swShown[1]++; c.swClicks[0] += clickAt[k]; c.swClicks[1] += clickAt[k + 1];
      } else if (e.swap === null || e.swap === undefined || e.swap < k - 1 || e.swap > k + 1) {
        c.ctlShown[0]++; c.ctlShown[1]++; c.ctlClicks[0] += clickAt[k]; c.ctlClicks[1] += clickAt[k + 1];
      }
    }
  }
  const rawRatios = new Float64Array(K - 1).fill(NaN);
  const precision = new Float64Array(K - 1); // 1 / variance of the raw log-ratio (Poisson counts)
  const swaps = new Int32Array(K - 1);
  for (let k = 1; k < K; k++) {
    const c = counts[k - 1];
    swaps[k - 1] = c.swShown[0];
    if (c.swShown[0] === 0 || c.ctlShown[0] === 0) continue;
    const eps = 0.5 / (c.swShown[0] + c.ctlShown[0]);
    // A = the model's item at k, B = the model's item at k+1.
    const aAtK = c.ctlClicks[0] / c.ctlShown[0], bAtK1 = c.ctlClicks[1] / c.ctlShown[1];
    const bAtK = c.swClicks[0] / c.swShown[0], aAtK1 = c.swClicks[1] / c.swShown[1];
    const num = aAtK1 + bAtK1 + eps, den = aAtK + bAtK + eps;
    rawRatios[k - 1] = num / den;
    const varNum = (aAtK1 + eps) / c.swShown[1] + (bAtK1 + eps) / c.ctlShown[1];
    const varDen = (aAtK + eps) / c.ctlShown[0] + (bAtK + eps) / c.swShown[0];
    precision[k - 1] = 1 / (varNum / (num * num) + varDen / (den * den));
  }
  if (swaps.every((s) => s === 0)) return uniformPropensities(K);
  // Power-law fit: log r_k = -η log((k+1)/k), weighted least squares through the origin.
  let num = 0, den = 0;
  for (let k = 1; k < K; k++) {
    if (Number.isNaN(rawRatios[k - 1])) continue;
    const x = Math.log((k + 1) / k), y = Math.log(Math.min(Math.max(rawRatios[k - 1], minRatio), 1 / minRatio));
    num += precision[k - 1] * x * y; den += precision[k - 1] * x * x;
  }
  const eta = den > 0 ? Math.max(0, -num / den) : 0;
  const ratios = new Float64Array(K - 1);
  const values = new Float64Array(K);
  values[0] = 1;
  for (let k = 1; k < K; k++) {
    const fit = -eta * Math.log((k + 1) / k);
    const raw = rawRatios[k - 1];
    const w = Number.isNaN(raw) ? 0 : precision[k - 1];
    const logR = w === 0 ? fit : (w * Math.log(Math.max(raw, 1e-9)) + priorPrecision * fit) / (w + priorPrecision);
    ratios[k - 1] = Math.min(1, Math.max(minRatio, Math.exp(logR)));
    values[k] = Math.max(minP, values[k - 1] * ratios[k - 1]);
  }
  return { values, rawRatios, ratios, swaps, eta, estimated: true };
}
