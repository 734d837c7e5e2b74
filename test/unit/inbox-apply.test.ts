import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ApplyOptions, applyMessage } from '../../src/inbox/apply.js';
import { readMessage } from '../../src/inbox/message.js';
import { signUnsubscribeToken, TEST_CAMPAIGN } from '../../src/message/unsubscribe-token.js';
import { type Delivery, Outbox } from '../../src/outbox/outbox.js';
import { tempDir } from '../helpers/cli.js';
import { FIXTURES, type FixtureValues, renderFixture } from '../helpers/inbox-fixtures.js';

/**
 * What a message does to a real SQLite outbox: tied to its row by Message-ID or token
 * only, the row's address suppressed even when the report names another, tokens ignored
 * without the secret or for the test campaign.
 */

const SECRET = 'apply-test-secret-0123456789-abcdefgh';
const NOW = Date.parse('2026-12-06T15:00:00Z');
let outbox: Outbox;
let row: Delivery;

beforeEach(async () => {
  outbox = Outbox.open(join(tempDir('aimq-apply-'), 'outbox.sqlite'));
  const c = await outbox.createCampaign(
    {
      releaseId: '2026-12-01-x',
      releaseDir: 'releases/2026-12-01-x',
      contentVersion: 'v1',
      createdAt: NOW,
      scheduledAt: null,
      status: 'ready',
      source: 'cli',
      targets: [],
      editionMode: 'auto',
    },
    [],
  );
  await outbox.addDeliveries(c, [{ email: 'Nadia@LaPresse.example', name: 'N', edition: 'fr' }], NOW);
  [row] = (await outbox.claimAhead(
    c.id,
    'h:1:a',
    NOW,
    60_000,
    1,
    (d) => `<${c.id}.${d.id}.0a1b2c3d4e5f@aimq.net>`,
  )) as [Delivery];
});
afterEach(async () => {
  await outbox.close();
});

const options = (o: Partial<ApplyOptions> = {}): ApplyOptions => ({
  secret: SECRET,
  unsubscribeAddress: 'desabonnement@aimq.net',
  softBounces: { count: 3, days: 15 },
  now: NOW,
  dryRun: false,
  ...o,
});

function values(v: Partial<FixtureValues> = {}): FixtureValues {
  return {
    messageId: row.messageId!,
    recipient: row.email,
    from: 'communications@aimq.net',
    subject: 'Communiqué',
    token: signUnsubscribeToken(SECRET, row.campaignId, row.id),
    unsub: 'desabonnement@aimq.net',
    date: new Date(NOW - 3_600_000),
    origDate: new Date(NOW - 7_200_000),
    n: Math.random().toString(36).slice(2),
    ...v,
  };
}

const fixture = (name: string, v: Partial<FixtureValues> = {}) =>
  readMessage(renderFixture(join(FIXTURES, name), values(v)));

describe('applying a message', () => {
  it('a report naming a forwarded address suppresses the address aimq sent to, and records the one reported', async () => {
    const r = await applyMessage(
      outbox,
      await fixture('postfix/hard-user-unknown.eml', { recipient: 'nadia@forward.example' }),
      options(),
    );
    expect(r).toMatchObject({ outcome: 'hard-bounce', suppressed: true, status: '5.1.1' });
    expect((await outbox.suppression()).map((s) => s.email)).toEqual(['Nadia@LaPresse.example']);
    const [event] = await outbox.inboxEvents(row.campaignId);
    expect(event).toMatchObject({
      email: 'Nadia@LaPresse.example',
      reportedRecipient: 'nadia@forward.example',
      kind: 'hard',
    });
  });

  it('a dry run decides without recording anything', async () => {
    const m = await fixture('arf/complaint-yahoo.eml');
    expect(await applyMessage(outbox, m, options({ dryRun: true }))).toMatchObject({ outcome: 'complaint' });
    expect(await outbox.suppression()).toEqual([]);
    expect(await outbox.processedMessage(m.key)).toBeUndefined();
    expect(await applyMessage(outbox, m, options())).toMatchObject({
      outcome: 'complaint',
      suppressed: true,
    });
    expect(await applyMessage(outbox, m, options())).toMatchObject({
      outcome: 'already-processed',
      previously: 'complaint',
    });
  });

  it('a token counts only with the secret, never for the test campaign, never for another campaign’s row', async () => {
    // The Microsoft report carries no Message-ID: only the token ties it to the row.
    const jmrp = 'arf/complaint-microsoft-jmrp.eml';
    expect((await applyMessage(outbox, await fixture(jmrp), options({ secret: undefined }))).outcome).toBe(
      'not-ours',
    );
    const testToken = signUnsubscribeToken(SECRET, TEST_CAMPAIGN, row.id);
    expect((await applyMessage(outbox, await fixture(jmrp, { token: testToken }), options())).outcome).toBe(
      'not-ours',
    );
    const otherCampaign = signUnsubscribeToken(SECRET, row.campaignId + 1, row.id);
    expect(
      (await applyMessage(outbox, await fixture(jmrp, { token: otherCampaign }), options())).outcome,
    ).toBe('not-ours');
    const forged = signUnsubscribeToken('not-the-secret-of-this-outbox-0123456', row.campaignId, row.id);
    expect((await applyMessage(outbox, await fixture(jmrp, { token: forged }), options())).outcome).toBe(
      'not-ours',
    );
    expect(await outbox.suppression()).toEqual([]);
    expect((await applyMessage(outbox, await fixture(jmrp), options())).outcome).toBe('complaint');
  });

  it('soft bounces suppress at the configured count within the window, counted by their own dates', async () => {
    const opts = options({ softBounces: { count: 2, days: 7 } });
    const old = await applyMessage(
      outbox,
      await fixture('postfix/soft-delayed.eml', { date: new Date(NOW - 9 * 86_400_000) }),
      opts,
    );
    expect(old).toMatchObject({ outcome: 'soft-bounce', suppressed: false });
    const recent = await applyMessage(outbox, await fixture('exim/soft-delayed.eml'), opts);
    expect(recent).toMatchObject({ outcome: 'soft-bounce', suppressed: false });
    const third = await applyMessage(outbox, await fixture('qmail/soft-deferred.eml'), opts);
    expect(third).toMatchObject({ outcome: 'soft-bounce-suppressed', suppressed: true });
    expect((await outbox.suppression()).map((s) => [s.reason, s.source])).toEqual([['bounce', 'bounce']]);
  });
});
