import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import mjml2html from 'mjml';
import { beforeAll, describe, expect, it } from 'vitest';
import { aimq, type CliResult, REPO, sampleProject } from '../helpers/cli.js';
import { aimqIn } from '../helpers/cli-in.js';
import { mimeShape, mimeTree, verifyDkim, visibleText } from '../helpers/email.js';
import {
  BASE_URL,
  lineOf,
  listFiles,
  readText,
  SAMPLE_DIR,
  SAMPLE_EN,
  SAMPLE_FR,
  SAMPLE_ID,
  tagsOf,
  TINY_PNG,
  writeFiles,
} from '../helpers/project.js';
import type { JsonDiagnostic as Diag } from '../helpers/diagnostic.js';

/**
 * `aimq release export`: every format and edition of the sample release, run through the
 * real bin/aimq.js, with the messages read back by mailparser and by a raw MIME reader.
 */

const NOW = '2026-11-28T12:00:00-05:00';
const NOW_UTC = '2026-11-28T17:00:00.000Z';
const EDITIONS = ['fr', 'en', 'bilingual'] as const;
const FORMATS = ['eml', 'html', 'txt', 'mjml', 'json'] as const;
type EditionName = (typeof EDITIONS)[number];
type FormatName = (typeof FORMATS)[number];

const FR_TITLE = 'L’AIMQ actualise sa mission et ses orientations stratégiques';
const EN_TITLE = 'AIMQ updates its mission and strategic directions';
const SUBJECTS: Record<EditionName, string> = {
  fr: FR_TITLE,
  en: EN_TITLE,
  bilingual: `${FR_TITLE} / ${EN_TITLE}`,
};
const CONTENT_LANGUAGE: Record<EditionName, string> = { fr: 'fr-CA', en: 'en-CA', bilingual: 'fr-CA, en-CA' };
const HTML_LANG: Record<EditionName, string> = { fr: 'fr-CA', en: 'en-CA', bilingual: 'fr-CA' };
const PART_LANGS: Record<EditionName, string[]> = {
  fr: ['fr-CA'],
  en: ['en-CA'],
  bilingual: ['fr-CA', 'en-CA'],
};
const viewInBrowser = (edition: string) => `${BASE_URL}/email/${SAMPLE_ID}/${edition}.html`;
const ASSET_URL = `${BASE_URL}/assets/${SAMPLE_ID}/photo.png`;
const UNSUBSCRIBE_URL = 'https://www.aimq.net/desabonnement';
const GMAIL_CLIP_BYTES = 102 * 1024;
const NBSP = '\u00A0';
const NNBSP = '\u202F';
const CONFIG = 'aimq.config.yaml';
const POSTAL = /postalAddress: "([^"]+)"/.exec(readFileSync(join(REPO, CONFIG), 'utf8'))![1]!;

/** What must hold for every run: a stack trace is never acceptable, whatever the outcome. */
function checked(r: CliResult, args: string[]): CliResult {
  expect(r.stderr, `stack trace on stderr of aimq ${args.join(' ')}`).not.toMatch(/^ {4}at /m);
  expect(r.stderr).not.toMatch(/internal error/);
  return r;
}

/** The CLI in this process (see aimqIn): these tests are about what an export writes. */
async function cli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return checked(await aimqIn(args, cwd, env), args);
}

/** The real bin/aimq.js: a message written to the process's standard output, and one test per exit code. */
function cliBin(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): CliResult {
  return checked(aimq(args, cwd, env), args);
}

function exportArgs(
  format: FormatName,
  edition: string | undefined,
  extra: string[] = [],
  dir = SAMPLE_DIR,
): string[] {
  return [
    'release',
    'export',
    dir,
    '--format',
    format,
    ...(edition ? ['--edition', edition] : []),
    '--now',
    NOW,
    ...extra,
  ];
}

let outCounter = 0;
/** Exports into a fresh file with --out and returns its bytes (exit 0 expected). */
async function exportFile(
  project: string,
  format: FormatName,
  edition: string | undefined,
  extra: string[] = [],
  env: NodeJS.ProcessEnv = {},
): Promise<Buffer> {
  const rel = `exports/${++outCounter}.${format}`;
  const r = await cli(exportArgs(format, edition, ['--out', rel, ...extra]), project, env);
  expect(r.status, r.stderr).toBe(0);
  expect(r.stdout).toBe(`${rel}\n`);
  return readFileSync(join(project, rel));
}

/** Replaces text in a project file; fails loudly when the text to replace is not there. */
function replaceIn(root: string, rel: string, from: string | RegExp, to: string): void {
  const text = readText(root, rel);
  const next = text.replace(from, to);
  if (next === text) throw new Error(`${String(from)} not found in ${rel}`);
  writeFileSync(join(root, rel), next);
}

/** Adds lines under email.unsubscribe / email in the sample config. */
function addToUnsubscribe(root: string, lines: string): void {
  replaceIn(
    root,
    CONFIG,
    '  unsubscribe:\n    mailto: communications@aimq.net',
    `  unsubscribe:\n    mailto: communications@aimq.net\n${lines}`,
  );
}
function removeEmailSection(root: string): void {
  replaceIn(root, CONFIG, /\nemail:\n[\s\S]*$/, '\n');
}

/** The top-level header fields of a raw message, by lower-case name. */
function headersOf(raw: Buffer): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const h of mimeTree(raw).headers) out.set(h.name, [...(out.get(h.name) ?? []), h.value]);
  return out;
}

/** The `lang` attribute closest before `needle` in `html`. */
function langBefore(html: string, needle: string): string | undefined {
  const i = html.indexOf(needle);
  expect(i, `"${needle}" in the HTML`).toBeGreaterThanOrEqual(0);
  return [...html.slice(0, i).matchAll(/\slang="([^"]+)"/g)].at(-1)?.[1];
}

/** A copy of the sample with an image: photo.png in the folder, image: in both editions. */
function sampleWithImage(): string {
  const project = sampleProject();
  writeFiles(project, { [`${SAMPLE_DIR}/photo.png`]: TINY_PNG });
  replaceIn(
    project,
    SAMPLE_FR,
    'tags: [gouvernance, mission]\n',
    'tags: [gouvernance, mission]\nimage: { src: photo.png, alt: "Le conseil d’administration réuni" }\n',
  );
  replaceIn(
    project,
    SAMPLE_EN,
    'place: Montreal\n',
    'place: Montreal\nimage: { alt: The board of directors in session }\n',
  );
  return project;
}

describe('release export: every format × edition', () => {
  let project: string;
  beforeAll(async () => {
    project = sampleProject();
  });

  describe.each(FORMATS)('--format %s', (format) => {
    it.each(EDITIONS)(
      '--edition %s: exits 0 and writes to stdout; --out dir/ writes <dir>/<release>.<edition>.<format> and prints its path',
      async (edition) => {
        const r = await cli(exportArgs(format, edition), project);
        expect(r.status, r.stderr).toBe(0);
        expect(r.stdout.length).toBeGreaterThan(500);
        const o = await cli(exportArgs(format, edition, ['--out', 'out/']), project);
        expect(o.status, o.stderr).toBe(0);
        const rel = `out/${SAMPLE_ID}.${edition}.${format}`;
        expect(o.stdout).toBe(`${rel}\n`);
        expect(existsSync(join(project, rel))).toBe(true);
        // The file holds exactly what standard output received.
        expect(readFileSync(join(project, rel), 'utf8')).toBe(r.stdout);
      },
    );
  });

  it('the binary writes the same bytes to its standard output as the in-process CLI, for a message', async () => {
    const inProcess = await aimqIn(exportArgs('eml', 'bilingual'), project);
    const spawned = cliBin(exportArgs('eml', 'bilingual'), project);
    expect(spawned.status, spawned.stderr).toBe(0);
    expect(spawned.stdout).toBe(inProcess.stdout);
    expect(spawned.stderr).toBe(inProcess.stderr);
  });

  it('without --edition, a release in two languages exports the bilingual edition', async () => {
    const r = await cli(exportArgs('txt', undefined), project);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe((await cli(exportArgs('txt', 'bilingual'), project)).stdout);
  });

  it('--format json has the edition, subject, preheader, languages, and the same html and text as the other formats', async () => {
    for (const edition of EDITIONS) {
      const j = JSON.parse((await cli(exportArgs('json', edition), project)).stdout) as Record<
        string,
        unknown
      >;
      expect(j.edition).toBe(edition);
      expect(j.subject).toBe(SUBJECTS[edition]);
      expect(j.languages).toEqual(PART_LANGS[edition]);
      expect(typeof j.preheader).toBe('string');
      expect((j.preheader as string).length).toBeGreaterThan(20);
      expect(j.html).toBe((await cli(exportArgs('html', edition), project)).stdout);
      expect(j.text).toBe((await cli(exportArgs('txt', edition), project)).stdout);
    }
  });
});

describe('the message (.eml) of each edition', () => {
  interface Exported {
    raw: Buffer;
    again: Buffer;
    mail: ParsedMail;
    headers: Map<string, string[]>;
    html: string;
    txt: string;
  }
  const exported = new Map<EditionName, Exported>();
  const get = (edition: EditionName) => exported.get(edition)!;

  beforeAll(async () => {
    const project = sampleProject();
    for (const edition of EDITIONS) {
      const raw = await exportFile(project, 'eml', edition);
      const again = await exportFile(project, 'eml', edition);
      exported.set(edition, {
        raw,
        again,
        mail: await simpleParser(raw),
        headers: headersOf(raw),
        html: (await exportFile(project, 'html', edition)).toString('utf8'),
        txt: (await exportFile(project, 'txt', edition)).toString('utf8'),
      });
    }
  });

  it.each(EDITIONS)('%s: Subject, From, Reply-To and Date', async (edition) => {
    const { mail, headers } = get(edition);
    expect(mail.subject).toBe(SUBJECTS[edition]);
    expect(headers.get('from')).toEqual(['AIMQ <communications@aimq.net>']);
    expect(mail.from?.value).toEqual([{ name: 'AIMQ', address: 'communications@aimq.net' }]);
    expect(mail.replyTo?.value).toEqual([{ name: 'Danielle Boucher', address: 'communications@aimq.net' }]);
    expect(mail.date?.toISOString()).toBe(NOW_UTC);
    // A draft: no recipient in an export.
    expect(headers.has('to')).toBe(false);
    expect(headers.has('cc')).toBe(false);
    expect(headers.has('bcc')).toBe(false);
  });

  it.each(EDITIONS)(
    '%s: a Message-ID, the same on every run; the whole message byte for byte the same',
    async (edition) => {
      const { raw, again, mail } = get(edition);
      expect(mail.messageId).toMatch(/^<[^<>@\s]+@aimq\.net>$/);
      expect(headersOf(again).get('message-id')).toEqual([mail.messageId]);
      expect(again.equals(raw)).toBe(true);
    },
  );

  it('each edition has its own Message-ID', async () => {
    const ids = EDITIONS.map((e) => get(e).mail.messageId);
    expect(new Set(ids).size).toBe(EDITIONS.length);
  });

  it.each(EDITIONS)(
    '%s: Content-Language, List-Unsubscribe (mailto), no List-Unsubscribe-Post without unsubscribe.url, X-Unsent: 1',
    async (edition) => {
      const { headers } = get(edition);
      expect(headers.get('content-language')).toEqual([CONTENT_LANGUAGE[edition]]);
      const unsubscribe = headers.get('list-unsubscribe');
      expect(unsubscribe).toHaveLength(1);
      expect(unsubscribe![0]).toContain('<mailto:communications@aimq.net');
      expect(unsubscribe![0]).not.toContain('https:');
      expect(headers.has('list-unsubscribe-post')).toBe(false);
      expect(headers.get('x-unsent')).toEqual(['1']);
      expect(headers.get('mime-version')).toEqual(['1.0']);
    },
  );

  it.each(EDITIONS)(
    '%s: multipart/alternative with a text/plain part, then a text/html part',
    async (edition) => {
      const tree = mimeTree(get(edition).raw);
      expect(mimeShape(tree)).toBe('multipart/alternative(text/plain, text/html)');
      for (const part of tree.children)
        expect(part.headers.find((h) => h.name === 'content-type')?.value).toMatch(/charset=utf-8/i);
    },
  );

  it.each(EDITIONS)(
    '%s: every line of the message ends with CRLF (RFC 5322 2.3: no bare LF)',
    async (edition) => {
      const text = get(edition).raw.toString('latin1');
      const bare = text.split('\r\n').findIndex((l) => l.includes('\n'));
      expect(bare, `a bare LF in line ${bare + 1} of the ${edition} message`).toBe(-1);
    },
  );

  it.each(EDITIONS)(
    '%s: the text part is the txt export: dateline, -30-, Source with a no-break space',
    async (edition) => {
      const { mail, txt } = get(edition);
      expect(mail.text).toBe(txt);
      if (edition !== 'en') {
        expect(txt).toContain('Montréal, le 13');
        expect(txt).toMatch(/Montréal, le 13\u00A0janvier\u00A02020\u00A0– /);
        expect(txt).toContain(`Source${NBSP}:`);
        expect(txt).toContain('POUR DIFFUSION IMMÉDIATE');
      }
      if (edition !== 'fr') {
        expect(txt).toContain('MONTREAL, January');
        expect(txt).toContain('Source:');
        expect(txt).toContain('FOR IMMEDIATE RELEASE');
      }
      expect(txt.match(/^-30-$/gm)).toHaveLength(edition === 'bilingual' ? 2 : 1);
      expect(txt).not.toContain(NNBSP);
      expect(txt).not.toMatch(/<[a-z][^>]*>/i);
    },
  );

  it.each(EDITIONS)(
    '%s: the html part is the html export; its language is declared; each part has its own lang',
    async (edition) => {
      const { mail, html } = get(edition);
      expect(mail.html).toBe(html);
      expect(html).toMatch(new RegExp(`<html lang="${HTML_LANG[edition]}"`));
      if (edition !== 'en') expect(langBefore(html, `>${FR_TITLE}</h1>`)).toBe('fr-CA');
      if (edition !== 'fr') expect(langBefore(html, `>${EN_TITLE}</h1>`)).toBe('en-CA');
      if (edition !== 'en')
        expect(langBefore(html, 'L’Association des ingénieurs municipaux du Québec (AIMQ) a adopté')).toBe(
          'fr-CA',
        );
      if (edition !== 'fr')
        expect(langBefore(html, 'The Association des ingénieurs municipaux du Québec (AIMQ) adopted')).toBe(
          'en-CA',
        );
      const langs = new Set(
        tagsOf(html, 'div')
          .map((d) => d.lang)
          .filter(Boolean),
      );
      expect([...langs].sort()).toEqual([...PART_LANGS[edition]].sort());
    },
  );

  it('bilingual: the French part comes before the English part, and a link at the top leads to #en', async () => {
    const { html, txt } = get('bilingual');
    const fr = html.indexOf(`>${FR_TITLE}</h1>`);
    const en = html.indexOf(`>${EN_TITLE}</h1>`);
    expect(fr).toBeGreaterThan(0);
    expect(en).toBeGreaterThan(fr);
    const all = tagsOf(html, '[a-z][a-z0-9]*');
    const top = tagsOf(html, 'a').filter((a) => a.href === '#en');
    expect(top).toHaveLength(1);
    expect(top[0]!.lang).toBe('en-CA');
    expect(html.indexOf('href="#en"')).toBeLessThan(fr);
    // The target exists, in the English part, as an <a name> (the only target Gmail follows) with the same id.
    const targets = all.filter((t) => t.id === 'en');
    expect(targets).toHaveLength(1);
    expect(targets[0]!.name).toBe('en');
    expect(html.indexOf('id="en"')).toBeGreaterThan(fr);
    expect(html.indexOf('id="en"')).toBeLessThan(en);
    // The same order in the plain text.
    expect(txt.indexOf('POUR DIFFUSION IMMÉDIATE')).toBeGreaterThanOrEqual(0);
    expect(txt.indexOf('FOR IMMEDIATE RELEASE')).toBeGreaterThan(txt.indexOf('POUR DIFFUSION IMMÉDIATE'));
    expect(txt.indexOf(EN_TITLE)).toBeGreaterThan(txt.indexOf(FR_TITLE));
  });

  it.each(EDITIONS)(
    '%s: the footer has the postal address, the unsubscribe link and the "view in browser" link',
    async (edition) => {
      const { html, txt } = get(edition);
      const hrefs = tagsOf(html, 'a').map((a) => a.href ?? '');
      const count = PART_LANGS[edition].length;
      expect(hrefs.filter((h) => h.startsWith('mailto:communications@aimq.net?subject='))).toHaveLength(
        count,
      );
      expect(hrefs.filter((h) => h === viewInBrowser(edition))).toHaveLength(count);
      const visible = visibleText(html);
      expect(visible).toContain(POSTAL.replace(/\s+/g, ' '));
      // After the release itself.
      expect(visible.lastIndexOf(POSTAL.replace(/\s+/g, ' '))).toBeGreaterThan(visible.lastIndexOf('-30-'));
      expect(txt).toContain(POSTAL);
      expect(txt).toContain('mailto:communications@aimq.net');
      expect(txt).toContain(viewInBrowser(edition));
      expect(txt.lastIndexOf(POSTAL)).toBeGreaterThan(txt.lastIndexOf('-30-'));
      if (edition !== 'en') expect(visible).toContain('Se désabonner');
      if (edition !== 'fr') expect(visible).toContain('Unsubscribe');
    },
  );

  it.each(EDITIONS)(
    '%s: no U+202F in the HTML (e-mail uses U+00A0), a no-break space before ":" in French, under 102 KB',
    async (edition) => {
      const { html } = get(edition);
      expect(html).not.toContain(NNBSP);
      expect(Buffer.byteLength(html)).toBeLessThan(GMAIL_CLIP_BYTES);
      const visible = visibleText(html);
      // No ordinary space where French typography wants a no-break one.
      expect(visible).not.toMatch(/ [:;!?»]|« /);
      if (edition !== 'en') {
        expect(html).toContain(`Source${NBSP}:`);
        expect(html).toContain(`suit${NBSP}:`);
        expect(html).toContain(`«${NBSP}Pour assurer`);
      } else {
        expect(html).toContain('Source:');
      }
    },
  );

  it.each(EDITIONS)(
    '%s: the HTML makes the reader’s mail program fetch nothing from third parties (no web fonts)',
    async (edition) => {
      const { html } = get(edition);
      // Opening the message must not tell Google (or anyone but the sender's site) who read it.
      const remote = [
        ...tagsOf(html, 'link').map((l) => l.href ?? ''),
        ...[...html.matchAll(/@import\s+url\(\s*['"]?([^'")]+)/g)].map((m) => m[1]!),
      ];
      expect(remote.filter((u) => /^(https?:)?\/\//.test(u) && !u.startsWith(`${BASE_URL}/`))).toEqual([]);
      expect(html).not.toContain('fonts.googleapis.com');
    },
  );
});

describe('List-Unsubscribe with an https endpoint (email.unsubscribe.url)', () => {
  let project: string;
  beforeAll(async () => {
    project = sampleProject();
    addToUnsubscribe(project, `    url: ${UNSUBSCRIBE_URL}`);
  });

  it.each(EDITIONS)(
    '%s: List-Unsubscribe has the mailto and the URL, List-Unsubscribe-Post is One-Click, the footer links to the URL',
    async (edition) => {
      const raw = await exportFile(project, 'eml', edition);
      const headers = headersOf(raw);
      const value = headers.get('list-unsubscribe')?.[0] ?? '';
      expect(value).toContain('<mailto:communications@aimq.net');
      expect(value).toContain(`<${UNSUBSCRIBE_URL}>`);
      expect(headers.get('list-unsubscribe-post')).toEqual(['List-Unsubscribe=One-Click']);
      const mail = await simpleParser(raw);
      const hrefs = tagsOf(String(mail.html), 'a').map((a) => a.href);
      expect(hrefs.filter((h) => h === UNSUBSCRIBE_URL)).toHaveLength(PART_LANGS[edition].length);
    },
  );
});

describe('the MJML export', () => {
  let project: string;
  beforeAll(async () => {
    project = sampleWithImage();
  });

  it.each(EDITIONS)(
    '%s: valid for mjml in strict mode, and it renders to what the HTML export shows',
    async (edition) => {
      const source = (await exportFile(project, 'mjml', edition)).toString('utf8');
      const html = (await exportFile(project, 'html', edition)).toString('utf8');
      expect(source).toMatch(/^<mjml[\s>]/);
      expect(source).not.toMatch(/\{[{%]/);
      const result = await mjml2html(source, { validationLevel: 'strict' });
      expect(result.errors).toEqual([]);
      const fromMjml = visibleText(result.html);
      expect(fromMjml).toContain(edition === 'en' ? EN_TITLE : FR_TITLE);
      expect(fromMjml).toBe(visibleText(html));
      // And the same images, with the same sources and alternative text.
      const imgs = (h: string) => tagsOf(h, 'img').map((i) => ({ src: i.src, alt: i.alt }));
      expect(imgs(result.html)).toEqual(imgs(html));
      expect(imgs(html).length).toBeGreaterThan(0);
    },
  );
});

describe('images: linked to the site, or attached with --embed-images', () => {
  let project: string;
  beforeAll(async () => {
    project = sampleWithImage();
  });

  it.each(['fr', 'bilingual'] as const)(
    '%s with --embed-images: a cid: image and an inline attachment with that Content-ID and the PNG bytes',
    async (edition) => {
      const raw = await exportFile(project, 'eml', edition, ['--embed-images']);
      // keepCidLinks: mailparser would otherwise turn cid: references into data: URIs.
      const mail = await simpleParser(raw, { keepCidLinks: true });
      const srcs = tagsOf(String(mail.html), 'img').map((i) => i.src ?? '');
      expect(srcs.length).toBe(PART_LANGS[edition].length);
      const cids = [...new Set(srcs.map((s) => /^cid:(.+)$/.exec(s)?.[1]))];
      expect(cids).toHaveLength(1);
      expect(cids[0]).toBeTruthy();
      expect(String(mail.html)).not.toContain(ASSET_URL);
      expect(mail.attachments).toHaveLength(1);
      const a = mail.attachments[0]!;
      expect(a.cid).toBe(cids[0]);
      expect(a.contentType).toBe('image/png');
      expect(a.contentDisposition).toBe('inline');
      expect(a.content.equals(TINY_PNG)).toBe(true);
      expect(mimeShape(mimeTree(raw))).toBe(
        'multipart/alternative(text/plain, multipart/related(text/html, image/png))',
      );
    },
  );

  it('with --embed-images, the plain-text part still gives the image’s web address, not a cid: that means nothing there', async () => {
    const mail = await simpleParser(await exportFile(project, 'eml', 'fr', ['--embed-images']));
    expect(mail.text).not.toContain('cid:');
    expect(mail.text).toContain(ASSET_URL);
  });

  it.each(['fr', 'bilingual'] as const)(
    '%s without --embed-images: the img src is the image on the site, and nothing is attached',
    async (edition) => {
      const raw = await exportFile(project, 'eml', edition);
      const mail = await simpleParser(raw);
      const srcs = tagsOf(String(mail.html), 'img').map((i) => i.src);
      expect(srcs).toEqual(PART_LANGS[edition].map(() => ASSET_URL));
      expect(mail.attachments).toEqual([]);
      expect(mimeShape(mimeTree(raw))).toBe('multipart/alternative(text/plain, text/html)');
      expect(mail.text).toContain(ASSET_URL);
    },
  );

  it('--embed-images only changes messages: the html export still links to the site', async () => {
    const html = (await exportFile(project, 'html', 'fr', ['--embed-images'])).toString('utf8');
    expect(tagsOf(html, 'img').map((i) => i.src)).toEqual([ASSET_URL]);
    expect(html).not.toContain('cid:');
  });

  it('the alternative text of each language is on its image', async () => {
    const html = (await exportFile(project, 'html', 'bilingual')).toString('utf8');
    expect(tagsOf(html, 'img').map((i) => i.alt)).toEqual([
      'Le conseil d’administration réuni',
      'The board of directors in session',
    ]);
  });
});

describe('embargo in the subject', () => {
  let project: string;
  beforeAll(async () => {
    project = sampleProject();
    replaceIn(
      project,
      SAMPLE_FR,
      'date: 2020-01-13\n',
      'date: 2020-01-13\nembargo: 2026-12-01T10:00:00-05:00\n',
    );
  });

  it('fr: "SOUS EMBARGO jusqu’au 1er décembre …, 10 h …" then the title', async () => {
    const mail = await simpleParser(await exportFile(project, 'eml', 'fr'));
    expect(mail.subject).toMatch(/^SOUS EMBARGO jusqu’au 1er[ \u00A0]décembre/);
    expect(mail.subject).toMatch(/10[ \u00A0]h\b/);
    expect(mail.subject).toContain(FR_TITLE);
  });

  it('en: "EMBARGOED until 10:00 …" then the title', async () => {
    const mail = await simpleParser(await exportFile(project, 'eml', 'en'));
    expect(mail.subject).toMatch(/^EMBARGOED until 10:00/);
    expect(mail.subject).toContain('December');
    expect(mail.subject).toContain(EN_TITLE);
  });

  it('the release line in capitals keeps the symbols lowercase: 1er and 10 h (an SI symbol never takes a capital)', async () => {
    const txt = (await exportFile(project, 'txt', 'fr')).toString('utf8');
    const html = (await exportFile(project, 'html', 'fr')).toString('utf8');
    for (const text of [txt, visibleText(html)]) {
      const line = /SOUS EMBARGO JUSQU’AU[^\n]*?\(HNE\)/.exec(text)?.[0];
      expect(line, 'the embargo release line').toBeDefined();
      expect(line).toMatch(/1er[ \u00A0]DÉCEMBRE/);
      expect(line).toMatch(/10[ \u00A0]h\b/);
    }
  });

  it('bilingual: the French embargo line, then both titles', async () => {
    const mail = await simpleParser(await exportFile(project, 'eml', 'bilingual'));
    expect(mail.subject).toMatch(/^SOUS EMBARGO jusqu’au 1er/);
    expect(mail.subject).toContain(`${FR_TITLE} / ${EN_TITLE}`);
  });
});

describe('DKIM', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  /** The base64 lines of the key: if any shows up anywhere, the key has leaked. */
  const keyLines = privateKey.split('\n').filter((l) => l.length > 0 && !l.startsWith('-----'));
  const expectNoKey = (r: CliResult) => {
    expect(keyLines.length).toBeGreaterThan(20);
    for (const l of keyLines) {
      expect(r.stdout.includes(l), 'a line of the private key on stdout').toBe(false);
      expect(r.stderr.includes(l), 'a line of the private key on stderr').toBe(false);
    }
  };
  let project: string;
  beforeAll(async () => {
    project = sampleProject();
    addToUnsubscribe(
      project,
      `    url: ${UNSUBSCRIBE_URL}\n  dkim: { domainName: aimq.net, keySelector: test }`,
    );
  });

  it('signs with the key from AIMQ_DKIM_PRIVATE_KEY: d=aimq.net, s=test, rsa-sha256, h= covers From, Subject and List-Unsubscribe(-Post); the signature verifies', async () => {
    const r = await cli(exportArgs('eml', 'fr'), project, { AIMQ_DKIM_PRIVATE_KEY: privateKey });
    expect(r.status, r.stderr).toBe(0);
    expectNoKey(r);
    const raw = Buffer.from(r.stdout, 'utf8');
    expect(headersOf(raw).get('dkim-signature')).toHaveLength(1);
    const result = verifyDkim(raw, publicKey);
    expect(result.tags.v).toBe('1');
    expect(result.tags.d).toBe('aimq.net');
    expect(result.tags.s).toBe('test');
    expect(result.tags.a).toBe('rsa-sha256');
    expect(result.signedHeaders).toEqual(
      expect.arrayContaining([
        'from',
        'subject',
        'list-unsubscribe',
        'list-unsubscribe-post',
        'date',
        'message-id',
      ]),
    );
    expect(result.bodyHashMatches).toBe(true);
    expect(result.signatureValid).toBe(true);
    // A verifier that checks a tampered message must fail: the test can tell.
    const tampered = Buffer.from(
      r.stdout.replace('Reply-To: Danielle Boucher', 'Reply-To: Danielle Bouchex'),
      'utf8',
    );
    expect(verifyDkim(tampered, publicKey).signatureValid).toBe(false);
  });

  it('the signature is deterministic too: two runs give the same bytes', async () => {
    const a = await exportFile(project, 'eml', 'bilingual', [], { AIMQ_DKIM_PRIVATE_KEY: privateKey });
    const b = await exportFile(project, 'eml', 'bilingual', [], { AIMQ_DKIM_PRIVATE_KEY: privateKey });
    expect(a.equals(b)).toBe(true);
    expect(verifyDkim(a, publicKey).signatureValid).toBe(true);
  });

  it('without AIMQ_DKIM_PRIVATE_KEY: exit 2, the message names the variable, nothing on stdout', async () => {
    const r = await cli(exportArgs('eml', 'fr'), project, { AIMQ_DKIM_PRIVATE_KEY: '' });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('AIMQ_DKIM_PRIVATE_KEY');
    expect(r.stderr).toContain('[AIMQ-DKIM-KEY]');
    expect(r.stderr).toContain(CONFIG);
    expectNoKey(r);
  });

  it('a key that is not a usable private key: exit 2, never an unsigned message, and the key is not echoed', async () => {
    // Looks like a PEM, but its body is cut short.
    const broken = `${privateKey.split('\n').slice(0, 8).join('\n')}\n-----END PRIVATE KEY-----\n`;
    const r = await cli(exportArgs('eml', 'fr'), project, { AIMQ_DKIM_PRIVATE_KEY: broken });
    expect(r.stdout, 'an unsigned message was written').not.toMatch(/^Content-Language:/m);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('[AIMQ-DKIM-KEY]');
    expectNoKey(r);
  });

  it('other formats do not need the key', async () => {
    const r = await cli(exportArgs('html', 'fr'), project, { AIMQ_DKIM_PRIVATE_KEY: '' });
    expect(r.status, r.stderr).toBe(0);
  });

  it('privateKeyFile pointing to a missing file: exit 2, even with the variable set; the key is never printed', async () => {
    const other = sampleProject();
    addToUnsubscribe(
      other,
      `  dkim: { domainName: aimq.net, keySelector: test, privateKeyFile: ${join(other, 'no-such-key.pem')} }`,
    );
    const r = await cli(exportArgs('eml', 'fr'), other, { AIMQ_DKIM_PRIVATE_KEY: privateKey });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('[AIMQ-DKIM-KEY]');
    expect(r.stderr).toContain('privateKeyFile');
    expectNoKey(r);
  });

  it('privateKeyFile holding the key: signed and verified', async () => {
    const other = sampleProject();
    const keyFile = join(other, 'dkim.pem');
    writeFileSync(keyFile, privateKey, { mode: 0o600 });
    addToUnsubscribe(
      other,
      `  dkim: { domainName: aimq.net, keySelector: test, privateKeyFile: ${keyFile} }`,
    );
    const r = await cli(exportArgs('eml', 'en'), other, { AIMQ_DKIM_PRIVATE_KEY: '' });
    expect(r.status, r.stderr).toBe(0);
    expectNoKey(r);
    expect(verifyDkim(Buffer.from(r.stdout, 'utf8'), publicKey).signatureValid).toBe(true);
  });
});

describe('exit codes', () => {
  it('no email: section: --format eml exits 2 (AIMQ-EMAIL-CONFIG), --format html still works', () => {
    const project = sampleProject();
    removeEmailSection(project);
    const eml = cliBin(exportArgs('eml', 'fr'), project);
    expect(eml.status).toBe(2);
    expect(eml.stdout).toBe('');
    expect(eml.stderr).toContain('[AIMQ-EMAIL-CONFIG]');
    expect(eml.stderr).toContain(CONFIG);
    const html = cliBin(exportArgs('html', 'fr'), project);
    expect(html.status, html.stderr).toBe(0);
    expect(html.stdout).toContain(FR_TITLE);
    // Without an unsubscribe mechanism the footer has no unsubscribe link, but still the way to the web copy.
    expect(tagsOf(html.stdout, 'a').map((a) => a.href)).toContain(viewInBrowser('fr'));
  });

  it('--edition en on a release with only fr.md: exit 2 (AIMQ-EDITION), and bilingual too; without --edition it is French', async () => {
    const project = sampleProject();
    rmSync(join(project, SAMPLE_EN));
    for (const edition of ['en', 'bilingual', 'de']) {
      const r = await cli(exportArgs('html', edition), project);
      expect(r.status, edition).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('[AIMQ-EDITION]');
    }
    const r = await cli(exportArgs('txt', undefined), project);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('POUR DIFFUSION IMMÉDIATE');
    expect(r.stdout).not.toContain('FOR IMMEDIATE RELEASE');
  });

  it('an unknown --format (docx): exit 2', async () => {
    const project = sampleProject();
    const r = await cli(exportArgs('docx' as FormatName, 'fr'), project);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('docx');
  });

  it('--now that is not a date: exit 2', async () => {
    const project = sampleProject();
    const r = await cli(['release', 'export', SAMPLE_DIR, '--format', 'eml', '--now', 'tomorrow'], project);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('[AIMQ-USAGE]');
  });

  it('a release with a content error: exit 1, naming the file and the line', () => {
    const project = sampleProject();
    replaceIn(project, SAMPLE_FR, 'date: 2020-01-13', 'date: 2020-02-30');
    const line = lineOf(project, SAMPLE_FR, 'date: 2020-02-30');
    for (const format of ['eml', 'html'] as const) {
      const r = cliBin(exportArgs(format, 'fr', ['--out', 'out/']), project);
      expect(r.status).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(new RegExp(`^${SAMPLE_FR}:${line}:\\d+ error: .*\\[AIMQ-DATE\\]$`, 'm'));
    }
    expect(existsSync(join(project, 'out'))).toBe(false);
  });

  it('a release folder that does not exist: exit 2', async () => {
    const project = sampleProject();
    const r = await cli(exportArgs('eml', 'fr', [], 'releases/2020-01-13-nope'), project);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('releases/2020-01-13-nope');
    expect(r.stderr).toContain('[AIMQ-RELEASE-NOT-FOUND]');
  });
});

describe('header injection and raw HTML', () => {
  it('a title with CR LF and a Bcc: exit 1 naming fr.md and the title’s line; nothing is written', async () => {
    const project = sampleProject();
    replaceIn(project, SAMPLE_FR, /^title: .*$/m, 'title: "Titre\\r\\nBcc: victim@example.org"');
    const line = lineOf(project, SAMPLE_FR, 'title:');
    for (const format of ['eml', 'txt', 'html', 'json'] as const) {
      const r = await cli(exportArgs(format, 'fr', ['--out', 'out/']), project);
      expect(r.status, format).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(new RegExp(`^${SAMPLE_FR}:${line}:\\d+ error: .*title.*$`, 'm'));
      const toStdout = await cli(exportArgs(format, 'fr'), project);
      expect(toStdout.status).toBe(1);
      expect(toStdout.stdout).toBe('');
    }
    expect(existsSync(join(project, 'out'))).toBe(false);
  });

  it('an English title with a line break: exit 1 naming en.md', async () => {
    const project = sampleProject();
    replaceIn(project, SAMPLE_EN, /^title: .*$/m, 'title: "Title\\nBcc: victim@example.org"');
    const r = await cli(exportArgs('eml', 'bilingual'), project);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      new RegExp(`^${SAMPLE_EN}:${lineOf(project, SAMPLE_EN, 'title:')}:\\d+ error: `, 'm'),
    );
  });

  it('a contact name with a line break (it becomes Reply-To): exit 1 naming fr.md and the line', async () => {
    const project = sampleProject();
    replaceIn(
      project,
      SAMPLE_FR,
      '  - name: Danielle Boucher',
      '  - name: "Danielle\\nBcc: victim@example.org"',
    );
    const r = await cli(exportArgs('eml', 'fr'), project);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      new RegExp(`^${SAMPLE_FR}:${lineOf(project, SAMPLE_FR, '  - name:')}:\\d+ error: `, 'm'),
    );
  });

  it('email.subjectPrefix with a line break: exit 2 naming aimq.config.yaml and the line', async () => {
    const project = sampleProject();
    replaceIn(
      project,
      CONFIG,
      '  from: "AIMQ <communications@aimq.net>"\n',
      '  from: "AIMQ <communications@aimq.net>"\n  subjectPrefix: "[AIMQ]\\nBcc: x@example.org"\n',
    );
    const line = lineOf(project, CONFIG, 'subjectPrefix');
    const r = await cli(exportArgs('eml', 'fr'), project);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`^${CONFIG}:${line}:\\d+ error: .*subjectPrefix.*$`, 'm'));
  });

  it('a well-formed subjectPrefix is put before the subject', async () => {
    const project = sampleProject();
    replaceIn(
      project,
      CONFIG,
      '  from: "AIMQ <communications@aimq.net>"\n',
      '  from: "AIMQ <communications@aimq.net>"\n  subjectPrefix: "[AIMQ]"\n',
    );
    const mail = await simpleParser(await exportFile(project, 'eml', 'fr'));
    expect(mail.subject).toBe(`[AIMQ] ${FR_TITLE}`);
  });

  it('email.from with CR LF: exit 2 naming aimq.config.yaml and the line', async () => {
    const project = sampleProject();
    replaceIn(project, CONFIG, '  from: "AIMQ <communications@aimq.net>"', '  from: "AIMQ\\r\\n <a@b.ca>"');
    const line = lineOf(project, CONFIG, '  from:');
    const r = await cli(exportArgs('eml', 'fr'), project);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`^${CONFIG}:${line}:\\d+ error: .*from.*$`, 'm'));
  });

  it('email.unsubscribe.url with CR LF (it goes into List-Unsubscribe): exit 2 naming aimq.config.yaml', async () => {
    const project = sampleProject();
    addToUnsubscribe(project, '    url: "https://www.aimq.net/desabonnement\\r\\nBcc: victim@example.org"');
    const line = lineOf(project, CONFIG, '    url:');
    const r = await cli(exportArgs('eml', 'fr'), project);
    // Whatever the outcome, no header may come out of that value.
    expect(headersOf(Buffer.from(r.stdout, 'utf8')).has('bcc')).toBe(false);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^${CONFIG}:${line}:\\d+ error: `, 'm'));
  });

  it('raw HTML in the body (<script>, <img onerror>) never reaches the html, txt or eml', async () => {
    const project = sampleProject();
    writeFileSync(
      join(project, SAMPLE_FR),
      `${readText(project, SAMPLE_FR)}\n<script>alert(1)</script>\n\nTexte <img src=x onerror=alert(1)> et [lien](javascript:alert(2)) fin.\n`,
    );
    const outputs: Record<string, string> = {};
    for (const format of ['html', 'txt', 'json', 'mjml'] as const)
      for (const edition of ['fr', 'bilingual'])
        outputs[`${edition}.${format}`] = (await exportFile(project, format, edition)).toString('utf8');
    for (const edition of ['fr', 'bilingual']) {
      const raw = await exportFile(project, 'eml', edition);
      const mail = await simpleParser(raw);
      outputs[`${edition}.eml`] = raw.toString('utf8');
      outputs[`${edition}.eml html`] = String(mail.html);
      outputs[`${edition}.eml text`] = String(mail.text);
    }
    for (const [name, text] of Object.entries(outputs)) {
      expect(text, name).not.toMatch(/<script\b/i);
      expect(text, name).not.toMatch(/onerror/i);
      expect(text, name).not.toContain('alert(');
      expect(text, name).not.toMatch(/javascript:/i);
    }
    // The prose around the removed HTML is kept.
    expect(outputs['fr.txt']).toMatch(/Texte\s+et\s+lien\s+fin\./);
    expect(visibleText(outputs['fr.html']!)).toMatch(/Texte\s+et\s+lien\s+fin\./);
  });
});

describe('e-mail template overrides', () => {
  const packagedPart = readFileSync(join(REPO, 'templates/email/part.mjml'), 'utf8');

  it('an unknown attribute (<mj-text foo="bar">) in templates/email/part.mjml: exit 2 naming the file and the element’s line', async () => {
    const project = sampleProject();
    const override = packagedPart.replace(
      '<mj-text css-class="aimq-text">',
      '<mj-text foo="bar" css-class="aimq-text">',
    );
    expect(override).not.toBe(packagedPart);
    writeFiles(project, { 'templates/email/part.mjml': override });
    const line = lineOf(project, 'templates/email/part.mjml', 'foo="bar"');
    const r = await cli(exportArgs('html', 'fr'), project);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      new RegExp(`^templates/email/part\\.mjml:${line}(:\\d+)? error: .*foo.*\\[AIMQ-TEMPLATE\\]$`, 'm'),
    );
  });

  it('an unknown element (<mj-bogus/>): exit 2 naming the file and its line', async () => {
    const project = sampleProject();
    const override = packagedPart.replace('  <mj-column>\n', '  <mj-column>\n    <mj-bogus/>\n');
    expect(override).not.toBe(packagedPart);
    writeFiles(project, { 'templates/email/part.mjml': override });
    const line = lineOf(project, 'templates/email/part.mjml', '<mj-bogus/>');
    for (const format of ['html', 'eml', 'mjml'] as const) {
      const r = await cli(exportArgs(format, 'fr'), project);
      expect(r.status, format).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(
        new RegExp(
          `^templates/email/part\\.mjml:${line}(:\\d+)? error: .*mj-bogus.*\\[AIMQ-TEMPLATE\\]$`,
          'm',
        ),
      );
    }
  });

  it('a valid override is used', async () => {
    const project = sampleProject();
    writeFiles(project, {
      'templates/email/part.mjml': packagedPart.replace(
        '<p style="margin:24px 0;text-align:center;">-30-</p>',
        '<p style="margin:24px 0;text-align:center;">-30- (gabarit maison)</p>',
      ),
    });
    const html = await cli(exportArgs('html', 'fr'), project);
    expect(html.status, html.stderr).toBe(0);
    expect(html.stdout).toContain('-30- (gabarit maison)');
  });
});

describe('release build: the "view in browser" copies', () => {
  const RECIPIENT = 'jeanne.journaliste@lapresse.example';
  let project: string;
  beforeAll(async () => {
    project = sampleProject();
    writeFiles(project, {
      'lists/medias.csv': `nom,courriel,média\nJeanne Journaliste,${RECIPIENT},La Presse\n`,
    });
    const r = await cli(['release', 'build', '--now', NOW], project);
    expect(r.status, r.stderr).toBe(0);
  });

  it('writes public/email/<release>/{fr,en,bilingual}.{html,txt}', async () => {
    const files = listFiles(join(project, 'public')).filter((f) => f.startsWith('email/'));
    expect(files).toEqual(
      EDITIONS.flatMap((e) => [`email/${SAMPLE_ID}/${e}.html`, `email/${SAMPLE_ID}/${e}.txt`]).sort(),
    );
  });

  it('the copies are what release export gives', async () => {
    for (const edition of EDITIONS) {
      expect(readText(project, `public/email/${SAMPLE_ID}/${edition}.html`)).toBe(
        (await cli(exportArgs('html', edition), project)).stdout,
      );
      expect(readText(project, `public/email/${SAMPLE_ID}/${edition}.txt`)).toBe(
        (await cli(exportArgs('txt', edition), project)).stdout,
      );
    }
  });

  it('no file under public/ holds anything from lists/', async () => {
    const files = listFiles(join(project, 'public'));
    expect(files.filter((f) => /lists|medias/.test(f))).toEqual([]);
    for (const f of files) {
      const text = readFileSync(join(project, 'public', f)).toString('latin1');
      expect(text, f).not.toContain(RECIPIENT);
      expect(text, f).not.toContain('Jeanne Journaliste');
    }
  });

  it('an embargoed release has no e-mail copy in public/', async () => {
    const other = sampleProject();
    replaceIn(
      other,
      SAMPLE_FR,
      'date: 2020-01-13\n',
      'date: 2020-01-13\nembargo: 2026-12-01T10:00:00-05:00\n',
    );
    const r = await cli(['release', 'build', '--now', NOW], other);
    expect(r.status, r.stderr).toBe(0);
    expect(listFiles(join(other, 'public')).filter((f) => f.startsWith('email/'))).toEqual([]);
  });

  it('a release put back under embargo loses its e-mail copies at the next build, even when public/ was deleted in between', async () => {
    const other = sampleProject();
    expect((await cli(['release', 'build', '--now', NOW], other)).status).toBe(0);
    expect(existsSync(join(other, `public/email/${SAMPLE_ID}/fr.html`))).toBe(true);
    replaceIn(
      other,
      SAMPLE_FR,
      'date: 2020-01-13\n',
      'date: 2020-01-13\nembargo: 2026-12-01T10:00:00-05:00\n',
    );
    expect((await cli(['release', 'build', '--now', NOW], other)).status).toBe(0);
    expect(listFiles(join(other, 'public')).filter((f) => f.startsWith('email/'))).toEqual([]);
    // Lift the embargo, build, delete the output, embargo again: the build must not trip over files that are gone.
    replaceIn(other, SAMPLE_FR, 'embargo: 2026-12-01T10:00:00-05:00\n', '');
    expect((await cli(['release', 'build', '--now', NOW], other)).status).toBe(0);
    rmSync(join(other, 'public'), { recursive: true, force: true });
    replaceIn(
      other,
      SAMPLE_FR,
      'date: 2020-01-13\n',
      'date: 2020-01-13\nembargo: 2026-12-01T10:00:00-05:00\n',
    );
    const r = await cli(['release', 'build', '--now', NOW], other);
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(join(other, 'public/email'))).toBe(false);
  });
});

describe('release check: e-mail warnings', () => {
  const check = async (project: string, extra: string[] = []): Promise<{ status: number; diags: Diag[] }> => {
    const r = await cli(['release', 'check', '--format', 'json', ...extra], project);
    return { status: r.status, diags: JSON.parse(r.stdout) as Diag[] };
  };

  it('the sample has no e-mail warning', async () => {
    const { status, diags } = await check(sampleProject());
    expect(status).toBe(0);
    expect(diags.filter((d) => d.code.startsWith('AIMQ-EMAIL') || d.code === 'AIMQ-LINK-INSECURE')).toEqual(
      [],
    );
  });

  it('an http:// link in a body: AIMQ-LINK-INSECURE at its line, exit 0', async () => {
    const project = sampleProject();
    writeFileSync(
      join(project, SAMPLE_FR),
      `${readText(project, SAMPLE_FR)}\nVoir [le site](http://www.aimq.net/mission).\n`,
    );
    writeFileSync(
      join(project, SAMPLE_EN),
      `${readText(project, SAMPLE_EN)}\nSee [the site](http://www.aimq.net/mission).\n`,
    );
    const { status, diags } = await check(project);
    expect(status).toBe(0);
    const insecure = diags.filter((d) => d.code === 'AIMQ-LINK-INSECURE');
    expect(insecure).toContainEqual(
      expect.objectContaining({
        file: SAMPLE_FR,
        line: lineOf(project, SAMPLE_FR, 'http://www.aimq.net/mission'),
        severity: 'warning',
      }),
    );
    expect(insecure).toContainEqual(
      expect.objectContaining({
        file: SAMPLE_EN,
        line: lineOf(project, SAMPLE_EN, 'http://www.aimq.net/mission'),
        severity: 'warning',
      }),
    );
    expect(diags.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('a release whose e-mail is over 102 KB: AIMQ-EMAIL-SIZE, exit 0', async () => {
    const project = sampleProject();
    const sentence =
      'Le conseil a étudié les orientations de la mission, la gestion des actifs et le développement durable des villes et des municipalités du Québec, sans oublier la formation continue de ses membres.';
    const body = Array.from({ length: 650 }, () => sentence).join('\n\n');
    expect(Buffer.byteLength(body)).toBeGreaterThan(120 * 1024);
    const file = 'releases/2026-12-02-rapport/fr.md';
    writeFiles(project, {
      [file]: `---\ntitle: Le rapport annuel de l'AIMQ\ndate: 2026-12-02\nplace: Montréal\ncontacts:\n  - name: Danielle Boucher\n    email: communications@aimq.net\n---\n${body}\n`,
    });
    const { status, diags } = await check(project);
    expect(status).toBe(0);
    expect(diags.filter((d) => d.code === 'AIMQ-EMAIL-SIZE')).toEqual([
      expect.objectContaining({ file, severity: 'warning' }),
    ]);
    expect(diags.filter((d) => d.severity === 'error')).toEqual([]);
    // And the export of that release is, indeed, over the limit.
    const html = await cli(exportArgs('html', 'fr', [], 'releases/2026-12-02-rapport'), project);
    expect(html.status, html.stderr).toBe(0);
    expect(Buffer.byteLength(html.stdout)).toBeGreaterThan(GMAIL_CLIP_BYTES);
  });

  it('no email: section in the config: AIMQ-EMAIL-LAW on aimq.config.yaml, exit 0', async () => {
    const project = sampleProject();
    removeEmailSection(project);
    const { status, diags } = await check(project);
    expect(status).toBe(0);
    expect(diags.filter((d) => d.code === 'AIMQ-EMAIL-LAW')).toEqual([
      expect.objectContaining({ file: CONFIG, severity: 'warning' }),
    ]);
  });
});
