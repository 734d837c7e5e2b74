import type { Diagnostic } from '../errors/index.js';
import { didYouMean } from '../schema/did-you-mean.js';
import { excerpt, type CsvRecord } from './csv.js';
import { foldWord } from './recipient.js';

/** The fields of a recipient list. `firstName` is joined to `name` when a list splits them (prénom, nom). */
export type ListColumn =
  | 'email'
  | 'name'
  | 'firstName'
  | 'language'
  | 'organization'
  | 'consent'
  | 'consentDate'
  | 'consentSource';

/** How each column may be named, most specific first (a bare `adresse` loses to `courriel`). */
export const LIST_COLUMN_NAMES: Readonly<Record<ListColumn, readonly string[]>> = {
  email: [
    'email',
    'courriel',
    'e-mail',
    'adresse courriel',
    'adresse électronique',
    'adresse e-mail',
    'email address',
    'adresse',
  ],
  name: ['name', 'nom', 'nom complet', 'full name', 'last name', 'nom de famille'],
  firstName: ['prénom', 'first name', 'given name'],
  language: [
    'language',
    'langue',
    'lang',
    // What contact managers and CRMs in Quebec call it.
    'langue préférée',
    'langue de correspondance',
    'langue de communication',
    'preferred language',
  ],
  organization: [
    'organization',
    'organisation',
    'média',
    'médias',
    'organisme',
    'media',
    'entreprise',
    'company',
  ],
  consent: ['consent', 'consentement'],
  consentDate: ['consent_date', 'date_consentement', 'date du consentement', 'date de consentement'],
  consentSource: [
    'consent_source',
    'source_consentement',
    'source du consentement',
    'source de consentement',
  ],
};

/** The columns of the suppression list. */
export type SuppressionColumn = 'email' | 'date' | 'reason';

export const SUPPRESSION_COLUMN_NAMES: Readonly<Record<SuppressionColumn, readonly string[]>> = {
  email: LIST_COLUMN_NAMES.email,
  date: ['date'],
  reason: ['reason', 'raison', 'motif'],
};

export interface ColumnMap<C extends string> {
  /** The index of the field that holds each column, when the header has it. */
  index: Partial<Record<C, number>>;
  /** Unknown columns and second columns for the same field (warnings). */
  problems: Diagnostic[];
}

/**
 * Maps a header record to columns. Names are compared without case, accents, surrounding
 * spaces, and `-`/`_`/space differences. When two columns name the same field, the more
 * specific name wins, else the first; the other is reported and ignored.
 */
export function mapColumns<C extends string>(
  header: CsvRecord,
  names: Readonly<Record<C, readonly string[]>>,
  file: string,
): ColumnMap<C> {
  const lookup = new Map<string, { column: C; rank: number }>();
  for (const column of Object.keys(names) as C[]) {
    names[column].forEach((name, rank) => {
      if (!lookup.has(foldWord(name))) lookup.set(foldWord(name), { column, rank });
    });
  }
  const chosen = new Map<C, { index: number; rank: number }>();
  const problems: Diagnostic[] = [];
  const at = (i: number) => ({ file, line: header.lines[i] ?? header.line, column: header.columns[i] ?? 1 });
  const shown = (i: number) => excerpt(header.fields[i]!.trim());
  const known = (Object.keys(names) as C[]).map((c) => names[c][0]).join(', ');
  header.fields.forEach((raw, i) => {
    const folded = foldWord(raw);
    if (folded === '') return;
    const hit = lookup.get(folded);
    if (!hit) {
      const all = Object.values<readonly string[]>(names).flat();
      const suggestion = didYouMean(folded, all.map(foldWord));
      const suggested = suggestion === undefined ? undefined : all.find((n) => foldWord(n) === suggestion);
      problems.push({
        ...at(i),
        severity: 'warning',
        code: 'AIMQ-LIST-COLUMN',
        message: {
          fr: `colonne inconnue "${shown(i)}"\u00a0: ignorée`,
          en: `unknown column "${shown(i)}": ignored`,
        },
        hint: suggested
          ? { fr: `vouliez-vous dire "${suggested}"\u00a0?`, en: `did you mean "${suggested}"?` }
          : {
              fr: `colonnes connues\u00a0: ${known}`,
              en: `known columns: ${known}`,
            },
      });
      return;
    }
    const previous = chosen.get(hit.column);
    if (previous === undefined || hit.rank < previous.rank) {
      chosen.set(hit.column, { index: i, rank: hit.rank });
    }
  });
  // Report every column that lost to another for the same field.
  header.fields.forEach((raw, i) => {
    const hit = lookup.get(foldWord(raw));
    if (!hit) return;
    const winner = chosen.get(hit.column)!;
    if (winner.index === i) return;
    problems.push({
      ...at(i),
      severity: 'warning',
      code: 'AIMQ-LIST-COLUMN',
      message: {
        fr: `la colonne "${shown(i)}" est ignorée\u00a0: la colonne "${shown(winner.index)}" (colonne ${winner.index + 1}) est déjà la colonne ${names[hit.column][0]}`,
        en: `column "${shown(i)}" is ignored: column "${shown(winner.index)}" (column ${winner.index + 1}) is the ${names[hit.column][0]} column`,
      },
      hint: {
        fr: 'renommez ou retirez l’une des deux colonnes',
        en: 'rename or remove one of the two columns',
      },
    });
  });
  const index: Partial<Record<C, number>> = {};
  for (const [column, { index: i }] of chosen) index[column] = i;
  problems.sort((a, b) => a.line - b.line || a.column - b.column);
  return { index, problems };
}
