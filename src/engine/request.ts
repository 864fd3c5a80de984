/**
 * A ranking request as the stages read it: complete and checked (src/matching builds it from what
 * an entry point received, with its defaults, limits and clock). The model is part of the request,
 * so any model version can score any request, side by side.
 */
import type { Pillar, Resource, Structure } from '../domain/types.ts';
import type { RankingModel } from '../ranking/model.ts';

/** A filter of candidates (true: keep), given each one's id and, from the engine, its record. */
export type Allow = (candidateId: string, candidate?: Structure | Resource) => boolean;

export interface RankRequest {
  /** How many results. */
  limit: number;
  /** Reference date YYYY-MM-DD of availability windows, and its day number (see domain/day.ts). */
  asOf: string;
  asOfDay: number;
  /** The model that scores the pairs. */
  model: RankingModel;
  /** Only resources of this pillar (structure queries) / only structures needing it (resource queries). */
  pillar?: Pillar;
  /** Attach a full explanation to each result (feature values are always there). */
  explain: boolean;
  /** Also return pairs excluded by a hard constraint, flagged `excluded`, after the admitted ones. */
  includeExcluded: boolean;
  /**
   * Candidates the caller may see (role and scope filtering, per-requester exclusions). The engine
   * passes the candidate's record with its id: the filter reads its place without looking it up.
   */
  allow?: Allow;
}
