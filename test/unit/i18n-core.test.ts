import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { svgProblems } from '../../src/assets/svg.js';
import { parseConfig } from '../../src/config/load.js';
import { AimqError, type Diagnostic } from '../../src/errors/index.js';
import { isText, type Message } from '../../src/i18n/text.js';
import { readList } from '../../src/lists/read.js';
import { loadParsed } from '../../src/load/parsed.js';
import { findFrenchTypographyIssues } from '../../src/markdown/typography.js';
import { parseYaml } from '../../src/schema/yaml.js';
import { createTemplateEngine } from '../../src/templating/engine.js';
import { nowOption } from '../../src/time/clock.js';
import { checkBodies } from '../../src/validate/body.js';
import { tempDir } from '../helpers/cli.js';

/**
 * Every message the loader, the YAML reader, the body checks, the SVG check, the list
 * reader, the template engine and the clock make is a { fr, en } text whose two languages
 * differ, and whose French follows the OQLF: checked on the values themselves, as they come
 * out of many broken inputs, not on the source.
 */

const CONFIG = `organization:
  name: { fr: Association X, en: X Association }
  shortName: AX
  boilerplate: { fr: Texte., en: Text. }
baseUrl: https://example.org/news
`;

/** Both languages, different, French with a no-break space before « : ; ! ? » and the curly apostrophe. */
function expectBilingual(m: Message | undefined, what: string): void {
  expect(isText(m), `${what}: ${JSON.stringify(m)} is not { fr, en }`).toBe(true);
  const { fr, en } = m as { fr: string; en: string };
  expect(fr.trim(), what).not.toBe('');
  expect(fr, what).not.toBe(en);
  expect(fr, `${what}: ordinary space before : ; ! ?`).not.toMatch(/ [:;!?](?=\s|$)/);
  const prose = fr.replace(/`[^`]*`|"[^"]*"|“[^”]*”/g, '');
  expect(prose, `${what}: straight apostrophe`).not.toMatch(/\p{L}'\p{L}/u);
  expect(prose, `${what}: English colon`).not.toMatch(/\p{L}{2,}: /u);
}

function project(files: Record<string, string>, folder = '2026-12-01-annonce') {
  const root = tempDir();
  const dir = join(root, 'releases', folder);
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return { root, dir, config: parseConfig(CONFIG, { root, file: 'aimq.config.yaml' }) };
}

const FR = `---
title: Une annonce
date: 2026-12-01
place: Montréal
contacts:
  - name: Danielle Boucher
    email: communications@example.org
image: { src: photo.png, alt: Une photo }
---
Le corps, à 9h30 pour la 2ème fois, avec 1 250 membres : [lien](http://example.org).

![](absent.png)

<div>brut</div>
`;

const EN = `---
title: An announcement
date: 2026-12-02
tags: [x]
contacts:
  - name: Someone Else
  - name: A third
image: { src: other.png, alt: Other }
---
`;

/** Codes whose messages are made by the schema (src/schema/fields.ts), outside these modules. */
const SCHEMA_CODES = new Set(['AIMQ-FIELD-TYPE', 'AIMQ-FIELD-UNKNOWN', 'AIMQ-FIELD-MISSING']);

describe('messages of the loader and the checks, in both languages', () => {
  it('a release with many problems: every diagnostic is bilingual', () => {
    const { dir, config } = project(
      {
        'fr.md': FR,
        'en.md': EN,
        'de.md': '---\ntitle: Hallo\n---\nText.\n',
        'drawing.svg':
          '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script><a href="javascript:x"/></svg>',
      },
      '2026-12-01-Annonce',
    );
    symlinkSync('/etc/hostname', join(dir, 'outside.txt'));
    const parsed = loadParsed(dir, config, { now: Date.parse('2026-01-01T00:00:00Z') });
    const all: Diagnostic[] = [...parsed.diagnostics, ...checkBodies(parsed.bodies, config.root)];
    const codes = new Set(all.map((d) => d.code));
    for (const code of [
      'AIMQ-FOLDER-NAME',
      'AIMQ-OUTSIDE-RELEASE',
      'AIMQ-SVG-ACTIVE',
      'AIMQ-LANGUAGE-UNKNOWN',
      'AIMQ-EMPTY-BODY',
      'AIMQ-TRANSLATION-MISMATCH',
      'AIMQ-CONTACT',
      'AIMQ-IMAGE-ALT',
      'AIMQ-IMAGE-MISSING',
      'AIMQ-RAW-HTML',
    ])
      expect(codes, code).toContain(code);
    for (const d of all.filter((d) => !SCHEMA_CODES.has(d.code))) {
      expectBilingual(d.message, `${d.code} message`);
      if (d.hint !== undefined) expectBilingual(d.hint, `${d.code} hint`);
    }
  });

  it('a valid release with warnings: future date, place, typography, facts, insecure link', () => {
    const en = `---\ntitle: An announcement\nimage: { alt: A photo }\n---\nThe body, with 1,300 members.\n`;
    const { dir, config } = project({
      'fr.md': FR.replace('![](absent.png)', ''),
      'en.md': en,
      'photo.png': 'x',
    });
    const parsed = loadParsed(dir, config, { now: Date.parse('2026-01-01T00:00:00Z') });
    const all = [...parsed.diagnostics, ...checkBodies(parsed.bodies, config.root)];
    const codes = all.map((d) => d.code);
    for (const code of [
      'AIMQ-DATE-FUTURE',
      'AIMQ-PLACE-MISSING',
      'AIMQ-TYPO-TIME',
      'AIMQ-TYPO-ORDINAL',
      'AIMQ-TRANSLATION-NUMBER',
    ])
      expect(codes, code).toContain(code);
    for (const d of all) {
      expectBilingual(d.message, `${d.code} message`);
      if (d.hint !== undefined) expectBilingual(d.hint, `${d.code} hint`);
    }
    const place = all.find((d) => d.code === 'AIMQ-PLACE-MISSING')!;
    expect(place.message).toEqual({
      fr: `l’édition en anglais n’a pas de lieu\u00a0: sa ligne de date reprend "Montréal" de releases/2026-12-01-annonce/fr.md`,
      en: `the English edition has no place: its dateline uses "Montréal" from releases/2026-12-01-annonce/fr.md`,
    });
  });

  it('YAML problems: syntax errors of the yaml package, aliases, anchors and duplicate keys', () => {
    for (const text of [
      'title: "open',
      'a: [1, 2',
      'a:\n\tb: 1',
      'a: *x',
      'a: &x 1\nb: 2',
      'a: 1\na: 2',
      'subtitle: *Nouveau* programme',
      '- a\nb: 1',
    ]) {
      const { errors } = parseYaml(text);
      expect(errors.length, text).toBeGreaterThan(0);
      for (const e of errors) {
        expectBilingual(e.message, `${JSON.stringify(text)} message`);
        if (e.hint !== undefined) expectBilingual(e.hint, `${JSON.stringify(text)} hint`);
      }
    }
  });

  it('typography findings and SVG problems carry both languages', () => {
    const findings = findFrenchTypographyIssues('Le 2ème atelier, de 9h à 14:00, puis 3 p.m.');
    expect(findings).toHaveLength(4);
    for (const f of findings) {
      expectBilingual(f.message, f.code);
      expectBilingual(f.hint, f.code);
    }
    expect(findings[3]!.hint).toEqual({ fr: 'écrivez "15 h"', en: 'write "15 h"' });
    const svg = Buffer.from(
      '<!DOCTYPE svg [<!ENTITY x "y">]><?xml-stylesheet href="a.css"?><svg onload="x" style="background:url(http://e.x/a.png)"><foreignObject/><set attributeName="href" to="x"/><a href="data:text/html,x"/><a href="other.svg"/></svg>',
    );
    const problems = svgProblems(svg);
    expect(problems.length).toBeGreaterThanOrEqual(7);
    for (const p of problems) expectBilingual(p.message, p.message.en);
  });
});

describe('errors that stop a command, in both languages', () => {
  it('a list path that is a folder: AIMQ-LIST-NOT-FOUND in French and English', async () => {
    const dir = tempDir();
    let caught: unknown;
    try {
      for await (const _ of readList(dir, 'lists/')) {
        // reading is what fails
      }
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(AimqError);
    const e = caught as AimqError;
    expect(e.code).toBe('AIMQ-LIST-NOT-FOUND');
    expect(e.text).toEqual({
      fr: 'lists/ est un dossier, pas un fichier de liste',
      en: 'lists/ is a folder, not a list file',
    });
    expectBilingual(e.hint, 'hint');
  });

  it('--now that is not a date, and a broken template', () => {
    expect(() => nowOption('demain', 'America/Toronto')).toThrow(AimqError);
    try {
      nowOption('demain', 'America/Toronto');
    } catch (err) {
      expectBilingual((err as AimqError).text, 'nowOption');
      expectBilingual((err as AimqError).hint, 'nowOption hint');
    }
    const root = tempDir();
    const engine = createTemplateEngine('web', root);
    const compile = () => engine.compile('{% if %}', (line) => ({ file: 'templates/web/x.liquid', line }));
    expect(compile).toThrow(AimqError);
    try {
      compile();
    } catch (err) {
      const e = err as AimqError;
      expect(e.code).toBe('AIMQ-TEMPLATE');
      expect((e.text as { fr: string }).fr).toMatch(/^gabarit\u00a0: /);
      expectBilingual(e.hint, 'template hint');
    }
  });
});
