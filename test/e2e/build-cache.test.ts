import { mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aimq, sampleProject } from '../helpers/cli.js';
import { aimqIn } from '../helpers/cli-in.js';
import { SAMPLE_EN, SAMPLE_FR, SAMPLE_FR_PAGE } from '../helpers/project.js';

const NOW = '2026-11-28T12:00:00-05:00';
const BUILD = ['release', 'build', '--out', 'public', '--now', NOW];
/** In this process: the build cache lives in the project's .aimq/, not in memory. */
const build = (dir: string) => aimqIn(BUILD, dir);
/** Spawned: whether MJML runs depends on what a fresh process has in memory. */
const buildBin = (dir: string) => aimq(BUILD, dir);

/** Replaces a word in a file by another of the same length, and gives the file back its modification time. */
function sameSizeEdit(file: string, from: string, to: string, mtime: Date): void {
  const text = readFileSync(file, 'utf8');
  expect(text).toContain(from);
  writeFileSync(file, text.replace(from, to));
  utimesSync(file, mtime, mtime);
  expect(statSync(file).mtimeMs).toBe(mtime.getTime());
}

describe('the build cache reads a release again only when its files changed', () => {
  it('trusts an old file whose size and time did not change, as git does', async () => {
    const dir = sampleProject();
    const file = join(dir, SAMPLE_FR);
    const old = new Date(Math.floor(Date.now() / 1000) * 1000 - 3_600_000);
    for (const f of [SAMPLE_FR, SAMPLE_EN]) utimesSync(join(dir, f), old, old);
    expect((await build(dir)).status).toBe(0);
    sameSizeEdit(file, 'Être la référence', 'Être la RÉFÉRENCE', old); // a change no editor makes without touching the time
    const r = await build(dir);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(': 0 file(s) written');
    expect(readFileSync(join(dir, 'public', SAMPLE_FR_PAGE), 'utf8')).toContain('Être la référence');
  });

  it('reads a file changed just before the last build again, even with the same size and time', async () => {
    const dir = sampleProject();
    const file = join(dir, SAMPLE_FR);
    // Within the build's margin whatever the load: "now" would be seconds before a slow build starts.
    const recent = new Date(Math.floor(Date.now() / 1000) * 1000 + 60_000);
    utimesSync(file, recent, recent);
    expect((await build(dir)).status).toBe(0);
    sameSizeEdit(file, 'Être la référence', 'Être la RÉFÉRENCE', recent);
    const r = await build(dir);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).not.toContain(': 0 file(s) written');
    expect(readFileSync(join(dir, 'public', SAMPLE_FR_PAGE), 'utf8')).toContain('Être la RÉFÉRENCE');
  });
});

describe('the e-mail layout is compiled with MJML once', () => {
  const layouts = (dir: string) =>
    readdirSync(join(dir, '.aimq')).filter((f) => f.startsWith('email-layout-'));

  it('when aimq was built, for its own templates: a fresh project never runs MJML', () => {
    const dir = sampleProject();
    expect(buildBin(dir).status).toBe(0);
    expect(layouts(dir)).toEqual([]);
  });

  it('in .aimq/, for a project that overrides a part of it', () => {
    const dir = sampleProject();
    const footer = readFileSync(join(import.meta.dirname, '../../templates/email/footer.mjml'), 'utf8');
    mkdirSync(join(dir, 'templates', 'email'), { recursive: true });
    writeFileSync(
      join(dir, 'templates', 'email', 'footer.mjml'),
      footer.replace('</mj-section>', '</mj-section>\n<!-- ours -->'),
    );
    expect(buildBin(dir).status).toBe(0);
    expect(layouts(dir)).toHaveLength(1);
  });
});
