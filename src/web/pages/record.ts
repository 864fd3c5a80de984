/**
 * A structure's page with its ranked resources, and a resource's page with its ranked structures:
 * each match with its score as a bar, its French reasons, the words both texts share highlighted
 * in both, and the feedback buttons (intéressé, contacté, partenariat conclu, pas intéressé with a
 * reason). « Pas intéressé » takes the item out of the list at once (the feedback port hides the
 * pair for this caller), with an undo and a list of what was hidden.
 */
import { randomUUID } from 'node:crypto';
import type { Request, Router } from 'express';
import type { Caller } from '../../access/access.policy.ts';
import { PasserellesError } from '../../domain/errors.ts';
import type { EntityKind, Resource, ResourceRecord, Structure, StructureRecord } from '../../domain/types.ts';
import type { MatchList, MatchResult } from '../../engine/types.ts';
import { MAX_LIMIT } from '../../matching/matching.request.ts';
import { safeBack, signedIn, type WebContext } from '../context.ts';
import { one } from '../forms.ts';
import { html, type Html } from '../html.ts';
import { csrfField, layout, notice, type View } from '../layout.ts';
import { NOT_INTERESTED_REASONS, WEB_FEEDBACK_KINDS, type HiddenPair, type NotInterestedReason, type WebFeedbackKind } from '../ports.ts';
import { dateFr, highlight, legalFormLabel, matchedWordsList, pillarLabel, reasonsList, scoreBar } from '../present.ts';

const SHOWN = 20;

export const REASON_LABELS: Record<NotInterestedReason, string> = {
  not_relevant: 'ne correspond pas au besoin', location: 'trop loin', eligibility: 'non éligible',
  capacity: 'capacité insuffisante', already_partner: 'déjà partenaires', other: 'autre raison',
};
const KIND_LABELS: Record<WebFeedbackKind, string> = {
  shortlisted: 'intéressé', contacted: 'contacté', partnership: 'partenariat conclu', not_interested: 'pas intéressé',
};

type Side = { kind: 'structure'; entity: Structure } | { kind: 'resource'; entity: Resource };

const structureText = (s: StructureRecord) => [s.description, s.need_text].filter(Boolean).join(' — ');
const resourceText = (r: ResourceRecord) => [r.title, r.description, r.skills?.length ? `Compétences : ${r.skills.join(', ')}` : ''].filter(Boolean).join(' — ');

const notFound = () => new PasserellesError('web.not_found', 'Page introuvable.', 404);

/** The pair of a match, structure first. */
const pairOf = (queryKind: EntityKind, queryId: string, candidateId: string) =>
  queryKind === 'structure' ? { structureId: queryId, resourceId: candidateId } : { structureId: candidateId, resourceId: queryId };

function feedbackForms(view: View, queryKind: EntityKind, queryId: string, r: MatchResult, rankingId: string | undefined): Html {
  const pair = pairOf(queryKind, queryId, r.id);
  const hidden = html`${csrfField(view)}
    <input type="hidden" name="structure_id" value="${pair.structureId}">
    <input type="hidden" name="resource_id" value="${pair.resourceId}">
    <input type="hidden" name="position" value="${r.rank}">
    ${rankingId && html`<input type="hidden" name="ranking_id" value="${rankingId}"><input type="hidden" name="query_kind" value="${queryKind}">`}
    <input type="hidden" name="event" value="${randomUUID()}">
    <input type="hidden" name="back" value="${view.path}">`;
  const reasonId = `raison-${r.id}`;
  return html`<div class="feedback">
    <form method="post" action="/avis" class="feedback-positive" aria-label="Votre avis sur ${r.label}">
      ${hidden}
      <button type="submit" name="kind" value="shortlisted">Intéressé</button>
      <button type="submit" name="kind" value="contacted">Contacté</button>
      <button type="submit" name="kind" value="partnership">Partenariat conclu</button>
    </form>
    <form method="post" action="/avis" class="feedback-negative" data-hides="m-${r.id}">
      ${hidden}
      <input type="hidden" name="kind" value="not_interested">
      <label for="${reasonId}">Raison</label>
      <select id="${reasonId}" name="reason">
        ${NOT_INTERESTED_REASONS.map((k) => html`<option value="${k}">${REASON_LABELS[k]}</option>`)}
      </select>
      <button type="submit" class="button-secondary">Pas intéressé</button>
    </form>
  </div>`;
}

function matchItem(ctx: WebContext, view: View, self: Side, r: MatchResult, rankingId: string | undefined): Html {
  const candidate = self.kind === 'structure' ? ctx.matching.index.getResource(r.id) : ctx.matching.index.getStructure(r.id);
  const e = r.explanation;
  const words = e?.matchedWords ?? [];
  const selfText = self.kind === 'structure' ? structureText(self.entity) : resourceText(self.entity);
  const otherText = !candidate ? '' : self.kind === 'structure' ? resourceText(candidate as Resource) : structureText(candidate as Structure);
  const href = self.kind === 'structure' ? `/ressources/${r.id}` : `/structures/${r.id}`;
  const otherLabel = self.kind === 'structure' ? 'La ressource' : 'La structure';
  const selfLabel = self.kind === 'structure' ? 'La structure' : 'La ressource';
  const meta = candidate ? html`<p class="meta">${self.kind === 'structure'
    ? pillarLabel((candidate as Resource).pillar) : legalFormLabel((candidate as Structure).legal_form)} · ${candidate.place.commune}</p>` : '';
  return html`<li class="match" id="m-${r.id}">
    <h3 class="item-title"><span class="rank">${r.rank}.</span> <a href="${href}">${r.label}</a></h3>
    ${meta}
    ${scoreBar(r.score, ctx.matching.model())}
    ${e && reasonsList(e.reasons.filter((x) => !x.startsWith('mots en commun')))}
    ${matchedWordsList(words)}
    ${otherText && html`<details class="texts"><summary>Comparer les deux textes</summary>
      <div class="texts-grid">
        <div><h4>${selfLabel}</h4><p>${highlight(selfText, words.map((w) => w.query))}</p></div>
        <div><h4>${otherLabel}</h4><p>${highlight(otherText, words.map((w) => w.candidate))}</p></div>
      </div>
    </details>`}
    ${ctx.ports.feedback && feedbackForms(view, self.kind, self.entity.id, r, rankingId)}
  </li>`;
}

function hiddenSection(ctx: WebContext, view: View, selfKind: EntityKind, hidden: HiddenPair[]): Html | '' {
  if (hidden.length === 0) return '';
  return html`<details class="hidden-list" id="masques"><summary>${hidden.length} proposition${hidden.length > 1 ? 's' : ''} masquée${hidden.length > 1 ? 's' : ''} (« pas intéressé »)</summary>
    <ul>${hidden.map((h) => {
      const label = selfKind === 'structure' ? ctx.matching.index.getResource(h.resourceId)?.title ?? h.resourceId
        : ctx.matching.index.getStructure(h.structureId)?.name ?? h.structureId;
      return html`<li>${label}${h.reason ? html` — ${REASON_LABELS[h.reason as NotInterestedReason] ?? h.reason}` : ''}
        <form method="post" action="/avis/annuler" class="inline">${csrfField(view)}
          <input type="hidden" name="structure_id" value="${h.structureId}">
          <input type="hidden" name="resource_id" value="${h.resourceId}">
          <input type="hidden" name="back" value="${view.path}">
          <button type="submit" class="button-secondary">Rétablir</button></form></li>`;
    })}</ul></details>`;
}

/** The ranked list of a structure or resource, minus what the caller hid. */
async function matchesSection(ctx: WebContext, view: View & { caller: Caller }, self: Side): Promise<Html> {
  const feedback = ctx.ports.feedback;
  const id = self.entity.id;
  const hidden = feedback
    ? (await feedback.hiddenFor(view.caller)).filter((h) => (self.kind === 'structure' ? h.structureId : h.resourceId) === id)
    : [];
  const hiddenIds = new Set(hidden.map((h) => (self.kind === 'structure' ? h.resourceId : h.structureId)));
  const query = { limit: Math.min(MAX_LIMIT, SHOWN + hiddenIds.size), explain: true };
  const served = feedback?.rank?.(view.caller, self.kind, id, query);
  const full: MatchList = served ?? (self.kind === 'structure'
    ? ctx.matching.forStructure(id, query, view.caller)
    : ctx.matching.forResource(id, query, view.caller));
  const results = full.results.filter((r) => !hiddenIds.has(r.id)).slice(0, SHOWN).map((r, i) => ({ ...r, rank: i + 1 }));
  const list = { ...full, results };
  const rankingId = served ? served.rankingId ?? undefined : feedback?.served ? await feedback.served(view.caller, list, 'web') : undefined;
  const title = self.kind === 'structure' ? 'Ressources proposées' : 'Structures à qui la proposer';
  return html`<section aria-labelledby="resultats" class="matches-section">
    <h2 id="resultats">${title}</h2>
    <p class="meta">Classement au ${dateFr(list.asOf)}, modèle ${list.modelVersion}.</p>
    ${!feedback && notice('Les boutons d’avis (intéressé, contacté, partenariat conclu, pas intéressé) ne sont pas encore disponibles sur ce serveur.')}
    ${results.length === 0 ? html`<p>Aucune proposition pour l’instant.</p>` : html`<ol class="matches">${results.map((r) => matchItem(ctx, view, self, r, rankingId))}</ol>`}
    ${hiddenSection(ctx, view, self.kind, hidden)}
  </section>`;
}

function definition(items: [string, string | number | undefined | null | Html][]): Html {
  return html`<dl class="facts">${items.filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => html`<div><dt>${k}</dt><dd>${v as string}</dd></div>`)}</dl>`;
}

async function structurePage(ctx: WebContext, req: Request, view: View & { caller: Caller }) {
  const row = await ctx.records.get(view.caller, 'structure', req.params.id as string);
  const s = row.record;
  const region = ctx.geography.region(row.place.region)?.name ?? row.place.region;
  const entity = ctx.matching.index.getStructure(s.id);
  return layout(view, s.name, html`
    ${definition([
      ['Forme juridique', legalFormLabel(s.legal_form)], ['Commune', `${row.place.commune} (${row.place.postalCode})`], ['Région', region],
      ['Besoins', s.needs.map(pillarLabel).join(', ')], ['Salariés', s.employees], ['Bénévoles', s.volunteers],
    ])}
    <h2>Présentation</h2><p>${s.description}</p>
    ${s.need_text && html`<h2>Besoin exprimé</h2><p>${s.need_text}</p>`}
    ${row.archivedAt || !entity ? notice('Structure archivée : elle n’est plus proposée aux ressources.')
      : await matchesSection(ctx, view, { kind: 'structure', entity })}`);
}

async function resourcePage(ctx: WebContext, req: Request, view: View & { caller: Caller }) {
  const row = await ctx.records.get(view.caller, 'resource', req.params.id as string);
  const r = row.record;
  const entity = ctx.matching.index.getResource(r.id);
  const scope = { local: 'locale', departmental: 'départementale', regional: 'régionale', national: 'nationale' }[r.scope ?? 'local'];
  return layout(view, r.title, html`
    ${definition([
      ['Pilier', pillarLabel(r.pillar)], ['Portée', scope], ['Commune', `${row.place.commune} (${row.place.postalCode})`],
      ['Rayon', r.radius_km !== undefined ? `${r.radius_km} km` : undefined],
      ['Surface', r.surface_m2 !== undefined ? `${r.surface_m2} m²` : undefined],
      ['Disponible', r.available_from || r.available_until ? `${r.available_from ? `du ${dateFr(r.available_from)}` : ''} ${r.available_until ? `au ${dateFr(r.available_until)}` : ''}`.trim() : undefined],
      ['Ouverte à', r.eligible_legal_forms?.length ? r.eligible_legal_forms.map(legalFormLabel).join(', ') : 'toutes les formes juridiques'],
      ['Compétences', r.skills?.join(', ')],
    ])}
    <h2>Description</h2><p>${r.description}</p>
    ${row.archivedAt || !entity ? notice('Ressource archivée : elle n’est plus proposée.')
      : await matchesSection(ctx, view, { kind: 'resource', entity })}`);
}

export function recordRoutes(router: Router, ctx: WebContext): void {
  router.get('/structures/:id', signedIn((req, _res, view) => structurePage(ctx, req, view)));
  router.get('/ressources/:id', signedIn((req, _res, view) => resourcePage(ctx, req, view)));

  router.post('/avis', signedIn(async (req, res, view) => {
    const body = req.body as Record<string, unknown>;
    const back = safeBack(one(body, 'back'));
    const session = res.locals.session!;
    const feedback = ctx.ports.feedback;
    if (!feedback) {
      session.flash = { kind: 'error', text: 'Les avis ne sont pas encore enregistrés sur ce serveur.' };
      return { redirect: back };
    }
    const kind = one(body, 'kind') as WebFeedbackKind;
    if (!WEB_FEEDBACK_KINDS.includes(kind)) throw notFound();
    const reasonRaw = one(body, 'reason') as NotInterestedReason;
    const reason = kind === 'not_interested' ? (NOT_INTERESTED_REASONS.includes(reasonRaw) ? reasonRaw : 'other') : undefined;
    // Both sides must be visible to the caller (else 404, as for their pages).
    const structure = await ctx.records.get(view.caller, 'structure', one(body, 'structure_id'));
    const resource = await ctx.records.get(view.caller, 'resource', one(body, 'resource_id'));
    const position = Number(one(body, 'position'));
    await feedback.record(view.caller, {
      clientEventId: one(body, 'event') || randomUUID(), kind, reason,
      structureId: structure.record.id, resourceId: resource.record.id, region: structure.place.region,
      rankingId: one(body, 'ranking_id') || undefined,
      queryKind: one(body, 'query_kind') === 'resource' ? 'resource' : one(body, 'query_kind') === 'structure' ? 'structure' : undefined,
      position: Number.isInteger(position) && position > 0 ? position : undefined,
      occurredAt: ctx.now(),
    });
    const other = back.startsWith('/structures/') ? resource.record.title : structure.record.name;
    session.flash = kind === 'not_interested'
      ? { kind: 'success', text: `« ${other} » a été retiré de la liste (${REASON_LABELS[reason!]}).`,
        undo: { structureId: structure.record.id, resourceId: resource.record.id } }
      : { kind: 'success', text: `Avis enregistré pour « ${other} » : ${KIND_LABELS[kind]}.` };
    return { redirect: `${back}#resultats` };
  }));

  router.post('/avis/annuler', signedIn(async (req, res, view) => {
    const body = req.body as Record<string, unknown>;
    const back = safeBack(one(body, 'back'));
    if (!ctx.ports.feedback) return { redirect: back };
    const structure = await ctx.records.get(view.caller, 'structure', one(body, 'structure_id'));
    const resource = await ctx.records.get(view.caller, 'resource', one(body, 'resource_id'));
    await ctx.ports.feedback.restore(view.caller, { structureId: structure.record.id, resourceId: resource.record.id });
    res.locals.session!.flash = { kind: 'info', text: 'La proposition est rétablie dans la liste.' };
    return { redirect: `${back}#resultats` };
  }));
}
