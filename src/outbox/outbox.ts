import { closeSync, fdatasync, fstatSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { AimqError } from '../errors/index.js';

/**
 * The outbox: a durable record of every message aimq means to send, in one SQLite file.
 *
 * A delivery row moves `pending → claimed → sending → sent | retry | failed | uncertain |
 * suppressed | cancelled`. A sender claims a few rows ahead in one commit that is on disk
 * (fsync'd) before any of their messages can leave; right before a message is handed to
 * SMTP its row becomes `sending` (a cheap commit that survives the process, not a power
 * cut); after the server's 250 reply, `sent`. So a crash leaves rows `claimed` or
 * `sending`, which the next run reads right: `sending` becomes `uncertain` (never resent
 * unless someone asks); `claimed` goes back to `pending` when the process died while the
 * machine kept running (its `sending` marks are then all on record), and becomes
 * `uncertain` otherwise (after a power cut a lost `sending` mark cannot be told from a
 * message that never left). That is the difference between "at most once, and we know
 * which ones we are unsure of" and the duplicates or silent gaps other tools leave after
 * a restart.
 */

export type DeliveryState =
  | 'pending'
  | 'claimed'
  | 'sending'
  | 'sent'
  | 'retry'
  | 'failed'
  | 'uncertain'
  | 'suppressed'
  | 'cancelled';
export const DELIVERY_STATES: readonly DeliveryState[] = [
  'pending',
  'claimed',
  'sending',
  'sent',
  'retry',
  'failed',
  'uncertain',
  'suppressed',
  'cancelled',
];

/**
 * `ready` (planned by a send), `scheduled` (waits for its time), `sending`, `done`,
 * `cancelled`, or `missed`: its time passed longer ago than dispatch.maxDelay while nothing ran.
 */
export type CampaignStatus = 'ready' | 'scheduled' | 'sending' | 'done' | 'cancelled' | 'missed';

export interface StoredEdition {
  edition: string;
  subject: string;
  html: string;
  text: string;
  /** BCP 47 tags, primary first. */
  languages: string[];
  /** Images attached as cid: parts, base64. */
  attachments: { cid: string; filename: string; content: string }[];
}

export interface Campaign {
  id: number;
  releaseId: string;
  releaseDir: string;
  contentVersion: string;
  createdAt: number;
  scheduledAt: number | null;
  status: CampaignStatus;
  /** Where the campaign comes from: `cli`, or `dispatch:<release>#<n>` for front-matter schedules. */
  source: string;
  /** What the campaign was asked to send to, for display and re-planning (list paths, addresses). */
  targets: string[];
  editionMode: string;
}

export interface Delivery {
  id: number;
  campaignId: number;
  email: string;
  emailKey: string;
  name: string;
  edition: string;
  state: DeliveryState;
  attempts: number;
  nextAttemptAt: number | null;
  lastReply: string | null;
  messageId: string | null;
  leaseOwner: string | null;
  leaseUntil: number | null;
  updatedAt: number;
  sentAt: number | null;
}

export interface NewDelivery {
  email: string;
  name: string;
  edition: string;
  /** Initial state: `pending`, or `suppressed` / `cancelled` decided when the campaign is planned. */
  state?: DeliveryState;
  lastReply?: string;
}

const SCHEMA_VERSION = 4;

const MIGRATIONS: Record<number, string> = {
  1: `
    CREATE TABLE campaigns (
      id INTEGER PRIMARY KEY,
      release_id TEXT NOT NULL,
      release_dir TEXT NOT NULL,
      content_version TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      scheduled_at INTEGER,
      status TEXT NOT NULL,
      source TEXT NOT NULL,
      targets TEXT NOT NULL,
      edition_mode TEXT NOT NULL
    );
    CREATE TABLE editions (
      campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
      edition TEXT NOT NULL,
      subject TEXT NOT NULL,
      html TEXT NOT NULL,
      text TEXT NOT NULL,
      languages TEXT NOT NULL,
      attachments TEXT NOT NULL,
      PRIMARY KEY (campaign_id, edition)
    );
    CREATE TABLE deliveries (
      id INTEGER PRIMARY KEY,
      campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
      release_id TEXT NOT NULL,
      email TEXT NOT NULL,
      email_key TEXT NOT NULL,
      name TEXT NOT NULL,
      edition TEXT NOT NULL,
      state TEXT NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0,
      next_attempt_at INTEGER,
      last_reply TEXT,
      message_id TEXT,
      lease_owner TEXT,
      lease_until INTEGER,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL,
      sent_at INTEGER,
      UNIQUE (campaign_id, email_key)
    );
    CREATE INDEX deliveries_work ON deliveries (campaign_id, state, next_attempt_at);
    CREATE INDEX deliveries_release ON deliveries (release_id, email_key, edition, state);
    CREATE INDEX deliveries_lease ON deliveries (state, lease_until);
  `,
  // One live campaign per front-matter schedule entry, even when two dispatchers sync at once.
  2: `
    CREATE UNIQUE INDEX campaigns_dispatch_source ON campaigns (source) WHERE source LIKE 'dispatch:%' AND status != 'cancelled';
    CREATE INDEX campaigns_due ON campaigns (status, scheduled_at);
  `,
  // The next pending row of a campaign in one index step, however long the list.
  3: `
    CREATE INDEX deliveries_queue ON deliveries (campaign_id, state, id);
  `,
  // A message changes its row's state three times; each index holding the state meant two
  // more pages written to the log per change, and four did (about 40 KB of log per
  // message, fsync'd). Now one full index has it (the queue, which also serves counts);
  // retries and leases are partial indexes holding only the few rows they are about.
  4: `
    DROP INDEX deliveries_work;
    CREATE INDEX deliveries_retry ON deliveries (campaign_id, next_attempt_at) WHERE state = 'retry';
    DROP INDEX deliveries_lease;
    CREATE INDEX deliveries_leased ON deliveries (state) WHERE state IN ('claimed', 'sending');
    DROP INDEX deliveries_release;
    CREATE INDEX deliveries_release ON deliveries (release_id, email_key, edition);
  `,
};

interface CampaignRow {
  id: number;
  release_id: string;
  release_dir: string;
  content_version: string;
  created_at: number;
  scheduled_at: number | null;
  status: CampaignStatus;
  source: string;
  targets: string;
  edition_mode: string;
}

interface DeliveryRow {
  id: number;
  campaign_id: number;
  email: string;
  email_key: string;
  name: string;
  edition: string;
  state: DeliveryState;
  attempts: number;
  next_attempt_at: number | null;
  last_reply: string | null;
  message_id: string | null;
  lease_owner: string | null;
  lease_until: number | null;
  updated_at: number;
  sent_at: number | null;
}

const toCampaign = (r: CampaignRow): Campaign => ({
  id: r.id,
  releaseId: r.release_id,
  releaseDir: r.release_dir,
  contentVersion: r.content_version,
  createdAt: r.created_at,
  scheduledAt: r.scheduled_at,
  status: r.status,
  source: r.source,
  targets: JSON.parse(r.targets) as string[],
  editionMode: r.edition_mode,
});

const toDelivery = (r: DeliveryRow): Delivery => ({
  id: r.id,
  campaignId: r.campaign_id,
  email: r.email,
  emailKey: r.email_key,
  name: r.name,
  edition: r.edition,
  state: r.state,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  lastReply: r.last_reply,
  messageId: r.message_id,
  leaseOwner: r.lease_owner,
  leaseUntil: r.lease_until,
  updatedAt: r.updated_at,
  sentAt: r.sent_at,
});

export type Counts = Record<DeliveryState, number>;

export class Outbox {
  readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  /** The write-ahead log, when the outbox is in WAL mode (it is unless the file system refuses). */
  private readonly walPath: string | undefined;
  private walFd: number | undefined;

  private constructor(db: Database.Database, walPath: string | undefined) {
    this.db = db;
    this.walPath = walPath;
  }

  /** A prepared statement, prepared once per connection. */
  private sql(text: string): Database.Statement {
    let stmt = this.statements.get(text);
    if (!stmt) {
      stmt = this.db.prepare(text);
      this.statements.set(text, stmt);
    }
    return stmt;
  }

  /**
   * Runs `fn` as an immediate transaction whose commit is on disk before it returns
   * (synchronous FULL). Other commits only need to survive a crash of the process, which
   * WAL with synchronous NORMAL guarantees, and skip the fsync: a lost `sent` or `sending`
   * after a power cut leaves a row `sending` or `claimed`, which becomes `uncertain`, never
   * sent twice. The fsync is what a send waits for most (0.15 to 0.5 ms on an ordinary
   * disk, during which the event loop is blocked), hence one per batch of claims.
   */
  private durable<T>(fn: () => T): T {
    this.db.pragma('synchronous = FULL');
    try {
      return this.db.transaction(fn).immediate();
    } finally {
      this.db.pragma('synchronous = NORMAL');
    }
  }

  /** Opens (and creates or migrates) the outbox at `path`. `shown` names it in messages. */
  static open(path: string, shown = path): Outbox {
    let db: Database.Database;
    let wal = false;
    try {
      mkdirSync(dirname(path), { recursive: true });
      db = new Database(path);
      wal = db.pragma('journal_mode = WAL', { simple: true }) === 'wal';
      // NORMAL by default; the commit that must reach the disk (a row becoming `sending`) is made durable on its own.
      db.pragma('synchronous = NORMAL');
      db.pragma('busy_timeout = 10000');
      // A checkpoint runs inside a commit, on the event loop, with two fsyncs: every 16 MB of
      // log (about 600 messages) rather than every 4 MB, and a page written many times in
      // between is copied once.
      db.pragma('wal_autocheckpoint = 4000');
      db.pragma('foreign_keys = ON');
    } catch (err) {
      throw new AimqError('AIMQ-OUTBOX', `cannot open the outbox ${shown}: ${(err as Error).message}`, {
        file: shown,
        hint: 'check that the folder is writable and the file is an aimq outbox',
        cause: err,
      });
    }
    const outbox = new Outbox(db, wal ? `${path}-wal` : undefined);
    outbox.migrate(shown);
    return outbox;
  }

  private migrate(shown: string): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new AimqError(
        'AIMQ-OUTBOX',
        `the outbox ${shown} was written by a newer aimq (schema ${version})`,
        { file: shown, hint: 'upgrade aimq' },
      );
    }
    const upgrade = this.db.transaction(() => {
      for (let v = version + 1; v <= SCHEMA_VERSION; v++) {
        this.db.exec(MIGRATIONS[v]!);
        this.db.pragma(`user_version = ${v}`);
      }
    });
    upgrade.immediate();
  }

  close(): void {
    if (this.walFd !== undefined) closeSync(this.walFd);
    this.walFd = undefined;
    this.db.close();
  }

  /**
   * Brings every commit made so far to the disk without blocking the event loop: fsync of
   * the write-ahead log, in libuv's thread pool. fsync applies to the file, whatever the
   * descriptor, and a WAL commit is entirely in that file (written before the commit
   * returned), header included: once this resolves, those commits survive a power cut, as
   * with synchronous FULL. A checkpoint meanwhile is no matter: SQLite fsyncs the log before
   * copying it and the database after, before the log is reused.
   */
  private async syncWal(walPath: string): Promise<void> {
    // The log keeps its inode while a connection is open; checked anyway, it costs a stat.
    if (
      this.walFd !== undefined &&
      fstatSync(this.walFd).ino !== statSync(walPath, { throwIfNoEntry: false })?.ino
    ) {
      closeSync(this.walFd);
      this.walFd = undefined;
    }
    this.walFd ??= openSync(walPath, 'r');
    const fd = this.walFd;
    await new Promise<void>((resolve, reject) => fdatasync(fd, (err) => (err ? reject(err) : resolve())));
  }

  /** The campaign for this release content from this source, if one exists. */
  findCampaign(releaseId: string, contentVersion: string, source: string): Campaign | undefined {
    const row = this.db
      .prepare(
        'SELECT * FROM campaigns WHERE release_id = ? AND content_version = ? AND source = ? AND status != ? ORDER BY id DESC LIMIT 1',
      )
      .get(releaseId, contentVersion, source, 'cancelled') as CampaignRow | undefined;
    return row ? toCampaign(row) : undefined;
  }

  /** The campaign of a front-matter schedule entry (a missed one included: it is not planned again). */
  findBySource(source: string): Campaign | undefined {
    const row = this.db
      .prepare(`SELECT * FROM campaigns WHERE source = ? AND status != 'cancelled' ORDER BY id DESC LIMIT 1`)
      .get(source) as CampaignRow | undefined;
    return row ? toCampaign(row) : undefined;
  }

  /** Scheduled campaigns whose time has come, and scheduled ones already sending (to resume). */
  dueCampaigns(now: number): Campaign[] {
    return (
      this.db
        .prepare(
          `SELECT * FROM campaigns WHERE scheduled_at IS NOT NULL AND scheduled_at <= ? AND status IN ('scheduled', 'sending') ORDER BY scheduled_at, id`,
        )
        .all(now) as CampaignRow[]
    ).map(toCampaign);
  }

  /** Whether any message of the campaign has left, or may have. */
  hasStarted(campaignId: number): boolean {
    return (
      this.db
        .prepare(
          `SELECT 1 FROM deliveries WHERE campaign_id = ? AND state IN ('claimed', 'sending', 'sent', 'uncertain', 'failed', 'retry') LIMIT 1`,
        )
        .get(campaignId) !== undefined
    );
  }

  /** A new version of the release before its campaign starts: what will be sent is the new one. */
  replaceEditions(campaignId: number, contentVersion: string, editions: StoredEdition[]): void {
    const tx = this.db.transaction(() => {
      this.db.prepare('DELETE FROM editions WHERE campaign_id = ?').run(campaignId);
      const stmt = this.db.prepare(
        'INSERT INTO editions (campaign_id, edition, subject, html, text, languages, attachments) VALUES (?, ?, ?, ?, ?, ?, ?)',
      );
      for (const e of editions)
        stmt.run(
          campaignId,
          e.edition,
          e.subject,
          e.html,
          e.text,
          JSON.stringify(e.languages),
          JSON.stringify(e.attachments),
        );
      this.db
        .prepare('UPDATE campaigns SET content_version = ? WHERE id = ?')
        .run(contentVersion, campaignId);
    });
    tx.immediate();
  }

  /** Runs `fn` in one immediate transaction: other processes wait, so a check-then-create cannot race. */
  exclusive<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  campaign(id: number): Campaign | undefined {
    const row = this.db.prepare('SELECT * FROM campaigns WHERE id = ?').get(id) as CampaignRow | undefined;
    return row ? toCampaign(row) : undefined;
  }

  campaignsFrom(sourcePrefix: string): Campaign[] {
    return (
      this.db
        .prepare('SELECT * FROM campaigns WHERE source LIKE ? ORDER BY id')
        .all(`${sourcePrefix}%`) as CampaignRow[]
    ).map(toCampaign);
  }

  campaigns(): Campaign[] {
    return (this.db.prepare('SELECT * FROM campaigns ORDER BY id').all() as CampaignRow[]).map(toCampaign);
  }

  createCampaign(c: Omit<Campaign, 'id'>, editions: StoredEdition[]): Campaign {
    const insert = this.db.transaction(() => {
      const info = this.db
        .prepare(
          'INSERT INTO campaigns (release_id, release_dir, content_version, created_at, scheduled_at, status, source, targets, edition_mode) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .run(
          c.releaseId,
          c.releaseDir,
          c.contentVersion,
          c.createdAt,
          c.scheduledAt,
          c.status,
          c.source,
          JSON.stringify(c.targets),
          c.editionMode,
        );
      const id = Number(info.lastInsertRowid);
      const stmt = this.db.prepare(
        'INSERT INTO editions (campaign_id, edition, subject, html, text, languages, attachments) VALUES (?, ?, ?, ?, ?, ?, ?)',
      );
      for (const e of editions)
        stmt.run(
          id,
          e.edition,
          e.subject,
          e.html,
          e.text,
          JSON.stringify(e.languages),
          JSON.stringify(e.attachments),
        );
      return id;
    });
    return this.campaign(insert.immediate())!;
  }

  editions(campaignId: number): Map<string, StoredEdition> {
    const rows = this.db.prepare('SELECT * FROM editions WHERE campaign_id = ?').all(campaignId) as {
      edition: string;
      subject: string;
      html: string;
      text: string;
      languages: string;
      attachments: string;
    }[];
    return new Map(
      rows.map((r) => [
        r.edition,
        {
          edition: r.edition,
          subject: r.subject,
          html: r.html,
          text: r.text,
          languages: JSON.parse(r.languages) as string[],
          attachments: JSON.parse(r.attachments) as StoredEdition['attachments'],
        },
      ]),
    );
  }

  setCampaignStatus(id: number, status: CampaignStatus): void {
    this.db.prepare('UPDATE campaigns SET status = ? WHERE id = ?').run(status, id);
  }

  setSchedule(id: number, scheduledAt: number | null): void {
    this.db.prepare('UPDATE campaigns SET scheduled_at = ? WHERE id = ?').run(scheduledAt, id);
  }

  /**
   * Adds recipients in batches of one transaction each (a list of 100,000 is never held in
   * memory). A recipient already in the campaign is left as it is: adding the same list
   * again is how a send resumes. Returns how many rows were new.
   */
  addDeliveries(campaign: Campaign, recipients: Iterable<NewDelivery>, now: number): number {
    const stmt = this.db.prepare(
      `INSERT INTO deliveries (campaign_id, release_id, email, email_key, name, edition, state, last_reply, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (campaign_id, email_key) DO NOTHING`,
    );
    let added = 0;
    const flush = this.db.transaction((batch: NewDelivery[]) => {
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
        flush.immediate(batch);
        batch = [];
      }
    }
    if (batch.length) flush.immediate(batch);
    return added;
  }

  /** Whether this address already received (or may have received) this edition of the release in any campaign. */
  alreadyDelivered(
    releaseId: string,
    emailKey: string,
    edition: string,
    exceptCampaign: number,
  ): Delivery | undefined {
    const row = this.db
      .prepare(
        `SELECT * FROM deliveries WHERE release_id = ? AND email_key = ? AND edition = ? AND campaign_id != ? AND state IN ('sent', 'sending', 'claimed', 'uncertain') LIMIT 1`,
      )
      .get(releaseId, emailKey, edition, exceptCampaign) as DeliveryRow | undefined;
    return row ? toDelivery(row) : undefined;
  }

  /** Whether another campaign of the release has a row that was (or may have been) sent: if not, nobody needs checking one by one. */
  releaseDeliveredElsewhere(releaseId: string, exceptCampaign: number): boolean {
    return (
      this.db
        .prepare(
          `SELECT 1 FROM campaigns c JOIN deliveries d ON d.campaign_id = c.id WHERE c.release_id = ? AND c.id != ? AND d.state IN ('sent', 'sending', 'claimed', 'uncertain') LIMIT 1`,
        )
        .get(releaseId, exceptCampaign) !== undefined
    );
  }

  /**
   * Claims the next due row of a campaign for `owner` in one immediate transaction, and
   * commits it as `sending` with a lease: two processes never get the same row.
   */
  claim(
    campaignId: number,
    owner: string,
    now: number,
    leaseMs: number,
    messageIdFor?: (d: Pick<Delivery, 'id' | 'email'>) => string,
  ): Delivery | undefined {
    return this.durable(() => {
      const row = (this.sql(
        `SELECT * FROM deliveries WHERE campaign_id = ? AND state = 'pending' ORDER BY id LIMIT 1`,
      ).get(campaignId) ??
        this.sql(
          `SELECT * FROM deliveries WHERE campaign_id = ? AND state = 'retry' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT 1`,
        ).get(campaignId, now)) as DeliveryRow | undefined;
      if (!row) return undefined;
      // The Message-ID is on record before the message leaves: an `uncertain` row can be traced in the server's logs.
      const messageId = messageIdFor ? messageIdFor({ id: row.id, email: row.email }) : row.message_id;
      this.sql(
        `UPDATE deliveries SET state = 'sending', attempts = attempts + 1, lease_owner = ?, lease_until = ?, updated_at = ?, message_id = ? WHERE id = ?`,
      ).run(owner, now + leaseMs, now, messageId, row.id);
      return toDelivery({
        ...row,
        state: 'sending',
        attempts: row.attempts + 1,
        lease_owner: owner,
        lease_until: now + leaseMs,
        updated_at: now,
        message_id: messageId,
      });
    });
  }

  /**
   * Claims up to `limit` due rows of a campaign for `owner` (pending ones first, then due
   * retries) in one transaction, as `claimed` with a lease, and resolves once that commit is
   * on disk: one fsync for a batch, waited for outside the event loop, and two processes
   * never get the same row. Each must go through `handOver` before its message leaves, or
   * back through `release`.
   */
  async claimAhead(
    campaignId: number,
    owner: string,
    now: number,
    leaseMs: number,
    limit: number,
    messageIdFor?: (d: Pick<Delivery, 'id' | 'email'>) => string,
  ): Promise<Delivery[]> {
    const claim = () => {
      const rows = this.sql(
        `SELECT * FROM deliveries WHERE campaign_id = ? AND state = 'pending' ORDER BY id LIMIT ?`,
      ).all(campaignId, limit) as DeliveryRow[];
      if (rows.length < limit)
        rows.push(
          ...(this.sql(
            `SELECT * FROM deliveries WHERE campaign_id = ? AND state = 'retry' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?`,
          ).all(campaignId, now, limit - rows.length) as DeliveryRow[]),
        );
      const update = this.sql(
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
    const walPath = this.walPath;
    if (!walPath) return this.durable(claim);
    // Committed at once, made durable in the background: the rows are only returned, and so
    // can only leave, once the commit is on disk.
    const rows = this.exclusive(claim);
    if (rows.length) await this.syncWal(walPath);
    return rows;
  }

  /**
   * Marks a row `claimed` by `owner` as `sending`, right before its message is handed over.
   * False when the row is no longer this owner's to send (cancelled, or taken back by a
   * recovery): the message must not leave. Not fsync'd: see the class comment.
   */
  handOver(id: number, owner: string, now: number): boolean {
    return (
      this.sql(
        `UPDATE deliveries SET state = 'sending', updated_at = ? WHERE id = ? AND state = 'claimed' AND lease_owner = ?`,
      ).run(now, id, owner).changes === 1
    );
  }

  /** Puts rows claimed ahead and never handed over back in the queue, the attempt not counted. */
  release(ids: readonly number[], owner: string, now: number): void {
    const stmt = this.sql(
      `UPDATE deliveries SET state = 'pending', attempts = attempts - 1, lease_owner = NULL, lease_until = NULL, updated_at = ? WHERE id = ? AND state = 'claimed' AND lease_owner = ?`,
    );
    this.db
      .transaction(() => {
        for (const id of ids) stmt.run(now, id, owner);
      })
      .immediate();
  }

  /** The earliest time a `retry` row of the campaign falls due, if any. */
  nextRetryAt(campaignId: number): number | undefined {
    const row = this.sql(
      `SELECT MIN(next_attempt_at) AS t FROM deliveries WHERE campaign_id = ? AND state = 'retry'`,
    ).get(campaignId) as { t: number | null };
    return row.t ?? undefined;
  }

  /** Records the outcome of an attempt, only if `owner` still holds the row. */
  finish(
    id: number,
    owner: string,
    outcome: {
      state: Exclude<DeliveryState, 'pending' | 'claimed' | 'sending'>;
      reply?: string;
      messageId?: string;
      nextAttemptAt?: number;
    },
    now: number,
  ): boolean {
    const info = this.sql(
      `UPDATE deliveries SET state = ?, last_reply = COALESCE(?, last_reply), message_id = COALESCE(?, message_id), next_attempt_at = ?,
           lease_owner = NULL, lease_until = NULL, updated_at = ?, sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END
         WHERE id = ? AND state IN ('sending', 'claimed') AND lease_owner = ?`,
    ).run(
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

  /** Puts a claimed row back in the queue, unsent, without counting the attempt against it. */
  giveBack(id: number, owner: string, reply: string, now: number): void {
    this.db
      .prepare(
        `UPDATE deliveries SET state = 'pending', attempts = attempts - 1, last_reply = ?, lease_owner = NULL, lease_until = NULL, updated_at = ? WHERE id = ? AND state = 'sending' AND lease_owner = ?`,
      )
      .run(reply, now, id, owner);
  }

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
    diedOnThisBoot: (owner: string) => boolean = () => false,
  ): number {
    // The condition of the partial index deliveries_leased, word for word, so that SQLite uses it.
    const rows = this.db
      .prepare(
        `SELECT id, state, lease_owner, lease_until FROM deliveries WHERE state IN ('claimed', 'sending')`,
      )
      .all() as {
      id: number;
      state: DeliveryState;
      lease_owner: string | null;
      lease_until: number | null;
    }[];
    const abandoned = rows.filter(
      (r) => r.lease_owner === null || (r.lease_until ?? 0) <= now || isDead(r.lease_owner),
    );
    const uncertain = this.db.prepare(
      `UPDATE deliveries SET state = 'uncertain', last_reply = COALESCE(last_reply, '') || CASE WHEN last_reply IS NULL THEN '' ELSE ' / ' END || 'interrupted while sending: the server may have accepted it', lease_owner = NULL, lease_until = NULL, updated_at = ? WHERE id = ? AND state = ?`,
    );
    const back = this.db.prepare(
      `UPDATE deliveries SET state = 'pending', attempts = attempts - 1, lease_owner = NULL, lease_until = NULL, updated_at = ? WHERE id = ? AND state = 'claimed'`,
    );
    const tx = this.db.transaction(() =>
      abandoned.reduce((n, r) => {
        if (r.state === 'claimed' && r.lease_owner !== null && diedOnThisBoot(r.lease_owner)) {
          back.run(now, r.id);
          return n;
        }
        return n + uncertain.run(now, r.id, r.state).changes;
      }, 0),
    );
    return tx.immediate();
  }

  counts(campaignId: number): Counts {
    const counts = Object.fromEntries(DELIVERY_STATES.map((s) => [s, 0])) as Counts;
    for (const r of this.db
      .prepare('SELECT state, COUNT(*) AS n FROM deliveries WHERE campaign_id = ? GROUP BY state')
      .all(campaignId) as { state: DeliveryState; n: number }[])
      counts[r.state] = r.n;
    return counts;
  }

  countsByEdition(campaignId: number, state: DeliveryState): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of this.db
      .prepare(
        'SELECT edition, COUNT(*) AS n FROM deliveries WHERE campaign_id = ? AND state = ? GROUP BY edition',
      )
      .all(campaignId, state) as { edition: string; n: number }[])
      out[r.edition] = r.n;
    return out;
  }

  deliveries(campaignId: number, state?: DeliveryState): Delivery[] {
    const rows = (
      state
        ? this.db
            .prepare('SELECT * FROM deliveries WHERE campaign_id = ? AND state = ? ORDER BY id')
            .all(campaignId, state)
        : this.db.prepare('SELECT * FROM deliveries WHERE campaign_id = ? ORDER BY id').all(campaignId)
    ) as DeliveryRow[];
    return rows.map(toDelivery);
  }

  /** Puts rows back in the queue: `failed` and `retry` ones, and `uncertain` ones only when asked. */
  requeue(campaignId: number | undefined, states: DeliveryState[], now: number): number {
    const placeholders = states.map(() => '?').join(', ');
    // Attempts start again from zero: the person asking has fixed, or accepted, the cause.
    const sql = `UPDATE deliveries SET state = 'pending', attempts = 0, next_attempt_at = NULL, updated_at = ? WHERE state IN (${placeholders})${campaignId === undefined ? '' : ' AND campaign_id = ?'}`;
    const args: (string | number)[] = [now, ...states, ...(campaignId === undefined ? [] : [campaignId])];
    return this.db.prepare(sql).run(...args).changes;
  }

  /** Forgets a campaign that never started (a send that was not confirmed). */
  discard(campaignId: number): void {
    this.exclusive(() => {
      if (this.hasStarted(campaignId)) return;
      this.db.prepare('DELETE FROM deliveries WHERE campaign_id = ?').run(campaignId);
      this.db.prepare('DELETE FROM editions WHERE campaign_id = ?').run(campaignId);
      this.db.prepare('DELETE FROM campaigns WHERE id = ?').run(campaignId);
    });
  }

  /** Cancels what has not left yet; what was sent stays on record. */
  cancel(campaignId: number, now: number): number {
    const tx = this.db.transaction(() => {
      // A row claimed ahead by a running send is cancelled too: its hand-over then fails, and it never leaves.
      const n = this.db
        .prepare(
          `UPDATE deliveries SET state = 'cancelled', lease_owner = NULL, lease_until = NULL, updated_at = ? WHERE campaign_id = ? AND state IN ('pending', 'retry', 'claimed')`,
        )
        .run(now, campaignId).changes;
      this.db.prepare(`UPDATE campaigns SET status = 'cancelled' WHERE id = ?`).run(campaignId);
      return n;
    });
    return tx.immediate();
  }
}
