/**
 * Browse and search structures and resources: filters (région, département, pillar, legal form,
 * text, and the scope of a resource) read by the records' list schemas, one page at a time with
 * the list's cursor. The lists are already limited to what the caller may see.
 */
import type { Request, Router } from 'express';
import type { Caller } from '../../access/access.policy.ts';
import { isPasserellesError } from '../../domain/errors.ts';
import { LEGAL_FORMS, PILLARS, SCOPES, type EntityKind, type ResourceRecord, type StructureRecord } from '../../domain/types.ts';
import type { FieldIssue } from '../../domain/validation.ts';
import { parseWith } from '../../domain/validation.ts';
import { resourceListQuerySchema, structureListQuerySchema } from '../../records/records.queries.ts';
import { signedIn, type WebContext } from '../context.ts';
import { errorsByField, input, select, type Errors } from '../forms.ts';
import { html, queryString } from '../html.ts';
import { layout, type View } from '../layout.ts';
import { legalFormLabel, pillarLabel } from '../present.ts';

const PAGE_SIZE = 20;
const SCOPE_LABELS: Record<string, string> = { local: 'locale', departmental: 'départementale', regional: 'régionale', national: 'nationale' };
const FILTERS = ['region', 'department', 'pillar', 'legal_form', 'q', 'scope'] as const;

function filtersOf(req: Request, kind: EntityKind): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of FILTERS) {
    if (name === 'scope' && kind === 'structure') continue;
    const v = req.query[name];
    if (typeof v === 'string' && v.trim()) out[name] = v.trim();
  }
  return out;
}

function regionOptions(ctx: WebContext, caller: Caller) {
  const regions = caller.role === 'delegate'
    ? caller.regions.map((code) => ctx.geography.region(code)).filter((r) => r !== undefined)
    : ctx.geography.regions();
  return regions.map((r) => ({ value: r.code, label: r.name })).sort((a, b) => a.label.localeCompare(b.label, 'fr'));
}

function departmentOptions(ctx: WebContext, caller: Caller, region?: string) {
  return ctx.geography.departments()
    .filter((d) => (region ? d.region === region : caller.role !== 'delegate' || caller.regions.includes(d.region)))
    .map((d) => ({ value: d.code, label: `${d.code} — ${d.name}` }));
}

function filterForm(ctx: WebContext, kind: EntityKind, caller: Caller, f: Record<string, string>, errors: Errors) {
  const action = kind === 'structure' ? '/structures' : '/ressources';
  return html`<form method="get" action="${action}" class="filters" role="search" aria-label="Filtrer les ${kind === 'structure' ? 'structures' : 'ressources'}">
    ${input({ name: 'q', label: 'Texte', value: f.q, errors, hint: 'Chaque mot doit apparaître (accents ignorés).' })}
    ${select({ name: 'region', label: 'Région', value: f.region, errors, empty: 'Toutes', options: regionOptions(ctx, caller) })}
    ${select({ name: 'department', label: 'Département', value: f.department, errors, empty: 'Tous', options: departmentOptions(ctx, caller, f.region) })}
    ${select({ name: 'pillar', label: kind === 'structure' ? 'Besoin' : 'Pilier', value: f.pillar, errors, empty: 'Tous',
      options: PILLARS.map((p) => ({ value: p, label: pillarLabel(p) })) })}
    ${select({ name: 'legal_form', label: kind === 'structure' ? 'Forme juridique' : 'Ouverte à la forme juridique', value: f.legal_form, errors, empty: 'Toutes',
      options: LEGAL_FORMS.map((l) => ({ value: l, label: legalFormLabel(l) })) })}
    ${kind === 'resource' && select({ name: 'scope', label: 'Portée', value: f.scope, errors, empty: 'Toutes',
      options: SCOPES.map((s) => ({ value: s, label: SCOPE_LABELS[s] })) })}
    <div class="filter-actions"><button type="submit">Filtrer</button> <a href="${action}">Effacer les filtres</a></div>
  </form>`;
}

async function listPage(ctx: WebContext, req: Request, view: View & { caller: Caller }, kind: EntityKind) {
  const f = filtersOf(req, kind);
  const cursor = typeof req.query.page === 'string' ? req.query.page : undefined;
  const schema = kind === 'structure' ? structureListQuerySchema : resourceListQuerySchema;
  const title = kind === 'structure' ? 'Structures' : 'Ressources';
  let errors: Errors = {};
  let items: Awaited<ReturnType<typeof ctx.records.list>>['items'] = [];
  let next: string | null = null;
  try {
    const query = parseWith(schema, { ...f, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) });
    const page = await ctx.records.list(view.caller, kind, query as never);
    items = page.items;
    next = page.nextCursor;
  } catch (e) {
    if (!isPasserellesError(e) || e.status !== 400) throw e;
    errors = errorsByField(e.details as FieldIssue[]);
  }
  const base = kind === 'structure' ? '/structures' : '/ressources';
  const rows = items.map((row) => {
    const r = row.record as StructureRecord & ResourceRecord;
    const dep = ctx.geography.department(row.place.department)?.name ?? row.place.department;
    return kind === 'structure'
      ? html`<li class="item"><h3 class="item-title"><a href="${base}/${r.id}">${r.name}</a></h3>
          <p class="meta">${legalFormLabel(r.legal_form)} · ${row.place.commune} (${dep}) · besoins : ${r.needs.map(pillarLabel).join(', ')}</p></li>`
      : html`<li class="item"><h3 class="item-title"><a href="${base}/${r.id}">${r.title}</a></h3>
          <p class="meta">${pillarLabel(r.pillar)} · portée ${SCOPE_LABELS[r.scope ?? 'local']} · ${row.place.commune} (${dep})</p></li>`;
  });
  return layout(view, title, html`
    ${filterForm(ctx, kind, view.caller, f, errors)}
    <section aria-labelledby="resultats-titre">
      <h2 id="resultats-titre" class="visually-hidden">Résultats</h2>
      ${items.length === 0 ? html`<p>Aucun résultat pour ces filtres.</p>` : html`<ul class="items">${rows}</ul>`}
      <nav class="pager" aria-label="Pages de résultats">
        ${cursor && html`<a href="${base}${queryString(f)}">Première page</a>`}
        ${next && html`<a href="${base}${queryString({ ...f, page: next })}" rel="next">Page suivante</a>`}
      </nav>
    </section>`);
}

export function browseRoutes(router: Router, ctx: WebContext): void {
  router.get('/structures', signedIn((req, _res, view) => listPage(ctx, req, view, 'structure'), ['admin', 'delegate']));
  router.get('/ressources', signedIn((req, _res, view) => listPage(ctx, req, view, 'resource')));
}
