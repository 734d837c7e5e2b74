import { createSmtpTransport, isLoopback, smtpSettings } from '../dispatch/transport.js';
import type { Text } from '../i18n/text.js';
import type { Config } from '../model/config.js';

/** What a successful check of the SMTP server found. */
export interface SmtpVerified {
  /** `host:port`. */
  server: string;
  /** How the connection is protected. */
  tls: Text;
  /** Who it authenticated as, when it did. */
  user: string | undefined;
}

/**
 * `aimq smtp verify` and `aimq doctor`: connects, negotiates TLS and authenticates with the
 * configured server, sends nothing. Failures are the transport's AIMQ-SMTP errors, which
 * never hold the password.
 */
export async function verifySmtp(
  config: Config,
  env: NodeJS.ProcessEnv,
  o: { insecure: boolean; timeoutMs: number },
): Promise<SmtpVerified> {
  const settings = smtpSettings(config, env);
  const transport = createSmtpTransport(settings, {
    connections: 1,
    insecure: o.insecure,
    timeoutMs: o.timeoutMs,
  });
  try {
    await transport.verify();
  } finally {
    transport.close();
  }
  return {
    server: `${settings.host}:${settings.port}`,
    tls: settings.secure
      ? { fr: 'TLS implicite', en: 'implicit TLS' }
      : isLoopback(settings.host) || o.insecure
        ? { fr: 'TLS s’il est offert', en: 'TLS if offered' }
        : { fr: 'STARTTLS exigé', en: 'STARTTLS required' },
    user: settings.user || undefined,
  };
}
