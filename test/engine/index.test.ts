import { similarity } from 'ml-distance';
import { describe, expect, it } from 'vitest';
import { analyseFields, bagOf, cosine, type SparseVector } from '../../src/retrieval/documents.ts';
import { conceptTerm } from '../../src/retrieval/terms.ts';
import { SurfacePool } from '../../src/retrieval/surfaces.ts';
import { stem } from '../../src/text/analyze.ts';
import { loadThesaurus } from '../../src/text/thesaurus.ts';
import { DEFAULT_THESAURUS } from '../../scripts/check-thesaurus.ts';
import { Collection } from '../../src/retrieval/collection.ts';
import { InvertedIndex } from '../../src/retrieval/inverted-index.ts';
import { TopK } from '../../src/retrieval/top-k.ts';
import { Vocabulary } from '../../src/retrieval/vocabulary.ts';

/** The documents `accumulate` scored: [slot, dot product] pairs. */
const hitsOf = (index: InvertedIndex, query: SparseVector): [number, number][] =>
  Array.from(index.hitSlots.subarray(0, index.accumulate(query)), (slot, i) => [slot, index.hitScores[i]]);

/** A deterministic pseudo-random unit vector over `terms` terms. */
function randomVector(seed: number, terms: number): SparseVector {
  let x = seed * 2654435761 >>> 0;
  const next = () => ((x = (x * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const ids = [...new Set(Array.from({ length: 3 + Math.floor(next() * 12) }, () => Math.floor(next() * terms)))].sort((a, b) => a - b);
  const weights = Float32Array.from(ids, () => 0.1 + next());
  const norm = Math.hypot(...weights);
  return { ids: Int32Array.from(ids), weights: weights.map((w) => w / norm) };
}

const dense = (v: SparseVector, n: number) => { const d = new Array(n).fill(0); v.ids.forEach((id, i) => { d[id] = v.weights[i]; }); return d; };

describe('the inverted index', () => {
  const TERMS = 60;
  const docs = Array.from({ length: 300 }, (_, i) => randomVector(i + 1, TERMS));

  it('computes the same cosines as a dense reference (ml-distance), document by document', () => {
    const index = InvertedIndex.build(docs, TERMS);
    for (let q = 0; q < 20; q++) {
      const query = randomVector(1000 + q, TERMS);
      const got = new Map<number, number>();
      hitsOf(index, query).forEach(([slot, score]) => got.set(slot, score));
      docs.forEach((d, slot) => {
        const expected = similarity.cosine(dense(query, TERMS), dense(d, TERMS));
        expect(got.get(slot) ?? 0).toBeCloseTo(expected, 4);
        expect(cosine(query, d)).toBeCloseTo(expected, 4);
      });
    }
  });

  it('finds documents added after the build and ignores removed ones, before and after compaction', () => {
    const index = InvertedIndex.build(docs.slice(0, 100), TERMS);
    const added = index.add(docs[150]);
    index.remove(3);
    const seen = () => new Set(hitsOf(index, docs[150]).map(([slot]) => slot));
    expect(seen().has(added)).toBe(true);
    index.remove(added);
    expect(seen().has(added)).toBe(false);
    index.compact(TERMS);
    const after = new Set(hitsOf(index, docs[3]).map(([slot]) => slot));
    expect(after.has(3)).toBe(false);
  });

  it('accumulates two queries in one pass to the same float32 sums as one accumulate each, for the first query\'s hits, tails and filter included', () => {
    const index = InvertedIndex.build(docs.slice(0, 250), TERMS);
    for (const d of docs.slice(250)) index.add(d);
    index.remove(7);
    const stamps = new Uint32Array(300);
    for (let slot = 0; slot < 300; slot += 3) stamps[slot] = 1;
    for (let q = 0; q < 20; q++) {
      const a = randomVector(2000 + q, TERMS);
      // half its terms (a structure's need), and a term of its own
      const b = { ids: Int32Array.from([...a.ids.filter((_, i) => i % 2 === 0), (a.ids[0] + 1) % TERMS].sort((x, y) => x - y)), weights: new Float32Array(0) };
      b.weights = Float32Array.from(b.ids, (_, i) => 0.2 + 0.1 * i);
      for (const filter of [undefined, { stamps, stamp: 1 }]) {
        const second = new Map<number, number>();
        const n2 = index.accumulate(b, Infinity, filter);
        for (let i = 0; i < n2; i++) second.set(index.hitSlots[i], index.hitScores[i]);
        const first = Array.from(index.hitSlots.subarray(0, index.accumulate(a, Infinity, filter)), (slot, i) => [slot, index.hitScores[i], second.get(slot) ?? 0]);
        const n = index.accumulateTwo(a, b, filter);
        const both = Array.from(index.hitSlots.subarray(0, n), (slot, i) => [slot, index.hitScores[i], index.hitScores2[i]]);
        expect(first.length).toBeGreaterThan(10);
        expect(both.sort((x, y) => x[0] - y[0])).toEqual(first.sort((x, y) => x[0] - y[0]));
      }
    }
  });

  it('reads a long posting list only inside the filter\'s runs of slots, to the same hits in the same order as checking each posting', () => {
    // Few terms: every posting list is long beside the runs (the walk by runs is taken), tails and a dead slot included.
    const index = InvertedIndex.build(Array.from({ length: 2000 }, (_, i) => randomVector(i + 1, 12)), 12);
    for (let i = 0; i < 50; i++) index.add(randomVector(5000 + i, 12));
    index.remove(41);
    const runs = Int32Array.from([0, 3, 40, 120, 777, 778, 1500, 1990, 2010, 2030]);
    const stamps = new Uint32Array(2050);
    for (let k = 0; k < runs.length; k += 2) for (let slot = runs[k]; slot < runs[k + 1]; slot++) stamps[slot] = 1;
    const checked = { stamps, stamp: 1 }, walked = { stamps, stamp: 1, runs, runCount: runs.length / 2 };
    for (let q = 0; q < 20; q++) {
      const a = randomVector(9000 + q, 12), b = randomVector(9500 + q, 12);
      const hits = (n: number) => Array.from(index.hitSlots.subarray(0, n), (slot, i) => [slot, index.hitScores[i], index.hitScores2[i]]);
      const one = (filter: typeof checked) => hits(index.accumulate(a, Infinity, filter)).map(([slot, score]) => [slot, score]);
      expect(one(walked)).toEqual(one(checked));
      expect(one(walked).every(([slot]) => stamps[slot] === 1)).toBe(true);
      expect(hits(index.accumulateTwo(a, b, walked))).toEqual(hits(index.accumulateTwo(a, b, checked)));
    }
  });

  it('with a floor, returns every document whose dot product reaches it, with its whole sum, and bounds those it leaves out by lateBound', () => {
    // Few terms, many documents: the long lists of the common terms are late for a floor high enough.
    const vectors = Array.from({ length: 1500 }, (_, i) => randomVector(i + 11, 40));
    const index = InvertedIndex.build(vectors.slice(0, 1400), 40);
    for (const v of vectors.slice(1400)) index.add(v);
    index.remove(3);
    const stamps = new Uint32Array(1500);
    for (let slot = 0; slot < 1500; slot += 2) stamps[slot] = 1;
    let late = 0;
    for (let q = 0; q < 30; q++) {
      const query = randomVector(7000 + q, 40);
      for (const filter of [undefined, { stamps, stamp: 1 }]) {
        const full = new Map<number, number>();
        const n = index.accumulate(query, Infinity, filter);
        for (let i = 0; i < n; i++) full.set(index.hitSlots[i], index.hitScores[i]);
        expect(index.lateBound).toBe(0);
        const best = Math.max(...full.values());
        for (const share of [0.1, 0.3, 0.6]) {
          const floor = share * best;
          const m = index.accumulate(query, Infinity, filter, floor);
          const found = new Map(Array.from(index.hitSlots.subarray(0, m), (slot, i) => [slot, index.hitScores[i]]));
          if (index.lateBound > 0) late++;
          expect(index.lateBound).toBeLessThan(floor);
          for (const [slot, score] of full) {
            if (found.has(slot)) expect(found.get(slot)).toBeCloseTo(score, 5);
            else {
              // left out: below the floor, and within the bound (exact dot product in float64)
              const exact = cosine(query, index.vectors[slot]);
              expect(exact).toBeLessThan(floor);
              expect(exact).toBeLessThanOrEqual(index.lateBound);
            }
          }
          expect([...found.keys()].every((slot) => full.has(slot))).toBe(true);
          // accumulateTwo takes the same late terms: the same float32 sums of a
          const b = { ids: query.ids.filter((_, i) => i % 2 === 0), weights: query.weights.filter((_, i) => i % 2 === 0) };
          const two = index.accumulateTwo(query, b, filter, floor);
          expect(Array.from(index.hitSlots.subarray(0, two), (slot, i) => [slot, index.hitScores[i]]).sort((x, y) => x[0] - y[0]))
            .toEqual([...found].sort((x, y) => x[0] - y[0]));
        }
      }
    }
    expect(late).toBeGreaterThan(20); // the floors did leave terms late
  });

  it('builds from 250,000 documents at once, as many as a national dataset holds', () => {
    const one: SparseVector = { ids: Int32Array.of(7), weights: Float32Array.of(1) };
    const index = InvertedIndex.build(Array.from({ length: 250_000 }, () => one), TERMS);
    expect(index.slots).toBe(250_000);
    expect(index.accumulate(one)).toBe(250_000);
  });
});

describe('the area filter of a collection', () => {
  type Doc = { entity: { id: string }; vector: SparseVector; keys: string[] };
  const doc = (id: number, keys: string[]): Doc => ({ entity: { id: `d-${id}` }, vector: randomVector(id + 1, 20), keys });
  /** The slots a filter's runs cover, and those it stamps. */
  const covered = (f: { runs?: Int32Array; runCount?: number }) => {
    const out: number[] = [];
    for (let k = 0; k < f.runCount!; k++) for (let slot = f.runs![2 * k]; slot < f.runs![2 * k + 1]; slot++) out.push(slot);
    return out;
  };
  const stamped = (f: { stamps: Uint32Array; stamp: number }, n: number) => Array.from({ length: n }, (_, slot) => slot).filter((slot) => f.stamps[slot] === f.stamp);

  it('gives as runs of slots exactly the slots it stamps: several keys overlapping, slots of its own, records added and compacted away', () => {
    // Keys laid out in runs, as the place order lays them: 'a' 0-9, 'b' 10-19 with 'a' again at 15-19, 'c' scattered.
    const collection = new Collection<Doc>((d) => d.keys);
    collection.build(Array.from({ length: 40 }, (_, i) => doc(i, [i < 10 || (i >= 15 && i < 20) ? 'a' : 'z', ...(i >= 10 && i < 20 ? ['b'] : []), ...(i % 7 === 0 ? ['c'] : [])])), 20);
    const check = (keys: string[], also: number[] = []) => {
      const f = collection.filter(keys, also);
      expect(covered(f)).toEqual(stamped(f, collection.profiles.length));
      return covered(f);
    };
    expect(check(['a'])).toEqual([...Array(10).keys(), 15, 16, 17, 18, 19]);
    expect(collection.filter(['a']).runCount).toBe(2);
    expect(check(['a', 'b'])).toEqual([...Array(20).keys()]);
    expect(collection.filter(['a', 'b']).runCount).toBe(1);
    expect(check(['b', 'c'], [33, 34])).toEqual([0, 7, ...Array.from({ length: 10 }, (_, i) => 10 + i), 21, 28, 33, 34, 35]);
    collection.upsert(doc(100, ['a'])); // slot 40, filed under 'a'
    expect(check(['a'])).toContain(40);
    // As many records of 'c' replaced (their old slots left at the compaction) as added: the key's list keeps its length.
    for (const i of [7, 14]) collection.upsert({ ...doc(i, ['c']), keys: ['c'] });
    collection.remove('d-21');
    collection.upsert(doc(200, ['c']));
    collection.compact(20);
    const after = check(['c']);
    expect(after).not.toContain(21);
    expect(after).toEqual(expect.arrayContaining([41, 42, 43]));
  });
});

describe('top-k selection', () => {
  it('keeps the k best scores, best first, ties broken by the given order', () => {
    const top = new TopK(3);
    [[5, 0.2], [1, 0.9], [7, 0.5], [2, 0.5], [9, 0.1], [4, 0.9]].forEach(([slot, score]) => top.push(slot, score));
    expect(top.sorted()).toEqual([{ slot: 1, score: 0.9 }, { slot: 4, score: 0.9 }, { slot: 2, score: 0.5 }]);
  });
});

describe('the vocabulary', () => {
  it('reads a long word with one letter wrong as the known word, but leaves short words apart', () => {
    const v = new Vocabulary();
    const id = v.intern('accompagnement');
    expect(v.intern('accompagnemnt')).toBe(id);
    expect(v.intern('acompagnement')).toBe(id);
    const facteur = v.intern('facteur');
    expect(v.intern('factur')).not.toBe(facteur);
  });
  it('gives rare terms a higher idf than common ones', () => {
    const v = new Vocabulary();
    const common = v.intern('poste'), rare = v.intern('triporteur');
    for (let i = 0; i < 10; i++) v.addDocument(i === 0 ? [common, rare] : [common]);
    expect(v.idf(rare)).toBeGreaterThan(v.idf(common));
  });
});

describe('the words as written, kept for explanations', () => {
  it('keeps for each term the first surface that produced it, and for a concept the phrase, each text once in the pool', () => {
    const vocabulary = new Vocabulary();
    const pool = new SurfacePool();
    const fields = analyseFields([
      { name: 'title', text: 'Atelier et surface commerciale', weight: 1 },
      { name: 'description', text: 'Un atelier, des ateliers.', weight: 1 },
    ], loadThesaurus(DEFAULT_THESAURUS));
    const bag = bagOf(fields, vocabulary, 1);
    const surfaces = pool.internAll(bag.surfaces);
    const written = new Map(Array.from(bag.ids, (id, i) => [vocabulary.term(id), pool.text(surfaces[i])]));
    expect(written.get(stem('atelier'))).toBe('Atelier');
    expect(written.get(conceptTerm('premises.local'))).toBe('surface commerciale');
    expect(surfaces).toHaveLength(bag.ids.length);
    const before = pool.size;
    pool.internAll(bag.surfaces);
    expect(pool.size).toBe(before);
  });
});
