/**
 * Rankings as served (src/feedback/serving.ts) over the dev set in memory, with an in-memory log:
 * what is logged, the effects applied through the engine's filter, the swap, a full log, and the
 * cost of logging next to an unlogged ranking.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { OPERATOR, type Caller } from '../../src/access/access.policy.ts';
import { Index } from '../../src/engine/index.ts';
import { FEATURE_NAMES } from '../../src/features/index.ts';
import { createFeedbackEffects } from '../../src/feedback/effects.ts';
import { createRankingLog, type RankingEntry } from '../../src/feedback/ranking-log.ts';
import { createServing } from '../../src/feedback/serving.ts';
import { loadGeography } from '../../src/geo/geography.ts';
import { loadMatchingFiles } from '../../src/matching/matching.models.ts';
import { createMatching, type Matching } from '../../src/matching/matching.usecases.ts';
import { devSet } from '../support/golden.ts';

const AS_OF = '2026-12-01';
const query = { as_of: AS_OF, limit: 10 };
const delegate: Caller = { keyId: 'key_bzh', role: 'delegate', regions: ['53'], structureId: null };

describe('rankings as served', () => {
  let matching: Matching;
  beforeAll(() => {
    const { thesaurus, model } = loadMatchingFiles();
    matching = createMatching({ index: Index.build(thesaurus, devSet(loadGeography())), model });
  });

  const setup = (over: { swapShare?: number; capacity?: number; cap?: number } = {}) => {
    const logged: RankingEntry[] = [];
    const log = createRankingLog({ write: async (b) => { logged.push(...b); }, capacity: over.capacity });
    const effects = createFeedbackEffects({ enabled: true, maxDelegatesPerWeek: over.cap ?? 5, now: () => new Date(`${AS_OF}T12:00:00Z`) });
    const serving = createServing({ matching, effects, log, swapShare: over.swapShare ?? 0, source: 'test', rng: { next: () => 0.5 } });
    return { logged, log, effects, serving };
  };

  it('gives the same list as matching when nothing was said, and logs it as shown', async () => {
    const { serving, log, logged } = setup();
    const served = serving.forStructure('dev-s06', query, delegate);
    const plain = matching.forStructure('dev-s06', query, delegate);
    expect(served.results.map((r) => [r.id, r.rank, r.score])).toEqual(plain.results.map((r) => [r.id, r.rank, r.score]));
    expect(served).toMatchObject({ excludedByFeedback: 0, excludedByWeeklyLimit: 0, swappedAt: null });
    await log.flush();
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      id: served.rankingId, keyId: 'key_bzh', role: 'delegate', requester: 'key_bzh', queryKind: 'structure', queryId: 'dev-s06',
      preview: false, asOf: AS_OF, modelVersion: matching.model().version, swappedAt: null, source: 'test',
    });
    expect(logged[0].items.map((i) => i.candidateId)).toEqual(plain.results.map((r) => r.id));
    expect(logged[0].items.at(0).features).toEqual(FEATURE_NAMES.map((n) => plain.results[0].features[n]));
  });

  it('logs the operator’s rankings without a key', async () => {
    const { serving, log, logged } = setup();
    serving.forResource('dev-r02', query, OPERATOR);
    await log.flush();
    expect(logged[0]).toMatchObject({ keyId: null, role: 'admin', requester: 'operateur', queryKind: 'resource' });
  });

  it('leaves out what the requester set aside, fills the list with the next ones, and shows them last on demand', () => {
    const { serving, effects } = setup();
    const before = serving.forStructure('dev-s06', query, delegate);
    const [first, second] = before.results;
    effects.addEvent({ requester: 'key_bzh', kind: 'not_interested', structureId: 'dev-s06', resourceId: first.id });
    effects.addEvent({ requester: 'key_bzh', kind: 'partnership', structureId: 'dev-s06', resourceId: second.id });
    const after = serving.forStructure('dev-s06', query, delegate);
    expect(after.results.map((r) => r.id)).toEqual(matching.forStructure('dev-s06', { ...query, limit: 12 }, delegate).results.map((r) => r.id).slice(2, 12));
    expect(after.excludedByFeedback).toBe(2);
    const shown = serving.forStructure('dev-s06', { ...query, include_excluded: true }, delegate);
    expect(shown.results.slice(-2).map((r) => [r.id, r.hiddenByFeedback, r.partnership])).toEqual([
      [first.id, 'not_interested', false], [second.id, 'partnership', true],
    ]);
    expect(shown.results.map((r) => r.rank)).toEqual(shown.results.map((_, i) => i + 1));
    const admin = serving.forStructure('dev-s06', query, OPERATOR);
    expect(admin.results.find((r) => r.id === second.id)?.partnership).toBe(true);
  });

  it('swaps two neighbours in the configured share of rankings and says where', () => {
    const { serving } = setup({ swapShare: 1 });
    const served = serving.forStructure('dev-s06', query, delegate);
    const ids = matching.forStructure('dev-s06', query, delegate).results.map((r) => r.id);
    // rng 0.5: k = 1 + floor(0.5 × 9) = 5.
    expect(served.swappedAt).toBe(5);
    expect(served.results.map((r) => r.id)).toEqual([...ids.slice(0, 4), ids[5], ids[4], ...ids.slice(6)]);
  });

  it('still answers when the log is full, without a ranking id', () => {
    const { serving, log } = setup({ capacity: 1 });
    expect(serving.forStructure('dev-s06', query, delegate).rankingId).not.toBeNull();
    const refused = serving.forStructure('dev-s06', query, delegate);
    expect(refused.rankingId).toBeNull();
    expect(refused.results.length).toBeGreaterThan(0);
    expect(log.stats().dropped).toBe(1);
  });

  it('costs well under a millisecond more than an unlogged ranking (median of alternating runs)', () => {
    const { serving } = setup({ swapShare: 0.05, capacity: 1_000_000 });
    const plain: number[] = [], logged: number[] = [];
    const ids = ['dev-s01', 'dev-s06', 'dev-s12', 'dev-s25', 'dev-s33'];
    for (let i = 0; i < 400; i++) {
      const id = ids[i % ids.length];
      let t = performance.now(); matching.forStructure(id, query, OPERATOR); plain.push(performance.now() - t);
      t = performance.now(); serving.forStructure(id, query, OPERATOR); logged.push(performance.now() - t);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
    expect(median(logged) - median(plain)).toBeLessThan(1);
  });
});
