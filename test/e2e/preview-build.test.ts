import { cpSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, sampleProject } from '../helpers/cli.js';
import { aimqIn } from '../helpers/cli-in.js';
import { decodePng, nonBackgroundShare } from '../helpers/png.js';
import { SAMPLE_EN_PAGE, SAMPLE_FR_PAGE, SAMPLE_ID, tagsOf, TINY_PNG } from '../helpers/project.js';
import { nuCheck } from '../helpers/vnu.js';

const NOW = '2026-11-28T12:00:00-05:00';
const BUILD = ['release', 'build', '--preview', '--now', NOW];
const GALLERY = 'public/_preview/index.html';
const EDITIONS = ['fr', 'en', 'bilingual'] as const;

/** Every screenshot expected for the sample release: file name, width, and the gallery's alt text. */
const SHOTS = [
  { name: 'page-fr-1280.png', width: 1280, alt: 'Page française, largeur 1280 px' },
  { name: 'page-fr-375.png', width: 375, alt: 'Page française, largeur 375 px' },
  { name: 'page-en-1280.png', width: 1280, alt: 'English page, 1280 px wide' },
  { name: 'page-en-375.png', width: 375, alt: 'English page, 375 px wide' },
  { name: 'email-fr-600.png', width: 600, alt: 'Courriel français, largeur 600 px' },
  { name: 'email-fr-375.png', width: 375, alt: 'Courriel français, largeur 375 px' },
  { name: 'email-en-600.png', width: 600, alt: 'English e-mail, 600 px wide' },
  { name: 'email-en-375.png', width: 375, alt: 'English e-mail, 375 px wide' },
  { name: 'email-bilingual-600.png', width: 600, alt: 'Courriel bilingue, largeur 600 px' },
  { name: 'email-bilingual-375.png', width: 375, alt: 'Courriel bilingue, largeur 375 px' },
];

/** Where a gallery link leads, relative to the project folder, or undefined when it leaves the output folder. */
function target(href: string): string | undefined {
  expect(href, 'links are relative').not.toMatch(/^[a-z][a-z0-9+.-]*:|^\//i);
  const path = posix.normalize(posix.join('public/_preview', decodeURIComponent(href.split('#')[0]!)));
  return path.startsWith('public/') ? path : undefined;
}

let withBrowser: string;
let built: CliResult;

beforeAll(async () => {
  withBrowser = sampleProject();
  built = await aimqIn(BUILD, withBrowser);
});

describe('release build --preview, with Chromium', () => {
  it('exits 0 and prints the gallery path', async () => {
    expect(built.status, built.stderr).toBe(0);
    expect(built.stdout.split('\n')).toContain('public/_preview/index.html');
    expect(built.stderr).not.toMatch(/No screenshots/);
    expect(built.stderr).not.toMatch(/^ {4}at /m);
  });

  it('writes a gallery the Nu Html Checker accepts, in French with English parts marked', async () => {
    const html = readFileSync(join(withBrowser, GALLERY), 'utf8');
    expect(html).toMatch(/<html lang="fr-CA">/);
    expect(html).toMatch(/lang="en-CA"/);
    expect(nuCheck([join(withBrowser, GALLERY)]).filter((m) => m.type === 'error')).toEqual([]);
  });

  it('links, with relative hrefs to files that exist, to both pages and every e-mail edition in HTML and text', async () => {
    const html = readFileSync(join(withBrowser, GALLERY), 'utf8');
    const targets = tagsOf(html, 'a').map((a) => target(a.href ?? ''));
    for (const t of targets)
      expect(t !== undefined && existsSync(join(withBrowser, t)), `${t} exists`).toBe(true);
    const expected = [
      `public/${SAMPLE_FR_PAGE}`,
      `public/${SAMPLE_EN_PAGE}`,
      ...EDITIONS.flatMap((e) => [
        `public/email/${SAMPLE_ID}/${e}.html`,
        `public/email/${SAMPLE_ID}/${e}.txt`,
      ]),
    ];
    for (const e of expected) expect(targets).toContain(e);
  });

  it('takes a screenshot of every e-mail edition at 600 and 375 px and every page at 1280 and 375 px', async () => {
    const folder = join(withBrowser, 'public/_preview/screenshots', SAMPLE_ID);
    expect(readdirSync(folder).sort()).toEqual(SHOTS.map((s) => s.name).sort());
    const imgs = tagsOf(readFileSync(join(withBrowser, GALLERY), 'utf8'), 'img');
    expect(imgs.map((i) => i.alt).sort()).toEqual(SHOTS.map((s) => s.alt).sort());
    for (const shot of SHOTS) {
      const img = imgs.find((i) => i.alt === shot.alt)!;
      expect(target(img.src ?? '')).toBe(`public/_preview/screenshots/${SAMPLE_ID}/${shot.name}`);
      const png = decodePng(readFileSync(join(folder, shot.name)));
      expect({ name: shot.name, width: png.width }).toEqual({ name: shot.name, width: shot.width });
      // Full page: the sample release is longer than any screen.
      expect(png.height, shot.name).toBeGreaterThan(1200);
      expect([img.width, img.height]).toEqual([String(png.width), String(png.height)]);
      expect(nonBackgroundShare(png), `${shot.name} is not blank`).toBeGreaterThan(0.02);
    }
  });

  it('the PNG helper tells a blank image from a drawn one', async () => {
    const tiny = decodePng(TINY_PNG);
    expect([tiny.width, tiny.height, tiny.channels]).toEqual([1, 1, 2]);
    expect(nonBackgroundShare(tiny)).toBe(0);
    expect(() => decodePng(Buffer.from('not a png'))).toThrow(/signature/);
  });
});

describe('release build --preview, without a browser', () => {
  let dir: string;
  let r: CliResult;
  beforeAll(async () => {
    dir = sampleProject();
    // Screenshots of an earlier build must not stay behind in a gallery without images.
    cpSync(join(withBrowser, 'public'), join(dir, 'public'), { recursive: true });
    r = await aimqIn(BUILD, dir, { AIMQ_CHROME: '/nonexistent' });
  });

  it('exits 0, explains on stderr, and writes the gallery without images', async () => {
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/No screenshots: .*AIMQ_CHROME.*\/nonexistent/);
    expect(r.stdout.split('\n')).toContain('public/_preview/index.html');
    const html = readFileSync(join(dir, GALLERY), 'utf8');
    expect(html).not.toMatch(/<img\b/i);
    expect(html).toContain(`../${SAMPLE_FR_PAGE}`);
    expect(html).toContain(`../email/${SAMPLE_ID}/bilingual.txt`);
    expect(existsSync(join(dir, 'public/_preview/screenshots'))).toBe(false);
  });

  it('with --require-screenshots exits 2 with AIMQ-BROWSER', async () => {
    const fail = await aimqIn([...BUILD, '--require-screenshots'], dir, { AIMQ_CHROME: '/nonexistent' });
    expect(fail.status, fail.stderr).toBe(2);
    expect(fail.stderr).toContain('AIMQ-BROWSER');
    expect(fail.stderr).not.toMatch(/^ {4}at /m);
  });

  it('reports a browser that fails to start, with the launch error', async () => {
    const broken = await aimqIn(BUILD, dir, { AIMQ_CHROME: '/bin/false' });
    expect(broken.status, broken.stderr).toBe(0);
    expect(broken.stderr).toMatch(/No screenshots: \/bin\/false failed to start: \S/);
    expect(readFileSync(join(dir, GALLERY), 'utf8')).not.toMatch(/<img\b/i);
  });
});
