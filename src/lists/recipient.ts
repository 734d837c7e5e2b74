import type { Diagnostic } from '../errors/index.js';
import type { Message } from '../i18n/text.js';

/** The edition a recipient receives: French, English, or both in one message. */
export type RecipientLanguage = 'fr' | 'en' | 'bilingual';

export const RECIPIENT_LANGUAGES: readonly RecipientLanguage[] = ['fr', 'en', 'bilingual'];

/** One valid line of a recipient list. */
export interface Recipient {
  /** The address as written, trimmed. */
  email: string;
  /** The address lower-cased, for matching (duplicates, suppression list). */
  key: string;
  name: string;
  language: RecipientLanguage;
  organization: string;
  /** The consent basis, lower-cased: express, implied, implied-published, existing-relationship… or empty. */
  consent: string;
  /** As written (an ISO date, or date-time), or empty. */
  consentDate: string;
  consentSource: string;
  /** The list file, as shown in messages. */
  file: string;
  /** The physical line where the record starts. */
  line: number;
}

export type ListEncoding = 'utf-8' | 'windows-1252';

/** Information that is neither an error nor a warning: how the file was decoded. */
export interface ListNote {
  file: string;
  line: number;
  message: Message;
}

/**
 * What reading a list yields, in file order: a recipient, a problem, a note, or `rejected`
 * after the problems of a data line that gives no recipient because of its errors.
 * (A duplicate line is not rejected: it gives a warning and no recipient.)
 */
export interface ListItem {
  recipient?: Recipient;
  problem?: Diagnostic;
  note?: ListNote;
  rejected?: { file: string; line: number };
  /** The header line once read, when it has an email column: whether it records consent. */
  header?: { file: string; line: number; consent: boolean };
}

/** Accent-free, lower-case, without spaces, `-` and `_`: how header names and words are compared. */
export function foldWord(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[\s\-_]+/g, '');
}

const LANGUAGE_WORDS: ReadonlyMap<string, RecipientLanguage> = new Map<string, RecipientLanguage>([
  ['fr', 'fr'],
  ['francais', 'fr'],
  ['french', 'fr'],
  ['frca', 'fr'],
  ['en', 'en'],
  ['anglais', 'en'],
  ['english', 'en'],
  ['enca', 'en'],
  ['bilingual', 'bilingual'],
  ['bilingue', 'bilingual'],
  ['both', 'bilingual'],
  ['fren', 'bilingual'],
]);

/** The words accepted in a `language` column, as shown in hints. */
export const LANGUAGE_VALUES: readonly string[] = [
  'fr',
  'français',
  'en',
  'anglais',
  'english',
  'bilingual',
  'bilingue',
  'both',
];

/** `français`, `EN`, `Bilingue`, empty (bilingual)… into a language; undefined when not understood. */
export function parseLanguage(text: string): RecipientLanguage | undefined {
  const folded = foldWord(text);
  if (folded === '') return 'bilingual';
  return LANGUAGE_WORDS.get(folded);
}
