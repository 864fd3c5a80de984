/**
 * The OpenAPI 3.1 document, generated from the route table and the zod schemas that validate the
 * requests (`z.toJSONSchema`, JSON Schema 2020-12 as OpenAPI 3.1 uses it). Request schemas are
 * converted on their input side (what a client sends), answers on their output side.
 */
import { z } from 'zod';
import { openApiPath, type RouteSpec } from './routes.ts';

type Json = Record<string, unknown>;

export interface Components {
  /** Named request schemas (bodies), e.g. StructureInput. */
  requests: Record<string, z.ZodType>;
  /** Named answer schemas, e.g. Structure, MatchList. */
  responses: Record<string, z.ZodType>;
}

export const errorSchema = z.object({
  error: z.object({
    code: z.string().describe('Code pointé stable, ex. matches.structure_not_found'),
    message: z.string().describe('Explication en français'),
    details: z.unknown().optional().describe('Précisions : pour request.invalid, la liste des champs fautifs { path, message }'),
  }),
}).describe('Toute erreur, quel que soit le statut.');

/** Errors any authenticated operation can answer, by status. */
const COMMON_ERRORS: Record<number, string[]> = {
  401: ['auth.missing_key', 'auth.invalid_key'],
  429: ['rate_limited'],
  500: ['internal'],
  503: ['service.unavailable'],
};

const STATUS_TEXT: Record<number, string> = {
  400: 'Requête invalide', 401: 'Clé d’API absente ou invalide', 403: 'Hors du périmètre de la clé',
  404: 'Introuvable (ou caché pour cette clé)', 409: 'Conflit', 413: 'Corps trop volumineux',
  415: 'Type de contenu non pris en charge', 429: 'Trop de requêtes', 500: 'Erreur interne',
  503: 'Base de données injoignable (en-tête Retry-After)',
};

/** Drops the noise zod adds for OpenAPI readers: `$schema`, `$id`, and patterns that a `format` already says. */
function tidy(schema: Json): Json {
  const { $schema: _s, $id: _i, ...rest } = schema;
  return rest;
}

const override = (ctx: { jsonSchema: Json }) => {
  if (typeof ctx.jsonSchema.format === 'string' && 'pattern' in ctx.jsonSchema) delete ctx.jsonSchema.pattern;
  if (ctx.jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete ctx.jsonSchema.maximum;
};

function convertRegistry(registry: z.core.$ZodRegistry<{ id: string }>, io: 'input' | 'output'): Record<string, Json> {
  const { schemas } = z.toJSONSchema(registry, {
    io, unrepresentable: 'any', uri: (id) => `#/components/schemas/${id}`, override: override as never,
  }) as { schemas: Record<string, Json> };
  return Object.fromEntries(Object.entries(schemas).map(([id, s]) => [id, tidy(s)]));
}

function parametersOf(where: 'path' | 'query', schema: z.ZodType | undefined): Json[] {
  if (!schema) return [];
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', override: override as never }) as Json;
  const properties = (json.properties ?? {}) as Record<string, Json>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, prop]) => {
    const { description, ...rest } = prop;
    return {
      name, in: where, required: where === 'path' || required.has(name),
      ...(description ? { description } : {}), schema: rest,
    };
  });
}

export function buildOpenApi(routes: RouteSpec[], components: Components, info: { version: string }): Json {
  const requests = z.registry<{ id: string }>();
  const responses = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(components.requests)) requests.add(schema, { id });
  for (const [id, schema] of Object.entries(components.responses)) responses.add(schema, { id });
  responses.add(errorSchema, { id: 'Error' });
  const ref = (registry: typeof requests, schema: z.ZodType, fallbackId: string) => {
    if (!registry.has(schema)) registry.add(schema, { id: fallbackId });
    return { $ref: `#/components/schemas/${registry.get(schema)!.id}` };
  };

  const paths: Record<string, Record<string, Json>> = {};
  for (const route of routes) {
    const op: Json = {
      operationId: route.operationId,
      tags: [route.tag],
      summary: route.summary,
      description: [route.description, `Accès : ${route.access}`].filter(Boolean).join('\n\n'),
      'x-access': route.access,
      parameters: [...parametersOf('path', route.params), ...parametersOf('query', route.query)],
    };
    if (route.public) op.security = [];
    if (route.body) {
      op.requestBody = {
        required: !route.body.optional,
        ...(route.body.description ? { description: route.body.description } : {}),
        content: { 'application/json': { schema: ref(requests, route.body.schema, `${route.operationId}Body`) } },
      };
    }
    if (route.rawBody) {
      op.requestBody = {
        required: true, description: route.rawBody.description,
        content: Object.fromEntries(route.rawBody.contentTypes.map((t) => [t, { schema: { type: 'string' } }])),
      };
    }
    const answers: Record<string, Json> = {};
    for (const [status, spec] of Object.entries(route.responses)) {
      const content = spec.schema
        ? { content: { [spec.contentType ?? 'application/json']: { schema: ref(responses, spec.schema, `${route.operationId}${status}`) } } }
        : {};
      answers[status] = { description: spec.description, ...content };
    }
    const errors: Record<number, string[]> = { ...(route.public ? { 500: COMMON_ERRORS[500] } : COMMON_ERRORS) };
    for (const [status, codes] of Object.entries(route.errors ?? {})) errors[Number(status)] = [...(errors[Number(status)] ?? []), ...codes];
    for (const [status, codes] of Object.entries(errors).sort(([a], [b]) => Number(a) - Number(b))) {
      answers[status] = {
        description: `${STATUS_TEXT[Number(status)] ?? 'Erreur'} : ${codes.join(', ')}`,
        'x-error-codes': codes,
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      };
    }
    op.responses = answers;
    (paths[`/api/v1${openApiPath(route.path)}`] ??= {})[route.method] = op;
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'Passerelles — API',
      version: info.version,
      description: 'Mise en relation des structures de l’ESS et des ressources du groupe La Poste. '
        + 'Toutes les opérations demandent une clé d’API (en-tête Authorization: Bearer psk_…), '
        + 'sauf ce document et sa version lisible (/api/v1/docs). '
        + 'Erreurs : toujours { "error": { "code", "message", "details" } }.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }, { apiKeyHeader: [] }],
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'psk_…', description: 'Clé d’API Passerelles' },
        apiKeyHeader: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
      },
      schemas: { ...convertRegistry(requests, 'input'), ...convertRegistry(responses, 'output') },
    },
  };
}
