import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { sampleProject } from '../helpers/cli.js';
import { aimqIn } from '../helpers/cli-in.js';
import { pdfImages, pdfInfo, pdfLinks, pdfText } from '../helpers/pdf.js';
import {
  BASE_URL,
  SAMPLE_EN,
  SAMPLE_EN_PAGE,
  SAMPLE_FR_PAGE,
  SAMPLE_ID,
  writeFiles,
} from '../helpers/project.js';
import { nuCheck } from '../helpers/vnu.js';

/**
 * `release build` with `pdf: { build: true }`: a PDF beside each page, linked from it, printed
 * by the real Chromium from the built site, and printed again only when its release changed.
 */

const EN_SLUG = '2020-01-13-aimq-updates-its-mission';
const FR_PDF = `fr/${SAMPLE_ID}/${SAMPLE_ID}.pdf`;
const EN_PDF = `en/${EN_SLUG}/${EN_SLUG}.pdf`;
const OTHER = '2021-03-02-colloque';
const OTHER_PDF = `fr/${OTHER}/${OTHER}.pdf`;
const OTHER_EN_PDF = `en/${OTHER}/${OTHER}.pdf`;

function photo(): Buffer {
  const png = new PNG({ width: 40, height: 30 });
  for (let i = 0; i < png.data.length; i += 4) png.data.set([200, 30, 30, 255], i);
  return PNG.sync.write(png);
}

function project(pdf: string): string {
  const dir = sampleProject();
  writeFiles(dir, {
    'aimq.config.yaml': `${readFileSync(join(dir, 'aimq.config.yaml'), 'utf8')}\n${pdf}`,
    [`releases/${OTHER}/photo.png`]: photo(),
    [`releases/${OTHER}/fr.md`]: [
      '---',
      'title: Colloque annuel 2021',
      'date: 2021-03-02',
      'place: Laval',
      'contacts:',
      '  - name: Danielle Boucher',
      '    email: communications@aimq.net',
      'image:',
      '  src: photo.png',
      '  alt: La salle du colloque',
      '---',
      'Le colloque annuel aura lieu à Laval.',
      '',
    ].join('\n'),
    [`releases/${OTHER}/en.md`]: [
      '---',
      'title: 2021 annual conference',
      'image:',
      '  alt: The conference room',
      '---',
      'The annual conference will be held in Laval.',
      '',
    ].join('\n'),
  });
  return dir;
}

async function build(dir: string) {
  const r = await aimqIn(['release', 'build', '--out', 'public'], dir);
  expect(r.stderr).not.toMatch(/internal error/i);
  expect(r.status, r.stderr).toBe(0);
  return r;
}

const mtime = (dir: string, path: string) => statSync(join(dir, 'public', path)).mtimeMs;

describe('release build with pdf: { build: true }', () => {
  const dir = project('pdf:\n  build: true\n  pageSize: a4\n');
  const out = join(dir, 'public');

  it('writes <lang>/<slug>/<slug>.pdf beside each page, printed from the built page', async () => {
    await build(dir);
    for (const p of [FR_PDF, EN_PDF, OTHER_PDF, OTHER_EN_PDF]) expect(existsSync(join(out, p)), p).toBe(true);
    const fr = readFileSync(join(out, FR_PDF));
    const info = pdfInfo(fr);
    expect(info.Title).toBe('L’AIMQ actualise sa mission et ses orientations stratégiques');
    expect(info.Tagged).toBe('yes');
    expect(info['Page size']).toMatch(/\(A4\)$/);
    const text = pdfText(fr);
    expect(text).toContain('POUR DIFFUSION IMMÉDIATE');
    expect(text).toMatch(/^-30-$/m);
    expect(text).not.toContain('Version PDF');
    // Relative links of the built page lead to the public site, not to the build folder.
    const links = pdfLinks(fr);
    expect(links).toContain(`${BASE_URL}/fr/`);
    expect(links.filter((l) => l.startsWith('file:'))).toEqual([]);
    expect(pdfText(readFileSync(join(out, EN_PDF)))).toContain('FOR IMMEDIATE RELEASE');
    // The images of the built site are in the PDF.
    expect(pdfImages(readFileSync(join(out, OTHER_PDF)))).toContainEqual({ width: 40, height: 30 });
  });

  it('links each page to its PDF in the page’s language, and the pages still pass the Nu checker', async () => {
    const fr = readFileSync(join(out, SAMPLE_FR_PAGE), 'utf8');
    const en = readFileSync(join(out, SAMPLE_EN_PAGE), 'utf8');
    expect(fr).toContain(`<a href="${SAMPLE_ID}.pdf" type="application/pdf">Version PDF</a>`);
    expect(en).toContain(`<a href="${EN_SLUG}.pdf" type="application/pdf">PDF version</a>`);
    const errors = nuCheck([join(out, SAMPLE_FR_PAGE), join(out, SAMPLE_EN_PAGE)]).filter(
      (m) => m.type === 'error',
    );
    expect(errors).toEqual([]);
  });

  it('prints again only the PDFs of a release that changed, and a PDF that was deleted', async () => {
    const before = Object.fromEntries(
      [FR_PDF, EN_PDF, OTHER_PDF, OTHER_EN_PDF].map((p) => [p, mtime(dir, p)] as const),
    );
    const again = await build(dir);
    expect(again.stderr).toMatch(/0 file\(s\) written/);
    for (const [p, t] of Object.entries(before)) expect(mtime(dir, p), p).toBe(t);

    writeFiles(dir, {
      [SAMPLE_EN]: readFileSync(join(dir, SAMPLE_EN), 'utf8').replace(
        'attended by the members',
        'attended by all the members',
      ),
    });
    await build(dir);
    expect(pdfText(readFileSync(join(out, EN_PDF))).replace(/\s+/g, ' ')).toContain(
      'attended by all the members',
    );
    expect(mtime(dir, EN_PDF)).not.toBe(before[EN_PDF]);
    expect(mtime(dir, OTHER_PDF), 'an unchanged release keeps its PDF').toBe(before[OTHER_PDF]);
    expect(mtime(dir, OTHER_EN_PDF)).toBe(before[OTHER_EN_PDF]);

    rmSync(join(out, OTHER_EN_PDF));
    await build(dir);
    expect(existsSync(join(out, OTHER_EN_PDF))).toBe(true);
    expect(pdfText(readFileSync(join(out, OTHER_EN_PDF)))).toContain('2021 annual conference');
  });

  it('without Chromium, stops with AIMQ-BROWSER (exit 2) before writing any page', async () => {
    const bare = project('pdf:\n  build: true\n');
    const r = await aimqIn(['release', 'build', '--out', 'public'], bare, {
      AIMQ_CHROME: join(bare, 'no-such-chromium'),
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('[AIMQ-BROWSER]');
    expect(r.stderr).toContain('apt-get install chromium');
    expect(existsSync(join(bare, 'public'))).toBe(false);
  });

  it('writes no PDF and no link by default', async () => {
    const plain = project('');
    await build(plain);
    expect(existsSync(join(plain, 'public', FR_PDF))).toBe(false);
    expect(readFileSync(join(plain, 'public', SAMPLE_FR_PAGE), 'utf8')).not.toContain('.pdf');
  });
});
