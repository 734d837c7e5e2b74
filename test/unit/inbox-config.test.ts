import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { AimqError } from '../../src/errors/index.js';
import { imapSettings } from '../../src/inbox/imap.js';
import { unsubscribeSecret } from '../../src/unsubscribe/secret.js';
import { MINIMAL_CONFIG as BASE, problemsOf, where } from '../helpers/config.js';
import { en } from '../helpers/text.js';

describe('inbox: in aimq.config.yaml', () => {
  it('applies the defaults: INBOX, aimq-processed, 993 with secure, 143 without, 3 soft bounces in 15 days', () => {
    const secure = parseConfig(
      `${BASE}inbox:\n  host: imap.example.org\n  secure: true\n  user: bounces@example.org\n`,
      where,
    );
    expect(secure.inbox).toEqual({
      host: 'imap.example.org',
      port: 993,
      secure: true,
      user: 'bounces@example.org',
      folder: 'INBOX',
      processedFolder: 'aimq-processed',
      softBounces: { count: 3, days: 15 },
    });
    const plain = parseConfig(
      `${BASE}inbox:\n  host: imap.example.org\n  softBounces: { count: 5, days: 30 }\n`,
      where,
    );
    expect(plain.inbox).toMatchObject({ port: 143, secure: false, softBounces: { count: 5, days: 30 } });
    expect(parseConfig(BASE, where).inbox).toBeUndefined();
  });

  it('refuses a password in the file, and soft-bounce numbers that are not whole and positive, at their lines', () => {
    const found = problemsOf(
      `${BASE}inbox:\n  host: imap.example.org\n  user: u\n  password: hunter2-in-a-file\n  softBounces: { count: 0, days: 1.5 }\n`,
    );
    expect(found.map((d) => [d.code, d.line])).toEqual([
      ['AIMQ-CONFIG-FIELD', 9],
      ['AIMQ-CONFIG-FIELD', 10],
      ['AIMQ-CONFIG-FIELD', 10],
    ]);
    expect(en(found[0]!.hint)).toMatch(/AIMQ_IMAP_PASSWORD/);
    expect(JSON.stringify(found)).not.toContain('hunter2-in-a-file');
    expect(en(found[1]!.message)).toMatch(/whole number from 1 to 1000/);
  });

  it('sync needs a host, a user and AIMQ_IMAP_PASSWORD; the secret must be 32 characters or more', () => {
    const none = parseConfig(`${BASE}inbox:\n  softBounces: { count: 2, days: 7 }\n`, where);
    expect(() => imapSettings(none, { AIMQ_IMAP_PASSWORD: 'x' })).toThrow(/no IMAP mailbox/);
    const some = parseConfig(`${BASE}inbox:\n  host: imap.example.org\n  user: u@example.org\n`, where);
    expect(() => imapSettings(some, {})).toThrow(/AIMQ_IMAP_PASSWORD is not set/);
    expect(imapSettings(some, { AIMQ_IMAP_PASSWORD: 'pw' })).toMatchObject({
      host: 'imap.example.org',
      password: 'pw',
    });
    expect(unsubscribeSecret({})).toBeUndefined();
    expect(() => unsubscribeSecret({ AIMQ_UNSUBSCRIBE_SECRET: 'Zq9-tiny-secret' })).toThrow(AimqError);
    try {
      unsubscribeSecret({ AIMQ_UNSUBSCRIBE_SECRET: 'Zq9-tiny-secret' });
    } catch (err) {
      expect((err as AimqError).code).toBe('AIMQ-UNSUBSCRIBE-SECRET');
      expect((err as AimqError).message).not.toContain('Zq9-tiny-secret');
    }
  });
});
