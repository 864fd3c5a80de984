/**
 * Stage 2, score: a pair's context (distance, text cosines, reference day), its feature vector,
 * whether a hard constraint excludes it, and its score under a model — one linear function of the
 * named features (see ranking/model.ts), so every score can be explained.
 */
import { isExcluded } from '../features/constraints.ts';
import { computeFeatures, type PairContext } from '../features/index.ts';
import { haversineKm } from '../geo/distance.ts';
import type { ResourceProfile, StructureProfile } from '../profiles/profiles.ts';
import { score, type RankingModel } from '../ranking/model.ts';
import { cosine } from '../retrieval/documents.ts';

/**
 * The pair's context, written into `into` (the scoring loop reuses one object). `needCosine`, the
 * cosine of the structure's need and the resource's text, may come from a DenseQuery of the side
 * that stays the same over a query's candidates.
 */
export function pairContext(
  s: StructureProfile, r: ResourceProfile, asOfDay: number, textCosine: number, into?: PairContext,
  needCosine: number = cosine(s.needVector, r.vector),
): PairContext {
  const pair = into ?? { distanceKm: 0, textCosine: 0, needCosine: 0, asOfDay };
  pair.distanceKm = haversineKm(s.lat, s.lon, r.lat, r.lon);
  pair.textCosine = textCosine;
  pair.needCosine = needCosine;
  pair.asOfDay = asOfDay;
  return pair;
}

/** Whether a hard constraint (area, eligibility, dates, required access) excludes the pair. */
export const excludes = (s: StructureProfile, r: ResourceProfile, pair: PairContext): boolean => isExcluded(s, r, pair);

/** The pair's score under the model; its feature vector is written into `features`. */
export function scorePair(s: StructureProfile, r: ResourceProfile, pair: PairContext, model: RankingModel, features: Float64Array): number {
  return score(computeFeatures(s, r, pair, features), model);
}
