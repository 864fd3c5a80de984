/**
 * Immediate effects of feedback, held in memory and applied to every list as it is ranked:
 *
 * - what a requester marked `not_interested` or `partnership` is not proposed to that requester
 *   again (the pair structure–resource, in both directions);
 * - a pair in partnership is flagged in every list, whoever asks;
 * - a structure is proposed to at most `maxDelegatesPerWeek` different delegates over 7 rolling
 *   days: beyond, it is left out of further delegates' lists (not of those who already saw it).
 *
 * Loaded at start from the stored events and the last 7 days of the ranking log
 * (feedback.setup.ts), then updated at once: `addEvent` when an event is stored, `noteShown` when
 * a delegate is served a list of structures. Lookups are map reads: cheap enough for every candidate.
 */
import type { FeedbackKind } from '../learning/events.ts';

export const WEEK_MS = 7 * 24 * 3600 * 1000;

/** Why a candidate is left out of a requester's list. */
export type HiddenReason = 'not_interested' | 'partnership' | 'weekly_limit';

export interface EffectsOptions {
  /** Requester exclusions and partnership flags on (PASSERELLES_FEEDBACK_EFFECTS). */
  enabled: boolean;
  /** 0: no cap. */
  maxDelegatesPerWeek: number;
  now: () => Date;
}

export interface EffectEvent {
  requester: string;
  kind: FeedbackKind;
  structureId: string;
  resourceId: string;
}

/** The pair as one map key. */
export const pairKey = (structureId: string, resourceId: string) => `${structureId}\u0000${resourceId}`;

/** The pair of a pairKey: [structureId, resourceId]. */
const pairOf = (key: string) => key.split('\u0000') as [string, string];

export interface FeedbackEffects {
  readonly enabled: boolean;
  /** Why `candidateId` is left out of this requester's list for this query, or undefined. */
  hiddenReason(who: { requester: string; role: string }, query: { kind: 'structure' | 'resource'; id: string }, candidateId: string): HiddenReason | undefined;
  /**
   * hiddenReason for one request's candidates: the requester's exclusions are found and the clock
   * read once, where the ranking asks about hundreds of candidates. Undefined when nothing can be
   * hidden from this requester for this query (no exclusions, no weekly cap): nothing to ask.
   */
  hiddenReasons(who: { requester: string; role: string }, query: { kind: 'structure' | 'resource'; id: string }): ((candidateId: string) => HiddenReason | undefined) | undefined;
  /**
   * hiddenReasons as a list, for a ranking made in another thread (serving.pool.ts): every
   * candidate hidden from this requester for this query now, with why. Undefined when nothing can
   * be hidden (as hiddenReasons).
   */
  hiddenList(who: { requester: string; role: string }, query: { kind: 'structure' | 'resource'; id: string }): [string, HiddenReason][] | undefined;
  isPartnership(structureId: string, resourceId: string): boolean;
  addEvent(event: EffectEvent): void;
  /** A requester withdrew its « not interested » on a pair: proposed to it again (a partnership stays). */
  forget(requester: string, structureId: string, resourceId: string): void;
  /** A delegate was shown these structures at `at`. */
  noteShown(requester: string, structureIds: Iterable<string>, at: Date): void;
  stats(): { requesters: number; exclusions: number; partnerships: number; cappedStructures: number };
}

export function createFeedbackEffects(options: EffectsOptions): FeedbackEffects {
  const exclusions = new Map<string, Map<string, HiddenReason>>();
  const partnerships = new Set<string>();
  /** structure → delegate → last time shown (ms). */
  const shown = new Map<string, Map<string, number>>();
  const cap = options.maxDelegatesPerWeek;
  /**
   * Structures that reached the cap when last shown (noteShown): the ones hiddenList checks. Time
   * only lowers a structure's count, so a structure out of it is under the cap; one found under it is dropped.
   */
  const reachedCap = new Set<string>();

  /** Delegates who saw the structure within the week, pruning the older ones. */
  function recentDelegates(structureId: string, now: number): Map<string, number> | undefined {
    const seen = shown.get(structureId);
    if (!seen) return undefined;
    for (const [who, at] of seen) if (now - at > WEEK_MS) seen.delete(who);
    if (seen.size === 0) shown.delete(structureId);
    return seen;
  }

  /** The weekly cap applies to this request: a delegate asking for a resource's structures. */
  const capApplies = (who: { role: string }, query: { kind: string }) => cap > 0 && who.role === 'delegate' && query.kind === 'resource';
  /** A structure seen by `seen` this week is left out for `requester`: enough others saw it, and not this one. */
  const overCap = (seen: Map<string, number> | undefined, requester: string) => seen !== undefined && seen.size >= cap && !seen.has(requester);

  const hiddenReasons: FeedbackEffects['hiddenReasons'] = (who, query) => {
    const own = options.enabled ? exclusions.get(who.requester) : undefined;
    const capped = capApplies(who, query);
    if (!own && !capped) return undefined;
    const now = capped ? options.now().getTime() : 0;
    return (candidateId) => {
      if (own) {
        const reason = own.get(query.kind === 'structure' ? pairKey(query.id, candidateId) : pairKey(candidateId, query.id));
        if (reason) return reason;
      }
      if (capped && overCap(recentDelegates(candidateId, now), who.requester)) return 'weekly_limit';
      return undefined;
    };
  };

  const hiddenList: FeedbackEffects['hiddenList'] = (who, query) => {
    const own = options.enabled ? exclusions.get(who.requester) : undefined;
    const capped = capApplies(who, query);
    if (!own && !capped) return undefined;
    const hidden = new Map<string, HiddenReason>();
    if (capped) {
      const now = options.now().getTime();
      for (const id of reachedCap) {
        const seen = recentDelegates(id, now);
        if (!seen || seen.size < cap) reachedCap.delete(id);
        else if (overCap(seen, who.requester)) hidden.set(id, 'weekly_limit');
      }
    }
    // The requester's own exclusions last: they win over the cap, as hiddenReasons asks them first.
    if (own) {
      const side = query.kind === 'structure' ? 0 : 1;
      for (const [key, reason] of own) {
        const pair = pairOf(key);
        if (pair[side] === query.id) hidden.set(pair[1 - side], reason);
      }
    }
    return [...hidden];
  };

  return {
    enabled: options.enabled,
    hiddenReason: (who, query, candidateId) => hiddenReasons(who, query)?.(candidateId),
    hiddenReasons,
    hiddenList,
    isPartnership: (structureId, resourceId) => options.enabled && partnerships.has(pairKey(structureId, resourceId)),
    addEvent(event) {
      if (event.kind !== 'not_interested' && event.kind !== 'partnership') return;
      const key = pairKey(event.structureId, event.resourceId);
      let own = exclusions.get(event.requester);
      if (!own) exclusions.set(event.requester, (own = new Map()));
      if (own.get(key) !== 'partnership') own.set(key, event.kind);
      if (event.kind === 'partnership') partnerships.add(key);
    },
    forget(requester, structureId, resourceId) {
      const own = exclusions.get(requester);
      const key = pairKey(structureId, resourceId);
      if (own?.get(key) === 'not_interested') own.delete(key);
    },
    noteShown(requester, structureIds, at) {
      if (cap === 0) return;
      const t = at.getTime();
      for (const id of structureIds) {
        let seen = shown.get(id);
        if (!seen) shown.set(id, (seen = new Map()));
        if ((seen.get(requester) ?? 0) < t) seen.set(requester, t);
        if (seen.size >= cap) reachedCap.add(id);
      }
    },
    stats() {
      let n = 0;
      for (const own of exclusions.values()) n += own.size;
      const now = options.now().getTime();
      let capped = 0;
      for (const id of [...shown.keys()]) if ((recentDelegates(id, now)?.size ?? 0) >= cap && cap > 0) capped += 1;
      return { requesters: exclusions.size, exclusions: n, partnerships: partnerships.size, cappedStructures: capped };
    },
  };
}
