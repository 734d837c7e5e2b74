import type { CalendarDate } from '../model/release.js';

/**
 * Calendar dates and zoned date-times without a date library: Intl knows the IANA
 * zones, and the few conversions a release needs fit in this module.
 */

export interface LocalDateTime extends CalendarDate {
  hour: number;
  minute: number;
  second: number;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME_RE =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

export function isValidDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** `2020-01-13` → the 13th, or undefined when the form is wrong or the day does not exist. */
export function parseCalendarDate(text: string): CalendarDate | undefined {
  const m = DATE_RE.exec(text);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return isValidDate(year, month, day) ? { year, month, day } : undefined;
}

export type DateTimeParse =
  | { ok: true; local: LocalDateTime; offsetMinutes?: number }
  | { ok: false; reason: 'form' | 'nonexistent' };

/** An ISO 8601 date-time, with or without an offset; checks that every field exists. */
export function parseDateTime(text: string): DateTimeParse {
  const m = DATE_TIME_RE.exec(text);
  if (!m) return { ok: false, reason: 'form' };
  const local: LocalDateTime = {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[4]),
    minute: Number(m[5]),
    second: m[6] === undefined ? 0 : Number(m[6]),
  };
  if (
    !isValidDate(local.year, local.month, local.day) ||
    local.hour > 23 ||
    local.minute > 59 ||
    local.second > 59
  ) {
    return { ok: false, reason: 'nonexistent' };
  }
  const zone = m[7];
  if (zone === undefined) return { ok: true, local };
  if (zone === 'Z') return { ok: true, local, offsetMinutes: 0 };
  const digits = zone.replace(':', '');
  const hours = Number(digits.slice(1, 3));
  const minutes = Number(digits.slice(3, 5));
  if (hours > 14 || minutes > 59) return { ok: false, reason: 'nonexistent' };
  return { ok: true, local, offsetMinutes: (zone.startsWith('-') ? -1 : 1) * (hours * 60 + minutes) };
}

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

/** Offset of `timeZone` from UTC at `epoch`, in minutes (Montréal in winter: -300). */
export function zoneOffsetMinutes(epoch: number, timeZone: string): number {
  let fmt = offsetFormatters.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    offsetFormatters.set(timeZone, fmt);
  }
  const parts: Record<string, number> = {};
  for (const p of fmt.formatToParts(new Date(epoch)))
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const asUtc = Date.UTC(
    parts.year!,
    parts.month! - 1,
    parts.day!,
    parts.hour!,
    parts.minute!,
    parts.second!,
  );
  return Math.round((asUtc - Math.floor(epoch / 1000) * 1000) / 60000);
}

export type ZonedResolution =
  | { kind: 'exact'; epoch: number }
  | { kind: 'gap' }
  | { kind: 'ambiguous'; earlier: number; later: number };

/**
 * The instant(s) a wall-clock time names in a zone. A time in the spring-forward gap
 * names none; one in the autumn repeat names two: callers decide, nothing is guessed.
 */
export function resolveLocal(local: LocalDateTime, timeZone: string): ZonedResolution {
  const wall = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
  const candidates = new Set<number>();
  // The offset at any instant within a day of `wall` is one of at most two values.
  for (const probe of [wall - 86_400_000, wall, wall + 86_400_000]) {
    const offset = zoneOffsetMinutes(probe, timeZone);
    const epoch = wall - offset * 60_000;
    if (zoneOffsetMinutes(epoch, timeZone) === offset) candidates.add(epoch);
  }
  const sorted = [...candidates].sort((a, b) => a - b);
  if (sorted.length === 0) return { kind: 'gap' };
  if (sorted.length === 1) return { kind: 'exact', epoch: sorted[0]! };
  return { kind: 'ambiguous', earlier: sorted[0]!, later: sorted[sorted.length - 1]! };
}

/** The wall-clock time at `epoch` in `timeZone`. */
export function toLocal(epoch: number, timeZone: string): LocalDateTime {
  const shifted = new Date(epoch + zoneOffsetMinutes(epoch, timeZone) * 60_000);
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(),
    second: shifted.getUTCSeconds(),
  };
}

/** `2020-01-13T09:30:00-05:00`: an instant written with the zone's offset at that moment. */
export function formatIsoWithOffset(epoch: number, timeZone: string): string {
  const offset = zoneOffsetMinutes(epoch, timeZone);
  const l = toLocal(epoch, timeZone);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${pad4(l.year)}-${pad2(l.month)}-${pad2(l.day)}T${pad2(l.hour)}:${pad2(l.minute)}:${pad2(l.second)}${sign}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
}

export function formatCalendarDate(d: CalendarDate): string {
  return `${pad4(d.year)}-${pad2(d.month)}-${pad2(d.day)}`;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}
function pad4(n: number): string {
  return String(n).padStart(4, '0');
}

const knownZones = new Map<string, boolean>();

export function isValidTimeZone(zone: string): boolean {
  let valid = knownZones.get(zone);
  if (valid === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      valid = true;
    } catch {
      valid = false;
    }
    knownZones.set(zone, valid); // building a formatter is slow, and asked for every date of every release
  }
  return valid;
}
