import { AimqError } from '../errors/index.js';

/** Tunables that tests shorten through the environment; the defaults suit a real server. */
export function sendTunables(env: NodeJS.ProcessEnv) {
  const num = (name: string, fallback: number) =>
    env[name] && Number.isFinite(Number(env[name])) ? Number(env[name]) : fallback;
  return {
    retryBaseMs: num('AIMQ_RETRY_BASE_MS', 15_000),
    maxRetryWaitMs: num('AIMQ_MAX_RETRY_WAIT_MS', 10 * 60_000),
    maxAttempts: num('AIMQ_MAX_ATTEMPTS', 5),
    timeoutMs: num('AIMQ_SMTP_TIMEOUT_MS', 60_000),
    leaseMs: num('AIMQ_LEASE_MS', 10 * 60_000),
    /** How long to wait for another process that holds the outbox's write lock. */
    outboxBusyMs: num('AIMQ_OUTBOX_BUSY_MS', 10_000),
  };
}

export type SendTunables = ReturnType<typeof sendTunables>;

/** `--connections` and `--rate`: a positive number, `/s` allowed after a rate. */
export function parsePositive(value: string, option: string): number {
  const n = Number(value.replace(/\/s$/, ''));
  if (!Number.isFinite(n) || n <= 0)
    throw new AimqError(
      'AIMQ-USAGE',
      {
        fr: `${option}\u00a0: «\u00a0${value}\u00a0» n’est pas un nombre positif`,
        en: `${option}: "${value}" is not a positive number`,
      },
      {
        hint:
          option === '--rate'
            ? { fr: 'par exemple --rate 10/s', en: 'for example --rate 10/s' }
            : { fr: 'par exemple --connections 3', en: 'for example --connections 3' },
      },
    );
  return n;
}

/** `--max-refusals`: a whole number, 0 or more (0: never stop for refusals). */
export function parseMaxRefusals(value: string): number {
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n))
    throw new AimqError(
      'AIMQ-USAGE',
      {
        fr: `--max-refusals\u00a0: «\u00a0${value}\u00a0» n’est pas un nombre entier positif ou nul`,
        en: `--max-refusals: "${value}" is not a whole number of 0 or more`,
      },
      {
        hint: {
          fr: 'par exemple --max-refusals 5 (0\u00a0: ne jamais s’arrêter pour des refus)',
          en: 'for example --max-refusals 5 (0: never stop for refusals)',
        },
      },
    );
  return n;
}
