/**
 * JSON Schema (draft 2020-12) of the contract records, generated from the zod schemas, for the
 * OpenAPI document of the HTTP API. They describe the input as written in a file: optional fields
 * may be absent, unknown fields are allowed (`additionalProperties`), `scope` defaults to local.
 * Rules JSON Schema cannot say (available_until ≥ available_from, amount_max ≥ amount_min,
 * empty strings treated as absent) are stated in the descriptions.
 */
import { z } from 'zod';
import type { EntityKind } from '../domain/types.ts';
import { schemas } from './schemas.ts';

const DESCRIPTIONS: Record<EntityKind, string> = {
  structure: 'Structure de l’ESS selon le contrat de données v1.1. Les champs inconnus sont conservés '
    + '(dans `extra`) sans servir à la mise en relation. Textes vides = champ absent.',
  resource: 'Ressource de La Poste selon le contrat de données v1.1. available_until doit être ≥ '
    + 'available_from et amount_max_eur ≥ amount_min_eur. Les champs inconnus sont conservés '
    + '(dans `extra`). Textes vides = champ absent.',
};

/** JSON Schema of one record kind; pass `target: 'openapi-3.0'` for an OpenAPI 3.0 document. */
export function recordJsonSchema(kind: EntityKind, target: 'draft-2020-12' | 'openapi-3.0' = 'draft-2020-12') {
  const schema = z.toJSONSchema(schemas[kind], { io: 'input', target, unrepresentable: 'any' });
  return { ...schema, title: kind === 'structure' ? 'StructureRecord' : 'ResourceRecord', description: DESCRIPTIONS[kind] };
}
