import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { Outbox } from '../../src/outbox/outbox.js';
import { openPostgres } from '../../src/outbox/postgres/store.js';
import { tempDir } from './cli.js';

/** The PostgreSQL of this machine (trust auth); PG_ADMIN_URL overrides it. */
export const PG_ADMIN_URL = process.env.PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function databaseUrl(name: string): string {
  const u = new URL(PG_ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A new, empty database (`aimq_test_<random>`): its URL and how to drop it. */
export async function freshDatabase(): Promise<{ url: string; name: string; drop: () => Promise<void> }> {
  const name = `aimq_test_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  return {
    url: databaseUrl(name),
    name,
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => {}),
  };
}

/**
 * The two outbox backends, for tests that run the same checks on both: a SQLite file in a
 * temporary folder, and a fresh PostgreSQL database made before the file's tests and
 * dropped after them. Call at the top level of a test file.
 */
export function outboxBackends(
  prefix: string,
): { name: 'sqlite' | 'postgres'; open: () => Promise<Outbox> }[] {
  let db: Awaited<ReturnType<typeof freshDatabase>> | undefined;
  const sqlitePath = join(tempDir(prefix), 'outbox.sqlite');
  beforeAll(async () => {
    db = await freshDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });
  return [
    { name: 'sqlite', open: async () => Outbox.open(sqlitePath) },
    { name: 'postgres', open: () => openPostgres(db!.url) },
  ];
}
