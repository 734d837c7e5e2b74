import { createRequire } from 'node:module';
import type { AxeResults, ImpactValue, RunOptions } from 'axe-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleProject } from '../helpers/cli.js';
import { launchSystemChromium } from '../helpers/chromium.js';
import { aimqIn } from '../helpers/cli-in.js';
import { SAMPLE_EN_PAGE, SAMPLE_FR_PAGE, SAMPLE_ID } from '../helpers/project.js';
import { serveFolder, type StaticServer } from '../helpers/static-server.js';

/** The built site in the system's Chromium (never a downloaded one), served from 127.0.0.1 as a web server would. */

const NOW = '2026-11-28T12:00:00-05:00';
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];
const BLOCKING: readonly ImpactValue[] = ['serious', 'critical'];

/** A page's URL path on the server: folders, as the site links to them. */
const dirUrl = (page: string) => `/${page.replace(/index\.html$/, '')}`;
const FR = dirUrl(SAMPLE_FR_PAGE);
const EN = dirUrl(SAMPLE_EN_PAGE);

let browser: Browser;
let server: StaticServer;

beforeAll(async () => {
  const dir = sampleProject();
  const r = await aimqIn(['release', 'build', '--now', NOW], dir);
  expect(r.status, r.stderr).toBe(0);
  server = await serveFolder(`${dir}/public`);
  browser = await launchSystemChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** A fresh context (light or dark), its requests kept on the loopback server; closed after `use`. */
async function withPage<T>(colorScheme: 'light' | 'dark', use: (page: Page) => Promise<T>): Promise<T> {
  const context: BrowserContext = await browser.newContext({
    colorScheme,
    viewport: { width: 1280, height: 900 },
    deviceScaleFactor: 1,
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

interface Finding {
  rule: string;
  impact: ImpactValue | null | undefined;
  help: string;
  nodes: { target: string; html: string }[];
}

/** axe-core's WCAG 2.x A/AA violations on the page at `path`. */
async function axeViolations(page: Page, path: string): Promise<Finding[]> {
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
  return results.violations.map((v) => ({
    rule: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => ({ target: n.target.join(' '), html: n.html.slice(0, 160) })),
  }));
}

const blocking = (findings: Finding[]) =>
  findings.filter((f) => f.impact !== undefined && f.impact !== null && BLOCKING.includes(f.impact));

describe('the site in Chromium', () => {
  it('the French release page’s language toggle leads to the English page, and back', async () => {
    await withPage('light', async (page) => {
      await page.goto(`${server.url}${FR}`);
      expect(await page.evaluate('document.documentElement.lang')).toBe('fr-CA');
      const toggle = page
        .getByRole('navigation', { name: 'Language / Langue' })
        .getByRole('link', { name: 'English' });
      await Promise.all([page.waitForURL(`${server.url}${EN}`), toggle.click()]);
      expect(page.url()).toBe(`${server.url}${EN}`);
      expect(await page.evaluate('document.documentElement.lang')).toBe('en-CA');
      const back = page
        .getByRole('navigation', { name: 'Language / Langue' })
        .getByRole('link', { name: 'Français' });
      await Promise.all([page.waitForURL(`${server.url}${FR}`), back.click()]);
      expect(page.url()).toBe(`${server.url}${FR}`);
      expect(await page.evaluate('document.documentElement.lang')).toBe('fr-CA');
    });
  });

  it('dark mode is emulated: the site’s dark styles apply', async () => {
    const background = (scheme: 'light' | 'dark') =>
      withPage(scheme, async (page) => {
        await page.goto(`${server.url}${FR}`);
        return page.evaluate('getComputedStyle(document.body).backgroundColor');
      });
    expect(await background('light')).toBe('rgb(255, 255, 255)');
    expect(await background('dark')).not.toBe('rgb(255, 255, 255)');
  });

  const pages = [
    ['the French release page', FR],
    ['the English release page', EN],
    ['the French newsroom', '/fr/index.html'],
    ['the English newsroom', '/en/index.html'],
    ['the language chooser', '/index.html'],
  ] as const;
  for (const scheme of ['light', 'dark'] as const) {
    for (const [name, path] of pages) {
      it(`axe: no serious or critical WCAG violation on ${name} (${scheme})`, async () => {
        const findings = await withPage(scheme, (page) => axeViolations(page, path));
        expect(blocking(findings)).toEqual([]);
      });
    }
  }

  // Apple Mail, iOS Mail and others apply the e-mail's prefers-color-scheme styles: dark mode is checked as well.
  for (const scheme of ['light', 'dark'] as const) {
    it(`axe: no serious or critical WCAG violation in the bilingual e-mail (${scheme})`, async () => {
      const findings = await withPage(scheme, (page) =>
        axeViolations(page, `/email/${SAMPLE_ID}/bilingual.html`),
      );
      expect(blocking(findings)).toEqual([]);
    });
  }
});
