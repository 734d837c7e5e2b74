import type { CalendarDate } from '../model/release.js';
import { toLocal } from '../time/zoned.js';

const NBSP = '\u00A0';

const FR_MONTHS = [
  'janvier',
  'février',
  'mars',
  'avril',
  'mai',
  'juin',
  'juillet',
  'août',
  'septembre',
  'octobre',
  'novembre',
  'décembre',
];
const EN_MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** Month names, January first: lower-case in French, capitalised in English. */
export const MONTH_NAMES: Readonly<Record<'fr' | 'en', readonly string[]>> = { fr: FR_MONTHS, en: EN_MONTHS };

/**
 * Abbreviated month names as people write them in running text, per month: French ones
 * end with a period (OQLF), English ones may or may not.
 */
export const MONTH_ABBREVIATIONS: Readonly<Record<'fr' | 'en', readonly (readonly string[])[]>> = {
  fr: [
    ['janv.'],
    ['févr.', 'fév.'],
    [],
    ['avr.'],
    [],
    [],
    ['juil.'],
    [],
    ['sept.'],
    ['oct.'],
    ['nov.'],
    ['déc.'],
  ],
  en: [
    ['Jan'],
    ['Feb'],
    ['Mar'],
    ['Apr'],
    [],
    ['Jun'],
    ['Jul'],
    ['Aug'],
    ['Sept', 'Sep'],
    ['Oct'],
    ['Nov'],
    ['Dec'],
  ],
};

/**
 * `13 janvier 2020`, `1er décembre 2026` (OQLF: the first of the month is an ordinal) or
 * `January 13, 2020`. Built from the calendar fields, never through a Date, so no time
 * zone can shift the day.
 */
export function formatDate(d: CalendarDate, lang: string): string {
  if (lang === 'fr') return `${d.day === 1 ? '1er' : d.day}${NBSP}${FR_MONTHS[d.month - 1]}${NBSP}${d.year}`;
  return `${EN_MONTHS[d.month - 1]}${NBSP}${d.day}, ${d.year}`;
}

/** `Montréal, le 13 janvier 2020 –` / `MONTREAL, January 13, 2020 –` (without the trailing space). */
export function dateline(place: string, d: CalendarDate, lang: string): string {
  if (lang === 'fr') return `${place}, le ${formatDate(d, 'fr')}${NBSP}–`;
  return `${place.toLocaleUpperCase('en-CA')}, ${formatDate(d, 'en')}${NBSP}–`;
}

/** `9 h 30`, `10 h` (OQLF) or `9:30 a.m.` (Canadian Press style). */
export function formatTime(hour: number, minute: number, lang: string): string {
  if (lang === 'fr')
    return minute === 0 ? `${hour}${NBSP}h` : `${hour}${NBSP}h${NBSP}${String(minute).padStart(2, '0')}`;
  const h12 = hour % 12 === 0 ? 12 : hour % 12;
  const suffix = hour < 12 ? 'a.m.' : 'p.m.';
  if (hour === 12 && minute === 0) return 'noon';
  return `${h12}:${String(minute).padStart(2, '0')}${NBSP}${suffix}`;
}

/** The zone's abbreviation at that moment in that language: HNE / HAE, EST / EDT. */
export function zoneAbbreviation(epoch: number, timeZone: string, lang: string): string {
  const parts = new Intl.DateTimeFormat(lang === 'fr' ? 'fr-CA' : 'en-CA', {
    timeZone,
    timeZoneName: 'short',
  }).formatToParts(new Date(epoch));
  return parts.find((p) => p.type === 'timeZoneName')?.value ?? timeZone;
}

/**
 * The embargo line: `SOUS EMBARGO JUSQU’AU 13 JANVIER 2020, 9 H 30 (HNE)` /
 * `EMBARGOED UNTIL 9:30 A.M. EST, JANUARY 13, 2020`. `1er` keeps its lower-case ordinal.
 */
export function embargoLine(epoch: number, timeZone: string, lang: string): string {
  const l = toLocal(epoch, timeZone);
  const zone = zoneAbbreviation(epoch, timeZone, lang);
  if (lang === 'fr') {
    // Symbols and ordinals keep their case in capitals: 1er, 10 h (OQLF).
    const date = formatDate(l, 'fr').toLocaleUpperCase('fr-CA').replace(/^1ER/, '1er');
    return `SOUS EMBARGO JUSQU’AU ${date}, ${formatTime(l.hour, l.minute, 'fr')} (${zone})`;
  }
  return `EMBARGOED UNTIL ${formatTime(l.hour, l.minute, 'en').toLocaleUpperCase('en-CA')} ${zone}, ${formatDate(l, 'en').toLocaleUpperCase('en-CA')}`;
}

/** The embargo in running text, for subjects and notices: `jusqu’au 1er décembre 2026, 10 h`. */
export function embargoPhrase(epoch: number, timeZone: string, lang: string): string {
  const l = toLocal(epoch, timeZone);
  const zone = zoneAbbreviation(epoch, timeZone, lang);
  if (lang === 'fr')
    return `jusqu’au ${formatDate(l, 'fr')}, ${formatTime(l.hour, l.minute, 'fr')} (${zone})`;
  return `until ${formatTime(l.hour, l.minute, 'en')} ${zone}, ${formatDate(l, 'en')}`;
}
