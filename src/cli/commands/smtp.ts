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
    ? 'implicit TLS'
    : isLoopback(settings.host) || opts.insecure
      ? 'TLS if offered'
      : 'STARTTLS required';
  io.stdout(
    `SMTP server ${settings.host}:${settings.port} (${tls}${settings.user ? `, as ${settings.user}` : ''}): ready. Nothing was sent.`,
  );
  return EXIT.ok;
}
