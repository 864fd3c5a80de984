/**
 * Feedback events and training examples. An event says what a requester did with one item of a
 * logged ranking (viewed, shortlisted, contacted, partnership, not_interested); each kind has a
 * graded value (partnership > contacted > shortlisted > viewed > nothing > not_interested),
 * configurable. A logged ranking (its items with their shown position, feature vector and score)
 * and its events become one training example: the items' feature vectors in one typed array and
 * their graded labels. Pure: plain data in, plain data out.
 */

export const FEEDBACK_KINDS = ['viewed', 'shortlisted', 'contacted', 'partnership', 'not_interested'] as const;
export type FeedbackKind = (typeof FEEDBACK_KINDS)[number];

/** Graded value of each kind. A positive value is a "click" for the propensity estimate. */
export type EventValues = Readonly<Record<FeedbackKind, number>>;

export const DEFAULT_EVENT_VALUES: EventValues = {
  viewed: 1, shortlisted: 2, contacted: 3, partnership: 4, not_interested: -1,
};

/** Checks that values are ordered as the issue asks: partnership > contacted > shortlisted > viewed > 0 > not_interested. */
export function eventValues(overrides: Partial<Record<FeedbackKind, number>> = {}): EventValues {
  const v = { ...DEFAULT_EVENT_VALUES, ...overrides };
  const ordered = v.partnership > v.contacted && v.contacted > v.shortlisted && v.shortlisted > v.viewed && v.viewed > 0 && v.not_interested < 0;
  if (!ordered) throw new Error(`valeurs d'événements mal ordonnées : ${JSON.stringify(v)}`);
  return v;
}

/** One item of a logged ranking, as the engine computed it. */
export interface LoggedItem {
  id: string;
  /** Shown position, 1-based. */
  position: number;
  /** Feature vector in the order of FEATURE_NAMES. */
  features: ArrayLike<number>;
  score: number;
}

/** A ranking as it was served and logged. */
export interface LoggedRanking {
  id: string;
  /** Who asked (a key, a structure, a delegate): the unit of the bootstrap and of the per-requester NDCG. */
  requester: string;
  /** When it was served (epoch milliseconds, or a day number: any increasing clock). */
  at: number;
  items: LoggedItem[];
  /** When two adjacent items were swapped at random: the first of the two shown positions (k and k+1), else null. */
  swap?: number | null;
  modelVersion?: string;
}

export interface FeedbackEvent {
  rankingId: string;
  itemId: string;
  kind: FeedbackKind;
  at: number;
}

/** A logged ranking with its graded labels, items in shown order. */
export interface TrainingExample {
  rankingId: string;
  requester: string;
  at: number;
  /** Number of items. */
  n: number;
  /** Number of features per item. */
  dims: number;
  /** Shown positions (1-based), one per item. */
  positions: Int32Array;
  /** n × dims feature values, row per item. */
  features: Float64Array;
  /** Graded label per item: the best value of its events, not_interested overriding, 0 without event. */
  labels: Float64Array;
  swap: number | null;
  /** Number of events attached. */
  events: number;
}

/** The label of one item from the kinds of its events. */
export function labelOf(kinds: Iterable<FeedbackKind>, values: EventValues = DEFAULT_EVENT_VALUES): number {
  let best = 0;
  for (const k of kinds) {
    if (k === 'not_interested') return values.not_interested;
    best = Math.max(best, values[k]);
  }
  return best;
}

export interface ExampleOptions {
  values?: EventValues;
  /** Keep the rankings nobody acted on (all labels 0): the propensity estimate needs them to count impressions. */
  keepSilent?: boolean;
}

/**
 * One training example per logged ranking that has at least one event (rankings nobody acted on
 * carry no preference, unless `keepSilent`). Events naming an unknown ranking or item are ignored
 * (the API rejects them before they are stored).
 */
export function toExamples(
  rankings: Iterable<LoggedRanking>, events: Iterable<FeedbackEvent>, options: ExampleOptions = {},
): TrainingExample[] {
  const values = options.values ?? DEFAULT_EVENT_VALUES;
  const byRanking = new Map<string, Map<string, FeedbackKind[]>>();
  for (const e of events) {
    let items = byRanking.get(e.rankingId);
    if (!items) byRanking.set(e.rankingId, (items = new Map()));
    const kinds = items.get(e.itemId);
    if (kinds) kinds.push(e.kind); else items.set(e.itemId, [e.kind]);
  }
  const out: TrainingExample[] = [];
  for (const r of rankings) {
    const acted = byRanking.get(r.id);
    if ((!acted && !options.keepSilent) || r.items.length === 0) continue;
    const items = [...r.items].sort((a, b) => a.position - b.position);
    const n = items.length, dims = items[0].features.length;
    const positions = new Int32Array(n), features = new Float64Array(n * dims), labels = new Float64Array(n);
    let count = 0;
    items.forEach((item, i) => {
      if (item.features.length !== dims) throw new Error(`classement ${r.id} : vecteurs de tailles différentes`);
      positions[i] = item.position;
      for (let d = 0; d < dims; d++) features[i * dims + d] = item.features[d];
      const kinds = acted?.get(item.id);
      if (kinds) { labels[i] = labelOf(kinds, values); count += kinds.length; }
    });
    if (count === 0 && !options.keepSilent) continue;
    out.push({ rankingId: r.id, requester: r.requester, at: r.at, n, dims, positions, features, labels, swap: r.swap ?? null, events: count });
  }
  return out;
}

/** Examples grouped by requester, in order of first appearance. */
export function byRequester(examples: readonly TrainingExample[]): Map<string, TrainingExample[]> {
  const out = new Map<string, TrainingExample[]>();
  for (const e of examples) {
    const list = out.get(e.requester);
    if (list) list.push(e); else out.set(e.requester, [e]);
  }
  return out;
}

/** The feature vector of a match result (features by name) in the order of `names`. */
export function vectorOf(features: Readonly<Record<string, number>>, names: readonly string[]): Float64Array {
  return Float64Array.from(names, (n) => features[n] ?? 0);
}

/** The seedable random source the learning core takes (seed/prng.ts's Prng fits). Never Math.random. */
export interface Rng { next(): number }
