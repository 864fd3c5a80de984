/** The home page: what each role comes for (anonymous visitor, structure, delegate, admin). */
import type { Router } from 'express';
import type { Caller } from '../../access/access.policy.ts';
import { publicPage, type WebContext } from '../context.ts';
import { html, type Html } from '../html.ts';
import { layout, notice, type View } from '../layout.ts';
import { pillarLabel, scoreBar } from '../present.ts';

const regionName = (ctx: WebContext, code: string) => ctx.geography.region(code)?.name ?? code;

function visitorHome(view: View): Html {
  return layout(view, 'Bienvenue sur Passerelles', html`
    <p class="lead">Passerelles rapproche les structures de l’économie sociale et solidaire (associations, coopératives,
    entreprises d’insertion…) des ressources que le groupe La Poste met à leur disposition : locaux, logistique,
    compétences, produits bancaires, achats responsables, transition énergétique.</p>
    <div class="cards">
      <section class="card" aria-labelledby="essayer-titre">
        <h2 id="essayer-titre">Vous êtes une association ?</h2>
        <p>Décrivez votre structure et vos besoins : vous voyez tout de suite les ressources qui vous correspondent,
        sans créer de compte. Vous pourrez ensuite demander une inscription.</p>
        <p><a class="button" href="/essayer">Essayer sans compte</a></p>
      </section>
      <section class="card" aria-labelledby="connexion-titre">
        <h2 id="connexion-titre">Vous avez une clé de compte ?</h2>
        <p>Délégué·es régionaux de La Poste, structures inscrites et administrateurs : connectez-vous avec votre clé.</p>
        <p><a class="button" href="/connexion">Se connecter</a></p>
      </section>
    </div>`);
}

async function structureHome(ctx: WebContext, view: View, caller: Caller): Promise<Html> {
  const id = caller.structureId ?? '';
  const structure = ctx.matching.index.getStructure(id);
  if (!structure) {
    return layout(view, 'Ma structure', notice('Votre structure n’est plus proposée aux ressources (archivée). Contactez votre délégué·e régional·e.'));
  }
  const list = ctx.matching.forStructure(id, { limit: 5, explain: true }, caller);
  const model = ctx.matching.model();
  return layout(view, structure.name, html`
    <p>${structure.place.commune} · besoins : ${structure.needs.map(pillarLabel).join(', ')}</p>
    <h2>Vos cinq meilleures correspondances</h2>
    ${list.results.length === 0 ? html`<p>Aucune ressource ne correspond pour l’instant.</p>` : html`<ol class="summary-list">
      ${list.results.map((r) => html`<li><a href="/ressources/${r.id}">${r.label}</a>${scoreBar(r.score, model)}</li>`)}
    </ol>`}
    <p><a class="button" href="/structures/${id}">Voir toutes les ressources proposées et donner votre avis</a></p>`);
}

async function reportLines(ctx: WebContext, caller: Caller): Promise<Html> {
  if (!ctx.ports.reports) return notice('Les rapports de la nuit ne sont pas encore disponibles sur ce serveur.');
  const reports = (await ctx.ports.reports.list(caller)).slice(0, 5);
  if (reports.length === 0) return html`<p>Aucun rapport pour l’instant.</p>`;
  return html`<ul>${reports.map((r) => html`<li><a href="/rapports#rapport-${r.id}">${r.title}</a> (${r.day})${r.summary ? html` — ${r.summary}` : ''}</li>`)}</ul>`;
}

async function delegateHome(ctx: WebContext, view: View, caller: Caller): Promise<Html> {
  const pending = await ctx.registrations.pending(caller);
  return layout(view, 'Mes régions', html`
    <div class="cards">
      ${caller.regions.map((code) => html`<section class="card" aria-labelledby="region-${code}">
        <h2 id="region-${code}">${regionName(ctx, code)}</h2>
        <ul>
          <li><a href="/structures?region=${code}">Structures de la région</a></li>
          <li><a href="/ressources?region=${code}">Ressources de la région</a></li>
          <li><a href="/ressources?scope=national">Ressources nationales</a></li>
        </ul>
      </section>`)}
    </div>
    <h2>Inscriptions à valider</h2>
    <p>${pending.length === 0 ? 'Aucune demande en attente.' : html`<a href="/inscriptions">${pending.length} demande${pending.length > 1 ? 's' : ''} en attente</a>`}</p>
    <h2>Rapports de la nuit</h2>
    ${await reportLines(ctx, caller)}`);
}

async function adminHome(ctx: WebContext, view: View, caller: Caller): Promise<Html> {
  const stats = ctx.matching.stats();
  const pending = await ctx.registrations.pending(caller);
  return layout(view, 'Administration', html`
    <p>${stats.structures} structures et ${stats.resources} ressources proposées ; modèle de classement en service :
    <strong>${stats.modelVersion}</strong>.</p>
    <div class="cards">
      <section class="card"><h2>Imports</h2><p>Importer des structures ou des ressources (JSON Lines ou CSV) et voir les lignes refusées.</p>
        <p><a class="button" href="/admin/imports">Importer un fichier</a></p></section>
      <section class="card"><h2>Clés de compte</h2><p>Créer une clé (affichée une seule fois) ou en révoquer une.</p>
        <p><a class="button" href="/admin/cles">Gérer les clés</a></p></section>
      <section class="card"><h2>Modèles</h2><p>Versions du modèle de classement, leurs mesures, promotion et retour arrière.</p>
        <p><a class="button" href="/admin/modeles">Voir les modèles</a></p></section>
      <section class="card"><h2>Inscriptions</h2><p>${pending.length} demande${pending.length > 1 ? 's' : ''} en attente.</p>
        <p><a class="button" href="/inscriptions">Valider les inscriptions</a></p></section>
    </div>`);
}

export function homeRoutes(router: Router, ctx: WebContext): void {
  router.get('/', publicPage(async (_req, _res, view) => {
    const caller = view.caller;
    if (!caller) return visitorHome(view);
    if (caller.role === 'structure') return structureHome(ctx, view, caller);
    if (caller.role === 'delegate') return delegateHome(ctx, view, caller);
    return adminHome(ctx, view, caller);
  }));
}
