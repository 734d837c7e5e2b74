import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { AimqError } from '../../src/errors/index.js';
import { Outbox, type Campaign, type Delivery, type StoredEdition } from '../../src/outbox/outbox.js';
import { SCHEMA_VERSION } from '../../src/outbox/schema.js';
import { REPO, tempDir } from '../helpers/cli.js';

/** The outbox on real SQLite files in a temporary folder. */

const EDITIONS: StoredEdition[] = [
  { edition: 'fr', subject: 'Sujet', html: '<p>fr</p>', text: 'fr', languages: ['fr-CA'], attachments: [] },
  { edition: 'en', subject: 'Subject', html: '<p>en</p>', text: 'en', languages: ['en-CA'], attachments: [] },
];

const T0 = 1_800_000_000_000;
const LEASE = 60_000;

function fresh(): { path: string; outbox: Outbox } {
  const path = join(tempDir('aimq-outbox-'), 'sub', 'outbox.sqlite');
  return { path, outbox: Outbox.open(path) };
}

async function newCampaign(outbox: Outbox, releaseId = '2026-12-01-x', source = 'cli'): Promise<Campaign> {
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
    },
    EDITIONS,
  );
}

const people = (n: number, edition = 'fr') =>
  Array.from({ length: n }, (_, i) => ({ email: `p${i}@example.org`, name: `P ${i}`, edition }));

/**
 * The next due row, claimed and handed over at once (as a send does right before a message
 * leaves): `sending`, with its lease.
 */
async function claimOne(
  outbox: Outbox,
  campaignId: number,
  owner: string,
  now: number,
  leaseMs: number,
  messageIdFor?: (d: Pick<Delivery, 'id' | 'email'>) => string,
): Promise<Delivery | undefined> {
  const [d] = await outbox.claimAhead(campaignId, owner, now, leaseMs, 1, messageIdFor);
  if (!d) return undefined;
  expect(await outbox.handOver(d.id, owner, now)).toBe(true);
  return { ...d, state: 'sending' };
}

/** A pragma read through a connection of its own. */
function pragmaOf(path: string, name: string): unknown {
  const db = new Database(path, { readonly: true });
  try {
    return db.pragma(name, { simple: true });
  } finally {
    db.close();
  }
}

/** The state of a row as a second, independent connection reads it from the file. */
function stateOnDisk(path: string, id: number): string | undefined {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare('SELECT state FROM deliveries WHERE id = ?').get(id) as { state: string } | undefined)
      ?.state;
  } finally {
    db.close();
  }
}

describe('Outbox', () => {
  it('creates its schema in a new file (and its folder), in WAL mode, with a schema version', async () => {
    const { path, outbox } = fresh();
    let version: number;
    try {
      expect(existsSync(path)).toBe(true);
      expect(pragmaOf(path, 'journal_mode')).toBe('wal');
      version = pragmaOf(path, 'user_version') as number;
      expect(version).toBeGreaterThanOrEqual(1);
    } finally {
      await outbox.close();
    }
    // WAL is a property of the file: another connection sees it too.
    const db = new Database(path);
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      const tables = (
        db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
          name: string;
        }[]
      ).map((t) => t.name);
      expect(tables).toEqual(expect.arrayContaining(['campaigns', 'deliveries', 'editions']));
    } finally {
      db.close();
    }
    // Opening it again migrates nothing and keeps the data.
    const again = Outbox.open(path);
    try {
      expect(await again.campaigns()).toEqual([]);
      expect(pragmaOf(path, 'user_version')).toBe(version);
    } finally {
      await again.close();
    }
  });

  it('stores a campaign with its editions, and finds it by release, content version and source', async () => {
    const { outbox } = fresh();
    try {
      const c = await newCampaign(outbox);
      expect(c.id).toBe(1);
      expect(c.targets).toEqual(['lists/medias.csv']);
      expect([...(await outbox.editions(c.id)).keys()].sort()).toEqual(['en', 'fr']);
      expect((await outbox.editions(c.id)).get('fr')).toEqual(EDITIONS[0]);
      expect((await outbox.findCampaign('2026-12-01-x', 'v1', 'cli'))?.id).toBe(c.id);
      expect(await outbox.findCampaign('2026-12-01-x', 'v2', 'cli')).toBeUndefined();
      expect(await outbox.findCampaign('2026-12-01-x', 'v1', 'dispatch:x#1')).toBeUndefined();
    } finally {
      await outbox.close();
    }
  });

  it('addDeliveries dedupes by lower-cased address within a campaign, not across campaigns', async () => {
    const { outbox } = fresh();
    try {
      const c = await newCampaign(outbox);
      const added = await outbox.addDeliveries(
        c,
        [
          { email: 'Marie@Example.org', name: 'Marie', edition: 'fr' },
          { email: 'marie@example.org', name: 'Marie again', edition: 'en' },
          { email: 'jean@example.org', name: 'Jean', edition: 'en' },
        ],
        T0,
      );
      expect(added).toBe(2);
      // The same list again: nothing new, the existing rows are kept as they are.
      expect(
        await outbox.addDeliveries(
          c,
          [
            { email: 'MARIE@example.org', name: 'x', edition: 'en' },
            { email: 'luc@example.org', name: 'Luc', edition: 'fr' },
          ],
          T0,
        ),
      ).toBe(1);
      const rows = await outbox.deliveries(c.id);
      expect(rows.map((r) => [r.email, r.emailKey, r.name, r.edition, r.state])).toEqual([
        ['Marie@Example.org', 'marie@example.org', 'Marie', 'fr', 'pending'],
        ['jean@example.org', 'jean@example.org', 'Jean', 'en', 'pending'],
        ['luc@example.org', 'luc@example.org', 'Luc', 'fr', 'pending'],
      ]);
      const other = await newCampaign(outbox, '2026-12-02-y');
      expect(
        await outbox.addDeliveries(other, [{ email: 'marie@example.org', name: 'Marie', edition: 'fr' }], T0),
      ).toBe(1);
      // Batches of 1000 in one transaction each: a big list is all there.
      const big = await newCampaign(outbox, '2026-12-03-z');
      expect(await outbox.addDeliveries(big, people(2500), T0)).toBe(2500);
      expect((await outbox.counts(big.id)).pending).toBe(2500);
    } finally {
      await outbox.close();
    }
  });

  it('claimAhead then handOver commit the row as sending, with its lease: another connection sees it', async () => {
    const { path, outbox } = fresh();
    const second = Outbox.open(path);
    try {
      const c = await newCampaign(outbox);
      await outbox.addDeliveries(c, people(2), T0);
      const d = (await claimOne(outbox, c.id, 'host:1:a', T0, LEASE))!;
      expect(d).toMatchObject({
        email: 'p0@example.org',
        state: 'sending',
        attempts: 1,
        leaseOwner: 'host:1:a',
        leaseUntil: T0 + LEASE,
      });
      const seen = (await second.deliveries(c.id)).find((r) => r.id === d.id)!;
      expect(seen).toMatchObject({
        state: 'sending',
        attempts: 1,
        leaseOwner: 'host:1:a',
        leaseUntil: T0 + LEASE,
      });
      expect(stateOnDisk(path, d.id)).toBe('sending');
      // The other connection does not get the same row.
      expect((await claimOne(second, c.id, 'host:2:b', T0, LEASE))?.email).toBe('p1@example.org');
      expect(await claimOne(outbox, c.id, 'host:1:a', T0, LEASE)).toBeUndefined();
    } finally {
      await second.close();
      await outbox.close();
    }
  });

  it('two connections claiming in turn never get the same row, and together get every row', async () => {
    const { path, outbox } = fresh();
    const second = Outbox.open(path);
    try {
      const c = await newCampaign(outbox);
      await outbox.addDeliveries(c, people(50), T0);
      const a: number[] = [];
      const b: number[] = [];
      for (let turn = 0; ; turn++) {
        const [box, got, owner] = turn % 3 === 2 ? [second, b, 'h:2:b'] : [outbox, a, 'h:1:a'];
        const d = await claimOne(box, c.id, owner, T0, LEASE);
        if (!d) {
          if (!(await claimOne(turn % 3 === 2 ? outbox : second, c.id, 'h:x:x', T0, LEASE))) break;
          throw new Error('one connection found nothing while the other still could claim');
        }
        got.push(d.id);
      }
      expect(a.length).toBeGreaterThan(0);
      expect(b.length).toBeGreaterThan(0);
      expect(a.filter((id) => b.includes(id))).toEqual([]);
      expect(new Set([...a, ...b]).size).toBe(50);
      expect((await outbox.counts(c.id)).sending).toBe(50);
    } finally {
      await second.close();
      await outbox.close();
    }
  });

  it('four threads racing claimAhead on one file never get the same row, and together get every row', async () => {
    const dist = join(REPO, 'dist', 'outbox', 'outbox.js');
    expect(existsSync(dist), 'run npm run build first: the threads use dist/').toBe(true);
    const { path, outbox } = fresh();
    const c = await newCampaign(outbox);
    await outbox.addDeliveries(c, people(400), T0);
    await outbox.close();
    const start = new Int32Array(new SharedArrayBuffer(4));
    const code = `
      const { workerData, parentPort } = require('node:worker_threads');
      import(workerData.url).then(async ({ Outbox }) => {
        const outbox = Outbox.open(workerData.path);
        parentPort.postMessage('ready');
        Atomics.wait(workerData.start, 0, 0);
        const ids = [];
        // Batches of a few, as a send claims ahead: each batch is one transaction and one fsync.
        for (;;) {
          const batch = await outbox.claimAhead(workerData.campaign, workerData.owner, workerData.now, 60000, 3);
          if (!batch.length) break;
          for (const d of batch) ids.push(d.id);
        }
        await outbox.close();
        parentPort.postMessage(ids);
      });`;
    const ready: Promise<void>[] = [];
    const results = Array.from({ length: 4 }, (_, i) => {
      const w = new Worker(code, {
        eval: true,
        workerData: {
          url: pathToFileURL(dist).href,
          path,
          campaign: c.id,
          owner: `h:${i}:w`,
          now: T0,
          start,
        },
      });
      ready.push(new Promise<void>((resolve) => w.once('message', () => resolve())));
      return new Promise<number[]>((resolve, reject) => {
        w.on('message', (m: unknown) => {
          if (Array.isArray(m)) resolve(m as number[]);
        });
        w.once('error', reject);
      });
    });
    // Every thread has opened its connection (on a loaded machine that takes a while): release them together.
    await Promise.all(ready);
    Atomics.store(start, 0, 1);
    Atomics.notify(start, 0);
    const claimed = await Promise.all(results);
    const all = claimed.flat();
    expect(all).toHaveLength(400);
    expect(new Set(all).size).toBe(400);
    // Every thread got some: they did race.
    for (const ids of claimed) expect(ids.length).toBeGreaterThan(0);
    const check = Outbox.open(path);
    try {
      expect((await check.counts(c.id)).claimed).toBe(400);
      const owners = new Map((await check.deliveries(c.id)).map((d) => [d.id, d.leaseOwner]));
      for (const [i, ids] of claimed.entries()) for (const id of ids) expect(owners.get(id)).toBe(`h:${i}:w`);
    } finally {
      await check.close();
    }
  });

  it('finish() records an outcome only for the owner of the lease', async () => {
    const { outbox } = fresh();
    try {
      const c = await newCampaign(outbox);
      await outbox.addDeliveries(c, people(1), T0);
      const d = (await claimOne(outbox, c.id, 'h:1:a', T0, LEASE))!;
      expect(
        await outbox.finish(
          d.id,
          'h:2:b',
          { state: 'sent', reply: '250 someone else', messageId: '<x@y>' },
          T0 + 1,
        ),
      ).toBe(false);
      expect((await outbox.deliveries(c.id))[0]).toMatchObject({
        state: 'sending',
        lastReply: null,
        leaseOwner: 'h:1:a',
        sentAt: null,
      });
      expect(
        await outbox.finish(
          d.id,
          'h:1:a',
          { state: 'sent', reply: '250 ok', messageId: '<m@aimq.net>' },
          T0 + 2,
        ),
      ).toBe(true);
      expect((await outbox.deliveries(c.id))[0]).toMatchObject({
        state: 'sent',
        lastReply: '250 ok',
        messageId: '<m@aimq.net>',
        leaseOwner: null,
        leaseUntil: null,
        sentAt: T0 + 2,
        updatedAt: T0 + 2,
      });
      // Once finished, even the former owner cannot change it.
      expect(await outbox.finish(d.id, 'h:1:a', { state: 'failed', reply: '550' }, T0 + 3)).toBe(false);
      expect((await outbox.deliveries(c.id))[0]!.state).toBe('sent');
    } finally {
      await outbox.close();
    }
  });

  it('a retry row is claimed again only once it falls due; returnUnsent gives back a row the server never took without counting the attempt', async () => {
    const { outbox } = fresh();
    try {
      const c = await newCampaign(outbox);
      await outbox.addDeliveries(c, people(1), T0);
      const d = (await claimOne(outbox, c.id, 'h:1:a', T0, LEASE))!;
      await outbox.finish(
        d.id,
        'h:1:a',
        { state: 'retry', reply: '451 later', nextAttemptAt: T0 + 1000 },
        T0,
      );
      expect(await outbox.nextRetryAt(c.id)).toBe(T0 + 1000);
      expect(await claimOne(outbox, c.id, 'h:1:a', T0 + 999, LEASE)).toBeUndefined();
      const again = (await claimOne(outbox, c.id, 'h:1:a', T0 + 1000, LEASE))!;
      expect(again.attempts).toBe(2);
      await outbox.returnUnsent(again.id, 'h:1:a', T0 + 1001, '535 auth refused');
      expect((await outbox.deliveries(c.id))[0]).toMatchObject({
        state: 'pending',
        attempts: 1,
        lastReply: '535 auth refused',
        leaseOwner: null,
      });
    } finally {
      await outbox.close();
    }
  });

  it('recoverAbandoned turns sending rows whose lease expired or whose owner is dead into uncertain, and leaves live ones', async () => {
    const { outbox } = fresh();
    try {
      const c = await newCampaign(outbox);
      await outbox.addDeliveries(c, people(4), T0);
      const expired = (await claimOne(outbox, c.id, 'h:1:alive', T0, 1000))!;
      // The Message-ID is recorded with the claim, before anything leaves.
      const dead = (await claimOne(outbox, c.id, 'h:2:dead', T0, LEASE, () => '<dead@aimq.net>'))!;
      const live = (await claimOne(outbox, c.id, 'h:3:alive', T0, LEASE))!;
      const isDead = (owner: string) => owner.endsWith(':dead');
      expect(await outbox.recoverAbandoned(T0 + 1000, isDead)).toBe(2);
      const byId = new Map((await outbox.deliveries(c.id)).map((d) => [d.id, d]));
      expect(byId.get(expired.id)).toMatchObject({ state: 'uncertain', leaseOwner: null, leaseUntil: null });
      expect(byId.get(expired.id)!.lastReply).toMatch(/interrupted while sending/);
      expect(byId.get(dead.id)).toMatchObject({ state: 'uncertain', messageId: '<dead@aimq.net>' });
      expect(byId.get(live.id)).toMatchObject({ state: 'sending', leaseOwner: 'h:3:alive' });
      expect([...byId.values()].filter((d) => d.state === 'pending')).toHaveLength(1);
      // The owner of a recovered row can no longer finish it as sent.
      expect(await outbox.finish(dead.id, 'h:2:dead', { state: 'sent', reply: '250' }, T0 + 2000)).toBe(
        false,
      );
      // Nothing left to recover until the live lease expires.
      expect(await outbox.recoverAbandoned(T0 + 2000, isDead)).toBe(0);
      expect(await outbox.recoverAbandoned(T0 + LEASE, isDead)).toBe(1);
      expect(await outbox.counts(c.id)).toMatchObject({ uncertain: 3, pending: 1, sending: 0 });
    } finally {
      await outbox.close();
    }
  });

  it('claimAhead claims a batch as claimed (read back by another connection), handOver turns one into sending, unclaim gives the rest back without counting the attempt', async () => {
    const { path, outbox } = fresh();
    try {
      const c = await newCampaign(outbox);
      await outbox.addDeliveries(c, people(5), T0);
      const batch = await outbox.claimAhead(c.id, 'h:1:a', T0, LEASE, 3, (d) => `<${d.id}@aimq.net>`);
      expect(batch.map((d) => d.email)).toEqual(['p0@example.org', 'p1@example.org', 'p2@example.org']);
      expect(batch.every((d) => d.state === 'claimed' && d.attempts === 1 && d.leaseOwner === 'h:1:a')).toBe(
        true,
      );
      for (const d of batch) expect(stateOnDisk(path, d.id)).toBe('claimed');
      // The Message-ID is on record before anything leaves.
      expect((await outbox.deliveries(c.id, 'claimed')).map((d) => d.messageId)).toEqual(
        batch.map((d) => `<${d.id}@aimq.net>`),
      );
      // Another owner gets the next rows, never these.
      expect((await outbox.claimAhead(c.id, 'h:2:b', T0, LEASE, 5)).map((d) => d.email)).toEqual([
        'p3@example.org',
        'p4@example.org',
      ]);
      expect(await outbox.claimAhead(c.id, 'h:1:a', T0, LEASE, 5)).toEqual([]);

      // Only the owner hands a row over, once.
      expect(await outbox.handOver(batch[0]!.id, 'h:2:b', T0)).toBe(false);
      expect(await outbox.handOver(batch[0]!.id, 'h:1:a', T0)).toBe(true);
      expect(await outbox.handOver(batch[0]!.id, 'h:1:a', T0)).toBe(false);
      expect(stateOnDisk(path, batch[0]!.id)).toBe('sending');
      expect(await outbox.hasStarted(c.id)).toBe(true);

      await outbox.unclaim([batch[1]!.id, batch[2]!.id, batch[0]!.id], 'h:1:a', T0 + 1);
      const rows = new Map((await outbox.deliveries(c.id)).map((d) => [d.id, d]));
      expect(rows.get(batch[0]!.id)).toMatchObject({ state: 'sending' }); // handed over: not given back
      expect(rows.get(batch[1]!.id)).toMatchObject({ state: 'pending', attempts: 0, leaseOwner: null });
      expect(rows.get(batch[2]!.id)).toMatchObject({ state: 'pending', attempts: 0, leaseOwner: null });
    } finally {
      await outbox.close();
    }
  });

  it('recoverAbandoned: rows claimed by an owner that died on this boot go back to pending; after a possible power cut, or elsewhere once the lease ran out, they are uncertain like sending ones', async () => {
    const { outbox } = fresh();
    try {
      const c = await newCampaign(outbox);
      await outbox.addDeliveries(c, people(8), T0);
      const crashed = await outbox.claimAhead(c.id, 'h:1:crashed', T0, LEASE, 3);
      const rebooted = await outbox.claimAhead(c.id, 'h:2:rebooted', T0, LEASE, 2);
      const elsewhere = await outbox.claimAhead(c.id, 'other:3:x', T0, 1000, 1);
      const live = await outbox.claimAhead(c.id, 'h:4:alive', T0, LEASE, 1);
      expect(await outbox.handOver(crashed[0]!.id, 'h:1:crashed', T0)).toBe(true);
      expect(await outbox.handOver(rebooted[0]!.id, 'h:2:rebooted', T0)).toBe(true);
      const isDead = (owner: string) => owner === 'h:1:crashed' || owner === 'h:2:rebooted';
      const diedOnThisBoot = (owner: string) => owner === 'h:1:crashed';
      // Uncertain: the message in flight of each dead owner, what the rebooted one had claimed, and the expired lease elsewhere.
      expect(await outbox.recoverAbandoned(T0 + 1000, isDead, diedOnThisBoot)).toBe(4);
      const state = new Map((await outbox.deliveries(c.id)).map((d) => [d.id, d]));
      expect(state.get(crashed[0]!.id)!.state).toBe('uncertain');
      for (const d of crashed.slice(1))
        expect(state.get(d.id)).toMatchObject({ state: 'pending', attempts: 0, leaseOwner: null });
      for (const d of rebooted) expect(state.get(d.id)!.state).toBe('uncertain');
      expect(state.get(rebooted[1]!.id)!.lastReply).toMatch(/interrupted while sending/);
      expect(state.get(elsewhere[0]!.id)!.state).toBe('uncertain');
      expect(state.get(live[0]!.id)).toMatchObject({ state: 'claimed', leaseOwner: 'h:4:alive' });
      // A recovered row can no longer be handed over by its old owner.
      expect(await outbox.handOver(crashed[1]!.id, 'h:1:crashed', T0 + 2000)).toBe(false);
    } finally {
      await outbox.close();
    }
  });

  it('cancel also cancels rows claimed ahead by a running send: their hand-over fails, so they never leave', async () => {
    const { outbox } = fresh();
    try {
      const c = await newCampaign(outbox);
      await outbox.addDeliveries(c, people(4), T0);
      const [inFlight, next] = await outbox.claimAhead(c.id, 'h:1:a', T0, LEASE, 2);
      expect(await outbox.handOver(inFlight!.id, 'h:1:a', T0)).toBe(true);
      expect(await outbox.cancel(c.id, T0 + 1)).toBe(3);
      expect(await outbox.handOver(next!.id, 'h:1:a', T0 + 2)).toBe(false);
      expect(await outbox.finish(inFlight!.id, 'h:1:a', { state: 'sent', reply: '250 OK' }, T0 + 3)).toBe(
        true,
      );
      expect(await outbox.counts(c.id)).toMatchObject({ sent: 1, cancelled: 3, claimed: 0, pending: 0 });
    } finally {
      await outbox.close();
    }
  });

  it('alreadyDelivered finds a sent, sending or uncertain row of the same release and edition in another campaign', async () => {
    const { outbox } = fresh();
    try {
      const first = await newCampaign(outbox);
      await outbox.addDeliveries(
        first,
        [
          { email: 'Sent@example.org', name: '', edition: 'fr' },
          { email: 'unsure@example.org', name: '', edition: 'fr' },
          { email: 'failed@example.org', name: '', edition: 'fr' },
          { email: 'waiting@example.org', name: '', edition: 'fr' },
        ],
        T0,
      );
      const claim = async () => (await claimOne(outbox, first.id, 'h:1:a', T0, LEASE))!;
      await outbox.finish((await claim()).id, 'h:1:a', { state: 'sent', reply: '250' }, T0);
      await outbox.finish((await claim()).id, 'h:1:a', { state: 'uncertain', reply: 'ECONNRESET' }, T0);
      await outbox.finish((await claim()).id, 'h:1:a', { state: 'failed', reply: '550' }, T0);
      const second = await newCampaign(outbox);
      expect(
        await outbox.alreadyDelivered(first.releaseId, 'sent@example.org', 'fr', second.id),
      ).toMatchObject({
        campaignId: first.id,
        state: 'sent',
      });
      expect(
        (await outbox.alreadyDelivered(first.releaseId, 'unsure@example.org', 'fr', second.id))?.state,
      ).toBe('uncertain');
      expect(
        await outbox.alreadyDelivered(first.releaseId, 'failed@example.org', 'fr', second.id),
      ).toBeUndefined();
      expect(
        await outbox.alreadyDelivered(first.releaseId, 'waiting@example.org', 'fr', second.id),
      ).toBeUndefined();
      // Another edition, another release, or the campaign itself: not "already".
      expect(
        await outbox.alreadyDelivered(first.releaseId, 'sent@example.org', 'en', second.id),
      ).toBeUndefined();
      expect(
        await outbox.alreadyDelivered('2026-12-09-other', 'sent@example.org', 'fr', second.id),
      ).toBeUndefined();
      expect(
        await outbox.alreadyDelivered(first.releaseId, 'sent@example.org', 'fr', first.id),
      ).toBeUndefined();
      // A row being sent right now by another process counts too.
      await claimOne(outbox, first.id, 'h:1:a', T0, LEASE);
      expect(
        (await outbox.alreadyDelivered(first.releaseId, 'waiting@example.org', 'fr', second.id))?.state,
      ).toBe('sending');
    } finally {
      await outbox.close();
    }
  });

  it('requeue puts failed and retry rows back (uncertain only when asked), per campaign or everywhere; sent rows stay', async () => {
    const { outbox } = fresh();
    try {
      const c = await newCampaign(outbox);
      const other = await newCampaign(outbox, '2026-12-02-y');
      await outbox.addDeliveries(c, people(4), T0);
      await outbox.addDeliveries(other, people(1), T0);
      const outcomes = ['sent', 'failed', 'retry', 'uncertain'] as const;
      for (const state of outcomes) {
        const d = (await claimOne(outbox, c.id, 'h:1:a', T0, LEASE))!;
        await outbox.finish(
          d.id,
          'h:1:a',
          { state, reply: state, ...(state === 'retry' ? { nextAttemptAt: T0 + 999_999 } : {}) },
          T0,
        );
      }
      const o = (await claimOne(outbox, other.id, 'h:1:a', T0, LEASE))!;
      await outbox.finish(o.id, 'h:1:a', { state: 'failed', reply: '550' }, T0);

      expect(await outbox.requeue(c.id, ['failed', 'retry'], T0 + 1)).toBe(2);
      expect((await outbox.deliveries(c.id)).map((d) => d.state)).toEqual([
        'sent',
        'pending',
        'pending',
        'uncertain',
      ]);
      expect((await outbox.deliveries(c.id))[2]!.nextAttemptAt).toBeNull();
      expect((await outbox.deliveries(other.id))[0]!.state).toBe('failed');
      expect(await outbox.requeue(c.id, ['failed', 'retry', 'uncertain'], T0 + 2)).toBe(1);
      expect((await outbox.deliveries(c.id)).map((d) => d.state)).toEqual([
        'sent',
        'pending',
        'pending',
        'pending',
      ]);
      expect(await outbox.requeue(undefined, ['failed', 'retry'], T0 + 3)).toBe(1);
      expect((await outbox.deliveries(other.id))[0]!.state).toBe('pending');
      // Requeued rows are claimed again.
      expect((await claimOne(outbox, c.id, 'h:1:a', T0 + 4, LEASE))?.id).toBe(
        (await outbox.deliveries(c.id))[1]!.id,
      );
    } finally {
      await outbox.close();
    }
  });

  it('cancel cancels what has not left, keeps what was sent or is being sent, and the campaign is no longer found', async () => {
    const { outbox } = fresh();
    try {
      const c = await newCampaign(outbox);
      await outbox.addDeliveries(c, people(5), T0);
      const sent = (await claimOne(outbox, c.id, 'h:1:a', T0, LEASE))!;
      await outbox.finish(sent.id, 'h:1:a', { state: 'sent', reply: '250' }, T0);
      const retry = (await claimOne(outbox, c.id, 'h:1:a', T0, LEASE))!;
      await outbox.finish(retry.id, 'h:1:a', { state: 'retry', reply: '451', nextAttemptAt: T0 + 10 }, T0);
      const inFlight = (await claimOne(outbox, c.id, 'h:1:a', T0, LEASE))!;
      expect(await outbox.cancel(c.id, T0 + 1)).toBe(3);
      expect(await outbox.counts(c.id)).toMatchObject({
        sent: 1,
        sending: 1,
        cancelled: 3,
        pending: 0,
        retry: 0,
      });
      expect((await outbox.campaign(c.id))!.status).toBe('cancelled');
      expect(await claimOne(outbox, c.id, 'h:1:a', T0 + 100, LEASE)).toBeUndefined();
      // The message in flight still gets its outcome recorded.
      expect(await outbox.finish(inFlight.id, 'h:1:a', { state: 'sent', reply: '250' }, T0 + 2)).toBe(true);
      expect(await outbox.findCampaign(c.releaseId, 'v1', 'cli')).toBeUndefined();
      expect((await outbox.campaigns()).map((x) => x.id)).toEqual([c.id]);
    } finally {
      await outbox.close();
    }
  });

  it('upgrades an outbox of schema 3 (state in four indexes) to partial indexes, rows kept', async () => {
    const { path, outbox } = fresh();
    const c = await newCampaign(outbox);
    await outbox.addDeliveries(c, people(3), T0);
    await outbox.close();
    const db = new Database(path);
    db.exec(`
      DROP TABLE suppression; DROP TABLE skipped_lines; ALTER TABLE campaigns DROP COLUMN reply_to;
      DROP INDEX deliveries_retry; DROP INDEX deliveries_leased; DROP INDEX deliveries_release;
      CREATE INDEX deliveries_work ON deliveries (campaign_id, state, next_attempt_at);
      CREATE INDEX deliveries_release ON deliveries (release_id, email_key, edition, state);
      CREATE INDEX deliveries_lease ON deliveries (state, lease_until);
    `);
    db.pragma('user_version = 3');
    db.close();
    const again = Outbox.open(path);
    const db2 = new Database(path, { readonly: true });
    try {
      expect(db2.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      const indexes = (
        db2
          .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'deliveries' AND sql IS NOT NULL ORDER BY name",
          )
          .all() as { name: string }[]
      ).map((r) => r.name);
      expect(indexes).toEqual([
        'deliveries_leased',
        // aimq inbox finds a row by the Message-ID it was sent with (migration 8).
        'deliveries_message_id',
        'deliveries_queue',
        'deliveries_release',
        'deliveries_retry',
      ]);
      expect((await again.counts(c.id)).pending).toBe(3);
    } finally {
      await db2.close();
      await again.close();
    }
  });

  it('refuses a file written by a newer aimq (user_version above its schema) with AIMQ-OUTBOX', async () => {
    const { path, outbox } = fresh();
    const current = pragmaOf(path, 'user_version') as number;
    await outbox.close();
    const db = new Database(path);
    db.pragma(`user_version = ${current + 1}`);
    db.close();
    let error: unknown;
    try {
      Outbox.open(path, '.aimq/outbox.sqlite').close();
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(AimqError);
    expect((error as AimqError).code).toBe('AIMQ-OUTBOX');
    expect((error as AimqError).message).toMatch(/newer aimq/);
    expect((error as AimqError).file).toBe('.aimq/outbox.sqlite');
  });

  it('refuses a file that is not a SQLite database with AIMQ-OUTBOX, not a crash', async () => {
    const dir = tempDir('aimq-outbox-');
    const path = join(dir, 'outbox.sqlite');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path, 'this is not a database, it is a text file long enough to have a header'.repeat(20));
    let error: unknown;
    try {
      Outbox.open(path).close();
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(AimqError);
    expect((error as AimqError).code).toBe('AIMQ-OUTBOX');
  });
});
