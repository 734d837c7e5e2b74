import { readUnsubscribeToken, TEST_CAMPAIGN } from '../message/unsubscribe-token.js';
import { suppressionDate } from '../lists/suppression.js';
import type { Outbox } from '../outbox/outbox.js';

/** How an unsubscribe request came: the mail program's one-click POST, or the button of our page. */
export type UnsubscribeSource = 'one-click' | 'web';

export type TokenCheck =
  | { kind: 'invalid' }
  | { kind: 'test' }
  | { kind: 'recipient'; campaignId: number; deliveryId: number; email: string };

/**
 * What a token names: a recipient (a row of the outbox, in the campaign the token says), a test
 * token (campaign 0), or nothing. A forged MAC and a row that does not exist (or belongs to
 * another campaign) are the same answer: whoever holds a bad token learns nothing.
 */
export async function checkToken(
  outbox: Pick<Outbox, 'deliveryById'>,
  secret: string,
  token: string | undefined,
): Promise<TokenCheck> {
  const ids = token === undefined ? undefined : readUnsubscribeToken(secret, token);
  if (!ids) return { kind: 'invalid' };
  if (ids.campaignId === TEST_CAMPAIGN) return { kind: 'test' };
  const row = await outbox.deliveryById(ids.deliveryId);
  if (!row || row.campaignId !== ids.campaignId) return { kind: 'invalid' };
  return { kind: 'recipient', ...ids, email: row.email };
}

/**
 * Suppresses the recipient a token named, at once (reason `unsubscribe`, with its campaign
 * and how it came). Idempotent: an address keeps its first entry. Returns whether it was new.
 */
export async function recordUnsubscribe(
  outbox: Pick<Outbox, 'suppress'>,
  who: Extract<TokenCheck, { kind: 'recipient' }>,
  source: UnsubscribeSource,
  now: number,
): Promise<boolean> {
  const added = await outbox.suppress([
    {
      email: who.email,
      reason: 'unsubscribe',
      date: suppressionDate(new Date(now)),
      campaignId: who.campaignId,
      source,
    },
  ]);
  return added > 0;
}
