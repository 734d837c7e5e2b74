import { createHash } from 'node:crypto';
import type { Config } from '../model/config.js';
import { stringsFor } from '../locale/strings.js';
import type { TemplateEngine } from '../templating/engine.js';
import {
  type Listing,
  listingLink,
  listingSitemapUrls,
  pageSizeOf,
  renderListings,
  topicListings,
  yearListings,
} from './archive.js';
import { listItem, newestFirst, type ReleaseEntry } from './list-item.js';
import { newsroomStringsFor } from './newsroom-strings.js';
import type { RenderedFile } from './page.js';
import { absoluteUrl, relativeUrl, sitePaths } from './urls.js';

export type { ReleaseEntry } from './list-item.js';

/**
 * A part of the site rendered as a whole, whose files depend on `key` alone (with the
 * config and the templates): a build renders again only the parts whose key changed.
 */
export interface SitePart {
  id: string;
  key: string;
  render: (engine: TemplateEngine) => RenderedFile[];
}

/**
 * The pages that list releases, in parts: the language chooser, a newsroom index (the
 * newest `newsroom.pageSize` releases, then links to the years and topics) and a feed per
 * language, and the sitemap, which any release's change may change; then each year and
 * each topic of the archive (archive.ts), which change only with their own releases. A
 * release missing in a language is listed in that language's lists with its other
 * edition and a note ("French only").
 */
export function siteParts(entries: readonly ReleaseEntry[], config: Config, now: number): SitePart[] {
  const sorted = [...entries].sort(newestFirst);
  const years = yearListings(sorted, config.languages);
  const topics = topicListings(sorted, config);
  return [
    ...indexParts(sorted, years, topics, config, now),
    ...[...years, ...topics].map((listing) => ({
      id: `${listing.kind}:${listing.key}`,
      key: digest(listing),
      render: (engine: TemplateEngine) => renderListings([listing], config, engine, now),
    })),
  ];
}

function digest(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

/**
 * The language chooser, each language's index and feed, and the sitemap: a part each, keyed
 * by what that file shows, so that an edit to a release outside the newest ones (its words,
 * not its date or pages) leaves them all alone.
 */
function indexParts(
  sorted: readonly ReleaseEntry[],
  years: readonly Listing[],
  topics: readonly Listing[],
  config: Config,
  now: number,
): SitePart[] {
  const parts: SitePart[] = [];
  const pageSize = pageSizeOf(config);
  const orgShort = config.organization.shortName;
  parts.push({
    id: 'chooser',
    // The config alone (in the build cache's key).
    key: '',
    render: (engine) => [
      {
        path: 'index.html',
        content: engine.render('chooser', {
          orgShort,
          primary: stringsFor(config.languages[0]!).htmlLang,
          languages: config.languages.map((l) => ({
            lang: stringsFor(l).htmlLang,
            href: relativeUrl('index.html', sitePaths.index(l)),
            label: stringsFor(l).languageName,
            heading: stringsFor(l).newsroom,
            orgName: config.organization.name[l],
            choose: stringsFor(l).chooseLanguage,
          })),
          css: relativeUrl('index.html', sitePaths.stylesheet),
          canonical: absoluteUrl(config, 'index.html'),
        }),
      },
    ],
  });

  for (const lang of config.languages) {
    const s = stringsFor(lang);
    const path = sitePaths.index(lang);
    const items = sorted.map((entry) => listItem(entry, lang, path, config));
    const collator = new Intl.Collator(s.htmlLang);
    const orgName = config.organization.name[lang] ?? orgShort;
    const others = config.languages.filter((l) => l !== lang);
    const index = {
      htmlLang: s.htmlLang,
      s,
      orgName,
      pageTitle: `${s.newsroom} — ${orgShort}`,
      description: `${s.newsroom} — ${orgName}`,
      items: items.slice(0, pageSize),
      n: newsroomStringsFor(lang),
      years: years.map((y) => listingLink(y, lang, path)),
      topics: topics
        .map((t) => listingLink(t, lang, path))
        .sort((a, b) => collator.compare(a.label, b.label) || (a.href < b.href ? -1 : 1)),
      canonical: absoluteUrl(config, path),
      alternates: config.languages.map((l) => ({
        hreflang: stringsFor(l).htmlLang,
        href: absoluteUrl(config, sitePaths.index(l)),
      })),
      xDefault: absoluteUrl(config, sitePaths.index(config.languages[0]!)),
      toggles: others.map((l) => ({
        href: relativeUrl(path, sitePaths.index(l)),
        lang: stringsFor(l).htmlLang,
        hreflang: stringsFor(l).htmlLang,
        label: stringsFor(l).languageName,
      })),
      css: relativeUrl(path, sitePaths.stylesheet),
      printCss: relativeUrl(path, sitePaths.printStylesheet),
      feed: relativeUrl(path, sitePaths.feed(lang)),
      home: relativeUrl(path, 'index.html'),
    };
    parts.push({
      id: `index:${lang}`,
      key: digest(index),
      render: (engine) => [{ path, content: engine.render('newsroom', index) }],
    });

    // Feeds and the sitemap are for the public: an embargo preview never enters them.
    const feedItems = items.filter((i) => !i.foreign && !i.embargoed).slice(0, 50);
    const updated =
      sorted.filter((e) => !e.pages[0]!.embargoed).find((e) => e.pages.some((p) => p.lang === lang))?.pages[0]
        ?.published ?? new Date(now).toISOString();
    const feed = {
      lang: s.htmlLang,
      title: `${s.newsroom} — ${orgName}`,
      id: absoluteUrl(config, sitePaths.index(lang)),
      self: absoluteUrl(config, sitePaths.feed(lang)),
      home: absoluteUrl(config, sitePaths.index(lang)),
      orgName,
      updated,
      items: feedItems,
    };
    parts.push({
      id: `feed:${lang}`,
      key: digest(feed),
      render: (engine) => [{ path: sitePaths.feed(lang), content: engine.render('feed', feed) }],
    });
  }

  const publicEntries = sorted.filter((entry) => !entry.pages[0]!.embargoed);
  const urls = publicEntries.flatMap((entry) =>
    entry.pages.map((page) => ({
      loc: absoluteUrl(config, page.path),
      lastmod: page.published.slice(0, 10),
      alternates: entry.pages.map((p) => ({
        hreflang: stringsFor(p.lang).htmlLang,
        href: absoluteUrl(config, p.path),
      })),
      xDefault: absoluteUrl(config, entry.pages[0]!.path),
    })),
  );
  const indexAlternates = config.languages.map((l) => ({
    hreflang: stringsFor(l).htmlLang,
    href: absoluteUrl(config, sitePaths.index(l)),
  }));
  for (const lang of [...config.languages].reverse()) {
    urls.unshift({
      loc: absoluteUrl(config, sitePaths.index(lang)),
      lastmod: '',
      alternates: indexAlternates,
      xDefault: absoluteUrl(config, sitePaths.index(config.languages[0]!)),
    });
  }
  // After the indexes: the archive's pages, as the public sees them (an embargo preview
  // may add pages that the public site will not have yet).
  urls.splice(
    config.languages.length,
    0,
    ...listingSitemapUrls(
      // The listings already made, unless an embargo preview added releases to them.
      publicEntries.length === sorted.length
        ? [...years, ...topics]
        : [...yearListings(publicEntries, config.languages), ...topicListings(publicEntries, config)],
      config,
    ),
  );
  parts.push({
    id: 'sitemap',
    key: digest(urls),
    render: (engine) => [{ path: 'sitemap.xml', content: engine.render('sitemap', { urls }) }],
  });
  return parts;
}
