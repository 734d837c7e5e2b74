// Scale of the PostgreSQL outbox: N recipients sent by D dispatchers (distinct host ids,
// `aimq dispatch --watch --connections C`) sharing one PostgreSQL outbox, through a loopback
// SMTP sink that answers each message after --delay ms (a real server's latency). Prints the
// time from the first dispatcher's start until every row is settled, the rate, and checks
// that no address received two messages.
//
//   node bench/pg-dispatch.js [--recipients 100000] [--dispatchers 2] [--connections 3] [--delay 20] [--store pg|sqlite]
//
// --store sqlite runs the same on the embedded SQLite outbox (.aimq/outbox.sqlite), the comparison
// the PostgreSQL figures are read against (one dispatcher is what SQLite is for).
//
// Needs `npm run build` and a PostgreSQL that PG_ADMIN_URL (default
// postgres://postgres@127.0.0.1:5432/postgres) may create a database on; the database is dropped after.

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
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
const si = process.argv.indexOf('--store');
const STORE = si > 0 ? process.argv[si + 1] : 'pg';
if (STORE !== 'pg' && STORE !== 'sqlite') throw new Error('--store: pg or sqlite');

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
const url = new URL(ADMIN);
url.pathname = `/${name}`;
const admin = STORE === 'pg' ? new pg.Client({ connectionString: ADMIN }) : undefined;
if (admin) {
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
}

const tmp = mkdtempSync(join(tmpdir(), 'aimq-pg-bench-'));
const children = [];
try {
  const sample = readdirSync(join(REPO, 'releases')).sort()[0];
  mkdirSync(join(tmp, 'lists'), { recursive: true });
  // aimq refuses to send while the sample config's placeholder postal address remains.
  writeFileSync(
    join(tmp, 'aimq.config.yaml'),
    readFileSync(join(REPO, 'aimq.config.yaml'), 'utf8').replace(
      /^ {2}postalAddress: .*$/m,
      '  postalAddress: "1100, boulevard Exemple, Montréal (Québec)  H3B 0A1, Canada"',
    ),
  );
  cpSync(join(REPO, 'releases', sample), join(tmp, 'releases', sample), { recursive: true });
  const langs = ['fr', 'en', 'bilingue'];
  const lines = ['email,name,language'];
  for (let i = 1; i <= N; i++)
    lines.push(`bench-${String(i).padStart(6, '0')}@example.com,R ${i},${langs[i % 3]}`);
  writeFileSync(join(tmp, 'lists', 'bench.csv'), `${lines.join('\n')}\n`);
  const env = {
    ...process.env,
    ...(STORE === 'pg' ? { AIMQ_OUTBOX_URL: url.toString() } : {}),
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
  const query = await openStore();
  let firstPlanned;
  const peak = new Map();
  for (;;) {
    await new Promise((r) => setTimeout(r, 500));
    for (const c of children) peak.set(c.pid, Math.max(peak.get(c.pid) ?? 0, peakKiB(c.pid)));
    const [row] = await query(
      `SELECT COUNT(*) AS n, SUM(CASE WHEN state IN ('sent', 'uncertain', 'failed') THEN 1 ELSE 0 END) AS done FROM deliveries`,
    );
    const n = Number(row.n);
    if (n === N && !firstPlanned) firstPlanned = Date.now();
    if (n === N && Number(row.done) === N) break;
  }
  const elapsed = (Date.now() - start) / 1000;
  const states = await query('SELECT state, COUNT(*) AS n FROM deliveries GROUP BY state ORDER BY state');
  await query.close();
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
        store: STORE,
        peakMemoryMiBPerDispatcher: [...peak.values()].slice(1).map((k) => Math.round(k / 1024)),
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
  if (admin) {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
  sink.close();
  rmSync(tmp, { recursive: true, force: true });
}

/** A query function on the outbox the dispatchers share (PostgreSQL, or the SQLite file read-only). */
async function openStore() {
  if (STORE === 'pg') {
    const db = new pg.Client({ connectionString: url.toString() });
    await db.connect();
    const q = async (sql) => (await db.query(sql)).rows;
    q.close = () => db.end();
    return q;
  }
  const file = join(tmp, '.aimq', 'outbox.sqlite');
  const db = new Database(file, { readonly: true });
  db.pragma('busy_timeout = 5000');
  const q = async (sql) => db.prepare(sql).all();
  q.close = async () => db.close();
  return q;
}

/** The peak resident memory of a process (VmHWM), in KiB; 0 once it has gone. */
function peakKiB(pid) {
  try {
    const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}
