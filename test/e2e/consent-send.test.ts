import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Delivery } from '../../src/outbox/outbox.js';
import { aimqIn } from '../helpers/cli-in.js';
import { sendableProject } from '../helpers/cli.js';
import { smtpServers, type TestSmtpServer } from '../helpers/smtp.js';
import { freshDatabase } from '../helpers/store-pg.js';

/**
 * CASL consent at send time, end to end: `aimq release send` through a real SMTP server on
 * loopback, a real SQLite outbox, the clock set with AIMQ_NOW (read in the project's time
 * zone, America/Toronto).
 */

const RELEASE = 'releases/2020-01-13-mission-aimq';
const smtp = smtpServers(afterEach);
const TODAY = '2026-12-07T10:00:00-05:00';
const TOMORROW = '2026-12-08T10:00:00-05:00';

const HEADER = 'courriel;nom;langue;consentement;date_consentement;source_consentement';
const LIST = [
  HEADER,
  'express@example.org;Eve Express;fr;express;2010-01-01;formulaire',
  'expired@example.org;Ian Implied;en;implied;2024-11-15;ancien membre',
  'tomorrow@example.org;Tom Inquiry;fr;inquiry;2026-06-08;demande d’information',
  'nodate@example.org;Nora Nodate;fr;existing-relationship;;membre',
  'press@example.org;Paul Press;bilingue;implied-published;2019-05-01;signature d’article',
  'gone@example.org;Gina Gone;fr;implied;2020-01-01;ancien membre',
].join('\n');

function project(list = LIST): string {
  const dir = sendableProject();
  mkdirSync(join(dir, 'lists'), { recursive: true });
  writeFileSync(join(dir, 'lists', 'medias.csv'), `${list}\n`);
  writeFileSync(
    join(dir, 'lists', 'suppression.csv'),
    'email,date,reason\ngone@example.org,2026-01-05,unsubscribe\n',
  );
  return dir;
}

function env(server: TestSmtpServer, now: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    AIMQ_SMTP_URL: server.url,
    AIMQ_SMTP_PASSWORD: '',
    AIMQ_NOW: now,
    AIMQ_RETRY_BASE_MS: '20',
    AIMQ_MAX_RETRY_WAIT_MS: '5000',
    AIMQ_SMTP_TIMEOUT_MS: '1500',
    ...extra,
  };
}

async function rows(dir: string, campaign = 1): Promise<Delivery[]> {
  const r = await aimqIn(['outbox', 'show', String(campaign), '--format', 'json'], dir);
  expect(r.status, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { deliveries: Delivery[] }).deliveries;
}

const stateOf = (all: Delivery[]) => Object.fromEntries(all.map((d) => [d.email, d.state]));

describe('release send and CASL consent', () => {
  it('does not send to an expired implied consent: the row is no-consent, with the basis and the day it expired', async () => {
    const server = await smtp();
    const dir = project();
    const r = await aimqIn(['release', 'send', RELEASE, '--to', 'medias', '--yes'], dir, env(server, TODAY));
    expect(r.status, r.stderr).toBe(0);
    expect([...server.countsByRecipient().keys()].sort()).toEqual([
      'express@example.org',
      'press@example.org',
      'tomorrow@example.org',
    ]);
    expect(r.stderr).toContain('· 2 without valid consent (implied consent expired) ·');
    expect(r.stderr).toMatch(
      /Campaign 1: 3 sent, 0 failed, 0 uncertain, 1 suppressed, 2 without valid consent \(implied consent expired\), 0 skipped/,
    );
    expect(r.stderr).not.toContain('AIMQ-CONSENT-MISSING');

    const all = await rows(dir);
    expect(stateOf(all)).toEqual({
      'express@example.org': 'sent',
      'expired@example.org': 'no-consent',
      'tomorrow@example.org': 'sent',
      'nodate@example.org': 'no-consent',
      'press@example.org': 'sent',
      // An unsubscribe withdraws every consent: suppressed, whatever the consent says.
      'gone@example.org': 'suppressed',
    });
    expect(all.find((d) => d.email === 'expired@example.org')!.lastReply).toBe(
      'implied consent (existing business relationship, 2 years) expired on 2026-11-15 (lists/medias.csv:3)',
    );
    expect(all.find((d) => d.email === 'nodate@example.org')!.lastReply).toBe(
      'implied consent (existing business relationship, 2 years) has no consent date (lists/medias.csv:5): it cannot be checked, so it counts as expired',
    );

    const shown = await aimqIn(['outbox', 'show', '1'], dir);
    expect(shown.stdout).toContain('no-consent 2');
    expect(shown.stdout).toMatch(
      /expired@example\.org\s+en\s+no-consent\s+0\s+implied consent \(existing business relationship, 2 years\) expired on 2026-11-15/,
    );
    const state = await aimqIn(['outbox', 'show', '1', '--state', 'no-consent', '--format', 'csv'], dir);
    expect(state.status, state.stderr).toBe(0);
    expect(
      state.stdout
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(',')[0]),
    ).toEqual(['expired@example.org', 'nodate@example.org']);
    const list = await aimqIn(['outbox', 'list'], dir);
    const [header, line] = list.stdout.trim().split('\n');
    const columns = header!.split(/\s+/);
    expect(line!.trim().split(/\s+/)[columns.indexOf('no-consent')]).toBe('2');
  });

  it('sends to a consent that expires tomorrow today, and not tomorrow', async () => {
    const one = [HEADER, 'tomorrow@example.org;Tom Inquiry;fr;inquiry;2026-06-08;demande'].join('\n');
    const today = await smtp();
    const a = project(one);
    const sent = await aimqIn(['release', 'send', RELEASE, '--to', 'medias', '--yes'], a, env(today, TODAY));
    expect(sent.status, sent.stderr).toBe(0);
    expect(today.messages.map((m) => m.to)).toEqual([['tomorrow@example.org']]);

    const tomorrow = await smtp();
    const b = project(one);
    const late = await aimqIn(
      ['release', 'send', RELEASE, '--to', 'medias', '--yes'],
      b,
      env(tomorrow, TOMORROW),
    );
    expect(late.status, late.stderr).toBe(0);
    expect(late.stderr).toContain('Nothing to send.');
    expect(tomorrow.messages).toHaveLength(0);
    expect((await rows(b))[0]).toMatchObject({
      state: 'no-consent',
      lastReply: 'implied consent (inquiry, 6 months) expired on 2026-12-08 (lists/medias.csv:2)',
    });
  });

  it('checks again when a campaign planned one day is sent the next: the row becomes no-consent then', async () => {
    const one = [HEADER, 'tomorrow@example.org;Tom Inquiry;fr;inquiry;2026-06-08;demande'].join('\n');
    const server = await smtp();
    const dir = project(one);
    // Today the server defers it (451) and the retry is an hour away: the run ends with it waiting.
    server.behave('tomorrow@example.org', { tempFail: { times: 100, at: 'rcpt' } });
    const first = await aimqIn(
      ['release', 'send', RELEASE, '--to', 'medias', '--yes'],
      dir,
      env(server, TODAY, { AIMQ_RETRY_BASE_MS: '3600000', AIMQ_MAX_RETRY_WAIT_MS: '0' }),
    );
    expect(first.status).toBe(3);
    expect(stateOf(await rows(dir))).toEqual({ 'tomorrow@example.org': 'retry' });
    const requeued = await aimqIn(['outbox', 'retry', '1'], dir);
    expect(requeued.status, requeued.stderr).toBe(0);
    server.behave('tomorrow@example.org', {});
    const rcptBefore = server.rcptSeen.length;

    // The next day the same send resumes the campaign: its row is kept, and stopped before it leaves.
    const next = await aimqIn(
      ['release', 'send', RELEASE, '--to', 'medias', '--yes'],
      dir,
      env(server, TOMORROW),
    );
    expect(next.status, next.stderr).toBe(0);
    expect(next.stderr).toContain('(resumed)');
    expect(server.rcptSeen.length).toBe(rcptBefore);
    expect(server.messages).toHaveLength(0);
    expect((await rows(dir))[0]).toMatchObject({
      state: 'no-consent',
      lastReply: 'implied consent (inquiry, 6 months) expired on 2026-12-08 (lists/medias.csv:2)',
    });
  });

  it('a scheduled campaign is checked on the day it is sent, not the day it was scheduled', async () => {
    const one = [
      HEADER,
      'tomorrow@example.org;Tom Inquiry;fr;inquiry;2026-06-08;demande',
      'express@example.org;Eve;fr;express;2010-01-01;x',
    ].join('\n');
    const server = await smtp();
    const dir = project(one);
    const scheduled = await aimqIn(
      ['release', 'schedule', RELEASE, '--at', '2026-12-08 09:00', '--to', 'medias', '--now', TODAY],
      dir,
    );
    expect(scheduled.status, scheduled.stderr).toBe(0);
    const round = await aimqIn(
      ['dispatch', '--once', '--now', '2026-12-08T09:01:00-05:00', '--send'],
      dir,
      env(server, '2026-12-08T09:01:00-05:00'),
    );
    expect(round.status, round.stderr).toBe(0);
    expect(round.stderr).toContain('1 without valid consent (implied consent expired)');
    expect(server.messages.map((m) => m.to)).toEqual([['express@example.org']]);
    expect(stateOf(await rows(dir))).toEqual({
      'tomorrow@example.org': 'no-consent',
      'express@example.org': 'sent',
    });
  });

  it('on a PostgreSQL outbox too: the no-consent rows are recorded and counted', async () => {
    const db = await freshDatabase();
    try {
      const server = await smtp();
      const dir = project();
      const pg = { AIMQ_OUTBOX_URL: db.url };
      const r = await aimqIn(
        ['release', 'send', RELEASE, '--to', 'medias', '--yes'],
        dir,
        env(server, TODAY, pg),
      );
      expect(r.status, r.stderr).toBe(0);
      expect(server.messages).toHaveLength(3);
      const shown = await aimqIn(['outbox', 'show', '1', '--format', 'json'], dir, pg);
      const report = JSON.parse(shown.stdout) as { counts: Record<string, number>; deliveries: Delivery[] };
      expect(report.counts['no-consent']).toBe(2);
      expect(stateOf(report.deliveries)['expired@example.org']).toBe('no-consent');
    } finally {
      await db.drop();
    }
  });

  it('warns once per list without consent columns, however many lines it has', async () => {
    const server = await smtp();
    const dir = project();
    const rowsWithout = Array.from({ length: 50 }, (_, i) => `r${i}@example.org;R ${i};fr`);
    writeFileSync(join(dir, 'lists', 'sans.csv'), `courriel;nom;langue\n${rowsWithout.join('\n')}\n`);
    const dry = await aimqIn(
      ['release', 'send', RELEASE, '--to', 'sans', '--to', 'medias', '--dry-run'],
      dir,
      env(server, TODAY),
    );
    expect(dry.status, dry.stderr).toBe(0);
    expect(dry.stderr.match(/AIMQ-CONSENT-MISSING/g)).toHaveLength(1);
    expect(dry.stderr).toContain(
      'lists/sans.csv:1:1 warning: this list has no consent column: aimq cannot tell whose implied consent has expired, and sends to everyone on it [AIMQ-CONSENT-MISSING]',
    );
    expect(dry.stderr).toContain('hint: CASL requires a record of each recipient’s consent');
    expect(dry.stderr).toMatch(
      /Dry run: 53 message\(s\) would be sent .*; 1 suppressed; 2 without valid consent \(implied consent expired\);/,
    );

    const sent = await aimqIn(['release', 'send', RELEASE, '--to', 'sans', '--yes'], dir, env(server, TODAY));
    expect(sent.status, sent.stderr).toBe(0);
    expect(sent.stderr.match(/AIMQ-CONSENT-MISSING/g)).toHaveLength(1);
    expect(server.messages).toHaveLength(50);
  });

  it('refuses a list whose consent basis it does not understand, naming file:line (exit 1)', async () => {
    const server = await smtp();
    const dir = project([HEADER, 'a@example.org;A;fr;opt-out;2025-01-01;x'].join('\n'));
    const r = await aimqIn(['release', 'send', RELEASE, '--to', 'medias', '--yes'], dir, env(server, TODAY));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('lists/medias.csv:2:');
    expect(r.stderr).toContain('consent "opt-out" is not understood');
    expect(r.stderr).toContain('[AIMQ-LIST-CONSENT]');
    expect(server.messages).toHaveLength(0);
  });
});
