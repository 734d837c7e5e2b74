import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { isAddressRefusal } from '../../src/dispatch/transport.js';
import { sendableProject } from '../helpers/cli.js';
import { aimqIn } from '../helpers/cli-in.js';
import { FOUR, listCsv } from '../helpers/lists.js';

/**
 * A permanent refusal suppresses the address for good only when it is about the address.
 * A server that refused the message itself at the end of DATA — a content filter's
 * "554 5.7.1 rejected as spam", a size limit's "552 5.3.4" — or that refused to relay,
 * refused every recipient alike: each was recorded as a hard bounce and written to
 * lists/suppression.csv, so that one bad send emptied the list for every later release.
 */

const RELEASE = 'releases/2020-01-13-mission-aimq';
const servers: SMTPServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

/** A real smtp-server that answers RCPT TO and the end of DATA as told. */
async function server(answers: { rcpt?: [number, string]; data?: [number, string] }): Promise<string> {
  const refusal = ([code, text]: [number, string]) => Object.assign(new Error(text), { responseCode: code });
  const s = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(_address, _session, callback) {
      callback(answers.rcpt ? refusal(answers.rcpt) : undefined);
    },
    onData(stream, _session, callback) {
      stream.resume();
      stream.on('end', () => callback(answers.data ? refusal(answers.data) : null));
    },
  });
  servers.push(s);
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return `smtp://127.0.0.1:${(s.server.address() as AddressInfo).port}`;
}

async function sendTo(url: string): Promise<{ dir: string; status: number; stderr: string }> {
  const dir = sendableProject();
  mkdirSync(join(dir, 'lists'), { recursive: true });
  writeFileSync(join(dir, 'lists', 'medias.csv'), listCsv(FOUR));
  const r = await aimqIn(['release', 'send', RELEASE, '--to', 'medias', '--yes'], dir, {
    AIMQ_SMTP_URL: url,
    AIMQ_SMTP_PASSWORD: '',
  });
  return { dir, status: r.status, stderr: r.stderr };
}

async function suppressedInOutbox(dir: string): Promise<string[]> {
  const r = await aimqIn(['lists', 'suppression', 'export'], dir);
  expect(r.status, r.stderr).toBe(0);
  const file = join(dir, 'lists', 'suppression.csv');
  return existsSync(file)
    ? readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(',')[0]!)
    : [];
}

describe('a permanent refusal of the message, not of the address', () => {
  for (const [what, data] of [
    [
      'a content filter (554 5.7.1 at the end of DATA)',
      [554, '5.7.1 Message rejected as spam by content filter'],
    ],
    ['a size limit (552 5.3.4 at the end of DATA)', [552, '5.3.4 Message size exceeds fixed limit']],
  ] as const) {
    it(`${what}: every row failed, nobody suppressed`, async () => {
      const { dir, status, stderr } = await sendTo(await server({ data: [...data] }));
      expect(status, stderr).toBe(3);
      expect(stderr).toContain('0 sent, 4 failed');
      expect(await suppressedInOutbox(dir)).toEqual([]);
    });
  }

  it('relaying denied at RCPT TO (554 5.7.1): failed, nobody suppressed', async () => {
    const { dir, status } = await sendTo(
      await server({ rcpt: [554, '5.7.1 <x@example.org>: Relay access denied'] }),
    );
    expect(status).toBe(3);
    expect(await suppressedInOutbox(dir)).toEqual([]);
  });
});

describe('a permanent refusal of the address still suppresses it', () => {
  it('550 5.1.1 at the end of DATA (a server that checks recipients after the message)', async () => {
    const { dir, status } = await sendTo(await server({ data: [550, '5.1.1 mailbox does not exist'] }));
    expect(status).toBe(3);
    expect((await suppressedInOutbox(dir)).sort()).toEqual(FOUR.map((r) => r[0]).sort());
  });

  it('550 at RCPT TO without an enhanced code', async () => {
    const { dir } = await sendTo(await server({ rcpt: [550, 'No such user here'] }));
    expect((await suppressedInOutbox(dir)).sort()).toEqual(FOUR.map((r) => r[0]).sort());
  });
});

describe('isAddressRefusal', () => {
  it('reads the enhanced status code, else the phase', () => {
    const rcpt = (response: string) => ({ code: 'EENVELOPE', response });
    const data = (response: string) => ({ code: 'EMESSAGE', response });
    expect(isAddressRefusal(rcpt('550 5.1.1 <a@b.c>: Recipient address rejected'))).toBe(true);
    expect(isAddressRefusal(rcpt('550 5.2.1 mailbox disabled'))).toBe(true);
    expect(isAddressRefusal(rcpt('552 5.2.2 mailbox full'))).toBe(false);
    expect(isAddressRefusal(rcpt('550 5.7.1 Service unavailable, client host blocked'))).toBe(false);
    expect(isAddressRefusal(rcpt('550 Relaying denied'))).toBe(false);
    // qmail's way of refusing to relay.
    expect(isAddressRefusal(rcpt('553 sorry, that domain isn’t in my list of allowed rcpthosts'))).toBe(
      false,
    );
    expect(isAddressRefusal(data('554 5.7.1 spam'))).toBe(false);
    expect(isAddressRefusal(data('550 5.1.1 user unknown'))).toBe(true);
    expect(isAddressRefusal(data('554 Transaction failed'))).toBe(false);
    expect(isAddressRefusal({ code: 'EPROTOCOL', response: '550 5.1.1' })).toBe(false);
  });
});
