import type { Recogniser } from './facts.js';

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

/** Times, phone numbers, postal codes and dotted numbers: claimed so that no figure is read in them. */
export const identifierRecognisers: readonly Recogniser[] = [
  ignore(TIME),
  ignore(NANP_PHONE),
  internationalPhone,
  ignore(POSTAL_CODE),
  ignore(DOTTED),
];
