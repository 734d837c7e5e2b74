import { AimqError } from '../errors/index.js';
import { isOneClick, unsubscribeUrl } from '../message/unsubscribe.js';
import type { Config } from '../model/config.js';
import type { Text } from '../i18n/text.js';

/** Fewer characters than this is too little to sign with: 32 base64 characters are 192 bits. */
export const MIN_SECRET_LENGTH = 32;

const HINT: Text = {
  fr: 'créez-en un avec openssl rand -base64 48, et gardez-le dans l’environnement (un identifiant systemd, un secret de la CI), jamais dans le dépôt',
  en: 'make one with: openssl rand -base64 48 — and keep it in the environment (a systemd credential, a CI secret), never in the repository',
};

/** What callers name as refused (`doing`), as French says it; another word is shown as it is. */
const DOING_FR: Record<string, string> = {
  send: 'envoyer',
  schedule: 'planifier',
  dispatch: 'faire les envois planifiés',
};

/**
 * The secret that signs unsubscribe tokens, from AIMQ_UNSUBSCRIBE_SECRET; undefined when unset.
 * One that is set but short is refused (AIMQ-UNSUBSCRIBE-SECRET, exit 2). The message never
 * quotes it.
 */
export function unsubscribeSecret(env: NodeJS.ProcessEnv): string | undefined {
  const secret = env.AIMQ_UNSUBSCRIBE_SECRET?.trim();
  if (!secret) return undefined;
  if (secret.length < MIN_SECRET_LENGTH)
    throw new AimqError(
      'AIMQ-UNSUBSCRIBE-SECRET',
      {
        fr: `AIMQ_UNSUBSCRIBE_SECRET compte ${secret.length} caractères\u00a0; il en faut au moins ${MIN_SECRET_LENGTH}`,
        en: `AIMQ_UNSUBSCRIBE_SECRET has ${secret.length} characters; it needs at least ${MIN_SECRET_LENGTH}`,
      },
      { hint: HINT },
    );
  return secret;
}

/** Whether the configuration asks for one-click (https) unsubscribe links, which carry tokens. */
export function usesTokens(config: Config): boolean {
  return config.email !== undefined && isOneClick(unsubscribeUrl(config.email));
}

/**
 * The secret, required when the configuration has a one-click `unsubscribe.url`: every message
 * then carries a signed per-recipient token, and a link that cannot say who asked is what
 * RFC 8058 forbids. `doing`: what is refused, for the message ("send", "schedule"…).
 */
export function requireUnsubscribeSecret(
  config: Config,
  env: NodeJS.ProcessEnv,
  doing: string,
): string | undefined {
  const secret = unsubscribeSecret(env);
  if (!secret && usesTokens(config))
    throw new AimqError(
      'AIMQ-UNSUBSCRIBE-SECRET',
      {
        fr: `impossible de ${DOING_FR[doing] ?? doing}\u00a0: email.unsubscribe.url est un lien de désabonnement en un clic, et signer le lien de chaque destinataire demande AIMQ_UNSUBSCRIBE_SECRET`,
        en: `cannot ${doing}: email.unsubscribe.url is a one-click link, and signing each recipient's link needs AIMQ_UNSUBSCRIBE_SECRET`,
      },
      {
        file: config.file,
        hint: {
          fr: `définissez AIMQ_UNSUBSCRIBE_SECRET (au moins ${MIN_SECRET_LENGTH} caractères)\u00a0; ${HINT.fr}`,
          en: `set AIMQ_UNSUBSCRIBE_SECRET (at least ${MIN_SECRET_LENGTH} characters); ${HINT.en}`,
        },
      },
    );
  return secret;
}
