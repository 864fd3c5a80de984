/**
 * The engine's warm-up before the service says it is ready: rankings of both kinds with
 * explanations, spread over the records, bounded in number and time, the event loop free between
 * small batches, a record removed since its slot was filled skipped.
 */
import { describe, expect, it } from 'vitest';
import type { Index } from '../../src/engine/index.ts';
import { warmUp } from '../../src/matching/matching.warmup.ts';

const profiles = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => ({ entity: { id: `${prefix}${i}` } }));

function fakeMatching(structures: number, resources: number, removed = new Set<string>()) {
  const asked: string[] = [];
  const ask = (id: string, query: unknown) => {
    expect(query).toEqual({ limit: 20, explain: true });
    if (removed.has(id)) throw new Error(`${id} absente`);
    asked.push(id);
    return { results: [] } as never;
  };
  const index = { structures: { profiles: profiles('s', structures) }, resources: { profiles: profiles('r', resources) } } as unknown as Index;
  return { asked, matching: { index, forStructure: ask, forResource: ask } };
}

describe('the warm-up of the engine', () => {
  it('ranks structures and resources in turn, spread over the records, up to its number of queries', async () => {
    const { asked, matching } = fakeMatching(50, 30);
    const warmed = await warmUp(matching, { maxQueries: 40, budgetMs: 10_000 });
    expect(warmed.queries).toBe(40);
    expect(asked.filter((id) => id.startsWith('s'))).toHaveLength(20);
    expect(asked.filter((id) => id.startsWith('r'))).toHaveLength(20);
    expect(new Set(asked.filter((id) => id.startsWith('s'))).size).toBe(20); // not the same few records
  });

  it('stops at its time budget and lets the event loop run between batches', async () => {
    const { matching } = fakeMatching(1000, 1000);
    let ticks = 0;
    const timer = setInterval(() => { ticks++; }, 1);
    const warmed = await warmUp(matching, { maxQueries: Number.MAX_SAFE_INTEGER, budgetMs: 60 });
    clearInterval(timer);
    expect(warmed.ms).toBeLessThan(1000);
    expect(warmed.queries).toBeGreaterThan(0);
    expect(ticks).toBeGreaterThan(0);
  });

  it('skips a record removed since, and does nothing without records', async () => {
    const { asked, matching } = fakeMatching(3, 0, new Set(['s0']));
    expect((await warmUp(matching, { maxQueries: 6 })).queries).toBe(6);
    expect(asked).not.toContain('s0');
    expect(await warmUp(fakeMatching(0, 0).matching, { maxQueries: 10 })).toMatchObject({ queries: 0 });
  });
});
