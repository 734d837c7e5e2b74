import MimeNode from 'nodemailer/lib/mime-node';
import { describe, expect, it } from 'vitest';
import {
  composeMessage,
  type MessageInput,
  oneLine,
  personalHeaders,
  prepareMessage,
} from '../../src/message/compose.js';
import type { Config } from '../../src/model/config.js';

/**
 * The per-recipient part of a message is written by hand on the sending path (a tenth of
 * MimeNode's cost); nodemailer is the reference. Every expectation here comes from nodemailer
 * itself: MimeNode given the recipient as a structured address (the way composeMessage hands
 * it From and Reply-To), and composeMessage for the whole message.
 */

const NAMES = [
  '',
  'Destinataire 1',
  'Jean Dupont',
  'X',
  'Élise Côté',
  'A.B. Smith',
  'O’Neil',
  'Name "Quoted"',
  'back\\slash',
  ' Leading',
  'Trailing ',
  'Two  spaces',
  'Très long nom qui déborde de la ligne et qu’il faut replier',
  'Very Long Name That Goes On And On And On Forever Really Long Indeed',
  'Exactly Sixty Characters Of A Plain Name Here Ok Fill Fill',
  'a,b',
  'a;b',
  'Name (comment)',
  'a <b@c.d>',
  'x@y.z',
  '=?UTF-8?Q?x?=',
  'Tab\there',
  'Line\nbreak',
  'CR\r\nLF',
];
const ADDRESSES = [
  'bench-000001@example.com',
  'Jean.Dupont@Example.ORG',
  'x@example.org',
  'first.last+tag@sub.example.co.uk',
  'élise@exemple.québec',
  'user@xn--exmple-cua.com',
  'someone.with.a.long.address@subdomain.of.a.long.domain.example.org',
  "o'neil@example.org",
  'UPPER@EXAMPLE.COM',
];
const IDS = [
  '<1.2.abc123def456@example.org>',
  '<12.3456.0123456789ab@aimq.net>',
  '<weird id@example.org>',
  'no-brackets@example.org',
];
const DATES = [
  new Date(0),
  new Date(1_800_000_000_000),
  new Date(Date.UTC(2026, 11, 1, 9, 5, 7)),
  new Date(Date.UTC(2030, 0, 9, 23, 59, 59, 999)),
];

/** To, Message-ID and Date as nodemailer's MimeNode writes them for this recipient (CRLF between). */
function byNodemailer(to: { name: string; address: string }, messageId: string, date: Date): string {
  const node = new MimeNode('text/plain', { newline: 'windows' });
  node.setHeader('To', { name: oneLine(to.name), address: to.address });
  node.setHeader('Message-ID', messageId);
  node.setHeader('Date', date);
  return node
    .buildHeaders()
    .split('\r\n')
    .filter((line) => !/^(mime-version|content-type):/i.test(line))
    .join('\r\n');
}

/** A recipient as an RFC 5322 mailbox string, the name a quoted-string (what `composeMessage`'s `to` takes). */
function mailboxString(to: { name: string; address: string }): string {
  const name = oneLine(to.name);
  return name ? `"${name.replace(/[\\"]/g, '\\$&')}" <${to.address}>` : to.address;
}

const PERSONAL = /^(to|message-id|date):/i;

/**
 * A message with its To, Message-ID and Date moved to the top, in that order: where the
 * prepared message writes them. Header order carries no meaning (RFC 5322 §3.6), bytes do.
 */
function personalFirst(raw: Buffer): Buffer {
  const text = raw.toString('latin1');
  const split = text.indexOf('\r\n\r\n');
  const fields = text.slice(0, split).split(/\r\n(?![ \t])/);
  const rank = (f: string) => ['to', 'message-id', 'date'].indexOf(f.slice(0, f.indexOf(':')).toLowerCase());
  const personal = fields.filter((f) => PERSONAL.test(f)).sort((a, b) => rank(a) - rank(b));
  return Buffer.from(
    [...personal, ...fields.filter((f) => !PERSONAL.test(f))].join('\r\n') + text.slice(split),
    'latin1',
  );
}

const CONFIG = {
  email: {
    from: { name: 'AIMQ – Communications', address: 'communications@aimq.net' },
    unsubscribe: { mailto: 'communications@aimq.net', url: 'https://www.aimq.net/desabonnement' },
  },
} as unknown as Config;

const CONTENT: MessageInput['content'] = {
  subject: 'L’AIMQ actualise sa mission et ses orientations stratégiques',
  html: `<!doctype html><html lang="fr-CA"><body><p>Montréal, le 13 janvier 2020 – ${'é'.repeat(200)}</p></body></html>`,
  text: `Montréal, le 13 janvier 2020 – l’AIMQ actualise sa mission.\n\n${'Ligne longue '.repeat(20)}\n`,
  languages: ['fr-CA', 'en-CA'],
  attachments: [],
};

const BASE: Omit<MessageInput, 'to' | 'messageId' | 'date'> = {
  content: CONTENT,
  config: CONFIG,
  replyTo: { name: 'Marie Tremblay', address: 'marie.tremblay@aimq.net' },
  baseBoundary: 'fixedboundary',
};

function label(name: string, address: string, id?: string, date?: Date): string {
  return [JSON.stringify(name), address, id, date?.toISOString()].filter(Boolean).join(' ');
}

describe('personal headers (To, Message-ID, Date) of a prepared message', () => {
  for (const name of NAMES) {
    it(`are byte for byte nodemailer's for the name ${JSON.stringify(name)}, every address, Message-ID and date`, () => {
      let checked = 0;
      for (const address of ADDRESSES)
        for (const id of IDS)
          for (const date of DATES) {
            expect(personalHeaders({ name, address }, id, date), label(name, address, id, date)).toBe(
              byNodemailer({ name, address }, id, date),
            );
            checked++;
          }
      expect(checked).toBe(ADDRESSES.length * IDS.length * DATES.length);
    });
  }

  it('keep every character of the name: quotes and backslashes are escaped, not dropped', () => {
    expect(
      personalHeaders({ name: 'Name "Quoted"', address: 'x@example.org' }, '<1@x.org>', new Date(0)),
    ).toMatch(/^To: "Name \\"Quoted\\"" <x@example\.org>\r\n/);
    expect(
      personalHeaders({ name: 'back\\slash', address: 'x@example.org' }, '<1@x.org>', new Date(0)),
    ).toMatch(/^To: "back\\\\slash" <x@example\.org>\r\n/);
  });

  it('never start a new header from a name: CR and LF become a space', () => {
    const headers = personalHeaders(
      { name: 'Evil\r\nBcc: victim@example.org', address: 'x@example.org' },
      '<1@x.org>',
      new Date(0),
    );
    expect(headers.split(/\r\n(?![ \t])/).map((h) => h.slice(0, h.indexOf(':')))).toEqual([
      'To',
      'Message-ID',
      'Date',
    ]);
  });
});

describe('a prepared message, addressed to one recipient', () => {
  /** What composeMessage writes for the same recipient, Message-ID and date, personal headers first. */
  async function composed(
    input: Omit<MessageInput, 'to' | 'messageId' | 'date'>,
    to: { name: string; address: string },
    messageId: string,
    date: Date,
  ): Promise<Buffer> {
    return personalFirst(await composeMessage({ ...input, to: mailboxString(to), messageId, date }));
  }

  for (const name of NAMES) {
    it(`is byte for byte composeMessage's message for the name ${JSON.stringify(name)}, every address`, async () => {
      const build = await prepareMessage(BASE);
      for (const address of ADDRESSES) {
        const to = { name, address };
        const id = IDS[0]!;
        const date = DATES[2]!;
        const prepared = await build(to, id, date);
        const expected = await composed(BASE, to, id, date);
        expect(prepared.toString('utf8'), label(name, address)).toBe(expected.toString('utf8'));
        expect(prepared.equals(expected), label(name, address)).toBe(true);
      }
    });
  }

  it('is composeMessage’s message for every Message-ID and date, and one builder serves many recipients', async () => {
    const build = await prepareMessage(BASE);
    for (const id of IDS)
      for (const date of DATES)
        for (const to of [
          { name: 'Jean Dupont', address: 'jean.dupont@example.org' },
          { name: 'Élise Côté', address: 'elise@example.org' },
        ]) {
          const prepared = await build(to, id, date);
          expect(
            prepared.equals(await composed(BASE, to, id, date)),
            label(to.name, to.address, id, date),
          ).toBe(true);
        }
  });

  it.each([
    ['a [TEST] subject', { test: true }],
    ['extra headers (a draft)', { headers: { 'X-Unsent': '1' } }],
    [
      'embedded images',
      {
        content: {
          ...CONTENT,
          attachments: [
            { cid: 'photo@aimq', filename: 'photo.png', content: Buffer.from('not really a png'.repeat(50)) },
          ],
        },
      },
    ],
    ['one language', { content: { ...CONTENT, languages: ['en-CA'], subject: 'AIMQ updates its mission' } }],
    [
      'no one-click unsubscribe URL',
      {
        config: {
          email: { ...CONFIG.email!, unsubscribe: { mailto: 'communications@aimq.net' } },
        } as unknown as Config,
      },
    ],
    [
      'a subject that folds and headers that look like personal ones',
      {
        content: { ...CONTENT, subject: `To: Date: Message-ID: ${'Très long sujet '.repeat(8)}` },
        headers: { 'X-To': 'someone', 'X-Date': 'yesterday' },
      },
    ],
  ] as const)('is composeMessage’s message with %s', async (_what, change) => {
    const input = { ...BASE, ...change } as Omit<MessageInput, 'to' | 'messageId' | 'date'>;
    const build = await prepareMessage(input);
    const to = { name: 'Jean Dupont', address: 'jean.dupont@example.org' };
    const prepared = await build(to, IDS[1]!, DATES[3]!);
    expect(prepared.toString('utf8')).toBe((await composed(input, to, IDS[1]!, DATES[3]!)).toString('utf8'));
  });

  it('has each personal header exactly once, the placeholder recipient nowhere', async () => {
    const build = await prepareMessage(BASE);
    const raw = (
      await build({ name: 'Jean Dupont', address: 'jean@example.org' }, IDS[0]!, DATES[1]!)
    ).toString('utf8');
    const head = raw.slice(0, raw.indexOf('\r\n\r\n'));
    for (const field of ['To', 'Message-ID', 'Date', 'From', 'Subject', 'Reply-To'])
      expect(head.match(new RegExp(`^${field}:`, 'gim')), field).toHaveLength(1);
    expect(raw).not.toContain('aimq.invalid');
  });
});
