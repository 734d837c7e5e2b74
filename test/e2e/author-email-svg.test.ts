import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleProject } from '../helpers/cli.js';
import { aimqIn } from '../helpers/cli-in.js';
import { lineOf, readText, SAMPLE_DIR, SAMPLE_EN, SAMPLE_FR } from '../helpers/project.js';
import type { JsonDiagnostic as Diag } from '../helpers/diagnostic.js';

const SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>';

// An organisation's logo or chart is often an SVG. The web page shows it; Gmail and Outlook
// show an empty frame in its place, and nothing said so before sending.
describe('an SVG image in a release', () => {
  it('is a warning at its line, in the body and in the front matter', async () => {
    const dir = sampleProject();
    writeFileSync(join(dir, SAMPLE_DIR, 'carte.svg'), SVG);
    writeFileSync(join(dir, SAMPLE_DIR, 'logo.svg'), SVG);
    writeFileSync(
      join(dir, SAMPLE_FR),
      readText(dir, SAMPLE_FR).replace(
        /^place: (.*)$/m,
        'place: $1\nimage:\n  src: logo.svg\n  alt: Le logo',
      ),
    );
    writeFileSync(
      join(dir, SAMPLE_EN),
      readText(dir, SAMPLE_EN).replace(/^place: (.*)$/m, 'place: $1\nimage:\n  alt: The logo'),
    );
    appendFileSync(join(dir, SAMPLE_FR), '\n![La carte du réseau](carte.svg)\n');
    const r = await aimqIn(['release', 'check', '--format', 'json'], dir);
    expect(r.status, r.stderr).toBe(0);
    const found = (JSON.parse(r.stdout) as Diag[]).filter((d) => d.code === 'AIMQ-EMAIL-SVG');
    expect(found.map((d) => [d.file, d.line, d.column, d.severity])).toEqual([
      [SAMPLE_FR, lineOf(dir, SAMPLE_FR, 'src: logo.svg'), 8, 'warning'],
      [SAMPLE_FR, lineOf(dir, SAMPLE_FR, '](carte.svg)'), 1, 'warning'],
    ]);
    expect(found[1]!.message).toBe(
      'image "carte.svg" is an SVG: Gmail and Outlook do not show it in e-mails',
    );
    const fr = await aimqIn(['release', 'check', '--format', 'json'], dir, { AIMQ_LANG: 'fr' });
    expect((JSON.parse(fr.stdout) as Diag[]).find((d) => d.code === 'AIMQ-EMAIL-SVG')!.message).toBe(
      'l’image "logo.svg" est un SVG\u00a0: Gmail et Outlook ne l’affichent pas dans les courriels',
    );
  });
});
