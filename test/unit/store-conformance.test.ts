import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncSchedules } from '../../src/dispatch/schedule.js';
import { AimqError } from '../../src/errors/index.js';
import { Outbox, type Campaign, type StoredEdition } from '../../src/outbox/outbox.js';
import { PG_SCHEMA_VERSION } from '../../src/outbox/postgres/schema.js';
import { openPostgres, redactUrl } from '../../src/outbox/postgres/store.js';
import { tempDir } from '../helpers/cli.js';
import { freshDatabase } from '../helpers/store-pg.js';

/**
 * The guarantees of the outbox, the same tests on both backends: a SQLite file in a temporary
 * folder, and a fresh database on the PostgreSQL of this machine (dropped after).
 */

const EDITIONS: StoredEdition[] = [
  { edition: 'fr', subject: 'Sujet', html: '<p>fr</p>', text: 'fr', languages: ['fr-CA'], attachments: [] },
  { edition: 'en', subject: 'Subject', html: '<p>en</p>', text: 'en', languages: ['en-CA'], attachments: [] },
];
const T0 = 1_800_000_000_000;
const LEASE = 60_000;

interface Backend {
  name: string;
  /** A new connection to the one outbox of this backend in this file. */
  open(): Promise<Outbox>;
}

let pgDb: Awaited<ReturnType<typeof freshDatabase>> | undefined;
const sqlitePath = join(tempDir('aimq-store-'), 'outbox.sqlite');

const BACKENDS: Backend[] = [
  { name: 'sqlite', open: async () => Outbox.open(sqlitePath) },
  { name: 'postgres', open: () => openPostgres(pgDb!.url) },
];

beforeAll(async () => {
  pgDb = await freshDatabase();
});
afterAll(async () => {
  await pgDb?.drop();
});

let seq = 0;
/** A campaign of its own for each test: the outbox is shared by the tests of a backend. */
async function newCampaign(outbox: Outbox, source = 'cli'): Promise<Campaign> {
  const releaseId = `2026-12-01-r${++seq}`;
  return outbox.createCampaign(
    {
      releaseId,
      releaseDir: `releases/${releaseId}`,
      contentVersion: 'v1',
      createdAt: T0,
      scheduledAt: null,
      status: 'ready',
      source,
      targets: ['lists/medias.csv'],
      editionMode: 'auto',
      replyTo: { name: 'Presse', address: 'presse@example.org' },
    },
    EDITIONS,
  );
}

const people = (n: number, edition = 'fr') =>
  Array.from({ length: n }, (_, i) => ({ email: `p${i}@example.org`, name: `P ${i}`, edition }));

async function using<T>(b: Backend, fn: (outbox: Outbox) => Promise<T>): Promise<T> {
  const outbox = await b.open();
  try {
    return await fn(outbox);
  } finally {
    await outbox.close();
  }
}

describe.each(BACKENDS)('the outbox on $name', (b) => {
  it('stores a campaign with its editions and Reply-To, finds it, replaces its editions, keeps skipped lines', () =>
    using(b, async (outbox) => {
      const c = await newCampaign(outbox);
      expect(c.targets).toEqual(['lists/medias.csv']);
      expect(c.replyTo).toEqual({ name: 'Presse', address: 'presse@example.org' });
      expect((await outbox.editions(c.id)).get('fr')).toEqual(EDITIONS[0]);
      expect((await outbox.findCampaign(c.releaseId, 'v1', 'cli'))?.id).toBe(c.id);
      expect(await outbox.findCampaign(c.releaseId, 'v2', 'cli')).toBeUndefined();
      await outbox.replaceEditions(c.id, 'v2', [EDITIONS[1]!], { name: 'X', address: 'x@example.org' });
      expect([...(await outbox.editions(c.id)).keys()]).toEqual(['en']);
      expect((await outbox.campaign(c.id))?.contentVersion).toBe('v2');
      const lines = [
        { file: 'a.csv', line: 3, code: 'AIMQ-LIST', message: 'bad' },
        { file: 'a.csv', line: 9, code: 'AIMQ-LIST', message: 'worse' },
      ];
      await outbox.recordSkipped(c.id, lines);
      await outbox.recordSkipped(c.id, lines);
      expect(await outbox.skipped(c.id)).toEqual(lines);
    }));

  it('adds recipients once per lower-cased address; adding the list again adds nothing', () =>
    using(b, async (outbox) => {
      const c = await newCampaign(outbox);
      const list = [...people(3), { email: 'P0@EXAMPLE.ORG', name: 'dup', edition: 'fr' }];
      expect(await outbox.addDeliveries(c, list, T0)).toBe(3);
      expect(await outbox.addDeliveries(c, list, T0)).toBe(0);
      expect((await outbox.counts(c.id)).pending).toBe(3);
      expect(await outbox.countsByEdition(c.id, 'pending')).toEqual({ fr: 3 });
    }));

  it('claims, hands over and finishes a row only for its owner; a cancelled claim is never handed over', () =>
    using(b, async (outbox) => {
      const c = await newCampaign(outbox);
      await outbox.addDeliveries(c, people(3), T0);
      const rows = await outbox.claimAhead(c.id, 'h:1:a', T0, LEASE, 2, (d) => `<${d.id}@x>`);
      expect(rows.map((r) => [r.state, r.attempts, r.leaseOwner])).toEqual([
        ['claimed', 1, 'h:1:a'],
        ['claimed', 1, 'h:1:a'],
      ]);
      expect(rows[0]!.messageId).toBe(`<${rows[0]!.id}@x>`);
      expect(await outbox.handOver(rows[0]!.id, 'h:2:b', T0)).toBe(false);
      expect(await outbox.exclusive(async (tx) => tx.handOver(rows[0]!.id, 'h:1:a', T0))).toBe(true);
      expect(await outbox.finish(rows[0]!.id, 'h:2:b', { state: 'sent' }, T0)).toBe(false);
      expect(await outbox.finish(rows[0]!.id, 'h:1:a', { state: 'sent', reply: '250 ok' }, T0 + 1)).toBe(
        true,
      );
      expect(await outbox.hasStarted(c.id)).toBe(true);
      expect(await outbox.cancel(c.id, T0 + 2)).toBe(2);
      expect(await outbox.handOver(rows[1]!.id, 'h:1:a', T0 + 3)).toBe(false);
      const n = await outbox.counts(c.id);
      expect([n.sent, n.cancelled, n.pending, n.claimed]).toEqual([1, 2, 0, 0]);
      const [sent] = await outbox.deliveries(c.id, 'sent');
      expect(sent).toMatchObject({ lastReply: '250 ok', sentAt: T0 + 1, leaseOwner: null });
    }));

  it('unclaims rows never handed over, the attempt not counted; a returned row goes back as it was', () =>
    using(b, async (outbox) => {
      const c = await newCampaign(outbox);
      await outbox.addDeliveries(c, people(2), T0);
      const [x, y] = await outbox.claimAhead(c.id, 'h:1:a', T0, LEASE, 2);
      await outbox.handOver(y!.id, 'h:1:a', T0);
      await outbox.unclaim([x!.id, y!.id], 'h:1:a', T0);
      await outbox.returnUnsent(y!.id, 'h:1:a', T0, '535 auth');
      const rows = await outbox.deliveries(c.id);
      expect(rows.map((r) => [r.state, r.attempts])).toEqual([
        ['pending', 0],
        ['pending', 0],
      ]);
      expect(rows[1]!.lastReply).toBe('535 auth');
    }));

  it('four connections claiming at once never get the same row, and together get every row', () =>
    using(b, async (outbox) => {
      const c = await newCampaign(outbox);
      await outbox.addDeliveries(c, people(200), T0);
      const others = await Promise.all(Array.from({ length: 4 }, () => b.open()));
      try {
        const got = await Promise.all(
          others.map(async (o, i) => {
            const ids: number[] = [];
            for (;;) {
              const batch = await o.claimAhead(c.id, `h:${i}:x`, T0, LEASE, 3);
              if (!batch.length) return ids;
              ids.push(...batch.map((d) => d.id));
            }
          }),
        );
        const all = got.flat();
        expect(all).toHaveLength(200);
        expect(new Set(all).size).toBe(200);
      } finally {
        await Promise.all(others.map((o) => o.close()));
      }
    }));

  it('retries fall due at their time; requeue puts failed rows back with attempts from zero', () =>
    using(b, async (outbox) => {
      const c = await newCampaign(outbox);
      await outbox.addDeliveries(c, people(2), T0);
      const [r1, r2] = await outbox.claimAhead(c.id, 'h:1:a', T0, LEASE, 2);
      for (const r of [r1!, r2!]) await outbox.handOver(r.id, 'h:1:a', T0);
      await outbox.finish(r1!.id, 'h:1:a', { state: 'retry', reply: '451', nextAttemptAt: T0 + 5000 }, T0);
      await outbox.finish(r2!.id, 'h:1:a', { state: 'failed', reply: '550' }, T0);
      expect(await outbox.nextRetryAt(c.id)).toBe(T0 + 5000);
      expect(await outbox.claimAhead(c.id, 'h:1:a', T0 + 4999, LEASE, 5)).toEqual([]);
      const [again] = await outbox.claimAhead(c.id, 'h:1:a', T0 + 5000, LEASE, 5);
      expect(again).toMatchObject({ id: r1!.id, attempts: 2 });
      expect(await outbox.requeue(c.id, ['failed'], T0 + 6000)).toBe(1);
      expect((await outbox.deliveries(c.id, 'pending')).map((d) => [d.id, d.attempts])).toEqual([
        [r2!.id, 0],
      ]);
    }));

  it('a row left sending by a dispatcher whose lease expired, or whose process is gone, becomes uncertain; a live lease is left alone', () =>
    using(b, async (outbox) => {
      const c = await newCampaign(outbox);
      await outbox.addDeliveries(c, people(3), T0);
      const [a] = await outbox.claimAhead(c.id, 'far:1:a', T0, LEASE, 1);
      const [d] = await outbox.claimAhead(c.id, 'here:2:b', T0, LEASE, 1);
      const [l] = await outbox.claimAhead(c.id, 'live:3:c', T0, 10 * LEASE, 1);
      for (const [r, o] of [
        [a!, 'far:1:a'],
        [d!, 'here:2:b'],
        [l!, 'live:3:c'],
      ] as const)
        await outbox.handOver(r.id, o, T0);
      const n = await outbox.recoverAbandoned(T0 + LEASE, (owner) => owner.startsWith('here:'));
      expect(n).toBeGreaterThanOrEqual(2);
      const byId = new Map((await outbox.deliveries(c.id)).map((r) => [r.id, r]));
      expect(byId.get(a!.id)!.state).toBe('uncertain');
      expect(byId.get(d!.id)!.state).toBe('uncertain');
      expect(byId.get(a!.id)!.lastReply).toMatch(/interrupted while sending/);
      expect(byId.get(l!.id)!.state).toBe('sending');
      // What finishes late for a recovered row is not recorded: the row stays uncertain.
      expect(await outbox.finish(a!.id, 'far:1:a', { state: 'sent' }, T0 + LEASE + 1)).toBe(false);
    }));

  it('knows who already received (or may have) this edition of the release in another campaign', () =>
    using(b, async (outbox) => {
      const first = await newCampaign(outbox);
      await outbox.addDeliveries(first, people(2), T0);
      const [r] = await outbox.claimAhead(first.id, 'h:1:a', T0, LEASE, 1);
      await outbox.handOver(r!.id, 'h:1:a', T0);
      await outbox.finish(r!.id, 'h:1:a', { state: 'sent' }, T0);
      const second = await outbox.createCampaign({ ...first, source: 'cli2', createdAt: T0 + 1 }, EDITIONS);
      expect(await outbox.releaseDeliveredElsewhere(first.releaseId, second.id)).toBe(true);
      expect(await outbox.alreadyDelivered(first.releaseId, r!.emailKey, 'fr', second.id)).toMatchObject({
        state: 'sent',
      });
      expect(await outbox.alreadyDelivered(first.releaseId, r!.emailKey, 'en', second.id)).toBeUndefined();
      expect(await outbox.alreadyDelivered(first.releaseId, r!.emailKey, 'fr', first.id)).toBeUndefined();
    }));

  it('discards a campaign that never started, keeps one that did', () =>
    using(b, async (outbox) => {
      const idle = await newCampaign(outbox);
      await outbox.addDeliveries(idle, people(2), T0);
      await outbox.discard(idle.id);
      expect(await outbox.campaign(idle.id)).toBeUndefined();
      const busy = await newCampaign(outbox);
      await outbox.addDeliveries(busy, people(2), T0);
      await outbox.claimAhead(busy.id, 'h:1:a', T0, LEASE, 1);
      await outbox.discard(busy.id);
      expect((await outbox.campaign(busy.id))?.id).toBe(busy.id);
    }));

  it('atomically: an outcome and a hand-over commit together, or neither does', () =>
    using(b, async (outbox) => {
      const c = await newCampaign(outbox);
      await outbox.addDeliveries(c, people(2), T0);
      const [x, y] = await outbox.claimAhead(c.id, 'h:1:a', T0, LEASE, 2);
      await outbox.handOver(x!.id, 'h:1:a', T0);
      await expect(
        outbox.atomically(async (tx) => {
          await tx.finish(x!.id, 'h:1:a', { state: 'sent' }, T0);
          await tx.handOver(y!.id, 'h:1:a', T0);
          throw new Error('the process failed here');
        }),
      ).rejects.toThrow('the process failed here');
      expect((await outbox.deliveries(c.id)).map((d) => d.state)).toEqual(['sending', 'claimed']);
      expect(
        await outbox.atomically(async (tx) => {
          await tx.finish(x!.id, 'h:1:a', { state: 'sent' }, T0);
          return tx.handOver(y!.id, 'h:1:a', T0);
        }),
      ).toBe(true);
      expect((await outbox.deliveries(c.id)).map((d) => d.state)).toEqual(['sent', 'sending']);
    }));

  it('keeps a suppression list: an address once, whatever its case, the first entry kept', () =>
    using(b, async (outbox) => {
      const who = `s${++seq}@example.org`;
      expect(await outbox.isSuppressed(who.toUpperCase())).toBe(false);
      const first = { email: who, reason: 'unsubscribe', date: '2026-12-01T15:04:05Z' };
      expect(await outbox.suppress([first, { ...first, email: who.toUpperCase(), reason: 'bounce' }])).toBe(
        1,
      );
      expect(await outbox.suppress([{ ...first, reason: 'manual' }])).toBe(0);
      expect(await outbox.isSuppressed(` ${who.toUpperCase()} `)).toBe(true);
      expect((await outbox.suppression()).filter((e) => e.email === who)).toEqual([first]);
    }));

  it('two connections syncing the same schedule entry at once create one campaign', () =>
    using(b, async (outbox) => {
      const other = await b.open();
      try {
        const source = `2026-12-0${++seq}-sync`;
        const release = {
          id: source,
          dir: `releases/${source}`,
          dispatch: [{ at: { epoch: T0 + 3_600_000 }, to: ['lists/a.csv'], edition: 'auto' }],
        } as unknown as Parameters<typeof syncSchedules>[1][number];
        const render = async () => ({ editions: EDITIONS, version: 'v1' });
        // Two SQLite connections on one thread would wait for each other's lock (the race
        // between threads is in schedule.test.ts); PostgreSQL connections really race here.
        const [x, y] =
          b.name === 'postgres'
            ? await Promise.all([
                syncSchedules(outbox, [release], render, T0),
                syncSchedules(other, [release], render, T0),
              ])
            : [
                await syncSchedules(outbox, [release], render, T0),
                await syncSchedules(other, [release], render, T0),
              ];
        const created = [...x, ...y].filter((ch) => ch.kind === 'created');
        expect(created).toHaveLength(1);
        expect((await outbox.campaignsFrom(`dispatch:${source}`)).length).toBe(1);
      } finally {
        await other.close();
      }
    }));
});

describe('the PostgreSQL outbox', () => {
  it('migrates once when eight processes open a new database at the same moment', async () => {
    const db = await freshDatabase();
    try {
      const outboxes = await Promise.all(Array.from({ length: 8 }, () => openPostgres(db.url)));
      await Promise.all(outboxes.map((o) => o.close()));
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      try {
        expect((await client.query('SELECT version FROM aimq_schema')).rows).toEqual([
          { version: PG_SCHEMA_VERSION },
        ]);
      } finally {
        await client.end();
      }
    } finally {
      await db.drop();
    }
  });

  it('an unreachable server is an AIMQ-OUTBOX error that names the outbox without its password', async () => {
    const url = 'postgres://aimq:s3cret-pw@127.0.0.1:1/outbox?sslmode=disable';
    const err = await openPostgres(url).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AimqError);
    expect((err as AimqError).code).toBe('AIMQ-OUTBOX');
    const text = `${(err as AimqError).message} ${(err as AimqError).hint} ${(err as AimqError).file}`;
    expect(text).not.toContain('s3cret-pw');
    expect(text).toContain('127.0.0.1:1');
    expect(redactUrl(url)).toBe('postgres://aimq:***@127.0.0.1:1/outbox?sslmode=disable');
  });
});
