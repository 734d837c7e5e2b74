import {
  closeSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { mapColumns, SUPPRESSION_COLUMN_NAMES, type SuppressionColumn } from './columns.js';
import { detach, parseCsv, type CsvDelimiter, type CsvRecord } from './csv.js';
import { ListDecoder } from './encoding.js';
import { foldWord } from './recipient.js';

/**
 * The suppression list, `lists/suppression.csv`: addresses that must never receive a
 * message again (CASL: an unsubscribe is honoured within 10 business days; aimq honours it
 * before the next message). It is read leniently, because a line that is not understood
 * must not let a message through: every non-empty address is suppressed, whatever its
 * reason says, and a file without a header is read as addresses in the first column.
 */

export type SuppressionReason = 'unsubscribe' | 'bounce' | 'complaint' | 'manual';

export const SUPPRESSION_REASONS: readonly SuppressionReason[] = [
  'unsubscribe',
  'bounce',
  'complaint',
  'manual',
];

export interface SuppressionEntry {
  date: string;
  reason: SuppressionReason;
  line: number;
}

const HEADER = 'email,date,reason';

const REASON_WORDS: ReadonlyMap<string, SuppressionReason> = new Map<string, SuppressionReason>([
  ['unsubscribe', 'unsubscribe'],
  ['unsubscribed', 'unsubscribe'],
  ['desabonnement', 'unsubscribe'],
  ['desinscription', 'unsubscribe'],
  ['bounce', 'bounce'],
  ['rebond', 'bounce'],
  ['complaint', 'complaint'],
  ['plainte', 'complaint'],
  ['manual', 'manual'],
  ['manuel', 'manual'],
]);

/** A reason as written (English or French, any case) into one of the four; anything else is `manual`. */
export function parseSuppressionReason(text: string): SuppressionReason {
  return REASON_WORDS.get(foldWord(text)) ?? 'manual';
}

function decodeFile(bytes: Uint8Array): string {
  const decoder = new ListDecoder();
  return [...decoder.push(bytes), ...decoder.end()].map((t) => t.text).join('');
}

interface Layout {
  delimiter: CsvDelimiter;
  /** Field index of each column; undefined for a file without a header. */
  index: Partial<Record<SuppressionColumn, number>> | undefined;
  width: number;
  /** The file has no line yet: the header goes first. */
  empty?: boolean;
}

function layoutOf(records: CsvRecord[], delimiter: CsvDelimiter): { layout: Layout; data: CsvRecord[] } {
  const nonBlank = records.filter((r) => r.fields.some((f) => f.trim() !== ''));
  const header = nonBlank[0];
  if (!header)
    return {
      layout: { delimiter: ',', index: { email: 0, date: 1, reason: 2 }, width: 3, empty: true },
      data: [],
    };
  const { index } = mapColumns(header, SUPPRESSION_COLUMN_NAMES, '');
  if (index.email === undefined) {
    // No header naming an email column: addresses in the first column, from the first line.
    return {
      layout: { delimiter, index: undefined, width: Math.max(3, header.fields.length) },
      data: nonBlank,
    };
  }
  return { layout: { delimiter, index, width: header.fields.length }, data: nonBlank.slice(1) };
}

function readLayout(path: string): { layout: Layout; entries: Map<string, SuppressionEntry> } | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const { delimiter, records } = parseCsv(decodeFile(bytes));
  const { layout, data } = layoutOf(records, delimiter);
  const index = layout.index ?? { email: 0, date: 1, reason: 2 };
  const entries = new Map<string, SuppressionEntry>();
  for (const rec of data) {
    const field = (c: SuppressionColumn) => {
      const i = index[c];
      return i === undefined ? '' : (rec.fields[i] ?? '').trim();
    };
    const key = detach(field('email').toLowerCase());
    if (key === '' || entries.has(key)) continue;
    entries.set(key, {
      date: detach(field('date')),
      reason: parseSuppressionReason(field('reason')),
      line: rec.line,
    });
  }
  return { layout, entries };
}

/** Reads the suppression list (a missing file is an empty list); keys are lower-cased addresses, the first line of each wins. */
export function readSuppression(path: string): Map<string, SuppressionEntry> {
  return readLayout(path)?.entries ?? new Map();
}

/** A CSV field, quoted when it holds a quote, a delimiter, a line break or outer spaces. */
export function csvField(value: string): string {
  return /[",;\t\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** `2026-12-01T15:04:05Z`: the moment, in UTC, to the second. */
export function suppressionDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function writeAll(fd: number, data: Buffer): void {
  let offset = 0;
  while (offset < data.length) offset += writeSync(fd, data, offset, data.length - offset);
}

function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Not supported everywhere (Windows); the file itself was synced.
  }
}

/** Creates the file with its header and first line at once, or returns false if it already exists. */
function createWith(path: string, content: string): boolean {
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  const fd = openSync(tmp, 'wx');
  try {
    writeAll(fd, Buffer.from(content, 'utf8'));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    // link() fails if the file exists: two processes cannot both create it, and no one sees it without its header.
    linkSync(tmp, path);
    fsyncDir(dirname(path));
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    unlinkSync(tmp);
  }
}

function endsWithLineBreak(path: string): boolean {
  const size = statSync(path).size;
  if (size === 0) return true;
  const fd = openSync(path, 'r');
  try {
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    return last[0] === 0x0a || last[0] === 0x0d;
  } finally {
    closeSync(fd);
  }
}

/**
 * Appends one entry durably: creates the file with its header if needed, writes the line in
 * one write call on a file opened for appending (so lines from two processes never
 * interleave), and fsyncs. Keeps an existing file's delimiter and column order. Returns
 * false if the address was already suppressed.
 */
export function appendSuppression(
  path: string,
  email: string,
  reason: SuppressionReason,
  date: Date,
): boolean {
  const address = email.trim();
  const key = address.toLowerCase();
  const values: Record<SuppressionColumn, string> = { email: address, date: suppressionDate(date), reason };
  for (let attempt = 0; ; attempt++) {
    const existing = readLayout(path);
    if (existing?.entries.has(key)) return false;
    if (!existing) {
      mkdirSync(dirname(path), { recursive: true });
      if (
        createWith(path, `${HEADER}\n${[values.email, values.date, values.reason].map(csvField).join(',')}\n`)
      )
        return true;
      if (attempt < 3) continue; // someone else just created it: read it again
    }
    const layout = existing?.layout ?? {
      delimiter: ',' as const,
      index: { email: 0, date: 1, reason: 2 },
      width: 3,
    };
    const index = layout.index ?? { email: 0, date: 1, reason: 2 };
    const fields = Array.from(
      { length: Math.max(layout.width, ...Object.values(index).map((i) => i + 1)) },
      () => '',
    );
    for (const c of Object.keys(values) as SuppressionColumn[]) {
      const i = index[c];
      if (i !== undefined) fields[i] = values[c];
    }
    const line = `${fields.map(csvField).join(layout.delimiter)}\n`;
    const fd = openSync(path, 'a');
    try {
      const prefix = (endsWithLineBreak(path) ? '' : '\n') + (layout.empty ? `${HEADER}\n` : '');
      writeAll(fd, Buffer.from(prefix + line, 'utf8'));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    return true;
  }
}

/**
 * Answers "is this address suppressed right now?" cheaply: one stat per call, and a re-read
 * only when the file's size, modification time or inode changed (an append by
 * `aimq lists unsubscribe` or a bounce handler while a send runs is seen by the next check).
 */
export class SuppressionWatcher {
  private stamp: string | undefined;
  private entries = new Map<string, SuppressionEntry>();

  constructor(private readonly path: string) {
    this.refresh();
  }

  has(email: string): boolean {
    return this.get(email) !== undefined;
  }

  /** The entry for this address, if suppressed. */
  get(email: string): SuppressionEntry | undefined {
    this.refresh();
    return this.entries.get(email.trim().toLowerCase());
  }

  private refresh(): void {
    const st = statSync(this.path, { bigint: true, throwIfNoEntry: false });
    const stamp = st ? `${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}` : 'missing';
    if (stamp === this.stamp) return;
    // Stat first, then read: a change during the read shows as a new stamp next time.
    this.entries = st ? readSuppression(this.path) : new Map();
    this.stamp = stamp;
  }
}
