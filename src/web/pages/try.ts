/**
 * Try without registering, then register. An association describes itself and its needs and sees
 * the matching resources at once, without any key: nothing is stored and each address may ask a
 * limited number of times per minute. The contract's field errors are shown beside the fields.
 * The same form asks for an account: the request waits for a delegate of its région (or an
 * admin); the association follows it with a link shown once, where it takes its key once approved.
 */
import type { Request, Router } from 'express';
import { isPasserellesError, PasserellesError } from '../../domain/errors.ts';
import { LEGAL_FORMS, PILLARS, type Structure } from '../../domain/types.ts';
import type { FieldIssue } from '../../domain/validation.ts';
import { validatePlaced } from '../../records/records.validation.ts';
import { publicPage, type WebContext } from '../context.ts';
import { checkboxes, errorsByField, errorSummary, input, many, one, select, textarea, type Errors } from '../forms.ts';
import { html, type Html } from '../html.ts';
import { csrfField, layout, type View } from '../layout.ts';
import { dateFr, legalFormLabel, pillarLabel, reasonsList, scoreBar } from '../present.ts';

const PREVIEW_LIMIT = 10;

const LABELS: Record<string, string> = {
  name: 'Nom de la structure', legal_form: 'Forme juridique', description: 'Présentation', needs: 'Besoins',
  need_text: 'Votre besoin en quelques phrases', postal_code: 'Code postal', employees: 'Salariés', volunteers: 'Bénévoles',
  contact_name: 'Personne à contacter', contact_email: 'Adresse électronique', _: 'Formulaire',
};

type Fields = Record<string, string | string[]>;

function readFields(body: Record<string, unknown>): Fields {
  const out: Fields = { needs: many(body, 'needs') };
  for (const name of ['name', 'legal_form', 'description', 'need_text', 'postal_code', 'employees', 'volunteers', 'contact_name', 'contact_email']) {
    out[name] = one(body, name);
  }
  return out;
}

/** The form as a structure record for the contract: empty optional fields left out, counts as numbers. */
function structureInput(f: Fields): Record<string, unknown> {
  const record: Record<string, unknown> = {
    name: f.name, legal_form: f.legal_form, description: f.description, needs: f.needs, postal_code: f.postal_code,
  };
  if (f.need_text) record.need_text = f.need_text;
  for (const n of ['employees', 'volunteers']) {
    const v = f[n] as string;
    if (v) record[n] = /^\d+$/.test(v) ? Number(v) : v;
  }
  return record;
}

function form(view: View, f: Fields, errors: Errors): Html {
  const v = (n: string) => (f[n] as string | undefined) ?? '';
  return html`<form method="post" action="/essayer" class="form" novalidate>
    ${csrfField(view)}
    ${errorSummary(errors, LABELS)}
    ${input({ name: 'name', label: LABELS.name, value: v('name'), errors, required: true, autocomplete: 'organization' })}
    ${select({ name: 'legal_form', label: LABELS.legal_form, value: v('legal_form') || 'association', errors, required: true,
      options: LEGAL_FORMS.map((l) => ({ value: l, label: legalFormLabel(l) })) })}
    ${input({ name: 'postal_code', label: LABELS.postal_code, value: v('postal_code'), errors, required: true, inputmode: 'numeric',
      autocomplete: 'postal-code', hint: 'Cinq chiffres, par exemple 35000.' })}
    ${checkboxes({ name: 'needs', legend: LABELS.needs, values: (f.needs as string[]) ?? [], errors, required: true,
      hint: 'Cochez un ou plusieurs domaines.', options: PILLARS.map((p) => ({ value: p, label: pillarLabel(p) })) })}
    ${textarea({ name: 'description', label: LABELS.description, value: v('description'), errors, required: true,
      hint: 'Ce que fait votre structure, pour qui, où.' })}
    ${textarea({ name: 'need_text', label: LABELS.need_text, value: v('need_text'), errors,
      hint: 'Par exemple : « un local de 50 m² pour stocker des denrées », « transporter des palettes ».' })}
    <div class="row">
      ${input({ name: 'employees', label: LABELS.employees, value: v('employees'), errors, inputmode: 'numeric' })}
      ${input({ name: 'volunteers', label: LABELS.volunteers, value: v('volunteers'), errors, inputmode: 'numeric' })}
    </div>
    <button type="submit" name="action" value="apercu">Voir les ressources qui me correspondent</button>
    <fieldset class="register">
      <legend>Demander un compte</legend>
      <p class="hint">Votre demande sera examinée par le délégué ou la déléguée de La Poste de votre région.
      Rien n’est enregistré tant que vous ne cliquez pas sur « Demander un compte ».</p>
      ${input({ name: 'contact_name', label: LABELS.contact_name, value: v('contact_name'), errors, autocomplete: 'name' })}
      ${input({ name: 'contact_email', label: LABELS.contact_email, value: v('contact_email'), errors, type: 'email', autocomplete: 'email' })}
      <button type="submit" name="action" value="inscription" class="button-secondary">Demander un compte</button>
    </fieldset>
  </form>`;
}

function results(ctx: WebContext, structure: Structure): Html {
  const list = ctx.matching.preview('structure', structure, { limit: PREVIEW_LIMIT, explain: true });
  const model = ctx.matching.model();
  return html`<section aria-labelledby="resultats" class="matches-section">
    <h2 id="resultats" tabindex="-1">${list.results.length} ressource${list.results.length > 1 ? 's' : ''} pour ${structure.name}</h2>
    <p class="meta">Autour de ${structure.place.commune}, au ${dateFr(list.asOf)}. Rien n’a été enregistré.</p>
    ${list.results.length === 0 ? html`<p>Aucune ressource ne correspond encore : précisez votre besoin ou vos domaines.</p>` : html`<ol class="matches">
      ${list.results.map((r) => {
        const res = ctx.matching.index.getResource(r.id);
        return html`<li class="match"><h3 class="item-title"><span class="rank">${r.rank}.</span> ${r.label}</h3>
          ${res && html`<p class="meta">${pillarLabel(res.pillar)} · ${res.place.commune}</p>`}
          ${scoreBar(r.score, model)}
          ${r.explanation && reasonsList(r.explanation.reasons)}
        </li>`;
      })}</ol>`}
  </section>`;
}

function page(view: View, f: Fields, errors: Errors, extra: Html | '' = '') {
  return layout(view, 'Essayer sans compte', html`
    <p class="lead">Décrivez votre structure et vos besoins : Passerelles vous montre les ressources de La Poste
    qui vous correspondent. Aucune donnée n’est conservée pour cet essai.</p>
    ${extra}
    ${form(view, f, errors)}`);
}

function rateLimited(ctx: WebContext, req: Request) {
  const { allowed, retryAfterS } = ctx.allowAnonymous(req);
  if (!allowed) throw new PasserellesError('rate_limited', `Trop de demandes depuis votre adresse : réessayez dans ${retryAfterS} s.`, 429);
}

const followUp = (req: Request, token: string) => `${req.protocol}://${req.get('host')}/inscription/suivi/${token}`;

export function tryRoutes(router: Router, ctx: WebContext): void {
  router.get('/essayer', publicPage((_req, _res, view) => page(view, { needs: [] }, {})));

  router.post('/essayer', publicPage(async (req, _res, view) => {
    rateLimited(ctx, req);
    const body = req.body as Record<string, unknown>;
    const f = readFields(body);
    if (one(body, 'action') === 'inscription') {
      try {
        const { registration, token } = await ctx.registrations.request(structureInput(f), { contact_name: f.contact_name, contact_email: f.contact_email });
        const link = followUp(req, token);
        const region = ctx.geography.region(registration.region)?.name ?? registration.region;
        return layout(view, 'Demande envoyée', html`
          <div class="flash flash-success" role="status"><p>Votre demande d’inscription pour <strong>${registration.name}</strong>
          est enregistrée. Elle sera examinée par la délégation ${region} de La Poste.</p></div>
          <h2>Votre lien de suivi</h2>
          <p><strong>Gardez ce lien : il ne sera plus affiché.</strong> Il vous permet de suivre votre demande et,
          une fois validée, de recevoir votre clé de compte.</p>
          <p class="secret"><a href="${link}">${link}</a></p>`);
      } catch (e) {
        if (!isPasserellesError(e) || e.status !== 400) throw e;
        return { status: 400, page: page(view, f, errorsByField(e.details as FieldIssue[])) };
      }
    }
    try {
      const { record, place } = validatePlaced('structure', { id: 'apercu', ...structureInput(f) }, ctx.geography);
      return page(view, f, {}, results(ctx, { ...record, place }));
    } catch (e) {
      if (!isPasserellesError(e) || e.status !== 400) throw e;
      return { status: 400, page: page(view, f, errorsByField(e.details as FieldIssue[])) };
    }
  }));

  router.get('/inscription/suivi/:token', publicPage(async (req, _res, view) => {
    const row = await ctx.registrations.status(req.params.token as string);
    const status = {
      pending: html`<p>Votre demande est <strong>en attente</strong> de validation par votre délégation régionale.</p>`,
      rejected: html`<p>Votre demande n’a pas été acceptée.${row.decisionNote ? html` Motif : ${row.decisionNote}` : ''}</p>`,
      approved: row.keyId
        ? html`<p>Votre demande est <strong>validée</strong> et votre clé de compte vous a déjà été remise.
            <a href="/connexion">Se connecter</a></p>`
        : html`<p>Votre demande est <strong>validée</strong> : votre structure est inscrite.</p>
          <form method="post" action="/inscription/suivi/${req.params.token as string}/cle">${csrfField(view)}
            <p>Votre clé de compte ne s’affichera qu’une seule fois : préparez-vous à la noter en lieu sûr.</p>
            <button type="submit">Afficher ma clé de compte</button></form>`,
    }[row.status as 'pending' | 'approved' | 'rejected'];
    return layout(view, `Inscription de ${row.name}`, html`${status}<p class="meta">Demande envoyée le ${dateFr(row.createdAt)}.</p>`);
  }));

  router.post('/inscription/suivi/:token/cle', publicPage(async (req, _res, view) => {
    const { key, registration } = await ctx.registrations.takeKey(req.params.token as string);
    return layout(view, 'Votre clé de compte', html`
      <div class="flash flash-success" role="status"><p>La structure <strong>${registration.name}</strong> est inscrite.</p></div>
      <p><strong>Notez cette clé maintenant : elle ne sera plus jamais affichée.</strong> Elle vous permet de vous connecter.</p>
      <p class="secret"><code id="cle">${key}</code></p>
      <p><a class="button" href="/connexion">Se connecter</a></p>`);
  }));
}
