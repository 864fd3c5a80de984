/**
 * Upper bounds of a pair's score that are cheap to compute, for a search that must not miss what
 * full scoring would rank (exact.ts). The score is linear (ranking/model.ts): each feature's
 * contribution is at most its weight times the feature's largest possible value (its smallest, for
 * a negative weight). The bounds split the score in two:
 *
 *   - the text part, weight(text)·√cos + weight(need_text)·√needCos, bounded from a bound of the
 *     text cosine alone: a structure's need vector holds a subset of its text's terms, each weighing
 *     at least `needRatio` times less in the full text, so needCos ≤ cos / needRatio;
 *   - the rest, bounded for a pair (`pairBound`: the features a few comparisons compute exactly,
 *     the others by what their inputs allow: pillar by the masks, geography by the offer's scope) or
 *     for a whole group of records of the other side that shares those inputs (`structureGroupBound`,
 *     `resourceGroupBound`).
 *
 * Every bound is ≥ the value the features compute: the tests check it on every pair of a dataset.
 */
import { accessibilityOf } from '../features/accessibility.ts';
import { availabilityFit } from '../features/availability.ts';
import { capacityFit } from '../features/capacity.ts';
import { amountFitFeature } from '../features/amount.ts';
import { conceptFit, UNKNOWN } from '../features/concept.ts';
import { FEATURE_NAMES, type PairContext } from '../features/index.ts';
import { SCOPE_FIT } from '../features/geography.ts';
import { needAmountOf } from '../features/need-amount.ts';
import { periodFit } from '../features/period.ts';
import { NAMED_IN_TEXT, pillarFit } from '../features/pillar.ts';
import { PILLARS, SCOPES, type Scope } from '../domain/types.ts';
import type { ResourceProfile, StructureProfile } from '../profiles/profiles.ts';
import type { RankingModel } from '../ranking/model.ts';
import type { SparseVector } from '../retrieval/documents.ts';

const at = (name: string): number => FEATURE_NAMES.indexOf(name);
const TEXT = at('text'), NEED_TEXT = at('need_text'), CONCEPT = at('need_concept'), PILLAR = at('pillar'), GEOGRAPHY = at('geography');
const SKILLS = at('skills'), ELIGIBILITY = at('eligibility');
/** Features a few comparisons compute exactly from the two records and the date (no distance, no text). */
const EXACT = ['availability', 'capacity', 'accessibility', 'amount', 'need_amount', 'need_period'].map(at);
/** Features bounded here; any other (a feature added later) is bounded by [0, 1]. */
const BOUNDED = new Set([TEXT, NEED_TEXT, CONCEPT, PILLAR, GEOGRAPHY, SKILLS, ELIGIBILITY, ...EXACT]);
if ([...BOUNDED].some((i) => i < 0)) throw new Error('engine/bounds.ts: a feature it bounds is no longer in FEATURE_NAMES');

/** A contribution's upper bound when the feature lies in [lo, hi]. */
const most = (w: number, lo: number, hi: number): number => (w >= 0 ? w * hi : w * lo);

/** The range of geography for an offer of this scope (geography.ts: a national offer has one value everywhere). */
const GEOGRAPHY_HI: Record<Scope, number> = { ...SCOPE_FIT, local: 1 };
const GEOGRAPHY_LO: Record<Scope, number> = { national: SCOPE_FIT.national, regional: 0, departmental: 0, local: 0 };

/**
 * What the bounds read of a structure beyond its profile: the pillars a precise need of its text
 * may be answered across (pillar.ts answerAcross) and its need ratio (see needRatio).
 */
export interface StructureTraitsForBounds { acrossMask: number; needRatio: number }

/** Pillars of the precise needs its text states in a ticked pillar: an offer of another pillar may answer them (pillar 0.6). */
export function acrossMask(s: StructureProfile): number {
  let mask = 0;
  for (const c of s.needConcepts) if (c.field === 'need_text' && !c.generic && (c.pillarMask & s.needsMask) !== 0) mask |= c.pillarMask;
  return mask;
}

/**
 * The least ratio, over the terms of the need vector, of their weight in the full text vector to
 * their weight in the need vector (Infinity without a need vector): needCos ≤ cos / needRatio for
 * any resource, since both vectors have non-negative weights. Shaved by a millionth for rounding.
 */
export function needRatio(vector: SparseVector, need: SparseVector): number {
  let ratio = Infinity;
  for (let i = 0, j = 0; i < need.ids.length; i++) {
    while (j < vector.ids.length && vector.ids[j] < need.ids[i]) j++;
    if (j === vector.ids.length || vector.ids[j] !== need.ids[i] || need.weights[i] <= 0) return 0;
    ratio = Math.min(ratio, vector.weights[j] / need.weights[i]);
  }
  return ratio * (1 - 1e-6);
}

/** Upper bound of the text part for a text cosine of at most `cos` and a structure's need ratio. */
export function textBound(model: RankingModel, cos: number, ratio: number): number {
  const c = Math.min(1, Math.max(0, cos));
  const need = ratio === Infinity ? 0 : ratio <= 0 ? 1 : Math.min(1, c / ratio);
  return most(model.weights[TEXT], 0, Math.sqrt(c)) + most(model.weights[NEED_TEXT], 0, Math.sqrt(need));
}

const root = (x: number): number => Math.sqrt(Math.min(1, Math.max(0, x)));

/**
 * Relative slack on a cosine the inverted index accumulates: its weights and sums are float32
 * (each rounding within 6e-8 relative, all terms non-negative), so it may lie below the exact
 * cosine by a few millionths for a long vector.
 */
export const FLOAT32_SLACK = 1e-4;

/** Upper bound of one text feature's contribution (`text` or `need_text`, by index) for a cosine known within a relative `error` (0: exact, its contribution). */
const cosineFeatureBound = (model: RankingModel, feature: number, cos: number, error: number): number =>
  most(model.weights[feature], root(cos * (1 - error)), root(cos * (1 + error)));

/** Upper bound of the `text` feature's contribution for a cosine known within a relative `error` (0: exact, its contribution). */
export const textFeatureBound = (model: RankingModel, cos: number, error: number): number => cosineFeatureBound(model, TEXT, cos, error);

/**
 * Upper bound of the text part for cosines known within a relative `error` (as the inverted index
 * accumulates them in float32): each feature's contribution taken at the end of its range that the
 * sign of its weight favours.
 */
export function textPartBound(model: RankingModel, cos: number, needCos: number, error: number): number {
  return textFeatureBound(model, cos, error) + cosineFeatureBound(model, NEED_TEXT, needCos, error);
}

/**
 * textPartBound for a need cosine known only to lie between 0 and `needAtMost` (a record whose need
 * shares with the query only terms whose lists were not read for it): at 0 when the need's weight is negative.
 */
export function textPartBoundUpTo(model: RankingModel, cos: number, needAtMost: number, error: number): number {
  return textFeatureBound(model, cos, error) + most(model.weights[NEED_TEXT], 0, root(needAtMost * (1 + error)));
}

/**
 * The least text cosine whose text bound reaches `delta` (Infinity when none does): a record whose
 * cosine stays below it cannot gain `delta` from the texts. Bisection over the monotone textBound.
 */
export function textThreshold(model: RankingModel, delta: number, ratio: number): number {
  if (delta <= 0) return 0;
  if (textBound(model, 1, ratio) < delta) return Infinity;
  let lo = 0, hi = 1;
  for (let i = 0; i < 50; i++) {
    const mid = (lo + hi) / 2;
    if (textBound(model, mid, ratio) >= delta) hi = mid; else lo = mid;
  }
  return lo;
}

/** The most need_concept and pillar can add, from the masks alone (no loop over concepts). */
function conceptPillarMost(s: StructureProfile, across: number, r: ResourceProfile, w: Float64Array): number {
  // Without a precise need read in the texts, need_concept is unknown, unless a banking offer covers a sum named (concept.ts).
  const concept = s.needConcepts.length > 0 ? most(w[CONCEPT], 0, 1) : w[CONCEPT] * (needAmountOf(s, r) === 1 ? 1 : UNKNOWN);
  const m = r.pillarMask;
  const pillar = (s.needsMask & m) !== 0 ? w[PILLAR] : (s.textPillarsMask & m) !== 0 ? w[PILLAR] * NAMED_IN_TEXT
    : (across & ~m) !== 0 ? most(w[PILLAR], 0, NAMED_IN_TEXT) : 0;
  return concept + pillar;
}

/** What `open` features (bounded by [0, 1] alone) and eligibility (1 for an admitted pair) add, per model. */
const openParts = new WeakMap<RankingModel, number>();
function openPart(model: RankingModel): number {
  let part = openParts.get(model);
  if (part === undefined) {
    part = model.bias + model.weights[ELIGIBILITY];
    for (let i = 0; i < model.weights.length; i++) if (!BOUNDED.has(i)) part += most(model.weights[i], 0, 1);
    openParts.set(model, part);
  }
  return part;
}

/**
 * Upper bound of everything but the text part of an admitted pair's score, from the masks and the
 * few features computed exactly here (they read nothing of `pair` but its date).
 */
export function pairBound(s: StructureProfile, across: number, r: ResourceProfile, pair: PairContext, model: RankingModel): number {
  const w = model.weights;
  return openPart(model) + conceptPillarMost(s, across, r, w)
    + most(w[GEOGRAPHY], GEOGRAPHY_LO[r.scope], GEOGRAPHY_HI[r.scope])
    + (r.skillStems.length === 0 ? 0.5 * w[SKILLS] : most(w[SKILLS], 0, 1))
    + w[EXACT[0]] * availabilityFit.compute(s, r, pair) + w[EXACT[1]] * capacityFit.compute(s, r, pair)
    + w[EXACT[2]] * accessibilityOf(s, r) + w[EXACT[3]] * amountFitFeature.compute(s, r, pair)
    + w[EXACT[4]] * needAmountOf(s, r) + w[EXACT[5]] * periodFit.compute(s, r, pair);
}

/** pairBound made sharper by computing need_concept and pillar exactly (loops over the concepts: for the pairs that got this far). */
export function sharpBound(bound: number, s: StructureProfile, across: number, r: ResourceProfile, pair: PairContext, model: RankingModel): number {
  const w = model.weights;
  return bound - conceptPillarMost(s, across, r, w) + w[CONCEPT] * conceptFit(s, r) + w[PILLAR] * pillarFit.compute(s, r, pair);
}

const BANKING = 1 << PILLARS.indexOf('banking');

/** What pairBound allows, before the terms of one resource group: the features that read the resource at their widest. */
function openBound(model: RankingModel, skip: ReadonlySet<number>): number {
  let bound = model.bias;
  for (let i = 0; i < model.weights.length; i++) if (!skip.has(i) && i !== TEXT && i !== NEED_TEXT) bound += most(model.weights[i], 0, 1);
  return bound;
}

/**
 * For a structure: the bound of its pairs with any resource of a pillar and scope, per group
 * (index pillar × SCOPES.length + scope), the text part left out.
 */
export function resourceGroupBounds(s: StructureProfile, across: number, model: RankingModel): Float64Array {
  const w = model.weights;
  const base = openBound(model, new Set([ELIGIBILITY, CONCEPT, PILLAR, GEOGRAPHY, EXACT[4]])) + w[ELIGIBILITY];
  const out = new Float64Array(PILLARS.length * SCOPES.length);
  PILLARS.forEach((_, p) => {
    const mask = 1 << p;
    const [pLo, pHi] = (s.needsMask & mask) !== 0 ? [1, 1] : (s.textPillarsMask & mask) !== 0 ? [NAMED_IN_TEXT, NAMED_IN_TEXT] : (across & ~mask) !== 0 ? [0, NAMED_IN_TEXT] : [0, 0];
    // need_amount reads only a banking offer of a structure that ticks banking; concept is unknown without precise needs, or 1 by a sum.
    const reads = mask === BANKING && (s.needsMask & BANKING) !== 0;
    const concept = s.needConcepts.length > 0 || (reads && s.needAmounts.length > 0) ? most(w[CONCEPT], 0, 1) : UNKNOWN * w[CONCEPT];
    SCOPES.forEach((scope, k) => {
      out[p * SCOPES.length + k] = base + concept + most(w[PILLAR], pLo, pHi) + most(w[GEOGRAPHY], GEOGRAPHY_LO[scope], GEOGRAPHY_HI[scope])
        + (reads ? most(w[EXACT[4]], 0, 1) : 0.5 * w[EXACT[4]]);
    });
  });
  return out;
}

/**
 * What the features of a resource alone (skills: 0.5 for an offer without skills; its
 * availability on the day) take off its group's bound in resourceGroupBounds, which allows them
 * their widest (≤ 0): a resource's pairs with a structure are bounded by its group's bound plus
 * this, pairBound computing the same two terms. Read per query for thousands of resources: kept
 * per slot (exact.ts).
 */
export function resourceOffset(r: ResourceProfile, pair: PairContext, model: RankingModel): number {
  const w = model.weights;
  const skills = r.skillStems.length === 0 ? 0.5 * w[SKILLS] - most(w[SKILLS], 0, 1) : 0;
  return skills + w[EXACT[0]] * availabilityFit.compute(undefined as never, r, pair) - most(w[EXACT[0]], 0, 1);
}

/** The group of a resource for resourceGroupBounds. */
export const resourceGroup = (r: ResourceProfile): number => (31 - Math.clz32(r.pillarMask)) * SCOPES.length + SCOPES.indexOf(r.scope);

/** How a structure's needs stand to a resource's pillar: ticked, named in its need text, maybe answered across, or none. */
export const STANDINGS = ['ticked', 'named', 'across', 'none'] as const;

export function standing(needsMask: number, textPillarsMask: number, across: number, pillarMask: number): number {
  if ((needsMask & pillarMask) !== 0) return 0;
  if ((textPillarsMask & pillarMask) !== 0) return 1;
  return (across & ~pillarMask) !== 0 ? 2 : 3;
}

/**
 * For a resource: the bound of its pairs with any structure of each standing (STANDINGS order),
 * the text part left out. The features of the resource alone (its date, skills) are exact or bounded by it.
 */
export function structureGroupBounds(r: ResourceProfile, pair: PairContext, model: RankingModel): Float64Array {
  const w = model.weights;
  const base = openBound(model, new Set([ELIGIBILITY, PILLAR, GEOGRAPHY, SKILLS, EXACT[0], EXACT[4]])) + w[ELIGIBILITY]
    + most(w[GEOGRAPHY], GEOGRAPHY_LO[r.scope], GEOGRAPHY_HI[r.scope])
    + (r.skillStems.length === 0 ? 0.5 * w[SKILLS] : most(w[SKILLS], 0, 1))
    + w[EXACT[0]] * availabilityFit.compute(undefined as never, r, pair);
  const banking = (r.pillarMask & BANKING) !== 0;
  const pillar = [[1, 1], [NAMED_IN_TEXT, NAMED_IN_TEXT], [0, NAMED_IN_TEXT], [0, 0]] as const;
  // need_amount reads a banking offer only for a structure that ticks banking (standing `ticked`).
  return Float64Array.from(STANDINGS, (_, k) => base + most(w[PILLAR], pillar[k][0], pillar[k][1])
    + (banking && k === 0 ? most(w[EXACT[4]], 0, 1) : 0.5 * w[EXACT[4]]));
}
