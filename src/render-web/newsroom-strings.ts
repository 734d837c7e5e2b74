/**
 * Words of the newsroom's archive pages (years, topics, pagination), per language. Kept
 * beside the pages that use them; French follows the OQLF (no-break space before the colon).
 */
export interface NewsroomStrings {
  /** Folder of the topic pages under the language's folder: ASCII, part of the URLs. */
  topicsFolder: string;
  byYear: string;
  byTopic: string;
  year: (year: string) => string;
  topic: (label: string) => string;
  count: (n: number) => string;
  pagination: string;
  previous: string;
  next: string;
  pageOf: (page: number, total: number) => string;
  pageNumber: (page: number) => string;
  topicFeed: string;
  backToNewsroom: string;
}

const NBSP = '\u00A0';

const fr: NewsroomStrings = {
  topicsFolder: 'sujets',
  byYear: 'Archives par année',
  byTopic: 'Communiqués par sujet',
  year: (y) => `Communiqués de ${y}`,
  topic: (label) => `Sujet${NBSP}: ${label}`,
  count: (n) => (n < 2 ? `${n}${NBSP}communiqué` : `${n}${NBSP}communiqués`),
  pagination: 'Pages',
  previous: 'Précédent',
  next: 'Suivant',
  pageOf: (p, t) => `Page ${p} sur ${t}`,
  pageNumber: (p) => `Page ${p}`,
  topicFeed: 'Fil Atom de ce sujet',
  backToNewsroom: 'Tous les communiqués',
};

const en: NewsroomStrings = {
  topicsFolder: 'topics',
  byYear: 'Archive by year',
  byTopic: 'Releases by topic',
  year: (y) => `News releases from ${y}`,
  topic: (label) => `Topic: ${label}`,
  count: (n) => (n === 1 ? '1 release' : `${n} releases`),
  pagination: 'Pages',
  previous: 'Previous',
  next: 'Next',
  pageOf: (p, t) => `Page ${p} of ${t}`,
  pageNumber: (p) => `Page ${p}`,
  topicFeed: 'Atom feed of this topic',
  backToNewsroom: 'All news releases',
};

const STRINGS: Readonly<Record<string, NewsroomStrings>> = { fr, en };

export function newsroomStringsFor(lang: string): NewsroomStrings {
  const s = STRINGS[lang];
  if (!s) throw new Error(`no newsroom strings for language "${lang}"`);
  return s;
}
