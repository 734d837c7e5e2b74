import { join } from 'node:path';
import { composeFor, messageIdFor, type ComposeContext } from '../dispatch/plan.js';
import { runCampaign } from '../dispatch/run.js';
import { createSmtpTransport, type SmtpSettings } from '../dispatch/transport.js';
import { appendSuppression, SuppressionWatcher, suppressionDate } from '../lists/suppression.js';
import type { Message } from '../i18n/text.js';
import { loadDkimKey } from '../message/dkim-key.js';
import { requireUnsubscribeSecret } from '../unsubscribe/secret.js';
import type { Config, Mailbox } from '../model/config.js';
import type { Campaign, Counts, Outbox, StoredEdition } from '../outbox/outbox.js';
import { consentGuard } from './consent-check.js';
import { type LeaseIdentity, leaseIdentity } from './lease-owner.js';
import { sendTunables, type SendTunables } from './tunables.js';

/** What every send of a project shares, whatever the campaign: DKIM, suppression, tunables. */
export interface SendingContext {
  config: Config;
  dkim: ReturnType<typeof loadDkimKey>;
  suppressionFile: string;
  suppression: SuppressionWatcher;
  tunables: SendTunables;
  leases: LeaseIdentity;
  /** Signs per-recipient unsubscribe tokens; required with a one-click unsubscribe.url. */
  unsubscribeSecret?: string;
  /** Where Chromium is looked up, for a campaign that attaches its PDF edition. */
  env: NodeJS.ProcessEnv;
}

/** `doing` names what is refused when the unsubscribe secret is missing ("send", "dispatch"). */
export function sendingContext(config: Config, env: NodeJS.ProcessEnv, doing = 'send'): SendingContext {
  const suppressionFile = join(config.root, 'lists', 'suppression.csv');
  const unsubscribeSecret = requireUnsubscribeSecret(config, env, doing);
  return {
    ...(unsubscribeSecret ? { unsubscribeSecret } : {}),
    config,
    dkim: loadDkimKey(config, env),
    suppressionFile,
    suppression: new SuppressionWatcher(suppressionFile),
    tunables: sendTunables(env),
    leases: leaseIdentity(env),
    env,
  };
}

/** How a send runs: the connections and rate asked for on the command line. */
export interface DeliverOptions {
  connections: number;
  /** Messages per second at most; 0: no limit. */
  rate: number;
  insecure: boolean;
  /** True once SIGINT/SIGTERM asked to stop. */
  shouldStop: () => boolean;
  /** Refusals of the message itself in a row before the send stops (`--max-refusals`); 0: never. */
  maxRefusals: number;
  /** The clock consent is checked against (a simulated one under AIMQ_NOW); the real one by default. */
  consentClock?: () => number;
  /** Told the number of rows and their counts when the send starts; what it returns is told each attempt. */
  watch?: (total: number, before: Counts) => { update(counts: () => Counts, done?: boolean): void };
}

export interface DeliverResult {
  counts: Counts;
  /** Rows still `pending` or `retry`: for a later run. */
  left: number;
  /** Set when nothing more could go out (credentials or sender refused, server unreachable). */
  aborted?: Message;
  /** Set when the server refused the message itself `count` times in a row: the send stopped, the campaign is `paused`. */
  refused?: { count: number; reply: string };
  stopped: boolean;
}

/** Rows a campaign may still send. */
export function leftToSend(c: Counts): number {
  return c.pending + c.retry;
}

/**
 * Sends the due rows of a planned campaign, from what the outbox recorded (editions,
 * Reply-To): `release send` and dispatch alike. `replyTo` is only needed for a campaign an
 * older aimq recorded without one.
 */
export async function deliver(
  outbox: Outbox,
  campaign: Campaign,
  sending: SendingContext,
  settings: SmtpSettings,
  o: DeliverOptions,
  replyTo: Mailbox | undefined = campaign.replyTo,
): Promise<DeliverResult> {
  const { config } = sending;
  if (!replyTo) throw new Error(`campaign ${campaign.id} has no Reply-To`);
  const transport = createSmtpTransport(settings, {
    connections: o.connections,
    insecure: o.insecure,
    timeoutMs: sending.tunables.timeoutMs,
  });
  const before = await outbox.counts(campaign.id);
  const total = Object.values(before).reduce((a, b) => a + b, 0);
  const progress = o.watch?.(total, before);
  await outbox.setCampaignStatus(campaign.id, 'sending');
  const ctx: ComposeContext = {
    config,
    campaign,
    editions: await outbox.editions(campaign.id),
    replyTo,
    now: () => Date.now(),
    ...(sending.dkim ? { dkim: sending.dkim } : {}),
    ...(sending.unsubscribeSecret ? { unsubscribeSecret: sending.unsubscribeSecret } : {}),
  };
  const noConsent = await consentGuard(
    campaign,
    config.root,
    config.timeZone,
    o.consentClock ?? (() => Date.now()),
  );
  // A progress line shows the last counts read: counting is asynchronous, and one count at a time is enough.
  let shown = before;
  let counting: Promise<void> | undefined;
  const latestCounts = () => {
    counting ??= outbox
      .counts(campaign.id)
      .then((c) => {
        shown = c;
      })
      .catch(() => {})
      .finally(() => {
        counting = undefined;
      });
    return shown;
  };
  try {
    const result = await runCampaign(
      campaign,
      {
        outbox,
        transport,
        owner: sending.leases.owner(),
        now: () => Date.now(),
        sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
        random: Math.random,
        // The file and the outbox's list: what either holds is honoured before each message leaves.
        isSuppressed: async (e) => sending.suppression.has(e) || (await outbox.isSuppressed(e)),
        noConsent,
        suppress: async (e, reason) => {
          const at = new Date();
          appendSuppression(sending.suppressionFile, e, reason, at);
          await outbox.suppress([{ email: e, reason, date: suppressionDate(at), source: 'bounce' }]);
        },
        compose: (d) => composeFor(ctx, d),
        messageIdFor: (d) => messageIdFor(ctx, d),
        envelopeFrom: config.email!.from.address,
      },
      {
        connections: o.connections,
        ratePerSecond: o.rate,
        maxAttempts: sending.tunables.maxAttempts,
        retryBaseMs: sending.tunables.retryBaseMs,
        maxRetryWaitMs: sending.tunables.maxRetryWaitMs,
        leaseMs: sending.tunables.leaseMs,
        shouldStop: o.shouldStop,
        maxRefusals: o.maxRefusals,
        onAttempt: () => progress?.update(latestCounts),
      },
    );
    await counting;
    progress?.update(() => result.counts, true);
    const left = leftToSend(result.counts);
    // Rows another dispatcher holds (another host, on a shared outbox) keep the campaign going:
    // if that one dies, they come back to the queue, and a campaign marked done would never send them.
    // A campaign cancelled while it was sending (aimq outbox cancel, from another terminal)
    // stays cancelled: "done" would hide that the rest was never sent.
    const inFlightElsewhere = result.counts.claimed + result.counts.sending > 0;
    if (!inFlightElsewhere && (await outbox.campaign(campaign.id))?.status !== 'cancelled') {
      if (result.refused)
        // Not done, and not taken up again by dispatch's next round: `aimq outbox retry`
        // (or the same release send) resumes it once the message or the server is fixed.
        await outbox.setCampaignStatus(campaign.id, 'paused');
      else if (left === 0) await outbox.setCampaignStatus(campaign.id, 'done');
      // A send from the command line that stopped (server unreachable, Ctrl-C, retries
      // for later) is sending no more: ready for the same command to resume it. A
      // scheduled one stays `sending`: dispatch's next round resumes it.
      else if (campaign.scheduledAt === null) await outbox.setCampaignStatus(campaign.id, 'ready');
    }
    return {
      counts: result.counts,
      left,
      stopped: result.stopped,
      ...(result.aborted ? { aborted: result.aborted } : {}),
      ...(result.refused ? { refused: result.refused } : {}),
    };
  } finally {
    transport.close();
  }
}

/** The editions of a campaign as `composeFor` wants them. */
export function editionMap(editions: readonly StoredEdition[]): Map<string, StoredEdition> {
  return new Map(editions.map((e) => [e.edition, e]));
}

/**
 * For planning a campaign: whether an address is suppressed, by the file (read again when it
 * changes) or by the outbox's list, read once here (planning takes seconds; each message is
 * checked against both again right before it leaves).
 */
export async function suppressedForPlanning(
  outbox: Pick<Outbox, 'suppression'> | undefined,
  sending: Pick<SendingContext, 'suppression'>,
): Promise<(email: string) => boolean> {
  const stored = new Set((await outbox?.suppression())?.map((s) => s.email.toLowerCase()) ?? []);
  return (e) => sending.suppression.has(e) || stored.has(e.trim().toLowerCase());
}
