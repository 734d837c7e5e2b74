import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Reading PDFs in tests with poppler-utils (pdftotext, pdfinfo, pdffonts, pdftohtml,
 * pdfimages): what a reader's tools see, not what aimq meant to write. `.ci/run` installs
 * poppler-utils; without it a test fails saying so, never skips.
 */

const scratch = mkdtempSync(join(tmpdir(), 'aimq-pdf-read-'));
let n = 0;

/** A PDF given as bytes is written to a scratch file first; a path is used as it is. */
function fileOf(pdf: Buffer | string): string {
  if (typeof pdf === 'string') return pdf;
  const file = join(scratch, `${n++}.pdf`);
  writeFileSync(file, pdf);
  return file;
}

function poppler(tool: string, args: string[]): string {
  const r = spawnSync(tool, args, { encoding: 'utf8', maxBuffer: 32 * 1024 * 1024 });
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT')
    throw new Error(
      `${tool} is missing: install poppler-utils (apt-get install poppler-utils; .ci/run does)`,
    );
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${tool} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

/** The text of the PDF, as pdftotext reads it (reading order, UTF-8). */
export function pdfText(pdf: Buffer | string): string {
  return poppler('pdftotext', ['-enc', 'UTF-8', fileOf(pdf), '-']);
}

/** pdfinfo's fields: Title, Tagged, Pages, Page size… */
export function pdfInfo(pdf: Buffer | string): Record<string, string> {
  const out = poppler('pdfinfo', ['-enc', 'UTF-8', fileOf(pdf)]);
  const fields: Record<string, string> = {};
  for (const line of out.split('\n')) {
    const m = /^([^:]+):\s*(.*)$/.exec(line);
    if (m) fields[m[1]!.trim()] = m[2]!.trim();
  }
  return fields;
}

/** Every font of the PDF: name and whether it is embedded (pdffonts' `emb` column). */
export function pdfFonts(pdf: Buffer | string): { name: string; embedded: boolean }[] {
  const lines = poppler('pdffonts', [fileOf(pdf)]).split('\n');
  const rule = lines.findIndex((l) => l.startsWith('-----'));
  const header = lines[rule - 1] ?? '';
  const emb = header.indexOf('emb');
  return lines
    .slice(rule + 1)
    .filter((l) => l.trim())
    .map((l) => ({ name: l.split(/\s+/)[0]!, embedded: l.slice(emb, emb + 3) === 'yes' }));
}

/** The targets of the PDF's link annotations, as pdftohtml -xml lists them. */
export function pdfLinks(pdf: Buffer | string): string[] {
  const xml = poppler('pdftohtml', ['-xml', '-i', '-stdout', '-q', fileOf(pdf)]);
  return [...xml.matchAll(/<a href="([^"]*)"/g)].map((m) =>
    m[1]!
      .replace(/&amp;/g, '&')
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>'),
  );
}

/** The images drawn in the PDF (pdfimages -list), width and height in pixels. */
export function pdfImages(pdf: Buffer | string): { width: number; height: number }[] {
  const lines = poppler('pdfimages', ['-list', fileOf(pdf)])
    .split('\n')
    .slice(2);
  return lines
    .filter((l) => l.trim())
    .map((l) => {
      const cols = l.trim().split(/\s+/);
      return { width: Number(cols[3]), height: Number(cols[4]) };
    });
}

/** The raw language tags the PDF declares (/Lang entries of the catalogue and structure). */
export function pdfLanguages(pdf: Buffer): string[] {
  return [...pdf.toString('latin1').matchAll(/\/Lang \(([^)]*)\)/g)].map((m) => m[1]!);
}
