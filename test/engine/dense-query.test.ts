/** DenseQuery: the cosines of one query against many vectors, as a lookup instead of a merge. */
import { describe, expect, it } from 'vitest';
import { cosine, DenseQuery, type SparseVector } from '../../src/retrieval/documents.ts';

/** A random sparse vector (sorted distinct ids below `vocabulary`, Float32 weights), from a seeded generator. */
function randomVector(next: () => number, vocabulary: number, terms: number): SparseVector {
  const ids = new Set<number>();
  while (ids.size < terms) ids.add(Math.floor(next() * vocabulary));
  const sorted = Int32Array.from([...ids].sort((a, b) => a - b));
  return { ids: sorted, weights: Float32Array.from(sorted, () => next()) };
}

function seeded(seed: number): () => number {
  let x = seed;
  return () => { x = (x * 1103515245 + 12345) % 2 ** 31; return x / 2 ** 31; };
}

describe('a query spread over a dense array', () => {
  it('gives every cosine to the last bit, whichever side is longer and whatever the ids', () => {
    const next = seeded(42);
    const dense = new DenseQuery();
    for (let q = 0; q < 50; q++) {
      const query = randomVector(next, 5000, 1 + Math.floor(next() * 80));
      dense.load(query);
      for (let k = 0; k < 40; k++) {
        const other = randomVector(next, q % 2 === 0 ? 5000 : 20_000, 1 + Math.floor(next() * 120));
        expect(dense.dot(other)).toBe(cosine(query, other));
      }
    }
  });

  it('forgets the previous query when loaded again, and handles an empty one', () => {
    const dense = new DenseQuery();
    const a: SparseVector = { ids: Int32Array.from([1, 5, 9]), weights: Float32Array.from([0.5, 0.5, 0.5]) };
    const b: SparseVector = { ids: Int32Array.from([2, 5]), weights: Float32Array.from([0.25, 1]) };
    expect(dense.load(a).dot(b)).toBe(0.5);
    expect(dense.load(b).dot(a)).toBe(0.5);
    expect(dense.load({ ids: new Int32Array(0), weights: new Float32Array(0) }).dot(a)).toBe(0);
    expect(dense.load(b).dot({ ids: Int32Array.from([1, 9]), weights: Float32Array.from([1, 1]) })).toBe(0);
  });

  it('grows for a query whose terms lie beyond its array', () => {
    const dense = new DenseQuery();
    const far: SparseVector = { ids: Int32Array.from([3, 50_000]), weights: Float32Array.from([0.5, 0.75]) };
    expect(dense.load(far).dot(far)).toBe(cosine(far, far));
  });
});
