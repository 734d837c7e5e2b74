import type { Message } from '../i18n/text.js';
import type { Campaign, Counts, Delivery, Outbox, Outcome } from '../outbox/outbox.js';
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
  isSuppressed: (email: string) => boolean | Promise<boolean>;
  /** Checked right after: why the recipient's consent no longer allows sending (CASL), or undefined. */
  noConsent?: (email: string) => string | undefined;
  /** Adds an address to the suppression list after a permanent failure. */
  suppress: (email: string, reason: 'bounce') => void | Promise<void>;
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
  /**
   * Permanent refusals of the message itself (not of its address) in a row before the run
   * stops (`--max-refusals`); 0: never. A success or an address refusal starts the count again.
   */
  maxRefusals?: number;
  onAttempt?: (
    delivery: Delivery,
    result: SendResult | { outcome: 'suppressed' | 'no-consent'; reply: string },
  ) => void;
}

export interface RunResult {
  counts: Counts;
  /** Set when the server refused the credentials or the sender: nothing more could go out. */
  aborted?: Message;
  /**
   * Set when the server refused the message itself `maxRefusals` times in a row: the run
   * stopped before trying the rest, which stays pending. `reply` is the last refusal.
   */
  refused?: { count: number; reply: string };
  stopped: boolean;
}

/**
 * Rows claimed ahead per connection, at most. As many more `uncertain` rows as a power cut
 * can leave; and what hides the fsync: the rows claimed must last while the next claim
 * reaches the disk. At 1,000 messages/s, 3 connections and a busy disk (1 to 3 ms per
 * fsync), 2 left the connections waiting for the claim a quarter of the time; 4 and 8 cut
 * the waits by half and by three quarters.
 */
const AHEAD = 4;

/** Connection problems in a row, with nothing sent in between, before the run gives up. */
const MAX_CONSECUTIVE_TRANSPORT_ERRORS = 5;

/**
 * Sends a campaign's due rows with `connections` workers. Rows are claimed ahead, a few
 * per connection at a time, in one commit that is on disk before any of them is
 * handed out (`claimed`); each is marked `sending` right before its message is handed to
 * SMTP and finished after the reply, so a crash at any point leaves a state the next run
 * reads right (see Outbox). Returns when no row is due (or retries would wait longer than
 * `maxRetryWaitMs`), on stop, or on abort.
 *
 * Where the time went at full speed was that fsync: one per message, synchronous, it
 * blocked the event loop and so every connection in turn (0.15 ms on an idle disk, over
 * 2 ms on a busy one). Now it is one per batch, waited for in libuv's thread pool while
 * the connections go on with the rows already claimed, and a row's outcome is committed
 * together with its worker's next hand-over.
 */
export async function runCampaign(
  campaign: Campaign,
  deps: RunDeps,
  options: RunOptions,
): Promise<RunResult> {
  const { outbox } = deps;
  const connections = Math.max(1, options.connections);
  let aborted: Message | undefined;
  let transportErrors = 0;
  const maxRefusals = Math.max(0, Math.floor(options.maxRefusals ?? 0));
  // Permanent refusals of the message in a row, and the messages handed over and not answered yet.
  let refusals = 0;
  let inFlight = 0;
  let refused: { count: number; reply: string } | undefined;
  // Workers waiting for an answer before handing over more during a run of refusals.
  const answered: (() => void)[] = [];
  const nextAnswer = () => new Promise<void>((r) => answered.push(r));
  let nextSlot = 0;
  const interval = options.ratePerSecond > 0 ? 1000 / options.ratePerSecond : 0;
  // Claimed, on disk, not handed over yet: between one and AHEAD connections' worth,
  // refilled while messages are in flight, so a connection rarely waits for the disk.
  const ahead: Delivery[] = [];
  let claiming: Promise<void> | undefined;
  let lastClaimed = -1;
  // The outbox failed under a worker (a lost connection to PostgreSQL): the others stop too.
  let failure: { error: unknown } | undefined;
  const stopping = () =>
    options.shouldStop() || aborted !== undefined || refused !== undefined || failure !== undefined;
  const refill = (): Promise<void> =>
    (claiming ??= outbox
      .claimAhead(
        campaign.id,
        deps.owner,
        deps.now(),
        options.leaseMs,
        AHEAD * connections - ahead.length,
        deps.messageIdFor,
      )
      .then((rows) => {
        lastClaimed = rows.length;
        ahead.push(...rows);
      })
      .finally(() => {
        claiming = undefined;
      }));

  const takeSlot = async () => {
    if (!interval) return;
    const now = deps.now();
    const at = Math.max(now, nextSlot);
    nextSlot = at + interval;
    if (at > now) await deps.sleep(at - now);
  };

  const worker = async () => {
    // This worker's last outcome, committed with its next hand-over (or when it stops).
    let last: { id: number; outcome: Outcome; at: number } | undefined;
    const record = async (store: Outbox = outbox) => {
      if (!last) return;
      const { id, outcome, at } = last;
      last = undefined;
      await store.finish(id, deps.owner, outcome, at);
    };
    try {
      for (;;) {
        if (stopping()) return;
        // The next claim's fsync while messages are in flight (its error, if any, surfaces where it is awaited).
        if (ahead.length <= connections && !claiming && lastClaimed !== 0) void refill().catch(() => {});
        if (!ahead.length) {
          await refill();
          // Another worker may have taken what came; only an empty claim means nothing is due.
          if (!ahead.length && lastClaimed > 0) continue;
        }
        const delivery = ahead.shift();
        if (!delivery) {
          await record();
          const due = await outbox.nextRetryAt(campaign.id);
          if (due === undefined || due - deps.now() > options.maxRetryWaitMs) return;
          await deps.sleep(Math.max(0, due - deps.now()));
          continue;
        }
        if (await deps.isSuppressed(delivery.email)) {
          await record();
          await outbox.finish(
            delivery.id,
            deps.owner,
            { state: 'suppressed', reply: 'on the suppression list' },
            deps.now(),
          );
          options.onAttempt?.(delivery, { outcome: 'suppressed', reply: 'on the suppression list' });
          continue;
        }
        const noConsent = deps.noConsent?.(delivery.email);
        if (noConsent !== undefined) {
          await record();
          await outbox.finish(delivery.id, deps.owner, { state: 'no-consent', reply: noConsent }, deps.now());
          options.onAttempt?.(delivery, { outcome: 'no-consent', reply: noConsent });
          continue;
        }
        const { raw, messageId } = await deps.compose(delivery);
        await takeSlot();
        // No more messages in flight than refusals may still come before the limit: a
        // server that refuses every message sees `maxRefusals` of them, however many
        // connections there are. The place is taken at once, before any await, and given
        // back if the message does not leave.
        while (maxRefusals && refusals + inFlight >= maxRefusals && !stopping()) await nextAnswer();
        if (stopping()) {
          ahead.unshift(delivery); // given back with the rest below
          return;
        }
        inFlight++;
        let result: SendResult | undefined;
        try {
          // One transaction, not a lock on the whole outbox: other dispatchers hand over theirs meanwhile.
          const handed = await outbox.atomically(async (tx) => {
            await record(tx);
            return tx.handOver(delivery.id, deps.owner, deps.now());
          });
          // Cancelled, or taken back, since it was claimed: it must not leave.
          if (handed)
            result = await deps.transport.send({ from: deps.envelopeFrom, to: delivery.email }, raw);
        } finally {
          inFlight--;
          if (!result) for (const wake of answered.splice(0)) wake();
        }
        if (!result) continue;
        const now = deps.now();
        if (result.outcome === 'sent' || (result.outcome === 'failed' && result.bounce)) refusals = 0;
        else if (result.outcome === 'failed' && ++refusals >= maxRefusals && maxRefusals > 0)
          refused ??= { count: refusals, reply: result.reply };
        for (const wake of answered.splice(0)) wake();
        switch (result.outcome) {
          case 'sent':
            transportErrors = 0;
            last = { id: delivery.id, outcome: { state: 'sent', reply: result.reply, messageId }, at: now };
            break;
          case 'failed':
            transportErrors = 0;
            last = { id: delivery.id, outcome: { state: 'failed', reply: result.reply }, at: now };
            if (result.bounce) await deps.suppress(delivery.email, 'bounce');
            break;
          case 'uncertain':
            last = { id: delivery.id, outcome: { state: 'uncertain', reply: result.reply }, at: now };
            break;
          case 'abort':
            aborted = result.reply;
            await outbox.returnUnsent(delivery.id, deps.owner, now, result.reply);
            break;
          case 'retry': {
            const exhausted = delivery.attempts >= options.maxAttempts;
            const delay = options.retryBaseMs * 2 ** (delivery.attempts - 1) * (0.5 + deps.random());
            last = {
              id: delivery.id,
              outcome: exhausted
                ? { state: 'failed', reply: `${result.reply} (gave up after ${delivery.attempts} attempts)` }
                : { state: 'retry', reply: result.reply, nextAttemptAt: now + Math.round(delay) },
              at: now,
            };
            if (!/^4\d\d/.test(result.reply) && ++transportErrors >= MAX_CONSECUTIVE_TRANSPORT_ERRORS)
              aborted = {
                fr: `le serveur SMTP est resté injoignable ${transportErrors} fois de suite\u00a0: ${result.reply}`,
                en: `the SMTP server could not be reached ${transportErrors} times in a row: ${result.reply}`,
              };
            break;
          }
        }
        options.onAttempt?.(delivery, result);
      }
    } finally {
      await record();
    }
  };

  // Every worker is waited for, even after one failed: none may still be sending when this returns.
  await Promise.all(
    Array.from({ length: connections }, () =>
      worker().catch((error: unknown) => {
        failure ??= { error };
      }),
    ),
  );
  // Stopped, aborted or failed with rows claimed ahead: they go back to the queue, unsent
  // (if the outbox cannot be reached, their leases expire and a later run takes them back).
  await claiming?.catch(() => {});
  if (ahead.length) {
    const ids = ahead.splice(0).map((d) => d.id);
    const unclaimed = outbox.unclaim(ids, deps.owner, deps.now());
    if (failure) await unclaimed.catch(() => {});
    else await unclaimed;
  }
  if (failure) throw failure.error;
  return {
    counts: await outbox.counts(campaign.id),
    ...(aborted ? { aborted } : {}),
    ...(refused ? { refused } : {}),
    stopped: options.shouldStop(),
  };
}
