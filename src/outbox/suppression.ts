import type { Connection } from './connection.js';

/** An address that must never be sent anything again, as the outbox keeps it. */
export interface StoredSuppression {
  email: string;
  /** unsubscribe, bounce, complaint or manual. */
  reason: string;
  /** When it was added: `2026-12-01T15:04:05Z`. */
  date: string;
  /** The campaign whose message led to it, when one did. */
  campaignId?: number;
  /** one-click, web, mailto, bounce, complaint, manual or list. */
  source?: string;
}

/** A row of the suppression table as an entry: absent columns left out. */
export function toSuppression(row: {
  email: string;
  reason: string;
  date: string;
  campaign_id: number | null;
  source: string | null;
}): StoredSuppression {
  return {
    email: row.email,
    reason: row.reason,
    date: row.date,
    ...(row.campaign_id === null ? {} : { campaignId: row.campaign_id }),
    ...(row.source === null ? {} : { source: row.source }),
  };
}

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
        .all() as Parameters<typeof toSuppression>[0][]
    ).map(toSuppression);
  }

  async isSuppressed(email: string): Promise<boolean> {
    return (
      this.c.sql('SELECT 1 FROM suppression WHERE email_key = ?').get(email.trim().toLowerCase()) !==
      undefined
    );
  }
}
