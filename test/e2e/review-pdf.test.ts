import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleProject } from '../helpers/cli.js';
import { aimqIn } from '../helpers/cli-in.js';
import { edit, FIRST } from '../helpers/compare-repo.js';
import { pdfText } from '../helpers/pdf.js';

/** PDFs of a release under embargo, printed with the machine's Chromium and read back with pdftotext. */
describe('a PDF printed under embargo', () => {
  it('says the embargo in its release line, without the on-screen "preview, do not publish" banner', async () => {
    const dir = sampleProject();
    edit(
      dir,
      `releases/${FIRST}/fr.md`,
      /^date: 2020-01-13$/m,
      'date: 2020-01-13\nembargo: 2020-01-13T10:00:00-05:00',
    );
    const r = await aimqIn(
      [
        'release',
        'export',
        `releases/${FIRST}`,
        '--format',
        'pdf',
        '--edition',
        'bilingual',
        '--now',
        '2020-01-12T12:00:00-05:00',
        '--out',
        'out/',
      ],
      dir,
      { AIMQ_LANG: 'en' },
    );
    expect(r.status, r.stderr).toBe(0);
    const text = pdfText(readFileSync(join(dir, r.stdout.trim())));
    expect(text).toContain('SOUS EMBARGO JUSQU’AU 13 JANVIER 2020');
    expect(text).toContain('EMBARGOED UNTIL');
    expect(text).not.toContain('aperçu');
    expect(text).not.toContain('preview, do not publish');
  }, 60_000);
});
