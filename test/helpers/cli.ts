import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll } from 'vitest';

export const REPO = resolve(import.meta.dirname, '../..');
export const BIN = join(REPO, 'bin', 'aimq.js');

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs the real bin/aimq.js in `cwd`, as a user would. */
export function aimq(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...env },
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary folder, removed after the test file. */
export function tempDir(prefix = 'aimq-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** A copy of this repository's project files (config and releases) in a temporary folder. */
export function sampleProject(): string {
  const dir = tempDir();
  cpSync(join(REPO, 'aimq.config.yaml'), join(dir, 'aimq.config.yaml'));
  cpSync(join(REPO, 'releases'), join(dir, 'releases'), { recursive: true });
  return dir;
}

/**
 * The sample project with a postal address in place of the config's placeholder: what a
 * campaign send needs (aimq refuses to send while an AIMQ-PLACEHOLDER remains).
 */
export function sendableProject(): string {
  const dir = sampleProject();
  const file = join(dir, 'aimq.config.yaml');
  const config = readFileSync(file, 'utf8').replace(
    /^ {2}postalAddress: .*$/m,
    '  postalAddress: "1100, boulevard Exemple, bureau 300, Montréal (Québec)  H3B 0A1, Canada"',
  );
  writeFileSync(file, config);
  return dir;
}
