import type { Config } from '../model/config.js';
import { stringsFor } from '../locale/strings.js';
import type { TemplateEngine } from '../templating/engine.js';
import { listItem, type ReleaseEntry } from './list-item.js';
import { newsroomStringsFor } from './newsroom-strings.js';
import type { RenderedFile } from './page.js';
import { tagSlug } from './tag-slug.js';
import { absoluteUrl, relativeUrl, sitePaths } from './urls.js';

/**
 * The newsroom's archive: a page per year and per topic (tag) in every language, split in
 * pages of `pageSize` releases, and an Atom feed per topic. Every language lists the same
 * releases (a release missing in one is listed with its other edition, as on the index),
 * so page n of a year or topic in French pairs with page n in English.
 */

export const DEFAULT_PAGE_SIZE = 20;

/** A year or a topic, in every language: the releases it lists, newest first. */
export interface Listing {
  kind: 'year' | 'topic';
  /** The year, or the topic's slug in the primary language: one listing per key. */
  key: string;
  label: Readonly<Record<string, string>>;
  /** URL segment per language: the year, or the topic's slug in that language. */
  slug: Readonly<Record<string, string>>;
  entries: ReleaseEntry[];
}

/** Where the pages of the archive are, relative to the site's root. */
export const archivePaths = {
  year: (lang: string, year: string, page = 1) => paged(`${lang}/${year}/`, page),
  topic: (lang: string, slug: string, page = 1) =>
    paged(`${lang}/${newsroomStringsFor(lang).topicsFolder}/${slug}/`, page),
  topicFeed: (lang: string, slug: string) =>
    `${lang}/${newsroomStringsFor(lang).topicsFolder}/${slug}/feed.xml`,
};

function paged(dir: string, page: number): string {
  return page === 1 ? `${dir}index.html` : `${dir}page/${page}/index.html`;
}

export function pageSizeOf(config: Pick<Config, 'newsroom'>): number {
  return config.newsroom?.pageSize ?? DEFAULT_PAGE_SIZE;
}

/** `sorted` (newest first) grouped by calendar year, newest year first. */
export function yearListings(sorted: readonly ReleaseEntry[], languages: readonly string[]): Listing[] {
  const byYear = new Map<string, ReleaseEntry[]>();
  for (const e of sorted) {
    const year = String(e.pages[0]!.day.year);
    byYear.set(year, [...(byYear.get(year) ?? []), e]);
  }
  return [...byYear.keys()]
    .sort((a, b) => Number(b) - Number(a))
    .map((year) => ({
      kind: 'year' as const,
      key: year,
      label: Object.fromEntries(languages.map((l) => [l, year])),
      slug: Object.fromEntries(languages.map((l) => [l, year])),
      entries: byYear.get(year)!,
    }));
}

/**
 * `sorted` (newest first) grouped by tag. Tags are written once per release, in the primary
 * language; spellings with the same slug (« Infrastructures », « infrastructures ») are one
 * topic. A topic's name in another language comes from the config's `newsroom.tags`
 * (matched on the primary language's name), else it is the tag as written, and its URL
 * segment in each language is the slug of its name there. Without a translation the name
 * is the spelling of the oldest release, so a new release never renames a topic.
 */
export function topicListings(
  sorted: readonly ReleaseEntry[],
  config: Pick<Config, 'languages' | 'newsroom'>,
): Listing[] {
  const primary = config.languages[0]!;
  const translations = new Map(
    (config.newsroom?.tags ?? []).map((names) => [tagSlug(names[primary] ?? ''), names] as const),
  );
  const byKey = new Map<string, { spelling: string; entries: ReleaseEntry[] }>();
  for (const e of sorted) {
    for (const tag of new Set(e.tags ?? [])) {
      const key = tagSlug(tag);
      const seen = byKey.get(key);
      // `sorted` is newest first: the last spelling met is the oldest release's.
      if (seen) {
        if (!seen.entries.includes(e)) seen.entries.push(e);
        seen.spelling = tag;
      } else byKey.set(key, { spelling: tag, entries: [e] });
    }
  }
  const listings = [...byKey.entries()].map(([key, { spelling, entries }]) => {
    const names = translations.get(key);
    const label = Object.fromEntries(config.languages.map((l) => [l, names?.[l] ?? spelling]));
    return {
      kind: 'topic' as const,
      key,
      label,
      slug: Object.fromEntries(config.languages.map((l) => [l, l === primary ? key : tagSlug(label[l]!)])),
      entries,
    };
  });
  // Two topics with one name in a language (« Eau » and « Eau potable » both "Water") would
  // share a page there: each then takes its primary slug as a suffix, which no other has.
  for (const lang of config.languages.slice(1)) {
    const uses = new Map<string, number>();
    for (const t of listings) uses.set(t.slug[lang]!, (uses.get(t.slug[lang]!) ?? 0) + 1);
    for (const t of listings)
      if (uses.get(t.slug[lang]!)! > 1) t.slug = { ...t.slug, [lang]: `${t.slug[lang]}-${t.key}` };
  }
  return listings;
}

/** The path of page `page` of `listing` in `lang`. */
export function listingPath(listing: Listing, lang: string, page = 1): string {
  const slug = listing.slug[lang]!;
  return listing.kind === 'year' ? archivePaths.year(lang, slug, page) : archivePaths.topic(lang, slug, page);
}

export function pageCount(listing: Listing, pageSize: number): number {
  return Math.max(1, Math.ceil(listing.entries.length / pageSize));
}

/** A link from the language index to a listing. */
export function listingLink(listing: Listing, lang: string, from: string) {
  return {
    href: relativeUrl(from, listingPath(listing, lang)),
    label: listing.label[lang]!,
    count: newsroomStringsFor(lang).count(listing.entries.length),
  };
}

/** Every page of every listing in every language, and a feed per topic and language. */
export function renderListings(
  listings: readonly Listing[],
  config: Config,
  engine: TemplateEngine,
  now: number,
): RenderedFile[] {
  const files: RenderedFile[] = [];
  const pageSize = pageSizeOf(config);
  const orgShort = config.organization.shortName;
  for (const listing of listings) {
    const total = pageCount(listing, pageSize);
    for (const lang of config.languages) {
      const s = stringsFor(lang);
      const n = newsroomStringsFor(lang);
      const orgName = config.organization.name[lang] ?? orgShort;
      const heading = listing.kind === 'year' ? n.year(listing.label[lang]!) : n.topic(listing.label[lang]!);
      const feedPath =
        listing.kind === 'topic' ? archivePaths.topicFeed(lang, listing.slug[lang]!) : sitePaths.feed(lang);
      for (let page = 1; page <= total; page++) {
        const path = listingPath(listing, lang, page);
        const at = (p: number) => relativeUrl(path, listingPath(listing, lang, p));
        const status = total > 1 ? n.pageOf(page, total) : '';
        files.push({
          path,
          content: engine.render('listing', {
            htmlLang: s.htmlLang,
            s,
            n,
            orgName,
            heading,
            status,
            pageTitle: [heading, status, orgShort].filter((t) => t !== '').join(' — '),
            description: `${heading} — ${orgName}`,
            count: n.count(listing.entries.length),
            items: listing.entries
              .slice((page - 1) * pageSize, page * pageSize)
              .map((e) => listItem(e, lang, path, config)),
            canonical: absoluteUrl(config, path),
            alternates: config.languages.map((l) => ({
              hreflang: stringsFor(l).htmlLang,
              href: absoluteUrl(config, listingPath(listing, l, page)),
            })),
            xDefault: absoluteUrl(config, listingPath(listing, config.languages[0]!, page)),
            toggles: config.languages
              .filter((l) => l !== lang)
              .map((l) => ({
                href: relativeUrl(path, listingPath(listing, l, page)),
                lang: stringsFor(l).htmlLang,
                hreflang: stringsFor(l).htmlLang,
                label: stringsFor(l).languageName,
              })),
            pagination:
              total > 1
                ? {
                    previous: page > 1 ? at(page - 1) : '',
                    next: page < total ? at(page + 1) : '',
                    pages: Array.from({ length: total }, (_, i) => ({
                      number: i + 1,
                      href: at(i + 1),
                      current: i + 1 === page,
                      label: n.pageNumber(i + 1),
                    })),
                  }
                : null,
            topicFeed: listing.kind === 'topic' ? relativeUrl(path, feedPath) : '',
            css: relativeUrl(path, sitePaths.stylesheet),
            printCss: relativeUrl(path, sitePaths.printStylesheet),
            feed: relativeUrl(path, feedPath),
            newsroom: relativeUrl(path, sitePaths.index(lang)),
          }),
        });
      }
      if (listing.kind === 'topic') {
        // As the language feed: the public's releases in this language only.
        const items = listing.entries
          .map((e) => listItem(e, lang, feedPath, config))
          .filter((i) => !i.foreign && !i.embargoed)
          .slice(0, 50);
        const home = absoluteUrl(config, listingPath(listing, lang));
        files.push({
          path: feedPath,
          content: engine.render('feed', {
            lang: s.htmlLang,
            title: `${n.topic(listing.label[lang]!)} — ${orgName}`,
            id: home,
            self: absoluteUrl(config, feedPath),
            home,
            orgName,
            updated: items[0]?.datetime ?? new Date(now).toISOString(),
            items,
          }),
        });
      }
    }
  }
  return files;
}

/** The sitemap's entries for the listings: every page, with its counterparts in the other languages. */
export function listingSitemapUrls(listings: readonly Listing[], config: Config) {
  const pageSize = pageSizeOf(config);
  return listings.flatMap((listing) =>
    Array.from({ length: pageCount(listing, pageSize) }, (_, i) => i + 1).flatMap((page) => {
      const alternates = config.languages.map((l) => ({
        hreflang: stringsFor(l).htmlLang,
        href: absoluteUrl(config, listingPath(listing, l, page)),
      }));
      return config.languages.map((lang) => ({
        loc: absoluteUrl(config, listingPath(listing, lang, page)),
        lastmod: '',
        alternates,
        xDefault: absoluteUrl(config, listingPath(listing, config.languages[0]!, page)),
      }));
    }),
  );
}
