import type { Lang } from '../i18n/text.js';
import { formatIsoWithOffset } from '../time/zoned.js';

/**
 * A moment in the config's time zone, as people read it: `2026-12-01 09:00 (-05:00)` in
 * English, `2026-12-01 9 h (-05:00)` and `2026-12-01 14 h 30 (-05:00)` in French (the OQLF's
 * 24-hour clock, no-break spaces so that a line never breaks inside the time).
 */
export function localTime(epoch: number | null, timeZone: string, lang: Lang = 'en'): string {
  if (epoch === null) return '—';
  const iso = formatIsoWithOffset(epoch, timeZone);
  const date = iso.slice(0, 10);
  const offset = iso.slice(19);
  if (lang === 'fr') {
    const hours = Number(iso.slice(11, 13));
    const minutes = iso.slice(14, 16);
    return `${date} ${hours}\u00a0h${minutes === '00' ? '' : `\u00a0${minutes}`} (${offset})`;
  }
  return `${date} ${iso.slice(11, 16)} (${offset})`;
}
