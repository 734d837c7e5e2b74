import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { aimq, type CliResult, tempDir } from '../helpers/cli.js';
import { copyRelease, edit, FIRST, git, SECOND, THIRD, threeReleaseRepo } from '../helpers/compare-repo.js';
import { nuCheck } from '../helpers/vnu.js';

const NOW = '2026-11-28T12:00:00-05:00';
const FOURTH = '2020-04-01-fourth';
const SHOTS = join('public', '_preview', 'screenshots');

function png(file: string): PNG {
  return PNG.sync.read(readFileSync(file));
}

/** Pixels that differ between two PNGs, the smaller padded with white: computed here, independently of aimq. */
function changedPixels(a: PNG, b: PNG): number {
  const width = Math.max(a.width, b.width);
  const height = Math.max(a.height, b.height);
  const pad = (p: PNG) => {
    const data = new Uint8Array(width * height * 4).fill(255);
    for (let y = 0; y < p.height; y++)
      data.set(p.data.subarray(y * p.width * 4, (y + 1) * p.width * 4), y * width * 4);
    return data;
  };
  return pixelmatch(pad(a), pad(b), undefined, width, height, { threshold: 0.1 });
}

function countColour(p: PNG, [r, g, b]: [number, number, number]): number {
  let n = 0;
  for (let i = 0; i < p.data.length; i += 4)
    if (p.data[i] === r && p.data[i + 1] === g && p.data[i + 2] === b) n++;
  return n;
}

/** summary.md's table as a map "release / edition" → last cell. */
function summaryCells(md: string): Map<string, string> {
  const rows = md
    .split('\n')
    .filter((l) => l.startsWith('| `'))
    .map((l) =>
      l
        .slice(1, -1)
        .split(' | ')
        .map((c) => c.trim().replace(/^`|`$/g, '')),
    );
  return new Map(rows.map((r) => [`${r[0]} / ${r[1]}`, r[2]!]));
}

describe('release build --preview --compare', () => {
  let dir: string;
  let tmp: string;
  let r: CliResult;
  beforeAll(() => {
    dir = threeReleaseRepo();
    git(dir, 'checkout', '-qb', 'topic');
    // SECOND: a visible change in French only. THIRD: a change nobody can see (a YAML comment).
    edit(
      dir,
      `releases/${SECOND}/fr.md`,
      /^subtitle: .*$/m,
      'subtitle: Une stratégie toute neuve et bien plus longue',
    );
    edit(dir, `releases/${THIRD}/fr.md`, /^place: /m, '# relu\nplace: ');
    // FOURTH is new, FIRST is removed.
    copyRelease(dir, SECOND, FOURTH);
    rmSync(join(dir, 'releases', FIRST), { recursive: true });
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'the pull request');
    // The spawned aimq's temporary folders go here, to see that none is left behind.
    tmp = tempDir('aimq-compare-tmp-');
    r = aimq(['release', 'build', '--preview', '--compare', 'main', '--now', NOW], dir, { TMPDIR: tmp });
  }, 240_000);

  it('exits 0 and reports the difference images', () => {
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/Preview of 4 release\(s\) changed since main, \d+ difference image\(s\)/);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  it('writes before, after and a difference image for each changed edition, with the changed area framed', () => {
    const base = join(dir, SHOTS, SECOND);
    expect(readdirSync(join(base, 'diff')).sort()).toEqual([
      'email-bilingual-375.png',
      'email-bilingual-600.png',
      'email-fr-375.png',
      'email-fr-600.png',
      'page-fr-1280.png',
      'page-fr-375.png',
    ]);
    for (const name of readdirSync(join(base, 'diff'))) {
      const before = png(join(base, 'before', name));
      const after = png(join(base, name));
      const diff = png(join(base, 'diff', name));
      expect(changedPixels(before, after), name).toBeGreaterThan(0);
      expect([diff.width, diff.height]).toEqual([
        Math.max(before.width, after.width),
        Math.max(before.height, after.height),
      ]);
      expect(countColour(diff, [255, 0, 0]), `${name}: changed pixels in red`).toBeGreaterThan(0);
      expect(countColour(diff, [0, 90, 255]), `${name}: the frame`).toBeGreaterThan(0);
    }
  });

  it('summary.md gives each changed edition the pixel count one computes from the before and after images', () => {
    const md = readFileSync(join(dir, 'public/_preview/summary.md'), 'utf8');
    const cells = summaryCells(md);
    const base = join(dir, SHOTS, SECOND);
    const check = (edition: string, name: string, widths: number[]) => {
      const cell = cells.get(`${SECOND} / ${edition}`) ?? '';
      for (const w of widths) {
        const n = changedPixels(
          png(join(base, 'before', `${name}-${w}.png`)),
          png(join(base, `${name}-${w}.png`)),
        );
        expect(cell, `${edition} at ${w}`).toContain(`${w} px: **${n.toLocaleString('en-US')}**`);
      }
    };
    check('page fr', 'page-fr', [1280, 375]);
    check('e-mail fr', 'email-fr', [600, 375]);
    check('e-mail bilingual', 'email-bilingual', [600, 375]);
    expect(cells.get(`${SECOND} / page en`)).toBe('no visible change');
    expect(cells.get(`${SECOND} / e-mail en`)).toBe('no visible change');
  });

  it('an edit nobody can see: "no visible change", no difference image, the same bytes before and after', () => {
    const cells = summaryCells(readFileSync(join(dir, 'public/_preview/summary.md'), 'utf8'));
    for (const e of ['page fr', 'page en', 'e-mail fr', 'e-mail en', 'e-mail bilingual'])
      expect(cells.get(`${THIRD} / ${e}`), e).toBe('no visible change');
    const base = join(dir, SHOTS, THIRD);
    expect(existsSync(join(base, 'diff'))).toBe(false);
    // Two builds, shots taken by different pages of the pool: deterministic to the byte.
    for (const name of readdirSync(join(base, 'before')))
      expect(readFileSync(join(base, name)).equals(readFileSync(join(base, 'before', name))), name).toBe(
        true,
      );
  });

  it('a new release has after images only, a removed one before images only', () => {
    const cells = summaryCells(readFileSync(join(dir, 'public/_preview/summary.md'), 'utf8'));
    expect(cells.get(`${FOURTH} / page fr`)).toBe('new');
    expect(cells.get(`${FIRST} / page fr`)).toBe('removed');
    expect(readdirSync(join(dir, SHOTS, FOURTH))).toHaveLength(10);
    expect(readdirSync(join(dir, SHOTS, FIRST))).toEqual(['before']);
    expect(readdirSync(join(dir, SHOTS, FIRST, 'before'))).toHaveLength(10);
    const html = readFileSync(join(dir, 'public/_preview/index.html'), 'utf8');
    expect(html).toContain('New release.');
    expect(html).toContain('Removed release.');
  });

  it('summary.md lists exactly the changed releases, and the warnings of the build', () => {
    const md = readFileSync(join(dir, 'public/_preview/summary.md'), 'utf8');
    expect(md).toContain("4 of 4 release(s) changed since `main`, compared with `main`'s version.");
    expect(new Set([...summaryCells(md).keys()].map((k) => k.split(' / ')[0]))).toEqual(
      new Set([SECOND, THIRD, FOURTH, FIRST]),
    );
    // The copied releases keep the sample's date: the build warns, and the summary says so.
    expect(md).toContain('### Warnings');
    expect(md).toContain('[AIMQ-DATE-MISMATCH]');
  });

  it('the gallery shows before, after and differences, and passes the Nu Html Checker', () => {
    const file = join(dir, 'public/_preview/index.html');
    const html = readFileSync(file, 'utf8');
    expect(html).toContain(`src="screenshots/${SECOND}/diff/page-fr-1280.png"`);
    expect(html).toContain(`src="screenshots/${SECOND}/before/page-fr-1280.png"`);
    expect(html).toContain('no visible change');
    expect(nuCheck([file]).filter((m) => m.type === 'error')).toEqual([]);
  });

  it('leaves no work tree and no temporary folder behind', () => {
    expect(git(dir, 'worktree', 'list').trim().split('\n')).toHaveLength(1);
    expect(existsSync(join(dir, '.git', 'worktrees'))).toBe(false);
    expect(readdirSync(tmp)).toEqual([]);
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });
});

describe('release build --preview --compare with a bad ref', () => {
  it('exits 2 naming the ref, and leaves no temporary folder', () => {
    const dir = threeReleaseRepo();
    const tmp = tempDir('aimq-compare-tmp-');
    mkdirSync(tmp, { recursive: true });
    const r = aimq(['release', 'build', '--preview', '--compare', 'origin/nope', '--now', NOW], dir, {
      TMPDIR: tmp,
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--compare origin/nope');
    expect(r.stderr).toContain('[AIMQ-USAGE]');
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(readdirSync(tmp)).toEqual([]);
  });
});
