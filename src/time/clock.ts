import { AimqError } from '../errors/index.js';
import { parseInstant } from './instant.js';

/**
 * The clock of a command: the real one, or one that starts at `--now` (or AIMQ_NOW, for
 * tests and rehearsals) and runs from there, so a watcher still sees time pass.
 */
export function commandClock(nowOption: string | undefined, env: NodeJS.ProcessEnv, timeZone: string): () => number {
  const text = nowOption ?? env.AIMQ_NOW;
  if (text === undefined) return () => Date.now();
  const base = parseInstant(text, timeZone);
  if (base === undefined) {
    throw new AimqError('AIMQ-USAGE', `${nowOption !== undefined ? '--now' : 'AIMQ_NOW'}: "${text}" is not an ISO date or date-time`, { hint: 'for example 2026-12-01T10:00:00-05:00' });
  }
  const started = Date.now();
  return () => base + (Date.now() - started);
}
