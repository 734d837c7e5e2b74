import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { asciiDomain } from '../../src/schema/formats.js';
import { sendableProject } from '../helpers/cli.js';
import { aimqIn } from '../helpers/cli-in.js';

/**
 * A list address with an internationalised domain (user@bücher.de) is valid, and the To
 * header carried its A-label (xn--bcher-kva.de), but the envelope's RCPT TO carried the raw
 * UTF-8 without SMTPUTF8: a strict server refuses that with 553, and the address was then
 * recorded as failed and suppressed as a hard bounce. The envelope now carries the A-label.
 */

const RELEASE = 'releases/2020-01-13-mission-aimq';

/**
 * A strict SMTP server that does not offer SMTPUTF8, as many relays are configured: it
 * records each command line as received (bytes as latin1) and refuses with 553 a RCPT TO
 * that is not ASCII. (smtp-server, the tests' usual server, shows the domain decoded to
 * Unicode whatever was sent, so it cannot tell the two apart.)
 */
async function strictServer(): Promise<{ url: string; lines: string[]; close: () => Promise<void> }> {
  const lines: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.write('220 strict ESMTP\r\n');
    let buffer = '';
    let inData = false;
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      for (let i = buffer.indexOf('\r\n'); i >= 0; i = buffer.indexOf('\r\n')) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            socket.write('250 2.0.0 queued\r\n');
          }
          continue;
        }
        lines.push(line);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO') socket.write('250-strict\r\n250-8BITMIME\r\n250 PIPELINING\r\n');
        else if (verb === 'RCPT' && /[^\x20-\x7e]/.test(line))
          socket.write('553 5.1.3 non-ASCII address without SMTPUTF8\r\n');
        else if (verb === 'DATA') {
          inData = true;
          socket.write('354 go ahead\r\n');
        } else if (verb === 'QUIT') {
          socket.end('221 bye\r\n');
        } else socket.write('250 ok\r\n');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    lines,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

const servers: { close: () => Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('an internationalised domain in the SMTP envelope', () => {
  it('goes out as its A-label in RCPT TO: a server without SMTPUTF8 accepts it, and nobody is suppressed', async () => {
    const server = await strictServer();
    servers.push(server);
    const dir = sendableProject();
    mkdirSync(join(dir, 'lists'), { recursive: true });
    writeFileSync(
      join(dir, 'lists', 'medias.csv'),
      'courriel;nom;langue\nuser@bücher.de;Jürgen;fr\nmarie@exemple.ca;Marie;fr\n',
    );
    const r = await aimqIn(['release', 'send', RELEASE, '--to', 'medias', '--yes'], dir, {
      AIMQ_SMTP_URL: server.url,
      AIMQ_SMTP_PASSWORD: '',
    });
    expect(r.status, r.stderr).toBe(0);
    expect(server.lines.filter((l) => l.startsWith('RCPT')).sort()).toEqual([
      'RCPT TO:<marie@exemple.ca>',
      'RCPT TO:<user@xn--bcher-kva.de>',
    ]);
    expect(existsSync(join(dir, 'lists', 'suppression.csv'))).toBe(false);
  });

  it('a sender on an internationalised domain: MAIL FROM and the Message-IDs (sent and exported) are ASCII', async () => {
    const server = await strictServer();
    servers.push(server);
    const dir = sendableProject();
    const config = join(dir, 'aimq.config.yaml');
    writeFileSync(
      config,
      readFileSync(config, 'utf8').replace(/^( {2}from: ).*$/m, '$1"AIMQ <communications@société.québec>"'),
    );
    const r = await aimqIn(['release', 'send', RELEASE, '--to', 'marie@exemple.ca', '--yes'], dir, {
      AIMQ_SMTP_URL: server.url,
      AIMQ_SMTP_PASSWORD: '',
    });
    expect(r.status, r.stderr).toBe(0);
    expect(server.lines.find((l) => l.startsWith('MAIL'))).toMatch(
      /^MAIL FROM:<communications@xn--socit-esab\.xn--qubec-csa>/,
    );
    const shown = await aimqIn(['outbox', 'show', '1', '--format', 'json'], dir);
    const { deliveries } = JSON.parse(shown.stdout) as { deliveries: { messageId: string }[] };
    expect(deliveries[0]!.messageId).toMatch(/^<1\.1\.[0-9a-f]{12}@xn--socit-esab\.xn--qubec-csa>$/);

    const exported = await aimqIn(['release', 'export', RELEASE], dir);
    expect(exported.status, exported.stderr).toBe(0);
    const head = exported.stdoutBytes.toString('latin1').split('\r\n\r\n')[0]!;
    expect(head).toMatch(/^Message-ID:\s*<[^>]+@xn--socit-esab\.xn--qubec-csa>/m);
    expect([...head].every((c) => c.charCodeAt(0) < 0x80)).toBe(true);
  });

  it('leaves ASCII addresses as they are, and converts only the domain', () => {
    expect(asciiDomain('Marie.Roy@Exemple.ca')).toBe('Marie.Roy@Exemple.ca');
    expect(asciiDomain('user@bücher.de')).toBe('user@xn--bcher-kva.de');
    expect(asciiDomain('info@société.québec')).toBe('info@xn--socit-esab.xn--qubec-csa');
  });
});
