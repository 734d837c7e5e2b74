import type Database from 'better-sqlite3';
import pg from 'pg';
import { AimqError } from '../../errors/index.js';
import { formatNumber } from '../../i18n/text.js';
import { openConnection } from '../schema.js';
import { migratePostgres } from './schema.js';
import { pgError, pgTypes, redactUrl } from './store.js';

export interface MigrateResult {
  campaigns: number;
  deliveries: number;
  suppressed: number;
}

/** What is copied, table by table, in this order (foreign keys), with the columns both schemas share. */
const TABLES: { name: string; columns: string[]; casts: string[]; identity: boolean }[] = [
  {
    name: 'campaigns',
    columns: [
      'id',
      'release_id',
      'release_dir',
      'content_version',
      'created_at',
      'scheduled_at',
      'status',
      'source',
      'targets',
      'edition_mode',
      'reply_to',
    ],
    casts: ['int', 'text', 'text', 'text', 'bigint', 'bigint', 'text', 'text', 'text', 'text', 'text'],
    identity: true,
  },
  {
    name: 'editions',
    columns: ['campaign_id', 'edition', 'subject', 'html', 'text', 'languages', 'attachments'],
    casts: ['int', 'text', 'text', 'text', 'text', 'text', 'text'],
    identity: false,
  },
  {
    name: 'deliveries',
    columns: [
      'id',
      'campaign_id',
      'release_id',
      'email',
      'email_key',
      'name',
      'edition',
      'state',
      'attempts',
      'next_attempt_at',
      'last_reply',
      'message_id',
      'lease_owner',
      'lease_until',
      'created_at',
      'updated_at',
      'sent_at',
    ],
    casts: [
      'int',
      'int',
      'text',
      'text',
      'text',
      'text',
      'text',
      'text',
      'int',
      'bigint',
      'text',
      'text',
      'text',
      'bigint',
      'bigint',
      'bigint',
      'bigint',
    ],
    identity: true,
  },
  {
    name: 'skipped_lines',
    columns: ['campaign_id', 'file', 'line', 'code', 'message'],
    casts: ['int', 'text', 'int', 'text', 'text'],
    identity: false,
  },
  {
    name: 'suppression',
    columns: ['email_key', 'email', 'reason', 'added_at', 'campaign_id', 'source'],
    casts: ['text', 'text', 'text', 'text', 'int', 'text'],
    identity: false,
  },
  {
    name: 'inbox_messages',
    columns: ['message_key', 'processed_at', 'outcome'],
    casts: ['text', 'bigint', 'text'],
    identity: false,
  },
  {
    name: 'inbox_events',
    columns: [
      'id',
      'message_key',
      'at',
      'campaign_id',
      'delivery_id',
      'email_key',
      'email',
      'kind',
      'status',
      'diagnostic',
      'reported_recipient',
    ],
    casts: ['int', 'text', 'bigint', 'int', 'int', 'text', 'text', 'text', 'text', 'text', 'text'],
    identity: true,
  },
];

/**
 * Copies the SQLite outbox at `path` into the PostgreSQL outbox at `url`, whole, in one
 * transaction: campaigns, editions, every row with its state, attempts, leases and
 * Message-ID, the skipped lines; ids are kept, so that what people were told ("see aimq
 * outbox show 12") still holds. Refused when the target already has a campaign: a second
 * copy would give everyone the releases again. The SQLite file is only read, and is left
 * as it is (keep it as the backup of the move).
 */
export async function migrateSqliteToPostgres(
  path: string,
  shown: string,
  url: string,
): Promise<MigrateResult> {
  const target = redactUrl(url);
  const source = openConnection(path, shown);
  const client = new pg.Client({
    connectionString: url,
    types: pgTypes,
    application_name: 'aimq migrate-to',
  });
  let connected = false;
  try {
    await client.connect();
    connected = true;
    await migratePostgres(client, target);
    await client.query('BEGIN');
    // Two moves at once: the second waits, then finds the target no longer empty.
    await client.query('LOCK TABLE campaigns IN EXCLUSIVE MODE');
    const existing = (await client.query<{ n: number }>('SELECT COUNT(*) AS n FROM campaigns')).rows[0]!.n;
    if (existing > 0)
      throw new AimqError(
        'AIMQ-OUTBOX',
        {
          fr: `la boîte d’envoi ${target} n’est pas vide (${formatNumber(Number(existing), 'fr')} ${Number(existing) < 2 ? 'campagne' : 'campagnes'})\u00a0: rien n’a été copié`,
          en: `the outbox ${target} is not empty (${existing} campaign(s)): nothing was copied`,
        },
        {
          file: target,
          hint: {
            fr: 'migrate-to déplace une boîte d’envoi une seule fois, vers une base vide\u00a0; pour recommencer, supprimez d’abord ses tables (ou la base)',
            en: 'migrate-to moves an outbox once, into an empty database; to start again, drop its tables (or the database) first',
          },
        },
      );
    const result: MigrateResult = { campaigns: 0, deliveries: 0, suppressed: 0 };
    // A consistent read of the whole file, even if a send writes to it meanwhile.
    source.db.exec('BEGIN');
    try {
      for (const table of TABLES) {
        const n = await copyTable(source.db, client, table);
        if (table.name === 'campaigns') result.campaigns = n;
        if (table.name === 'deliveries') result.deliveries = n;
        if (table.name === 'suppression') result.suppressed = n;
        if (table.identity)
          await client.query(
            `SELECT setval(pg_get_serial_sequence('${table.name}', 'id'), GREATEST((SELECT MAX(id) FROM ${table.name}), 0) + 1, false)`,
          );
      }
    } finally {
      source.db.exec('COMMIT');
    }
    await client.query('COMMIT');
    return result;
  } catch (err) {
    if (connected) await client.query('ROLLBACK').catch(() => {});
    throw pgError(err, target);
  } finally {
    source.close();
    if (connected) await client.end().catch(() => {});
  }
}

async function copyTable(
  db: Database.Database,
  client: pg.ClientBase,
  table: (typeof TABLES)[number],
): Promise<number> {
  const { name, columns, casts } = table;
  const insert = `INSERT INTO ${name} (${columns.join(', ')}) OVERRIDING SYSTEM VALUE
    SELECT * FROM unnest(${columns.map((_, i) => `$${i + 1}::${casts[i]}[]`).join(', ')})`;
  const order = name === 'skipped_lines' || name === 'suppression' ? 'rowid' : columns[0];
  let copied = 0;
  let batch: Record<string, unknown>[] = [];
  const flush = async () => {
    if (!batch.length) return;
    await client.query(
      insert,
      columns.map((c) => batch.map((row) => row[c] ?? null)),
    );
    copied += batch.length;
    batch = [];
  };
  for (const row of db.prepare(`SELECT ${columns.join(', ')} FROM ${name} ORDER BY ${order}`).iterate())
    if (batch.push(row as Record<string, unknown>) >= 1000) await flush();
  await flush();
  return copied;
}
