import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleProject } from '../helpers/cli.js';
import { aimqIn } from '../helpers/cli-in.js';

/** A sample project with a second release, committed in a git repository of its own. */
function repository(): string {
  const dir = sampleProject();
  cpSync(join(dir, 'releases', '2020-01-13-mission-aimq'), join(dir, 'releases', '2020-02-01-second'), {
    recursive: true,
  });
  const en = join(dir, 'releases', '2020-02-01-second', 'en.md');
  writeFileSync(en, readFileSync(en, 'utf8').replace(/^slug: .*$/m, 'slug: 2020-02-01-second'));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  git('-c', 'user.name=t', '-c', 'user.email=t@example.org', 'add', '-A');
  git('-c', 'user.name=t', '-c', 'user.email=t@example.org', 'commit', '-qm', 'start');
  return dir;
}

describe('release check --changed-since', () => {
  it('checks only the releases changed since the ref, committed or not', async () => {
    const dir = repository();
    const none = await aimqIn(['release', 'check', '--changed-since', 'main', '--format', 'json'], dir);
    expect(none.status).toBe(0);
    expect(none.stderr).toContain('0 releases checked');

    // An error in the changed release is found; the other one is not even read.
    appendFileSync(join(dir, 'releases', '2020-02-01-second', 'fr.md'), '\n![](absente.png)\n');
    const one = await aimqIn(['release', 'check', '--changed-since', 'main', '--format', 'json'], dir);
    expect(one.status).toBe(1);
    expect(one.stderr).toContain('1 release checked');
    const problems = JSON.parse(one.stdout) as { file: string; code: string }[];
    expect(problems.map((p) => p.file)).toEqual(expect.arrayContaining(['releases/2020-02-01-second/fr.md']));
    expect(problems.every((p) => !p.file.startsWith('releases/2020-01-13-mission-aimq/'))).toBe(true);
  });

  it('checks every release when the config or a template changed', async () => {
    const dir = repository();
    appendFileSync(join(dir, 'aimq.config.yaml'), '\n# changed\n');
    const r = await aimqIn(['release', 'check', '--changed-since', 'main'], dir);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('2 releases checked');
  });

  it('a ref git does not know is a usage error (exit 2) that says so', async () => {
    const dir = repository();
    const r = await aimqIn(['release', 'check', '--changed-since', 'no-such-branch'], dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--changed-since no-such-branch');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('pages that would overwrite each other', () => {
  it('a translated slug used by two releases is an error naming the second file, in check and in build (nothing written)', async () => {
    const dir = sampleProject();
    cpSync(join(dir, 'releases', '2020-01-13-mission-aimq'), join(dir, 'releases', '2020-02-01-second'), {
      recursive: true,
    });
    const check = await aimqIn(['release', 'check'], dir);
    expect(check.status).toBe(1);
    expect(check.stdout).toContain(
      "releases/2020-02-01-second/en.md:1:1 error: this edition's page would be en/2020-01-13-aimq-updates-its-mission/index.html, which is already the page of releases/2020-01-13-mission-aimq/en.md [AIMQ-SLUG]",
    );
    const build = await aimqIn(['release', 'build', '--now', '2026-11-28T12:00:00-05:00'], dir);
    expect(build.status).toBe(1);
    expect(build.stderr).toContain('[AIMQ-SLUG]');
    expect(existsSync(join(dir, 'public'))).toBe(false);
  });
});
