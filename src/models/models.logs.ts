/**
 * The ranking logs and feedback events as the learning core reads them. Reads the rankings served
 * within the training window with their items' feature vectors (put in the order of FEATURE_NAMES,
 * whatever order they were logged in), and the feedback events:
 * - an event naming a ranking is attached to the item of that ranking it names (the candidate of
 *   the pair: the resource of a structure's ranking, the structure of a resource's ranking);
 * - an event about a pair outside any ranking (sent later, imported from a file) is attached to
 *   the latest ranking served before it that showed that pair, within `attributionDays`: that is
 *   where the requester most likely saw the suggestion. Older or never shown pairs carry no
 *   shown position and no list to compare with, so they do not teach a ranking and are counted
 *   as ignored (they still serve the immediate effects: exclusions and partnerships).
 */
import { asc, gte } from 'drizzle-orm';
import type { Store } from '../db/open.ts';
import { feedbackEvents, float32Values, rankings } from '../db/schema.ts';
import { FEATURE_NAMES } from '../features/index.ts';
import { FEEDBACK_KINDS, type FeedbackEvent, type FeedbackKind, type LoggedRanking } from '../learning/events.ts';

export interface TrainingLogs {
  rankings: LoggedRanking[];
  events: FeedbackEvent[];
  /** Events that could not be attached to a logged ranking. */
  ignored: number;
  /** Of the attached events, those attributed through their pair. */
  attributed: number;
  from: Date | null;
  to: Date | null;
}

const DAY_MS = 86_400_000;
const pairKey = (structureId: string, resourceId: string) => `${structureId}\u0000${resourceId}`;

/** Maps a logged vector to FEATURE_NAMES order (features unknown to this version are dropped, missing ones are 0). */
function remapper(names: readonly string[]): (v: readonly number[]) => Float64Array {
  const same = names.length === FEATURE_NAMES.length && names.every((n, i) => n === FEATURE_NAMES[i]);
  if (same) return (v) => Float64Array.from(v);
  const at = FEATURE_NAMES.map((n) => names.indexOf(n));
  return (v) => Float64Array.from(at, (i) => (i >= 0 ? v[i] ?? 0 : 0));
}

export async function readTrainingLogs(store: Store, options: { since: Date; attributionDays: number }): Promise<TrainingLogs> {
  const { db } = store;
  const logged = await db.select({
    id: rankings.id, servedAt: rankings.servedAt, requester: rankings.requester, queryKind: rankings.queryKind,
    queryId: rankings.queryId, swappedAt: rankings.swappedAt, modelVersion: rankings.modelVersion, featureNames: rankings.featureNames,
    positions: rankings.positions, candidateIds: rankings.candidateIds, scores: rankings.scores, features: rankings.features,
  }).from(rankings).where(gte(rankings.servedAt, options.since)).orderBy(asc(rankings.servedAt), asc(rankings.id));

  const byId = new Map<string, LoggedRanking & { queryKind: string; queryId: string }>();
  const remaps = new Map<string, (v: readonly number[]) => Float64Array>();
  const shown = new Map<string, { rankingId: string; at: number }[]>();
  for (const h of logged) {
    const names = h.featureNames.join(',');
    let remap = remaps.get(names);
    if (!remap) remaps.set(names, (remap = remapper(h.featureNames)));
    const r = {
      id: h.id, requester: h.requester, at: h.servedAt.getTime(), items: [] as LoggedRanking['items'], swap: h.swappedAt,
      modelVersion: h.modelVersion, queryKind: h.queryKind, queryId: h.queryId,
    };
    byId.set(h.id, r);
    const values = float32Values(h.features);
    const width = h.featureNames.length;
    h.candidateIds.forEach((candidateId, k) => {
      r.items.push({ id: candidateId, position: h.positions[k], features: remap(values.slice(k * width, (k + 1) * width)), score: h.scores[k] });
      const pair = r.queryKind === 'structure' ? pairKey(r.queryId, candidateId) : pairKey(candidateId, r.queryId);
      const list = shown.get(pair);
      if (list) list.push({ rankingId: r.id, at: r.at }); else shown.set(pair, [{ rankingId: r.id, at: r.at }]);
    });
  }

  const rows = await db.select({
    id: feedbackEvents.id, kind: feedbackEvents.kind, rankingId: feedbackEvents.rankingId, structureId: feedbackEvents.structureId,
    resourceId: feedbackEvents.resourceId, occurredAt: feedbackEvents.occurredAt,
  }).from(feedbackEvents).where(gte(feedbackEvents.occurredAt, options.since)).orderBy(asc(feedbackEvents.id));
  const events: FeedbackEvent[] = [];
  let ignored = 0, attributed = 0;
  const horizon = options.attributionDays * DAY_MS;
  for (const e of rows) {
    if (!(FEEDBACK_KINDS as readonly string[]).includes(e.kind)) { ignored++; continue; }
    const at = e.occurredAt.getTime();
    let rankingId = e.rankingId;
    if (!rankingId) {
      const seen = shown.get(pairKey(e.structureId, e.resourceId)) ?? [];
      let best: { rankingId: string; at: number } | undefined;
      for (const s of seen) if (s.at <= at && at - s.at <= horizon && (!best || s.at > best.at)) best = s;
      if (best) { rankingId = best.rankingId; attributed++; }
    }
    const r = rankingId ? byId.get(rankingId) : undefined;
    if (!r) { ignored++; continue; }
    const itemId = r.queryKind === 'structure' ? e.resourceId : e.structureId;
    events.push({ rankingId: r.id, itemId, kind: e.kind as FeedbackKind, at });
  }
  return {
    rankings: [...byId.values()].map(({ queryKind: _k, queryId: _q, ...r }) => r),
    events, ignored, attributed,
    from: logged.length ? logged[0].servedAt : null,
    to: logged.length ? logged[logged.length - 1].servedAt : null,
  };
}
