import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EDIT_SENTENCES, generateProject } from '../../bench/generate.js';
import { loadConfig } from '../../src/config/load.js';
import { inLang } from '../../src/i18n/text.js';
import { startPreviewServer, type PreviewServer } from '../../src/preview/server.js';
import { REPO, tempDir } from '../helpers/cli.js';
import { mtimes } from '../helpers/project.js';

/**
 * The preview keeps the build's cache in memory and, after the first build, looks only at
 * the releases the watcher saw change (what makes a save reload fast with hundreds of
 * releases). A build that failed records nothing, so what changed before it must still be
 * looked at by the next one: otherwise fixing another release would hide the broken one.
 */

const DEADLINE_MS = 30_000;

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + DEADLINE_MS;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

let server: PreviewServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('aimq release preview, rebuilding from what the watcher saw', () => {
  it('keeps showing a broken release while another one is edited, until it is fixed', async () => {
    const dir = tempDir('aimq-preview-session-');
    const { folders } = generateProject(dir, 3, { configFile: join(REPO, 'aimq.config.yaml') });
    const [a, b] = [folders[0]!, folders[1]!];
    const logs: string[] = [];
    server = await startPreviewServer({
      config: loadConfig(dir, dir),
      cwd: dir,
      releases: [],
      port: 0,
      host: '127.0.0.1',
      log: (line) => logs.push(inLang(line, 'en')),
    });
    const page = (id: string) => fetch(new URL(`fr/${id}/`, server!.url));
    expect((await page(a)).status).toBe(200);

    const aFile = join(dir, 'releases', a, 'fr.md');
    const original = readFileSync(aFile, 'utf8');
    writeFileSync(aFile, original.replace(/^title: .*$/m, 'title: [not closed'));
    await until('the broken release to show its problem', async () =>
      (await page(a)).status === 500 ? true : undefined,
    );
    const failures = () => logs.filter((l) => l.startsWith('Build failed')).length;
    const failed = failures();

    // Another release changes: the next build must look at the broken one again.
    const sentence = EDIT_SENTENCES[0]!;
    appendFileSync(join(dir, 'releases', b, 'fr.md'), `\n${sentence}\n`);
    await until('a build after the second edit', async () =>
      logs.length && /^(Build failed|Rebuilt)/.test(logs.at(-1)!) && failures() > failed ? true : undefined,
    );
    expect((await page(a)).status).toBe(500);

    writeFileSync(aFile, original);
    await until('the fixed release', async () => ((await page(a)).status === 200 ? true : undefined));
    expect(await (await page(b)).text()).toContain(sentence.replace(/'/g, '’').slice(0, 30));
  }, 90_000);

  it('shows an edit to one release among many, and leaves the other releases’ files alone', async () => {
    const dir = tempDir('aimq-preview-session-');
    const { folders } = generateProject(dir, 12, { configFile: join(REPO, 'aimq.config.yaml') });
    const logs: string[] = [];
    server = await startPreviewServer({
      config: loadConfig(dir, dir),
      cwd: dir,
      releases: [],
      port: 0,
      host: '127.0.0.1',
      log: (line) => logs.push(inLang(line, 'en')),
    });
    const target = folders[7]!;
    const sentence = EDIT_SENTENCES[1]!;
    const out = join(dir, '.aimq', 'preview');
    // Each release's own files: its pages' folders and its e-mail copies.
    const ownFiles = (times: Record<string, number>, id: string) =>
      Object.entries(times).filter(([f]) => f.includes(`/${id}/`) || f.startsWith(`email/${id}`));
    const before = mtimes(out);
    const built = logs.length;
    appendFileSync(join(dir, 'releases', target, 'fr.md'), `\n${sentence}\n`);
    const line = await until('the rebuild', async () =>
      logs.slice(built).find((l) => l.startsWith('Rebuilt')),
    );
    expect(await (await fetch(new URL(`fr/${target}/`, server.url))).text()).toContain(
      sentence.replace(/'/g, '’').slice(0, 30),
    );
    // The edited release's page, its e-mail copies and the site's lists: nothing of the other eleven.
    const after = mtimes(out);
    // Every page is still there: the years' and topics' pages of the releases not looked at too.
    expect(Object.keys(after)).toEqual(Object.keys(before));
    expect(Object.keys(after).filter((f) => f.startsWith('fr/sujets/')).length).toBeGreaterThan(0);
    for (const id of folders.filter((f) => f !== target)) {
      expect(ownFiles(before, id).length).toBeGreaterThan(0);
      expect(ownFiles(after, id)).toEqual(ownFiles(before, id));
    }
    expect(ownFiles(after, target)).not.toEqual(ownFiles(before, target));
    expect(line).toContain('12 releases');
  }, 90_000);

  it('rebuilds every release when a template override appears, and the config is read again', async () => {
    const dir = tempDir('aimq-preview-session-');
    const { folders } = generateProject(dir, 4, { configFile: join(REPO, 'aimq.config.yaml') });
    server = await startPreviewServer({
      config: loadConfig(dir, dir),
      cwd: dir,
      releases: [],
      port: 0,
      host: '127.0.0.1',
      log: () => {},
    });
    const text = async (id: string) => (await fetch(new URL(`fr/${id}/`, server!.url))).text();
    // A project that had no templates/ folder: the watcher sees the folder appear.
    mkdirSync(join(dir, 'templates', 'web'), { recursive: true });
    const layout = readFileSync(join(REPO, 'templates', 'web', 'layout.liquid'), 'utf8');
    writeFileSync(
      join(dir, 'templates', 'web', 'layout.liquid'),
      layout.replace('<footer class="site-footer">', '<footer class="site-footer"><p>Gabarit maison</p>'),
    );
    for (const id of folders)
      await until(`${id} in the new layout`, async () =>
        (await text(id)).includes('Gabarit maison') ? true : undefined,
      );
    const config = join(dir, 'aimq.config.yaml');
    writeFileSync(
      config,
      readFileSync(config, 'utf8').replace(
        'fr: Association des ingénieurs municipaux du Québec',
        'fr: Ordre fictif des essais',
      ),
    );
    await until('the new organisation name', async () =>
      (await text(folders[2]!)).includes('Ordre fictif des essais') ? true : undefined,
    );
  }, 90_000);
});
