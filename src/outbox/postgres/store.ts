import pg from 'pg';
import { AimqError } from '../../errors/index.js';
import type { Text } from '../../i18n/text.js';
import type { Mailbox } from '../../model/config.js';
import type { Outbox } from '../outbox.js';
import {
  type CampaignRow,
  type DeliveryRow,
  toCampaign,
  toDelivery,
  toEditions,
  type EditionRow,
  editionValues,
  campaignValues,
} from '../rows.js';
import { type StoredSuppression, type SuppressionRow, toSuppression } from '../suppression.js';
import { type InboxEvent, type InboxEventRow, inboxEventValues, toInboxEvent } from '../inbox.js';
import {
  type Campaign,
  type CampaignStatus,
  type Counts,
  DELIVERY_STATES,
  type Delivery,
  type DeliveryState,
  type NewCampaign,
  type NewDelivery,
  type Outcome,
  type SkippedLine,
  type StoredEdition,
} from '../types.js';
import { MIGRATION_LOCK, migratePostgres } from './schema.js';

/** Whether an outbox location is a PostgreSQL URL rather than a file. */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/** The URL as it may be printed: never its password, nor a password among its parameters. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    for (const key of [...u.searchParams.keys()])
      if (/pass|secret|key/i.test(key)) u.searchParams.set(key, '***');
    return u.toString();
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//***@');
  }
}

/** The lock `exclusive` takes: transactions that check then create wait for each other, across hosts. */
const EXCLUSIVE_LOCK = 0x61696d72;

const ACTIVE = ['sent', 'sending', 'claimed', 'uncertain'];
const STARTED = ['claimed', 'sending', 'sent', 'uncertain', 'failed', 'retry'];

/** BIGINT (milliseconds, counts) as numbers: every one aimq stores is far below 2^53. */
export const pgTypes = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === pg.types.builtins.INT8
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

type Query = <R extends pg.QueryResultRow = Record<string, unknown>>(
  text: string,
  params?: unknown[],
) => Promise<pg.QueryResult<R>>;

/**
 * PostgreSQL failures (refused or lost connection, a statement refused) as the one error aimq
 * prints: AIMQ-OUTBOX, exit 2, naming the outbox by its redacted URL.
 */
export function pgError(err: unknown, shown: string): AimqError {
  if (err instanceof AimqError) return err;
  const code = (err as { code?: string }).code ?? '';
  const message = ((err as Error).message ?? String(err)).split('\n')[0]!;
  const hint: Text =
    code === 'ECONNREFUSED' ||
    code === 'ENOTFOUND' ||
    code === 'ETIMEDOUT' ||
    /terminat|connect/i.test(message)
      ? {
          fr: 'vérifiez que PostgreSQL fonctionne et répond à cette adresse, puis relancez la même commande\u00a0: ce qui a été consigné le reste',
          en: 'check that PostgreSQL is running and reachable at that address, then run the same command again: what was recorded stays recorded',
        }
      : code === '28P01' || code === '28000'
        ? {
            fr: 'vérifiez l’utilisateur et le mot de passe (dans l’URL ou PGPASSWORD)',
            en: 'check the user and the password (in the URL or PGPASSWORD)',
          }
        : code === '3D000'
          ? {
              fr: 'créez d’abord la base de données (createdb), ou corrigez son nom dans l’URL',
              en: 'create the database first (createdb), or fix its name in the URL',
            }
          : {
              fr: 'vérifiez que la base de données est une boîte d’envoi aimq et que l’utilisateur peut y écrire',
              en: 'check that the database is an aimq outbox and that the user may write to it',
            };
  return new AimqError(
    'AIMQ-OUTBOX',
    { fr: `la boîte d’envoi ${shown}\u00a0: ${message}`, en: `the outbox ${shown}: ${message}` },
    { file: shown, hint, cause: err },
  );
}

/**
 * The outbox in PostgreSQL, for dispatchers on several machines. Same states and rules as
 * the SQLite outbox (see queue.ts); what differs is how rows are claimed: `FOR UPDATE SKIP
 * LOCKED` in short transactions, so dispatchers never wait for each other's rows, and every
 * commit is durable once PostgreSQL acknowledged it (synchronous_commit, the default).
 */
export class PgStore {
  constructor(
    private readonly pool: pg.Pool,
    readonly shown: string,
    /** Set on the store bound to one transaction. */
    private readonly client?: pg.PoolClient,
  ) {}

  private readonly q: Query = (text, params) =>
    (this.client ?? this.pool).query(text, params as unknown[]) as never;

  /** Runs `fn` in a transaction of its own, or in the one this store is bound to. */
  private async tx<T>(fn: (store: PgStore) => Promise<T>, lock?: number): Promise<T> {
    if (this.client) return fn(this);
    const client = await this.pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      if (lock !== undefined) await client.query('SELECT pg_advisory_xact_lock($1)', [lock]);
      const result = await fn(new PgStore(this.pool, this.shown, client));
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw err;
    } finally {
      client.release(broken);
    }
  }

  exclusive<T>(fn: (tx: Outbox) => Promise<T>): Promise<T> {
    return this.tx((store) => fn(asOutbox(store)), EXCLUSIVE_LOCK);
  }

  atomically<T>(fn: (tx: Outbox) => Promise<T>): Promise<T> {
    return this.tx((store) => fn(asOutbox(store)));
  }

  async close(): Promise<void> {
    if (!this.client) await this.pool.end();
  }

  // Campaigns

  private async oneCampaign(text: string, params: unknown[]): Promise<Campaign | undefined> {
    const row = (await this.q<CampaignRow>(text, params)).rows[0];
    return row ? toCampaign(row) : undefined;
  }

  findCampaign(releaseId: string, contentVersion: string, source: string): Promise<Campaign | undefined> {
    return this.oneCampaign(
      `SELECT * FROM campaigns WHERE release_id = $1 AND content_version = $2 AND source = $3 AND status <> 'cancelled' ORDER BY id DESC LIMIT 1`,
      [releaseId, contentVersion, source],
    );
  }

  findBySource(source: string): Promise<Campaign | undefined> {
    return this.oneCampaign(
      `SELECT * FROM campaigns WHERE source = $1 AND status <> 'cancelled' ORDER BY id DESC LIMIT 1`,
      [source],
    );
  }

  async dueCampaigns(now: number): Promise<Campaign[]> {
    return (
      await this.q<CampaignRow>(
        `SELECT * FROM campaigns WHERE scheduled_at IS NOT NULL AND scheduled_at <= $1 AND status IN ('scheduled', 'sending') ORDER BY scheduled_at, id`,
        [now],
      )
    ).rows.map(toCampaign);
  }

  campaign(id: number): Promise<Campaign | undefined> {
    return this.oneCampaign('SELECT * FROM campaigns WHERE id = $1', [id]);
  }

  async campaigns(): Promise<Campaign[]> {
    return (await this.q<CampaignRow>('SELECT * FROM campaigns ORDER BY id')).rows.map(toCampaign);
  }

  async campaignsFrom(sourcePrefix: string): Promise<Campaign[]> {
    return (
      await this.q<CampaignRow>(`SELECT * FROM campaigns WHERE starts_with(source, $1) ORDER BY id`, [
        sourcePrefix,
      ])
    ).rows.map(toCampaign);
  }

  async createCampaign(c: NewCampaign, editions: StoredEdition[]): Promise<Campaign> {
    return this.tx(async (s) => {
      const row = (
        await s.q<CampaignRow>(
          `INSERT INTO campaigns (release_id, release_dir, content_version, created_at, scheduled_at, status, source, targets, edition_mode, reply_to)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *`,
          campaignValues(c),
        )
      ).rows[0]!;
      await s.insertEditions(row.id, editions);
      return toCampaign(row);
    });
  }

  private async insertEditions(campaignId: number, editions: readonly StoredEdition[]): Promise<void> {
    for (const e of editions)
      await this.q(
        'INSERT INTO editions (campaign_id, edition, subject, html, text, languages, attachments) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        editionValues(campaignId, e),
      );
  }

  async editions(campaignId: number): Promise<Map<string, StoredEdition>> {
    const rows = (await this.q<EditionRow>('SELECT * FROM editions WHERE campaign_id = $1', [campaignId]))
      .rows;
    return toEditions(rows);
  }

  async replaceEditions(
    campaignId: number,
    contentVersion: string,
    editions: StoredEdition[],
    replyTo: Mailbox,
  ): Promise<void> {
    await this.tx(async (s) => {
      await s.q('DELETE FROM editions WHERE campaign_id = $1', [campaignId]);
      await s.insertEditions(campaignId, editions);
      await s.q('UPDATE campaigns SET content_version = $1, reply_to = $2 WHERE id = $3', [
        contentVersion,
        JSON.stringify(replyTo),
        campaignId,
      ]);
    });
  }

  async setCampaignStatus(id: number, status: CampaignStatus): Promise<void> {
    await this.q('UPDATE campaigns SET status = $1 WHERE id = $2', [status, id]);
  }

  async setSchedule(id: number, scheduledAt: number | null): Promise<void> {
    await this.q('UPDATE campaigns SET scheduled_at = $1 WHERE id = $2', [scheduledAt, id]);
  }

  async recordSkipped(campaignId: number, lines: readonly SkippedLine[]): Promise<void> {
    await this.tx(async (s) => {
      await s.q('DELETE FROM skipped_lines WHERE campaign_id = $1', [campaignId]);
      for (const l of lines)
        await s.q(
          'INSERT INTO skipped_lines (campaign_id, file, line, code, message) VALUES ($1, $2, $3, $4, $5)',
          [campaignId, l.file, l.line, l.code, l.message],
        );
    });
  }

  async skipped(campaignId: number): Promise<SkippedLine[]> {
    return (
      await this.q<SkippedLine>(
        'SELECT file, line, code, message FROM skipped_lines WHERE campaign_id = $1 ORDER BY seq',
        [campaignId],
      )
    ).rows;
  }

  async discard(campaignId: number): Promise<void> {
    await this.tx(async (s) => {
      // The campaign row locked first: a dispatcher claiming its rows meanwhile waits, then finds none.
      await s.q('SELECT id FROM campaigns WHERE id = $1 FOR UPDATE', [campaignId]);
      if (await s.hasStarted(campaignId)) return;
      for (const table of ['deliveries', 'editions', 'skipped_lines'])
        await s.q(`DELETE FROM ${table} WHERE campaign_id = $1`, [campaignId]);
      await s.q('DELETE FROM campaigns WHERE id = $1', [campaignId]);
    });
  }

  async cancel(campaignId: number, now: number): Promise<number> {
    return this.tx(async (s) => {
      // A row claimed ahead by a running send is cancelled too: its hand-over then fails, and it never leaves.
      const n = (
        await s.q(
          `UPDATE deliveries SET state = 'cancelled', lease_owner = NULL, lease_until = NULL, updated_at = $1 WHERE campaign_id = $2 AND state IN ('pending', 'retry', 'claimed')`,
          [now, campaignId],
        )
      ).rowCount!;
      await s.q(`UPDATE campaigns SET status = 'cancelled' WHERE id = $1`, [campaignId]);
      return n;
    });
  }

  // The queue

  async addDeliveries(campaign: Campaign, recipients: Iterable<NewDelivery>, now: number): Promise<number> {
    let added = 0;
    const flush = async (batch: NewDelivery[]) => {
      // One statement per batch: arrays unnested into rows.
      const r = await this.q(
        `INSERT INTO deliveries (campaign_id, release_id, email, email_key, name, edition, state, last_reply, created_at, updated_at)
         SELECT $1, $2, e, lower(e), n, ed, st, lr, $3, $3
         FROM unnest($4::text[], $5::text[], $6::text[], $7::text[], $8::text[]) AS t(e, n, ed, st, lr)
         ON CONFLICT (campaign_id, email_key) DO NOTHING`,
        [
          campaign.id,
          campaign.releaseId,
          now,
          batch.map((r) => r.email),
          batch.map((r) => r.name),
          batch.map((r) => r.edition),
          batch.map((r) => r.state ?? 'pending'),
          batch.map((r) => r.lastReply ?? null),
        ],
      );
      added += r.rowCount ?? 0;
    };
    let batch: NewDelivery[] = [];
    for (const r of recipients) {
      batch.push(r);
      if (batch.length === 1000) {
        await flush(batch);
        batch = [];
      }
    }
    if (batch.length) await flush(batch);
    return added;
  }

  async alreadyDelivered(
    releaseId: string,
    emailKey: string,
    edition: string,
    exceptCampaign: number,
  ): Promise<Delivery | undefined> {
    const row = (
      await this.q<DeliveryRow>(
        `SELECT * FROM deliveries WHERE release_id = $1 AND email_key = $2 AND edition = $3 AND campaign_id <> $4 AND state = ANY($5::text[]) LIMIT 1`,
        [releaseId, emailKey, edition, exceptCampaign, ACTIVE],
      )
    ).rows[0];
    return row ? toDelivery(row) : undefined;
  }

  async releaseDeliveredElsewhere(releaseId: string, exceptCampaign: number): Promise<boolean> {
    return (
      (
        await this.q(
          `SELECT 1 FROM campaigns c JOIN deliveries d ON d.campaign_id = c.id WHERE c.release_id = $1 AND c.id <> $2 AND d.state = ANY($3::text[]) LIMIT 1`,
          [releaseId, exceptCampaign, ACTIVE],
        )
      ).rowCount! > 0
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
    return this.tx(async (s) => {
      // Rows another dispatcher is claiming right now are skipped, not waited for: it gets them, this one the next.
      const rows = (
        await s.q<DeliveryRow>(
          `SELECT * FROM deliveries WHERE campaign_id = $1 AND state = 'pending' ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED`,
          [campaignId, limit],
        )
      ).rows;
      if (rows.length < limit)
        rows.push(
          ...(
            await s.q<DeliveryRow>(
              `SELECT * FROM deliveries WHERE campaign_id = $1 AND state = 'retry' AND next_attempt_at <= $2 ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED`,
              [campaignId, now, limit - rows.length],
            )
          ).rows,
        );
      if (!rows.length) return [];
      const ids = rows.map((r) => r.id);
      // The Message-ID is on record before the message leaves: an `uncertain` row can be traced in the server's logs.
      const messageIds = rows.map((r) =>
        messageIdFor ? messageIdFor({ id: r.id, email: r.email }) : r.message_id,
      );
      await s.q(
        `UPDATE deliveries d SET state = 'claimed', attempts = d.attempts + 1, lease_owner = $1, lease_until = $2, updated_at = $3, message_id = t.mid
         FROM unnest($4::int[], $5::text[]) AS t(id, mid) WHERE d.id = t.id`,
        [owner, now + leaseMs, now, ids, messageIds],
      );
      return rows.map((row, i) =>
        toDelivery({
          ...row,
          state: 'claimed',
          attempts: row.attempts + 1,
          lease_owner: owner,
          lease_until: now + leaseMs,
          updated_at: now,
          message_id: messageIds[i] ?? null,
        }),
      );
    });
  }

  async handOver(id: number, owner: string, now: number): Promise<boolean> {
    return (
      (
        await this.q(
          `UPDATE deliveries SET state = 'sending', updated_at = $1 WHERE id = $2 AND state = 'claimed' AND lease_owner = $3`,
          [now, id, owner],
        )
      ).rowCount === 1
    );
  }

  /** See SqliteQueue.backToPending. */
  private async backToPending(
    ids: readonly number[],
    from: readonly DeliveryState[],
    owner: string | null,
    attempts: 'undo' | 'reset',
    now: number,
    reply?: string,
  ): Promise<number> {
    return (
      await this.q(
        `UPDATE deliveries SET state = 'pending',
           attempts = CASE WHEN $1 = 'reset' THEN 0 ELSE attempts - 1 END,
           next_attempt_at = CASE WHEN $1 = 'reset' THEN NULL ELSE next_attempt_at END,
           last_reply = COALESCE($2, last_reply), lease_owner = NULL, lease_until = NULL, updated_at = $3
         WHERE id = ANY($4::int[]) AND state = ANY($5::text[]) AND ($6::text IS NULL OR lease_owner = $6)`,
        [attempts, reply ?? null, now, ids, from, owner],
      )
    ).rowCount!;
  }

  async unclaim(ids: readonly number[], owner: string, now: number): Promise<void> {
    // A row handed over meanwhile may have left: it stays as it is.
    await this.backToPending(ids, ['claimed'], owner, 'undo', now);
  }

  async returnUnsent(id: number, owner: string, now: number, reply: string): Promise<void> {
    await this.backToPending([id], ['sending'], owner, 'undo', now, reply);
  }

  async finish(id: number, owner: string, outcome: Outcome, now: number): Promise<boolean> {
    return (
      (
        await this.q(
          `UPDATE deliveries SET state = $1, last_reply = COALESCE($2, last_reply), message_id = COALESCE($3, message_id), next_attempt_at = $4,
             lease_owner = NULL, lease_until = NULL, updated_at = $5, sent_at = CASE WHEN $1 = 'sent' THEN $5 ELSE sent_at END
           WHERE id = $6 AND state IN ('sending', 'claimed') AND lease_owner = $7`,
          [
            outcome.state,
            outcome.reply ?? null,
            outcome.messageId ?? null,
            outcome.nextAttemptAt ?? null,
            now,
            id,
            owner,
          ],
        )
      ).rowCount === 1
    );
  }

  async nextRetryAt(campaignId: number): Promise<number | undefined> {
    const row = (
      await this.q<{ t: number | null }>(
        `SELECT MIN(next_attempt_at) AS t FROM deliveries WHERE campaign_id = $1 AND state = 'retry'`,
        [campaignId],
      )
    ).rows[0];
    return row?.t ?? undefined;
  }

  /**
   * As on SQLite, with one difference: a `claimed` row of an owner that is gone always goes
   * back to `pending`. PostgreSQL acknowledges a commit once it is durable, and a message is
   * only handed to SMTP once its `sending` mark was acknowledged: a row still `claimed` never
   * left, whatever happened to the machine that claimed it. `sending` rows become `uncertain`.
   * The rows are locked (SKIP LOCKED): a dispatcher still working on one is not disturbed.
   */
  async recoverAbandoned(now: number, isDead: (owner: string) => boolean): Promise<number> {
    return this.tx(async (s) => {
      const rows = (
        await s.q<{
          id: number;
          state: DeliveryState;
          lease_owner: string | null;
          lease_until: number | null;
        }>(
          `SELECT id, state, lease_owner, lease_until FROM deliveries WHERE state IN ('claimed', 'sending') FOR UPDATE SKIP LOCKED`,
        )
      ).rows;
      const abandoned = rows.filter(
        (r) => r.lease_owner === null || (r.lease_until ?? 0) <= now || isDead(r.lease_owner),
      );
      const claimed = abandoned.filter((r) => r.state === 'claimed').map((r) => r.id);
      const sending = abandoned.filter((r) => r.state === 'sending').map((r) => r.id);
      if (claimed.length) await s.backToPending(claimed, ['claimed'], null, 'undo', now);
      if (!sending.length) return 0;
      return (
        await s.q(
          `UPDATE deliveries SET state = 'uncertain', last_reply = COALESCE(last_reply || ' / ', '') || 'interrupted while sending: the server may have accepted it', lease_owner = NULL, lease_until = NULL, updated_at = $1 WHERE id = ANY($2::int[]) AND state = 'sending'`,
          [now, sending],
        )
      ).rowCount!;
    });
  }

  async requeue(campaignId: number | undefined, states: DeliveryState[], now: number): Promise<number> {
    const ids = (
      await this.q<{ id: number }>(
        `SELECT id FROM deliveries WHERE state = ANY($1::text[]) AND ($2::int IS NULL OR campaign_id = $2)`,
        [states, campaignId ?? null],
      )
    ).rows.map((r) => r.id);
    return ids.length ? this.backToPending(ids, states, null, 'reset', now) : 0;
  }

  // Suppression

  async suppress(entries: readonly StoredSuppression[]): Promise<number> {
    if (!entries.length) return 0;
    return (
      await this.q(
        `INSERT INTO suppression (email_key, email, reason, added_at, campaign_id, source)
         SELECT lower(e), e, r, d, c, s
         FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[]) AS t(e, r, d, c, s)
         ON CONFLICT (email_key) DO NOTHING`,
        [
          entries.map((e) => e.email.trim()),
          entries.map((e) => e.reason),
          entries.map((e) => e.date),
          entries.map((e) => e.campaignId ?? null),
          entries.map((e) => e.source ?? null),
        ],
      )
    ).rowCount!;
  }

  async suppression(): Promise<StoredSuppression[]> {
    return (
      await this.q<SuppressionRow>(
        'SELECT email, reason, added_at AS date, campaign_id, source FROM suppression ORDER BY seq',
      )
    ).rows.map(toSuppression);
  }

  async isSuppressed(email: string): Promise<boolean> {
    return (
      (await this.q('SELECT 1 FROM suppression WHERE email_key = $1', [email.trim().toLowerCase()]))
        .rowCount! > 0
    );
  }

  // The bounce mailbox (see ../inbox.ts)

  async deliveryByMessageId(messageId: string): Promise<Delivery | undefined> {
    const row = (
      await this.q<DeliveryRow>('SELECT * FROM deliveries WHERE message_id = $1 LIMIT 1', [messageId])
    ).rows[0];
    return row ? toDelivery(row) : undefined;
  }

  async processedMessage(messageKey: string): Promise<string | undefined> {
    return (
      await this.q<{ outcome: string }>('SELECT outcome FROM inbox_messages WHERE message_key = $1', [
        messageKey,
      ])
    ).rows[0]?.outcome;
  }

  async recordInboxMessage(
    messageKey: string,
    outcome: string,
    at: number,
    events: readonly InboxEvent[],
  ): Promise<boolean> {
    return this.tx(async (s) => {
      const added = (
        await s.q(
          'INSERT INTO inbox_messages (message_key, processed_at, outcome) VALUES ($1, $2, $3) ON CONFLICT (message_key) DO NOTHING',
          [messageKey, at, outcome],
        )
      ).rowCount;
      if (!added) return false;
      for (const e of events)
        await s.q(
          `INSERT INTO inbox_events (message_key, at, campaign_id, delivery_id, email_key, email, kind, status, diagnostic, reported_recipient)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
          inboxEventValues(e),
        );
      return true;
    });
  }

  async softBounces(email: string, since: number): Promise<number> {
    return (
      await this.q<{ n: number }>(
        `SELECT COUNT(*) AS n FROM inbox_events WHERE email_key = $1 AND kind = 'soft' AND at >= $2`,
        [email.trim().toLowerCase(), since],
      )
    ).rows[0]!.n;
  }

  async inboxEvents(campaignId: number): Promise<InboxEvent[]> {
    return (
      await this.q<InboxEventRow>('SELECT * FROM inbox_events WHERE campaign_id = $1 ORDER BY id', [
        campaignId,
      ])
    ).rows.map(toInboxEvent);
  }

  // Reports

  async counts(campaignId: number): Promise<Counts> {
    const counts = Object.fromEntries(DELIVERY_STATES.map((s) => [s, 0])) as Counts;
    for (const r of (
      await this.q<{ state: DeliveryState; n: number }>(
        'SELECT state, COUNT(*) AS n FROM deliveries WHERE campaign_id = $1 GROUP BY state',
        [campaignId],
      )
    ).rows)
      counts[r.state] = r.n;
    return counts;
  }

  async countsByEdition(campaignId: number, state: DeliveryState): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const r of (
      await this.q<{ edition: string; n: number }>(
        'SELECT edition, COUNT(*) AS n FROM deliveries WHERE campaign_id = $1 AND state = $2 GROUP BY edition',
        [campaignId, state],
      )
    ).rows)
      out[r.edition] = r.n;
    return out;
  }

  async deliveries(campaignId: number, state?: DeliveryState): Promise<Delivery[]> {
    const rows = (
      state
        ? await this.q<DeliveryRow>(
            'SELECT * FROM deliveries WHERE campaign_id = $1 AND state = $2 ORDER BY id',
            [campaignId, state],
          )
        : await this.q<DeliveryRow>('SELECT * FROM deliveries WHERE campaign_id = $1 ORDER BY id', [
            campaignId,
          ])
    ).rows;
    return rows.map(toDelivery);
  }

  async deliveryById(id: number): Promise<Delivery | undefined> {
    // An id past INTEGER's range is no row; asking would be an error, not an answer.
    if (!Number.isSafeInteger(id) || id < 1 || id > 2_147_483_647) return undefined;
    const row = (await this.q<DeliveryRow>('SELECT * FROM deliveries WHERE id = $1', [id])).rows[0];
    return row ? toDelivery(row) : undefined;
  }

  async hasStarted(campaignId: number): Promise<boolean> {
    return (
      (
        await this.q(`SELECT 1 FROM deliveries WHERE campaign_id = $1 AND state = ANY($2::text[]) LIMIT 1`, [
          campaignId,
          STARTED,
        ])
      ).rowCount! > 0
    );
  }
}

const METHODS = Object.getOwnPropertyNames(PgStore.prototype).filter(
  (n) => n !== 'constructor' && !['tx', 'oneCampaign', 'insertEditions', 'backToPending'].includes(n),
);

/** The store as an `Outbox`: every failure an AIMQ-OUTBOX error naming the outbox without its password. */
function asOutbox(store: PgStore): Outbox {
  const outbox: Record<string, unknown> = {};
  for (const name of METHODS) {
    const method = (store as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[name]!;
    outbox[name] = (...args: unknown[]) =>
      method.apply(store, args).catch((err: unknown) => {
        throw pgError(err, store.shown);
      });
  }
  return outbox as unknown as Outbox;
}

export interface PgOpenOptions {
  /** Connections at most in the pool: a dispatcher's SMTP connections, and a few more. */
  maxConnections?: number;
}

/**
 * Connects to the PostgreSQL outbox at `url` and brings its schema up to date. The password
 * (in the URL, or PGPASSWORD, which `pg` reads) is never printed: messages name the outbox
 * by its redacted URL. TLS follows `sslmode` in the URL.
 */
export async function openPostgres(url: string, options: PgOpenOptions = {}): Promise<Outbox> {
  const shown = redactUrl(url);
  const pool = new pg.Pool({
    connectionString: url,
    types: pgTypes,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: 10_000,
    application_name: 'aimq',
  });
  // An idle connection that breaks (the server restarted) must not crash the process: the next query says so.
  pool.on('error', () => {});
  try {
    const client = await pool.connect();
    try {
      await migratePostgres(client, shown);
    } finally {
      client.release();
    }
  } catch (err) {
    await pool.end().catch(() => {});
    throw pgError(err, shown);
  }
  return asOutbox(new PgStore(pool, shown));
}

export { MIGRATION_LOCK };
