/**
 * The one error type of aimq, and the diagnostics that validators collect.
 *
 * Every problem a user can cause has a stable code from {@link CODES}; the CLI prints
 * `file:line:col severity: message [CODE]` and a hint, and maps codes to exit codes.
 */

import { counted, inLang, type Message } from '../i18n/text.js';

export type Severity = 'error' | 'warning';

/** Exit codes, documented in the README. */
export const EXIT = {
  ok: 0,
  content: 1,
  usage: 2,
  sending: 3,
  internal: 70,
} as const;

/** Every stable code, with the sentence that explains it (printed by `aimq codes`). */
export const CODES = {
  // usage and configuration: exit 2
  'AIMQ-USAGE': 'The command line is not valid.',
  'AIMQ-CONFIG-MISSING': 'No aimq.config.yaml was found in the project folder.',
  'AIMQ-CONFIG-YAML': 'aimq.config.yaml is not valid YAML.',
  'AIMQ-CONFIG-FIELD': 'A required configuration field is missing or has the wrong type.',
  'AIMQ-CONFIG-UNKNOWN': 'aimq.config.yaml has a key aimq does not know.',
  'AIMQ-RELEASE-NOT-FOUND': 'A release folder named on the command line does not exist.',
  'AIMQ-OUTPUT-UNWRITABLE': 'The output folder cannot be written.',
  'AIMQ-EXISTS': 'The file or folder to create already exists.',
  'AIMQ-TEMPLATE': 'A template could not be read or rendered.',
  'AIMQ-EMAIL-CONFIG': 'The e-mail settings (email: in aimq.config.yaml) are missing or incomplete.',
  'AIMQ-DKIM-KEY': 'The DKIM private key could not be read from its file or environment variable.',
  'AIMQ-EDITION': 'The release has no such e-mail edition.',
  'AIMQ-LIST-NOT-FOUND': 'A recipient list named on the command line does not exist.',
  'AIMQ-OUTBOX':
    'The outbox database cannot be opened: locked by another aimq for too long, damaged or empty, or from a newer aimq.',
  'AIMQ-CAMPAIGN-NOT-FOUND': 'No campaign in the outbox has that id.',
  'AIMQ-SMTP-CONFIG': 'No SMTP server is configured, or its settings are invalid.',
  'AIMQ-SMTP': 'The SMTP server could not be reached, refused the connection or the credentials.',
  'AIMQ-IMAP-CONFIG':
    'No IMAP mailbox is configured (inbox: in aimq.config.yaml), or its settings are invalid.',
  'AIMQ-IMAP': 'The IMAP server could not be reached, refused the connection or the credentials.',
  'AIMQ-INBOX-FILE': 'A mailbox to import (.eml, mbox or Maildir) cannot be found or read.',
  'AIMQ-SEND-FAILED': 'Some messages could not be sent, or may not have been.',
  'AIMQ-CONFIRM': 'Sending needs a confirmation: a terminal, or --yes.',
  'AIMQ-BROWSER': 'No Chrome or Chromium was found, or it failed, to take screenshots or print a PDF.',
  'AIMQ-SCHEDULE': 'A send time is not valid: it does not exist, happens twice, or is past.',
  'AIMQ-DISPATCH-TARGET': 'A dispatch entry names a list file that does not exist.',
  'AIMQ-DISPATCH-MISSED': 'A scheduled send was not made: its time passed longer ago than dispatch.maxDelay.',
  'AIMQ-UNSUBSCRIBE-SECRET':
    'AIMQ_UNSUBSCRIBE_SECRET is missing or shorter than 32 characters, and one-click unsubscribe links need it.',
  'AIMQ-OUTPUT-INSIDE-INPUT':
    'The output folder is inside what a build reads (releases/, templates/, lists/, the config): it would read its own output.',
  // content: exit 1
  'AIMQ-YAML': 'The front matter is not valid YAML.',
  'AIMQ-FRONT-MATTER': 'The file does not start with a front matter block (---).',
  'AIMQ-FIELD-MISSING': 'A required front-matter field is missing.',
  'AIMQ-FIELD-TYPE': 'A front-matter field has the wrong type or an invalid value.',
  'AIMQ-FIELD-UNKNOWN': 'A front-matter key is not part of the release format.',
  'AIMQ-DATE': 'A date or date-time does not exist or is not in ISO 8601 form.',
  'AIMQ-EMAIL': 'An e-mail address is not valid.',
  'AIMQ-PHONE': 'A phone number is not valid.',
  'AIMQ-CONTACT': 'The contacts are missing or do not match between editions.',
  'AIMQ-IMAGE-MISSING': 'An image file referred to by the release does not exist.',
  'AIMQ-IMAGE-ALT': 'An image has no alternative text in an edition.',
  'AIMQ-TRANSLATION-MISMATCH':
    'A translation sets a field that must equal the primary edition to a different value.',
  'AIMQ-PRIMARY-MISSING': 'The release has no edition in the primary language.',
  'AIMQ-LANGUAGE-UNKNOWN': 'A release file is named for a language the config does not list.',
  'AIMQ-FOLDER-NAME': 'The release folder name is not <yyyy-mm-dd>-<slug>.',
  'AIMQ-SLUG': 'A translated slug is not a valid URL segment or is used twice.',
  'AIMQ-EMPTY-BODY': 'An edition has no body text.',
  'AIMQ-SVG-ACTIVE':
    'An SVG image of a release holds script or other active content (event attributes, javascript: or external links, foreignObject).',
  'AIMQ-OUTSIDE-RELEASE':
    'A release file or image is a symbolic link to a file outside the release folder: it is never read.',
  'AIMQ-LIST-HEADER': 'A recipient list has no header line, or its header has no email column.',
  'AIMQ-LIST-CSV':
    'A recipient list is not valid CSV: a quoted field is never closed, or a line is over 65,536 characters.',
  'AIMQ-LIST-ENCODING':
    'A recipient list is in an encoding aimq does not read (UTF-16); save it as CSV UTF-8.',
  'AIMQ-LIST-EMAIL': 'A line of a recipient list has no address or an invalid one.',
  'AIMQ-LIST-LANGUAGE': "A recipient's language is not fr, en or bilingual (français, anglais, bilingue).",
  'AIMQ-LIST-CONSENT-DATE': 'A consent date in a recipient list is not a real ISO date (YYYY-MM-DD).',
  'AIMQ-LIST-CONSENT':
    'A consent basis in a recipient list is not understood (express, implied, inquiry, implied-published…).',
  'AIMQ-DOCTOR': 'aimq doctor could not run its checks: the DNS server did not answer.',
  // warnings
  'AIMQ-TYPO-TIME': 'A time is not written the OQLF way (9 h 30, 14 h).',
  'AIMQ-TYPO-ORDINAL': 'An ordinal is not abbreviated the OQLF way (1er, 1re, 2e).',
  'AIMQ-TYPO-AMPM': 'French text uses a.m./p.m.; French uses the 24-hour clock.',
  'AIMQ-TRANSLATION-NUMBER': 'A number appears in one edition and not in the other.',
  'AIMQ-TRANSLATION-AMOUNT': 'An amount appears in one edition and not in the other.',
  'AIMQ-TRANSLATION-DATE': 'A date appears in one edition and not in the other.',
  'AIMQ-TRANSLATION-EMAIL': 'An e-mail address appears in one edition and not in the other.',
  'AIMQ-TRANSLATION-URL': 'A URL appears in one edition and not in the other.',
  'AIMQ-TRANSLATION-MISSING': 'A release has no edition in one of the configured languages.',
  'AIMQ-RAW-HTML': 'Raw HTML in markdown is removed from the output.',
  'AIMQ-DATE-MISMATCH': 'The release folder date differs from the front-matter date.',
  'AIMQ-EMAIL-SIZE': 'An e-mail edition is over 102 KB of HTML: Gmail clips it.',
  'AIMQ-LINK-INSECURE': 'A link does not use https.',
  'AIMQ-DKIM-ALIGNMENT':
    'The DKIM signing domain is not the sender’s organisational domain: the signature does not pass DMARC.',
  'AIMQ-EMAIL-LAW':
    'E-mail cannot be sent lawfully yet: no unsubscribe mechanism or no postal address (CASL).',
  'AIMQ-LIST-DUPLICATE':
    'An address appears twice in a recipient list (case ignored); only the first line is used.',
  'AIMQ-LIST-COLUMN':
    'A recipient list has a column aimq does not know, or two columns for one field: ignored.',
  'AIMQ-LIST-MIXED-ENCODING': 'A recipient list mixes UTF-8 and Windows-1252 lines.',
  'AIMQ-CONSENT-MISSING':
    'A recipient list has no consent column: CASL requires a record of each recipient’s consent, and expired implied consent cannot be detected.',
  'AIMQ-PLACEHOLDER':
    'A value is still the placeholder that aimq init or aimq release new wrote: edit it before publishing.',
  'AIMQ-DATE-FUTURE': 'The release is dated in the future and has no embargo: a build publishes it at once.',
  'AIMQ-PLACE-MISSING': "A translation has no place: its dateline uses the primary edition's city.",
  // internal: exit 70
  'AIMQ-INTERNAL': 'An unexpected error inside aimq. Please report it.',
} as const;

export type Code = keyof typeof CODES;

/** A located problem, as validators collect them. Lines and columns are 1-based, in the file itself. */
export interface Diagnostic {
  file: string;
  line: number;
  column: number;
  severity: Severity;
  code: Code;
  message: Message;
  hint?: Message;
}

export interface AimqErrorOptions {
  file?: string;
  line?: number;
  column?: number;
  hint?: Message;
  cause?: unknown;
}

/** A problem that stops a command. Thrown by stages, printed and mapped to an exit code by the CLI only. */
export class AimqError extends Error {
  readonly code: Code;
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly hint: Message | undefined;
  /** The message in both languages; `message` is its English, for logs and stack traces. */
  readonly text: Message;

  constructor(code: Code, message: Message, options: AimqErrorOptions = {}) {
    super(inLang(message, 'en'), options.cause === undefined ? undefined : { cause: options.cause });
    this.text = message;
    this.name = 'AimqError';
    this.code = code;
    this.file = options.file;
    this.line = options.line;
    this.column = options.column;
    this.hint = options.hint;
  }
}

/** Thrown when validation found errors: carries every diagnostic, not just the first. */
export class AimqProblems extends AimqError {
  readonly diagnostics: Diagnostic[];
  constructor(
    diagnostics: Diagnostic[],
    code: Code = diagnostics.find((d) => d.severity === 'error')?.code ?? 'AIMQ-INTERNAL',
  ) {
    const problems = counted(diagnostics.filter((d) => d.severity === 'error').length, {
      fr: ['problème trouvé', 'problèmes trouvés'],
      en: ['problem found', 'problems found'],
    });
    super(code, problems);
    this.name = 'AimqProblems';
    this.diagnostics = diagnostics;
  }
}

const USAGE_CODES: ReadonlySet<Code> = new Set<Code>([
  'AIMQ-USAGE',
  'AIMQ-CONFIG-MISSING',
  'AIMQ-CONFIG-YAML',
  'AIMQ-CONFIG-FIELD',
  'AIMQ-CONFIG-UNKNOWN',
  'AIMQ-RELEASE-NOT-FOUND',
  'AIMQ-OUTPUT-UNWRITABLE',
  'AIMQ-EXISTS',
  'AIMQ-TEMPLATE',
  'AIMQ-EMAIL-CONFIG',
  'AIMQ-DKIM-KEY',
  'AIMQ-EDITION',
  'AIMQ-LIST-NOT-FOUND',
  'AIMQ-OUTBOX',
  'AIMQ-CAMPAIGN-NOT-FOUND',
  'AIMQ-SMTP-CONFIG',
  'AIMQ-IMAP-CONFIG',
  'AIMQ-IMAP',
  'AIMQ-INBOX-FILE',
  'AIMQ-CONFIRM',
  'AIMQ-SCHEDULE',
  'AIMQ-BROWSER',
  'AIMQ-OUTPUT-INSIDE-INPUT',
  'AIMQ-UNSUBSCRIBE-SECRET',
  'AIMQ-DOCTOR',
]);

/**
 * Warnings a release may acknowledge in its front matter (`acknowledge: [CODE]`), once a
 * person has looked and decided the finding is right: the translation facts, which a
 * legitimate translation can differ in (`conseil-administration` / `board-of-directors`).
 */
export const ACKNOWLEDGEABLE: readonly Code[] = [
  'AIMQ-TRANSLATION-NUMBER',
  'AIMQ-TRANSLATION-AMOUNT',
  'AIMQ-TRANSLATION-DATE',
  'AIMQ-TRANSLATION-EMAIL',
  'AIMQ-TRANSLATION-URL',
  'AIMQ-TYPO-TIME',
  'AIMQ-TYPO-ORDINAL',
  'AIMQ-TYPO-AMPM',
  'AIMQ-RAW-HTML',
  'AIMQ-LINK-INSECURE',
  'AIMQ-DATE-MISMATCH',
  'AIMQ-DATE-FUTURE',
  'AIMQ-PLACE-MISSING',
];

const SENDING_CODES: ReadonlySet<Code> = new Set<Code>(['AIMQ-SMTP', 'AIMQ-SEND-FAILED']);

/** The exit code a code leads to: 2 for usage and configuration, 70 internal, 1 for content. */
export function exitCodeFor(code: Code): number {
  if (code === 'AIMQ-INTERNAL') return EXIT.internal;
  if (SENDING_CODES.has(code)) return EXIT.sending;
  return USAGE_CODES.has(code) ? EXIT.usage : EXIT.content;
}

export function isUsageCode(code: Code): boolean {
  return USAGE_CODES.has(code);
}
