import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { AimqError } from '../errors/index.js';
import { gitIn, verifyRef } from './changed.js';

/** What a build reads from a project, besides release folders. */
const SHARED_INPUTS = ['aimq.config.yaml', 'templates'];

export interface Snapshot {
  /** The commit the ref named. */
  commit: string;
  /** Whether the project had an aimq.config.yaml at that commit (no config: nothing to build). */
  hasConfig: boolean;
  /** Release folder names that existed at that commit, among those asked for. */
  releases: string[];
}

/**
 * Writes the project's files as they were at `ref` into `dest` (an empty folder): the
 * config, templates/ and the release folders `releases` names (every one when undefined).
 *
 * `git archive` into a folder rather than `git worktree add`: it reads the object store and
 * writes nothing into the repository, so a run that is killed leaves no worktree entry
 * behind for `git worktree prune` (only a temporary folder), it needs no checkout of
 * files the build does not read, and the project may be a subfolder of the repository.
 * Throws AIMQ-USAGE (exit 2) naming `option` and the ref when git cannot read it.
 */
export async function snapshotAt(
  root: string,
  ref: string,
  dest: string,
  releases: readonly string[] | undefined,
  option = '--compare',
): Promise<Snapshot> {
  const commit = verifyRef(root, ref, option);
  const prefix = gitIn(root, option, ref)(['rev-parse', '--show-prefix']).trim();
  // From the top of the work tree: in a subfolder, ls-tree and archive would only see the
  // part of the tree under that subfolder's path, and `<commit>:<prefix>` is already it.
  const top = gitIn(root, option, ref)(['rev-parse', '--show-toplevel']).trim();
  const git = gitIn(top, option, ref);
  const tree = `${commit}:${prefix}`;
  const lines = (s: string) => s.split('\n').filter(Boolean);
  const entries = new Set(lines(git(['ls-tree', '--name-only', tree])));
  const there = entries.has('releases')
    ? lines(git(['ls-tree', '-d', '--name-only', `${tree}releases`]))
    : [];
  const wanted = releases === undefined ? there : there.filter((r) => releases.includes(r));
  const paths = [...SHARED_INPUTS.filter((p) => entries.has(p)), ...wanted.map((r) => `releases/${r}`)];
  mkdirSync(dest, { recursive: true });
  if (paths.length) await archiveInto(top, tree, paths, dest, option, ref);
  return { commit, hasConfig: entries.has('aimq.config.yaml'), releases: wanted };
}

function archiveInto(
  root: string,
  tree: string,
  paths: string[],
  dest: string,
  option: string,
  ref: string,
): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const archive = spawn('git', ['archive', '--format=tar', tree, '--', ...paths], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const tar = spawn('tar', ['-x', '-f', '-', '-C', dest], { stdio: ['pipe', 'ignore', 'pipe'] });
    archive.stdout.pipe(tar.stdin);
    let errors = '';
    archive.stderr.on('data', (d: Buffer) => {
      errors += d.toString('utf8');
    });
    tar.stderr.on('data', (d: Buffer) => {
      errors += d.toString('utf8');
    });
    let pending = 2;
    let failed = false;
    const done = (what: string) => (code: number | null) => {
      if (code !== 0) failed = true;
      if (code !== 0 && !errors) errors = `${what} exited with code ${code}`;
      if (--pending === 0) {
        if (failed)
          reject(
            new AimqError(
              'AIMQ-USAGE',
              {
                fr: `${option} ${ref}\u00a0: impossible de copier les fichiers de ${ref} (${errors.trim().split('\n')[0]})`,
                en: `${option} ${ref}: could not copy the files of ${ref} (${errors.trim().split('\n')[0]})`,
              },
              {
                hint: {
                  fr: 'aimq a besoin de git et de tar dans le PATH, et d’un dépôt lisible',
                  en: 'aimq needs git and tar on the PATH, and a readable repository',
                },
              },
            ),
          );
        else resolvePromise();
      }
    };
    archive.on('error', (e) => {
      errors ||= e.message;
    });
    tar.on('error', (e) => {
      errors ||= e.message;
    });
    archive.on('close', done('git archive'));
    tar.on('close', done('tar'));
  });
}
