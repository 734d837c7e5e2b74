import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleProject } from '../helpers/cli.js';
import { aimqIn } from '../helpers/cli-in.js';
import { SAMPLE_DIR, SAMPLE_ID } from '../helpers/project.js';
import { nuCheck } from '../helpers/vnu.js';

/** The head of the e-mail HTML, as mail programs on phones read it. */

const NOW = '2026-11-28T12:00:00-05:00';

describe('the head of an e-mail edition', () => {
  it('tells Apple Mail not to rescale the message, and declares light and dark', async () => {
    const dir = sampleProject();
    for (const edition of ['fr', 'en', 'bilingual']) {
      const r = await aimqIn(
        [
          'release',
          'export',
          SAMPLE_DIR,
          '--format',
          'html',
          '--edition',
          edition,
          '--out',
          'out/',
          '--now',
          NOW,
        ],
        dir,
      );
      expect(r.status, r.stderr).toBe(0);
      const html = readFileSync(join(dir, 'out', `${SAMPLE_ID}.${edition}.html`), 'utf8');
      const head = html.slice(0, html.indexOf('</head>'));
      expect(head, edition).toMatch(/<meta name="x-apple-disable-message-reformatting" content="">/);
      expect(head).toMatch(/<meta name="viewport" content="width=device-width, initial-scale=1">/);
      expect(head).toMatch(/<meta name="color-scheme" content="light dark">/);
      expect(head).toMatch(/<title>[^<]+<\/title>/);
      // French and English read left to right: said, not left to the client's guess (dir="auto").
      expect(html).toMatch(/<html lang="(fr|en)-CA" dir="ltr"/);
      expect(html).not.toContain('dir="auto"');
    }
  });

  it('adds no error of the Nu Html Checker in the head (the meta has its content, no made-up CSS property)', async () => {
    const dir = sampleProject();
    const r = await aimqIn(
      [
        'release',
        'export',
        SAMPLE_DIR,
        '--format',
        'html',
        '--edition',
        'bilingual',
        '--out',
        'out/',
        '--now',
        NOW,
      ],
      dir,
    );
    expect(r.status, r.stderr).toBe(0);
    const errors = nuCheck([join(dir, 'out', `${SAMPLE_ID}.bilingual.html`)])
      .filter((m) => m.type === 'error')
      .map((m) => m.message);
    expect(errors.filter((m) => /meta|supported-color-schemes/.test(m))).toEqual([]);
  });
});
