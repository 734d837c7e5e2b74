import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { signUnsubscribeToken } from '../../src/message/unsubscribe-token.js';
import { Outbox } from '../../src/outbox/outbox.js';
import { openPostgres } from '../../src/outbox/postgres/store.js';
import { startUnsubscribeServer, type UnsubscribeServer } from '../../src/unsubscribe/server.js';
import { tempDir } from '../helpers/cli.js';
import { freshDatabase } from '../helpers/store-pg.js';
import { TEST_SECRET } from '../helpers/unsub.js';
import { nuCheck } from '../helpers/vnu.js';

/**
 * The unsubscribe endpoint over real HTTP (fetch) against a real outbox: a SQLite file, and
 * PostgreSQL once. GETs change nothing, a one-click POST suppresses exactly the recipient its
 * token names, forged tokens learn nothing, and the limits answer 413, 429, 405 and 404.
 */

const PATH = '/d%C3%A9sabonnement/courriel';
const T0 = 1_800_000_000_000;
const EMAILS = ['ana@example.org', 'ben@example.org', 'chloe@example.org'];

interface Fixture {
  outbox: Outbox;
  server: UnsubscribeServer;
  campaignId: number;
  rows: { id: number; email: string }[];
  log: string[];
  tokenFor: (i: number) => string;
  url: (token?: string) => string;
}

const running: Fixture[] = [];
afterEach(async () => {
  for (const f of running.splice(0)) {
    await f.server.close();
    await f.outbox.close();
  }
});

async function fixture(o: { outbox?: Outbox; limit?: number; trustProxy?: boolean } = {}): Promise<Fixture> {
  const outbox = o.outbox ?? Outbox.open(join(tempDir('aimq-unsub-'), 'outbox.sqlite'));
  const c = await outbox.createCampaign(
    {
      releaseId: '2026-12-01-r',
      releaseDir: 'releases/2026-12-01-r',
      contentVersion: `v${Math.random()}`,
      createdAt: T0,
      scheduledAt: null,
      status: 'ready',
      source: 'cli',
      targets: [],
      editionMode: 'auto',
    },
    [{ edition: 'fr', subject: 'S', html: '<p>x</p>', text: 'x', languages: ['fr-CA'], attachments: [] }],
  );
  await outbox.addDeliveries(
    c,
    EMAILS.map((email) => ({ email, name: '', edition: 'fr' })),
    T0,
  );
  const rows = (await outbox.deliveries(c.id)).map((d) => ({ id: d.id, email: d.email }));
  const log: string[] = [];
  const server = await startUnsubscribeServer({
    outbox,
    secret: TEST_SECRET,
    path: PATH,
    sender: {
      fr: 'Association des ingénieurs municipaux du Québec',
      en: 'Association of Municipal Engineers of Quebec',
    },
    mailto: 'communications@aimq.net',
    host: '127.0.0.1',
    port: 0,
    trustProxy: Boolean(o.trustProxy),
    rateLimit: { limit: o.limit ?? 1000, windowMs: 60_000 },
    maxBodyBytes: 4096,
    now: () => Date.now(),
    log: (l) => log.push(l),
  });
  const f: Fixture = {
    outbox,
    server,
    campaignId: c.id,
    rows,
    log,
    tokenFor: (i) => signUnsubscribeToken(TEST_SECRET, c.id, rows[i]!.id),
    url: (token) => `${server.url}${PATH}${token === undefined ? '' : `?t=${token}`}`,
  };
  running.push(f);
  return f;
}

const ONE_CLICK = {
  method: 'POST',
  headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  body: 'List-Unsubscribe=One-Click',
};

async function suppressed(outbox: Outbox): Promise<string[]> {
  return (await outbox.suppression()).map((s) => s.email).sort();
}

describe('aimq unsubscribe endpoint', () => {
  it('a GET shows a bilingual confirmation page with a button that posts, and changes nothing; so do HEAD and a scanner', async () => {
    const f = await fixture();
    const r = await fetch(f.url(f.tokenFor(0)));
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await r.text();
    expect(html.indexOf('lang="fr"')).toBeLessThan(html.indexOf('lang="en"'));
    expect(html).toContain('Vous désabonner\u202F?');
    expect(html).toContain('Unsubscribe?');
    expect(html).toMatch(/<form method="post" action="\?t=[A-Za-z0-9_-]{32}">/);
    expect(html).not.toContain('ana@example.org');
    // A link scanner: every link fetched, twice, by GET and HEAD, with redirects followed.
    for (let i = 0; i < 3; i++)
      for (const method of ['GET', 'HEAD', 'GET']) {
        const s = await fetch(f.url(f.tokenFor(i)), { method });
        expect(s.status).toBe(200);
        await s.arrayBuffer();
      }
    expect(await suppressed(f.outbox)).toEqual([]);
  });

  it('a one-click POST suppresses exactly the recipient its token names, with campaign and source; twice is the same', async () => {
    const f = await fixture();
    const r = await fetch(f.url(f.tokenFor(1)), ONE_CLICK);
    expect(r.status).toBe(200);
    expect(await r.text()).toContain('Désabonnement enregistré');
    expect(await suppressed(f.outbox)).toEqual(['ben@example.org']);
    const again = await fetch(f.url(f.tokenFor(1)), ONE_CLICK);
    expect(again.status).toBe(200);
    await again.text();
    const entries = await f.outbox.suppression();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      email: 'ben@example.org',
      reason: 'unsubscribe',
      source: 'one-click',
      campaignId: f.campaignId,
    });
    expect(Date.parse(entries[0]!.date)).toBeGreaterThan(Date.now() - 60_000);
    expect(await f.outbox.isSuppressed('ana@example.org')).toBe(false);
    expect(await f.outbox.isSuppressed('chloe@example.org')).toBe(false);
  });

  it('the page’s button (a POST without the One-Click body) suppresses too, source web, and says so in both languages', async () => {
    const f = await fixture();
    const page = await (await fetch(f.url(f.tokenFor(2)))).text();
    const action = /action="([^"]+)"/.exec(page)![1]!;
    const r = await fetch(new URL(action, f.url(f.tokenFor(2))), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'confirm=1',
    });
    expect(r.status).toBe(200);
    const done = await r.text();
    expect(done).toContain('C’est fait\u00A0:');
    expect(done).toContain('You are unsubscribed');
    expect(await f.outbox.suppression()).toMatchObject([{ email: 'chloe@example.org', source: 'web' }]);
  });

  it('a multipart one-click POST (also allowed by RFC 8058) is recorded as one-click', async () => {
    const f = await fixture();
    const form = new FormData();
    form.set('List-Unsubscribe', 'One-Click');
    const r = await fetch(f.url(f.tokenFor(0)), { method: 'POST', body: form });
    expect(r.status).toBe(200);
    await r.text();
    expect(await f.outbox.suppression()).toMatchObject([{ email: 'ana@example.org', source: 'one-click' }]);
  });

  it('forged, altered, foreign, unknown-row and missing tokens get the same 400 page and record nothing', async () => {
    const f = await fixture();
    const good = f.tokenFor(0);
    const flipped = Buffer.from(good, 'base64url');
    flipped[20]! ^= 1;
    const otherRow = Buffer.from(good, 'base64url');
    otherRow.writeUIntBE(f.rows[1]!.id, 4, 6);
    const bad = [
      flipped.toString('base64url'),
      otherRow.toString('base64url'),
      signUnsubscribeToken(`${TEST_SECRET}-other`, f.campaignId, f.rows[0]!.id),
      signUnsubscribeToken(TEST_SECRET, f.campaignId, 999_999),
      signUnsubscribeToken(TEST_SECRET, f.campaignId + 1, f.rows[0]!.id),
      good.slice(0, 31),
      `${good}A`,
      '',
      undefined,
    ];
    const bodies = new Set<string>();
    for (const t of bad)
      for (const init of [{}, ONE_CLICK]) {
        const r = await fetch(f.url(t), init);
        expect(r.status, String(t)).toBe(400);
        bodies.add(await r.text());
      }
    expect(bodies.size).toBe(1);
    const [body] = [...bodies];
    expect(body).toContain('Lien non valide');
    expect(body).toContain('Invalid link');
    expect(await suppressed(f.outbox)).toEqual([]);
  });

  it('a test token (campaign 0) is answered, GET and POST, and nothing is recorded', async () => {
    const f = await fixture();
    const t = signUnsubscribeToken(TEST_SECRET, 0, 1);
    const get = await fetch(f.url(t));
    expect(get.status).toBe(200);
    expect(await get.text()).toContain('Lien de test');
    const post = await fetch(f.url(t), ONE_CLICK);
    expect(post.status).toBe(200);
    await post.text();
    expect(await suppressed(f.outbox)).toEqual([]);
  });

  it('answers 404 off its path, 405 to other methods, 413 to a large body, each recording nothing', async () => {
    const f = await fixture();
    const t = f.tokenFor(0);
    for (const path of ['/', '/desabonnement/courriel', `${PATH}/x`, '/d%C3%A9sabonnement'])
      expect((await fetch(`${f.server.url}${path}?t=${t}`, ONE_CLICK)).status, path).toBe(404);
    for (const method of ['PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      const r = await fetch(f.url(t), { method });
      expect(r.status, method).toBe(405);
      expect(r.headers.get('allow')).toBe('GET, HEAD, POST');
    }
    const big = await fetch(f.url(t), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `List-Unsubscribe=One-Click&pad=${'x'.repeat(5000)}`,
    });
    expect(big.status).toBe(413);
    expect(await suppressed(f.outbox)).toEqual([]);
  });

  it('limits refused tokens per client (429 with Retry-After), never a valid one; behind a trusted proxy, per X-Forwarded-For address', async () => {
    const f = await fixture({ limit: 5 });
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const r = await fetch(f.url(`forged${i}`), ONE_CLICK);
      statuses.push(r.status);
      if (r.status === 429) expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
      await r.arrayBuffer();
    }
    expect(statuses).toEqual([400, 400, 400, 400, 400, 429, 429]);
    // Untrusted, X-Forwarded-For is ignored: a client cannot escape the limit by making one up.
    expect((await fetch(f.url('forged'), { headers: { 'X-Forwarded-For': '203.0.113.9' } })).status).toBe(
      429,
    );
    // A mail provider's one-click POSTs come from the same few addresses: valid tokens go
    // through, however many, and even from a client that is being refused.
    for (let i = 0; i < 3; i++) {
      const r = await fetch(f.url(f.tokenFor(i)), ONE_CLICK);
      expect(r.status, `row ${i}`).toBe(200);
      await r.arrayBuffer();
    }
    for (let i = 0; i < 8; i++) await (await fetch(f.url(f.tokenFor(0)))).arrayBuffer();
    expect((await fetch(f.url(f.tokenFor(0)))).status).toBe(200);
    expect(await suppressed(f.outbox)).toEqual([f.rows[0]!.email, f.rows[1]!.email, f.rows[2]!.email].sort());

    const g = await fixture({ limit: 2, trustProxy: true });
    const from = async (ip: string) =>
      (await fetch(g.url('forged'), { headers: { 'X-Forwarded-For': `198.51.100.1, ${ip}` } })).status;
    expect([await from('203.0.113.1'), await from('203.0.113.1'), await from('203.0.113.1')]).toEqual([
      400, 400, 429,
    ]);
    expect(await from('203.0.113.2')).toBe(400);
  });

  it('sends security headers and logs one line per request without tokens or addresses', async () => {
    const f = await fixture();
    const r = await fetch(f.url(f.tokenFor(0)), ONE_CLICK);
    await r.text();
    expect(r.headers.get('content-security-policy')).toMatch(
      /^default-src 'none'; style-src 'sha256-[^']+'; form-action 'self'/,
    );
    expect(r.headers.get('referrer-policy')).toBe('no-referrer');
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('cache-control')).toBe('no-store');
    await (await fetch(f.url('forged'))).text();
    await (await fetch(`${f.server.url}/elsewhere`)).text();
    expect(f.log).toHaveLength(3);
    expect(f.log[0]).toMatch(
      new RegExp(`POST 200 unsubscribed campaign=${f.campaignId} row=${f.rows[0]!.id} source=one-click$`),
    );
    expect(f.log[1]).toMatch(/GET 400 invalid-token$/);
    expect(f.log[2]).toMatch(/GET 404 not-found$/);
    const all = f.log.join('\n');
    for (const secretish of [f.tokenFor(0), 'ana@example.org', TEST_SECRET])
      expect(all).not.toContain(secretish);
  });

  it('its pages are valid HTML (Nu checker)', async () => {
    const f = await fixture();
    const pages = {
      confirm: await (await fetch(f.url(f.tokenFor(0)))).text(),
      test: await (await fetch(f.url(signUnsubscribeToken(TEST_SECRET, 0, 1)))).text(),
      invalid: await (await fetch(f.url('x'))).text(),
      done: await (await fetch(f.url(f.tokenFor(0)), ONE_CLICK)).text(),
    };
    const dir = tempDir('aimq-unsub-pages-');
    mkdirSync(dir, { recursive: true });
    const files = Object.entries(pages).map(([name, html]) => {
      const file = join(dir, `${name}.html`);
      writeFileSync(file, html);
      return file;
    });
    const messages = nuCheck(files).filter((m) => m.type === 'error' || m.subType === 'warning');
    expect(messages).toEqual([]);
  });
});

describe('aimq unsubscribe endpoint on PostgreSQL', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  beforeAll(async () => {
    db = await freshDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('records a one-click unsubscribe in the shared store, and a GET records nothing', async () => {
    const f = await fixture({ outbox: await openPostgres(db.url) });
    await (await fetch(f.url(f.tokenFor(0)))).text();
    expect(await suppressed(f.outbox)).toEqual([]);
    expect((await fetch(f.url(f.tokenFor(2)), ONE_CLICK)).status).toBe(200);
    const other = await openPostgres(db.url);
    try {
      expect(await other.isSuppressed('chloe@example.org')).toBe(true);
      expect(await other.suppression()).toMatchObject([
        { email: 'chloe@example.org', reason: 'unsubscribe', source: 'one-click', campaignId: f.campaignId },
      ]);
    } finally {
      await other.close();
    }
  });
});
