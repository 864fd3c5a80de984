import { beforeAll, describe, expect, it } from 'vitest';
import { Index } from '../../src/engine/index.ts';
import { loadGeography } from '../../src/geo/geography.ts';
import { loadMatchingFiles } from '../../src/matching/matching.models.ts';
import { ArraySlab } from '../../src/retrieval/slab.ts';
import { devSet } from '../support/golden.ts';

/** The typed arrays a built index keeps per record. */
function keptArrays(index: Index): ArrayBufferView[] {
  return [
    ...index.structures.profiles.flatMap((p) => [p.vector.ids, p.vector.weights, p.needVector.ids, p.needVector.weights, p.surfaces]),
    ...index.resources.profiles.flatMap((p) => [p.vector.ids, p.vector.weights, p.surfaces]),
  ];
}

describe('the arrays of a bulk build', () => {
  let geo: ReturnType<typeof loadGeography>;
  beforeAll(() => { geo = loadGeography(); });

  it('are views over a few shared blocks, not each an array with a buffer of its own; a record upserted later keeps its own', () => {
    const set = devSet(geo);
    const built = Index.build(loadMatchingFiles().thesaurus, set);
    const arrays = keptArrays(built);
    const buffers = new Set(arrays.map((a) => a.buffer));
    const bytes = arrays.reduce((n, a) => n + a.byteLength, 0);
    expect(arrays.length).toBeGreaterThan(100);
    expect(buffers.size).toBeLessThanOrEqual(Math.ceil(bytes / 2 ** 20) + 1);
    // a block lives while one of its views does: a record replaced later must not keep one alive
    built.upsertStructure({ ...set.structures[0], need_text: 'Un local pour un atelier de réparation de vélos' });
    const changed = built.structures.get(set.structures[0].id)!;
    expect(changed.vector.ids.buffer.byteLength).toBe(changed.vector.ids.byteLength);
  });
});

describe('an array slab', () => {
  it('copies values exactly, past the end of a block and for an array larger than a block', () => {
    const slab = new ArraySlab();
    const small = Int32Array.from({ length: 1000 }, (_, i) => i * 7 - 3);
    const big = Float32Array.from({ length: 300_000 }, (_, i) => i / 3);
    const copies: [ArrayLike<number>, ArrayLike<number>][] = [];
    for (let i = 0; i < 300; i++) copies.push([small, slab.int32(small)]);
    copies.push([big, slab.float32(big)], [small, slab.int32(small)]);
    for (const [original, copy] of copies) expect(Array.from(copy)).toEqual(Array.from(original));
    // 262 copies fill the first block of 1 MB, the rest a second; the big one takes a block of its own, the last copy a fourth
    expect(new Set(copies.map(([, c]) => (c as Int32Array).buffer)).size).toBe(4);
  });
});
