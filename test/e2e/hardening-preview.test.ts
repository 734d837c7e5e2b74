import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, sampleProject } from '../helpers/cli.js';
import { startAimq, type RunningCli } from '../helpers/cli-async.js';

/**
 * `aimq release preview` while an editor saves by writing a new file and renaming it over
 * the old one (JetBrains safe write, Emacs, gedit): each save must rebuild, also after a
 * save that broke the page (#11.17). Nothing sleeps a fixed time: every wait polls.
 */

const ID = '2020-01-13-mission-aimq';
const FR_PAGE = `fr/${ID}/`;
const DEADLINE_MS = 30_000;

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = Date.now() + DEADLINE_MS;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ''}`,
      );
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The reload events the server sends, counted from an open Server-Sent Events stream. */
async function openReloads(base: string): Promise<{ count: () => number; close: () => void }> {
  const abort = new AbortController();
  const res = await fetch(new URL('_preview/events', base), { signal: abort.signal });
  let text = '';
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  void (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        text += decoder.decode(value, { stream: true });
      }
    } catch {
      // Aborted by close().
    }
  })();
  await until('the hello event', () => (text.includes('event: hello') ? true : undefined));
  return { count: () => text.split('event: reload').length - 1, close: () => abort.abort() };
}

async function page(base: string): Promise<{ status: number; body: string }> {
  const res = await fetch(new URL(FR_PAGE, base));
  return { status: res.status, body: await res.text() };
}

describe('aimq release preview, saves by rename (#11.17)', () => {
  let dir: string;
  let cli: RunningCli;
  let base: string;
  let frMd: string;
  let original: string;
  let reloads: Awaited<ReturnType<typeof openReloads>>;

  beforeAll(async () => {
    if (!existsSync(join(REPO, 'dist', 'preview', 'server.js')))
      throw new Error('dist/ is not built: run npm run build first');
    dir = sampleProject();
    frMd = join(dir, 'releases', ID, 'fr.md');
    original = readFileSync(frMd, 'utf8');
    cli = startAimq(['release', 'preview', '--port', '0'], dir);
    base = await until('the URL on standard output', () => {
      if (cli.child.exitCode !== null) throw new Error(`the preview exited: ${cli.stderr()}`);
      const out = cli.stdout();
      return out.includes('\n') ? out.slice(0, out.indexOf('\n')) : undefined;
    });
    reloads = await openReloads(base);
  });

  afterAll(() => {
    reloads?.close();
    if (cli && cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGKILL');
  });

  /** Saves as a safe-writing editor does: the whole text to a new file, renamed over the old one. */
  const saveByRename = (text: string, tmpName: string) => {
    const tmp = join(dir, 'releases', ID, tmpName);
    writeFileSync(tmp, text);
    renameSync(tmp, frMd);
  };

  it('rebuilds and reloads after each of several saves by rename, a broken one and its fix included', async () => {
    expect(original).toContain('\nplace: Montréal\n');
    const steps = [
      { text: 'Première sauvegarde par renommage.', broken: false },
      { text: 'Deuxième sauvegarde par renommage.', broken: false },
      { text: 'Sauvegarde cassée.', broken: true },
      { text: 'Troisième sauvegarde, qui répare.', broken: false },
      { text: 'Quatrième sauvegarde par renommage.', broken: false },
    ];
    for (const [i, step] of steps.entries()) {
      const before = reloads.count();
      let text = `${original}\n${step.text}\n`;
      if (step.broken) text = text.replace('\nplace: Montréal\n', '\nplace: Montréal: centre-ville\n');
      // Emacs and gedit keep a temporary name of their own; JetBrains uses ___jb_tmp___.
      saveByRename(text, i % 2 ? `fr.md___jb_tmp___` : `.goutputstream-${i}`);
      await until(`a reload after save ${i + 1}`, () => (reloads.count() > before ? true : undefined));
      const p = await until(`the page of save ${i + 1}`, async () => {
        const got = await page(base);
        if (step.broken) return got.status === 500 && got.body.includes('fr.md:5:8') ? got : undefined;
        return got.status === 200 && got.body.includes(step.text) ? got : undefined;
      });
      expect(p.status, `save ${i + 1}`).toBe(step.broken ? 500 : 200);
    }
    expect(cli.child.exitCode).toBeNull();
  });

  it('says goodbye on Ctrl-C in the words of a preview, not of a send, and exits 0', async () => {
    cli.child.kill('SIGINT');
    const done = await cli.done;
    expect(done.status).toBe(0);
    expect(done.stderr).not.toContain('in flight');
    expect(done.stderr).toContain('SIGINT: stopping the preview');
  });
});
