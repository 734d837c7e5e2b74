import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { loadValid } from '../../src/load/parsed.js';
import { emailEditions, emailView, emailViews } from '../../src/render-email/edition.js';
import { REPO, sampleProject } from '../helpers/cli.js';
import { SAMPLE_DIR, SAMPLE_EN, SAMPLE_FR, TINY_PNG } from '../helpers/project.js';

/**
 * An edition's content hash, by its properties only: a digest of what the reader gets (so
 * it changes with the content and nothing else), the same on every run, and the one the
 * golden messages were written with.
 */

type Edition = 'fr' | 'en' | 'bilingual';

/** The content hash of each edition of the sample release in `project`. */
function hashes(project: string, embedImages = false): Record<Edition, string> {
  const config = loadConfig(project, project);
  const source = loadValid(join(project, SAMPLE_DIR), config);
  const views = emailViews(source.release, source.trees, config, emailEditions(source.release), {
    now: 0,
    embedImages,
  });
  return Object.fromEntries([...views].map(([edition, view]) => [edition, view.contentHash])) as Record<
    Edition,
    string
  >;
}

/** A copy of the sample project with one file edited; fails when the text to replace is missing. */
function edited(rel: string, from: string | RegExp, to: string): string {
  const project = sampleProject();
  const text = readFileSync(join(project, rel), 'utf8');
  const next = text.replace(from, to);
  if (next === text) throw new Error(`${String(from)} not found in ${rel}`);
  writeFileSync(join(project, rel), next);
  return project;
}

const original = hashes(sampleProject());

describe('an edition’s content hash', () => {
  it('is a SHA-256 in lower-case hex, one per edition, all different', () => {
    expect(Object.keys(original)).toEqual(['fr', 'en', 'bilingual']);
    for (const hash of Object.values(original)) expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(Object.values(original)).size).toBe(3);
  });

  it('is the same on every load of the same release, with or without embedded images', () => {
    expect(hashes(sampleProject())).toEqual(original);
    expect(hashes(sampleProject(), true)).toEqual(hashes(sampleProject(), true));
  });

  it('is the one the golden messages carry in their Message-ID', () => {
    for (const edition of ['fr', 'en', 'bilingual'] as const) {
      const eml = readFileSync(join(REPO, 'test', 'golden', 'email', `${edition}.eml`), 'latin1');
      const id = /^Message-ID:\s*<([0-9a-f]+)\./im.exec(eml)?.[1];
      expect(id, `${edition}.eml`).toHaveLength(24);
      expect(original[edition].slice(0, 24), edition).toBe(id);
    }
  });

  it('changes with what the reader sees: an image, then the image embedded instead of linked', () => {
    const project = edited(
      SAMPLE_FR,
      'tags: [gouvernance, mission]\n',
      'tags: [gouvernance, mission]\nimage: { src: photo.png, alt: "Le conseil réuni" }\n',
    );
    writeFileSync(join(project, SAMPLE_DIR, 'photo.png'), TINY_PNG);
    const en = join(project, SAMPLE_EN);
    writeFileSync(
      en,
      readFileSync(en, 'utf8').replace('place: Montreal\n', 'place: Montreal\nimage: { alt: The board }\n'),
    );
    const linked = hashes(project);
    const embedded = hashes(project, true);
    for (const edition of ['fr', 'en', 'bilingual'] as const) {
      expect(linked[edition], edition).not.toBe(original[edition]);
      expect(embedded[edition], edition).not.toBe(linked[edition]);
    }
  });

  it('changes with the French text for the French and bilingual editions only', () => {
    const changed = hashes(edited(SAMPLE_FR, /\n([^\n-][^\n]*)\n*$/, '\n$1 Une phrase de plus.\n'));
    expect(changed.fr).not.toBe(original.fr);
    expect(changed.bilingual).not.toBe(original.bilingual);
    expect(changed.en).toBe(original.en);
  });

  it('changes with the English text for the English and bilingual editions only', () => {
    const changed = hashes(edited(SAMPLE_EN, /\n([^\n-][^\n]*)\n*$/, '\n$1 One more sentence.\n'));
    expect(changed.en).not.toBe(original.en);
    expect(changed.bilingual).not.toBe(original.bilingual);
    expect(changed.fr).toBe(original.fr);
  });

  it('changes for every edition with the configured accent colour', () => {
    const project = sampleProject();
    const config = readFileSync(join(project, 'aimq.config.yaml'), 'utf8');
    writeFileSync(
      join(project, 'aimq.config.yaml'),
      /accentColor:/.test(config)
        ? config.replace(/accentColor:.*/, 'accentColor: "#123456"')
        : config.replace(/^email:\n/m, 'email:\n  accentColor: "#123456"\n'),
    );
    const changed = hashes(project);
    for (const edition of ['fr', 'en', 'bilingual'] as const)
      expect(changed[edition]).not.toBe(original[edition]);
  });

  it('stays the same when only the source changes, not what the reader gets (a YAML comment)', () => {
    const changed = hashes(edited(SAMPLE_FR, /^---\n/, '---\n# a note for the editors only\n'));
    expect(changed).toEqual(original);
  });

  it('is the same rendered alone or with the other editions, and survives a JSON round trip', () => {
    const config = loadConfig(REPO, REPO);
    const source = loadValid(join(REPO, SAMPLE_DIR), config);
    const together = emailViews(source.release, source.trees, config, emailEditions(source.release), {
      now: 0,
      embedImages: false,
    });
    for (const edition of emailEditions(source.release)) {
      const alone = emailView(source.release, source.trees, config, edition, { now: 0, embedImages: false });
      expect(JSON.stringify(alone)).toBe(JSON.stringify(together.get(edition)));
      expect(JSON.parse(JSON.stringify(alone)).contentHash).toBe(alone.contentHash);
    }
  });
});
