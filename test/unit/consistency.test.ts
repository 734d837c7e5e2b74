import { en as english } from '../helpers/text.js';
import { describe, expect, it } from 'vitest';
import { parseMarkdown } from '../../src/markdown/pipeline.js';
import {
  checkTranslationConsistency,
  extractFacts,
  type EditionText,
  type FactKind,
} from '../../src/validate/consistency.js';

const FR_FILE = 'releases/2020-01-13-rapport-annuel/fr.md';
const EN_FILE = 'releases/2020-01-13-rapport-annuel/en.md';
const NBSP = '\u00A0';
const NNBSP = '\u202F';

function edition(
  lang: 'fr' | 'en',
  markdown: string,
  bodyLine = 1,
  extra?: EditionText['extra'],
): EditionText {
  return {
    lang,
    file: lang === 'fr' ? FR_FILE : EN_FILE,
    tree: parseMarkdown(markdown, bodyLine),
    ...(extra ? { extra } : {}),
  };
}

const check = (fr: string, en: string) => checkTranslationConsistency(edition('fr', fr), edition('en', en));

/** `kind normalized` of each fact, in text order. */
const factsOf = (text: string, lang: string) =>
  extractFacts(text, lang).map((f) => `${f.kind} ${f.normalized}`);

describe('extractFacts', () => {
  const cases: Array<[name: string, lang: 'fr' | 'en', text: string, expected: string[]]> = [
    ['French amount with grouping and decimals', 'fr', 'Un don de 1 000,50 $ au total.', ['amount 1000.5 $']],
    [
      'French amounts with and without spaces',
      'fr',
      `1${NBSP}000${NBSP}$ puis 1000$`,
      ['amount 1000 $', 'amount 1000 $'],
    ],
    [
      'French abbreviated millions and billions',
      'fr',
      '1,5 M$, 3 G$ et 500 k$',
      ['amount 1500000 $', 'amount 3000000000 $', 'amount 500000 $'],
    ],
    [
      'French amounts in words',
      'fr',
      '2 millions de dollars et 2,5 milliards de dollars',
      ['amount 2000000 $', 'amount 2500000000 $'],
    ],
    [
      'English amounts',
      'en',
      '$1,000.50, $1,000 and $1.5M',
      ['amount 1000.5 $', 'amount 1000 $', 'amount 1500000 $'],
    ],
    [
      'English amounts in words',
      'en',
      '$1.5 million, 2 million dollars, $2.5 billion, US$3B',
      ['amount 1500000 $', 'amount 2000000 $', 'amount 2500000000 $', 'amount 3000000000 $'],
    ],
    [
      'French percentages',
      'fr',
      `25 %, 25${NNBSP}%, 25% et 25 pour cent`,
      ['percent 25 %', 'percent 25 %', 'percent 25 %', 'percent 25 %'],
    ],
    [
      'English percentages, not percentage points',
      'en',
      '25%, 2.5 percent, 3 per cent, 5 percentage points',
      ['percent 25 %', 'percent 2.5 %', 'percent 3 %', 'number 5'],
    ],
    [
      'French numbers grouped by any space, comma decimals',
      'fr',
      `1 500, 12${NNBSP}000, 3${NBSP}000${NBSP}000, 3,5 et 2020`,
      ['number 1500', 'number 12000', 'number 3000000', 'number 3.5', 'number 2020'],
    ],
    [
      'English numbers grouped by commas, point decimals',
      'en',
      '1,500, 12,000, 3,000,000, 3.5 and 2020',
      ['number 1500', 'number 12000', 'number 3000000', 'number 3.5', 'number 2020'],
    ],
    [
      'scale words on plain numbers (French billion is 10¹²)',
      'fr',
      '2 millions de personnes, 1 billion',
      ['number 2000000', 'number 1000000000000'],
    ],
    [
      'French dates',
      'fr',
      'le 13 janvier 2020, le 1er décembre, le 5 févr. 2021, le 2020-01-13',
      ['date 2020-01-13', 'date --12-01', 'date 2021-02-05', 'date 2020-01-13'],
    ],
    [
      'French date ranges and lists',
      'fr',
      'du 13 au 15 mars 2021, les 1er, 2 et 3 juin',
      ['date 2021-03-13', 'date 2021-03-15', 'date --06-01', 'date --06-02', 'date --06-03'],
    ],
    [
      'English dates',
      'en',
      'January 13, 2020, 13 January 2020, December 1, Dec. 1st, the 1st of April',
      ['date 2020-01-13', 'date 2020-01-13', 'date --12-01', 'date --12-01', 'date --04-01'],
    ],
    [
      'English ranges, and a comma that does not join days',
      'en',
      'January 13–15, 2021; on March 5, 12 people',
      ['date 2021-01-13', 'date 2021-01-15', 'date --03-05', 'number 12'],
    ],
    ['impossible dates are numbers', 'fr', 'le 31 février', ['number 31']],
    [
      'e-mail addresses, lower-cased, without the final period',
      'fr',
      'Écrivez à Marie.Tremblay@AIMQ.ca.',
      ['email marie.tremblay@aimq.ca'],
    ],
    [
      'URLs without scheme, www, trailing slash or punctuation',
      'en',
      'See https://WWW.AIMQ.ca/Rapport/, or www.aimq.ca.',
      ['url aimq.ca/Rapport', 'url aimq.ca'],
    ],
    [
      'URL language segments and parentheses',
      'fr',
      '(voir https://fr.wikipedia.org/wiki/Loi_(Québec)) et https://aimq.ca/fr/nouvelles?lang=fr',
      ['url {lang}.wikipedia.org/wiki/Loi_(Qu%C3%A9bec)', 'url aimq.ca/{lang}/nouvelles?lang={lang}'],
    ],
    [
      'French times, phones, postal codes and ordinals are not numbers',
      'fr',
      'À 9 h 30 et 14 h, au 514 555-1234, poste 22, H2X 1Y4, la 2e et la 1re, XXIe siècle',
      [],
    ],
    [
      'English times, phones, ordinals, identifiers are not numbers',
      'en',
      'At 9:30 a.m. and 2 p.m., call 1-800-555-1234 or +33 1 23 45 67 89, the 2nd and 3rd, an A320, version 2.1.3',
      [],
    ],
    [
      'digits inside URLs and addresses are not numbers',
      'en',
      'https://aimq.ca/2020/report and info2020@aimq.ca',
      ['url aimq.ca/2020/report', 'email info2020@aimq.ca'],
    ],
    [
      'a plus sign before a grouped figure is not a phone number',
      'en',
      '+12 000 000 jobs',
      ['number 12000000'],
    ],
    [
      'a dateline and a year on their own',
      'fr',
      'MONTRÉAL, le 13 janvier 2020 – En 2019, 3 500 membres',
      ['date 2020-01-13', 'number 2019', 'number 3500'],
    ],
  ];

  it.each(cases)('%s', (_name, lang, text, expected) => {
    expect(factsOf(text, lang)).toEqual(expected);
  });

  it('reports the raw text, value and start index of each fact', () => {
    expect(extractFacts('Budget : 1 000 $ et 25 %.', 'fr')).toEqual([
      { kind: 'amount', raw: '1 000 $', normalized: '1000 $', value: 1000, index: 9 },
      { kind: 'percent', raw: '25 %', normalized: '25 %', value: 25, index: 20 },
    ]);
  });

  it('treats regional language tags like their language', () => {
    expect(factsOf('3,5 millions', 'fr-CA')).toEqual(['number 3500000']);
    expect(factsOf('3,500,000', 'en-CA')).toEqual(['number 3500000']);
  });
});

describe('checkTranslationConsistency: same facts, no warning', () => {
  const pairs: Array<[name: string, fr: string, en: string]> = [
    [
      'an investment in both spellings',
      'L’AIMQ investit 1 500 000 $ dans son programme de mentorat, soit 2,5 % de son budget annuel de 60 M$.',
      'AIMQ is investing $1.5 million in its mentoring program, or 2.5% of its $60M annual budget.',
    ],
    [
      'a dateline, an event over several days and a year',
      'MONTRÉAL, le 13 janvier 2020 – Le congrès aura lieu du 3 au 5 février au Palais des congrès. Depuis 1998, il réunit 1 200 membres.',
      'MONTREAL, January 13, 2020 – The convention will be held from February 3 to 5 at the Palais des congrès. Since 1998, it has brought together 1,200 members.',
    ],
    [
      'contacts as a mailto link and as text, with phone numbers written differently',
      'Renseignements : [Marie Tremblay](mailto:marie.tremblay@aimq.ca), 514 555-1234, poste 22',
      'Information: Marie Tremblay, Marie.Tremblay@aimq.ca, (514) 555-1234, ext. 22',
    ],
    [
      'a URL with a language segment and a trailing slash, as link and as text',
      'Le rapport est en ligne : https://www.aimq.ca/fr/rapport-annuel/.',
      'The report is online at [our website](https://aimq.ca/en/rapport-annuel).',
    ],
    [
      'times and ordinals, which each language writes its own way',
      'La 3e édition aura lieu le 1er juin, de 9 h 30 à 19 h.',
      'The 3rd edition will be held on June 1st, from 9:30 a.m. to 7 p.m.',
    ],
    [
      'a percentage spelled out on one side, an amount and a number on the other',
      'Les dons ont augmenté de 25 %, pour atteindre 2 millions de dollars versés à 12 000 familles.',
      'Donations rose 25 per cent, to 2 million dollars paid to 12,000 families.',
    ],
    [
      'a year given in the date on one side and on its own on the other',
      'Le 13 janvier, l’AIMQ a dévoilé son plan pour 2020.',
      'On January 13, 2020, AIMQ unveiled its plan.',
    ],
    [
      'figures split by markup and typographic spaces',
      `Dès le 1<sup>er</sup> mars, **2${NBSP}000${NBSP}$** par année et \`12${NNBSP}000\` places.`,
      'Starting March 1, **$2,000** a year and `12,000` seats.',
    ],
    [
      'a table and a list',
      '| Année | Membres |\n|---|---|\n| 2019 | 1 150 |\n| 2020 | 1 200 |\n\n- Hausse de 4,3 %\n- Budget de 1,2 M$',
      '| Year | Members |\n|---|---|\n| 2019 | 1,150 |\n| 2020 | 1,200 |\n\n- Up 4.3%\n- Budget of $1.2 million',
    ],
  ];

  it.each(pairs)('%s', (_name, fr, en) => {
    expect(check(fr, en)).toEqual([]);
  });
});

describe('checkTranslationConsistency: a fact missing from one edition', () => {
  interface Expected {
    code: string;
    file: string;
    line: number;
    column: number;
  }
  const at = (code: string, file: string, line: number, column: number): Expected => ({
    code,
    file,
    line,
    column,
  });
  const cases: Array<[name: string, fr: string, en: string, expected: Expected[]]> = [
    [
      'a changed amount is reported in both files',
      'Une subvention de 1 000 $ est accordée.',
      'A grant of $10,000 is awarded.',
      [at('AIMQ-TRANSLATION-AMOUNT', FR_FILE, 1, 19), at('AIMQ-TRANSLATION-AMOUNT', EN_FILE, 1, 12)],
    ],
    [
      'an e-mail address missing from the translation',
      'Pour nous joindre, écrivez à info@aimq.ca.',
      'To reach us, write to us.',
      [at('AIMQ-TRANSLATION-EMAIL', FR_FILE, 1, 30)],
    ],
    [
      'a different date',
      'MONTRÉAL, le 13 janvier 2020 – Annonce.',
      'MONTREAL, January 14, 2020 – Announcement.',
      [at('AIMQ-TRANSLATION-DATE', FR_FILE, 1, 14), at('AIMQ-TRANSLATION-DATE', EN_FILE, 1, 11)],
    ],
    [
      'a different link URL, even with the same link text',
      'Lisez le [rapport](https://aimq.ca/rapport-2020).',
      'Read the [report](https://aimq.ca/rapport-2021).',
      [at('AIMQ-TRANSLATION-URL', FR_FILE, 1, 10), at('AIMQ-TRANSLATION-URL', EN_FILE, 1, 10)],
    ],
    [
      'a number on the second line of a list item',
      'Faits saillants :\n\n- Une année record\n  avec 3 500 membres',
      'Highlights:\n\n- A record year\n  with 3,400 members',
      [at('AIMQ-TRANSLATION-NUMBER', FR_FILE, 4, 8), at('AIMQ-TRANSLATION-NUMBER', EN_FILE, 4, 8)],
    ],
    [
      'a changed percentage is an amount warning',
      'Une hausse de 25 %.',
      'An increase of 35%.',
      [at('AIMQ-TRANSLATION-AMOUNT', FR_FILE, 1, 15), at('AIMQ-TRANSLATION-AMOUNT', EN_FILE, 1, 16)],
    ],
    [
      'a wrong scale (milliard is billion, not million)',
      'Un projet de 1,5 milliard de dollars.',
      'A $1.5 million project.',
      [at('AIMQ-TRANSLATION-AMOUNT', FR_FILE, 1, 14), at('AIMQ-TRANSLATION-AMOUNT', EN_FILE, 1, 3)],
    ],
    [
      'a different year',
      'Fondée en 1998, l’AIMQ…',
      'Founded in 1989, AIMQ…',
      [at('AIMQ-TRANSLATION-NUMBER', FR_FILE, 1, 11), at('AIMQ-TRANSLATION-NUMBER', EN_FILE, 1, 12)],
    ],
    [
      'a URL only in the translation is located in the translation',
      'Détails à venir.',
      '# Details\n\nSee www.aimq.ca/news for details.',
      [at('AIMQ-TRANSLATION-URL', EN_FILE, 3, 5)],
    ],
    [
      'a fact repeated in one edition is reported once, at its first occurrence',
      '5 000 $ ici, 5 000 $ là.',
      'Nothing here.',
      [at('AIMQ-TRANSLATION-AMOUNT', FR_FILE, 1, 1)],
    ],
    [
      'facts inside a blockquote continuation line',
      '> Nous visons\n> 40 % de plus.',
      '> We aim for\n> 45% more.',
      [at('AIMQ-TRANSLATION-AMOUNT', FR_FILE, 2, 3), at('AIMQ-TRANSLATION-AMOUNT', EN_FILE, 2, 3)],
    ],
  ];

  it.each(cases)('%s', (_name, fr, en, expected) => {
    const found = check(fr, en).map(({ code, file, line, column }) => ({ code, file, line, column }));
    expect(found).toEqual(expected);
  });

  it('writes a warning that names both files, the fact as written and normalised', () => {
    const found = check('Un don de 1 000 $.', 'A donation.').map((d) => ({
      ...d,
      message: english(d.message),
      hint: english(d.hint),
    }));
    expect(found).toEqual([
      {
        file: FR_FILE,
        line: 1,
        column: 11,
        severity: 'warning',
        code: 'AIMQ-TRANSLATION-AMOUNT',
        message: `amount "1 000 $" (1000 $) appears in ${FR_FILE} but not in ${EN_FILE}`,
        hint: 'check the translation, or write the same figure in both editions',
      },
    ]);
  });

  it('locates facts in the file when the body starts after the front matter', () => {
    const [warning] = checkTranslationConsistency(
      edition('fr', 'Texte.\n\nÉcrivez à info@aimq.ca.', 9),
      edition('en', 'Text.', 9),
    );
    expect(warning).toMatchObject({ code: 'AIMQ-TRANSLATION-EMAIL', file: FR_FILE, line: 11, column: 11 });
  });

  it('checks the front-matter strings given as extra text', () => {
    const fr = edition('fr', 'Texte.', 8, [{ text: 'Une hausse de 12 % des adhésions', line: 2, column: 8 }]);
    const en = edition('en', 'Text.', 8, [{ text: 'A 15% rise in membership', line: 2, column: 8 }]);
    const found = checkTranslationConsistency(fr, en).map(({ code, file, line, column, message }) => ({
      code,
      file,
      line,
      column,
      message: english(message),
    }));
    expect(found).toEqual([
      {
        code: 'AIMQ-TRANSLATION-AMOUNT',
        file: FR_FILE,
        line: 2,
        column: 22,
        message: `percentage "12 %" appears in ${FR_FILE} but not in ${EN_FILE}`,
      },
      {
        code: 'AIMQ-TRANSLATION-AMOUNT',
        file: EN_FILE,
        line: 2,
        column: 10,
        message: `percentage "15%" (15 %) appears in ${EN_FILE} but not in ${FR_FILE}`,
      },
    ]);
  });

  it('reports the kind of the unmatched fact', () => {
    const kinds: Array<[fr: string, en: string, code: string, kind: FactKind]> = [
      ['2 000 000 $', '2,000,001', 'AIMQ-TRANSLATION-AMOUNT', 'amount'],
      ['2 000 000', '$2,000,001', 'AIMQ-TRANSLATION-NUMBER', 'number'],
    ];
    for (const [fr, en, code, kind] of kinds) {
      const [first] = check(fr, en);
      expect(first?.code).toBe(code);
      expect(english(first?.message).startsWith(`${kind} `)).toBe(true);
    }
  });
});
