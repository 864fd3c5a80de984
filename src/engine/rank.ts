/**
 * Stage 3, rank: scores the candidates of one query, keeps the best `limit` (admitted first, then,
 * when asked, the excluded ones), ties broken by id, and turns them into the answer: rank, score,
 * feature values and — stage 4, explain.ts — the reasons. Only the returned pairs keep their
 * features (computed again: cheaper than keeping 300 vectors).
 */
import type { EntityKind } from '../domain/types.ts';
import { FEATURE_NAMES, FEATURES, type PairContext } from '../features/index.ts';
import type { Analyser } from '../profiles/analysis.ts';
import type { ResourceProfile, StructureProfile } from '../profiles/profiles.ts';
import type { Collection } from '../retrieval/collection.ts';
import { DenseQuery } from '../retrieval/documents.ts';
import { TopK } from '../retrieval/top-k.ts';
import { acrossMask, FLOAT32_SLACK, pairBound, textFeatureBound } from './bounds.ts';
import type { Candidates } from './candidates.ts';
import { explainPair } from './explain.ts';
import type { RankRequest } from './request.ts';
import { excludes, pairContext, scorePair } from './score.ts';
import type { MatchList, MatchResult } from './types.ts';

/** The two sides of one query: the query's own profile on one, the candidates' collection on the other. */
export interface Sides {
  structureAt: (slot: number) => StructureProfile;
  resourceAt: (slot: number) => ResourceProfile;
  other: Collection<StructureProfile> | Collection<ResourceProfile>;
}

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

const NEED_TEXT = FEATURE_NAMES.indexOf('need_text');
/** Left to the bound for the rounding of its sums: a pair is skipped only when it is sure not to enter. */
const BOUND_SLACK = 1e-9;

/** The query's side of the need cosine (its text for a resource, its need for a structure), spread once per query. */
const NEED = new DenseQuery();
/** The query's text, spread at the first exact text cosine of a query whose candidates came with approximate ones. */
const TEXT_QUERY = new DenseQuery();

/** The named, rounded values of a pair's features (in FEATURE_NAMES order: the answer's key order). */
function featureValues(features: Float64Array): Record<string, number> {
  const values: Record<string, number> = {};
  for (let k = 0; k < FEATURE_NAMES.length; k++) values[FEATURE_NAMES[k]] = round4(features[k]);
  return values;
}

export function rank(
  a: Analyser, query: { kind: EntityKind; id: string }, candidates: Candidates, request: RankRequest, sides: Sides,
): MatchList {
  const { structureAt, resourceAt, other } = sides;
  const { model } = request;
  const idOf = (slot: number) => other.profiles[slot].entity.id;
  const before = (x: number, y: number) => idOf(x) < idOf(y);
  const admitted = new TopK(request.limit, before);
  const excluded = new TopK(request.includeExcluded ? request.limit : 0, before);
  const features = new Float64Array(FEATURE_NAMES.length);
  const pair: PairContext = { distanceKm: 0, textCosine: 0, needCosine: 0, asOfDay: request.asOfDay };
  const textOf = new Map<number, number>();
  // the need cosine, cosine(structure's need, resource's text): one of the two is the query's, spread at the first pair
  let need: DenseQuery | undefined;
  const byStructure = query.kind === 'structure';
  // Best text first, so that the page fills early with good scores; then a candidate whose score
  // cannot reach the page's last one (bounds.ts: the text part exact, the rest bounded) is not
  // scored. The page is the same in any order: ties are broken by id.
  const order = new Int32Array(candidates.slots.length); // typed: Array.from(slots, fn) allocates per element
  for (let i = 0; i < order.length; i++) order[i] = i;
  // A comparator answering -1, 0 or 1: a difference of two doubles is a heap number the sort
  // allocates at each comparison (about 40 KB a query of 300 candidates).
  const { cosines } = candidates;
  order.sort((x, y) => (cosines[y] > cosines[x] ? 1 : cosines[y] < cosines[x] ? -1 : 0));
  const prune = !request.includeExcluded && request.limit > 0;
  const w = model.weights;
  let queryAcross: number | undefined;
  // Approximate cosines (candidates.ts) bound the text feature within their slack; a candidate the
  // bound keeps gets its exact cosine before it is scored (the products and order of search's).
  const approximate = candidates.approximate === true;
  let text: DenseQuery | undefined;
  for (let n = 0; n < order.length; n++) {
    const i = order[n], slot = candidates.slots[i];
    if (!other.isAlive(slot) || (request.allow && !request.allow(idOf(slot), other.profiles[slot].entity))) continue;
    const s = structureAt(slot), r = resourceAt(slot);
    if (request.pillar && !(query.kind === 'structure' ? r.entity.pillar === request.pillar : s.entity.needs.includes(request.pillar))) continue;
    need ??= NEED.load(byStructure ? s.needVector : r.vector);
    pairContext(s, r, request.asOfDay, cosines[i], pair, need.dot(byStructure ? r.vector : s.needVector));
    if (prune && admitted.size === request.limit) {
      const across = byStructure ? (queryAcross ??= acrossMask(s)) : acrossMask(s);
      const most = pairBound(s, across, r, pair, model)
        + textFeatureBound(model, pair.textCosine, approximate ? FLOAT32_SLACK : 0) + w[NEED_TEXT] * FEATURES[NEED_TEXT].compute(s, r, pair);
      if (most < admitted.scores[0] - BOUND_SLACK) continue;
    }
    if (approximate) {
      text ??= TEXT_QUERY.load(byStructure ? s.vector : r.vector);
      pair.textCosine = text.dot(byStructure ? r.vector : s.vector);
    }
    const out = excludes(s, r, pair);
    if (out && !request.includeExcluded) continue;
    const value = scorePair(s, r, pair, model, features);
    const list = out ? excluded : admitted;
    if (!list.accepts(value)) continue;
    list.push(slot, value);
    textOf.set(slot, pair.textCosine);
  }
  // Literals, not `{ ...x, out }`: V8 (Node 20) promotes what that spread allocates to the old
  // generation, about 90 bytes a result (8 KB a request at limit 100), which nothing then holds.
  const ordered = [
    ...admitted.sorted().map((x) => ({ slot: x.slot, score: x.score, out: false })),
    ...excluded.sorted().map((x) => ({ slot: x.slot, score: x.score, out: true })),
  ].slice(0, request.limit);
  const results: MatchResult[] = ordered.map(({ slot, score: value, out }, i) => {
    const s = structureAt(slot), r = resourceAt(slot);
    const context = pairContext(s, r, request.asOfDay, textOf.get(slot)!);
    scorePair(s, r, context, model, features);
    const candidate = query.kind === 'structure' ? r : s;
    const result: MatchResult = {
      id: candidate.entity.id,
      kind: candidate.kind,
      rank: i + 1,
      score: round4(value),
      label: candidate.kind === 'resource' ? r.entity.title : s.entity.name,
      features: featureValues(features),
      excluded: out,
    };
    if (request.explain) result.explanation = explainPair(a, query.kind, s, r, context, features, model);
    return result;
  });
  return { query, asOf: request.asOf, modelVersion: model.version, results };
}
