/**
 * The audit trail in the administration (admin role only; others get 404): who created, changed,
 * archived, imported, exported, promoted or rolled back, created or revoked what, and when; newest
 * first, filtered by the audit use case's own query schema, one page at a time with its cursor.
 */
import type { Request, Router } from 'express';
import type { Caller } from '../../access/access.policy.ts';
import { actorLabel, AUDIT_ACTION_LABELS, AUDIT_KIND_LABELS, detailsSummary } from '../../audit/audit.describe.ts';
import { AUDIT_ACTIONS, AUDIT_RECORD_KINDS, type AuditEntry } from '../../audit/audit.repository.ts';
import { auditListQuerySchema } from '../../audit/audit.usecases.ts';
import { isPasserellesError } from '../../domain/errors.ts';
import { parseWith, type FieldIssue } from '../../domain/validation.ts';
import { signedIn, type WebContext } from '../context.ts';
import { errorsByField, errorSummary, input, select, type Errors } from '../forms.ts';
import { html, queryString } from '../html.ts';
import { layout, type View } from '../layout.ts';
import { adminNav } from './admin.ts';

const PAGE_SIZE = 50;
const FILTERS = ['actor_id', 'action', 'record_kind', 'record_id', 'from', 'to'] as const;
const LABELS = { actor_id: 'Qui', action: 'Action', record_kind: 'Type', record_id: 'Identifiant', from: 'Depuis le', to: 'Avant le', cursor: 'Page' };

function filtersOf(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of FILTERS) {
    const v = req.query[name];
    if (typeof v === 'string' && v.trim()) out[name] = v.trim();
  }
  return out;
}

const when = (at: Date) => at.toLocaleString('fr-FR', { dateStyle: 'short', timeStyle: 'medium', timeZone: 'Europe/Paris' });

function filterForm(f: Record<string, string>, errors: Errors) {
  return html`<form method="get" action="/admin/journal" class="filters" role="search" aria-label="Filtrer le journal">
    ${errorSummary(errors, LABELS)}
    ${input({ name: 'actor_id', label: 'Qui (identifiant de clé)', value: f.actor_id, errors, hint: 'key_…, ou operateur pour la ligne de commande.' })}
    ${select({ name: 'action', label: 'Action', value: f.action, errors, empty: 'Toutes',
      options: AUDIT_ACTIONS.map((a) => ({ value: a, label: AUDIT_ACTION_LABELS[a] })) })}
    ${select({ name: 'record_kind', label: 'Type', value: f.record_kind, errors, empty: 'Tous',
      options: AUDIT_RECORD_KINDS.map((k) => ({ value: k, label: AUDIT_KIND_LABELS[k] })) })}
    ${input({ name: 'record_id', label: 'Identifiant (structure, ressource, clé, version)', value: f.record_id, errors })}
    ${input({ name: 'from', label: 'Depuis le', type: 'date', value: f.from, errors })}
    ${input({ name: 'to', label: 'Avant le', type: 'date', value: f.to, errors })}
    <div class="filter-actions"><button type="submit">Filtrer</button> <a href="/admin/journal">Effacer les filtres</a></div>
  </form>`;
}

function entryRow(e: AuditEntry) {
  const what = e.recordId ? html`${AUDIT_KIND_LABELS[e.recordKind]} <code>${e.recordId}</code>` : html`${AUDIT_KIND_LABELS[e.recordKind]}s`;
  return html`<tr><td><time datetime="${e.at.toISOString()}">${when(e.at)}</time></td><td>${actorLabel(e.actor)}</td>
    <td>${AUDIT_ACTION_LABELS[e.action]}</td><td>${what}</td><td>${detailsSummary(e) || '—'}</td></tr>`;
}

async function journalPage(ctx: WebContext, req: Request, view: View & { caller: Caller }) {
  const f = filtersOf(req);
  const cursor = typeof req.query.page === 'string' ? req.query.page : undefined;
  let errors: Errors = {};
  let items: AuditEntry[] = [];
  let next: string | null = null;
  try {
    const page = await ctx.audit.list(view.caller, parseWith(auditListQuerySchema, { ...f, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) }));
    items = page.items;
    next = page.nextCursor;
  } catch (e) {
    if (!isPasserellesError(e) || e.status !== 400) throw e;
    errors = errorsByField(e.details as FieldIssue[]);
  }
  const body = html`${adminNav(view)}
    <p>Chaque changement accepté est inscrit ici dans la même transaction que le changement lui-même ; le journal est conservé
      sans limite de durée et ne contient ni clé, ni empreinte de clé, ni valeur de champ.</p>
    ${filterForm(f, errors)}
    <section aria-labelledby="journal-titre">
      <h2 id="journal-titre">Actions, de la plus récente à la plus ancienne</h2>
      ${items.length === 0 ? html`<p>Aucune action pour ces filtres.</p>` : html`<div class="table-wrap" tabindex="0" role="region" aria-labelledby="journal-titre"><table>
        <thead><tr><th scope="col">Quand (heure de Paris)</th><th scope="col">Qui</th><th scope="col">Action</th><th scope="col">Quoi</th><th scope="col">Détail</th></tr></thead>
        <tbody>${items.map(entryRow)}</tbody>
      </table></div>`}
      <nav class="pager" aria-label="Pages du journal">
        ${cursor && html`<a href="/admin/journal${queryString(f)}">Première page</a>`}
        ${next && html`<a href="/admin/journal${queryString({ ...f, page: next })}" rel="next">Page suivante</a>`}
      </nav>
    </section>`;
  const page = layout(view, 'Journal des actions', body);
  return Object.keys(errors).length > 0 ? { status: 400, page } : page;
}

export function journalRoutes(router: Router, ctx: WebContext): void {
  router.get('/admin/journal', signedIn((req, _res, view) => journalPage(ctx, req, view), ['admin']));
}
