import { type ChildProcess, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { Resolver } from 'node:dns/promises';
import { existsSync } from 'node:fs';

/**
 * A real DNS server for tests: /usr/sbin/dnsmasq on 127.0.0.1 and a free port, answering
 * only from the records given (no upstream, no /etc/hosts). Names under `zones` that have
 * no record get NXDOMAIN or an empty answer, as an authoritative server gives them.
 */

const DNSMASQ = '/usr/sbin/dnsmasq';

export interface DnsRecords {
  /** Domains answered locally only (NXDOMAIN for what is not listed). */
  zones: string[];
  mx?: { name: string; exchange: string; priority: number }[];
  /** Each TXT record as its strings: a long record is several strings of at most 255 characters. */
  txt?: { name: string; strings: string[] }[];
}

export interface TestDnsServer {
  /** `127.0.0.1:<port>`, what `--dns` takes. */
  server: string;
  stop(): Promise<void>;
}

/** A long value as DNS strings of at most 255 characters. */
export function dnsStrings(text: string): string[] {
  return text.match(/.{1,255}/g) ?? [''];
}

async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

export async function startDnsServer(records: DnsRecords): Promise<TestDnsServer> {
  if (!existsSync(DNSMASQ))
    throw new Error(`${DNSMASQ} is missing: install it with "apt-get install dnsmasq-base" (.ci/run does)`);
  for (const t of records.txt ?? [])
    for (const s of t.strings)
      if (s.length > 255 || /[",\\]/.test(s))
        throw new Error(`TXT string for ${t.name} cannot be served: ${s}`);
  const port = await freeUdpPort();
  const args = [
    `--port=${port}`,
    '--listen-address=127.0.0.1',
    '--bind-interfaces',
    '--no-resolv',
    '--no-hosts',
    '--no-daemon',
    '--conf-file=/dev/null',
    '--log-facility=-',
    '--cache-size=0',
    ...records.zones.map((z) => `--local=/${z}/`),
    ...(records.mx ?? []).map((m) => `--mx-host=${m.name},${m.exchange},${m.priority}`),
    // No shell in between: dnsmasq takes each comma-separated part as one string, quotes and all.
    ...(records.txt ?? []).map((t) => `--txt-record=${t.name},${t.strings.join(',')}`),
  ];
  const child: ChildProcess = spawn(DNSMASQ, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.on('data', (d: Buffer) => {
    log += d.toString('utf8');
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const server = `127.0.0.1:${port}`;
  // Ready once it answers: a query for a zone's own name gets an answer (empty or not).
  const resolver = new Resolver({ timeout: 200, tries: 1 });
  resolver.setServers([server]);
  const deadline = Date.now() + 5000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`dnsmasq exited (${child.exitCode}):\n${log}`);
    try {
      await resolver.resolveTxt(`ready.${records.zones[0]}`);
      break;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOTFOUND' || code === 'ENODATA') break;
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`dnsmasq did not answer on ${server} (${code}):\n${log}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    server,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}
