/**
 * The web pages in a real browser (headless Chromium) against the app on localhost, over the dev
 * set in an in-memory PGlite store, with the real feedback loop behind the buttons.
 * Every main page is checked by axe at phone (375 px) and laptop (1280 px) widths; screenshots
 * go to test/web/artifacts/ (not committed).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { feedbackEvents } from '../../src/db/schema.ts';
import type { Role } from '../api/support.ts';
import { toCsv, devRecords } from '../support/import-fixtures.ts';
import { auditPage, hasChromium, launch, type Violation } from './browser.ts';
import { startWebTestApp, type WebTestApp } from './support.ts';

describe.skipIf(!hasChromium)('web pages in Chromium', () => {
  let app: WebTestApp;
  let browser: Browser;
  const violations: Record<string, Violation[]> = {};

  beforeAll(async () => {
    [app, browser] = await Promise.all([startWebTestApp(), launch()]);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  const contexts: BrowserContext[] = [];
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    return context.newPage();
  }

  async function signIn(page: Page, key: string): Promise<void> {
    await page.goto(`${app.webUrl}/connexion`);
    await page.getByLabel('Clé de compte').fill(key);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL(`${app.webUrl}/`);
  }

  /** A resource of Bretagne (or national) with at least three structures of Bretagne to propose. */
  function resourceWithMatches(): string {
    const delegate = { keyId: 'test', role: 'delegate' as const, regions: ['53'], structureId: null };
    const found = devRecords('resource').map((r) => r.id as string)
      .find((id) => { try { return app.matching.forResource(id, { limit: 5 }, delegate).results.length >= 3; } catch { return false; } });
    if (!found) throw new Error('no resource of the dev set has three structures in Bretagne');
    return found;
  }

  async function audit(page: Page, name: string) {
    violations[name] = await auditPage(page, name);
  }

  it('a delegate opens a resource, sees ranked structures with reasons, and « pas intéressé » takes one out of the list at once', async () => {
    const page = await newPage();
    await signIn(page, app.keys.bretagne);
    const resourceId = resourceWithMatches();
    await page.goto(`${app.webUrl}/ressources/${resourceId}`);
    const items = page.locator('ol.matches > li.match');
    expect(await items.count()).toBeGreaterThan(1);
    const first = items.first();
    await expect.poll(() => first.locator('.reasons li').count()).toBeGreaterThan(0);
    expect(await first.locator('.score-text').innerText()).toMatch(/Pertinence : \d+ %/);
    await audit(page, 'ressource-delegue');

    const id = (await first.getAttribute('id'))!.slice(2);
    const feedback = first.locator('form.feedback-negative');
    await feedback.getByLabel('Raison').selectOption('location');
    await feedback.getByRole('button', { name: 'Pas intéressé' }).click();
    await page.waitForSelector('.flash');
    expect(await page.locator('.flash').innerText()).toContain('retiré de la liste');
    expect(await page.locator(`#m-${id}`).count()).toBe(0);
    expect(await page.locator('#masques summary').innerText()).toContain('1 proposition masquée');

    const rows = await app.store.db.select().from(feedbackEvents)
      .where(and(eq(feedbackEvents.structureId, id), eq(feedbackEvents.resourceId, resourceId)));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ kind: 'not_interested', reason: 'location', role: 'delegate', region: '53', position: 1 });

    await page.locator('.flash').getByRole('button', { name: 'Annuler' }).click();
    await page.waitForSelector(`#m-${id}`);
    expect(await page.locator('#masques').count()).toBe(0);
  });

  it('a delegate filters structures by département and sees only those of Finistère', async () => {
    const page = await newPage();
    await signIn(page, app.keys.bretagne);
    await page.goto(`${app.webUrl}/structures`);
    await page.getByLabel('Département').selectOption('29');
    await page.getByRole('button', { name: 'Filtrer' }).click();
    const names = await page.locator('.items .item-title').allInnerTexts();
    expect(names.length).toBeGreaterThan(0);
    expect(await page.locator('.items .meta').allInnerTexts()).toEqual(expect.arrayContaining([expect.stringMatching(/Finistère/)]));
    await audit(page, 'structures-delegue');
  });

  it('a structure page shows the words a match shares highlighted in both texts', async () => {
    const page = await newPage();
    await signIn(page, app.keys.bretagne);
    await page.goto(`${app.webUrl}/structures/dev-s06`);
    const details = page.locator('li.match details').first();
    await details.locator('summary').click();
    expect(await details.locator('.texts-grid > div').nth(0).locator('mark').count()).toBeGreaterThan(0);
    expect(await details.locator('.texts-grid > div').nth(1).locator('mark').count()).toBeGreaterThan(0);
    await audit(page, 'structure-delegue');
  });

  it('the reports page tells a delegate that no nightly run has reported on their régions yet', async () => {
    const page = await newPage();
    await signIn(page, app.keys.bretagne);
    await page.goto(`${app.webUrl}/rapports`);
    // No nightly run yet on this test database: the page says so (the reports themselves: test/integration).
    expect(await page.locator('main').innerText()).toContain('Aucun rapport pour vos régions.');
    await audit(page, 'rapports-delegue');
  });

  it('a structure account cannot reach another structure’s page (404), and reaches its own', async () => {
    const page = await newPage();
    await signIn(page, app.keys.structureBzh);
    const other = await page.goto(`${app.webUrl}/structures/dev-s25`);
    expect(other!.status()).toBe(404);
    expect(await page.locator('h1').innerText()).toBe('Page introuvable');
    const mine = await page.goto(`${app.webUrl}/structures/dev-s06`);
    expect(mine!.status()).toBe(200);
    expect(await page.locator('nav[aria-label="Navigation principale"]').innerText()).not.toContain('Structures');
    const admin = await page.goto(`${app.webUrl}/admin/cles`);
    expect(admin!.status()).toBe(404);
  });

  it('the preview form without an account shows matching resources, and a field error beside a bad postal code', async () => {
    const page = await newPage();
    await page.goto(`${app.webUrl}/essayer`);
    await page.getByLabel('Nom de la structure').fill('Atelier Vélo Rennais');
    await page.getByLabel('Code postal').fill('35000');
    await page.getByLabel('logistique').check();
    await page.getByLabel('Présentation').fill('Atelier associatif de réparation de vélos avec des personnes en insertion.');
    await page.getByLabel('Votre besoin en quelques phrases').fill('Transporter des palettes de pièces détachées dans la métropole rennaise.');
    await page.getByRole('button', { name: 'Voir les ressources qui me correspondent' }).click();
    await page.waitForSelector('#resultats');
    expect(await page.locator('ol.matches > li').count()).toBeGreaterThan(0);
    await audit(page, 'essayer-resultats');

    await page.getByLabel('Code postal').fill('3500');
    await page.getByRole('button', { name: 'Voir les ressources qui me correspondent' }).click();
    await page.waitForSelector('#postal_code-erreur');
    expect(await page.locator('#postal_code-erreur').innerText()).toMatch(/\S/);
    expect(await page.getByLabel('Code postal').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#erreurs').innerText()).toContain('Code postal');
    await audit(page, 'essayer-erreurs');
  });

  it('an admin imports a CSV with one bad line and sees that line reported', async () => {
    const page = await newPage();
    await signIn(page, app.keys.admin);
    const [good, bad] = devRecords('structure').slice(0, 2);
    const csv = toCsv([{ ...good, id: 'csv-ok-1' }, { ...bad, id: 'csv-bad-2', postal_code: '00000' }]);
    await page.goto(`${app.webUrl}/admin/imports`);
    await page.getByLabel('Le fichier contient').selectOption('structure');
    await page.locator('#file').setInputFiles({ name: 'structures.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Importer' }).click();
    await page.waitForSelector('#rapport-import');
    expect(await page.locator('.report [role="status"]').innerText()).toMatch(/2 enregistrements lus : 1 ajouté.*1 refusé/s);
    const row = page.locator('table.rejects tbody tr');
    expect(await row.count()).toBe(1);
    expect(await row.locator('td').nth(0).innerText()).toBe('3');
    expect(await row.locator('td').nth(1).innerText()).toBe('csv-bad-2');
    expect(await row.locator('td').nth(2).innerText()).toBe('postal_code');
    await audit(page, 'admin-import');
    await page.goto(`${app.webUrl}/admin/journal`);
    expect(await page.locator('tbody tr').first().innerText()).toMatch(/import de fichier\s+structures\s+structures\.csv : 1 inséré, 0 mis à jour, 0 inchangé, 1 rejeté/);
    await audit(page, 'admin-journal');
  });

  // Pages that need no action to show what they show: each one audited in a test of its own (an audit is
  // axe and four screenshots, seconds each on a busy 2-core machine).
  const plainPages: { name: string; account: Role | null; path: string }[] = [
    { name: 'accueil-visiteur', account: null, path: '/' },
    { name: 'connexion', account: null, path: '/connexion' },
    { name: 'essayer', account: null, path: '/essayer' },
    { name: 'accueil-delegue', account: 'bretagne', path: '/' },
    { name: 'ressources-delegue', account: 'bretagne', path: '/ressources' },
    { name: 'inscriptions-delegue', account: 'bretagne', path: '/inscriptions' },
    { name: 'accueil-structure', account: 'structureBzh', path: '/' },
    { name: 'accueil-admin', account: 'admin', path: '/' },
    { name: 'admin-cles', account: 'admin', path: '/admin/cles' },
    { name: 'admin-modeles', account: 'admin', path: '/admin/modeles' },
  ];
  it.each(plainPages)('$name ($path) opens and is audited at both widths', async ({ name, account, path }) => {
    const page = await newPage();
    if (account) await signIn(page, app.keys[account]);
    const response = await page.goto(`${app.webUrl}${path}`);
    expect(response!.status()).toBe(200);
    await audit(page, name);
  });

  it('every main page has no serious or critical accessibility violation at 375 px and 1280 px', () => {
    const failing = Object.fromEntries(Object.entries(violations).filter(([, v]) => v.length > 0));
    expect(Object.keys(violations).length).toBeGreaterThanOrEqual(15);
    expect(failing).toEqual({});
  });
});
