import type { Lang } from '../i18n/text.js';
import { formatIsoWithOffset } from '../time/zoned.js';

/**
 * A moment in the config's time zone, as people read it: 2026-12-01 09:00 (-05:00), or in
 * French, as the OQLF writes the hour, 2026-12-01 9 h 00 (-05:00).
 */
export function localTime(epoch: number | null, timeZone: string, lang: Lang = 'en'): string {
  if (epoch === null) return '—';
  const iso = formatIsoWithOffset(epoch, timeZone);
  const time =
    lang === 'fr' ? `${Number(iso.slice(11, 13))}\u00a0h\u00a0${iso.slice(14, 16)}` : iso.slice(11, 16);
  return `${iso.slice(0, 10)} ${time} (${iso.slice(19)})`;
}
