import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The sample release of this repository, as copied by sampleProject(). */
export const SAMPLE_ID = '2020-01-13-mission-aimq';
export const SAMPLE_DIR = `releases/${SAMPLE_ID}`;
export const SAMPLE_FR = `${SAMPLE_DIR}/fr.md`;
export const SAMPLE_EN = `${SAMPLE_DIR}/en.md`;
export const SAMPLE_FR_PAGE = `fr/${SAMPLE_ID}/index.html`;
export const SAMPLE_EN_PAGE = 'en/2020-01-13-aimq-updates-its-mission/index.html';
export const BASE_URL = 'https://www.aimq.net/communiques';

/** A 1×1 transparent PNG. */
export const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);

/** Writes files (relative paths, created with their folders) under `root`. */
export function writeFiles(root: string, files: Record<string, string | Buffer>): void {
  for (const [rel, content] of Object.entries(files)) {
    const abs = join(root, rel);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, content);
  }
}

export function readText(root: string, rel: string): string {
  return readFileSync(join(root, rel), 'utf8');
}

/** Every file under `dir`, as sorted relative paths with `/`. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (abs: string, prefix: string) => {
    for (const e of readdirSync(abs, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(abs, e.name), `${prefix}${e.name}/`);
      else out.push(`${prefix}${e.name}`);
    }
  };
  walk(dir, '');
  return out.sort();
}

/** Modification time of every file under `dir`. */
export function mtimes(dir: string): Record<string, number> {
  return Object.fromEntries(listFiles(dir).map((f) => [f, statSync(join(dir, f)).mtimeMs]));
}

/** The lines of a file, edited, written back: `edit` receives them 0-based. */
export function editLines(root: string, rel: string, edit: (lines: string[]) => void): void {
  const lines = readText(root, rel).split('\n');
  edit(lines);
  writeFileSync(join(root, rel), lines.join('\n'));
}

/** 1-based line number of the first line of a file that contains `needle`. */
export function lineOf(root: string, rel: string, needle: string): number {
  const i = readText(root, rel)
    .split('\n')
    .findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`"${needle}" not found in ${rel}`);
  return i + 1;
}

/** The attributes of every `<name …>` start tag in an HTML string (entities &amp; &lt; &gt; &quot; decoded). */
export function tagsOf(html: string, name: string): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  for (const m of html.matchAll(new RegExp(`<${name}\\b([^>]*)>`, 'gi'))) {
    const attrs: Record<string, string> = {};
    for (const a of m[1]!.matchAll(/([^\s"'=<>/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g)) {
      attrs[a[1]!.toLowerCase()] = decodeEntities(a[2] ?? a[3] ?? a[4] ?? '');
    }
    out.push(attrs);
  }
  return out;
}

export function decodeEntities(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/** `<meta property=…>` / `<meta name=…>` contents by key (all values, in order). */
export function metaOf(html: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const t of tagsOf(html, 'meta')) {
    const key = t.property ?? t.name;
    if (key === undefined || t.content === undefined) continue;
    out[key] ??= [];
    out[key].push(t.content);
  }
  return out;
}
