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
  return text.length < 13 ? text : (' ' + text).slice(1);
}

export class CsvParser {
  /** Given, or decided from the first non-blank line. */
  delimiter: CsvDelimiter | undefined;
  private pending = '';
  private state = START;
  private field = '';
  private fields: string[] = [];
  private fieldLines: number[] = [];
  private fieldColumns: number[] = [];
  private inRecord = false;
  private recordLine = 1;
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
    return 1 + (this.pending.match(/\r\n|\r|\n/g)?.length ?? 0);
  }

  push(text: string): CsvRecord[] {
    const out: CsvRecord[] = [];
    if (this.delimiter === undefined) {
      this.pending += text;
      const header = firstContentLine(this.pending);
      if (header === undefined) return out;
      this.decide(header);
      text = this.pending;
      this.pending = '';
    }
    this.scan(text, out);
    return this.dropSepLine(out);
  }

  /** Excel's `sep=;` first line names the delimiter; it is not a record. */
  private decide(header: string): void {
    const sep = /^ *sep=([,;\t]) *$/i.exec(header);
    this.sepLine = sep !== null;
    this.delimiter = sep ? (sep[1] as CsvDelimiter) : detectDelimiter(header);
  }

  private dropSepLine(out: CsvRecord[]): CsvRecord[] {
    if (!this.sepLine) return out;
    const i = out.findIndex((r) => r.fields.some((f) => f.trim() !== ''));
    if (i < 0) return out;
    this.sepLine = false;
    return out.slice(i + 1);
  }

  end(): CsvRecord[] {
    const out: CsvRecord[] = [];
    if (this.delimiter === undefined) {
      this.decide(firstContentLine(this.pending, true) ?? '');
      const text = this.pending;
      this.pending = '';
      this.scan(text, out);
    }
    switch (this.state) {
      case QUOTED:
        this.endField(this.field);
        this.endRecord(out, true);
        break;
      case UNQUOTED:
      case QUOTE_IN_QUOTED:
        this.endField(this.field);
        this.endRecord(out, false);
        break;
      case START:
        if (this.inRecord) {
          this.endField('');
          this.endRecord(out, false);
        }
        break;
    }
    this.state = START;
    return this.dropSepLine(out);
  }

  private endField(value: string): void {
    this.fields.push(value);
    this.fieldLines.push(this.fieldLine);
    this.fieldColumns.push(this.fieldColumn);
    this.field = '';
  }

  private endRecord(out: CsvRecord[], unterminated: boolean): void {
    out.push({
      fields: this.fields,
      lines: this.fieldLines,
      columns: this.fieldColumns,
      line: this.recordLine,
      unterminated,
    });
    this.fields = [];
    this.fieldLines = [];
    this.fieldColumns = [];
    this.inRecord = false;
  }

  private scan(s: string, out: CsvRecord[]): void {
    const delim = this.delimiter!.charCodeAt(0);
    const n = s.length;
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
          }
          this.fieldLine = line;
          this.fieldColumn = column;
          if (c === QUOTE) {
            state = QUOTED;
            segStart = i + 1;
          } else if (c === delim) {
            this.endField('');
          } else if (newline) {
            this.endField('');
            this.endRecord(out, false);
          } else {
            state = UNQUOTED;
            segStart = i;
          }
          break;
        case UNQUOTED:
          if (c === delim || newline) {
            this.endField(this.field + s.slice(segStart, i));
            state = START;
            if (newline) this.endRecord(out, false);
          } else if (c === QUOTE && (this.field + s.slice(segStart, i)).trim() === '') {
            // `a, "b, c"`: spaces before the opening quote are not part of the field.
            this.field = '';
            state = QUOTED;
            segStart = i + 1;
          }
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
            this.endField(this.field);
            state = START;
            if (newline) this.endRecord(out, false);
          } else {
            state = UNQUOTED; // `"a"b`: keep the b
            segStart = i;
          }
          break;
      }
      if (newline) {
        line++;
        column = 1;
      } else column++;
    }
    if (state === UNQUOTED || state === QUOTED) this.field += s.slice(segStart);
    this.state = state;
    this.lineNo = line;
    this.column = column;
    this.afterCR = afterCR;
  }
}

/** The first line with something other than spaces, if it is complete (ends outside quotes), or at the end of input. */
function firstContentLine(text: string, atEnd = false): string | undefined {
  let inQuotes = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (c === '\n' || c === '\r')) {
      const line = text.slice(start, i);
      if (line.trim() !== '') return line;
      start = i + 1;
    }
  }
  const rest = text.slice(start);
  return atEnd && rest.trim() !== '' ? rest : undefined;
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
