import { toHtml } from 'hast-util-to-html';
import { toText } from 'hast-util-to-text';
import type { Element, Root as HastRoot } from 'hast';
import type { Root } from 'mdast';
import type { Config } from '../model/config.js';
import type { CalendarDate, Edition, Release } from '../model/release.js';
import { languageNameIn, stringsFor } from '../locale/strings.js';
import { insertDateline, rewriteLocalUrls, toHtmlTree } from '../markdown/pipeline.js';
import { excerpt, releaseParts, type ReleaseParts } from '../release-parts/parts.js';
import type { TemplateEngine } from '../templating/engine.js';
import { absoluteUrl, fileUrlPath, relativeUrl, sitePaths } from './urls.js';

/** What the indexes, feeds and sitemap need to know of one edition's page. */
export interface PageSummary {
  lang: string;
  path: string;
  title: string;
  summary: string;
  /** The release's calendar date, formatted by each index in its own language. */
  day: CalendarDate;
  /** When the release became public: its date, or the embargo when that is later. */
  published: string;
  epoch: number;
  embargoed: boolean;
}

export interface RenderedFile {
  path: string;
  content: string | Buffer;
}

export interface ReleaseRenderOptions {
  /**
   * True when the embargo has not lifted yet at the build's `--now` and the page is built for
   * a preview; false for a public page, which is built only once the embargo has passed.
   */
  embargoPreview: boolean;
}

/**
 * Renders every edition of a release to its page, from the trees the caller parsed once
 * and gave their typography (see `prepareTrees`). Same inputs, same bytes.
 */
export function renderReleasePages(
  release: Release,
  trees: ReadonlyMap<string, Root>,
  config: Config,
  engine: TemplateEngine,
  options: ReleaseRenderOptions,
): { files: RenderedFile[]; summaries: PageSummary[] } {
  const files: RenderedFile[] = [];
  const summaries: PageSummary[] = [];
  for (const edition of release.editions) {
    const path = sitePaths.page(edition);
    const parts = releaseParts(release, edition, config, options.embargoPreview);
    const tree = trees.get(edition.lang);
    if (!tree) throw new Error(`no parsed tree for ${edition.file}`);
    const body = renderBody(release, tree, parts, path, edition.lang);
    const description = parts.summary || excerpt(body.text);
    files.push({
      path,
      content: engine.render(
        'release',
        pageView(release, edition, parts, config, path, body.html, description, options),
      ),
    });
    summaries.push({
      lang: edition.lang,
      path,
      title: parts.title,
      summary: description,
      day: release.date,
      published: publishedIso(release),
      epoch: release.published.epoch,
      embargoed: options.embargoPreview,
    });
  }
  return { files, summaries };
}

/**
 * The body as sanitized HTML with the dateline, and as plain text for the description. The
 * text is only wanted when the edition has no summary, so it is left empty (not worked out)
 * when there is one.
 */
function renderBody(
  release: Release,
  tree: Root,
  parts: ReleaseParts,
  pagePath: string,
  lang: string,
): { html: string; text: string } {
  const hast = toHtmlTree(tree, lang);
  rewriteLocalUrls(hast, (file) => relativeUrl(pagePath, sitePaths.asset(release, file)));
  const text = parts.summary ? '' : descriptionText(hast);
  insertDateline(hast, [{ type: 'text', value: parts.dateline }]);
  return { html: toHtml(hast), text };
}

/**
 * The body as one line of text, for the description: an image reads as its alternative
 * text (hast-util-to-text leaves images out: "Voici ![la carte](carte.png) et …" gave
 * "Voici et …"). Only ordinary white space is collapsed: \s would also take the French
 * no-break spaces.
 */
function descriptionText(hast: HastRoot): string {
  const copy: HastRoot = { ...hast, children: hast.children.map(withAltText) };
  return toText(copy)
    .replace(/[ \t\r\n]+/g, ' ')
    .trim();
}

function withAltText(node: HastRoot['children'][number]): HastRoot['children'][number] {
  if (node.type !== 'element') return node;
  if (node.tagName === 'img') return { type: 'text', value: String(node.properties.alt ?? '') };
  return { ...node, children: node.children.map(withAltText) as Element['children'] };
}

/** Under an embargo the release is published when the embargo lifts, not on its date. */
function publishedIso(release: Release): string {
  return release.embargo && release.embargo.epoch > release.published.epoch
    ? release.embargo.iso
    : release.published.iso;
}

function imageUrl(release: Release, src: string, resolveLocal: (sitePath: string) => string): string {
  return src.startsWith('https://') ? src : resolveLocal(sitePaths.asset(release, fileUrlPath(src)));
}

function pageView(
  release: Release,
  edition: Edition,
  parts: ReleaseParts,
  config: Config,
  path: string,
  bodyHtml: string,
  description: string,
  options: ReleaseRenderOptions,
) {
  const s = parts.strings;
  const rel = (to: string) => relativeUrl(path, to);
  const canonical = absoluteUrl(config, path);
  const ogImage = edition.image ? imageUrl(release, edition.image.src, (p) => absoluteUrl(config, p)) : '';
  const others = release.editions.filter((e) => e !== edition);
  const toggle = (lang: string, href: string) => ({
    href,
    lang: stringsFor(lang).htmlLang,
    hreflang: stringsFor(lang).htmlLang,
    label: stringsFor(lang).languageName,
  });
  // A language the release lacks leads to that language's newsroom instead of a page.
  const toggles = config.languages
    .filter((l) => l !== edition.lang)
    .map((l) => {
      const paired = others.find((e) => e.lang === l);
      return toggle(l, rel(paired ? sitePaths.page(paired) : sitePaths.index(l)));
    });
  const published = publishedIso(release);
  // Tags are written in the primary language: other pages do not claim them as their keywords.
  const tags = edition === release.editions[0] ? release.tags : [];
  const publisher = {
    '@type': 'Organization',
    name: parts.orgName,
    ...(config.organization.website ? { url: config.organization.website } : {}),
  };
  const jsonLd = {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    headline: parts.title,
    ...(parts.subtitle ? { alternativeHeadline: parts.subtitle } : {}),
    description,
    inLanguage: s.htmlLang,
    datePublished: published,
    dateModified: published,
    mainEntityOfPage: canonical,
    url: canonical,
    ...(ogImage ? { image: [ogImage] } : {}),
    author: publisher,
    publisher,
    ...(tags.length ? { keywords: tags.join(', ') } : {}),
  };
  return {
    htmlLang: s.htmlLang,
    s: { ...s, about: parts.aboutHeading },
    orgName: parts.orgName,
    pageTitle: `${parts.title} — ${parts.orgName}`,
    title: parts.title,
    subtitle: parts.subtitle,
    description,
    releaseLine: parts.releaseLine,
    embargoPreview: options.embargoPreview,
    date: parts.date,
    datetime: release.published.iso,
    bodyHtml,
    image: edition.image ? { url: imageUrl(release, edition.image.src, rel), alt: parts.imageAlt } : null,
    sources: parts.sources,
    informations: parts.informations,
    aboutParagraphs: parts.aboutParagraphs,
    toggles,
    alternates: release.editions.map((e) => ({
      hreflang: stringsFor(e.lang).htmlLang,
      href: absoluteUrl(config, sitePaths.page(e)),
    })),
    xDefault: absoluteUrl(config, sitePaths.page(release.editions[0]!)),
    canonical,
    // `<` cannot end the script element once escaped; JSON stays valid.
    jsonLd: JSON.stringify(jsonLd).replace(/</g, '\\u003c'),
    og: {
      locale: s.ogLocale,
      alternates: others.map((e) => stringsFor(e.lang).ogLocale),
      image: ogImage,
      imageAlt: parts.imageAlt,
      published,
      siteName: parts.orgName,
    },
    tags,
    // The build prints it beside the page (same folder) when the config asks for it.
    pdf: config.pdf.build
      ? { href: sitePaths.pdf(edition).slice(sitePaths.pageDir(edition).length), label: s.pdfVersion }
      : null,
    css: rel(sitePaths.stylesheet),
    printCss: rel(sitePaths.printStylesheet),
    newsroom: rel(sitePaths.index(edition.lang)),
    feed: rel(sitePaths.feed(edition.lang)),
    onlyIn:
      others.length === 0 && config.languages.length > 1
        ? s.onlyIn(languageNameIn(edition.lang, edition.lang))
        : '',
  };
}
