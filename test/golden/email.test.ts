import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { aimqAsync } from '../helpers/cli-async.js';
import { type CliResult, REPO, sampleProject } from '../helpers/cli.js';
import { aimqIn } from '../helpers/cli-in.js';
import { SAMPLE_DIR, SAMPLE_ID } from '../helpers/project.js';

/**
 * The sample release's e-mail editions, byte for byte: `release export` of each edition in
 * eml, html, txt and mjml. `UPDATE_GOLDEN=1 npx vitest run test/golden` rewrites the files
 * under test/golden/email/; review the diff before committing it.
 */
const GOLDEN = join(import.meta.dirname, 'email');
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const NOW = '2026-11-28T12:00:00-05:00';
const EDITIONS = ['fr', 'en', 'bilingual'] as const;
const FORMATS = ['eml', 'html', 'txt', 'mjml'] as const;
const FILES = EDITIONS.flatMap((e) => FORMATS.map((f) => `${e}.${f}`));

/** Exports every edition and format of the sample into `out/` of `project`; returns the bytes by golden name. */
async function exportAll(
  project: string,
  run: (args: string[], cwd: string) => Promise<CliResult>,
  now = NOW,
): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  // Several at once: when `run` spawns the CLI, the processes share the cores.
  await Promise.all(
    EDITIONS.flatMap((edition) =>
      FORMATS.map(async (format) => {
        const r = await run(
          [
            'release',
            'export',
            SAMPLE_DIR,
            '--format',
            format,
            '--edition',
            edition,
            '--now',
            now,
            '--out',
            'out/',
          ],
          project,
        );
        expect(r.status, r.stderr).toBe(0);
        out.set(
          `${edition}.${format}`,
          readFileSync(join(project, 'out', `${SAMPLE_ID}.${edition}.${format}`)),
        );
      }),
    ),
  );
  return out;
}

describe('golden files of the sample release’s e-mail editions', () => {
  let project: string;
  let actual: Map<string, Buffer>;
  beforeAll(async () => {
    project = sampleProject();
    actual = await exportAll(project, aimqIn);
    if (UPDATE) {
      mkdirSync(GOLDEN, { recursive: true });
      for (const [name, bytes] of actual) writeFileSync(join(GOLDEN, name), bytes);
    }
  });

  it.each(FILES)('%s is byte for byte its golden file', (name) => {
    const golden = join(GOLDEN, name);
    expect(existsSync(golden), `${golden} is missing: run UPDATE_GOLDEN=1 npx vitest run test/golden`).toBe(
      true,
    );
    const expected = readFileSync(golden);
    const bytes = actual.get(name)!;
    // As text first, for a readable diff; then the bytes.
    expect(bytes.toString('utf8')).toBe(expected.toString('utf8'));
    expect(bytes.equals(expected)).toBe(true);
  });

  it('no golden file holds a path of the machine that built it', () => {
    for (const name of FILES) {
      const text = readFileSync(join(GOLDEN, name), 'utf8');
      for (const p of [project, REPO, tmpdir(), 'file:']) expect(text, `${p} in ${name}`).not.toContain(p);
    }
  });

  it('the same bytes from the binary in another time zone and another locale', async () => {
    const other = sampleProject();
    // Spawned: a process's time zone and locale are read when it starts.
    const again = await exportAll(other, (args, cwd) =>
      aimqAsync(args, cwd, { TZ: 'Pacific/Kiritimati', LANG: 'C', LC_ALL: 'C' }),
    );
    for (const name of FILES)
      expect(again.get(name)!.toString('utf8'), name).toBe(actual.get(name)!.toString('utf8'));
  });

  it('--now changes only the Date header of a message, nothing else of any edition', async () => {
    const other = sampleProject();
    const later = await exportAll(other, aimqIn, '2031-06-15T23:30:00+09:00');
    for (const name of FILES) {
      const a = actual.get(name)!.toString('utf8');
      const b = later.get(name)!.toString('utf8');
      if (name.endsWith('.eml')) {
        expect(a).toMatch(/^Date: Sat, 28 Nov 2026 17:00:00 \+0000\r$/m);
        expect(b).toMatch(/^Date: Sun, 15 Jun 2031 14:30:00 \+0000\r$/m);
        expect(b.replace(/^Date: .*$/m, 'Date: x'), name).toBe(a.replace(/^Date: .*$/m, 'Date: x'));
      } else {
        expect(b, name).toBe(a);
      }
    }
  });
});
