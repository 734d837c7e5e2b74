import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/cli.js';
import { aimqIn } from '../helpers/cli-in.js';
import { reportAbout, sentCampaign } from '../helpers/inbox-campaign.js';
import { smtpServers } from '../helpers/smtp.js';

/**
 * `aimq outbox show` after `aimq inbox import`, about a campaign really sent: the inbox
 * column says what decided, not merely what was read last.
 */

const smtp = smtpServers(afterAll);

describe('the inbox column of outbox show', () => {
  it('keeps a complaint when a soft bounce about the same row is read after it', async () => {
    const server = await smtp();
    const { dir, env, rows } = await sentCampaign(
      server,
      [['paul@example.net', 'Paul', 'fr']],
      '  softBounces: { count: 3, days: 15 }',
    );
    const paul = rows[0]!;
    const folder = tempDir('aimq-listen-show-');
    // The complaint first, then an older delay warning: the order a mailbox export may have.
    writeFileSync(join(folder, '1-complaint.eml'), reportAbout('arf/complaint-yahoo.eml', paul, 0));
    writeFileSync(join(folder, '2-soft.eml'), reportAbout('postfix/soft-delayed.eml', paul, 1));
    for (const f of ['1-complaint.eml', '2-soft.eml']) {
      const r = await aimqIn(['inbox', 'import', join(folder, f)], dir, env);
      expect(r.status, r.stderr).toBe(0);
    }
    const json = await aimqIn(['outbox', 'show', String(paul.campaignId), '--format', 'json'], dir, env);
    expect(json.status, json.stderr).toBe(0);
    const [row] = JSON.parse(json.stdout).deliveries as { email: string; inbox?: { kind: string } }[];
    expect(row!.inbox?.kind).toBe('complaint');
    const text = await aimqIn(['outbox', 'show', String(paul.campaignId)], dir, env);
    expect(text.stdout).toMatch(/paul@example\.net .*complaint/);
    expect(text.stdout).not.toMatch(/paul@example\.net .*soft bounce/);
  });
});

/** What a forwarding address's server sends when it refuses a report it was sent on: a hard bounce around it. */
function bounceOf(report: Buffer, n: number): Buffer {
  return Buffer.from(
    [
      'Return-Path: <>',
      'From: MAILER-DAEMON@mx.forward.example',
      'To: communications@aimq.net',
      'Subject: Undelivered Mail Returned to Sender',
      'Date: Mon, 7 Dec 2026 06:40:00 +0000',
      `Message-ID: <double-bounce-${n}@mx.forward.example>`,
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="OUTER"',
      '',
      '--OUTER',
      'Content-Type: text/plain',
      '',
      'This is the mail system at host mx.forward.example.',
      '',
      '<archive@forward.example>: host mx.forward.example said: 550 5.1.1 User unknown',
      '',
      '--OUTER',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.forward.example',
      '',
      'Final-Recipient: rfc822; archive@forward.example',
      'Action: failed',
      'Status: 5.1.1',
      'Diagnostic-Code: smtp; 550 5.1.1 User unknown',
      '',
      '--OUTER',
      'Content-Type: message/rfc822',
      '',
      report.toString('latin1').replace(/\r\n/g, '\n').trimEnd(),
      '',
      '--OUTER--',
      '',
    ].join('\r\n'),
    'latin1',
  );
}

describe('a bounce of a bounce', () => {
  it('is read for the report it returns: a delay notice stays soft, nobody is suppressed', async () => {
    const server = await smtp();
    const { dir, env, rows } = await sentCampaign(
      server,
      [['anne@example.org', 'Anne', 'fr']],
      '  softBounces: { count: 3, days: 15 }',
    );
    const anne = rows[0]!;
    const file = join(tempDir('aimq-listen-double-'), 'double.eml');
    writeFileSync(file, bounceOf(reportAbout('postfix/soft-delayed.eml', anne), 1));
    const r = await aimqIn(['inbox', 'import', file], dir, env);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/soft bounce +.*anne@example\.org \(campaign \d+\)/);
    expect(r.stdout).toMatch(/hard bounces: 0, suppressed/);
    expect(r.stdout).not.toContain('archive@forward.example');
    const json = await aimqIn(['outbox', 'show', String(anne.campaignId), '--format', 'json'], dir, env);
    const [row] = JSON.parse(json.stdout).deliveries as { inbox?: { kind: string } }[];
    expect(row!.inbox?.kind).toBe('soft');
  });

  it('a complaint that was sent on and bounced is still a complaint', async () => {
    const server = await smtp();
    const { dir, env, rows } = await sentCampaign(server, [['carl@example.net', 'Carl', 'en']], '');
    const file = join(tempDir('aimq-listen-double-'), 'double.eml');
    writeFileSync(file, bounceOf(reportAbout('arf/complaint-yahoo.eml', rows[0]!), 2));
    const r = await aimqIn(['inbox', 'import', file], dir, env);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/complaints: 1, suppressed/);
  });
});

describe('the summary of a large import', () => {
  it('writes every count as its first line does: 1,001 in English, 1 001 in French', async () => {
    const server = await smtp();
    const { dir, env } = await sentCampaign(server, [['paul@example.net', 'Paul', 'fr']], '');
    const reply = (i: number) =>
      `From paul@example.net Mon Dec  7 06:30:00 2026\nFrom: Paul <paul@example.net>\nTo: communications@aimq.net\nSubject: Absence du bureau\nMessage-ID: <ooo-${i}@example.net>\n\nAbsent.\n`;
    const box = join(tempDir('aimq-listen-many-'), 'many.mbox');
    writeFileSync(box, Array.from({ length: 1001 }, (_, i) => reply(i)).join('\n'));
    const en = await aimqIn(['inbox', 'import', box, '--dry-run'], dir, { ...env, AIMQ_LANG: 'en' });
    expect(en.status, en.stderr).toBe(0);
    expect(en.stdout).toContain('Read 1,001 messages from');
    expect(en.stdout).toContain(
      '  left alone: 1,001 (auto-replies 1,001, about no message in this outbox 0, other 0)',
    );
    const fr = await aimqIn(['inbox', 'import', box, '--dry-run'], dir, { ...env, AIMQ_LANG: 'fr' });
    expect(fr.stdout).toMatch(
      / {2}laissés de côté\u00a0: 1[\u00a0\u202f]001 \(réponses automatiques 1[\u00a0\u202f]001,/,
    );
  });
});
