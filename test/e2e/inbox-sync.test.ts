import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUnsubscribeToken } from '../../src/message/unsubscribe-token.js';
import { readMessage } from '../../src/inbox/message.js';
import { Outbox } from '../../src/outbox/outbox.js';
import { aimq } from '../helpers/cli.js';
import { aimqIn } from '../helpers/cli-in.js';
import { startDovecot, type TestDovecot } from '../helpers/dovecot.js';
import { reportAbout, sentCampaign, RELEASE, type SentRow } from '../helpers/inbox-campaign.js';
import type { ListRow } from '../helpers/lists.js';
import { smtpServers } from '../helpers/smtp.js';

/**
 * `aimq inbox sync` against a real Dovecot on loopback: a campaign really sent through the
 * test SMTP server, then the reports its recipients' servers would send, filed in the
 * mailbox by IMAP APPEND. Hard bounces, complaints and unsubscribe replies suppress; a soft
 * bounce is recorded; auto-replies and unrelated mail stay in the folder; a second sync
 * changes nothing; the next send skips the suppressed addresses.
 */

const smtp = smtpServers(afterAll);
let dovecot: TestDovecot;
beforeAll(async () => {
  dovecot = await startDovecot();
}, 30_000);
afterAll(async () => {
  await dovecot?.stop();
});

const SIX: readonly ListRow[] = [
  ['hard@lapresse.example', 'Hélène Hard', 'fr'],
  ['complaint@yahoo.example', 'Carl Complaint', 'en'],
  ['unsub@ledevoir.example', 'Ulysse Unsub', 'fr'],
  ['soft@gmail.example', 'Sophie Soft', 'bilingue'],
  ['away@radio-canada.example', 'Ariane Away', 'fr'],
  ['quiet@cbc.example', 'Quentin Quiet', 'en'],
];

function inboxConfig(d: TestDovecot): string {
  return `  host: 127.0.0.1\n  port: ${d.port}\n  user: ${d.user}\n  processedFolder: aimq-processed`;
}

const rowOf = (rows: SentRow[], email: string) => rows.find((r) => r.email === email)!;

describe('aimq inbox sync', () => {
  it('suppresses hard bounces, complaints and unsubscribe replies, records soft bounces, leaves the rest, and a second sync changes nothing', async () => {
    const server = await smtp();
    const { dir, env, rows } = await sentCampaign(server, SIX, inboxConfig(dovecot));
    expect(rows).toHaveLength(6);
    const imapEnv = { ...env, AIMQ_IMAP_PASSWORD: dovecot.password };
    const reports = [
      reportAbout('postfix/hard-user-unknown.eml', rowOf(rows, 'hard@lapresse.example')),
      reportAbout('arf/complaint-yahoo.eml', rowOf(rows, 'complaint@yahoo.example')),
      reportAbout('unsubscribe/unsubscribe-fr-mailto.eml', rowOf(rows, 'unsub@ledevoir.example')),
      reportAbout('gmail/soft-delivery-incomplete.eml', rowOf(rows, 'soft@gmail.example')),
      reportAbout('auto-reply/auto-reply-fr-absence.eml', rowOf(rows, 'away@radio-canada.example')),
      reportAbout('unrelated/other-newsletter.eml', rowOf(rows, 'quiet@cbc.example')),
      // A bounce of a message this outbox never sent: left alone, whatever address it names.
      reportAbout('exim/hard-permanent-error.eml', rowOf(rows, 'quiet@cbc.example'), 0, {
        messageId: '<999.999.0a0b0c0d0e0f@aimq.net>',
        token: signUnsubscribeToken('another-secret-than-this-outbox-uses-0123', 1, 6),
      }),
    ];
    for (const r of reports) await dovecot.append(r);
    const ids = await dovecot.messageIds();
    expect(ids).toHaveLength(7);

    const dry = await aimqIn(['inbox', 'sync', '--dry-run'], dir, imapEnv);
    expect(dry.status, dry.stderr + dovecot.log()).toBe(0);
    expect(dry.stdout).toMatch(/Dry run: nothing was changed or moved/);
    expect(dry.stdout).toMatch(/hard bounces: 1, would be suppressed/);
    expect(await dovecot.messageIds()).toHaveLength(7);

    const first = await aimqIn(['inbox', 'sync'], dir, imapEnv);
    expect(first.status, first.stderr + dovecot.log()).toBe(0);
    expect(first.stdout).toMatch(/Read 7 messages? from INBOX on 127\.0\.0\.1:\d+/);
    expect(first.stdout).toMatch(/hard bounces: 1, suppressed/);
    expect(first.stdout).toMatch(/soft bounces: 1, recorded; 0 reached 3 within 15 days/);
    expect(first.stdout).toMatch(/complaints: 1, suppressed/);
    expect(first.stdout).toMatch(/unsubscribe replies: 1, suppressed/);
    expect(first.stdout).toMatch(
      /left alone: 3 \(auto-replies 1, about no message in this outbox 1, other 1\)/,
    );
    expect(first.stdout).toMatch(/Moved 4 messages? to aimq-processed/);
    expect(first.stdout).not.toContain(dovecot.password);

    const outbox = Outbox.open(join(dir, '.aimq', 'outbox.sqlite'));
    const suppressed = await outbox.suppression();
    await outbox.close();
    expect(suppressed.map((s) => [s.email, s.reason, s.source, s.campaignId])).toEqual([
      ['hard@lapresse.example', 'bounce', 'bounce', rows[0]!.campaignId],
      ['complaint@yahoo.example', 'complaint', 'complaint', rows[0]!.campaignId],
      ['unsub@ledevoir.example', 'unsubscribe', 'mailto', rows[0]!.campaignId],
    ]);
    // What was applied left the folder; what a person should read stayed.
    const left = await dovecot.messageIds();
    const moved = await dovecot.messageIds('aimq-processed');
    expect(left).toHaveLength(3);
    expect(moved).toHaveLength(4);
    // The envelope's Message-ID is the key recorded: the next sync need not download them again.
    const keys = await Promise.all(reports.slice(4).map(async (r) => (await readMessage(r)).key));
    expect([...left].sort()).toEqual(keys.sort());

    const second = await aimqIn(['inbox', 'sync'], dir, imapEnv);
    expect(second.status, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/Read 3 messages?/);
    expect(second.stdout).toMatch(/read before: 3/);
    expect(second.stdout).toMatch(/hard bounces: 0,/);
    expect(second.stdout).toMatch(/Moved 0 messages?/);
    const again = Outbox.open(join(dir, '.aimq', 'outbox.sqlite'));
    expect(await again.suppression()).toEqual(suppressed);
    expect(await again.inboxEvents(rows[0]!.campaignId)).toHaveLength(4);
    await again.close();
    expect(await dovecot.messageIds()).toEqual(left);
    expect(await dovecot.messageIds('aimq-processed')).toEqual(moved);

    // outbox show says why, per recipient, in text and JSON.
    const show = await aimqIn(['outbox', 'show', String(rows[0]!.campaignId)], dir, env);
    expect(show.stdout).toMatch(
      /hard@lapresse\.example .*hard bounce: 5\.1\.1 Recipient address rejected: User unknown/,
    );
    expect(show.stdout).toMatch(/soft@gmail\.example .*soft bounce: 4\.7\.0/);
    expect(show.stdout).toMatch(/complaint@yahoo\.example .*complaint/);
    const json = JSON.parse(
      (await aimqIn(['outbox', 'show', String(rows[0]!.campaignId), '--format', 'json'], dir, env)).stdout,
    ) as { deliveries: { email: string; inbox?: { kind: string; status: string } }[] };
    expect(json.deliveries.find((d) => d.email === 'hard@lapresse.example')!.inbox).toMatchObject({
      kind: 'hard',
      status: '5.1.1',
    });
    expect(json.deliveries.find((d) => d.email === 'quiet@cbc.example')!.inbox).toBeUndefined();

    // The next send (the release corrected: a new campaign, sent again to all) skips the three suppressed addresses.
    appendFileSync(join(dir, RELEASE, 'fr.md'), '\nPrécision ajoutée après l’envoi.\n');
    appendFileSync(join(dir, RELEASE, 'en.md'), '\nClarification added after sending.\n');
    const before = server.messages.length;
    const resend = await aimqIn(
      ['release', 'send', RELEASE, '--to', 'lists/medias.csv', '--yes', '--resend'],
      dir,
      env,
    );
    expect(resend.status, resend.stderr).toBe(0);
    const to = server.messages
      .slice(before)
      .flatMap((m) => m.to)
      .sort();
    expect(to).toEqual(['away@radio-canada.example', 'quiet@cbc.example', 'soft@gmail.example']);
    expect(resend.stdout + resend.stderr).toMatch(/3 suppressed|suppressed 3/);
  }, 120_000);

  it('a wrong IMAP password: a clear error, exit 2, the password never shown', async () => {
    const server = await smtp();
    const { dir, env } = await sentCampaign(server, SIX.slice(0, 1), inboxConfig(dovecot));
    const wrong = 'Wr0ng-imap-p4ssword!';
    const r = aimq(['inbox', 'sync'], dir, { ...env, AIMQ_IMAP_PASSWORD: wrong });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /the IMAP server 127\.0\.0\.1:\d+ refused the credentials of bounces@aimq\.net \[AIMQ-IMAP\]/,
    );
    expect(r.stderr).toMatch(/hint: check inbox\.user .* AIMQ_IMAP_PASSWORD/);
    expect(r.stderr + r.stdout).not.toContain(wrong);
    expect(r.stderr).not.toMatch(/\n\s+at /);

    const none = await aimqIn(['inbox', 'sync'], dir, { ...env, AIMQ_IMAP_PASSWORD: '' });
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/AIMQ_IMAP_PASSWORD is not set: .*\[AIMQ-IMAP-CONFIG\]/);
  }, 60_000);
});
