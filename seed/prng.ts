/**
 * Small seeded pseudo-random generator (sfc32, seeded through splitmix32) and the sampling helpers
 * the seed generator needs. Pure and deterministic: the same seed always gives the same sequence,
 * on every platform (only 32-bit integer arithmetic is used).
 */

/** splitmix32 step, used to spread a single integer seed over the four sfc32 state words. */
function splitmix32(state: number): [number, number] {
  const next = (state + 0x9e3779b9) | 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return [next, (z ^ (z >>> 16)) >>> 0];
}

export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    let s = seed | 0;
    const words: number[] = [];
    for (let i = 0; i < 4; i++) {
      const [next, out] = splitmix32(s);
      s = next;
      words.push(out);
    }
    [this.a, this.b, this.c, this.d] = words as [number, number, number, number];
    for (let i = 0; i < 12; i++) this.nextUint32(); // warm-up
  }

  /** Next raw 32-bit unsigned integer (sfc32). */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [a, b], both inclusive. */
  int(a: number, b: number): number {
    return a + Math.floor(this.next() * (b - a + 1));
  }

  /** Uniform float in [a, b). */
  float(a: number, b: number): number {
    return a + this.next() * (b - a);
  }

  /** Integer in [a, b] skewed towards a: log-uniform, as sizes of organisations are. */
  logInt(a: number, b: number): number {
    const lo = Math.log(a + 1);
    const hi = Math.log(b + 1);
    return Math.min(b, Math.max(a, Math.round(Math.exp(this.float(lo, hi)) - 1)));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element of a non-empty array, uniformly. */
  pick<T>(arr: readonly T[]): T {
    if (arr.length === 0) throw new Error('pick: empty array');
    return arr[Math.floor(this.next() * arr.length)] as T;
  }

  /** One element, with probability proportional to its weight (weights ≥ 0, not all zero). */
  weightedPick<T>(items: readonly T[], weights: readonly number[]): T {
    let total = 0;
    for (const w of weights) total += w;
    let r = this.next() * total;
    for (let i = 0; i < items.length; i++) {
      r -= weights[i] ?? 0;
      if (r < 0) return items[i] as T;
    }
    return items[items.length - 1] as T;
  }

  /** A shuffled copy of the array (Fisher–Yates). */
  shuffle<T>(arr: readonly T[]): T[] {
    const out = arr.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const tmp = out[i] as T;
      out[i] = out[j] as T;
      out[j] = tmp;
    }
    return out;
  }

  /** k distinct elements (k is capped at the array length), in random order. */
  sample<T>(arr: readonly T[], k: number): T[] {
    const n = Math.min(k, arr.length);
    const pool = arr.slice();
    for (let i = 0; i < n; i++) {
      const j = i + Math.floor(this.next() * (pool.length - i));
      const tmp = pool[i] as T;
      pool[i] = pool[j] as T;
      pool[j] = tmp;
    }
    return pool.slice(0, n);
  }
}

/** A generator seeded with `seed`. */
export const createPrng = (seed: number): Prng => new Prng(seed);

/**
 * Cumulative weights of a list, for repeated weighted draws by binary search
 * (used for communes, where a linear scan over 35,000 entries per draw would be too slow).
 */
export function cumulative(weights: readonly number[]): Float64Array {
  const cum = new Float64Array(weights.length);
  let total = 0;
  for (let i = 0; i < weights.length; i++) {
    total += weights[i] ?? 0;
    cum[i] = total;
  }
  return cum;
}

/** Index drawn from cumulative weights (see `cumulative`), by binary search. */
export function pickIndex(rng: Prng, cum: Float64Array): number {
  const total = cum[cum.length - 1] ?? 0;
  const r = rng.next() * total;
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((cum[mid] ?? 0) > r) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
