import type { Config } from '../model/config.js';
import type { Contact, Edition, Release } from '../model/release.js';
import { dateline, embargoLine, formatDate } from '../locale/dates.js';
import { stringsFor, type Strings } from '../locale/strings.js';
import { englishText, frenchText, phoneText, type FrenchProfile } from '../markdown/typography.js';

/**
 * The words a renderer puts around a release body, in one edition's language: the same for
 * the web page, the e-mail and the plain text, so they can never disagree.
 */
export interface ReleaseParts {
  lang: string;
  strings: Strings;
  releaseLine: string;
  title: string;
  subtitle: string;
  summary: string;
  dateline: string;
  date: string;
  sources: ContactView[];
  informations: ContactView[];
  aboutHeading: string;
  aboutParagraphs: string[];
  orgName: string;
  imageAlt: string;
}

export interface ContactView {
  name: string;
  role: string;
  email: string;
  phone: string;
  tel: string;
}

/** Typography for one language's prose outside the markdown body (titles, boilerplate). */
export function proseTypography(lang: string, profile: FrenchProfile): (text: string) => string {
  if (lang.startsWith('fr')) return (t) => frenchText(t, { profile });
  if (lang.startsWith('en')) return englishText;
  return (t) => t;
}

// The boilerplate is the same in every release: its typography is worked out once per config.
const boilerplates = new WeakMap<Config, Map<string, readonly string[]>>();

function boilerplate(config: Config, lang: string): readonly string[] {
  let byLang = boilerplates.get(config);
  if (!byLang) {
    byLang = new Map();
    boilerplates.set(config, byLang);
  }
  let paragraphs = byLang.get(lang);
  if (!paragraphs) {
    const fix = proseTypography(lang, config.typography.fr);
    paragraphs = (config.organization.boilerplate[lang] ?? '')
      .split(/\n\s*\n/)
      .map((p) => fix(p.trim()))
      .filter(Boolean);
    byLang.set(lang, paragraphs);
  }
  return paragraphs;
}

/**
 * The parts of one edition. `embargoed`: whether the embargo still holds when the output is
 * read (built, sent); once it has passed, the release line is the immediate-release one.
 */
export function releaseParts(
  release: Release,
  edition: Edition,
  config: Config,
  embargoed: boolean,
): ReleaseParts {
  const s = stringsFor(edition.lang);
  const fix = proseTypography(edition.lang, config.typography.fr);
  const contact = (c: Contact): ContactView => ({
    name: fix(c.name),
    role: c.role ? fix(c.role) : '',
    email: c.email,
    phone: c.phone ? phoneText(c.phone) : '',
    tel: c.phone ? telUrl(c.phone) : '',
  });
  return {
    lang: edition.lang,
    strings: s,
    releaseLine:
      embargoed && release.embargo
        ? embargoLine(release.embargo.epoch, config.timeZone, edition.lang)
        : s.immediateRelease,
    title: fix(edition.title),
    subtitle: edition.subtitle ? fix(edition.subtitle) : '',
    summary: edition.summary ? fix(edition.summary) : '',
    dateline: dateline(edition.place || release.editions[0]!.place, release.date, edition.lang),
    date: formatDate(release.date, edition.lang),
    sources: edition.contacts.filter((c) => c.kind === 'source').map(contact),
    informations: edition.contacts.filter((c) => c.kind === 'information').map(contact),
    aboutHeading: s.aboutPrefix(config.organization.shortName),
    aboutParagraphs: [...boilerplate(config, edition.lang)],
    orgName: config.organization.name[edition.lang] ?? config.organization.shortName,
    imageAlt: edition.image ? fix(edition.image.alt) : '',
  };
}

/** A `tel:` URL: a 10-digit number is a North American one, which a Quebec release carries. */
export function telUrl(phone: string): string {
  const ext = /(?:poste|ext\.?|x|,)\s*(\d+)\s*$/i.exec(phone);
  const main = (ext ? phone.slice(0, ext.index) : phone).trim();
  let digits = main.replace(/[^\d+]/g, '');
  if (!digits.startsWith('+')) digits = digits.length === 10 ? `+1${digits}` : digits;
  return `tel:${digits}${ext ? `;ext=${ext[1]}` : ''}`;
}

/** The first words of a text, cut at a word boundary. */
export function excerpt(text: string, max = 200): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${cut.slice(0, space > 0 ? space : max)}…`;
}
