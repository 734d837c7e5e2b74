import { describe, expect, it } from 'vitest';
import { localTime } from '../../src/cli/local-time.js';

/** A moment as the CLI prints it: the OQLF's 24-hour clock in French, as before in English. */

const NBSP = '\u00a0';

describe('localTime', () => {
  it('writes French times the OQLF way, on the hour without minutes', () => {
    expect(localTime(Date.parse('2026-12-01T14:00:00Z'), 'America/Toronto', 'fr')).toBe(
      `2026-12-01 9${NBSP}h (-05:00)`,
    );
    expect(localTime(Date.parse('2026-07-01T18:30:00Z'), 'America/Toronto', 'fr')).toBe(
      `2026-07-01 14${NBSP}h${NBSP}30 (-04:00)`,
    );
    expect(localTime(Date.parse('2026-07-01T04:05:00Z'), 'America/Toronto', 'fr')).toBe(
      `2026-07-01 0${NBSP}h${NBSP}05 (-04:00)`,
    );
  });

  it('keeps the English form, and a dash for no moment in both', () => {
    expect(localTime(Date.parse('2026-12-01T14:00:00Z'), 'America/Toronto')).toBe(
      '2026-12-01 09:00 (-05:00)',
    );
    expect(localTime(Date.parse('2026-07-01T18:30:00Z'), 'America/Toronto', 'en')).toBe(
      '2026-07-01 14:30 (-04:00)',
    );
    expect(localTime(null, 'America/Toronto', 'fr')).toBe('—');
  });
});
