import { toHtml } from 'hast-util-to-html';
import { toText } from 'hast-util-to-text';
import type { Root } from 'mdast';
import type { Config } from '../model/config.js';
import type { Contact, Edition, Release } from '../model/release.js';
import { dateline, embargoLine, formatDate } from '../locale/dates.js';
import { languageNameIn, stringsFor } from '../locale/strings.js';
import { applyTypography, insertDateline, parseMarkdown, rewriteLocalUrls, toHtmlTree } from '../markdown/pipeline.js';
import { englishText, frenchText, type FrenchProfile } from '../markdown/typography.js';
import type { TemplateEngine } from '../templating/engine.js';
import { absoluteUrl, relativeUrl, sitePaths } from './urls.js';

/** What the indexes, feeds and sitemap need to know of one edition's page. */
export interface PageSummary {
  lang: string;
  path: string;
  title: string;
  summary: string;
  date: string;
  published: string;
  epoch: number;
  embargoed: boolean;
}

export interface RenderedFile {
  path: string;
  content: string | Buffer;
}

export interface ReleaseRenderOptions {
  /** True when the embargo has not lifted yet and the page is built for a preview. */
  embargoPreview: boolean;
}

/** Typography for one language's prose outside the markdown body (titles, boilerplate). */
export function proseTypography(lang: string, profile: FrenchProfile): (text: string) => string {
  if (lang === 'fr') return (t) => frenchText(t, { profile });
  if (lang === 'en') return englishText;
  return (t) => t;
}

/**
 * Renders every edition of a release to its page. Pure apart from the templates, which
 * the engine has already found: same release, config and options, same bytes.
 */
export function renderReleasePages(release: Release, trees: ReadonlyMap<string, Root>, config: Config, engine: TemplateEngine, options: ReleaseRenderOptions): { files: RenderedFile[]; summaries: PageSummary[] } {
  const files: RenderedFile[] = [];
  const summaries: PageSummary[] = [];
  for (const edition of release.editions) {
    const path = sitePaths.page(edition);
    const tree = trees.get(edition.lang) ?? parseMarkdown(edition.body, edition.bodyLine);
    const { html, text } = renderBody(release, edition, tree, config, path);
    const view = pageView(release, edition, config, path, html, text, options);
    files.push({ path, content: engine.render('release', view) });
    summaries.push({
      lang: edition.lang,
      path,
      title: view.title,
      summary: view.description,
      date: formatDate(release.date, edition.lang),
      published: release.published.iso,
      epoch: release.published.epoch,
      embargoed: options.embargoPreview,
    });
  }
  return { files, summaries };
}

/** The body as sanitized HTML with the dateline, and as plain text for descriptions. Typography is applied to `tree` in place. */
function renderBody(release: Release, edition: Edition, tree: Root, config: Config, pagePath: string): { html: string; text: string } {
  const hast = toHtmlTree(applyTypography(tree, edition.lang, config.typography.fr));
  rewriteLocalUrls(hast, (file) => relativeUrl(pagePath, sitePaths.asset(release, file)));
  const text = toText(hast).replace(/\s+/g, ' ').trim();
  insertDateline(hast, [{ type: 'text', value: dateline(edition.place || release.editions[0]!.place, release.date, edition.lang) }]);
  return { html: toHtml(hast), text };
}

function excerpt(text: string, max = 200): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  return `${cut.slice(0, cut.lastIndexOf(' ') > 0 ? cut.lastIndexOf(' ') : max)}…`;
}

function telUrl(phone: string): string {
  const ext = /(?:poste|ext\.?|x|,)\s*(\d+)\s*$/i.exec(phone);
  const main = (ext ? phone.slice(0, ext.index) : phone).trim();
  let digits = main.replace(/[^\d+]/g, '');
  // A 10-digit number is a North American one, which is what a Quebec release carries.
  if (!digits.startsWith('+')) digits = digits.length === 10 ? `+1${digits}` : digits;
  return `tel:${digits}${ext ? `;ext=${ext[1]}` : ''}`;
}

function contactView(c: Contact, fix: (t: string) => string) {
  return { name: c.name, role: c.role ? fix(c.role) : '', email: c.email, phone: c.phone ?? '', tel: c.phone ? telUrl(c.phone) : '' };
}

function pageView(release: Release, edition: Edition, config: Config, path: string, bodyHtml: string, bodyText: string, options: ReleaseRenderOptions) {
  const s = stringsFor(edition.lang);
  const fix = proseTypography(edition.lang, config.typography.fr);
  const rel = (to: string) => relativeUrl(path, to);
  const canonical = absoluteUrl(config, path);
  const orgName = config.organization.name[edition.lang] ?? config.organization.shortName;
  const title = fix(edition.title);
  const description = fix(edition.summary ?? excerpt(bodyText));
  const imageUrl = edition.image ? (edition.image.src.startsWith('https://') ? edition.image.src : absoluteUrl(config, sitePaths.asset(release, edition.image.src))) : '';
  const alternates = release.editions.map((e) => ({ hreflang: stringsFor(e.lang).htmlLang, href: absoluteUrl(config, sitePaths.page(e)) }));
  const primary = release.editions[0]!;
  const others = release.editions.filter((e) => e !== edition);
  const toggles = others.map((e) => ({ href: rel(sitePaths.page(e)), lang: stringsFor(e.lang).htmlLang, hreflang: stringsFor(e.lang).htmlLang, label: stringsFor(e.lang).languageName }));
  // A page whose translation does not exist links to the other language's newsroom instead.
  const missingLangs = config.languages.filter((l) => !release.editions.some((e) => e.lang === l));
  for (const l of missingLangs) toggles.push({ href: rel(sitePaths.index(l)), lang: stringsFor(l).htmlLang, hreflang: stringsFor(l).htmlLang, label: stringsFor(l).languageName });
  const jsonLd = {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    headline: title,
    ...(edition.subtitle ? { alternativeHeadline: fix(edition.subtitle) } : {}),
    description,
    inLanguage: s.htmlLang,
    datePublished: release.embargo && release.embargo.epoch > release.published.epoch ? release.embargo.iso : release.published.iso,
    dateModified: release.embargo && release.embargo.epoch > release.published.epoch ? release.embargo.iso : release.published.iso,
    mainEntityOfPage: canonical,
    url: canonical,
    ...(imageUrl ? { image: [imageUrl] } : {}),
    author: { '@type': 'Organization', name: orgName, ...(config.organization.website ? { url: config.organization.website } : {}) },
    publisher: { '@type': 'Organization', name: orgName, ...(config.organization.website ? { url: config.organization.website } : {}) },
    ...(release.tags.length ? { keywords: release.tags.join(', ') } : {}),
  };
  return {
    lang: edition.lang,
    htmlLang: s.htmlLang,
    s: { ...s, about: s.aboutPrefix(config.organization.shortName) },
    orgName,
    title,
    pageTitle: `${title} — ${orgName}`,
    subtitle: edition.subtitle ? fix(edition.subtitle) : '',
    description,
    releaseLine: release.embargo ? embargoLine(release.embargo.epoch, config.timeZone, edition.lang) : s.immediateRelease,
    embargoPreview: options.embargoPreview,
    date: formatDate(release.date, edition.lang),
    datetime: release.published.iso,
    bodyHtml,
    image: edition.image ? { url: edition.image.src.startsWith('https://') ? edition.image.src : rel(sitePaths.asset(release, edition.image.src)), alt: fix(edition.image.alt) } : null,
    sources: edition.contacts.filter((c) => c.kind === 'source').map((c) => contactView(c, fix)),
    informations: edition.contacts.filter((c) => c.kind === 'information').map((c) => contactView(c, fix)),
    boilerplate: fix(config.organization.boilerplate[edition.lang] ?? ''),
    toggles,
    alternates,
    xDefault: absoluteUrl(config, sitePaths.page(primary)),
    canonical,
    jsonLd: JSON.stringify(jsonLd).replace(/</g, '\\u003c'),
    og: {
      locale: s.ogLocale,
      alternates: others.map((e) => stringsFor(e.lang).ogLocale),
      image: imageUrl,
      imageAlt: edition.image ? fix(edition.image.alt) : '',
      published: release.published.iso,
      siteName: orgName,
    },
    tags: release.tags,
    css: rel(sitePaths.stylesheet),
    printCss: rel(sitePaths.printStylesheet),
    newsroom: rel(sitePaths.index(edition.lang)),
    home: rel('index.html'),
    feed: rel(sitePaths.feed(edition.lang)),
    onlyIn: others.length === 0 && config.languages.length > 1 ? s.onlyIn(languageNameIn(edition.lang, edition.lang)) : '',
  };
}
