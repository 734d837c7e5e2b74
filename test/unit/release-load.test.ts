import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { loadRelease } from '../../src/load/release.js';
import { tempDir } from '../helpers/cli.js';
import { en as english } from '../helpers/text.js';

const CONFIG = `organization:
  name: { fr: Association X, en: X Association }
  shortName: AX
  boilerplate: { fr: Texte., en: Text. }
baseUrl: https://example.org/news
`;

function project(files: Record<string, string>, config = CONFIG) {
  const root = tempDir();
  const dir = join(root, 'releases', '2026-12-01-annonce');
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return { root, dir, config: parseConfig(config, { root, file: 'aimq.config.yaml' }) };
}

const FR = `---
title: Une annonce
date: 2026-12-01
place: Montréal
embargo: 2026-12-01 10:00
contacts:
  - name: Danielle Boucher
    role: conseillère en communication
    email: communications@example.org
    phone: "514 555-0100"
  - name: Marie Tremblay
    email: presidence@example.org
    kind: information
image: { src: photo.png, alt: Une photo }
tags: [a, b]
---
Le corps.
`;

const EN = `---
title: An announcement
slug: 2026-12-01-announcement
contacts:
  - role: communications adviser
image: { alt: A photo }
place: Montreal
---
The body.
`;

describe('loadRelease', () => {
  it('builds the model: inherited fields, roles, slug, calendar date, embargo in the config zone', () => {
    const { dir, config } = project({ 'fr.md': FR, 'en.md': EN, 'photo.png': 'x' });
    const { release, diagnostics } = loadRelease(dir, config);
    expect(diagnostics).toEqual([]);
    expect(release).toBeDefined();
    const [fr, en] = release!.editions;
    expect(release!.date).toEqual({ year: 2026, month: 12, day: 1 });
    expect(release!.embargo).toEqual({
      iso: '2026-12-01T10:00:00-05:00',
      epoch: Date.parse('2026-12-01T15:00:00Z'),
    });
    expect(release!.published.iso).toBe('2026-12-01T00:00:00-05:00');
    expect(release!.tags).toEqual(['a', 'b']);
    expect(fr).toMatchObject({
      lang: 'fr',
      slug: '2026-12-01-annonce',
      place: 'Montréal',
      bodyLine: 17,
      file: 'releases/2026-12-01-annonce/fr.md',
    });
    expect(en).toMatchObject({
      lang: 'en',
      slug: '2026-12-01-announcement',
      title: 'An announcement',
      image: { src: 'photo.png', alt: 'A photo' },
    });
    expect(en!.contacts).toEqual([
      {
        name: 'Danielle Boucher',
        role: 'communications adviser',
        email: 'communications@example.org',
        phone: '514 555-0100',
        kind: 'source',
      },
      { name: 'Marie Tremblay', email: 'presidence@example.org', kind: 'information' },
    ]);
  });

  it('keeps a bare date on its calendar day whatever the zone', () => {
    const { dir, config } = project(
      {
        'fr.md': FR.replace('embargo: 2026-12-01 10:00\n', '').replace(
          'image: { src: photo.png, alt: Une photo }\n',
          '',
        ),
      },
      `${CONFIG}timeZone: Pacific/Auckland\n`,
    );
    const { release } = loadRelease(dir, config);
    expect(release!.date).toEqual({ year: 2026, month: 12, day: 1 });
    expect(release!.published.iso).toBe('2026-12-01T00:00:00+13:00');
  });

  it('refuses an embargo in the spring-forward gap, naming the line', () => {
    const { dir, config } = project({
      'fr.md': FR.replace('embargo: 2026-12-01 10:00', 'embargo: 2026-03-08T02:30').replace(
        'image: { src: photo.png, alt: Une photo }\n',
        '',
      ),
    });
    const { release, diagnostics } = loadRelease(dir, config);
    expect(release).toBeUndefined();
    expect(diagnostics).toEqual([
      expect.objectContaining({
        code: 'AIMQ-DATE',
        line: 5,
        column: 10,
        file: 'releases/2026-12-01-annonce/fr.md',
      }),
    ]);
  });

  it('collects translation mismatches naming both files', () => {
    const en = EN.replace('slug:', 'date: 2026-12-02\ntags: [c]\nslug:').replace(
      '  - role: communications adviser',
      '  - role: communications adviser\n    email: other@example.org',
    );
    const { dir, config } = project({ 'fr.md': FR, 'en.md': en, 'photo.png': 'x' });
    const { diagnostics } = loadRelease(dir, config);
    const mismatches = diagnostics.filter((d) => d.code === 'AIMQ-TRANSLATION-MISMATCH');
    expect(mismatches.map((d) => [d.file, d.line])).toEqual([
      ['releases/2026-12-01-annonce/en.md', 3],
      ['releases/2026-12-01-annonce/en.md', 4],
      ['releases/2026-12-01-annonce/en.md', 8],
    ]);
    expect(english(mismatches[0]!.message)).toContain('releases/2026-12-01-annonce/fr.md:3');
  });

  it('requires the image alt text in the translation and the image file', () => {
    const { dir, config } = project({ 'fr.md': FR, 'en.md': EN.replace('image: { alt: A photo }\n', '') });
    const codes = loadRelease(dir, config).diagnostics.map(
      (d) => `${d.code} ${d.file.split('/').pop()}:${d.line}`,
    );
    expect(codes).toEqual(expect.arrayContaining(['AIMQ-IMAGE-MISSING fr.md:14', 'AIMQ-IMAGE-ALT en.md:2']));
  });

  it('requires the primary edition and names the missing file', () => {
    const { dir, config } = project({ 'en.md': EN });
    expect(loadRelease(dir, config).diagnostics).toEqual([
      expect.objectContaining({ code: 'AIMQ-PRIMARY-MISSING', file: 'releases/2026-12-01-annonce/fr.md' }),
    ]);
  });

  it('reports front matter that is not closed, and YAML errors at the file line', () => {
    expect(
      loadRelease(project({ 'fr.md': '---\ntitle: x\n' }).dir, project({}).config).diagnostics[0],
    ).toMatchObject({ code: 'AIMQ-FRONT-MATTER', line: 1 });
    const { dir, config } = project({
      'fr.md': '---\ntitle: x\ndate: 2026-12-01\nplace: [Montréal\n---\nCorps.\n',
    });
    expect(loadRelease(dir, config).diagnostics[0]).toMatchObject({ code: 'AIMQ-YAML', line: 4 });
  });

  it('refuses a line break in a value that could reach an e-mail header', () => {
    const { dir, config } = project({
      'fr.md': FR.replace('title: Une annonce', 'title: "Une annonce\\nBcc: x@example.org"').replace(
        'image: { src: photo.png, alt: Une photo }\n',
        '',
      ),
    });
    expect(loadRelease(dir, config).diagnostics).toEqual([
      expect.objectContaining({
        code: 'AIMQ-FIELD-TYPE',
        line: 2,
        message: { fr: expect.any(String), en: '"title" must fit on one line' },
      }),
    ]);
  });
});
