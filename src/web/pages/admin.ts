/**
 * Administration (admin role only; others get 404): account keys (created and shown once,
 * revoked), imports of JSON Lines or CSV files with the report of rejected records, and the
 * versions of the ranking model through the models port. The audit trail is pages/journal.ts.
 */
import { Readable } from 'node:stream';
import type { Request, Response, Router } from 'express';
import type { Caller } from '../../access/access.policy.ts';
import { ROLES } from '../../access/access.policy.ts';
import { parseSize } from '../../api/import.ts';
import { isPasserellesError, PasserellesError } from '../../domain/errors.ts';
import type { FieldIssue } from '../../domain/validation.ts';
import type { Reject } from '../../importer/index.ts';
import { signedIn, type WebContext } from '../context.ts';
import { checkboxes, errorsByField, errorSummary, input, many, one, select, type Errors } from '../forms.ts';
import { html, type Html } from '../html.ts';
import { csrfField, layout, notice, ROLE_LABELS, type View } from '../layout.ts';
import { dateFr } from '../present.ts';

const ADMIN = ['admin'] as const;
const STATUS_LABELS = { active: 'active', revoked: 'révoquée', expired: 'expirée' } as const;
const MODEL_STATUS = { current: 'en service', candidate: 'candidat', retired: 'retiré' } as const;

export function adminNav(view: View): Html {
  const items = [['/admin/imports', 'Imports'], ['/admin/cles', 'Clés de compte'], ['/admin/modeles', 'Modèles'], ['/admin/journal', 'Journal']];
  return html`<nav aria-label="Administration" class="subnav"><ul>${items.map(([href, label]) =>
    html`<li><a href="${href}"${view.path === href ? html` aria-current="page"` : ''}>${label}</a></li>`)}</ul></nav>`;
}

// ---------- keys

async function keysPage(ctx: WebContext, view: View & { caller: Caller }, form: Record<string, unknown> = {}, errors: Errors = {}, created?: Html) {
  const keys = await ctx.keys.list(view.caller);
  const regions = ctx.geography.regions().map((r) => ({ value: r.code, label: r.name })).sort((a, b) => a.label.localeCompare(b.label, 'fr'));
  return layout(view, 'Clés de compte', html`${adminNav(view)}
    ${created}
    <h2>Créer une clé</h2>
    <form method="post" action="/admin/cles" class="form">
      ${csrfField(view)}
      ${errorSummary(errors, { role: 'Rôle', regions: 'Régions', structure_id: 'Structure', label: 'Libellé', expires: 'Expiration', _: 'Formulaire' })}
      ${select({ name: 'role', label: 'Rôle', value: one(form, 'role') || 'delegate', errors, required: true,
        options: ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] })) })}
      ${checkboxes({ name: 'regions', legend: 'Régions (délégué·e)', values: many(form, 'regions'), errors, options: regions })}
      ${input({ name: 'structure_id', label: 'Identifiant de la structure (rôle structure)', value: one(form, 'structure_id'), errors })}
      ${input({ name: 'label', label: 'Libellé (à qui la clé est remise)', value: one(form, 'label'), errors })}
      ${input({ name: 'expires', label: 'Dernier jour de validité', type: 'date', value: one(form, 'expires'), errors, hint: 'Par défaut : un an.' })}
      <button type="submit">Créer la clé</button>
    </form>
    <h2>Clés existantes</h2>
    <div class="table-wrap" tabindex="0" role="region" aria-label="Clés existantes"><table>
      <thead><tr><th scope="col">Libellé</th><th scope="col">Rôle</th><th scope="col">Périmètre</th><th scope="col">État</th><th scope="col">Expire le</th><th scope="col">Action</th></tr></thead>
      <tbody>${keys.map((k) => {
        const d = ctx.keys.describe(k);
        const scope = k.role === 'delegate' ? k.regions.map((c) => ctx.geography.region(c)?.name ?? c).join(', ')
          : k.role === 'structure' ? k.structureId ?? '' : 'tout';
        return html`<tr><td>${k.label || k.id}</td><td>${ROLE_LABELS[k.role]}</td><td>${scope}</td><td>${STATUS_LABELS[d.status]}</td>
          <td>${dateFr(k.expiresAt)}</td>
          <td>${d.status === 'active' && k.id !== view.caller.keyId ? html`<form method="post" action="/admin/cles/${k.id}/revoquer">${csrfField(view)}
            <button type="submit" class="button-secondary">Révoquer<span class="visually-hidden"> la clé ${k.label || k.id}</span></button></form>` : ''}</td></tr>`;
      })}</tbody>
    </table></div>`);
}

// ---------- imports

interface Upload { fields: Record<string, string>; file?: { name: string; bytes: Buffer } }

/** Reads a multipart form (the upload) with the platform's own parser, within the import size limit. */
async function readUpload(req: Request, limit: number): Promise<Upload> {
  const length = Number(req.get('content-length') ?? 0);
  if (length > limit) throw new PasserellesError('request.too_large', 'Fichier trop volumineux.', 413);
  const request = new globalThis.Request('http://localhost/', {
    method: 'POST', headers: { 'content-type': req.get('content-type') ?? '' },
    body: Readable.toWeb(req) as ReadableStream, duplex: 'half',
  } as RequestInit);
  const data = await request.formData();
  const fields: Record<string, string> = {};
  let file: Upload['file'];
  for (const [name, value] of data.entries()) {
    if (typeof value === 'string') fields[name] = value;
    else if (name === 'file' && value.size > 0) file = { name: value.name || 'fichier', bytes: Buffer.from(await value.arrayBuffer()) };
  }
  return { fields, file };
}

function importsPage(view: View, errors: Errors = {}, report?: Html) {
  return layout(view, 'Importer un fichier', html`${adminNav(view)}
    ${report}
    <form method="post" action="/admin/imports" enctype="multipart/form-data" class="form">
      ${csrfField(view)}
      ${errorSummary(errors, { kind: 'Contenu', file: 'Fichier' })}
      ${select({ name: 'kind', label: 'Le fichier contient', value: 'structure', errors, required: true,
        options: [{ value: 'structure', label: 'des structures' }, { value: 'resource', label: 'des ressources' }] })}
      <div class="field${errors.file ? ' field-error' : ''}">
        <label for="file">Fichier JSON Lines (.jsonl) ou CSV (.csv) <span class="required">(obligatoire)</span></label>
        <p class="hint" id="file-aide">Chaque ligne est vérifiée selon le contrat de données ; les lignes refusées sont listées, les autres importées.</p>
        ${errors.file && html`<p class="error" id="file-erreur"><span class="visually-hidden">Erreur : </span>${errors.file.join(' ; ')}</p>`}
        <input id="file" name="file" type="file" accept=".jsonl,.ndjson,.csv,text/csv,application/x-ndjson" aria-describedby="file-aide${errors.file ? ' file-erreur' : ''}" required>
      </div>
      <button type="submit">Importer</button>
    </form>`);
}

function importReport(source: string, summary: { inserted: number; updated: number; unchanged: number; rejected: number; total: number }, rejects: Reject[]): Html {
  return html`<section class="report" aria-labelledby="rapport-import">
    <h2 id="rapport-import" tabindex="-1">Rapport d’import de ${source}</h2>
    <p role="status">${summary.total} enregistrement${summary.total > 1 ? 's' : ''} lu${summary.total > 1 ? 's' : ''} :
      ${summary.inserted} ajouté${summary.inserted > 1 ? 's' : ''}, ${summary.updated} modifié${summary.updated > 1 ? 's' : ''},
      ${summary.unchanged} inchangé${summary.unchanged > 1 ? 's' : ''}, <strong>${summary.rejected} refusé${summary.rejected > 1 ? 's' : ''}</strong>.</p>
    ${rejects.length > 0 && html`<div class="table-wrap" tabindex="0" role="region" aria-label="Lignes refusées"><table class="rejects">
      <caption>Lignes refusées</caption>
      <thead><tr><th scope="col">Ligne</th><th scope="col">Identifiant</th><th scope="col">Champ</th><th scope="col">Raison</th></tr></thead>
      <tbody>${rejects.map((r) => html`<tr><td>${r.line}</td><td>${r.id ?? '—'}</td><td>${r.field ?? '—'}</td><td>${r.reason}</td></tr>`)}</tbody>
    </table></div>`}
  </section>`;
}

async function importPost(ctx: WebContext, req: Request, res: Response, view: View & { caller: Caller }) {
  ctx.records.checkImport(view.caller);
  const upload = await readUpload(req, parseSize(ctx.importLimit));
  if (!ctx.csrf.valid(res.locals.csrfBinding as string, upload.fields._csrf)) {
    throw new PasserellesError('web.csrf', 'Ce formulaire a expiré : rechargez la page et recommencez.', 403);
  }
  const kind = upload.fields.kind === 'resource' ? 'resource' : 'structure';
  if (!upload.file) return { status: 400, page: importsPage(view, { file: ['choisissez un fichier'] }) };
  const name = upload.file.name;
  const format = /\.csv$/i.test(name) ? 'csv' : /\.(jsonl|ndjson)$/i.test(name) ? 'jsonl' : undefined;
  if (!format) return { status: 400, page: importsPage(view, { file: ['extension .jsonl, .ndjson ou .csv attendue'] }) };
  const rejects: Reject[] = [];
  try {
    const summary = await ctx.records.importFile(view.caller, {
      kind, format, source: Readable.from([upload.file.bytes]), sourceName: name, logger: req.log,
      onReject: (r) => { if (rejects.length < 1000) rejects.push(r); },
    });
    return importsPage(view, {}, importReport(name, summary, rejects));
  } catch (e) {
    if (!isPasserellesError(e) || e.status >= 500) throw e;
    return { status: 400, page: importsPage(view, { file: [e.message] }) };
  }
}

// ---------- models

async function modelsPage(ctx: WebContext, view: View & { caller: Caller }) {
  const port = ctx.ports.models;
  const current = ctx.matching.model().version;
  if (!port) {
    return layout(view, 'Modèles de classement', html`${adminNav(view)}
      <p>Modèle en service : <strong>${current}</strong>.</p>
      ${notice('Le registre des versions du modèle (mesures, promotion, retour arrière) n’est pas encore disponible sur ce serveur.')}`);
  }
  const versions = await port.list(view.caller);
  const metric = (m: Record<string, unknown> | null | undefined) => m ? Object.entries(m)
    .filter(([, v]) => typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean')
    .map(([k, v]) => `${k} : ${typeof v === 'number' ? Math.round(v * 1e4) / 1e4 : v}`).join(' · ') : '—';
  return layout(view, 'Modèles de classement', html`${adminNav(view)}
    <p>Modèle en service : <strong>${current}</strong>.</p>
    <form method="post" action="/admin/modeles/retour">${csrfField(view)}<button type="submit" class="button-secondary">Revenir au modèle précédent</button></form>
    <div class="table-wrap" tabindex="0" role="region" aria-label="Versions du modèle"><table>
      <thead><tr><th scope="col">Version</th><th scope="col">État</th><th scope="col">Créée le</th><th scope="col">Mesures</th><th scope="col">Décision</th><th scope="col">Action</th></tr></thead>
      <tbody>${versions.map((v) => html`<tr><td>${v.version}</td><td>${MODEL_STATUS[v.status]}</td><td>${dateFr(v.createdAt)}</td>
        <td>${metric(v.metrics)}</td><td>${v.reason ?? '—'}</td>
        <td>${v.status === 'candidate' ? html`<form method="post" action="/admin/modeles/${v.version}/promouvoir">${csrfField(view)}
          <button type="submit">Promouvoir<span class="visually-hidden"> ${v.version}</span></button></form>` : ''}</td></tr>`)}</tbody>
    </table></div>`);
}

export function adminRoutes(router: Router, ctx: WebContext): void {
  const admin = [...ADMIN];
  router.get('/admin', signedIn(() => ({ redirect: '/admin/imports' }), admin));

  router.get('/admin/cles', signedIn((_req, _res, view) => keysPage(ctx, view), admin));
  router.post('/admin/cles', signedIn(async (req, _res, view) => {
    const form = req.body as Record<string, unknown>;
    const input = {
      role: one(form, 'role'), regions: many(form, 'regions'), label: one(form, 'label'),
      ...(one(form, 'structure_id') ? { structure_id: one(form, 'structure_id') } : {}),
      ...(one(form, 'expires') ? { expires: one(form, 'expires') } : {}),
    };
    try {
      const { key, record } = await ctx.keys.create(view.caller, input);
      return keysPage(ctx, view, {}, {}, html`<div class="flash flash-success" role="status">
        <p>Clé « ${record.label || record.id} » créée (${ROLE_LABELS[record.role]}). <strong>Copiez-la maintenant : elle ne sera plus affichée.</strong></p>
        <p class="secret"><code id="nouvelle-cle">${key}</code></p></div>`);
    } catch (e) {
      if (!isPasserellesError(e) || e.status !== 400) throw e;
      return { status: 400, page: await keysPage(ctx, view, form, errorsByField(e.details as FieldIssue[])) };
    }
  }, admin));
  router.post('/admin/cles/:id/revoquer', signedIn(async (req, res, view) => {
    const key = await ctx.keys.revoke(view.caller, req.params.id as string);
    res.locals.session!.flash = { kind: 'success', text: `Clé « ${key.label || key.id} » révoquée : elle ne permet plus de se connecter.` };
    return { redirect: '/admin/cles' };
  }, admin));

  router.get('/admin/imports', signedIn((_req, _res, view) => importsPage(view), admin));
  router.post('/admin/imports', signedIn((req, res, view) => importPost(ctx, req, res, view), admin));

  router.get('/admin/modeles', signedIn((_req, _res, view) => modelsPage(ctx, view), admin));
  router.post('/admin/modeles/:version/promouvoir', signedIn(async (req, res, view) => {
    if (!ctx.ports.models) throw new PasserellesError('web.not_found', 'Page introuvable.', 404);
    await ctx.ports.models.promote(view.caller, req.params.version as string);
    res.locals.session!.flash = { kind: 'success', text: `Le modèle ${req.params.version as string} est en service.` };
    return { redirect: '/admin/modeles' };
  }, admin));
  router.post('/admin/modeles/retour', signedIn(async (_req, res, view) => {
    if (!ctx.ports.models) throw new PasserellesError('web.not_found', 'Page introuvable.', 404);
    await ctx.ports.models.rollback(view.caller);
    res.locals.session!.flash = { kind: 'success', text: 'Le modèle précédent est de nouveau en service.' };
    return { redirect: '/admin/modeles' };
  }, admin));
}
