import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, REPO } from '../helpers/cli.js';
import { aimqIn } from '../helpers/cli-in.js';
import { edit, FIRST, git, SECOND, THIRD, threeReleaseRepo } from '../helpers/compare-repo.js';

const NOW = '2026-11-28T12:00:00-05:00';
const SHOT_NAMES = [
  'email-bilingual-375.png',
  'email-bilingual-600.png',
  'email-en-375.png',
  'email-en-600.png',
  'email-fr-375.png',
  'email-fr-600.png',
  'page-en-1280.png',
  'page-en-375.png',
  'page-fr-1280.png',
  'page-fr-375.png',
];

/** The rows of summary.md's table: [release, edition, last cell]. */
function summaryRows(md: string): string[][] {
  return md
    .split('\n')
    .filter((l) => l.startsWith('| `'))
    .map((l) =>
      l
        .slice(1, -1)
        .split(' | ')
        .map((c) => c.trim().replace(/^`|`$/g, '')),
    );
}

describe('release build --preview --changed-since', () => {
  let dir: string;
  let r: CliResult;
  beforeAll(async () => {
    dir = threeReleaseRepo();
    // Uncommitted, as on a laptop: git diff <ref> sees the working tree.
    edit(dir, `releases/${SECOND}/fr.md`, /^subtitle: .*$/m, 'subtitle: Une stratégie toute neuve');
    r = await aimqIn(['release', 'build', '--preview', '--changed-since', 'main', '--now', NOW], dir);
  }, 180_000);

  it('exits 0 and says how many releases it previewed', () => {
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('Preview of 1 release(s) changed since main');
    expect(r.stdout.split('\n')).toContain('public/_preview/index.html');
  });

  it('takes screenshots of the changed release only, every edition at both widths', () => {
    const shots = join(dir, 'public/_preview/screenshots');
    expect(readdirSync(shots)).toEqual([SECOND]);
    expect(readdirSync(join(shots, SECOND)).sort()).toEqual(SHOT_NAMES);
  });

  it('lists the other releases with links to their pages and e-mails, without images, after the changed one', () => {
    const html = readFileSync(join(dir, 'public/_preview/index.html'), 'utf8');
    const at = (id: string) => html.indexOf(`<code>${id}</code>`);
    expect(at(SECOND)).toBeGreaterThan(0);
    expect(at(SECOND)).toBeLessThan(at(THIRD));
    expect(at(SECOND)).toBeLessThan(at(FIRST));
    const images = [...html.matchAll(/<img src="([^"]+)"/g)].map((m) => m[1]);
    expect(images).toHaveLength(10);
    for (const src of images) expect(src).toMatch(new RegExp(`^screenshots/${SECOND}/`));
    expect(html).toContain(`href="../fr/${THIRD}/index.html"`);
    expect(html).toContain(`href="../email/${FIRST}/bilingual.html"`);
    expect(html).toContain('Unchanged releases');
  });

  it('writes summary.md naming exactly the changed release and its five editions', () => {
    const md = readFileSync(join(dir, 'public/_preview/summary.md'), 'utf8');
    expect(md).toContain('1 of 3 release(s) changed since `main`');
    expect(md).toContain('`public/_preview/index.html`');
    const rows = summaryRows(md);
    expect(rows.map((row) => row[0])).toEqual(Array(5).fill(SECOND));
    expect(rows.map((row) => row[1])).toEqual([
      'page fr',
      'page en',
      'e-mail fr',
      'e-mail en',
      'e-mail bilingual',
    ]);
    expect(rows.find((row) => row[1] === 'page fr')?.[2]).toBe('1280 px, 375 px');
  });
});

describe('what counts as changed', () => {
  it('a template of the project changed: every release is previewed', async () => {
    const dir = threeReleaseRepo();
    mkdirSync(join(dir, 'templates/web/assets'), { recursive: true });
    const css = readFileSync(join(REPO, 'templates/web/assets/style.css'), 'utf8');
    writeFileSync(join(dir, 'templates/web/assets/style.css'), `${css}\nh1{color:#8a0b0b}\n`);
    const r = await aimqIn(['release', 'build', '--preview', '--changed-since', 'main', '--now', NOW], dir);
    expect(r.status, r.stderr).toBe(0);
    expect(readdirSync(join(dir, 'public/_preview/screenshots')).sort()).toEqual([FIRST, SECOND, THIRD]);
    const md = readFileSync(join(dir, 'public/_preview/summary.md'), 'utf8');
    expect(md).toContain('all 3 release(s) previewed: `templates/web/assets/style.css` changed since `main`');
    expect(new Set(summaryRows(md).map((row) => row[0]))).toEqual(new Set([FIRST, SECOND, THIRD]));
  }, 180_000);

  it('nothing changed: no screenshots, every release listed', async () => {
    const dir = threeReleaseRepo();
    const r = await aimqIn(['release', 'build', '--preview', '--changed-since', 'main', '--now', NOW], dir);
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(join(dir, 'public/_preview/screenshots'))).toBe(false);
    const html = readFileSync(join(dir, 'public/_preview/index.html'), 'utf8');
    for (const id of [FIRST, SECOND, THIRD]) expect(html).toContain(`<code>${id}</code>`);
    expect(readFileSync(join(dir, 'public/_preview/summary.md'), 'utf8')).toContain(
      '0 of 3 release(s) changed since `main`',
    );
  });

  it('a commit on the branch counts as well as the working tree', async () => {
    const dir = threeReleaseRepo();
    git(dir, 'checkout', '-qb', 'topic');
    edit(dir, `releases/${THIRD}/en.md`, /^subtitle: .*$/m, 'subtitle: A brand new strategy');
    git(dir, 'commit', '-qam', 'edit third');
    const r = await aimqIn(['release', 'build', '--preview', '--changed-since', 'main', '--now', NOW], dir);
    expect(r.status, r.stderr).toBe(0);
    expect(readdirSync(join(dir, 'public/_preview/screenshots'))).toEqual([THIRD]);
  }, 120_000);
});

describe('usage errors', () => {
  it('a ref git does not know: exit 2, naming the ref, nothing built', async () => {
    const dir = threeReleaseRepo();
    const r = await aimqIn(['release', 'build', '--preview', '--changed-since', 'no-such-branch'], dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--changed-since no-such-branch');
    expect(r.stderr).toContain('[AIMQ-USAGE]');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(dir, 'public'))).toBe(false);
  });

  it('--changed-since or --compare without --preview: exit 2 with a hint', async () => {
    const dir = threeReleaseRepo();
    const a = await aimqIn(['release', 'build', '--changed-since', 'main'], dir);
    expect(a.status).toBe(2);
    expect(a.stderr).toContain('add --preview');
    const b = await aimqIn(['release', 'build', '--compare', 'main'], dir);
    expect(b.status).toBe(2);
    expect(b.stderr).toContain('--compare only chooses what the preview shows');
  });

  it('outside a git repository: exit 2 that says git could not compare', async () => {
    const dir = threeReleaseRepo();
    rmSync(join(dir, '.git'), { recursive: true, force: true });
    const r = await aimqIn(['release', 'build', '--preview', '--changed-since', 'main'], dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--changed-since main');
  });
});

describe('summary.md of a full preview', () => {
  it('keeps to counts, warnings and the gallery, and says when there were no screenshots', async () => {
    const dir = threeReleaseRepo();
    const r = await aimqIn(['release', 'build', '--preview', '--now', NOW], dir, {
      AIMQ_CHROME: '/nonexistent',
    });
    expect(r.status, r.stderr).toBe(0);
    const md = readFileSync(join(dir, 'public/_preview/summary.md'), 'utf8');
    expect(md).toContain('3 release(s) previewed, every edition.');
    expect(md).toMatch(/\*\*No screenshots:\*\* AIMQ_CHROME names \/nonexistent/);
    expect(summaryRows(md)).toEqual([]);
    expect(md).toContain('[AIMQ-DATE-MISMATCH]');
  });

  it('AIMQ_PREVIEW_PAGES that is not a whole number from 1 to 16: exit 2', async () => {
    const dir = threeReleaseRepo();
    const r = await aimqIn(['release', 'build', '--preview'], dir, { AIMQ_PREVIEW_PAGES: 'many' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('AIMQ_PREVIEW_PAGES is many');
  });
});
