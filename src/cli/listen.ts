import type { Server } from 'node:net';
import { AimqError } from '../errors/index.js';

/**
 * Starts `server` listening on host:port. What the user can change (a port in use or
 * reserved, an address this machine does not have) is AIMQ-USAGE (exit 2) with a hint,
 * not an internal error; anything else is thrown as it is.
 */
export async function listenOn(server: Server, port: number, host: string): Promise<void> {
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
      const address = `${host.includes(':') ? `[${host}]` : host}:${port}`;
      throw new AimqError(
        'AIMQ-USAGE',
        { fr: `impossible d’écouter sur ${address} (${code})`, en: `cannot listen on ${address} (${code})` },
        {
          hint:
            code === 'EADDRINUSE'
              ? {
                  fr: 'un autre programme utilise ce port\u00a0: choisissez-en un autre avec --port, ou --port 0 pour n’importe quel port libre',
                  en: 'another program uses that port: choose another with --port, or --port 0 for any free one',
                }
              : { fr: 'vérifiez --host et --port', en: 'check --host and --port' },
          cause: err,
        },
      );
    }
    throw err;
  }
}
