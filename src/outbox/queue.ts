import type { Connection } from './connection.js';
import type { Campaign, Delivery, DeliveryState, NewDelivery, Outcome } from './types.js';
import { type DeliveryRow, toDelivery } from './rows.js';

/**
 * The delivery rows of the campaigns, as a queue with leases.
 *
 * A row moves `pending → claimed → sending → sent | retry | failed | uncertain |
 * suppressed | cancelled`. A sender claims a few rows ahead in one commit that is on disk
 * (fsync'd) before any of their messages can leave; right before a message is handed to
 * SMTP its row becomes `sending` (a cheap commit that survives the process, not a power
 * cut); after the server's reply, its outcome. So a crash leaves rows `claimed` or
 * `sending`, which the next run reads right: `sending` becomes `uncertain` (never resent
 * unless someone asks); `claimed` goes back to `pending` when the process died while the
 * machine kept running (its `sending` marks are then all on record), and becomes
 * `uncertain` otherwise (after a power cut a lost `sending` mark cannot be told from a
 * message that never left). That is the difference between "at most once, and we know
 * which ones we are unsure of" and the duplicates or silent gaps other tools leave after
 * a restart.
 */
export interface DeliveryQueue {
  /**
   * Adds recipients in batches of one transaction each (a list of 100,000 is never held in
   * memory). A recipient already in the campaign is left as it is: adding the same list
   * again is how a send resumes. Returns how many rows were new.
   */
  addDeliveries(campaign: Campaign, recipients: Iterable<NewDelivery>, now: number): Promise<number>;
  /** Whether this address already received (or may have received) this edition of the release in another campaign. */
  alreadyDelivered(
    releaseId: string,
    emailKey: string,
    edition: string,
    exceptCampaign: number,
  ): Promise<Delivery | undefined>;
  /** Whether another campaign of the release has a row that was (or may have been) sent: if not, nobody needs checking one by one. */
  releaseDeliveredElsewhere(releaseId: string, exceptCampaign: number): Promise<boolean>;
  /**
   * Claims up to `limit` due rows of a campaign for `owner` (pending ones first, then due
   * retries) in one transaction, as `claimed` with a lease, and resolves once that commit is
   * on disk: two processes never get the same row. Each must go through `handOver` before
   * its message leaves, or back through `unclaim`.
   */
  claimAhead(
    campaignId: number,
    owner: string,
    now: number,
    leaseMs: number,
    limit: number,
    messageIdFor?: (d: Pick<Delivery, 'id' | 'email'>) => string,
  ): Promise<Delivery[]>;
  /**
   * Marks a row `claimed` by `owner` as `sending`, right before its message is handed over.
   * False when the row is no longer this owner's to send (cancelled, or taken back by a
   * recovery): the message must not leave. Not fsync'd: see above.
   */
  handOver(id: number, owner: string, now: number): Promise<boolean>;
  /** Gives rows `owner` claimed and never handed over back to the queue, the attempt not counted. */
  unclaim(ids: readonly number[], owner: string, now: number): Promise<void>;
  /**
   * Gives a row `owner` handed over back to the queue, the attempt not counted: the server
   * refused before taking the message (credentials, sender), so it never left.
   */
  returnUnsent(id: number, owner: string, now: number, reply: string): Promise<void>;
  /** Records the outcome of an attempt, only if `owner` still holds the row. */
  finish(id: number, owner: string, outcome: Outcome, now: number): Promise<boolean>;
  /** The earliest time a `retry` row of the campaign falls due, if any. */
  nextRetryAt(campaignId: number): Promise<number | undefined>;
  /**
   * Rows left `sending` or `claimed` by a process that is gone (lease expired, or
   * `isDead(owner)`) become `uncertain`: the message may or may not have reached the
   * server. Except `claimed` rows of an owner for which `diedOnThisBoot(owner)`: the process
   * died while the machine kept running, so every `sending` mark it committed is on record
   * (WAL, synchronous NORMAL), and a row still `claimed` was never handed over; it goes back
   * to `pending`. Returns how many became `uncertain`.
   */
  recoverAbandoned(
    now: number,
    isDead: (owner: string) => boolean,
    diedOnThisBoot?: (owner: string) => boolean,
  ): Promise<number>;
  /** Puts rows in `states` back in the queue, attempts from zero: someone fixed, or accepted, the cause. */
  requeue(campaignId: number | undefined, states: DeliveryState[], now: number): Promise<number>;
}

export class SqliteQueue implements DeliveryQueue {
  constructor(private readonly c: Connection) {}

  async addDeliveries(campaign: Campaign, recipients: Iterable<NewDelivery>, now: number): Promise<number> {
    const stmt = this.c.sql(
      `INSERT INTO deliveries (campaign_id, release_id, email, email_key, name, edition, state, last_reply, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (campaign_id, email_key) DO NOTHING`,
    );
    let added = 0;
    const flush = (batch: NewDelivery[]) =>
      this.c.exclusive(() => {
        for (const r of batch)
          added += stmt.run(
            campaign.id,
            campaign.releaseId,
            r.email,
            r.email.toLowerCase(),
            r.name,
            r.edition,
            r.state ?? 'pending',
            r.lastReply ?? null,
            now,
            now,
          ).changes;
      });
    let batch: NewDelivery[] = [];
    for (const r of recipients) {
      batch.push(r);
      if (batch.length === 1000) {
        flush(batch);
        batch = [];
      }
    }
    if (batch.length) flush(batch);
    return added;
  }

  async alreadyDelivered(
    releaseId: string,
    emailKey: string,
    edition: string,
    exceptCampaign: number,
  ): Promise<Delivery | undefined> {
    const row = this.c
      .sql(
        `SELECT * FROM deliveries WHERE release_id = ? AND email_key = ? AND edition = ? AND campaign_id != ? AND state IN ('sent', 'sending', 'claimed', 'uncertain') LIMIT 1`,
      )
      .get(releaseId, emailKey, edition, exceptCampaign) as DeliveryRow | undefined;
    return row ? toDelivery(row) : undefined;
  }

  async releaseDeliveredElsewhere(releaseId: string, exceptCampaign: number): Promise<boolean> {
    return (
      this.c
        .sql(
          `SELECT 1 FROM campaigns c JOIN deliveries d ON d.campaign_id = c.id WHERE c.release_id = ? AND c.id != ? AND d.state IN ('sent', 'sending', 'claimed', 'uncertain') LIMIT 1`,
        )
        .get(releaseId, exceptCampaign) !== undefined
    );
  }

  async claimAhead(
    campaignId: number,
    owner: string,
    now: number,
    leaseMs: number,
    limit: number,
    messageIdFor?: (d: Pick<Delivery, 'id' | 'email'>) => string,
  ): Promise<Delivery[]> {
    const claim = () => {
      const rows = this.c
        .sql(`SELECT * FROM deliveries WHERE campaign_id = ? AND state = 'pending' ORDER BY id LIMIT ?`)
        .all(campaignId, limit) as DeliveryRow[];
      if (rows.length < limit)
        rows.push(
          ...(this.c
            .sql(
              `SELECT * FROM deliveries WHERE campaign_id = ? AND state = 'retry' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?`,
            )
            .all(campaignId, now, limit - rows.length) as DeliveryRow[]),
        );
      const update = this.c.sql(
        `UPDATE deliveries SET state = 'claimed', attempts = attempts + 1, lease_owner = ?, lease_until = ?, updated_at = ?, message_id = ? WHERE id = ?`,
      );
      return rows.map((row) => {
        // The Message-ID is on record before the message leaves: an `uncertain` row can be traced in the server's logs.
        const messageId = messageIdFor ? messageIdFor({ id: row.id, email: row.email }) : row.message_id;
        update.run(owner, now + leaseMs, now, messageId, row.id);
        return toDelivery({
          ...row,
          state: 'claimed',
          attempts: row.attempts + 1,
          lease_owner: owner,
          lease_until: now + leaseMs,
          updated_at: now,
          message_id: messageId,
        });
      });
    };
    // The rows are only returned, and so can only leave, once the commit is on disk.
    return this.c.committedToDisk(claim, (rows) => rows.length > 0);
  }

  async handOver(id: number, owner: string, now: number): Promise<boolean> {
    return (
      this.c
        .sql(
          `UPDATE deliveries SET state = 'sending', updated_at = ? WHERE id = ? AND state = 'claimed' AND lease_owner = ?`,
        )
        .run(now, id, owner).changes === 1
    );
  }

  /**
   * The one way a row goes back to `pending`, if it is still in one of `from` (and held by
   * `owner`, when given). `attempts`: `undo` takes back the attempt its claim counted;
   * `reset` starts again from zero.
   */
  private backToPending(
    id: number,
    from: readonly DeliveryState[],
    owner: string | null,
    attempts: 'undo' | 'reset',
    now: number,
    reply?: string,
  ): number {
    return this.c
      .sql(
        `UPDATE deliveries SET state = 'pending',
           attempts = CASE WHEN @attempts = 'reset' THEN 0 ELSE attempts - 1 END,
           next_attempt_at = CASE WHEN @attempts = 'reset' THEN NULL ELSE next_attempt_at END,
           last_reply = COALESCE(@reply, last_reply), lease_owner = NULL, lease_until = NULL, updated_at = @now
         WHERE id = @id AND state IN (SELECT value FROM json_each(@states)) AND (@owner IS NULL OR lease_owner = @owner)`,
      )
      .run({ attempts, reply: reply ?? null, now, id, states: JSON.stringify(from), owner }).changes;
  }

  async unclaim(ids: readonly number[], owner: string, now: number): Promise<void> {
    this.c.exclusive(() => {
      // A row handed over meanwhile may have left: it stays as it is.
      for (const id of ids) this.backToPending(id, ['claimed'], owner, 'undo', now);
    });
  }

  async returnUnsent(id: number, owner: string, now: number, reply: string): Promise<void> {
    this.backToPending(id, ['sending'], owner, 'undo', now, reply);
  }

  async nextRetryAt(campaignId: number): Promise<number | undefined> {
    const row = this.c
      .sql(`SELECT MIN(next_attempt_at) AS t FROM deliveries WHERE campaign_id = ? AND state = 'retry'`)
      .get(campaignId) as { t: number | null };
    return row.t ?? undefined;
  }

  async finish(id: number, owner: string, outcome: Outcome, now: number): Promise<boolean> {
    const info = this.c
      .sql(
        `UPDATE deliveries SET state = ?, last_reply = COALESCE(?, last_reply), message_id = COALESCE(?, message_id), next_attempt_at = ?,
           lease_owner = NULL, lease_until = NULL, updated_at = ?, sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END
         WHERE id = ? AND state IN ('sending', 'claimed') AND lease_owner = ?`,
      )
      .run(
        outcome.state,
        outcome.reply ?? null,
        outcome.messageId ?? null,
        outcome.nextAttemptAt ?? null,
        now,
        outcome.state,
        now,
        id,
        owner,
      );
    return info.changes === 1;
  }

  async recoverAbandoned(
    now: number,
    isDead: (owner: string) => boolean,
    diedOnThisBoot: (owner: string) => boolean = () => false,
  ): Promise<number> {
    // The condition of the partial index deliveries_leased, word for word, so that SQLite uses it.
    const rows = this.c
      .sql(`SELECT id, state, lease_owner, lease_until FROM deliveries WHERE state IN ('claimed', 'sending')`)
      .all() as {
      id: number;
      state: DeliveryState;
      lease_owner: string | null;
      lease_until: number | null;
    }[];
    const abandoned = rows.filter(
      (r) => r.lease_owner === null || (r.lease_until ?? 0) <= now || isDead(r.lease_owner),
    );
    const uncertain = this.c.sql(
      `UPDATE deliveries SET state = 'uncertain', last_reply = COALESCE(last_reply, '') || CASE WHEN last_reply IS NULL THEN '' ELSE ' / ' END || 'interrupted while sending: the server may have accepted it', lease_owner = NULL, lease_until = NULL, updated_at = ? WHERE id = ? AND state = ?`,
    );
    return this.c.exclusive(() =>
      abandoned.reduce((n, r) => {
        if (r.state === 'claimed' && r.lease_owner !== null && diedOnThisBoot(r.lease_owner)) {
          this.backToPending(r.id, ['claimed'], r.lease_owner, 'undo', now);
          return n;
        }
        return n + uncertain.run(now, r.id, r.state).changes;
      }, 0),
    );
  }

  async requeue(campaignId: number | undefined, states: DeliveryState[], now: number): Promise<number> {
    const ids = this.c
      .sql(
        `SELECT id FROM deliveries WHERE state IN (SELECT value FROM json_each(?)) AND (? IS NULL OR campaign_id = ?)`,
      )
      .pluck()
      .all(JSON.stringify(states), campaignId ?? null, campaignId ?? null) as number[];
    return this.c.exclusive(() =>
      ids.reduce((n, id) => n + this.backToPending(id, states, null, 'reset', now), 0),
    );
  }
}
