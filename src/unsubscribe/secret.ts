import { AimqError } from '../errors/index.js';
import { isOneClick, unsubscribeUrl } from '../message/unsubscribe.js';
import type { Config } from '../model/config.js';

/** Fewer characters than this is too little to sign with: 32 base64 characters are 192 bits. */
export const MIN_SECRET_LENGTH = 32;

const HINT =
  'make one with: openssl rand -base64 48 — and keep it in the environment (a systemd credential, a CI secret), never in the repository';

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
      `AIMQ_UNSUBSCRIBE_SECRET has ${secret.length} characters; it needs at least ${MIN_SECRET_LENGTH}`,
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
      `cannot ${doing}: email.unsubscribe.url is a one-click link, and signing each recipient's link needs AIMQ_UNSUBSCRIBE_SECRET`,
      {
        file: config.file,
        hint: `set AIMQ_UNSUBSCRIBE_SECRET (at least ${MIN_SECRET_LENGTH} characters); ${HINT}`,
      },
    );
  return secret;
}
