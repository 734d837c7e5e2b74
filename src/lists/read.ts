import { createReadStream } from 'node:fs';
import { AimqError, type Diagnostic } from '../errors/index.js';
import { formatNumber } from '../i18n/text.js';
import { CsvParser } from './csv.js';
import { ListDecoder, type DecodedText } from './encoding.js';
import type { ListEncoding, ListItem, ListNote, Recipient } from './recipient.js';
import { ListRows } from './rows.js';

/** Bytes in, items out: the decoder, the CSV parser and the row checks, with no I/O. */
export class ListReader {
  private readonly decoder = new ListDecoder();
  private readonly parser = new CsvParser();
  private readonly rows: ListRows;
  private stopped = false;
  private switched = false;

  constructor(private readonly file: string) {
    this.rows = new ListRows(file);
  }

  /** UTF-8, or Windows-1252 once a line was not valid UTF-8. */
  get encoding(): ListEncoding {
    return this.decoder.encoding;
  }

  push(chunk: Uint8Array): ListItem[] {
    return this.stopped ? [] : this.decoded(this.decoder.push(chunk));
  }

  end(): ListItem[] {
    if (this.stopped) return [];
    const items = this.decoded(this.decoder.end());
    if (this.stopped) return items;
    for (const rec of this.parser.end()) items.push(...this.rows.record(rec));
    items.push(...this.rows.end());
    return items;
  }

  private decoded(texts: DecodedText[]): ListItem[] {
    const items: ListItem[] = [];
    if (this.decoder.utf16) {
      this.stopped = true;
      items.push({
        problem: {
          file: this.file,
          line: 1,
          column: 1,
          severity: 'error',
          code: 'AIMQ-LIST-ENCODING',
          message: {
            fr: `le fichier est en ${this.decoder.utf16.toUpperCase()} (le «\u00a0Texte Unicode\u00a0» d’Excel)\u00a0: aimq lit les fichiers CSV en UTF-8 ou en Windows-1252`,
            en: `the file is ${this.decoder.utf16.toUpperCase()} (Excel’s “Unicode Text”): aimq reads CSV files in UTF-8 or Windows-1252`,
          },
          hint: {
            fr: 'dans Excel, enregistrez-le en «\u00a0CSV UTF-8 (délimité par des virgules)\u00a0»',
            en: 'in Excel, save it as “CSV UTF-8 (comma delimited)”',
          },
        },
      });
      return items;
    }
    for (const { text, encoding } of texts) {
      if (encoding === 'windows-1252' && !this.switched) {
        this.switched = true;
        items.push(this.encodingItem(this.parser.line));
      }
      for (const rec of this.parser.push(text)) items.push(...this.rows.record(rec));
    }
    return items;
  }

  private encodingItem(line: number): ListItem {
    if (!this.decoder.sawUtf8NonAscii) {
      const note: ListNote = {
        file: this.file,
        line,
        message: {
          fr: `UTF-8 non valide${line > 1 ? ` (à partir de la ligne ${formatNumber(line, 'fr')})` : ''}\u00a0: lu en Windows-1252, comme Excel enregistre les fichiers CSV sous Windows`,
          en: `not valid UTF-8${line > 1 ? ` (from line ${line})` : ''}: read as Windows-1252, as Excel saves CSV files on Windows`,
        },
      };
      return { note };
    }
    const problem: Diagnostic = {
      file: this.file,
      line,
      column: 1,
      severity: 'warning',
      code: 'AIMQ-LIST-MIXED-ENCODING',
      message: {
        fr: `les lignes avant la ligne ${formatNumber(line, 'fr')} sont en UTF-8, mais pas celle-ci\u00a0: la suite est lue en Windows-1252`,
        en: `lines before ${line} are UTF-8 but this one is not: read from here on as Windows-1252`,
      },
      hint: {
        fr: 'enregistrez de nouveau tout le fichier en «\u00a0CSV UTF-8\u00a0» pour que les accents soient bien lus sur chaque ligne',
        en: 'save the whole file again as “CSV UTF-8” so that accents are read right on every line',
      },
    };
    return { problem };
  }
}

/** A list being read: the items, and the encoding once known (Windows-1252 as soon as a line needed it). */
export interface ListStream extends AsyncIterable<ListItem> {
  readonly encoding: ListEncoding;
}

/**
 * Streams a list file: valid recipients and problems, in file order, holding one chunk
 * (64 KB) and the addresses seen so far (for duplicates), never all rows. `file` is how the
 * path is shown in messages. A missing file is an AimqError AIMQ-LIST-NOT-FOUND.
 */
export function readList(path: string, file: string): ListStream {
  let reader: ListReader | undefined;
  return {
    get encoding() {
      return reader?.encoding ?? 'utf-8';
    },
    async *[Symbol.asyncIterator]() {
      reader = new ListReader(file);
      const stream = createReadStream(path, { highWaterMark: 64 * 1024 });
      try {
        for await (const chunk of stream as AsyncIterable<Buffer>) yield* reader.push(chunk);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') {
          throw new AimqError(
            'AIMQ-LIST-NOT-FOUND',
            code === 'EISDIR'
              ? {
                  fr: `${file} est un dossier, pas un fichier de liste`,
                  en: `${file} is a folder, not a list file`,
                }
              : { fr: `fichier de liste introuvable\u00a0: ${file}`, en: `no list file ${file}` },
            {
              cause: err,
              hint: {
                fr: 'les listes sont des fichiers CSV dans le dossier lists/ du projet',
                en: 'lists are CSV files in the lists/ folder of the project',
              },
            },
          );
        }
        throw err;
      } finally {
        stream.destroy();
      }
      yield* reader.end();
    },
  };
}

/** The synchronous variant, for tests and small inputs. Duplicate lines give a warning and no recipient. */
export function parseListText(
  bytes: Buffer,
  file: string,
): { recipients: Recipient[]; problems: Diagnostic[]; notes: ListNote[]; encoding: ListEncoding } {
  const reader = new ListReader(file);
  const recipients: Recipient[] = [];
  const problems: Diagnostic[] = [];
  const notes: ListNote[] = [];
  for (const item of [...reader.push(bytes), ...reader.end()]) {
    if (item.recipient) recipients.push(item.recipient);
    if (item.problem) problems.push(item.problem);
    if (item.note) notes.push(item.note);
  }
  return { recipients, problems, notes, encoding: reader.encoding };
}
