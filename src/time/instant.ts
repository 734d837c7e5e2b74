import { parseCalendarDate, parseDateTime, resolveLocal } from './zoned.js';

/**
 * An instant from a command-line value: a date-time with an offset, or a local date-time or
 * date read in `timeZone`. Undefined when the text is not one, or names no single instant.
 */
export function parseInstant(text: string, timeZone: string): number | undefined {
  const dt = parseDateTime(text);
  if (dt.ok) {
    const l = dt.local;
    const wall = Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second);
    if (dt.offsetMinutes !== undefined) return wall - dt.offsetMinutes * 60_000;
    const r = resolveLocal(l, timeZone);
    return r.kind === 'exact' ? r.epoch : undefined;
  }
  const d = parseCalendarDate(text);
  if (!d) return undefined;
  const r = resolveLocal({ ...d, hour: 0, minute: 0, second: 0 }, timeZone);
  return r.kind === 'exact' ? r.epoch : undefined;
}
