import { Resolver } from 'node:dns/promises';
import { AimqError } from '../errors/index.js';
import { inLang, type Message } from '../i18n/text.js';

/** What the checks ask of DNS. A name with no such record is an empty list, not an error. */
export interface DoctorDns {
  /** Each TXT record with its strings joined (a long record is split into 255-byte strings). */
  txt(name: string): Promise<string[]>;
  mx(name: string): Promise<{ exchange: string; priority: number }[]>;
  /** Where the answers come from, for the report. */
  readonly server: Message;
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
    // A port outside 1–65535 is accepted by setServers and then silently wrapped.
    const port = /(?:^[\d.]+|\]):(\d+)$/.exec(server)?.[1];
    try {
      if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) throw new RangeError(port);
      resolver.setServers([server]);
    } catch {
      throw new AimqError(
        'AIMQ-USAGE',
        {
          fr: `--dns\u00a0: "${server}" n’est pas une adresse IP suivie ou non d’un port`,
          en: `--dns: "${server}" is not an IP address with an optional port`,
        },
        {
          hint: {
            fr: 'par exemple --dns 127.0.0.1:5353 ou --dns 9.9.9.9',
            en: 'for example --dns 127.0.0.1:5353 or --dns 9.9.9.9',
          },
        },
      );
    }
  }
  const shown: Message =
    server ??
    (resolver.getServers().join(', ') || { fr: 'le résolveur du système', en: 'the system resolver' });
  const ask = async <T>(name: string, query: () => Promise<T[]>): Promise<T[]> => {
    try {
      return await query();
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? '';
      if (ABSENT.has(code)) return [];
      throw new AimqError(
        'AIMQ-DOCTOR',
        {
          fr: `le serveur DNS ${inLang(shown, 'fr')} n’a pas répondu pour ${name} (${code || 'erreur'})`,
          en: `the DNS server ${inLang(shown, 'en')} did not answer for ${name} (${code || 'error'})`,
        },
        {
          cause: err,
          hint: {
            fr: 'vérifiez l’adresse donnée à --dns, ou le réseau et le résolveur de la machine',
            en: 'check the address given to --dns, or the machine’s network and resolver',
          },
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
