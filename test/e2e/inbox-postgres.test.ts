import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../../src/outbox/postgres/store.js';
import { aimqIn } from '../helpers/cli-in.js';
import { startDovecot, type TestDovecot } from '../helpers/dovecot.js';
import { reportAbout, sentCampaign } from '../helpers/inbox-campaign.js';
import { smtpServers } from '../helpers/smtp.js';
import { freshDatabase } from '../helpers/store-pg.js';

/**
 * `aimq inbox sync` writing to a shared PostgreSQL outbox (AIMQ_OUTBOX_URL): the rows are
 * found by Message-ID and token there, the suppression is seen by every machine, and a
 * second sync (another checkout of the project) applies nothing twice.
 */

const smtp = smtpServers(afterAll);
let dovecot: TestDovecot;
let db: Awaited<ReturnType<typeof freshDatabase>>;
beforeAll(async () => {
  dovecot = await startDovecot();
  db = await freshDatabase();
}, 30_000);
afterAll(async () => {
  await dovecot?.stop();
  await db?.drop();
});

describe('aimq inbox sync on a PostgreSQL outbox', () => {
  it('suppresses in the shared store and applies nothing twice', async () => {
    const server = await smtp();
    const config = `  host: 127.0.0.1\n  port: ${dovecot.port}\n  user: ${dovecot.user}`;
    const { dir, env, rows } = await sentCampaign(
      server,
      [
        ['bounced@lapresse.example', 'Béatrice', 'fr'],
        ['leaving@ledevoir.example', 'Léo', 'fr'],
      ],
      config,
      { AIMQ_OUTBOX_URL: db.url },
    );
    const [bounced, leaving] = [
      rows.find((r) => r.email.startsWith('bounced'))!,
      rows.find((r) => r.email.startsWith('leaving'))!,
    ];
    const hard = reportAbout('exchange/hard-exchange2010-plain.eml', bounced);
    await dovecot.append(hard);
    await dovecot.append(reportAbout('unsubscribe/unsubscribe-fr-encoded-subject.eml', leaving));
    const imapEnv = { ...env, AIMQ_IMAP_PASSWORD: dovecot.password };

    const first = await aimqIn(['inbox', 'sync'], dir, imapEnv);
    expect(first.status, first.stderr + dovecot.log()).toBe(0);
    expect(first.stdout).toMatch(/hard bounces: 1, suppressed/);
    expect(first.stdout).toMatch(/unsubscribe replies: 1, suppressed/);
    expect(first.stdout).toMatch(/Moved 2 messages? to aimq-processed/);

    // The same report filed again (a second mail client copied it back): read, recognised, moved, not applied.
    await dovecot.append(hard);
    const again = await aimqIn(['inbox', 'sync'], dir, imapEnv);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/hard bounces: 0,/);
    expect(again.stdout).toMatch(/read before: 1/);
    expect(again.stdout).toMatch(/Moved 1 messages?/);
    expect(await dovecot.messageIds()).toEqual([]);

    const outbox = await openPostgres(db.url);
    try {
      expect((await outbox.suppression()).map((s) => [s.email, s.reason, s.source, s.campaignId])).toEqual([
        ['bounced@lapresse.example', 'bounce', 'bounce', bounced.campaignId],
        ['leaving@ledevoir.example', 'unsubscribe', 'mailto', leaving.campaignId],
      ]);
      expect((await outbox.inboxEvents(bounced.campaignId)).map((e) => [e.email, e.kind, e.status])).toEqual([
        ['bounced@lapresse.example', 'hard', '5.1.1'],
        ['leaving@ledevoir.example', 'unsubscribe', null],
      ]);
    } finally {
      await outbox.close();
    }
  }, 120_000);
});
