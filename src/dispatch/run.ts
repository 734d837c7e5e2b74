import type { Campaign, Counts, Delivery, Outbox } from '../outbox/outbox.js';
import type { MailTransport, SendResult } from './transport.js';

/** What the loop needs from the outside world; tests pass real ones with a fixed clock where it matters. */
export interface RunDeps {
  outbox: Outbox;
  transport: MailTransport;
  /** Who holds the leases: host, pid and a random part. */
  owner: string;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  /** Checked right before each message leaves, so an unsubscribe during a send is honoured. */
  isSuppressed: (email: string) => boolean;
  /** Adds an address to the suppression list after a permanent failure. */
  suppress: (email: string, reason: 'bounce') => void;
  /** The raw message for one row, and its Message-ID. */
  compose: (delivery: Delivery) => Promise<{ raw: Buffer; messageId: string }>;
  /** A row's Message-ID, known before its message is composed: recorded with the claim. */
  messageIdFor: (delivery: Pick<Delivery, 'id' | 'email'>) => string;
  envelopeFrom: string;
}

export interface RunOptions {
  connections: number;
  /** Messages per second at most, across connections; 0: no limit. */
  ratePerSecond: number;
  /** Attempts of a row that keeps getting 4xx before it is `failed`. */
  maxAttempts: number;
  /** First retry delay; it doubles each attempt, with jitter. */
  retryBaseMs: number;
  /** How long to wait for retries that fall due later, before leaving them for the next run. */
  maxRetryWaitMs: number;
  leaseMs: number;
  /** Asked before each new row: true once SIGINT/SIGTERM asked to stop. */
  shouldStop: () => boolean;
  onAttempt?: (delivery: Delivery, result: SendResult | { outcome: 'suppressed'; reply: string }) => void;
}

export interface RunResult {
  counts: Counts;
  /** Set when the server refused the credentials or the sender: nothing more could go out. */
  aborted?: string;
  stopped: boolean;
}

/** Connection problems in a row, with nothing sent in between, before the run gives up. */
const MAX_CONSECUTIVE_TRANSPORT_ERRORS = 5;

/**
 * Sends a campaign's due rows with `connections` workers. Each row is claimed (committed as
 * `sending`) before its message is handed to SMTP and finished after the reply, so a crash
 * at any point leaves a state the next run reads right. Returns when no row is due (or
 * retries would wait longer than `maxRetryWaitMs`), on stop, or on abort.
 */
export async function runCampaign(campaign: Campaign, deps: RunDeps, options: RunOptions): Promise<RunResult> {
  const { outbox } = deps;
  let aborted: string | undefined;
  let transportErrors = 0;
  let nextSlot = 0;
  const interval = options.ratePerSecond > 0 ? 1000 / options.ratePerSecond : 0;

  const takeSlot = async () => {
    if (!interval) return;
    const now = deps.now();
    const at = Math.max(now, nextSlot);
    nextSlot = at + interval;
    if (at > now) await deps.sleep(at - now);
  };

  const worker = async () => {
    for (;;) {
      if (options.shouldStop() || aborted) return;
      const delivery = outbox.claim(campaign.id, deps.owner, deps.now(), options.leaseMs, deps.messageIdFor);
      if (!delivery) {
        const due = outbox.nextRetryAt(campaign.id);
        if (due === undefined || due - deps.now() > options.maxRetryWaitMs) return;
        await deps.sleep(Math.max(0, due - deps.now()));
        continue;
      }
      if (deps.isSuppressed(delivery.email)) {
        outbox.finish(delivery.id, deps.owner, { state: 'suppressed', reply: 'on the suppression list' }, deps.now());
        options.onAttempt?.(delivery, { outcome: 'suppressed', reply: 'on the suppression list' });
        continue;
      }
      const { raw, messageId } = await deps.compose(delivery);
      await takeSlot();
      const result = await deps.transport.send({ from: deps.envelopeFrom, to: delivery.email }, raw);
      const now = deps.now();
      switch (result.outcome) {
        case 'sent':
          transportErrors = 0;
          outbox.finish(delivery.id, deps.owner, { state: 'sent', reply: result.reply, messageId }, now);
          break;
        case 'failed':
          transportErrors = 0;
          outbox.finish(delivery.id, deps.owner, { state: 'failed', reply: result.reply }, now);
          if (result.bounce) deps.suppress(delivery.email, 'bounce');
          break;
        case 'uncertain':
          outbox.finish(delivery.id, deps.owner, { state: 'uncertain', reply: result.reply }, now);
          break;
        case 'abort':
          aborted = result.reply;
          outbox.giveBack(delivery.id, deps.owner, result.reply, now);
          break;
        case 'retry': {
          const exhausted = delivery.attempts >= options.maxAttempts;
          const delay = options.retryBaseMs * 2 ** (delivery.attempts - 1) * (0.5 + deps.random());
          outbox.finish(delivery.id, deps.owner, exhausted ? { state: 'failed', reply: `${result.reply} (gave up after ${delivery.attempts} attempts)` } : { state: 'retry', reply: result.reply, nextAttemptAt: now + Math.round(delay) }, now);
          if (!/^4\d\d/.test(result.reply) && ++transportErrors >= MAX_CONSECUTIVE_TRANSPORT_ERRORS) aborted = `the SMTP server could not be reached ${transportErrors} times in a row: ${result.reply}`;
          break;
        }
      }
      options.onAttempt?.(delivery, result);
    }
  };

  await Promise.all(Array.from({ length: Math.max(1, options.connections) }, worker));
  return { counts: outbox.counts(campaign.id), ...(aborted ? { aborted } : {}), stopped: options.shouldStop() };
}
