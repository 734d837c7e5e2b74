import { readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleProject } from '../helpers/cli.js';
import { aimqIn } from '../helpers/cli-in.js';
import { asErrLine, type IoBase, run } from '../../src/cli/main.js';
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

describe('release export --format pdf without --out', () => {
  it('refuses to write the PDF to a terminal (exit 2, nothing written), and writes it to a pipe', async () => {
    const dir = sampleProject();
    const args = ['release', 'export', `releases/${FIRST}`, '--format', 'pdf', '--edition', 'fr'];
    // The CLI as bin/aimq.js runs it, with standard output on a terminal.
    const written: Buffer[] = [];
    const err: string[] = [];
    const io: IoBase = {
      cwd: realpathSync(dir),
      stdout: (t) => written.push(Buffer.from(t)),
      write: (d) => written.push(d),
      stderr: (t) => err.push(asErrLine(t)),
      env: { ...process.env, NO_COLOR: '1', AIMQ_LANG: 'fr' },
      isTTY: true,
      stdoutIsTTY: true,
      confirm: undefined,
      watchSignals: () => {},
      stopRequested: () => false,
    };
    expect(await run([process.execPath, 'aimq', ...args], io)).toBe(2);
    expect(written).toEqual([]);
    expect(err.join('')).toContain('un PDF ne s’écrit pas dans le terminal [AIMQ-USAGE]');
    expect(err.join('')).toContain('--out');

    const piped = await aimqIn(args, dir);
    expect(piped.status, piped.stderr).toBe(0);
    expect(piped.stdoutBytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  }, 60_000);
});
