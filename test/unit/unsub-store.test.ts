import { describe, expect, it } from 'vitest';
import type { Outbox } from '../../src/outbox/outbox.js';
import { signUnsubscribeToken } from '../../src/message/unsubscribe-token.js';
import { checkToken, recordUnsubscribe } from '../../src/unsubscribe/record.js';
import { outboxBackends } from '../helpers/store-pg.js';

/**
 * What the unsubscribe endpoint needs from the store, the same tests on SQLite and
 * PostgreSQL: a row by its id, and suppression entries that keep their campaign and source.
 */

const SECRET = 'store-test-secret-0123456789abcdefghijklmn';
const T0 = 1_800_000_000_000;
const BACKENDS = outboxBackends('aimq-unsub-store-');

let seq = 0;
async function campaignWith(outbox: Outbox, emails: string[]) {
  const releaseId = `2026-12-01-u${++seq}`;
  const c = await outbox.createCampaign(
    {
      releaseId,
      releaseDir: `releases/${releaseId}`,
      contentVersion: 'v1',
      createdAt: T0,
      scheduledAt: null,
      status: 'ready',
      source: 'cli',
      targets: ['lists/medias.csv'],
      editionMode: 'auto',
    },
    [{ edition: 'fr', subject: 'S', html: '<p>x</p>', text: 'x', languages: ['fr-CA'], attachments: [] }],
  );
  await outbox.addDeliveries(
    c,
    emails.map((email) => ({ email, name: '', edition: 'fr' })),
    T0,
  );
  return { campaign: c, rows: await outbox.deliveries(c.id) };
}

describe.each(BACKENDS)('unsubscribe records on $name', (b) => {
  it('deliveryById gives a row whatever its campaign, and nothing for an id no row has', async () => {
    const outbox = await b.open();
    try {
      const { campaign, rows } = await campaignWith(outbox, ['a@example.org', 'B@Example.org']);
      for (const r of rows) expect(await outbox.deliveryById(r.id)).toEqual(r);
      expect(rows[1]!.campaignId).toBe(campaign.id);
      expect(await outbox.deliveryById(rows[1]!.id + 1000)).toBeUndefined();
      expect(await outbox.deliveryById(2 ** 40)).toBeUndefined();
    } finally {
      await outbox.close();
    }
  });

  it('a token names its row; one for another campaign or an unknown row is invalid, like a forged one', async () => {
    const outbox = await b.open();
    try {
      const { campaign, rows } = await campaignWith(outbox, ['c@example.org', 'd@example.org']);
      const r = rows[1]!;
      expect(await checkToken(outbox, SECRET, signUnsubscribeToken(SECRET, campaign.id, r.id))).toEqual({
        kind: 'recipient',
        campaignId: campaign.id,
        deliveryId: r.id,
        email: 'd@example.org',
      });
      for (const t of [
        signUnsubscribeToken(SECRET, campaign.id + 1, r.id),
        signUnsubscribeToken(SECRET, campaign.id, r.id + 1000),
        signUnsubscribeToken(`${SECRET}x`, campaign.id, r.id),
        undefined,
      ])
        expect(await checkToken(outbox, SECRET, t)).toEqual({ kind: 'invalid' });
      expect(await checkToken(outbox, SECRET, signUnsubscribeToken(SECRET, 0, 5))).toEqual({ kind: 'test' });
    } finally {
      await outbox.close();
    }
  });

  it('records an unsubscribe with its time, campaign, source and reason, once however often it is asked', async () => {
    const outbox = await b.open();
    try {
      const { campaign, rows } = await campaignWith(outbox, ['e@example.org']);
      const who = await checkToken(outbox, SECRET, signUnsubscribeToken(SECRET, campaign.id, rows[0]!.id));
      if (who.kind !== 'recipient') throw new Error('the token should name the row');
      expect(await recordUnsubscribe(outbox, who, 'one-click', T0)).toBe(true);
      expect(await recordUnsubscribe(outbox, who, 'web', T0 + 5000)).toBe(false);
      expect(await outbox.isSuppressed('E@example.org')).toBe(true);
      const entries = (await outbox.suppression()).filter((e) => e.email === 'e@example.org');
      expect(entries).toEqual([
        {
          email: 'e@example.org',
          reason: 'unsubscribe',
          date: new Date(T0).toISOString().replace(/\.\d{3}Z$/, 'Z'),
          campaignId: campaign.id,
          source: 'one-click',
        },
      ]);
      // Entries from before (no campaign, no source) read back without them.
      await outbox.suppress([{ email: 'old@example.org', reason: 'manual', date: '2026-01-01T00:00:00Z' }]);
      expect((await outbox.suppression()).find((e) => e.email === 'old@example.org')).toEqual({
        email: 'old@example.org',
        reason: 'manual',
        date: '2026-01-01T00:00:00Z',
      });
    } finally {
      await outbox.close();
    }
  });
});
