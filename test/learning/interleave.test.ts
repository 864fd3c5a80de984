import { describe, expect, it } from 'vitest';
import { creditTeams, signTest, summarizeInterleaving, teamDraft } from '../../src/learning/interleave.ts';
import { Prng } from '../../seed/prng.ts';

const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe('team-draft interleaving', () => {
  it('lets each list contribute in turn: after every pick the teams differ by at most one item', () => {
    const rng = new Prng(1);
    for (let t = 0; t < 200; t++) {
      const a = rng.shuffle(ids('x', 15)).slice(0, 12), b = rng.shuffle(ids('x', 15)).slice(0, 12);
      const il = teamDraft(a, b, rng, 10);
      let na = 0, nb = 0;
      for (const team of il.teams) {
        if (team === 'A') na++; else nb++;
        expect(Math.abs(na - nb)).toBeLessThanOrEqual(1);
      }
      expect(il.ids).toHaveLength(10);
    }
  });

  it('never shows an item twice, and each team adds its own best item not yet shown', () => {
    const rng = new Prng(2);
    for (let t = 0; t < 200; t++) {
      const a = rng.shuffle(ids('x', 12)), b = rng.shuffle(ids('x', 12));
      const il = teamDraft(a, b, rng);
      expect(new Set(il.ids).size).toBe(il.ids.length);
      expect(il.ids).toHaveLength(12);
      il.ids.forEach((id, k) => {
        const own = il.teams[k] === 'A' ? a : b;
        expect(id).toBe(own.find((x) => !il.ids.slice(0, k).includes(x)));
      });
    }
  });

  it('uses the other list when one runs out', () => {
    const il = teamDraft(['a'], ['b', 'c', 'd'], new Prng(3));
    expect([...il.ids].sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(il.teams.filter((t) => t === 'A')).toHaveLength(1);
  });

  it('credits each acted-on item to the team that picked it, once, ignoring negative events and unknown items', () => {
    const il = { ids: ['p', 'q', 'r', 's'], teams: ['A', 'B', 'B', 'A'] as ('A' | 'B')[] };
    const credit = creditTeams(il, [
      { itemId: 'q', value: 1 }, { itemId: 'q', value: 3 }, { itemId: 'r', value: 2 },
      { itemId: 'p', value: -1 }, { itemId: 'zz', value: 4 }, { itemId: 's', value: 1 },
    ]);
    expect(credit).toEqual({ a: 1, b: 2, outcome: 'B' });
    expect(creditTeams(il, []).outcome).toBe('tie');
  });

  it('is deterministic for a seed', () => {
    const a = ids('a', 10), b = [...ids('a', 10)].reverse();
    expect(teamDraft(a, b, new Prng(5))).toEqual(teamDraft(a, b, new Prng(5)));
  });

  it('detects the better list over many rankings, and not a difference between identical ones', () => {
    const rng = new Prng(6);
    const good = ids('g', 10), bad = ids('b', 10);
    const better = [], same = [];
    for (let i = 0; i < 500; i++) {
      const il = teamDraft(bad, good, rng, 10);
      better.push(creditTeams(il, il.ids.filter((id) => rng.next() < (id.startsWith('g') ? 0.3 : 0.1)).map((itemId) => ({ itemId, value: 1 }))));
      const twin = teamDraft(good, good, rng, 10);
      same.push(creditTeams(twin, twin.ids.filter(() => rng.next() < 0.2).map((itemId) => ({ itemId, value: 1 }))));
    }
    const s = summarizeInterleaving(better);
    expect(s.share).toBeGreaterThan(0.7);
    expect(s.pValue).toBeLessThan(1e-6);
    expect(summarizeInterleaving(same).pValue).toBeGreaterThan(0.01);
    expect(s.wins + s.ties + s.losses).toBe(500);
  });

  it('computes the exact two-sided sign test', () => {
    expect(signTest(5, 5)).toBe(1);
    expect(signTest(0, 0)).toBe(1);
    expect(signTest(10, 0)).toBeCloseTo(2 / 1024, 10);
    expect(signTest(60, 40)).toBeCloseTo(0.0569, 3);
  });
});
