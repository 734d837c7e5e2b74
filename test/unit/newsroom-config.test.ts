import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { tagSlug } from '../../src/render-web/tag-slug.js';
import { MINIMAL_CONFIG as VALID, problemsOf, where } from '../helpers/config.js';
import { en } from '../helpers/text.js';

describe('tag slugs', () => {
  it('are ASCII, lower case, without accents, words joined by hyphens', () => {
    expect(tagSlug('Infrastructures')).toBe('infrastructures');
    expect(tagSlug('Sécurité routière')).toBe('securite-routiere');
    expect(tagSlug('  Eau potable  ')).toBe('eau-potable');
    expect(tagSlug('Œuvres d’art & patrimoine')).toBe('oeuvres-d-art-patrimoine');
    expect(tagSlug('ÉNERGIE')).toBe('energie');
    expect(tagSlug('COVID-19')).toBe('covid-19');
  });

  it('are stable, and a tag with no Latin letter still gets one', () => {
    expect(tagSlug('水')).toMatch(/^t-[0-9a-f]{8}$/);
    expect(tagSlug('水')).toBe(tagSlug('水'));
    expect(tagSlug('水')).not.toBe(tagSlug('火'));
    // Composed and decomposed accents are the same tag.
    expect(tagSlug('Se\u0301curite\u0301')).toBe(tagSlug('Sécurité'));
  });
});

describe('newsroom settings in aimq.config.yaml', () => {
  it('are optional: no setting, no newsroom object (20 a page)', () => {
    expect(parseConfig(VALID, where).newsroom).toBeUndefined();
  });

  it('read the page size and each tag’s names', () => {
    const c = parseConfig(
      `${VALID}newsroom:\n  pageSize: 12\n  tags:\n    - { fr: Infrastructures, en: Infrastructure }\n    - Gouvernance\n`,
      where,
    );
    expect(c.newsroom).toEqual({
      pageSize: 12,
      tags: [
        { fr: 'Infrastructures', en: 'Infrastructure' },
        { fr: 'Gouvernance', en: 'Gouvernance' },
      ],
    });
  });

  it('refuse a page size that is not a whole number from 1 to 999, at its line', () => {
    for (const bad of ['0', '-3', '2.5', 'vingt', '1000']) {
      const p = problemsOf(`${VALID}newsroom:\n  pageSize: ${bad}\n`);
      expect(
        p.map((d) => `${d.code}@${d.line}`),
        bad,
      ).toEqual(['AIMQ-CONFIG-FIELD@7']);
      expect(p[0]!.hint).toMatch(/whole number/);
    }
  });

  it('refuse a tag missing a language, and an unknown key with a suggestion', () => {
    const missing = problemsOf(`${VALID}newsroom:\n  tags:\n    - { fr: Infrastructures }\n`);
    expect(missing.map((d) => d.code)).toEqual(['AIMQ-CONFIG-FIELD']);
    expect(missing[0]!.line).toBe(8);
    const unknown = problemsOf(`${VALID}newsroom:\n  pagesize: 10\n`);
    expect(unknown.map((d) => d.code)).toEqual(['AIMQ-CONFIG-UNKNOWN']);
    expect(en(unknown[0]!.hint)).toContain('pageSize');
  });
});
