import { afterAll, describe, expect, it } from 'vitest';
import { type Classification, classify, tokensIn } from '../../src/inbox/classify.js';
import { splitMbox } from '../../src/inbox/files.js';
import { readMessage } from '../../src/inbox/message.js';
import { readUnsubscribeToken, signUnsubscribeToken } from '../../src/message/unsubscribe-token.js';
import { type Expected, type FixtureValues, fixtures, renderFixture } from '../helpers/inbox-fixtures.js';

/**
 * Every message of the sample mailbox (test/fixtures/inbox), filled in with a made-up
 * message of aimq's, classified as its file name says, with the references that tie it to
 * that message. The table of results per form is printed for the closing note.
 */

const SECRET = 'unit-test-secret-0123456789-abcdefghij';
const VALUES: FixtureValues = {
  messageId: '<7.42.0a1b2c3d4e5f@aimq.net>',
  recipient: 'nadia.tremblay@lapresse.example',
  from: 'communications@aimq.net',
  subject: 'L’AIMQ actualise sa mission',
  token: signUnsubscribeToken(SECRET, 7, 42),
  unsub: 'desabonnement@aimq.net',
  date: new Date('2026-12-06T15:00:00Z'),
  origDate: new Date('2026-12-05T14:30:00Z'),
  n: 1,
};

function outcome(c: Classification): Expected {
  if (c.kind === 'bounce') return c.findings.some((f) => f.severity === 'hard') ? 'hard' : 'soft';
  if (c.kind === 'auto-reply') return 'auto-reply';
  return c.kind;
}

const table = new Map<string, { right: number; total: number }>();
afterAll(() => {
  const lines = ['form         right / samples'];
  for (const [form, { right, total }] of table) lines.push(`${form.padEnd(12)} ${right} / ${total}`);
  console.log(`Inbox sample classification:\n${lines.join('\n')}`);
});

describe('classifying the sample mailbox', () => {
  for (const f of fixtures()) {
    it(`${f.form}/${f.name} is ${f.expected}`, async () => {
      const message = await readMessage(renderFixture(f.path, VALUES));
      const c = classify(message, { unsubscribeAddress: VALUES.unsub });
      const row = table.get(f.form) ?? { right: 0, total: 0 };
      row.total++;
      if (outcome(c) === f.expected) row.right++;
      table.set(f.form, row);
      expect(outcome(c), JSON.stringify(c)).toBe(f.expected);
      if (c.kind === 'bounce' || c.kind === 'complaint' || c.kind === 'unsubscribe') {
        const byId = c.refs.messageIds.includes(VALUES.messageId);
        const byToken = c.refs.tokens.some((t) => readUnsubscribeToken(SECRET, t)?.deliveryId === 42);
        expect(byId || byToken, JSON.stringify(c.refs)).toBe(true);
        // Only the references that verify count: everything else found is noise, never a match.
        for (const t of c.refs.tokens)
          if (t !== VALUES.token) expect(readUnsubscribeToken(SECRET, t)).toBeUndefined();
      }
      if (c.kind === 'bounce') {
        const finding = c.findings[0]!;
        expect(finding.recipient).toBe(VALUES.recipient);
        if (f.form !== 'exim' || !f.name.includes('no-such-user'))
          expect(finding.status).toMatch(/^[45]\.\d+\.\d+$/);
      }
    });
  }

  it('a report whose returned headers are gone ties to nothing, even with the address in its text', async () => {
    const raw = renderFixture(fixtures().find((f) => f.name === 'hard-no-such-user.eml')!.path, VALUES)
      .toString('utf8')
      .replace(/------ This is a copy[\s\S]*$/, '');
    const c = classify(await readMessage(Buffer.from(raw)));
    expect(c.kind).toBe('bounce');
    if (c.kind === 'bounce') expect(c.refs).toEqual({ messageIds: [], tokens: [] });
  });

  it('a reply to the release that quotes its footer is not an unsubscribe; the mailto: subject is', async () => {
    const reply = fixtures().find((f) => f.name === 'other-reply-quoting-footer.eml')!;
    const c = classify(await readMessage(renderFixture(reply.path, VALUES)), {
      unsubscribeAddress: VALUES.unsub,
    });
    expect(c.kind).toBe('other');
    // The same reply to an address that is not the unsubscribe one is other too, token or not.
    const mailto = fixtures().find((f) => f.name === 'unsubscribe-en-mailto.eml')!;
    const elsewhere = classify(await readMessage(renderFixture(mailto.path, VALUES)), {
      unsubscribeAddress: 'someone-else@aimq.net',
    });
    expect(elsewhere.kind).toBe('other');
  });

  it('finds tokens percent-encoded in a mailto: URL and in quoted-printable, not inside longer words', () => {
    const t = VALUES.token;
    expect(tokensIn(`<mailto:x@aimq.net?subject=D%C3%A9sabonnement%20${t}>`)).toContain(t);
    expect(tokensIn(`https://www.aimq.net/d?t=3D${t}`)).toContain(t);
    expect(tokensIn(`x${t}`)).not.toContain(t);
  });
});

describe('splitting an mbox', () => {
  it('splits on From lines after a blank line and unescapes >From', () => {
    const mbox = Buffer.from(
      'From a@example.org Sat Dec  5 10:00:00 2026\nSubject: one\n\n>From the start\n>>From kept once\n\nFrom b@example.org Sat Dec  5 11:00:00 2026\nSubject: two\n\nbody\n',
    );
    const parts = splitMbox(mbox, 'box.mbox');
    expect(parts.map((p) => p.where)).toEqual(['box.mbox#1', 'box.mbox#2']);
    expect(parts[0]!.raw.toString()).toBe('Subject: one\n\nFrom the start\n>From kept once\n');
    expect(parts[1]!.raw.toString()).toBe('Subject: two\n\nbody');
  });
});
