/** Sign in with an account key (exchanged once for a session cookie) and sign out. */
import type { Router } from 'express';
import { publicPage, safeBack, type WebContext } from '../context.ts';
import { errorSummary, input, one, type Errors } from '../forms.ts';
import { html } from '../html.ts';
import { csrfField, layout, type View } from '../layout.ts';
import { readCookies, SESSION_COOKIE, setCookie } from '../session.ts';

function signInPage(view: View, suite: string, errors: Errors = {}, signedOut = false) {
  return layout(view, 'Se connecter', html`
    ${signedOut && html`<div class="flash flash-info" role="status"><p>Vous êtes déconnecté·e.</p></div>`}
    ${errorSummary(errors, { key: 'Clé de compte' })}
    <p>Saisissez la clé de compte qui vous a été remise (elle commence par <code>psk_</code>).
    Elle n’est pas conservée par votre navigateur : vous restez connecté·e tant que vous utilisez Passerelles,
    et la session se termine après 30 minutes sans activité.</p>
    <form method="post" action="/connexion" class="form narrow">
      ${csrfField(view)}
      <input type="hidden" name="suite" value="${suite}">
      ${input({ name: 'key', label: 'Clé de compte', type: 'password', autocomplete: 'off', required: true, errors,
        hint: 'Vous n’avez pas de compte ? Une association peut le demander depuis « Essayer sans compte ».' })}
      <button type="submit">Se connecter</button>
    </form>
    <p><a href="/essayer">Essayer sans compte et demander une inscription</a></p>`);
}

export function authRoutes(router: Router, ctx: WebContext): void {
  router.get('/connexion', publicPage((req, _res, view) => {
    if (view.caller) return { redirect: '/' };
    return signInPage(view, safeBack(req.query.suite), {}, req.query.sortie === '1');
  }));

  router.post('/connexion', publicPage(async (req, res, view) => {
    const body = req.body as Record<string, unknown>;
    const suite = safeBack(one(body, 'suite'));
    if (!ctx.allowAnonymous(req).allowed) {
      return { status: 429, page: signInPage(view, suite, { key: ['Trop d’essais depuis cette adresse : attendez une minute.'] }) };
    }
    const caller = await ctx.keys.authenticate(one(body, 'key'));
    if (!caller) {
      return { status: 401, page: signInPage(view, suite, { key: ['Clé invalide, révoquée ou expirée.'] }) };
    }
    const old = readCookies(req)[SESSION_COOKIE];
    if (old) ctx.sessions.destroy(old);
    const label = (await ctx.keys.repository.get(caller.keyId))?.label ?? '';
    const session = ctx.sessions.create(caller, label, ctx.now().getTime());
    setCookie(req, res, SESSION_COOKIE, session.id);
    req.log?.info({ keyId: caller.keyId, role: caller.role }, 'web sign-in');
    return { redirect: suite === '/connexion' ? '/' : suite };
  }));

  router.post('/deconnexion', publicPage((req, res) => {
    if (res.locals.session) ctx.sessions.destroy(res.locals.session.id);
    setCookie(req, res, SESSION_COOKIE, '', 0);
    return { redirect: '/connexion?sortie=1' };
  }));
}
