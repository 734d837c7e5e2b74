import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aimqIn } from '../helpers/cli-in.js';
import { REPO, tempDir } from '../helpers/cli.js';

/** `aimq lists check` on consent: what has expired, what expires within 30 days, the one warning. */

const NOW = '2026-12-07T10:00:00-05:00';
const LIST = [
  'email,name,language,consent,consent_date,consent_source',
  'express@example.org,Eve,fr,express,2001-01-01,form',
  'expired@example.org,Ian,en,implied,2024-11-15,member',
  'soon@example.org,Sam,fr,inquiry,2026-06-20,question',
  'later@example.org,Lea,fr,inquiry,2026-07-20,question',
  'nodate@example.org,Nora,fr,existing-relationship,,member',
  'press@example.org,Paul,fr,implied-published,2010-01-01,byline',
  'blank@example.org,Bob,fr,,,',
].join('\n');

function project(): string {
  const dir = tempDir();
  cpSync(join(REPO, 'aimq.config.yaml'), join(dir, 'aimq.config.yaml'));
  mkdirSync(join(dir, 'lists'));
  writeFileSync(join(dir, 'lists', 'medias.csv'), `${LIST}\n`);
  writeFileSync(
    join(dir, 'lists', 'sans.csv'),
    'email,name\na@example.org,A\nb@example.org,B\nc@example.org,C\n',
  );
  return dir;
}

describe('aimq lists check and consent', () => {
  it('lists the expired consents and those expiring within 30 days, with file:line, and exits 0', async () => {
    const r = await aimqIn(['lists', 'check', 'lists/medias.csv'], project(), { AIMQ_NOW: NOW });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual([
      'Expired consent on 2026-12-07 (CASL): not sent to, 2',
      '  lists/medias.csv:3  expired@example.org  implied consent (existing business relationship, 2 years) of 2024-11-15: expired on 2026-11-15',
      '  lists/medias.csv:6  nodate@example.org  implied consent (existing business relationship, 2 years), no consent date: cannot be checked, counts as expired',
      '  hint: renew the consent (ask for express consent) and update consent and consent_date, or remove the line',
      'Consent expiring within 30 days, 1',
      '  lists/medias.csv:4  soon@example.org  implied consent (inquiry, 6 months) of 2026-06-20: expires on 2026-12-20',
    ]);
    expect(r.stderr.trim()).toBe(
      'lists/medias.csv: 7 recipients (fr 6, en 1, bilingual 0), 0 suppressed, 0 invalid, 0 duplicates, 2 expired consents, 1 expiring within 30 days',
    );
  });

  it('gives the same in --format json', async () => {
    const r = await aimqIn(['lists', 'check', 'lists/medias.csv', '--format', 'json'], project(), {
      AIMQ_NOW: NOW,
    });
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { consent: unknown; problems: unknown[] };
    expect(report.problems).toEqual([]);
    expect(report.consent).toEqual({
      checkedOn: '2026-12-07',
      expired: [
        {
          file: 'lists/medias.csv',
          line: 3,
          email: 'expired@example.org',
          basis: 'implied consent (existing business relationship, 2 years)',
          consentDate: '2024-11-15',
          expiredOn: '2026-11-15',
        },
        {
          file: 'lists/medias.csv',
          line: 6,
          email: 'nodate@example.org',
          basis: 'implied consent (existing business relationship, 2 years)',
          consentDate: '',
          expiredOn: null,
        },
      ],
      expiring: [
        {
          file: 'lists/medias.csv',
          line: 4,
          email: 'soon@example.org',
          basis: 'implied consent (inquiry, 6 months)',
          consentDate: '2026-06-20',
          expiredOn: '2026-12-20',
        },
      ],
      unrecorded: 1,
    });
  });

  it('the 30-day window moves with the clock: a month later the expiring one has expired', async () => {
    const r = await aimqIn(['lists', 'check', 'lists/medias.csv', '--format', 'json'], project(), {
      AIMQ_NOW: '2027-01-05T09:00:00-05:00',
    });
    const report = JSON.parse(r.stdout) as {
      consent: { expired: { email: string }[]; expiring: { email: string }[] };
    };
    expect(report.consent.expired.map((f) => f.email)).toEqual([
      'expired@example.org',
      'soon@example.org',
      'nodate@example.org',
    ]);
    expect(report.consent.expiring.map((f) => f.email)).toEqual(['later@example.org']);
  });

  it('warns once, at the header, for a list without consent columns', async () => {
    const r = await aimqIn(['lists', 'check', 'lists/sans.csv'], project(), { AIMQ_NOW: NOW });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual([
      'lists/sans.csv:1:1 warning: this list has no consent column: aimq cannot tell whose implied consent has expired, and sends to everyone on it [AIMQ-CONSENT-MISSING]',
      '  hint: CASL requires a record of each recipient’s consent: add the columns consent (express, implied, inquiry, implied-published…), consent_date (YYYY-MM-DD) and consent_source',
    ]);
    const json = await aimqIn(['lists', 'check', 'lists/sans.csv', '--format', 'json'], project(), {
      AIMQ_NOW: NOW,
    });
    const report = JSON.parse(json.stdout) as { problems: { code: string }[] };
    expect(report.problems.map((p) => p.code)).toEqual(['AIMQ-CONSENT-MISSING']);
  });
});
