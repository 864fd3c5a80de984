import { beforeAll, describe, expect, it } from 'vitest';
import { Index } from '../../src/engine/index.ts';
import { decodeIndex, encodeIndex, indexState, readHeader, SNAPSHOT_FORMAT, type ReadBytes } from '../../src/engine/snapshot.ts';
import { loadGeography } from '../../src/geo/geography.ts';
import { loadMatchingFiles } from '../../src/matching/matching.models.ts';
import { createMatching } from '../../src/matching/matching.usecases.ts';
import { demoSet, devSet, goldenLines, goldenQueries, previewLines } from '../support/golden.ts';

/** The parts of a snapshot joined, read as a file would be. */
function inMemory(parts: Iterable<Uint8Array>): [ReadBytes, number] {
  const list = [...parts];
  const all = new Uint8Array(list.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of list) { all.set(p, at); at += p.byteLength; }
  return [async (offset, length) => all.subarray(offset, offset + length), all.byteLength];
}

const saved = (index: Index, key = 'k', meta = {}) => inMemory(encodeIndex(indexState(index), key, meta));

describe('an index snapshot', () => {
  const files = loadMatchingFiles();
  let geo: ReturnType<typeof loadGeography>;
  beforeAll(() => { geo = loadGeography(); });

  for (const name of ['dev', 'demo'] as const) {
    it(`ranks, scores and explains the ${name} set byte for byte like the index it was saved from`, async () => {
      const set = name === 'dev' ? devSet(geo) : demoSet(geo);
      const built = Index.build(files.thesaurus, set);
      const { index: loaded } = await decodeIndex(files.thesaurus, ...saved(built));
      expect(loaded.stats()).toEqual({ ...built.stats(), builtInMs: loaded.builtInMs });
      expect(loaded.localReachKm).toBe(built.localReachKm);
      const every = name === 'dev' ? { structure: 1, resource: 1 } : { structure: 20, resource: 10 };
      const queries = goldenQueries(set, every);
      const fresh = createMatching({ index: built, model: files.model });
      const restored = createMatching({ index: loaded, model: files.model });
      expect([...goldenLines(restored, queries), ...previewLines(restored, set)])
        .toEqual([...goldenLines(fresh, queries), ...previewLines(fresh, set)]);
    });
  }

  it('keeps records changed after the build, and ranks after a change like the index it was saved from', async () => {
    const set = devSet(geo);
    const built = Index.build(files.thesaurus, set);
    built.upsertStructure({ ...set.structures[0], need_text: 'Nous cherchons un local partagé pour un atelier de réparation de vélos' });
    built.remove('resource', set.resources[1].id);
    const { index: loaded } = await decodeIndex(files.thesaurus, ...saved(built));
    expect(loaded.getResource(set.resources[1].id)).toBeUndefined();
    const queries = goldenQueries(set, { structure: 1, resource: 1 }).filter((q) => q.id !== set.resources[1].id);
    expect(goldenLines(createMatching({ index: loaded, model: files.model }), queries))
      .toEqual(goldenLines(createMatching({ index: built, model: files.model }), queries));
  });

  it('carries its key and meta in a header read without the rest, and says when bytes are not a snapshot', async () => {
    const built = Index.build(files.thesaurus, devSet(geo));
    const found = await readHeader(...saved(built, 'clé', { watermark: '2026-12-04T00:00:00.000Z' }));
    expect(found).toMatchObject({ format: SNAPSHOT_FORMAT, key: 'clé', meta: { watermark: '2026-12-04T00:00:00.000Z' } });
    expect(await readHeader(...inMemory([new TextEncoder().encode('pas un instantané du tout')]))).toBeUndefined();
  });

  it('stores a trait added to the profiles tomorrow without any change to the snapshot code', async () => {
    const built = Index.build(files.thesaurus, devSet(geo));
    built.structures.liveInSlotOrder().forEach((p, i) => {
      (p as unknown as Record<string, unknown>).newTrait = { weights: Float32Array.of(i, 0.5), ids: Int32Array.of(i), far: Infinity, tags: ['a', i], absent: undefined };
    });
    const { index: loaded } = await decodeIndex(files.thesaurus, ...saved(built));
    const [a, b] = [built.structures.liveInSlotOrder(), loaded.structures.liveInSlotOrder()];
    expect(Object.keys(b[3])).toEqual(Object.keys(a[3]));
    expect((b[3] as unknown as { newTrait: unknown }).newTrait).toEqual({ weights: Float32Array.of(3, 0.5), ids: Int32Array.of(3), far: Infinity, tags: ['a', 3] });
  });

  it('refuses at save time a profile field that is not data, instead of losing it', () => {
    const built = Index.build(files.thesaurus, devSet(geo));
    const [first] = built.structures.liveInSlotOrder();
    (first as unknown as Record<string, unknown>).newTrait = new Set(['x']);
    expect(() => [...encodeIndex(indexState(built), 'k')]).toThrow(/newTrait is not data \(Set\)/);
  });
});
