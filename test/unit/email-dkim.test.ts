import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { AimqError } from '../../src/errors/index.js';
import { composeMessage, prepareMessage, type MessageContent } from '../../src/message/compose.js';
import { dkimAligned } from '../../src/message/dkim.js';
import { loadDkimKey } from '../../src/message/dkim-key.js';
import { REPO } from '../helpers/cli.js';
import { dkimTxtRecord, verifyWithMailauth } from '../helpers/dkim-dns.js';

/**
 * DKIM signing with RSA and Ed25519 keys, checked by mailauth's verifier with the public key
 * served as DNS would; and the keys aimq refuses rather than send unsigned.
 */

const CONFIG_TEXT = `${readFileSync(join(REPO, 'aimq.config.yaml'), 'utf8').trimEnd()}\n  dkim: { domainName: aimq.net, keySelector: s2026 }\n`;
const config = parseConfig(CONFIG_TEXT, { root: REPO, file: 'aimq.config.yaml' });
const DNS_NAME = 's2026._domainkey.aimq.net';

const content: MessageContent = {
  subject: 'L’AIMQ actualise sa mission',
  html: '<p>Bonjour, voici le communiqué.</p>',
  text: 'Bonjour, voici le communiqué.\n',
  languages: ['fr-CA'],
  attachments: [],
};

function pem(type: 'rsa' | 'ed25519', modulusLength = 2048) {
  const pair =
    type === 'rsa'
      ? generateKeyPairSync('rsa', {
          modulusLength,
          privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
          publicKeyEncoding: { type: 'spki', format: 'pem' },
        })
      : generateKeyPairSync('ed25519', {
          privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
          publicKeyEncoding: { type: 'spki', format: 'pem' },
        });
  return pair;
}

function signedMessage(privateKey: string): Promise<Buffer> {
  const dkim = loadDkimKey(config, { AIMQ_DKIM_PRIVATE_KEY: privateKey })!;
  return composeMessage({
    content,
    config,
    replyTo: { name: 'Danielle Boucher', address: 'communications@aimq.net' },
    date: new Date(Date.UTC(2026, 11, 1, 15)),
    messageId: '<test.1@aimq.net>',
    baseBoundary: 'dkimtest',
    to: 'journaliste@example.org',
    dkim,
  });
}

function dkimHeaders(raw: Buffer): string[] {
  const head = raw.toString('latin1').split('\r\n\r\n')[0]!;
  return head.split(/\r\n(?![ \t])/).filter((l) => /^dkim-signature:/i.test(l));
}

describe('DKIM signing, verified by mailauth', () => {
  it.each(['rsa', 'ed25519'] as const)(
    'a %s key signs every message once, and the signature passes with the published key',
    async (type) => {
      const { privateKey, publicKey } = pem(type);
      const raw = await signedMessage(privateKey);
      expect(dkimHeaders(raw)).toHaveLength(1);
      const verdicts = await verifyWithMailauth(raw, { [DNS_NAME]: dkimTxtRecord(publicKey) });
      expect(verdicts).toEqual([
        {
          result: 'pass',
          signingDomain: 'aimq.net',
          selector: 's2026',
          algo: type === 'rsa' ? 'rsa-sha256' : 'ed25519-sha256',
        },
      ]);
      // The same check fails on a changed subject: the verifier can tell.
      const tampered = Buffer.from(raw.toString('latin1').replace('Subject: ', 'Subject: x'), 'latin1');
      expect((await verifyWithMailauth(tampered, { [DNS_NAME]: dkimTxtRecord(publicKey) }))[0]!.result).toBe(
        'fail',
      );
    },
  );

  it('the signature covers the headers readers see, List-Unsubscribe included', async () => {
    const { privateKey } = pem('ed25519');
    const raw = await signedMessage(privateKey);
    const h = /\bh=([^;]+)/.exec(dkimHeaders(raw)[0]!.replace(/\s+/g, ''))![1]!.toLowerCase().split(':');
    expect(h).toEqual(
      expect.arrayContaining(['from', 'subject', 'date', 'message-id', 'to', 'list-unsubscribe']),
    );
  });

  it('each prepared message (the send path) is signed and verifies, Ed25519 included', async () => {
    const { privateKey, publicKey } = pem('ed25519');
    const dkim = loadDkimKey(config, { AIMQ_DKIM_PRIVATE_KEY: privateKey })!;
    const build = await prepareMessage({
      content,
      config,
      replyTo: { address: 'communications@aimq.net' },
      baseBoundary: 'dkimprep',
      dkim,
    });
    for (const to of ['a@example.org', 'b@example.org']) {
      const raw = await build({ name: '', address: to }, `<${to}.1@aimq.net>`, new Date(0));
      const [verdict] = await verifyWithMailauth(raw, { [DNS_NAME]: dkimTxtRecord(publicKey) });
      expect(verdict?.result).toBe('pass');
      expect(verdict?.algo).toBe('ed25519-sha256');
    }
  });
});

describe('keys aimq refuses instead of sending unsigned', () => {
  const refusal = (privateKey: string): AimqError => {
    try {
      loadDkimKey(config, { AIMQ_DKIM_PRIVATE_KEY: privateKey });
    } catch (err) {
      return err as AimqError;
    }
    throw new Error('the key was accepted');
  };

  it('an RSA key under 1024 bits: AIMQ-DKIM-KEY naming its size, never the key', () => {
    const { privateKey } = pem('rsa', 512);
    const err = refusal(privateKey);
    expect(err).toBeInstanceOf(AimqError);
    expect(err.code).toBe('AIMQ-DKIM-KEY');
    expect(err.message).toContain('512-bit');
    const body = privateKey.split('\n')[1]!;
    expect(`${err.message} ${err.hint}`).not.toContain(body);
  });

  it('a 1024-bit RSA key is accepted', () => {
    expect(loadDkimKey(config, { AIMQ_DKIM_PRIVATE_KEY: pem('rsa', 1024).privateKey })?.domainName).toBe(
      'aimq.net',
    );
  });

  it('an elliptic-curve (P-256) key, which DKIM has no algorithm for: AIMQ-DKIM-KEY', () => {
    const { privateKey } = generateKeyPairSync('ec', {
      namedCurve: 'P-256',
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const err = refusal(privateKey);
    expect(err.code).toBe('AIMQ-DKIM-KEY');
    expect(err.message).toContain('EC key');
  });
});

describe('DMARC relaxed alignment of the signing domain', () => {
  it.each([
    ['aimq.net', 'aimq.net', true],
    ['aimq.net', 'mail.aimq.net', true],
    ['news.aimq.net', 'aimq.net', true],
    ['AIMQ.net', 'aimq.NET', true],
    ['aimq.net', 'aimq.org', false],
    ['aimq.net', 'sendgrid.net', false],
    // gc.ca is a public suffix: two departments are two organisations.
    ['tc.gc.ca', 'canada.gc.ca', false],
  ] as const)('From @%s, d=%s: aligned %s', (from, d, aligned) => {
    expect(dkimAligned(from, d)).toBe(aligned);
  });
});
