/**
 * Headless Chromium for the browser tests: Debian's package (`apt-get install chromium`) driven
 * by playwright-core, since the registry cannot download Playwright's own browsers. Without
 * /usr/bin/chromium the browser tests are skipped with a message saying so.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  console.warn(`⚠ ${CHROMIUM} absent : tests des pages dans le navigateur ignorés (apt-get install -y chromium).`);
}

export const ARTIFACTS = new URL('./artifacts/', import.meta.url).pathname;

export function launch(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run'],
  });
}

export const WIDTHS = { telephone: { width: 375, height: 812 }, portable: { width: 1280, height: 900 } } as const;

export interface Violation { id: string; impact: string; help: string; targets: string[] }

/** Runs axe on the page at both widths; saves a screenshot of each (the full page, and the screen only); returns serious and critical violations. */
export async function auditPage(page: Page, name: string): Promise<Violation[]> {
  const found: Violation[] = [];
  for (const [label, size] of Object.entries(WIDTHS)) {
    await page.setViewportSize(size);
    const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
    for (const v of result.violations) {
      if (v.impact === 'serious' || v.impact === 'critical') {
        found.push({ id: `${label}:${v.id}`, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) });
      }
    }
    await page.screenshot({ path: `${ARTIFACTS}${name}-${label}.png`, fullPage: true });
    await page.screenshot({ path: `${ARTIFACTS}${name}-${label}-ecran.png` });
  }
  await page.setViewportSize(WIDTHS.portable);
  return found;
}
