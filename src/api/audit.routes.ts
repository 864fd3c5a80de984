/**
 * The audit trail over HTTP, for admins (the same use case as `passerelles audit` and the page
 * /admin/journal): who created, changed, archived, imported, exported, promoted or rolled back,
 * created or revoked what, and when; newest first, with filters and a cursor.
 */
import { z } from 'zod';
import { AUDIT_ACTIONS, AUDIT_RECORD_KINDS } from '../audit/audit.repository.ts';
import { auditListQuerySchema, describeAuditEntry } from '../audit/audit.usecases.ts';
import type { ApiContext } from './context.ts';
import { defineRoute, type RouteSpec } from './routes.ts';

const auditEntrySchema = z.object({
  id: z.number().int(),
  at: z.iso.datetime().describe('Instant de la transaction qui a fait le changement'),
  actor: z.object({
    id: z.string().describe('La clé (key_…), `operateur` (ligne de commande), `entrainement`, `demarrage` ou la demande d’inscription (reg_…)'),
    role: z.string().describe('admin, delegate, structure, systeme ou inscription'),
  }),
  action: z.enum(AUDIT_ACTIONS),
  record_kind: z.enum(AUDIT_RECORD_KINDS),
  record_id: z.string().nullable().describe('Null pour un import : il nomme son import dans details.run_id'),
  details: z.record(z.string(), z.unknown())
    .describe('Noms des champs changés, comptes d’un import, versions d’un modèle, rôle d’une clé : jamais de valeur de champ, de clé ni d’empreinte'),
}).describe('Une action du journal.');

export const auditListSchema = z.object({
  items: z.array(auditEntrySchema),
  next_cursor: z.string().nullable().describe('À passer en cursor pour la page suivante ; null à la dernière'),
});

export function auditRoutes(ctx: ApiContext): RouteSpec[] {
  return [
    defineRoute({
      method: 'get', path: '/audit', operationId: 'listAudit', tag: 'Journal',
      summary: 'Journal des actions (qui a créé, modifié, archivé, importé, exporté, promu, révoqué quoi, et quand)',
      access: 'admin seulement.',
      description: 'Du plus récent au plus ancien. Chaque changement accepté a son entrée, écrite dans la même transaction ; '
        + 'un changement refusé ou échoué n’en a pas. Conservé sans limite de durée.',
      query: auditListQuerySchema,
      responses: { 200: { description: 'Une page, de la plus récente à la plus ancienne', schema: auditListSchema } },
      errors: { 400: ['request.invalid'], 403: ['auth.forbidden'] },
      async handle({ caller, query }) {
        const page = await ctx.audit.list(caller, query);
        return { body: { items: page.items.map(describeAuditEntry), next_cursor: page.nextCursor } };
      },
    }),
  ];
}
