import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Outbox } from '../../src/outbox/outbox.js';
import { aimq, tempDir } from '../helpers/cli.js';
import { aimqIn } from '../helpers/cli-in.js';
import { reportAbout, type SentRow, sentCampaign } from '../helpers/inbox-campaign.js';
import type { ListRow } from '../helpers/lists.js';
import { smtpServers } from '../helpers/smtp.js';

/**
 * `aimq inbox import` over an exported mailbox: an mbox (split on From lines, >From
 * unescaped) and a Maildir (cur/ and new/), about a campaign really sent. Soft bounces
 * count within the configured window, across imports; importing again changes nothing.
 */

const smtp = smtpServers(afterAll);

const FOUR: readonly ListRow[] = [
  ['gone@lapresse.example', 'Gaston Gone', 'fr'],
  ['fbl@outlook.example', 'Fanny Fbl', 'en'],
  ['flaky@gmail.example', 'Florence Flaky', 'bilingue'],
  ['stop@ledevoir.example', 'Stéphane Stop', 'fr'],
];

const rowOf = (rows: SentRow[], email: string) => rows.find((r) => r.email === email)!;

/** An mbox (mboxrd): a From line before each message, lines starting with From (or >From) quoted. */
function mbox(messages: Buffer[]): Buffer {
  return Buffer.from(
    messages
      .map(
        (m) =>
          `From MAILER-DAEMON Sat Dec  5 10:00:00 2026\n${m
            .toString('latin1')
            .replace(/\r\n/g, '\n')
            .replace(/^(>*From )/gm, '>$1')}\n`,
      )
      .join('\n'),
    'latin1',
  );
}

async function suppressed(dir: string) {
  const outbox = Outbox.open(join(dir, '.aimq', 'outbox.sqlite'));
  try {
    return (await outbox.suppression()).map((s) => [s.email, s.reason, s.source]);
  } finally {
    await outbox.close();
  }
}

describe('aimq inbox import', () => {
  it('reads an mbox and a Maildir; soft bounces suppress at 3 within 15 days; importing again changes nothing', async () => {
    const server = await smtp();
    const { dir, env, rows } = await sentCampaign(server, FOUR, '  softBounces: { count: 3, days: 15 }');
    const flaky = rowOf(rows, 'flaky@gmail.example');
    // A line starting with "From " in a body, as mbox quotes it: it must come back whole.
    const withFromLine = Buffer.from(
      reportAbout('unrelated/other-journalist-question.eml', rowOf(rows, 'stop@ledevoir.example'))
        .toString('utf8')
        .replace('Bonjour,', 'From the newsroom:\r\nBonjour,'),
    );
    const box = join(tempDir('aimq-mbox-'), 'bounces.mbox');
    writeFileSync(
      box,
      mbox([
        reportAbout('exchange/hard-o365-recipient-not-found.eml', rowOf(rows, 'gone@lapresse.example')),
        reportAbout('arf/complaint-microsoft-jmrp.eml', rowOf(rows, 'fbl@outlook.example')),
        reportAbout('postfix/soft-delayed.eml', flaky, 40),
        reportAbout('exim/soft-delayed.eml', flaky, 10),
        reportAbout('qmail/soft-deferred.eml', flaky, 5),
        reportAbout('unsubscribe/unsubscribe-en-mailto.eml', rowOf(rows, 'stop@ledevoir.example')),
        reportAbout('auto-reply/auto-reply-en-out-of-office.eml', rowOf(rows, 'stop@ledevoir.example')),
        withFromLine,
      ]),
    );
    const dry = await aimqIn(['inbox', 'import', box, '--dry-run'], dir, env);
    expect(dry.status, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/Dry run: nothing was changed or moved\. Read 8 messages?/);
    expect(dry.stdout).toMatch(
      /gone@lapresse\.example \(campaign \d+\): 5\.1\.10 RESOLVER\.ADR\.RecipientNotFound.* → would be suppressed/,
    );
    expect(await suppressed(dir)).toEqual([]);

    const first = await aimqIn(['inbox', 'import', box], dir, env);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/Read 8 messages? from .*bounces\.mbox:/);
    expect(first.stdout).toMatch(/hard bounces: 1, suppressed/);
    // 40 days ago is outside the window: two soft bounces count, under the threshold of 3.
    expect(first.stdout).toMatch(/soft bounces: 3, recorded; 0 reached 3 within 15 days/);
    expect(first.stdout).toMatch(/complaints: 1, suppressed/);
    expect(first.stdout).toMatch(/unsubscribe replies: 1, suppressed/);
    expect(first.stdout).toMatch(
      /left alone: 2 \(auto-replies 1, about no message in this outbox 0, other 1\)/,
    );
    expect(await suppressed(dir)).toEqual([
      ['gone@lapresse.example', 'bounce', 'bounce'],
      ['fbl@outlook.example', 'complaint', 'complaint'],
      ['stop@ledevoir.example', 'unsubscribe', 'mailto'],
    ]);

    const again = await aimqIn(['inbox', 'import', box], dir, env);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/read before: 8/);
    expect(await suppressed(dir)).toHaveLength(3);

    // A Maildir with a third soft bounce within the window (new/) and a copy of one already read (cur/).
    const maildir = join(tempDir('aimq-maildir-'), 'Maildir');
    for (const sub of ['cur', 'new', 'tmp']) mkdirSync(join(maildir, sub), { recursive: true });
    writeFileSync(
      join(maildir, 'new', '1733500000.M1P1.host'),
      reportAbout('gmail/soft-delivery-incomplete.eml', flaky, 1),
    );
    writeFileSync(join(maildir, 'cur', '1733400000.M2P1.host:2,S'), withFromLine);
    const md = await aimqIn(['inbox', 'import', maildir], dir, env);
    expect(md.status, md.stderr).toBe(0);
    expect(md.stdout).toMatch(/Read 2 messages?/);
    expect(md.stdout).toMatch(/soft bounces: 1, recorded; 1 reached 3 within 15 days and were suppressed/);
    expect(md.stdout).toMatch(/read before: 1/);
    expect(md.stdout).toMatch(/flaky@gmail\.example \(campaign \d+\): 4\.7\.0 .* → suppressed/);
    expect((await suppressed(dir)).at(-1)).toEqual(['flaky@gmail.example', 'bounce', 'bounce']);
  }, 120_000);

  it('a mailbox that does not exist: a clear error, exit 2', async () => {
    const dir = tempDir('aimq-import-missing-');
    const server = await smtp();
    const { dir: project, env } = await sentCampaign(
      server,
      FOUR.slice(0, 1),
      '  softBounces: { count: 2, days: 7 }',
    );
    const r = aimq(['inbox', 'import', join(dir, 'nothing.mbox')], project, env);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/nothing\.mbox does not exist \[AIMQ-INBOX-FILE\]/);
    mkdirSync(join(dir, 'not-a-maildir'));
    const folder = await aimqIn(['inbox', 'import', join(dir, 'not-a-maildir')], project, env);
    expect(folder.status).toBe(2);
    expect(folder.stderr).toMatch(/not a Maildir \[AIMQ-INBOX-FILE\]/);
  }, 60_000);
});
