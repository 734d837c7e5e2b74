import type { Link, Root } from 'mdast';
import { toString } from 'mdast-util-to-string';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import { describe, expect, it } from 'vitest';
import { applyTypography, parseMarkdown } from '../../src/markdown/pipeline.js';
import { frenchText } from '../../src/markdown/typography.js';
import { remarkTypography } from '../../src/markdown/typography.js';

// Expected values spell out the invisible characters: \u00A0 no-break space, \u202F narrow no-break space.

/** remark-parse + remark-gfm, as the remark path of the pipeline. */
function viaRemark(markdown: string, lang = 'fr'): Root {
  const processor = unified().use(remarkParse).use(remarkGfm).use(remarkTypography, { lang });
  return processor.runSync(processor.parse(markdown)) as Root;
}

/** The pipeline the build uses. */
function viaPipeline(markdown: string, lang = 'fr'): Root {
  return applyTypography(parseMarkdown(markdown), lang, 'oqlf');
}

function links(tree: Root): { url: string; text: string }[] {
  const out: { url: string; text: string }[] = [];
  visit(tree, 'link', (l: Link) => {
    out.push({ url: l.url, text: toString(l) });
  });
  return out;
}

describe('French quotes inside quotes (#11.26)', () => {
  it.each([
    ['« Elle a crié "au secours" hier »', '«\u00A0Elle a crié “au secours” hier\u00A0»'],
    ['"Elle a crié "au secours" hier"', '«\u00A0Elle a crié “au secours” hier\u00A0»'],
    ['« Il a dit “non” »', '«\u00A0Il a dit “non”\u00A0»'],
    ["« C'est 'bien' »", '«\u00A0C’est “bien”\u00A0»'],
    ["Il a dit 'oui'.", 'Il a dit «\u00A0oui\u00A0».'],
    ['« Un "deux "trois" deux" un »', '«\u00A0Un “deux “trois” deux” un\u00A0»'],
    ['« a » puis "b"', '«\u00A0a\u00A0» puis «\u00A0b\u00A0»'],
    // apostrophes stay apostrophes, inside quotes too
    ["« L'AIMQ, c'est l'avenir »", '«\u00A0L’AIMQ, c’est l’avenir\u00A0»'],
    ['l\'"avion"', 'l’«\u00A0avion\u00A0»'],
    // a ' that is never closed, or before a year, is an apostrophe
    ["les années '90 et 'pis", 'les années ’90 et ’pis'],
    ["« dans les années '80 »", '«\u00A0dans les années ’80\u00A0»'],
  ])('%s', (input, expected) => {
    expect(frenchText(input)).toBe(expected);
  });

  it('across emphasis in a markdown paragraph', () => {
    expect(toString(viaRemark('« Elle a dit *"non"* »'))).toBe('«\u00A0Elle a dit “non”\u00A0»');
  });
});

describe('no-break spaces in amounts, temperatures and phone numbers (#11.26)', () => {
  it.each([
    ['un budget de 3,5 M$', 'un budget de 3,5\u00A0M$'],
    ['12 M$, 2 Md$, 1 G$ et 300 k$', '12\u00A0M$, 2\u00A0Md$, 1\u00A0G$ et 300\u00A0k$'],
    ['3,5M$', '3,5\u00A0M$'],
    ['il fait -5 °C', 'il fait -5\u00A0°C'],
    ['il fait −5 °C', 'il fait −5\u00A0°C'],
    ['de 20°C à 68 °F', 'de 20\u00A0°C à 68\u00A0°F'],
    ['un angle de 45°', 'un angle de 45°'],
    ['Appelez le 514 555-0100.', 'Appelez le 514\u00A0555-0100.'],
    ['(514) 555-0100', '(514)\u00A0555-0100'],
    ['1 800 555-0199', '1\u00A0800\u00A0555-0199'],
    ['+1 514 555-0100, poste 123', '+1\u00A0514\u00A0555-0100, poste\u00A0123'],
    ['Tél. : 514 555-0100', 'Tél.\u00A0:\u00A0514\u00A0555-0100'],
    ['Téléc.: 514 555-0101', 'Téléc.\u00A0:\u00A0514\u00A0555-0101'],
    // not phone numbers, not amounts: unchanged
    ['le 2020-01-13', 'le 2020-01-13'],
    ['réf. 12345-678', 'réf. 12345-678'],
    ['H3B 1A7', 'H3B 1A7'],
    ['Voir https://x.ca/?t=3 M$', 'Voir https://x.ca/?t=3 M$'], // the 3 is the URL's
  ])('%s', (input, expected) => {
    expect(frenchText(input)).toBe(expected);
  });

  it('keeps a label with its number across markup: **Tél. :** 514 555-0100', () => {
    expect(toString(viaRemark('**Tél. :** 514 555-0100'))).toBe('Tél.\u00A0:\u00A0514\u00A0555-0100');
  });
});

describe('an apostrophe in an e-mail address (#11.26)', () => {
  for (const [name, parse] of [
    ['remark', viaRemark],
    ['the pipeline', viaPipeline],
  ] as const) {
    it(`links the whole address, not what follows the apostrophe (${name})`, () => {
      const tree = parse("Écrivez à o'neil@exemple.ca ou à *jean.d'amours@exemple.ca*.");
      expect(links(tree)).toEqual([
        { url: "mailto:o'neil@exemple.ca", text: "o'neil@exemple.ca" },
        { url: "mailto:jean.d'amours@exemple.ca", text: "jean.d'amours@exemple.ca" },
      ]);
      expect(toString(tree)).toBe("Écrivez à o'neil@exemple.ca ou à jean.d'amours@exemple.ca.");
    });
  }

  it('in English editions too, and an address at the start of a paragraph', () => {
    expect(links(viaRemark("o'neil@exemple.ca wrote", 'en'))).toEqual([
      { url: "mailto:o'neil@exemple.ca", text: "o'neil@exemple.ca" },
    ]);
  });

  it('leaves an ordinary address and a link whose text is not the address alone', () => {
    expect(links(viaRemark("Écrivez à info@aimq.net ou [l'équipe](mailto:info@aimq.net)."))).toEqual([
      { url: 'mailto:info@aimq.net', text: 'info@aimq.net' },
      { url: 'mailto:info@aimq.net', text: 'l’équipe' },
    ]);
  });
});
