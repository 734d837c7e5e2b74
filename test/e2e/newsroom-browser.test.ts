import { createRequire } from 'node:module';
import type { AxeResults, ImpactValue, RunOptions } from 'axe-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchSystemChromium } from '../helpers/chromium.js';
import { aimqIn } from '../helpers/cli-in.js';
import { newsroomProject } from '../helpers/newsroom-project.js';
import { serveFolder, type StaticServer } from '../helpers/static-server.js';

/** The newsroom's archive in the system's Chromium, served from 127.0.0.1, without JavaScript of its own. */

const NOW = '2026-11-28T12:00:00-05:00';
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];
const BLOCKING: readonly ImpactValue[] = ['serious', 'critical'];

let browser: Browser;
let server: StaticServer;

beforeAll(async () => {
  const { dir } = newsroomProject();
  const r = await aimqIn(['release', 'build', '--now', NOW], dir);
  expect(r.status, r.stderr).toBe(0);
  server = await serveFolder(`${dir}/public`);
  browser = await launchSystemChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function withPage<T>(colorScheme: 'light' | 'dark', use: (page: Page) => Promise<T>): Promise<T> {
  const context: BrowserContext = await browser.newContext({
    colorScheme,
    viewport: { width: 1280, height: 900 },
    // The archive is plain links: it must work with scripts off.
    javaScriptEnabled: false,
  });
  try {
    await context.route(
      (url) => url.origin !== server.url,
      (route) => route.abort('blockedbyclient'),
    );
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    return await use(page);
  } finally {
    await context.close();
  }
}

/** axe-core's serious and critical WCAG 2.x A/AA violations on the page at `path` (axe in its own context). */
async function axeBlocking(colorScheme: 'light' | 'dark', path: string): Promise<string[]> {
  const context = await browser.newContext({ colorScheme, viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    const response = await page.goto(`${server.url}${path}`);
    expect(response?.status(), path).toBe(200);
    await page.addScriptTag({ path: AXE });
    const options: RunOptions = { runOnly: { type: 'tag', values: WCAG_TAGS }, resultTypes: ['violations'] };
    const results = await page.evaluate(async (opts) => {
      const g = globalThis as unknown as {
        axe: { run: (context: unknown, options: RunOptions) => Promise<AxeResults> };
        document: unknown;
      };
      return g.axe.run(g.document, opts);
    }, options);
    return results.violations
      .filter((v) => v.impact && BLOCKING.includes(v.impact))
      .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  } finally {
    await context.close();
  }
}

describe('the newsroom’s archive in Chromium', () => {
  it('from the index to a year, its next page and back, by the links’ accessible names, without JavaScript', async () => {
    await withPage('light', async (page) => {
      await page.goto(`${server.url}/fr/`);
      const years = page.getByRole('navigation', { name: 'Archives par année' });
      await Promise.all([
        page.waitForURL(`${server.url}/fr/2024/`),
        years.getByRole('link', { name: '2024' }).click(),
      ]);
      const pages = page.getByRole('navigation', { name: 'Pages' });
      expect(await pages.getByRole('link', { name: 'Page 1' }).getAttribute('aria-current')).toBe('page');
      await Promise.all([
        page.waitForURL(`${server.url}/fr/2024/page/2/`),
        pages.getByRole('link', { name: 'Suivant' }).click(),
      ]);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Communiqués de 2024');
      await expect.poll(() => pages.getByText('Page 2 sur 2').count()).toBe(1);
      await Promise.all([
        page.waitForURL(`${server.url}/fr/2024/`),
        pages.getByRole('link', { name: 'Précédent' }).click(),
      ]);
      // The language toggle keeps the year and the page.
      await page.goto(`${server.url}/fr/2024/page/2/`);
      await Promise.all([
        page.waitForURL(`${server.url}/en/2024/page/2/`),
        page
          .getByRole('navigation', { name: 'Language / Langue' })
          .getByRole('link', { name: 'English' })
          .click(),
      ]);
      expect(await page.evaluate('document.documentElement.lang')).toBe('en-CA');
    });
  });

  const paths = [
    '/fr/2024/',
    '/en/2024/page/2/',
    '/fr/sujets/infrastructures/',
    '/en/topics/drinking-water/',
    '/en/',
  ];
  for (const scheme of ['light', 'dark'] as const) {
    it(`axe: no serious or critical WCAG violation on year, topic and index pages (${scheme})`, async () => {
      for (const path of paths) expect(await axeBlocking(scheme, path), path).toEqual([]);
    }, 60_000);
  }
});
