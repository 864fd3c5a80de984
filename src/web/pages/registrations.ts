/**
 * Registration requests waiting for a decision: a delegate sees those of its régions, an admin all.
 * Approving creates the structure (matchable at once); the association takes its key with its
 * follow-up link. Rejecting keeps a note the association reads there.
 */
import type { Router } from 'express';
import { signedIn, type WebContext } from '../context.ts';
import { one } from '../forms.ts';
import { html } from '../html.ts';
import { csrfField, layout } from '../layout.ts';
import { dateFr, legalFormLabel, pillarLabel } from '../present.ts';

export function registrationRoutes(router: Router, ctx: WebContext): void {
  router.get('/inscriptions', signedIn(async (_req, _res, view) => {
    const pending = await ctx.registrations.pending(view.caller);
    return layout(view, 'Inscriptions à valider', pending.length === 0 ? html`<p>Aucune demande en attente.</p>` : html`
      <ul class="items">${pending.map((r) => html`<li class="item" id="${r.id}">
        <h2 class="item-title">${r.name}</h2>
        <p class="meta">${legalFormLabel(r.record.legal_form)} · ${r.commune} (${r.department}) · demandé le ${dateFr(r.createdAt)}</p>
        <p>Besoins : ${r.record.needs.map(pillarLabel).join(', ')}</p>
        <p>${r.record.description}</p>
        ${r.record.need_text && html`<p>${r.record.need_text}</p>`}
        <p>Contact : ${r.contactName} — <a href="mailto:${r.contactEmail}">${r.contactEmail}</a></p>
        <div class="decision">
          <form method="post" action="/inscriptions/${r.id}/valider">${csrfField(view)}
            <button type="submit">Valider et créer la structure</button></form>
          <form method="post" action="/inscriptions/${r.id}/refuser">${csrfField(view)}
            <label for="note-${r.id}">Motif du refus (lu par l’association)</label>
            <input id="note-${r.id}" name="note" type="text">
            <button type="submit" class="button-secondary">Refuser</button></form>
        </div>
      </li>`)}</ul>`);
  }, ['admin', 'delegate']));

  router.post('/inscriptions/:id/valider', signedIn(async (req, res, view) => {
    const row = await ctx.registrations.approve(view.caller, req.params.id as string);
    res.locals.session!.flash = { kind: 'success',
      text: `« ${row.name} » est inscrite (structure ${row.record.id}). L’association reçoit sa clé de compte avec son lien de suivi.` };
    return { redirect: '/inscriptions' };
  }, ['admin', 'delegate']));

  router.post('/inscriptions/:id/refuser', signedIn(async (req, res, view) => {
    const row = await ctx.registrations.reject(view.caller, req.params.id as string, one(req.body as Record<string, unknown>, 'note'));
    res.locals.session!.flash = { kind: 'info', text: `La demande de « ${row.name} » est refusée.` };
    return { redirect: '/inscriptions' };
  }, ['admin', 'delegate']));
}
