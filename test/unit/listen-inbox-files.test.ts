import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeReason } from '../../src/inbox/apply.js';
import { classify } from '../../src/inbox/classify.js';
import { AimqError } from '../../src/errors/index.js';
import { readMailbox, splitMbox } from '../../src/inbox/files.js';
import { readMessage } from '../../src/inbox/message.js';

/**
 * Exported mailboxes in shapes the sample mailbox does not have, and text bounces whose
 * notice names a host by an IP address: what a new user's bounce folder holds.
 */

const dir = mkdtempSync(join(tmpdir(), 'aimq-listen-inbox-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ID = '<4.17.0a1b2c3d4e5f@srs.example>';

/** A sendmail text notice (no delivery-status part), about ID, naming the sending host by IP. */
function sendmail(kind: 'warning' | 'fatal', ip: string): Buffer {
  const errors =
    kind === 'warning'
      ? '   ----- The following addresses had transient non-fatal errors -----\n<anne@example.org>\n\n   ----- Transcript of session follows -----\n<anne@example.org>... Deferred: Connection timed out with mail.example.org.\nWarning: message still undelivered after 4 hours\nWill keep trying until message is 5 days old\n'
      : '   ----- The following addresses had permanent fatal errors -----\n<anne@example.org>\n    (reason: 550 5.1.1 <anne@example.org>... User unknown)\n';
  return Buffer.from(
    [
      'Return-Path: <>',
      'Date: Mon, 7 Dec 2026 05:20:11 -0500',
      'From: Mail Delivery Subsystem <MAILER-DAEMON@mail.example.org>',
      'Message-Id: <202612071020.x1@mail.example.org>',
      'To: <communications@srs.example>',
      `Subject: ${kind === 'warning' ? 'Warning: could not send message for past 4 hours' : 'Returned mail: see transcript for details'}`,
      '',
      'The original message was received at Mon, 7 Dec 2026 01:20:10 -0500',
      `from mx.srs.example [${ip}]`,
      '',
      errors,
      '   ----- Original message follows -----',
      `Message-ID: ${ID}`,
      'From: SRS <communications@srs.example>',
      'To: Anne <anne@example.org>',
      'Subject: x',
      '',
      'body',
      '',
    ].join('\r\n'),
  );
}

describe('a text bounce that names a host by its IP address', () => {
  it('a delay warning from [5.45.67.8] stays soft: the address is no status code', async () => {
    const c = classify(await readMessage(sendmail('warning', '5.45.67.8')));
    expect(c.kind).toBe('bounce');
    if (c.kind !== 'bounce') return;
    expect(c.findings[0]!.severity).toBe('soft');
    expect(c.findings[0]!.status).toBeUndefined();
    expect(c.refs.messageIds).toContain(ID);
  });

  it('a permanent failure from [4.2.2.1] is hard, with the status the server gave', async () => {
    const c = classify(await readMessage(sendmail('fatal', '4.2.2.1')));
    expect(c.kind).toBe('bounce');
    if (c.kind !== 'bounce') return;
    expect(c.findings[0]!.severity).toBe('hard');
    expect(c.findings[0]!.status).toBe('5.1.1');
    expect(c.findings[0]!.diagnostic).toContain('User unknown');
  });
});

describe('an mbox whose bodies have unescaped From lines', () => {
  it('splits only on postmark lines (sender and date), not on a body line starting with From', () => {
    const mbox = Buffer.from(
      [
        'From MAILER-DAEMON Mon Dec  7 06:20:11 2026',
        'Subject: one',
        '',
        'From the desk of Anne: this line was not escaped.',
        '',
        'From 9 to 5 we are closed.',
        '',
        'From - Mon Dec 07 06:21:00 2026',
        'Subject: two',
        '',
        'body',
        '',
        'From 1234567890@xxx Tue Dec 08 01:02:03 +0000 2026',
        'Subject: three',
        '',
        '>From quoted',
        '',
      ].join('\n'),
    );
    const parts = splitMbox(mbox, 'box.mbox');
    expect(parts.map((p) => p.where)).toEqual(['box.mbox#1', 'box.mbox#2', 'box.mbox#3']);
    expect(parts[0]!.raw.toString()).toBe(
      'Subject: one\n\nFrom the desk of Anne: this line was not escaped.\n\nFrom 9 to 5 we are closed.\n',
    );
    expect(parts[1]!.raw.toString()).toBe('Subject: two\n\nbody\n');
    // At the end of the file, as between messages, the line break that ends the last line goes.
    expect(parts[2]!.raw.toString()).toBe('Subject: three\n\nFrom quoted');
  });

  it('a file whose From lines carry no date is split on every From line after a blank line', () => {
    const parts = splitMbox(Buffer.from('From a\nSubject: one\n\nFrom b\nSubject: two\n'), 'bare.mbox');
    expect(parts.map((p) => p.raw.toString())).toEqual(['Subject: one\n', 'Subject: two']);
  });
});

describe('a Maildir with more than messages in it', () => {
  it('reads the message files of cur/ and new/, and passes over a folder and tmp/', () => {
    const md = join(dir, 'Maildir');
    for (const s of ['cur', 'new', 'tmp', 'cur/.stray', 'cur/stray-folder'])
      mkdirSync(join(md, s), { recursive: true });
    writeFileSync(join(md, 'cur', '1765088161.M2P1.host:2,S'), 'Subject: seen\n\nbody\n');
    writeFileSync(join(md, 'new', '1765088160.M1P1.host'), 'Subject: new\n\nbody\n');
    writeFileSync(join(md, 'tmp', '1765088162.M3P1.host'), 'Subject: half-delivered\n');
    const entries = [...readMailbox(md, 'Maildir')];
    expect(entries.map((e) => e.where)).toEqual([
      'Maildir/cur/1765088161.M2P1.host:2,S',
      'Maildir/new/1765088160.M1P1.host',
    ]);
  });
});

describe('an mbox larger than a JavaScript string', () => {
  it('is read message by message: 540 MB, two messages', { timeout: 120_000 }, () => {
    const file = join(dir, 'huge.mbox');
    const fd = openSync(file, 'w');
    const line = Buffer.from(`${'A'.repeat(65_535)}\n`);
    // 0x1fffffe8 characters is the longest string V8 makes: this file is longer.
    const linesPerMessage = 4_200;
    try {
      for (const n of [1, 2]) {
        writeSync(fd, `From MAILER-DAEMON Mon Dec  7 06:2${n}:00 2026\nSubject: big ${n}\n\n`);
        for (let i = 0; i < linesPerMessage; i++) writeSync(fd, line);
        writeSync(fd, '\n');
      }
    } finally {
      closeSync(fd);
    }
    const sizes: number[] = [];
    const wheres: string[] = [];
    for (const e of readMailbox(file, 'huge.mbox')) {
      sizes.push(e.raw.length);
      wheres.push(e.where);
      expect(e.raw.subarray(0, 14).toString()).toMatch(/^Subject: big \d/);
    }
    rmSync(file);
    expect(wheres).toEqual(['huge.mbox#1', 'huge.mbox#2']);
    for (const size of sizes) expect(size).toBe('Subject: big 1\n\n'.length + linesPerMessage * line.length);
  });
});

describe('a text bounce that quotes the Message-ID of aimq in its notice', () => {
  it('does not read the Message-ID <5.12.3c24…> as the status 5.12.3', async () => {
    const raw = Buffer.from(
      [
        'From: MAILER-DAEMON@mx.example.net',
        'To: communications@srs.example',
        'Subject: Undelivered Mail Returned to Sender',
        'Date: Mon, 7 Dec 2026 05:20:11 -0500',
        '',
        'Your message <5.12.3c24f1efca12@srs.example> to anne@example.org was not delivered:',
        'the server said: 452 4.2.2 Mailbox full, try again later.',
        '',
      ].join('\r\n'),
    );
    const c = classify(await readMessage(raw));
    expect(c.kind).toBe('bounce');
    if (c.kind !== 'bounce') return;
    expect(c.findings[0]!.status).toBe('4.2.2');
    expect(c.findings[0]!.severity).toBe('soft');
    expect(c.refs.messageIds).toEqual([]);
  });
});

describe('a sendmail notice, whose separators are indented', () => {
  it('is read up to "   ----- Original message follows -----": the copy below does not decide', async () => {
    const raw = Buffer.from(
      [
        'From: Mail Delivery Subsystem <MAILER-DAEMON@mail.example.org>',
        'To: communications@srs.example',
        'Subject: Returned mail: User unknown',
        '',
        '   ----- The following addresses had permanent fatal errors -----',
        '<anne@example.org>',
        '    (reason: User unknown)',
        '',
        '   ----- Original message follows -----',
        `Message-ID: ${ID}`,
        'Subject: x',
        '',
        'Our newsroom mailbox is full of good news this week.',
        '',
      ].join('\r\n'),
    );
    const c = classify(await readMessage(raw));
    expect(c.kind).toBe('bounce');
    if (c.kind !== 'bounce') return;
    expect(c.findings[0]!.severity).toBe('hard');
    expect(c.refs.messageIds).toEqual([ID]);
  });
});

describe('an unsubscribe request in words, sent to the unsubscribe address', () => {
  const request = async (subject: string) =>
    classify(
      await readMessage(
        Buffer.from(
          [
            'From: Anne <anne@example.org>',
            'To: "Désabonnement SRS" <DESABONNEMENT@SRS.EXAMPLE>',
            `Subject: ${subject}`,
            `In-Reply-To: ${ID}`,
            '',
            'Merci.',
            '',
          ].join('\r\n'),
        ),
      ),
      { unsubscribeAddress: 'desabonnement@srs.example' },
    );

  it.each([
    'RE: Veuillez me retirer de votre liste d’envoi',
    'Retirer mon adresse SVP',
    'Je ne veux plus recevoir vos communiqués',
    'Je souhaite ne plus recevoir ces courriels',
    'Please take me off this list',
    'I no longer wish to receive these',
  ])('"%s" is an unsubscribe reply tied by In-Reply-To', async (subject) => {
    const c = await request(subject);
    expect(c.kind).toBe('unsubscribe');
    if (c.kind === 'unsubscribe') expect(c.refs.messageIds).toEqual([ID]);
  });

  it('a question that is no request is not one', async () => {
    expect((await request('Question sur votre communiqué')).kind).toBe('other');
  });
});

describe('a compressed export', () => {
  it('is refused with what to do, instead of being read as one message', () => {
    const file = join(dir, 'bounces.mbox.gz');
    writeFileSync(
      file,
      gzipSync(Buffer.from('From MAILER-DAEMON Mon Dec  7 06:20:11 2026\nSubject: x\n\nbody\n')),
    );
    let caught: unknown;
    try {
      readMailbox(file, 'bounces.mbox.gz');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(AimqError);
    const e = caught as AimqError;
    expect(e.code).toBe('AIMQ-INBOX-FILE');
    expect((e.text as { en: string }).en).toBe(
      'bounces.mbox.gz is a gzip archive, not a message or an mbox file',
    );
    expect((e.text as { fr: string }).fr).toBe(
      'bounces.mbox.gz est une archive gzip, pas un courriel ni un fichier mbox',
    );
  });
});

describe('a folder of saved .eml files', () => {
  it('is read message by message, in name order; other files are passed over', () => {
    const saved = join(dir, 'saved');
    mkdirSync(saved);
    writeFileSync(join(saved, '2 - Undelivered.eml'), 'Subject: two\n\nbody\n');
    writeFileSync(join(saved, '1 - Returned mail.EML'), 'Subject: one\n\nbody\n');
    writeFileSync(join(saved, 'notes.txt'), 'not a message');
    const entries = [...readMailbox(saved, 'saved')];
    expect(entries.map((e) => e.where)).toEqual(['saved/1 - Returned mail.EML', 'saved/2 - Undelivered.eml']);
  });

  it('a folder with neither is still refused, saying what it may hold', () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    expect(() => readMailbox(empty, 'empty')).toThrow(/without cur\/, new\/ or \.eml files/);
  });
});

describe('a refusal for policy, about the sender rather than the address', () => {
  const dsn = (status: string, diagnostic: string) =>
    Buffer.from(
      [
        'From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>',
        'To: communications@srs.example',
        'Subject: Delivery Status Notification (Failure)',
        'MIME-Version: 1.0',
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"',
        '',
        '--B',
        'Content-Type: text/plain',
        '',
        'Your message was not delivered.',
        '',
        '--B',
        'Content-Type: message/delivery-status',
        '',
        'Reporting-MTA: dns; googlemail.com',
        '',
        'Final-Recipient: rfc822; anne@example.org',
        'Action: failed',
        ...(status ? [`Status: ${status}`] : []),
        `Diagnostic-Code: smtp; ${diagnostic}`,
        '',
        '--B',
        'Content-Type: text/rfc822-headers',
        '',
        `Message-ID: ${ID}`,
        '',
        '--B--',
        '',
      ].join('\r\n'),
    );
  const severity = async (raw: Buffer) => {
    const c = classify(await readMessage(raw));
    return c.kind === 'bounce' ? c.findings[0]!.severity : c.kind;
  };

  it.each([
    [
      '5.7.26',
      '550-5.7.26 This mail has been blocked because the sender is unauthenticated. Gmail requires all senders to authenticate with either SPF or DKIM.',
    ],
    ['5.7.1', '554 5.7.1 Service unavailable; Client host [203.0.113.5] blocked using zen.spamhaus.org'],
    ['5.0.0', '550 5.0.0 Message rejected as spam by Content Filtering'],
  ])(
    '%s is soft: a configuration or reputation problem must not empty the list',
    async (status, diagnostic) => {
      expect(await severity(dsn(status, diagnostic))).toBe('soft');
    },
  );

  it('an unknown user is still hard, whatever other words the reply has', async () => {
    expect(await severity(dsn('5.1.1', '550 5.1.1 User unknown; see our spam policy'))).toBe('hard');
  });

  it('a text notice without a status, refused as spam, is soft', async () => {
    const raw = Buffer.from(
      [
        'From: MAILER-DAEMON@mx.example.net',
        'To: communications@srs.example',
        'Subject: Undelivered Mail Returned to Sender',
        '',
        'This is the mail system at host mx.example.net.',
        '',
        "I'm sorry to have to inform you that your message could not",
        'be delivered to one or more recipients.',
        '',
        '<anne@example.org>: host mx.example.org said: 554 Message refused: listed at bl.example.net',
        '',
      ].join('\r\n'),
    );
    expect(await severity(raw)).toBe('soft');
  });
});

describe('the reason shown for a sendmail notice', () => {
  it('is the status and the server’s words, without sendmail’s "(reason: …)" and "<address>..."', async () => {
    const c = classify(await readMessage(sendmail('fatal', '203.0.113.8')));
    expect(c.kind).toBe('bounce');
    if (c.kind !== 'bounce') return;
    const f = c.findings[0]!;
    expect(describeReason(f.status, f.diagnostic)).toBe('5.1.1 User unknown');
  });
});
