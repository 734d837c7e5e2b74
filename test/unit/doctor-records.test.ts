import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dkimPublicKey, dkimRecordText } from '../../src/doctor/dkim.js';
import { dmarcTags } from '../../src/doctor/dmarc.js';
import { doctorDns } from '../../src/doctor/dns.js';
import { relaxedAligned } from '../../src/doctor/finding.js';
import { countSpfLookups, spfRecords } from '../../src/doctor/spf.js';
import { parseEndpointOverride } from '../../src/doctor/unsubscribe.js';
import { startDnsServer, type TestDnsServer } from '../helpers/dns-server.js';
import {
  readUnsubscribeToken,
  signUnsubscribeToken,
  TOKEN_PATTERN,
} from '../../src/message/unsubscribe-token.js';

/** The record parsing and arithmetic of `aimq doctor`; SPF lookups through a real DNS server (dnsmasq). */

let dns: TestDnsServer;
beforeAll(async () => {
  dns = await startDnsServer({
    zones: ['a.test', 'b.test', 'c.test', 'loop.test'],
    txt: [
      { name: 'a.test', strings: ['v=spf1 a mx include:b.test ip4:192.0.2.0/24 -all'] },
      { name: 'b.test', strings: ['v=spf1 exists:x.c.test ptr redirect=c.test'] },
      { name: 'c.test', strings: ['v=spf1 ip6:2001:db8::/32 -all'] },
      { name: 'one.loop.test', strings: ['v=spf1 include:two.loop.test -all'] },
      { name: 'two.loop.test', strings: ['v=spf1 include:one.loop.test -all'] },
    ],
  });
});
afterAll(async () => {
  await dns?.stop();
});

describe('doctor: SPF', () => {
  it('finds the SPF records among TXT records, case and spaces ignored', () => {
    expect(spfRecords(['google-site-verification=x', 'V=SPF1 -all', ' v=spf1 mx ~all', 'v=spf10'])).toEqual([
      'V=SPF1 -all',
      'v=spf1 mx ~all',
    ]);
  });

  it('counts lookups through includes and redirect, each mechanism once, ip4/ip6/all free', async () => {
    const resolver = doctorDns(dns.server);
    // a, mx, include:b (3) + exists, ptr, redirect=c (3) + nothing in c.
    expect(await countSpfLookups(resolver, (await resolver.txt('a.test'))[0]!)).toBe(6);
  });

  it('a loop of includes counts as over the limit', async () => {
    expect(await countSpfLookups(doctorDns(dns.server), 'v=spf1 include:one.loop.test -all')).toBeGreaterThan(
      10,
    );
  });
});

describe('doctor: DMARC and DKIM records', () => {
  it('reads tags without caring for spaces or case of the names', () => {
    expect([...dmarcTags('v=DMARC1;P=reject ; rua=mailto:a@x.test; ')]).toEqual([
      ['v', 'DMARC1'],
      ['p', 'reject'],
      ['rua', 'mailto:a@x.test'],
    ]);
  });

  it('derives p= from the private key: RSA SubjectPublicKeyInfo, Ed25519 raw 32 bytes', () => {
    const r = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const e = generateKeyPairSync('ed25519');
    const pem = (k: typeof r.privateKey) => k.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(dkimPublicKey(pem(r.privateKey))).toEqual({
      type: 'rsa',
      p: r.publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
    });
    const ed = dkimPublicKey(pem(e.privateKey));
    expect(ed.type).toBe('ed25519');
    expect(Buffer.from(ed.p, 'base64')).toEqual(
      e.publicKey.export({ type: 'spki', format: 'der' }).subarray(12),
    );
  });

  it('writes a long record as strings of at most 255 characters that join back to it', () => {
    const p = 'A'.repeat(392);
    const text = dkimRecordText('rsa', p);
    const strings = [...text.matchAll(/"([^"]*)"/g)].map((m) => m[1]!);
    expect(strings.length).toBe(2);
    expect(strings.every((s) => s.length <= 255)).toBe(true);
    expect(strings.join('')).toBe(`v=DKIM1; k=rsa; p=${p}`);
  });
});

describe('doctor: alignment and endpoint', () => {
  it('relaxed alignment by suffix: equal, parent or subdomain; never a mere shared ending', () => {
    expect(relaxedAligned('aimq.net', 'aimq.net')).toBe(true);
    expect(relaxedAligned('mail.aimq.net', 'AIMQ.net.')).toBe(true);
    expect(relaxedAligned('aimq.net', 'news.aimq.net')).toBe(true);
    expect(relaxedAligned('notaimq.net', 'aimq.net')).toBe(false);
    expect(relaxedAligned('aimq.org', 'aimq.net')).toBe(false);
  });

  it('accepts https anywhere and http on this machine only', () => {
    expect(parseEndpointOverride('https://www.example.org/u').href).toBe('https://www.example.org/u');
    expect(parseEndpointOverride('http://127.0.0.1:8080/u').port).toBe('8080');
    expect(parseEndpointOverride('http://[::1]:8080/u').hostname).toBe('[::1]');
    expect(() => parseEndpointOverride('http://example.org/u')).toThrow(/neither https nor on this machine/);
    expect(() => parseEndpointOverride('not a url')).toThrow(/is not a URL/);
  });

  it('signs the test token as the contract says: 32 base64url characters, campaign 0, forged ones refused', () => {
    const secret = 's'.repeat(32);
    const token = signUnsubscribeToken(secret, 0, 0);
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(token.match(TOKEN_PATTERN)).toEqual([token]);
    expect(readUnsubscribeToken(secret, token)).toEqual({ campaignId: 0, deliveryId: 0 });
    expect(readUnsubscribeToken('t'.repeat(32), token)).toBeUndefined();
    const forged = `${token.slice(0, 31)}${token[31] === 'A' ? 'B' : 'A'}`;
    expect(readUnsubscribeToken(secret, forged)).toBeUndefined();
    expect(readUnsubscribeToken(secret, signUnsubscribeToken(secret, 7, 2 ** 40))).toEqual({
      campaignId: 7,
      deliveryId: 2 ** 40,
    });
  });
});
