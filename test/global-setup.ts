import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Builds dist/ (what bin/aimq.js runs) before any test, so a spawned CLI never runs code
 * older than src/. Skipped when dist/ was built from exactly these inputs: a digest of
 * them is kept in dist/ after each build. Without that record (a fresh `npm ci`, whose
 * `prepare` script has just built), a dist/ newer than every input counts as built.
 */

const ROOT = join(import.meta.dirname, '..');
const DIST = join(ROOT, 'dist');
const STAMP = join(DIST, '.inputs.sha256');
const BUILD_INFO = join(DIST, '.tsbuildinfo');
/** What the build reads: the sources, aimq's own templates (compiled into dist/email-layouts), the build settings. */
const INPUTS = ['src', 'templates', 'scripts', 'tsconfig.json', 'package.json', 'package-lock.json'];
/** What a complete build leaves, the last written last. */
const OUTPUTS = ['dist/cli/main.js', 'dist/bundle/cli/main.js', 'dist/email-layouts'];

function inputFiles(): string[] {
  const files: string[] = [];
  const walk = (abs: string) => {
    if (!existsSync(abs)) return;
    if (statSync(abs).isDirectory()) {
      for (const name of readdirSync(abs).sort()) walk(join(abs, name));
    } else files.push(abs);
  };
  for (const input of INPUTS) walk(join(ROOT, input));
  return files;
}

function digest(files: string[]): string {
  const hash = createHash('sha256');
  for (const file of files)
    hash
      .update(`${relative(ROOT, file)}\0`)
      .update(readFileSync(file))
      .update('\0');
  return hash.digest('hex');
}

function upToDate(files: string[], sum: string): boolean {
  if (!OUTPUTS.every((o) => existsSync(join(ROOT, o)))) return false;
  if (existsSync(STAMP)) return readFileSync(STAMP, 'utf8').trim() === sum;
  const built = Math.min(...OUTPUTS.map((o) => statSync(join(ROOT, o)).mtimeMs));
  return files.every((f) => statSync(f).mtimeMs < built);
}

function step(what: string, args: string[]): void {
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) {
    throw new Error(`test setup: ${what} failed (exit ${r.status ?? r.signal}):\n${r.stdout}${r.stderr}`);
  }
}

export default function setup(): void {
  const files = inputFiles();
  const sum = digest(files);
  if (!upToDate(files, sum)) {
    const started = Date.now();
    // What `npm run build` runs, without npm's own start-up. Incremental: after a small
    // change tsc compiles and checks the files it affects only (half the time). It trusts
    // the outputs its record lists, so a dist/ missing one of them starts afresh.
    if (!OUTPUTS.every((o) => existsSync(join(ROOT, o)))) rmSync(BUILD_INFO, { force: true });
    step('tsc', [
      join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
      '-p',
      'tsconfig.json',
      '--incremental',
      '--tsBuildInfoFile',
      BUILD_INFO,
    ]);
    step('scripts/bundle.js', ['scripts/bundle.js']);
    console.log(`test setup: built dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  writeFileSync(`${STAMP}.tmp`, `${sum}\n`);
  renameSync(`${STAMP}.tmp`, STAMP);
}
