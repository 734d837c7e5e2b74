import type { Connection } from './connection.js';
import { type DeliveryRow, toDelivery } from './rows.js';
import { DELIVERY_STATES, type Counts, type Delivery, type DeliveryState } from './types.js';

/** What the outbox says about a campaign: counts, rows, whether it started. Reads only. */
export interface OutboxReports {
  counts(campaignId: number): Promise<Counts>;
  countsByEdition(campaignId: number, state: DeliveryState): Promise<Record<string, number>>;
  deliveries(campaignId: number, state?: DeliveryState): Promise<Delivery[]>;
  /** Whether any message of the campaign has left, or may have. */
  hasStarted(campaignId: number): Promise<boolean>;
  /** One row by its id (what an unsubscribe token names), whatever its campaign or state. */
  deliveryById(id: number): Promise<Delivery | undefined>;
}

export function hasStarted(c: Connection, campaignId: number): boolean {
  return (
    c
      .sql(
        `SELECT 1 FROM deliveries WHERE campaign_id = ? AND state IN ('claimed', 'sending', 'sent', 'uncertain', 'failed', 'retry') LIMIT 1`,
      )
      .get(campaignId) !== undefined
  );
}

export class SqliteReports implements OutboxReports {
  constructor(private readonly c: Connection) {}

  async counts(campaignId: number): Promise<Counts> {
    const counts = Object.fromEntries(DELIVERY_STATES.map((s) => [s, 0])) as Counts;
    for (const r of this.c
      .sql('SELECT state, COUNT(*) AS n FROM deliveries WHERE campaign_id = ? GROUP BY state')
      .all(campaignId) as { state: DeliveryState; n: number }[])
      counts[r.state] = r.n;
    return counts;
  }

  async countsByEdition(campaignId: number, state: DeliveryState): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const r of this.c
      .sql(
        'SELECT edition, COUNT(*) AS n FROM deliveries WHERE campaign_id = ? AND state = ? GROUP BY edition',
      )
      .all(campaignId, state) as { edition: string; n: number }[])
      out[r.edition] = r.n;
    return out;
  }

  async deliveries(campaignId: number, state?: DeliveryState): Promise<Delivery[]> {
    const rows = (
      state
        ? this.c
            .sql('SELECT * FROM deliveries WHERE campaign_id = ? AND state = ? ORDER BY id')
            .all(campaignId, state)
        : this.c.sql('SELECT * FROM deliveries WHERE campaign_id = ? ORDER BY id').all(campaignId)
    ) as DeliveryRow[];
    return rows.map(toDelivery);
  }

  async hasStarted(campaignId: number): Promise<boolean> {
    return hasStarted(this.c, campaignId);
  }

  async deliveryById(id: number): Promise<Delivery | undefined> {
    const row = this.c.sql('SELECT * FROM deliveries WHERE id = ?').get(id) as DeliveryRow | undefined;
    return row ? toDelivery(row) : undefined;
  }
}
