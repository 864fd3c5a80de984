import { describe, expect, it } from 'vitest';
import type { MatchList, MatchResult } from '../../src/engine/types.ts';
import { interleaveLists } from '../../src/matching/matching.interleave.ts';
import { currentStack } from '../../src/models/models.usecases.ts';
import type { ModelChange } from '../../src/models/models.repository.ts';
import { Prng } from '../../seed/prng.ts';

const result = (id: string, score: number, excluded = false): MatchResult =>
  ({ id, kind: 'resource', rank: 0, score, label: id, features: {}, excluded });
const list = (version: string, ids: string[], excluded: string[] = []): MatchList => ({
  query: { kind: 'structure', id: 's1' }, asOf: '2026-12-01', modelVersion: version,
  results: [...ids.map((id, i) => result(id, 10 - i)), ...excluded.map((id) => result(id, 0, true))],
});

describe('interleaving two models’ lists in src/matching', () => {
  it('merges by team-draft: no item twice, each tagged with the model that placed it, ranks renumbered, the list naming the candidate', () => {
    const merged = interleaveLists(list('courant', ['a', 'b', 'c', 'd']), list('candidat', ['c', 'e', 'a', 'f']), new Prng(3), 5);
    expect(merged.modelVersion).toBe('courant');
    expect(merged.interleavedWith).toBe('candidat');
    expect(merged.results).toHaveLength(5);
    expect(new Set(merged.results.map((r) => r.id)).size).toBe(5);
    expect(merged.results.map((r) => r.rank)).toEqual([1, 2, 3, 4, 5]);
    const teams = merged.results.map((r) => r.team);
    expect(teams.filter((t) => t === 'current').length - teams.filter((t) => t === 'candidate').length).toBeLessThanOrEqual(1);
    // Each model's best item is in the first two places.
    expect(merged.results.slice(0, 2).map((r) => r.id).sort()).toEqual(['a', 'c']);
  });

  it('keeps the excluded results of the current list after the merged ones, without a team', () => {
    const merged = interleaveLists(list('courant', ['a', 'b'], ['x']), list('candidat', ['b', 'a'], ['x']), new Prng(1), 20);
    expect(merged.results.map((r) => r.id).slice(-1)).toEqual(['x']);
    expect(merged.results.at(-1)?.team).toBeUndefined();
    expect(merged.results.at(-1)?.rank).toBe(3);
  });
});

describe('rollback as a stack of current models', () => {
  const change = (version: string, action: ModelChange['action'], toStatus: ModelChange['toStatus']): ModelChange =>
    ({ id: 0, version, action, fromStatus: null, toStatus, reason: 'r', actor: 'a', at: new Date(0) });

  it('pushes registrations and promotions to current, pops on a rollback, ignores the rest', () => {
    expect(currentStack([
      change('v3', 'registered', 'current'), change('a', 'trained', 'candidate'), change('v3', 'retired', 'retired'),
      change('a', 'promoted', 'current'), change('b', 'promoted', 'current'), change('b', 'rolled_back', 'retired'),
      change('a', 'rolled_back', 'current'),
    ])).toEqual(['v3', 'a']);
  });
});
