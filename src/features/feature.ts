/** A feature: a named, pure function of a (structure, resource) pair, valued in [0, 1]. */
import type { ResourceProfile, StructureProfile } from '../profiles/profiles.ts';

export interface PairContext {
  distanceKm: number;
  /** Cosine of the two full texts. */
  textCosine: number;
  /** Cosine of the structure's need (need_text, tags) with the resource's text. */
  needCosine: number;
  /** Reference day (days since 1970-01-01) for availability. */
  asOfDay: number;
}

export interface Feature {
  name: string;
  /** French label for explanations. */
  label: string;
  compute(s: StructureProfile, r: ResourceProfile, pair: PairContext): number;
}

export const clamp01 = (x: number): number => (x < 0 ? 0 : x > 1 ? 1 : x);
