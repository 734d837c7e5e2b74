import { Resolver } from 'node:dns/promises';
import { AimqError } from '../errors/index.js';

/** What the checks ask of DNS. A name with no such record is an empty list, not an error. */
export interface DoctorDns {
  /** Each TXT record with its strings joined (a long record is split into 255-byte strings). */
  txt(name: string): Promise<string[]>;
  mx(name: string): Promise<{ exchange: string; priority: number }[]>;
  /** Where the answers come from, for the report. */
  readonly server: string;
}

/** Answers that mean "no such record": every other failure is the resolver's. */
const ABSENT = new Set(['ENOTFOUND', 'ENODATA', 'NXDOMAIN']);

/**
 * DNS through node's resolver: the system's servers, or `server` (`ip:port`, `ip`, or
 * `[ipv6]:port`) when given. A server that does not answer is an AimqError AIMQ-DOCTOR
 * raised by the first query: the checks are meaningless without DNS.
 */
export function doctorDns(server: string | undefined, timeoutMs = 3000): DoctorDns {
  const resolver = new Resolver({ timeout: timeoutMs, tries: 2 });
  if (server !== undefined) {
    try {
      resolver.setServers([server]);
    } catch {
      throw new AimqError('AIMQ-USAGE', `--dns: "${server}" is not an IP address with an optional port`, {
        hint: 'for example --dns 127.0.0.1:5353 or --dns 9.9.9.9',
      });
    }
  }
  const shown = server ?? (resolver.getServers().join(', ') || 'the system resolver');
  const ask = async <T>(name: string, query: () => Promise<T[]>): Promise<T[]> => {
    try {
      return await query();
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? '';
      if (ABSENT.has(code)) return [];
      throw new AimqError(
        'AIMQ-DOCTOR',
        `the DNS server ${shown} did not answer for ${name} (${code || 'error'})`,
        {
          cause: err,
          hint: 'check the address given to --dns, or the machine’s network and resolver',
        },
      );
    }
  };
  return {
    server: shown,
    txt: async (name) => (await ask(name, () => resolver.resolveTxt(name))).map((parts) => parts.join('')),
    mx: (name) => ask(name, () => resolver.resolveMx(name)),
  };
}
