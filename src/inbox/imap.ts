import { ImapFlow } from 'imapflow';
import { isLoopback } from '../dispatch/transport.js';
import { AimqError } from '../errors/index.js';
import type { Config } from '../model/config.js';
import type { Text } from '../i18n/text.js';

export interface ImapSettings {
  host: string;
  port: number;
  /** Implicit TLS (usually port 993); otherwise STARTTLS, required off this machine. */
  secure: boolean;
  user: string;
  password: string;
  folder: string;
  processedFolder: string;
}

/**
 * The mailbox from the config's `inbox:`, with the password from AIMQ_IMAP_PASSWORD (a
 * password in the file is refused when the config is read). The password never appears in
 * a message.
 */
export function imapSettings(config: Config, env: NodeJS.ProcessEnv): ImapSettings {
  const inbox = config.inbox;
  if (!inbox?.host || !inbox.user)
    throw new AimqError(
      'AIMQ-IMAP-CONFIG',
      {
        fr: 'aucune boîte IMAP\u00a0: ajoutez `inbox: { host, user }` à la configuration',
        en: 'no IMAP mailbox: add inbox: { host, user } to the config',
      },
      {
        file: config.file,
        hint: {
          fr: 'par exemple `inbox: { host: imap.example.org, port: 993, secure: true, user: bounces@example.org }`\u00a0; le mot de passe va dans AIMQ_IMAP_PASSWORD',
          en: 'e.g. inbox: { host: imap.example.org, port: 993, secure: true, user: bounces@example.org }; the password goes in AIMQ_IMAP_PASSWORD',
        },
      },
    );
  const password = env.AIMQ_IMAP_PASSWORD;
  if (!password)
    throw new AimqError(
      'AIMQ-IMAP-CONFIG',
      {
        fr: `AIMQ_IMAP_PASSWORD n’est pas défini\u00a0: c’est le mot de passe de ${inbox.user}`,
        en: `AIMQ_IMAP_PASSWORD is not set: the password of ${inbox.user}`,
      },
      {
        hint: {
          fr: 'définissez-le dans l’environnement (un secret de la CI, l’EnvironmentFile de l’unité systemd), jamais dans un fichier du projet',
          en: 'set it in the environment (a CI secret, the systemd unit’s EnvironmentFile), never in a file of the project',
        },
      },
    );
  return {
    host: inbox.host,
    port: inbox.port,
    secure: inbox.secure,
    user: inbox.user,
    password,
    folder: inbox.folder,
    processedFolder: inbox.processedFolder,
  };
}

/** A message of the folder, by UID. */
export interface FolderMessage {
  uid: number;
  raw: Buffer;
}

/** The folder being read: its messages one at a time, and moving the processed ones out. */
export interface ImapFolder {
  /** Every message of the folder: its UID and Message-ID (from the envelope, without downloading it). */
  list(): Promise<{ uid: number; messageId: string | undefined }[]>;
  fetch(uid: number): Promise<Buffer | undefined>;
  /** Moves messages to the processed folder, creating it when it does not exist. */
  moveProcessed(uids: readonly number[]): Promise<void>;
  close(): Promise<void>;
}

export interface ImapOptions {
  /** Allow a plain connection off this machine, and a certificate that does not verify (self-signed). */
  insecure: boolean;
  timeoutMs: number;
}

/**
 * Connects, authenticates and opens the folder. TLS is implicit (`secure`) or STARTTLS,
 * which is required unless the server is on this machine or `insecure` is set.
 */
export async function openFolder(settings: ImapSettings, options: ImapOptions): Promise<ImapFolder> {
  const local = isLoopback(settings.host);
  const client = new ImapFlow({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    ...(settings.secure ? {} : { doSTARTTLS: local || options.insecure ? undefined : true }),
    auth: { user: settings.user, pass: settings.password },
    tls: { rejectUnauthorized: !local && !options.insecure },
    logger: false,
    disableAutoIdle: true,
    connectionTimeout: options.timeoutMs,
    greetingTimeout: options.timeoutMs,
    socketTimeout: Math.max(options.timeoutMs, 30_000),
    clientInfo: { name: 'aimq' },
  });
  // A connection that breaks later is reported by the command that was running.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (err) {
    throw imapError(err, settings);
  }
  let lock: { release(): void };
  try {
    lock = await client.getMailboxLock(settings.folder);
  } catch (err) {
    // A folder that is not there is a setting to correct, not a server to try again.
    const folders = await client.list().catch(() => undefined);
    await client.logout().catch(() => {});
    if (folders && !folders.some((f) => f.path === settings.folder)) {
      const names = folders.map((f) => f.path);
      const shown = `${names.slice(0, 20).join(', ')}${names.length > 20 ? ', …' : ''}`;
      const server = `${settings.host}:${settings.port}`;
      throw new AimqError(
        'AIMQ-IMAP',
        {
          fr: `le dossier «\u00a0${settings.folder}\u00a0» n’existe pas sur le serveur IMAP ${server} (compte ${settings.user})`,
          en: `the folder "${settings.folder}" does not exist on the IMAP server ${server} (as ${settings.user})`,
        },
        {
          hint: {
            fr: `corrigez inbox.folder dans la configuration\u00a0; les dossiers de cette boîte\u00a0: ${shown}`,
            en: `correct inbox.folder in the config; this mailbox's folders: ${shown}`,
          },
          cause: err,
        },
      );
    }
    throw imapError(err, settings, {
      fr: `le dossier «\u00a0${settings.folder}\u00a0»`,
      en: `the folder "${settings.folder}"`,
    });
  }
  const guard = async <T>(what: Text, fn: () => Promise<T>, hint?: () => Promise<Text>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      throw imapError(err, settings, what, await hint?.().catch(() => undefined));
    }
  };
  return {
    list: () =>
      guard({ fr: 'lecture de la liste du dossier', en: 'listing the folder' }, async () => {
        const out: { uid: number; messageId: string | undefined }[] = [];
        if (!(client.mailbox ? client.mailbox.exists : 0)) return out;
        for await (const m of client.fetch('1:*', { uid: true, envelope: true }))
          out.push({ uid: m.uid, messageId: m.envelope?.messageId?.trim() || undefined });
        return out;
      }),
    fetch: (uid) =>
      guard({ fr: `lecture du courriel ${uid}`, en: `fetching message ${uid}` }, async () => {
        const m = await client.fetchOne(String(uid), { source: true }, { uid: true });
        return m ? m.source : undefined;
      }),
    moveProcessed: (uids) =>
      guard(
        {
          fr: `déplacement des courriels vers «\u00a0${settings.processedFolder}\u00a0»`,
          en: `moving messages to "${settings.processedFolder}"`,
        },
        async () => {
          if (!uids.length) return;
          const folders = await client.list();
          if (!folders.some((f) => f.path === settings.processedFolder))
            await client.mailboxCreate(settings.processedFolder);
          await client.messageMove(uids.join(','), settings.processedFolder, { uid: true });
        },
        // The server refused the folder's name (a separator it does not use, a character it
        // forbids): running again would fail the same way.
        async () => {
          const separator = (await client.list()).find((f) => f.delimiter)?.delimiter;
          const sepFr = separator
            ? ` (ce serveur sépare les niveaux de dossiers par «\u00a0${separator}\u00a0»)`
            : '';
          const sepEn = separator ? ` (this server separates folder levels with "${separator}")` : '';
          return {
            fr: `vérifiez inbox.processedFolder dans la configuration${sepFr}, puis relancez la commande\u00a0: ce qui a été appliqué le reste et ne l’est pas deux fois`,
            en: `check inbox.processedFolder in the config${sepEn}, then run the command again; what was applied stays applied and is not applied twice`,
          };
        },
      ),
    close: async () => {
      lock.release();
      await client.logout().catch(() => {});
    },
  };
}

/** An IMAP failure as AIMQ-IMAP (exit 2), naming the server and the user, never the password. */
function imapError(err: unknown, s: ImapSettings, during?: Text, hint?: Text): AimqError {
  if (err instanceof AimqError) return err;
  const e = err as { authenticationFailed?: boolean; code?: string; message?: string; responseText?: string };
  const server = `${s.host}:${s.port}`;
  const said = redactSecret(String(e.responseText ?? e.message ?? err), s.password);
  if (e.authenticationFailed)
    return new AimqError(
      'AIMQ-IMAP',
      {
        fr: `le serveur IMAP ${server} a refusé les identifiants de ${s.user}`,
        en: `the IMAP server ${server} refused the credentials of ${s.user}`,
      },
      {
        hint: {
          fr: 'vérifiez inbox.user dans la configuration et le mot de passe dans AIMQ_IMAP_PASSWORD',
          en: 'check inbox.user in the config and the password in AIMQ_IMAP_PASSWORD',
        },
        cause: err,
      },
    );
  // TLS spoken to a port that answers in clear text (secure: true on 143), or the reverse.
  if (
    /WRONG_VERSION_NUMBER|wrong version number|packet length too long|http request/i.test(`${e.code} ${said}`)
  )
    return new AimqError(
      'AIMQ-IMAP',
      {
        fr: `le serveur IMAP ${server} ne parle pas TLS dès la connexion sur ce port (${e.code ?? 'TLS'})`,
        en: `the IMAP server ${server} does not speak TLS from the start on this port (${e.code ?? 'TLS'})`,
      },
      {
        hint: {
          fr: 'inbox.secure à true, c’est le TLS implicite, sur le port 993 en général\u00a0; sur le port 143, mettez inbox.secure à false (STARTTLS)',
          en: 'secure: true is implicit TLS, usually on port 993; on port 143, set secure: false (STARTTLS)',
        },
        cause: err,
      },
    );
  if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|CONNECT_TIMEOUT|EHOSTUNREACH/.test(`${e.code} ${said}`))
    return new AimqError(
      'AIMQ-IMAP',
      {
        fr: `le serveur IMAP ${server} est injoignable (${e.code ?? said})`,
        en: `the IMAP server ${server} cannot be reached (${e.code ?? said})`,
      },
      {
        hint: {
          fr: 'vérifiez inbox.host et inbox.port (993 avec `secure: true`, ou 143 avec STARTTLS)',
          en: 'check inbox.host and inbox.port (993 with secure: true, or 143 with STARTTLS)',
        },
        cause: err,
      },
    );
  return new AimqError(
    'AIMQ-IMAP',
    {
      fr: `le serveur IMAP ${server}${during ? `, ${during.fr}` : ''}\u00a0: ${said}`,
      en: `the IMAP server ${server}${during ? `, ${during.en}` : ''}: ${said}`,
    },
    {
      hint: hint ?? {
        fr: 'relancez la même commande\u00a0: ce qui a été appliqué le reste et ne l’est pas deux fois',
        en: 'run the same command again; what was applied stays applied and is not applied twice',
      },
      cause: err,
    },
  );
}

function redactSecret(text: string, secret: string): string {
  return secret ? text.split(secret).join('****') : text;
}
