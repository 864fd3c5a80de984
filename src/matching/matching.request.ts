/**
 * THE match request, for every entry point (API, command line, batch, web): one schema with its
 * defaults and limits, read from the names the API uses (`limit`, `as_of`, `pillar`, `explain`,
 * `include_excluded`), and its resolution into the engine's complete request: the date (today on
 * the injected clock when absent) with its day number, and the model that scores.
 */
import { z } from 'zod';
import { dayNumber, isoDay } from '../domain/day.ts';
import { PILLARS } from '../domain/types.ts';
import { parseWith, countParam } from '../domain/validation.ts';
import type { Allow, RankRequest } from '../engine/request.ts';
import type { RankingModel } from '../ranking/model.ts';

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 200;

const booleanParam = z.union([z.boolean(), z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1')]);

export const matchQuerySchema = z.strictObject({
  limit: countParam(1, MAX_LIMIT, DEFAULT_LIMIT)
    .describe(`Nombre de résultats (1 à ${MAX_LIMIT}, défaut ${DEFAULT_LIMIT})`),
  as_of: z.iso.date({ error: 'date AAAA-MM-JJ attendue (ex. 2026-12-01)' }).optional()
    .describe('Date de référence AAAA-MM-JJ pour les disponibilités (défaut : aujourd’hui)'),
  pillar: z.enum(PILLARS).optional().describe('Seulement ce pilier'),
  explain: booleanParam.optional().describe('Joindre l’explication complète de chaque résultat (true/false)'),
  include_excluded: booleanParam.optional()
    .describe('Montrer aussi, après les autres, les paires exclues par une contrainte dure ou écartées par vos avis, et pourquoi (true/false)'),
});

export type MatchQueryInput = z.input<typeof matchQuerySchema>;
export type MatchQuery = z.output<typeof matchQuerySchema>;

/** Checks a request as received; `request.invalid` (400) names each bad field. */
export const parseMatchQuery = (raw: unknown): MatchQuery => parseWith(matchQuerySchema, raw ?? {});

export interface RequestContext {
  model: RankingModel;
  /** The clock: `as_of` defaults to its day. */
  now: () => Date;
  /** Candidates the caller may see. */
  allow?: Allow;
}

/** The engine's complete request for a checked query. */
export function toRankRequest(query: MatchQuery, context: RequestContext): RankRequest {
  const asOf = query.as_of ?? isoDay(context.now());
  return {
    limit: query.limit,
    asOf,
    asOfDay: dayNumber(asOf),
    model: context.model,
    pillar: query.pillar,
    explain: query.explain ?? false,
    includeExcluded: query.include_excluded ?? false,
    allow: context.allow,
  };
}

/** Parses and resolves in one step (what most callers want). */
export const rankRequest = (raw: MatchQueryInput | Record<string, unknown>, context: RequestContext): RankRequest =>
  toRankRequest(parseMatchQuery(raw), context);
