import { describe, expect, it } from 'vitest';
import type { InboxEvent, Outbox } from '../../src/outbox/outbox.js';
import { outboxBackends } from '../helpers/store-pg.js';

/**
 * What `aimq inbox` keeps in the outbox, the same tests on both backends (as
 * store-conformance.test.ts): rows found by the Message-ID they were sent with, messages
 * recorded once with their events, soft bounces counted in a window, suppression entries
 * with where they came from.
 */

const T0 = 1_800_000_000_000;
const DAY = 86_400_000;
const BACKENDS = outboxBackends('aimq-inbox-store-');

async function using<T>(b: (typeof BACKENDS)[number], fn: (outbox: Outbox) => Promise<T>): Promise<T> {
  const outbox = await b.open();
  try {
    return await fn(outbox);
  } finally {
    await outbox.close();
  }
}

let seq = 0;
async function sentRows(outbox: Outbox, emails: string[]) {
  const releaseId = `2026-12-01-inbox-${++seq}`;
  const c = await outbox.createCampaign(
    {
      releaseId,
      releaseDir: `releases/${releaseId}`,
      contentVersion: 'v1',
      createdAt: T0,
      scheduledAt: null,
      status: 'ready',
      source: 'cli',
      targets: [],
      editionMode: 'auto',
    },
    [],
  );
  await outbox.addDeliveries(
    c,
    emails.map((email) => ({ email, name: '', edition: 'fr' })),
    T0,
  );
  const rows = await outbox.claimAhead(
    c.id,
    'h:1:a',
    T0,
    60_000,
    emails.length,
    (d) => `<${c.id}.${d.id}.abc@aimq.net>`,
  );
  return { c, rows };
}

const event = (
  e: Partial<InboxEvent> & Pick<InboxEvent, 'campaignId' | 'deliveryId' | 'email'>,
): InboxEvent => ({
  messageKey: '<r@x>',
  at: T0,
  kind: 'soft',
  status: '4.2.2',
  diagnostic: '452 4.2.2 Over quota',
  reportedRecipient: null,
  ...e,
});

describe.each(BACKENDS)('the inbox records on $name', (b) => {
  it('finds a row by the Message-ID it was sent with, and by its id', () =>
    using(b, async (outbox) => {
      const { c, rows } = await sentRows(outbox, ['a@example.org', 'b@example.org']);
      const found = await outbox.deliveryByMessageId(`<${c.id}.${rows[1]!.id}.abc@aimq.net>`);
      expect(found).toMatchObject({ id: rows[1]!.id, campaignId: c.id, email: 'b@example.org' });
      expect(await outbox.deliveryByMessageId('<nope@aimq.net>')).toBeUndefined();
      expect((await outbox.deliveryById(rows[0]!.id))?.email).toBe('a@example.org');
      expect(await outbox.deliveryById(987_654)).toBeUndefined();
    }));

  it('records a message once: the second time records nothing and says so', () =>
    using(b, async (outbox) => {
      const { c, rows } = await sentRows(outbox, ['c@example.org']);
      const e = event({
        messageKey: `<dsn-${c.id}@mx>`,
        campaignId: c.id,
        deliveryId: rows[0]!.id,
        email: 'c@example.org',
        kind: 'hard',
        status: '5.1.1',
      });
      expect(await outbox.processedMessage(e.messageKey)).toBeUndefined();
      expect(await outbox.recordInboxMessage(e.messageKey, 'hard-bounce', T0, [e])).toBe(true);
      expect(await outbox.recordInboxMessage(e.messageKey, 'hard-bounce', T0, [e])).toBe(false);
      expect(await outbox.processedMessage(e.messageKey)).toBe('hard-bounce');
      expect(await outbox.inboxEvents(c.id)).toEqual([e]);
      // A message left alone is recorded too, without events.
      expect(await outbox.recordInboxMessage(`<oof-${c.id}@x>`, 'auto-reply', T0, [])).toBe(true);
      expect(await outbox.processedMessage(`<oof-${c.id}@x>`)).toBe('auto-reply');
    }));

  it('counts the soft bounces of an address (case ignored) from a time on', () =>
    using(b, async (outbox) => {
      const { c, rows } = await sentRows(outbox, ['Soft@Example.org']);
      const base = { campaignId: c.id, deliveryId: rows[0]!.id, email: 'Soft@Example.org' };
      for (const [i, daysAgo] of [20, 10, 1].entries())
        await outbox.recordInboxMessage(`<s${i}-${c.id}@x>`, 'soft-bounce', T0, [
          event({ ...base, messageKey: `<s${i}-${c.id}@x>`, at: T0 - daysAgo * DAY }),
        ]);
      await outbox.recordInboxMessage(`<h-${c.id}@x>`, 'hard-bounce', T0, [
        event({ ...base, messageKey: `<h-${c.id}@x>`, kind: 'hard' }),
      ]);
      expect(await outbox.softBounces('soft@example.org', T0 - 15 * DAY)).toBe(2);
      expect(await outbox.softBounces('SOFT@example.org', T0 - 30 * DAY)).toBe(3);
      expect(await outbox.softBounces('other@example.org', 0)).toBe(0);
    }));

  it('keeps where a suppression came from, and leaves it out when unknown', () =>
    using(b, async (outbox) => {
      const { c } = await sentRows(outbox, ['x@example.org']);
      const email = `from-${c.id}-${b.name}@example.org`;
      expect(
        await outbox.suppress([
          { email, reason: 'bounce', date: '2026-12-06T12:00:00Z', campaignId: c.id, source: 'bounce' },
          { email: `plain-${email}`, reason: 'manual', date: '2026-12-06T12:00:00Z' },
        ]),
      ).toBe(2);
      const all = await outbox.suppression();
      expect(all.find((s) => s.email === email)).toEqual({
        email,
        reason: 'bounce',
        date: '2026-12-06T12:00:00Z',
        campaignId: c.id,
        source: 'bounce',
      });
      expect(all.find((s) => s.email === `plain-${email}`)).toEqual({
        email: `plain-${email}`,
        reason: 'manual',
        date: '2026-12-06T12:00:00Z',
      });
    }));
});
