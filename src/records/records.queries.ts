/**
 * The filters of a list of structures or resources (région, département, pillar, legal form, free
 * text, status) and its keyset page (limit, cursor): one schema per kind for every entry point.
 */
import { z } from 'zod';
import { countParam } from '../domain/validation.ts';
import { LEGAL_FORMS, PILLARS, SCOPES } from '../domain/types.ts';

const commonFilters = {
  region: z.string().regex(/^\d{2,3}$/, 'code INSEE de région attendu (ex. 53)').optional().describe('Code INSEE de la région (ex. 53)'),
  department: z.string().regex(/^(\d{2,3}|2[AB])$/i, 'code de département attendu (ex. 29, 2A)').optional()
    .transform((d) => d?.toUpperCase()).describe('Code du département (ex. 29, 2A, 971)'),
  q: z.string().trim().min(2).max(200).optional().describe('Texte libre : chaque mot doit apparaître (sans tenir compte des accents)'),
  status: z.enum(['active', 'archived', 'all']).default('active').describe('Actifs (défaut), archivés ou tous'),
  limit: countParam(1, 200, 50).describe('Taille de la page'),
  cursor: z.string().min(1).optional().describe('Curseur renvoyé par la page précédente'),
};

export const structureListQuerySchema = z.strictObject({
  ...commonFilters,
  pillar: z.enum(PILLARS).optional().describe('Structures qui ont besoin de ce pilier'),
  legal_form: z.enum(LEGAL_FORMS).optional().describe('Forme juridique'),
});

export const resourceListQuerySchema = z.strictObject({
  ...commonFilters,
  pillar: z.enum(PILLARS).optional().describe('Pilier de la ressource'),
  legal_form: z.enum(LEGAL_FORMS).optional().describe('Ressources ouvertes à cette forme juridique'),
  scope: z.enum(SCOPES).optional().describe('Portée : local, departmental, regional, national'),
});

export type StructureListQuery = z.output<typeof structureListQuerySchema>;
export type ResourceListQuery = z.output<typeof resourceListQuerySchema>;
