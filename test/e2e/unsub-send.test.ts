import { generateKeyPairSync } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ParsedMail, simpleParser } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { readUnsubscribeToken } from '../../src/message/unsubscribe-token.js';
import { type RunningCli, startAimq } from '../helpers/cli-async.js';
import { aimqIn } from '../helpers/cli-in.js';
import { dkimTxtRecord, verifyWithMailauth } from '../helpers/dkim-dns.js';
import { FOUR } from '../helpers/lists.js';
import { smtpServers, type TestSmtpServer } from '../helpers/smtp.js';
import { onLocal, oneClickProject, PUBLIC_UNSUBSCRIBE_URL, TEST_SECRET } from '../helpers/unsub.js';

/**
 * Issue 14's "done when", end to end: a dry run to three recipients shows three different
 * one-click URLs; a POST to one of them, through the real `aimq unsubscribe serve`, suppresses
 * exactly that recipient, and the next real send (through a real SMTP server) skips only them.
 * Then what is refused without the secret, and what `--test` and exports carry.
 */

const RELEASE = 'releases/2020-01-13-mission-aimq';
const THREE = FOUR.slice(0, 3);
const smtp = smtpServers(afterEach);
const endpoints: RunningCli[] = [];
afterEach(async () => {
  for (const e of endpoints.splice(0)) {
    if (e.child.exitCode === null) e.child.kill('SIGKILL');
    await e.done;
  }
});

function envFor(server: TestSmtpServer | undefined, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...(server ? { AIMQ_SMTP_URL: server.url } : {}),
    AIMQ_SMTP_PASSWORD: '',
    AIMQ_RETRY_BASE_MS: '20',
    AIMQ_SMTP_TIMEOUT_MS: '1500',
    AIMQ_UNSUBSCRIBE_SECRET: TEST_SECRET,
    ...extra,
  };
}

async function serve(dir: string): Promise<{ cli: RunningCli; base: string }> {
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
  return { cli, base: new URL(cli.stdout().trim().split('\n')[0]!).origin };
}

function listUnsubscribe(parsed: ParsedMail): string[] {
  const line = parsed.headerLines.find((h) => h.key === 'list-unsubscribe')!.line.replace(/\r\n[ \t]+/g, ' ');
  return [...line.matchAll(/<([^>]+)>/g)].map((m) => m[1]!);
}

describe('one-click unsubscribe, from the dry run to the next send', () => {
  it('a dry run to 3 recipients shows 3 different URLs; a POST to one suppresses exactly that recipient for the send', async () => {
    const dir = oneClickProject({ 'medias.csv': THREE });
    const dry = await aimqIn(
      ['release', 'send', RELEASE, '--to', 'lists/medias.csv', '--dry-run', '--out', 'dry'],
      dir,
      envFor(undefined),
    );
    expect(dry.status, dry.stderr).toBe(0);
    expect(dry.stdout.trim()).toBe('dry');
    const shown = new Map(
      [...dry.stderr.matchAll(/^ {2}(\S+@\S+) {2}(https:\/\/\S+)$/gm)].map((m) => [m[1]!, m[2]!] as const),
    );
    expect([...shown.keys()].sort()).toEqual(THREE.map(([e]) => e).sort());
    const urls = [...shown.values()];
    expect(new Set(urls).size).toBe(3);
    for (const u of urls) expect(u.startsWith(`${new URL(PUBLIC_UNSUBSCRIBE_URL).href}?t=`)).toBe(true);
    // The .eml written carry the very URLs shown.
    for (const f of readdirSync(join(dir, 'dry'))) {
      const parsed = await simpleParser(readFileSync(join(dir, 'dry', f)));
      const to = (parsed.to as { value: { address: string }[] }).value[0]!.address;
      expect(listUnsubscribe(parsed)[1]).toBe(shown.get(to));
    }

    const { cli, base } = await serve(dir);
    const victim = 'edward@example.org';
    const r = await fetch(onLocal(shown.get(victim)!, base), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(r.status).toBe(200);
    await r.text();

    const server = await smtp();
    const send = await aimqIn(
      ['release', 'send', RELEASE, '--to', 'lists/medias.csv', '--yes'],
      dir,
      envFor(server),
    );
    expect(send.status, send.stderr).toBe(0);
    expect(send.stderr).toMatch(/campaign 1 \(resumed\)/);
    expect(server.messages.map((m) => m.to[0]).sort()).toEqual([
      'bianca@example.org',
      'francine@example.org',
    ]);
    // Each message sent carries the URL its recipient was shown in the dry run.
    for (const m of server.messages) {
      const parsed = await m.parse();
      expect(listUnsubscribe(parsed)[1]).toBe(shown.get(m.to[0]!));
    }
    const show = await aimqIn(['outbox', 'show', '1'], dir);
    expect(show.status, show.stderr).toBe(0);
    expect(show.stdout).toMatch(/edward@example\.org .*suppressed .*unsubscribe via one-click, campaign 1/);

    cli.child.kill('SIGTERM');
    const done = await cli.done;
    expect(done.status).toBe(0);
    expect(done.stderr).toMatch(/POST 200 unsubscribed campaign=1 row=\d+ source=one-click/);
    expect(done.stderr).toContain('Unsubscribe endpoint stopped.');
    expect(done.stderr).not.toContain(victim);
    expect(done.stderr).not.toContain(TEST_SECRET);
  });

  it('each recipient of a send gets their own token, naming their row of the campaign', async () => {
    const dir = oneClickProject({ 'medias.csv': THREE });
    const server = await smtp();
    const send = await aimqIn(
      ['release', 'send', RELEASE, '--to', 'lists/medias.csv', '--yes'],
      dir,
      envFor(server),
    );
    expect(send.status, send.stderr).toBe(0);
    const rows = JSON.parse((await aimqIn(['outbox', 'show', '1', '--format', 'json'], dir)).stdout) as {
      deliveries: { id: number; email: string }[];
    };
    expect(server.messages).toHaveLength(3);
    for (const m of server.messages) {
      const parsed = await m.parse();
      const [mailto, https] = listUnsubscribe(parsed);
      const token = new URL(https!).searchParams.get('t')!;
      const row = rows.deliveries.find((d) => d.email === m.to[0])!;
      expect(readUnsubscribeToken(TEST_SECRET, token)).toEqual({ campaignId: 1, deliveryId: row.id });
      expect(decodeURIComponent(mailto!)).toMatch(
        new RegExp(`subject=(Désabonnement|Unsubscribe) ${token}$`),
      );
      // The footer link, in the HTML and in the text, is the recipient's too.
      expect(String(parsed.html).replace(/&amp;/g, '&')).toContain(https!);
      expect(parsed.text).toContain(https!);
    }
  });
});

describe('a scheduled campaign', () => {
  it('dispatch refuses it without the secret (nothing sent, the campaign kept), then sends it with per-recipient tokens', async () => {
    const dir = oneClickProject({ 'medias.csv': THREE });
    const now = '2026-12-01T09:00:00-05:00';
    const scheduled = await aimqIn(
      [
        'release',
        'schedule',
        RELEASE,
        '--at',
        '2026-12-01T09:00',
        '--to',
        'lists/medias.csv',
        '--now',
        '2026-11-30T12:00:00-05:00',
      ],
      dir,
      envFor(undefined),
    );
    expect(scheduled.status, scheduled.stderr).toBe(0);
    const id = Number(scheduled.stdout.trim());
    const server = await smtp();
    const dispatch = (env: NodeJS.ProcessEnv) =>
      aimqIn(['dispatch', '--once', '--now', now, '--send'], dir, envFor(server, env));
    const refused = await dispatch({ AIMQ_UNSUBSCRIBE_SECRET: '' });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('[AIMQ-UNSUBSCRIBE-SECRET]');
    expect(server.messages).toHaveLength(0);
    const sent = await dispatch({});
    expect(sent.status, sent.stderr).toBe(0);
    expect(server.messages).toHaveLength(3);
    for (const m of server.messages) {
      const token = new URL(listUnsubscribe(await m.parse())[1]!).searchParams.get('t')!;
      expect(readUnsubscribeToken(TEST_SECRET, token)?.campaignId).toBe(id);
    }
  });
});

describe('DKIM with per-recipient tokens', () => {
  it('every message sent verifies (mailauth) and its signature covers both List-Unsubscribe headers', async () => {
    const dir = oneClickProject({ 'medias.csv': THREE });
    const config = join(dir, 'aimq.config.yaml');
    writeFileSync(
      config,
      `${readFileSync(config, 'utf8').trimEnd()}\n  dkim: { domainName: aimq.net, keySelector: s2026 }\n`,
    );
    const { privateKey, publicKey } = generateKeyPairSync('ed25519', {
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const server = await smtp();
    const send = await aimqIn(
      ['release', 'send', RELEASE, '--to', 'lists/medias.csv', '--yes'],
      dir,
      envFor(server, { AIMQ_DKIM_PRIVATE_KEY: privateKey }),
    );
    expect(send.status, send.stderr).toBe(0);
    expect(server.messages).toHaveLength(3);
    const tokens = new Set<string>();
    for (const m of server.messages) {
      const verdicts = await verifyWithMailauth(m.raw, {
        's2026._domainkey.aimq.net': dkimTxtRecord(publicKey),
      });
      expect(verdicts.map((v) => v.result)).toEqual(['pass']);
      const head = m.raw
        .toString('latin1')
        .split('\r\n\r\n')[0]!
        .replace(/\r\n[ \t]+/g, ' ');
      const h = /^DKIM-Signature:.*?\bh=([^;]+)/im
        .exec(head)![1]!
        .toLowerCase()
        .replace(/\s+/g, '')
        .split(':');
      expect(h).toEqual(expect.arrayContaining(['list-unsubscribe', 'list-unsubscribe-post']));
      tokens.add(new URL(listUnsubscribe(await m.parse())[1]!).searchParams.get('t')!);
    }
    expect(tokens.size).toBe(3);
  });
});

describe('the unsubscribe secret', () => {
  it('without it, send, schedule and serve are refused (AIMQ-UNSUBSCRIBE-SECRET, exit 2) and nothing is sent', async () => {
    const dir = oneClickProject({ 'medias.csv': THREE });
    const server = await smtp();
    const noSecret = envFor(server, { AIMQ_UNSUBSCRIBE_SECRET: '' });
    for (const args of [
      ['release', 'send', RELEASE, '--to', 'lists/medias.csv', '--yes'],
      ['release', 'send', RELEASE, '--test', 'me@example.org'],
      ['release', 'send', RELEASE, '--to', 'lists/medias.csv', '--dry-run'],
      ['release', 'schedule', RELEASE, '--to', 'lists/medias.csv', '--at', '2099-01-01T10:00'],
      ['unsubscribe', 'serve', '--port', '0'],
    ]) {
      const r = await aimqIn(args, dir, noSecret);
      expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toContain('[AIMQ-UNSUBSCRIBE-SECRET]');
      expect(r.stderr).toContain('openssl rand -base64 48');
    }
    expect(server.messages).toHaveLength(0);
  });

  it('one shorter than 32 characters is refused, and never printed', async () => {
    const dir = oneClickProject({ 'medias.csv': THREE });
    const short = 'short-but-secret-value';
    const r = await aimqIn(
      ['release', 'send', RELEASE, '--to', 'lists/medias.csv', '--dry-run'],
      dir,
      envFor(undefined, { AIMQ_UNSUBSCRIBE_SECRET: short }),
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('[AIMQ-UNSUBSCRIBE-SECRET]');
    expect(`${r.stdout}${r.stderr}`).not.toContain(short);
  });

  it('--test carries a test token (campaign 0); an export, which has no recipient, the link as configured', async () => {
    const dir = oneClickProject();
    const server = await smtp();
    const r = await aimqIn(
      ['release', 'send', RELEASE, '--test', 'me@example.org', '--edition', 'fr'],
      dir,
      envFor(server),
    );
    expect(r.status, r.stderr).toBe(0);
    const parsed = await server.messages[0]!.parse();
    const token = new URL(listUnsubscribe(parsed)[1]!).searchParams.get('t')!;
    expect(readUnsubscribeToken(TEST_SECRET, token)?.campaignId).toBe(0);
    const eml = await aimqIn(['release', 'export', RELEASE, '--format', 'eml', '--edition', 'fr'], dir, {});
    expect(eml.status, eml.stderr).toBe(0);
    const exported = await simpleParser(eml.stdoutBytes);
    expect(listUnsubscribe(exported)[1]).toBe(new URL(PUBLIC_UNSUBSCRIBE_URL).href);
    expect(String(exported.html)).not.toContain('?t=');
  });
});
