/**
 * Online comparison of a candidate model with the current one by team-draft interleaving
 * (Radlinski, Kurup & Joachims 2008). The two rankings are merged as two captains pick players:
 * the team with fewer picks (a coin flip on a tie) adds its best item not yet shown, so each list
 * contributes in turn and no item appears twice. Each shown item belongs to the team that picked
 * it; the events on the items are credited to their teams, and the team with more acted-on items
 * wins the ranking. Over many interleaved rankings: wins, ties, losses, the candidate's share of
 * the decided ones and a two-sided sign-test p-value.
 */
import type { Rng } from './events.ts';

/** 'A' is the first list (say the current model), 'B' the second (the candidate). */
export type Team = 'A' | 'B';

export interface Interleaving {
  ids: string[];
  /** The team that put each shown item there. */
  teams: Team[];
}

/** Team-draft interleaving of two ranked lists of ids, `length` items long (default: as long as it can). */
export function teamDraft(a: readonly string[], b: readonly string[], rng: Rng, length = Infinity): Interleaving {
  const ids: string[] = [], teams: Team[] = [];
  const shown = new Set<string>();
  let ia = 0, ib = 0, picksA = 0, picksB = 0;
  const nextOf = (list: readonly string[], from: number) => { while (from < list.length && shown.has(list[from])) from++; return from; };
  while (ids.length < length) {
    ia = nextOf(a, ia); ib = nextOf(b, ib);
    const aLeft = ia < a.length, bLeft = ib < b.length;
    if (!aLeft && !bLeft) break;
    const aTurn = picksA < picksB || (picksA === picksB && rng.next() < 0.5);
    const team: Team = (aTurn && aLeft) || !bLeft ? 'A' : 'B';
    const id = team === 'A' ? a[ia] : b[ib];
    shown.add(id); ids.push(id); teams.push(team);
    if (team === 'A') picksA++; else picksB++;
  }
  return { ids, teams };
}

export interface Credit {
  /** Acted-on items (positive events) credited to each team. */
  a: number;
  b: number;
  outcome: Team | 'tie';
}

/** Credits the items acted on (ids with a positive value; others are ignored) to their teams. */
export function creditTeams(interleaving: Interleaving, acted: Iterable<{ itemId: string; value: number }>): Credit {
  const teamOf = new Map(interleaving.ids.map((id, i) => [id, interleaving.teams[i]]));
  const counted = new Set<string>();
  let a = 0, b = 0;
  for (const { itemId, value } of acted) {
    const team = teamOf.get(itemId);
    if (!team || value <= 0 || counted.has(itemId)) continue;
    counted.add(itemId);
    if (team === 'A') a++; else b++;
  }
  return { a, b, outcome: a > b ? 'A' : b > a ? 'B' : 'tie' };
}

export interface InterleavingSummary {
  /** Rankings B (the candidate) won, tied, lost. */
  wins: number;
  ties: number;
  losses: number;
  /** wins / (wins + losses), NaN when nothing was decided. */
  share: number;
  /** Two-sided exact sign test of share = 0.5. */
  pValue: number;
}

/** log C(n, k) by sums of logarithms. */
function logChoose(n: number, k: number, logFact: Float64Array): number {
  return logFact[n] - logFact[k] - logFact[n - k];
}

/** Two-sided exact sign test: P(X ≤ min) + P(X ≥ max) for X ~ Binomial(n, 1/2). */
export function signTest(wins: number, losses: number): number {
  const n = wins + losses;
  if (n === 0) return 1;
  const logFact = new Float64Array(n + 1);
  for (let i = 1; i <= n; i++) logFact[i] = logFact[i - 1] + Math.log(i);
  const low = Math.min(wins, losses);
  let tail = 0;
  for (let k = 0; k <= low; k++) tail += Math.exp(logChoose(n, k, logFact) - n * Math.LN2);
  return Math.min(1, 2 * tail);
}

/** Wins, ties and losses of the candidate (team B) over many interleaved rankings. */
export function summarizeInterleaving(credits: Iterable<Credit>): InterleavingSummary {
  let wins = 0, ties = 0, losses = 0;
  for (const c of credits) {
    if (c.outcome === 'B') wins++; else if (c.outcome === 'A') losses++; else ties++;
  }
  const decided = wins + losses;
  return { wins, ties, losses, share: decided ? wins / decided : NaN, pValue: signTest(wins, losses) };
}
