import { chromium, type Browser, type BrowserContext, type Route } from 'playwright-core';
import { AimqError } from '../errors/index.js';
import type { PdfPageSize } from '../model/config.js';
import { findBrowser } from '../preview/browser.js';
import { LAUNCH_ARGS } from '../preview/screenshots.js';
import type { Text } from '../i18n/text.js';

/** The site as the printer reads it: a site path (`fr/x/index.html`, `assets/style.css`) to its bytes. */
export type SiteReader = (sitePath: string) => Buffer | undefined;

/** One PDF: the pages it is made of, in order, and its title. */
export interface PdfJob {
  /**
   * Site paths of the pages: the first is opened; the main content of each other one follows
   * it on a new page, in its own language (the bilingual edition).
   */
  pages: readonly string[];
  /** The document's title, which Chromium writes as the PDF's /Title. */
  title: string;
}

const BROWSER_HINT: Text = {
  fr: 'installez Chromium (apt-get install chromium) ou donnez à AIMQ_CHROME le chemin d’un exécutable Chrome ou Chromium',
  en: 'install Chromium (apt-get install chromium) or set AIMQ_CHROME to a Chrome or Chromium executable',
};

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  svg: 'image/svg+xml',
};

/**
 * Prints release pages to PDF with the system's Chromium (the one the previews use), one
 * browser for every PDF of a command. Pages are opened at their public address (the
 * config's baseUrl), so relative links in the PDF lead to the published site; every
 * request there is answered from the site given, and anything else is refused: printing
 * never reaches the network.
 */
export class PdfPrinter {
  private constructor(
    private readonly browser: Browser,
    private readonly context: BrowserContext,
  ) {}

  /** Starts Chromium. AIMQ-BROWSER (exit 2) when there is none, or it does not start. */
  static async launch(env: NodeJS.ProcessEnv): Promise<PdfPrinter> {
    const lookup = findBrowser(env);
    if ('missing' in lookup) throw noBrowser(lookup.why);
    let browser: Browser;
    try {
      browser = await chromium.launch({
        executablePath: lookup.executable,
        args: [...LAUNCH_ARGS],
        timeout: 60_000,
      });
    } catch (err) {
      throw new AimqError(
        'AIMQ-BROWSER',
        {
          fr: `impossible d’imprimer un PDF\u00a0: ${lookup.executable} n’a pas démarré\u00a0: ${firstLine(err)}`,
          en: `cannot print a PDF: ${lookup.executable} failed to start: ${firstLine(err)}`,
        },
        { hint: BROWSER_HINT, cause: err },
      );
    }
    const context = await browser.newContext({
      colorScheme: 'light',
      reducedMotion: 'reduce',
      serviceWorkers: 'block',
      javaScriptEnabled: true,
    });
    return new PdfPrinter(browser, context);
  }

  /**
   * One PDF of `job`'s pages, read from `site` as if served at `baseUrl`: tagged (structure
   * for screen readers), with an outline from the headings, the page size given, links live.
   */
  async print(site: SiteReader, baseUrl: string, job: PdfJob, pageSize: PdfPageSize): Promise<Buffer> {
    const base = new URL(`${baseUrl.replace(/\/+$/, '')}/`).href;
    const page = await this.context.newPage();
    try {
      page.setDefaultTimeout(30_000);
      await page.route('**/*', (route) => answer(route, base, site));
      const [first, ...rest] = job.pages;
      if (first === undefined) throw new Error('a PDF needs at least one page');
      await page.goto(new URL(first.replace(/(^|\/)index\.html$/, '$1'), base).href, { waitUntil: 'load' });
      for (const path of rest) {
        const html = site(path);
        if (!html) throw new Error(`${path} is not in the site`);
        await page.evaluate(`(${APPEND_PART})(${JSON.stringify(html.toString('utf8'))})`);
      }
      await page.evaluate(`(${FINISH})(${JSON.stringify(job.title)})`);
      return await page.pdf({
        format: pageSize === 'a4' ? 'A4' : 'Letter',
        printBackground: true,
        tagged: true,
        outline: true,
        margin: { top: '2cm', bottom: '2cm', left: '2cm', right: '2cm' },
      });
    } catch (err) {
      if (err instanceof AimqError) throw err;
      throw new AimqError(
        'AIMQ-BROWSER',
        {
          fr: `Chromium s’est arrêté pendant l’impression d’un PDF\u00a0: ${firstLine(err)}`,
          en: `Chromium stopped while printing a PDF: ${firstLine(err)}`,
        },
        { hint: BROWSER_HINT, cause: err },
      );
    } finally {
      await page.close().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    await this.browser.close().catch(() => undefined);
  }
}

/** The Chrome or Chromium that will print; AIMQ-BROWSER (exit 2) when there is none. */
export function requireBrowser(env: NodeJS.ProcessEnv): string {
  const lookup = findBrowser(env);
  if ('missing' in lookup) throw noBrowser(lookup.why);
  return lookup.executable;
}

function noBrowser(why: Text): AimqError {
  return new AimqError(
    'AIMQ-BROWSER',
    { fr: `impossible d’imprimer un PDF\u00a0: ${why.fr}`, en: `cannot print a PDF: ${why.en}` },
    { hint: BROWSER_HINT },
  );
}

/** Serves what is under the site's address from `site`; refuses anything else. */
async function answer(route: Route, base: string, site: SiteReader): Promise<void> {
  const url = route.request().url();
  if (!url.startsWith(base)) return route.abort('blockedbyclient');
  let path: string;
  try {
    path = decodeURIComponent(url.slice(base.length).replace(/[?#].*$/, ''));
  } catch {
    return route.fulfill({ status: 400, body: '' });
  }
  if (path === '' || path.endsWith('/')) path += 'index.html';
  const body = path.split('/').includes('..') ? undefined : site(path);
  if (!body) return route.fulfill({ status: 404, body: '' });
  const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  return route.fulfill({
    status: 200,
    contentType: TYPES[ext] ?? 'application/octet-stream',
    body,
  });
}

/**
 * Runs in the page (JavaScript as text: aimq compiles without the DOM's types): appends the
 * main content of another page (the other language) to this one, in an element carrying
 * that page's language, starting on a new sheet. Its ids get a suffix so that the headings
 * its sections are labelled by stay unique.
 */
const APPEND_PART = `(html) => {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  const lang = doc.documentElement.lang;
  const suffix = '-' + (lang || 'part');
  for (const el of doc.querySelectorAll('[id]')) el.id += suffix;
  for (const el of doc.querySelectorAll('[aria-labelledby]'))
    el.setAttribute('aria-labelledby', el.getAttribute('aria-labelledby').split(/\\s+/).map((id) => id + suffix).join(' '));
  const source = doc.querySelector('main') || doc.body;
  const part = document.createElement('div');
  part.className = 'pdf-part';
  if (lang) part.lang = lang;
  part.style.breakBefore = 'page';
  for (const node of [...source.childNodes]) part.append(document.importNode(node, true));
  (document.querySelector('main') || document.body).append(part);
}`;

/** Runs in the page: the title, then waits for the images of appended parts and for the fonts. */
const FINISH = `async (title) => {
  document.title = title;
  await Promise.all([...document.images].map((img) =>
    img.complete ? undefined : new Promise((done) => img.addEventListener('loadend', done, { once: true }))));
  await document.fonts.ready;
}`;

function firstLine(err: unknown): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: it removes the ANSI colour codes of the browser's log
  const text = (err instanceof Error ? err.message : String(err)).replace(/\u001b\[[0-9;]*m/g, '');
  return (text.split('\n').find((l) => l.trim()) ?? 'unknown error')
    .replace(/^(?:browserType|browser|context|page|locator)\.\w+:\s*/, '')
    .trim();
}
