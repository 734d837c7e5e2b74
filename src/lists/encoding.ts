import type { ListEncoding } from './recipient.js';

/**
 * Decoding list files: UTF-8 (with or without BOM), else Windows-1252, which is what Excel
 * writes on a French Windows. Bytes are decoded a line at a time, in pieces that end at a
 * line break, so the decision can change mid-file without re-reading it: the file is read
 * as UTF-8 up to the first line that is not valid UTF-8, and as Windows-1252 from that line
 * on. A file that is all Windows-1252 (or plain ASCII up to its first accent) is therefore
 * read exactly as Windows-1252.
 */

/** A run of decoded text and the encoding it was read with. */
export interface DecodedText {
  text: string;
  encoding: ListEncoding;
}

const LF = 0x0a;
const CR = 0x0d;

/**
 * WHATWG windows-1252 for bytes 0x80–0x9F. Node 20's TextDecoder('windows-1252') decodes
 * them as Latin-1 control characters, which would lose ’ (0x92), € (0x80), œ (0x9C), – and —.
 */
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d,
  0x17d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a,
  0x153, 0x9d, 0x17e, 0x178,
];

const latin1 = new TextDecoder('windows-1252');

/** Windows-1252 bytes to text (every byte is a character). */
export function decodeWindows1252(bytes: Uint8Array): string {
  return latin1
    .decode(bytes)
    .replace(/[\u0080-\u009f]/g, (c) => String.fromCharCode(CP1252_HIGH[c.charCodeAt(0) - 0x80]!));
}

/** The offset of the first byte that starts an invalid (or truncated) UTF-8 sequence, or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lower = 0x80;
    let upper = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lower = 0xa0;
      if (b === 0xed) upper = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lower = 0x90;
      if (b === 0xf4) upper = 0x8f;
    } else return i;
    if (i + need >= n) return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k]!;
      if (c < (k === 1 ? lower : 0x80) || c > (k === 1 ? upper : 0xbf)) return i;
    }
    i += need + 1;
  }
  return -1;
}

function lastLineBreak(bytes: Uint8Array, before: number): number {
  for (let i = before - 1; i >= 0; i--) {
    const b = bytes[i]!;
    if (b === LF || b === CR) return i;
  }
  return -1;
}

/**
 * How many bytes of one line the decoder holds before it decodes them anyway: past this, a
 * line is refused by the CSV reader, so waiting for its end would only cost time and memory.
 */
export const MAX_HELD_LINE_BYTES = 64 * 1024;

/** The end of the last complete UTF-8 sequence (or of the bytes when the last is not UTF-8). */
function utf8Boundary(bytes: Uint8Array): number {
  const n = bytes.length;
  for (let i = n - 1; i >= 0 && i >= n - 4; i--) {
    const b = bytes[i]!;
    if ((b & 0xc0) === 0x80) continue;
    const size = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return i + size <= n ? n : i;
  }
  return n;
}

/**
 * A streaming decoder: push byte chunks in order, get text runs back. Holds the bytes of
 * one unfinished line between calls, at most {@link MAX_HELD_LINE_BYTES} and a chunk; each
 * byte is looked at a bounded number of times, however long the line.
 */
export class ListDecoder {
  /** Windows-1252 once a line was not valid UTF-8. */
  encoding: ListEncoding = 'utf-8';
  /** Whether text read as UTF-8 had non-ASCII characters before the switch (a mixed file). */
  sawUtf8NonAscii = false;
  /** Set when the file starts with a UTF-16 byte-order mark, which this decoder does not read. */
  utf16: 'utf-16le' | 'utf-16be' | undefined;
  /** The unfinished line: chunks kept as they came, joined once the line ends. */
  private held: Uint8Array[] = [];
  private heldLength = 0;
  private started = false;
  private readonly utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

  push(chunk: Uint8Array): DecodedText[] {
    return this.decode(chunk, false);
  }

  end(): DecodedText[] {
    return this.decode(new Uint8Array(0), true);
  }

  private hold(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.held.push(new Uint8Array(bytes));
    this.heldLength += bytes.length;
  }

  /** The held bytes followed by `tail`, and nothing held any more. */
  private release(tail: Uint8Array): Uint8Array {
    const parts = this.held;
    this.held = [];
    this.heldLength = 0;
    if (parts.length === 0) return tail;
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, tail.length));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    out.set(tail, at);
    return out;
  }

  private decode(chunk: Uint8Array, final: boolean): DecodedText[] {
    if (this.utf16) return [];
    let data = chunk;
    if (!this.started) {
      data = this.release(chunk);
      if (data.length < 3 && !final) {
        this.hold(data);
        return [];
      }
      this.started = true;
      if ((data[0] === 0xff && data[1] === 0xfe) || (data[0] === 0xfe && data[1] === 0xff)) {
        this.utf16 = data[0] === 0xff ? 'utf-16le' : 'utf-16be';
        return [];
      }
      if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) data = data.subarray(3);
    }
    if (this.encoding === 'windows-1252') {
      const bytes = this.release(data);
      return bytes.length === 0 ? [] : [{ text: decodeWindows1252(bytes), encoding: 'windows-1252' }];
    }
    // A piece ends at a line break (never inside a UTF-8 sequence); the rest waits for more
    // bytes. Only the new chunk is searched for a break: the held bytes have none.
    let piece: Uint8Array;
    if (final) piece = this.release(data);
    else {
      const cut = lastLineBreak(data, data.length) + 1;
      if (cut === 0) {
        this.hold(data);
        if (this.heldLength <= MAX_HELD_LINE_BYTES) return [];
        // A line this long is refused anyway: decode it as it comes, whole characters only.
        const bytes = this.release(new Uint8Array(0));
        const boundary = utf8Boundary(bytes);
        this.hold(bytes.subarray(boundary));
        piece = bytes.subarray(0, boundary);
      } else {
        piece = this.release(data.subarray(0, cut));
        this.hold(data.subarray(cut));
      }
    }
    if (piece.length === 0) return [];
    try {
      const text = this.utf8.decode(piece);
      if (text.length !== piece.length) this.sawUtf8NonAscii = true;
      return [{ text, encoding: 'utf-8' }];
    } catch {
      // From the start of the first invalid line on, everything is Windows-1252.
      const bad = firstInvalidUtf8(piece);
      const lineStart = lastLineBreak(piece, bad < 0 ? piece.length : bad) + 1;
      const out: DecodedText[] = [];
      if (lineStart > 0) {
        const head = this.utf8.decode(piece.subarray(0, lineStart));
        if (head.length !== lineStart) this.sawUtf8NonAscii = true;
        out.push({ text: head, encoding: 'utf-8' });
      }
      this.encoding = 'windows-1252';
      const rest = this.release(new Uint8Array(0));
      const tail = piece.subarray(lineStart);
      const all = rest.length === 0 ? tail : concat(tail, rest);
      out.push({ text: decodeWindows1252(all), encoding: 'windows-1252' });
      return out;
    }
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
