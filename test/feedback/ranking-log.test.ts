/** The ranking log's buffer and background writer, with a fake `write` (no database). */
import { describe, expect, it } from 'vitest';
import { createRankingLog, RankingItems, type RankingEntry } from '../../src/feedback/ranking-log.ts';

const entry = (id: string): RankingEntry => ({
  id, servedAt: new Date(), keyId: 'k', role: 'admin', requester: 'k', queryKind: 'structure', queryId: 's1', preview: false,
  asOf: '2026-12-01', modelVersion: 'm', featureNames: ['a'], swappedAt: null, source: 'test',
  items: RankingItems.of([{ position: 1, candidateId: 'r1', score: 0.5, features: [0.5] }]),
});

/** A write that waits until released. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => { open = r; });
  const batches: string[][] = [];
  return { batches, open, write: async (b: RankingEntry[]) => { await opened; batches.push(b.map((e) => e.id)); } };
}

describe('the ranking log', () => {
  it('queues a ranking without waiting and writes it in the background', async () => {
    const written: string[] = [];
    const log = createRankingLog({ write: async (b) => { written.push(...b.map((e) => e.id)); }, intervalMs: 5 });
    log.start();
    expect(log.push(entry('a'))).toBe(true);
    expect(log.stats().queued).toBe(1);
    await new Promise((r) => setTimeout(r, 50));
    expect(written).toEqual(['a']);
    expect(log.stats()).toMatchObject({ queued: 0, written: 1, dropped: 0 });
    await log.stop();
  });

  it('accepts rankings while the writer is blocked, and writes them once it is free', async () => {
    const g = gate();
    const log = createRankingLog({ write: g.write, intervalMs: 1, batchSize: 2 });
    log.start();
    for (const id of ['a', 'b', 'c']) expect(log.push(entry(id))).toBe(true);
    await new Promise((r) => setTimeout(r, 20));
    expect(log.stats().written).toBe(0);
    g.open();
    await log.flush();
    expect(g.batches.flat()).toEqual(['a', 'b', 'c']);
    expect(Math.max(...g.batches.map((b) => b.length))).toBeLessThanOrEqual(2);
    await log.stop();
  });

  it('refuses and counts the rankings that do not fit in a full buffer', () => {
    const log = createRankingLog({ write: async () => {}, capacity: 2 });
    expect([log.push(entry('a')), log.push(entry('b')), log.push(entry('c')), log.push(entry('d'))]).toEqual([true, true, false, false]);
    expect(log.stats()).toMatchObject({ queued: 2, dropped: 2 });
  });

  it('keeps a batch whose write failed and writes it on the next try', async () => {
    let fail = true;
    const written: string[] = [];
    const log = createRankingLog({ write: async (b) => { if (fail) throw new Error('base injoignable'); written.push(...b.map((e) => e.id)); } });
    log.push(entry('a'));
    await expect(log.flush()).rejects.toThrow();
    expect(log.stats()).toMatchObject({ queued: 1, failures: 1, dropped: 0 });
    fail = false;
    await log.flush();
    expect(written).toEqual(['a']);
  });

  it('finds a ranking still waiting in memory, and flushes everything on stop', async () => {
    const written: string[] = [];
    const log = createRankingLog({ write: async (b) => { written.push(...b.map((e) => e.id)); }, intervalMs: 60_000 });
    log.start();
    log.push(entry('a'));
    expect(log.pending('a')?.id).toBe('a');
    await log.stop();
    expect(written).toEqual(['a']);
    expect(log.pending('a')).toBeUndefined();
  });

  it('finds a ranking in the write under way until that write ends, and not one dropped after a failed write', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => { release = r; });
    let fail = false;
    const log = createRankingLog({ write: async () => { await held; if (fail) throw new Error('base injoignable'); }, capacity: 1, intervalMs: 60_000 });
    log.push(entry('a'));
    const writing = log.flush();
    await new Promise((r) => setImmediate(r));
    expect(log.stats().queued).toBe(0); // a is in the write
    expect(log.pending('a')?.id).toBe('a');
    release();
    await writing;
    expect(log.pending('a')).toBeUndefined();
    fail = true;
    log.push(entry('b'));
    await log.flush().catch(() => {});
    expect(log.pending('b')?.id).toBe('b'); // back in the buffer after the failure
    log.push(entry('c')); // refused: the buffer holds b
    expect(log.pending('c')).toBeUndefined();
  });

  it('keeps a ranking’s items packed, and gives each back as served', () => {
    const items = [
      { position: 1, candidateId: 'r1', score: 12.1803, features: [0.8257, 1, 0.5] },
      { position: 2, candidateId: 'r2', score: 11.5, features: [0.1, 0, 1], team: 'candidate' as const },
    ];
    const packed = RankingItems.of(items);
    expect(packed.length).toBe(2);
    expect(packed.map((item) => item)).toEqual([{ ...items[0] }, items[1]]);
    expect([...packed.featuresAt(1)]).toEqual([0.1, 0, 1]);
    expect(RankingItems.of([items[0]]).teams).toBeUndefined();
    expect(() => RankingItems.of([items[0], { ...items[1], features: [1] }])).toThrow(/ranking item 1: 1 feature values, 3 expected/);
  });
});
