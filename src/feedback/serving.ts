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
 * Nothing here waits: the log is written by its own background writer. The ranking itself
 * (rankForServing) may be made in a ranking thread of the service (serving.pool.ts:
 * createPooledServing); the rest is done here either way.
 */
import { createHash, randomUUID } from 'node:crypto';
import { OPERATOR, type Caller } from '../access/access.policy.ts';
import { canonicalJson } from '../contract/canonical.ts';
import type { EntityKind, Resource, Structure } from '../domain/types.ts';
import type { MatchList, MatchResult } from '../engine/types.ts';
import { FEATURE_NAMES } from '../features/index.ts';
import type { Rng } from '../learning/events.ts';
import { applySwap, chooseSwap } from '../learning/propensity.ts';
import { parseMatchQuery, type MatchQuery } from '../matching/matching.request.ts';
import type { Keep, Matching, OnlineComparison, Query } from '../matching/matching.usecases.ts';
import type { RankingModel } from '../ranking/model.ts';
import type { FeedbackEffects, HiddenReason } from './effects.ts';
import { explanationJson } from './explanation-json.ts';
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

/** Serving whose rankings may be made in a ranking thread (serving.pool.ts): a list, or its promise. */
export interface PooledServing {
  forStructure(id: string, query: Query | undefined, caller: Caller): ServedList | Promise<ServedList>;
  forResource(id: string, query: Query | undefined, caller: Caller): ServedList | Promise<ServedList>;
  preview(kind: EntityKind, entity: Structure | Resource, query: Query | undefined, caller: Caller): ServedList | Promise<ServedList>;
}

/** What is ranked: a record of the index by its id, or an unsaved record (a preview). */
export type ServedTarget =
  | { kind: EntityKind; id: string }
  | { kind: EntityKind; entity: Structure | Resource };

/**
 * A ranking as serving needs it: the list; the candidates the requester's feedback left out among
 * those the engine considered, with why; and, with include_excluded, those candidates ranked.
 */
export interface RankedForServing { list: MatchList; hidden: [string, HiddenReason][]; others?: MatchList }

/**
 * The ranking part of serving, the same in the service's thread and in a ranking thread: the
 * list with what `reasonOf` hides left out (each one the engine asks about is noted), then, with
 * include_excluded, the hidden ones ranked on their own.
 */
export function rankForServing(
  matching: Matching, target: ServedTarget, parsed: MatchQuery, caller: Caller,
  reasonOf: ((candidateId: string) => HiddenReason | undefined) | undefined,
): RankedForServing {
  const rank = (keep: Keep | undefined, q: Query): MatchList => ('entity' in target
    ? matching.preview(target.kind, target.entity, q, caller, undefined, keep)
    : target.kind === 'structure'
      ? matching.forStructure(target.id, q, caller, undefined, keep)
      : matching.forResource(target.id, q, caller, undefined, keep));
  const hidden = new Map<string, HiddenReason>();
  const keep: Keep | undefined = reasonOf && ((id) => {
    const reason = reasonOf(id);
    if (reason) hidden.set(id, reason);
    return reason === undefined;
  });
  const list = rank(keep, parsed);
  const others = parsed.include_excluded && hidden.size > 0
    ? rank((id) => hidden.has(id), { ...parsed, include_excluded: false })
    : undefined;
  return { list, hidden: [...hidden], ...(others ? { others } : {}) };
}

/**
 * A ranking made in a ranking thread, ready to cross to the service's thread: each explanation
 * written as the API's JSON (explanationJson). An explained list of 20 is some 1,500 small objects:
 * copied across threads, reading them back cost the service's thread more than writing their
 * JSON (0.6 ms against 0.4 ms of the ranking thread's time for a list, measured here); a string crosses whole.
 */
export function withExplanationsWritten(ranked: RankedForServing): RankedForServing {
  for (const list of [ranked.list, ranked.others]) {
    for (const r of list?.results ?? []) {
      if (!r.explanation) continue;
      r.explanationJson = explanationJson(r.explanation);
      delete r.explanation;
    }
  }
  return ranked;
}

/**
 * Ranks in a ranking thread (serving.pool.ts), or answers undefined when none can now (not
 * loaded yet, or stopped): the service's thread ranks then. The hidden candidates are asked for
 * only once a thread takes the request: the service's thread, ranking in its place, asks the
 * requester's feedback candidate by candidate instead.
 */
export interface ServingRanker {
  rank(request: {
    target: ServedTarget; query: MatchQuery; caller: Caller; hidden: () => [string, HiddenReason][] | undefined;
    model: RankingModel; comparison: OnlineComparison | undefined;
  }): Promise<RankedForServing> | undefined;
}

/** sha-256 of a previewed record's canonical form: the query id of a preview. */
export const previewId = (entity: Structure | Resource) => `sha256:${createHash('sha256').update(canonicalJson(entity)).digest('hex')}`;

const requesterOf = (caller: Caller) => caller.keyId;

type Asked = { kind: EntityKind; id: string; preview: boolean };

const targetOf = (query: Asked, entity?: Structure | Resource): ServedTarget =>
  (entity ? { kind: query.kind, entity } : { kind: query.kind, id: query.id });

/**
 * rankForServing with the hidden candidates given as a list (FeedbackEffects.hiddenList), as a
 * ranking thread gets them: what the thread runs, and what the service's thread runs in its place.
 */
export function rankListed(
  matching: Matching, r: { target: ServedTarget; query: MatchQuery; caller: Caller; hidden: [string, HiddenReason][] | undefined },
): RankedForServing {
  const hidden = r.hidden && new Map(r.hidden);
  return rankForServing(matching, r.target, r.query, r.caller, hidden && ((id) => hidden.get(id)));
}

type Serve<R> = (query: Asked, raw: Query | undefined, caller: Caller, entity?: Structure | Resource) => R;

/** The three ways to ask, over one `serve`. */
const servingOf = <R>(serve: Serve<R>) => ({
  forStructure: (id: string, query: Query | undefined, caller: Caller) => serve({ kind: 'structure', id, preview: false }, query, caller),
  forResource: (id: string, query: Query | undefined, caller: Caller) => serve({ kind: 'resource', id, preview: false }, query, caller),
  preview: (kind: EntityKind, entity: Structure | Resource, query: Query | undefined, caller: Caller) =>
    serve({ kind, id: previewId(entity), preview: true }, query, caller, entity),
});

export function createServing(deps: ServingDeps): Serving {
  const s = servingParts(deps);
  return servingOf((query, raw, caller, entity): ServedList => {
    const parsed = parseMatchQuery(raw ?? {});
    return s.finish(query, parsed, caller, s.rankHere(query, targetOf(query, entity), parsed, caller));
  });
}

/**
 * Serving whose rankings are made by `ranker` (ranking threads) when it can, else here: the same
 * lists, flags, log and effects as createServing's, a promise for a list ranked in a thread.
 */
export function createPooledServing(deps: ServingDeps & { ranker: ServingRanker }): PooledServing {
  const s = servingParts(deps);
  const { matching, effects, ranker } = deps;
  return servingOf((query, raw, caller, entity): ServedList | Promise<ServedList> => {
    const parsed = parseMatchQuery(raw ?? {});
    const target = targetOf(query, entity);
    const pending = ranker.rank({
      target, query: parsed, caller, hidden: () => effects.hiddenList(s.who(caller), query), model: matching.model(), comparison: matching.comparison(),
    });
    if (!pending) return s.finish(query, parsed, caller, s.rankHere(query, target, parsed, caller));
    return pending.then((ranked) => s.finish(query, parsed, caller, ranked));
  });
}

/** What both kinds of serving do around the ranking: flags, swap, counts, the log, the delegates' weekly counts. */
function servingParts(deps: ServingDeps) {
  const { effects } = deps;
  const rng = deps.rng ?? { next: Math.random };
  const now = deps.now ?? (() => new Date());

  function finish(query: Asked, parsed: MatchQuery, caller: Caller, ranked: RankedForServing): ServedList {
    const { list } = ranked;
    const hidden = new Map(ranked.hidden);
    const shown = list.results.filter((r) => !r.excluded);
    const swappedAt = chooseSwap(rng, shown.length, deps.swapShare);
    // The engine's results are this request's own: flagged in place rather than copied.
    const flagged = (r: MatchResult): ServedResult => Object.assign(r, { partnership: partnership(query.kind, query.id, r.id) });
    const results: ServedResult[] = [...applySwap(shown, swappedAt), ...list.results.filter((r) => r.excluded)].map(flagged);
    if (parsed.include_excluded && ranked.others) {
      for (const r of ranked.others.results) results.push(Object.assign(flagged(r), { hiddenByFeedback: hidden.get(r.id) }));
    }
    results.forEach((r, i) => { r.rank = i + 1; });
    const count = (reason: (r: HiddenReason) => boolean) => [...hidden.values()].filter(reason).length;
    const served: ServedList = {
      ...list, results, swappedAt, rankingId: null,
      excludedByFeedback: count((r) => r !== 'weekly_limit'), excludedByWeeklyLimit: count((r) => r === 'weekly_limit'),
    };
    served.rankingId = log(served, query, caller);
    if (caller.role === 'delegate' && query.kind === 'resource') effects.noteShown(requesterOf(caller), results.map((r) => r.id), now());
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

  const who = (caller: Caller) => ({ requester: requesterOf(caller), role: caller.role });
  /** The ranking made here, the requester's feedback asked candidate by candidate. */
  const rankHere = (query: Asked, target: ServedTarget, parsed: MatchQuery, caller: Caller) =>
    rankForServing(deps.matching, target, parsed, caller, effects.hiddenReasons(who(caller), query));
  return { finish, who, rankHere };
}
