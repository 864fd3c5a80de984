/**
 * The feedback loop over HTTP on the dev set: every ranking logged off the request path, feedback
 * events (errors, idempotency, batches all or nothing, scope), their immediate effects, the weekly
 * cap of delegates, the log's figures in /metrics and the retention purge.
 *
 * Places used: dev-s06 Brest (Bretagne, 53), dev-s25 Albi (Occitanie, 76), dev-r52 (matches dev-s06).
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { float32Values } from '../../src/db/schema.ts';
import { FEATURE_NAMES } from '../../src/features/index.ts';
import { openFeedbackLoop, purgeRankings, type FeedbackConfig } from '../../src/feedback/feedback.loop.ts';
import type { RankingEntry } from '../../src/feedback/ranking-log.ts';
import { storeKinds } from '../support/stores.ts';
import { AS_OF, newStructure, startTestApi, type TestApi } from './support.ts';

const CONFIG: FeedbackConfig = {
  rankingRetentionDays: 180, swapShare: 0, feedbackEffects: true, maxDelegatesPerWeek: 5, rankingLogCapacity: 10_000,
};

describe.each(storeKinds())('feedback over the API on %s', (kind) => {
  let api: TestApi;
  let n = 0;
  const eventId = () => `evt-${kind}-${++n}`;
  beforeAll(async () => { api = await startTestApi(kind); });
  afterAll(() => api?.close());

  const matches = async (path: string, key: string) => {
    const reply = await api.call('GET', `/api/v1/${path}${path.includes('?') ? '&' : '?'}as_of=${AS_OF}`, { key });
    expect(reply.status, reply.text).toBe(200);
    return reply.body as { ranking_id: string; excluded_by_feedback: number; results: { id: string; partnership: boolean; hidden_by_feedback: boolean; hidden_reason?: string; features: Record<string, number>; score: number }[] };
  };
  const send = (json: unknown, key = api.keys.admin) => api.call('POST', '/api/v1/feedback', { key, json });
  const count = async (table: string) => Number((await api.store.rows<{ n: number }>(sql.raw(`select count(*)::int as n from ${table}`)))[0].n);
  const keyId = async (key: string) => (await api.call('GET', '/api/v1/me', { key })).body.key_id as string;

  it('logs every ranking served with who asked, the query, the model and each item’s position, score and features', async () => {
    const list = await matches('structures/dev-s06/matches?limit=5', api.keys.bretagne);
    expect(list.ranking_id).toMatch(/^[0-9a-f-]{36}$/);
    await api.feedback.log.flush();
    const [ranking] = await api.store.rows<Record<string, unknown>>(sql`select * from rankings where id = ${list.ranking_id}`);
    expect(ranking).toMatchObject({
      key_id: await keyId(api.keys.bretagne), role: 'delegate', query_kind: 'structure', query_id: 'dev-s06', preview: false,
      as_of: AS_OF, model_version: api.matching.model().version, source: 'api', swapped_at: null,
    });
    expect(ranking.feature_names).toEqual([...FEATURE_NAMES]);
    const { positions, candidate_ids: candidates, scores } = ranking as { positions: number[]; candidate_ids: string[]; scores: number[] };
    expect(positions.map((p, k) => [p, candidates[k]])).toEqual(list.results.map((r, k) => [k + 1, r.id]));
    const features = float32Values(ranking.features as Uint8Array);
    expect(features).toHaveLength(list.results.length * FEATURE_NAMES.length);
    list.results.forEach((result, k) => {
      expect(Number(scores[k])).toBeCloseTo(result.score, 6);
      FEATURE_NAMES.forEach((name, d) => expect(features[k * FEATURE_NAMES.length + d]).toBeCloseTo(result.features[name], 4));
    });
  });

  it('logs a preview under the sha-256 of the record, and refuses feedback on it', async () => {
    const reply = await api.call('POST', `/api/v1/matches/preview?as_of=${AS_OF}`, { key: api.keys.admin, json: { structure: newStructure('essai') } });
    await api.feedback.log.flush();
    const [ranking] = await api.store.rows<{ query_id: string; preview: boolean }>(sql`select query_id, preview from rankings where id = ${reply.body.ranking_id}`);
    expect(ranking).toEqual({ query_id: expect.stringMatching(/^sha256:[0-9a-f]{64}$/), preview: true });
    const refused = await send({ client_event_id: eventId(), kind: 'viewed', ranking_id: reply.body.ranking_id, item_id: reply.body.results[0].id });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('feedback.preview_ranking');
  });

  it('stores an event on an item of a ranking (201), and the same event sent again only once (200)', async () => {
    const list = await matches('structures/dev-s06/matches', api.keys.structureBzh);
    const event = { client_event_id: eventId(), kind: 'shortlisted', ranking_id: list.ranking_id, item_id: list.results[1].id };
    const first = await send(event, api.keys.structureBzh);
    expect(first.status, first.text).toBe(201);
    expect(first.body).toEqual({ created: 1, duplicates: 0, events: [{ client_event_id: event.client_event_id, status: 'created' }] });
    const again = await send(event, api.keys.structureBzh);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ created: 0, duplicates: 1 });
    const rows = await api.store.rows<Record<string, unknown>>(sql`select * from feedback_events where client_event_id = ${event.client_event_id}`);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ structure_id: 'dev-s06', resource_id: list.results[1].id, position: 2, role: 'structure', region: '53' });
  });

  it('stores a batch all or nothing: one unknown ranking and none of the batch is written', async () => {
    const list = await matches('structures/dev-s06/matches', api.keys.admin);
    const good = (i: number) => ({ client_event_id: eventId(), kind: 'viewed', ranking_id: list.ranking_id, item_id: list.results[i].id });
    const before = await count('feedback_events');
    const bad = await send({ events: [good(0), good(1), { client_event_id: eventId(), kind: 'viewed', ranking_id: 'inconnu', item_id: 'dev-r01' }] });
    expect(bad.status).toBe(404);
    expect(bad.body.error).toMatchObject({ code: 'feedback.unknown_ranking', details: { index: 2, field: 'ranking_id' } });
    expect(bad.body.error.message).toContain('événement n° 3');
    expect(await count('feedback_events')).toBe(before);
    const ok = await send({ events: [good(0), good(1), good(2)] });
    expect(ok.status).toBe(201);
    expect(ok.body.created).toBe(3);
    expect(await count('feedback_events')).toBe(before + 3);
  });

  it('counts an event repeated inside a batch once', async () => {
    const event = { client_event_id: eventId(), kind: 'viewed', structure_id: 'dev-s06', resource_id: 'dev-r52' };
    const reply = await send({ events: [event, event] });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ created: 1, duplicates: 1 });
  });

  it('refuses an item that was not in the ranking (422) and a pair that does not exist (404), naming the field', async () => {
    const list = await matches('structures/dev-s06/matches?limit=3', api.keys.admin);
    const notIn = await send({ client_event_id: eventId(), kind: 'viewed', ranking_id: list.ranking_id, item_id: 'dev-s25' });
    expect(notIn.status).toBe(422);
    expect(notIn.body.error).toMatchObject({ code: 'feedback.item_not_in_ranking', details: { field: 'item_id' } });
    const noStructure = await send({ client_event_id: eventId(), kind: 'viewed', structure_id: 'dev-s99', resource_id: 'dev-r52' });
    expect(noStructure.status).toBe(404);
    expect(noStructure.body.error).toMatchObject({ code: 'feedback.structure_not_found', details: { field: 'structure_id' } });
    expect(noStructure.body.error.message).toContain('champ structure_id');
    const noResource = await send({ client_event_id: eventId(), kind: 'viewed', structure_id: 'dev-s06', resource_id: 'dev-r999' });
    expect(noResource.status).toBe(404);
    expect(noResource.body.error.code).toBe('feedback.resource_not_found');
  });

  it('refuses events out of the key’s scope: a delegate outside its régions (403), a structure about another (404 as if absent)', async () => {
    const delegate = await send({ client_event_id: eventId(), kind: 'contacted', structure_id: 'dev-s25', resource_id: 'dev-r02' }, api.keys.bretagne);
    expect(delegate.status).toBe(403);
    expect(delegate.body.error.code).toBe('auth.forbidden');
    const other = await send({ client_event_id: eventId(), kind: 'contacted', structure_id: 'dev-s25', resource_id: 'dev-r02' }, api.keys.structureBzh);
    const absent = await send({ client_event_id: eventId(), kind: 'contacted', structure_id: 'dev-s99', resource_id: 'dev-r02' }, api.keys.structureBzh);
    expect(other.status).toBe(404);
    expect(other.body.error.code).toBe(absent.body.error.code);
    expect(other.body.error.message.replace(/dev-s25|evt-\S+/g, 'X')).toBe(absent.body.error.message.replace(/dev-s99|evt-\S+/g, 'X'));
  });

  it('names each bad field of an invalid event (400)', async () => {
    const reply = await send({ events: [
      { client_event_id: 'a', kind: 'viewed', reason: 'location', structure_id: 'dev-s06', resource_id: 'dev-r52' },
      { client_event_id: 'b', kind: 'not_interested', reason: 'other', structure_id: 'dev-s06', resource_id: 'dev-r52' },
      { client_event_id: 'c', kind: 'liked', ranking_id: 'x' },
    ] });
    expect(reply.status).toBe(400);
    const paths = (reply.body.error.details as { path: string }[]).map((d) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['events.0.reason', 'events.1.reason_text', 'events.2.kind']));
    const tooMany = await send({ events: Array.from({ length: 1001 }, (_, i) => ({ client_event_id: `m${i}`, kind: 'viewed', structure_id: 'dev-s06', resource_id: 'dev-r52' })) });
    expect(tooMany.status).toBe(400);
  });

  it('stops proposing at once what a requester marked not interested, says how many were left out, and shows them on demand', async () => {
    const before = await matches('resources/dev-r52/matches', api.keys.occitanie);
    const target = before.results[0].id;
    const sent = await send({ client_event_id: eventId(), kind: 'not_interested', reason: 'capacity', ranking_id: before.ranking_id, item_id: target }, api.keys.occitanie);
    expect(sent.status, sent.text).toBe(201);
    const after = await matches('resources/dev-r52/matches', api.keys.occitanie);
    expect(after.results.map((r) => r.id)).not.toContain(target);
    expect(after.excluded_by_feedback).toBe(1);
    const shown = await matches('resources/dev-r52/matches?include_excluded=true', api.keys.occitanie);
    expect(shown.results.at(-1)).toMatchObject({ id: target, hidden_by_feedback: true, hidden_reason: 'not_interested' });
    const admin = await matches('resources/dev-r52/matches', api.keys.admin);
    expect(admin.results.map((r) => r.id)).toContain(target);
    expect(admin.excluded_by_feedback).toBe(0);
  });

  it('flags a pair in partnership in every list and hides it from the requester who signed it', async () => {
    const mine = await matches('structures/dev-s06/matches', api.keys.bretagne);
    const resource = mine.results[0].id;
    expect((await send({ client_event_id: eventId(), kind: 'partnership', structure_id: 'dev-s06', resource_id: resource }, api.keys.bretagne)).status).toBe(201);
    expect((await matches('structures/dev-s06/matches', api.keys.bretagne)).results.map((r) => r.id)).not.toContain(resource);
    const others = await matches('structures/dev-s06/matches', api.keys.structureBzh);
    expect(others.results.find((r) => r.id === resource)).toMatchObject({ partnership: true });
    expect(others.results.filter((r) => r.id !== resource).every((r) => !r.partnership)).toBe(true);
  });

  it('lists events with filters and pages, scoped by role', async () => {
    await send({ events: [
      { client_event_id: eventId(), kind: 'contacted', structure_id: 'dev-s25', resource_id: 'dev-r02', occurred_at: '2026-11-20T10:00:00Z' },
      { client_event_id: eventId(), kind: 'viewed', structure_id: 'dev-s25', resource_id: 'dev-r02', occurred_at: '2026-11-21T10:00:00Z' },
    ] });
    const list = async (key: string, query = '') => {
      const reply = await api.call('GET', `/api/v1/feedback${query}`, { key });
      expect(reply.status, reply.text).toBe(200);
      return reply.body as { items: { structure_id: string; kind: string; key_id?: string }[]; next_cursor: string | null };
    };
    const all = await list(api.keys.admin, '?limit=500');
    expect(new Set(all.items.map((e) => e.structure_id))).toEqual(new Set(['dev-s06', 'dev-s25']));
    expect(all.items[0]).toHaveProperty('key_id');
    expect((await list(api.keys.structureOcc)).items.every((e) => e.structure_id === 'dev-s25')).toBe(true);
    expect((await list(api.keys.structureBzh)).items.every((e) => e.structure_id === 'dev-s06')).toBe(true);
    expect((await list(api.keys.structureBzh, '?structure_id=dev-s25')).items).toEqual([]);
    expect((await list(api.keys.bretagne)).items.every((e) => e.structure_id === 'dev-s06')).toBe(true);
    expect((await list(api.keys.bretagne)).items[0]).not.toHaveProperty('key_id');
    const period = await list(api.keys.admin, '?structure_id=dev-s25&from=2026-11-21&to=2026-11-22');
    expect(period.items.map((e) => e.kind)).toEqual(['viewed']);
    const page1 = await list(api.keys.admin, '?limit=2');
    const page2 = await list(api.keys.admin, `?limit=2&cursor=${page1.next_cursor}`);
    expect(page1.next_cursor).not.toBeNull();
    expect(page2.items[0]).not.toEqual(page1.items[0]);
    expect((await api.call('GET', '/api/v1/feedback?kind=liked', { key: api.keys.admin })).status).toBe(400);
  });

  it('answers a ranking while the log writer is blocked, and writes it once the writer is free', async () => {
    let release!: () => void;
    const blocked = new Promise<void>((r) => { release = r; });
    const written: RankingEntry[] = [];
    const loop = await openFeedbackLoop({
      store: api.store, matching: api.matching, config: CONFIG, source: 'api', intervalMs: 5,
      write: async (batch) => { await blocked; written.push(...batch); },
    });
    loop.start();
    const other = await api.startAnother({}, { feedback: loop });
    try {
      const reply = await other.call('GET', `/api/v1/structures/dev-s06/matches?as_of=${AS_OF}`, { key: api.keys.admin });
      expect(reply.status).toBe(200);
      expect(reply.body.ranking_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(written).toEqual([]);
      release();
      await loop.log.flush();
      expect(written.map((e) => e.id)).toEqual([reply.body.ranking_id]);
    } finally {
      release();
      await other.close();
      await loop.stop();
    }
  });

  it('stores an event on a ranking still waiting in the log’s memory, without waiting for the log’s writes', async () => {
    let release!: () => void;
    const blocked = new Promise<void>((r) => { release = r; });
    const loop = await openFeedbackLoop({
      store: api.store, matching: api.matching, config: CONFIG, source: 'api', intervalMs: 60_000,
      write: async () => { await blocked; },
    });
    loop.start();
    const other = await api.startAnother({}, { feedback: loop });
    try {
      const list = (await other.call('GET', `/api/v1/structures/dev-s06/matches?as_of=${AS_OF}`, { key: api.keys.structureBzh })).body;
      const event = { client_event_id: eventId(), kind: 'contacted', ranking_id: list.ranking_id, item_id: list.results[2].id };
      const reply = await other.call('POST', '/api/v1/feedback', { key: api.keys.structureBzh, json: event });
      expect(reply.status, reply.text).toBe(201);
      expect(loop.log.stats()).toMatchObject({ queued: 1, written: 0 });
      const [row] = await api.store.rows<Record<string, unknown>>(sql`select * from feedback_events where client_event_id = ${event.client_event_id}`);
      expect(row).toMatchObject({ ranking_id: list.ranking_id, structure_id: 'dev-s06', resource_id: list.results[2].id, position: 3 });
    } finally {
      release();
      await other.close();
      await loop.stop();
    }
  });

  it('swaps two adjacent items at random in the configured share of rankings and records where', async () => {
    const loop = await openFeedbackLoop({ store: api.store, matching: api.matching, config: { ...CONFIG, swapShare: 1 }, source: 'api', rng: { next: () => 0.3 } });
    const other = await api.startAnother({}, { feedback: loop });
    try {
      const path = `/api/v1/structures/dev-s05/matches?limit=6&as_of=${AS_OF}`;
      const plain = (await api.call('GET', path, { key: api.keys.admin })).body;
      const swapped = (await other.call('GET', path, { key: api.keys.admin })).body;
      // rng 0.3: swapped (0.3 < 1), at k = 1 + floor(0.3 × 5) = 2.
      const ids = plain.results.map((r: { id: string }) => r.id);
      expect(swapped.results.map((r: { id: string }) => r.id)).toEqual([ids[0], ids[2], ids[1], ...ids.slice(3)]);
      expect(swapped.results.map((r: { rank: number }) => r.rank)).toEqual([1, 2, 3, 4, 5, 6]);
      await loop.log.flush();
      const [row] = await api.store.rows<{ swapped_at: number }>(sql`select swapped_at from rankings where id = ${swapped.ranking_id}`);
      expect(row.swapped_at).toBe(2);
      const [items] = await api.store.rows<{ candidate_ids: string[] }>(sql`select candidate_ids from rankings where id = ${swapped.ranking_id}`);
      expect(items.candidate_ids).toEqual(swapped.results.map((r: { id: string }) => r.id));
    } finally {
      await other.close();
      await loop.stop();
    }
  });

  it('counts in /metrics the rankings a full log could not keep, and still answers them', async () => {
    const loop = await openFeedbackLoop({
      store: api.store, matching: api.matching, config: { ...CONFIG, rankingLogCapacity: 1 }, source: 'api', intervalMs: 60_000,
    });
    const other = await api.startAnother({}, { feedback: loop });
    try {
      const replies = [];
      for (let i = 0; i < 3; i++) replies.push(await other.call('GET', `/api/v1/structures/dev-s06/matches?as_of=${AS_OF}`, { key: api.keys.admin }));
      expect(replies.map((r) => r.status)).toEqual([200, 200, 200]);
      expect(replies.map((r) => r.body.ranking_id === null)).toEqual([false, true, true]);
      const metrics = (await other.call('GET', '/metrics')).text;
      expect(metrics).toMatch(/^passerelles_ranking_log_dropped_total 2$/m);
      expect(metrics).toMatch(/^passerelles_ranking_log_queued 1$/m);
    } finally {
      await other.close();
      await loop.stop();
    }
  });

  it('proposes a structure to at most N different delegates over the week, still to those who saw it', async () => {
    const loop = await openFeedbackLoop({ store: api.store, matching: api.matching, config: { ...CONFIG, maxDelegatesPerWeek: 1 }, source: 'api' });
    const other = await api.startAnother({}, { feedback: loop });
    try {
      const ids = async (key: string) => {
        const reply = await other.call('GET', `/api/v1/resources/dev-r02/matches?limit=200&as_of=${AS_OF}`, { key });
        return reply.body as { results: { id: string }[]; excluded_by_weekly_limit: number };
      };
      const first = await ids(api.keys.bretagne);
      expect(first.results.length).toBeGreaterThan(0);
      const again = await ids(api.keys.bretagne);
      expect(again.results.map((r) => r.id)).toEqual(first.results.map((r) => r.id));
      // A delegate with the same régions, another key: the structures already shown to one delegate are left out.
      const created = await api.call('POST', '/api/v1/keys', { key: api.keys.admin, json: { role: 'delegate', regions: ['53'] } });
      const second = await ids(created.body.key);
      const seen = new Set(first.results.map((r) => r.id));
      expect(second.results.filter((r) => seen.has(r.id))).toEqual([]);
      expect(second.excluded_by_weekly_limit).toBe(first.results.length);
      await loop.log.flush();
      // Rebuilt from the log at start.
      const restarted = await openFeedbackLoop({ store: api.store, matching: api.matching, config: { ...CONFIG, maxDelegatesPerWeek: 1 }, source: 'api', now: () => new Date() });
      expect(restarted.effects.hiddenReason({ requester: 'someone', role: 'delegate' }, { kind: 'resource', id: 'dev-r02' }, first.results[0].id)).toBe('weekly_limit');
      await restarted.stop();
    } finally {
      await other.close();
      await loop.stop();
    }
  });

  it('loads the exclusions from stored events at start', async () => {
    const loop = await openFeedbackLoop({ store: api.store, matching: api.matching, config: CONFIG, source: 'api' });
    expect(loop.effects.stats().partnerships).toBeGreaterThanOrEqual(1);
    expect(loop.effects.hiddenReason({ requester: await keyId(api.keys.occitanie), role: 'delegate' }, { kind: 'resource', id: 'dev-r52' },
      (await api.store.rows<{ structure_id: string }>(sql`select structure_id from feedback_events where kind = 'not_interested'`))[0].structure_id)).toBe('not_interested');
    await loop.stop();
  });

  it('purges the rankings older than the retention period, with their items, and keeps the others', async () => {
    await api.feedback.log.flush();
    const total = await count('rankings');
    await api.store.rows(sql`update rankings set served_at = now() - interval '200 days' where id in (select id from rankings order by id limit 2)`);
    const itemsKept = await api.store.rows<{ n: number }>(sql`select sum(cardinality(candidate_ids))::int as n from rankings where served_at > now() - interval '180 days'`);
    expect(Number(itemsKept[0].n)).toBeGreaterThan(0);
    expect(await purgeRankings(api.store, 180, new Date())).toBe(2);
    expect(await count('rankings')).toBe(total - 2);
    const left = await api.store.rows<{ n: number; items: number }>(sql`select count(*)::int as n, sum(cardinality(candidate_ids))::int as items from rankings where served_at < now() - interval '180 days'`);
    expect(left[0]).toEqual({ n: 0, items: null });
  });
});
