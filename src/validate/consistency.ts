/**
 * Translation consistency: warns when a number, an amount, a percentage, a date, an e-mail
 * address or a URL appears in one edition of a release and not in the other.
 *
 * Each edition's prose is scanned for facts, which are normalised so that the French and
 * the English spellings of the same fact compare equal (`1 000,50 $` and `$1,000.50` are
 * both 1000.5 dollars; `13 janvier 2020` and `January 13, 2020` are both 2020-01-13).
 * The facts of the two editions are then compared as sets.
 *
 * False positives cost a reviewer's attention on every release, so the matching is lenient
 * where the two languages legitimately differ: numbers, amounts and percentages match on
 * their value alone, a date without a year matches the same day with a year, a year written
 * alone matches the year of a date, and URLs differing only in scheme, `www.`, a trailing
 * slash or a language segment (`/fr/` vs `/en/`) are the same URL. Times, phone numbers,
 * postal codes, ordinals and version numbers are not facts: they are written differently in
 * each language (`14 h` vs `2 p.m.`, `1er` vs `1st`) or are identifiers.
 */
import type { InlineCode, Nodes, PhrasingContent, Root } from 'mdast';
import { SKIP, visit } from 'unist-util-visit';
import type { Code, Diagnostic } from '../errors/index.js';

export interface EditionText {
  lang: string;
  file: string;
  tree: Root;
  /** Front-matter strings (title, subtitle, summary), located at their first character. */
  extra?: Array<{ text: string; line: number; column: number }>;
}

export type FactKind = 'number' | 'amount' | 'percent' | 'date' | 'email' | 'url';

export interface Fact {
  kind: FactKind;
  /** The fact as written, e.g. `1 000 $`. */
  raw: string;
  /** The language-independent form: `1000 $`, `25 %`, `1500`, `2020-01-13`, `--12-01`, `info@aimq.ca`, `aimq.ca/rapport`. */
  normalized: string;
  /** For numbers, amounts and percentages: the value, compared across these three kinds. */
  value?: number;
  /** Index in the scanned text where the fact starts. */
  index: number;
}

// ---------------------------------------------------------------------------------------
// Checking two editions

/** Warnings (severity 'warning') for facts present in one edition and missing from the other. Pure. */
export function checkTranslationConsistency(primary: EditionText, translation: EditionText): Diagnostic[] {
  const primaryFacts = factsOfEdition(primary);
  const translationFacts = factsOfEdition(translation);
  return [
    ...reportMissing(primaryFacts, indexFacts(translationFacts), primary.file, translation.file),
    ...reportMissing(translationFacts, indexFacts(primaryFacts), translation.file, primary.file),
  ];
}

interface LocatedFact extends Fact {
  line: number;
  column: number;
}

/** What one edition contains, in the shape the matching rules ask about. */
interface FactIndex {
  /** Values of every number, amount and percentage, plus the years of dates. */
  values: Set<number>;
  /** `MM-DD` of every date, with the years it appears with (`''` for a date without a year). */
  dates: Map<string, Set<string>>;
  /** `kind:normalized` of e-mail addresses and URLs. */
  keys: Set<string>;
}

function indexFacts(facts: readonly Fact[]): FactIndex {
  const index: FactIndex = { values: new Set(), dates: new Map(), keys: new Set() };
  for (const fact of facts) {
    if (fact.value !== undefined) index.values.add(fact.value);
    if (fact.kind === 'date') {
      const { year, monthDay } = splitDate(fact.normalized);
      if (year) index.values.add(Number(year));
      const years = index.dates.get(monthDay) ?? new Set<string>();
      years.add(year);
      index.dates.set(monthDay, years);
    }
    index.keys.add(`${fact.kind}:${fact.normalized}`);
  }
  return index;
}

/** `2020-01-13` → year `2020`, `01-13`; `--12-01` → year `''`, `12-01`. */
function splitDate(normalized: string): { year: string; monthDay: string } {
  return {
    year: normalized.slice(0, normalized.length - 6).replace(/-+$/, ''),
    monthDay: normalized.slice(-5),
  };
}

function hasMatch(fact: Fact, other: FactIndex): boolean {
  if (fact.value !== undefined) return other.values.has(fact.value);
  if (fact.kind === 'date') {
    const { year, monthDay } = splitDate(fact.normalized);
    const years = other.dates.get(monthDay);
    // A date without a year is the same day as the other edition's dated one, and vice versa.
    return years !== undefined && (year === '' || years.has(year) || years.has(''));
  }
  return other.keys.has(`${fact.kind}:${fact.normalized}`);
}

const KIND_CODE: Record<FactKind, Code> = {
  number: 'AIMQ-TRANSLATION-NUMBER',
  amount: 'AIMQ-TRANSLATION-AMOUNT',
  percent: 'AIMQ-TRANSLATION-AMOUNT',
  date: 'AIMQ-TRANSLATION-DATE',
  email: 'AIMQ-TRANSLATION-EMAIL',
  url: 'AIMQ-TRANSLATION-URL',
};

const KIND_LABEL: Record<FactKind, string> = {
  number: 'number',
  amount: 'amount',
  percent: 'percentage',
  date: 'date',
  email: 'e-mail address',
  url: 'URL',
};

const HINT = 'check the translation, or write the same figure in both editions';

/** One warning per distinct fact of `facts` that `other` lacks, at its first occurrence. */
function reportMissing(
  facts: readonly LocatedFact[],
  other: FactIndex,
  file: string,
  otherFile: string,
): Diagnostic[] {
  const reported = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  for (const fact of facts) {
    const identity = fact.value !== undefined ? `value:${fact.value}` : `${fact.kind}:${fact.normalized}`;
    if (reported.has(identity) || hasMatch(fact, other)) continue;
    reported.add(identity);
    const raw = fact.raw.replace(/\s+/g, ' ');
    const normalized = fact.normalized === raw ? '' : ` (${fact.normalized})`;
    diagnostics.push({
      file,
      line: fact.line,
      column: fact.column,
      severity: 'warning',
      code: KIND_CODE[fact.kind],
      message: `${KIND_LABEL[fact.kind]} "${raw}"${normalized} appears in ${file} but not in ${otherFile}`,
      hint: HINT,
    });
  }
  return diagnostics;
}

// ---------------------------------------------------------------------------------------
// Collecting the facts of an edition, with their place in the file

/**
 * A run of text whose facts are extracted together, with where each piece of it starts
 * in the file. A paragraph's inline nodes are joined into one passage so that a fact split
 * by markup (`1<sup>er</sup> janvier`, `**2 000** $`) is still read whole.
 */
interface Passage {
  text: string;
  pieces: Piece[];
}

interface Piece {
  /** Where the piece starts in the passage's text. */
  offset: number;
  line: number;
  column: number;
  /** Column of the text after a line break inside the piece (the container's indentation + 1). */
  continuationColumn: number;
}

function factsOfEdition(edition: EditionText): LocatedFact[] {
  const facts: LocatedFact[] = [];
  for (const passage of passagesOf(edition)) {
    for (const fact of extractFacts(passage.text, edition.lang))
      facts.push({ ...fact, ...locate(passage, fact.index) });
  }
  visit(edition.tree, (node) => {
    if ((node.type === 'link' || node.type === 'image' || node.type === 'definition') && node.position) {
      const fact = factOfDestination(node.url, edition.lang);
      if (fact) facts.push({ ...fact, line: node.position.start.line, column: node.position.start.column });
    }
  });
  return facts.sort((a, b) => a.line - b.line || a.column - b.column);
}

function passagesOf(edition: EditionText): Passage[] {
  const passages: Passage[] = (edition.extra ?? []).map(({ text, line, column }) => ({
    text,
    pieces: [{ offset: 0, line, column, continuationColumn: 1 }],
  }));
  visit(edition.tree, (node) => {
    if (node.type === 'paragraph' || node.type === 'heading' || node.type === 'tableCell') {
      const passage: Passage = { text: '', pieces: [] };
      for (const child of node.children) appendInline(passage, child, passages);
      passages.push(passage);
      return SKIP;
    }
    return undefined;
  });
  return passages;
}

/** Adds an inline node's text to the passage; image alt texts become passages of their own. */
function appendInline(passage: Passage, node: PhrasingContent, passages: Passage[]): void {
  switch (node.type) {
    case 'text':
      appendPiece(passage, node.value, node);
      break;
    case 'inlineCode':
      appendPiece(passage, node.value, node, codeFenceWidth(node));
      break;
    case 'break':
      passage.text += '\n';
      break;
    case 'html':
      // `1<sup>er</sup>` reads `1er`; a `<br>` still separates what it stands between.
      passage.text += /^<br\b/i.test(node.value) ? '\n' : '';
      break;
    case 'image':
      if (node.alt) {
        const alt: Passage = { text: '', pieces: [] };
        appendPiece(alt, node.alt, node, 2); // after `![`
        passages.push(alt);
      }
      break;
    case 'emphasis':
    case 'strong':
    case 'delete':
    case 'link':
    case 'linkReference':
      for (const child of node.children) appendInline(passage, child, passages);
      break;
    default:
      break; // footnote references, image references: no prose
  }
}

function appendPiece(passage: Passage, value: string, node: Nodes, skip = 0): void {
  const position = node.position;
  if (position) {
    // Lines after the first lose the container's prefix (`> `, list indentation) in the
    // node's value; the end column tells how wide that prefix is.
    const lastLine = value.slice(value.lastIndexOf('\n') + 1);
    const prefix = value.includes('\n') ? Math.max(0, position.end.column - 1 - lastLine.length) : 0;
    passage.pieces.push({
      offset: passage.text.length,
      line: position.start.line,
      column: position.start.column + skip,
      continuationColumn: prefix + 1,
    });
  }
  passage.text += value;
}

/** How many characters precede an inline code's value: the backticks, and a padding space. */
function codeFenceWidth(node: InlineCode): number {
  const start = node.position?.start.offset;
  const end = node.position?.end.offset;
  if (start === undefined || end === undefined) return 1;
  return Math.max(1, Math.floor((end - start - node.value.length) / 2));
}

/** Line and column in the file of the passage's character at `index`. */
function locate(passage: Passage, index: number): { line: number; column: number } {
  let piece: Piece | undefined;
  for (const candidate of passage.pieces) if (candidate.offset <= index) piece = candidate;
  if (!piece) return { line: 1, column: 1 };
  const before = passage.text.slice(piece.offset, index);
  const breaks = before.split('\n').length - 1;
  if (breaks === 0) return { line: piece.line, column: piece.column + before.length };
  return {
    line: piece.line + breaks,
    column: piece.continuationColumn + before.length - before.lastIndexOf('\n') - 1,
  };
}

/** A link's or image's destination: a `mailto:` address or a web URL; local files are not facts. */
function factOfDestination(url: string, lang: string): Fact | undefined {
  const mailto = /^mailto:([^?]+)/i.exec(url);
  if (mailto?.[1]) {
    const address = decodeURIComponent(mailto[1]);
    return { kind: 'email', raw: address, normalized: address.toLowerCase(), index: 0 };
  }
  if (!WEB_URL_START.test(url)) return undefined;
  const normalized = normaliseUrl(url, lang);
  return normalized === undefined ? undefined : { kind: 'url', raw: url, normalized, index: 0 };
}

// ---------------------------------------------------------------------------------------
// Extracting facts from a string

type Language = 'fr' | 'en';

/**
 * A kind of thing to find in text. Recognisers run in order over the same text, and what
 * one recognises is blanked out before the next runs, so that the `2020` of a date or
 * the `514` of a phone number is not read again as a plain number.
 */
interface Recogniser {
  pattern: RegExp;
  /** The facts a match stands for; `[]` claims the text without a fact (a time, a phone number); `undefined` leaves it to later recognisers. */
  read: (match: RegExpExecArray, language: Language) => Fact[] | undefined;
}

/** Exposed for tests: the normalised facts of one text, with the index where each starts. */
export function extractFacts(text: string, lang: string): Fact[] {
  const language: Language = lang.toLowerCase().startsWith('fr') ? 'fr' : 'en';
  let remaining = text;
  const facts: Fact[] = [];
  for (const recogniser of RECOGNISERS[language]) {
    const claimed: Array<[start: number, end: number]> = [];
    const { pattern } = recogniser;
    pattern.lastIndex = 0;
    let match: RegExpExecArray | null;
    while ((match = pattern.exec(remaining)) !== null) {
      const found = recogniser.read(match, language);
      if (found === undefined) {
        pattern.lastIndex = match.index + 1; // not one after all: let a shorter match start inside it
        continue;
      }
      facts.push(...found);
      claimed.push([match.index, match.index + match[0].length]);
    }
    remaining = blank(remaining, claimed);
  }
  return facts.sort((a, b) => a.index - b.index);
}

/** Replaces the claimed spans (in order, not overlapping) by a character that is neither a letter, a digit nor a space. */
function blank(text: string, spans: ReadonlyArray<[start: number, end: number]>): string {
  if (spans.length === 0) return text;
  const parts: string[] = [];
  let from = 0;
  for (const [start, end] of spans) {
    parts.push(text.slice(from, start), '\u001F'.repeat(end - start));
    from = end;
  }
  parts.push(text.slice(from));
  return parts.join('');
}

// Building blocks of the patterns. `(?<![\p{L}\p{N}])` and `(?![\p{L}\p{N}])` keep a
// number from being read inside a word: `A320`, `H2X`, `COVID19`, and the ordinals `1er`,
// `2e`, `XXIe`, `1st`, `3rd`, which differ between the languages, all stay out.
const NOT_AFTER_WORD = String.raw`(?<![\p{L}\p{N}])`;
const NOT_BEFORE_WORD = String.raw`(?![\p{L}\p{N}])`;
const NOT_BEFORE_LETTER = String.raw`(?![\p{L}])`;

/** Spaces that group thousands: plain, no-break (U+00A0), narrow no-break (U+202F), thin (U+2009). */
const GROUP_SPACE = String.raw`[ \u00A0\u202F\u2009]`;

/**
 * French numbers: thousands grouped by spaces, decimal comma (`1 000,50`). A decimal point
 * is accepted too, a frequent slip that would otherwise split `3.5` into two numbers.
 * `(?!\d)` after each group keeps `1 0000` from being read as `1 000`.
 */
const FR_NUMBER = String.raw`\d{1,3}(?:${GROUP_SPACE}\d{3}(?!\d))+(?:,\d+)?|\d+(?:[,.]\d+)?`;

/** English numbers: thousands grouped by commas (`1,000.50`) or, in the SI style of Canadian English, by spaces. */
const EN_NUMBER = String.raw`\d{1,3}(?:,\d{3}(?!\d))+(?:\.\d+)?|\d{1,3}(?:${GROUP_SPACE}\d{3}(?!\d))+(?:\.\d+)?|\d+(?:\.\d+)?`;

/** Words that multiply the number before them. French `billion` is 10¹², English `billion` 10⁹. */
const SCALE_WORDS: Record<Language, Record<string, number>> = {
  fr: {
    mille: 1e3,
    million: 1e6,
    millions: 1e6,
    milliard: 1e9,
    milliards: 1e9,
    billion: 1e12,
    billions: 1e12,
  },
  en: {
    thousand: 1e3,
    million: 1e6,
    millions: 1e6,
    billion: 1e9,
    billions: 1e9,
    trillion: 1e12,
    trillions: 1e12,
  },
};

/** Abbreviations glued to amounts: `1,5 M$`, `3 G$`, `2 Md$`, `500 k$`, `$1.5M`, `$2B`, `$3bn`, `$4MM`. */
const SCALE_ABBREVIATIONS: Record<string, number> = {
  k: 1e3,
  m: 1e6,
  mm: 1e6,
  g: 1e9,
  md: 1e9,
  mds: 1e9,
  b: 1e9,
  bn: 1e9,
};

const alternatives = (words: Iterable<string>): string =>
  [...words].sort((a, b) => b.length - a.length).join('|');

const scaleWordPattern = (language: Language): string =>
  `(?:${alternatives(Object.keys(SCALE_WORDS[language]))})${NOT_BEFORE_LETTER}`;
const amountScalePattern = (language: Language): string =>
  `(?:${alternatives([...Object.keys(SCALE_WORDS[language]), ...Object.keys(SCALE_ABBREVIATIONS)])})`;

const numberPattern = (language: Language): string => (language === 'fr' ? FR_NUMBER : EN_NUMBER);

function parseNumber(written: string, language: Language): number {
  const digits =
    language === 'fr' ? written.replace(/\s/g, '').replace(',', '.') : written.replace(/[\s,]/g, '');
  return Number(digits);
}

function scaleOf(word: string | undefined, language: Language): number {
  if (!word) return 1;
  const key = word.toLowerCase();
  return SCALE_WORDS[language][key] ?? SCALE_ABBREVIATIONS[key] ?? 1;
}

/** `1.5 × 10⁶` without the binary noise (`1500000`, not `1500000.0000000002`). */
function scaled(written: string, scale: string | undefined, language: Language): number {
  return Number((parseNumber(written, language) * scaleOf(scale, language)).toPrecision(12));
}

const numericFact = (
  kind: 'number' | 'amount' | 'percent',
  match: RegExpExecArray,
  value: number,
  suffix: string,
): Fact => ({
  kind,
  raw: match[0],
  normalized: `${value}${suffix}`,
  value,
  index: match.index,
});

// --- URLs and e-mail addresses

/** Where a web address starts: a scheme, or `www.` not inside another word or address. */
const WEB_URL_START = /^(?:https?:\/\/|www\.)/i;

/** A web address in prose, up to white space or a character that cannot end one in text (quotes, guillemets, angle brackets). */
const URL_IN_TEXT = /(?:https?:\/\/|(?<![\p{L}\p{N}./@-])www\.)[^\s<>"«»]+/giu;

/** Punctuation that ends the sentence rather than the address: `(voir www.aimq.ca).` */
const TRAILING_PUNCTUATION = /[.,;:!?…'’"»)\]]+$/u;

/** Path segments, host labels and query values that name a language: `/fr/`, `en.site.ca`, `?lang=en`. */
const LANGUAGE_CODE = /^(?:fr|en|fra|eng)(?:[-_][a-z]{2})?$/i;

function trimUrl(raw: string): string {
  let url = raw.replace(TRAILING_PUNCTUATION, '');
  // Keep a closing parenthesis the address opened itself (Wikipedia-style addresses).
  while (raw.length > url.length && raw[url.length] === ')' && count(url, '(') > count(url, ')')) {
    url += ')';
    url = url.replace(/[.,;:!?…'’"»\]]+$/u, '');
  }
  return url;
}

const count = (text: string, char: string): number => text.split(char).length - 1;

/**
 * The form URLs are compared in: no scheme (http and https are the same page for a
 * reader), no `www.`, host in lower case, no trailing slash, and language codes replaced
 * so that `site.ca/fr/nouvelles` and `site.ca/en/nouvelles` are the same address.
 */
function normaliseUrl(raw: string, lang: string): string | undefined {
  const trimmed = trimUrl(raw);
  let url: URL;
  try {
    url = new URL(/^www\./i.test(trimmed) ? `http://${trimmed}` : trimmed);
  } catch {
    return undefined;
  }
  const ownLanguage = lang.toLowerCase();
  const isLanguage = (part: string): boolean =>
    LANGUAGE_CODE.test(part) || part.toLowerCase() === ownLanguage;
  const host = url.host
    .replace(/^www\./, '')
    .split('.')
    .map((label, i, labels) => (i === 0 && labels.length > 2 && isLanguage(label) ? '{lang}' : label))
    .join('.');
  const path = url.pathname
    .split('/')
    .map((segment) => (isLanguage(segment) ? '{lang}' : segment))
    .join('/')
    .replace(/\/+$/, '');
  const query = [...url.searchParams]
    .map(([key, value]) => `${key}=${isLanguage(value) ? '{lang}' : value}`)
    .join('&');
  return `${host}${path}${query ? `?${query}` : ''}${url.hash}`;
}

/** An e-mail address: local part, `@`, a domain ending in a top-level domain of letters (so a final period is left out). */
const EMAIL =
  /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}(?![\p{L}\p{N}-])/gu;

const urlRecogniser: Recogniser = {
  pattern: URL_IN_TEXT,
  read: (match, language) => {
    const raw = trimUrl(match[0]);
    const normalized = normaliseUrl(raw, language);
    return normalized === undefined ? [] : [{ kind: 'url', raw, normalized, index: match.index }];
  },
};

const emailRecogniser: Recogniser = {
  pattern: EMAIL,
  read: (match) => [{ kind: 'email', raw: match[0], normalized: match[0].toLowerCase(), index: match.index }],
};

// --- Dates

const FR_MONTHS: Array<[RegExp, number]> = [
  [/^janv/, 1],
  [/^f[ée]v/, 2],
  [/^mars/, 3],
  [/^avr/, 4],
  [/^mai/, 5],
  [/^juin/, 6],
  [/^juil/, 7],
  [/^ao[uû]/, 8],
  [/^sept/, 9],
  [/^oct/, 10],
  [/^nov/, 11],
  [/^d[ée]c/, 12],
];
const EN_MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** French month names and their dotted abbreviations (`janv.`, `févr.`, `sept.`); matched case-insensitively for sentence starts. */
const FR_MONTH = String.raw`(?:janvier|janv\.|f[ée]vrier|f[ée]vr?\.|mars|avril|avr\.|mai|juin|juillet|juil\.|ao[uû]t|septembre|sept\.|octobre|oct\.|novembre|nov\.|d[ée]cembre|d[ée]c\.)${NOT_BEFORE_LETTER}`;

/** English month names and abbreviations; capitalised only, so that the verb `may` is not a month. */
const EN_MONTH = String.raw`(?:January|Jan\.?|February|Feb\.?|March|Mar\.?|April|Apr\.?|May|June|Jun\.?|July|Jul\.?|August|Aug\.?|September|Sept?\.?|October|Oct\.?|November|Nov\.?|December|Dec\.?)${NOT_BEFORE_LETTER}`;

/** A day of the month: `1er` (the French first is an ordinal), `13`; `(?!\d)` keeps `2020` from being a day. */
const FR_DAY = String.raw`(?:1(?:er|ᵉʳ)|\d{1,2}(?!\d))${NOT_BEFORE_LETTER}`;
const EN_DAY = String.raw`\d{1,2}(?:st|nd|rd|th)?${NOT_BEFORE_WORD}`;

/**
 * Several days of one month: a range (`13 au 15`, `13-15` / `13 to 15`, `13–15`) or a list
 * that ends with a conjunction (`13, 14 et 15` / `13, 14 and 15`). A bare comma does not
 * join days, or `March 5, 12 people` would be two dates.
 */
const FR_DAYS = String.raw`${FR_DAY}(?:(?:\s*,\s*${FR_DAY})*\s+(?:et|ou)\s+(?:le\s+)?${FR_DAY}|\s*[-–]\s*${FR_DAY}|\s+(?:au|à)\s+(?:le\s+)?${FR_DAY})?`;
const EN_DAYS = String.raw`${EN_DAY}(?:(?:,\s*${EN_DAY})*,?\s+(?:and|or)\s+${EN_DAY}|\s*[-–]\s*${EN_DAY}|\s+(?:to|through)\s+${EN_DAY})?`;

/** A year after a date: 19xx or 20xx, not the start of a longer number (`13 janvier 2500 personnes` has no year). */
const YEAR = String.raw`(?:19|20)\d{2}(?![\p{N}])`;

/** `13 janvier 2020`, `1er décembre`, `du 13 au 15 janvier 2020`. */
const FR_DATE = new RegExp(
  `${NOT_AFTER_WORD}(?<days>${FR_DAYS})\\s+(?<month>${FR_MONTH})(?:\\s+(?<year>${YEAR}))?`,
  'giud',
);

/** `January 13, 2020`, `December 1st`, `January 13–15, 2020`. */
const EN_DATE_MONTH_FIRST = new RegExp(
  `${NOT_AFTER_WORD}(?<month>${EN_MONTH})\\s+(?<days>${EN_DAYS})(?:,?\\s+(?<year>${YEAR}))?`,
  'gud',
);

/** `13 January 2020`, `1st of December`, `13–15 January 2020`. */
const EN_DATE_DAY_FIRST = new RegExp(
  `${NOT_AFTER_WORD}(?<days>${EN_DAYS})\\s+(?:of\\s+)?(?<month>${EN_MONTH})(?:,?\\s+(?<year>${YEAR}))?`,
  'gud',
);

/** ISO 8601 calendar date, in either language. */
const ISO_DATE = /(?<![\p{L}\p{N}-])(?<year>\d{4})-(?<month>\d{2})-(?<day>\d{2})(?![\p{N}])/gu;

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function monthNumber(name: string, language: Language): number {
  const lower = name.toLowerCase();
  if (language === 'fr') return FR_MONTHS.find(([pattern]) => pattern.test(lower))?.[1] ?? 0;
  return EN_MONTHS.findIndex((prefix) => lower.startsWith(prefix)) + 1;
}

/** `2020-01-13`, or `--01-13` without a year; undefined for a day the month does not have. */
function isoDate(year: string | undefined, month: number, day: number): string | undefined {
  const monthDays = DAYS_IN_MONTH[month - 1];
  if (monthDays === undefined || day < 1 || day > monthDays) return undefined;
  if (
    year !== undefined &&
    month === 2 &&
    day === 29 &&
    new Date(Date.UTC(Number(year), 1, 29)).getUTCMonth() !== 1
  )
    return undefined;
  const monthDay = `${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return year === undefined ? `--${monthDay}` : `${year}-${monthDay}`;
}

/** One date fact per day of a written date (`13 au 15 janvier` gives the 13th and the 15th). */
function readWrittenDate(match: RegExpExecArray, language: Language): Fact[] | undefined {
  const groups = match.groups ?? {};
  const daysAt = match.indices?.groups?.['days']?.[0];
  const { days = '', month = '', year } = groups;
  if (daysAt === undefined) return undefined;
  const monthNo = monthNumber(month, language);
  const facts: Fact[] = [];
  for (const day of days.matchAll(/\d{1,2}/g)) {
    const normalized = isoDate(year, monthNo, Number(day[0]));
    if (normalized === undefined) return undefined;
    const index = facts.length === 0 ? match.index : daysAt + day.index;
    facts.push({ kind: 'date', raw: match[0], normalized, index });
  }
  return facts;
}

const isoDateRecogniser: Recogniser = {
  pattern: ISO_DATE,
  read: (match) => {
    const { year, month = '', day = '' } = match.groups ?? {};
    const normalized = isoDate(year, Number(month), Number(day));
    return normalized === undefined
      ? undefined
      : [{ kind: 'date', raw: match[0], normalized, index: match.index }];
  },
};

// --- Things made of digits that are not figures to compare

/** Clock times, which the languages write differently: `9 h 30`, `14 h`, `14h30` (French), `9:30`, `2 p.m.`, `10am`. */
const TIME =
  /(?<![\p{L}\p{N}])\d{1,2}(?::\d{2}(?!\d)(?:\s?[ap]\.?m\.?(?![\p{L}]))?|\s?[ap]\.?m\.?(?![\p{L}])|\s?h(?:\s?\d{2}(?!\d))?(?![\p{L}\p{N}]))/giu;

/** North American phone numbers: `514 555-1234`, `(514) 555-1234`, `1 800 555-1234`, `+1 514.555.1234 poste 22`. */
const NANP_PHONE =
  /(?<![\p{L}\p{N}+])(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}(?!\d)(?:,?\s*(?:poste|ext\.?|x)\s*\d{1,5}(?!\d))?/giu;

/** International phone numbers: `+33 1 23 45 67 89`, `+44 20 7946 0958`. */
const INTERNATIONAL_PHONE = /\+\d{1,3}(?:[\s.-]?(?:\(\d{1,4}\)|\d{1,4})(?!\d)){2,}/gu;

/** Canadian postal codes: `H2X 1Y4`. */
const POSTAL_CODE = /(?<![\p{L}\p{N}])[A-Z]\d[A-Z][\s-]?\d[A-Z]\d(?![\p{L}\p{N}])/giu;

/** Version numbers and addresses with several dots: `2.1.3`, `192.168.0.1`, `13.01.2020`. */
const DOTTED = /(?<![\p{L}\p{N}.])\d+(?:\.\d+){2,}(?![\p{N}])/gu;

const ignore = (pattern: RegExp): Recogniser => ({ pattern, read: () => [] });

const internationalPhone: Recogniser = {
  pattern: INTERNATIONAL_PHONE,
  read: (match) => {
    // `+12 000 000` is a figure with a sign, not a phone number: phone numbers are long and not grouped by threes.
    const groups = match[0]
      .slice(1)
      .split(/[\s.()-]+/)
      .filter(Boolean);
    const digits = groups.join('').length;
    const groupedByThrees = groups.slice(1).every((g) => g.length === 3);
    return digits >= 8 && !groupedByThrees ? [] : undefined;
  },
};

// --- Amounts, percentages and plain numbers

function currencyOf(written: string): string {
  return /€|euro/i.test(written) ? '€' : '$';
}

/** `$1,000.50`, `$1.5M`, `$2 billion`, `US$3B`, `CA$10`, `€5 million`: currency first, English style. */
const prefixAmount = (language: Language): Recogniser => ({
  pattern: new RegExp(
    `${NOT_AFTER_WORD}(?<currency>(?:CA|C|US|AU)?\\$|€|(?:CAD|USD|EUR)\\s?)\\s?(?<number>${numberPattern(language)})(?:\\s*(?<scale>${amountScalePattern(language)})${NOT_BEFORE_LETTER})?${NOT_BEFORE_WORD}`,
    'giu',
  ),
  read: (match, lang) => {
    const { currency = '', number = '', scale } = match.groups ?? {};
    const value = scaled(number, scale, lang);
    return [numericFact('amount', match, value, ` ${currencyOf(currency)}`)];
  },
});

/** `1 000,50 $`, `1000$`, `1,5 M$`, `2 millions de dollars`, `3 millions d'euros`, `2 million Canadian dollars`, `500 dollars`. */
const suffixAmount = (language: Language): Recogniser => ({
  pattern: new RegExp(
    `${NOT_AFTER_WORD}(?<number>${numberPattern(language)})(?:\\s*(?<scale>${amountScalePattern(language)}))?\\s*(?:d[e'’]\\s*)?(?:(?:canadian|american|us|u\\.s\\.)\\s+)?(?<currency>\\$|€|dollars?${NOT_BEFORE_LETTER}|euros?${NOT_BEFORE_LETTER})`,
    'giu',
  ),
  read: (match, lang) => {
    const { currency = '', number = '', scale } = match.groups ?? {};
    // An abbreviation needs the symbol glued after it (`1,5 M$`): `5 m de dollars` is not 5 million.
    if (scale && !(scale.toLowerCase() in SCALE_WORDS[lang]) && !/^[$€]/.test(currency)) return undefined;
    return [numericFact('amount', match, scaled(number, scale, lang), ` ${currencyOf(currency)}`)];
  },
});

/** `25 %`, `25%`, `25 pour cent`, `25 p. 100` / `25%`, `25 percent`, `25 per cent`; not `5 percentage points`. */
const percent = (language: Language): Recogniser => ({
  pattern: new RegExp(
    `${NOT_AFTER_WORD}(?<number>${numberPattern(language)})\\s*(?:%|pour\\s?cent|p\\.\\s?100|per\\s?cent)${NOT_BEFORE_LETTER}`,
    'giu',
  ),
  read: (match, lang) => {
    const value = parseNumber(match.groups?.['number'] ?? '', lang);
    return [numericFact('percent', match, value, ' %')];
  },
});

/** Any other figure written in digits, with a following scale word: `1 500`, `3,5`, `2020`, `2 millions`. */
const plainNumber = (language: Language): Recogniser => ({
  pattern: new RegExp(
    `${NOT_AFTER_WORD}(?<number>${numberPattern(language)})${NOT_BEFORE_WORD}(?:\\s+(?<scale>${scaleWordPattern(language)}))?`,
    'giu',
  ),
  read: (match, lang) => {
    const { number = '', scale } = match.groups ?? {};
    return [numericFact('number', match, scaled(number, scale, lang), '')];
  },
});

const writtenDates = (language: Language): Recogniser[] =>
  language === 'fr'
    ? [{ pattern: FR_DATE, read: readWrittenDate }]
    : [
        { pattern: EN_DATE_MONTH_FIRST, read: readWrittenDate },
        { pattern: EN_DATE_DAY_FIRST, read: readWrittenDate },
      ];

/**
 * The recognisers of a language, in the order they claim text: addresses first (they
 * contain anything), then dates (their year is not a plain number), then the things made
 * of digits that are not figures, then amounts and percentages, and plain numbers last.
 */
function recognisersFor(language: Language): Recogniser[] {
  return [
    urlRecogniser,
    emailRecogniser,
    isoDateRecogniser,
    ...writtenDates(language),
    prefixAmount(language),
    suffixAmount(language),
    percent(language),
    ignore(TIME),
    ignore(NANP_PHONE),
    internationalPhone,
    ignore(POSTAL_CODE),
    ignore(DOTTED),
    plainNumber(language),
  ];
}

const RECOGNISERS: Record<Language, Recogniser[]> = { fr: recognisersFor('fr'), en: recognisersFor('en') };
