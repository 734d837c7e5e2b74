import { AimqError } from '../errors/index.js';
import { parseInstant } from './instant.js';

/** The instant a `--now` value names (an offset, or a local time in `timeZone`); a usage error otherwise. */
export function nowOption(text: string, timeZone: string, name = '--now'): number {
  const epoch = parseInstant(text, timeZone);
  if (epoch === undefined) {
    throw new AimqError(
      'AIMQ-USAGE',
      {
        fr: `${name}\u00a0: "${text}" n’est pas une date ou une date-heure ISO`,
        en: `${name}: "${text}" is not an ISO date or date-time`,
      },
      { hint: { fr: 'par exemple 2026-12-01T10:00:00-05:00', en: 'for example 2026-12-01T10:00:00-05:00' } },
    );
  }
  return epoch;
}

/**
 * The clock of a command: the real one, or one that starts at `--now` (or AIMQ_NOW, for
 * tests and rehearsals) and runs from there, so a watcher still sees time pass.
 */
export function commandClock(
  option: string | undefined,
  env: NodeJS.ProcessEnv,
  timeZone: string,
): () => number {
  const text = option ?? env.AIMQ_NOW;
  if (text === undefined) return () => Date.now();
  const base = nowOption(text, timeZone, option !== undefined ? '--now' : 'AIMQ_NOW');
  const started = Date.now();
  return () => base + (Date.now() - started);
}
