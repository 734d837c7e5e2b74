import { inLang, type Message } from '../../src/i18n/text.js';

/** A message's English, for tests that read a diagnostic's words. */
export const en = (m: Message | undefined): string => (m === undefined ? '' : inLang(m, 'en'));
/** A message's French. */
export const fr = (m: Message | undefined): string => (m === undefined ? '' : inLang(m, 'fr'));
