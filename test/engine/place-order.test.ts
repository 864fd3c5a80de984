import { describe, expect, it } from 'vitest';
import { TEXT_CANDIDATES } from '../../src/engine/candidates.ts';
import { engineOf, PLACES, resource, structure } from './fixtures.ts';

const pad = (i: number) => String(i).padStart(3, '0');

describe('the place order of a bulk build', () => {
  it('lays the records out by département, postal code and id, whatever order they come in, with their vectors in that order in memory', () => {
    const { index } = engineOf(
      [structure({ id: 's-1', place: PLACES.toulouse }), structure({ id: 's-2', place: PLACES.brest }), structure({ id: 's-3', place: PLACES.rennes })],
      [
        resource({ id: 'r-1', place: PLACES.paris15 }), resource({ id: 'r-2', place: PLACES.aix }),
        resource({ id: 'r-3', place: PLACES.salon }), resource({ id: 'r-4', place: PLACES.brest }),
      ],
    );
    expect(index.structures.profiles.map((p) => p.entity.id)).toEqual(['s-2', 's-1', 's-3']);
    expect(index.resources.profiles.map((p) => p.entity.id)).toEqual(['r-2', 'r-3', 'r-4', 'r-1']);
    const offsets = index.resources.profiles.map((p) => p.vector.weights.byteOffset);
    expect(index.resources.profiles.every((p) => p.vector.weights.buffer === index.resources.profiles[0].vector.weights.buffer)).toBe(true);
    expect([...offsets].sort((a, b) => a - b)).toEqual(offsets);
  });

  it('lays the resources out by scope first (national, regional by région, departmental, local), so that an area\'s offers lie in few runs of slots', () => {
    const { index } = engineOf([structure({ id: 's-1' })], [
      resource({ id: 'r-local-13', place: PLACES.aix }), resource({ id: 'r-dep-35', place: PLACES.rennes, scope: 'departmental' }),
      resource({ id: 'r-nat', place: PLACES.toulouse, scope: 'national' }), resource({ id: 'r-reg-53-brest', place: PLACES.brest, scope: 'regional' }),
      resource({ id: 'r-reg-11', place: PLACES.paris15, scope: 'regional' }), resource({ id: 'r-local-29', place: PLACES.brest }),
      resource({ id: 'r-reg-53-rennes', place: PLACES.rennes, scope: 'regional' }), resource({ id: 'r-dep-13', place: PLACES.salon, scope: 'departmental' }),
    ]);
    expect(index.resources.profiles.map((p) => p.entity.id)).toEqual([
      'r-nat', 'r-reg-11', 'r-reg-53-brest', 'r-reg-53-rennes', 'r-dep-13', 'r-dep-35', 'r-local-13', 'r-local-29',
    ]);
    // A structure of Rennes: the national offer, its région's two, its département's (departmental, then local: none) in two runs.
    const area = index.resources.filter(['n', 'r:53', 'd:35']);
    expect(Array.from(area.runs!.subarray(0, 2 * area.runCount!))).toEqual([0, 1, 2, 4, 5, 6]);
  });

  it('takes the candidates that tie on the text by id, not by where the place order put them', () => {
    // More records tied on the text than the candidates kept; the first twenty by id lie last in
    // the place order (a postal code sorting after the others').
    const resources = Array.from({ length: TEXT_CANDIDATES + 20 }, (_, i) =>
      resource({ id: `r-${pad(i)}`, place: i < 20 ? { ...PLACES.rennes, postalCode: '35999' } : PLACES.rennes }));
    const engine = engineOf([structure({ id: 's-1' })], resources);
    expect(engine.index.resources.profiles[0].entity.id).toBe('r-020');
    const list = engine.matchStructure('s-1');
    expect(new Set(list.results.map((r) => r.score)).size).toBe(1);
    expect(list.results.map((r) => r.id)).toEqual(Array.from({ length: 20 }, (_, i) => `r-${pad(i)}`));
  });
});
