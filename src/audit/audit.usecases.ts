/**
 * Reading the audit trail, as every entry point does it (GET /api/v1/audit, `passerelles audit`,
 * the administration page): admins only, with filters (who, what, which record, when) and keyset
 * pages, newest first. Writing is not here: each use case that changes something writes its
 * entry in its own transaction (src/audit/audit.repository.ts, `writeAudit`).
 *
 * Retention: none. The trail is kept for good (a few hundred bytes per change; an import is one
 * entry, not one per record).
 */
import { z } from 'zod';
import { countParam } from '../domain/validation.ts';
import type { Caller } from '../access/access.policy.ts';
import type { Store } from '../db/open.ts';
import { PasserellesError } from '../domain/errors.ts';
import { AUDIT_ACTIONS, AUDIT_RECORD_KINDS, listAudit, type AuditEntry } from './audit.repository.ts';

const instant = z.iso.datetime({ offset: true }).or(z.iso.date());

export const auditListQuerySchema = z.strictObject({
  actor_id: z.string().trim().min(1).max(200).optional()
    .describe('Seulement les actions de cette clé (key_…), ou `operateur` pour la ligne de commande'),
  action: z.enum(AUDIT_ACTIONS).optional().describe('Seulement ce type d’action'),
  record_kind: z.enum(AUDIT_RECORD_KINDS).optional().describe('Seulement ce type d’enregistrement'),
  record_id: z.string().trim().min(1).max(200).optional().describe('Seulement cet enregistrement (identifiant de structure, de ressource, de clé, version de modèle)'),
  from: instant.optional().describe('À partir de cet instant (ISO 8601 ou AAAA-MM-JJ, inclus)'),
  to: instant.optional().describe('Avant cet instant (ISO 8601 ou AAAA-MM-JJ, exclu)'),
  limit: countParam(1, 500, 100).describe('Taille de la page (1 à 500, défaut 100)'),
  cursor: z.string().regex(/^\d{1,18}$/, 'curseur invalide : reprenez next_cursor de la page précédente').optional()
    .describe('next_cursor de la page précédente'),
});

export type AuditListQuery = z.output<typeof auditListQuerySchema>;

export const auditErrors = {
  adminOnly: () => new PasserellesError('auth.forbidden', 'Seul un administrateur lit le journal des actions.', 403),
};

export interface AuditPage { items: AuditEntry[]; nextCursor: string | null }

/** An entry as the API answers it and `passerelles audit --json` prints it. */
export function describeAuditEntry(e: AuditEntry) {
  return {
    id: e.id, at: e.at.toISOString(), actor: { id: e.actor.id, role: e.actor.role }, action: e.action,
    record_kind: e.recordKind, record_id: e.recordId, details: e.details,
  };
}

export function createAudit(deps: { store: Pick<Store, 'db'> }) {
  return {
    /** A page of the trail, newest first; 403 for any key but an admin's. */
    async list(caller: Caller, query: AuditListQuery): Promise<AuditPage> {
      if (caller.role !== 'admin') throw auditErrors.adminOnly();
      const page = await listAudit(deps.store.db, {
        actorId: query.actor_id, action: query.action, recordKind: query.record_kind, recordId: query.record_id,
        from: query.from ? new Date(query.from) : undefined, to: query.to ? new Date(query.to) : undefined,
        limit: query.limit, before: query.cursor === undefined ? undefined : Number(query.cursor),
      });
      return { items: page.items, nextCursor: page.nextBefore === null ? null : String(page.nextBefore) };
    },
  };
}

export type Audit = ReturnType<typeof createAudit>;
