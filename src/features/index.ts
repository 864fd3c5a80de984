/**
 * The features, in the order of the feature vector. A model gives one weight per name; the
 * engine computes them all for every scored pair and logs the vector with each ranking.
 */
import { accessibilityFit } from './accessibility.ts';
import { amountFitFeature } from './amount.ts';
import { availabilityFit } from './availability.ts';
import { capacityFit } from './capacity.ts';
import { conceptFitFeature } from './concept.ts';
import { eligibilityFit } from './eligibility.ts';
import type { Feature, PairContext } from './feature.ts';
import { geographyFit } from './geography.ts';
import { needAmountFeature } from './need-amount.ts';
import { periodFit } from './period.ts';
import { pillarFit } from './pillar.ts';
import type { ResourceProfile, StructureProfile } from '../profiles/profiles.ts';
import { skillsFit } from './skills.ts';
import { needSimilarity, textSimilarity } from './text.ts';

export const FEATURES: readonly Feature[] = [
  textSimilarity, needSimilarity, conceptFitFeature, pillarFit, geographyFit, eligibilityFit,
  availabilityFit, capacityFit, accessibilityFit, skillsFit, amountFitFeature, needAmountFeature, periodFit,
];

export const FEATURE_NAMES: readonly string[] = FEATURES.map((f) => f.name);

/** The feature vector of a pair, written into `out` (length FEATURES.length). */
export function computeFeatures(s: StructureProfile, r: ResourceProfile, pair: PairContext, out: Float64Array): Float64Array {
  for (let i = 0; i < FEATURES.length; i++) out[i] = FEATURES[i].compute(s, r, pair);
  return out;
}

export type { Feature, PairContext } from './feature.ts';
