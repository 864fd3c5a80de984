/**
 * The routes of one record kind (structures or resources): list, get, create, replace, patch,
 * archive and bulk import. Both kinds share this table; structures.routes.ts and
 * resources.routes.ts give what differs (schemas, scope rules, list filters).
 */
import { z } from 'zod';
import type { EntityKind, ResourceRecord, StructureRecord } from '../domain/types.ts';
import type { Row } from '../records/records.lists.ts';
import type { ListQuery } from '../records/records.usecases.ts';
import type { ApiContext } from './context.ts';
import { IMPORT_TYPES, importUpload } from './import.ts';
import { present } from './records.present.ts';
import { idParams, importReportSchema, parsePatch } from './records.schemas.ts';
import { defineRoute, type Reply, type RouteSpec } from './routes.ts';

export interface KindRoutesSpec<K extends EntityKind> {
  kind: K;
  /** Path segment and prefix of the error codes: `structures`, `resources`. */
  plural: 'structures' | 'resources';
  /** French name for messages: « Structure », « Ressource ». */
  label: string;
  tag: string;
  /** « une structure », « une ressource ». */
  one: string;
  input: z.ZodType;
  patch: z.ZodType;
  output: z.ZodType;
  listOutput: z.ZodType;
  listQuery: z.ZodType;
  /** Who may do what, in French, per operation (documentation). */
  accessText: { read: string; list: string; write: string; archive: string };
}

const importQuery = z.strictObject({
  source: z.string().min(1).max(200).default('envoi').describe('Nom de l’envoi, repris dans le compte rendu'),
});

export function kindRoutes<K extends EntityKind>(ctx: ApiContext, spec: KindRoutesSpec<K>): RouteSpec[] {
  const { records } = ctx;
  const { kind } = spec;
  const p = spec.plural;
  const shown = (row: Row<StructureRecord | ResourceRecord>) => present(ctx.geography, kind, row);
  const saved = (row: Row<StructureRecord | ResourceRecord>, status = 200): Reply => ({
    status, body: shown(row),
    headers: status === 201 ? { Location: `/api/v1/${p}/${encodeURIComponent(row.record.id)}` } : {},
  });
  const notFound = [`${p}.not_found`];
  const invalid = ['request.invalid', 'request.invalid_json'];
  const upperOne = spec.one[0].toUpperCase() + spec.one.slice(1);
  return [
    defineRoute({
      method: 'get', path: `/${p}`, operationId: `list${spec.tag}`, tag: spec.tag,
      summary: `Lister les ${p === 'structures' ? 'structures' : 'ressources'} (filtres, pagination par curseur)`,
      access: spec.accessText.list, query: spec.listQuery,
      responses: { 200: { description: 'Une page, triée par id', schema: spec.listOutput } },
      errors: { 400: ['request.invalid'] },
      async handle({ caller, query }) {
        const page = await records.list(caller, kind, query as ListQuery<K>);
        return { body: { items: page.items.map(shown), next_cursor: page.nextCursor } };
      },
    }),
    defineRoute({
      method: 'post', path: `/${p}`, operationId: `create${spec.label}`, tag: spec.tag,
      summary: `Créer ${spec.one}`,
      access: spec.accessText.write,
      body: { schema: spec.input, parse: (raw) => raw },
      responses: { 201: { description: `${upperOne} créée (en-tête Location)`, schema: spec.output, headers: ['Location'] } },
      errors: { 400: invalid, 403: ['auth.forbidden'], 409: [`${p}.already_exists`], 413: ['request.too_large'], 415: ['request.unsupported_media_type'] },
      handle: async ({ caller, body }) => saved(await records.create(caller, kind, body), 201),
    }),
    defineRoute({
      method: 'post', path: `/${p}/import`, operationId: `import${spec.tag}`, tag: spec.tag,
      summary: `Importer des ${p === 'structures' ? 'structures' : 'ressources'} (JSON Lines ou CSV)`,
      description: 'Mêmes règles que `passerelles import` : upsert par id, enregistrements valides importés, '
        + 'chaque refus rapporté (ligne, champ, raison) ; une erreur de fichier (encodage, en-tête) n’importe rien.',
      access: 'admin seulement.',
      query: importQuery,
      rawBody: { contentTypes: Object.keys(IMPORT_TYPES), description: 'Le fichier, tel quel (UTF-8).' },
      responses: { 200: { description: 'Compte rendu', schema: importReportSchema } },
      errors: {
        400: ['request.invalid', 'import.not_utf8', 'import.bad_header', 'import.json_array'],
        403: ['auth.forbidden'], 413: ['request.too_large'], 415: ['request.unsupported_media_type'],
      },
      async handle({ caller, query, req, res }) {
        const abort = new AbortController();
        res.once('close', () => { if (!res.writableFinished) abort.abort(); });
        const length = req.get('content-length');
        const body = await importUpload(ctx, caller, {
          kind: spec.kind, contentType: req.get('content-type') ?? '', contentLength: length ? Number(length) : undefined,
          body: req, sourceName: query.source, signal: abort.signal, logger: req.log,
        });
        return { body };
      },
    }),
    defineRoute({
      method: 'get', path: `/${p}/:id`, operationId: `get${spec.label}`, tag: spec.tag,
      summary: `Lire ${spec.one}`, access: spec.accessText.read, params: idParams,
      responses: { 200: { description: upperOne, schema: spec.output } },
      errors: { 403: ['auth.forbidden'], 404: notFound },
      handle: async ({ caller, params }) => ({ body: shown(await records.get(caller, kind, params.id)) }),
    }),
    defineRoute({
      method: 'put', path: `/${p}/:id`, operationId: `replace${spec.label}`, tag: spec.tag,
      summary: `Remplacer ${spec.one} (la rétablit si elle était archivée)`,
      access: spec.accessText.write, params: idParams,
      body: { schema: spec.input, parse: (raw) => raw },
      responses: { 200: { description: `${upperOne} enregistrée`, schema: spec.output } },
      errors: { 400: invalid, 403: ['auth.forbidden'], 404: notFound, 413: ['request.too_large'], 415: ['request.unsupported_media_type'] },
      handle: async ({ caller, params, body }) => saved(await records.replace(caller, kind, params.id, body)),
    }),
    defineRoute({
      method: 'patch', path: `/${p}/:id`, operationId: `patch${spec.label}`, tag: spec.tag,
      summary: `Modifier en partie ${spec.one} (JSON Merge Patch)`,
      access: spec.accessText.write, params: idParams,
      body: { schema: spec.patch, parse: (raw) => parsePatch(kind, raw), contentTypes: ['application/merge-patch+json', 'application/json'] },
      responses: { 200: { description: `${upperOne} enregistrée`, schema: spec.output } },
      errors: {
        400: invalid, 403: ['auth.forbidden'], 404: notFound, 409: [`${p}.archived`],
        413: ['request.too_large'], 415: ['request.unsupported_media_type'],
      },
      handle: async ({ caller, params, body }) => saved(await records.patch(caller, kind, params.id, body)),
    }),
    defineRoute({
      method: 'delete', path: `/${p}/:id`, operationId: `archive${spec.label}`, tag: spec.tag,
      summary: `Archiver ${spec.one} (plus proposée, gardée pour les rapports)`,
      access: spec.accessText.archive, params: idParams,
      responses: { 204: { description: 'Archivée (ou déjà archivée)' } },
      errors: { 403: ['auth.forbidden'], 404: notFound },
      async handle({ caller, params }) {
        await records.archive(caller, kind, params.id);
        return { status: 204 };
      },
    }),
  ];
}
