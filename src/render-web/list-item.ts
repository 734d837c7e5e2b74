import { formatDate } from '../locale/dates.js';
import { languageNameIn, stringsFor } from '../locale/strings.js';
import type { Config } from '../model/config.js';
import type { PageSummary } from './page.js';
import { absoluteUrl, relativeUrl } from './urls.js';

/** One release as the indexes see it: its pages, primary language first, and its tags. */
export interface ReleaseEntry {
  id: string;
  pages: PageSummary[];
  /** As written in the primary edition (a translation inherits them). */
  tags: readonly string[];
}

export interface ListItem {
  href: string;
  url: string;
  title: string;
  summary: string;
  date: string;
  datetime: string;
  lang: string;
  foreign: boolean;
  note: string;
  embargoed: boolean;
}

export const newestFirst = (a: ReleaseEntry, b: ReleaseEntry) =>
  b.pages[0]!.epoch - a.pages[0]!.epoch || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/**
 * A release in a list of `lang`'s newsroom, linked from the page at `from`: its edition in
 * that language, or its other edition with a note ("French only") when it has none.
 */
export function listItem(
  entry: ReleaseEntry,
  lang: string,
  from: string,
  config: Pick<Config, 'baseUrl'>,
): ListItem {
  const page = entry.pages.find((p) => p.lang === lang) ?? entry.pages[0]!;
  return {
    href: relativeUrl(from, page.path),
    url: absoluteUrl(config, page.path),
    title: page.title,
    summary: page.summary,
    date: formatDate(page.day, lang),
    datetime: page.published,
    lang: stringsFor(page.lang).htmlLang,
    foreign: page.lang !== lang,
    note: page.lang !== lang ? stringsFor(lang).onlyIn(languageNameIn(page.lang, lang)) : '',
    embargoed: page.embargoed,
  };
}
