import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// The benchmark's generator: deterministic bilingual releases that pass `release check`.
import { generateProject } from '../../bench/generate.js';
import { aimq, tempDir } from '../helpers/cli.js';
import { listFiles } from '../helpers/project.js';

const NOW = '2026-11-28T12:00:00-05:00';

/** A project of `count` generated releases. */
function generated(count: number): { dir: string; folders: string[] } {
  const dir = tempDir();
  const { folders } = generateProject(dir, count, {
    configFile: join(import.meta.dirname, '../../aimq.config.yaml'),
  });
  return { dir, folders };
}

const build = (dir: string, out: string, threads: string, extra: string[] = []) =>
  aimq(['release', 'build', '--out', out, '--now', NOW, ...extra], dir, { AIMQ_BUILD_THREADS: threads });

/** Every file of a build, as path → content. */
function snapshot(dir: string): Map<string, string> {
  return new Map(listFiles(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
}

describe('a build on worker threads', () => {
  it('writes exactly the bytes a build in one thread writes', () => {
    const { dir } = generated(30);
    const one = build(dir, 'one', '1');
    expect(one.stderr).toContain('Built 60 page(s) from 30 release(s)');
    const three = build(dir, 'three', '3');
    expect(three.status, three.stderr).toBe(0);
    expect(three.stderr).toContain(
      'Built 60 page(s) from 30 release(s) into three/ on 3 threads: 248 file(s) written, 0 unchanged.',
    );
    expect(three.stdout).toBe(one.stdout.replaceAll('one/', 'three/'));
    const a = snapshot(join(dir, 'one'));
    const b = snapshot(join(dir, 'three'));
    expect([...b.keys()]).toEqual([...a.keys()]);
    for (const [path, content] of a) expect(b.get(path), path).toBe(content);
  });

  it('reports every release’s problems with file and line, in release order, and writes nothing', () => {
    const { dir, folders } = generated(24);
    const broken = [folders[3]!, folders[17]!];
    for (const f of broken) {
      const file = join(dir, 'releases', f, 'fr.md');
      writeFileSync(file, readFileSync(file, 'utf8').replace(/^date: .*$/m, 'date: 2024-02-30'));
    }
    const r = build(dir, 'public', '2');
    expect(r.status).toBe(1);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    const positions = broken.map((f) => r.stderr.indexOf(`releases/${f}/fr.md:4:`));
    expect(
      positions.every((p) => p >= 0),
      r.stderr,
    ).toBe(true);
    expect(positions[0]).toBeLessThan(positions[1]!);
    expect(r.stderr).toContain('2024-02-30');
    expect(listFiles(dir).some((f) => f.startsWith('public/'))).toBe(false);
  });

  it('rebuilds one edited release and leaves the others alone', () => {
    const { dir, folders } = generated(30);
    expect(build(dir, 'public', '2').status).toBe(0);
    appendFileSync(join(dir, 'releases', folders[5]!, 'fr.md'), '\nUne phrase de plus.\n');
    const r = build(dir, 'public', '2');
    expect(r.status, r.stderr).toBe(0);
    // The release's French page and its two e-mail editions with French in them (HTML and text).
    expect(r.stderr).toMatch(/: 5 file\(s\) written, \d+ unchanged\./);
  });

  it('refuses a thread count that is not a whole number', () => {
    const { dir } = generated(2);
    const r = build(dir, 'public', 'many');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('AIMQ_BUILD_THREADS must be a whole number');
  });
});
