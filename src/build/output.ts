import { mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AimqError } from '../errors/index.js';

/**
 * Writes into the output folder only what changed, so an unchanged build leaves every
 * modification time alone (web servers, rsync and CI caches rely on them).
 */
export class OutputWriter {
  readonly written: string[] = [];
  readonly unchanged: string[] = [];
  private readonly madeDirs = new Set<string>();
  private readonly freshDirs = new Set<string>();
  private readonly writtenPaths = new Set<string>();

  constructor(
    readonly outDir: string,
    private readonly shownOut: string,
  ) {}

  write(path: string, content: string | Buffer): void {
    const abs = join(this.outDir, path);
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    const dir = dirname(abs);
    try {
      this.makeDir(dir);
    } catch (err) {
      throw unwritable(this.shownOut, path, err);
    }
    // A folder this writer created holds only what it wrote since: on a cold build, no
    // file needs the stat that looks for an unchanged copy.
    const fresh = this.freshDirs.has(dir) && !this.writtenPaths.has(path);
    // Only a file of the same size can be unchanged: most comparisons end at the stat.
    const existing = fresh ? undefined : statSync(abs, { throwIfNoEntry: false });
    if (existing?.isFile() && existing.size === bytes.length && readFileSync(abs).equals(bytes)) {
      this.unchanged.push(path);
      return;
    }
    try {
      writeFileSync(abs, bytes);
    } catch (err) {
      throw unwritable(this.shownOut, path, err);
    }
    this.written.push(path);
    this.writtenPaths.add(path);
  }

  /** Makes `dir` once; remembers whether it is new (mkdir made it, or one of its parents). */
  private makeDir(dir: string): void {
    if (this.madeDirs.has(dir)) return;
    if (mkdirSync(dir, { recursive: true }) !== undefined) this.freshDirs.add(dir);
    this.madeDirs.add(dir);
  }

  /** Removes a file aimq wrote in an earlier build, and the folders it leaves empty. */
  remove(path: string): void {
    const abs = join(this.outDir, path);
    try {
      rmSync(abs, { force: true });
      let dir = dirname(abs);
      while (dir.startsWith(this.outDir) && dir !== this.outDir && readdirSync(dir).length === 0) {
        rmdirSync(dir);
        dir = dirname(dir);
      }
    } catch (err) {
      // Already gone (someone emptied the output folder): nothing to remove.
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw unwritable(this.shownOut, path, err);
    }
  }
}

export function unwritable(shownOut: string, path: string, err: unknown): AimqError {
  const code = (err as NodeJS.ErrnoException).code ?? 'error';
  const file = join(shownOut, path);
  return new AimqError(
    'AIMQ-OUTPUT-UNWRITABLE',
    { fr: `impossible d’écrire ${file} (${code})`, en: `cannot write ${file} (${code})` },
    {
      file: shownOut,
      hint:
        code === 'EACCES' || code === 'EPERM'
          ? {
              fr: 'vérifiez les droits d’accès au dossier de sortie, ou choisissez-en un autre avec --out',
              en: 'check the permissions of the output folder, or choose another with --out',
            }
          : {
              fr: 'choisissez un autre dossier de sortie avec --out',
              en: 'choose another output folder with --out',
            },
      cause: err,
    },
  );
}
