import { inLang, type Message } from '../../src/i18n/text.js';

/** A message's English, for tests that read a diagnostic's words. */
export const en = (m: Message | undefined): string => (m === undefined ? '' : inLang(m, 'en'));
/** A message's French. */
export const fr = (m: Message | undefined): string => (m === undefined ? '' : inLang(m, 'fr'));

/**
 * A printed line's own words, for a check that no English shows through a French line: without
 * the error code, quoted or back-quoted names, and paths (a checkout under `/check/…` or a
 * temporary folder must not count as a word of the message).
 */
export const proseOf = (line: string): string =>
  line
    .replace(/\[AIMQ-[A-Z-]+\]/g, '')
    .replace(/"[^"]*"|`[^`]*`/g, '')
    .replace(/(?:[A-Za-z]:)?[^\s,;:()«»]*[/\\][^\s,;()«»]*/g, '');
