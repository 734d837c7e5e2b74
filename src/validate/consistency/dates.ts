import { MONTH_ABBREVIATIONS, MONTH_NAMES } from '../../locale/dates.js';
import {
  NOT_AFTER_WORD,
  NOT_BEFORE_LETTER,
  NOT_BEFORE_WORD,
  type Fact,
  type Language,
  type Recogniser,
} from './facts.js';

// --- Dates

/** A written month, accents optional (`fevrier` is a frequent slip) and periods literal. */
function monthAlternative(written: string): string {
  return written.replace(/\./g, '\\.').replace(/é/g, '[ée]').replace(/û/g, '[uû]');
}

/** French month names and their dotted abbreviations (`janv.`, `févr.`, `sept.`); matched case-insensitively for sentence starts. */
const FR_MONTH = `(?:${MONTH_NAMES.fr
  .flatMap((name, i) => [name, ...MONTH_ABBREVIATIONS.fr[i]!].map(monthAlternative))
  .join('|')})${NOT_BEFORE_LETTER}`;

/** English month names and abbreviations (with or without a period); capitalised only, so that the verb `may` is not a month. */
const EN_MONTH = `(?:${MONTH_NAMES.en
  .flatMap((name, i) => [name, ...MONTH_ABBREVIATIONS.en[i]!.map((a) => `${a}\\.?`)])
  .join('|')})${NOT_BEFORE_LETTER}`;

const fold = (text: string): string => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

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

/** 1 to 12 for a month name or abbreviation as matched above (0 if none). */
function monthNumber(name: string, language: Language): number {
  const written = fold(name).replace(/\.$/, '');
  return MONTH_NAMES[language].findIndex((full) => fold(full).startsWith(written)) + 1;
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
  const daysAt = match.indices?.groups?.days?.[0];
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

const writtenDates = (language: Language): Recogniser[] =>
  language === 'fr'
    ? [{ pattern: FR_DATE, read: readWrittenDate }]
    : [
        { pattern: EN_DATE_MONTH_FIRST, read: readWrittenDate },
        { pattern: EN_DATE_DAY_FIRST, read: readWrittenDate },
      ];

/** ISO dates, then dates written in words: their year is not a plain number. */
export const dateRecognisers = (language: Language): Recogniser[] => [
  isoDateRecogniser,
  ...writtenDates(language),
];
