import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { listenOn } from '../cli/listen.js';
import type { Outbox } from '../outbox/outbox.js';
import {
  CONTENT_SECURITY_POLICY,
  confirmPage,
  donePage,
  invalidPage,
  type Page,
  PLAIN,
  renderPage,
  type Sender,
  testDonePage,
  testPage,
  unavailablePage,
} from './pages.js';
import { RateLimiter } from './rate-limit.js';
import { checkToken, recordUnsubscribe, type UnsubscribeSource } from './record.js';

export interface UnsubscribeServerOptions {
  outbox: Pick<Outbox, 'deliveryById' | 'suppress'>;
  secret: string;
  /** The path of the configured unsubscribe.url: the only one answered. */
  path: string;
  sender: Sender;
  /** The unsubscribe address, offered on the pages for whoever cannot use the link. */
  mailto: string;
  host: string;
  port: number;
  /** Take the client's address from the last X-Forwarded-For entry (set by our own reverse proxy). */
  trustProxy: boolean;
  /** Requests with a refused token per client per window (a valid token is never refused for this). */
  rateLimit: { limit: number; windowMs: number };
  maxBodyBytes: number;
  now: () => number;
  /** One line per request: outcome, campaign and row; never the token, the address or the client's. */
  log: (line: string) => void;
}

export interface UnsubscribeServer {
  /** `http://host:port`, the port chosen when 0 was asked. */
  url: string;
  port: number;
  close(): Promise<void>;
}

const SECURITY_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  // Nothing here may be kept: a shared cache must not answer for someone else's token.
  'Cache-Control': 'no-store',
};

class TooLarge extends Error {}
/** The client went away (or was timed out) before its body arrived: nothing to answer, nothing recorded. */
class ClientGone extends Error {}

/** The path as compared: percent-escapes decoded, so `%C3%A9` and `%c3%a9` are the same path. */
function samePath(a: string, b: string): boolean {
  const norm = (p: string) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return p;
    }
  };
  return norm(a) === norm(b);
}

function readBody(req: IncomingMessage, max: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > max) {
      reject(new TooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        req.removeAllListeners('data');
        reject(new TooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    // A client that disconnects, or that Node times out (requestTimeout), is not the store failing.
    req.on('error', () => reject(new ClientGone()));
    req.on('close', () => {
      if (!req.complete) reject(new ClientGone());
    });
  });
}

/**
 * Whether the body is RFC 8058's `List-Unsubscribe=One-Click`, form-encoded or multipart
 * (both are allowed): the mail program's button, not our page's.
 */
export function isOneClickBody(body: string, contentType: string | undefined): boolean {
  if (/^multipart\/form-data/i.test(contentType ?? ''))
    return /name="?List-Unsubscribe"?\r?\n(?:[^\r\n]+\r?\n)*\r?\nOne-Click\r?\n/i.test(body);
  return new URLSearchParams(body).get('List-Unsubscribe') === 'One-Click';
}

/**
 * The unsubscribe endpoint (RFC 8058 one-click, and a page for people): answers only at
 * `path`. A GET (or HEAD) never changes anything — link scanners fetch every link of a
 * message — it shows a confirmation page whose button POSTs. A POST with a valid token
 * suppresses the recipient at once: `one-click` when the body is RFC 8058's, `web` from
 * the page. Test tokens (campaign 0) get their page and record nothing.
 */
export async function startUnsubscribeServer(o: UnsubscribeServerOptions): Promise<UnsubscribeServer> {
  const limiter = new RateLimiter(o.rateLimit.limit, o.rateLimit.windowMs, o.now);

  const send = (
    res: ServerResponse,
    status: number,
    body: string,
    type: 'html' | 'text',
    extra: Record<string, string> = {},
  ) => {
    res.writeHead(status, {
      ...SECURITY_HEADERS,
      'Content-Type': type === 'html' ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8',
      'Content-Length': String(Buffer.byteLength(body)),
      ...extra,
    });
    res.end(body);
  };
  const page = (res: ServerResponse, status: number, p: Page, action?: string) =>
    send(res, status, renderPage(p, action), 'html');

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<string> => {
    const method = req.method ?? '';
    const url = new URL(req.url ?? '/', 'http://unsubscribe.invalid');
    if (!samePath(url.pathname, o.path)) {
      send(res, 404, PLAIN[404], 'text');
      return 'not-found';
    }
    if (!['GET', 'HEAD', 'POST'].includes(method)) {
      send(res, 405, PLAIN[405], 'text', { Allow: 'GET, HEAD, POST' });
      return 'method-not-allowed';
    }
    const forwarded = String(req.headers['x-forwarded-for'] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .at(-1);
    const client = (o.trustProxy && forwarded) || req.socket.remoteAddress || 'unknown';
    const token = url.searchParams.get('t') ?? undefined;
    const who = await checkToken(o.outbox, o.secret, token);
    // The button's form posts back here with the same token.
    const action = `?t=${encodeURIComponent(token ?? '')}`;
    if (who.kind === 'invalid') {
      // Only refused tokens count: the valid ones are bounded by what was sent, and a mail
      // provider's one-click POSTs all come from a few addresses (or, behind a proxy, one).
      const wait = limiter.take(client);
      if (wait !== undefined) {
        send(res, 429, PLAIN[429], 'text', { 'Retry-After': String(wait) });
        return 'rate-limited';
      }
      page(res, 400, invalidPage(o.mailto));
      return 'invalid-token';
    }
    let body = '';
    if (method === 'POST') {
      try {
        body = await readBody(req, o.maxBodyBytes);
      } catch (err) {
        if (err instanceof ClientGone) return 'client-gone';
        if (!(err instanceof TooLarge)) throw err;
        send(res, 413, PLAIN[413], 'text', { Connection: 'close' });
        return 'too-large';
      }
    }
    if (who.kind === 'test') {
      if (method === 'POST') page(res, 200, testDonePage());
      else page(res, 200, testPage(), action);
      return method === 'POST' ? 'test-post' : 'test-page';
    }
    const ids = `campaign=${who.campaignId} row=${who.deliveryId}`;
    if (method !== 'POST') {
      page(res, 200, confirmPage(o.sender), action);
      return `confirm-page ${ids}`;
    }
    const source: UnsubscribeSource = isOneClickBody(body, req.headers['content-type']) ? 'one-click' : 'web';
    const added = await recordUnsubscribe(o.outbox, who, source, o.now());
    page(res, 200, donePage(o.sender));
    return `${added ? 'unsubscribed' : 'already-unsubscribed'} ${ids} source=${source}`;
  };

  const server = createServer((req, res) => {
    handle(req, res)
      .then((outcome) =>
        o.log(
          `${new Date(o.now()).toISOString()} ${req.method} ${res.headersSent ? res.statusCode : '-'} ${outcome}`,
        ),
      )
      .catch((err: unknown) => {
        // The store could not answer: nothing recorded, and the client is told to come back.
        if (!res.headersSent) page(res, 503, unavailablePage(o.mailto));
        const code = (err as { code?: string }).code ?? 'error';
        o.log(`${new Date(o.now()).toISOString()} ${req.method} 503 store-unavailable (${code})`);
      });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 15_000;
  server.keepAliveTimeout = 5_000;
  await listenOn(server, o.port, o.host);
  const port = (server.address() as AddressInfo).port;
  const hostInUrl = o.host.includes(':') ? `[${o.host}]` : o.host;
  return {
    url: `http://${hostInUrl}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
