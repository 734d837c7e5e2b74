import type { Diagnostic } from '../errors/index.js';
import type { Text } from '../i18n/text.js';
import type { CalendarDate } from '../model/release.js';
import { formatCalendarDate, parseCalendarDate, parseDateTime, toLocal } from '../time/zoned.js';
import { foldWord, type Recipient } from './recipient.js';

/**
 * CASL consent (S.C. 2010, c. 23): express consent lasts until withdrawn; implied consent
 * from an existing business relationship lasts two years, from an inquiry six months
 * (s. 10(10)); a conspicuously published address (s. 10(9)(b)) has no period in the law,
 * only the condition that the message be relevant to the person's role, which aimq cannot
 * judge: it is treated as not expiring. An unsubscribe withdraws every basis; suppressed
 * addresses are never sent to, whatever their consent.
 */
export type ConsentBasis = 'express' | 'implied-relationship' | 'implied-inquiry' | 'implied-published';

/** The words a `consent` column accepts, folded (no case, accents, spaces, `-` or `_`). */
const CONSENT_WORDS: ReadonlyMap<string, ConsentBasis> = new Map<string, ConsentBasis>([
  ['express', 'express'],
  ['expres', 'express'],
  ['explicit', 'express'],
  ['explicite', 'express'],
  ['optin', 'express'],
  ['implied', 'implied-relationship'],
  ['tacite', 'implied-relationship'],
  ['implicite', 'implied-relationship'],
  ['existingrelationship', 'implied-relationship'],
  ['existingbusinessrelationship', 'implied-relationship'],
  ['impliedrelationship', 'implied-relationship'],
  ['relationdaffaires', 'implied-relationship'],
  ['inquiry', 'implied-inquiry'],
  ['impliedinquiry', 'implied-inquiry'],
  ['demande', 'implied-inquiry'],
  ['impliedpublished', 'implied-published'],
  ['published', 'implied-published'],
  ['publie', 'implied-published'],
  ['adressepubliee', 'implied-published'],
]);

/** The words shown in hints. */
export const CONSENT_VALUES: readonly string[] = [
  'express',
  'implied',
  'existing-relationship',
  'inquiry',
  'implied-published',
];

/** `Express`, `existing-business-relationship`, `tacite`… into a basis; undefined when not understood (empty too). */
export function parseConsent(text: string): ConsentBasis | undefined {
  return CONSENT_WORDS.get(foldWord(text));
}

/** How long an implied basis lasts, in months; undefined: no period. */
const PERIOD_MONTHS: Readonly<Record<ConsentBasis, number | undefined>> = {
  express: undefined,
  'implied-relationship': 24,
  'implied-inquiry': 6,
  'implied-published': undefined,
};

export const BASIS_LABEL: Readonly<Record<ConsentBasis, string>> = {
  express: 'express consent',
  'implied-relationship': 'implied consent (existing business relationship, 2 years)',
  'implied-inquiry': 'implied consent (inquiry, 6 months)',
  'implied-published': 'implied consent (published address)',
};

/** The basis as `aimq lists check` prints it, from `BASIS_LABEL`'s English (what reports and the outbox keep). */
const BASIS_TEXT: Readonly<Record<ConsentBasis, Text>> = {
  express: { fr: 'consentement exprès', en: BASIS_LABEL.express },
  'implied-relationship': {
    fr: 'consentement tacite (relation d’affaires en cours, 2 ans)',
    en: BASIS_LABEL['implied-relationship'],
  },
  'implied-inquiry': {
    fr: 'consentement tacite (demande de renseignements, 6 mois)',
    en: BASIS_LABEL['implied-inquiry'],
  },
  'implied-published': { fr: 'consentement tacite (adresse publiée)', en: BASIS_LABEL['implied-published'] },
};

/** A `BASIS_LABEL` in both languages (itself when it is not one). */
export function basisText(label: string): Text {
  return Object.values(BASIS_TEXT).find((t) => t.en === label) ?? { fr: label, en: label };
}

/**
 * The consent date as a calendar day in the project's time zone: a date as written, or the
 * day a date-time falls on there (an offset converts it; without one it is local already).
 */
export function consentDay(text: string, timeZone: string): CalendarDate | undefined {
  const day = parseCalendarDate(text);
  if (day) return day;
  const dt = parseDateTime(text);
  if (!dt.ok) return undefined;
  if (dt.offsetMinutes === undefined)
    return { year: dt.local.year, month: dt.local.month, day: dt.local.day };
  const l = dt.local;
  const epoch = Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second) - dt.offsetMinutes * 60_000;
  const local = toLocal(epoch, timeZone);
  return { year: local.year, month: local.month, day: local.day };
}

/**
 * `months` after `day`; a day the target month lacks (31 August + 6 months, 29 February + 2
 * years) becomes that month's last day, the earlier choice.
 */
export function addMonths(day: CalendarDate, months: number): CalendarDate {
  const index = day.year * 12 + (day.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return { year, month, day: Math.min(day.day, last) };
}

function compareDays(a: CalendarDate, b: CalendarDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

/** What the consent of one recipient allows on a given day. */
export type ConsentStatus =
  /** No consent column, or an empty cell: nothing to check (the list gets one warning). */
  | { kind: 'unrecorded' }
  /** Not understood: the list reader refuses the line, so this is only seen for lines built elsewhere. */
  | { kind: 'unknown'; word: string }
  | { kind: 'valid'; basis: ConsentBasis; expiresOn?: string }
  /**
   * Expired on `expiredOn` (the first day it no longer covers), or `expiredOn` undefined
   * when an implied basis has no date, or (`future`) a date after the send day, a typo that
   * would otherwise give decades of consent: it cannot be checked, so it counts as expired.
   */
  | { kind: 'expired'; basis: ConsentBasis; expiredOn?: string; future?: true };

/**
 * The consent of `r` on `sendDay`. An implied consent of the 15 March lasts until the 14th
 * of the month it expires, and is expired from the 15th: CASL counts the period "immediately
 * before the day on which the message is sent", and aimq takes the reading that stops a day
 * early rather than a day late.
 */
export function consentOn(
  r: Pick<Recipient, 'consent' | 'consentDate'>,
  sendDay: CalendarDate,
  timeZone: string,
): ConsentStatus {
  if (r.consent.trim() === '') return { kind: 'unrecorded' };
  const basis = parseConsent(r.consent);
  if (!basis) return { kind: 'unknown', word: r.consent };
  const months = PERIOD_MONTHS[basis];
  if (months === undefined) return { kind: 'valid', basis };
  const from = consentDay(r.consentDate, timeZone);
  if (!from) return { kind: 'expired', basis };
  if (compareDays(from, sendDay) > 0) return { kind: 'expired', basis, future: true };
  const end = addMonths(from, months);
  const expiresOn = formatCalendarDate(end);
  return compareDays(sendDay, end) >= 0
    ? { kind: 'expired', basis, expiredOn: expiresOn }
    : { kind: 'valid', basis, expiresOn };
}

/** The calendar day of `epoch` in `timeZone`: consent is counted in days, not instants. */
export function dayIn(epoch: number, timeZone: string): CalendarDate {
  const l = toLocal(epoch, timeZone);
  return { year: l.year, month: l.month, day: l.day };
}

/** `sendDay` plus `days`. */
export function addDays(day: CalendarDate, days: number): CalendarDate {
  const d = new Date(Date.UTC(day.year, day.month - 1, day.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/**
 * What an outbox row records for a recipient left out for want of consent, with the list
 * line to correct when known.
 */
export function noConsentReply(
  status: Extract<ConsentStatus, { kind: 'expired' }>,
  at?: Pick<Recipient, 'file' | 'line'>,
): string {
  const where = at && at.line > 0 ? ` (${at.file}:${at.line})` : '';
  if (status.future)
    return `${BASIS_LABEL[status.basis]} is dated after the send date${where}: it cannot be checked, so it counts as expired`;
  return status.expiredOn
    ? `${BASIS_LABEL[status.basis]} expired on ${status.expiredOn}${where}`
    : `${BASIS_LABEL[status.basis]} has no consent date${where}: it cannot be checked, so it counts as expired`;
}

/** AIMQ-CONSENT-MISSING, for a list whose header (at `file`:`line`) has no consent column. */
export function consentMissing(file: string, line: number): Diagnostic {
  return {
    file,
    line,
    column: 1,
    severity: 'warning',
    code: 'AIMQ-CONSENT-MISSING',
    message: {
      fr: 'cette liste n’a pas de colonne de consentement\u00a0: aimq ne peut pas savoir quels consentements tacites ont expiré, et envoie à tout le monde',
      en: 'this list has no consent column: aimq cannot tell whose implied consent has expired, and sends to everyone on it',
    },
    hint: {
      fr: 'la LCAP exige de consigner le consentement de chaque destinataire\u00a0: ajoutez les colonnes consent (express, implied, inquiry, implied-published…), consent_date (AAAA-MM-JJ) et consent_source',
      en: 'CASL requires a record of each recipient’s consent: add the columns consent (express, implied, inquiry, implied-published…), consent_date (YYYY-MM-DD) and consent_source',
    },
  };
}
