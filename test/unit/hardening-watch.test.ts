import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { watchProject } from '../../src/preview/watch.js';
import { tempDir } from '../helpers/cli.js';

/** Polls until `probe` is true, or fails after `ms`. */
async function until(what: string, probe: () => boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('watchProject (#11.17)', () => {
  it('reports every save by rename of a file, and a config saved the same way; not what it does not watch', async () => {
    const root = tempDir();
    const release = join(root, 'releases', '2026-01-01-a');
    mkdirSync(release, { recursive: true });
    mkdirSync(join(root, 'public'));
    writeFileSync(join(release, 'fr.md'), 'v0');
    writeFileSync(join(root, 'aimq.config.yaml'), 'a: 1\n');
    const batches: string[][] = [];
    const watcher = watchProject(
      root,
      { folders: ['releases', 'templates'], files: ['aimq.config.yaml'], debounceMs: 30 },
      (changed) => batches.push(changed),
    );
    try {
      await watcher.ready;
      const saw = (path: string, from: number) => batches.slice(from).some((b) => b.includes(path));
      for (let i = 1; i <= 6; i++) {
        const from = batches.length;
        writeFileSync(join(release, `fr.md___jb_tmp___`), `v${i}`);
        renameSync(join(release, `fr.md___jb_tmp___`), join(release, 'fr.md'));
        await until(`save ${i} of fr.md`, () => saw('releases/2026-01-01-a/fr.md', from));
      }
      const from = batches.length;
      writeFileSync(join(root, 'public', 'ignored.html'), 'x');
      writeFileSync(join(root, '.aimq.config.yaml.swp'), 'x');
      writeFileSync(join(root, 'aimq.config.yaml~'), 'a: 2\n');
      renameSync(join(root, 'aimq.config.yaml~'), join(root, 'aimq.config.yaml'));
      await until('the config saved by rename', () => saw('aimq.config.yaml', from));
      // A folder created later is watched too.
      mkdirSync(join(root, 'templates', 'web'), { recursive: true });
      writeFileSync(join(root, 'templates', 'web', 'page.liquid'), 'x');
      await until('a template in a new folder', () => saw('templates/web/page.liquid', from));
      expect(batches.flat().filter((p) => p.startsWith('public') || p.includes('.swp'))).toEqual([]);
    } finally {
      await watcher.close();
    }
  });
});
