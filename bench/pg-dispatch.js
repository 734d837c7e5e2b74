// Scale of the PostgreSQL outbox: N recipients sent by D dispatchers (distinct host ids,
// `aimq dispatch --watch --connections C`) sharing one PostgreSQL outbox, through a loopback
// SMTP sink that answers each message after --delay ms (a real server's latency). Prints the
// time from the first dispatcher's start until every row is settled, the rate, and checks
// that no address received two messages.
//
//   node bench/pg-dispatch.js [--recipients 100000] [--dispatchers 2] [--connections 3] [--delay 20]
//
// Needs `npm run build` and a PostgreSQL that PG_ADMIN_URL (default
// postgres://postgres@127.0.0.1:5432/postgres) may create a database on; the database is dropped after.

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import smtp from 'smtp-server';

const REPO = join(import.meta.dirname, '..');
const BIN = join(REPO, 'bin', 'aimq.js');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const N = arg('recipients', 100_000);
const D = arg('dispatchers', 2);
const C = arg('connections', 3);
const DELAY = arg('delay', 20);
const ADMIN = process.env.PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const received = new Map();
const sink = new smtp.SMTPServer({
  disabledCommands: ['STARTTLS'],
  authOptional: true,
  logger: false,
  onData(stream, session, callback) {
    stream.on('data', () => {});
    stream.on('end', () => {
      for (const r of session.envelope.rcptTo) {
        const a = r.address.toLowerCase();
        received.set(a, (received.get(a) ?? 0) + 1);
      }
      setTimeout(() => callback(null, 'OK'), DELAY);
    });
  },
});
await new Promise((r) => sink.listen(0, '127.0.0.1', r));
const port = sink.server.address().port;

const name = `aimq_bench_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: ADMIN });
await admin.connect();
await admin.query(`CREATE DATABASE ${name}`);
const url = new URL(ADMIN);
url.pathname = `/${name}`;

const tmp = mkdtempSync(join(tmpdir(), 'aimq-pg-bench-'));
const children = [];
try {
  const sample = readdirSync(join(REPO, 'releases')).sort()[0];
  mkdirSync(join(tmp, 'lists'), { recursive: true });
  cpSync(join(REPO, 'aimq.config.yaml'), join(tmp, 'aimq.config.yaml'));
  cpSync(join(REPO, 'releases', sample), join(tmp, 'releases', sample), { recursive: true });
  const langs = ['fr', 'en', 'bilingue'];
  const lines = ['email,name,language'];
  for (let i = 1; i <= N; i++)
    lines.push(`bench-${String(i).padStart(6, '0')}@example.com,R ${i},${langs[i % 3]}`);
  writeFileSync(join(tmp, 'lists', 'bench.csv'), `${lines.join('\n')}\n`);
  const env = {
    ...process.env,
    AIMQ_OUTBOX_URL: url.toString(),
    AIMQ_SMTP_URL: `smtp://127.0.0.1:${port}`,
    AIMQ_SMTP_PASSWORD: '',
  };
  const run = (args, extra = {}) =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, [BIN, ...args], { cwd: tmp, env: { ...env, ...extra } });
      children.push(child);
      let err = '';
      child.stderr.on('data', (d) => {
        err += d;
      });
      child.on('close', (code) => resolve({ code, err }));
    });
  const planned = Date.now();
  const s = await run([
    'release',
    'schedule',
    `releases/${sample}`,
    '--at',
    '2026-12-01 09:00',
    '--to',
    'lists/bench.csv',
    '--now',
    '2026-11-30T12:00:00-05:00',
  ]);
  if (s.code !== 0) throw new Error(s.err);
  const start = Date.now();
  const dispatchers = Array.from({ length: D }, (_, i) =>
    run(
      [
        'dispatch',
        '--watch',
        '--interval',
        '1s',
        '--connections',
        String(C),
        '--now',
        '2026-12-01T09:01:00-05:00',
        '--send',
      ],
      { AIMQ_HOST_ID: `bench-host-${i + 1}` },
    ),
  );
  const db = new pg.Client({ connectionString: url.toString() });
  await db.connect();
  let firstPlanned;
  for (;;) {
    await new Promise((r) => setTimeout(r, 500));
    const { rows } = await db.query(
      `SELECT COUNT(*)::int AS n, COUNT(*) FILTER (WHERE state IN ('sent', 'uncertain', 'failed'))::int AS done FROM deliveries`,
    );
    if (rows[0].n === N && !firstPlanned) firstPlanned = Date.now();
    if (rows[0].n === N && rows[0].done === N) break;
  }
  const elapsed = (Date.now() - start) / 1000;
  const states = (
    await db.query('SELECT state, COUNT(*)::int AS n FROM deliveries GROUP BY state ORDER BY state')
  ).rows;
  await db.end();
  for (const c of children) c.kill('SIGTERM');
  await Promise.all(dispatchers);
  const duplicates = [...received.values()].filter((n) => n > 1).length;
  console.log(
    JSON.stringify(
      {
        recipients: N,
        dispatchers: D,
        connectionsEach: C,
        sinkDelayMs: DELAY,
        scheduleSeconds: (start - planned) / 1000,
        planningSeconds: firstPlanned ? (firstPlanned - start) / 1000 : null,
        sendSeconds: elapsed,
        messagesPerSecond: Math.round((N / elapsed) * 10) / 10,
        ceilingPerSecond: Math.round(((D * C * 1000) / DELAY) * 10) / 10,
        states,
        received: received.size,
        duplicates,
      },
      null,
      2,
    ),
  );
} finally {
  for (const c of children) c.kill('SIGKILL');
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
  sink.close();
  rmSync(tmp, { recursive: true, force: true });
}
