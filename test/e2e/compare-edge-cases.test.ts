import { appendFileSync, cpSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleProject, tempDir } from '../helpers/cli.js';
import { aimqIn } from '../helpers/cli-in.js';
import { edit, FIRST, git, SECOND, THIRD, threeReleaseRepo } from '../helpers/compare-repo.js';

const NOW = '2026-11-28T12:00:00-05:00';

describe('release build --preview --compare, edge cases', () => {
  it("the ref's version does not build: the preview says so and shows the current version alone (exit 0)", async () => {
    const dir = threeReleaseRepo();
    // On main, SECOND refers to an image that does not exist; the branch fixes it.
    appendFileSync(join(dir, 'releases', SECOND, 'fr.md'), '\n![Absente](absente.png)\n');
    git(dir, 'commit', '-qam', 'broken on main');
    git(dir, 'checkout', '-qb', 'fix');
    edit(dir, `releases/${SECOND}/fr.md`, '\n![Absente](absente.png)\n', '\n');
    git(dir, 'commit', '-qam', 'fixed');
    const r = await aimqIn(['release', 'build', '--preview', '--compare', 'main', '--now', NOW], dir);
    expect(r.status, r.stderr).toBe(0);
    const md = readFileSync(join(dir, 'public/_preview/summary.md'), 'utf8');
    expect(md).toMatch(
      /No “before” to compare with: main's version does not build: 1 error\(s\), the first: /,
    );
    const shots = join(dir, 'public/_preview/screenshots', SECOND);
    expect(readdirSync(shots)).toHaveLength(10);
    expect(readFileSync(join(dir, 'public/_preview/index.html'), 'utf8')).toContain('No “before” version');
  }, 180_000);

  it('a project in a subfolder of the repository is compared with the same subfolder at the ref', async () => {
    const repo = tempDir();
    const project = join(repo, 'newsroom');
    mkdirSync(project);
    cpSync(sampleProject(), project, { recursive: true });
    mkdirSync(join(repo, 'other'));
    git(repo, 'init', '-q', '-b', 'main');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'start');
    edit(project, 'releases/2020-01-13-mission-aimq/en.md', /^subtitle: .*$/m, 'subtitle: A new strategy');
    const r = await aimqIn(['release', 'build', '--preview', '--compare', 'main', '--now', NOW], project);
    expect(r.status, r.stderr).toBe(0);
    const base = join(project, 'public/_preview/screenshots/2020-01-13-mission-aimq');
    expect(readdirSync(join(base, 'before'))).toHaveLength(10);
    expect(readdirSync(join(base, 'diff')).sort()).toEqual([
      'email-bilingual-375.png',
      'email-bilingual-600.png',
      'email-en-375.png',
      'email-en-600.png',
      'page-en-1280.png',
      'page-en-375.png',
    ]);
  }, 180_000);

  it('the config changed: every release is built at the ref too, and compared', async () => {
    const dir = threeReleaseRepo();
    rmSync(join(dir, 'releases', THIRD), { recursive: true });
    git(dir, 'commit', '-qam', 'two releases');
    edit(
      dir,
      'aimq.config.yaml',
      /^ {4}fr: >-\n {6}L'Association/m,
      "    fr: >-\n      Depuis 1962, l'Association",
    );
    const r = await aimqIn(['release', 'build', '--preview', '--compare', 'main', '--now', NOW], dir);
    expect(r.status, r.stderr).toBe(0);
    const md = readFileSync(join(dir, 'public/_preview/summary.md'), 'utf8');
    expect(md).toContain(
      "all 2 release(s) previewed: `aimq.config.yaml` changed since `main`, compared with `main`'s version.",
    );
    for (const id of [FIRST, SECOND]) {
      const base = join(dir, 'public/_preview/screenshots', id);
      expect(readdirSync(join(base, 'before')), id).toHaveLength(10);
      // The French boilerplate is on the French page and in the French and bilingual e-mails.
      expect(readdirSync(join(base, 'diff')), id).toContain('page-fr-1280.png');
      expect(readdirSync(join(base, 'diff')), id).toContain('email-bilingual-600.png');
      expect(readdirSync(join(base, 'diff')), id).not.toContain('page-en-1280.png');
    }
  }, 240_000);
});
