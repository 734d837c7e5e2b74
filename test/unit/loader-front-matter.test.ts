import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { printable } from '../../src/cli/report.js';
import { parseConfig } from '../../src/config/load.js';
import { loadParsed } from '../../src/load/parsed.js';
import { didYouMean } from '../../src/schema/did-you-mean.js';
import { AimqProblems } from '../../src/errors/index.js';
import { placeholderProblems, refuseUnfinished } from '../../src/validate/placeholders.js';
import { tempDir } from '../helpers/cli.js';
import { en } from '../helpers/text.js';

const CONFIG = `organization:
  name: { fr: Association X, en: X Association }
  shortName: AX
  website: https://www.x.example
  boilerplate: { fr: Texte., en: Text. }
baseUrl: https://x.example/news
`;

const FR = `---
title: Une annonce
date: 2026-12-01
place: Montréal
contacts:
  - name: Danielle Boucher
    email: communications@x.example
---
Le corps.
`;

function project(files: Record<string, string>, config = CONFIG) {
  const root = tempDir();
  const dir = join(root, 'releases', '2026-12-01-annonce');
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return { root, dir, config: parseConfig(config, { root, file: 'aimq.config.yaml' }) };
}

describe('front matter with thousands of keys', () => {
  it('reports the first 20 unknown keys one by one and counts the rest in one problem', () => {
    const keys = Array.from({ length: 5000 }, (_, i) => `k${i}: ${i}`).join('\n');
    const { dir, config } = project({ 'fr.md': FR.replace('---\nLe corps', `${keys}\n---\nLe corps`) });
    const { diagnostics } = loadParsed(dir, config, { now: Date.parse('2026-12-02T00:00:00Z') });
    const unknown = diagnostics.filter((d) => d.code === 'AIMQ-FIELD-UNKNOWN');
    expect(unknown).toHaveLength(21);
    expect(en(unknown.at(-1)!.message)).toBe('4980 more unknown keys');
  });
});

describe('placeholderProblems', () => {
  it('finds the stubs of release new and init, located; nothing in a written release', () => {
    const init = CONFIG.replace('shortName: AX', 'shortName: ORG').replace(
      'https://x.example/news',
      'https://www.example.org/communiques',
    );
    const stub = `---
title: Titre du communiqué
date: 2026-12-01
place: Montréal
contacts:
  - name: Prénom Nom
    email: communications@x.example
summary: Une phrase qui résume le communiqué.
---
Premier paragraphe : qui, quoi, quand, où, pourquoi.
`;
    const { dir, config } = project({ 'fr.md': stub }, init);
    const { release } = loadParsed(dir, config, { now: Date.parse('2026-12-02T00:00:00Z') });
    const found = placeholderProblems(config, release!).map((d) => `${d.file}:${d.line} ${en(d.message)}`);
    expect(found).toEqual([
      'aimq.config.yaml:3 "organization.shortName" is still a placeholder: "ORG"',
      'aimq.config.yaml:6 "baseUrl" is still a placeholder: "https://www.example.org/communiques"',
      'releases/2026-12-01-annonce/fr.md:2 "title" is still a placeholder: "Titre du communiqué"',
      'releases/2026-12-01-annonce/fr.md:8 "summary" is still a placeholder: "Une phrase qui résume le communiqué."',
      'releases/2026-12-01-annonce/fr.md:6 "contacts[1].name" is still a placeholder: "Prénom Nom"',
      'releases/2026-12-01-annonce/fr.md:10 this paragraph is still the one aimq release new wrote',
    ]);

    const written = project({ 'fr.md': FR });
    const loaded = loadParsed(written.dir, written.config, { now: Date.parse('2026-12-02T00:00:00Z') });
    expect(placeholderProblems(written.config, loaded.release!)).toEqual([]);
  });
});

describe('didYouMean with French names', () => {
  it.each([
    ['sous-titre', ['title', 'subtitle'], 'subtitle'],
    ['Sous titre', ['title', 'subtitle'], 'subtitle'],
    ['titre', ['title', 'subtitle'], 'title'],
    ['titre', ['name', 'role', 'email'], 'role'],
    ['renseignements', ['source', 'information'], 'information'],
    ['courriel', ['name', 'email'], 'email'],
    ['résumé', ['summary'], 'summary'],
    ['lieu', ['place'], 'place'],
    ['tilte', ['title'], 'title'],
  ])('%s among %j: %s', (word, candidates, expected) => {
    expect(didYouMean(word, candidates)).toBe(expected);
  });

  it('no French name, no close word: nothing', () => {
    expect(didYouMean('renseignements', ['title', 'date'])).toBeUndefined();
  });
});

describe('printable', () => {
  it('shows control and bidirectional characters as \\u escapes, and leaves French text alone', () => {
    expect(printable('a\u001b[31mb\u0007c\u202ed\u009b')).toBe('a\\u001b[31mb\\u0007c\\u202ed\\u009b');
    expect(printable('« Élise » à l’AIMQ\u00a0: 1\u202f000 $')).toBe(
      '« Élise » à l’AIMQ\u00a0: 1\u202f000 $',
    );
  });
});

describe('refuseUnfinished', () => {
  it('throws every placeholder as an error, and nothing for a finished release', () => {
    const { dir, config } = project({
      'fr.md': FR.replace('title: Une annonce', 'title: Titre du communiqué'),
    });
    const { release } = loadParsed(dir, config, { now: Date.parse('2026-12-02T00:00:00Z') });
    let thrown: unknown;
    try {
      refuseUnfinished(config, release!);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(AimqProblems);
    expect((thrown as AimqProblems).code).toBe('AIMQ-PLACEHOLDER');
    expect((thrown as AimqProblems).diagnostics).toEqual([
      expect.objectContaining({ line: 2, severity: 'error', code: 'AIMQ-PLACEHOLDER' }),
    ]);
    const done = project({ 'fr.md': FR });
    const finished = loadParsed(done.dir, done.config, { now: Date.parse('2026-12-02T00:00:00Z') });
    expect(() => refuseUnfinished(done.config, finished.release!)).not.toThrow();
  });
});

describe('loadParsed: warnings that need the clock, and acknowledgements', () => {
  const EN = '---\ntitle: An announcement\n---\nThe body.\n';

  it('a date after now without an embargo is a warning at the date; an acknowledged code is left out', () => {
    const { dir, config } = project({ 'fr.md': FR, 'en.md': EN });
    const before = loadParsed(dir, config, { now: Date.parse('2026-11-30T12:00:00Z') });
    expect(before.diagnostics.map((d) => `${d.code}:${d.line}:${d.column}`)).toEqual([
      'AIMQ-PLACE-MISSING:2:1',
      'AIMQ-DATE-FUTURE:3:7',
    ]);
    expect(before.release).toBeDefined();
    const after = loadParsed(dir, config, { now: Date.parse('2026-12-01T12:00:00Z') });
    expect(after.diagnostics.map((d) => d.code)).toEqual(['AIMQ-PLACE-MISSING']);

    const acknowledged = project({
      'fr.md': FR.replace(
        '---\nLe corps',
        'acknowledge: [AIMQ-PLACE-MISSING, AIMQ-DATE-FUTURE]\n---\nLe corps',
      ),
      'en.md': EN,
    });
    const quiet = loadParsed(acknowledged.dir, acknowledged.config, {
      now: Date.parse('2026-11-30T12:00:00Z'),
    });
    expect(quiet.diagnostics).toEqual([]);
    expect(quiet.acknowledged).toEqual(['AIMQ-DATE-FUTURE', 'AIMQ-PLACE-MISSING']);
  });
});
