import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleProject, tempDir } from '../helpers/cli.js';
import { aimqIn } from '../helpers/cli-in.js';
import { git } from '../helpers/compare-repo.js';
import { readText, SAMPLE_DIR } from '../helpers/project.js';

/**
 * Run from one of the project's folders, `release check` names every file from the project
 * folder: `aimq.config.yaml` as `releases/…/fr.md`, not `../../aimq.config.yaml`; and GitHub
 * annotations put the config under the repository's project folder like the releases.
 */
describe('paths in messages from a subfolder of the project', () => {
  it('the config is named from the project folder, like the release files', async () => {
    const dir = sampleProject();
    const r = await aimqIn(['release', 'check'], join(dir, SAMPLE_DIR));
    expect(r.stdout).toMatch(/^aimq\.config\.yaml:\d+:\d+ warning: .*\[AIMQ-PLACEHOLDER\]$/m);
    expect(r.stdout).not.toContain('../aimq.config.yaml');
  });

  it('a config YAML error from a subfolder: aimq.config.yaml:line:column, exit 2', async () => {
    const dir = sampleProject();
    writeFileSync(
      join(dir, 'aimq.config.yaml'),
      readText(dir, 'aimq.config.yaml').replace(/^ {2}shortName: .*$/m, '  shortName: [AIMQ'),
    );
    const r = await aimqIn(['release', 'build'], join(dir, 'releases'));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^aimq\.config\.yaml:7:14 error: .*\[AIMQ-CONFIG-YAML\]$/m);
  });

  it('--format github from a subfolder of a project in site/: file=site/aimq.config.yaml', async () => {
    const repo = tempDir();
    const site = join(repo, 'site');
    mkdirSync(site);
    cpSync(sampleProject(), site, { recursive: true });
    git(repo, 'init', '-q', '-b', 'main');
    const r = await aimqIn(['release', 'check', '--format', 'github'], join(site, 'releases'));
    expect(r.stdout).toMatch(/^::warning file=site\/aimq\.config\.yaml,line=\d+,/m);
    expect(r.stdout).not.toMatch(/file=[^,]*\.\.\//);
  });
});
