import { en } from '../helpers/text.js';
import { generateKeyPairSync } from 'node:crypto';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../src/doctor/doctor.js';
import { readUnsubscribeToken } from '../../src/message/unsubscribe-token.js';
import { aimqIn } from '../helpers/cli-in.js';
import { REPO, tempDir } from '../helpers/cli.js';
import { dkimTxtRecord } from '../helpers/dkim-dns.js';
import { dnsStrings, startDnsServer, type TestDnsServer } from '../helpers/dns-server.js';
import { smtpServers, type TestSmtpServer } from '../helpers/smtp.js';

/**
 * `aimq doctor` against a real DNS server (dnsmasq on loopback) serving a healthy zone and
 * deliberately broken ones, a real SMTP server, and an HTTP server on loopback standing for
 * the web server in front of the unsubscribe endpoint.
 */

const SECRET = 'doctor-test-unsubscribe-secret-0123456789';
const rsa = () =>
  generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
const ed = () =>
  generateKeyPairSync('ed25519', {
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });

const good = rsa();
const other = rsa();
const edKey = ed();

let dns: TestDnsServer;
const smtp = smtpServers(afterAll);
let mailServer: TestSmtpServer;

/** The HTTP server in front of the endpoint: answers `status` and records what it was sent. */
interface Front {
  url: string;
  status: number;
  requests: { method: string; url: string; type: string; body: string }[];
  server: Server;
}
const fronts: Front[] = [];
async function front(status: number): Promise<Front> {
  const f: Front = { url: '', status, requests: [], server: createServer() };
  f.server.on('request', (req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (d: Buffer) => {
      body += d.toString('utf8');
    });
    req.on('end', () => {
      f.requests.push({
        method: req.method ?? '',
        url: req.url ?? '',
        type: req.headers['content-type'] ?? '',
        body,
      });
      res.writeHead(f.status, { 'content-type': 'text/plain' }).end(f.status === 502 ? 'Bad Gateway' : 'OK');
    });
  });
  await new Promise<void>((r) => f.server.listen(0, '127.0.0.1', r));
  f.url = `http://127.0.0.1:${(f.server.address() as AddressInfo).port}/unsubscribe`;
  fronts.push(f);
  return f;
}

beforeAll(async () => {
  const lookups = Array.from({ length: 11 }, (_, i) => `include:s${i}.lookups.test`);
  dns = await startDnsServer({
    zones: ['good.test', 'broken.test', 'broken2.test', 'lookups.test', 'other.test', 'ed.test'],
    mx: [
      { name: 'good.test', exchange: 'mx.good.test', priority: 10 },
      { name: 'broken2.test', exchange: 'mx.broken2.test', priority: 10 },
      { name: 'lookups.test', exchange: 'mx.lookups.test', priority: 10 },
    ],
    txt: [
      // Healthy: one SPF with an include (2 lookups), DMARC enforced with reports, the DKIM key split in 255-character strings.
      { name: 'good.test', strings: ['v=spf1 ip4:127.0.0.1 include:_spf.good.test -all'] },
      { name: '_spf.good.test', strings: ['v=spf1 ip4:10.0.0.0/8 -all'] },
      { name: '_dmarc.good.test', strings: ['v=DMARC1; p=reject; rua=mailto:dmarc@good.test'] },
      { name: 'sel._domainkey.good.test', strings: dnsStrings(dkimTxtRecord(good.publicKey)) },
      // Broken: no MX, two SPF records, DMARC p=none without rua, DKIM p= of another key.
      { name: 'broken.test', strings: ['v=spf1 ip4:127.0.0.1 -all'] },
      { name: 'broken.test', strings: ['v=spf1 include:mail.example.net ~all'] },
      { name: '_dmarc.broken.test', strings: ['v=DMARC1; p=none'] },
      { name: 'sel._domainkey.broken.test', strings: dnsStrings(dkimTxtRecord(other.publicKey)) },
      // Broken the other way: +all, no DMARC, an Ed25519 key published as k=rsa.
      { name: 'broken2.test', strings: ['v=spf1 mx +all'] },
      {
        name: 'sel._domainkey.broken2.test',
        strings: [dkimTxtRecord(edKey.publicKey).replace('k=ed25519', 'k=rsa')],
      },
      // An Ed25519 key published right: p= is the raw 32-byte key.
      { name: 'sel._domainkey.ed.test', strings: [dkimTxtRecord(edKey.publicKey)] },
      // Too many lookups: eleven includes.
      // Over 255 characters: served as two strings, read joined.
      { name: 'lookups.test', strings: dnsStrings(`v=spf1 ${lookups.join(' ')} -all`) },
      ...Array.from({ length: 11 }, (_, i) => ({
        name: `s${i}.lookups.test`,
        strings: ['v=spf1 ip4:192.0.2.1 -all'],
      })),
      { name: '_dmarc.lookups.test', strings: ['v=DMARC1; p=quarantine; rua=mailto:d@lookups.test'] },
    ],
  });
  mailServer = await smtp();
}, 30_000);

afterAll(async () => {
  await dns?.stop();
  await Promise.all(fronts.map((f) => new Promise((r) => f.server.close(r))));
});

function project(domain: string, dkimDomain: string | undefined = domain): string {
  const dir = tempDir();
  cpSync(join(REPO, 'aimq.config.yaml'), join(dir, 'aimq.config.yaml'));
  const file = join(dir, 'aimq.config.yaml');
  const email = [
    'email:',
    `  from: "AIMQ <communications@${domain}>"`,
    '  unsubscribe:',
    `    mailto: communications@${domain}`,
    `    url: https://www.${domain}/unsubscribe`,
    ...(dkimDomain
      ? [`  dkim: { domainName: ${dkimDomain}, keySelector: sel, privateKeyEnv: TEST_DKIM_KEY }`]
      : []),
  ].join('\n');
  writeFileSync(file, readFileSync(file, 'utf8').replace(/^email:\n(?: {2}.*\n?)*/m, `${email}\n`));
  return dir;
}

async function doctor(dir: string, key: string, extra: string[] = [], env: NodeJS.ProcessEnv = {}) {
  const r = await aimqIn(['doctor', '--dns', dns.server, ...extra], dir, {
    TEST_DKIM_KEY: key,
    AIMQ_SMTP_URL: mailServer.url,
    AIMQ_SMTP_PASSWORD: '',
    AIMQ_UNSUBSCRIBE_SECRET: SECRET,
    AIMQ_SMTP_TIMEOUT_MS: '3000',
    ...env,
  });
  expect(r.stderr).not.toMatch(/internal error|^ {4}at /m);
  expect(r.stdout + r.stderr).not.toContain(SECRET);
  expect(r.stdout + r.stderr).not.toContain('PRIVATE KEY');
  return r;
}

async function report(dir: string, key: string, extra: string[] = [], env: NodeJS.ProcessEnv = {}) {
  const r = await doctor(dir, key, [...extra, '--format', 'json'], env);
  return { status: r.status, report: JSON.parse(r.stdout) as DoctorReport };
}

const by = (rep: DoctorReport, check: string) => rep.findings.filter((f) => f.check === check);

describe('aimq doctor', () => {
  it('a healthy zone: every check ok, exit 0, and the one-click POST is what Gmail sends', async () => {
    const endpoint = await front(200);
    const dir = project('good.test');
    const r = await doctor(dir, good.privateKey, ['--unsubscribe-url', endpoint.url]);
    expect(r.status, r.stdout).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`aimq doctor: good.test (DNS: ${dns.server})`);
    expect(lines.slice(1).map((l) => l.split(/\s+/).slice(0, 2).join(' '))).toEqual([
      'ok MX',
      'ok SPF',
      'ok DMARC',
      'ok DKIM',
      'ok alignment',
      'ok SMTP',
      'ok unsubscribe',
    ]);
    expect(r.stdout).toContain('good.test: "v=spf1 ip4:127.0.0.1 include:_spf.good.test -all" (1 lookup)');
    expect(r.stdout).toContain('sel._domainkey.good.test: rsa key matches the configured private key');
    expect(r.stderr.trim()).toBe('0 errors, 0 warnings.');

    expect(endpoint.requests).toHaveLength(1);
    const [req] = endpoint.requests;
    expect(req).toMatchObject({
      method: 'POST',
      type: 'application/x-www-form-urlencoded',
      body: 'List-Unsubscribe=One-Click',
    });
    const token = new URL(req!.url, 'http://x').searchParams.get('t')!;
    expect(readUnsubscribeToken(SECRET, token)).toEqual({ campaignId: 0, deliveryId: 0 });
  });

  it('an Ed25519 key published right is ok too (RFC 8463: p= is the raw key)', async () => {
    const { report: rep } = await report(project('ed.test'), edKey.privateKey);
    expect(by(rep, 'DKIM')).toEqual([
      {
        check: 'DKIM',
        severity: 'ok',
        message: 'sel._domainkey.ed.test: ed25519 key matches the configured private key',
        where: 'sel._domainkey.ed.test',
      },
    ]);
    // The same key published as RSA's SubjectPublicKeyInfo would not match: the derivation differs by type.
    const { dkimPublicKey } = await import('../../src/doctor/dkim.js');
    expect(Buffer.from(dkimPublicKey(edKey.privateKey).p, 'base64')).toHaveLength(32);
  });

  it('a deliberately broken zone: reports each broken record with what to publish, and exits 1', async () => {
    const proxy = await front(502);
    const dir = project('broken.test');
    const { status, report: rep } = await report(dir, good.privateKey, ['--unsubscribe-url', proxy.url]);
    expect(status).toBe(1);
    expect(by(rep, 'MX')).toEqual([
      expect.objectContaining({
        severity: 'error',
        message: expect.stringContaining('broken.test has no MX record'),
      }),
    ]);
    expect(by(rep, 'MX')[0]!.fix).toContain('publish an MX record at broken.test');
    expect(by(rep, 'SPF')).toEqual([
      expect.objectContaining({ severity: 'error', message: expect.stringContaining('has 2 SPF records') }),
    ]);
    expect(by(rep, 'DMARC').map((f) => [f.severity, f.fix])).toEqual([
      [
        'warning',
        'once the reports show that every legitimate sender passes, publish "v=DMARC1; p=quarantine" at _dmarc.broken.test',
      ],
      ['warning', 'add "; rua=mailto:dmarc-reports@broken.test" to the record at _dmarc.broken.test'],
    ]);
    const [dkim] = by(rep, 'DKIM');
    expect(dkim).toMatchObject({ severity: 'error', where: 'sel._domainkey.broken.test' });
    expect(dkim!.message).toContain(
      'its p= is another public key than the one of the configured private key',
    );
    // The fix is the exact record to publish, in 255-character strings.
    const expected = dkimTxtRecord(good.publicKey);
    expect(en(dkim!.fix).replace(/" "/g, '')).toContain(expected);
    expect(by(rep, 'unsubscribe')).toEqual([
      expect.objectContaining({
        severity: 'error',
        message: expect.stringContaining(
          'answered 502: the web server in front of it could not reach the endpoint',
        ),
      }),
    ]);
    expect(proxy.requests).toHaveLength(1);
    expect(rep.errors).toBe(4);
  });

  it('+all, no DMARC, an Ed25519 key published as k=rsa, an SMTP server that does not answer', async () => {
    const dir = project('broken2.test');
    const closed = await smtp();
    const url = closed.url;
    await closed.close();
    const { status, report: rep } = await report(dir, edKey.privateKey, [], { AIMQ_SMTP_URL: url });
    expect(status).toBe(1);
    expect(by(rep, 'MX')[0]!.severity).toBe('ok');
    expect(by(rep, 'SPF')[0]).toMatchObject({
      severity: 'error',
      message:
        'the SPF record of broken2.test ends in "+all": it lets any server in the world send as this domain',
      fix: 'publish "v=spf1 mx -all" at broken2.test (end in -all, or ~all while testing)',
    });
    expect(by(rep, 'DMARC')[0]).toMatchObject({
      severity: 'error',
      message: expect.stringContaining('has no DMARC record at _dmarc.broken2.test'),
    });
    expect(by(rep, 'DKIM')[0]!.message).toContain(
      'it says k=rsa but the configured private key is an Ed25519 key',
    );
    expect(by(rep, 'SMTP')[0]).toMatchObject({
      severity: 'error',
      message: expect.stringContaining('[AIMQ-SMTP]'),
    });
    // Without --unsubscribe-url the config's https endpoint is tried: nothing answers for www.broken2.test.
    expect(by(rep, 'unsubscribe')[0]!.severity).toBe('error');
  });

  it('too many SPF lookups, a DKIM key not published, a DKIM domain not aligned with From (config file:line)', async () => {
    const dir = project('lookups.test', 'other.test');
    const { status, report: rep } = await report(dir, good.privateKey, [], { AIMQ_UNSUBSCRIBE_SECRET: '' });
    expect(status).toBe(1);
    expect(by(rep, 'SPF')[0]!.message).toContain('needs 11 DNS lookups');
    expect(by(rep, 'DMARC')[0]!.severity).toBe('ok');
    expect(by(rep, 'DKIM')[0]).toMatchObject({
      severity: 'error',
      message: expect.stringContaining('no DKIM key is published at sel._domainkey.other.test'),
    });
    const line =
      readFileSync(join(dir, 'aimq.config.yaml'), 'utf8')
        .split('\n')
        .findIndex((l) => l.includes('dkim:')) + 1;
    expect(by(rep, 'alignment')[0]).toMatchObject({
      severity: 'error',
      fix: 'set email.dkim.domainName to lookups.test (or a subdomain of it) and publish the key there',
      where: `aimq.config.yaml:${line} (email.dkim.domainName)`,
    });
    expect(by(rep, 'unsubscribe')[0]).toMatchObject({
      severity: 'warning',
      message: expect.stringContaining('AIMQ_UNSUBSCRIBE_SECRET is not set'),
    });
  });

  it('AIMQ_DNS names the resolver when --dns is not given', async () => {
    const r = await aimqIn(['doctor', '--format', 'json'], project('ed.test'), {
      AIMQ_DNS: dns.server,
      TEST_DKIM_KEY: edKey.privateKey,
      AIMQ_SMTP_URL: mailServer.url,
      AIMQ_SMTP_PASSWORD: '',
    });
    const rep = JSON.parse(r.stdout) as DoctorReport;
    expect(rep.dns).toBe(dns.server);
    expect(by(rep, 'DKIM')[0]!.severity).toBe('ok');
  });

  it('a DNS server that does not answer is an environment problem: exit 2, no findings', async () => {
    const dir = project('good.test');
    const r = await aimqIn(['doctor', '--dns', '127.0.0.1:9'], dir, { TEST_DKIM_KEY: good.privateKey });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('error: the DNS server 127.0.0.1:9 did not answer for good.test');
    expect(r.stderr).toContain('[AIMQ-DOCTOR]');
    expect(r.stdout).toBe('');
  });

  it('usage problems exit 2: a --dns that is not an address, an http endpoint off this machine', async () => {
    const dir = project('good.test');
    const bad = await aimqIn(['doctor', '--dns', 'not-an-ip'], dir, { TEST_DKIM_KEY: good.privateKey });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--dns: "not-an-ip" is not an IP address');
    const http = await aimqIn(['doctor', '--unsubscribe-url', 'http://example.org/u'], dir, {
      TEST_DKIM_KEY: good.privateKey,
    });
    expect(http.status).toBe(2);
    expect(http.stderr).toContain('is neither https nor on this machine');
  });
});
