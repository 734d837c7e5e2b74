import {
  NOT_AFTER_WORD,
  NOT_BEFORE_LETTER,
  NOT_BEFORE_WORD,
  type Fact,
  type Language,
  type Recogniser,
} from './facts.js';

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

export const numberPattern = (language: Language): string => (language === 'fr' ? FR_NUMBER : EN_NUMBER);

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
    const value = parseNumber(match.groups?.number ?? '', lang);
    return [numericFact('percent', match, value, ' %')];
  },
});

/** Any other figure written in digits, with a following scale word: `1 500`, `3,5`, `2020`, `2 millions`. */
export const plainNumber = (language: Language): Recogniser => ({
  pattern: new RegExp(
    `${NOT_AFTER_WORD}(?<number>${numberPattern(language)})${NOT_BEFORE_WORD}(?:\\s+(?<scale>${scaleWordPattern(language)}))?`,
    'giu',
  ),
  read: (match, lang) => {
    const { number = '', scale } = match.groups ?? {};
    return [numericFact('number', match, scaled(number, scale, lang), '')];
  },
});

/** Amounts (currency first or after) and percentages, before plain numbers claim their digits. */
export const amountRecognisers = (language: Language): Recogniser[] => [
  prefixAmount(language),
  suffixAmount(language),
  percent(language),
];
