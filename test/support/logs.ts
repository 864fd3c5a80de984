/**
 * Writes logged rankings and feedback events straight into the tables (rankings with their items,
 * feedback_events), as the ranking log and the feedback routes would: for the tests of training
 * and of the registry, and for the feedback benchmark. By default each ranking is a structure's
 * ranking of resources (the structure `s-REQUESTER`); `queryOf` names the real query.
 */
import { feedbackEvents, float32Bytes, rankings } from '../../src/db/schema.ts';
import type { Store } from '../../src/db/open.ts';
import { FEATURE_NAMES } from '../../src/features/index.ts';
import type { FeedbackEvent, LoggedRanking } from '../../src/learning/events.ts';

export interface WriteLogsOptions {
  /** Instant of `at` = 0. */
  base: Date;
  /** Milliseconds per unit of `at`. Default one minute. */
  msPerAt?: number;
  /** Candidate interleaved with the current model, and each item's team, by ranking id. */
  interleaved?: Map<string, { candidate: string; teams: ('current' | 'candidate')[] }>;
  /** Events without their ranking id (pair events), by index in `events`. */
  withoutRanking?: (index: number) => boolean;
  /** What each ranking was asked for; default the structure `s-REQUESTER` (its items are resources). */
  queryOf?: (r: LoggedRanking) => { kind: 'structure' | 'resource'; id: string };
}

const CHUNK = 2000;

async function insertChunks<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await insert(rows.slice(i, i + CHUNK));
}

let eventSerial = 0;

export async function writeLogs(store: Store, logged: readonly LoggedRanking[], events: readonly FeedbackEvent[], o: WriteLogsOptions): Promise<void> {
  const step = o.msPerAt ?? 60_000;
  const when = (at: number, plus = 0) => new Date(o.base.getTime() + at * step + plus);
  const queryOf = o.queryOf ?? ((r: LoggedRanking) => ({ kind: 'structure' as const, id: `s-${r.requester}` }));
  const pairOf = (r: LoggedRanking, itemId: string) => {
    const q = queryOf(r);
    return q.kind === 'structure' ? { structureId: q.id, resourceId: itemId } : { structureId: itemId, resourceId: q.id };
  };
  const heads = logged.map((r) => ({
    id: r.id, servedAt: when(r.at), keyId: `key-${r.requester}`, role: 'structure', requester: r.requester,
    queryKind: queryOf(r).kind, queryId: queryOf(r).id, asOf: when(r.at).toISOString().slice(0, 10),
    modelVersion: r.modelVersion ?? 'default-v3', featureNames: [...FEATURE_NAMES], swappedAt: r.swap ?? null,
    interleavedWith: o.interleaved?.get(r.id)?.candidate ?? null, source: 'test',
    positions: r.items.map((it) => it.position), candidateIds: r.items.map((it) => it.id), scores: r.items.map((it) => it.score),
    features: float32Bytes(r.items.flatMap((it) => Array.from(it.features))), teams: o.interleaved?.get(r.id)?.teams ?? null,
  }));
  const byId = new Map(logged.map((r) => [r.id, r]));
  const rows = events.map((e, i) => {
    const r = byId.get(e.rankingId)!;
    const loose = o.withoutRanking?.(i) ?? false;
    return {
      clientEventId: `evt-${++eventSerial}-${e.rankingId}-${e.itemId}-${e.kind}`, kind: e.kind,
      rankingId: loose ? null : e.rankingId, position: loose ? null : r.items.find((it) => it.id === e.itemId)?.position ?? null,
      ...pairOf(r, e.itemId), keyId: `key-${r.requester}`, role: 'structure', requester: r.requester,
      region: '53', occurredAt: when(e.at, 1000),
    };
  });
  await insertChunks(heads, (c) => store.db.insert(rankings).values(c));
  await insertChunks(rows, (c) => store.db.insert(feedbackEvents).values(c));
}
