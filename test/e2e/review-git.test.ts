import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleProject, tempDir } from '../helpers/cli.js';
import { aimqIn } from '../helpers/cli-in.js';
import { edit, FIRST, git, SECOND, threeReleaseRepo } from '../helpers/compare-repo.js';

/** An SVG square of one colour: an image that can change without its markdown changing. */
function square(colour: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4" fill="${colour}"/></svg>\n`;
}

describe('--changed-since and --compare read git as it is', () => {
  it('a changed image whose name has an accent counts as a change to its release', async () => {
    const dir = threeReleaseRepo();
    const image = join(dir, 'releases', FIRST, 'équipe.svg');
    writeFileSync(image, square('#c81e1e'));
    edit(dir, `releases/${FIRST}/fr.md`, /\n*$/, '\n\n![L’équipe réunie](équipe.svg)\n');
    edit(dir, `releases/${FIRST}/en.md`, /\n*$/, '\n\n![The team](équipe.svg)\n');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'an image');
    // Only the image changes: git quotes such a path ("…/\303\251quipe.png") unless asked not to.
    writeFileSync(image, square('#1e1ec8'));
    const r = await aimqIn(['release', 'check', '--changed-since', 'main'], dir, { AIMQ_LANG: 'en' });
    expect(r.stderr).toContain('1 release checked');
  });

  it('outside a git repository, says so in the user’s language, without git’s English', async () => {
    const dir = sampleProject();
    const fr = await aimqIn(['release', 'check', '--changed-since', 'main'], dir, { AIMQ_LANG: 'fr' });
    expect(fr.status).toBe(2);
    expect(fr.stderr).toContain(
      '--changed-since main\u00a0: ce projet n’est pas dans un dépôt git [AIMQ-USAGE]',
    );
    expect(fr.stderr).not.toContain('fatal');
    const en = await aimqIn(['release', 'build', '--preview', '--compare', 'HEAD'], dir, { AIMQ_LANG: 'en' });
    expect(en.status).toBe(2);
    expect(en.stderr).toContain('--compare HEAD: this project is not in a git repository [AIMQ-USAGE]');
  });

  it('summary.md names the bilingual e-mail edition in French', async () => {
    const dir = threeReleaseRepo();
    edit(dir, `releases/${FIRST}/fr.md`, / actualise /, ' modernise ');
    const r = await aimqIn(
      ['release', 'build', '--preview', '--changed-since', 'main', '--out', 'public'],
      dir,
      {
        AIMQ_LANG: 'fr',
      },
    );
    expect(r.status).toBe(0);
    const summary = readFileSync(join(dir, 'public', '_preview', 'summary.md'), 'utf8');
    expect(summary).toContain(`| \`${FIRST}\` | courriel bilingue |`);
    expect(summary).not.toContain('bilingual');
  }, 60_000);

  it('--compare with named release folders compares those only: a changed release not named is not "removed"', async () => {
    const dir = threeReleaseRepo();
    edit(dir, `releases/${FIRST}/fr.md`, / actualise /, ' modernise ');
    edit(dir, `releases/${SECOND}/fr.md`, / actualise /, ' renouvelle ');
    const r = await aimqIn(
      ['release', 'build', `releases/${FIRST}`, '--preview', '--compare', 'main', '--out', 'public'],
      dir,
      { AIMQ_LANG: 'en' },
    );
    expect(r.status).toBe(0);
    const summary = readFileSync(join(dir, 'public', '_preview', 'summary.md'), 'utf8');
    expect(summary).toContain('1 of 1 release(s) changed since `main`');
    expect(summary).toContain(`| \`${FIRST}\` | page fr | 1280 px: **`);
    expect(summary).not.toContain(SECOND);
    expect(summary).not.toContain('removed');
    const gallery = readFileSync(join(dir, 'public', '_preview', 'index.html'), 'utf8');
    expect(gallery).not.toContain(SECOND);
  }, 60_000);

  it('--compare against a commit before the project existed says so in good French', async () => {
    const dir = sampleProject();
    git(dir, 'init', '-q', '-b', 'main');
    writeFileSync(join(dir, 'README.md'), 'x\n');
    git(dir, 'add', 'README.md');
    git(dir, 'commit', '-qm', 'before aimq');
    // No browser: the summary is what this is about.
    const r = await aimqIn(['release', 'build', '--preview', '--compare', 'main', '--out', 'public'], dir, {
      AIMQ_LANG: 'fr',
      AIMQ_CHROME: '/nonexistent',
    });
    expect(r.status).toBe(0);
    const summary = readFileSync(join(dir, 'public', '_preview', 'summary.md'), 'utf8');
    expect(summary).toContain(
      'Pas de version «\u00a0avant\u00a0» à comparer\u00a0: aucun aimq.config.yaml à main.',
    );
  });

  it('--format github names files from the top of the repository when the project is a subfolder of it', async () => {
    const repo = tempDir();
    const site = join(repo, 'site');
    mkdirSync(site);
    cpSync(sampleProject(), site, { recursive: true });
    git(repo, 'init', '-q', '-b', 'main');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'a project in site/');
    edit(site, `releases/${FIRST}/fr.md`, /\n*$/, '\n\n![](absente.png)\n');
    const r = await aimqIn(
      ['-C', 'site', 'release', 'check', '--changed-since', 'main', '--format', 'github'],
      repo,
    );
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`::error file=site/releases/${FIRST}/fr.md,line=`);
    expect(r.stdout).not.toMatch(/file=releases\//);
    // Text output keeps naming files from the project, as every other command does.
    const text = await aimqIn(['-C', 'site', 'release', 'check'], repo);
    expect(text.stdout).toContain(`releases/${FIRST}/fr.md:`);
    expect(text.stdout).not.toContain('site/releases');
  });

  it('an empty ref is a usage error that asks for one', async () => {
    const dir = threeReleaseRepo();
    const fr = await aimqIn(['release', 'check', '--changed-since', ''], dir, { AIMQ_LANG: 'fr' });
    expect(fr.status).toBe(2);
    expect(fr.stderr).toContain('erreur\u00a0: --changed-since demande une référence git [AIMQ-USAGE]');
    const en = await aimqIn(['release', 'build', '--preview', '--compare', ' '], dir, { AIMQ_LANG: 'en' });
    expect(en.status).toBe(2);
    expect(en.stderr).toContain('error: --compare needs a git ref [AIMQ-USAGE]');
  });
});
