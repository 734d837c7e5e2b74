import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { signUnsubscribeToken } from '../../src/message/unsubscribe-token.js';
import { Outbox } from '../../src/outbox/outbox.js';
import { startUnsubscribeServer } from '../../src/unsubscribe/server.js';
import { tempDir } from '../helpers/cli.js';
import { aimqIn } from '../helpers/cli-in.js';
import { oneClickProject, TEST_SECRET } from '../helpers/unsub.js';

/**
 * The unsubscribe endpoint and clients that misbehave, over real sockets against a real
 * SQLite outbox: a client that goes away in the middle of its body is not the store failing.
 */

const PATH = '/outils/desabonnement';

async function endpoint() {
  const outbox = Outbox.open(join(tempDir('aimq-listen-unsub-'), 'outbox.sqlite'));
  const c = await outbox.createCampaign(
    {
      releaseId: '2026-12-01-r',
      releaseDir: 'releases/2026-12-01-r',
      contentVersion: 'v1',
      createdAt: 1_800_000_000_000,
      scheduledAt: null,
      status: 'ready',
      source: 'cli',
      targets: [],
      editionMode: 'auto',
    },
    [{ edition: 'fr', subject: 'S', html: '<p>x</p>', text: 'x', languages: ['fr-CA'], attachments: [] }],
  );
  await outbox.addDeliveries(c, [{ email: 'ana@example.org', name: '', edition: 'fr' }], 1_800_000_000_000);
  const [row] = await outbox.deliveries(c.id);
  const log: string[] = [];
  const server = await startUnsubscribeServer({
    outbox,
    secret: TEST_SECRET,
    path: PATH,
    sender: { fr: 'Société des rédacteurs', en: 'Writers Society' },
    mailto: 'desabonnement@srs.example',
    host: '127.0.0.1',
    port: 0,
    trustProxy: false,
    rateLimit: { limit: 1000, windowMs: 60_000 },
    maxBodyBytes: 4096,
    now: () => Date.now(),
    log: (l) => log.push(l),
  });
  return { outbox, server, log, token: signUnsubscribeToken(TEST_SECRET, c.id, row!.id) };
}

const servers: Awaited<ReturnType<typeof endpoint>>[] = [];
afterAll(async () => {
  for (const s of servers) {
    await s.server.close();
    await s.outbox.close();
  }
});

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
  if (!check()) throw new Error(`never happened: ${what}`);
}

describe('a client that goes away before its body arrived', () => {
  it('is logged as client-gone, not as the store being unavailable, and records nothing', async () => {
    const e = await endpoint();
    servers.push(e);
    const socket = connect(e.server.port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(
      `POST ${PATH}?t=${e.token} HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 26\r\n\r\nList-Unsub`,
    );
    // The server has the headers and part of the body when the client leaves.
    await new Promise((r) => setTimeout(r, 100));
    socket.destroy();
    await until(() => e.log.length > 0, 'a log line');
    expect(e.log).toHaveLength(1);
    expect(e.log[0]).toMatch(/ POST - client-gone$/);
    expect(e.log[0]).not.toContain('store-unavailable');
    expect(await e.outbox.isSuppressed('ana@example.org')).toBe(false);

    // The endpoint still answers, and a whole one-click POST still works.
    const res = await fetch(`${e.server.url}${PATH}?t=${e.token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(res.status).toBe(200);
    await until(() => e.log.length > 1, 'a second log line');
    expect(e.log[1]).toMatch(/ POST 200 unsubscribed campaign=\d+ row=\d+ source=one-click$/);
  });
});

describe('a port that is taken', () => {
  it('is a usage error that names the address and says what to do, in both languages', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', () => resolve()));
    const port = (taken.address() as { port: number }).port;
    try {
      const dir = oneClickProject();
      const env = { AIMQ_UNSUBSCRIBE_SECRET: TEST_SECRET };
      const args = ['unsubscribe', 'serve', '--port', String(port)];
      const en = await aimqIn(args, dir, { ...env, AIMQ_LANG: 'en' });
      expect(en.status).toBe(2);
      expect(en.stderr).toContain(`cannot listen on 127.0.0.1:${port} (EADDRINUSE) [AIMQ-USAGE]`);
      expect(en.stderr).toContain('--port 0');
      expect(en.stderr).not.toMatch(/internal error|bug/i);
      const fr = await aimqIn(args, dir, { ...env, AIMQ_LANG: 'fr' });
      expect(fr.status).toBe(2);
      expect(fr.stderr).toContain(`impossible d’écouter sur 127.0.0.1:${port} (EADDRINUSE)`);
    } finally {
      await new Promise((r) => taken.close(r));
    }
  });
});

describe('the button of a test link', () => {
  it('says that nothing was recorded, not that the reader is unsubscribed', async () => {
    const e = await endpoint();
    servers.push(e);
    const res = await fetch(`${e.server.url}${PATH}?t=${signUnsubscribeToken(TEST_SECRET, 0, 1)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'confirm=1',
    });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Bouton essayé');
    expect(html).toContain('d’une vérification\u00a0: personne n’a été désabonné');
    expect(html).toContain('nobody was unsubscribed');
    expect(html).not.toContain('Désabonnement enregistré');
    expect(html).not.toContain('You are unsubscribed');
  });
});
