import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { aimq, sampleProject } from '../helpers/cli.js';
import {
  readText,
  SAMPLE_EN,
  SAMPLE_EN_PAGE,
  SAMPLE_FR,
  SAMPLE_FR_PAGE,
  SAMPLE_ID,
} from '../helpers/project.js';

// Footnotes on the web pages and in the e-mail editions: every link leads somewhere, in
// both directions, and what they say is in the edition's language.

const NOW = '2026-11-28T12:00:00-05:00';
const NBSP = '\u00A0';
let dir: string;

beforeAll(() => {
  dir = sampleProject();
  appendFileSync(
    join(dir, SAMPLE_FR),
    '\nLe budget augmente[^budget], selon le rapport[^2].\n\n[^budget]: Voir le rapport annuel.\n[^2]: Publié en 2019.\n',
  );
  appendFileSync(join(dir, SAMPLE_EN), '\nThe budget grows[^1].\n\n[^1]: See the annual report.\n');
  const r = aimq(['release', 'build', '--out', 'public', '--now', NOW], dir);
  expect(r.status, r.stderr).toBe(0);
}, 60_000);

/** The in-page links (`href="#…"`, `aria-describedby`) of a document that lead nowhere, and its duplicated ids. */
function brokenAnchors(html: string): { dead: string[]; duplicated: string[] } {
  const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!);
  const hrefs = [
    ...[...html.matchAll(/\shref="#([^"]+)"/g)].map((m) => m[1]!),
    ...[...html.matchAll(/\saria-describedby="([^"]+)"/g)].flatMap((m) => m[1]!.split(' ')),
  ];
  return {
    dead: hrefs.filter((h) => !ids.includes(h)),
    duplicated: ids.filter((id, i) => ids.indexOf(id) !== i),
  };
}

/** The footnote links of a document: references to notes and back-links to the text. */
function footnoteLinks(html: string): { refs: string[]; backs: string[] } {
  return {
    refs: [...html.matchAll(/<a href="#([^"]+)"[^>]*data-footnote-ref/g)].map((m) => m[1]!),
    backs: [...html.matchAll(/<a href="#([^"]+)"[^>]*data-footnote-backref/g)].map((m) => m[1]!),
  };
}

describe('footnotes', () => {
  it('link both ways on the web pages, labelled in the page’s language', () => {
    const fr = readText(dir, `public/${SAMPLE_FR_PAGE}`);
    const en = readText(dir, `public/${SAMPLE_EN_PAGE}`);
    for (const [html, count] of [
      [fr, 2],
      [en, 1],
    ] as const) {
      const { refs, backs } = footnoteLinks(html);
      expect(refs.length).toBe(count);
      expect(backs.length).toBe(count);
      expect(brokenAnchors(html)).toEqual({ dead: [], duplicated: [] });
    }
    expect(fr).toMatch(/<h2[^>]*>Notes<\/h2>/);
    expect(fr).toContain('aria-label="Retour au texte"');
    expect(fr).not.toMatch(/Footnotes|Back to/);
    expect(en).toMatch(/<h2[^>]*>Notes<\/h2>/);
    expect(en).toContain('aria-label="Back to the text"');
  });

  it('link both ways in the e-mail editions, the bilingual one included', () => {
    for (const edition of ['fr', 'en', 'bilingual']) {
      const html = readText(dir, `public/email/${SAMPLE_ID}/${edition}.html`);
      const { refs, backs } = footnoteLinks(html);
      expect(refs.length, edition).toBe(edition === 'fr' ? 2 : edition === 'en' ? 1 : 3);
      expect(backs.length, edition).toBe(refs.length);
      expect(brokenAnchors(html), edition).toEqual({ dead: [], duplicated: [] });
    }
    const fr = readText(dir, `public/email/${SAMPLE_ID}/fr.html`);
    expect(fr).toMatch(/<h2[^>]*>Notes<\/h2>/);
    expect(fr).toContain('aria-label="Retour au texte"');
    expect(fr).not.toMatch(/Footnotes|Back to/);
  });

  it('are listed after the plain text, `Note 1 :` in French, `Note 1:` in English', () => {
    const fr = readText(dir, `public/email/${SAMPLE_ID}/fr.txt`);
    expect(fr).toContain('Le budget augmente (note 1), selon le rapport (note 2).');
    expect(fr).toContain(`\nNote 1${NBSP}: Voir le rapport annuel.\n`);
    expect(fr).toContain(`\nNote 2${NBSP}: Publié en 2019.\n`);
    const en = readText(dir, `public/email/${SAMPLE_ID}/en.txt`);
    expect(en).toContain('\nNote 1: See the annual report.\n');
  });
});
