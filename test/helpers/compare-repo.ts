import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sampleProject } from './cli.js';

export const FIRST = '2020-01-13-mission-aimq';
export const SECOND = '2020-02-01-second';
export const THIRD = '2020-03-01-third';

/** Runs git in `dir` with a fixed author, and returns its standard output. */
export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.org', ...args], {
    cwd: dir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Replaces `from` by `to` in a file of the project, and fails when `from` is not there. */
export function edit(dir: string, file: string, from: string | RegExp, to: string): void {
  const path = join(dir, file);
  const text = readFileSync(path, 'utf8');
  const next = text.replace(from, to);
  if (next === text) throw new Error(`${file}: ${String(from)} not found`);
  writeFileSync(path, next);
}

/** A copy of a release folder under another name, with its own English slug (the French one comes from the folder). */
export function copyRelease(dir: string, from: string, to: string): void {
  cpSync(join(dir, 'releases', from), join(dir, 'releases', to), { recursive: true });
  edit(dir, `releases/${to}/en.md`, /^slug: .*$/m, `slug: ${to}`);
}

/** The sample project with three releases, committed on branch main of a repository of its own; public/ ignored. */
export function threeReleaseRepo(): string {
  const dir = sampleProject();
  copyRelease(dir, FIRST, SECOND);
  copyRelease(dir, FIRST, THIRD);
  writeFileSync(join(dir, '.gitignore'), 'public/\n.aimq/\n');
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'three releases');
  return dir;
}
