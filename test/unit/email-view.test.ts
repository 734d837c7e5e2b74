import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { loadForEmail } from '../../src/export/export.js';
import { emailEditions, emailView, emailViews } from '../../src/render-email/edition.js';
import { REPO } from '../helpers/cli.js';
import { SAMPLE_DIR } from '../helpers/project.js';

const config = loadConfig(REPO, REPO);
const source = loadForEmail(join(REPO, SAMPLE_DIR), config);

describe('an edition’s view', () => {
  it.each([false, true])(
    'has for content hash the SHA-256 of its other fields as JSON (embedded images: %s)',
    (embedImages) => {
      const views = emailViews(source.release, source.trees, config, emailEditions(source.release), {
        now: 0,
        embedImages,
      });
      expect([...views.keys()]).toEqual(['fr', 'en', 'bilingual']);
      for (const view of views.values()) {
        const { contentHash, ...rest } = view;
        expect(contentHash).toBe(createHash('sha256').update(JSON.stringify(rest)).digest('hex'));
        expect(JSON.parse(JSON.stringify(view)).contentHash).toBe(contentHash);
      }
    },
  );

  it('is the same rendered alone or with the other editions, and hashes differ between editions', () => {
    const together = emailViews(source.release, source.trees, config, emailEditions(source.release), {
      now: 0,
      embedImages: false,
    });
    for (const edition of emailEditions(source.release)) {
      const alone = emailView(source.release, source.trees, config, edition, { now: 0, embedImages: false });
      expect(JSON.stringify(alone)).toBe(JSON.stringify(together.get(edition)));
    }
    expect(new Set([...together.values()].map((v) => v.contentHash)).size).toBe(3);
  });
});
