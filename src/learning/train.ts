/**
 * Pairwise learning to rank for the linear model (RankNet / pairwise logistic loss). From each
 * logged ranking, every pair (preferred, other) whose graded labels differ gives the difference of
 * their feature vectors; the loss is
 *
 *   L(w) = Σ ω_p log(1 + exp(-w·(x_pref − x_other))) / Σ ω_p  +  λ/2 ‖w − w_current‖²
 *
 * with ω_p = 1 / p(position of the acted item) when the position-bias correction is on (inverse
 * propensity scoring, clipped at maxWeight), else 1. The acted item is the preferred one, or the
 * other one when the pair comes from a not_interested (preferred label 0). The regularisation
 * pulls towards the current model, so little feedback moves it little. Optimised with Adam over a
 * fixed number of epochs, full batch or mini-batches shuffled by the seeded rng: deterministic for
 * a given seed. Pairs are held in typed arrays (100,000 events train in a few seconds). The bias
 * of the model cancels in pairs and is kept.
 */
import type { Rng, TrainingExample } from './events.ts';
import { propensityAt, type Propensities } from './propensity.ts';

export interface TrainOptions {
  /** Feature names, in the order of the vectors (weights are returned by name). */
  names: readonly string[];
  /** The current model: starting point and centre of the regularisation. */
  current: { weights: ArrayLike<number>; bias: number };
  /** Propensities for the correction; ignored when `correct` is false. */
  propensities?: Propensities;
  /** Position-bias correction on/off (default on when propensities are given). */
  correct?: boolean;
  /** Largest inverse-propensity weight. Default 20. */
  maxWeight?: number;
  /** L2 strength towards the current weights. Default 0.01. */
  l2?: number;
  /** Epochs. Default 150. */
  epochs?: number;
  /** Adam step size. Default 0.05. */
  learningRate?: number;
  /** Pairs per step; 0 (default) for full batch. */
  batchSize?: number;
  /** Seeded random source (shuffles mini-batches). */
  rng: Rng;
}

export interface TrainStats {
  examples: number;
  requesters: number;
  events: number;
  pairs: number;
  epochs: number;
  initialLoss: number;
  finalLoss: number;
  corrected: boolean;
  ms: number;
}

export interface TrainResult {
  /** Learned weights by feature name. */
  weights: Record<string, number>;
  /** The same, in the order of `names`. */
  vector: Float64Array;
  bias: number;
  stats: TrainStats;
}

/** Pairs of the examples: differences of feature vectors (pairs × dims) and their weights. */
export interface Pairs { count: number; dims: number; diffs: Float64Array; weights: Float64Array }

export function buildPairs(examples: readonly TrainingExample[], dims: number, weightOf: (position: number) => number): Pairs {
  let count = 0;
  for (const e of examples) {
    for (let i = 0; i < e.n; i++) for (let j = 0; j < e.n; j++) if (e.labels[i] > e.labels[j]) count++;
  }
  const diffs = new Float64Array(count * dims), weights = new Float64Array(count);
  let p = 0;
  for (const e of examples) {
    if (e.dims !== dims) throw new Error(`exemple ${e.rankingId} : ${e.dims} caractéristiques, ${dims} attendues`);
    for (let i = 0; i < e.n; i++) {
      for (let j = 0; j < e.n; j++) {
        if (!(e.labels[i] > e.labels[j])) continue;
        const acted = e.labels[i] > 0 ? i : j;
        weights[p] = weightOf(e.positions[acted]);
        const o = p * dims, a = i * dims, b = j * dims;
        for (let d = 0; d < dims; d++) diffs[o + d] = e.features[a + d] - e.features[b + d];
        p++;
      }
    }
  }
  return { count, dims, diffs, weights };
}

/** Weighted mean pairwise logistic loss plus the L2 term; adds its gradient into `grad` when given. */
function lossAndGradient(
  pairs: Pairs, idx: Int32Array, from: number, to: number, w: Float64Array, w0: Float64Array, l2: number, grad?: Float64Array,
): number {
  const { dims, diffs, weights } = pairs;
  if (grad) grad.fill(0);
  let loss = 0, total = 0;
  for (let t = from; t < to; t++) {
    const p = idx[t], o = p * dims, om = weights[p];
    let m = 0;
    for (let d = 0; d < dims; d++) m += w[d] * diffs[o + d];
    // log(1 + e^-m), stably; σ(-m) = 1 / (1 + e^m).
    loss += om * (m > 0 ? Math.log1p(Math.exp(-m)) : -m + Math.log1p(Math.exp(m)));
    total += om;
    if (grad) {
      const g = -om / (1 + Math.exp(m));
      for (let d = 0; d < dims; d++) grad[d] += g * diffs[o + d];
    }
  }
  const norm = total > 0 ? 1 / total : 0;
  let reg = 0;
  for (let d = 0; d < dims; d++) {
    const delta = w[d] - w0[d];
    reg += delta * delta;
    if (grad) grad[d] = grad[d] * norm + l2 * delta;
  }
  return loss * norm + (l2 / 2) * reg;
}

/** Learns new weights from training examples. */
export function train(examples: readonly TrainingExample[], options: TrainOptions): TrainResult {
  const started = performance.now();
  const dims = options.names.length;
  const w0 = Float64Array.from(options.current.weights);
  if (w0.length !== dims) throw new Error(`le modèle courant a ${w0.length} poids, ${dims} caractéristiques attendues`);
  const corrected = (options.correct ?? true) && options.propensities !== undefined;
  const maxWeight = options.maxWeight ?? 20;
  const weightOf = corrected
    ? (pos: number) => Math.min(maxWeight, 1 / propensityAt(options.propensities!, pos))
    : () => 1;
  const pairs = buildPairs(examples, dims, weightOf);
  const l2 = options.l2 ?? 0.01, epochs = options.epochs ?? 150, lr = options.learningRate ?? 0.05;
  const batch = options.batchSize && options.batchSize > 0 ? Math.min(options.batchSize, pairs.count) : pairs.count;
  const idx = new Int32Array(pairs.count);
  for (let i = 0; i < idx.length; i++) idx[i] = i;
  const w = Float64Array.from(w0), grad = new Float64Array(dims), m1 = new Float64Array(dims), m2 = new Float64Array(dims);
  const beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
  const initialLoss = lossAndGradient(pairs, idx, 0, pairs.count, w, w0, l2);
  let step = 0;
  for (let epoch = 0; epoch < epochs && pairs.count > 0; epoch++) {
    if (batch < pairs.count) {
      for (let i = idx.length - 1; i > 0; i--) {
        const j = Math.floor(options.rng.next() * (i + 1));
        const t = idx[i]; idx[i] = idx[j]; idx[j] = t;
      }
    }
    for (let from = 0; from < pairs.count; from += batch) {
      lossAndGradient(pairs, idx, from, Math.min(pairs.count, from + batch), w, w0, l2, grad);
      step++;
      const c1 = 1 - beta1 ** step, c2 = 1 - beta2 ** step;
      for (let d = 0; d < dims; d++) {
        m1[d] = beta1 * m1[d] + (1 - beta1) * grad[d];
        m2[d] = beta2 * m2[d] + (1 - beta2) * grad[d] * grad[d];
        w[d] -= (lr * (m1[d] / c1)) / (Math.sqrt(m2[d] / c2) + eps);
      }
    }
  }
  const finalLoss = lossAndGradient(pairs, idx, 0, pairs.count, w, w0, l2);
  const requesters = new Set(examples.map((e) => e.requester)).size;
  const events = examples.reduce((n, e) => n + e.events, 0);
  return {
    weights: Object.fromEntries(options.names.map((n, d) => [n, w[d]])),
    vector: w,
    bias: options.current.bias,
    stats: {
      examples: examples.length, requesters, events, pairs: pairs.count, epochs: pairs.count > 0 ? epochs : 0,
      initialLoss, finalLoss, corrected, ms: performance.now() - started,
    },
  };
}
