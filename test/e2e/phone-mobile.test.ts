import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleProject } from '../helpers/cli.js';
import { launchSystemChromium } from '../helpers/chromium.js';
import { aimqIn } from '../helpers/cli-in.js';
import { SAMPLE_DIR, SAMPLE_EN, SAMPLE_FR } from '../helpers/project.js';

/** The e-mail editions as a journalist reads them on a phone: the exported HTML in the system's Chromium. */

const NOW = '2026-11-28T12:00:00-05:00';
const TABLE_FR = `
| Région | Budget (M$) | Kilomètres de conduites renouvelées | Échéance prévue |
|---|---:|---:|---|
| Montréal | 1 250,5 | 340 | 2030 |
| Sherbrooke | 150,8 | 45 | 2028 |
`;
const TABLE_EN = TABLE_FR.replace('Région', 'Region').replace('1 250,5', '1,250.5').replace('150,8', '150.8');

let browser: Browser;
let dir: string;

beforeAll(async () => {
  dir = sampleProject();
  appendFileSync(join(dir, SAMPLE_FR), TABLE_FR);
  appendFileSync(join(dir, SAMPLE_EN), TABLE_EN);
  browser = await launchSystemChromium();
});

afterAll(async () => {
  await browser?.close();
});

async function exportHtml(edition: string): Promise<string> {
  const r = await aimqIn(
    [
      'release',
      'export',
      SAMPLE_DIR,
      '--format',
      'html',
      '--edition',
      edition,
      '--out',
      'out/',
      '--now',
      NOW,
    ],
    dir,
  );
  expect(r.status, r.stderr).toBe(0);
  return readFileSync(join(dir, 'out', `${SAMPLE_DIR.split('/')[1]}.${edition}.html`), 'utf8');
}

async function onPhone<T>(html: string, width: number, use: (page: Page) => Promise<T>): Promise<T> {
  const context = await browser.newContext({ viewport: { width, height: 800 }, deviceScaleFactor: 1 });
  try {
    await context.route('**/*', (route) => route.abort('blockedbyclient'));
    const page = await context.newPage();
    await page.setContent(html, { waitUntil: 'load' });
    return await use(page);
  } finally {
    await context.close();
  }
}

interface Measured {
  scrollWidth: number;
  viewport: number;
  /** Each cell's text and how many lines it takes: a word or a number is one line. */
  lines: Record<string, number>;
  alignBudget: string;
  alignRegion: string;
}

/** Runs in the page (a string: the tests are not compiled with the DOM's types). */
const MEASURE = `(() => {
  const table = document.querySelector('div[lang^="fr"] table:not([role])');
  const lines = [...table.querySelectorAll('th, td')].map((cell) => {
    const range = document.createRange();
    range.selectNodeContents(cell);
    return [cell.textContent, new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size];
  });
  const th = table.querySelectorAll('th');
  return {
    scrollWidth: document.documentElement.scrollWidth,
    viewport: document.documentElement.clientWidth,
    lines: Object.fromEntries(lines),
    alignBudget: getComputedStyle(th[1]).textAlign,
    alignRegion: getComputedStyle(th[0]).textAlign,
  };
})()`;

describe('a table in an e-mail edition on a phone', () => {
  for (const width of [320, 375, 414]) {
    it(`keeps its words whole and the message within ${width} px`, async () => {
      for (const edition of ['fr', 'bilingual']) {
        const html = await exportHtml(edition);
        const seen = (await onPhone(html, width, (page) => page.evaluate(MEASURE))) as Measured;
        // No sideways scrolling of the whole message: a wide table scrolls inside its own box.
        expect(seen.scrollWidth, edition).toBeLessThanOrEqual(seen.viewport);
        for (const word of ['Région', 'Montréal', 'Sherbrooke', '1\u00a0250,5', '150,8', '2030'])
          expect(seen.lines[word], `${edition} at ${width}: "${word}"`).toBe(1);
        // A right-aligned column's header is right-aligned too.
        expect(seen.alignBudget).toBe('right');
        expect(seen.alignRegion).toBe('left');
      }
    });
  }
});

/** Every piece of visible text in the page, with its computed font size (the hidden preheader left out). */
const FONT_SIZES = `(() => {
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const own = [...el.childNodes].filter((n) => n.nodeType === 3 && n.textContent.trim() !== '');
    if (own.length === 0) continue;
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    if (style.display === 'none' || style.visibility === 'hidden' || box.width === 0 || box.height <= 1) continue;
    if (el.closest('[style*="max-height:0"], [style*="display:none"]')) continue;
    out.push([parseFloat(style.fontSize), own.map((n) => n.textContent.trim()).join(' ').slice(0, 40)]);
  }
  return out;
})()`;

describe('the text of an e-mail edition on a phone', () => {
  it('is at least 14 px everywhere: the release line and the footer (address, reason, unsubscribe) included', async () => {
    for (const edition of ['fr', 'en', 'bilingual']) {
      const html = await exportHtml(edition);
      const sizes = (await onPhone(html, 375, (page) => page.evaluate(FONT_SIZES))) as [number, string][];
      expect(sizes.length).toBeGreaterThan(20);
      expect(
        sizes.filter(([size]) => size < 14),
        edition,
      ).toEqual([]);
    }
  });
});
