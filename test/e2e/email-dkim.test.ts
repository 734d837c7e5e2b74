import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { aimqAsync } from '../helpers/cli-async.js';
import { aimq, sendableProject } from '../helpers/cli.js';
import { dkimTxtRecord, verifyWithMailauth } from '../helpers/dkim-dns.js';
import { FOUR, listCsv } from '../helpers/lists.js';
import { smtpServers } from '../helpers/smtp.js';

/**
 * DKIM end to end: the real bin/aimq.js exports and sends messages signed with RSA and
 * Ed25519 keys, checked by mailauth's verifier against the public key as DNS serves it;
 * keys DKIM cannot use are refused before anything leaves; `release check` warns when the
 * signing domain does not align with the sender's (DMARC).
 */

const RELEASE = 'releases/2020-01-13-mission-aimq';
const NOW = '2026-11-28T12:00:00-05:00';
const DNS_NAME = 's2026._domainkey.aimq.net';
const smtp = smtpServers(afterEach);

function keyPair(type: 'rsa' | 'ed25519', modulusLength = 2048): { privateKey: string; publicKey: string } {
  return type === 'rsa'
    ? generateKeyPairSync('rsa', {
        modulusLength,
        privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
        publicKeyEncoding: { type: 'spki', format: 'pem' },
      })
    : generateKeyPairSync('ed25519', {
        privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
        publicKeyEncoding: { type: 'spki', format: 'pem' },
      });
}

function projectWithDkim(domainName = 'aimq.net'): string {
  const dir = sendableProject();
  const config = join(dir, 'aimq.config.yaml');
  writeFileSync(
    config,
    `${readFileSync(config, 'utf8').trimEnd()}\n  dkim: { domainName: ${domainName}, keySelector: s2026 }\n`,
  );
  return dir;
}

function exportEml(dir: string, privateKey: string) {
  return aimq(['release', 'export', RELEASE, '--format', 'eml', '--edition', 'fr', '--now', NOW], dir, {
    AIMQ_DKIM_PRIVATE_KEY: privateKey,
  });
}

describe('release export: DKIM', () => {
  it.each(['rsa', 'ed25519'] as const)(
    'a %s key: the message is signed and the signature passes',
    async (type) => {
      const { privateKey, publicKey } = keyPair(type);
      const r = exportEml(projectWithDkim(), privateKey);
      expect(r.status, r.stderr).toBe(0);
      const verdicts = await verifyWithMailauth(Buffer.from(r.stdout, 'utf8'), {
        [DNS_NAME]: dkimTxtRecord(publicKey),
      });
      expect(verdicts.map((v) => [v.result, v.algo, v.signingDomain])).toEqual([
        ['pass', type === 'rsa' ? 'rsa-sha256' : 'ed25519-sha256', 'aimq.net'],
      ]);
    },
  );

  it('a 512-bit RSA key: exit 2, AIMQ-DKIM-KEY, no message on stdout', () => {
    const r = exportEml(projectWithDkim(), keyPair('rsa', 512).privateKey);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('[AIMQ-DKIM-KEY]');
    expect(r.stderr).toContain('512-bit');
    expect(r.stderr).not.toMatch(/^ {4}at /m);
  });
});

describe('release send: DKIM', () => {
  it('with an Ed25519 key, every message that arrives carries a signature that passes', async () => {
    const server = await smtp();
    const dir = projectWithDkim();
    mkdirSync(join(dir, 'lists'), { recursive: true });
    writeFileSync(join(dir, 'lists', 'medias.csv'), listCsv(FOUR));
    const { privateKey, publicKey } = keyPair('ed25519');
    const r = await aimqAsync(['release', 'send', RELEASE, '--to', 'lists/medias.csv', '--yes'], dir, {
      AIMQ_SMTP_URL: server.url,
      AIMQ_SMTP_PASSWORD: '',
      AIMQ_DKIM_PRIVATE_KEY: privateKey,
    });
    expect(r.status, r.stderr).toBe(0);
    expect(server.messages).toHaveLength(FOUR.length);
    for (const m of server.messages) {
      const verdicts = await verifyWithMailauth(m.raw, { [DNS_NAME]: dkimTxtRecord(publicKey) });
      expect(verdicts.map((v) => [v.result, v.algo])).toEqual([['pass', 'ed25519-sha256']]);
    }
  });

  it('with a key DKIM cannot use (P-256): exit 2 before anything is sent', async () => {
    const server = await smtp();
    const dir = projectWithDkim();
    mkdirSync(join(dir, 'lists'), { recursive: true });
    writeFileSync(join(dir, 'lists', 'medias.csv'), listCsv(FOUR));
    const { privateKey } = generateKeyPairSync('ec', {
      namedCurve: 'P-256',
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const r = await aimqAsync(['release', 'send', RELEASE, '--to', 'lists/medias.csv', '--yes'], dir, {
      AIMQ_SMTP_URL: server.url,
      AIMQ_SMTP_PASSWORD: '',
      AIMQ_DKIM_PRIVATE_KEY: privateKey,
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('[AIMQ-DKIM-KEY]');
    expect(server.messages).toHaveLength(0);
  });
});

describe('release check: DKIM alignment', () => {
  const warnings = (dir: string) => {
    const r = aimq(['release', 'check', '--format', 'json'], dir);
    expect(r.status, r.stderr).toBe(0);
    return (JSON.parse(r.stdout) as { code: string; file: string; message: string }[]).filter(
      (d) => d.code === 'AIMQ-DKIM-ALIGNMENT',
    );
  };

  it('d=example.org for mail from aimq.net: a warning naming both domains, exit 0', () => {
    const found = warnings(projectWithDkim('example.org'));
    expect(found).toHaveLength(1);
    expect(found[0]!.file).toBe('aimq.config.yaml');
    expect(found[0]!.message).toContain('example.org');
    expect(found[0]!.message).toContain('aimq.net');
  });

  it('a subdomain of the sender’s domain is aligned (relaxed): no warning', () => {
    expect(warnings(projectWithDkim('mail.aimq.net'))).toEqual([]);
    expect(warnings(projectWithDkim('aimq.net'))).toEqual([]);
  });
});
