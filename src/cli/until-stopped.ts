import type { Io } from './main.js';

/** Resolves once SIGINT or SIGTERM asked a long-running command (a server) to stop. */
export function untilStopped(io: Pick<Io, 'stopRequested'>): Promise<void> {
  return new Promise<void>((resolve) => {
    const check = setInterval(() => {
      if (io.stopRequested()) {
        clearInterval(check);
        resolve();
      }
    }, 200);
  });
}
