/**
 * A streaming RFC 4180 parser: push text in pieces of any size, get complete records back
 * with the physical line (and column) where each field starts. Quoted fields may hold the
 * delimiter, `""` for a quote, and line breaks; CRLF, LF and CR all end a line. It is
 * lenient where Excel and hand editing are: spaces before an opening quote are dropped,
 * text after a closing quote is kept, and a quote inside an unquoted field is a quote.
 */

export type CsvDelimiter = ',' | ';' | '\t';

export interface CsvRecord {
  /** The values. They may be views of the input text: `detach` what is kept. */
  fields: string[];
  /** Physical line (1-based) where each field starts. */
  lines: number[];
  /** Column (1-based, in characters) where each field starts. */
  columns: number[];
  /** Physical line where the record starts. */
  line: number;
  /** The input ended inside a quoted field: the last field runs to the end of the file. */
  unterminated: boolean;
  /**
   * The record is longer than {@link MAX_RECORD_CHARS}: its fields are not kept (`fields`
   * is empty) and `excerpt` holds its first characters.
   */
  tooLong?: { excerpt: string };
}

/**
 * The longest record read (64 KiB of characters). A recipient line is a few hundred
 * characters; a longer one is a file that is not a list (or a quote never closed), and
 * refusing it keeps memory bounded and diagnostics short whatever the input.
 */
export const MAX_RECORD_CHARS = 64 * 1024;

/** How many characters of a value a diagnostic quotes. */
export const EXCERPT_CHARS = 60;

/** A value as a diagnostic quotes it: at most {@link EXCERPT_CHARS} characters, then `…`. */
export function excerpt(text: string, max = EXCERPT_CHARS): string {
  if (text.length <= max) return detach(text);
  // Do not cut a surrogate pair in two.
  const end = /[\uD800-\uDBFF]/.test(text[max - 1] ?? '') ? max - 1 : max;
  return `${text.slice(0, end)}…`;
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

const START = 0; // before a field's first character
const UNQUOTED = 1;
const QUOTED = 2;
const QUOTE_IN_QUOTED = 3; // a quote inside a quoted field: the end, or the first of ""

/** Counts `,`, `;` and tabs outside quotes in a header line: the one that gives more columns wins (`,` on a tie). */
export function detectDelimiter(line: string): CsvDelimiter {
  let inQuotes = false;
  const counts = { ',': 0, ';': 0, '\t': 0 };
  for (const c of line) {
    if (c === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (c === ',' || c === ';' || c === '\t')) counts[c]++;
  }
  let best: CsvDelimiter = ',';
  for (const d of [';', '\t'] as const) if (counts[d] > counts[best]) best = d;
  return best;
}

/**
 * A copy of a string that does not keep the text it was cut from alive: V8 represents
 * slices of 13 characters or more as views of their parent, and a kept field would keep
 * its whole input chunk in memory.
 */
export function detach(text: string): string {
  return text.length < 13 ? text : ` ${text}`.slice(1);
}

export class CsvParser {
  /** Given, or decided from the first non-blank line. */
  delimiter: CsvDelimiter | undefined;
  /** Text held until the header line is complete (the delimiter is unknown until then). */
  private pending: string[] = [];
  private pendingLength = 0;
  /** Where the search for the header line is in `pending`: each character is looked at once. */
  private header = { inQuotes: false, lineStart: 0, content: false };
  private state = START;
  private field = '';
  /** The unquoted field so far has something other than spaces (a quote then is a quote). */
  private fieldNonBlank = false;
  private fields: string[] = [];
  private fieldLines: number[] = [];
  private fieldColumns: number[] = [];
  private inRecord = false;
  private recordLine = 1;
  /** Offset of the record's first character in the whole input, and of the next chunk's. */
  private recordStart = 0;
  private consumed = 0;
  private tooLong: { excerpt: string } | undefined;
  private fieldLine = 1;
  private fieldColumn = 1;
  private lineNo = 1;
  private column = 1;
  private afterCR = false;
  private sepLine = false;

  constructor(delimiter?: CsvDelimiter) {
    this.delimiter = delimiter;
  }

  /** The physical line of the next character. */
  get line(): number {
    if (this.delimiter !== undefined) return this.lineNo;
    return 1 + (this.pending.join('').match(/\r\n|\r|\n/g)?.length ?? 0);
  }

  push(text: string): CsvRecord[] {
    const out: CsvRecord[] = [];
    if (this.delimiter === undefined) {
      const header = this.findHeader(text);
      if (header === undefined) return out;
      this.decide(header);
      text = this.takePending();
    }
    this.scan(text, out);
    return this.dropSepLine(out);
  }

  /**
   * Adds text to `pending` and returns the first line with something other than spaces once
   * it is complete (it ends outside quotes), or the first {@link MAX_RECORD_CHARS} characters
   * when no line ended by then: the scan then reports the record as too long.
   */
  private findHeader(text: string, atEnd = false): string | undefined {
    const h = this.header;
    const base = this.pendingLength;
    this.pending.push(text);
    this.pendingLength += text.length;
    let end = -1;
    for (let i = 0; i < text.length && end < 0; i++) {
      const c = text.charCodeAt(i);
      if (c === QUOTE) {
        h.inQuotes = !h.inQuotes;
        h.content = true;
      } else if (!h.inQuotes && (c === LF || c === CR)) {
        if (h.content) end = base + i;
        else h.lineStart = base + i + 1;
      } else if (!h.content && !/\s/.test(text[i]!)) h.content = true;
    }
    if (end < 0) {
      if (atEnd) {
        if (!h.content) return undefined;
        end = this.pendingLength;
      } else if (this.pendingLength - h.lineStart > MAX_RECORD_CHARS) end = h.lineStart + MAX_RECORD_CHARS;
      else return undefined;
    }
    return this.pending.join('').slice(h.lineStart, end);
  }

  private takePending(): string {
    const text = this.pending.join('');
    this.pending = [];
    this.pendingLength = 0;
    return text;
  }

  /** Excel's `sep=;` first line names the delimiter; it is not a record. */
  private decide(header: string): void {
    const sep = /^ *sep=([,;\t]) *$/i.exec(header);
    this.sepLine = sep !== null;
    this.delimiter = sep ? (sep[1] as CsvDelimiter) : detectDelimiter(header);
  }

  private dropSepLine(out: CsvRecord[]): CsvRecord[] {
    if (!this.sepLine) return out;
    const i = out.findIndex((r) => r.tooLong !== undefined || r.fields.some((f) => f.trim() !== ''));
    if (i < 0) return out;
    this.sepLine = false;
    return out.slice(i + 1);
  }

  end(): CsvRecord[] {
    const out: CsvRecord[] = [];
    if (this.delimiter === undefined) {
      this.decide(this.findHeader('', true) ?? '');
      this.scan(this.takePending(), out);
    }
    const at = this.consumed;
    switch (this.state) {
      case QUOTED:
        this.endField(this.field, at);
        this.endRecord(out, true, at);
        break;
      case UNQUOTED:
      case QUOTE_IN_QUOTED:
        this.endField(this.field, at);
        this.endRecord(out, false, at);
        break;
      case START:
        if (this.inRecord) {
          this.endField('', at);
          this.endRecord(out, false, at);
        }
        break;
    }
    this.state = START;
    return this.dropSepLine(out);
  }

  /** `at`: the offset in the whole input where the field ends. */
  private endField(value: string, at: number): void {
    this.field = '';
    if (this.tooLong === undefined && at - this.recordStart > MAX_RECORD_CHARS) this.markTooLong(value);
    if (this.tooLong !== undefined) return;
    this.fields.push(value);
    this.fieldLines.push(this.fieldLine);
    this.fieldColumns.push(this.fieldColumn);
  }

  /** From here on the record's text is dropped as it is read; only an excerpt of its start is kept. */
  private markTooLong(current: string): void {
    let head = '';
    for (const f of this.fields) {
      head += f.slice(0, EXCERPT_CHARS + 1) + this.delimiter!;
      if (head.length > EXCERPT_CHARS) break;
    }
    head += current.slice(0, EXCERPT_CHARS + 1);
    this.tooLong = { excerpt: excerpt(head.replace(/[\r\n]+/g, ' ')) };
    this.fields = [];
    this.fieldLines = [];
    this.fieldColumns = [];
  }

  private endRecord(out: CsvRecord[], unterminated: boolean, at: number): void {
    if (this.tooLong === undefined && at - this.recordStart > MAX_RECORD_CHARS) this.markTooLong('');
    if (this.tooLong !== undefined) {
      // Where the last field starts: for a quote never closed, where the quote is.
      out.push({
        fields: [],
        lines: [this.fieldLine],
        columns: [this.fieldColumn],
        line: this.recordLine,
        unterminated,
        tooLong: this.tooLong,
      });
      this.tooLong = undefined;
    } else {
      out.push({
        fields: this.fields,
        lines: this.fieldLines,
        columns: this.fieldColumns,
        line: this.recordLine,
        unterminated,
      });
    }
    this.fields = [];
    this.fieldLines = [];
    this.fieldColumns = [];
    this.inRecord = false;
  }

  private scan(s: string, out: CsvRecord[]): void {
    const delim = this.delimiter!.charCodeAt(0);
    const n = s.length;
    const base = this.consumed;
    let state = this.state;
    let line = this.lineNo;
    let column = this.column;
    let afterCR = this.afterCR;
    let segStart = 0;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c === LF && afterCR) {
        // The LF of a CRLF: the line was counted at the CR.
        afterCR = false;
        continue;
      }
      afterCR = c === CR;
      const newline = c === LF || c === CR;
      switch (state) {
        case START:
          if (!this.inRecord) {
            this.inRecord = true;
            this.recordLine = line;
            this.recordStart = base + i;
          }
          this.fieldLine = line;
          this.fieldColumn = column;
          if (c === QUOTE) {
            state = QUOTED;
            segStart = i + 1;
          } else if (c === delim) {
            this.endField('', base + i);
          } else if (newline) {
            this.endField('', base + i);
            this.endRecord(out, false, base + i);
          } else {
            state = UNQUOTED;
            segStart = i;
            this.fieldNonBlank = c !== 0x20 && c !== 0x09;
          }
          break;
        case UNQUOTED:
          if (c === delim || newline) {
            this.endField(this.field + s.slice(segStart, i), base + i);
            state = START;
            if (newline) this.endRecord(out, false, base + i);
          } else if (c === QUOTE && !this.fieldNonBlank) {
            // `a, "b, c"`: spaces before the opening quote are not part of the field.
            this.field = '';
            state = QUOTED;
            segStart = i + 1;
          } else if (c !== 0x20 && c !== 0x09) this.fieldNonBlank = true;
          break;
        case QUOTED:
          if (c === QUOTE) {
            this.field += s.slice(segStart, i);
            state = QUOTE_IN_QUOTED;
          }
          break;
        case QUOTE_IN_QUOTED:
          if (c === QUOTE) {
            state = QUOTED;
            segStart = i; // keeps this quote: "" is one quote
          } else if (c === delim || newline) {
            this.endField(this.field, base + i);
            state = START;
            if (newline) this.endRecord(out, false, base + i);
          } else {
            state = UNQUOTED; // `"a"b`: keep the b
            segStart = i;
            this.fieldNonBlank = true;
          }
          break;
      }
      if (newline) {
        line++;
        column = 1;
      } else column++;
    }
    if (state === UNQUOTED || state === QUOTED) this.field += s.slice(segStart);
    this.consumed = base + n;
    if (this.inRecord && this.tooLong === undefined && this.consumed - this.recordStart > MAX_RECORD_CHARS)
      this.markTooLong(this.field);
    // A record too long keeps nothing of its text between chunks.
    if (this.tooLong !== undefined) this.field = '';
    this.state = state;
    this.lineNo = line;
    this.column = column;
    this.afterCR = afterCR;
  }
}

/** Parses a whole text at once. */
export function parseCsv(
  text: string,
  delimiter?: CsvDelimiter,
): { delimiter: CsvDelimiter; records: CsvRecord[] } {
  const parser = new CsvParser(delimiter);
  const records = [...parser.push(text), ...parser.end()];
  return { delimiter: parser.delimiter ?? ',', records };
}
