import { addressRecognisers } from './addresses.js';
import { dateRecognisers } from './dates.js';
import type { Fact, Language, Recogniser } from './facts.js';
import { identifierRecognisers } from './identifiers.js';
import { amountRecognisers, plainNumber } from './numbers.js';

/** Exposed for tests: the normalised facts of one text, with the index where each starts. */
export function extractFacts(text: string, lang: string): Fact[] {
  const language: Language = lang.toLowerCase().startsWith('fr') ? 'fr' : 'en';
  let remaining = text;
  const facts: Fact[] = [];
  for (const recogniser of RECOGNISERS[language]) {
    const claimed: Array<[start: number, end: number]> = [];
    const { pattern } = recogniser;
    pattern.lastIndex = 0;
    for (let match = pattern.exec(remaining); match !== null; match = pattern.exec(remaining)) {
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

/**
 * The recognisers of a language, in the order they claim text: addresses first (they
 * contain anything), then dates (their year is not a plain number), then amounts and
 * percentages, then the things made of digits that are not figures, and plain numbers last.
 */
function recognisersFor(language: Language): Recogniser[] {
  return [
    ...addressRecognisers,
    ...dateRecognisers(language),
    ...amountRecognisers(language),
    ...identifierRecognisers,
    plainNumber(language),
  ];
}

const RECOGNISERS: Record<Language, Recogniser[]> = { fr: recognisersFor('fr'), en: recognisersFor('en') };
