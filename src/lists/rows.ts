import type { Diagnostic } from '../errors/index.js';
import { formatNumber, type Text } from '../i18n/text.js';
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
          {
            fr: 'un champ entre guillemets commence ici et n’est jamais fermé\u00a0: le reste du fichier forme un seul champ',
            en: 'a quoted field starts here and is never closed: the rest of the file is one field',
          },
          CLOSE_QUOTE,
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
          {
            fr: 'un champ entre guillemets commence ici et n’est jamais fermé\u00a0: le reste du fichier forme un seul champ',
            en: 'a quoted field starts here and is never closed: the rest of the file is one field',
          },
          CLOSE_QUOTE,
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
          message: {
            fr: `cette ligne dépasse ${formatNumber(MAX_RECORD_CHARS, 'fr')} caractères (elle commence par "${start}")\u00a0: pas lue`,
            en: `this line is longer than ${MAX_RECORD_CHARS.toLocaleString('en')} characters (it starts with "${start}"): not read`,
          },
          hint: {
            fr: 'une ligne de liste contient un destinataire\u00a0; vérifiez qu’il s’agit bien d’une liste CSV et qu’aucun guillemet (") n’est resté ouvert plus haut',
            en: 'a list line holds one recipient; check that this is a CSV list, and that no quote (") is left open above',
          },
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
          message: {
            fr: 'la liste est vide\u00a0: elle n’a pas de ligne d’en-tête',
            en: 'the list is empty: it has no header line',
          },
          hint: {
            fr: 'la première ligne nomme les colonnes, p. ex. email,name,language,organization,consent,consent_date,consent_source',
            en: 'the first line names the columns, e.g. email,name,language,organization,consent,consent_date,consent_source',
          },
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
          message: {
            fr: `la ligne d’en-tête n’a pas de colonne email (colonnes\u00a0: ${columnList(rec.fields, 'fr')})`,
            en: `the header line has no email column (columns: ${columnList(rec.fields, 'en')})`,
          },
          hint: looksLikeData
            ? {
                fr: 'la première ligne ressemble à un destinataire\u00a0: ajoutez d’abord une ligne d’en-tête, p. ex. email,name,language',
                en: 'the first line looks like a recipient: add a header line first, e.g. email,name,language',
              }
            : {
                fr: 'nommez la colonne des adresses "email" ou "courriel"',
                en: 'name the address column "email" or "courriel"',
              },
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
          { fr: 'cette ligne n’a pas d’adresse courriel', en: 'this line has no e-mail address' },
          { fr: 'inscrivez l’adresse ou supprimez la ligne', en: 'fill in the address or delete the line' },
        ),
      );
      valid = false;
    } else if (!isEmail(email)) {
      items.push(
        this.problem(
          rec,
          emailIndex,
          'AIMQ-LIST-EMAIL',
          {
            fr: `"${excerpt(email)}" n’est pas une adresse courriel valide`,
            en: `"${excerpt(email)}" is not a valid e-mail address`,
          },
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
          {
            fr: `langue "${excerpt(languageText)}" non comprise\u00a0: utilisez fr, en ou bilingual`,
            en: `language "${excerpt(languageText)}" is not understood: use fr, en or bilingual`,
          },
          {
            fr: `${suggested ? `vouliez-vous dire "${suggested}"\u00a0? ` : ''}français, anglais et bilingue fonctionnent aussi\u00a0; vide veut dire bilingue`,
            en: `${suggested ? `did you mean "${suggested}"? ` : ''}français, anglais and bilingue work too; empty means bilingual`,
          },
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
          {
            fr: `consentement "${excerpt(consent)}" non compris\u00a0: aimq ne peut pas savoir s’il permet l’envoi`,
            en: `consent "${excerpt(consent)}" is not understood: aimq cannot tell whether it allows sending`,
          },
          {
            fr: `${suggested ? `vouliez-vous dire "${suggested}"\u00a0? ` : ''}utilisez express (exprès), implied (relation d’affaires en cours), inquiry (demande de renseignements) ou implied-published (adresse publiée)`,
            en: `${suggested ? `did you mean "${suggested}"? ` : ''}use express, implied (an existing business relationship), inquiry or implied-published`,
          },
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
            ? {
                fr: `la date de consentement ${consentDate} n’existe pas`,
                en: `consent date ${consentDate} does not exist`,
              }
            : {
                fr: `la date de consentement "${excerpt(consentDate)}" n’est pas une date ISO`,
                en: `consent date "${excerpt(consentDate)}" is not an ISO date`,
              },
          real
            ? { fr: 'vérifiez le jour et le mois', en: 'check the day and month' }
            : {
                fr: 'écrivez AAAA-MM-JJ, p. ex. 2024-03-15 (dans Excel, mettez la colonne au format texte ou aaaa-mm-jj)',
                en: 'write YYYY-MM-DD, e.g. 2024-03-15 (in Excel, format the column as text or as yyyy-mm-dd)',
              },
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
            {
              fr: `"${excerpt(email)}" figure déjà à la ligne ${first}`,
              en: `"${excerpt(email)}" is already on line ${first}`,
            },
            {
              fr: 'seule la première ligne est utilisée\u00a0; supprimez celle-ci',
              en: 'only the first line is used; delete this one',
            },
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
    message: Text,
    hint: Text,
    severity: Diagnostic['severity'] = 'error',
  ): ListItem {
    return {
      problem: {
        file: this.file,
        line: rec.lines[field] ?? rec.line,
        column: rec.columns[field] ?? 1,
        severity,
        code,
        message: detachText(message),
        hint: detachText(hint),
      },
    };
  }
}

/** The header's fields as a message quotes them: the first ten, each cut short. */
function columnList(fields: readonly string[], lang: 'fr' | 'en'): string {
  const shown = fields.slice(0, 10).map((f) => `"${excerpt(f.trim())}"`);
  if (fields.length > 10)
    shown.push(
      lang === 'fr' ? `… ${formatNumber(fields.length, 'fr')} en tout` : `… ${fields.length} in all`,
    );
  return shown.join(', ');
}

/** A message's words copied out of the line they quote, so that the line's buffer can go. */
function detachText(text: Text): Text {
  return { fr: detach(text.fr), en: detach(text.en) };
}

const CLOSE_QUOTE: Text = {
  fr: 'fermez le guillemet ("), ou écrivez "" pour un guillemet à l’intérieur d’un champ entre guillemets',
  en: 'close the quote ("), or write "" for a quote inside a quoted field',
};

/** Characters no one sees, that a copy from a web page or Word brings along: zero-width spaces and marks, BOM, soft hyphen. */
const INVISIBLE = /[\u00ad\u200b\u200e\u200f\u2060\ufeff]/;

function emailHint(email: string): Text {
  if (/[<>]/.test(email))
    return {
      fr: 'écrivez l’adresse seule\u00a0: le nom va dans la colonne name',
      en: 'write the address alone: the name goes in the name column',
    };
  if (/[,;]/.test(email) || (email.match(/@/g)?.length ?? 0) > 1)
    return { fr: 'une adresse par ligne', en: 'one address per line' };
  if (/\s/.test(email)) return { fr: 'une adresse ne contient pas d’espace', en: 'an address has no spaces' };
  if (/^mailto:/i.test(email)) return { fr: 'retirez "mailto:"', en: 'remove "mailto:"' };
  if (INVISIBLE.test(email))
    return {
      fr: 'l’adresse contient un caractère invisible (montré \\u…), souvent collé d’une page Web ou d’un document Word : retapez-la',
      en: 'the address holds an invisible character (shown as \\u…), often pasted from a web page or a Word document: type it again',
    };
  if (/[^\x21-\x7e]/.test(email.split('@')[0]!))
    return {
      fr: 'aimq n’envoie qu’aux adresses dont la partie avant le @ est en ASCII (sans accents) : demandez l’adresse sans accents de cette personne',
      en: 'aimq sends only to addresses whose part before the @ is ASCII (no accents): ask this person for an address without accents',
    };
  return { fr: 'écrivez-la sous la forme nom@example.org', en: 'write it as name@example.org' };
}
