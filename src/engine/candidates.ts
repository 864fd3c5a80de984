/**
 * Stage 1, candidates: the records of the other side worth scoring exactly for one query. The best
 * TEXT_CANDIDATES by text among those its area can hold (geographic blocking, see areas.ts),
 * leaving out at national scale the terms most records use; completed, when the text finds too
 * few or the nearby block is small, by the records of that block, nearest first, and by the
 * records of the asked pillar filed beyond it (`p:<pillar>`, see areas.ts) when that list is
 * small: an offer of the pillar a structure ticks may share no word with its need (« nos clients
 * paient à 90 jours » and « facilité de caisse »), and then only its pillar, scope and figures can
 * bring it up, as they do for the offers next door. Each candidate comes with its exact text cosine.
 */
import { inArea, inOwnArea, servedDeliveryArea, servedNamedArea } from '../features/geography.ts';
import { haversineKm, KM_PER_DEGREE } from '../geo/distance.ts';
import type { ResourceProfile, StructureProfile } from '../profiles/profiles.ts';
import type { Collection } from '../retrieval/collection.ts';
import { DenseQuery, type SparseVector } from '../retrieval/documents.ts';
import { TopK } from '../retrieval/top-k.ts';
import { PILLARS } from '../domain/types.ts';
import { departmentKey, pillarKey, resourcesServing, structuresServedBy } from './areas.ts';
import type { Index } from './index.ts';

/** The reach beyond which outsideBox draws no box (its slack holds up to there). */
export const BOX_MAX_REACH_KM = 1000;

/** Candidates taken from the text index before exact scoring. */
export const TEXT_CANDIDATES = 300;
/** Terms held by more than this share of a collection (and more than the floor) do not generate candidates… */
export const COMMON_TERM_SHARE = 0.01;
export const COMMON_TERM_FLOOR = 1000;
/** …except the query's rarest few. */
export const RAREST_TERMS_KEPT = 4;
/** A nearby block (the département, or a local offer's cells) of at most this many slots (dead ones counted) is always scanned. */
export const SMALL_BLOCK = 500;

/**
 * Candidates of one query: slots of the other side and their text cosines, exact unless
 * `approximate` (then each lies within FLOAT32_SLACK, relative, of the exact one: the inverted
 * index's float32 sums of every term of the query; rank.ts computes the exact cosine only for the
 * candidates its bound cannot leave out, about two in five).
 */
export interface Candidates { slots: Int32Array; cosines: Float64Array; approximate?: boolean }

/** What candidate generation needs of the request. */
export interface CandidateRequest { limit: number; includeExcluded: boolean }

/** The query vector of the search under way, spread for its cosines (the engine is synchronous: one at a time). */
const QUERY = new DenseQuery();

const sizeOf = (lists: readonly (readonly number[])[]) => lists.reduce((n, list) => n + list.length, 0);

/** inArea, computing the distance only for local offers and only when a bounding box allows it. */
export function inAreaFast(s: StructureProfile, r: ResourceProfile): boolean {
  if (r.scope !== 'local') return inArea(s, r, 0);
  return inOwnBox(s, r) || servedDeliveryArea(s, r) !== undefined || servedNamedArea(s, r) !== undefined;
}

/**
 * A structure that a local offer reaches only through the offer's own area: it names no place in
 * its need and has no delivery area, so that inAreaFast is inOwnBox for it (servedNamedArea and
 * servedDeliveryArea give nothing). Beyond the offer's box (outsideBox), the pair is out of its area.
 */
export const reachedAtSiteOnly = (s: StructureProfile): boolean => s.namedPlaces.length === 0 && s.deliveryAreas.length === 0;

/** How far a local offer's own area reaches at most (its box), -1 for a wider scope (no box). */
export const localReachOf = (r: ResourceProfile): number => (r.scope === 'local' ? r.maxReachKm : -1);

function inOwnBox(s: StructureProfile, r: ResourceProfile): boolean {
  if (outsideBox(s.lat, s.lon, r.lat, r.lon, r.maxReachKm)) return false;
  return inOwnArea(s, r, haversineKm(s.lat, s.lon, r.lat, r.lon));
}

/**
 * Whether a site lies beyond `reachKm` of another by a bounding box alone (then no distance is
 * computed): a local offer reaches no structure so placed through its own area (inOwnBox). Never
 * true of two sites within `reachKm` by haversineKm, up to BOX_MAX_REACH_KM (beyond, no box).
 */
export function outsideBox(lat: number, lon: number, lat2: number, lon2: number, reachKm: number): boolean {
  if (reachKm > BOX_MAX_REACH_KM) return false;
  // The box is not an exact lower bound of great-circle distances: a great circle between two
  // sites bows towards the pole, shorter than the parallel by about Δλ²·sin²φ/24 of it (0.31 % at
  // 1,000 km and 60° of latitude). Slack: 0.5 % and 1 km.
  const reach = reachKm * 1.005 + 1;
  if (Math.abs(lat - lat2) * KM_PER_DEGREE > reach) return true;
  // East-west: degrees shrink with the cosine of the latitude; the higher latitude keeps it a lower bound.
  return Math.abs(lon - lon2) * KM_PER_DEGREE * Math.cos((Math.max(Math.abs(lat), Math.abs(lat2)) * Math.PI) / 180) > reach;
}

/**
 * Postings length above which a query term does not generate candidates: a term held by more
 * than COMMON_TERM_SHARE of the collection (and more than COMMON_TERM_FLOOR records) costs the
 * most and ranks the least; but the RAREST_TERMS_KEPT rarest terms of the query that this side uses always search.
 */
function commonTermLimit<P extends StructureProfile | ResourceProfile>(vector: SparseVector, from: Collection<P>): { limit: number; skips: boolean } {
  const base = Math.max(COMMON_TERM_FLOOR, COMMON_TERM_SHARE * from.size);
  const lengths = Array.from(vector.ids, (id) => from.postings(id)).filter((n) => n > 0).sort((a, b) => a - b);
  const limit = Math.max(base, lengths[Math.min(RAREST_TERMS_KEPT, lengths.length) - 1] ?? 0);
  return { limit, skips: lengths.length > 0 && lengths[lengths.length - 1] > limit };
}

/**
 * The best TEXT_CANDIDATES in the area by text, with their cosines (see Candidates). The search scores only
 * the records filed under `areaKeys` (all when undefined) and `alsoSlots`. The records of a
 * nearby `block` complete them when it is small or the text finds fewer than the page asked for
 * (a local offer nobody describes alike): list by list, nearest first, until TEXT_CANDIDATES are
 * found. `admissible` checks a record the keys give (undefined when they give only records in the area).
 */
function search<P extends StructureProfile | ResourceProfile>(
  vector: SparseVector, from: Collection<P>, block: readonly (readonly number[])[], areaKeys: string[] | undefined,
  admissible: ((p: P) => boolean) | undefined, limit: number, alsoSlots: readonly number[] = [], pillarLists: readonly (readonly number[])[] = [],
): Candidates {
  // Ties (records of the same cosine, often 0 in a scanned list) go by id, not by slot: the
  // candidates do not depend on the order the records were indexed in.
  const top = new TopK(TEXT_CANDIDATES, (x, y) => from.profiles[x].entity.id < from.profiles[y].entity.id);
  const query = QUERY.load(vector);
  const common = commonTermLimit(vector, from);
  const hits = from.search(vector, common.limit, areaKeys, alsoSlots);
  const { hitSlots, hitScores } = from;
  for (let i = 0; i < hits; i++) {
    const slot = hitSlots[i], value = hitScores[i];
    if (top.accepts(value) && (admissible === undefined || admissible(from.profiles[slot]))) top.push(slot, value);
  }
  const found = top.size;
  const lists = [...(sizeOf(block) <= SMALL_BLOCK || found < limit ? block : []), ...pillarLists.filter((l) => l.length <= SMALL_BLOCK)];
  if (lists.length > 0) {
    from.visitLists(lists, top.slots.subarray(0, found), () => top.size === TEXT_CANDIDATES, (slot) => {
      // The cosine first: once the top is full, most of a dense list cannot enter it, and the area check costs more.
      const value = query.dot(from.profiles[slot].vector);
      if (top.accepts(value) && (admissible === undefined || admissible(from.profiles[slot]))) top.push(slot, value);
    });
  }
  const slots = top.slots.slice(0, top.size);
  // A search that read every term of the query summed each hit's whole cosine (in float32), and
  // the lists' records have theirs exact: rank.ts computes the exact ones it needs. One that left
  // common terms out has partial sums, too low to bound by: exact cosines for all, here.
  if (!common.skips) return { slots, cosines: top.scores.slice(0, top.size), approximate: true };
  const cosines = new Float64Array(slots.length); // not Float64Array.from(slots, fn): it allocates per element
  for (let i = 0; i < slots.length; i++) cosines[i] = query.dot(from.profiles[slots[i]].vector);
  return { slots, cosines };
}

/** Resources to score for a structure: those its area can hold (keys in any order: a filter), its département's completing them. */
export function resourceCandidates(index: Index, s: StructureProfile, request: CandidateRequest): Candidates {
  const all = request.includeExcluded;
  const admissible = all ? undefined : (r: ResourceProfile) => inAreaFast(s, r);
  const block = [index.resources.filedUnder(departmentKey(s.department))];
  const asked = PILLARS.filter((p, i) => ((s.needsMask | s.textPillarsMask) & (1 << i)) !== 0).map((p) => index.resources.filedUnder(pillarKey(p)));
  return search(s.vector, index.resources, block, all ? undefined : resourcesServing(s, { local: index.localReachKm, logistics: index.logisticsReachKm }, false), admissible, request.limit, [], asked);
}

/** Structures whose texts hold a distinctive word of the resource's commune (see namesPlace). */
export function structuresNaming(index: Index, r: ResourceProfile): number[] {
  const slots: number[] = [];
  for (const stem of r.placeStems) {
    const term = index.vocabulary.find(stem);
    if (term !== undefined) index.structures.slotsWithTerm(term, slots);
  }
  return slots;
}

/**
 * The structures a resource's text search is completed with: its département, or for a local
 * offer the cells within its reach, nearest first, and the structures citing its commune.
 */
function nearby(index: Index, r: ResourceProfile, area: string[] | undefined, namers: readonly number[]): (readonly number[])[] {
  if (r.scope !== 'local' || area === undefined) return [index.structures.filedUnder(departmentKey(r.department))];
  return [...area.map((key) => index.structures.filedUnder(key)), namers];
}

/** Structures to score for a resource: those its area reaches, and those that cite its commune. */
export function structureCandidates(index: Index, r: ResourceProfile, request: CandidateRequest): Candidates {
  const all = request.includeExcluded;
  // A national offer reaches everybody. The keys of a département or région also hold the
  // structures that want goods delivered there (areas.ts), which only a logistics offer serves.
  const admissible = all || r.scope === 'national' ? undefined : (s: StructureProfile) => inAreaFast(s, r);
  const area = all ? undefined : structuresServedBy(r);
  // A local offer without radius also reaches, twice as far, the structures that name its commune.
  const namers = area && r.scope === 'local' && r.entity.radius_km === undefined ? structuresNaming(index, r) : [];
  const asking = [index.structures.filedUnder(pillarKey(r.entity.pillar))];
  return search(r.vector, index.structures, nearby(index, r, area, namers), area, admissible, request.limit, namers, asking);
}
