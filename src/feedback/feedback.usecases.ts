/**
 * Feedback events, for every entry point (API, command line): checked, resolved to a structure–
 * resource pair, scoped, stored idempotently, and handed at once to the immediate effects.
 *
 *   event → schema (feedback.schemas.ts) → already stored? (client_event_id: skipped, answered as
 *   a duplicate) → pair: from the ranking and its item, or given → the records exist → the caller's
 *   scope → one transaction for all → effects
 *
 * Who the event acts for (its `requester`): the key that sent it; for the command line's operator,
 * the requester of the ranking it names (an import replays what requesters did), else `operateur`.
 * Scope: a structure key only about its own structure (another answers 404, as if it did not
 * exist); a delegate only about structures of its régions (403); an admin about anything.
 */
import { OPERATOR, type Caller } from '../access/access.policy.ts';
import type { Store } from '../db/open.ts';
import type { PasserellesError } from '../domain/errors.ts';
import type { Index } from '../engine/index.ts';
import type { FeedbackKind } from '../learning/events.ts';
import { createRecordsRepository } from '../records/records.repository.ts';
import type { FeedbackEffects } from './effects.ts';
import { feedbackErrors, type EventRef } from './feedback.errors.ts';
import {
  createFeedbackRepository, type FeedbackScope, type NewFeedbackEvent, type StoredFeedbackEvent,
} from './feedback.repository.ts';
import type { FeedbackEventInput, FeedbackListQuery } from './feedback.schemas.ts';
import type { RankingLog } from './ranking-log.ts';
import { createRankingsRepository, storedRankingOf, type StoredRanking } from './rankings.repository.ts';

export interface FeedbackDeps {
  store: Pick<Store, 'db'>;
  /** Where active records are looked up first (the store is asked for the others). */
  index: Pick<Index, 'getStructure' | 'getResource'>;
  /** The log of rankings served: a ranking named by an event may still be waiting there. */
  log?: Pick<RankingLog, 'flush' | 'pending'>;
  effects?: FeedbackEffects;
  now?: () => Date;
}

/** One event checked: the row to store, or why it is refused. */
export type CheckedEvent = { ok: true; row: NewFeedbackEvent; duplicate: boolean } | { ok: false; error: PasserellesError };

export interface RecordResult {
  created: StoredFeedbackEvent[];
  /** Client ids already stored (or repeated in the batch): not written again. */
  duplicates: string[];
}

export interface FeedbackPage { items: StoredFeedbackEvent[]; nextCursor: string | null }

export function feedbackScope(caller: Caller): FeedbackScope {
  if (caller.role === 'admin') return { all: true };
  if (caller.role === 'delegate') return { regions: caller.regions };
  return { structureId: caller.structureId ?? '' };
}

export function createFeedback(deps: FeedbackDeps) {
  const now = deps.now ?? (() => new Date());
  const events = createFeedbackRepository(deps.store);
  const rankingsRepo = createRankingsRepository(deps.store);
  const records = createRecordsRepository(deps.store);

  /** Régions of the structures and existence of the resources named, index first, then the store. */
  async function places(structureIds: Set<string>, resourceIds: Set<string>) {
    const structures = new Map<string, string>();
    const resources = new Set<string>();
    for (const id of structureIds) {
      const region = deps.index.getStructure(id)?.place.region ?? (await records.getStructure(id))?.place.region;
      if (region) structures.set(id, region);
    }
    for (const id of resourceIds) if (deps.index.getResource(id) || (await records.getResource(id))) resources.add(id);
    return { structures, resources };
  }

  /**
   * The rankings named: stored, or not yet written by the log (an event often follows its ranking
   * by less than the log's pause), or, when one is neither, once the log has written what it holds.
   * An event accepted on a ranking the log has not written yet names a ranking that a full log
   * could still lose (counted as dropped in /metrics); the trainer then counts it as ignored.
   */
  async function rankingsNamed(ids: string[]): Promise<Map<string, StoredRanking>> {
    const found = await rankingsRepo.findMany(ids);
    const log = deps.log;
    if (!log) return found;
    for (const id of ids) {
      const entry = found.has(id) ? undefined : log.pending(id);
      if (entry) found.set(id, storedRankingOf(entry));
    }
    if (ids.every((id) => found.has(id))) return found;
    await log.flush().catch(() => {});
    return new Map([...found, ...await rankingsRepo.findMany(ids.filter((id) => !found.has(id)))]);
  }

  /** Checks every event; none is stored. `batch` only changes how errors name the event. */
  async function check(caller: Caller, inputs: readonly FeedbackEventInput[], batch: boolean): Promise<CheckedEvent[]> {
    const stored = await events.existing(inputs.map((e) => e.client_event_id));
    const seen = new Set<string>();
    const fresh = (e: FeedbackEventInput) => !stored.has(e.client_event_id) && !seen.has(e.client_event_id);
    const rankings = await rankingsNamed([...new Set(inputs.filter((e) => e.ranking_id && fresh(e)).map((e) => e.ranking_id!))]);

    // The pair of each event, before existence and scope.
    const pairs = inputs.map((e, index) => {
      const ref: EventRef = { index, clientEventId: e.client_event_id };
      if (!fresh(e)) { seen.add(e.client_event_id); return { ref, duplicate: true as const }; }
      seen.add(e.client_event_id);
      if (!e.ranking_id) return { ref, structureId: e.structure_id!, resourceId: e.resource_id!, position: null, ranking: undefined };
      const ranking = rankings.get(e.ranking_id);
      if (!ranking) return { ref, error: feedbackErrors.unknownRanking(ref, batch, e.ranking_id) };
      if (ranking.preview) return { ref, error: feedbackErrors.previewRanking(ref, batch, e.ranking_id) };
      const position = ranking.items.get(e.item_id!);
      if (position === undefined) return { ref, error: feedbackErrors.itemNotInRanking(ref, batch, e.item_id!, e.ranking_id) };
      const [structureId, resourceId] = ranking.queryKind === 'structure' ? [ranking.queryId, e.item_id!] : [e.item_id!, ranking.queryId];
      return { ref, structureId, resourceId, position, ranking };
    });

    const named = pairs.filter((p) => 'structureId' in p) as { structureId: string; resourceId: string }[];
    const known = await places(new Set(named.map((p) => p.structureId)), new Set(named.map((p) => p.resourceId)));
    const at = now();

    return pairs.map((p, index): CheckedEvent => {
      const input = inputs[index];
      if ('duplicate' in p) return { ok: true, duplicate: true, row: rowOf(input, caller, '', '', '', null, undefined, at) };
      if ('error' in p) return { ok: false, error: p.error! };
      const { ref, structureId, resourceId } = p;
      // The field that named each side: the ranking's query or its item, or the pair's own fields.
      const fieldOf = (side: 'structure' | 'resource') => (!input.ranking_id ? `${side}_id`
        : (p.ranking!.queryKind === side ? 'ranking_id' : 'item_id'));
      const region = known.structures.get(structureId);
      const hiddenFromStructure = caller.role === 'structure' && caller.structureId !== structureId;
      if (!region || hiddenFromStructure) return { ok: false, error: feedbackErrors.structureNotFound(ref, batch, fieldOf('structure'), structureId) };
      if (!known.resources.has(resourceId)) return { ok: false, error: feedbackErrors.resourceNotFound(ref, batch, fieldOf('resource'), resourceId) };
      if (caller.role === 'delegate' && !caller.regions.includes(region)) {
        return { ok: false, error: feedbackErrors.outOfScope(ref, batch, fieldOf('structure'), structureId) };
      }
      return { ok: true, duplicate: false, row: rowOf(input, caller, structureId, resourceId, region, p.position, p.ranking, at) };
    });
  }

  return {
    check,

    /** Stores the events, all or none: the first refused event refuses the whole batch. */
    async record(caller: Caller, inputs: readonly FeedbackEventInput[], batch = inputs.length > 1): Promise<RecordResult> {
      const checked = await check(caller, inputs, batch);
      const refused = checked.find((c) => !c.ok);
      if (refused && !refused.ok) throw refused.error;
      return store(checked);
    },

    /** Stores the checked events that passed (the command line's import: the refused ones are its rejects). */
    store,

    /** The pairs this caller marked « not interested » and did not withdraw, newest first. */
    hiddenFor: (caller: Caller) => events.notInterestedOf(caller.keyId),

    /**
     * Undo of « not interested »: the caller's events on that pair are withdrawn (a click taken
     * back is no evidence to learn from) and the pair is proposed to it again at once.
     */
    async withdrawNotInterested(caller: Caller, pair: { structureId: string; resourceId: string }): Promise<number> {
      const n = await events.withdrawNotInterested(caller.keyId, pair.structureId, pair.resourceId);
      deps.effects?.forget(caller.keyId, pair.structureId, pair.resourceId);
      return n;
    },

    async list(caller: Caller, query: FeedbackListQuery): Promise<FeedbackPage> {
      const page = await events.list(feedbackScope(caller), {
        structureId: query.structure_id, resourceId: query.resource_id, kind: query.kind,
        from: query.from ? new Date(query.from) : undefined, to: query.to ? new Date(query.to) : undefined,
        limit: query.limit, after: query.cursor === undefined ? undefined : Number(query.cursor),
      });
      return { items: page.items, nextCursor: page.nextAfter === null ? null : String(page.nextAfter) };
    },
  };

  async function store(checked: readonly CheckedEvent[]): Promise<RecordResult> {
    const passed = checked.filter((c): c is Extract<CheckedEvent, { ok: true }> => c.ok);
    const created = await events.insert(passed.filter((c) => !c.duplicate).map((c) => c.row));
    const createdIds = new Set(created.map((r) => r.clientEventId));
    for (const row of created) {
      deps.effects?.addEvent({ requester: row.requester, kind: row.kind as FeedbackKind, structureId: row.structureId, resourceId: row.resourceId });
    }
    // Already stored, repeated in the batch, or stored meanwhile by a concurrent request.
    const duplicates = passed.filter((c) => c.duplicate || !createdIds.has(c.row.clientEventId)).map((c) => c.row.clientEventId);
    return { created, duplicates };
  }
}

function rowOf(
  e: FeedbackEventInput, caller: Caller, structureId: string, resourceId: string, region: string,
  position: number | null, ranking: StoredRanking | undefined, at: Date,
): NewFeedbackEvent {
  const operator = caller.keyId === OPERATOR.keyId;
  return {
    clientEventId: e.client_event_id, kind: e.kind, reason: e.reason ?? null, reasonText: e.reason_text ?? null,
    rankingId: e.ranking_id ?? null, position, structureId, resourceId,
    keyId: operator ? null : caller.keyId, role: caller.role,
    requester: operator ? ranking?.requester ?? OPERATOR.keyId : caller.keyId,
    region, occurredAt: e.occurred_at ? new Date(e.occurred_at) : at, receivedAt: at,
  };
}

export type Feedback = ReturnType<typeof createFeedback>;
