import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Campaign, Delivery } from '../../src/outbox/outbox.js';
import { aimqAsync } from '../helpers/cli-async.js';
import { sendableProject } from '../helpers/cli.js';
import { FOUR, listCsv } from '../helpers/lists.js';
import { smtpServers } from '../helpers/smtp.js';
import { databaseUrl, freshDatabase } from '../helpers/store-pg.js';

/**
 * `aimq outbox migrate-to`: a real SQLite outbox (made by real sends through a real SMTP
 * server) moved into a fresh PostgreSQL database, then used from there: the same campaigns,
 * rows and states, and the same send run again sends nobody twice.
 */

const RELEASE = 'releases/2020-01-13-mission-aimq';
const smtp = smtpServers(afterAll);
let db: Awaited<ReturnType<typeof freshDatabase>>;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => {
  await db?.drop();
});

/** The database URL with a password in it (trust auth ignores it): it must never be printed. */
const withPassword = () => {
  const u = new URL(databaseUrl(db.name));
  u.password = 'pw-Secret-9';
  return u.toString();
};

describe('aimq outbox migrate-to', () => {
  it('moves campaigns, rows and states into PostgreSQL once; the outbox then works from there, nobody twice', async () => {
    const dir = sendableProject();
    mkdirSync(join(dir, 'lists'), { recursive: true });
    writeFileSync(join(dir, 'lists', 'medias.csv'), listCsv(FOUR));
    const server = await smtp();
    server.behave('edward@example.org', { refuse: true });
    const env = {
      AIMQ_SMTP_URL: server.url,
      AIMQ_SMTP_PASSWORD: '',
      AIMQ_RETRY_BASE_MS: '20',
      AIMQ_MAX_RETRY_WAIT_MS: '5000',
    };
    const sent = await aimqAsync(['release', 'send', RELEASE, '--to', 'lists/medias.csv', '--yes'], dir, env);
    expect(sent.status, sent.stderr).toBe(3);
    const scheduled = await aimqAsync(
      [
        'release',
        'schedule',
        RELEASE,
        '--at',
        '2026-12-01 09:00',
        '--to',
        'lists/medias.csv',
        '--now',
        '2026-11-30T12:00:00-05:00',
      ],
      dir,
      env,
    );
    expect(scheduled.status, scheduled.stderr).toBe(0);
    const show = async (id: number, extra: NodeJS.ProcessEnv = {}) => {
      const r = await aimqAsync(['outbox', 'show', String(id), '--format', 'json'], dir, {
        ...env,
        ...extra,
      });
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as { campaign: Campaign; deliveries: Delivery[] };
    };
    const before = [await show(1), await show(2)];
    const listBefore = await aimqAsync(['outbox', 'list'], dir, env);

    const url = withPassword();
    const moved = await aimqAsync(['outbox', 'migrate-to', url], dir, env);
    expect(moved.status, moved.stderr).toBe(0);
    expect(moved.stdout).toMatch(/Copied 2 campaign\(s\) and 4 row\(s\), and 1 suppressed address\(es\)/);
    expect(moved.stdout + moved.stderr).not.toContain('pw-Secret-9');

    const pgEnv = { AIMQ_OUTBOX_URL: url };
    expect([await show(1, pgEnv), await show(2, pgEnv)]).toEqual(before);
    const listAfter = await aimqAsync(['outbox', 'list'], dir, { ...env, ...pgEnv });
    expect(listAfter.stdout).toBe(listBefore.stdout);

    // Once only: a second move is refused, and changes nothing.
    const again = await aimqAsync(['outbox', 'migrate-to', url], dir, env);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/not empty.*nothing was copied/);
    expect(again.stderr).not.toContain('pw-Secret-9');

    // The same send, now on PostgreSQL: it resumes the moved campaign and sends nobody twice.
    const received = server.messages.length;
    const resend = await aimqAsync(['release', 'send', RELEASE, '--to', 'lists/medias.csv', '--yes'], dir, {
      ...env,
      ...pgEnv,
    });
    expect(resend.stderr).toMatch(/campaign 1 \(resumed\)/);
    expect(server.messages).toHaveLength(received);
    // New ids continue after the moved ones.
    const third = await aimqAsync(
      [
        'release',
        'schedule',
        RELEASE,
        '--at',
        '2026-12-02 09:00',
        '--to',
        'lists/medias.csv',
        '--now',
        '2026-11-30T12:00:00-05:00',
      ],
      dir,
      { ...env, ...pgEnv },
    );
    expect(third.stdout.trim()).toBe('3');
  });

  it('refuses a target that is not a postgres:// URL, and a project with no outbox to move', async () => {
    const dir = sendableProject();
    const notUrl = await aimqAsync(['outbox', 'migrate-to', 'mysql://x:pw-Secret-9@h/db'], dir);
    expect(notUrl.status).toBe(2);
    expect(notUrl.stderr).toMatch(/AIMQ-USAGE/);
    expect(notUrl.stderr).not.toContain('pw-Secret-9');
    const nothing = await aimqAsync(['outbox', 'migrate-to', withPassword()], dir);
    expect(nothing.status).toBe(2);
    expect(nothing.stderr).toMatch(/no outbox to move/);
  });
});
