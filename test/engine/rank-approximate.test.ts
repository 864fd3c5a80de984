/**
 * The served search hands rank.ts float32 cosines (candidates.ts) when it read every term of the
 * query; rank.ts bounds the text with them and computes the exact cosine only for the candidates it
 * scores. On generated data, with the committed model and one of unusual weights (negative text),
 * every list must be the one ranked from exact cosines: same records, order, scores and features.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { dayNumber } from '../../src/domain/day.ts';
import { resourceCandidates, structureCandidates, type Candidates } from '../../src/engine/candidates.ts';
import type { Index } from '../../src/engine/index.ts';
import { rank } from '../../src/engine/rank.ts';
import type { RankRequest } from '../../src/engine/request.ts';
import { loadMatchingFiles } from '../../src/matching/matching.models.ts';
import type { RankingModel } from '../../src/ranking/model.ts';
import { cosine, type SparseVector } from '../../src/retrieval/documents.ts';
import { generatedIndex, odd } from './generated.ts';

let index: Index;
let committed: RankingModel;

beforeAll(() => {
  index = generatedIndex({ structures: 600, resources: 250, seed: 7 });
  committed = loadMatchingFiles().model;
});

const requestOf = (model: RankingModel, over: Partial<RankRequest> = {}): RankRequest =>
  ({ limit: 10, asOf: '2026-12-01', asOfDay: dayNumber('2026-12-01'), model, explain: true, includeExcluded: false, ...over });

/** The same candidates with exact cosines, as the search computed them before. */
function exactly(found: Candidates, query: SparseVector, vectorAt: (slot: number) => SparseVector): Candidates {
  return { slots: found.slots, cosines: Float64Array.from(found.slots, (slot) => cosine(query, vectorAt(slot))) };
}

describe('ranking from the float32 cosines of the search', () => {
  it('gives every structure and every resource the list that exact cosines give, whatever the model', () => {
    let approximate = 0, lists = 0;
    for (const model of [committed, odd]) {
      for (const over of [{}, { limit: 3 }, { limit: 40 }, { pillar: 'premises' as const }]) {
        const request = requestOf(model, over);
        for (const s of index.structures.profiles) {
          const found = resourceCandidates(index, s, request);
          if (found.approximate) approximate++;
          const sides = { structureAt: () => s, resourceAt: (slot: number) => index.resources.profiles[slot], other: index.resources };
          const query = { kind: 'structure' as const, id: s.entity.id };
          expect(rank(index.analyser, query, found, request, sides))
            .toEqual(rank(index.analyser, query, exactly(found, s.vector, (x) => index.resources.profiles[x].vector), request, sides));
          lists++;
        }
        for (const r of index.resources.profiles) {
          const found = structureCandidates(index, r, request);
          if (found.approximate) approximate++;
          const sides = { structureAt: (slot: number) => index.structures.profiles[slot], resourceAt: () => r, other: index.structures };
          const query = { kind: 'resource' as const, id: r.entity.id };
          expect(rank(index.analyser, query, found, request, sides))
            .toEqual(rank(index.analyser, query, exactly(found, r.vector, (x) => index.structures.profiles[x].vector), request, sides));
          lists++;
        }
      }
    }
    // Every term is read at this size (the common-term limit is at least 1,000 records): every list came approximate.
    expect(approximate).toBe(lists);
  });

  it('hands over cosines within the slack of the exact ones', () => {
    for (const s of index.structures.profiles.slice(0, 200)) {
      const found = resourceCandidates(index, s, requestOf(committed));
      found.slots.forEach((slot, i) => {
        const exact = cosine(s.vector, index.resources.profiles[slot].vector);
        expect(Math.abs(found.cosines[i] - exact)).toBeLessThanOrEqual(1e-4 * exact + 1e-12);
      });
    }
  });
});
