import { loadConfig } from '../../config/load.js';
import { AimqError, EXIT } from '../../errors/index.js';
import { isOneClick, unsubscribeUrl } from '../../message/unsubscribe.js';
import { requireEmail } from '../../sending/email-settings.js';
import { openOutbox, outboxShown } from '../../sending/open-outbox.js';
import { MIN_SECRET_LENGTH, unsubscribeSecret } from '../../unsubscribe/secret.js';
import { startUnsubscribeServer } from '../../unsubscribe/server.js';
import type { Io } from '../main.js';
import { untilStopped } from '../until-stopped.js';

export interface UnsubscribeServeOptions {
  port: string;
  host: string;
  trustProxy?: boolean;
  rateLimit: string;
}

function positiveInteger(value: string, flag: string, example: string, min = 0): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < min || n > (flag === '--port' ? 65535 : 1_000_000))
    throw new AimqError(
      'AIMQ-USAGE',
      { fr: `${flag}\u00a0: "${value}" n’est pas valide`, en: `${flag}: "${value}" is not valid` },
      { hint: { fr: `par exemple ${flag} ${example}`, en: `for example ${flag} ${example}` } },
    );
  return n;
}

/**
 * `aimq unsubscribe serve`: the one-click unsubscribe endpoint, at the path of
 * email.unsubscribe.url, until SIGINT or SIGTERM. It writes to the project's outbox (the
 * SQLite file, or PostgreSQL with AIMQ_OUTBOX_URL), which every send reads before each message.
 */
export async function unsubscribeServeCommand(io: Io, opts: UnsubscribeServeOptions): Promise<number> {
  const port = positiveInteger(opts.port, '--port', '8025');
  const rateLimit = positiveInteger(opts.rateLimit, '--rate-limit', '30', 1);
  const config = loadConfig(io.cwd, io.cwd);
  requireEmail(config);
  const email = config.email!;
  const url = unsubscribeUrl(email);
  if (!isOneClick(url))
    throw new AimqError(
      'AIMQ-EMAIL-CONFIG',
      {
        fr: 'email.unsubscribe.url n’est pas une adresse https\u00a0: il n’y a rien à servir',
        en: 'email.unsubscribe.url is not set to an https address: there is nothing to serve',
      },
      {
        file: config.file,
        hint: {
          fr: 'ajoutez `email.unsubscribe.url: https://<votre site>/<chemin>`, l’adresse que votre mandataire inverse transmet ici',
          en: 'add email.unsubscribe.url: https://<your site>/<path> — the address your reverse proxy forwards here',
        },
      },
    );
  const secret = unsubscribeSecret(io.env);
  if (!secret)
    throw new AimqError(
      'AIMQ-UNSUBSCRIBE-SECRET',
      {
        fr: 'AIMQ_UNSUBSCRIBE_SECRET n’est pas défini\u00a0: le point de désabonnement ne peut vérifier aucun jeton',
        en: 'AIMQ_UNSUBSCRIBE_SECRET is not set: the endpoint cannot check any token',
      },
      {
        hint: {
          fr: `donnez-lui le secret de vos envois (au moins ${MIN_SECRET_LENGTH} caractères\u00a0; pour en créer un\u00a0: openssl rand -base64 48)`,
          en: `set it to the secret your sends use (at least ${MIN_SECRET_LENGTH} characters; a new one: openssl rand -base64 48)`,
        },
      },
    );
  const path = new URL(url).pathname;
  const outbox = await openOutbox(config, io.cwd, io.env);
  try {
    const server = await startUnsubscribeServer({
      outbox,
      secret,
      path,
      sender: {
        fr: config.organization.name.fr ?? config.organization.shortName,
        en: config.organization.name.en ?? config.organization.shortName,
      },
      mailto: email.unsubscribe.mailto,
      host: opts.host,
      port,
      trustProxy: Boolean(opts.trustProxy),
      rateLimit: { limit: rateLimit, windowMs: 60_000 },
      maxBodyBytes: 4096,
      now: () => Date.now(),
      log: (line) => io.stderr(line),
    });
    io.stdout(`${server.url}${path}`);
    const outboxName = outboxShown(config, io.cwd, io.env);
    io.stderr(
      io.t({
        fr: `Point de désabonnement pour ${url} sur ${server.url}${path}, qui écrit dans ${outboxName}. Ctrl-C pour l’arrêter.`,
        en: `Unsubscribe endpoint for ${url} on ${server.url}${path}, writing to ${outboxName}. Ctrl-C to stop.`,
      }),
    );
    await untilStopped(io);
    await server.close();
    io.stderr(io.t({ fr: 'Point de désabonnement arrêté.', en: 'Unsubscribe endpoint stopped.' }));
    return EXIT.ok;
  } finally {
    await outbox.close();
  }
}
