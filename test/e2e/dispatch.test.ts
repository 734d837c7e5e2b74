import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { Campaign, Delivery } from '../../src/outbox/outbox.js';
import { REPO, sendableProject } from '../helpers/cli.js';
import { FOUR, listCsv, type ListRow as Row } from '../helpers/lists.js';
import { aimqAsync, startAimq } from '../helpers/cli-async.js';
import { smtpServers, type TestSmtpServer } from '../helpers/smtp.js';

/**
 * Scheduled sends end to end: `aimq release schedule`, the front matter's `dispatch:`
 * entries, `aimq dispatch --once / --watch`, `aimq outbox reschedule / cancel / list`. The
 * real bin/aimq.js is spawned asynchronously (so the in-process SMTP servers keep answering),
 * sends through a real SMTP server (smtp-server) on 127.0.0.1, to a real SQLite outbox in a
 * temporary project. Time is never waited for: each command is told what time it is with
 * --now (or AIMQ_NOW), a clock that starts there and runs on. Each test has its own project
 * and server, so the tests run concurrently.
 */

const RELEASE = 'releases/2020-01-13-mission-aimq';
const FR_MD = `${RELEASE}/fr.md`;

const LANGS = ['fr', 'en', 'bilingue', ''] as const;
const many = (n: number): Row[] =>
  Array.from(
    { length: n },
    (_, i) => [`r${String(i).padStart(2, '0')}@example.org`, `Reader ${i}`, LANGS[i % 4]!] as const,
  );

const smtp = smtpServers(afterAll);

/** The real CLI, run to completion without blocking this process (whose SMTP servers must keep answering). */
function cli(args: string[], dir: string, env: NodeJS.ProcessEnv = {}) {
  return aimqAsync(args, dir, env);
}

/** The sample project with lists/medias.csv (French headers and `;`, as a Quebec spreadsheet exports it). */
async function project(rows: readonly Row[] = FOUR, configExtra = ''): Promise<string> {
  const dir = sendableProject();
  mkdirSync(join(dir, 'lists'), { recursive: true });
  writeFileSync(join(dir, 'lists', 'medias.csv'), listCsv(rows));
  if (configExtra) appendFileSync(join(dir, 'aimq.config.yaml'), `\n${configExtra}\n`);
  return dir;
}

function envFor(server: TestSmtpServer, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    AIMQ_SMTP_URL: server.url,
    AIMQ_SMTP_PASSWORD: '',
    AIMQ_RETRY_BASE_MS: '20',
    AIMQ_MAX_RETRY_WAIT_MS: '5000',
    AIMQ_SMTP_TIMEOUT_MS: '10000',
    ...extra,
  };
}

/** `aimq dispatch --once --now <now> --send` against `server`: a real round at a simulated time. */
function dispatchOnce(
  dir: string,
  server: TestSmtpServer,
  now: string,
  extra: string[] = [],
  env: NodeJS.ProcessEnv = {},
) {
  return cli(['dispatch', '--once', '--now', now, '--send', ...extra], dir, envFor(server, env));
}

/** `aimq release schedule` of the sample release; returns the campaign id it prints. */
async function schedule(dir: string, at: string, now: string, to = 'lists/medias.csv'): Promise<number> {
  const r = await cli(['release', 'schedule', RELEASE, '--at', at, '--to', to, '--now', now], dir);
  expect(r.status, r.stderr).toBe(0);
  expect(r.stdout.trim()).toMatch(/^\d+$/);
  return Number(r.stdout.trim());
}

interface ListRow {
  id: number;
  release: string;
  status: string;
  scheduled: string;
  sent: number;
  uncertain: number;
  waiting: number;
  source: string;
}

/** `aimq outbox list`, read back from its table (columns are separated by two spaces or more). */
async function list(dir: string): Promise<ListRow[]> {
  const r = await cli(['outbox', 'list'], dir);
  expect(r.status, r.stderr).toBe(0);
  const lines = r.stdout.trim().split('\n');
  if (!lines[0]?.startsWith('id')) return [];
  const header = lines[0].trim().split(/\s{2,}/);
  expect(header).toEqual([
    'id',
    'release',
    'status',
    'scheduled',
    'sent',
    'failed',
    'uncertain',
    'waiting',
    'suppressed',
    'skipped',
    'source',
  ]);
  return lines.slice(1).map((line) => {
    const cells = line.trim().split(/\s{2,}/);
    expect(cells, line).toHaveLength(header.length);
    return {
      id: Number(cells[0]),
      release: cells[1]!,
      status: cells[2]!,
      scheduled: cells[3]!,
      sent: Number(cells[4]),
      uncertain: Number(cells[6]),
      waiting: Number(cells[7]),
      source: cells[10]!,
    };
  });
}

async function listRow(dir: string, id: number): Promise<ListRow> {
  const row = (await list(dir)).find((r) => r.id === id);
  expect(row, `campaign ${id} in outbox list`).toBeDefined();
  return row!;
}

/** `aimq outbox show <id> --format json`. */
async function show(dir: string, id: number): Promise<{ campaign: Campaign; deliveries: Delivery[] }> {
  const r = await cli(['outbox', 'show', String(id), '--format', 'json'], dir);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as { campaign: Campaign; deliveries: Delivery[] };
}

const notSent = (rows: Delivery[]) =>
  rows.filter((r) => r.state !== 'sent').map((r) => `${r.email}: ${r.state} (${r.lastReply})`);

/** Every recipient got at most one message; returns the counts by envelope recipient. */
function expectNoDuplicates(server: TestSmtpServer): Map<string, number> {
  for (const m of server.messages) expect(m.to, 'one envelope recipient per message').toHaveLength(1);
  const counts = server.countsByRecipient();
  expect(
    [...counts].filter(([, n]) => n > 1),
    'addresses that received the release more than once',
  ).toEqual([]);
  return counts;
}

function expectEachOnce(server: TestSmtpServer, rows: readonly Row[]): void {
  const counts = expectNoDuplicates(server);
  expect(Object.fromEntries(counts)).toEqual(Object.fromEntries(rows.map(([e]) => [e, 1])));
}

const FR_ORIGINAL = readFileSync(join(REPO, FR_MD), 'utf8');
const TAGS_LINE = 'tags: [gouvernance, mission]\n';

/** Writes fr.md with a `dispatch:` block (entry lines, indented under the key) after its tags, or without one. */
function setDispatch(dir: string, entries: string | undefined, original = FR_ORIGINAL): void {
  expect(original).toContain(TAGS_LINE);
  writeFileSync(
    join(dir, FR_MD),
    entries === undefined ? original : original.replace(TAGS_LINE, `${TAGS_LINE}dispatch:\n${entries}`),
  );
}

function entryBlock(at: string, to = 'lists/medias.csv'): string {
  return `  - at: ${at}\n    to: ${to}\n    edition: auto\n`;
}

/** 1-based line of fr.md that starts with `text` (after indentation). */
function lineOf(dir: string, text: string): number {
  const i = readFileSync(join(dir, FR_MD), 'utf8')
    .split('\n')
    .findIndex((l) => l.trimStart().startsWith(text));
  expect(i, `"${text}" in fr.md`).toBeGreaterThanOrEqual(0);
  return i + 1;
}

describe.concurrent('scheduled sends', () => {
  describe('aimq release schedule and aimq dispatch --once', () => {
    it('schedules a campaign, sends nothing before its time, then each address exactly once, and nothing more after', async () => {
      const server = await smtp();
      const dir = await project();
      const id = await schedule(dir, '2026-12-01 09:00', '2026-11-30T12:00:00-05:00');
      expect(await listRow(dir, id)).toMatchObject({
        release: '2020-01-13-mission-aimq',
        status: 'scheduled',
        scheduled: '2026-12-01 09:00 (-05:00)',
        sent: 0,
      });

      const early = await dispatchOnce(dir, server, '2026-11-30T13:00:00-05:00');
      expect(early.status, early.stderr).toBe(0);
      expect(early.stderr).toMatch(/Nothing due/);
      // A minute before its time is still too early.
      const justBefore = await dispatchOnce(dir, server, '2026-12-01T08:59:00-05:00');
      expect(justBefore.status, justBefore.stderr).toBe(0);
      expect(server.messages).toHaveLength(0);
      expect(server.rcptSeen).toEqual([]);
      expect((await listRow(dir, id)).status).toBe('scheduled');

      const due = await dispatchOnce(dir, server, '2026-12-01T09:01:00-05:00');
      expect(due.stderr).not.toMatch(/internal error/);
      expect(due.status, due.stderr).toBe(0);
      expectEachOnce(server, FOUR);
      expect(await listRow(dir, id)).toMatchObject({ status: 'done', sent: 4, waiting: 0 });
      const rows = (await show(dir, id)).deliveries;
      expect(notSent(rows)).toEqual([]);
      // Each in the edition of its language.
      expect(Object.fromEntries(rows.map((r) => [r.email, r.edition]))).toEqual({
        'francine@example.org': 'fr',
        'edward@example.org': 'en',
        'bianca@example.org': 'bilingual',
        'nadia@example.org': 'bilingual',
      });

      const again = await dispatchOnce(dir, server, '2026-12-01T09:10:00-05:00');
      expect(again.status, again.stderr).toBe(0);
      expect(server.messages).toHaveLength(4);
      expect((await listRow(dir, id)).status).toBe('done');
    });

    it('refuses times that do not exist, happen twice or are past (exit 2) and creates nothing; a summer time shows -04:00', async () => {
      const dir = await project();
      const at = (when: string, now: string, env: NodeJS.ProcessEnv = {}) =>
        cli(
          [
            'release',
            'schedule',
            RELEASE,
            '--at',
            when,
            '--to',
            'lists/medias.csv',
            ...(now ? ['--now', now] : []),
          ],
          dir,
          env,
        );
      const [gap, twice, past, pastEnv] = await Promise.all([
        at('2026-03-08 02:30', '2026-01-15T12:00:00-05:00'),
        at('2026-11-01 01:30', '2026-01-15T12:00:00-05:00'),
        at('2026-12-01 09:00', '2026-12-01T09:30:00-05:00'),
        // AIMQ_NOW instead of --now.
        at('2026-12-01T09:00:00-05:00', '', { AIMQ_NOW: '2026-12-02T09:00:00-05:00' }),
      ]);
      expect(gap.status, gap.stderr).toBe(2);
      expect(gap.stderr).toContain('AIMQ-SCHEDULE');
      expect(gap.stderr).toMatch(/2026-03-08 02:30 does not exist in America\/Toronto/);
      expect(gap.stderr).toMatch(/daylight saving/);

      expect(twice.status, twice.stderr).toBe(2);
      expect(twice.stderr).toContain('AIMQ-SCHEDULE');
      expect(twice.stderr).toMatch(/happens twice/);
      expect(twice.stderr).toContain('2026-11-01T01:30:00-04:00');
      expect(twice.stderr).toContain('2026-11-01T01:30:00-05:00');

      expect(past.status, past.stderr).toBe(2);
      expect(past.stderr).toContain('AIMQ-SCHEDULE');
      expect(past.stderr).toMatch(/already past/);
      expect(pastEnv.status, pastEnv.stderr).toBe(2);
      expect(pastEnv.stderr).toMatch(/already past/);

      for (const r of [gap, twice, past, pastEnv]) expect(r.stdout).toBe('');
      expect(await list(dir)).toEqual([]);

      // One of the offsets offered for the repeated hour is accepted; a summer time is shown at -04:00.
      const chosen = await schedule(dir, '2026-11-01T01:30:00-05:00', '2026-01-15T12:00:00-05:00');
      const summer = await schedule(dir, '2027-07-01 09:00', '2026-11-30T12:00:00-05:00');
      expect((await list(dir)).map((r) => [r.id, r.status, r.scheduled])).toEqual([
        [chosen, 'scheduled', '2026-11-01 01:30 (-05:00)'],
        [summer, 'scheduled', '2027-07-01 09:00 (-04:00)'],
      ]);
    });

    it('a dispatch entry in the spring-forward gap makes release check fail, naming fr.md and the line', async () => {
      const dir = await project();
      setDispatch(dir, entryBlock('2026-03-08 02:30'));
      const r = await cli(['release', 'check'], dir);
      expect(r.status, r.stderr).toBe(1);
      const line = lineOf(dir, '- at: 2026-03-08 02:30');
      expect(r.stdout).toMatch(
        new RegExp(`${FR_MD.replace(/[.]/g, '\\.')}:${line}:\\d+ error: .*2026-03-08 02:30 does not exist`),
      );
    });
  });

  describe('front-matter schedules (publishing by pull request)', () => {
    it('removing the only dispatch: entry of the project cancels its campaign, and nothing goes out at its time', async () => {
      const server = await smtp();
      const dir = await project();
      setDispatch(dir, entryBlock('2026-12-01 09:00'));
      const created = await dispatchOnce(dir, server, '2026-11-30T12:00:00-05:00');
      expect(created.status, created.stderr).toBe(0);
      const m = /Campaign (\d+) \(2020-01-13-mission-aimq\) created for 2026-12-01 09:00 \(-05:00\)/.exec(
        created.stderr,
      );
      expect(m, created.stderr).not.toBeNull();
      const id = Number(m![1]);

      setDispatch(dir, undefined);
      const removed = await dispatchOnce(dir, server, '2026-11-30T12:05:00-05:00');
      expect(removed.status, removed.stderr).toBe(0);
      const due = await dispatchOnce(dir, server, '2026-12-01T09:05:00-05:00');
      expect(
        server.messages.map((x) => x.to[0]),
        'messages sent for a dispatch entry that was removed',
      ).toEqual([]);
      expect(removed.stderr).toMatch(new RegExp(`Campaign ${id} \\(2020-01-13-mission-aimq\\) cancelled`));
      expect((await listRow(dir, id)).status).toBe('cancelled');
      expect(due.status, due.stderr).toBe(0);
    });

    // The longest story of the file: one command after the other, as a newsroom would over a few days.
    it('creates, reschedules, cancels and creates again from the dispatch: entries; sends once; never touches what was sent', {
      timeout: 120_000,
    }, async () => {
      const server = await smtp();
      const dir = await project();
      // A second entry, for the press office a few days later, stays in the front matter throughout.
      const office = entryBlock('2026-12-05 09:00', 'presse@example.org');
      const withEntry = (at: string, to?: string) => setDispatch(dir, `${entryBlock(at, to)}${office}`);

      // A missing list is an error at the entry's line.
      withEntry('2026-12-01 09:00', 'lists/missing.csv');
      const bad = await cli(['release', 'check'], dir);
      expect(bad.status, bad.stderr).toBe(1);
      expect(bad.stdout).toMatch(
        new RegExp(
          `${FR_MD}:${lineOf(dir, '- at: 2026-12-01 09:00')}:\\d+ error: .*lists/missing\\.csv.*\\[AIMQ-DISPATCH-TARGET\\]`,
        ),
      );
      expect(bad.stdout.match(/AIMQ-DISPATCH-TARGET/g)).toHaveLength(1);

      withEntry('2026-12-01 09:00');
      const check = await cli(['release', 'check'], dir);
      expect(check.status, check.stdout + check.stderr).toBe(0);

      // The first dispatch sees the entries: campaigns, nothing sent.
      const created = await dispatchOnce(dir, server, '2026-11-30T12:00:00-05:00');
      expect(created.status, created.stderr).toBe(0);
      const m = /Campaign (\d+) \(2020-01-13-mission-aimq\) created for 2026-12-01 09:00 \(-05:00\)/.exec(
        created.stderr,
      );
      expect(m, created.stderr).not.toBeNull();
      const first = Number(m![1]);
      expect(created.stderr).toMatch(/created for 2026-12-05 09:00 \(-05:00\)/);
      const initial = await list(dir);
      expect(initial).toHaveLength(2);
      const officeId = initial.find((r) => r.scheduled === '2026-12-05 09:00 (-05:00)')!.id;
      expect(initial.find((r) => r.id === first)).toMatchObject({
        status: 'scheduled',
        scheduled: '2026-12-01 09:00 (-05:00)',
        source: expect.stringMatching(/^dispatch:2020-01-13-mission-aimq#/),
      });
      // Seeing them again changes nothing.
      const same = await dispatchOnce(dir, server, '2026-11-30T12:01:00-05:00');
      expect(same.status, same.stderr).toBe(0);
      expect(same.stderr).not.toMatch(/created|rescheduled|cancelled/);
      expect(await list(dir)).toEqual(initial);

      // `at` moved to 10:00: the same campaign, rescheduled.
      withEntry('2026-12-01 10:00');
      const moved = await dispatchOnce(dir, server, '2026-11-30T12:05:00-05:00');
      expect(moved.status, moved.stderr).toBe(0);
      expect(moved.stderr).toContain(
        `Campaign ${first} (2020-01-13-mission-aimq) rescheduled for 2026-12-01 10:00 (-05:00)`,
      );
      expect(moved.stderr).not.toMatch(/created/);
      expect((await list(dir)).map((r) => [r.id, r.status, r.scheduled])).toEqual([
        [first, 'scheduled', '2026-12-01 10:00 (-05:00)'],
        [officeId, 'scheduled', '2026-12-05 09:00 (-05:00)'],
      ]);
      // 09:05 is no longer its time.
      const at905 = await dispatchOnce(dir, server, '2026-12-01T09:05:00-05:00');
      expect(at905.status, at905.stderr).toBe(0);
      expect(server.messages).toHaveLength(0);

      // The entry removed: cancelled, and nothing goes out at 10:05.
      setDispatch(dir, office);
      const removed = await dispatchOnce(dir, server, '2026-12-01T09:06:00-05:00');
      expect(removed.status, removed.stderr).toBe(0);
      expect(removed.stderr).toMatch(new RegExp(`Campaign ${first} \\(2020-01-13-mission-aimq\\) cancelled`));
      expect((await listRow(dir, first)).status).toBe('cancelled');
      const at1005 = await dispatchOnce(dir, server, '2026-12-01T10:05:00-05:00');
      expect(at1005.status, at1005.stderr).toBe(0);
      expect(server.messages).toHaveLength(0);
      expect(server.rcptSeen).toEqual([]);

      // Back with 11:00: a new campaign.
      withEntry('2026-12-01 11:00');
      const back = await dispatchOnce(dir, server, '2026-12-01T10:06:00-05:00');
      expect(back.status, back.stderr).toBe(0);
      const m2 = /Campaign (\d+) \(2020-01-13-mission-aimq\) created for 2026-12-01 11:00 \(-05:00\)/.exec(
        back.stderr,
      );
      expect(m2, back.stderr).not.toBeNull();
      const second = Number(m2![1]);
      expect([first, officeId]).not.toContain(second);
      expect((await list(dir)).map((r) => [r.id, r.status, r.scheduled])).toEqual([
        [first, 'cancelled', '2026-12-01 10:00 (-05:00)'],
        [officeId, 'scheduled', '2026-12-05 09:00 (-05:00)'],
        [second, 'scheduled', '2026-12-01 11:00 (-05:00)'],
      ]);

      // Edited after it was scheduled: it goes out as it is at its time.
      const edited = FR_ORIGINAL.replace(
        '## Mission',
        'Ajout de dernière minute : la version corrigée.\n\n## Mission',
      );
      expect(edited).not.toBe(FR_ORIGINAL);
      setDispatch(dir, `${entryBlock('2026-12-01 11:00')}${office}`, edited);

      const sent = await dispatchOnce(dir, server, '2026-12-01T11:05:00-05:00');
      expect(sent.stderr).not.toMatch(/internal error/);
      expect(sent.status, sent.stderr).toBe(0);
      expectEachOnce(server, FOUR);
      expect((await list(dir)).map((r) => [r.id, r.status, r.sent])).toEqual([
        [first, 'cancelled', 0],
        [officeId, 'scheduled', 0],
        [second, 'done', 4],
      ]);
      const francine = await server.messagesTo('francine@example.org')[0]!.parse();
      expect(francine.text).toContain('Ajout de dernière minute');

      // Moving `at` after it was sent: nothing is rescheduled, nothing sent again.
      setDispatch(dir, `${entryBlock('2026-12-01 12:00')}${office}`, edited);
      const after = await dispatchOnce(dir, server, '2026-12-01T12:05:00-05:00');
      expect(after.status, after.stderr).toBe(0);
      expect(after.stderr).not.toMatch(/created|rescheduled|cancelled/);
      expect(server.messages).toHaveLength(4);
      expect((await list(dir)).map((r) => [r.id, r.status, r.scheduled, r.sent])).toEqual([
        [first, 'cancelled', '2026-12-01 10:00 (-05:00)', 0],
        [officeId, 'scheduled', '2026-12-05 09:00 (-05:00)', 0],
        [second, 'done', '2026-12-01 11:00 (-05:00)', 4],
      ]);
      // Removing it after it was sent cancels nothing either.
      setDispatch(dir, office, edited);
      const gone = await dispatchOnce(dir, server, '2026-12-01T12:06:00-05:00');
      expect(gone.status, gone.stderr).toBe(0);
      expect(gone.stderr).not.toMatch(/cancelled/);
      expect((await listRow(dir, second)).status).toBe('done');
      expect(server.messages).toHaveLength(4);
    });
  });

  describe('two dispatchers on one outbox', () => {
    /**
     * A server hook that holds each answer (3 s at most, well within the clients'
     * timeout) until rows of the outbox are leased (claimed or sending) by two processes at
     * once, and records that it saw it: the proof that two dispatchers really overlapped,
     * not ran one after the other. Holding answers keeps the first busy while the second
     * starts on a slow machine; if they never overlap, the test fails on `overlapped`.
     */
    function overlapWatch(dir: string): { beforeAnswer: () => Promise<void>; overlapped: () => boolean } {
      let seen = false;
      const pidsHolding = (): Set<string> => {
        const db = new Database(join(dir, '.aimq', 'outbox.sqlite'), { readonly: true });
        try {
          const owners = db
            .prepare(
              `SELECT DISTINCT lease_owner FROM deliveries WHERE state IN ('claimed', 'sending') AND lease_owner IS NOT NULL`,
            )
            .pluck()
            .all() as string[];
          return new Set(owners.map((o) => o.split(':')[1]!));
        } finally {
          db.close();
        }
      };
      return {
        overlapped: () => seen,
        async beforeAnswer() {
          const until = Date.now() + 3000;
          while (!seen && Date.now() < until) {
            if (pidsHolding().size >= 2) seen = true;
            else await new Promise((r) => setTimeout(r, 25));
          }
        },
      };
    }

    it('started at the same moment, they send each address exactly once and record every row sent', async () => {
      const recipients = many(30);
      const dir = await project(recipients);
      const overlap = overlapWatch(dir);
      const server = await smtp({ delayMs: 100, beforeAnswer: overlap.beforeAnswer });
      const id = await schedule(dir, '2026-12-01 09:00', '2026-11-30T12:00:00-05:00');
      const [a, b] = await Promise.all([
        dispatchOnce(dir, server, '2026-12-01T09:01:00-05:00'),
        dispatchOnce(dir, server, '2026-12-01T09:01:00-05:00'),
      ]);
      for (const r of [a, b]) expect(r.stderr).not.toMatch(/internal error/);
      expect(overlap.overlapped(), 'both dispatchers held leases at the same time').toBe(true);
      expectEachOnce(server, recipients);
      const rows = (await show(dir, id)).deliveries;
      expect(rows).toHaveLength(30);
      expect(notSent(rows)).toEqual([]);
      expect((await listRow(dir, id)).status).toBe('done');
      expect([a.status, b.status], `${a.stderr}\n---\n${b.stderr}`).toEqual([0, 0]);
    });

    it('one that starts while the other is in the middle of the campaign leaves the other’s rows alone', async () => {
      const recipients = many(30);
      const dir = await project(recipients);
      const overlap = overlapWatch(dir);
      const server = await smtp({ delayMs: 150, beforeAnswer: overlap.beforeAnswer });
      const id = await schedule(dir, '2026-12-01 09:00', '2026-11-30T12:00:00-05:00');
      const first = startAimq(
        ['dispatch', '--once', '--now', '2026-12-01T09:01:00-05:00', '--send'],
        dir,
        envFor(server),
      );
      await server.waitForMessages(4);
      // The first holds rows (`sending`, their 10-minute lease running) when the second looks.
      const second = await dispatchOnce(dir, server, '2026-12-01T09:01:30-05:00');
      const firstDone = await first.done;
      expect(overlap.overlapped(), 'the second held leases while the first still did').toBe(true);
      expectEachOnce(server, recipients);
      const rows = (await show(dir, id)).deliveries;
      expect(notSent(rows), 'rows of the first dispatcher taken over by the second').toEqual([]);
      expect((await listRow(dir, id)).status).toBe('done');
      expect([firstDone.status, second.status], `${firstDone.stderr}\n---\n${second.stderr}`).toEqual([0, 0]);
    });
  });

  describe('interruptions of dispatch --watch', () => {
    it('SIGTERM in the middle of a campaign: it finishes what is in flight and exits 0; the next round completes it, nobody twice', async () => {
      const recipients = many(24);
      const dir = await project(recipients);
      const server = await smtp({ delayMs: 150 });
      const id = await schedule(dir, '2026-12-01 09:00', '2026-11-30T12:00:00-05:00');
      const watcher = startAimq(
        ['dispatch', '--watch', '--interval', '1s', '--now', '2026-12-01T09:01:00-05:00', '--send'],
        dir,
        envFor(server),
      );
      await server.waitForMessages(5);
      watcher.child.kill('SIGTERM');
      const stopped = await watcher.done;
      expect(stopped.signal, 'aimq stops by itself on SIGTERM').toBeNull();
      expect(stopped.status, stopped.stderr).toBe(0);
      expect(stopped.stderr).toMatch(/SIGTERM: finishing the messages in flight/);

      const rows = (await show(dir, id)).deliveries;
      expect(rows.filter((r) => r.state === 'sending')).toEqual([]);
      expect(rows.filter((r) => r.state === 'uncertain')).toEqual([]);
      const sentBefore = rows.filter((r) => r.state === 'sent');
      expect(sentBefore.length).toBe(server.messages.length);
      expect(server.messages.every((m) => m.answered)).toBe(true);
      expect(sentBefore.length).toBeLessThan(24);
      expect(rows.filter((r) => r.state === 'pending').length).toBe(24 - sentBefore.length);

      server.setDelay(0);
      const next = await dispatchOnce(dir, server, '2026-12-01T09:05:00-05:00');
      expect(next.status, next.stderr).toBe(0);
      expectEachOnce(server, recipients);
      expect(notSent((await show(dir, id)).deliveries)).toEqual([]);
      expect((await listRow(dir, id)).status).toBe('done');
    });

    it('SIGKILL in the middle of a campaign leaves rows sending; the next round makes them uncertain (at most one per connection) and sends the rest, nobody twice', async () => {
      const recipients = many(30);
      const dir = await project(recipients);
      const server = await smtp({ delayMs: 150 });
      const id = await schedule(dir, '2026-12-01 09:00', '2026-11-30T12:00:00-05:00');
      const watcher = startAimq(
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
        envFor(server),
      );
      await server.waitForMessages(6);
      // The 6th message is in the server, its answer not given yet: its row is `sending`.
      const inFlight = server.messages[5]!.to[0]!;
      watcher.child.kill('SIGKILL');
      const killed = await watcher.done;
      expect(killed.signal).toBe('SIGKILL');
      const receivedBefore = server.messages.length;

      const sending = (await show(dir, id)).deliveries.filter((r) => r.state === 'sending');
      expect(sending.length).toBeGreaterThanOrEqual(1);
      expect(sending.length).toBeLessThanOrEqual(3);
      expect(sending.map((r) => r.email)).toContain(inFlight);

      server.setDelay(0);
      const next = await dispatchOnce(dir, server, '2026-12-01T09:03:00-05:00');
      expect(next.stderr).not.toMatch(/internal error/);
      // Uncertain rows are reported: exit 3.
      expect(next.status, next.stderr).toBe(3);
      const rows = (await show(dir, id)).deliveries;
      expect(rows).toHaveLength(30);
      const uncertain = rows.filter((r) => r.state === 'uncertain');
      expect(uncertain.map((r) => r.email).sort()).toEqual(sending.map((r) => r.email).sort());
      expect(rows.filter((r) => r.state !== 'sent' && r.state !== 'uncertain')).toEqual([]);
      expect(next.stderr).toMatch(new RegExp(`${uncertain.length} uncertain`));

      const counts = expectNoDuplicates(server);
      expect(counts.get(inFlight)).toBe(1);
      for (const row of rows) {
        const n = counts.get(row.email) ?? 0;
        if (row.state === 'sent') expect(n, row.email).toBe(1);
        else expect(n, row.email).toBeLessThanOrEqual(1);
      }
      expect(server.messages.length).toBeGreaterThan(receivedBefore);
      for (const address of counts.keys()) expect(recipients.map(([e]) => e)).toContain(address);

      // Another round sends nothing more: the uncertain ones wait for someone to decide.
      const total = server.messages.length;
      const third = await dispatchOnce(dir, server, '2026-12-01T09:04:00-05:00');
      expect(third.stderr).not.toMatch(/internal error/);
      expect(server.messages).toHaveLength(total);
    });

    /** Kills a watcher mid-campaign, then hands its `sending` rows to a dispatcher on another machine (a shared outbox). */
    async function diedElsewhere(leaseMs?: string) {
      const recipients = many(12);
      const dir = await project(recipients);
      const server = await smtp({ delayMs: 150 });
      const id = await schedule(dir, '2026-12-01 09:00', '2026-11-30T12:00:00-05:00');
      const watcher = startAimq(
        ['dispatch', '--watch', '--connections', '2', '--now', '2026-12-01T09:01:00-05:00', '--send'],
        dir,
        envFor(server, leaseMs ? { AIMQ_LEASE_MS: leaseMs } : {}),
      );
      await server.waitForMessages(3);
      watcher.child.kill('SIGKILL');
      await watcher.done;
      const db = new Database(join(dir, '.aimq', 'outbox.sqlite'));
      try {
        db.prepare(
          `UPDATE deliveries SET lease_owner = 'dispatcher.elsewhere.example:4242:0badcafe' WHERE state = 'sending'`,
        ).run();
      } finally {
        db.close();
      }
      const sending = (await show(dir, id)).deliveries.filter((r) => r.state === 'sending');
      expect(sending.length).toBeGreaterThanOrEqual(1);
      expect(sending.length).toBeLessThanOrEqual(2);
      server.setDelay(0);
      return { dir, server, id, sending };
    }

    it('rows held by a dispatcher on another machine are left alone while its lease runs, and the rest is sent', async () => {
      const { dir, server, id, sending } = await diedElsewhere();
      const next = await dispatchOnce(dir, server, '2026-12-01T09:03:00-05:00');
      expect(next.stderr).not.toMatch(/internal error/);
      const rows = (await show(dir, id)).deliveries;
      expect(
        rows
          .filter((r) => r.state === 'sending')
          .map((r) => r.email)
          .sort(),
        'rows whose 10-minute lease is still running',
      ).toEqual(sending.map((r) => r.email).sort());
      expect(rows.filter((r) => r.state === 'uncertain')).toEqual([]);
      expect(rows.filter((r) => r.state !== 'sent' && r.state !== 'sending')).toEqual([]);
      const counts = expectNoDuplicates(server);
      // A row claimed by the dead dispatcher may or may not have reached the server; it is not sent again.
      for (const r of sending) expect(counts.get(r.email) ?? 0, r.email).toBeLessThanOrEqual(1);
      expect(counts.size).toBeGreaterThanOrEqual(12 - sending.length);
    });

    it('rows held by a dispatcher on another machine become uncertain once its lease (AIMQ_LEASE_MS) has run out', async () => {
      const { dir, server, id, sending } = await diedElsewhere('1');
      const next = await dispatchOnce(dir, server, '2026-12-01T09:03:00-05:00', [], { AIMQ_LEASE_MS: '1' });
      expect(next.stderr).not.toMatch(/internal error/);
      expect(next.status, next.stderr).toBe(3);
      const rows = (await show(dir, id)).deliveries;
      expect(
        rows
          .filter((r) => r.state === 'uncertain')
          .map((r) => r.email)
          .sort(),
      ).toEqual(sending.map((r) => r.email).sort());
      expect(rows.filter((r) => r.state !== 'sent' && r.state !== 'uncertain')).toEqual([]);
      expectNoDuplicates(server);
    });

    it('outbox retry --uncertain on a scheduled campaign: the next dispatch sends the rows it queued again', async () => {
      const server = await smtp();
      server.behave('edward@example.org', { drop: { times: 1 } });
      const dir = await project();
      const id = await schedule(dir, '2026-12-01 09:00', '2026-11-30T12:00:00-05:00');
      const first = await dispatchOnce(dir, server, '2026-12-01T09:01:00-05:00');
      expect(first.status, first.stderr).toBe(3);
      expect(notSent((await show(dir, id)).deliveries)).toEqual([
        expect.stringMatching(/^edward@example\.org: uncertain/),
      ]);
      const retry = await cli(['outbox', 'retry', '--uncertain', String(id)], dir);
      expect(retry.status, retry.stderr).toBe(0);
      expect(retry.stdout).toMatch(/1 message\(s\) queued again/);
      const again = await dispatchOnce(dir, server, '2026-12-01T09:05:00-05:00');
      expect(again.status, again.stderr).toBe(0);
      // Deliberately resent: Edward's first copy may have arrived (here it did), the others are not sent again.
      expect(Object.fromEntries(server.countsByRecipient())).toEqual({
        'francine@example.org': 1,
        'edward@example.org': 2,
        'bianca@example.org': 1,
        'nadia@example.org': 1,
      });
      expect(notSent((await show(dir, id)).deliveries)).toEqual([]);
      expect((await listRow(dir, id)).status).toBe('done');
    });
  });

  describe('late campaigns: dispatch.maxDelay', () => {
    it('a campaign 25 h late (default maxDelay 24h) is not sent: missed, AIMQ-DISPATCH-MISSED, exit 3; later rounds leave it', async () => {
      const server = await smtp();
      const dir = await project();
      const id = await schedule(dir, '2026-12-01 09:00', '2026-11-30T12:00:00-05:00');
      const late = await dispatchOnce(dir, server, '2026-12-02T10:00:00-05:00');
      expect(late.status, late.stderr).toBe(3);
      expect(late.stderr).toContain('AIMQ-DISPATCH-MISSED');
      expect(late.stderr).toContain(`Campaign ${id}`);
      expect(server.messages).toHaveLength(0);
      expect(server.rcptSeen).toEqual([]);
      expect(await listRow(dir, id)).toMatchObject({ status: 'missed', sent: 0 });
      const again = await dispatchOnce(dir, server, '2026-12-02T10:05:00-05:00');
      expect(again.status, again.stderr).toBe(0);
      expect(server.messages).toHaveLength(0);
      expect((await listRow(dir, id)).status).toBe('missed');
    });

    it('23 h late with the default, or 25 h late with maxDelay: 48h, it is still sent', async () => {
      const server = await smtp();
      const dir = await project();
      const id = await schedule(dir, '2026-12-01 09:00', '2026-11-30T12:00:00-05:00');
      const r = await dispatchOnce(dir, server, '2026-12-02T08:00:00-05:00');
      expect(r.status, r.stderr).toBe(0);
      expectEachOnce(server, FOUR);
      expect((await listRow(dir, id)).status).toBe('done');

      const server48 = await smtp();
      const dir48 = await project(FOUR, 'dispatch:\n  maxDelay: 48h');
      const id48 = await schedule(dir48, '2026-12-01 09:00', '2026-11-30T12:00:00-05:00');
      const r48 = await dispatchOnce(dir48, server48, '2026-12-02T10:00:00-05:00');
      expect(r48.status, r48.stderr).toBe(0);
      expect(r48.stderr).not.toContain('AIMQ-DISPATCH-MISSED');
      expectEachOnce(server48, FOUR);
      expect(await listRow(dir48, id48)).toMatchObject({ status: 'done', sent: 4 });
    });
  });

  describe('aimq outbox reschedule and cancel', () => {
    it('moves a scheduled campaign; refuses a past or missing time, and a done campaign (exit 2)', async () => {
      const server = await smtp();
      const dir = await project();
      const id = await schedule(dir, '2026-12-01 09:00', '2026-11-30T12:00:00-05:00');
      const moved = await cli(
        [
          'outbox',
          'reschedule',
          String(id),
          '--at',
          '2026-12-02 09:00',
          '--now',
          '2026-11-30T12:05:00-05:00',
        ],
        dir,
      );
      expect(moved.status, moved.stderr).toBe(0);
      expect(moved.stdout).toContain('2026-12-02 09:00 (-05:00)');
      expect(await listRow(dir, id)).toMatchObject({
        status: 'scheduled',
        scheduled: '2026-12-02 09:00 (-05:00)',
      });

      // Not into the past, nor into an hour that does not exist: exit 2, unchanged.
      const [past, gap] = await Promise.all([
        cli(
          [
            'outbox',
            'reschedule',
            String(id),
            '--at',
            '2026-11-30 09:00',
            '--now',
            '2026-11-30T12:05:00-05:00',
          ],
          dir,
        ),
        cli(
          [
            'outbox',
            'reschedule',
            String(id),
            '--at',
            '2027-03-14 02:30',
            '--now',
            '2026-11-30T12:05:00-05:00',
          ],
          dir,
        ),
      ]);
      expect(past.status, past.stderr).toBe(2);
      expect(past.stderr).toContain('AIMQ-SCHEDULE');
      expect(gap.status, gap.stderr).toBe(2);
      expect(gap.stderr).toMatch(/does not exist/);
      expect((await listRow(dir, id)).scheduled).toBe('2026-12-02 09:00 (-05:00)');

      const old = await dispatchOnce(dir, server, '2026-12-01T09:05:00-05:00');
      expect(old.status, old.stderr).toBe(0);
      expect(server.messages).toHaveLength(0);
      // AIMQ_NOW works as --now does.
      const due = await cli(
        ['dispatch', '--once', '--send'],
        dir,
        envFor(server, { AIMQ_NOW: '2026-12-02T09:05:00-05:00' }),
      );
      expect(due.status, due.stderr).toBe(0);
      expectEachOnce(server, FOUR);
      expect((await listRow(dir, id)).status).toBe('done');

      const [done, missing] = await Promise.all([
        cli(
          [
            'outbox',
            'reschedule',
            String(id),
            '--at',
            '2026-12-03 09:00',
            '--now',
            '2026-12-02T10:00:00-05:00',
          ],
          dir,
        ),
        cli(
          ['outbox', 'reschedule', '999', '--at', '2026-12-03 09:00', '--now', '2026-12-02T10:00:00-05:00'],
          dir,
        ),
      ]);
      expect(done.status, done.stderr).toBe(2);
      expect(done.stderr).toContain('AIMQ-SCHEDULE');
      expect(await listRow(dir, id)).toMatchObject({
        status: 'done',
        scheduled: '2026-12-02 09:00 (-05:00)',
      });
      expect(missing.status, missing.stderr).toBe(2);
      expect(missing.stderr).toContain('AIMQ-CAMPAIGN-NOT-FOUND');
      expect(server.messages).toHaveLength(4);
    });

    it('a cancelled scheduled campaign sends nothing at its time, and cannot be rescheduled', async () => {
      const server = await smtp();
      const dir = await project();
      const id = await schedule(dir, '2026-12-01 09:00', '2026-11-30T12:00:00-05:00');
      const cancel = await cli(['outbox', 'cancel', String(id)], dir);
      expect(cancel.status, cancel.stderr).toBe(0);
      expect((await listRow(dir, id)).status).toBe('cancelled');
      const r = await dispatchOnce(dir, server, '2026-12-01T09:01:00-05:00');
      expect(r.status, r.stderr).toBe(0);
      expect(server.messages).toHaveLength(0);
      expect(server.rcptSeen).toEqual([]);
      expect((await listRow(dir, id)).status).toBe('cancelled');
      const moved = await cli(
        [
          'outbox',
          'reschedule',
          String(id),
          '--at',
          '2026-12-02 09:00',
          '--now',
          '2026-11-30T12:05:00-05:00',
        ],
        dir,
      );
      expect(moved.status, moved.stderr).toBe(2);
      expect((await listRow(dir, id)).status).toBe('cancelled');
    });
  });

  describe('aimq dispatch: usage', () => {
    it('needs --once or --watch, a real interval and a real --now (exit 2)', async () => {
      const dir = await project();
      // A watcher that took --interval 0 would never return: it is stopped after a while, so the test fails instead of hanging.
      const zero = startAimq(['dispatch', '--watch', '--interval', '0'], dir);
      const guard = setTimeout(() => zero.child.kill('SIGKILL'), 20_000);
      const [neither, words, badNow, badEnv, z] = await Promise.all([
        cli(['dispatch'], dir),
        cli(['dispatch', '--once', '--interval', 'soon'], dir),
        cli(['dispatch', '--once', '--now', 'tomorrow'], dir),
        cli(['dispatch', '--once'], dir, { AIMQ_NOW: 'tomorrow' }),
        zero.done,
      ]);
      clearTimeout(guard);
      expect(neither.status, neither.stderr).toBe(2);
      expect(neither.stderr).toMatch(/--once/);
      expect(neither.stderr).toMatch(/--watch/);
      expect(z.status, z.stderr).toBe(2);
      expect(z.stderr).toContain('--interval');
      expect(words.status, words.stderr).toBe(2);
      expect(badNow.status, badNow.stderr).toBe(2);
      expect(badNow.stderr).toContain('--now');
      expect(badEnv.status, badEnv.stderr).toBe(2);
      expect(badEnv.stderr).toContain('AIMQ_NOW');
      expect(existsSync(join(dir, '.aimq', 'outbox.sqlite'))).toBe(false);
    });
  });
});

/** A unit file as sections of key=value lists (a key may repeat). */
function parseUnit(text: string): Map<string, Map<string, string[]>> {
  const sections = new Map<string, Map<string, string[]>>();
  let current: Map<string, string[]> | undefined;
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) return;
    const header = /^\[([A-Za-z]+)\]$/.exec(line);
    if (header) {
      current = new Map();
      sections.set(header[1]!, current);
      return;
    }
    const kv = /^([A-Za-z][A-Za-z0-9]*)=(.*)$/.exec(line);
    if (!kv || !current) throw new Error(`line ${i + 1} is not a section header or Key=value: ${raw}`);
    current.set(kv[1]!, [...(current.get(kv[1]!) ?? []), kv[2]!]);
  });
  return sections;
}

/** Whether one crontab time field is valid for its range: *, n, a-b, lists, and /step. */
function cronField(field: string, min: number, max: number): boolean {
  return field.split(',').every((part) => {
    const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!m) return false;
    if (m[4] !== undefined && Number(m[4]) < 1) return false;
    if (m[1] === '*') return true;
    const a = Number(m[2]);
    const b = m[3] === undefined ? a : Number(m[3]);
    return a >= min && b <= max && a <= b;
  });
}

describe('the example files for cron and systemd', () => {
  const EXAMPLES = join(REPO, 'examples');

  it('examples/crontab has a valid 5-field line that runs aimq dispatch --once', () => {
    const lines = readFileSync(join(EXAMPLES, 'crontab'), 'utf8')
      .split('\n')
      .filter((l) => l.trim() && !l.trim().startsWith('#'));
    expect(lines.length).toBeGreaterThanOrEqual(1);
    const jobs = lines.filter((l) => l.includes('aimq dispatch --once'));
    expect(jobs).toHaveLength(1);
    const fields = jobs[0]!.trim().split(/\s+/);
    const ranges: [number, number][] = [
      [0, 59],
      [0, 23],
      [1, 31],
      [1, 12],
      [0, 7],
    ];
    for (const [i, [min, max]] of ranges.entries())
      expect(cronField(fields[i]!, min, max), `field ${i + 1} "${fields[i]}"`).toBe(true);
    // The command starts at the 6th field, not inside the schedule.
    expect(cronField(fields[5]!, 0, 59)).toBe(false);
    expect(fields.slice(5).join(' ')).toMatch(/aimq dispatch --once/);
  });

  it('examples/systemd: the service runs aimq dispatch --once, the timer is persistent, and systemd-analyze verify accepts them', () => {
    const service = parseUnit(readFileSync(join(EXAMPLES, 'systemd', 'aimq-dispatch.service'), 'utf8'));
    const timer = parseUnit(readFileSync(join(EXAMPLES, 'systemd', 'aimq-dispatch.timer'), 'utf8'));
    const watch = parseUnit(readFileSync(join(EXAMPLES, 'systemd', 'aimq-dispatch-watch.service'), 'utf8'));
    expect(service.get('Service')?.get('ExecStart')?.join('\n')).toMatch(/aimq dispatch --once/);
    expect(service.get('Service')?.get('Type')).toEqual(['oneshot']);
    expect(timer.get('Timer')?.get('Persistent')).toEqual(['true']);
    expect(timer.get('Timer')?.get('OnCalendar')?.length).toBeGreaterThan(0);
    expect(watch.get('Service')?.get('ExecStart')?.join('\n')).toMatch(/aimq dispatch --watch/);
    expect(watch.get('Service')?.get('KillSignal')).toEqual(['SIGTERM']);

    const which = spawnSync('sh', ['-c', 'command -v systemd-analyze'], { encoding: 'utf8' });
    if (which.status === 0 && which.stdout.trim()) {
      const files = ['aimq-dispatch.service', 'aimq-dispatch.timer', 'aimq-dispatch-watch.service'].map((f) =>
        join(EXAMPLES, 'systemd', f),
      );
      const verify = spawnSync(which.stdout.trim(), ['verify', ...files], { encoding: 'utf8' });
      expect(verify.status, `${verify.stdout}${verify.stderr}`).toBe(0);
      expect(verify.stderr).not.toMatch(
        /bad unit file setting|Failed to parse|Unknown (key|section)|is not executable/i,
      );
      const calendar = spawnSync(
        which.stdout.trim(),
        ['calendar', timer.get('Timer')!.get('OnCalendar')![0]!],
        { encoding: 'utf8' },
      );
      expect(calendar.status, calendar.stderr).toBe(0);
    }
  });
});
