import { describe, expect, it } from 'vitest';
import { applyTypography, parseMarkdown } from '../../src/markdown/pipeline.js';
import { formatLinks, mdastToText, wrap, type PlainTextOptions } from '../../src/render-email/plain-text.js';

// Expected values spell out the invisible characters:
//   \u00A0 no-break space, \u202F narrow no-break space.

const ASSETS = 'https://www.aimq.net/communiques/assets/2026-12-01-nouvelle-presidente/';
const resolveUrl = (url: string): string => (/^[a-z][a-z0-9+.-]*:/i.test(url) ? url : ASSETS + url);

function render(
  markdown: string,
  options: Partial<PlainTextOptions> = {},
): { text: string; links: string[] } {
  return mdastToText(parseMarkdown(markdown), { resolveUrl, ...options });
}

function renderFrench(
  markdown: string,
  options: Partial<PlainTextOptions> = {},
): { text: string; links: string[] } {
  return mdastToText(applyTypography(parseMarkdown(markdown), 'fr', 'oqlf'), { resolveUrl, ...options });
}

/** The expected text: one string per line, and the final `\n`. */
function lines(...all: string[]): string {
  return `${all.join('\n')}\n`;
}

/** Invariants of every output: no trailing space, no two blank lines in a row, one final `\n`. */
function expectTidy(text: string): void {
  expect(text.endsWith('\n')).toBe(true);
  expect(text.endsWith('\n\n')).toBe(false);
  expect(text.startsWith('\n')).toBe(false);
  expect(text).not.toMatch(/\n\n\n/);
  expect(text).not.toMatch(/[ \t\u00A0\u202F]\n/);
  expect(text).not.toMatch(/[\uE000-\uF8FF]/);
}

describe('wrap', () => {
  it('fills lines up to the width, exactly, and never splits a word', () => {
    expect(wrap('Le conseil se réunira demain matin pour adopter le budget annuel.', 20)).toBe(
      'Le conseil se\nréunira demain matin\npour adopter le\nbudget annuel.',
    );
  });

  it('puts a word longer than the width (a URL) whole on its own line', () => {
    const url = 'https://www.aimq.net/communiques/2026-12-01-nouvelle-presidente/annexe.pdf';
    expect(wrap(`Voir ${url} pour tout.`, 30)).toBe(`Voir\n${url}\npour tout.`);
  });

  it('keeps no-break spaces U+00A0 and U+202F and never breaks at them', () => {
    expect(wrap('Oui\u202F; non et 9\u00A0h\u00A030 ici', 5)).toBe(
      'Oui\u202F;\nnon\net\n9\u00A0h\u00A030\nici',
    );
  });

  it('indents the first line with firstIndent and the others with indent, within the width', () => {
    expect(wrap('un deux trois quatre cinq', 12, '   ', '1. ')).toBe(
      '1. un deux\n   trois\n   quatre\n   cinq',
    );
    expect(wrap('un deux trois', 8, '> ')).toBe('> un\n> deux\n> trois');
  });

  it('breaks lines at \\n and collapses runs of ordinary spaces', () => {
    expect(wrap('Première ligne\nseconde   ligne', 72)).toBe('Première ligne\nseconde ligne');
  });

  it('counts characters, not UTF-16 units: decomposed accents and astral letters', () => {
    const ete = 'e\u0301te\u0301'; // « été » with combining accents: 5 UTF-16 units, 3 characters
    expect(wrap(`${ete} ${ete} ${ete}`, 7)).toBe(`${ete} ${ete}\n${ete}`);
    expect(wrap('𝔸𝔸𝔸 𝔸𝔸𝔸 b', 7)).toBe('𝔸𝔸𝔸 𝔸𝔸𝔸\nb');
  });

  it('breaks at the Unicode spaces that allow a break, and only at them', () => {
    for (const space of [
      '\t',
      '\v',
      '\f',
      '\r',
      '\u1680',
      '\u2000',
      '\u2003',
      '\u2006',
      '\u2008',
      '\u200A',
      '\u205F',
      '\u3000',
    ]) {
      expect(wrap(`un${space}deux`, 3), JSON.stringify(space)).toBe('un\ndeux');
    }
    for (const space of ['\u00A0', '\u2007', '\u202F', '\u2028', '\uFEFF']) {
      expect(wrap(`un${space}deux`, 3), JSON.stringify(space)).toBe(`un${space}deux`);
    }
  });

  it('gives one blank line for several hard breaks, none before the first words nor after the last', () => {
    expect(wrap('\n \n un\n\n \n\ndeux\n\n', 10, '> ', '')).toBe('un\n>\n> deux');
    expect(wrap(' \t\n ', 10)).toBe('');
  });

  it('leaves no white space at the end of a line, a no-break space included', () => {
    expect(wrap('un\u00A0 deux\u202F', 4)).toBe('un\ndeux');
  });

  it('rejects a width that is not a positive integer', () => {
    expect(() => wrap('texte', 0)).toThrow(RangeError);
    expect(() => render('texte', { width: Number.NaN })).toThrow(RangeError);
  });
});

describe('formatLinks', () => {
  it('numbers the links from 1, one per line', () => {
    expect(formatLinks(['https://a', 'https://b'])).toBe('[1] https://a\n[2] https://b\n');
    expect(formatLinks([])).toBe('');
  });
});

describe('mdastToText: blocks', () => {
  it('separates paragraphs by one blank line, joins soft line breaks, ends with one newline', () => {
    expect(render('Premier paragraphe\nsur deux lignes.\n\n\n\nSecond.').text).toBe(
      lines('Premier paragraphe sur deux lignes.', '', 'Second.'),
    );
  });

  it('wraps prose at 72 characters by default, or at the width asked for', () => {
    const markdown =
      'L’Association des ingénieurs municipaux du Québec annonce la nomination de Marie Tremblay à la présidence.';
    expect(render(markdown).text).toBe(
      lines(
        'L’Association des ingénieurs municipaux du Québec annonce la nomination',
        'de Marie Tremblay à la présidence.',
      ),
    );
    expect(render(markdown, { width: 40 }).text).toBe(
      lines(
        'L’Association des ingénieurs municipaux',
        'du Québec annonce la nomination de Marie',
        'Tremblay à la présidence.',
      ),
    );
  });

  it("underlines headings with = (level 1, the title's) or - (2 and more) of the same number of characters", () => {
    expect(render('# Être\n\n## Deux mots\n\n### Trois\n\n#### Quatre *mots*').text).toBe(
      lines(
        'Être',
        '====',
        '',
        'Deux mots',
        '---------',
        '',
        'Trois',
        '-----',
        '',
        'Quatre mots',
        '-----------',
      ),
    );
    // Decomposed: E + combining circumflex is still one character.
    expect(render('# E\u0302tre').text).toBe(lines('E\u0302tre', '===='));
  });

  it('prints emphasis, strong, strikethrough and inline code as their bare text', () => {
    expect(render('Du texte *en italique*, __en gras__, ~~barré~~ et `du code` ici.').text).toBe(
      lines('Du texte en italique, en gras, barré et du code ici.'),
    );
  });

  it('turns hard line breaks into line breaks', () => {
    expect(render('Marie Tremblay\\\nPrésidente  \nAIMQ').text).toBe(
      lines('Marie Tremblay', 'Présidente', 'AIMQ'),
    );
  });

  it('renders bullet lists with aligned continuation lines and nested lists indented by 2', () => {
    const markdown = [
      '- un premier élément assez long pour être coupé à la largeur demandée',
      '- deux',
      '  - imbriqué assez long pour être coupé lui aussi à la largeur',
      '  - court',
      '- trois',
    ].join('\n');
    expect(render(markdown, { width: 30 }).text).toBe(
      lines(
        '- un premier élément assez',
        '  long pour être coupé à la',
        '  largeur demandée',
        '- deux',
        '  - imbriqué assez long pour',
        '    être coupé lui aussi à la',
        '    largeur',
        '  - court',
        '- trois',
      ),
    );
  });

  it('numbers ordered lists from their start number, with the items’ text aligned', () => {
    expect(render('3. trois\n4. quatre\n5. cinq').text).toBe(lines('3. trois', '4. quatre', '5. cinq'));
    expect(render('8. huit\n9. neuf\n10. dix et un texte long', { width: 20 }).text).toBe(
      lines('8.  huit', '9.  neuf', '10. dix et un texte', '    long'),
    );
  });

  it('prints task list items with [x] and [ ]', () => {
    expect(
      render('- [x] Communiqué rédigé\n- [ ] Traduction révisée par le comité', { width: 30 }).text,
    ).toBe(lines('- [x] Communiqué rédigé', '- [ ] Traduction révisée par', '      le comité'));
  });

  it('keeps tight lists tight and separates the items of loose lists by a blank line', () => {
    expect(render('- a\n- b').text).toBe(lines('- a', '- b'));
    expect(render('- a\n\n- b').text).toBe(lines('- a', '', '- b'));
    expect(render('- a\n\n  suite\n- b').text).toBe(lines('- a', '', '  suite', '', '- b'));
  });

  it('prefixes blockquote lines with "> " and wraps them at the width minus the prefix', () => {
    const markdown =
      '> Une citation assez longue pour être coupée à la largeur.\n>\n> Second paragraphe.\n>\n> > Imbriquée.';
    const { text } = render(markdown, { width: 30 });
    expect(text).toBe(
      lines(
        '> Une citation assez longue',
        '> pour être coupée à la',
        '> largeur.',
        '>',
        '> Second paragraphe.',
        '>',
        '> > Imbriquée.',
      ),
    );
    expectTidy(text);
  });

  it('lays tables out as aligned rows with " | ", a dashed line under the header, and no wrapping', () => {
    const markdown = [
      '| Ville | Membres | Note |',
      '| :-- | --: | :-: |',
      '| Montréal | 1 250 | [site](https://montreal.ca) |',
      '| Québec | 840 | x |',
    ].join('\n');
    const { text, links } = render(markdown, { width: 20 });
    expect(text).toBe(
      lines(
        'Ville    | Membres |   Note',
        '-------- | ------- | --------',
        'Montréal |   1 250 | site [1]',
        'Québec   |     840 |    x',
      ),
    );
    expect(links).toEqual(['https://montreal.ca']);
  });

  it('indents code blocks by 4 spaces without wrapping them', () => {
    const long = 'const b = "une très longue chaîne qui dépasse largement la largeur de soixante-douze";';
    expect(render(`Exemple :\n\n\`\`\`js\nconst a = 1;\n\n\n\n${long}\n\`\`\``).text).toBe(
      lines('Exemple :', '', '    const a = 1;', '', `    ${long}`),
    );
  });

  it('prints a thematic break as ----', () => {
    expect(render('Avant.\n\n***\n\nAprès.').text).toBe(lines('Avant.', '', '----', '', 'Après.'));
  });

  it('drops raw HTML, inline and block, without leaving blank lines behind', () => {
    const markdown =
      'Avant <span style="color:red">rouge</span> après.\n\n<div>\nbloc supprimé\n</div>\n\n<!-- commentaire -->\n\nFin.';
    expect(render(markdown).text).toBe(lines('Avant rouge après.', '', 'Fin.'));
    expect(render('<p>seulement du HTML</p>')).toEqual({ text: '', links: [] });
  });

  it('numbers footnotes in order of first reference and lists them after the body', () => {
    const markdown = [
      'Le budget augmente[^budget] et la dette baisse[^dette]. Voir ici[^budget].',
      '',
      '[^dette]: Selon le rapport financier.',
      '[^budget]: Voir le [rapport](https://www.aimq.net/rapport.pdf).',
    ].join('\n');
    const { text, links } = render(markdown);
    expect(text).toBe(
      lines(
        // « (note » would fit on the first line, but a note number is never separated from it.
        'Le budget augmente (note 1) et la dette baisse (note 2). Voir ici',
        '(note 1).',
        '',
        'Note 1: Voir le rapport [1].',
        '',
        'Note 2: Selon le rapport financier.',
      ),
    );
    expect(links).toEqual(['https://www.aimq.net/rapport.pdf']);
  });
});

describe('mdastToText: links and images', () => {
  it('numbers distinct URLs in order of first appearance; a reused URL keeps its number', () => {
    const { text, links } = render(
      'Voir le [site](https://www.aimq.net/), le [rapport](rapport.pdf) et encore le [site](https://www.aimq.net/).',
    );
    expect(text).toBe(lines('Voir le site [1], le rapport [2] et encore le site [1].'));
    expect(links).toEqual(['https://www.aimq.net/', `${ASSETS}rapport.pdf`]);
  });

  it('never starts a line with a link number', () => {
    expect(render('aa [lien](https://x.ca)', { width: 8 }).text).toBe(lines('aa', 'lien [1]'));
  });

  it('prints autolinks, bare URLs and e-mail addresses as they are, without a number', () => {
    const { text, links } = render(
      'Écrivez à info@aimq.net, visitez <https://www.aimq.net/communiques> ou www.aimq.net ou https://exemple.ca/page.',
    );
    expect(text).toBe(
      lines(
        'Écrivez à info@aimq.net, visitez https://www.aimq.net/communiques ou',
        'www.aimq.net ou https://exemple.ca/page.',
      ),
    );
    expect(links).toEqual([]);
  });

  it('prints mailto: links with other text as "text (address)"', () => {
    const { text, links } = render(
      '[Écrivez-nous](mailto:communications@aimq.net?subject=Entrevue) ou [presse@aimq.net](mailto:presse@aimq.net).',
    );
    expect(text).toBe(lines('Écrivez-nous (communications@aimq.net) ou presse@aimq.net.'));
    expect(links).toEqual([]);
  });

  it('prints images as [alt] [n], resolving relative URLs; an image and a link to the same file share a number', () => {
    const { text, links } = render(
      '![Marie Tremblay devant l’hôtel de ville](photo.jpg)\n\nVoir aussi ![Logo](https://cdn.aimq.net/logo.png) et [la photo](photo.jpg).',
    );
    expect(text).toBe(
      lines('[Marie Tremblay devant l’hôtel de ville] [1]', '', 'Voir aussi [Logo] [2] et la photo [1].'),
    );
    expect(links).toEqual([`${ASSETS}photo.jpg`, 'https://cdn.aimq.net/logo.png']);
  });

  it('resolves reference-style links through their definitions, which are not printed', () => {
    const { text, links } = render(
      'Le [rapport annuel][rapport] et le [rapport] encore.\n\n[rapport]: https://www.aimq.net/rapport.pdf',
    );
    expect(text).toBe(lines('Le rapport annuel [1] et le rapport [1] encore.'));
    expect(links).toEqual(['https://www.aimq.net/rapport.pdf']);
  });

  it('never numbers a javascript: URL', () => {
    expect(render('[Cliquez](javascript:alert(1)) ici.')).toEqual({ text: lines('Cliquez ici.'), links: [] });
  });
});

describe('mdastToText: French typography', () => {
  it('never breaks at the narrow no-break space before ";"', () => {
    const markdown =
      'Les membres du conseil d’administration de l’AIMQ se réuniront à Québec ; l’assemblée générale suivra le lendemain.';
    // With an ordinary space, the line would end after « Québec » and the next begin with « ; ».
    expect(wrap(markdown, 72).split('\n')[1]).toMatch(/^;/);
    const { text } = renderFrench(markdown);
    expect(text).toBe(
      lines(
        'Les membres du conseil d’administration de l’AIMQ se réuniront à',
        'Québec\u202F; l’assemblée générale suivra le lendemain.',
      ),
    );
  });

  it('keeps "9 h 30" together', () => {
    const markdown =
      'Les inscriptions au congrès annuel de l’Association ouvriront le 12 à 9 h 30, en ligne seulement.';
    // With ordinary spaces the line would end after « 9 », but a number keeps its unit.
    expect(wrap(markdown, 72).split('\n')[0]).toMatch(/ à$/);
    expect(renderFrench(markdown).text).toBe(
      lines(
        'Les inscriptions au congrès annuel de l’Association ouvriront le 12 à',
        '9\u00A0h\u00A030, en ligne seulement.',
      ),
    );
  });

  it('renders a complete French press-release body', () => {
    const markdown = `L'Association des ingénieurs municipaux du Québec (AIMQ) annonce la nomination de Marie Tremblay à la présidence de son conseil d'administration. Elle entrera en fonction le 1er janvier 2027.

## Une ingénieure d'expérience

Diplômée de Polytechnique Montréal, Mme Tremblay dirige depuis 2015 le service de l'ingénierie de la Ville de Sherbrooke, où elle a mené la réfection de 120 km de conduites d'eau potable.

> "Les municipalités devront investir 1500 $ par habitant d'ici 2035. Je veux que l'AIMQ soit à leurs côtés!" a déclaré Marie Tremblay.

### Ses priorités

- la relève en génie municipal ;
- le financement des infrastructures, qui reste le premier souci des villes membres ;
- la collaboration avec les ordres professionnels.

L'assemblée générale aura lieu le 14 mai 2027, à 9 h 30, à l'hôtel de ville. Le programme est publié sur le [site de l'AIMQ](https://www.aimq.net/presidence). Renseignements : communications@aimq.net.
`;
    const { text, links } = renderFrench(markdown);
    expect(text).toBe(
      lines(
        'L’Association des ingénieurs municipaux du Québec (AIMQ) annonce la',
        'nomination de Marie Tremblay à la présidence de son conseil',
        'd’administration. Elle entrera en fonction le 1er janvier 2027.',
        '',
        'Une ingénieure d’expérience',
        '---------------------------',
        '',
        'Diplômée de Polytechnique Montréal, Mme\u00A0Tremblay dirige depuis 2015 le',
        'service de l’ingénierie de la Ville de Sherbrooke, où elle a mené la',
        'réfection de 120 km de conduites d’eau potable.',
        '',
        '> «\u00A0Les municipalités devront investir 1\u00A0500\u00A0$ par habitant d’ici 2035.',
        '> Je veux que l’AIMQ soit à leurs côtés\u202F!\u00A0» a déclaré Marie Tremblay.',
        '',
        'Ses priorités',
        '-------------',
        '',
        '- la relève en génie municipal\u202F;',
        '- le financement des infrastructures, qui reste le premier souci des',
        '  villes membres\u202F;',
        '- la collaboration avec les ordres professionnels.',
        '',
        'L’assemblée générale aura lieu le 14 mai 2027, à 9\u00A0h\u00A030, à l’hôtel de',
        'ville. Le programme est publié sur le site de l’AIMQ [1].',
        'Renseignements\u00A0: communications@aimq.net.',
      ),
    );
    expect(links).toEqual(['https://www.aimq.net/presidence']);
    expect(`${text}\n${formatLinks(links)}`).toMatch(
      /Renseignements\u00A0: communications@aimq\.net\.\n\n\[1\] https:\/\/www\.aimq\.net\/presidence\n$/,
    );
    expectTidy(text);
    for (const line of text.split('\n')) expect([...line].length).toBeLessThanOrEqual(72);
  });
});

describe('mdastToText: the whole output', () => {
  it('has no trailing spaces and never two blank lines in a row, whatever the input', () => {
    const markdown = [
      'Texte  \\',
      '\\',
      '\\',
      'après trois sauts.',
      '',
      '> ```',
      '> a',
      '>',
      '>',
      '> b',
      '> ```',
      '',
      '<div>html</div>',
      '',
      '',
      '<!-- x -->',
      '',
      '- ',
      '-   [ ]',
      '',
      '| a | b |',
      '| - | - |',
      '| x |   |',
      '',
      '[lien]: https://x.ca',
      '',
      '« texte » : fin ; oui !',
    ].join('\n');
    for (const result of [render(markdown), renderFrench(markdown)]) expectTidy(result.text);
  });

  it('is pure: the tree is not changed and the same tree gives the same result', () => {
    const tree = parseMarkdown('Un [lien](a.pdf)[^1] et ![image](b.jpg).\n\n[^1]: Note.');
    const before = JSON.stringify(tree);
    const first = mdastToText(tree, { resolveUrl });
    const second = mdastToText(tree, { resolveUrl });
    expect(second).toEqual(first);
    expect(first.links).toEqual([`${ASSETS}a.pdf`, `${ASSETS}b.jpg`]);
    expect(JSON.stringify(tree)).toBe(before);
  });

  it('gives an empty text for an empty body', () => {
    expect(render('')).toEqual({ text: '', links: [] });
  });
});
