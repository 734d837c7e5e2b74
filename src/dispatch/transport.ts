import { Readable } from 'node:stream';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { AimqError } from '../errors/index.js';
import type { Config } from '../model/config.js';
import { asciiDomain } from '../schema/formats.js';

/** What the send loop needs of SMTP: hand over one message for one recipient. */
export interface MailTransport {
  send(envelope: { from: string; to: string }, raw: Buffer): Promise<SendResult>;
  verify(): Promise<void>;
  close(): void;
}

export type SendResult =
  | { outcome: 'sent'; reply: string }
  /** 4xx, or a connection problem before the message was handed over: safe to try again. */
  | { outcome: 'retry'; reply: string }
  /** 5xx: the server refused for good. */
  | { outcome: 'failed'; reply: string; bounce: boolean }
  /** The connection failed after the whole message was handed over: it may have been accepted. */
  | { outcome: 'uncertain'; reply: string }
  /** Nothing can go out: authentication or the sender refused. The row was not sent; stop. */
  | { outcome: 'abort'; reply: string };

export interface SmtpSettings {
  host: string;
  port: number;
  /** Implicit TLS (smtps://, usually port 465). */
  secure: boolean;
  user?: string;
  password?: string;
  /** Where the settings came from, for messages: `AIMQ_SMTP_URL` or the config file. */
  origin: string;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|::1|\[::1\])$/i;

export function isLoopback(host: string): boolean {
  return LOOPBACK.test(host);
}

/**
 * SMTP settings from `AIMQ_SMTP_URL` (smtp://user:…@host:587 or smtps://…), or from the
 * config's `smtp:` with the password in `AIMQ_SMTP_PASSWORD`. The password is kept out of
 * every message aimq prints.
 */
export function smtpSettings(config: Config, env: NodeJS.ProcessEnv): SmtpSettings {
  const url = env.AIMQ_SMTP_URL;
  if (url) {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw new AimqError(
        'AIMQ-SMTP-CONFIG',
        { fr: 'AIMQ_SMTP_URL n’est pas une URL', en: 'AIMQ_SMTP_URL is not a URL' },
        {
          hint: {
            fr: 'écrivez-la smtp://user:…@host:587 ou smtps://user:…@host:465 (le mot de passe est mieux gardé dans AIMQ_SMTP_PASSWORD)',
            en: 'write it as smtp://user:…@host:587 or smtps://user:…@host:465 (the password is best kept in AIMQ_SMTP_PASSWORD)',
          },
        },
      );
    }
    if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:') {
      throw new AimqError(
        'AIMQ-SMTP-CONFIG',
        {
          fr: `AIMQ_SMTP_URL doit commencer par smtp:// ou smtps://, pas par ${u.protocol}//`,
          en: `AIMQ_SMTP_URL must start with smtp:// or smtps://, not ${u.protocol}//`,
        },
        {
          hint: {
            fr: 'par exemple smtp://user@smtp.example.org:587, avec le mot de passe dans AIMQ_SMTP_PASSWORD',
            en: 'for example smtp://user@smtp.example.org:587, with the password in AIMQ_SMTP_PASSWORD',
          },
        },
      );
    }
    const secure = u.protocol === 'smtps:';
    const PARTS = {
      user: { fr: 'le nom d’utilisateur', en: 'the user name' },
      password: { fr: 'le mot de passe', en: 'the password' },
    } as const;
    const decoded = (which: keyof typeof PARTS, text: string): string => {
      const part = PARTS[which];
      try {
        return decodeURIComponent(text);
      } catch {
        // The value itself is never repeated: it may be the password.
        throw new AimqError(
          'AIMQ-SMTP-CONFIG',
          {
            fr: `AIMQ_SMTP_URL\u00a0: ${part.fr} contient un % qui n’est pas suivi de deux chiffres hexadécimaux`,
            en: `AIMQ_SMTP_URL: ${part.en} has a % that is not followed by two hexadecimal digits`,
          },
          {
            hint: {
              fr: `dans une URL, % s’écrit %25 (et \`@\` %40, \`:\` %3A, \`/\` %2F)\u00a0: encodez ${part.fr} avec encodeURIComponent, ou mettez le mot de passe dans AIMQ_SMTP_PASSWORD et retirez-le de l’URL`,
              en: `in a URL, % is written %25 (and @ %40, : %3A, / %2F): encode ${part.en} with encodeURIComponent, or put the password in AIMQ_SMTP_PASSWORD and leave it out of the URL`,
            },
          },
        );
      }
    };
    return {
      // URL keeps an IPv6 host in brackets ([::1]); the connection wants the bare address.
      host: u.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: u.port ? Number(u.port) : secure ? 465 : 587,
      secure,
      ...(u.username ? { user: decoded('user', u.username) } : {}),
      ...(u.password
        ? { password: decoded('password', u.password) }
        : env.AIMQ_SMTP_PASSWORD
          ? { password: env.AIMQ_SMTP_PASSWORD }
          : {}),
      origin: 'AIMQ_SMTP_URL',
    };
  }
  const smtp = config.smtp;
  if (!smtp) {
    throw new AimqError(
      'AIMQ-SMTP-CONFIG',
      {
        fr: 'aucun serveur SMTP\u00a0: définissez AIMQ_SMTP_URL, ou ajoutez `smtp: { host, port, user }` à la configuration',
        en: 'no SMTP server: set AIMQ_SMTP_URL, or add smtp: { host, port, user } to the config',
      },
      {
        file: config.file,
        hint: {
          fr: 'le mot de passe va dans la variable d’environnement AIMQ_SMTP_PASSWORD, jamais dans un fichier',
          en: 'the password goes in the AIMQ_SMTP_PASSWORD environment variable, never in a file',
        },
      },
    );
  }
  return {
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    ...(smtp.user ? { user: smtp.user } : {}),
    ...(env.AIMQ_SMTP_PASSWORD ? { password: env.AIMQ_SMTP_PASSWORD } : {}),
    origin: config.file,
  };
}

/**
 * Removes the password from any text about to be printed or stored: as it is, URL-encoded,
 * and as the base64 AUTH arguments that carry it (PLAIN, LOGIN), which some servers repeat
 * in the reply refusing them.
 */
export function redact(text: string, settings: Pick<SmtpSettings, 'password' | 'user'>): string {
  const p = settings.password;
  if (!p) return text;
  const user = settings.user ?? '';
  const b64 = (v: string) => Buffer.from(v, 'utf8').toString('base64');
  const secrets = [p, encodeURIComponent(p)];
  for (const arg of [`\0${user}\0${p}`, `${user}\0${user}\0${p}`, p]) {
    const encoded = b64(arg);
    secrets.push(encoded, encoded.replace(/=+$/, ''));
  }
  // The longest first: a secret inside another is replaced with it.
  secrets.sort((a, b) => b.length - a.length);
  return secrets.reduce((t, secret) => (secret ? t.split(secret).join('****') : t), text);
}

/** Whether a connection error means the host name could not be resolved. */
function isDnsFailure(err: unknown): boolean {
  // nodemailer reports a failed lookup as EDNS, the resolver's own code in the message.
  const { code, message } = err as { code?: string; message?: string };
  return (
    code === 'EDNS' ||
    code === 'ENOTFOUND' ||
    code === 'EAI_AGAIN' ||
    /\b(ENOTFOUND|EAI_AGAIN|EAI_NONAME)\b/.test(message ?? '')
  );
}

export interface TransportOptions {
  connections: number;
  /** Allow a plain connection to a server that is not on this machine. */
  insecure: boolean;
  timeoutMs: number;
}

/**
 * A pool of SMTP connections (nodemailer's SMTPConnection) that reports each attempt as
 * sent / retry / failed / uncertain / abort. TLS is required (implicit, or STARTTLS) except
 * on loopback or with --insecure.
 *
 * The pool is ours, not nodemailer's, because only the connection knows when the message
 * starts to leave: SMTPConnection reads the message stream after the server accepted the
 * envelope and DATA. A connection lost before that is safe to retry; one lost after may
 * have delivered the message, and the row is `uncertain`.
 */
export function createSmtpTransport(settings: SmtpSettings, options: TransportOptions): MailTransport {
  const local = isLoopback(settings.host);
  const requireTls = !settings.secure && !local && !options.insecure;
  const connectionOptions = {
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    requireTLS: requireTls,
    // A test server on this machine has no certificate worth checking; anywhere else, certificates are checked.
    tls: { rejectUnauthorized: !local },
    connectionTimeout: options.timeoutMs,
    greetingTimeout: options.timeoutMs,
    socketTimeout: options.timeoutMs,
    logger: false,
    debug: false,
  };
  const idle: SMTPConnection[] = [];
  const all = new Set<SMTPConnection>();

  const open = (): Promise<SMTPConnection> =>
    new Promise((resolve, reject) => {
      const conn = new SMTPConnection(connectionOptions);
      let settled = false;
      // A server may close an idle connection at any time: it then leaves the pool.
      const forget = () => {
        all.delete(conn);
        const i = idle.indexOf(conn);
        if (i >= 0) idle.splice(i, 1);
      };
      conn.on('error', (err: Error) => {
        forget();
        if (!settled) {
          settled = true;
          reject(err);
        }
      });
      conn.on('end', forget);
      all.add(conn);
      conn.connect(() => {
        if (!settings.user) {
          settled = true;
          return resolve(conn);
        }
        conn.login({ user: settings.user, pass: settings.password ?? '' }, (err) => {
          if (settled) return;
          settled = true;
          if (err) {
            conn.close();
            return reject(err);
          }
          resolve(conn);
        });
      });
    });

  const close = (conn: SMTPConnection) => {
    all.delete(conn);
    try {
      conn.close();
    } catch {
      // Already closed.
    }
  };

  return {
    async send(envelope, raw) {
      let conn: SMTPConnection;
      try {
        conn = idle.pop() ?? (await open());
      } catch (err) {
        // No connection, nothing sent: every message would fail alike, so the run stops.
        return { outcome: 'abort', reply: describe(err, settings) };
      }
      // The stream is read only once the server accepted the envelope and DATA.
      let handedOver = false;
      const message = Readable.from(
        (function* () {
          handedOver = true;
          yield raw;
        })(),
      );
      return new Promise<SendResult>((resolve) => {
        conn.send(
          { from: asciiDomain(envelope.from), to: [asciiDomain(envelope.to)] },
          message,
          (err, info) => {
            if (err) {
              close(conn);
              return resolve(classify(err, handedOver, settings));
            }
            idle.push(conn);
            if (info.rejected.length)
              return resolve({
                outcome: 'failed',
                reply: redact(String(info.response ?? 'rejected'), settings),
                bounce: true,
              });
            resolve({ outcome: 'sent', reply: redact(String(info.response), settings) });
          },
        );
      });
    },
    async verify() {
      try {
        const conn = await open();
        conn.quit();
      } catch (err) {
        const e = err as { code?: string };
        const server = `${settings.host}:${settings.port}`;
        throw new AimqError(
          'AIMQ-SMTP',
          {
            fr: `serveur SMTP ${server} (d’après ${settings.origin})\u00a0: ${describe(err, settings)}`,
            en: `SMTP server ${server} (from ${settings.origin}): ${describe(err, settings)}`,
          },
          {
            hint:
              e.code === 'EAUTH'
                ? {
                    fr: 'vérifiez l’utilisateur et AIMQ_SMTP_PASSWORD',
                    en: 'check the user and AIMQ_SMTP_PASSWORD',
                  }
                : isDnsFailure(err)
                  ? {
                      fr: `le nom ${settings.host} est introuvable (DNS)\u00a0: vérifiez son orthographe dans ${settings.origin}, et que cette machine peut résoudre les noms`,
                      en: `the name ${settings.host} could not be found (DNS): check its spelling in ${settings.origin}, and that this machine can resolve names`,
                    }
                  : (tlsModeMismatch(err, settings) ??
                    (requireTls
                      ? {
                          fr: 'le serveur doit offrir TLS (STARTTLS ou smtps://)\u00a0; --insecure permet une connexion non chiffrée',
                          en: 'the server must offer TLS (STARTTLS or smtps://); --insecure allows a plain connection',
                        }
                      : {
                          fr: 'vérifiez l’hôte, le port et le réseau',
                          en: 'check the host, the port and the network',
                        })),
          },
        );
      }
    },
    close() {
      for (const conn of [...all]) {
        try {
          conn.quit();
        } catch {
          close(conn);
        }
      }
      idle.length = 0;
    },
  };
}

/**
 * The usual slip between the two ways of TLS: smtps:// (implicit TLS, port 465) to a server
 * that starts in plain text (587, 25), which OpenSSL reports as "wrong version number"; or
 * smtp:// to port 465, whose server waits for a TLS handshake and never sends a greeting.
 */
function tlsModeMismatch(err: unknown, settings: SmtpSettings): { fr: string; en: string } | undefined {
  const { message, code } = err as { message?: string; code?: string };
  const text = message ?? '';
  if (settings.secure && /wrong version number|packet length too long|unknown protocol|EPROTO/i.test(text))
    return {
      fr: `ce port ne parle pas TLS dès la connexion : smtps:// (secure à true) est le TLS implicite, d’habitude sur le port 465 ; pour le port ${settings.port}, écrivez smtp:// (secure à false), qui passe à TLS par STARTTLS`,
      en: `this port does not speak TLS from the start: smtps:// (secure: true) is implicit TLS, usually on port 465; for port ${settings.port}, write smtp:// (secure: false), which moves to TLS with STARTTLS`,
    };
  if (
    !settings.secure &&
    settings.port === 465 &&
    (code === 'ETIMEDOUT' || /Greeting never received/i.test(text))
  )
    return {
      fr: 'le port 465 attend d’habitude TLS dès la connexion (TLS implicite) : écrivez smtps:// (ou secure à true sous smtp)',
      en: 'port 465 usually expects TLS from the start (implicit TLS): write smtps:// (or secure: true under smtp:)',
    };
  return undefined;
}

/** OpenSSL's "805C…:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/…:350:" as its reason. */
const OPENSSL_ERROR = /^[0-9A-F]+:error:[0-9A-F]+:SSL routines:[^:]*:([^:]+):[\s\S]*$/;

function describe(err: unknown, settings: SmtpSettings): string {
  const e = err as { response?: string; message?: string; code?: string };
  const message = (e.message ?? String(err)).replace(OPENSSL_ERROR, 'TLS: $1');
  return redact(e.response ?? `${e.code ? `${e.code}: ` : ''}${message}`, settings);
}

/**
 * Whether a permanent refusal is about the recipient's address — the one kind that may
 * suppress it for good. A refusal of the message itself (a content filter's 554 5.7.1, a
 * size limit's 552 5.3.4) or of the sending (relaying denied) would refuse every recipient
 * alike: suppressing each of them would empty the list after one bad send. With an enhanced
 * status code (RFC 3463) only the addressing class 5.1.x and a disabled mailbox (5.2.1)
 * count; without one, only a refusal at RCPT TO that does not speak of relaying.
 */
export function isAddressRefusal(e: { code?: string; response?: string; message?: string }): boolean {
  if (e.code !== 'EENVELOPE' && e.code !== 'EMESSAGE') return false;
  const text = `${e.response ?? ''} ${e.message ?? ''}`;
  const enhanced = /\b5\.(\d{1,3})\.(\d{1,3})\b/.exec(text);
  if (enhanced) return enhanced[1] === '1' || (enhanced[1] === '2' && enhanced[2] === '1');
  return e.code === 'EENVELOPE' && !/relay|rcpthosts/i.test(text);
}

function classify(err: unknown, handedOver: boolean, settings: SmtpSettings): SendResult {
  const e = err as {
    responseCode?: number;
    response?: string;
    message?: string;
    code?: string;
    command?: string;
  };
  const reply = describe(err, settings);
  // Refused credentials or sender: every message would fail the same way, through no fault of the recipient.
  if (e.code === 'EAUTH' || e.code === 'ETLS' || (e.command === 'MAIL FROM' && (e.responseCode ?? 0) >= 500))
    return { outcome: 'abort', reply };
  if (typeof e.responseCode === 'number') {
    if (e.responseCode >= 500) return { outcome: 'failed', reply, bounce: isAddressRefusal(e) };
    if (e.responseCode >= 400) return { outcome: 'retry', reply };
  }
  return handedOver ? { outcome: 'uncertain', reply } : { outcome: 'retry', reply };
}
