import type { Diagnostic } from '../errors/index.js';
import { parseCalendarDate, parseDateTime } from '../time/zoned.js';
import { didYouMean } from '../schema/did-you-mean.js';
import { isEmail } from '../schema/formats.js';
import { LIST_COLUMN_NAMES, mapColumns, type ListColumn } from './columns.js';
import { CONSENT_VALUES, parseConsent } from './consent.js';
import { detach, excerpt, MAX_RECORD_CHARS, type CsvRecord } from './csv.js';
import {
  foldWord,
  LANGUAGE_VALUES,
  parseLanguage,
  type ListItem,
  type Recipient,
  type RecipientLanguage,
} from './recipient.js';

/**
 * Turns CSV records into recipients and problems, in order: the first non-blank record is
 * the header; blank records are skipped. Keeps only what duplicate detection needs (each
 * address's key and first line), never the rows.
 */
export class ListRows {
  private columns: Partial<Record<ListColumn, number>> | undefined;
  private noEmailColumn = false;
  private readonly seen = new Map<string, number>();
  /** Language cells repeat: a few distinct values, each folded once. */
  private readonly languages = new Map<string, RecipientLanguage | undefined>();

  constructor(private readonly file: string) {}

  record(rec: CsvRecord): ListItem[] {
    if (rec.tooLong) return this.tooLong(rec, rec.tooLong.excerpt);
    if (rec.fields.every((f) => f.trim() === '')) return [];
    if (rec.unterminated) {
      const last = rec.fields.length - 1;
      return [
        this.problem(
          rec,
          last,
          'AIMQ-LIST-CSV',
          `a quoted field starts here and is never closed: the rest of the file is one field`,
          'close the quote ("), or write "" for a quote inside a quoted field',
        ),
        ...(this.columns ? [{ rejected: { file: this.file, line: rec.line } }] : []),
      ];
    }
    if (!this.columns) return this.header(rec);
    if (this.noEmailColumn) return [];
    return this.row(rec, this.columns);
  }

  /** A record over the size limit: refused whole; as the header, it leaves the list without columns. */
  private tooLong(rec: CsvRecord, start: string): ListItem[] {
    const items: ListItem[] = [];
    if (rec.unterminated)
      items.push(
        this.problem(
          rec,
          0,
          'AIMQ-LIST-CSV',
          'a quoted field starts here and is never closed: the rest of the file is one field',
          'close the quote ("), or write "" for a quote inside a quoted field',
        ),
      );
    else
      items.push({
        problem: {
          file: this.file,
          line: rec.line,
          column: 1,
          severity: 'error',
          code: 'AIMQ-LIST-CSV',
          message: `this line is longer than ${MAX_RECORD_CHARS.toLocaleString('en')} characters (it starts with "${start}"): not read`,
          hint: 'a list line holds one recipient; check that this is a CSV list, and that no quote (") is left open above',
        },
      });
    if (this.columns) items.push({ rejected: { file: this.file, line: rec.line } });
    else {
      this.columns = {};
      this.noEmailColumn = true;
    }
    return items;
  }

  /** Call at the end of the input. */
  end(): ListItem[] {
    if (this.columns) return [];
    return [
      {
        problem: {
          file: this.file,
          line: 1,
          column: 1,
          severity: 'error',
          code: 'AIMQ-LIST-HEADER',
          message: 'the list is empty: it has no header line',
          hint: `the first line names the columns, e.g. email,name,language,organization,consent,consent_date,consent_source`,
        },
      },
    ];
  }

  private header(rec: CsvRecord): ListItem[] {
    const { index, problems } = mapColumns(rec, LIST_COLUMN_NAMES, this.file);
    this.columns = index;
    const items: ListItem[] = problems.map((problem) => ({ problem }));
    // Once per list: the commands that report on a list turn it into AIMQ-CONSENT-MISSING.
    if (index.email !== undefined)
      items.unshift({ header: { file: this.file, line: rec.line, consent: index.consent !== undefined } });
    if (index.email === undefined) {
      this.noEmailColumn = true;
      const looksLikeData = rec.fields.some((f) => f.includes('@'));
      items.unshift({
        problem: {
          file: this.file,
          line: rec.line,
          column: 1,
          severity: 'error',
          code: 'AIMQ-LIST-HEADER',
          message: `the header line has no email column (columns: ${columnList(rec.fields)})`,
          hint: looksLikeData
            ? 'the first line looks like a recipient: add a header line first, e.g. email,name,language'
            : 'name the address column "email" or "courriel"',
        },
      });
    }
    return items;
  }

  private row(rec: CsvRecord, columns: Partial<Record<ListColumn, number>>): ListItem[] {
    const get = (c: ListColumn) => {
      const i = columns[c];
      return i === undefined ? '' : (rec.fields[i] ?? '').trim();
    };
    const items: ListItem[] = [];
    const emailIndex = columns.email!;
    const email = get('email');
    let valid = true;
    let key: string | undefined;
    if (email === '') {
      items.push(
        this.problem(
          rec,
          emailIndex,
          'AIMQ-LIST-EMAIL',
          'this line has no e-mail address',
          'fill in the address or delete the line',
        ),
      );
      valid = false;
    } else if (!isEmail(email)) {
      items.push(
        this.problem(
          rec,
          emailIndex,
          'AIMQ-LIST-EMAIL',
          `"${excerpt(email)}" is not a valid e-mail address`,
          emailHint(email),
        ),
      );
      valid = false;
    } else key = detach(email).toLowerCase();

    const languageText = get('language');
    let language = this.languages.get(languageText);
    if (language === undefined) {
      language = parseLanguage(languageText);
      if (this.languages.size < 64) this.languages.set(detach(languageText), language);
    }
    if (!language) {
      const suggestion = didYouMean(foldWord(languageText), LANGUAGE_VALUES.map(foldWord));
      const suggested =
        suggestion === undefined ? undefined : LANGUAGE_VALUES.find((v) => foldWord(v) === suggestion);
      items.push(
        this.problem(
          rec,
          columns.language!,
          'AIMQ-LIST-LANGUAGE',
          `language "${excerpt(languageText)}" is not understood: use fr, en or bilingual`,
          `${suggested ? `did you mean "${suggested}"? ` : ''}français, anglais and bilingue work too; empty means bilingual`,
        ),
      );
      valid = false;
    }

    const consent = get('consent');
    if (consent !== '' && !parseConsent(consent)) {
      const suggestion = didYouMean(foldWord(consent), CONSENT_VALUES.map(foldWord));
      const suggested =
        suggestion === undefined ? undefined : CONSENT_VALUES.find((v) => foldWord(v) === suggestion);
      items.push(
        this.problem(
          rec,
          columns.consent!,
          'AIMQ-LIST-CONSENT',
          `consent "${excerpt(consent)}" is not understood: aimq cannot tell whether it allows sending`,
          `${suggested ? `did you mean "${suggested}"? ` : ''}use express, implied (an existing business relationship), inquiry or implied-published`,
        ),
      );
      valid = false;
    }

    const consentDate = get('consentDate');
    if (consentDate !== '' && !parseCalendarDate(consentDate) && !parseDateTime(consentDate).ok) {
      const real = /^\d{4}-\d{2}-\d{2}$/.test(consentDate);
      items.push(
        this.problem(
          rec,
          columns.consentDate!,
          'AIMQ-LIST-CONSENT-DATE',
          real
            ? `consent date ${consentDate} does not exist`
            : `consent date "${excerpt(consentDate)}" is not an ISO date`,
          real
            ? 'check the day and month'
            : 'write YYYY-MM-DD, e.g. 2024-03-15 (in Excel, format the column as text or as yyyy-mm-dd)',
        ),
      );
      valid = false;
    }

    if (key !== undefined) {
      const first = this.seen.get(key);
      if (first !== undefined) {
        items.push(
          this.problem(
            rec,
            emailIndex,
            'AIMQ-LIST-DUPLICATE',
            `"${excerpt(email)}" is already on line ${first}`,
            'only the first line is used; delete this one',
            'warning',
          ),
        );
        return valid ? items : [...items, { rejected: { file: this.file, line: rec.line } }];
      }
      this.seen.set(key, rec.line);
    }
    if (!valid || key === undefined) return [...items, { rejected: { file: this.file, line: rec.line } }];

    const firstName = get('firstName');
    const name = get('name');
    const recipient: Recipient = {
      email: key === email ? key : detach(email),
      key,
      name: detach(firstName && name ? `${firstName} ${name}` : firstName || name),
      language: language!,
      organization: detach(get('organization')),
      consent: detach(get('consent').toLowerCase()),
      consentDate: detach(consentDate),
      consentSource: detach(get('consentSource')),
      file: this.file,
      line: rec.line,
    };
    items.push({ recipient });
    return items;
  }

  private problem(
    rec: CsvRecord,
    field: number,
    code: Diagnostic['code'],
    message: string,
    hint: string,
    severity: Diagnostic['severity'] = 'error',
  ): ListItem {
    return {
      problem: {
        file: this.file,
        line: rec.lines[field] ?? rec.line,
        column: rec.columns[field] ?? 1,
        severity,
        code,
        message: detach(message),
        hint: detach(hint),
      },
    };
  }
}

/** The header's fields as a message quotes them: the first ten, each cut short. */
function columnList(fields: readonly string[]): string {
  const shown = fields.slice(0, 10).map((f) => `"${excerpt(f.trim())}"`);
  if (fields.length > 10) shown.push(`… ${fields.length} in all`);
  return shown.join(', ');
}

function emailHint(email: string): string {
  if (/[<>]/.test(email)) return 'write the address alone: the name goes in the name column';
  if (/[,;]/.test(email) || (email.match(/@/g)?.length ?? 0) > 1) return 'one address per line';
  if (/\s/.test(email)) return 'an address has no spaces';
  if (/^mailto:/i.test(email)) return 'remove "mailto:"';
  return 'write it as name@example.org';
}
