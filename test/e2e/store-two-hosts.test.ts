import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { aimqAsync, type RunningCli, startAimq } from '../helpers/cli-async.js';
import { sendableProject } from '../helpers/cli.js';
import { listCsv, type ListRow as Row } from '../helpers/lists.js';
import { smtpServers } from '../helpers/smtp.js';
import { freshDatabase } from '../helpers/store-pg.js';

/**
 * Two dispatchers presenting different host ids (AIMQ_HOST_ID) share one PostgreSQL outbox
 * and one real SMTP server; each is SIGKILLed at random moments and started again, as a
 * machine that crashes and reboots would. Whatever the moments, no address receives the
 * release twice, and no row is lost: at the end each is `sent` (received once) or
 * `uncertain` (received at most once). AIMQ_SOAK_RUNS sets how many randomised runs (the
 * soak: `AIMQ_SOAK_RUNS=20 npx vitest run test/e2e/store-two-hosts.test.ts`).
 */

const RUNS = Number(process.env.AIMQ_SOAK_RUNS ?? 3);
const RELEASE = 'releases/2020-01-13-mission-aimq';
const LANGS = ['fr', 'en', 'bilingue', ''] as const;
const smtp = smtpServers(afterAll);

const many = (n: number): Row[] =>
  Array.from(
    { length: n },
    (_, i) => [`r${String(i).padStart(3, '0')}@example.org`, `R ${i}`, LANGS[i % 4]!] as const,
  );

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface RowState {
  email: string;
  state: string;
}

async function rowsOf(url: string): Promise<RowState[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<RowState>('SELECT email, state FROM deliveries ORDER BY id')).rows;
  } finally {
    await client.end();
  }
}

async function oneRun(run: number): Promise<{ kills: number; uncertain: number; sent: number }> {
  const db = await freshDatabase();
  const live = new Set<RunningCli>();
  try {
    const recipients = many(48);
    const dir = sendableProject();
    mkdirSync(join(dir, 'lists'), { recursive: true });
    writeFileSync(join(dir, 'lists', 'medias.csv'), listCsv(recipients));
    const server = await smtp({ delayMs: 20 + Math.floor(Math.random() * 60) });
    const base = {
      AIMQ_OUTBOX_URL: db.url,
      AIMQ_SMTP_URL: server.url,
      AIMQ_SMTP_PASSWORD: '',
      AIMQ_RETRY_BASE_MS: '20',
      AIMQ_MAX_RETRY_WAIT_MS: '5000',
      AIMQ_SMTP_TIMEOUT_MS: '10000',
      // Short, so that what a killed "other host" held comes back within the test.
      AIMQ_LEASE_MS: '1500',
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
      base,
    );
    expect(scheduled.status, scheduled.stderr).toBe(0);
    const start = (host: string): RunningCli => {
      const child = startAimq(
        [
          'dispatch',
          '--watch',
          '--interval',
          '1s',
          '--connections',
          '3',
          '--now',
          '2026-12-01T09:01:00-05:00',
          '--send',
        ],
        dir,
        { ...base, AIMQ_HOST_ID: host },
      );
      live.add(child);
      return child;
    };
    const hosts = { 'host-a': start('host-a'), 'host-b': start('host-b') };
    let kills = 0;
    const killsWanted = 2 + Math.floor(Math.random() * 3);
    for (let k = 0; k < killsWanted; k++) {
      // Each kill once more messages have gone out, then at a random moment: mid-claim, mid-DATA, between messages.
      await server.waitForMessages(
        Math.min(recipients.length - 8, server.messages.length + 1 + Math.floor(Math.random() * 6)),
        20_000,
      );
      await sleep(Math.floor(Math.random() * 120));
      const name = Math.random() < 0.5 ? 'host-a' : 'host-b';
      const victim = hosts[name];
      victim.child.kill('SIGKILL');
      await victim.done;
      live.delete(victim);
      kills++;
      hosts[name] = start(name);
    }
    // Then both run until every row is settled (a killed host's rows come back when its lease ends).
    const deadline = Date.now() + 30_000;
    let rows: RowState[] = [];
    for (;;) {
      rows = await rowsOf(db.url);
      if (
        rows.length === recipients.length &&
        rows.every((r) => r.state === 'sent' || r.state === 'uncertain')
      )
        break;
      if (Date.now() > deadline) break;
      await sleep(200);
    }
    const said: string[] = [];
    for (const h of Object.values(hosts)) {
      h.child.kill('SIGTERM');
      const r = await h.done;
      live.delete(h);
      said.push(r.stderr);
      expect(r.stderr, `run ${run}`).not.toMatch(/internal error/i);
    }
    const counts = server.countsByRecipient();
    const duplicates = [...counts].filter(([, n]) => n > 1);
    expect(duplicates, `run ${run}: duplicates`).toEqual([]);
    expect(rows, `run ${run}`).toHaveLength(recipients.length);
    const lost = rows.filter((r) => r.state !== 'sent' && r.state !== 'uncertain');
    expect(
      lost,
      `run ${run}: rows neither sent nor uncertain; the dispatchers said:\n${said.join('\n')}`,
    ).toEqual([]);
    for (const r of rows)
      if (r.state === 'sent') expect(counts.get(r.email.toLowerCase()), `run ${run}: ${r.email}`).toBe(1);
    for (const address of counts.keys())
      expect(rows.find((r) => r.email.toLowerCase() === address)?.state, `run ${run}: ${address}`).toMatch(
        /^(sent|uncertain)$/,
      );
    return { kills, uncertain: rows.filter((r) => r.state === 'uncertain').length, sent: counts.size };
  } finally {
    for (const h of live) {
      h.child.kill('SIGKILL');
      await h.done.catch(() => {});
    }
    await db.drop();
  }
}

describe('two dispatchers on two hosts sharing a PostgreSQL outbox, SIGKILLed at random', () => {
  it(
    `never send a row twice and never lose one (${RUNS} randomised runs)`,
    async () => {
      const results = [];
      for (let run = 1; run <= RUNS; run++) results.push(await oneRun(run));
      console.log(
        `two hosts: ${RUNS} runs, ${results.reduce((a, r) => a + r.kills, 0)} kills, 0 duplicates, 0 lost; uncertain per run: ${results.map((r) => r.uncertain).join(' ')}`,
      );
    },
    RUNS * 60_000,
  );
});
