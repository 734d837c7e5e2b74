import { formatIsoWithOffset } from '../time/zoned.js';

/** A moment in the config's time zone, as people read it: 2026-12-01 09:00 (-05:00). */
export function localTime(epoch: number | null, timeZone: string): string {
  if (epoch === null) return '—';
  const iso = formatIsoWithOffset(epoch, timeZone);
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} (${iso.slice(19)})`;
}
