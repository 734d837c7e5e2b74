import type { Connection } from './connection.js';

/** An address that must never be sent anything again, as the outbox keeps it. */
export interface StoredSuppression {
  email: string;
  /** unsubscribe, bounce, complaint or manual. */
  reason: string;
  /** When it was added: `2026-12-01T15:04:05Z`. */
  date: string;
  /** The campaign whose message the request came from (a token named it). */
  campaignId?: number;
  /** How it came: one-click, web, mailto, bounce, complaint, manual or list. */
  source?: string;
}

/** What an entry says of itself, for a row it kept from being sent: `unsubscribe via one-click, campaign 3, 2026-12-01T15:04:05Z`. */
export function describeSuppression(s: StoredSuppression): string {
  return [
    `${s.reason}${s.source && s.source !== s.reason ? ` via ${s.source}` : ''}`,
    ...(s.campaignId !== undefined ? [`campaign ${s.campaignId}`] : []),
    s.date,
  ].join(', ');
}

/** Suppression rows as both backends return them. */
export interface SuppressionRow {
  email: string;
  reason: string;
  date: string;
  campaign_id: number | null;
  source: string | null;
}

export const toSuppression = (r: SuppressionRow): StoredSuppression => ({
  email: r.email,
  reason: r.reason,
  date: r.date,
  ...(r.campaign_id !== null ? { campaignId: r.campaign_id } : {}),
  ...(r.source !== null ? { source: r.source } : {}),
});

/**
 * The suppression list kept in the outbox, beside lists/suppression.csv: on a shared
 * (PostgreSQL) outbox every dispatcher sees an unsubscribe or a bounce recorded on any
 * machine. A send honours what either holds.
 */
export interface SuppressionStore {
  /** Adds the addresses not there yet (an address keeps its first entry); returns how many were new. */
  suppress(entries: readonly StoredSuppression[]): Promise<number>;
  /** Every entry, oldest first. */
  suppression(): Promise<StoredSuppression[]>;
  isSuppressed(email: string): Promise<boolean>;
}

export class SqliteSuppression implements SuppressionStore {
  constructor(private readonly c: Connection) {}

  async suppress(entries: readonly StoredSuppression[]): Promise<number> {
    const stmt = this.c.sql(
      'INSERT INTO suppression (email_key, email, reason, added_at, campaign_id, source) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (email_key) DO NOTHING',
    );
    return this.c.exclusive(() =>
      entries.reduce(
        (n, e) =>
          n +
          stmt.run(
            e.email.trim().toLowerCase(),
            e.email.trim(),
            e.reason,
            e.date,
            e.campaignId ?? null,
            e.source ?? null,
          ).changes,
        0,
      ),
    );
  }

  async suppression(): Promise<StoredSuppression[]> {
    return (
      this.c
        .sql('SELECT email, reason, added_at AS date, campaign_id, source FROM suppression ORDER BY rowid')
        .all() as SuppressionRow[]
    ).map(toSuppression);
  }

  async isSuppressed(email: string): Promise<boolean> {
    return (
      this.c.sql('SELECT 1 FROM suppression WHERE email_key = ?').get(email.trim().toLowerCase()) !==
      undefined
    );
  }
}
