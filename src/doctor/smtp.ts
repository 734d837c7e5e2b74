import { createSmtpTransport, isLoopback, smtpSettings } from '../dispatch/transport.js';
import { AimqError } from '../errors/index.js';
import type { Config } from '../model/config.js';
import { configWhere, type Finding, ok } from './finding.js';

/** What `aimq smtp verify` does, as a finding: connect, TLS, authenticate, send nothing. */
export async function checkSmtp(
  config: Config,
  env: NodeJS.ProcessEnv,
  o: { insecure: boolean; timeoutMs: number },
): Promise<Finding> {
  try {
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
    const tls = settings.secure
      ? 'implicit TLS'
      : isLoopback(settings.host) || o.insecure
        ? 'TLS if offered'
        : 'STARTTLS required';
    return ok(
      'SMTP',
      `${settings.host}:${settings.port} (${tls}${settings.user ? `, authenticated as ${settings.user}` : ''}): ready`,
    );
  } catch (err) {
    if (!(err instanceof AimqError)) throw err;
    // The transport's message and hint, which never hold the password.
    return {
      check: 'SMTP',
      severity: 'error',
      message: `${err.message} [${err.code}]`,
      ...(err.hint ? { fix: err.hint } : {}),
      where: env.AIMQ_SMTP_URL
        ? 'AIMQ_SMTP_URL (environment), password in it or in AIMQ_SMTP_PASSWORD'
        : config.smtp
          ? `${configWhere(config, ['smtp'])}, password in AIMQ_SMTP_PASSWORD`
          : `${config.file}: no smtp section, and no AIMQ_SMTP_URL`,
    };
  }
}
