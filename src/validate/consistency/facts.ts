/** What the consistency check compares: facts found in prose, and the recognisers that find them. */

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

export type Language = 'fr' | 'en';

/**
 * A kind of thing to find in text. Recognisers run in order over the same text, and what
 * one recognises is blanked out before the next runs, so that the `2020` of a date or
 * the `514` of a phone number is not read again as a plain number.
 */
export interface Recogniser {
  pattern: RegExp;
  /** The facts a match stands for; `[]` claims the text without a fact (a time, a phone number); `undefined` leaves it to later recognisers. */
  read: (match: RegExpExecArray, language: Language) => Fact[] | undefined;
}

// Building blocks of the patterns. `(?<![\p{L}\p{N}])` and `(?![\p{L}\p{N}])` keep a
// number from being read inside a word: `A320`, `H2X`, `COVID19`, and the ordinals `1er`,
// `2e`, `XXIe`, `1st`, `3rd`, which differ between the languages, all stay out.
export const NOT_AFTER_WORD = String.raw`(?<![\p{L}\p{N}])`;
export const NOT_BEFORE_WORD = String.raw`(?![\p{L}\p{N}])`;
export const NOT_BEFORE_LETTER = String.raw`(?![\p{L}])`;
