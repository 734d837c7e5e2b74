import { loadConfig } from '../../config/load.js';
import { EXIT } from '../../errors/index.js';
import type { Io } from '../main.js';
import { sendTunables } from '../../sending/tunables.js';
import { verifySmtp } from '../../sending/verify-smtp.js';

/** `aimq smtp verify`: connect, TLS, authenticate, and send nothing. */
export async function smtpVerifyCommand(io: Io, opts: { insecure?: boolean }): Promise<number> {
  const config = loadConfig(io.cwd, io.cwd);
  const { server, tls, user } = await verifySmtp(config, io.env, {
    insecure: Boolean(opts.insecure),
    timeoutMs: sendTunables(io.env).timeoutMs,
  });
  io.stdout(
    io.t({
      fr: `Serveur SMTP ${server} (${tls.fr}${user ? `, en tant que ${user}` : ''})\u00a0: prêt. Rien n’a été envoyé.`,
      en: `SMTP server ${server} (${tls.en}${user ? `, as ${user}` : ''}): ready. Nothing was sent.`,
    }),
  );
  return EXIT.ok;
}
