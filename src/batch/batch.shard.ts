/**
 * One shard's work, in memory: the queries of a région and id range, each ranked by the engine's
 * stages with the run's model, date and k, ties broken by id. Candidates come from the exact
 * search (engine/exact.ts; SEARCH_BUDGET only caps a pathological query): every record whose score
 * bound (attributes and text) reaches the k-th score, not the online path's text candidates alone.
 * Pure over the index: the caller commits the results (batch.repository.ts).
 */
import type { EntityKind } from '../domain/types.ts';
import { exactResourceCandidates, exactStructureCandidates } from '../engine/exact.ts';
import type { Index } from '../engine/index.ts';
import { rank } from '../engine/rank.ts';
import type { RankRequest } from '../engine/request.ts';
import type { ResourceProfile, StructureProfile } from '../profiles/profiles.ts';
import type { ShardPlan } from './batch.plan.ts';
import type { ResultRow } from './batch.repository.ts';

/** The live queries of an index by direction and région, in id order: built once per run. */
export class QuerySets {
  private readonly sets = new Map<string, (StructureProfile | ResourceProfile)[]>();

  constructor(readonly index: Index) {
    for (const [kind, collection] of [['structure', index.structures], ['resource', index.resources]] as const) {
      collection.profiles.forEach((p, slot) => {
        if (!collection.isAlive(slot) || collection.get(p.entity.id) !== p) return;
        const key = `${kind}:${p.region}`;
        const list = this.sets.get(key);
        if (list) list.push(p);
        else this.sets.set(key, [p]);
      });
    }
    for (const list of this.sets.values()) list.sort((a, b) => (a.entity.id < b.entity.id ? -1 : a.entity.id > b.entity.id ? 1 : 0));
  }

  /** Queries of a shard: its région's records whose id lies in [firstId, lastId]. */
  of(shard: Pick<ShardPlan, 'kind' | 'region' | 'firstId' | 'lastId'>): (StructureProfile | ResourceProfile)[] {
    const list = this.sets.get(`${shard.kind}:${shard.region}`) ?? [];
    let lo = 0, hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid].entity.id < shard.firstId) lo = mid + 1;
      else hi = mid;
    }
    const out: (StructureProfile | ResourceProfile)[] = [];
    for (let i = lo; i < list.length && list[i].entity.id <= shard.lastId; i++) out.push(list[i]);
    return out;
  }
}

export interface RankedQuery { row: ResultRow; pairs: number }

/**
 * Records the batch's search weighs exactly per query beyond its seeds, best bound first
 * (engine/exact.ts `budget`): a cap for a pathological query, not a cut of the usual one. Since the
 * bounds hold the text part (its cosines to a ten-thousandth), the search stops on them well before
 * it: at national scale (200,000 × 50,000, 500 sampled queries) 139 pairs scored per structure's
 * query and 960 per resource's, recall of the exhaustive top-10 1.0, for the CPU time of a budget
 * of 300 (recall 0.95 / 0.995) plus 0 to 13 % (before the heap of exact.ts, which scores the same
 * pairs in about a third of that time). A budget of 300 had recall 0.49 in bench:batch at that
 * scale with the looser bounds before (benchmarks/results/batch.json of 2026-12-04 06:59).
 */
export const SEARCH_BUDGET = 100_000;

/**
 * The previous run's top-k of each query, by query id (batch.repository.ts topKs): the exact search
 * scores them first, so that its threshold starts near its final value. The results do not depend
 * on them (engine/exact.ts `seeds`; SEARCH_BUDGET is never reached in practice), only the time.
 */
export type Seeds = ReadonlyMap<string, readonly string[]>;

/**
 * Slots of the first `limit` of `ids` still in the collection (archived or unknown ones left out):
 * a previous run with a larger k would otherwise have every query score more pairs than it keeps.
 */
function slotsOf(other: { slotOf: (id: string) => number | undefined }, ids: readonly string[] | undefined, limit: number): number[] | undefined {
  if (ids === undefined) return undefined;
  const slots: number[] = [];
  for (let i = 0; i < ids.length && i < limit; i++) {
    const slot = other.slotOf(ids[i]);
    if (slot !== undefined) slots.push(slot);
  }
  return slots;
}

/** One query's top-k and the number of pairs the exact search scored; `seeds`, its previous top-k (ids). */
export function rankQuery(index: Index, kind: EntityKind, p: StructureProfile | ResourceProfile, request: RankRequest, seeds?: readonly string[]): RankedQuery {
  let list, pairs;
  if (kind === 'structure') {
    const s = p as StructureProfile;
    const candidates = exactResourceCandidates(index, s, { ...request, budget: SEARCH_BUDGET, seeds: slotsOf(index.resources, seeds, request.limit) });
    pairs = candidates.scored;
    list = rank(index.analyser, { kind, id: s.entity.id }, candidates, request, {
      structureAt: () => s, resourceAt: (slot) => index.resources.profiles[slot], other: index.resources,
    });
  } else {
    const r = p as ResourceProfile;
    const candidates = exactStructureCandidates(index, r, { ...request, budget: SEARCH_BUDGET, seeds: slotsOf(index.structures, seeds, request.limit) });
    pairs = candidates.scored;
    list = rank(index.analyser, { kind, id: r.entity.id }, candidates, request, {
      structureAt: (slot) => index.structures.profiles[slot], resourceAt: () => r, other: index.structures,
    });
  }
  return {
    row: { kind, queryId: p.entity.id, region: p.region, candidates: list.results.map((x) => x.id), scores: list.results.map((x) => x.score) },
    pairs,
  };
}

/** The top-k of each query, in order, and the pairs scored in all. */
export function rankQueries(
  index: Index, kind: EntityKind, queries: readonly (StructureProfile | ResourceProfile)[], request: RankRequest, seeds?: Seeds,
): { results: ResultRow[]; pairs: number } {
  const results: ResultRow[] = [];
  let pairs = 0;
  for (const p of queries) {
    const ranked = rankQuery(index, kind, p, request, seeds?.get(p.entity.id));
    results.push(ranked.row);
    pairs += ranked.pairs;
  }
  return { results, pairs };
}

