import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../src/doctor/doctor.js';
import { Outbox } from '../../src/outbox/outbox.js';
import { type RunningCli, startAimq } from '../helpers/cli-async.js';
import { aimqIn } from '../helpers/cli-in.js';
import { startDnsServer, type TestDnsServer } from '../helpers/dns-server.js';
import { oneClickProject, onLocal, PUBLIC_UNSUBSCRIBE_URL, TEST_SECRET } from '../helpers/unsub.js';

/**
 * `aimq doctor`'s one-click check against the real endpoint: `aimq unsubscribe serve`
 * spawned in the project, reached as a reverse proxy would reach it (same path, on
 * loopback). A test token is answered and records nothing; a token signed with another
 * secret is refused, and doctor says so.
 */

let dns: TestDnsServer;
const endpoints: RunningCli[] = [];

beforeAll(async () => {
  dns = await startDnsServer({ zones: ['aimq.net'], mx: [], txt: [] });
}, 30_000);
afterAll(async () => {
  await dns?.stop();
});
afterEach(async () => {
  for (const e of endpoints.splice(0)) {
    e.child.kill('SIGTERM');
    await e.done;
  }
});

async function serve(dir: string): Promise<string> {
  const cli = startAimq(['unsubscribe', 'serve', '--port', '0'], dir, {
    AIMQ_UNSUBSCRIBE_SECRET: TEST_SECRET,
  });
  endpoints.push(cli);
  const deadline = Date.now() + 20_000;
  while (!/^http:\/\/\S+/m.test(cli.stdout())) {
    if (cli.child.exitCode !== null || Date.now() > deadline)
      throw new Error(`the endpoint did not start: ${cli.stderr()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return new URL(cli.stdout().trim().split('\n')[0]!).origin;
}

async function unsubscribeFinding(dir: string, endpoint: string, secret: string) {
  const r = await aimqIn(
    ['doctor', '--dns', dns.server, '--unsubscribe-url', endpoint, '--format', 'json'],
    dir,
    {
      AIMQ_UNSUBSCRIBE_SECRET: secret,
      AIMQ_SMTP_URL: 'smtp://127.0.0.1:9',
      AIMQ_SMTP_PASSWORD: '',
      AIMQ_SMTP_TIMEOUT_MS: '1000',
    },
  );
  expect(r.stderr).not.toMatch(/internal error|^ {4}at /m);
  expect(r.stdout + r.stderr).not.toContain(secret);
  return (JSON.parse(r.stdout) as DoctorReport).findings.find((f) => f.check === 'unsubscribe');
}

describe('aimq doctor and the real one-click endpoint', () => {
  it('answers the test token, records nothing, and a foreign secret is reported as an error', async () => {
    const dir = oneClickProject();
    const endpoint = onLocal(PUBLIC_UNSUBSCRIBE_URL, await serve(dir));

    expect(await unsubscribeFinding(dir, endpoint, TEST_SECRET)).toMatchObject({ severity: 'ok' });
    const outbox = Outbox.open(join(dir, '.aimq', 'outbox.sqlite'));
    try {
      expect(await outbox.suppression()).toEqual([]);
    } finally {
      await outbox.close();
    }

    const foreign = await unsubscribeFinding(dir, endpoint, `${TEST_SECRET}-another-one`);
    expect(foreign).toMatchObject({ severity: 'error' });
    expect(JSON.stringify(foreign)).toContain('400');
  }, 60_000);
});
