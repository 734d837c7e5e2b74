import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BuildResult } from '../build/build.js';
import { unwritable } from '../build/output.js';
import type { Config } from '../model/config.js';
import { findBrowser } from './browser.js';
import { takeScreenshots, type Shot, type ShotSize } from './screenshots.js';

export interface PreviewOptions {
  /** Absolute output folder of the build. */
  out: string;
  /** How the output folder is named in messages. */
  shownOut: string;
  /** AIMQ_CHROME may name the browser executable. */
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
}

export interface PreviewResult {
  screenshots: number;
  /** Why no screenshots were taken (no browser found, or it failed to start); undefined when they were. */
  missingBrowser?: string;
}

/** Widths of the screenshots, in CSS pixels (device pixel ratio 1). */
export const PAGE_WIDTHS = [1280, 375] as const;
export const EMAIL_WIDTHS = [600, 375] as const;

/** Folder of the gallery inside the output folder. */
export const PREVIEW_DIR = '_preview';

interface Label {
  text: string;
  lang: string;
  /** Alt text of a screenshot at `width`. */
  alt: (width: number) => string;
}

interface GalleryShot {
  width: number;
  /** Relative to the gallery folder, with `/`. */
  rel: string;
  abs: string;
}

interface Item {
  kind: 'page' | 'email';
  /** Language of a page, edition of an e-mail (fr, en, bilingual). */
  key: string;
  /** Relative to the output folder. */
  path: string;
  /** The e-mail's text twin, relative to the output folder, when it exists. */
  txt?: string;
  shots: GalleryShot[];
}

interface ReleaseGroup {
  id: string;
  pages: Item[];
  emails: Item[];
}

/** Writes <out>/_preview/index.html (a gallery of every release with links to its pages and e-mail editions) and PNG screenshots. */
export async function writePreview(
  config: Config,
  result: BuildResult,
  options: PreviewOptions,
): Promise<PreviewResult> {
  const dir = join(options.out, PREVIEW_DIR);
  try {
    // Screenshots of an earlier build would not match this one.
    rmSync(join(dir, 'screenshots'), { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw unwritable(options.shownOut, PREVIEW_DIR, err);
  }

  const groups = groupReleases(result, options.out);
  const shots: Shot[] = groups
    .flatMap((g) => [...g.pages, ...g.emails])
    .flatMap((item) =>
      item.shots.map((s) => ({
        url: pathToFileURL(join(options.out, item.path)).href,
        width: s.width,
        file: s.abs,
      })),
    );

  let taken = new Map<string, ShotSize>();
  let missingBrowser: string | undefined;
  let executable: string | undefined;
  if (shots.length) {
    const lookup = findBrowser(options.env);
    if ('missing' in lookup) {
      missingBrowser = lookup.missing;
    } else {
      executable = lookup.executable;
      const shot = await takeScreenshots(lookup.executable, shots);
      taken = shot.taken;
      missingBrowser = shot.failure;
    }
  }

  try {
    writeFileSync(join(dir, 'index.html'), galleryHtml(config, groups, taken, options, missingBrowser));
  } catch (err) {
    throw unwritable(options.shownOut, `${PREVIEW_DIR}/index.html`, err);
  }
  if (taken.size)
    options.log(
      `Preview: ${taken.size} screenshot(s) taken with ${executable} into ${options.shownOut}/${PREVIEW_DIR}/screenshots/.`,
    );
  return missingBrowser === undefined
    ? { screenshots: taken.size }
    : { screenshots: taken.size, missingBrowser };
}

function groupReleases(result: BuildResult, out: string): ReleaseGroup[] {
  const byId = new Map<string, ReleaseGroup>();
  const group = (id: string): ReleaseGroup => {
    let g = byId.get(id);
    if (!g) {
      g = { id, pages: [], emails: [] };
      byId.set(id, g);
    }
    return g;
  };
  const shotsFor = (release: string, name: string, widths: readonly number[]): GalleryShot[] =>
    widths.map((width) => {
      const rel = `screenshots/${safeName(release)}/${name}-${width}.png`;
      return { width, rel, abs: join(out, PREVIEW_DIR, ...rel.split('/')) };
    });
  for (const p of result.pages) {
    group(p.release).pages.push({
      kind: 'page',
      key: p.lang,
      path: p.path,
      shots: shotsFor(p.release, `page-${safeName(p.lang)}`, PAGE_WIDTHS),
    });
  }
  for (const e of result.emails) {
    const txt = e.path.replace(/\.html$/, '.txt');
    const item: Item = {
      kind: 'email',
      key: e.edition,
      path: e.path,
      shots: shotsFor(e.release, `email-${safeName(e.edition)}`, EMAIL_WIDTHS),
    };
    if (txt !== e.path && existsSync(join(out, txt))) item.txt = txt;
    group(e.release).emails.push(item);
  }
  const editionOrder = (key: string) => (key === 'bilingual' ? 99 : 0);
  for (const g of byId.values()) g.emails.sort((a, b) => editionOrder(a.key) - editionOrder(b.key));
  // Newest first, as in the newsroom (release folders start with their date).
  return [...byId.values()].sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}

function galleryHtml(
  config: Config,
  groups: ReleaseGroup[],
  taken: Map<string, ShotSize>,
  options: PreviewOptions,
  missingBrowser: string | undefined,
): string {
  const org =
    config.organization.name.fr ??
    config.organization.name[config.languages[0] ?? 'fr'] ??
    config.organization.shortName;
  const count = taken.size;
  const lines: string[] = [
    '<!DOCTYPE html>',
    '<html lang="fr-CA">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="robots" content="noindex">',
    `<title>Aperçu des communiqués — ${esc(org)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<header>',
    '<h1>Aperçu des communiqués <span lang="en-CA">/ News release preview</span></h1>',
    `<p>${esc(org)}. Construit dans <code>${esc(options.shownOut)}/</code>\u00A0: ${groups.length} communiqué(s), ${count} capture(s) d’écran. <span lang="en-CA">Built into <code>${esc(options.shownOut)}/</code>: ${groups.length} release(s), ${count} screenshot(s).</span></p>`,
  ];
  if (missingBrowser !== undefined) {
    lines.push(
      `<p class="note">Pas de captures d’écran. <span lang="en-CA">No screenshots: ${esc(missingBrowser)}.</span></p>`,
    );
  }
  const site: string[] = [];
  if (existsSync(join(options.out, 'index.html')))
    site.push(
      '<li><a href="../index.html">Choix de la langue <span lang="en-CA">/ Language chooser</span></a></li>',
    );
  for (const lang of config.languages) {
    if (!existsSync(join(options.out, lang, 'index.html'))) continue;
    const l = langTag(lang);
    const text =
      lang === 'fr'
        ? 'Salle de presse (français)'
        : lang === 'en'
          ? 'Newsroom (English)'
          : `Newsroom (${lang})`;
    site.push(
      `<li><a href="${href(`${lang}/index.html`)}" hreflang="${esc(l)}"${l === 'fr-CA' ? '' : ` lang="${esc(l)}"`}>${esc(text)}</a></li>`,
    );
  }
  if (site.length) lines.push('<nav aria-label="Site">', '<ul class="site">', ...site, '</ul>', '</nav>');
  lines.push('</header>', '<main>');
  if (!groups.length)
    lines.push('<p>Aucun communiqué construit. <span lang="en-CA">No release was built.</span></p>');
  for (const g of groups) lines.push(...releaseSection(g, taken, options.out));
  lines.push('</main>', '</body>', '</html>', '');
  return lines.join('\n');
}

function releaseSection(g: ReleaseGroup, taken: Map<string, ShotSize>, out: string): string[] {
  const anchor = `r-${g.id.replace(/[^A-Za-z0-9_-]/g, '-')}`;
  const titles = g.pages
    .map((p) => ({ lang: langTag(p.key), title: pageTitle(join(out, p.path)) }))
    .filter((t): t is { lang: string; title: string } => t.title !== undefined);
  const [first, ...others] = titles;
  const lines = [`<section class="release" aria-labelledby="${esc(anchor)}">`];
  lines.push(
    first
      ? `<h2 id="${esc(anchor)}"${langAttr(first.lang)}>${esc(first.title)}</h2>`
      : `<h2 id="${esc(anchor)}"><code>${esc(g.id)}</code></h2>`,
  );
  for (const t of others) lines.push(`<p class="other-title"${langAttr(t.lang)}>${esc(t.title)}</p>`);
  if (first) lines.push(`<p class="id"><code>${esc(g.id)}</code></p>`);
  if (g.pages.length) {
    lines.push('<h3>Pages web <span lang="en-CA">/ Web pages</span></h3>', '<div class="items">');
    for (const p of g.pages) lines.push(...itemHtml(p, taken));
    lines.push('</div>');
  }
  if (g.emails.length) {
    lines.push(
      '<h3>Éditions courriel <span lang="en-CA">/ E-mail editions</span></h3>',
      '<div class="items">',
    );
    for (const e of g.emails) lines.push(...itemHtml(e, taken));
    lines.push('</div>');
  }
  lines.push('</section>');
  return lines;
}

function itemHtml(item: Item, taken: Map<string, ShotSize>): string[] {
  const label = labelFor(item);
  const lines = [
    `<div class="item"${langAttr(label.lang)}>`,
    `<h4>${esc(label.text)}</h4>`,
    '<ul class="links">',
  ];
  const hreflang =
    item.kind === 'page' ? langTag(item.key) : item.key === 'bilingual' ? undefined : langTag(item.key);
  const linkLang = hreflang ? ` hreflang="${esc(hreflang)}"` : '';
  lines.push(`<li><a href="${href(item.path)}"${linkLang}><code>${esc(item.path)}</code></a></li>`);
  if (item.txt !== undefined)
    lines.push(
      `<li><a href="${href(item.txt)}"${linkLang} type="text/plain"><code>${esc(item.txt)}</code></a></li>`,
    );
  lines.push('</ul>');
  const figures = item.shots.flatMap((s) => {
    const size = taken.get(s.abs);
    if (!size) return [];
    const thumb = Math.round(s.width * (s.width >= 1000 ? 0.25 : 0.4));
    return [
      `<figure style="width:${thumb}px">`,
      `<a href="${esc(s.rel)}"><img src="${esc(s.rel)}" alt="${esc(label.alt(s.width))}" width="${size.width}" height="${size.height}" loading="lazy"></a>`,
      `<figcaption>${s.width} px</figcaption>`,
      '</figure>',
    ];
  });
  if (figures.length) lines.push('<div class="shots">', ...figures, '</div>');
  lines.push('</div>');
  return lines;
}

function labelFor(item: Item): Label {
  if (item.kind === 'page') {
    if (item.key === 'fr')
      return { text: 'Page française', lang: 'fr-CA', alt: (w) => `Page française, largeur ${w} px` };
    if (item.key === 'en')
      return { text: 'English page', lang: 'en-CA', alt: (w) => `English page, ${w} px wide` };
    return { text: `Page (${item.key})`, lang: 'fr-CA', alt: (w) => `Page (${item.key}), largeur ${w} px` };
  }
  if (item.key === 'fr')
    return { text: 'Courriel français', lang: 'fr-CA', alt: (w) => `Courriel français, largeur ${w} px` };
  if (item.key === 'en')
    return { text: 'English e-mail', lang: 'en-CA', alt: (w) => `English e-mail, ${w} px wide` };
  if (item.key === 'bilingual')
    return { text: 'Courriel bilingue', lang: 'fr-CA', alt: (w) => `Courriel bilingue, largeur ${w} px` };
  return {
    text: `Courriel (${item.key})`,
    lang: 'fr-CA',
    alt: (w) => `Courriel (${item.key}), largeur ${w} px`,
  };
}

/** The release page's headline (its first h1), as text; undefined when it cannot be read. */
function pageTitle(file: string): string | undefined {
  let html: string;
  try {
    html = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const m = /<h1\b[^>]*>([\s\S]*?)<\/h1>/i.exec(html);
  if (!m) return undefined;
  const text = decodeEntities(m[1]!.replace(/<[^>]*>/g, ''))
    .replace(/\s+/g, ' ')
    .trim();
  return text || undefined;
}

const NAMED: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00A0',
};

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (all, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : all;
    }
    return NAMED[ref.toLowerCase()] ?? all;
  });
}

function langTag(lang: string): string {
  return lang === 'fr' ? 'fr-CA' : lang === 'en' ? 'en-CA' : lang;
}

/** ` lang="…"` unless it is the document's language. */
function langAttr(tag: string): string {
  return tag === 'fr-CA' ? '' : ` lang="${esc(tag)}"`;
}

/** A relative link from the gallery folder to a file of the output folder, escaped for an attribute. */
function href(outPath: string): string {
  return esc(`../${outPath.split('/').map(encodeURIComponent).join('/')}`);
}

function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_') || '_';
}

function esc(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const STYLE = [
  ':root{color-scheme:light;--text:#1b1b1b;--muted:#4a4a4a;--accent:#0b4f8a;--rule:#c8c8c8}',
  'body{margin:0 auto;max-width:80rem;padding:0 1rem 2rem;font-family:system-ui,"Segoe UI",Roboto,Arial,sans-serif;line-height:1.5;color:var(--text);background:#fff}',
  'a{color:var(--accent)}',
  'h1{font-size:1.6rem}',
  '.note{background:#fff4d6;color:#5c3b00;padding:.5rem 1rem;border:2px solid currentColor}',
  'ul.site{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;list-style:none;padding:0}',
  '.release{border-top:1px solid var(--rule);margin-top:1.5rem}',
  '.other-title{font-size:1.15rem;font-weight:600;margin:-.5rem 0 0}',
  '.id{color:var(--muted)}',
  '.items{display:flex;flex-wrap:wrap;gap:1.5rem}',
  '.item{border:1px solid var(--rule);padding:0 1rem 1rem;max-width:100%}',
  '.links{padding-left:1.2rem;overflow-wrap:anywhere}',
  '.shots{display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-start}',
  'figure{margin:0;max-width:100%}',
  'figure img{display:block;width:100%;height:auto;max-height:30rem;object-fit:cover;object-position:top;border:1px solid var(--rule)}',
  'figcaption{color:var(--muted);font-size:.9rem}',
].join('\n');
