import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, REPO, sampleProject } from '../helpers/cli.js';
import { aimqIn } from '../helpers/cli-in.js';
import { nuCheck, type VnuMessage } from '../helpers/vnu.js';
import {
  BASE_URL,
  listFiles,
  metaOf,
  mtimes,
  readText,
  SAMPLE_EN_PAGE,
  SAMPLE_FR,
  SAMPLE_FR_PAGE,
  SAMPLE_ID,
  tagsOf,
  TINY_PNG,
  writeFiles,
} from '../helpers/project.js';

const NOW = '2026-11-28T12:00:00-05:00';
/** The templates aimq ships. */
const PACKAGED = join(REPO, 'templates');
const FR_URL = `${BASE_URL}/fr/2020-01-13-mission-aimq/`;
const EN_URL = `${BASE_URL}/en/2020-01-13-aimq-updates-its-mission/`;
const NBSP = '\u00A0';
const NNBSP = '\u202F';

/** The CLI in this process (see aimqIn): these tests are about what a build writes. */
async function cli(args: string[], cwd: string): Promise<CliResult> {
  const r = await aimqIn(args, cwd);
  expect(r.stderr).not.toMatch(/^ {4}at /m);
  return r;
}

/** Builds `dir` into `out` (relative to dir) and expects success. */
async function build(dir: string, extra: string[] = [], out = 'public'): Promise<CliResult> {
  const r = await cli(['release', 'build', '--out', out, ...extra], dir);
  expect(r.status, r.stderr).toBe(0);
  return r;
}

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  isArray: (name) => ['entry', 'link', 'url', 'xhtml:link'].includes(name),
});

interface AtomLink {
  '@_rel'?: string;
  '@_href': string;
}
interface AtomEntry {
  title: string;
  id: string;
  link: AtomLink[];
  published: string;
  updated: string;
  summary?: string;
}
interface AtomFeed {
  feed: {
    '@_xmlns': string;
    title: string;
    id: string;
    updated: string;
    link: AtomLink[];
    entry?: AtomEntry[];
  };
}
interface SitemapUrl {
  loc: string;
  'xhtml:link': { '@_rel': string; '@_hreflang': string; '@_href': string }[];
}
interface Sitemap {
  urlset: { '@_xmlns': string; '@_xmlns:xhtml': string; url?: SitemapUrl[] };
}

const feedOf = (text: string) => xml.parse(text) as AtomFeed;
const sitemapOf = (text: string) => xml.parse(text) as Sitemap;

/** The text of an HTML fragment: tags removed, the few entities the renderer writes decoded. */
const textOf = (html: string) =>
  html
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

/** The `<div class="body">` of a release page. */
function bodyOf(html: string): string {
  const m = /<div class="body">([\s\S]*?)<\/div>/.exec(html);
  expect(m, 'a <div class="body">').not.toBeNull();
  return m![1]!;
}

function alternatesOf(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of tagsOf(html, 'link')) if (l.rel === 'alternate' && l.hreflang) out[l.hreflang] = l.href!;
  return out;
}

function jsonLdOf(html: string): Record<string, unknown> {
  const m = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(html);
  expect(m, 'a JSON-LD script').not.toBeNull();
  return JSON.parse(m![1]!) as Record<string, unknown>;
}

const HTML_FILES = ['index.html', 'fr/index.html', 'en/index.html', SAMPLE_FR_PAGE, SAMPLE_EN_PAGE];

describe('the built sample', () => {
  let out: string;
  let fr: string;
  let en: string;
  beforeAll(async () => {
    const dir = sampleProject();
    await build(dir, ['--now', NOW]);
    out = join(dir, 'public');
    fr = readText(out, SAMPLE_FR_PAGE);
    en = readText(out, SAMPLE_EN_PAGE);
  });

  it('has the documented output tree, and no other web file', async () => {
    const documented = [
      'index.html',
      'fr/index.html',
      'en/index.html',
      SAMPLE_FR_PAGE,
      SAMPLE_EN_PAGE,
      'fr/feed.xml',
      'en/feed.xml',
      'sitemap.xml',
      'assets/style.css',
      'assets/print.css',
      // The archive (README, "aimq release build"): the sample's year and its two tags.
      'fr/2020/index.html',
      'en/2020/index.html',
      ...['gouvernance', 'mission'].flatMap((t) => [
        `fr/sujets/${t}/index.html`,
        `fr/sujets/${t}/feed.xml`,
        `en/topics/${t}/index.html`,
        `en/topics/${t}/feed.xml`,
      ]),
    ];
    const files = listFiles(out);
    expect(files).toEqual(expect.arrayContaining(documented));
    // Nothing else in the newsroom's own folders (the e-mail copies live elsewhere).
    const web = files.filter((f) => !f.includes('/') || /^(fr|en|assets)\//.test(f));
    expect(web.sort()).toEqual([...documented].sort());
  });

  /** The pages and the stylesheets, checked in one run of the Nu checker. */
  let checked: VnuMessage[] | undefined;
  const nuErrors = () => {
    checked ??= nuCheck(
      [...HTML_FILES, 'assets/style.css', 'assets/print.css'].map((f) => join(out, f)),
      'both',
    );
    return checked.filter((m) => m.type === 'error');
  };

  it('every HTML page passes the Nu Html Checker without errors', async () => {
    expect(nuErrors().filter((m) => !m.url.endsWith('.css'))).toEqual([]);
  });

  it('the stylesheets pass the Nu CSS checker', async () => {
    expect(nuErrors().filter((m) => m.url.endsWith('.css'))).toEqual([]);
  });

  it('the stylesheets are the packaged ones, and the print one is linked for print', async () => {
    for (const css of ['style.css', 'print.css'])
      expect(readText(out, `assets/${css}`)).toBe(readFileSync(join(PACKAGED, 'web/assets', css), 'utf8'));
    const links = tagsOf(fr, 'link').filter((l) => l.rel === 'stylesheet');
    expect(links).toContainEqual(expect.objectContaining({ href: '../../assets/print.css', media: 'print' }));
    expect(links).toContainEqual(expect.objectContaining({ href: '../../assets/style.css' }));
  });

  it('pages declare their language: fr-CA and en-CA', async () => {
    expect(fr).toMatch(/^<!DOCTYPE html>\n<html lang="fr-CA">/);
    expect(en).toMatch(/^<!DOCTYPE html>\n<html lang="en-CA">/);
    expect(readText(out, 'fr/index.html')).toMatch(/<html lang="fr-CA">/);
    expect(readText(out, 'en/index.html')).toMatch(/<html lang="en-CA">/);
  });

  it('the language toggle links to the paired page, with lang and hreflang', async () => {
    for (const [html, path, lang, target] of [
      [fr, SAMPLE_FR_PAGE, 'en-CA', SAMPLE_EN_PAGE],
      [en, SAMPLE_EN_PAGE, 'fr-CA', SAMPLE_FR_PAGE],
    ] as const) {
      const toggles = tagsOf(html, 'a').filter((a) => a.lang === lang);
      expect(toggles).toHaveLength(1);
      const t = toggles[0]!;
      expect(t.hreflang).toBe(lang);
      expect(t.href).not.toMatch(/^(https?:|\/)/);
      const pageUrl = `${BASE_URL}/${path.replace(/index\.html$/, '')}`;
      expect(new URL(t.href!, pageUrl).href).toBe(`${BASE_URL}/${target.replace(/index\.html$/, '')}`);
      // And it works on disk, where the site is opened from files.
      expect(existsSync(join(out, path, '..', t.href!, 'index.html'))).toBe(true);
    }
  });

  it('reciprocal hreflang alternates, x-default to French, and the canonical URL', async () => {
    const expected = { 'fr-CA': FR_URL, 'en-CA': EN_URL, 'x-default': FR_URL };
    expect(alternatesOf(fr)).toEqual(expected);
    expect(alternatesOf(en)).toEqual(expected);
    expect(
      tagsOf(fr, 'link')
        .filter((l) => l.rel === 'canonical')
        .map((l) => l.href),
    ).toEqual([FR_URL]);
    expect(
      tagsOf(en, 'link')
        .filter((l) => l.rel === 'canonical')
        .map((l) => l.href),
    ).toEqual([EN_URL]);
  });

  it('JSON-LD is a NewsArticle with headline, datePublished and inLanguage', async () => {
    const f = jsonLdOf(fr);
    expect(f['@context']).toBe('https://schema.org');
    expect(f['@type']).toBe('NewsArticle');
    expect(f.headline).toBe('L’AIMQ actualise sa mission et ses orientations stratégiques');
    expect(f.datePublished).toBe('2020-01-13T00:00:00-05:00');
    expect(f.inLanguage).toBe('fr-CA');
    expect(f.url).toBe(FR_URL);
    const e = jsonLdOf(en);
    expect(e['@type']).toBe('NewsArticle');
    expect(e.headline).toBe('AIMQ updates its mission and strategic directions');
    expect(e.datePublished).toBe('2020-01-13T00:00:00-05:00');
    expect(e.inLanguage).toBe('en-CA');
    expect(e.url).toBe(EN_URL);
  });

  it('Open Graph: article, locale and its alternate, published time', async () => {
    const f = metaOf(fr);
    expect(f['og:type']).toEqual(['article']);
    expect(f['og:locale']).toEqual(['fr_CA']);
    expect(f['og:locale:alternate']).toEqual(['en_CA']);
    expect(f['og:url']).toEqual([FR_URL]);
    expect(f['article:published_time']).toEqual(['2020-01-13T00:00:00-05:00']);
    expect(f['og:title']).toEqual(['L’AIMQ actualise sa mission et ses orientations stratégiques']);
    const e = metaOf(en);
    expect(e['og:type']).toEqual(['article']);
    expect(e['og:locale']).toEqual(['en_CA']);
    expect(e['og:locale:alternate']).toEqual(['fr_CA']);
    expect(e['article:published_time']).toEqual(['2020-01-13T00:00:00-05:00']);
  });

  it('the release line, headline and the dateline at the start of the first paragraph', async () => {
    expect(fr).toMatch(/>POUR DIFFUSION IMMÉDIATE</);
    expect(en).toMatch(/>FOR IMMEDIATE RELEASE</);
    expect(fr).toMatch(/<h1>L’AIMQ actualise sa mission et ses orientations stratégiques<\/h1>/);
    expect(en).toMatch(/<h1>AIMQ updates its mission and strategic directions<\/h1>/);
    const frFirst = /^\s*<p>([\s\S]*?)<\/p>/.exec(bodyOf(fr));
    expect(frFirst).not.toBeNull();
    expect(
      textOf(frFirst![1]!).startsWith(
        `Montréal, le 13${NBSP}janvier${NBSP}2020${NBSP}– L’Association des ingénieurs municipaux`,
      ),
    ).toBe(true);
    const enFirst = /^\s*<p>([\s\S]*?)<\/p>/.exec(bodyOf(en));
    expect(enFirst).not.toBeNull();
    expect(
      textOf(enFirst![1]!).startsWith(
        `MONTREAL, January${NBSP}13, 2020${NBSP}– The Association des ingénieurs municipaux`,
      ),
    ).toBe(true);
  });

  it('the end mark, the contact block and the boilerplate', async () => {
    for (const html of [fr, en]) {
      expect(html).toMatch(/>-30-</);
      expect(tagsOf(html, 'a').map((a) => a.href)).toContain('mailto:communications@aimq.net');
    }
    expect(fr).toMatch(new RegExp(`<h2[^>]*>Source${NBSP}:</h2>`));
    expect(en).toMatch(/<h2[^>]*>Source:<\/h2>/);
    expect(fr).toMatch(/<h2[^>]*>À propos de l’AIMQ<\/h2>/);
    expect(en).toMatch(/<h2[^>]*>About AIMQ<\/h2>/);
    expect(fr).toContain('L’Association des ingénieurs municipaux du Québec (AIMQ) regroupe les ingénieurs');
    expect(en).toContain('The Association des ingénieurs municipaux du Québec (AIMQ) brings together');
    // The end mark comes after the body, and the contacts after the end mark.
    expect(fr.indexOf('-30-')).toBeGreaterThan(fr.indexOf('conclut M. Lanciault'));
    expect(fr.indexOf(`Source${NBSP}:`)).toBeGreaterThan(fr.indexOf('-30-'));
  });

  it('French typography in the French page, curly quotes in the English one', async () => {
    const frBody = bodyOf(fr);
    expect(frBody).toContain(`«${NBSP}Pour assurer`);
    expect(frBody).toContain(`actions${NBSP}»`);
    expect(frBody.match(new RegExp(`${NNBSP};</li>`, 'g'))).toHaveLength(3);
    expect(frBody).toContain(`comme suit${NBSP}:`);
    expect(frBody).not.toMatch(/ [;:!?]/);
    expect(textOf(frBody)).not.toMatch(/['"]/);
    expect(frBody).toContain('L’exercice s’est amorcé');
    const enBody = bodyOf(en);
    expect(enBody).toContain('“To ensure organizational consistency');
    expect(enBody).toContain('will be based,” said Jean Lanciault');
    expect(textOf(enBody)).not.toMatch(/['"]/);
    expect(enBody).toContain('organization’s position');
  });

  it('the Atom feeds parse, with one entry each at the page’s absolute URL', async () => {
    for (const [lang, url, title] of [
      ['fr', FR_URL, 'L’AIMQ actualise sa mission et ses orientations stratégiques'],
      ['en', EN_URL, 'AIMQ updates its mission and strategic directions'],
    ] as const) {
      const { feed } = feedOf(readText(out, `${lang}/feed.xml`));
      expect(feed['@_xmlns']).toBe('http://www.w3.org/2005/Atom');
      expect(feed.id).toBe(`${BASE_URL}/${lang}/`);
      expect(feed.title).toBeTruthy();
      expect(feed.updated).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$/);
      expect(feed.link.find((l) => l['@_rel'] === 'self')?.['@_href']).toBe(`${BASE_URL}/${lang}/feed.xml`);
      expect(feed.entry).toHaveLength(1);
      const entry = feed.entry![0]!;
      expect(entry.id).toBe(url);
      expect(entry.link.map((l) => l['@_href'])).toEqual([url]);
      expect(entry.title).toBe(title);
      expect(entry.published).toBe('2020-01-13T00:00:00-05:00');
    }
  });

  it('the sitemap parses, with fr-CA, en-CA and x-default alternates for each release URL', async () => {
    const { urlset } = sitemapOf(readText(out, 'sitemap.xml'));
    expect(urlset['@_xmlns']).toBe('http://www.sitemaps.org/schemas/sitemap/0.9');
    expect(urlset['@_xmlns:xhtml']).toBe('http://www.w3.org/1999/xhtml');
    const urls = urlset.url ?? [];
    const archive = ['2020', 'sujets/gouvernance', 'sujets/mission'].flatMap((p) => [
      `${BASE_URL}/fr/${p}/`,
      `${BASE_URL}/en/${p.replace('sujets', 'topics')}/`,
    ]);
    expect(urls.map((u) => u.loc).sort()).toEqual(
      [`${BASE_URL}/en/`, `${BASE_URL}/fr/`, EN_URL, FR_URL, ...archive].sort(),
    );
    for (const loc of [FR_URL, EN_URL]) {
      const u = urls.find((x) => x.loc === loc)!;
      const alts = Object.fromEntries(u['xhtml:link'].map((l) => [l['@_hreflang'], l['@_href']]));
      expect(alts).toEqual({ 'fr-CA': FR_URL, 'en-CA': EN_URL, 'x-default': FR_URL });
      for (const l of u['xhtml:link']) expect(l['@_rel']).toBe('alternate');
    }
  });

  it('the indexes list the release, newest first, in their language', async () => {
    const frIndex = readText(out, 'fr/index.html');
    const enIndex = readText(out, 'en/index.html');
    expect(tagsOf(frIndex, 'a').map((a) => a.href)).toContain('../fr/2020-01-13-mission-aimq/');
    expect(frIndex).toContain('L’AIMQ actualise sa mission et ses orientations stratégiques');
    expect(tagsOf(enIndex, 'a').map((a) => a.href)).toContain('../en/2020-01-13-aimq-updates-its-mission/');
    expect(enIndex).toContain('AIMQ updates its mission and strategic directions');
    const chooser = readText(out, 'index.html');
    expect(tagsOf(chooser, 'a').map((a) => a.href)).toEqual(expect.arrayContaining(['fr/', 'en/']));
  });

  it('words that templates join keep their spaces (titles, footer)', async () => {
    const chooserTitle = /<title>([^<]*)<\/title>/.exec(readText(out, 'index.html'))![1];
    expect(chooserTitle).toBe('Communiqués de presse / News releases — AIMQ');
    const footer = (html: string) => textOf(/<footer[\s\S]*?<\/footer>/.exec(html)![0]).trim();
    expect(footer(readText(out, 'fr/index.html'))).toBe('Communiqués de presse · Fil Atom');
    expect(footer(en)).toBe('News releases · Atom feed');
  });
});

// ---------------------------------------------------------------------------------------

const EMBARGO_ID = '2026-12-01-embargo-test';
const EMBARGO_EN_SLUG = '2026-12-01-zorglub-announcement';
const EMBARGO_MARKERS = [EMBARGO_ID, EMBARGO_EN_SLUG, 'zorglub', 'photo-conseil'];

/** The sample plus a release under embargo until 2026-12-01 10:00 (Montréal), with an image. */
function embargoProject(): string {
  const dir = sampleProject();
  writeFiles(dir, {
    [`releases/${EMBARGO_ID}/fr.md`]: [
      '---',
      'title: Annonce Zorglub sous embargo',
      'date: 2026-12-01',
      'place: Québec',
      'embargo: 2026-12-01T10:00:00-05:00',
      'contacts:',
      '  - name: Danielle Boucher',
      '    role: conseillère en communication',
      '    email: communications@aimq.net',
      'image:',
      '  src: photo-conseil.png',
      '  alt: Le conseil d’administration réuni',
      '---',
      'Le conseil annonce une nouvelle importante.',
      '',
    ].join('\n'),
    [`releases/${EMBARGO_ID}/en.md`]: [
      '---',
      'title: Zorglub announcement under embargo',
      `slug: ${EMBARGO_EN_SLUG}`,
      'contacts:',
      '  - role: communications adviser',
      'image:',
      '  alt: The board of directors in session',
      '---',
      'The board announces important news.',
      '',
    ].join('\n'),
    [`releases/${EMBARGO_ID}/photo-conseil.png`]: TINY_PNG,
  });
  return dir;
}

/** Every output file (path or content) that mentions the embargoed release. */
function mentions(out: string): string[] {
  return listFiles(out).filter((f) => {
    const text = readFileSync(join(out, f), 'latin1').toLowerCase();
    return EMBARGO_MARKERS.some((m) => f.toLowerCase().includes(m) || text.includes(m));
  });
}

const EMBARGO_FR_PAGE = `fr/${EMBARGO_ID}/index.html`;
const EMBARGO_EN_PAGE = `en/${EMBARGO_EN_SLUG}/index.html`;
const EMBARGO_ASSET = `assets/${EMBARGO_ID}/photo-conseil.png`;

describe('embargo', () => {
  it('before the embargo lifts, the release appears nowhere', async () => {
    const dir = embargoProject();
    expect((await cli(['release', 'check'], dir)).status).toBe(0);
    const r = await build(dir, ['--now', '2026-12-01T09:59:00-05:00']);
    const out = join(dir, 'public');
    expect(mentions(out)).toEqual([]);
    expect(existsSync(join(out, SAMPLE_FR_PAGE))).toBe(true);
    expect(r.stdout).toBe(`public/${SAMPLE_FR_PAGE}\n`);
    expect(feedOf(readText(out, 'fr/feed.xml')).feed.entry).toHaveLength(1);
  });

  it('once it lifts, the release is everywhere', async () => {
    const dir = embargoProject();
    await build(dir, ['--now', '2026-12-01T10:00:00-05:00']);
    const out = join(dir, 'public');
    for (const f of [EMBARGO_FR_PAGE, EMBARGO_EN_PAGE]) expect(existsSync(join(out, f)), f).toBe(true);
    expect(readFileSync(join(out, EMBARGO_ASSET))).toEqual(TINY_PNG);
    const frPage = readText(out, EMBARGO_FR_PAGE);
    // Built once the embargo has passed, it reads as released.
    expect(frPage).toContain('POUR DIFFUSION IMMÉDIATE');
    expect(frPage).not.toContain('SOUS EMBARGO JUSQU’AU');
    expect(frPage).not.toContain('noindex');
    expect(tagsOf(frPage, 'img')).toContainEqual(
      expect.objectContaining({ src: `../../${EMBARGO_ASSET}`, alt: 'Le conseil d’administration réuni' }),
    );
    expect(readText(out, 'fr/index.html')).toContain('Annonce Zorglub sous embargo');
    expect(readText(out, 'en/index.html')).toContain('Zorglub announcement under embargo');
    expect(feedOf(readText(out, 'fr/feed.xml')).feed.entry!.map((e) => e.id)).toContain(
      `${BASE_URL}/${EMBARGO_FR_PAGE.replace(/index\.html$/, '')}`,
    );
    expect(feedOf(readText(out, 'en/feed.xml')).feed.entry!.map((e) => e.id)).toContain(
      `${BASE_URL}/${EMBARGO_EN_PAGE.replace(/index\.html$/, '')}`,
    );
    const locs = (sitemapOf(readText(out, 'sitemap.xml')).urlset.url ?? []).map((u) => u.loc);
    expect(locs).toContain(`${BASE_URL}/fr/${EMBARGO_ID}/`);
    expect(locs).toContain(`${BASE_URL}/en/${EMBARGO_EN_SLUG}/`);
  });

  it('once it lifts, every published time of the page and the feed agrees', async () => {
    const dir = embargoProject();
    await build(dir, ['--now', '2026-12-02T10:00:00-05:00']);
    const out = join(dir, 'public');
    const frPage = readText(out, EMBARGO_FR_PAGE);
    const published = jsonLdOf(frPage).datePublished;
    expect(published).toBe('2026-12-01T10:00:00-05:00');
    expect(metaOf(frPage)['article:published_time']).toEqual([published]);
    const entry = feedOf(readText(out, 'fr/feed.xml')).feed.entry!.find(
      (e) => e.id === `${BASE_URL}/fr/${EMBARGO_ID}/`,
    );
    expect(entry?.published).toBe(published);
  });

  it('--include-embargoed builds a marked, noindex preview that stays out of feeds and sitemap', async () => {
    const dir = embargoProject();
    await build(dir, ['--now', '2026-11-28T12:00:00-05:00', '--include-embargoed']);
    const out = join(dir, 'public');
    const frPage = readText(out, EMBARGO_FR_PAGE);
    const enPage = readText(out, EMBARGO_EN_PAGE);
    expect(frPage).toContain('SOUS EMBARGO — aperçu');
    expect(enPage).toContain('EMBARGOED — preview');
    for (const page of [frPage, enPage])
      expect(tagsOf(page, 'meta')).toContainEqual({ name: 'robots', content: 'noindex, nofollow' });
    expect(existsSync(join(out, EMBARGO_ASSET))).toBe(true);
    expect(readText(out, 'fr/index.html')).toContain('Annonce Zorglub sous embargo');
    expect(readText(out, 'en/index.html')).toContain('Zorglub announcement under embargo');
    // The public pages are not marked.
    expect(readText(out, SAMPLE_FR_PAGE)).not.toContain('noindex');
    expect(mentions(out).filter((f) => ['fr/feed.xml', 'en/feed.xml', 'sitemap.xml'].includes(f))).toEqual(
      [],
    );
    expect(feedOf(readText(out, 'fr/feed.xml')).feed.entry!.map((e) => e.id)).toEqual([FR_URL]);
    expect(feedOf(readText(out, 'en/feed.xml')).feed.entry!.map((e) => e.id)).toEqual([EN_URL]);
  });

  it('a later build where the embargo applies again removes the release’s files', async () => {
    const dir = embargoProject();
    await build(dir, ['--now', '2026-12-02T09:00:00-05:00']);
    const out = join(dir, 'public');
    expect(mentions(out).length).toBeGreaterThan(0);
    const r = await build(dir, ['--now', '2026-12-01T09:00:00-05:00']);
    expect(mentions(out)).toEqual([]);
    expect(existsSync(join(out, `fr/${EMBARGO_ID}`))).toBe(false);
    expect(existsSync(join(out, `assets/${EMBARGO_ID}`))).toBe(false);
    expect(existsSync(join(out, SAMPLE_FR_PAGE))).toBe(true);
    expect(r.stderr).toMatch(/\b\d+ removed\b/);
  });

  it('a preview build followed by a public build in the same folder drops the preview', async () => {
    const dir = embargoProject();
    await build(dir, ['--now', '2026-11-28T12:00:00-05:00', '--include-embargoed']);
    const out = join(dir, 'public');
    expect(existsSync(join(out, EMBARGO_FR_PAGE))).toBe(true);
    await build(dir, ['--now', '2026-11-28T12:00:00-05:00']);
    expect(mentions(out)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------

describe('safety', () => {
  it('raw HTML, scripts and javascript: URLs never reach a page; the title is escaped', async () => {
    const dir = sampleProject();
    const id = '2026-11-01-securite';
    writeFiles(dir, {
      [`releases/${id}/fr.md`]: [
        '---',
        `title: '<b>Bold</b> & "quotes" dans le titre'`,
        'date: 2026-11-01',
        'place: Montréal',
        'contacts:',
        '  - name: Danielle Boucher',
        '    email: communications@aimq.net',
        '---',
        'Premier paragraphe.',
        '',
        '<script>alert(1)</script>',
        '',
        '<iframe src=x></iframe>',
        '',
        'Texte <img src=x onerror=alert(1)> ici.',
        '',
        '[click](javascript:alert(1))',
        '',
      ].join('\n'),
      [`releases/${id}/en.md`]: [
        '---',
        `title: '<b>Bold</b> & "quotes" in the title'`,
        '---',
        'First paragraph.',
        '',
        '<script>alert(1)</script>',
        '',
        '<iframe src=x></iframe>',
        '',
        'Text <img src=x onerror=alert(1)> here.',
        '',
        '[click](javascript:alert(1))',
        '',
      ].join('\n'),
    });
    await build(dir, ['--now', NOW]);
    const out = join(dir, 'public');
    const pages = [`fr/${id}/index.html`, `en/${id}/index.html`];
    for (const f of [...pages, 'fr/index.html', 'en/index.html', 'fr/feed.xml', 'en/feed.xml']) {
      const text = readText(out, f).toLowerCase();
      for (const bad of ['<script>alert', '<iframe', 'onerror', 'javascript:', '<b>bold'])
        expect(text, `${bad} in ${f}`).not.toContain(bad);
    }
    const frPage = readText(out, pages[0]!);
    expect(frPage).toMatch(/<h1>&lt;b&gt;Bold&lt;\/b&gt; &amp; «\u00A0quotes\u00A0» dans le titre<\/h1>/);
    expect(/<title>([^<]*)<\/title>/.exec(frPage)![1]).toContain('&lt;b&gt;Bold&lt;/b&gt; &amp;');
    expect(jsonLdOf(frPage).headline).toBe('<b>Bold</b> & «\u00A0quotes\u00A0» dans le titre');
    expect(readText(out, pages[1]!)).toMatch(
      /<h1>&lt;b&gt;Bold&lt;\/b&gt; &amp; “quotes” in the title<\/h1>/,
    );
    expect(feedOf(readText(out, 'fr/feed.xml')).feed.entry!.map((e) => e.title)).toContain(
      '<b>Bold</b> & «\u00A0quotes\u00A0» dans le titre',
    );
    expect(bodyOf(frPage)).toContain('Premier paragraphe.');
    expect(bodyOf(frPage)).toContain('>click</a>');
    expect(nuCheck(pages.map((p) => join(out, p))).filter((m) => m.type === 'error')).toEqual([]);
  });

  it('a French-only release is listed in the English newsroom with a note, and the index stays valid', async () => {
    const dir = sampleProject();
    const id = '2026-11-02-francais-seulement';
    writeFiles(dir, {
      [`releases/${id}/fr.md`]: readText(dir, SAMPLE_FR)
        .replace("title: L'AIMQ actualise", "title: Seulement en français, l'AIMQ actualise")
        .replace('date: 2020-01-13', 'date: 2026-11-02'),
    });
    await build(dir, ['--now', NOW]);
    const out = join(dir, 'public');
    const enIndex = readText(out, 'en/index.html');
    const link = tagsOf(enIndex, 'a').find((a) => a.href === `../fr/${id}/`);
    expect(link).toEqual(expect.objectContaining({ lang: 'fr-CA', hreflang: 'fr-CA' }));
    expect(textOf(enIndex)).toContain('French only');
    expect(existsSync(join(out, `en/${id}`))).toBe(false);
    expect(readText(out, `fr/${id}/index.html`)).toContain('en français seulement');
    expect(
      nuCheck([
        join(out, 'en/index.html'),
        join(out, 'fr/index.html'),
        join(out, `fr/${id}/index.html`),
      ]).filter((m) => m.type === 'error'),
    ).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------

const SECOND_ID = '2026-11-15-second';
const SECOND_FR = `fr/${SECOND_ID}/index.html`;
const SECOND_EN = `en/${SECOND_ID}/index.html`;

/** The sample plus a second valid release with a summary in both editions. */
function twoReleases(): string {
  const dir = sampleProject();
  writeFiles(dir, {
    [`releases/${SECOND_ID}/fr.md`]: [
      '---',
      'title: Un deuxième communiqué',
      'date: 2026-11-15',
      'place: Québec',
      'contacts:',
      '  - name: Danielle Boucher',
      '    email: communications@aimq.net',
      'summary: Le résumé du deuxième communiqué.',
      '---',
      'Le premier paragraphe du deuxième communiqué.',
      '',
      'Le dernier paragraphe.',
      '',
    ].join('\n'),
    [`releases/${SECOND_ID}/en.md`]: [
      '---',
      'title: A second release',
      'summary: The summary of the second release.',
      '---',
      'The first paragraph of the second release.',
      '',
      'The last paragraph.',
      '',
    ].join('\n'),
  });
  return dir;
}

const changed = (before: Record<string, number>, after: Record<string, number>) =>
  Object.keys(after)
    .filter((f) => before[f] !== after[f])
    .sort();

describe('incremental builds', () => {
  it('a second build with no change writes nothing', async () => {
    const dir = twoReleases();
    await build(dir, ['--now', NOW]);
    const out = join(dir, 'public');
    const before = mtimes(out);
    const r = await build(dir, ['--now', NOW]);
    expect(r.stderr).toMatch(/\b0 file\(s\) written\b/);
    expect(mtimes(out)).toEqual(before);
  });

  it('editing one release rewrites its pages only, and at most the lists', async () => {
    const dir = twoReleases();
    await build(dir, ['--now', NOW]);
    const out = join(dir, 'public');
    const before = mtimes(out);
    const sampleBefore = readText(out, SAMPLE_FR_PAGE);
    const frFile = `releases/${SECOND_ID}/fr.md`;
    writeFileSync(
      join(dir, frFile),
      readText(dir, frFile).replace('Le dernier paragraphe.', 'Le tout dernier paragraphe, modifié.'),
    );
    await build(dir, ['--now', NOW]);
    const after = mtimes(out);
    const allowed = [
      SECOND_FR,
      SECOND_EN,
      'fr/index.html',
      'en/index.html',
      'fr/feed.xml',
      'en/feed.xml',
      'sitemap.xml',
      'index.html',
    ];
    // The edited release's own files (its e-mail copies too) may change; nothing of the other one.
    expect(changed(before, after).filter((f) => !allowed.includes(f) && !f.includes(SECOND_ID))).toEqual([]);
    for (const f of Object.keys(before).filter((f) => f.includes(SAMPLE_ID)))
      expect(after[f], f).toBe(before[f]);
    expect(changed(before, after)).toContain(SECOND_FR);
    expect(readText(out, SECOND_FR)).toContain('Le tout dernier paragraphe, modifié.');
    for (const f of [SAMPLE_FR_PAGE, SAMPLE_EN_PAGE, 'assets/style.css', 'assets/print.css'])
      expect(after[f], f).toBe(before[f]);
    expect(readText(out, SAMPLE_FR_PAGE)).toBe(sampleBefore);
  });

  it('a release that is gone has its files removed', async () => {
    const dir = twoReleases();
    await build(dir, ['--now', NOW]);
    const out = join(dir, 'public');
    expect(existsSync(join(out, SECOND_FR))).toBe(true);
    rmSync(join(dir, 'releases', SECOND_ID), { recursive: true });
    await build(dir, ['--now', NOW]);
    expect(existsSync(join(out, `fr/${SECOND_ID}`))).toBe(false);
    expect(existsSync(join(out, `en/${SECOND_ID}`))).toBe(false);
    for (const f of listFiles(out)) expect(readText(out, f), f).not.toContain(SECOND_ID);
  });

  it('a project template override rebuilds every page with it', async () => {
    const dir = twoReleases();
    await build(dir, ['--now', NOW]);
    const out = join(dir, 'public');
    const packaged = readFileSync(join(PACKAGED, 'web/release.liquid'), 'utf8');
    expect(packaged).toContain('{% block main %}');
    writeFiles(dir, {
      'templates/web/release.liquid': packaged.replace(
        '{% block main %}',
        '{% block main %}\n<!-- aimq-test-override-marker -->',
      ),
    });
    const r = await build(dir, ['--now', NOW]);
    for (const f of [SAMPLE_FR_PAGE, SAMPLE_EN_PAGE, SECOND_FR, SECOND_EN])
      expect(readText(out, f), f).toContain('<!-- aimq-test-override-marker -->');
    expect(r.stderr).toMatch(/\b4 file\(s\) written\b/);
    expect(readText(out, 'fr/index.html')).not.toContain('aimq-test-override-marker');
  });

  it('an e-mail template override rebuilds the e-mail copies, and only them', async () => {
    const dir = twoReleases();
    await build(dir, ['--now', NOW]);
    const out = join(dir, 'public');
    const packaged = readFileSync(join(PACKAGED, 'email/footer.mjml'), 'utf8');
    writeFiles(dir, {
      'templates/email/footer.mjml': packaged.replace(
        '{% for f in footers %}',
        'aimq-email-override-marker {% for f in footers %}',
      ),
    });
    const r = await build(dir, ['--now', NOW]);
    expect(r.status).toBe(0);
    for (const edition of ['fr', 'en', 'bilingual'])
      expect(readText(out, `email/2020-01-13-mission-aimq/${edition}.html`), edition).toContain(
        'aimq-email-override-marker',
      );
    expect(readText(out, SAMPLE_FR_PAGE)).not.toContain('aimq-email-override-marker');
    // Three editions of each of the two releases.
    expect(r.stderr).toMatch(/\b6 file\(s\) written\b/);
  });

  it('an undefined variable in a template override: exit 2 naming the file and line', async () => {
    const dir = twoReleases();
    const packaged = readFileSync(join(PACKAGED, 'web/release.liquid'), 'utf8');
    const text = packaged.replace('{% block main %}', '{% block main %}\n<p>{{ nope }}</p>');
    const line = text.split('\n').findIndex((l) => l.includes('{{ nope }}')) + 1;
    writeFiles(dir, { 'templates/web/release.liquid': text });
    const r = await cli(['release', 'build', '--now', NOW], dir);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      new RegExp(`^templates/web/release\\.liquid:${line}:\\d+ error: .*nope.*\\[AIMQ-TEMPLATE\\]$`, 'm'),
    );
  });
});
