import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Delivery } from '../../src/outbox/outbox.js';
import { aimqIn } from '../helpers/cli-in.js';
import { sendableProject } from '../helpers/cli.js';
import { listCsv, type ListRow } from '../helpers/lists.js';
import { freshDatabase } from '../helpers/store-pg.js';

/**
 * A server that refuses the message itself (a content filter's 554 5.7.1 at the end of
 * DATA) refused every row, and the send went on through the whole list: 10,000 refusals
 * for a 10,000-row list, which gets the sender's IP and domain blacklisted. Now the send
 * stops after `--max-refusals` (5) in a row: the rows not tried stay pending, the refused
 * ones failed, the campaign `paused`; the same command sends the rest once the server takes
 * the message, and `aimq outbox retry` the refused ones. Nobody receives twice.
 */

const RELEASE = 'releases/2020-01-13-mission-aimq';
const TWENTY: ListRow[] = Array.from({ length: 20 }, (_, i) => [
  `reader${String(i).padStart(2, '0')}@example.org`,
  `Reader ${i}`,
  i % 2 ? 'en' : 'fr',
]);

interface Server {
  url: string;
  /** Every DATA the server read whole, refused or not, by recipient. */
  tried: string[];
  /** Messages accepted, by recipient. */
  accepted: string[];
  refuse: [number, string] | undefined;
}

const servers: SMTPServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((r) => s.close(() => r()))));
});

/** A real smtp-server on loopback that refuses at the end of DATA while `refuse` is set. */
async function server(refuse: [number, string] | undefined): Promise<Server> {
  const state: Server = { url: '', tried: [], accepted: [], refuse };
  const s = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      stream.resume();
      stream.on('end', () => {
        const to = session.envelope.rcptTo.map((r) => r.address.toLowerCase()).join(',');
        state.tried.push(to);
        if (state.refuse)
          return callback(Object.assign(new Error(state.refuse[1]), { responseCode: state.refuse[0] }));
        state.accepted.push(to);
        callback(null);
      });
    },
  });
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  state.url = `smtp://127.0.0.1:${(s.server.address() as AddressInfo).port}`;
  return state;
}

function project(rows: readonly ListRow[] = TWENTY): string {
  const dir = sendableProject();
  mkdirSync(join(dir, 'lists'), { recursive: true });
  writeFileSync(join(dir, 'lists', 'medias.csv'), listCsv(rows));
  return dir;
}

const env = (url: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  AIMQ_SMTP_URL: url,
  AIMQ_SMTP_PASSWORD: '',
  AIMQ_SMTP_TIMEOUT_MS: '3000',
  ...extra,
});

async function report(
  dir: string,
  extra: NodeJS.ProcessEnv,
): Promise<{ counts: Record<string, number>; deliveries: Delivery[]; status: string }> {
  const shown = await aimqIn(['outbox', 'show', '1', '--format', 'json'], dir, extra);
  expect(shown.status, shown.stderr).toBe(0);
  const r = JSON.parse(shown.stdout) as {
    counts: Record<string, number>;
    deliveries: Delivery[];
    campaign: { status: string };
  };
  return { counts: r.counts, deliveries: r.deliveries, status: r.campaign.status };
}

const CONTENT_FILTER: [number, string] = [554, '5.7.1 Message rejected as spam by content filter'];

describe('a send stops itself when the server refuses the message', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  beforeAll(async () => {
    db = await freshDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  for (const backend of ['sqlite', 'postgres'] as const) {
    it(`${backend}: stops after 5 refusals in a row, resumes with the same command, and retry sends the refused`, async () => {
      const outboxEnv: NodeJS.ProcessEnv = backend === 'postgres' ? { AIMQ_OUTBOX_URL: db.url } : {};
      const dir = project();
      const smtp = await server(CONTENT_FILTER);
      const send = () =>
        aimqIn(['release', 'send', RELEASE, '--to', 'medias', '--yes'], dir, env(smtp.url, outboxEnv));

      const first = await send();
      expect(first.status, first.stderr).toBe(3);
      // Three connections, yet no more than five messages reach the refusing server.
      expect(smtp.tried).toHaveLength(5);
      expect(first.stderr).toContain('[AIMQ-SEND-REFUSED]');
      expect(first.stderr).toContain(
        'error: campaign 1 paused: the SMTP server refused the message itself 5 times in a row (554 5.7.1 Message rejected as spam by content filter); 15 message(s) were not tried',
      );
      expect(first.stderr).toContain('aimq doctor');
      expect(first.stderr).toContain('"aimq outbox retry 1"');
      expect(first.stderr).toContain('Campaign 1: 0 sent, 5 failed');
      expect(first.stderr).toContain('15 not sent yet');
      let r = await report(dir, outboxEnv);
      expect(r.counts).toMatchObject({ failed: 5, pending: 15, sent: 0, claimed: 0, sending: 0 });
      expect(r.status).toBe('paused');
      const list = await aimqIn(['outbox', 'list'], dir, outboxEnv);
      expect(list.stdout).toContain('paused');
      // A refusal of the message is no bounce: nobody is suppressed.
      const exported = await aimqIn(['lists', 'suppression', 'export'], dir, outboxEnv);
      expect(exported.status, exported.stderr).toBe(0);
      const file = join(dir, 'lists', 'suppression.csv');
      expect(existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').slice(1) : []).toEqual([]);

      // The server takes the message now: the same command sends the 15 never tried.
      smtp.refuse = undefined;
      const second = await send();
      expect(second.status, second.stderr).toBe(3); // the 5 refused are still failed
      expect(second.stderr).not.toContain('AIMQ-SEND-REFUSED');
      expect(smtp.accepted).toHaveLength(15);
      r = await report(dir, outboxEnv);
      expect(r.counts).toMatchObject({ failed: 5, pending: 0, sent: 15 });

      // outbox retry puts the 5 refused back; the same command sends them.
      const retry = await aimqIn(['outbox', 'retry', '1'], dir, outboxEnv);
      expect(retry.status, retry.stderr).toBe(0);
      const third = await send();
      expect(third.status, third.stderr).toBe(0);
      r = await report(dir, outboxEnv);
      expect(r.counts).toMatchObject({ failed: 0, pending: 0, sent: 20 });
      expect(r.status).toBe('done');
      // Everyone once, nobody twice.
      expect([...smtp.accepted].sort()).toEqual(TWENTY.map((t) => t[0]).sort());
    });
  }

  it('says it in French, with OQLF spacing', async () => {
    const dir = project();
    const smtp = await server([552, '5.3.4 Message size exceeds fixed limit']);
    const r = await aimqIn(
      ['release', 'send', RELEASE, '--to', 'medias', '--yes'],
      dir,
      env(smtp.url, { AIMQ_LANG: 'fr' }),
    );
    expect(r.status, r.stderr).toBe(3);
    expect(smtp.tried).toHaveLength(5);
    expect(r.stderr).toContain(
      'campagne 1 en pause\u00a0: le serveur SMTP a refusé le message lui-même 5 fois de suite (552 5.3.4 Message size exceeds fixed limit)\u00a0; 15 messages n’ont pas été essayés',
    );
    expect(r.stderr).toContain('[AIMQ-SEND-REFUSED]');
  });

  it('--max-refusals sets the limit; 0 never stops', async () => {
    const dir = project();
    const smtp = await server(CONTENT_FILTER);
    const r = await aimqIn(
      ['release', 'send', RELEASE, '--to', 'medias', '--yes', '--max-refusals', '2', '--connections', '4'],
      dir,
      env(smtp.url),
    );
    expect(r.status, r.stderr).toBe(3);
    expect(smtp.tried).toHaveLength(2);
    expect(r.stderr).toContain('refused the message itself 2 times in a row');

    const other = project();
    const all = await server(CONTENT_FILTER);
    const off = await aimqIn(
      ['release', 'send', RELEASE, '--to', 'medias', '--yes', '--max-refusals', '0'],
      other,
      env(all.url),
    );
    expect(off.status, off.stderr).toBe(3);
    expect(all.tried).toHaveLength(20);
    expect(off.stderr).not.toContain('AIMQ-SEND-REFUSED');

    const bad = await aimqIn(
      ['release', 'send', RELEASE, '--to', 'medias', '--yes', '--max-refusals', 'lots'],
      other,
      env(all.url),
    );
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--max-refusals: "lots" is not a whole number of 0 or more [AIMQ-USAGE]');
  });

  it('an address refusal or a success starts the count again', async () => {
    // Accepted, refused (554 5.7.1), refused for the address (550 5.1.1), refused (554 5.7.1)…:
    // never two refusals of the message in a row.
    const dir = project();
    const smtp = await server(undefined);
    let n = 0;
    servers.at(-1)!.onData = (stream, session, callback) => {
      stream.resume();
      stream.on('end', () => {
        const to = session.envelope.rcptTo.map((r) => r.address.toLowerCase()).join(',');
        smtp.tried.push(to);
        const i = n++;
        if (i % 2) return callback(Object.assign(new Error(CONTENT_FILTER[1]), { responseCode: 554 }));
        if (i % 4 === 2)
          return callback(Object.assign(new Error('5.1.1 mailbox does not exist'), { responseCode: 550 }));
        smtp.accepted.push(to);
        callback(null);
      });
    };
    const r = await aimqIn(
      ['release', 'send', RELEASE, '--to', 'medias', '--yes', '--connections', '1', '--max-refusals', '2'],
      dir,
      env(smtp.url),
    );
    expect(r.stderr).not.toContain('AIMQ-SEND-REFUSED');
    expect(smtp.tried).toHaveLength(20);
    expect(r.stderr).toContain('Campaign 1: 5 sent, 15 failed');
    expect((await report(dir, {})).status).not.toBe('paused');
  });

  it('dispatch: the campaign is paused, later rounds leave it, outbox retry lets the next round send it', async () => {
    const dir = project();
    const smtp = await server(CONTENT_FILTER);
    const scheduled = await aimqIn(
      [
        'release',
        'schedule',
        RELEASE,
        '--at',
        '2026-12-08 09:00',
        '--to',
        'medias',
        '--now',
        '2026-12-07T10:00:00-05:00',
      ],
      dir,
    );
    expect(scheduled.status, scheduled.stderr).toBe(0);
    const round = () =>
      aimqIn(['dispatch', '--once', '--now', '2026-12-08T09:01:00-05:00', '--send'], dir, env(smtp.url));
    const first = await round();
    expect(first.status, first.stderr).toBe(3);
    expect(smtp.tried).toHaveLength(5);
    expect(first.stderr).toContain(
      'Campaign 1 (2020-01-13-mission-aimq): campaign 1 paused: the SMTP server refused the message itself 5 times in a row',
    );
    expect(first.stderr).toContain('[AIMQ-SEND-REFUSED]');
    expect(first.stderr).toContain('then "aimq outbox retry 1": the next dispatch sends the rest');
    expect((await report(dir, {})).status).toBe('paused');

    // A cron that runs again does not hammer the server: the paused campaign is left.
    const again = await round();
    expect(again.stderr).toContain('Nothing due');
    expect(smtp.tried).toHaveLength(5);

    smtp.refuse = undefined;
    const retry = await aimqIn(['outbox', 'retry', '1'], dir);
    expect(retry.status, retry.stderr).toBe(0);
    const last = await round();
    expect(last.status, last.stderr).toBe(0);
    expect([...smtp.accepted].sort()).toEqual(TWENTY.map((t) => t[0]).sort());
    const r = await report(dir, {});
    expect(r.counts).toMatchObject({ sent: 20, failed: 0, pending: 0 });
    expect(r.status).toBe('done');
  });
});

describe('a send that cannot reach the server leaves no phantom "sending" campaign', () => {
  it('the campaign is ready again, and the same command sends it once the server is up', async () => {
    const dir = project(TWENTY.slice(0, 3));
    // A port nothing listens on: a server closed at once.
    const gone = await server(undefined);
    await new Promise<void>((r) => servers.pop()!.close(() => r()));
    const first = await aimqIn(['release', 'send', RELEASE, '--to', 'medias', '--yes'], dir, env(gone.url));
    expect(first.status, first.stderr).toBe(3);
    expect(first.stderr).toContain('3 not sent yet');
    let r = await report(dir, {});
    expect(r.status).toBe('ready');
    expect(r.counts).toMatchObject({ pending: 3, sent: 0 });
    const list = await aimqIn(['outbox', 'list'], dir);
    expect(list.stdout).not.toContain('sending');

    const up = await server(undefined);
    const second = await aimqIn(['release', 'send', RELEASE, '--to', 'medias', '--yes'], dir, env(up.url));
    expect(second.status, second.stderr).toBe(0);
    expect(up.accepted).toHaveLength(3);
    r = await report(dir, {});
    expect(r.status).toBe('done');
  });
});
