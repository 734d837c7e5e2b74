import type {
  Code,
  Heading,
  Html,
  Image,
  InlineCode,
  Link,
  Nodes,
  Paragraph,
  Root,
  Table,
  Text,
} from 'mdast';
import { toString } from 'mdast-util-to-string';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import { describe, expect, it } from 'vitest';
import {
  englishText,
  findFrenchTypographyIssues,
  frenchText,
  remarkTypography,
  type FrenchProfile,
} from '../../src/markdown/typography.js';

// Expected values spell out the invisible characters:
//   \u00A0 no-break space, \u202F narrow no-break space, \u2019 ’, \u2026 …

describe('frenchText, profile oqlf (default)', () => {
  const cases: Array<[string, string]> = [
    // guillemets
    ['«texte»', '«\u00A0texte\u00A0»'],
    ['« texte »', '«\u00A0texte\u00A0»'],
    ['«  texte\u202F»', '«\u00A0texte\u00A0»'],
    ['«\u00A0texte\u00A0»', '«\u00A0texte\u00A0»'],
    // colon
    ['Source :', 'Source\u00A0:'],
    ['Source:', 'Source\u00A0:'],
    ['Note : voir plus bas', 'Note\u00A0: voir plus bas'],
    ['à 14:00', 'à 14:00'], // a colon between digits is not punctuation
    ['std::vector ou Note:suite', 'std::vector ou Note:suite'],
    // ; ! ?
    ['Oui ; non', 'Oui\u202F; non'],
    ['Oui; non', 'Oui\u202F; non'],
    ['Quoi?', 'Quoi\u202F?'],
    ['Quoi ?', 'Quoi\u202F?'],
    ['Vraiment\u00A0!', 'Vraiment\u202F!'],
    ['Quoi ?!', 'Quoi\u202F?!'],
    ['Attention!!', 'Attention\u202F!!'],
    ['(?)', '(?)'],
    // numbers, $ and %
    ['25 %', '25\u00A0%'],
    ['25%', '25\u00A0%'],
    ['2,5 %', '2,5\u00A0%'],
    ['1000 $', '1\u00A0000\u00A0$'],
    ['1000$', '1\u00A0000\u00A0$'],
    ['1000,50 $', '1\u00A0000,50\u00A0$'],
    ['10000', '10\u00A0000'],
    ['1234567 personnes', '1\u00A0234\u00A0567 personnes'],
    ['1 000 000 habitants', '1\u00A0000\u00A0000 habitants'],
    ['1 000 membres', '1\u00A0000 membres'],
    ['en 2019', 'en 2019'],
    ['2020', '2020'],
    ['Il a 10 000 $ et 2 500 $.', 'Il a 10\u00A0000\u00A0$ et 2\u00A0500\u00A0$.'],
    // digits inside longer tokens are never touched; a phone number is kept on one line
    ['Appelez le 514 555-0100.', 'Appelez le 514\u00A0555-0100.'],
    ['+1 514 555-0100', '+1\u00A0514\u00A0555-0100'],
    ['514 555 0100', '514 555 0100'],
    ['H3B 1A7', 'H3B 1A7'],
    ['version 1.2.3', 'version 1.2.3'],
    ['le 2020-01-13', 'le 2020-01-13'],
    ['réf. 12345-678', 'réf. 12345-678'],
    ['1 23456', '1 23456'], // wrongly grouped: 123 456 or 1 and 23 456? left alone
    // times: already spaced ones get no-break spaces, the others are only reported
    ['9 h 30', '9\u00A0h\u00A030'],
    ['à 14 h.', 'à 14\u00A0h.'],
    ['9 H 30 (HNE)', '9\u00A0H\u00A030 (HNE)'],
    ['9h30', '9h30'],
    ['à 9:30.', 'à 9:30.'],
    ['24 heures', '24 heures'],
    // apostrophes, quotes, ellipsis
    ["l'AIMQ", 'l\u2019AIMQ'],
    ["aujourd'hui", 'aujourd\u2019hui'],
    ['Il a dit "bonjour" hier.', 'Il a dit «\u00A0bonjour\u00A0» hier.'],
    ['"Bonjour", dit-il.', '«\u00A0Bonjour\u00A0», dit-il.'],
    ['" texte "', '«\u00A0texte\u00A0»'],
    ['("texte")', '(«\u00A0texte\u00A0»)'],
    ['l\'"avion"', 'l\u2019«\u00A0avion\u00A0»'],
    ['“Bonjour”', '«\u00A0Bonjour\u00A0»'],
    ['"Quoi?"', '«\u00A0Quoi\u202F?\u00A0»'],
    ['Et puis...', 'Et puis\u2026'],
    // URLs, e-mail addresses, paths and entities are left exactly as they are
    ['Visitez https://aimq.net/a?b=1!', 'Visitez https://aimq.net/a?b=1\u202F!'],
    ['Écrivez à info@aimq.net ; merci', 'Écrivez à info@aimq.net\u202F; merci'],
    ['Voir www.aimq.net/x:y?z=10000.', 'Voir www.aimq.net/x:y?z=10000.'],
    ['Voir aimq.net/page?id=1 !', 'Voir aimq.net/page?id=1\u202F!'],
    [
      "(https://fr.wikipedia.org/wiki/Qu'est-ce_(a)) ?",
      "(https://fr.wikipedia.org/wiki/Qu'est-ce_(a))\u202F?",
    ],
    ['Voir https://x.ca/f(oui!)', 'Voir https://x.ca/f(oui!)'], // the URL opened a parenthesis: it keeps `!)`
    ['https://x.ca/rdv?h=8:30&n=10000 "a"', 'https://x.ca/rdv?h=8:30&n=10000 «\u00A0a\u00A0»'],
    ['Fichier C:\\dossier\\a.txt : ok', 'Fichier C:\\dossier\\a.txt\u00A0: ok'],
    ['A&amp;B ; C', 'A&amp;B\u202F; C'],
    // a whole sentence
    [
      "« L'AIMQ compte 12000 membres ; 25% d'entre eux sont là ! »",
      '«\u00A0L\u2019AIMQ compte 12\u00A0000 membres\u202F; 25\u00A0% d\u2019entre eux sont là\u202F!\u00A0»',
    ],
  ];

  it.each(cases)('frenchText(%j)', (input, expected) => {
    expect(frenchText(input)).toBe(expected);
  });

  it.each(cases)('is idempotent on %j', (input) => {
    const once = frenchText(input);
    expect(frenchText(once)).toBe(once);
  });

  it('returns text holding a private-use placeholder unchanged rather than misplace a URL', () => {
    expect(frenchText('Quoi\uE002 ? https://x.ca')).toBe('Quoi\uE002 ? https://x.ca');
  });

  it('defaults to the oqlf profile', () => {
    expect(frenchText('Quoi ?', {})).toBe('Quoi\u202F?');
    expect(frenchText('Quoi ?', { profile: 'oqlf' })).toBe('Quoi\u202F?');
  });
});

describe('frenchText, profile compact', () => {
  const cases: Array<[string, string]> = [
    ['Quoi ?', 'Quoi?'],
    ['Quoi\u202F?!', 'Quoi?!'],
    ['Oui ; non', 'Oui; non'],
    ['Vraiment\u00A0!', 'Vraiment!'],
    // everything else is the same as oqlf
    ['Source :', 'Source\u00A0:'],
    ['«texte»', '«\u00A0texte\u00A0»'],
    ['25%', '25\u00A0%'],
    ["l'AIMQ", 'l\u2019AIMQ'],
  ];

  it.each(cases)('frenchText(%j, compact)', (input, expected) => {
    expect(frenchText(input, { profile: 'compact' })).toBe(expected);
  });

  it.each(cases)('is idempotent on %j', (input) => {
    const once = frenchText(input, { profile: 'compact' });
    expect(frenchText(once, { profile: 'compact' })).toBe(once);
  });
});

describe('frenchText, profile off', () => {
  it.each(['«texte»', 'Quoi ?', "l'AIMQ", '25%', '"Bonjour"', 'Et puis...'])(
    'leaves %j untouched',
    (input) => {
      expect(frenchText(input, { profile: 'off' })).toBe(input);
    },
  );
});

describe('englishText', () => {
  const cases: Array<[string, string]> = [
    ['"Hello," she said.', '\u201CHello,\u201D she said.'],
    ['He said "yes".', 'He said \u201Cyes\u201D.'],
    ["don't", 'don\u2019t'],
    ["It's AIMQ's", 'It\u2019s AIMQ\u2019s'],
    ["'quoted' word", '\u2018quoted\u2019 word'],
    ['"She said \'no\'"', '\u201CShe said \u2018no\u2019\u201D'],
    ["students' books", 'students\u2019 books'],
    ["the '90s", 'the \u201990s'],
    // nothing else changes: no spaces before punctuation, no grouping, no ellipsis
    ['Note: 10000 people; 25% of them!', 'Note: 10000 people; 25% of them!'],
    ['Wait...', 'Wait...'],
    // URLs and e-mail addresses are left alone
    ['See https://x.ca/it\'s "here"', "See https://x.ca/it's \u201Chere\u201D"],
    ["Write to o'neil@aimq.net", "Write to o'neil@aimq.net"],
  ];

  it.each(cases)('englishText(%j)', (input, expected) => {
    expect(englishText(input)).toBe(expected);
  });

  it.each(cases)('is idempotent on %j', (input) => {
    const once = englishText(input);
    expect(englishText(once)).toBe(once);
  });
});

// ---------------------------------------------------------------------------------------
// The remark plugin, through a real unified pipeline
// ---------------------------------------------------------------------------------------

function run(markdown: string, lang = 'fr', profile?: FrenchProfile): Root {
  const processor = unified()
    .use(remarkParse)
    .use(remarkGfm)
    .use(remarkTypography, profile === undefined ? { lang } : { lang, profile });
  // runSync is typed with unist's Node: this pipeline starts and ends with an mdast Root.
  return processor.runSync(processor.parse(markdown)) as Root;
}

function firstOfType<T extends Nodes>(tree: Root, type: T['type']): T {
  let found: T | undefined;
  visit(tree, type, (node) => {
    found ??= node as T;
  });
  if (found === undefined) throw new Error(`no ${type} node`);
  return found;
}

function textValues(tree: Root): string[] {
  const values: string[] = [];
  visit(tree, 'text', (node: Text) => {
    values.push(node.value);
  });
  return values;
}

describe('remarkTypography, French', () => {
  it('fixes a plain paragraph', () => {
    const tree = run("L'AIMQ : « bienvenue » !");
    expect(toString(tree)).toBe('L\u2019AIMQ\u00A0: «\u00A0bienvenue\u00A0»\u202F!');
  });

  it('puts guillemet spaces in the text nodes around an emphasis, not inside it', () => {
    const tree = run('« *Bonjour* »');
    expect(textValues(tree)).toEqual(['«\u00A0', 'Bonjour', '\u00A0»']);
  });

  it('adds the space before a colon that follows strong text', () => {
    const tree = run('**important**: lire');
    expect(textValues(tree)).toEqual(['important', '\u00A0: lire']);
  });

  it('handles ; ! ? after emphasis and links', () => {
    const tree = run('*Quoi* ? Voir [le site](https://aimq.net) ! Et _ceci_;');
    expect(textValues(tree)).toEqual(['Quoi', '\u202F? Voir ', 'le site', '\u202F! Et ', 'ceci', '\u202F;']);
  });

  it('pairs straight quotes across nodes', () => {
    const tree = run('"*Bonjour*", dit-il, puis "**au revoir**".');
    expect(textValues(tree)).toEqual([
      '«\u00A0',
      'Bonjour',
      '\u00A0», dit-il, puis «\u00A0',
      'au revoir',
      '\u00A0».',
    ]);
  });

  it('fixes headings, list items and table cells', () => {
    const tree = run('# Titre : sous-titre\n\n- Oui ; non\n\n| A | B |\n| - | - |\n| 25% | Quoi? |\n');
    expect(toString(firstOfType<Heading>(tree, 'heading'))).toBe('Titre\u00A0: sous-titre');
    expect(toString(firstOfType<Paragraph>(tree, 'paragraph'))).toBe('Oui\u202F; non');
    expect(toString(firstOfType<Table>(tree, 'table').children[1])).toBe('25\u00A0%Quoi\u202F?');
  });

  it('leaves inline code untouched but spaces the punctuation after it', () => {
    const tree = run('Tapez `a : b ; \'c\'` ; puis "ok".');
    expect(firstOfType<InlineCode>(tree, 'inlineCode').value).toBe("a : b ; 'c'");
    expect(textValues(tree)).toEqual(['Tapez ', '\u202F; puis «\u00A0ok\u00A0».']);
  });

  it('leaves code blocks and raw HTML untouched', () => {
    const tree = run('```\nx = "a" ; y = 10000...\n```\n\n<div title="a : b">c ; d</div>\n');
    expect(firstOfType<Code>(tree, 'code').value).toBe('x = "a" ; y = 10000...');
    expect(firstOfType<Html>(tree, 'html').value).toBe('<div title="a : b">c ; d</div>');
  });

  it('leaves autolinks, literal URLs and e-mail addresses untouched', () => {
    const tree = run(
      'Voir <https://aimq.net/a?b=1> ! Aussi www.aimq.net/x:y ; écrire à info@aimq.net ; merci',
    );
    const links: Link[] = [];
    visit(tree, 'link', (link: Link) => {
      links.push(link);
    });
    expect(links.map((link) => [link.url, toString(link)])).toEqual([
      ['https://aimq.net/a?b=1', 'https://aimq.net/a?b=1'],
      ['http://www.aimq.net/x:y', 'www.aimq.net/x:y'],
      ['mailto:info@aimq.net', 'info@aimq.net'],
    ]);
    expect(toString(tree)).toBe(
      'Voir https://aimq.net/a?b=1\u202F! Aussi www.aimq.net/x:y\u202F; écrire à info@aimq.net\u202F; merci',
    );
  });

  it('skips autolinks whole, even where the URL pattern would stop', () => {
    const tree = run('<https://x.ca/a"b?c> ! www.aimq.net/d"e ; <o\'neil@aimq.net>');
    expect(textValues(tree)).toEqual([
      'https://x.ca/a"b?c',
      '\u202F! ',
      'www.aimq.net/d"e',
      '\u202F; ',
      "o'neil@aimq.net",
    ]);
  });

  it('fixes link text but never the URL or title', () => {
    const tree = run('[l\'"AIMQ" : 25%](https://aimq.net/?q=25%25 "titre ?")');
    const link = firstOfType<Link>(tree, 'link');
    expect(link.url).toBe('https://aimq.net/?q=25%25');
    expect(link.title).toBe('titre ?');
    expect(toString(link)).toBe('l\u2019«\u00A0AIMQ\u00A0»\u00A0: 25\u00A0%');
  });

  it('fixes image alt text but never the URL', () => {
    const tree = run("![l'équipe : 25 personnes](images/l'equipe-25%.jpg)");
    const image = firstOfType<Image>(tree, 'image');
    expect(image.alt).toBe('l\u2019équipe\u00A0: 25 personnes');
    expect(image.url).toBe("images/l'equipe-25%.jpg");
  });

  it('treats a hard line break as a space', () => {
    const tree = run('Source :\\\n"Danielle"');
    expect(textValues(tree)).toEqual(['Source\u00A0:', '«\u00A0Danielle\u00A0»']);
  });

  it('accepts regional tags such as fr-CA', () => {
    expect(toString(run('Quoi ?', 'fr-CA'))).toBe('Quoi\u202F?');
  });

  it('applies the compact profile', () => {
    expect(toString(run('*Quoi* ? Oui ; « non »', 'fr', 'compact'))).toBe('Quoi? Oui; «\u00A0non\u00A0»');
  });

  it('does nothing with the off profile', () => {
    const markdown = "L'AIMQ : « *bienvenue* » ! 25%";
    expect(toString(run(markdown, 'fr', 'off'))).toBe("L'AIMQ : « bienvenue » ! 25%");
  });

  it('works on adjacent text nodes (as other plugins may leave them)', () => {
    const tree: Root = {
      type: 'root',
      children: [
        {
          type: 'paragraph',
          children: [
            { type: 'text', value: 'Quoi' },
            { type: 'text', value: ' ?' },
          ],
        },
      ],
    };
    remarkTypography({ lang: 'fr' })(tree);
    expect(textValues(tree)).toEqual(['Quoi', '\u202F?']);
  });

  it('leaves a paragraph alone if its prose already holds a private-use sentinel', () => {
    const tree = run('Quoi\uE000 ?\n\nOui ?');
    expect(textValues(tree)).toEqual(['Quoi\uE000 ?', 'Oui\u202F?']);
  });

  it('is idempotent when run twice on the same tree', () => {
    const tree = run('"*Bonjour*" : 10000 $ ; « **oui** » ?!');
    const once = structuredClone(tree);
    remarkTypography({ lang: 'fr' })(tree);
    expect(tree).toEqual(once);
    expect(toString(tree)).toBe(
      '«\u00A0Bonjour\u00A0»\u00A0: 10\u00A0000\u00A0$\u202F; «\u00A0oui\u00A0»\u202F?!',
    );
  });
});

describe('remarkTypography, other languages', () => {
  it('curls quotes in English and nothing else', () => {
    const tree = run('"*Hello*," she said; it\'s 25% off: <https://x.ca/it\'s>', 'en');
    expect(textValues(tree)).toEqual([
      '\u201C',
      'Hello',
      ',\u201D she said; it\u2019s 25% off: ',
      "https://x.ca/it's",
    ]);
    expect(firstOfType<Link>(tree, 'link').url).toBe("https://x.ca/it's");
  });

  it('leaves other languages untouched', () => {
    expect(toString(run('"Hallo" : ja !', 'de'))).toBe('"Hallo" : ja !');
    // "french" is not a language tag starting with the subtag fr
    expect(toString(run('"Salut" !', 'french'))).toBe('"Salut" !');
  });
});

// ---------------------------------------------------------------------------------------
// findFrenchTypographyIssues
// ---------------------------------------------------------------------------------------

describe('findFrenchTypographyIssues', () => {
  /** The finding for `text` reduced to what a reader checks: the flagged slice and the fix. */
  function summarize(text: string): Array<[string, string, string]> {
    return findFrenchTypographyIssues(text).map((f) => [
      f.code,
      text.slice(f.index, f.index + f.length),
      f.suggestion,
    ]);
  }

  it('reports a time with its exact position, message and hint', () => {
    expect(findFrenchTypographyIssues('Rendez-vous à 9h30 ici.')).toEqual([
      {
        index: 14,
        length: 4,
        code: 'AIMQ-TYPO-TIME',
        message: expect.objectContaining({ en: 'time "9h30" is not written the OQLF way' }),
        hint: expect.objectContaining({ en: 'write "9 h 30"' }),
        suggestion: '9 h 30',
      },
    ]);
  });

  it.each<[string, string, string]>([
    ['9h30', '9h30', '9 h 30'],
    ['9h', '9h', '9 h'],
    ['14h00', '14h00', '14 h'],
    ['9h00', '9h00', '9 h'],
    ['09h05', '09h05', '9 h 05'],
    ['9 h30', '9 h30', '9 h 30'],
    ['9h 30', '9h 30', '9 h 30'],
    ['14:00', '14:00', '14 h'],
    ['9:30', '9:30', '9 h 30'],
    ['23:59', '23:59', '23 h 59'],
  ])('flags the time in "à %s."', (time, flagged, suggestion) => {
    expect(summarize(`à ${time}.`)).toEqual([['AIMQ-TYPO-TIME', flagged, suggestion]]);
  });

  it.each([
    '9 h 30',
    '14 h',
    '9\u00A0h\u00A030',
    '3:1',
    '25:00',
    '9:75',
    '9:75 p.m.',
    '30 pm',
    '14:00:00',
    'version 1.14:00',
    '48h',
  ])('does not flag "%s"', (text) => {
    expect(findFrenchTypographyIssues(`à ${text}.`)).toEqual([]);
  });

  it('skips URLs, e-mail addresses and inline code', () => {
    expect(
      findFrenchTypographyIssues('https://x.ca/rdv/9h30 rdv-14:00@aimq.net `14:00` www.x.ca/2ème'),
    ).toEqual([]);
  });

  it.each<[string, string]>([
    ['2ème', '2e'],
    ['2ieme', '2e'],
    ['3ième', '3e'],
    ['21eme', '21e'],
    ['1ère', '1re'],
    ['1ere', '1re'],
    ['1ier', '1er'],
    ['2èmes', '2es'],
    ['1ères', '1res'],
  ])('flags the ordinal %s', (ordinal, suggestion) => {
    const text = `la ${ordinal} édition`;
    expect(findFrenchTypographyIssues(text)).toEqual([
      {
        index: 3,
        length: ordinal.length,
        code: 'AIMQ-TYPO-ORDINAL',
        message: expect.objectContaining({ en: `ordinal "${ordinal}" is not the OQLF abbreviation` }),
        hint: expect.objectContaining({ en: `write "${suggestion}"` }),
        suggestion,
      },
    ]);
  });

  it('accepts the OQLF ordinals', () => {
    expect(findFrenchTypographyIssues('le 1er, la 1re, les 1ers, la 2e, les 3es, le 21e siècle')).toEqual([]);
  });

  it.each<[string, string]>([
    ['9 a.m.', '9 h'],
    ['2 p.m.', '14 h'],
    ['2:30 p.m.', '14 h 30'],
    ['9h30 AM', '9 h 30'],
    ['10:15 pm', '22 h 15'],
    ['12 a.m.', '0 h'],
    ['12 PM', '12 h'],
  ])('flags %s once, as AIMQ-TYPO-AMPM', (time, suggestion) => {
    expect(summarize(`Début à ${time} demain`)).toEqual([['AIMQ-TYPO-AMPM', time, suggestion]]);
  });

  it('returns findings in text order with their offsets', () => {
    const text = 'Le 2ème atelier, de 9h à 14:00, puis 3 p.m.';
    const findings = findFrenchTypographyIssues(text);
    expect(findings.map((f) => [f.code, f.index, f.length])).toEqual([
      ['AIMQ-TYPO-ORDINAL', 3, 4],
      ['AIMQ-TYPO-TIME', 20, 2],
      ['AIMQ-TYPO-TIME', 25, 5],
      ['AIMQ-TYPO-AMPM', 37, 6],
    ]);
    expect(findings[3]?.message.en).toBe('time "3 p.m." uses a.m./p.m.; French uses the 24-hour clock');
  });
});

describe('courtesy titles before a name', () => {
  it.each([
    ['souligne M. Jean Lanciault', 'souligne M.\u00A0Jean Lanciault'],
    ['Mme Boucher et MM. Tremblay', 'Mme\u00A0Boucher et MM.\u00A0Tremblay'],
    ['Dre Roy', 'Dre\u00A0Roy'],
    ['Pour Me et moi', 'Pour Me et moi'],
    ['FM. Radio', 'FM. Radio'],
  ])('%s', (input, expected) => {
    expect(frenchText(input)).toBe(expected);
  });
});
