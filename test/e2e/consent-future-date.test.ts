import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { consentOn } from '../../src/lists/consent.js';
import type { Delivery } from '../../src/outbox/outbox.js';
import { aimqIn } from '../helpers/cli-in.js';
import { sendableProject } from '../helpers/cli.js';
import { smtpServers } from '../helpers/smtp.js';

/**
 * An implied consent dated after the send day (2062 for 2026) is a typo that would give
 * decades of consent: it cannot be checked, so it counts as expired, in `lists check` and
 * in a real send through the test SMTP server.
 */

const RELEASE = 'releases/2020-01-13-mission-aimq';
const TODAY = '2026-12-07T10:00:00-05:00';
const LIST = [
  'email,name,language,consent,consent_date,consent_source',
  'typo@example.org,Tia Typo,fr,implied,2062-03-01,member',
  'today@example.org,Tom Today,fr,inquiry,2026-12-07,question',
  'express@example.org,Eve Express,fr,express,2062-03-01,form',
].join('\n');
const smtp = smtpServers(afterEach);

function project(): string {
  const dir = sendableProject();
  mkdirSync(join(dir, 'lists'), { recursive: true });
  writeFileSync(join(dir, 'lists', 'medias.csv'), `${LIST}\n`);
  return dir;
}

describe('a consent dated after the send day', () => {
  it('counts as expired for an implied basis; the same day is valid; express has no period to count', () => {
    const day = { year: 2026, month: 12, day: 7 };
    expect(consentOn({ consent: 'implied', consentDate: '2062-03-01' }, day, 'America/Toronto')).toEqual({
      kind: 'expired',
      basis: 'implied-relationship',
      future: true,
    });
    expect(consentOn({ consent: 'inquiry', consentDate: '2026-12-07' }, day, 'America/Toronto').kind).toBe(
      'valid',
    );
    // Late in the evening of the 7th in Montréal is already the 8th in UTC: still today here.
    expect(
      consentOn({ consent: 'inquiry', consentDate: '2026-12-08T03:00:00Z' }, day, 'America/Toronto').kind,
    ).toBe('valid');
    expect(consentOn({ consent: 'express', consentDate: '2062-03-01' }, day, 'America/Toronto').kind).toBe(
      'valid',
    );
  });

  it('lists check names it, in English and in French', async () => {
    const dir = project();
    const en = await aimqIn(['lists', 'check', 'lists/medias.csv'], dir, { AIMQ_NOW: TODAY });
    expect(en.status, en.stderr).toBe(0);
    expect(en.stdout).toContain(
      '  lists/medias.csv:2  typo@example.org  implied consent (existing business relationship, 2 years) of 2062-03-01: dated after today (a typo?), counts as expired',
    );
    expect(en.stdout).not.toContain('today@example.org');
    const fr = await aimqIn(['lists', 'check', 'lists/medias.csv'], dir, {
      AIMQ_NOW: TODAY,
      AIMQ_LANG: 'fr',
    });
    expect(fr.stdout).toContain(
      'typo@example.org  consentement tacite (relation d’affaires en cours, 2 ans) du 2062-03-01\u00a0: date postérieure à aujourd’hui (une coquille\u00a0?), compté comme expiré',
    );
  });

  it('release send does not send to it, and the outbox says why', async () => {
    const server = await smtp();
    const dir = project();
    const r = await aimqIn(['release', 'send', RELEASE, '--to', 'medias', '--yes'], dir, {
      AIMQ_SMTP_URL: server.url,
      AIMQ_SMTP_PASSWORD: '',
      AIMQ_NOW: TODAY,
    });
    expect(r.status, r.stderr).toBe(0);
    expect([...server.countsByRecipient().keys()].sort()).toEqual([
      'express@example.org',
      'today@example.org',
    ]);
    const show = await aimqIn(['outbox', 'show', '1', '--format', 'json'], dir);
    const typo = (JSON.parse(show.stdout) as { deliveries: Delivery[] }).deliveries.find(
      (d) => d.email === 'typo@example.org',
    );
    expect(typo?.state).toBe('no-consent');
    expect(JSON.stringify(typo)).toContain('is dated after the send date (lists/medias.csv:2)');
  });
});
