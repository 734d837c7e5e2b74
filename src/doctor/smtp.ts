import { AimqError } from '../errors/index.js';
import { joinText } from '../i18n/text.js';
import type { Config } from '../model/config.js';
import { verifySmtp } from '../sending/verify-smtp.js';
import { configWhere, type Finding, ok } from './finding.js';

/** What `aimq smtp verify` does, as a finding: connect, TLS, authenticate, send nothing. */
export async function checkSmtp(
  config: Config,
  env: NodeJS.ProcessEnv,
  o: { insecure: boolean; timeoutMs: number },
): Promise<Finding> {
  try {
    const { server: where, tls, user } = await verifySmtp(config, env, o);
    return ok('SMTP', {
      fr: `${where} (${tls.fr}${user ? `, authentifié comme ${user}` : ''})\u00a0: prêt`,
      en: `${where} (${tls.en}${user ? `, authenticated as ${user}` : ''}): ready`,
    });
  } catch (err) {
    if (!(err instanceof AimqError)) throw err;
    // The transport's message and hint, which never hold the password.
    return {
      check: 'SMTP',
      severity: 'error',
      message: joinText([err.text, ` [${err.code}]`]),
      ...(err.hint ? { fix: err.hint } : {}),
      where: env.AIMQ_SMTP_URL
        ? {
            fr: 'AIMQ_SMTP_URL (environnement), mot de passe dans cette variable ou dans AIMQ_SMTP_PASSWORD',
            en: 'AIMQ_SMTP_URL (environment), password in it or in AIMQ_SMTP_PASSWORD',
          }
        : config.smtp
          ? {
              fr: `${configWhere(config, ['smtp'])}, mot de passe dans AIMQ_SMTP_PASSWORD`,
              en: `${configWhere(config, ['smtp'])}, password in AIMQ_SMTP_PASSWORD`,
            }
          : {
              fr: `${config.file}\u00a0: aucune section smtp, et pas de AIMQ_SMTP_URL`,
              en: `${config.file}: no smtp section, and no AIMQ_SMTP_URL`,
            },
    };
  }
}
