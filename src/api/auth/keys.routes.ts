/**
 * Who am I (any key), and key management over HTTP (admins only; the same use cases as
 * `passerelles keys`). A created key is in the answer once; lists never show a key or its hash.
 */
import { z } from 'zod';
import type { ApiContext } from '../context.ts';
import { defineRoute, type RouteSpec } from '../routes.ts';
import { newKeySchema } from '../../keys/keys.usecases.ts';

export const keySchema = z.object({
  id: z.string(),
  label: z.string(),
  role: z.enum(['admin', 'delegate', 'structure']),
  regions: z.array(z.string()),
  structure_id: z.string().nullable(),
  status: z.enum(['active', 'revoked', 'expired']),
  created_at: z.iso.datetime(),
  expires_at: z.iso.datetime().nullable(),
  revoked_at: z.iso.datetime().nullable(),
}).describe('Une clé d’API, sans la clé elle-même.');

const createdKeySchema = z.object({
  key: z.string().describe('La clé, montrée cette seule fois'),
  api_key: keySchema,
});

export const meSchema = z.object({
  key_id: z.string(),
  role: z.enum(['admin', 'delegate', 'structure']),
  regions: z.array(z.object({ code: z.string(), name: z.string() })),
  structure_id: z.string().nullable(),
}).describe('Le porteur de la clé et son périmètre.');

const keyIdParams = z.strictObject({ id: z.string().min(1).max(100).describe('Identifiant de la clé (key_…)') });

export function keyRoutes(ctx: ApiContext): RouteSpec[] {
  const { keys } = ctx;
  return [
    defineRoute({
      method: 'get', path: '/me', operationId: 'whoAmI', tag: 'Clés', memory: true, summary: 'Le porteur de la clé et son périmètre',
      access: 'toute clé.',
      responses: { 200: { description: 'Périmètre', schema: meSchema } },
      handle: ({ caller }) => ({
        body: {
          key_id: caller.keyId, role: caller.role,
          regions: caller.regions.map((code) => ({ code, name: ctx.geography.region(code)?.name ?? code })),
          structure_id: caller.structureId,
        },
      }),
    }),
    defineRoute({
      method: 'get', path: '/keys', operationId: 'listKeys', tag: 'Clés', summary: 'Lister les clés d’API',
      access: 'admin seulement.',
      responses: { 200: { description: 'Les clés', schema: z.object({ items: z.array(keySchema) }) } },
      errors: { 403: ['auth.forbidden'] },
      async handle({ caller }) {
        return { body: { items: (await keys.list(caller)).map(keys.describe) } };
      },
    }),
    defineRoute({
      method: 'post', path: '/keys', operationId: 'createKey', tag: 'Clés', summary: 'Créer une clé d’API (montrée une fois)',
      access: 'admin seulement.',
      body: { schema: newKeySchema, parse: (raw) => raw as z.output<typeof newKeySchema> },
      responses: { 201: { description: 'La clé et sa description', schema: createdKeySchema } },
      errors: { 400: ['keys.invalid', 'request.invalid_json'], 403: ['auth.forbidden'] },
      async handle({ caller, body, req }) {
        const { key, record } = await keys.create(caller, body);
        req.log.info({ createdKeyId: record.id, role: record.role }, 'API key created');
        return { status: 201, body: { key, api_key: keys.describe(record) } };
      },
    }),
    defineRoute({
      method: 'delete', path: '/keys/:id', operationId: 'revokeKey', tag: 'Clés', summary: 'Révoquer une clé d’API',
      access: 'admin seulement.',
      params: keyIdParams,
      responses: { 200: { description: 'La clé révoquée', schema: keySchema } },
      errors: { 403: ['auth.forbidden'], 404: ['keys.not_found'] },
      async handle({ caller, params, req }) {
        const revoked = await keys.revoke(caller, params.id);
        req.log.info({ revokedKeyId: revoked.id }, 'API key revoked');
        return { body: keys.describe(revoked) };
      },
    }),
  ];
}
