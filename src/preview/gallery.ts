import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BuildResult } from '../build/build.js';
import { unwritable } from '../build/output.js';
import type { Config } from '../model/config.js';
import type { Changes } from '../git/changed.js';
import type { BeforeBuild } from './before.js';
import { findBrowser } from './browser.js';
import { diffPngs } from './pixel-diff.js';
import { closeLaunch, type Launch } from './launch.js';
import { takeScreenshots, type Shot, type ShotSize } from './screenshots.js';
import { fmtEn, fmtFr, summaryMarkdown } from './summary.js';
import { counted, inLang, type Lang, langFromEnv, type Text } from '../i18n/text.js';

export interface PreviewOptions {
  /** Absolute output folder of the build. */
  out: string;
  /** How the output folder is named in messages. */
  shownOut: string;
  /** AIMQ_CHROME may name the browser executable. */
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
  /**
   * The user's language, for the log line and summary.md; when absent, read from `env` as
   * the CLI reads it (AIMQ_LANG, LC_ALL, LC_MESSAGES, LANG).
   */
  lang?: Lang;
  /**
   * With --changed-since or --compare: only these releases get screenshots (every one when
   * `changes.everything`), the others are listed; `before` is the build of the ref's
   * version to compare with (--compare).
   */
  since?: { ref: string; option: '--changed-since' | '--compare'; changes: Changes; before?: BeforeBuild };
  /** Browser pages taking screenshots at once (default: DEFAULT_PAGES). */
  pages?: number;
  /** A browser started while the site was built (see `launchBrowser`); closed here in every case. */
  launched?: { executable: string; launch: Promise<Launch> };
}

export interface PreviewResult {
  screenshots: number;
  /** Why no screenshots were taken (no browser found, or it failed to start); undefined when they were. */
  missingBrowser?: Text;
  /** Releases that got screenshots (changed ones, with --changed-since), removed ones included. */
  previewed: string[];
  /** Difference images written (--compare). */
  diffs: number;
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
  /** file: URL of the page or e-mail to screenshot. */
  url: string;
}

interface Item {
  kind: 'page' | 'email';
  /** Language of a page, edition of an e-mail (fr, en, bilingual). */
  key: string;
  /** Relative to the output folder; undefined for an edition the change removed. */
  path?: string;
  /** The e-mail's text twin, relative to the output folder, when it exists. */
  txt?: string;
  shots: GalleryShot[];
  /** Screenshots of the ref's version (--compare), at the same widths; empty for a new edition. */
  before: GalleryShot[];
}

interface ReleaseGroup {
  id: string;
  pages: Item[];
  emails: Item[];
  /** Screenshots are taken (every release, or a changed one). */
  selected: boolean;
  /** With --compare: whether the release is new or removed since the ref. */
  status?: 'new' | 'removed';
}

/** One comparison of a before and an after screenshot. */
export interface ShotDiff {
  changed: number;
  /** Total pixels compared (the padded size). */
  pixels: number;
  /** The difference image, relative to the gallery folder, when pixels changed. */
  rel?: string;
  width: number;
  height: number;
}

/**
 * Writes <out>/_preview/index.html (a gallery of every release with links to its pages and
 * e-mail editions), PNG screenshots and summary.md. With `since`, only the changed releases
 * get screenshots, and they come first; with `since.before`, each changed edition also
 * gets the ref's version and a difference image.
 */
export async function writePreview(
  config: Config,
  result: BuildResult,
  options: PreviewOptions,
): Promise<PreviewResult> {
  const dir = join(options.out, PREVIEW_DIR);
  const lang = options.lang ?? langFromEnv(options.env);
  try {
    // Screenshots of an earlier build would not match this one.
    rmSync(join(dir, 'screenshots'), { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw unwritable(options.shownOut, PREVIEW_DIR, err);
  }

  const groups = releaseGroups(result, options);
  const selected = groups.filter((g) => g.selected);
  const shots: Shot[] = selected
    .flatMap((g) => [...g.pages, ...g.emails])
    .flatMap((item) => [...item.shots, ...item.before])
    .map((s) => ({ url: s.url, width: s.width, file: s.abs }));

  // With --compare, each before/after pair is compared as soon as both are written, while
  // the browser takes the next shots: the JavaScript PNG work overlaps Chromium's.
  const diffs = new Map<string, ShotDiff>();
  const pairs = new Map<string, { before: GalleryShot; after: GalleryShot }>();
  if (options.since?.before) {
    for (const item of selected.flatMap((g) => [...g.pages, ...g.emails])) {
      for (const after of item.shots) {
        const before = item.before.find((b) => b.width === after.width);
        if (!before) continue;
        pairs.set(before.abs, { before, after });
        pairs.set(after.abs, { before, after });
      }
    }
  }
  const written = new Set<string>();
  const compare = (pair: { before: GalleryShot; after: GalleryShot }) => {
    if (diffs.has(pair.after.abs)) return;
    const rel = pair.after.rel.replace(/^screenshots\/([^/]+)\//, 'screenshots/$1/diff/');
    const d = diffPngs(pair.before.abs, pair.after.abs, join(dir, ...rel.split('/')));
    diffs.set(pair.after.abs, {
      changed: d.changed,
      pixels: d.width * d.height,
      width: d.width,
      height: d.height,
      ...(d.changed ? { rel } : {}),
    });
  };
  let diffFailure: unknown;
  const onShot = (file: string) => {
    written.add(file);
    const pair = pairs.get(file);
    if (!pair || !written.has(pair.before.abs) || !written.has(pair.after.abs)) return;
    try {
      compare(pair);
    } catch (err) {
      diffFailure ??= err;
    }
  };

  let taken = new Map<string, ShotSize>();
  let missingBrowser: Text | undefined;
  let executable: string | undefined;
  if (shots.length) {
    const lookup = options.launched ? { executable: options.launched.executable } : findBrowser(options.env);
    if ('missing' in lookup) {
      missingBrowser = lookup.why;
    } else {
      executable = lookup.executable;
      const shot = await takeScreenshots(
        lookup.executable,
        shots,
        options.pages,
        options.launched?.launch,
        pairs.size ? onShot : undefined,
      );
      taken = shot.taken;
      missingBrowser = shot.failure;
    }
  } else if (options.launched) {
    await closeLaunch(options.launched.launch);
  }
  if (diffFailure !== undefined) throw diffFailure;

  try {
    writeFileSync(
      join(dir, 'index.html'),
      galleryHtml(config, groups, taken, diffs, options, missingBrowser),
    );
  } catch (err) {
    throw unwritable(options.shownOut, `${PREVIEW_DIR}/index.html`, err);
  }
  try {
    writeFileSync(
      join(dir, 'summary.md'),
      summaryMarkdown({
        groups,
        taken,
        diffs,
        shownOut: options.shownOut,
        warnings: result.warnings,
        ...(options.since ? { since: options.since } : {}),
        ...(missingBrowser === undefined ? {} : { missingBrowser }),
        lang,
      }),
    );
  } catch (err) {
    throw unwritable(options.shownOut, `${PREVIEW_DIR}/summary.md`, err);
  }
  if (taken.size) {
    const into = `${options.shownOut}/${PREVIEW_DIR}/screenshots/`;
    const shots = counted(taken.size, {
      fr: ['capture d’écran prise', 'captures d’écran prises'],
      en: ['screenshot', 'screenshots'],
    });
    const images = counted([...diffs.values()].filter((d) => d.rel).length, {
      fr: ['image de différences', 'images de différences'],
      en: ['difference image', 'difference images'],
    });
    options.log(
      inLang(
        {
          fr: `Aperçu\u00a0: ${shots.fr}${diffs.size ? ` et ${images.fr}` : ''} avec ${executable} dans ${into}.`,
          en: `Preview: ${shots.en}${diffs.size ? ` and ${images.en}` : ''} taken with ${executable} into ${into}.`,
        },
        lang,
      ),
    );
  }
  const done = {
    screenshots: taken.size,
    previewed: selected.map((g) => g.id),
    diffs: [...diffs.values()].filter((d) => d.rel).length,
  };
  return missingBrowser === undefined ? done : { ...done, missingBrowser };
}

/** The releases of the build (and, with --compare, the ones the change removed), changed ones first. */
function releaseGroups(result: BuildResult, options: PreviewOptions): ReleaseGroup[] {
  const since = options.since;
  const isChanged = (id: string) =>
    since === undefined || since.changes.everything !== undefined || since.changes.releases.has(id);
  const after = collectGroups(result, options.out, options.out, '');
  for (const g of after.values()) g.selected = isChanged(g.id);
  const before = since?.before;
  if (before?.result) {
    const prior = collectGroups(before.result, before.out, options.out, 'before/');
    for (const [id, old] of prior) {
      if (!isChanged(id)) continue;
      const now = after.get(id);
      if (!now) {
        // Removed since the ref: its editions as they were, without links (the files are gone).
        for (const item of [...old.pages, ...old.emails]) {
          item.before = item.shots;
          item.shots = [];
          delete item.path;
          delete item.txt;
        }
        after.set(id, { ...old, selected: true, status: 'removed' });
        continue;
      }
      for (const [items, olds] of [
        [now.pages, old.pages],
        [now.emails, old.emails],
      ] as const) {
        for (const o of olds) {
          const match = items.find((i) => i.key === o.key);
          if (match) match.before = o.shots;
          else items.push({ ...o, before: o.shots, shots: [], path: undefined, txt: undefined } as Item);
        }
      }
    }
    for (const g of after.values())
      if (g.selected && g.status === undefined && !prior.has(g.id)) g.status = 'new';
  }
  // Changed first; newest first within each part, as in the newsroom (folders start with their date).
  return [...after.values()].sort((a, b) =>
    a.selected !== b.selected ? (a.selected ? -1 : 1) : a.id < b.id ? 1 : a.id > b.id ? -1 : 0,
  );
}

/**
 * The releases of one build as gallery groups; `buildOut` is where the build wrote its
 * files, `out` the output folder the gallery lives in, `sub` the screenshots' subfolder.
 */
function collectGroups(
  result: BuildResult,
  buildOut: string,
  out: string,
  sub: string,
): Map<string, ReleaseGroup> {
  const byId = new Map<string, ReleaseGroup>();
  const group = (id: string): ReleaseGroup => {
    let g = byId.get(id);
    if (!g) {
      g = { id, pages: [], emails: [], selected: true };
      byId.set(id, g);
    }
    return g;
  };
  const shotsFor = (release: string, path: string, name: string, widths: readonly number[]): GalleryShot[] =>
    widths.map((width) => {
      const rel = `screenshots/${safeName(release)}/${sub}${name}-${width}.png`;
      return {
        width,
        rel,
        abs: join(out, PREVIEW_DIR, ...rel.split('/')),
        url: pathToFileURL(join(buildOut, path)).href,
      };
    });
  for (const p of result.pages) {
    group(p.release).pages.push({
      kind: 'page',
      key: p.lang,
      path: p.path,
      shots: shotsFor(p.release, p.path, `page-${safeName(p.lang)}`, PAGE_WIDTHS),
      before: [],
    });
  }
  for (const e of result.emails) {
    const txt = e.path.replace(/\.html$/, '.txt');
    const item: Item = {
      kind: 'email',
      key: e.edition,
      path: e.path,
      shots: shotsFor(e.release, e.path, `email-${safeName(e.edition)}`, EMAIL_WIDTHS),
      before: [],
    };
    if (txt !== e.path && existsSync(join(buildOut, txt))) item.txt = txt;
    group(e.release).emails.push(item);
  }
  const editionOrder = (key: string) => (key === 'bilingual' ? 99 : 0);
  for (const g of byId.values()) g.emails.sort((a, b) => editionOrder(a.key) - editionOrder(b.key));
  return byId;
}

function galleryHtml(
  config: Config,
  groups: ReleaseGroup[],
  taken: Map<string, ShotSize>,
  diffs: Map<string, ShotDiff>,
  options: PreviewOptions,
  missingBrowser: Text | undefined,
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
  const since = options.since;
  if (since) {
    const ref = `<code>${esc(since.ref)}</code>`;
    const n = groups.filter((g) => g.selected).length;
    const why =
      since.changes.everything === undefined
        ? ''
        : ` Tous, car <code>${esc(since.changes.everything)}</code> a changé. <span lang="en-CA">All of them, because <code>${esc(since.changes.everything)}</code> changed.</span>`;
    lines.push(
      `<p class="since">Communiqués modifiés depuis ${ref}\u00A0: ${n}, en premier, avec captures${since.before ? ' avant, après et différences' : ''}\u00A0; les autres sont listés sans images. <span lang="en-CA">Releases changed since ${ref}: ${n}, first, with screenshots${since.before ? ' before, after and differences' : ''}; the others are listed without images.</span>${why}</p>`,
    );
    if (since.before?.failure !== undefined)
      lines.push(
        `<p class="note">Pas de version «\u00A0avant\u00A0» à comparer. <span lang="en-CA">No “before” version to compare with: ${esc(since.before.failure.en)}.</span></p>`,
      );
  }
  if (missingBrowser !== undefined) {
    lines.push(
      `<p class="note">Pas de captures d’écran\u00a0: ${esc(missingBrowser.fr)}. <span lang="en-CA">No screenshots: ${esc(missingBrowser.en)}.</span></p>`,
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
  const comparing = Boolean(since?.before);
  let listedOthers = false;
  for (const g of groups) {
    if (since && !g.selected && !listedOthers) {
      listedOthers = true;
      lines.push(
        '<h2 class="others">Communiqués inchangés <span lang="en-CA">/ Unchanged releases</span></h2>',
      );
    }
    lines.push(...releaseSection(g, taken, diffs, options.out, comparing, since !== undefined));
  }
  lines.push('</main>', '</body>', '</html>', '');
  return lines.join('\n');
}

function releaseSection(
  g: ReleaseGroup,
  taken: Map<string, ShotSize>,
  diffs: Map<string, ShotDiff>,
  out: string,
  comparing: boolean,
  sinceMode: boolean,
): string[] {
  const anchor = `r-${g.id.replace(/[^A-Za-z0-9_-]/g, '-')}`;
  const titles = g.pages
    .filter((p) => p.path !== undefined)
    .map((p) => ({ lang: langTag(p.key), title: pageTitle(join(out, p.path!)) }))
    .filter((t): t is { lang: string; title: string } => t.title !== undefined);
  const [first, ...others] = titles;
  // Under the "unchanged" heading (h2), a release is one level down.
  const h = sinceMode && !g.selected ? 3 : 2;
  const lines = [`<section class="release" aria-labelledby="${esc(anchor)}">`];
  lines.push(
    first
      ? `<h${h} id="${esc(anchor)}"${langAttr(first.lang)}>${esc(first.title)}</h${h}>`
      : `<h${h} id="${esc(anchor)}"><code>${esc(g.id)}</code></h${h}>`,
  );
  for (const t of others) lines.push(`<p class="other-title"${langAttr(t.lang)}>${esc(t.title)}</p>`);
  if (first) lines.push(`<p class="id"><code>${esc(g.id)}</code></p>`);
  if (g.status === 'new')
    lines.push('<p class="status">Nouveau communiqué. <span lang="en-CA">New release.</span></p>');
  if (g.status === 'removed')
    lines.push('<p class="status">Communiqué retiré. <span lang="en-CA">Removed release.</span></p>');
  if (g.pages.length) {
    lines.push(
      `<h${h + 1}>Pages web <span lang="en-CA">/ Web pages</span></h${h + 1}>`,
      '<div class="items">',
    );
    for (const p of g.pages) lines.push(...itemHtml(p, taken, diffs, comparing, h + 2));
    lines.push('</div>');
  }
  if (g.emails.length) {
    lines.push(
      `<h${h + 1}>Éditions courriel <span lang="en-CA">/ E-mail editions</span></h${h + 1}>`,
      '<div class="items">',
    );
    for (const e of g.emails) lines.push(...itemHtml(e, taken, diffs, comparing, h + 2));
    lines.push('</div>');
  }
  lines.push('</section>');
  return lines;
}

function itemHtml(
  item: Item,
  taken: Map<string, ShotSize>,
  diffs: Map<string, ShotDiff>,
  comparing: boolean,
  level: number,
): string[] {
  const label = labelFor(item);
  // Bilingual notes and captions are French first: marked so inside an English item.
  const frIn = label.lang === 'fr-CA' ? '' : ' lang="fr-CA"';
  const lines = [`<div class="item"${langAttr(label.lang)}>`, `<h${level}>${esc(label.text)}</h${level}>`];
  const hreflang =
    item.kind === 'page' ? langTag(item.key) : item.key === 'bilingual' ? undefined : langTag(item.key);
  const linkLang = hreflang ? ` hreflang="${esc(hreflang)}"` : '';
  if (item.path !== undefined) {
    lines.push('<ul class="links">');
    lines.push(`<li><a href="${href(item.path)}"${linkLang}><code>${esc(item.path)}</code></a></li>`);
    if (item.txt !== undefined)
      lines.push(
        `<li><a href="${href(item.txt)}"${linkLang} type="text/plain"><code>${esc(item.txt)}</code></a></li>`,
      );
    lines.push('</ul>');
  } else {
    lines.push(`<p class="status"${frIn}>Retiré. <span lang="en-CA">Removed.</span></p>`);
  }
  const figure = (
    s: { width: number; rel: string },
    size: ShotSize | undefined,
    alt: string,
    caption: string,
    captionLang = '',
  ): string[] => {
    if (!size) return [];
    const thumb = Math.round(s.width * (s.width >= 1000 ? 0.25 : 0.4));
    return [
      `<figure style="width:${thumb}px">`,
      `<a href="${esc(s.rel)}"><img src="${esc(s.rel)}" alt="${esc(alt)}" width="${size.width}" height="${size.height}" loading="lazy"></a>`,
      `<figcaption${captionLang}>${caption}</figcaption>`,
      '</figure>',
    ];
  };
  if (!comparing) {
    const figures = item.shots.flatMap((s) =>
      figure(s, taken.get(s.abs), label.alt(s.width), `${s.width} px`),
    );
    if (figures.length) lines.push('<div class="shots">', ...figures, '</div>');
    lines.push('</div>');
    return lines;
  }
  const widths = [...new Set([...item.shots, ...item.before].map((s) => s.width))];
  // Alt texts follow the item's language; the bilingual verdicts and captions are French first.
  const words =
    label.lang === 'en-CA'
      ? { before: 'before', after: 'after', diff: 'differences' }
      : { before: 'avant', after: 'après', diff: 'différences' };

  for (const width of widths) {
    const after = item.shots.find((s) => s.width === width);
    const before = item.before.find((s) => s.width === width);
    const d = after ? diffs.get(after.abs) : undefined;
    const figures: string[] = [];
    if (before)
      figures.push(
        ...figure(
          before,
          taken.get(before.abs),
          `${label.alt(width)} — ${words.before}`,
          `Avant <span lang="en-CA">/ Before</span>, ${width}\u00A0px`,
          frIn,
        ),
      );
    if (after)
      figures.push(
        ...figure(
          after,
          taken.get(after.abs),
          `${label.alt(width)} — ${words.after}`,
          `Après <span lang="en-CA">/ After</span>, ${width}\u00A0px`,
          frIn,
        ),
      );
    if (d?.rel)
      figures.push(
        ...figure(
          { width, rel: d.rel },
          { width: d.width, height: d.height },
          `${label.alt(width)} — ${words.diff}`,
          'Différences, encadrées <span lang="en-CA">/ Differences, framed</span>',
          frIn,
        ),
      );
    const verdict =
      d === undefined
        ? before && !after
          ? 'retiré <span lang="en-CA">/ removed</span>'
          : after && !before
            ? 'nouveau <span lang="en-CA">/ new</span>'
            : ''
        : d.changed
          ? `${fmtFr(d.changed)}\u00A0pixels modifiés <span lang="en-CA">/ ${fmtEn(d.changed)} pixels changed</span>`
          : 'aucun changement visible <span lang="en-CA">/ no visible change</span>';
    lines.push(
      `<div class="compare">`,
      `<p class="verdict"${frIn}>${width}\u00A0px${verdict ? `\u00A0: ${verdict}` : ''}</p>`,
      ...(figures.length ? ['<div class="shots">', ...figures, '</div>'] : []),
      '</div>',
    );
  }
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
  '.since{border-left:4px solid var(--accent);padding-left:.75rem}',
  '.status{font-weight:600}',
  '.others{margin-top:3rem}',
  '.verdict{font-weight:600;margin:.75rem 0 .25rem}',
].join('\n');
