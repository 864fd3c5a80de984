/**
 * Commune sampling in proportion to population: the cumulative population array is computed once,
 * then each draw is a binary search (O(log n)), fast enough for millions of records.
 */
import { cumulative, pickIndex, type Prng } from './prng.ts';
import { displayName } from './vocab/places.ts';

/** A commune as the seed generator needs it (a subset of what src/geo provides). */
export interface SeedCommune {
  insee: string;
  name: string;
  postalCodes: string[];
  department: string;
  region: string;
  population: number;
}

const POSTAL_CODE = /^\d{5}$/;

export class CommuneSampler {
  private readonly communes: SeedCommune[];
  private readonly cum: Float64Array;

  constructor(communes: readonly SeedCommune[]) {
    // Only communes with a usable 5-digit postal code can host a record; names are shortened for text.
    this.communes = communes
      .map((c) => ({ ...c, name: displayName(c.name), postalCodes: c.postalCodes.filter((p) => POSTAL_CODE.test(p)) }))
      .filter((c) => c.postalCodes.length > 0);
    if (this.communes.length === 0) throw new Error('seed: no commune with a valid 5-digit postal code');
    const weights = this.communes.map((c) => (Number.isFinite(c.population) && c.population > 0 ? c.population : 0));
    const allZero = weights.every((w) => w === 0);
    this.cum = cumulative(allZero ? weights.map(() => 1) : weights);
  }

  /** A commune drawn with probability proportional to its population. */
  draw(rng: Prng): SeedCommune {
    return this.communes[pickIndex(rng, this.cum)] as SeedCommune;
  }

  /** One of the commune's postal codes. */
  postalCode(rng: Prng, commune: SeedCommune): string {
    const codes = commune.postalCodes;
    return codes.length === 1 ? (codes[0] as string) : rng.pick(codes);
  }
}
