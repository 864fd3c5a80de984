/** The nightly reports of the caller's régions, through the reports port, and their files. */
import type { Router } from 'express';
import { PasserellesError } from '../../domain/errors.ts';
import { signedIn, type WebContext } from '../context.ts';
import { html } from '../html.ts';
import { layout, notice } from '../layout.ts';
import { dateFr } from '../present.ts';

export function reportRoutes(router: Router, ctx: WebContext): void {
  router.get('/rapports', signedIn(async (_req, _res, view) => {
    const port = ctx.ports.reports;
    if (!port) return layout(view, 'Rapports de la nuit', notice('Les rapports de la nuit ne sont pas encore disponibles sur ce serveur.'));
    const reports = await port.list(view.caller);
    return layout(view, 'Rapports de la nuit', reports.length === 0 ? html`<p>Aucun rapport pour vos régions.</p>` : html`
      <ul class="items">${reports.map((r) => html`<li class="item" id="rapport-${r.id}">
        <h2 class="item-title">${r.title}</h2>
        <p class="meta">${ctx.geography.region(r.region)?.name ?? r.region} · nuit du ${dateFr(r.day)}</p>
        ${r.summary && html`<p>${r.summary}</p>`}
        <ul class="links">${r.files.map((f) => html`<li><a href="/rapports/${r.id}/${f.name}">${f.label}</a></li>`)}</ul>
      </li>`)}</ul>`);
  }, ['admin', 'delegate']));

  router.get('/rapports/:id/:name', signedIn(async (req, res, view) => {
    const file = await ctx.ports.reports?.read(view.caller, req.params.id as string, req.params.name as string);
    if (!file) throw new PasserellesError('web.not_found', 'Rapport introuvable.', 404);
    const download = /csv/.test(file.contentType);
    res.type(file.contentType);
    if (download) res.attachment(req.params.name as string);
    res.send(file.body);
  }, ['admin', 'delegate']));
}
