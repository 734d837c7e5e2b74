import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { AimqError, AimqProblems } from '../../src/errors/index.js';
import { didYouMean } from '../../src/schema/did-you-mean.js';

const where = { root: '/project', file: 'aimq.config.yaml' };
const VALID = `organization:
  name: { fr: Association X, en: X Association }
  shortName: AX
  boilerplate: { fr: Texte., en: Text. }
baseUrl: https://example.org/news/
`;

function problems(text: string) {
  try {
    parseConfig(text, where);
  } catch (err) {
    if (err instanceof AimqProblems) return err.diagnostics;
    if (err instanceof AimqError)
      return [{ code: err.code, line: err.line, column: err.column, message: err.message, hint: err.hint }];
    throw err;
  }
  throw new Error('expected problems');
}

describe('aimq.config.yaml', () => {
  it('applies defaults and trims the base URL', () => {
    const c = parseConfig(VALID, where);
    expect(c.languages).toEqual(['fr', 'en']);
    expect(c.timeZone).toBe('America/Toronto');
    expect(c.baseUrl).toBe('https://example.org/news');
    expect(c.typography.fr).toBe('oqlf');
    expect(c.frenchCharter).toBe(true);
    expect(c.organization.name).toEqual({ fr: 'Association X', en: 'X Association' });
  });

  it('gives one text to every language when a value is not per language', () => {
    const c = parseConfig(
      VALID.replace('boilerplate: { fr: Texte., en: Text. }', 'boilerplate: Same text.'),
      where,
    );
    expect(c.organization.boilerplate).toEqual({ fr: 'Same text.', en: 'Same text.' });
  });

  it('reports an unknown key at its line with a did-you-mean', () => {
    const [d, ...rest] = problems(VALID.replace('organization:', 'organisation:'));
    expect(d).toMatchObject({
      code: 'AIMQ-CONFIG-UNKNOWN',
      line: 1,
      column: 1,
      hint: { en: 'did you mean "organization"?' },
    });
    expect(rest.map((r) => r.code)).toContain('AIMQ-CONFIG-FIELD');
  });

  it('reports a YAML syntax error at its line', () => {
    const [d] = problems(`${VALID}timeZone: [America/Toronto\n`);
    expect(d).toMatchObject({ code: 'AIMQ-CONFIG-YAML' });
    expect(d!.line).toBeGreaterThanOrEqual(6);
  });

  it('collects every problem in one pass', () => {
    const text =
      VALID.replace('  shortName: AX\n', '').replace('https://example.org/news/', 'not a url') +
      'timeZone: Mars/Olympus\nlanguages: [fr, de]\n';
    const codes = problems(text).map((d) => `${d.code}@${d.line}`);
    expect(codes).toEqual(
      expect.arrayContaining([
        'AIMQ-CONFIG-FIELD@1',
        'AIMQ-CONFIG-FIELD@4',
        'AIMQ-CONFIG-FIELD@5',
        'AIMQ-CONFIG-FIELD@6',
      ]),
    );
  });

  it('requires a text in every configured language', () => {
    const [d] = problems(
      VALID.replace('boilerplate: { fr: Texte., en: Text. }', 'boilerplate: { fr: Texte. }'),
    );
    expect(d).toMatchObject({
      code: 'AIMQ-CONFIG-FIELD',
      line: 4,
      message: { en: '"organization.boilerplate" has no "en" text' },
    });
  });

  it('refuses a document that is not a mapping', () => {
    expect(problems('- a\n- b\n')[0]).toMatchObject({ code: 'AIMQ-CONFIG-FIELD' });
  });
});

describe('did you mean', () => {
  it.each([
    ['titel', ['title', 'subtitle'], 'title'],
    ['contact', ['contacts', 'date'], 'contacts'],
    ['summmary', ['summary', 'slug'], 'summary'],
    ['xyz', ['title', 'date'], undefined],
  ])('%s', (word, candidates, expected) => {
    expect(didYouMean(word, candidates)).toBe(expected);
  });
});
