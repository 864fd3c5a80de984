/**
 * The OpenAPI 3.1 document, generated from the route table and the zod schemas that validate the
 * requests (`z.toJSONSchema`, JSON Schema 2020-12 as OpenAPI 3.1 uses it). Request schemas are
 * converted on their input side (what a client sends), answers on their output side.
 */
import { z } from 'zod';
import { openApiPath, type ResponseSpec, type RouteSpec } from './routes.ts';

type Json = Record<string, unknown>;

export interface Components {
  /** Named request schemas (bodies), e.g. StructureInput. */
  requests: Record<string, z.ZodType>;
  /** Named answer schemas, e.g. Structure, MatchList. */
  responses: Record<string, z.ZodType>;
  /** An example value of a named schema, shown with every body or answer of that schema. */
  examples?: Record<string, unknown>;
}

/** An operation outside /api/v1 and the route table (the probes /healthz, /readyz, /metrics). */
export interface ProbeSpec {
  path: string;
  operationId: string;
  summary: string;
  description: string;
  responses: Record<number, ResponseSpec>;
}

/** The tags, in the order of the documentation, each with what it groups. */
const TAGS: Record<string, string> = {
  Structures: 'Structures de l’ESS : lecture, création, modification (JSON Merge Patch), archivage, import de fichiers.',
  Ressources: 'Ressources du groupe La Poste : mêmes opérations que les structures.',
  Correspondances: 'Classements expliqués dans les deux sens, et aperçu d’un enregistrement non enregistré.',
  Avis: 'Retours sur les correspondances proposées (vu, retenu, contacté, partenariat, pas intéressé).',
  Clés: 'Le porteur de la clé ; gestion des clés d’API (administrateurs).',
  Modèles: 'Versions du modèle de classement : figures, promotion, retour arrière (administrateurs).',
  Rapports: 'Rapports du calcul de nuit, par région et national.',
  Journal: 'Journal des actions : qui a créé, modifié, archivé, importé, exporté, promu ou révoqué quoi, et quand (administrateurs).',
  Exploitation: 'Sondes pour l’exploitation : vivant, prêt, métriques Prometheus. Sans clé.',
};

/** Answer headers, described once and referenced by each answer that carries them. */
const HEADERS: Record<string, Json> = {
  'X-Request-Id': {
    description: 'Identifiant de la requête (repris de l’en-tête X-Request-Id reçu s’il est sain), cité dans les journaux et les erreurs 500.',
    schema: { type: 'string' },
  },
  'RateLimit-Limit': { description: 'Requêtes permises par minute pour cette clé.', schema: { type: 'integer', minimum: 1 } },
  'RateLimit-Remaining': { description: 'Requêtes encore permises maintenant pour cette clé.', schema: { type: 'integer', minimum: 0 } },
  'Retry-After': { description: 'Secondes à attendre avant de réessayer.', required: true, schema: { type: 'integer', minimum: 1 } },
  Location: { description: 'Adresse de l’enregistrement créé.', required: true, schema: { type: 'string' } },
  Allow: { description: 'Méthodes permises sur cette adresse (réponse 405).', required: true, schema: { type: 'string' } },
};

export const errorSchema = z.object({
  error: z.object({
    code: z.string().describe('Code pointé stable, ex. matches.structure_not_found'),
    message: z.string().describe('Explication en français'),
    details: z.unknown().optional().describe('Précisions : pour request.invalid, la liste des champs fautifs { path, message }'),
  }),
}).describe('Toute erreur, quel que soit le statut.');

/**
 * Errors any authenticated operation can answer, by status: a forbidden character in the path or
 * the query is a 400 on every route, before the route's own checks.
 */
const COMMON_ERRORS: Record<number, string[]> = {
  400: ['request.invalid', 'auth.key_in_url'],
  401: ['auth.missing_key', 'auth.invalid_key'],
  429: ['rate_limited', 'auth.too_many_failures'],
  500: ['internal'],
  503: ['service.unavailable'],
};
/** Errors of reading a JSON body (src/api/routes.ts, the body parser in errors.ts). */
const JSON_BODY_ERRORS: Record<number, string[]> = {
  400: ['request.invalid', 'request.invalid_json', 'request.not_an_object', 'request.too_deep'],
  413: ['request.too_large'],
  415: ['request.unsupported_media_type', 'request.unsupported_encoding'],
};
const RAW_BODY_ERRORS: Record<number, string[]> = { 413: ['request.too_large'], 415: ['request.unsupported_media_type'] };

/** Every error code a route can answer, by status: the common ones, its body's, its own. */
export function errorsOf(route: RouteSpec): Record<number, string[]> {
  const sources = [
    route.public ? { 500: COMMON_ERRORS[500] } : COMMON_ERRORS,
    route.body ? JSON_BODY_ERRORS : {},
    route.rawBody ? RAW_BODY_ERRORS : {},
    route.errors ?? {},
  ];
  const errors: Record<number, string[]> = {};
  for (const source of sources) {
    for (const [status, codes] of Object.entries(source)) errors[Number(status)] = [...new Set([...(errors[Number(status)] ?? []), ...codes])];
  }
  return errors;
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Requête invalide', 401: 'Clé d’API absente ou invalide', 403: 'Hors du périmètre de la clé',
  404: 'Introuvable (ou caché pour cette clé)', 409: 'Conflit', 413: 'Corps trop volumineux',
  405: 'Méthode non permise sur cette adresse (en-tête Allow)',
  415: 'Type de contenu non pris en charge', 429: 'Trop de requêtes', 500: 'Erreur interne',
  503: 'Base de données injoignable (en-tête Retry-After)',
};

/** Zod's `never` (`{ not: {} }`, read as "anything" by some generators) as JSON Schema's own `false`. */
const isNever = (s: unknown) => typeof s === 'object' && s !== null && Object.keys(s).every((k) => k === 'not' || k === 'description')
  && JSON.stringify((s as Json).not) === '{}';

/** Drops the noise zod adds for OpenAPI readers (`$schema`, `$id`); a forbidden property becomes `false`. */
function tidy(schema: Json): Json {
  const { $schema: _s, $id: _i, ...rest } = schema;
  if (rest.properties) {
    rest.properties = Object.fromEntries(Object.entries(rest.properties as Json).map(([k, v]) => [k, isNever(v) ? false : v]));
  }
  return rest;
}

const override = (ctx: { jsonSchema: Json }) => {
  if (typeof ctx.jsonSchema.format === 'string' && 'pattern' in ctx.jsonSchema) delete ctx.jsonSchema.pattern;
  if (ctx.jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete ctx.jsonSchema.maximum;
};

/**
 * In a request body, a field with a default may be left out. Generators read `default` as "always
 * present" (openapi-typescript makes such a field required in a named schema), which is true of an
 * answer, not of a request: request schemas say their defaults as `x-default` and in words.
 */
const requestOverride = (ctx: { jsonSchema: Json }) => {
  override(ctx);
  if (ctx.jsonSchema.default === undefined) return;
  const value = ctx.jsonSchema.default;
  delete ctx.jsonSchema.default;
  ctx.jsonSchema['x-default'] = value;
  const said = `Par défaut : ${JSON.stringify(value)}.`;
  ctx.jsonSchema.description = ctx.jsonSchema.description ? `${String(ctx.jsonSchema.description)} ${said}` : said;
};

function convertRegistry(registry: z.core.$ZodRegistry<{ id: string }>, io: 'input' | 'output'): Record<string, Json> {
  const { schemas } = z.toJSONSchema(registry, {
    io, unrepresentable: 'any', uri: (id) => `#/components/schemas/${id}`,
    override: (io === 'input' ? requestOverride : override) as never,
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

const errorHeaders = (status: number, isPublic: boolean): Json => ({
  'X-Request-Id': { $ref: '#/components/headers/X-Request-Id' },
  ...(status === 429 || status === 503 ? { 'Retry-After': { $ref: '#/components/headers/Retry-After' } } : {}),
  ...(!isPublic && status !== 401 && status !== 503 && status !== 500 ? rateLimitHeaders : {}),
});
const rateLimitHeaders: Json = {
  'RateLimit-Limit': { $ref: '#/components/headers/RateLimit-Limit' },
  'RateLimit-Remaining': { $ref: '#/components/headers/RateLimit-Remaining' },
};

export function buildOpenApi(routes: RouteSpec[], components: Components, info: { version: string; probes?: ProbeSpec[] }): Json {
  const requests = z.registry<{ id: string }>();
  const responses = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(components.requests)) requests.add(schema, { id });
  for (const [id, schema] of Object.entries(components.responses)) responses.add(schema, { id });
  responses.add(errorSchema, { id: 'Error' });
  const examples = components.examples ?? {};
  /** A media type object: the schema by reference, with the example of that schema if there is one. */
  const media = (registry: typeof requests, schema: z.ZodType, fallbackId: string): Json => {
    if (!registry.has(schema)) registry.add(schema, { id: fallbackId });
    const id = registry.get(schema)!.id;
    return { schema: { $ref: `#/components/schemas/${id}` }, ...(examples[id] !== undefined ? { example: examples[id] } : {}) };
  };
  const answer = (spec: ResponseSpec, fallbackId: string, isPublic: boolean): Json => ({
    description: spec.description,
    headers: {
      'X-Request-Id': { $ref: '#/components/headers/X-Request-Id' },
      ...(isPublic ? {} : rateLimitHeaders),
      ...Object.fromEntries((spec.headers ?? []).map((h) => [h, { $ref: `#/components/headers/${h}` }])),
    },
    ...(spec.schema ? { content: { [spec.contentType ?? 'application/json']: media(responses, spec.schema, fallbackId) } }
      : spec.contentType ? { content: { [spec.contentType]: { schema: { type: 'string' } } } } : {}),
  });
  const errorAnswers = (errors: Record<number, string[]>, isPublic: boolean): Record<string, Json> => Object.fromEntries(
    Object.entries(errors).sort(([a], [b]) => Number(a) - Number(b)).map(([status, codes]) => [status, {
      description: `${STATUS_TEXT[Number(status)] ?? 'Erreur'} : ${codes.join(', ')}`,
      'x-error-codes': codes,
      headers: errorHeaders(Number(status), isPublic),
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' }, example: errorExample(codes[0]) } },
    }]),
  );

  const paths: Record<string, Record<string, Json>> = {};
  const tags = new Set<string>();
  for (const route of routes) {
    tags.add(route.tag);
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
      const types = route.body.contentTypes ?? ['application/json'];
      op.requestBody = {
        required: !route.body.optional,
        ...(route.body.description ? { description: route.body.description } : {}),
        content: Object.fromEntries(types.map((t) => [t, media(requests, route.body!.schema, `${route.operationId}Body`)])),
      };
    }
    if (route.rawBody) {
      op.requestBody = {
        required: true, description: route.rawBody.description,
        content: Object.fromEntries(route.rawBody.contentTypes.map((t) => [t, { schema: { type: 'string' } }])),
      };
    }
    const answers: Record<string, Json> = {};
    for (const [status, spec] of Object.entries(route.responses)) answers[status] = answer(spec, `${route.operationId}${status}`, Boolean(route.public));
    op.responses = { ...answers, ...errorAnswers(errorsOf(route), Boolean(route.public)) };
    (paths[`/api/v1${openApiPath(route.path)}`] ??= {})[route.method] = op;
  }
  for (const probe of info.probes ?? []) {
    tags.add('Exploitation');
    const answers = Object.fromEntries(Object.entries(probe.responses).map(([status, spec]) => [status, answer(spec, `${probe.operationId}${status}`, true)]));
    (paths[probe.path] ??= {}).get = {
      operationId: probe.operationId, tags: ['Exploitation'], summary: probe.summary, description: probe.description,
      'x-access': 'sans clé.', security: [], parameters: [], responses: answers,
    };
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'Passerelles — API',
      version: info.version,
      description: 'Mise en relation des structures de l’ESS et des ressources du groupe La Poste. '
        + 'Toutes les opérations demandent une clé d’API (en-tête Authorization: Bearer psk_…), '
        + 'sauf ce document, sa version lisible (/api/v1/docs) et les sondes d’exploitation. '
        + 'Erreurs : toujours { "error": { "code", "message", "details" } }. '
        + 'Chaque réponse porte X-Request-Id ; celles d’une clé, RateLimit-Limit et RateLimit-Remaining. '
        + 'Une méthode qu’une adresse n’a pas (ex. PUT /api/v1/structures) répond 405 route.method_not_allowed '
        + 'avec l’en-tête Allow (réponse MethodNotAllowed), avant toute vérification de clé.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }, { apiKeyHeader: [] }],
    tags: [...Object.keys(TAGS).filter((t) => tags.has(t)), ...[...tags].filter((t) => !(t in TAGS))]
      .map((name) => ({ name, ...(TAGS[name] ? { description: TAGS[name] } : {}) })),
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'psk_…', description: 'Clé d’API Passerelles' },
        apiKeyHeader: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
      },
      headers: HEADERS,
      responses: {
        MethodNotAllowed: {
          description: `${STATUS_TEXT[405]} : route.method_not_allowed`,
          'x-error-codes': ['route.method_not_allowed'],
          headers: { Allow: { $ref: '#/components/headers/Allow' }, 'X-Request-Id': { $ref: '#/components/headers/X-Request-Id' } },
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' }, example: errorExample('route.method_not_allowed') } },
        },
      },
      schemas: { ...convertRegistry(requests, 'input'), ...convertRegistry(responses, 'output') },
    },
  };
}

/** An error answer as the service sends it, for the documentation. */
function errorExample(code: string): Json {
  return { error: { code, message: ERROR_EXAMPLE_MESSAGES[code] ?? 'Explication en français de ce qui ne va pas.' } };
}

const ERROR_EXAMPLE_MESSAGES: Record<string, string> = {
  'request.invalid': 'Requête invalide : voir le détail des champs.',
  'auth.missing_key': 'Clé d’API manquante : envoyez l’en-tête « Authorization: Bearer psk_… ».',
  'auth.forbidden': 'Cette clé d’API ne permet pas cette opération.',
  rate_limited: 'Trop de requêtes pour cette clé : réessayez dans 3 s.',
  'auth.too_many_failures': 'Trop de clés d’API refusées depuis cette adresse : réessayez dans 42 s.',
  internal: 'Erreur interne du service (référence 6f1c…).',
  'route.method_not_allowed': 'Méthode PUT non permise sur /api/v1/structures ; permises : GET, HEAD, POST.',
  'service.unavailable': 'Service momentanément indisponible (base de données injoignable) : réessayez dans 5 s.',
};
