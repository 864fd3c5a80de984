/**
 * Reading the ranking log for training: feature vectors put in the engine's order whatever order
 * they were logged in, events attached to the item they name, and events about a pair outside any
 * ranking attached to the latest ranking that showed the pair (within the attribution window).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/db/open.ts';
import { feedbackEvents, float32Bytes, rankings } from '../../src/db/schema.ts';
import { FEATURE_NAMES } from '../../src/features/index.ts';
import { readTrainingLogs } from '../../src/models/models.logs.ts';
import { openTestStore, storeKinds } from '../support/stores.ts';

const DAY = 86_400_000;
const T0 = Date.parse('2026-11-01T10:00:00Z');

describe.each(storeKinds())('training logs on %s', (kind) => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore(kind);
    const vector = (first: number) => FEATURE_NAMES.map((_, i) => (i === 0 ? first : 0));
    const logged = (id: string, day: number, names: string[], items: { id: string; score: number; features: number[] }[]) => ({
      id, servedAt: new Date(T0 + day * DAY), role: 'structure', requester: 'key_s1', queryKind: 'structure', queryId: 's1',
      asOf: '2026-11-01', modelVersion: 'default-v3', featureNames: names, source: 'test',
      positions: items.map((_, k) => k + 1), candidateIds: items.map((i) => i.id), scores: items.map((i) => i.score),
      features: float32Bytes(items.flatMap((i) => i.features)),
    });
    await store.db.insert(rankings).values([
      logged('r1', 0, [...FEATURE_NAMES], [{ id: 'ra', score: 2, features: vector(0.5) }, { id: 'rb', score: 1, features: vector(0.25) }]),
      logged('r2', 10, [...FEATURE_NAMES].reverse(), [{ id: 'rb', score: 2, features: [...vector(0.75)].reverse() }]),
    ]);
    const event = (id: string, day: number, resourceId: string, rankingId: string | null) => ({
      clientEventId: id, kind: 'contacted', rankingId, structureId: 's1', resourceId, role: 'structure', requester: 'key_s1',
      region: '53', occurredAt: new Date(T0 + day * DAY + 1000),
    });
    await store.db.insert(feedbackEvents).values([
      event('e1', 0, 'ra', 'r1'),      // named ranking
      event('e2', 12, 'rb', null),     // pair shown by r1 (day 0) and r2 (day 10): the latest, r2
      event('e3', 60, 'ra', null),     // pair last shown 60 days before: beyond the window
      event('e4', 5, 'rz', null),      // never shown
    ]);
  });
  afterAll(() => store.close());

  it('puts logged vectors in the engine’s feature order and attaches pair events to the latest ranking that showed the pair', async () => {
    const logs = await readTrainingLogs(store, { since: new Date(T0 - DAY), attributionDays: 30 });
    expect(logs.rankings.map((r) => r.id)).toEqual(['r1', 'r2']);
    expect(logs.rankings[0].items.map((i) => [i.id, i.position, i.score, i.features[0]])).toEqual([['ra', 1, 2, 0.5], ['rb', 2, 1, 0.25]]);
    const r2 = logs.rankings[1];
    expect(r2.items[0].features[0]).toBeCloseTo(0.75);
    expect(r2.items[0].features.length).toBe(FEATURE_NAMES.length);
    expect(logs.events.map((e) => [e.rankingId, e.itemId])).toEqual([['r1', 'ra'], ['r2', 'rb']]);
    expect(logs.attributed).toBe(1);
    expect(logs.ignored).toBe(2);
  });
});
