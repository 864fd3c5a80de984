/**
 * Seeds of the exact search (engine/exact.ts `seeds`): the nightly run gives each query the top-k
 * of the run before, scored first to set the threshold. They change the work, never the answer.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { dayNumber } from '../../src/domain/day.ts';
import { exactResourceCandidates, exactStructureCandidates, type ExactCandidates } from '../../src/engine/exact.ts';
import type { Index } from '../../src/engine/index.ts';
import { loadMatchingFiles } from '../../src/matching/matching.models.ts';
import type { RankingModel } from '../../src/ranking/model.ts';
import { generatedIndex, odd } from './generated.ts';

const AS_OF_DAY = dayNumber('2026-12-01');
const K = 10;
let index: Index;
let committed: RankingModel;

beforeAll(() => {
  index = generatedIndex({ structures: 600, resources: 200, seed: 11 });
  committed = loadMatchingFiles().model;
});

function search(kind: 'structure' | 'resource', slot: number, model: RankingModel, seeds?: readonly number[], limit = K): ExactCandidates {
  const request = { limit, asOfDay: AS_OF_DAY, model, seeds };
  return kind === 'structure'
    ? exactResourceCandidates(index, index.structures.profiles[slot], request)
    : exactStructureCandidates(index, index.resources.profiles[slot], request);
}

/** The answer as the batch reads it: the top-k's slots, in the order of their ids (the search does not promise an order). */
const answer = (found: ExactCandidates) => Array.from(found.slots).sort((a, b) => a - b);

describe.each([['the committed model', () => committed], ['a model with negative and unusual weights', () => odd]] as const)('the exact search seeded, with %s', (_, modelOf) => {
  it.each(['structure', 'resource'] as const)('gives every %s the same top-10 seeded with its own, with another query\'s, with worse records, or unseeded, and scores fewer pairs from its own', (kind) => {
    const model = modelOf();
    const count = kind === 'structure' ? index.structures.profiles.length : index.resources.profiles.length;
    let unseeded = 0, ownSeeded = 0;
    let previous: number[] = [];
    for (let slot = 0; slot < count; slot += kind === 'structure' ? 4 : 2) {
      const plain = search(kind, slot, model);
      const own = search(kind, slot, model, Array.from(plain.slots));
      const other = search(kind, slot, model, previous);
      expect(answer(own), `slot ${slot}, seeded with its own top-10`).toEqual(answer(plain));
      expect(answer(other), `slot ${slot}, seeded with another query's`).toEqual(answer(plain));
      // Ranks 11 to 20: they fill the top-k (the cheap search is skipped) with a θ below the final one.
      const worse = Array.from(search(kind, slot, model, undefined, 2 * K).slots).filter((x) => !plain.slots.includes(x));
      expect(answer(search(kind, slot, model, worse)), `slot ${slot}, seeded with its ranks 11 to 20`).toEqual(answer(plain));
      expect(Array.from(own.cosines)).toEqual(Array.from(own.slots, (x) => plain.cosines[plain.slots.indexOf(x)]));
      unseeded += plain.scored;
      ownSeeded += own.scored;
      previous = Array.from(plain.slots);
    }
    expect(ownSeeded).toBeLessThan(unseeded);
  });
});

describe('seeds the search cannot take as they are', () => {
  it('are scored once when given twice: the top-10 holds each record once', () => {
    for (let slot = 0; slot < 40; slot++) {
      const plain = Array.from(search('structure', slot, committed).slots);
      const twice = search('structure', slot, committed, [...plain, ...plain, plain[0]]);
      expect(Array.from(twice.slots).sort((a, b) => a - b), `slot ${slot}`).toEqual(plain.sort((a, b) => a - b));
    }
  });

  // Last: it removes a record from the index the tests of this file share.
  it('are neither scored into the top-10 nor in the way of the record that takes a removed one\'s place', () => {
    const slot = index.structures.profiles.findIndex((_, i) => search('structure', i, committed).slots.length === K);
    const before = Array.from(search('structure', slot, committed).slots);
    const gone = index.resources.profiles[before[0]].entity.id;
    index.remove('resource', gone);
    const seeded = search('structure', slot, committed, before);
    expect(seeded.slots).not.toContain(before[0]);
    expect(answer(seeded)).toEqual(answer(search('structure', slot, committed)));
    expect(seeded.slots.length).toBe(K);
  });
});
