import { loadConfig } from '../../config/load.js';
import { createSmtpTransport, isLoopback, smtpSettings } from '../../dispatch/transport.js';
import { EXIT } from '../../errors/index.js';
import type { Io } from '../main.js';
import { sendTunables } from '../../sending/tunables.js';

/** `aimq smtp verify`: connect, TLS, authenticate, and send nothing. */
export async function smtpVerifyCommand(io: Io, opts: { insecure?: boolean }): Promise<number> {
  const config = loadConfig(io.cwd, io.cwd);
  const settings = smtpSettings(config, io.env);
  const transport = createSmtpTransport(settings, {
    connections: 1,
    insecure: Boolean(opts.insecure),
    timeoutMs: sendTunables(io.env).timeoutMs,
  });
  try {
    await transport.verify();
  } finally {
    transport.close();
  }
  const tls = settings.secure
    ? { fr: 'TLS implicite', en: 'implicit TLS' }
    : isLoopback(settings.host) || opts.insecure
      ? { fr: 'TLS s’il est offert', en: 'TLS if offered' }
      : { fr: 'STARTTLS exigé', en: 'STARTTLS required' };
  const server = `${settings.host}:${settings.port}`;
  io.stdout(
    io.t({
      fr: `Serveur SMTP ${server} (${tls.fr}${settings.user ? `, en tant que ${settings.user}` : ''})\u00a0: prêt. Rien n’a été envoyé.`,
      en: `SMTP server ${server} (${tls.en}${settings.user ? `, as ${settings.user}` : ''}): ready. Nothing was sent.`,
    }),
  );
  return EXIT.ok;
}
