/**
 * Simulated users of the feedback benchmark. Their TRUE preference differs from the default model
 * (which weighs shared words most): they care first about distance (the `geography` feature, with a
 * threshold: "close enough" or not) and capacity (a threshold too), then about the need and the
 * pillar together (an interaction), and little about shared words (a square root). It is not a
 * linear function of the features, so no linear model can fit it exactly. The true utility is cut
 * into grades 0–3 by thresholds calibrated once on the candidates of the benchmark.
 *
 * A user looks at a ranking with position bias (examines position k with probability k^-η), acts
 * on what it examined with noise, and emits the events: viewed, then maybe shortlisted,
 * contacted, partnership; or not_interested. In "noise" mode the grade used to act is drawn at
 * random for each item: events independent of relevance.
 */
import type { FeedbackEvent, FeedbackKind, LoggedRanking, Rng } from '../../src/learning/events.ts';

/** Positions of the features the true preference reads, in the model's feature order. */
export interface FeatureIndex {
  text: number; need_text: number; need_concept: number; pillar: number; geography: number;
  eligibility: number; availability: number; capacity: number; need_amount: number;
}

export function featureIndex(names: readonly string[]): FeatureIndex {
  const at = (n: string) => {
    const i = names.indexOf(n);
    if (i < 0) throw new Error(`caractéristique ${n} absente`);
    return i;
  };
  return {
    text: at('text'), need_text: at('need_text'), need_concept: at('need_concept'), pillar: at('pillar'),
    geography: at('geography'), eligibility: at('eligibility'), availability: at('availability'),
    capacity: at('capacity'), need_amount: at('need_amount'),
  };
}

/** The simulated users' true utility of an item (not linear in the features). */
export function trueUtility(x: ArrayLike<number>, f: FeatureIndex): number {
  const geo = x[f.geography], cap = x[f.capacity];
  return 2.5 * (geo >= 0.75 ? 1 : 0) + 1.5 * geo * geo
    + 2.0 * (cap >= 0.9 ? 1 : 0.3 * cap)
    + 1.2 * x[f.need_concept] * x[f.pillar]
    + 0.6 * Math.sqrt(Math.max(0, x[f.text]))
    + 0.8 * x[f.availability] * x[f.eligibility]
    + 0.5 * x[f.need_amount];
}

/** Thresholds of grades 1, 2, 3 at the given quantiles of the utilities (default: median, 75 %, 90 %). */
export function calibrateGrades(utilities: readonly number[], quantiles: readonly [number, number, number] = [0.5, 0.75, 0.9]): number[] {
  const sorted = [...utilities].sort((a, b) => a - b);
  return quantiles.map((q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]);
}

export function gradeOf(utility: number, thresholds: readonly number[]): number {
  let g = 0;
  for (const t of thresholds) if (utility > t) g++;
  return g;
}

export interface Behaviour {
  /** Examination probability at position k: k^-eta. Default 1. */
  eta: number;
  /** Probabilities by grade 0..3. */
  view: readonly number[];
  shortlist: readonly number[];
  contact: readonly number[];
  partnership: readonly number[];
  /** not_interested, when examined and not viewed. */
  notInterested: readonly number[];
  /** Events independent of relevance. */
  noise: boolean;
}

export const DEFAULT_BEHAVIOUR: Behaviour = {
  eta: 1,
  view: [0.05, 0.3, 0.6, 0.9],
  shortlist: [0.05, 0.2, 0.45, 0.7],
  contact: [0.1, 0.25, 0.45, 0.65],
  partnership: [0, 0.05, 0.15, 0.35],
  notInterested: [0.3, 0.1, 0.02, 0],
  noise: false,
};

/**
 * What a user does with a shown ranking: the events, timestamped from `at` on. `grades` gives the
 * true grade of each shown item (by id).
 */
export function act(ranking: LoggedRanking, grades: ReadonlyMap<string, number>, rng: Rng, b: Behaviour = DEFAULT_BEHAVIOUR): FeedbackEvent[] {
  const out: FeedbackEvent[] = [];
  let t = ranking.at;
  const emit = (itemId: string, kind: FeedbackKind) => out.push({ rankingId: ranking.id, itemId, kind, at: (t += 1) });
  const chance = (p: number) => rng.next() < p;
  for (const item of ranking.items) {
    const examined = chance(item.position ** -b.eta);
    const trueGrade = grades.get(item.id) ?? 0;
    const g = b.noise ? Math.floor(rng.next() * 4) : trueGrade;
    if (!examined) continue;
    if (!chance(b.view[g])) {
      if (chance(b.notInterested[g])) emit(item.id, 'not_interested');
      continue;
    }
    emit(item.id, 'viewed');
    if (!chance(b.shortlist[g])) continue;
    emit(item.id, 'shortlisted');
    if (!chance(b.contact[g])) continue;
    emit(item.id, 'contacted');
    if (chance(b.partnership[g])) emit(item.id, 'partnership');
  }
  return out;
}
