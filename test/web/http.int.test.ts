/**
 * The web pages over HTTP without a browser: CSRF refusal, sign-out, a revoked key ending its
 * session, the registration of an association from request to key, and the limit of anonymous
 * previews per address.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebTestApp, type WebTestApp } from './support.ts';

/** A browser's cookie jar in a few lines: keeps the cookies the app sets, sends them back. */
function visitor(base: string) {
  const jar = new Map<string, string>();
  const request = async (method: string, path: string, form?: Record<string, string | string[]>) => {
    const body = form ? new URLSearchParams(Object.entries(form).flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => [k, x]))) : undefined;
    const res = await fetch(base + path, {
      method, redirect: 'manual', body,
      headers: { accept: 'text/html', cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [k, v] = pair.split('=');
      if (/Max-Age=0/.test(c)) jar.delete(k); else jar.set(k, v);
    }
    const text = await res.text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(text)?.[1] ?? '';
    return { status: res.status, location: res.headers.get('location'), text, csrf };
  };
  return {
    jar,
    get: (path: string) => request('GET', path),
    /** Opens `from` for its token, then posts the form. */
    async post(from: string, path: string, form: Record<string, string | string[]>) {
      const page = await request('GET', from);
      return request('POST', path, { _csrf: page.csrf, ...form });
    },
    async signIn(key: string) {
      return this.post('/connexion', '/connexion', { key, suite: '/' });
    },
  };
}

describe('web pages over HTTP', () => {
  let app: WebTestApp;
  beforeAll(async () => { app = await startWebTestApp(); });
  afterAll(() => app?.close());

  it('refuses a form without its CSRF token, and signs in with it', async () => {
    const v = visitor(app.webUrl);
    await v.get('/connexion');
    const forged = await fetch(`${app.webUrl}/connexion`, {
      method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: [...v.jar].map(([k, x]) => `${k}=${x}`).join('; ') },
      body: new URLSearchParams({ key: app.keys.admin }),
    });
    expect(forged.status).toBe(403);
    const ok = await v.signIn(app.keys.admin);
    expect(ok).toMatchObject({ status: 303, location: '/' });
    expect(v.jar.has('passerelles_session')).toBe(true);
  });

  it('refuses a bad key beside its field', async () => {
    const v = visitor(app.webUrl);
    const bad = await v.signIn('psk_nope');
    expect(bad.status).toBe(401);
    expect(bad.text).toContain('id="key-erreur"');
    expect(bad.text).toContain('Clé invalide, révoquée ou expirée.');
  });

  it('signs out: the session no longer opens pages', async () => {
    const v = visitor(app.webUrl);
    await v.signIn(app.keys.bretagne);
    expect((await v.get('/structures')).status).toBe(200);
    const out = await v.post('/', '/deconnexion', {});
    expect(out).toMatchObject({ status: 303, location: '/connexion?sortie=1' });
    expect((await v.get('/structures')).location).toBe('/connexion?suite=%2Fstructures');
  });

  it('ends the session of a key as soon as it is revoked', async () => {
    const admin = visitor(app.webUrl);
    await admin.signIn(app.keys.admin);
    const created = await admin.post('/admin/cles', '/admin/cles', { role: 'delegate', regions: '53', label: 'Temporaire' });
    const key = /id="nouvelle-cle">([^<]+)</.exec(created.text)![1];
    const keyId = (await app.call('GET', '/api/v1/keys', { key: app.keys.admin })).body.items.find((k: { label: string }) => k.label === 'Temporaire').id;
    const delegate = visitor(app.webUrl);
    await delegate.signIn(key);
    expect((await delegate.get('/structures')).status).toBe(200);
    await admin.post('/admin/cles', `/admin/cles/${keyId}/revoquer`, {});
    expect((await delegate.get('/structures')).status).toBe(303);
  });

  it('registers an association: request without a key, approval by the delegate of its région only, then its key once', async () => {
    const asso = visitor(app.webUrl);
    const sent = await asso.post('/essayer', '/essayer', {
      action: 'inscription', name: 'Repair Café de Vannes', legal_form: 'association', postal_code: '56000', needs: ['premises'],
      description: 'Ateliers de réparation d’objets du quotidien animés par des bénévoles.', need_text: 'Une salle de 40 m² deux soirs par mois.',
      contact_name: 'Anne Le Gall', contact_email: 'anne@repaircafe-vannes.fr',
    });
    expect(sent.status, sent.text.slice(sent.text.indexOf('<main'), sent.text.indexOf('<main') + 1500)).toBe(200);
    const link = /href="https?:\/\/[^/]+(\/inscription\/suivi\/[A-Za-z0-9_-]+)"/.exec(sent.text)![1];
    expect((await asso.get(link)).text).toContain('en attente');

    const occitanie = visitor(app.webUrl);
    await occitanie.signIn(app.keys.occitanie);
    expect((await occitanie.get('/inscriptions')).text).not.toContain('Repair Café de Vannes');
    const bretagne = visitor(app.webUrl);
    await bretagne.signIn(app.keys.bretagne);
    const list = await bretagne.get('/inscriptions');
    const id = /action="\/inscriptions\/(reg_[0-9a-f]+)\/valider"/.exec(list.text)![1];
    expect((await occitanie.post('/inscriptions', `/inscriptions/${id}/valider`, {})).status).toBe(404);
    expect((await bretagne.post('/inscriptions', `/inscriptions/${id}/valider`, {})).location).toBe('/inscriptions');

    const approved = await asso.get(link);
    expect(approved.text).toContain('validée');
    const taken = await asso.post(link, `${link}/cle`, {});
    const key = /<code id="cle">(psk_[A-Za-z0-9_-]+)<\/code>/.exec(taken.text)![1];
    expect((await asso.post('/essayer', `${link}/cle`, {})).status).toBe(409);
    expect((await asso.get(link)).text).toContain('déjà été remise');
    const me = await app.call('GET', '/api/v1/me', { key });
    expect(me.body).toMatchObject({ role: 'structure' });
    const structureId = me.body.structure_id as string;
    expect(app.matching.index.getStructure(structureId)?.name).toBe('Repair Café de Vannes');
    // The audit trail: the structure created by the delegate who approved, the key by the association's request.
    const bretagneId = (await app.call('GET', '/api/v1/me', { key: app.keys.bretagne })).body.key_id;
    const trail = (await app.call('GET', `/api/v1/audit?record_id=${structureId}`, { key: app.keys.admin })).body.items;
    expect(trail.map((e: { action: string; actor: object }) => [e.action, e.actor])).toEqual([['record.created', { id: bretagneId, role: 'delegate' }]]);
    const keyTrail = (await app.call('GET', `/api/v1/audit?record_id=${me.body.key_id}`, { key: app.keys.admin })).body.items;
    expect(keyTrail.map((e: { action: string; actor: object }) => [e.action, e.actor])).toEqual([['key.created', { id: id, role: 'inscription' }]]);
  });

  it('shows the contract’s errors beside the fields of a registration', async () => {
    const asso = visitor(app.webUrl);
    const sent = await asso.post('/essayer', '/essayer', { action: 'inscription', name: 'X', postal_code: 'abc', contact_email: 'non' });
    expect(sent.status).toBe(400);
    for (const field of ['postal_code', 'needs', 'description', 'contact_email', 'contact_name']) expect(sent.text).toContain(`id="${field}-erreur"`);
  });

  it('shows the audit trail to an admin, with the key that acted and a field error for a bad filter; other accounts get 404', async () => {
    const admin = visitor(app.webUrl);
    await admin.signIn(app.keys.admin);
    const created = await admin.post('/admin/cles', '/admin/cles', { role: 'delegate', regions: '76', label: 'Journal' });
    const key = /id="nouvelle-cle">([^<]+)</.exec(created.text)![1];
    const keyId = (await app.call('GET', '/api/v1/me', { key })).body.key_id as string;
    const adminId = (await app.call('GET', '/api/v1/me', { key: app.keys.admin })).body.key_id as string;
    const page = await admin.get(`/admin/journal?record_id=${keyId}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h1>Journal des actions</h1>');
    expect(page.text.replace(/\s+/g, ' ')).toContain(`<td>${adminId} (admin)</td> <td>création de clé</td><td>clé <code>${keyId}</code></td>`);
    expect(page.text).not.toContain(key);
    const bad = await admin.get('/admin/journal?from=hier');
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('id="from-erreur"');
    const delegate = visitor(app.webUrl);
    await delegate.signIn(app.keys.bretagne);
    expect((await delegate.get('/admin/journal')).status).toBe(404);
  });

  it('limits anonymous previews per address', async () => {
    const v = visitor(app.webUrl);
    const statuses: number[] = [];
    const page = await v.get('/essayer');
    for (let i = 0; i < 25; i++) statuses.push((await fetch(`${app.webUrl}/essayer`, {
      method: 'POST', redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: [...v.jar].map(([k, x]) => `${k}=${x}`).join('; ') },
      body: new URLSearchParams({ _csrf: page.csrf, action: 'apercu', postal_code: '1' }),
    })).status);
    expect(statuses).toContain(429);
  });

  it('answers an unknown page with a French page for a browser, and JSON for an API client', async () => {
    expect((await visitor(app.webUrl).get('/nulle-part')).text).toContain('<html lang="fr">');
    expect((await app.call('GET', '/nulle-part')).body.error.code).toBe('route.not_found');
  });
});
