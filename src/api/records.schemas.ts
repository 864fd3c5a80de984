/**
 * Schemas of the records routes: what a client sends is the data contract itself (the zod schemas
 * of src/contract, which also validate it); what it gets back is the record plus its resolved place
 * and its lifecycle; list queries are strict (an unknown filter is a 400, not silently ignored).
 */
import { z } from 'zod';
import { resourceFields, resourceSchema, structureFields, structureSchema } from '../contract/index.ts';

export const structureInputSchema = structureSchema;
export const resourceInputSchema = resourceSchema;

/** JSON Merge Patch (RFC 7396) of a record: the fields to change; `null` removes an optional one. */
const patchOf = (fields: Record<string, z.ZodType>) => z.looseObject(
  Object.fromEntries(Object.entries(fields).map(([k, s]) => [k, s.nullable().optional()])),
);
export const structurePatchSchema = patchOf(structureFields)
  .describe('Champs à modifier (JSON Merge Patch) ; null supprime un champ facultatif ; id non modifiable.');
export const resourcePatchSchema = patchOf(resourceFields)
  .describe('Champs à modifier (JSON Merge Patch) ; null supprime un champ facultatif ; id non modifiable.');

export const placeSchema = z.object({
  postal_code: z.string(),
  insee_code: z.string().describe('Commune retenue pour le code postal'),
  commune: z.string(),
  department: z.string(),
  department_name: z.string(),
  region: z.string().describe('Code INSEE de la région'),
  region_name: z.string(),
  lat: z.number(),
  lon: z.number(),
}).describe('Où le code postal a été résolu.');

const lifecycle = {
  extra: z.record(z.string(), z.unknown()).optional().describe('Champs hors contrat, conservés tels quels'),
  place: placeSchema,
  status: z.enum(['active', 'archived']),
  archived_at: z.iso.datetime().nullable(),
  updated_at: z.iso.datetime(),
};

export const structureOutputSchema = z.object({ ...structureFields, ...lifecycle })
  .describe('Structure de l’ESS telle que stockée.');
export const resourceOutputSchema = z.object({ ...resourceFields, ...lifecycle })
  .describe('Ressource de La Poste telle que stockée.');

export const structureListSchema = z.object({
  items: z.array(structureOutputSchema),
  next_cursor: z.string().nullable().describe('À passer en `cursor` pour la page suivante ; null à la fin'),
});
export const resourceListSchema = z.object({
  items: z.array(resourceOutputSchema),
  next_cursor: z.string().nullable().describe('À passer en `cursor` pour la page suivante ; null à la fin'),
});

export const importReportSchema = z.object({
  source: z.string(),
  inserted: z.number().int(), updated: z.number().int(), unchanged: z.number().int(),
  rejected: z.number().int(), total: z.number().int(),
  rejects: z.array(z.object({
    line: z.number().int(), id: z.string().optional(), field: z.string().optional(),
    code: z.string(), reason: z.string().describe('Toutes les raisons, en français'),
    errors: z.array(z.object({ field: z.string().optional(), code: z.string(), reason: z.string() }))
      .describe('Chaque champ fautif'),
  })).describe('Chaque enregistrement refusé : ligne, champ, raison (les autres sont importés)'),
}).describe('Compte rendu d’import, le même que celui de la ligne de commande.');

/** Path parameter of every record route. */
export const idParams = z.strictObject({ id: z.string().min(1).max(200).describe('Identifiant de l’enregistrement') });
