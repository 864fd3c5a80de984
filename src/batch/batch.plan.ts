/**
 * How a run is cut into shards: per direction, per région, consecutive id ranges of at most
 * `size` queries. Pure: the same records always give the same shards, so a resumed run and every
 * worker agree on them.
 */
import type { EntityKind } from '../domain/types.ts';

export interface ShardPlan {
  /** `structure:53:0004`: direction, région, ordinal. */
  key: string;
  kind: EntityKind;
  region: string;
  /** First and last query id of the range (inclusive). */
  firstId: string;
  lastId: string;
  size: number;
}

/** Shards of one direction from its active records (any order). */
export function planShards(kind: EntityKind, records: readonly { id: string; region: string }[], size: number): ShardPlan[] {
  const byRegion = new Map<string, string[]>();
  for (const r of records) {
    const ids = byRegion.get(r.region);
    if (ids) ids.push(r.id);
    else byRegion.set(r.region, [r.id]);
  }
  const plans: ShardPlan[] = [];
  for (const region of [...byRegion.keys()].sort()) {
    const ids = byRegion.get(region)!.sort(compareIds);
    for (let i = 0, n = 0; i < ids.length; i += size, n++) {
      const slice = ids.slice(i, i + size);
      plans.push({ key: `${kind}:${region}:${String(n).padStart(4, '0')}`, kind, region, firstId: slice[0], lastId: slice[slice.length - 1], size: slice.length });
    }
  }
  return plans;
}

/** Id order of shards and results: code-unit order, as JavaScript's `<` (and PostgreSQL's "C" collation). */
export const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
