import { LABELS } from '../cli/report.js';
import type { Diagnostic } from '../errors/index.js';
import { counted, inLang, type Lang, type Message, type Text } from '../i18n/text.js';
import { parseScheme, type Scheme } from './color-scheme.js';
import { reloadScript } from './live-reload.js';

/**
 * The preview server's own pages: the list of releases, one toolbar page per release (the
 * views of a release side by side with plain links, no JavaScript needed), the build error
 * page and the not-found page, in the language aimq speaks to its user (`AIMQ_LANG`, `LANG`…),
 * as the terminal does.
 */

/** What the last build produced for one release. */
export interface ReleaseViews {
  id: string;
  /** Web pages, primary language first: site paths like `fr/<slug>/index.html`. */
  pages: { lang: string; path: string }[];
  /** E-mail editions: `email/<slug>/<edition>.html` (the `.txt` sits beside it). */
  emails: { edition: string; path: string }[];
  /** Whether the release is still under embargo (shown in the preview, marked). */
  embargoed: boolean;
  warnings: Diagnostic[];
}

export type Width = '375' | '600' | 'full';
export type EmailFormat = 'html' | 'text' | 'mjml';

export interface ToolbarState {
  show: 'page' | 'email';
  lang: string;
  edition: string;
  width: Width;
  scheme: Scheme;
  format: EmailFormat;
}

/** A problem shown on the error page: `where` is `file:line:col` (or less when not known). */
export interface ProblemEntry {
  where: string;
  severity: 'error' | 'warning';
  code: string;
  message: Message;
  hint?: Message;
}

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

const WIDTHS: readonly Width[] = ['375', '600', 'full'];
const FORMATS: readonly EmailFormat[] = ['html', 'text', 'mjml'];

/** The state a query string asks for; unknown or unavailable values fall back to the defaults. */
export function parseToolbarState(params: URLSearchParams, release: ReleaseViews): ToolbarState {
  const langs = release.pages.map((p) => p.lang);
  const editions = release.emails.map((e) => e.edition);
  const lang = langs.find((l) => l === params.get('lang')) ?? langs[0] ?? '';
  const edition =
    editions.find((e) => e === params.get('edition')) ??
    (editions.includes('bilingual') ? 'bilingual' : (editions[0] ?? ''));
  let show: ToolbarState['show'] = params.get('show') === 'email' ? 'email' : 'page';
  if (show === 'page' && !langs.length && editions.length) show = 'email';
  if (show === 'email' && !editions.length) show = 'page';
  const width = WIDTHS.find((w) => w === params.get('width')) ?? (show === 'email' ? '600' : 'full');
  const format = FORMATS.find((f) => f === params.get('format')) ?? 'html';
  return { show, lang, edition, width, scheme: parseScheme(params.get('scheme')) ?? 'light', format };
}

/** The toolbar URL of a release in a state; the width is left out when it is the default for what is shown. */
export function toolbarHref(id: string, state: ToolbarState): string {
  const q = new URLSearchParams({ show: state.show });
  if (state.show === 'page') q.set('lang', state.lang);
  else {
    q.set('edition', state.edition);
    q.set('format', state.format);
  }
  q.set('width', state.width);
  q.set('scheme', state.scheme);
  return `/_preview/${encodeURIComponent(id)}/?${q.toString()}`;
}

/** The URL of the view a state shows, as the preview serves it (what the frame loads). */
export function viewSrc(release: ReleaseViews, state: ToolbarState): string | undefined {
  if (state.show === 'page') {
    const page = release.pages.find((p) => p.lang === state.lang);
    return page ? `/${page.path.replace(/(^|\/)index\.html$/, '$1')}?scheme=${state.scheme}` : undefined;
  }
  const email = release.emails.find((e) => e.edition === state.edition);
  if (!email) return undefined;
  return state.format === 'text'
    ? `/${email.path.replace(/\.html$/, '.txt')}`
    : `/${email.path}?scheme=${state.scheme}`;
}

/** Each edition in its own language; the bilingual one in the page's. */
const EDITION_LABELS: Readonly<Record<string, Message>> = {
  fr: 'français',
  en: 'English',
  bilingual: { fr: 'bilingue', en: 'bilingual' },
};

/** The words of the preview's pages. */
const WORDS = {
  preview: { fr: 'Aperçu', en: 'Preview' },
  embargoed: { fr: 'sous embargo', en: 'embargoed' },
  webPage: { fr: 'Page web', en: 'Web page' },
  email: { fr: 'Courriel', en: 'E-mail' },
  format: { fr: 'Format', en: 'Format' },
  plainText: { fr: 'texte brut', en: 'plain text' },
  mjmlSource: { fr: 'source MJML', en: 'MJML source' },
  width: { fr: 'Largeur', en: 'Width' },
  fullWidth: { fr: 'pleine largeur', en: 'full width' },
  theme: { fr: 'Thème', en: 'Theme' },
  light: { fr: 'clair', en: 'light' },
  dark: { fr: 'sombre', en: 'dark' },
  openAlone: { fr: 'Ouvrir seul', en: 'Open alone' },
  noView: {
    fr: 'Cette vue n’existe pas pour ce communiqué.',
    en: 'This view does not exist for this release.',
  },
  release: { fr: 'Communiqué', en: 'Release' },
  webPages: { fr: 'Pages web', en: 'Web pages' },
  emails: { fr: 'Courriels', en: 'E-mails' },
  warnings: { fr: 'Avertissements', en: 'Warnings' },
  noReleases: { fr: 'Aucun communiqué.', en: 'No releases.' },
  releasePreview: { fr: 'Aperçu des communiqués', en: 'Release preview' },
  newsroom: { fr: 'Salle de presse', en: 'Newsroom' },
  buildFailed: { fr: 'La construction a échoué', en: 'The build failed' },
  error: { fr: 'Erreur', en: 'Error' },
  fixTheFiles: {
    fr: 'Corrigez les fichiers\u00a0: cette page se recharge d’elle-même.',
    en: 'Fix the files: this page reloads by itself.',
  },
  notFound: { fr: 'Introuvable', en: 'Not found' },
} satisfies Record<string, Text>;

const ERRORS = { fr: ['erreur', 'erreurs'], en: ['error', 'errors'] } satisfies Parameters<typeof counted>[1];
const WARNINGS = {
  fr: ['avertissement', 'avertissements'],
  en: ['warning', 'warnings'],
} satisfies Parameters<typeof counted>[1];

const STYLE = `
:root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1b1b; background: #f2f2f2; }
body { margin: 0; }
.bar { background: #fff; border-bottom: 1px solid #c8c8c8; padding: .5rem 1rem; display: flex; flex-wrap: wrap; gap: .25rem 1.5rem; align-items: baseline; }
.bar p, .bar ul { margin: 0; }
.group { display: flex; gap: .4rem; align-items: baseline; }
.group .label { font-weight: 600; font-size: .875rem; }
.group ul { display: flex; gap: .25rem; list-style: none; padding: 0; }
.group a, .group .off { display: inline-block; padding: .15rem .5rem; border: 1px solid #0b4f8a; border-radius: 3px; color: #0b4f8a; text-decoration: none; font-size: .875rem; }
.group a[aria-current] { background: #0b4f8a; color: #fff; }
.group .off { border-color: #c8c8c8; color: #6b6b6b; }
a:focus-visible { outline: 3px solid #f0a000; outline-offset: 1px; }
main { padding: 1rem; }
main.dark { background: #2b2b2b; }
.view { display: block; margin: 0 auto; border: 1px solid #8a8a8a; background: #fff; height: calc(100vh - 9rem); min-height: 30rem; max-width: 100%; }
main.dark .view { background: #141414; }
.open { text-align: center; margin: 0 0 .5rem; font-size: .875rem; }
main.dark .open a { color: #8cc4ff; }
pre.source { background: #fff; border: 1px solid #c8c8c8; padding: 1rem; overflow: auto; font-size: .8125rem; line-height: 1.45; white-space: pre-wrap; }
.embargo { color: #8a1c00; font-weight: 700; }
.problems li { margin: 0 0 1rem; }
.problems code { font-weight: 600; }
.hint { color: #4a4a4a; }
.content { max-width: 60rem; margin: 0 auto; padding: 1rem; }
table { border-collapse: collapse; }
th, td { text-align: left; padding: .35rem .75rem .35rem 0; border-bottom: 1px solid #dcdcdc; vertical-align: top; }
`;

function page(lang: Lang, title: string, body: string, version: number): string {
  return `<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${body}
${reloadScript(version)}
</body>
</html>
`;
}

/** One group of links: a labelled navigation landmark, the current choice marked. */
function group(
  id: string,
  label: string,
  items: { text: string; href?: string; current?: boolean; lang?: string }[],
): string {
  const li = items.map((i) => {
    const lang = i.lang ? ` lang="${escapeHtml(i.lang)}"` : '';
    if (!i.href) return `<li><span class="off"${lang}>${escapeHtml(i.text)}</span></li>`;
    return `<li><a href="${escapeHtml(i.href)}"${lang}${i.current ? ' aria-current="true"' : ''}>${escapeHtml(i.text)}</a></li>`;
  });
  return `<nav class="group" aria-labelledby="${id}"><span class="label" id="${id}">${escapeHtml(label)}</span><ul>${li.join('')}</ul></nav>`;
}

/** The problems as `release check` prints them: where, message, code, and the hint under the terminal's label. */
function problemList(problems: readonly ProblemEntry[], lang: Lang): string {
  return `<ul class="problems">${problems
    .map(
      (p) =>
        `<li><code>${escapeHtml(p.where)}</code> ${escapeHtml(inLang(p.message, lang))} [${escapeHtml(p.code)}]` +
        (p.hint
          ? `<br><span class="hint">${escapeHtml(LABELS.hint[lang])} ${escapeHtml(inLang(p.hint, lang))}</span>`
          : '') +
        `</li>`,
    )
    .join('\n')}</ul>`;
}

export function diagnosticEntry(d: Diagnostic): ProblemEntry {
  return {
    where: `${d.file}:${d.line}:${d.column}`,
    severity: d.severity,
    code: d.code,
    message: d.message,
    ...(d.hint ? { hint: d.hint } : {}),
  };
}

/** The toolbar page of a release: the controls, then the view in a frame of the chosen width (or the MJML source). */
export function renderToolbarPage(
  release: ReleaseViews,
  state: ToolbarState,
  version: number,
  mjml: string | undefined,
  lang: Lang,
): string {
  const t = (m: Message) => inLang(m, lang);
  const to = (change: Partial<ToolbarState>) => toolbarHref(release.id, { ...state, ...change });
  const langs = release.pages.map((p) => p.lang);
  const editions = release.emails.map((e) => e.edition);
  const email = state.show === 'email';
  const embargo = release.embargoed ? ` <span class="embargo">${t(WORDS.embargoed)}</span>` : '';
  const controls = [
    `<p><a href="/_preview/">${t(WORDS.preview)}</a> › <strong>${escapeHtml(release.id)}</strong>${embargo}</p>`,
    group(
      'g-page',
      t(WORDS.webPage),
      langs.map((l) => ({
        text: l,
        href: to({ show: 'page', lang: l, width: state.show === 'page' ? state.width : 'full' }),
        current: !email && state.lang === l,
        lang: l,
      })),
    ),
    group(
      'g-email',
      t(WORDS.email),
      editions.map((e) => ({
        text: t(EDITION_LABELS[e] ?? e),
        href: to({ show: 'email', edition: e, width: email ? state.width : '600' }),
        current: email && state.edition === e,
        ...(e === 'bilingual' ? {} : { lang: e }),
      })),
    ),
    group('g-format', t(WORDS.format), [
      {
        text: 'HTML',
        href: to({ show: 'email', format: 'html', ...(email ? {} : { width: '600' }) }),
        current: email && state.format === 'html',
      },
      {
        text: t(WORDS.plainText),
        href: to({ show: 'email', format: 'text', ...(email ? {} : { width: '600' }) }),
        current: email && state.format === 'text',
      },
      {
        text: t(WORDS.mjmlSource),
        href: to({ show: 'email', format: 'mjml', ...(email ? {} : { width: '600' }) }),
        current: email && state.format === 'mjml',
      },
    ]),
    group('g-width', t(WORDS.width), [
      { text: '600 px', href: to({ width: '600' }), current: state.width === '600' },
      { text: '375 px', href: to({ width: '375' }), current: state.width === '375' },
      { text: t(WORDS.fullWidth), href: to({ width: 'full' }), current: state.width === 'full' },
    ]),
    group('g-scheme', t(WORDS.theme), [
      { text: t(WORDS.light), href: to({ scheme: 'light' }), current: state.scheme === 'light' },
      { text: t(WORDS.dark), href: to({ scheme: 'dark' }), current: state.scheme === 'dark' },
    ]),
  ];
  const format = state.format === 'html' ? '' : ` (${state.format})`;
  // An edition by its code (fr, en), or by its name when it has one in the page's language.
  const edition = t(state.edition === 'bilingual' ? EDITION_LABELS.bilingual! : state.edition);
  const what = t(
    email
      ? { fr: `courriel ${edition}${format}`, en: `e-mail ${edition}${format}` }
      : { fr: `page web ${state.lang}`, en: `web page ${state.lang}` },
  );
  const width = state.width === 'full' ? t(WORDS.fullWidth) : `${state.width} px`;
  let view: string;
  if (email && state.format === 'mjml') {
    view = `<h1 class="open">${escapeHtml(t({ fr: `Source MJML de l’édition ${edition}`, en: `MJML source of the ${edition} edition` }))}</h1>\n<pre class="source">${escapeHtml(mjml ?? '')}</pre>`;
  } else {
    const src = viewSrc(release, state);
    const cssWidth = state.width === 'full' ? '100%' : `${state.width}px`;
    const title = t({ fr: `Aperçu\u00a0: ${what}, ${width}`, en: `Preview: ${what}, ${width}` });
    view = src
      ? `<p class="open"><a href="${escapeHtml(src)}">${t(WORDS.openAlone)}</a></p>\n` +
        `<iframe class="view" data-aimq-preview="" title="${escapeHtml(title)}" src="${escapeHtml(src)}" style="width: ${cssWidth}"></iframe>`
      : `<p>${t(WORDS.noView)}</p>`;
  }
  const warnings = release.warnings.length
    ? `<details class="content"><summary>${escapeHtml(t(counted(release.warnings.length, WARNINGS)))}</summary>${problemList(
        release.warnings.map((d) => diagnosticEntry(d)),
        lang,
      )}</details>`
    : '';
  return page(
    lang,
    `${t(WORDS.preview)} — ${release.id} — ${what}`,
    `<header class="bar">\n${controls.join('\n')}\n</header>\n<main class="${state.scheme}">\n${view}\n${warnings}</main>`,
    version,
  );
}

/** `/_preview/`: every release of the last build, with a link to each of its views. */
export function renderIndexPage(releases: readonly ReleaseViews[], version: number, lang: Lang): string {
  const t = (m: Message) => inLang(m, lang);
  const rows = releases.map((r) => {
    const pages = r.pages
      .map(
        (p) =>
          `<a href="/${escapeHtml(p.path.replace(/(^|\/)index\.html$/, '$1'))}" lang="${escapeHtml(p.lang)}">${escapeHtml(p.lang)}</a>`,
      )
      .join(' ');
    const emails = r.emails
      .map(
        (e) =>
          `<a href="/${escapeHtml(e.path)}">${escapeHtml(e.edition)}</a> (<a href="/${escapeHtml(e.path.replace(/\.html$/, '.txt'))}">txt</a>)`,
      )
      .join(' ');
    return `<tr><td><a href="/_preview/${encodeURIComponent(r.id)}/">${escapeHtml(r.id)}</a>${r.embargoed ? ` <span class="embargo">${t(WORDS.embargoed)}</span>` : ''}</td><td>${pages}</td><td>${emails}</td><td>${r.warnings.length}</td></tr>`;
  });
  const table = releases.length
    ? `<table>\n<thead><tr><th scope="col">${t(WORDS.release)}</th><th scope="col">${t(WORDS.webPages)}</th><th scope="col">${t(WORDS.emails)}</th><th scope="col">${t(WORDS.warnings)}</th></tr></thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>`
    : `<p>${t(WORDS.noReleases)}</p>`;
  return page(
    lang,
    t(WORDS.releasePreview),
    `<main class="content">\n<h1>${t(WORDS.releasePreview)}</h1>\n<p><a href="/">${t(WORDS.newsroom)}</a></p>\n${table}\n</main>`,
    version,
  );
}

/**
 * The page every HTML request gets while the last build failed (or `heading` says what
 * else went wrong); it reloads once the files are fixed.
 */
export function renderErrorPage(
  problems: readonly ProblemEntry[],
  version: number,
  lang: Lang,
  heading?: Text,
): string {
  const t = (m: Message) => inLang(m, lang);
  const errors = problems.filter((p) => p.severity === 'error');
  const warnings = problems.filter((p) => p.severity === 'warning');
  const title = t(heading ?? WORDS.buildFailed);
  const count = (n: number, noun: Parameters<typeof counted>[1]) => escapeHtml(t(counted(n, noun)));
  return page(
    lang,
    `${t(WORDS.error)} — ${title}`,
    `<main class="content">\n<h1>${escapeHtml(title)}</h1>\n` +
      `<p>${t(WORDS.fixTheFiles)}</p>\n` +
      `<h2>${count(errors.length, ERRORS)}</h2>\n${problemList(errors, lang)}\n` +
      (warnings.length
        ? `<h2>${count(warnings.length, WARNINGS)}</h2>\n${problemList(warnings, lang)}\n`
        : '') +
      `</main>`,
    version,
  );
}

export function renderNotFoundPage(path: string, version: number, lang: Lang): string {
  const t = (m: Message) => inLang(m, lang);
  return page(
    lang,
    t(WORDS.notFound),
    `<main class="content">\n<h1>${t(WORDS.notFound)}</h1>\n<p><code>${escapeHtml(path)}</code></p>\n<p><a href="/">${t(WORDS.newsroom)}</a> · <a href="/_preview/">${t(WORDS.preview)}</a></p>\n</main>`,
    version,
  );
}
