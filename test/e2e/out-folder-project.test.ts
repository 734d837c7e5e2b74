import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aimqIn } from '../helpers/cli-in.js';
import { sampleProject } from '../helpers/cli.js';
import { listFiles } from '../helpers/project.js';

/**
 * `release build --out .` (or a folder above the project) would write index.html, fr/, en/
 * and assets/ among the project's own files, over a page of the same name the user keeps
 * there: refused before anything is written.
 */
describe('an output folder that holds the project', () => {
  it.each([['.'], ['..'], ['/']])('release build --out %s: exit 2, the project untouched', async (out) => {
    const dir = sampleProject();
    writeFileSync(join(dir, 'index.html'), '<p>my own page</p>\n');
    const before = listFiles(dir).filter((f) => !f.startsWith('.aimq/'));
    const r = await aimqIn(['release', 'build', '--out', out], dir);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/error: the output folder \S+ holds the project itself/);
    expect(r.stderr).toContain('[AIMQ-OUTPUT-INSIDE-INPUT]');
    expect(listFiles(dir).filter((f) => !f.startsWith('.aimq/'))).toEqual(before);
    expect(readFileSync(join(dir, 'index.html'), 'utf8')).toBe('<p>my own page</p>\n');
  });

  it('says it in French', async () => {
    const r = await aimqIn(['release', 'build', '--out', '.'], sampleProject(), { AIMQ_LANG: 'fr' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('le dossier de sortie . contient le projet lui-même');
  });

  it('a folder beside the project, or inside it, is still fine', async () => {
    const dir = sampleProject();
    for (const out of ['public', '../site-of-the-project']) {
      const r = await aimqIn(['release', 'build', '--out', out], dir);
      expect(r.status, r.stderr).toBe(0);
      expect(readFileSync(join(dir, out, 'index.html'), 'utf8')).toContain('<!DOCTYPE html>');
    }
  });
});
