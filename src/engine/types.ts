/**
 * What the engine answers: a ranked list for one query, each match with its feature vector (for
 * explanations and the ranking logs), the model version that scored it and, when asked, the
 * explanation a delegate reads.
 */
import type { EntityKind } from '../domain/types.ts';

export interface MatchedWord {
  /** As the query side wrote it. */
  query: string;
  /** As the candidate side wrote it. */
  candidate: string;
  /** 'same' for the same word (stem), 'thesaurus' for a vocabulary link, 'spelling' for a close variant. */
  link: 'same' | 'thesaurus' | 'spelling';
}

export interface FeatureContribution {
  name: string;
  /** Value of the feature, in [0, 1]. */
  value: number;
  /** Weight of the model for it. */
  weight: number;
  /** value × weight. */
  contribution: number;
  /** French label of the feature. */
  label: string;
}

export interface Explanation {
  features: FeatureContribution[];
  matchedWords: MatchedWord[];
  distanceKm: number;
  /** Short French reasons a delegate can read: « à 12 km », « éligible : association »… */
  reasons: string[];
  /** Hard constraints the pair breaks, in French (empty when admitted). */
  exclusions: string[];
}

export interface MatchResult {
  id: string;
  /** 'structure' or 'resource': what the result is. */
  kind: EntityKind;
  rank: number;
  score: number;
  /** Title of a resource or name of a structure, for display. */
  label: string;
  features: Record<string, number>;
  excluded: boolean;
  explanation?: Explanation;
  /**
   * The explanation already written as the API's JSON, in place of `explanation`: a ranking thread
   * (feedback/serving.pool.ts) writes it there, where copying the objects across threads cost more.
   */
  explanationJson?: string;
  /** In an interleaved list (src/matching/matching.interleave.ts): the model that placed it, `current` or `candidate`. */
  team?: 'current' | 'candidate';
}

export interface MatchList {
  query: { kind: EntityKind; id: string };
  asOf: string;
  modelVersion: string;
  results: MatchResult[];
  /** The candidate model interleaved with the current one (`modelVersion`), when this list is interleaved. */
  interleavedWith?: string;
}
