import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addMonths, consentDay, consentOn, dayIn, parseConsent } from '../../src/lists/consent.js';
import { parseListText } from '../../src/lists/read.js';
import { consentGuard } from '../../src/sending/consent-check.js';

const TZ = 'America/Toronto';
const day = (text: string) => {
  const [year, month, d] = text.split('-').map(Number);
  return { year: year!, month: month!, day: d! };
};
const on = (consent: string, consentDate: string, sendDay: string) =>
  consentOn({ consent, consentDate }, day(sendDay), TZ);

describe('CASL consent rules', () => {
  it('express consent never expires, whatever its date or the send day', () => {
    expect(on('express', '1990-01-01', '2100-12-31')).toEqual({ kind: 'valid', basis: 'express' });
    expect(on('Express', '', '2100-12-31')).toEqual({ kind: 'valid', basis: 'express' });
  });

  it('implied consent from a business relationship lasts two years: valid the day before, expired on the anniversary', () => {
    expect(on('implied', '2024-03-15', '2026-03-14')).toEqual({
      kind: 'valid',
      basis: 'implied-relationship',
      expiresOn: '2026-03-15',
    });
    expect(on('existing-business-relationship', '2024-03-15', '2026-03-15')).toEqual({
      kind: 'expired',
      basis: 'implied-relationship',
      expiredOn: '2026-03-15',
    });
    expect(on('Existing-Relationship', '2024-03-15', '2027-01-01').kind).toBe('expired');
  });

  it('implied consent from an inquiry lasts six months', () => {
    expect(on('inquiry', '2026-06-08', '2026-12-07')).toMatchObject({
      kind: 'valid',
      expiresOn: '2026-12-08',
    });
    expect(on('implied-inquiry', '2026-06-08', '2026-12-08')).toMatchObject({
      kind: 'expired',
      basis: 'implied-inquiry',
      expiredOn: '2026-12-08',
    });
  });

  it('a day the target month lacks is cut to its last day, the earlier choice', () => {
    expect(addMonths(day('2026-08-31'), 6)).toEqual(day('2027-02-28'));
    expect(addMonths(day('2024-02-29'), 24)).toEqual(day('2026-02-28'));
    expect(addMonths(day('2026-11-30'), 2)).toEqual(day('2027-01-30'));
  });

  it('a published address has no period: it does not expire by date', () => {
    expect(on('implied-published', '2001-01-01', '2100-01-01')).toEqual({
      kind: 'valid',
      basis: 'implied-published',
    });
  });

  it('an implied consent without a date cannot be checked, so it counts as expired', () => {
    expect(on('implied', '', '2026-12-07')).toEqual({ kind: 'expired', basis: 'implied-relationship' });
    expect(on('inquiry', '', '2026-12-07')).toEqual({ kind: 'expired', basis: 'implied-inquiry' });
  });

  it('an empty basis is unrecorded and an unknown word is not taken for consent', () => {
    expect(on('', '2020-01-01', '2026-12-07')).toEqual({ kind: 'unrecorded' });
    expect(on('maybe', '2020-01-01', '2026-12-07')).toEqual({ kind: 'unknown', word: 'maybe' });
    expect(parseConsent('Tacite')).toBe('implied-relationship');
    expect(parseConsent('exprès')).toBe('express');
    expect(parseConsent('opt-out')).toBeUndefined();
  });

  it('counts days in the project’s time zone: a date-time with an offset falls on its local day', () => {
    // 03:00 UTC on 1 December is still 30 November in Toronto.
    expect(consentDay('2024-12-01T03:00:00Z', TZ)).toEqual(day('2024-11-30'));
    expect(consentDay('2024-12-01T09:30:00-05:00', TZ)).toEqual(day('2024-12-01'));
    expect(consentDay('2024-12-01T23:30', TZ)).toEqual(day('2024-12-01'));
    expect(on('implied', '2024-12-01T03:00:00Z', '2026-11-30').kind).toBe('expired');
    // 23:30 in Toronto on 6 December is already 7 December in UTC: the send day is the local one.
    expect(dayIn(Date.parse('2026-12-07T04:30:00Z'), TZ)).toEqual(day('2026-12-06'));
  });
});

describe('the consent column of a list', () => {
  it('refuses a basis it does not understand, at file:line:column, with a suggestion', () => {
    const { recipients, problems } = parseListText(
      Buffer.from('email,consent,consent_date\na@x.ca,express,\nb@x.ca,implyed,2025-01-01\nc@x.ca,,\n'),
      'lists/l.csv',
    );
    expect(recipients.map((r) => r.email)).toEqual(['a@x.ca', 'c@x.ca']);
    expect(problems).toEqual([
      expect.objectContaining({
        file: 'lists/l.csv',
        line: 3,
        column: 8,
        severity: 'error',
        code: 'AIMQ-LIST-CONSENT',
        message: {
          fr: expect.any(String),
          en: 'consent "implyed" is not understood: aimq cannot tell whether it allows sending',
        },
        hint: { fr: expect.any(String), en: expect.stringContaining('did you mean "implied"?') },
      }),
    ]);
  });
});

describe('the check right before each message leaves', () => {
  it('reads the campaign’s lists and says, on the day of the clock, who may no longer be sent to', async () => {
    const root = mkdtempSync(join(tmpdir(), 'aimq-consent-'));
    writeFileSync(
      join(root, 'l.csv'),
      'email,consent,consent_date\nexp@x.ca,express,2000-01-01\ninq@x.ca,inquiry,2026-06-08\nold@x.ca,implied,2020-01-01\n',
    );
    let now = Date.parse('2026-12-07T15:00:00Z');
    const guard = await consentGuard({ targets: ['l.csv'] }, root, TZ, () => now);
    expect(guard('exp@x.ca')).toBeUndefined();
    expect(guard('INQ@x.ca')).toBeUndefined();
    expect(guard('old@x.ca')).toBe(
      'implied consent (existing business relationship, 2 years) expired on 2022-01-01 (l.csv:4)',
    );
    expect(guard('nobody@x.ca')).toBeUndefined();
    now = Date.parse('2026-12-08T05:00:00Z'); // 00:00 on 8 December in Toronto
    expect(guard('inq@x.ca')).toBe('implied consent (inquiry, 6 months) expired on 2026-12-08 (l.csv:3)');
  });

  it('keeps the planning decision for a list that can no longer be read', async () => {
    const root = mkdtempSync(join(tmpdir(), 'aimq-consent-'));
    const guard = await consentGuard({ targets: ['gone.csv'] }, root, TZ, () => Date.now());
    expect(guard('a@x.ca')).toBeUndefined();
  });
});
