import type { Socket } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerAuthentication, type SMTPServerSession } from 'smtp-server';

/**
 * A loopback SMTP server for tests, built on the real `smtp-server`: it listens on
 * 127.0.0.1 (a port chosen by the system), records every message it receives whole, and
 * misbehaves on request, per recipient address (case ignored):
 *
 * - `refuse`: 550 at RCPT TO;
 * - `tempFail: { times, at }`: 451 the first `times` times, at RCPT TO or at the end of DATA;
 * - `drop`: receive the whole DATA, then close the connection without answering (the first
 *   `times` times, every time by default);
 * - `delayMs`: answer the end of DATA only after this long (also settable for every message).
 *
 * A message counts as received when the server has read the whole DATA and did not refuse it:
 * a message whose connection was dropped, or whose client died while the answer was delayed,
 * is recorded too (with `dropped` / `answered: false`), because a real server would have it.
 */

export interface RecipientBehaviour {
  refuse?: boolean;
  tempFail?: { times: number; at: 'rcpt' | 'data' };
  /**
   * Close the connection without an answer: after the whole DATA (default), or at RCPT TO
   * (before any of the message was sent). `true`: every time.
   */
  drop?: true | { times?: number; at?: 'rcpt' | 'data' };
  delayMs?: number;
}

export interface ReceivedMessage {
  /** Order of arrival, from 0. */
  seq: number;
  sessionId: string;
  from: string;
  /** Envelope recipients, lower-cased. */
  to: string[];
  raw: Buffer;
  /** The connection was closed on purpose after the DATA, without an answer. */
  dropped: boolean;
  /** Whether the 250 answer could be written (false: the client went away first, or dropped). */
  answered: boolean;
  parse(): Promise<ParsedMail>;
}

export interface TestSmtpOptions {
  /** Require AUTH PLAIN/LOGIN with these credentials (over plain text, loopback only). */
  auth?: { user: string; password: string };
  /**
   * Refuse credentials with a reply that repeats the AUTH argument (the base64 of the user
   * and password), as some servers do: what a client must never print or store.
   */
  echoAuthArgument?: boolean;
  /** Delay of every DATA answer, in ms (a slow server). */
  delayMs?: number;
  /** Where to listen: 127.0.0.1 (default) or ::1. Loopback only. */
  host?: '127.0.0.1' | '::1';
  /** Called with each message received whole, before it is answered; the answer waits for it. */
  beforeAnswer?: (message: ReceivedMessage) => Promise<void> | void;
}

export interface TestSmtpServer {
  port: number;
  url: string;
  messages: ReceivedMessage[];
  /** Every RCPT TO the server saw (accepted or not), lower-cased, in order. */
  rcptSeen: string[];
  /** Every AUTH attempt: user and whether it was accepted. */
  authAttempts: { user: string; ok: boolean }[];
  /** Sets how the server treats one address from now on. */
  behave(address: string, behaviour: RecipientBehaviour): void;
  /** Changes the delay of every DATA answer from now on. */
  setDelay(ms: number): void;
  /** How many messages each envelope recipient received whole (lower-cased keys). */
  countsByRecipient(): Map<string, number>;
  /** Messages received for one address. */
  messagesTo(address: string): ReceivedMessage[];
  /** Resolves once `n` messages have been received. */
  waitForMessages(n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

interface Connection {
  _socket: Socket;
  session?: { id?: string };
  id?: string;
}

export async function startSmtpServer(options: TestSmtpOptions = {}): Promise<TestSmtpServer> {
  const behaviours = new Map<string, RecipientBehaviour>();
  const tempFailCounts = new Map<string, number>();
  const dropCounts = new Map<string, number>();
  const messages: ReceivedMessage[] = [];
  const rcptSeen: string[] = [];
  const authAttempts: { user: string; ok: boolean }[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const behaviourOf = (address: string) => behaviours.get(address.toLowerCase()) ?? {};
  const notify = () => {
    for (const w of [...waiters]) {
      if (messages.length >= w.n) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  const tempFailNow = (address: string, at: 'rcpt' | 'data'): boolean => {
    const b = behaviourOf(address);
    if (!b.tempFail || b.tempFail.at !== at) return false;
    const key = address.toLowerCase();
    const n = tempFailCounts.get(key) ?? 0;
    if (n >= b.tempFail.times) return false;
    tempFailCounts.set(key, n + 1);
    return true;
  };
  let delayAll = options.delayMs ?? 0;
  const dropNow = (address: string, at: 'rcpt' | 'data'): boolean => {
    const b = behaviourOf(address);
    if (!b.drop) return false;
    if ((b.drop === true ? 'data' : (b.drop.at ?? 'data')) !== at) return false;
    const key = address.toLowerCase();
    const n = dropCounts.get(key) ?? 0;
    const times = b.drop === true ? Infinity : (b.drop.times ?? Infinity);
    if (n >= times) return false;
    dropCounts.set(key, n + 1);
    return true;
  };

  const server: SMTPServer = new SMTPServer({
    secure: false,
    disabledCommands: options.auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !options.auth,
    allowInsecureAuth: true,
    logger: false,
    banner: 'aimq test server',
    onAuth(auth: SMTPServerAuthentication, _session: SMTPServerSession, callback) {
      const ok = Boolean(
        options.auth && auth.username === options.auth.user && auth.password === options.auth.password,
      );
      authAttempts.push({ user: auth.username ?? '', ok });
      if (!ok) {
        const argument =
          auth.method === 'PLAIN'
            ? Buffer.from(`\0${auth.username ?? ''}\0${auth.password ?? ''}`).toString('base64')
            : Buffer.from(auth.password ?? '').toString('base64');
        const err = Object.assign(
          new Error(
            options.echoAuthArgument
              ? `5.7.8 Authentication failed for AUTH ${auth.method} ${argument}`
              : 'Invalid username or password',
          ),
          { responseCode: 535 },
        );
        return callback(err);
      }
      callback(null, { user: auth.username });
    },
    onRcptTo(address, _session, callback) {
      const to = address.address.toLowerCase();
      rcptSeen.push(to);
      if (behaviourOf(to).refuse)
        return callback(
          Object.assign(new Error(`5.1.1 <${to}>: mailbox unavailable`), { responseCode: 550 }),
        );
      if (tempFailNow(to, 'rcpt'))
        return callback(Object.assign(new Error(`4.3.0 <${to}>: try again later`), { responseCode: 451 }));
      if (dropNow(to, 'rcpt')) {
        destroySession(_session.id);
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        const to = session.envelope.rcptTo.map((a) => a.address.toLowerCase());
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        if (to.some((a) => tempFailNow(a, 'data'))) {
          callback(
            Object.assign(new Error('4.3.0 temporary failure, try again later'), { responseCode: 451 }),
          );
          return;
        }
        const record: ReceivedMessage = {
          seq: messages.length,
          sessionId: session.id,
          from,
          to,
          raw,
          dropped: false,
          answered: false,
          parse: () => simpleParser(raw),
        };
        if (to.some((a) => dropNow(a, 'data'))) {
          record.dropped = true;
          messages.push(record);
          notify();
          // Close the connection this session belongs to, without an answer to the DATA.
          destroySession(session.id);
          return;
        }
        messages.push(record);
        notify();
        const delay = Math.max(0, ...to.map((a) => behaviourOf(a).delayMs ?? 0), delayAll);
        const answer = () => {
          record.answered = true;
          callback(null, `2.0.0 Ok: queued as Q${String(record.seq).padStart(5, '0')}`);
        };
        const later = () => {
          if (delay > 0) {
            const t = setTimeout(() => {
              timers.delete(t);
              answer();
            }, delay);
            timers.add(t);
          } else answer();
        };
        if (options.beforeAnswer) {
          Promise.resolve(options.beforeAnswer(record)).then(later, (err: unknown) =>
            callback(
              Object.assign(new Error(`4.3.0 test hook failed: ${String(err)}`), { responseCode: 451 }),
            ),
          );
        } else later();
      });
    },
  });
  function destroySession(id: string): void {
    for (const c of server.connections as Set<unknown> as Set<Connection>) {
      if ((c.session?.id ?? c.id) === id) c._socket.destroy();
    }
  }
  // A client that goes away (killed, dropped) is an error the server reports: it is expected here.
  server.on('error', () => {});

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.server.address();
  if (!address || typeof address === 'string') throw new Error('the SMTP test server has no port');
  const port = address.port;

  return {
    port,
    url: options.host === '::1' ? `smtp://[::1]:${port}` : `smtp://127.0.0.1:${port}`,
    messages,
    rcptSeen,
    authAttempts,
    behave(addr, behaviour) {
      behaviours.set(addr.toLowerCase(), behaviour);
    },
    setDelay(ms) {
      delayAll = ms;
    },
    countsByRecipient() {
      const out = new Map<string, number>();
      for (const m of messages) for (const t of m.to) out.set(t, (out.get(t) ?? 0) + 1);
      return out;
    },
    messagesTo(addr) {
      const key = addr.toLowerCase();
      return messages.filter((m) => m.to.includes(key));
    },
    waitForMessages(n, timeoutMs = 30_000) {
      if (messages.length >= n) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const w = {
          n,
          resolve: () => {
            clearTimeout(t);
            resolve();
          },
        };
        const t = setTimeout(() => {
          waiters.splice(waiters.indexOf(w), 1);
          reject(
            new Error(
              `the SMTP test server received ${messages.length} message(s), not ${n}, in ${timeoutMs} ms`,
            ),
          );
        }, timeoutMs);
        waiters.push(w);
      });
    },
    close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      return new Promise<void>((resolve) => {
        for (const c of server.connections as Set<unknown> as Set<Connection>) c._socket.destroy();
        server.close(() => resolve());
      });
    },
  };
}

/**
 * A `startSmtpServer` whose servers are all closed by the hook given (`afterEach` or
 * `afterAll`), so a test file need not keep its own list.
 */
export function smtpServers(
  closeIn: (hook: () => Promise<void>) => void,
): (options?: TestSmtpOptions) => Promise<TestSmtpServer> {
  const started: TestSmtpServer[] = [];
  closeIn(async () => {
    await Promise.all(started.splice(0).map((s) => s.close()));
  });
  return async (options = {}) => {
    const s = await startSmtpServer(options);
    started.push(s);
    return s;
  };
}
