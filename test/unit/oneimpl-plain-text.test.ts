import { describe, expect, it } from 'vitest';
import { applyTypography, parseMarkdown } from '../../src/markdown/pipeline.js';
import { mdastToText, wrap } from '../../src/render-email/plain-text.js';

// #11.26: English has no no-break spaces from the typography, so the plain-text wrapping
// itself must not separate a number from its unit (`2 p.m.`, `25 °C`, `10 km`, `50 %`).

const PAIRS = [
  '2 p.m.',
  '10 a.m.',
  '9:30 PM',
  '25 °C',
  '77 °F',
  '10 km',
  '3,5 kg',
  '250 mL',
  '40 km/h',
  '12 MW',
  '1.5 GWh',
  '50 %',
  '100 $',
  '20 €',
  '30 min',
  '6 ha',
  '2 m²',
];
const SENTENCE = `The meeting starts at ${PAIRS.join(' and then ')} before lunch.`;

/** Each pair split across two lines, in `text` wrapped. */
function splitPairs(text: string): string[] {
  const lines = text.split('\n');
  const split: string[] = [];
  for (let i = 0; i + 1 < lines.length; i++)
    for (const pair of PAIRS) {
      const [number, unit] = [pair.slice(0, pair.indexOf(' ')), pair.slice(pair.indexOf(' ') + 1)];
      if (lines[i]!.endsWith(number) && lines[i + 1]!.trimStart().startsWith(unit)) split.push(pair);
    }
  return split;
}

describe('plain-text wrapping around numbers and units', () => {
  it('never breaks between a number and its unit, at any width', () => {
    for (let width = 8; width <= 60; width++) {
      const text = wrap(SENTENCE, width);
      expect(splitPairs(text), `width ${width}:\n${text}`).toEqual([]);
      // Nothing is lost or added: the same words, one space apart.
      expect(text.replace(/\s+/g, ' ')).toBe(SENTENCE);
    }
  });

  it('in an English body, as in the e-mail’s plain text', () => {
    const tree = applyTypography(parseMarkdown(SENTENCE), 'en', 'oqlf');
    for (const width of [20, 27, 33, 41, 72]) {
      const { text } = mdastToText(tree, { resolveUrl: (u) => u, width, lang: 'en' });
      expect(splitPairs(text), `width ${width}:\n${text}`).toEqual([]);
    }
  });

  it('still breaks between a number and an ordinary word', () => {
    expect(wrap('We counted 2 people', 12)).toBe('We counted 2\npeople');
    expect(wrap('Rooms 2 and 3', 8)).toBe('Rooms 2\nand 3');
  });
});
