import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { AimqError } from '../errors/index.js';
import { inLang, type Message } from '../i18n/text.js';
import { Connection, outboxError, outboxFile } from './connection.js';

export const SCHEMA_VERSION = 8;

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
  // A campaign under way finishes from the outbox alone: its Reply-To is kept with its
  // editions. Lines of a list skipped on purpose are kept with the campaign they were left out of.
  5: `
    ALTER TABLE campaigns ADD COLUMN reply_to TEXT;
    CREATE TABLE skipped_lines (
      campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
      file TEXT NOT NULL,
      line INTEGER NOT NULL,
      code TEXT NOT NULL,
      message TEXT NOT NULL
    );
    CREATE INDEX skipped_lines_campaign ON skipped_lines (campaign_id);
  `,
  // The suppression list in the outbox too (see suppression.ts).
  6: `
    CREATE TABLE suppression (
      email_key TEXT PRIMARY KEY,
      email TEXT NOT NULL,
      reason TEXT NOT NULL,
      added_at TEXT NOT NULL
    );
  `,
  // Where a suppression came from (a one-click POST, a bounce…) and, for those a message's
  // token named, its campaign: the record CASL asks to be able to show.
  7: `
    ALTER TABLE suppression ADD COLUMN campaign_id INTEGER;
    ALTER TABLE suppression ADD COLUMN source TEXT;
  `,
  // What the bounce mailbox said (see inbox.ts): every message read once, keyed by its
  // Message-ID, so that a second sync or import applies nothing twice; one event per
  // bounce, complaint or unsubscribe reply, found by the Message-ID aimq gave the row.
  8: `
    CREATE INDEX IF NOT EXISTS deliveries_message_id ON deliveries (message_id) WHERE message_id IS NOT NULL;
    CREATE TABLE IF NOT EXISTS inbox_messages (
      message_key TEXT PRIMARY KEY,
      processed_at INTEGER NOT NULL,
      outcome TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS inbox_events (
      id INTEGER PRIMARY KEY,
      message_key TEXT NOT NULL,
      at INTEGER NOT NULL,
      campaign_id INTEGER NOT NULL,
      delivery_id INTEGER NOT NULL,
      email_key TEXT NOT NULL,
      email TEXT NOT NULL,
      kind TEXT NOT NULL,
      status TEXT,
      diagnostic TEXT,
      reported_recipient TEXT
    );
    CREATE INDEX IF NOT EXISTS inbox_events_campaign ON inbox_events (campaign_id, delivery_id);
    CREATE INDEX IF NOT EXISTS inbox_events_soft ON inbox_events (email_key, at) WHERE kind = 'soft';
  `,
};

export interface OpenOptions {
  /** How long a statement waits for another process's write lock before giving up. */
  busyTimeoutMs?: number;
}

/**
 * Opens the outbox at `path`, creating or migrating it. A new outbox is built whole under
 * another name and linked into place, which fails rather than overwrite: two processes
 * creating it at once both end up with the one that was linked first, and a file at
 * `path` is never half made by aimq. So an empty file there is damage (a disk that filled
 * up, a copy that failed), and is refused: taken for a new outbox, it would send everyone
 * the releases they already received.
 */
export function openConnection(path: string, shown: Message, options: OpenOptions = {}): Connection {
  const busy = options.busyTimeoutMs ?? 10_000;
  try {
    if (!existsSync(path)) createNew(path, busy);
  } catch (err) {
    throw outboxError(err, shown);
  }
  if (statSync(path).size === 0)
    throw new AimqError(
      'AIMQ-OUTBOX',
      {
        fr: `la boîte d’envoi ${inLang(shown, 'fr')} est un fichier vide\u00a0: elle est endommagée, pas nouvelle`,
        en: `the outbox ${inLang(shown, 'en')} is an empty file: it is damaged, not new`,
      },
      {
        ...outboxFile(shown),
        hint: {
          fr: 'restaurez-la depuis une sauvegarde\u00a0; pour commencer exprès une nouvelle boîte d’envoi (chacun pourrait recevoir de nouveau les communiqués), mettez le fichier de côté',
          en: 'restore it from a backup; to start a new outbox on purpose (everyone may get releases again), move the file aside',
        },
      },
    );
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { fileMustExist: true });
    const wal = configure(db, busy);
    const connection = new Connection(db, wal ? `${path}-wal` : undefined, shown);
    migrate(connection);
    return connection;
  } catch (err) {
    db?.close();
    throw outboxError(err, shown);
  }
}

/** Pragmas of every connection; true when the outbox is in WAL mode. */
function configure(db: Database.Database, busyTimeoutMs: number): boolean {
  // First, so that even switching the journal mode waits for another process.
  db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
  const wal = db.pragma('journal_mode = WAL', { simple: true }) === 'wal';
  // NORMAL by default; the commit that must reach the disk (a row becoming `sending`) is made durable on its own.
  db.pragma('synchronous = NORMAL');
  // A checkpoint runs inside a commit, on the event loop, with two fsyncs: every 16 MB of
  // log (about 600 messages) rather than every 4 MB, and a page written many times in
  // between is copied once.
  db.pragma('wal_autocheckpoint = 4000');
  db.pragma('foreign_keys = ON');
  return wal;
}

function createNew(path: string, busyTimeoutMs: number): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.new`);
  try {
    const db = new Database(temp);
    try {
      configure(db, busyTimeoutMs);
      migrate(new Connection(db, undefined, temp));
    } finally {
      // Closing the last connection checkpoints and removes the log: the file is whole.
      db.close();
    }
    try {
      linkSync(temp, path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  } finally {
    for (const f of [temp, `${temp}-wal`, `${temp}-shm`]) rmSync(f, { force: true });
  }
}

/** Brings the schema up to date; the version is read inside the write transaction, so two processes migrate once. */
function migrate(connection: Connection): void {
  const { db, shown } = connection;
  connection.exclusive(() => {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION)
      throw new AimqError(
        'AIMQ-OUTBOX',
        {
          fr: `la boîte d’envoi ${inLang(shown, 'fr')} a été écrite par un aimq plus récent (schéma ${version})`,
          en: `the outbox ${inLang(shown, 'en')} was written by a newer aimq (schema ${version})`,
        },
        { ...outboxFile(shown), hint: { fr: 'mettez aimq à jour', en: 'upgrade aimq' } },
      );
    for (let v = version + 1; v <= SCHEMA_VERSION; v++) {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v}`);
    }
  });
}

/** A consistent copy of the outbox at `path` (written by `VACUUM INTO`), for a rehearsal to change freely. */
export function copyOutbox(path: string, shown: string, dest: string, options: OpenOptions = {}): void {
  const connection = openConnection(path, shown, options);
  try {
    connection.db.prepare('VACUUM INTO ?').run(dest);
  } catch (err) {
    throw outboxError(err, shown);
  } finally {
    connection.close();
  }
}
