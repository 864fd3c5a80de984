/**
 * Rankings as they are served to a requester (API and `passerelles match`): matching with the
 * requester's feedback effects applied, then logged. In order:
 *
 *   effects (effects.ts): candidates the requester set aside, or structures at their weekly cap
 *   for delegates, are left out — counted, and with `include_excluded` shown after the others,
 *   flagged `hiddenByFeedback` with the reason; pairs in partnership are flagged
 *   → random adjacent swap in a configured share of rankings (propensity estimation)
 *   → a ranking id, and the ranking pushed to the log (ranking-log.ts: no I/O here)
 *
 * Nothing here waits: the log is written by its own background writer.
 */
import { createHash, randomUUID } from 'node:crypto';
import { OPERATOR, type Caller } from '../access/access.policy.ts';
import { canonicalJson } from '../contract/canonical.ts';
import type { EntityKind, Resource, Structure } from '../domain/types.ts';
import type { MatchList, MatchResult } from '../engine/types.ts';
import { FEATURE_NAMES } from '../features/index.ts';
import type { Rng } from '../learning/events.ts';
import { applySwap, chooseSwap } from '../learning/propensity.ts';
import { parseMatchQuery } from '../matching/matching.request.ts';
import type { Keep, Matching, Query } from '../matching/matching.usecases.ts';
import type { FeedbackEffects, HiddenReason } from './effects.ts';
import { RankingItems, type RankingEntry, type RankingLog } from './ranking-log.ts';

export interface ServedResult extends MatchResult {
  /** The pair is in partnership (someone marked it so). */
  partnership: boolean;
  /** Shown only with include_excluded: why the requester's feedback leaves it out. */
  hiddenByFeedback?: HiddenReason;
}

export interface ServedList extends MatchList {
  /** Id of the logged ranking; null when the log was full (the ranking was counted as dropped). */
  rankingId: string | null;
  /** Candidates left out because the requester marked them not_interested or partnership. */
  excludedByFeedback: number;
  /** Structures left out because they were already proposed to enough delegates this week. */
  excludedByWeeklyLimit: number;
  /** Position k swapped with k+1 at random, or null. */
  swappedAt: number | null;
  results: ServedResult[];
}

export interface ServingDeps {
  matching: Matching;
  effects: FeedbackEffects;
  log: Pick<RankingLog, 'push'>;
  /** Share of rankings with a random adjacent swap (PASSERELLES_SWAP_SHARE). */
  swapShare: number;
  rng?: Rng;
  now?: () => Date;
  /** `api` or `cli`, stored with each ranking. */
  source: string;
}

export interface Serving {
  forStructure(id: string, query: Query | undefined, caller: Caller): ServedList;
  forResource(id: string, query: Query | undefined, caller: Caller): ServedList;
  preview(kind: EntityKind, entity: Structure | Resource, query: Query | undefined, caller: Caller): ServedList;
}

/** sha-256 of a previewed record's canonical form: the query id of a preview. */
export const previewId = (entity: Structure | Resource) => `sha256:${createHash('sha256').update(canonicalJson(entity)).digest('hex')}`;

const requesterOf = (caller: Caller) => caller.keyId;

export function createServing(deps: ServingDeps): Serving {
  const { matching, effects } = deps;
  const rng = deps.rng ?? { next: Math.random };
  const now = deps.now ?? (() => new Date());

  function serve(
    query: { kind: EntityKind; id: string; preview: boolean }, raw: Query | undefined, caller: Caller,
    rank: (keep: Keep | undefined, query: Query) => MatchList,
  ): ServedList {
    const parsed = parseMatchQuery(raw ?? {});
    const who = { requester: requesterOf(caller), role: caller.role };
    const hidden = new Map<string, HiddenReason>();
    const reasonOf = effects.hiddenReasons(who, query);
    const keep: Keep | undefined = reasonOf && ((id) => {
      const reason = reasonOf(id);
      if (reason) hidden.set(id, reason);
      return reason === undefined;
    });
    const list = rank(keep, parsed);
    const shown = list.results.filter((r) => !r.excluded);
    const swappedAt = chooseSwap(rng, shown.length, deps.swapShare);
    // The engine's results are this request's own: flagged in place rather than copied.
    const flagged = (r: MatchResult): ServedResult => Object.assign(r, { partnership: partnership(query.kind, query.id, r.id) });
    const results: ServedResult[] = [...applySwap(shown, swappedAt), ...list.results.filter((r) => r.excluded)].map(flagged);
    if (parsed.include_excluded && hidden.size > 0) {
      const others = rank((id) => hidden.has(id), { ...parsed, include_excluded: false });
      for (const r of others.results) results.push(Object.assign(flagged(r), { hiddenByFeedback: hidden.get(r.id) }));
    }
    results.forEach((r, i) => { r.rank = i + 1; });
    const count = (reason: (r: HiddenReason) => boolean) => [...hidden.values()].filter(reason).length;
    const served: ServedList = {
      ...list, results, swappedAt, rankingId: null,
      excludedByFeedback: count((r) => r !== 'weekly_limit'), excludedByWeeklyLimit: count((r) => r === 'weekly_limit'),
    };
    served.rankingId = log(served, query, caller);
    if (caller.role === 'delegate' && query.kind === 'resource') effects.noteShown(who.requester, results.map((r) => r.id), now());
    return served;
  }

  function partnership(kind: EntityKind, queryId: string, candidateId: string): boolean {
    return kind === 'structure' ? effects.isPartnership(queryId, candidateId) : effects.isPartnership(candidateId, queryId);
  }

  function log(list: ServedList, query: { kind: EntityKind; id: string; preview: boolean }, caller: Caller): string | null {
    const entry: RankingEntry = {
      id: randomUUID(), servedAt: now(), keyId: caller.keyId === OPERATOR.keyId ? null : caller.keyId, role: caller.role,
      requester: requesterOf(caller), queryKind: query.kind, queryId: query.id, preview: query.preview,
      asOf: list.asOf, modelVersion: list.modelVersion, featureNames: FEATURE_NAMES, swappedAt: list.swappedAt, source: deps.source,
      interleavedWith: list.interleavedWith,
      items: RankingItems.of(list.results.map((r) => ({
        position: r.rank, candidateId: r.id, score: r.score, features: FEATURE_NAMES.map((n) => r.features[n] ?? 0),
        ...(r.team ? { team: r.team } : {}),
      })), FEATURE_NAMES.length),
    };
    return deps.log.push(entry) ? entry.id : null;
  }

  return {
    forStructure: (id, query, caller) => serve({ kind: 'structure', id, preview: false }, query, caller,
      (keep, q) => matching.forStructure(id, q, caller, undefined, keep)),
    forResource: (id, query, caller) => serve({ kind: 'resource', id, preview: false }, query, caller,
      (keep, q) => matching.forResource(id, q, caller, undefined, keep)),
    preview: (kind, entity, query, caller) => serve({ kind, id: previewId(entity), preview: true }, query, caller,
      (keep, q) => matching.preview(kind, entity, q, caller, undefined, keep)),
  };
}
