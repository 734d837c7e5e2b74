import { describe, expect, it } from 'vitest';
import {
  readUnsubscribeToken,
  signUnsubscribeToken,
  TEST_CAMPAIGN,
  TOKEN_LENGTH,
  TOKEN_PATTERN,
} from '../../src/message/unsubscribe-token.js';
import { TOKEN_PLACEHOLDER } from '../../src/message/unsubscribe.js';

/** Signed per-recipient unsubscribe tokens: what they carry, and every way a forged one fails. */

const SECRET = `${'x'.repeat(16)}a-test-secret-of-enough-length`;
const OTHER = `${'y'.repeat(16)}a-test-secret-of-enough-length`;

describe('unsubscribe tokens', () => {
  it('are 32 base64url characters that give back the campaign and row they were made for', () => {
    for (const [c, d] of [
      [1, 1],
      [3, 17],
      [0xffffffff, 2 ** 48 - 1],
      [TEST_CAMPAIGN, 0],
      [123456, 98765432101],
    ] as const) {
      const t = signUnsubscribeToken(SECRET, c, d);
      expect(t).toHaveLength(TOKEN_LENGTH);
      expect(t).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(readUnsubscribeToken(SECRET, t)).toEqual({ campaignId: c, deliveryId: d });
    }
  });

  it('the placeholder has a token’s shape, so it is laid out exactly like one', () => {
    expect(TOKEN_PLACEHOLDER).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it('are found in text by TOKEN_PATTERN, and not inside a longer run of token characters', () => {
    const t = signUnsubscribeToken(SECRET, 5, 9);
    expect(`Subject: Désabonnement ${t}`.match(TOKEN_PATTERN)).toEqual([t]);
    expect(`https://x.org/u?t=${t}&a=1`.match(TOKEN_PATTERN)).toEqual([t]);
    expect(`${t}A`.match(TOKEN_PATTERN)).toBeNull();
  });

  it('another secret reads none of them', () => {
    for (let d = 1; d <= 50; d++)
      expect(readUnsubscribeToken(OTHER, signUnsubscribeToken(SECRET, 2, d))).toBeUndefined();
  });

  it('any single bit flipped makes a token invalid', () => {
    const t = signUnsubscribeToken(SECRET, 42, 4242);
    const bytes = Buffer.from(t, 'base64url');
    let checked = 0;
    for (let i = 0; i < bytes.length; i++)
      for (let b = 0; b < 8; b++) {
        const forged = Buffer.from(bytes);
        forged[i]! ^= 1 << b;
        expect(readUnsubscribeToken(SECRET, forged.toString('base64url'))).toBeUndefined();
        checked++;
      }
    expect(checked).toBe(24 * 8);
  });

  it('a token for another row with the MAC of this one, or a MAC made up, is refused', () => {
    const t = Buffer.from(signUnsubscribeToken(SECRET, 7, 100), 'base64url');
    const forged = Buffer.from(t);
    forged.writeUIntBE(101, 4, 6); // the next row, same MAC
    expect(readUnsubscribeToken(SECRET, forged.toString('base64url'))).toBeUndefined();
    const zeros = Buffer.concat([t.subarray(0, 10), Buffer.alloc(14)]);
    expect(readUnsubscribeToken(SECRET, zeros.toString('base64url'))).toBeUndefined();
  });

  it('truncated, lengthened, padded or foreign text is refused, and nothing throws', () => {
    const t = signUnsubscribeToken(SECRET, 7, 100);
    for (const bad of [
      '',
      t.slice(0, 31),
      t.slice(1),
      `${t}A`,
      `${t}=`,
      `${t.slice(0, 31)}=`,
      `+${t.slice(1)}`,
      ` ${t.slice(1)}`,
      'é'.repeat(32),
      TOKEN_PLACEHOLDER,
      undefined as unknown as string,
      42 as unknown as string,
    ])
      expect(readUnsubscribeToken(SECRET, bad)).toBeUndefined();
  });

  it('neighbouring rows give unrelated tokens: no shared MAC bytes beyond chance, ids in the clear only', () => {
    const macs = Array.from({ length: 200 }, (_, i) =>
      Buffer.from(signUnsubscribeToken(SECRET, 9, 1000 + i), 'base64url').subarray(10),
    );
    // Equal bytes at the same position between consecutive rows: 14/256 expected per pair.
    let same = 0;
    for (let i = 1; i < macs.length; i++)
      for (let j = 0; j < 14; j++) if (macs[i]![j] === macs[i - 1]![j]) same++;
    expect(same / (macs.length - 1)).toBeLessThan(1);
    expect(new Set(macs.map((m) => m.toString('hex'))).size).toBe(macs.length);
  });

  it('refuses ids that do not fit, rather than wrapping them onto another row', () => {
    expect(() => signUnsubscribeToken(SECRET, -1, 1)).toThrow(RangeError);
    expect(() => signUnsubscribeToken(SECRET, 2 ** 32, 1)).toThrow(RangeError);
    expect(() => signUnsubscribeToken(SECRET, 1, 2 ** 48)).toThrow(RangeError);
    expect(() => signUnsubscribeToken(SECRET, 1, 1.5)).toThrow(RangeError);
  });
});
