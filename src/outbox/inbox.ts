import type { Connection } from './connection.js';
import { type DeliveryRow, toDelivery } from './rows.js';
import type { Delivery } from './types.js';

/** What a message of the bounce mailbox said about one delivery row. */
export type InboxEventKind = 'hard' | 'soft' | 'complaint' | 'unsubscribe';

/** One bounce, complaint or unsubscribe reply, tied to the row whose message it answers. */
export interface InboxEvent {
  /** The Message-ID of the message read (or `sha256:` of its bytes when it has none). */
  messageKey: string;
  /** When it happened: the message's Date when plausible, else when it was read (ms). */
  at: number;
  campaignId: number;
  deliveryId: number;
  /** The address of the row (the one suppressed), not the one the report names. */
  email: string;
  kind: InboxEventKind;
  /** Enhanced status code (`5.1.1`), when the report gives one. */
  status: string | null;
  /** The server's words, short. */
  diagnostic: string | null;
  /** The recipient the report names (Final-Recipient), when it differs from `email`. */
  reportedRecipient: string | null;
}

/**
 * What the mailbox readers (aimq inbox sync and import) keep in the outbox: which messages
 * they have read, and the events those carried. A message is recorded once, with its
 * outcome, whatever it was (even left alone): reading it again changes nothing.
 */
export interface InboxStore {
  /** The row whose message had this Message-ID (`<…>` included), if aimq sent it. */
  deliveryByMessageId(messageId: string): Promise<Delivery | undefined>;
  /** The outcome recorded for a message already read, if it was. */
  processedMessage(messageKey: string): Promise<string | undefined>;
  /**
   * Records a message as read, with its events, unless it was already: returns false then
   * (and records nothing).
   */
  recordInboxMessage(
    messageKey: string,
    outcome: string,
    at: number,
    events: readonly InboxEvent[],
  ): Promise<boolean>;
  /** Soft bounces recorded for an address (case ignored) at or after `since`. */
  softBounces(email: string, since: number): Promise<number>;
  /** The events of a campaign, oldest first. */
  inboxEvents(campaignId: number): Promise<InboxEvent[]>;
}

export interface InboxEventRow {
  message_key: string;
  at: number;
  campaign_id: number;
  delivery_id: number;
  email: string;
  kind: InboxEventKind;
  status: string | null;
  diagnostic: string | null;
  reported_recipient: string | null;
}

export const toInboxEvent = (r: InboxEventRow): InboxEvent => ({
  messageKey: r.message_key,
  at: r.at,
  campaignId: r.campaign_id,
  deliveryId: r.delivery_id,
  email: r.email,
  kind: r.kind,
  status: r.status,
  diagnostic: r.diagnostic,
  reportedRecipient: r.reported_recipient,
});

export const inboxEventValues = (e: InboxEvent): unknown[] => [
  e.messageKey,
  e.at,
  e.campaignId,
  e.deliveryId,
  e.email.trim().toLowerCase(),
  e.email,
  e.kind,
  e.status,
  e.diagnostic,
  e.reportedRecipient,
];

export class SqliteInbox implements InboxStore {
  constructor(private readonly c: Connection) {}

  async deliveryByMessageId(messageId: string): Promise<Delivery | undefined> {
    const row = this.c.sql('SELECT * FROM deliveries WHERE message_id = ? LIMIT 1').get(messageId) as
      | DeliveryRow
      | undefined;
    return row ? toDelivery(row) : undefined;
  }

  async processedMessage(messageKey: string): Promise<string | undefined> {
    const row = this.c.sql('SELECT outcome FROM inbox_messages WHERE message_key = ?').get(messageKey) as
      | { outcome: string }
      | undefined;
    return row?.outcome;
  }

  async recordInboxMessage(
    messageKey: string,
    outcome: string,
    at: number,
    events: readonly InboxEvent[],
  ): Promise<boolean> {
    return this.c.exclusive(() => {
      const added = this.c
        .sql(
          'INSERT INTO inbox_messages (message_key, processed_at, outcome) VALUES (?, ?, ?) ON CONFLICT (message_key) DO NOTHING',
        )
        .run(messageKey, at, outcome).changes;
      if (!added) return false;
      const insert = this.c.sql(
        `INSERT INTO inbox_events (message_key, at, campaign_id, delivery_id, email_key, email, kind, status, diagnostic, reported_recipient)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      for (const e of events) insert.run(...inboxEventValues(e));
      return true;
    });
  }

  async softBounces(email: string, since: number): Promise<number> {
    return (
      this.c
        .sql(`SELECT COUNT(*) AS n FROM inbox_events WHERE email_key = ? AND kind = 'soft' AND at >= ?`)
        .get(email.trim().toLowerCase(), since) as { n: number }
    ).n;
  }

  async inboxEvents(campaignId: number): Promise<InboxEvent[]> {
    return (
      this.c
        .sql('SELECT * FROM inbox_events WHERE campaign_id = ? ORDER BY id')
        .all(campaignId) as InboxEventRow[]
    ).map(toInboxEvent);
  }
}
