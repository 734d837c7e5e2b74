import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket, connect } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aimqAsync, startAimq } from '../helpers/cli-async.js';
import { sendableProject } from '../helpers/cli.js';
import { listCsv, type ListRow as Row } from '../helpers/lists.js';
import { smtpServers } from '../helpers/smtp.js';
import { freshDatabase } from '../helpers/store-pg.js';

/**
 * The connection to PostgreSQL lost in the middle of a send: a TCP relay between aimq and
 * the real PostgreSQL is cut (every connection dropped, new ones refused). The dispatcher
 * stops by itself with AIMQ-OUTBOX (exit 2); nothing is recorded `sent` that the server did
 * not accept; and once PostgreSQL is back, a later run finishes the campaign, nobody twice.
 */

const RELEASE = 'releases/2020-01-13-mission-aimq';
const smtp = smtpServers(afterAll);
let db: Awaited<ReturnType<typeof freshDatabase>>;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => {
  await db?.drop();
});

/** A relay to PostgreSQL that can be cut. */
async function relay(target: URL): Promise<{ port: number; cut: () => void }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as { port: number }).port,
    cut: () => {
      server.close();
      for (const s of sockets) s.destroy();
    },
  };
}

describe('the connection to PostgreSQL lost mid-send', () => {
  it('the dispatcher stops with AIMQ-OUTBOX; nothing is marked sent that was not accepted; a later run finishes, nobody twice', async () => {
    const recipients: Row[] = Array.from(
      { length: 30 },
      (_, i) => [`c${i}@example.org`, `C ${i}`, 'fr'] as const,
    );
    const dir = sendableProject();
    mkdirSync(join(dir, 'lists'), { recursive: true });
    writeFileSync(join(dir, 'lists', 'medias.csv'), listCsv(recipients));
    const server = await smtp({ delayMs: 60 });
    const direct = new URL(db.url);
    const cutOff = await relay(direct);
    const relayed = new URL(db.url);
    relayed.port = String(cutOff.port);
    relayed.password = 'pw-Secret-7';
    const env = {
      AIMQ_SMTP_URL: server.url,
      AIMQ_SMTP_PASSWORD: '',
      AIMQ_RETRY_BASE_MS: '20',
      AIMQ_MAX_RETRY_WAIT_MS: '5000',
      AIMQ_OUTBOX_URL: relayed.toString(),
    };
    const scheduled = await aimqAsync(
      [
        'release',
        'schedule',
        RELEASE,
        '--at',
        '2026-12-01 09:00',
        '--to',
        'lists/medias.csv',
        '--now',
        '2026-11-30T12:00:00-05:00',
      ],
      dir,
      env,
    );
    expect(scheduled.status, scheduled.stderr).toBe(0);
    const dispatcher = startAimq(
      ['dispatch', '--watch', '--connections', '2', '--now', '2026-12-01T09:01:00-05:00', '--send'],
      dir,
      env,
    );
    await server.waitForMessages(6);
    cutOff.cut();
    const stopped = await dispatcher.done;
    expect(stopped.status, stopped.stderr).toBe(2);
    expect(stopped.stderr).toMatch(/AIMQ-OUTBOX/);
    expect(stopped.stderr).not.toMatch(/internal error|at .*\.js:\d+/i);
    expect(stopped.stderr).not.toContain('pw-Secret-7');

    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const rows = async () =>
      (
        await client.query<{ email: string; state: string }>(
          'SELECT email, state FROM deliveries ORDER BY id',
        )
      ).rows;
    try {
      const counts = server.countsByRecipient();
      const afterCut = await rows();
      for (const r of afterCut.filter((r) => r.state === 'sent'))
        expect(counts.get(r.email), r.email).toBe(1);
      expect(afterCut.filter((r) => r.state === 'sent').length).toBeLessThan(recipients.length);

      // PostgreSQL back: the next run (the dead dispatcher's leases expired) sends the rest.
      const next = await aimqAsync(
        ['dispatch', '--once', '--now', '2026-12-01T09:05:00-05:00', '--send'],
        dir,
        { ...env, AIMQ_OUTBOX_URL: db.url, AIMQ_LEASE_MS: '1' },
      );
      expect(next.stderr).not.toMatch(/internal error/i);
      const final = await rows();
      expect(final.filter((r) => r.state !== 'sent' && r.state !== 'uncertain')).toEqual([]);
      const after = server.countsByRecipient();
      expect([...after].filter(([, n]) => n > 1)).toEqual([]);
      for (const r of final.filter((r) => r.state === 'sent')) expect(after.get(r.email), r.email).toBe(1);
    } finally {
      await client.end();
    }
  });
});
