/**
 * Online comparison of the newest candidate model with the current one: in a configured share of
 * the rankings served, both models rank the same query and their lists are merged by team-draft
 * interleaving (src/learning/interleave.ts). The merged list is a MatchList like any other, with
 *
 *   list.interleavedWith = the candidate's version    (list.modelVersion stays the current one's)
 *   result.team          = 'current' | 'candidate'     (the model that placed the item there)
 *
 * which the ranking log stores as rankings.interleaved_with and rankings.teams; the events on
 * the items are credited to their teams (`models show` reports wins, ties, losses and a p-value).
 */
import type { MatchList, MatchResult } from '../engine/types.ts';
import type { Rng } from '../learning/events.ts';
import { teamDraft } from '../learning/interleave.ts';

export type InterleaveTeam = 'current' | 'candidate';


/**
 * Merges the current model's list and the candidate's for the same query: admitted results by
 * team-draft (each item scored and explained by the model that picked it), at most `limit`; the
 * current list's excluded results (shown with include_excluded) follow, without a team.
 */
export function interleaveLists(current: MatchList, candidate: MatchList, rng: Rng, limit: number): MatchList {
  const admitted = (list: MatchList) => list.results.filter((r) => !r.excluded);
  const a = admitted(current), b = admitted(candidate);
  const byTeam = { A: new Map(a.map((r) => [r.id, r])), B: new Map(b.map((r) => [r.id, r])) };
  const draft = teamDraft(a.map((r) => r.id), b.map((r) => r.id), rng, limit);
  const merged: MatchResult[] = draft.ids.map((id, i) => {
    const team = draft.teams[i];
    return { ...byTeam[team].get(id)!, rank: i + 1, team: team === 'A' ? 'current' : 'candidate' };
  });
  const excluded = current.results.filter((r) => r.excluded).map((r, i) => ({ ...r, rank: merged.length + i + 1 }));
  return { ...current, results: [...merged, ...excluded], interleavedWith: candidate.modelVersion };
}
