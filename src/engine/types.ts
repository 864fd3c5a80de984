/**
 * The contract of the matching engine, used by every entry point (CLI, HTTP API, batch).
 * The engine answers from an in-memory index built from the store; each match carries its
 * feature vector (for explanations and, later, the ranking logs) and the model version.
 */
import type { EntityKind, Pillar, Resource, Structure } from '../domain/types.ts';

export interface MatchOptions {
  /** How many results (default 20, at most 200). */
  limit?: number;
  /** Reference date YYYY-MM-DD for availability windows (default: today). */
  asOf?: string;
  /** Only resources of this pillar (structure queries) / only structures needing it (resource queries). */
  pillar?: Pillar;
  /** Attach a full explanation to each result (feature values are always there). */
  explain?: boolean;
  /** Also return pairs excluded by a hard constraint, flagged `excluded`, after the admitted ones. */
  includeExcluded?: boolean;
  /** Candidates the caller may see (role and scope filtering, per-requester exclusions). */
  allow?: (candidateId: string) => boolean;
}

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
}

export interface MatchList {
  query: { kind: EntityKind; id: string };
  asOf: string;
  modelVersion: string;
  results: MatchResult[];
}

export interface Engine {
  /** Resources for a structure; throws `matches.structure_not_found` (404) for an unknown or archived id. */
  matchStructure(id: string, options?: MatchOptions): MatchList;
  /** Structures for a resource; throws `matches.resource_not_found`. */
  matchResource(id: string, options?: MatchOptions): MatchList;
  /** Matches of an unsaved record (already validated and placed), without adding it to the index. */
  previewStructure(structure: Structure, options?: MatchOptions): MatchList;
  previewResource(resource: Resource, options?: MatchOptions): MatchList;
  /** Makes a new or changed record matchable at once. */
  upsertStructure(structure: Structure): void;
  upsertResource(resource: Resource): void;
  /** Removes a record (archived or deleted) from matching. */
  remove(kind: EntityKind, id: string): void;
  getStructure(id: string): Structure | undefined;
  getResource(id: string): Resource | undefined;
  /** Sizes of the index (`terms`: the shared vocabulary, thesaurus concepts included). */
  stats(): { structures: number; resources: number; terms: number; modelVersion: string; builtInMs: number };
}
