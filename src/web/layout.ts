/**
 * The page shell: language, title, skip link, banner with the navigation of the caller's role,
 * one main landmark holding the flash message and the page, and a footer. Every form gets its
 * CSRF token from `csrfField`.
 */
import type { Caller, Role } from '../access/access.policy.ts';
import { html, type Html } from './html.ts';
import type { Flash } from './session.ts';

export interface View {
  caller?: Caller;
  /** Label of the key (whom it was given to). */
  label?: string;
  /** Token of the forms of this page. */
  csrf: string;
  /** Path of the page, for aria-current. */
  path: string;
  flash?: Flash;
}

export const ROLE_LABELS: Record<Role, string> = {
  admin: 'administration', delegate: 'délégué·e régional·e', structure: 'structure',
};

interface NavItem { href: string; label: string }

function navItems(caller: Caller | undefined): NavItem[] {
  if (!caller) return [
    { href: '/', label: 'Accueil' }, { href: '/essayer', label: 'Essayer sans compte' }, { href: '/connexion', label: 'Se connecter' },
  ];
  const items: NavItem[] = [{ href: '/', label: 'Accueil' }];
  if (caller.role !== 'structure') items.push({ href: '/structures', label: 'Structures' });
  items.push({ href: '/ressources', label: 'Ressources' });
  if (caller.role !== 'structure') {
    items.push({ href: '/inscriptions', label: 'Inscriptions' }, { href: '/rapports', label: 'Rapports' });
  }
  if (caller.role === 'admin') items.push({ href: '/admin', label: 'Administration' });
  return items;
}

const isCurrent = (href: string, path: string) => (href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`));

export const csrfField = (view: View) => html`<input type="hidden" name="_csrf" value="${view.csrf}">`;

function flashBlock(view: View): Html | '' {
  const flash = view.flash;
  if (!flash) return '';
  return html`<div class="flash flash-${flash.kind}" role="${flash.kind === 'error' ? 'alert' : 'status'}">
    <p>${flash.text}</p>
    ${flash.undo && html`<form method="post" action="/avis/annuler" class="inline">
      ${csrfField(view)}
      <input type="hidden" name="structure_id" value="${flash.undo.structureId}">
      <input type="hidden" name="resource_id" value="${flash.undo.resourceId}">
      <input type="hidden" name="back" value="${view.path}">
      <button type="submit" class="button-secondary">Annuler</button>
    </form>`}
  </div>`;
}

export function layout(view: View, title: string, body: Html): Html {
  const nav = navItems(view.caller);
  return html`<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} — Passerelles</title>
<link rel="stylesheet" href="/static/style.css">
<script src="/static/app.js" defer></script>
</head>
<body>
<a class="skip-link" href="#contenu">Aller au contenu</a>
<header class="banner">
  <div class="banner-inner">
    <a class="brand" href="/">Passerelles <span class="brand-sub">ESS × La Poste</span></a>
    <nav aria-label="Navigation principale">
      <ul class="nav">
        ${nav.map((item) => html`<li><a href="${item.href}"${isCurrent(item.href, view.path) ? html` aria-current="page"` : ''}>${item.label}</a></li>`)}
      </ul>
    </nav>
    ${view.caller && html`<div class="account">
      <p>Connecté·e : <strong>${view.label || view.caller.keyId}</strong> (${ROLE_LABELS[view.caller.role]})</p>
      <form method="post" action="/deconnexion">${csrfField(view)}<button type="submit" class="button-link">Se déconnecter</button></form>
    </div>`}
  </div>
</header>
<main id="contenu" tabindex="-1">
${flashBlock(view)}
<h1>${title}</h1>
${body}
</main>
<footer class="footer">
  <p>Passerelles met en relation les structures de l’économie sociale et solidaire et les ressources du groupe La Poste.
  <a href="/api/v1/docs">Documentation de l’API</a></p>
</footer>
</body>
</html>`;
}

/** A page that tells what went wrong (404, 403, 429…), in the same shell. */
export function errorPage(view: View, title: string, message: string): Html {
  return layout(view, title, html`<p>${message}</p><p><a href="/">Revenir à l’accueil</a></p>`);
}

/** A notice for a part of Passerelles not available on this server yet. */
export const notice = (text: string) => html`<div class="notice" role="note"><p>${text}</p></div>`;
