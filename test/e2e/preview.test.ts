import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, sampleProject, tempDir } from '../helpers/cli.js';
import { startAimq, type RunningCli } from '../helpers/cli-async.js';
import { nuCheck } from '../helpers/vnu.js';

/**
 * `aimq release preview`, end to end: the real bin/aimq.js (dist/, so `npm run build`
 * first) spawned in a temporary project, asked over HTTP with Node's fetch (and raw
 * node:http requests where fetch would normalize the path), its sources edited while it
 * runs. Nothing sleeps a fixed time: every wait polls with a deadline.
 */

const ID = '2020-01-13-mission-aimq';
const FR_PAGE = `fr/${ID}/`;
const EMAIL = `email/${ID}`;
const FR_TITLE = 'L’AIMQ actualise sa mission et ses orientations stratégiques';
const EN_TITLE = 'AIMQ updates its mission and strategic directions';
const OLD_SENTENCE = 'Être la référence de la profession d’ingénieur municipal au Québec.';
const NEW_SENTENCE = 'Une phrase toute neuve pour vérifier le rechargement en direct.';
const EMBARGO_ID = '2099-06-01-projet-secret';
const DEADLINE_MS = 30_000;

const EMBARGOED_FR = `---
title: Un projet encore secret
date: 2099-06-01
place: Montréal
embargo: 2099-06-01T10:00:00-04:00
contacts:
  - name: Danielle Boucher
    role: conseillère en communication
    email: communications@aimq.net
---
Un paragraphe sous embargo, visible seulement dans l’aperçu.
`;

interface Response {
  status: number;
  type: string;
  location: string | null;
  body: string;
}

/** Polls `probe` until it returns something other than undefined, or fails at the deadline. */
async function until<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = DEADLINE_MS,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
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

/** Starts the preview in `dir` and resolves with the URL it prints on its first stdout line. */
async function startPreview(dir: string): Promise<{ cli: RunningCli; base: string }> {
  const cli = startAimq(['release', 'preview', '--port', '0'], dir);
  const base = await until(
    'the URL on standard output',
    () => {
      if (cli.child.exitCode !== null)
        throw new Error(`the preview exited (${cli.child.exitCode}): ${cli.stderr()}`);
      const out = cli.stdout();
      return out.includes('\n') ? out.slice(0, out.indexOf('\n')) : undefined;
    },
    60_000,
  );
  return { cli, base };
}

/** Reads an event stream from a fetch body, as EventSource would, keeping every event. */
async function openEvents(
  base: string,
): Promise<{ events: { event: string; data: string }[]; close: () => void; status: number; type: string }> {
  const abort = new AbortController();
  const res = await fetch(new URL('_preview/events', base), { signal: abort.signal });
  const events: { event: string; data: string }[] = [];
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  void (async () => {
    let buffer = '';
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let event = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('event:')) event = line.slice(6).trim();
            else if (line.startsWith('data:')) data.push(line.slice(5).trim());
          }
          if (data.length) events.push({ event, data: data.join('\n') });
        }
      }
    } catch {
      // Aborted by close().
    }
  })();
  return {
    events,
    close: () => abort.abort(),
    status: res.status,
    type: res.headers.get('content-type') ?? '',
  };
}

async function get(base: string, path: string): Promise<Response> {
  const res = await fetch(new URL(path, base), { redirect: 'manual' });
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    location: res.headers.get('location'),
    body: await res.text(),
  };
}

/** A GET with the path sent exactly as written: fetch and URL would resolve `..` and `%2e%2e` first. */
function rawGet(base: string, path: string): Promise<Response> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          type: String(res.headers['content-type'] ?? ''),
          location: res.headers.location ?? null,
          body,
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/** The href of every link of a page, entities decoded. */
function hrefs(html: string): string[] {
  return [...html.matchAll(/<a\b[^>]*\bhref="([^"]*)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
}

function iframeOf(html: string): { src: string; style: string } | undefined {
  const tag = /<iframe\b[^>]*>/.exec(html)?.[0];
  if (!tag) return undefined;
  return {
    src: (/\bsrc="([^"]*)"/.exec(tag)?.[1] ?? '').replace(/&amp;/g, '&'),
    style: /\bstyle="([^"]*)"/.exec(tag)?.[1] ?? '',
  };
}

/** Writes pages to files and runs the Nu Html Checker on them: the errors. */
function htmlErrors(pages: Record<string, string>): { url: string; message: string }[] {
  const dir = tempDir('aimq-preview-html-');
  const files = Object.entries(pages).map(([name, html]) => {
    const file = join(dir, `${name}.html`);
    writeFileSync(file, html);
    return file;
  });
  return nuCheck(files)
    .filter((m) => m.type === 'error')
    .map((m) => ({ url: m.url.slice(m.url.lastIndexOf('/') + 1), message: m.message }));
}

describe('aimq release preview', () => {
  let dir: string;
  let cli: RunningCli;
  let base: string;
  let frMd: string;
  let original: string;
  let configText: string;
  let events: Awaited<ReturnType<typeof openEvents>> | undefined;
  /** Pages the server produced, checked with the Nu Html Checker at the end (it blocks this process a few seconds). */
  const served: Record<string, string> = {};

  beforeAll(async () => {
    if (!existsSync(join(REPO, 'dist', 'preview', 'server.js')))
      throw new Error('dist/ is not built: run npm run build first');
    dir = sampleProject();
    mkdirSync(join(dir, 'releases', EMBARGO_ID));
    writeFileSync(join(dir, 'releases', EMBARGO_ID, 'fr.md'), EMBARGOED_FR);
    frMd = join(dir, 'releases', ID, 'fr.md');
    original = readFileSync(frMd, 'utf8');
    configText = readFileSync(join(dir, 'aimq.config.yaml'), 'utf8');
    ({ cli, base } = await startPreview(dir));
  });

  afterAll(() => {
    events?.close();
    if (cli && cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGKILL');
  });

  it('prints the URL of a loopback server on a free port as its first line', () => {
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(Number(new URL(base).port)).toBeGreaterThan(0);
    expect(cli.stderr()).toMatch(/Built \.aimq\/preview\/ in \d+ ms: \d+ files? written/);
  });

  it('serves the newsroom, the French page with the reload script, and the assets with their types', async () => {
    const chooser = await get(base, '/');
    expect(chooser.status).toBe(200);
    expect(chooser.type).toBe('text/html; charset=utf-8');
    expect(chooser.body).toContain('href="fr/"');

    const page = await get(base, FR_PAGE);
    expect(page.status).toBe(200);
    expect(page.type).toBe('text/html; charset=utf-8');
    expect(page.body).toContain(FR_TITLE);
    expect(page.body).toMatch(
      /<script data-aimq-preview-reload="">[^<]*\/_preview\/events[^<]*<\/script>\s*<\/body>/,
    );
    // Only the served copy has it: the built file on disk does not.
    const onDisk = readFileSync(join(dir, '.aimq', 'preview', FR_PAGE, 'index.html'), 'utf8');
    expect(onDisk).toContain(FR_TITLE);
    expect(onDisk).not.toContain('_preview/events');

    const en = await get(base, '/en/');
    expect(en.status).toBe(200);
    expect(en.body).toContain(EN_TITLE);

    const bare = await get(base, `/fr/${ID}`);
    expect(bare.status).toBe(301);
    expect(bare.location).toBe(`/fr/${ID}/`);

    const css = await get(base, '/assets/style.css');
    expect(css.status).toBe(200);
    expect(css.type).toBe('text/css; charset=utf-8');
    expect((await get(base, '/sitemap.xml')).type).toBe('application/xml; charset=utf-8');
    expect((await get(base, '/fr/feed.xml')).type).toBe('application/xml; charset=utf-8');

    const missing = await get(base, '/fr/pas-de-tel-communique/');
    expect(missing.status).toBe(404);
  });

  it('serves every e-mail edition, HTML and plain text, and the dark scheme on request', async () => {
    const html = await get(base, `/${EMAIL}/bilingual.html`);
    expect(html.status).toBe(200);
    expect(html.type).toBe('text/html; charset=utf-8');
    expect(html.body).toContain(FR_TITLE);
    expect(html.body).toContain(EN_TITLE);
    expect(html.body).toContain('/_preview/events');
    expect(html.body).toMatch(/@media\s*\(\s*prefers-color-scheme\s*:\s*dark\s*\)/);

    const text = await get(base, `/${EMAIL}/bilingual.txt`);
    expect(text.status).toBe(200);
    expect(text.type).toBe('text/plain; charset=utf-8');
    expect(text.body).toContain(FR_TITLE);
    expect(text.body).toContain(EN_TITLE);
    expect(text.body).not.toContain('<script');

    for (const edition of ['fr', 'en']) {
      expect((await get(base, `/${EMAIL}/${edition}.html`)).status).toBe(200);
      expect((await get(base, `/${EMAIL}/${edition}.txt`)).status).toBe(200);
    }

    // Dark: the dark rules apply whatever the computer's setting, on a dark background.
    const dark = await get(base, `/${EMAIL}/bilingual.html?scheme=dark`);
    expect(dark.status).toBe(200);
    const darkRules = html.body.match(/@media\s*\(\s*prefers-color-scheme\s*:\s*dark\s*\)\s*\{/g) ?? [];
    expect(darkRules.length).toBeGreaterThan(0);
    expect(dark.body).not.toMatch(/prefers-color-scheme\s*:\s*dark/);
    expect(dark.body.match(/@media \(min-width: 0px\) \{/g)?.length).toBe(darkRules.length);
    expect(dark.body).toContain('background-color:#141414 !important');
    expect(dark.body).toContain('color-scheme:dark');
  });

  it('has a toolbar page per release: both languages, the three editions, 600 and 375 px, dark, text and MJML', async () => {
    const index = await get(base, '/_preview/');
    expect(index.status).toBe(200);
    expect(hrefs(index.body)).toContain(`/_preview/${ID}/`);

    const toolbar = await get(base, `/_preview/${ID}/`);
    expect(toolbar.status).toBe(200);
    expect(toolbar.type).toBe('text/html; charset=utf-8');
    expect(toolbar.body).toMatch(/^<!DOCTYPE html>\s*<html lang="en">/);
    const links = hrefs(toolbar.body).filter((h) => h.startsWith(`/_preview/${ID}/?`));
    const find = (want: Record<string, string>) =>
      links.find((h) => {
        const q = new URL(h, base).searchParams;
        return Object.entries(want).every(([k, v]) => q.get(k) === v);
      });
    const wanted: Record<string, string>[] = [
      { show: 'page', lang: 'fr' },
      { show: 'page', lang: 'en' },
      { show: 'email', edition: 'fr' },
      { show: 'email', edition: 'en' },
      { show: 'email', edition: 'bilingual' },
      { width: '600' },
      { width: '375' },
      { scheme: 'dark' },
      { show: 'email', format: 'text' },
      { show: 'email', format: 'mjml' },
    ];
    for (const want of wanted) expect(find(want), JSON.stringify(want)).toBeDefined();

    // By default, the French page; the frame shows what the links ask for.
    expect(iframeOf(toolbar.body)?.src).toBe(`/${FR_PAGE}?scheme=light`);
    const en = await get(base, find({ show: 'page', lang: 'en' })!);
    expect(iframeOf(en.body)?.src).toMatch(/^\/en\/[^?]+\/\?scheme=light$/);

    const bilingual = await get(base, find({ show: 'email', edition: 'bilingual' })!);
    expect(iframeOf(bilingual.body)).toEqual({
      src: `/${EMAIL}/bilingual.html?scheme=light`,
      style: 'width: 600px',
    });

    const narrowLink = hrefs(bilingual.body).find(
      (h) => new URL(h, base).searchParams.get('width') === '375',
    )!;
    const narrow = await get(base, narrowLink);
    expect(iframeOf(narrow.body)).toEqual({
      src: `/${EMAIL}/bilingual.html?scheme=light`,
      style: 'width: 375px',
    });

    const darkLink = hrefs(narrow.body).find((h) => new URL(h, base).searchParams.get('scheme') === 'dark')!;
    const dark = await get(base, darkLink);
    expect(iframeOf(dark.body)).toEqual({
      src: `/${EMAIL}/bilingual.html?scheme=dark`,
      style: 'width: 375px',
    });

    const textLink = hrefs(bilingual.body).find(
      (h) => new URL(h, base).searchParams.get('format') === 'text',
    )!;
    const text = await get(base, textLink);
    expect(iframeOf(text.body)?.src).toBe(`/${EMAIL}/bilingual.txt`);

    // What every frame points at is served.
    for (const page of [toolbar, en, bilingual, narrow, dark, text])
      expect((await get(base, iframeOf(page.body)!.src)).status).toBe(200);

    Object.assign(served, {
      index: index.body,
      toolbar: toolbar.body,
      'email-dark': dark.body,
      text: text.body,
      'fr-dark': (await get(base, `/${FR_PAGE}?scheme=dark`)).body,
    });
  });

  it('shows the MJML source of an edition, rendered from the release and escaped', async () => {
    const toolbar = await get(base, `/_preview/${ID}/?show=email&edition=fr`);
    const link = hrefs(toolbar.body).find((h) => new URL(h, base).searchParams.get('format') === 'mjml')!;
    expect(new URL(link, base).searchParams.get('edition')).toBe('fr');
    const mjml = await get(base, link);
    expect(mjml.status).toBe(200);
    expect(mjml.body).toMatch(/<pre class="source">&lt;mjml/);
    expect(mjml.body).not.toMatch(/<mjml\b/);
    expect(mjml.body).toContain('&lt;mj-body');
    expect(mjml.body).toContain('/mjml&gt;');
    served.mjml = mjml.body;
  });

  it('refuses every path outside the output folder, encoded or through a symlink', async () => {
    const out = join(dir, '.aimq', 'preview');
    symlinkSync(dir, join(out, 'leak'));
    symlinkSync(join(dir, 'aimq.config.yaml'), join(out, 'config.txt'));
    const attempts = [
      '/../aimq.config.yaml',
      '/%2e%2e/aimq.config.yaml',
      '/%2E%2E/aimq.config.yaml',
      '/fr/..%2f..%2faimq.config.yaml',
      '/fr/%2e%2e%2f%2e%2e%2faimq.config.yaml',
      '/..%5caimq.config.yaml',
      '/fr/../../aimq.config.yaml',
      '/.%2e/.%2e/aimq.config.yaml',
      `/${encodeURIComponent(join(dir, 'aimq.config.yaml'))}`,
      `/${join(dir, 'aimq.config.yaml')}`,
      '/leak/aimq.config.yaml',
      '/config.txt',
      '/_preview/../aimq.config.yaml',
      '/email/%2e%2e/%2e%2e/aimq.config.yaml',
    ];
    for (const path of attempts) {
      const res = await rawGet(base, path);
      expect(res.status, path).not.toBe(200);
      expect([403, 404], path).toContain(res.status);
      expect(res.body, path).not.toContain(configText.slice(0, 80));
      expect(res.body, path).not.toContain('boilerplate:');
    }
    // And a page under a normal path still is served.
    expect((await rawGet(base, `/${FR_PAGE}`)).status).toBe(200);
  });

  it('refuses requests for another host name (DNS rebinding)', async () => {
    const url = new URL(base);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        { host: url.hostname, port: url.port, path: '/', headers: { Host: `attacker.example:${url.port}` } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
  });

  it('serves an embargoed release, marked as such, in the page, the newsroom and the toolbar', async () => {
    const page = await get(base, `/fr/${EMBARGO_ID}/`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('Un projet encore secret');
    expect(page.body).toContain('SOUS EMBARGO');
    expect(page.body).toContain('noindex');

    const newsroom = await get(base, '/fr/');
    expect(newsroom.body).toContain('Un projet encore secret');
    expect(newsroom.body).toContain('SOUS EMBARGO');

    const index = await get(base, '/_preview/');
    expect(index.body).toMatch(new RegExp(`${EMBARGO_ID}</a> <span class="embargo">`));
    expect(index.body).not.toMatch(new RegExp(`${ID}</a> <span class="embargo">`));
    expect((await get(base, `/${EMAIL.replace(ID, EMBARGO_ID)}/fr.html`)).status).toBe(200);
  });

  it('rebuilds on an edit and tells open pages to reload through Server-Sent Events', async () => {
    events = await openEvents(base);
    expect(events.status).toBe(200);
    expect(events.type).toBe('text/event-stream; charset=utf-8');
    const hello = await until('the hello event', () => events!.events.find((e) => e.event === 'hello'));
    const seen = events.events.length;

    expect(original).toContain("Être la référence de la profession d'ingénieur municipal au Québec.");
    writeFileSync(
      frMd,
      original.replace("Être la référence de la profession d'ingénieur municipal au Québec.", NEW_SENTENCE),
    );

    const reload = await until('a reload event', () =>
      events!.events.slice(seen).find((e) => e.event === 'reload'),
    );
    expect(Number(reload.data)).toBeGreaterThan(Number(hello.data));
    const page = await until('the new sentence in the page', async () => {
      const p = await get(base, FR_PAGE);
      return p.body.includes(NEW_SENTENCE) ? p : undefined;
    });
    expect(page.status).toBe(200);
    expect(page.body).not.toContain(OLD_SENTENCE);
    // The page knows the version it shows, so it does not reload again when it reconnects.
    expect(Number(/var v=(\d+);/.exec(page.body)?.[1])).toBeGreaterThanOrEqual(Number(reload.data));
    expect((await get(base, `/${EMAIL}/fr.txt`)).body).toContain(NEW_SENTENCE);
    expect(cli.stderr()).toMatch(
      new RegExp(
        `Rebuilt \\.aimq/preview/ after a change to releases/${ID}/fr\\.md in \\d+ ms: [1-9]\\d* files? written`,
      ),
    );
  });

  it('shows the build errors on every page while the YAML is broken, and the site again once fixed', async () => {
    const fixed = readFileSync(frMd, 'utf8');
    expect(fixed).toContain('\nplace: Montréal\n');
    const seen = events!.events.length;
    writeFileSync(frMd, fixed.replace('\nplace: Montréal\n', '\nplace: Montréal: centre-ville\n'));
    await until('a reload event after the break', () =>
      events!.events.slice(seen).find((e) => e.event === 'reload'),
    );

    const broken = await until('the error page', async () => {
      const p = await get(base, FR_PAGE);
      return p.body.includes('fr.md:5:8') ? p : undefined;
    });
    expect(broken.status).toBe(500);
    expect(broken.type).toBe('text/html; charset=utf-8');
    expect(broken.body).toContain(`releases/${ID}/fr.md:5:8`);
    expect(broken.body).toContain('[AIMQ-YAML]');
    expect(broken.body).toContain('hint: put the whole value in double quotes');
    expect(broken.body).toContain('/_preview/events');
    expect(broken.body).not.toContain(FR_TITLE);
    for (const path of ['/', `/_preview/${ID}/`, `/${EMAIL}/bilingual.html`]) {
      const other = await get(base, path);
      expect(other.status, path).toBe(500);
      expect(other.body, path).toContain(`fr.md:5:8`);
    }
    served.error = broken.body;
    expect(cli.child.exitCode).toBeNull();
    expect(cli.stderr()).toContain(`releases/${ID}/fr.md:5:8 error:`);

    const seenBroken = events!.events.length;
    writeFileSync(frMd, fixed);
    await until('a reload event after the fix', () =>
      events!.events.slice(seenBroken).find((e) => e.event === 'reload'),
    );
    const back = await until('the page again', async () => {
      const p = await get(base, FR_PAGE);
      return p.status === 200 ? p : undefined;
    });
    expect(back.body).toContain(NEW_SENTENCE);
    expect(back.body).not.toContain('[AIMQ-YAML]');
    expect((await get(base, `/_preview/${ID}/`)).status).toBe(200);
  });

  it('rebuilds when a template override is added, and pages reload', async () => {
    const seen = events!.events.length;
    const css = readFileSync(join(REPO, 'templates', 'web', 'assets', 'style.css'), 'utf8');
    mkdirSync(join(dir, 'templates', 'web', 'assets'), { recursive: true });
    writeFileSync(join(dir, 'templates', 'web', 'assets', 'style.css'), `${css}\n/* override du projet */\n`);
    await until('a reload event after the override', () =>
      events!.events.slice(seen).find((e) => e.event === 'reload'),
    );
    await until('the overriding stylesheet', async () =>
      (await get(base, '/assets/style.css')).body.includes('/* override du projet */') ? true : undefined,
    );
  });

  it('its own pages, and the site pages it changes, are valid HTML', async () => {
    served['not-found'] = (await get(base, '/nulle-part/')).body;
    served['fr-page'] = (await get(base, FR_PAGE)).body;
    expect(Object.keys(served).sort()).toEqual([
      'email-dark',
      'error',
      'fr-dark',
      'fr-page',
      'index',
      'mjml',
      'not-found',
      'text',
      'toolbar',
    ]);
    expect(htmlErrors(served)).toEqual([]);
  });

  it('stops and exits 0 on SIGTERM, and on SIGINT', async () => {
    const other = await startPreview(sampleProject());
    expect((await get(other.base, FR_PAGE)).status).toBe(200);
    const streamOfOther = await openEvents(other.base);

    other.cli.child.kill('SIGINT');
    cli.child.kill('SIGTERM');
    const [a, b] = await Promise.all([other.cli.done, cli.done]);
    streamOfOther.close();
    expect({ status: a.status, signal: a.signal }).toEqual({ status: 0, signal: null });
    expect({ status: b.status, signal: b.signal }).toEqual({ status: 0, signal: null });
    await expect(fetch(base)).rejects.toThrow();
  });
});
