/**
 * Schemas of the records routes: what a client sends is the data contract itself (the zod schemas
 * of src/contract, which also validate it); what it gets back is the record plus its resolved place
 * and its lifecycle; list queries are strict (an unknown filter is a 400, not silently ignored).
 */
import { z } from 'zod';
import { resourceFields, resourceSchema, structureFields, structureSchema } from '../contract/index.ts';
import type { EntityKind } from '../domain/types.ts';
import { invalidRequest, isObject, type FieldIssue } from '../domain/validation.ts';

export const structureInputSchema = structureSchema;
export const resourceInputSchema = resourceSchema;

/** The field without its optional or default wrapper: what a value sent for it must be. */
function bare(schema: z.ZodType): { inner: z.ZodType; required: boolean } {
  let inner = schema;
  let required = true;
  while (inner.def.type === 'optional' || inner.def.type === 'default') {
    required = false;
    inner = (inner.def as unknown as { innerType: z.ZodType }).innerType;
  }
  return { inner, required };
}

/**
 * JSON Merge Patch (RFC 7396) of a record: the fields to change. `null` removes an optional field;
 * a required field can be changed, never removed; `id` is the address's, never the body's.
 * Unknown fields are kept (`extra`), as in the contract.
 */
const patchOf = (fields: Record<string, z.ZodType>) => z.looseObject({
  id: z.never().optional().describe('Non modifiable : l’id est celui de l’adresse (refusé dans le corps).'),
  ...Object.fromEntries(Object.entries(fields).filter(([name]) => name !== 'id').map(([name, schema]) => {
    const { inner, required } = bare(schema);
    return [name, required ? inner.optional() : inner.nullable().optional()];
  })),
});
export const structurePatchSchema = patchOf(structureFields)
  .describe('Champs à modifier (JSON Merge Patch) ; null supprime un champ facultatif ; un champ obligatoire ne peut être que changé ; id non modifiable.');
export const resourcePatchSchema = patchOf(resourceFields)
  .describe('Champs à modifier (JSON Merge Patch) ; null supprime un champ facultatif ; un champ obligatoire ne peut être que changé ; id non modifiable.');

/**
 * What the patch schema says, checked before merging (the merged record is then validated as a
 * whole, with the contract's messages): an object, no `id`, no `null` on a required field. Each
 * fault is a field issue, so the client learns which field and why.
 */
export function parsePatch(kind: EntityKind, raw: unknown): Record<string, unknown> {
  if (!isObject(raw)) throw invalidRequest([{ path: '', message: 'un objet JSON {…} est attendu (JSON Merge Patch)' }]);
  const fields: Record<string, z.ZodType> = kind === 'structure' ? structureFields : resourceFields;
  const issues: FieldIssue[] = [];
  if ('id' in raw) issues.push({ path: 'id', message: 'l’id ne se modifie pas : c’est celui de l’adresse, retirez-le du corps' });
  for (const [name, schema] of Object.entries(fields)) {
    if (name !== 'id' && raw[name] === null && bare(schema).required) {
      issues.push({ path: name, message: 'champ obligatoire : il peut être changé, pas supprimé (null)' });
    }
  }
  if (issues.length > 0) throw invalidRequest(issues);
  return raw;
}

/** A record sent for a preview: the input of a creation, whose id may be left out. */
export const structureDraftSchema = z.looseObject({ ...structureFields, id: structureFields.id.optional() })
  .describe('Structure non enregistrée, pour un aperçu : les champs d’une création, id facultatif.');
export const resourceDraftSchema = z.looseObject({ ...resourceFields, id: resourceFields.id.optional() })
  .describe('Ressource non enregistrée, pour un aperçu : les champs d’une création, id facultatif.');

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
