import type { Campaign, DeliveryState, Outbox } from '../outbox/outbox.js';

export interface RequeueResult {
  /** Rows put back in the queue. */
  queued: number;
  /** Uncertain rows left as they are (they may have been delivered). */
  uncertainLeft: number;
}

/**
 * `outbox retry`: failed and retry rows (and uncertain ones when asked) back in the queue
 * of one campaign or all, and their campaigns made sendable again: a scheduled campaign by
 * dispatch (which takes `sending` ones), one from a send by the same send. A `paused`
 * campaign (stopped by the server's refusals) is resumed the same way.
 */
export async function requeue(
  outbox: Outbox,
  campaign: Campaign | undefined,
  uncertain: boolean,
  now: number,
): Promise<RequeueResult> {
  const states: DeliveryState[] = ['failed', 'retry', ...(uncertain ? (['uncertain'] as const) : [])];
  const queued = await outbox.requeue(campaign?.id, states, now);
  const campaigns = campaign ? [campaign] : await outbox.campaigns();
  for (const c of campaigns) {
    if ((await outbox.counts(c.id)).pending && ['done', 'ready', 'sending', 'paused'].includes(c.status))
      await outbox.setCampaignStatus(c.id, c.scheduledAt !== null ? 'sending' : 'ready');
  }
  let uncertainLeft = 0;
  if (!uncertain) for (const c of campaigns) uncertainLeft += (await outbox.counts(c.id)).uncertain;
  return { queued, uncertainLeft };
}
