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
import type { Diagnostic } from '../errors/index.js';
import { indexFacts, reportMissing } from './consistency/compare.js';
import { factsOfEdition, type EditionText } from './consistency/passages.js';

export { extractFacts } from './consistency/extract.js';
export type { Fact, FactKind } from './consistency/facts.js';
export type { EditionText } from './consistency/passages.js';

/** Warnings (severity 'warning') for facts present in one edition and missing from the other. Pure. */
export function checkTranslationConsistency(primary: EditionText, translation: EditionText): Diagnostic[] {
  const primaryFacts = factsOfEdition(primary);
  const translationFacts = factsOfEdition(translation);
  return [
    ...reportMissing(primaryFacts, indexFacts(translationFacts), primary.file, translation.file),
    ...reportMissing(translationFacts, indexFacts(primaryFacts), translation.file, primary.file),
  ];
}
