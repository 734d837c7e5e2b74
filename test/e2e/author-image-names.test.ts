import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { sampleProject } from '../helpers/cli.js';
import { aimqIn } from '../helpers/cli-in.js';
import { SAMPLE_DIR, SAMPLE_EN, SAMPLE_FR, TINY_PNG, readText, tagsOf } from '../helpers/project.js';
import { nuCheck } from '../helpers/vnu.js';

const FILE = 'photo d’été.png';
const ENCODED = 'photo%20d%E2%80%99%C3%A9t%C3%A9.png';

/**
 * The sample release with an image whose file name has a space and accents, as a French
 * user names files: the front matter's image, and the same file in the body.
 */
function projectWithImage(): string {
  const dir = sampleProject();
  writeFileSync(join(dir, SAMPLE_DIR, FILE), TINY_PNG);
  const fr = readText(dir, SAMPLE_FR).replace(
    /^place: (.*)$/m,
    `place: $1\nimage:\n  src: ${FILE}\n  alt: La présidente à l’assemblée`,
  );
  writeFileSync(join(dir, SAMPLE_FR), `${fr}\n![L’assemblée](<${FILE}>)\n`);
  const en = readText(dir, SAMPLE_EN).replace(
    /^place: (.*)$/m,
    'place: $1\nimage:\n  alt: The president at the meeting',
  );
  writeFileSync(join(dir, SAMPLE_EN), en);
  return dir;
}

describe('an image file name with a space and accents', () => {
  it('the page gives it as a valid URL, in the img, og:image and the JSON-LD', async () => {
    const dir = projectWithImage();
    const out = join(dir, 'public');
    const r = await aimqIn(['release', 'build', '--out', out], dir);
    expect(r.status, r.stderr).toBe(0);
    const page = readText(out, 'fr/2020-01-13-mission-aimq/index.html');
    const srcs = tagsOf(page, 'img').map((i) => i.src);
    expect(srcs).toEqual([
      `../../assets/2020-01-13-mission-aimq/${ENCODED}`,
      `../../assets/2020-01-13-mission-aimq/${ENCODED}`,
    ]);
    const og = tagsOf(page, 'meta').find((m) => m.property === 'og:image')!.content;
    expect(og).toBe(`https://www.aimq.net/communiques/assets/2020-01-13-mission-aimq/${ENCODED}`);
    const ld = JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/s.exec(page)![1]!);
    expect(ld.image).toEqual([og]);
    expect(readFileSync(join(out, 'assets/2020-01-13-mission-aimq', FILE))).toEqual(TINY_PNG);
    const errors = nuCheck([join(out, 'fr/2020-01-13-mission-aimq/index.html')]).filter(
      (m) => m.type === 'error',
    );
    expect(errors.map((e) => e.message)).toEqual([]);
  });

  it('an export with --embed-images attaches the file once instead of failing with an internal error', async () => {
    const dir = projectWithImage();
    const r = await aimqIn(
      ['release', 'export', SAMPLE_DIR, '--format', 'eml', '--edition', 'fr', '--embed-images'],
      dir,
    );
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.status, r.stderr).toBe(0);
    const mail = await simpleParser(r.stdoutBytes, { keepCidLinks: true });
    const images = mail.attachments.filter((a) => a.contentType === 'image/png');
    expect(images.map((a) => a.filename)).toEqual([FILE]);
    expect(images[0]!.content).toEqual(TINY_PNG);
    const cids = [...String(mail.html).matchAll(/src="cid:([^"]+)"/g)].map((m) => m[1]);
    expect(cids).toEqual([images[0]!.cid, images[0]!.cid]);
  });

  it('the plain text gives the image addresses encoded, in one piece', async () => {
    const dir = projectWithImage();
    const r = await aimqIn(['release', 'export', SAMPLE_DIR, '--format', 'txt', '--edition', 'fr'], dir);
    expect(r.status, r.stderr).toBe(0);
    const url = `https://www.aimq.net/communiques/assets/2020-01-13-mission-aimq/${ENCODED}`;
    expect(r.stdout.split('\n').filter((l) => l.includes('/assets/'))).toEqual([url, `[1] ${url}`]);
  });
});
