import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { aimq, REPO, sampleProject } from '../helpers/cli.js';
import { aimqIn } from '../helpers/cli-in.js';

/**
 * The sample release's site, byte for byte. `UPDATE_GOLDEN=1 npx vitest run test/golden`
 * rewrites the files under test/golden/sample/; review the diff before committing it.
 */
const GOLDEN = join(import.meta.dirname, 'sample');
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const NOW = '2026-11-28T12:00:00-05:00';
const FILES = [
  'index.html',
  'fr/index.html',
  'en/index.html',
  'fr/2020-01-13-mission-aimq/index.html',
  'en/2020-01-13-aimq-updates-its-mission/index.html',
  'fr/feed.xml',
  'en/feed.xml',
  'sitemap.xml',
];

describe('golden files of the sample release', () => {
  let project: string;
  let out: string;
  beforeAll(async () => {
    project = sampleProject();
    const r = await aimqIn(['release', 'build', '--now', NOW], project);
    expect(r.status, r.stderr).toBe(0);
    out = join(project, 'public');
    if (UPDATE) {
      for (const f of FILES) {
        mkdirSync(dirname(join(GOLDEN, f)), { recursive: true });
        writeFileSync(join(GOLDEN, f), readFileSync(join(out, f)));
      }
    }
  });

  it.each(FILES)('%s is byte for byte its golden file', (f) => {
    const golden = join(GOLDEN, f);
    expect(existsSync(golden), `${golden} is missing: run UPDATE_GOLDEN=1 npx vitest run test/golden`).toBe(
      true,
    );
    const expected = readFileSync(golden);
    const actual = readFileSync(join(out, f));
    // As text first, for a readable diff; then the bytes.
    expect(actual.toString('utf8')).toBe(expected.toString('utf8'));
    expect(actual.equals(expected)).toBe(true);
  });

  it('no golden file holds a path of the machine that built it', () => {
    for (const f of FILES) {
      const text = readFileSync(join(GOLDEN, f), 'utf8');
      for (const p of [project, REPO, tmpdir(), 'file:']) expect(text, `${p} in ${f}`).not.toContain(p);
    }
  });

  // Spawned: a process's time zone and locale are read when it starts.
  it('the same bytes from the binary in another time zone, another locale, and at another --now', () => {
    const other = sampleProject();
    const r = aimq(['release', 'build', '--now', '2031-06-15T23:30:00+09:00'], other, {
      TZ: 'Pacific/Kiritimati',
      LANG: 'C',
      LC_ALL: 'C',
    });
    expect(r.status, r.stderr).toBe(0);
    const r2 = aimq(['release', 'build', '--out', 'public2', '--now', '2020-01-13T00:00:00-05:00'], other, {
      TZ: 'America/Los_Angeles',
      LANG: 'en_US.UTF-8',
    });
    expect(r2.status, r2.stderr).toBe(0);
    for (const f of FILES) {
      const golden = readFileSync(join(out, f), 'utf8');
      expect(readFileSync(join(other, 'public', f), 'utf8'), f).toBe(golden);
      expect(readFileSync(join(other, 'public2', f), 'utf8'), f).toBe(golden);
    }
  });
});
