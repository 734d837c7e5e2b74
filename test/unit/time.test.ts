import { describe, expect, it } from 'vitest';
import { dateline, embargoLine, embargoPhrase, formatDate, formatTime } from '../../src/locale/dates.js';
import { parseInstant } from '../../src/time/instant.js';
import {
  formatIsoWithOffset,
  parseCalendarDate,
  parseDateTime,
  resolveLocal,
  toLocal,
} from '../../src/time/zoned.js';

const TZ = 'America/Toronto';

describe('calendar dates', () => {
  it.each([
    ['2020-01-13', { year: 2020, month: 1, day: 13 }],
    ['2024-02-29', { year: 2024, month: 2, day: 29 }],
    ['2026-02-30', undefined],
    ['2025-02-29', undefined],
    ['2026-13-01', undefined],
    ['2026-04-31', undefined],
    ['2026-1-5', undefined],
    ['13/01/2020', undefined],
  ])('%s', (text, expected) => {
    expect(parseCalendarDate(text)).toEqual(expected);
  });

  it('refuses date-times whose fields do not exist', () => {
    expect(parseDateTime('2026-02-30T10:00:00-05:00')).toEqual({ ok: false, reason: 'nonexistent' });
    expect(parseDateTime('2026-12-01T24:00')).toEqual({ ok: false, reason: 'nonexistent' });
    expect(parseDateTime('2026-12-01 10h')).toEqual({ ok: false, reason: 'form' });
    expect(parseDateTime('2026-12-01T10:00:00-05:00')).toMatchObject({ ok: true, offsetMinutes: -300 });
    expect(parseDateTime('2026-12-01T10:00Z')).toMatchObject({ ok: true, offsetMinutes: 0 });
  });
});

describe('zones', () => {
  it('resolves a winter and a summer time in Montréal', () => {
    expect(resolveLocal({ year: 2020, month: 1, day: 13, hour: 9, minute: 30, second: 0 }, TZ)).toEqual({
      kind: 'exact',
      epoch: Date.parse('2020-01-13T14:30:00Z'),
    });
    expect(resolveLocal({ year: 2026, month: 7, day: 1, hour: 9, minute: 0, second: 0 }, TZ)).toEqual({
      kind: 'exact',
      epoch: Date.parse('2026-07-01T13:00:00Z'),
    });
  });

  it('finds no instant in the spring-forward gap and two in the autumn repeat', () => {
    expect(resolveLocal({ year: 2026, month: 3, day: 8, hour: 2, minute: 30, second: 0 }, TZ)).toEqual({
      kind: 'gap',
    });
    expect(resolveLocal({ year: 2026, month: 11, day: 1, hour: 1, minute: 30, second: 0 }, TZ)).toEqual({
      kind: 'ambiguous',
      earlier: Date.parse('2026-11-01T05:30:00Z'),
      later: Date.parse('2026-11-01T06:30:00Z'),
    });
  });

  it('writes an instant with the zone offset of that moment', () => {
    expect(formatIsoWithOffset(Date.parse('2020-01-13T05:00:00Z'), TZ)).toBe('2020-01-13T00:00:00-05:00');
    expect(formatIsoWithOffset(Date.parse('2026-07-01T04:00:00Z'), TZ)).toBe('2026-07-01T00:00:00-04:00');
    expect(toLocal(Date.parse('2026-12-01T15:00:00Z'), TZ)).toMatchObject({ day: 1, hour: 10, minute: 0 });
  });

  it('reads --now values', () => {
    expect(parseInstant('2026-12-01T10:00:00-05:00', TZ)).toBe(Date.parse('2026-12-01T15:00:00Z'));
    expect(parseInstant('2026-12-01 10:00', TZ)).toBe(Date.parse('2026-12-01T15:00:00Z'));
    expect(parseInstant('2026-12-01', TZ)).toBe(Date.parse('2026-12-01T05:00:00Z'));
    expect(parseInstant('2026-03-08 02:30', TZ)).toBeUndefined();
    expect(parseInstant('tomorrow', TZ)).toBeUndefined();
  });
});

describe('localized dates', () => {
  it('writes French dates with 1er and no-break spaces, English ones in Canadian style', () => {
    expect(formatDate({ year: 2020, month: 1, day: 13 }, 'fr')).toBe('13\u00A0janvier\u00A02020');
    expect(formatDate({ year: 2026, month: 12, day: 1 }, 'fr')).toBe('1er\u00A0décembre\u00A02026');
    expect(formatDate({ year: 2020, month: 1, day: 13 }, 'en')).toBe('January\u00A013, 2020');
  });

  it('builds the datelines of domain.md', () => {
    expect(dateline('Montréal', { year: 2020, month: 1, day: 13 }, 'fr')).toBe(
      'Montréal, le 13\u00A0janvier\u00A02020\u00A0–',
    );
    expect(dateline('Montreal', { year: 2020, month: 1, day: 13 }, 'en')).toBe(
      'MONTREAL, January\u00A013, 2020\u00A0–',
    );
  });

  it('writes times the OQLF way and the Canadian Press way', () => {
    expect(formatTime(9, 30, 'fr')).toBe('9\u00A0h\u00A030');
    expect(formatTime(14, 0, 'fr')).toBe('14\u00A0h');
    expect(formatTime(9, 30, 'en')).toBe('9:30\u00A0a.m.');
    expect(formatTime(15, 5, 'en')).toBe('3:05\u00A0p.m.');
    expect(formatTime(0, 0, 'en')).toBe('12:00\u00A0a.m.');
  });

  it('builds embargo lines with the zone abbreviation of that date', () => {
    const winter = Date.parse('2020-01-13T14:30:00Z');
    expect(embargoLine(winter, TZ, 'fr')).toBe(
      'SOUS EMBARGO JUSQU’AU 13\u00A0JANVIER\u00A02020, 9\u00A0h\u00A030 (HNE)',
    );
    expect(embargoLine(winter, TZ, 'en')).toBe('EMBARGOED UNTIL 9:30\u00A0A.M. EST, JANUARY\u00A013, 2020');
    const summer = Date.parse('2026-06-01T14:00:00Z');
    expect(embargoLine(summer, TZ, 'fr')).toContain('(HAE)');
    expect(embargoPhrase(Date.parse('2026-12-01T15:00:00Z'), TZ, 'fr')).toBe(
      'jusqu’au 1er\u00A0décembre\u00A02026, 10\u00A0h (HNE)',
    );
  });
});
