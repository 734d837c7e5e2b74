import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aimq, REPO, sampleProject } from '../helpers/cli.js';
import { aimqIn } from '../helpers/cli-in.js';
import { editLines, SAMPLE_FR } from '../helpers/project.js';

/**
 * Most CLI tests run `aimqIn`, the CLI inside the test process. They stand for the binary
 * only while both behave alike: the same output and exit code for the same command, and no
 * command reaching for the process's own environment, folder or exit code.
 */

describe('the in-process CLI and bin/aimq.js', () => {
  const cases: [string, string[], (dir: string) => void][] = [
    ['--help', ['--help'], () => {}],
    ['--version', ['--version'], () => {}],
    ['an unknown option (exit 2, commander’s message)', ['release', 'check', '--bogus'], () => {}],
    ['codes', ['codes'], () => {}],
    ['a clean check (exit 0, summary on stderr)', ['release', 'check'], () => {}],
    [
      'a check with an error (exit 1, problems on stdout)',
      ['release', 'check'],
      (dir) =>
        editLines(dir, SAMPLE_FR, (l) => {
          l[3] = 'date: 2020-02-30';
        }),
    ],
    ['no aimq.config.yaml (exit 2)', ['release', 'check', '-C', 'nowhere'], () => {}],
  ];

  it.each(cases)('give the same exit code, stdout and stderr: %s', async (_name, args, prepare) => {
    const dir = sampleProject();
    prepare(dir);
    const spawned = aimq(args, dir);
    const inProcess = await aimqIn(args, dir);
    expect({ status: inProcess.status, stdout: inProcess.stdout, stderr: inProcess.stderr }).toEqual(spawned);
  });
});

describe('commands take the outside world from their Io only', () => {
  /** Every TypeScript file under src/, as a path relative to the repository. */
  const sources = (() => {
    const out: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith('.ts')) out.push(relative(REPO, p));
      }
    };
    walk(join(REPO, 'src'));
    return out;
  })();

  it('nothing under src/ but src/cli/main.ts reads process.env, process.cwd() or sets process.exitCode', () => {
    expect(sources.length).toBeGreaterThan(20);
    const offenders = sources
      .filter((f) => f !== join('src', 'cli', 'main.ts'))
      .flatMap((f) =>
        readFileSync(join(REPO, f), 'utf8')
          .split('\n')
          .map((line, i) => ({ where: `${f}:${i + 1}`, line }))
          .filter(({ line }) =>
            /\bprocess\s*\.\s*(env\b|cwd\s*\(|exitCode\b|exit\s*\(|chdir\s*\()/.test(line),
          )
          .map(({ where, line }) => `${where}: ${line.trim()}`),
      );
    expect(offenders).toEqual([]);
  });
});
