/**
 * The HTML report in headless Chromium (Debian's `chromium`, driven by playwright-core): the map
 * of France is drawn (96 départements and the overseas tiles), the tables are there, nothing is
 * fetched from the network, and it fits a phone's width. Screenshots in docs/ for the README.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { OPERATOR } from '../../src/access/access.policy.ts';
import { openTestStore } from '../support/stores.ts';
import { importDevSet } from '../api/support.ts';
import { loadGeography } from '../../src/geo/geography.ts';
import { createRecords } from '../../src/records/records.usecases.ts';
import { runBatchOn } from '../support/batch.ts';
import type { Store } from '../../src/db/open.ts';

const CHROMIUM = '/usr/bin/chromium';
const DOCS = new URL('../../docs/', import.meta.url).pathname;

describe.skipIf(!existsSync(CHROMIUM))('the HTML report in headless Chromium', () => {
  let store: Store;
  let browser: Browser;
  let dir: string;
  let runId: number;
  const requests: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'passerelles-browser-'));
    store = await openTestStore('pglite');
    const geography = loadGeography();
    await importDevSet(store, geography);
    await runBatchOn(store, { reportsDir: dir });
    // A second run after an archiving, so that the report has gone matches and their reason.
    await createRecords({ store, geography }).archive(OPERATOR, 'resource', 'dev-r01');
    runId = (await runBatchOn(store, { reportsDir: dir })).run.id;
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('draws the map of France and the tables of the national report, fetching nothing', async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 1400 } });
    page.on('request', (r) => { if (!r.url().startsWith('file:')) requests.push(r.url()); });
    await page.goto(`file://${join(dir, String(runId), 'national.html')}`);
    expect(await page.locator('svg path[data-dep]').count()).toBe(96);
    expect(await page.locator('svg g[data-dep="974"]').count()).toBe(1);
    const box = await page.locator('section.map svg').boundingBox();
    expect(box!.width).toBeGreaterThan(300);
    expect(await page.locator('h2').allTextContents()).toEqual(expect.arrayContaining([
      'Correspondances par département', 'Correspondances disparues, et pourquoi', 'Par pilier', 'Retours de la semaine',
    ]));
    expect(await page.locator('table').count()).toBeGreaterThanOrEqual(6);
    expect(await page.getByText('fiche archivée').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(DOCS, 'report-national.png'), fullPage: false });
    expect(requests).toEqual([]);
    await page.close();
  });

  it('fits a phone’s width for a région’s report', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
    await page.goto(`file://${join(dir, String(runId), '53.html')}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.locator('section.map').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(DOCS, 'report-bretagne-phone.png'), fullPage: false });
    await page.close();
  });
});
