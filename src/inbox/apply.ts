import { counted, type Message } from '../i18n/text.js';
import { TEST_CAMPAIGN, readUnsubscribeToken } from '../message/unsubscribe-token.js';
import type { Delivery, InboxEvent, InboxEventKind, Outbox, StoredSuppression } from '../outbox/outbox.js';
import {
  type BounceFinding,
  type Classification,
  type ClassifyOptions,
  type References,
  classify,
} from './classify.js';
import { type InboxMessage, readMessage } from './message.js';

export interface ApplyOptions {
  /** AIMQ_UNSUBSCRIBE_SECRET; without it tokens are not read (Message-IDs still are). */
  secret: string | undefined;
  unsubscribeAddress: string | undefined;
  softBounces: { count: number; days: number };
  /** Now, in ms. */
  now: number;
  /** Decide and report, change nothing. */
  dryRun: boolean;
}

/** What became of one message. */
export type Outcome =
  | 'hard-bounce'
  | 'soft-bounce'
  | 'soft-bounce-suppressed'
  | 'complaint'
  | 'unsubscribe'
  | 'auto-reply'
  | 'not-ours'
  | 'other'
  | 'already-processed';

/** Outcomes that change the outbox: the message is moved out of the folder once applied. */
export const ACTED: ReadonlySet<Outcome> = new Set<Outcome>([
  'hard-bounce',
  'soft-bounce',
  'soft-bounce-suppressed',
  'complaint',
  'unsubscribe',
]);

export interface Applied {
  messageKey: string;
  outcome: Outcome;
  /** The row it was tied to. */
  delivery?: Pick<Delivery, 'id' | 'campaignId' | 'email'>;
  /** Whether an address was added to the suppression list (false when it was there already). */
  suppressed: boolean;
  status?: string;
  diagnostic?: string;
  /** The recipient the report names, when it is not the row's address (forwarding rewrote it). */
  reportedRecipient?: string;
  /** Why it was left alone, or the form of the report. */
  note: Message;
  /** The outcome recorded when the message had been read before. */
  previously?: string;
}

const DAY = 86_400_000;

/**
 * Classifies one message and applies what it says to the outbox: hard bounces, complaints
 * and unsubscribe replies suppress the row's address; a soft bounce is recorded and
 * suppresses once the address has `count` of them within `days`. The message, its events
 * and the suppression are recorded in one transaction, keyed by the message's Message-ID,
 * so that reading it again (a second sync, an overlapping import) changes nothing.
 */
export async function applyMessage(
  outbox: Outbox,
  message: InboxMessage,
  options: ApplyOptions,
): Promise<Applied> {
  const previously = await outbox.processedMessage(message.key);
  if (previously !== undefined)
    return {
      messageKey: message.key,
      outcome: 'already-processed',
      suppressed: false,
      note: previously,
      previously,
    };
  const c = await classifyReport(
    message,
    options.unsubscribeAddress ? { unsubscribeAddress: options.unsubscribeAddress } : {},
  );
  const decided = await decide(outbox, message, c, options);
  if (options.dryRun) return decided;
  const { events, suppression } = effects(message, decided, options);
  if (decided.outcome === 'soft-bounce' && decided.delivery) {
    // The count includes this bounce: recorded first, counted in the same transaction.
    const since = (events[0]?.at ?? options.now) - options.softBounces.days * DAY;
    return outbox.atomically(async (tx) => {
      if (!(await tx.recordInboxMessage(message.key, decided.outcome, options.now, events)))
        return { ...decided, outcome: 'already-processed' as const, suppressed: false };
      const n = await tx.softBounces(decided.delivery!.email, since);
      if (n < options.softBounces.count) return decided;
      const added = await tx.suppress([suppressionOf(decided.delivery!, 'bounce', 'bounce', options.now)]);
      return {
        ...decided,
        outcome: 'soft-bounce-suppressed' as const,
        suppressed: added > 0,
        note: (() => {
          const bounces = counted(n, {
            fr: ['retour temporaire', 'retours temporaires'],
            en: ['soft bounce', 'soft bounces'],
          });
          const days = counted(options.softBounces.days, { fr: ['jour', 'jours'], en: ['day', 'days'] });
          return { fr: `${bounces.fr} en ${days.fr}`, en: `${bounces.en} within ${days.en}` };
        })(),
      };
    });
  }
  return outbox.atomically(async (tx) => {
    if (!(await tx.recordInboxMessage(message.key, decided.outcome, options.now, events)))
      return { ...decided, outcome: 'already-processed' as const, suppressed: false };
    const added = suppression ? await tx.suppress([suppression]) : 0;
    return { ...decided, suppressed: added > 0 };
  });
}

/**
 * A report about a report (a bounce of a bounce): a delay notice or a complaint about one of
 * aimq's messages, forwarded or sent on by the mailbox that received it, and refused by the
 * next server. The outer report is about that forwarding address, never about aimq's
 * recipient: what happened to aimq's message is what the returned report says.
 */
async function classifyReport(message: InboxMessage, options: ClassifyOptions): Promise<Classification> {
  const c = classify(message, options);
  if (c.kind !== 'bounce') return c;
  const returned = message.parts.find(
    (p) => p.contentType === 'message/rfc822' || p.contentType === 'message/global',
  );
  if (!returned) return c;
  const inner = await readMessage(returned.content);
  if (!inner.contentType.startsWith('multipart/report') && !/^(mailer-daemon|postmaster)@/i.test(inner.from))
    return c;
  const about = classify(inner);
  if (about.kind === 'bounce' || about.kind === 'complaint') return about;
  return {
    kind: 'other',
    why: {
      fr: 'un rapport de livraison sur un autre rapport (le rebond d’un rebond) qui ne signale aucun échec',
      en: 'a delivery report about another report (a bounce of a bounce) that reports no failure',
    },
  };
}

/** The outcome, and the row it is about, without changing anything. */
async function decide(
  outbox: Outbox,
  message: InboxMessage,
  c: Classification,
  options: ApplyOptions,
): Promise<Applied> {
  const base = { messageKey: message.key, suppressed: false };
  if (c.kind === 'auto-reply') return { ...base, outcome: 'auto-reply', note: c.why };
  if (c.kind === 'other') return { ...base, outcome: 'other', note: c.why };
  const delivery = await rowOf(outbox, c.refs, options.secret);
  if (!delivery)
    return {
      ...base,
      outcome: 'not-ours',
      note:
        c.kind === 'bounce'
          ? {
              fr: 'un rapport de livraison sur aucun courriel de cette boîte d’envoi',
              en: 'a delivery report about no message in this outbox',
            }
          : c.kind === 'complaint'
            ? {
                fr: 'une plainte sur aucun courriel de cette boîte d’envoi',
                en: 'a complaint about no message in this outbox',
              }
            : {
                fr: 'une réponse de désabonnement sur aucun courriel de cette boîte d’envoi',
                en: 'an unsubscribe reply about no message in this outbox',
              },
    };
  const row = { id: delivery.id, campaignId: delivery.campaignId, email: delivery.email };
  if (c.kind === 'complaint')
    return { ...base, outcome: 'complaint', delivery: row, note: `${c.form}, ${c.feedbackType}` };
  if (c.kind === 'unsubscribe') return { ...base, outcome: 'unsubscribe', delivery: row, note: 'mailto' };
  const finding = findingFor(c.findings, delivery.email);
  const other =
    finding.recipient && finding.recipient !== delivery.email.toLowerCase() ? finding.recipient : undefined;
  return {
    ...base,
    outcome: finding.severity === 'hard' ? 'hard-bounce' : 'soft-bounce',
    delivery: row,
    ...(finding.status ? { status: finding.status } : {}),
    ...(finding.diagnostic ? { diagnostic: finding.diagnostic } : {}),
    ...(other ? { reportedRecipient: other } : {}),
    note: other ? { fr: `${c.form}, signalé pour ${other}`, en: `${c.form}, reported for ${other}` } : c.form,
  };
}

/**
 * The finding about the row's address; when the report names another (forwarding rewrote
 * it), the most serious one. The address suppressed is always the row's: the one aimq sent
 * to, the one on the list.
 */
function findingFor(findings: BounceFinding[], email: string): BounceFinding {
  const mine = findings.find((f) => f.recipient === email.toLowerCase());
  return mine ?? findings.find((f) => f.severity === 'hard') ?? findings[0]!;
}

/**
 * The row a message answers: by the Message-ID aimq gave it (stored on the row), else by a
 * token that verifies with the secret and names an existing row of that campaign.
 */
async function rowOf(
  outbox: Outbox,
  refs: References,
  secret: string | undefined,
): Promise<Delivery | undefined> {
  for (const id of refs.messageIds) {
    const d = await outbox.deliveryByMessageId(id);
    if (d) return d;
  }
  if (!secret) return undefined;
  for (const token of refs.tokens) {
    const ids = readUnsubscribeToken(secret, token);
    if (!ids || ids.campaignId === TEST_CAMPAIGN) continue;
    const d = await outbox.deliveryById(ids.deliveryId);
    if (d && d.campaignId === ids.campaignId) return d;
  }
  return undefined;
}

function effects(
  message: InboxMessage,
  a: Applied,
  options: ApplyOptions,
): { events: InboxEvent[]; suppression: StoredSuppression | undefined } {
  const kind: InboxEventKind | undefined =
    a.outcome === 'hard-bounce'
      ? 'hard'
      : a.outcome === 'soft-bounce'
        ? 'soft'
        : a.outcome === 'complaint'
          ? 'complaint'
          : a.outcome === 'unsubscribe'
            ? 'unsubscribe'
            : undefined;
  if (!kind || !a.delivery) return { events: [], suppression: undefined };
  // The report's own date when it is plausible: an old mbox imported today keeps its time.
  const at = message.date !== undefined && message.date <= options.now ? message.date : options.now;
  const events: InboxEvent[] = [
    {
      messageKey: message.key,
      at,
      campaignId: a.delivery.campaignId,
      deliveryId: a.delivery.id,
      email: a.delivery.email,
      kind,
      status: a.status ?? null,
      diagnostic: a.diagnostic ?? null,
      reportedRecipient: a.reportedRecipient ?? null,
    },
  ];
  const suppression =
    kind === 'hard'
      ? suppressionOf(a.delivery, 'bounce', 'bounce', options.now)
      : kind === 'complaint'
        ? suppressionOf(a.delivery, 'complaint', 'complaint', options.now)
        : kind === 'unsubscribe'
          ? suppressionOf(a.delivery, 'unsubscribe', 'mailto', options.now)
          : undefined;
  return { events, suppression };
}

function suppressionOf(
  d: Pick<Delivery, 'campaignId' | 'email'>,
  reason: string,
  source: string,
  now: number,
): StoredSuppression {
  return {
    email: d.email,
    reason,
    date: new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    campaignId: d.campaignId,
    source,
  };
}

/** How many messages had each outcome. */
export function summarize(results: readonly Applied[]): Record<Outcome, number> {
  const out: Record<Outcome, number> = {
    'hard-bounce': 0,
    'soft-bounce': 0,
    'soft-bounce-suppressed': 0,
    complaint: 0,
    unsubscribe: 0,
    'auto-reply': 0,
    'not-ours': 0,
    other: 0,
    'already-processed': 0,
  };
  for (const r of results) out[r.outcome]++;
  return out;
}

/** The status and the server's words, without the codes the words repeat: `5.1.1 <x@y>: User unknown`. */
export function describeReason(
  status: string | null | undefined,
  diagnostic: string | null | undefined,
): string {
  const words = (diagnostic ?? '')
    .replace(/^#?\d{3}[ -]?(?:#?[245]\.\d{1,3}\.\d{1,3}\s*)?/, '')
    .replace(/^<[^<>\s]+>(?::|\.\.\.)?\s*/, '')
    .trim();
  return [status, words].filter(Boolean).join(' ');
}
