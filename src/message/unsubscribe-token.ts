import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Per-recipient unsubscribe tokens (issue 14). A token names a delivery row of a campaign and
 * proves, by a MAC under a secret only the sender holds, that aimq wrote it: it cannot be forged,
 * and the neighbouring rows' tokens cannot be guessed from one (the MAC makes them unrelated).
 * The ids themselves are readable by anyone holding the token; they are row numbers, not addresses.
 */

/** Campaign 0 is a test token: the endpoint answers it (200) and records nothing. */
export const TEST_CAMPAIGN = 0;
export const TOKEN_LENGTH = 32; // base64url characters, no padding
/** A token anywhere in text: 32 base64url characters not touching another one. */
export const TOKEN_PATTERN = /(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{32}(?![A-Za-z0-9_-])/g;

const DOMAIN = Buffer.from('aimq-unsubscribe\0', 'latin1');
const ID_BYTES = 10;
const MAC_BYTES = 14;
const MAX_CAMPAIGN = 0xffffffff;
const MAX_DELIVERY = 2 ** 48 - 1;

function mac(secret: string, ids: Buffer): Buffer {
  return createHmac('sha256', secret).update(DOMAIN).update(ids).digest().subarray(0, MAC_BYTES);
}

/**
 * base64url(4-byte big-endian campaign id ‖ 6-byte big-endian delivery (row) id ‖
 * first 14 bytes of HMAC-SHA256(secret, "aimq-unsubscribe\0" ‖ those 10 bytes)): 24 bytes → 32 chars.
 * Throws a RangeError for ids that do not fit (a programming error, never user input).
 */
export function signUnsubscribeToken(secret: string, campaignId: number, deliveryId: number): string {
  if (!Number.isInteger(campaignId) || campaignId < 0 || campaignId > MAX_CAMPAIGN)
    throw new RangeError(`campaign id ${campaignId} does not fit in a token`);
  if (!Number.isInteger(deliveryId) || deliveryId < 0 || deliveryId > MAX_DELIVERY)
    throw new RangeError(`delivery id ${deliveryId} does not fit in a token`);
  const ids = Buffer.alloc(ID_BYTES);
  ids.writeUInt32BE(campaignId, 0);
  ids.writeUIntBE(deliveryId, 4, 6);
  return Buffer.concat([ids, mac(secret, ids)]).toString('base64url');
}

const EXACT = /^[A-Za-z0-9_-]{32}$/;

/** The ids when the MAC verifies (constant-time compare), else undefined. Never throws. */
export function readUnsubscribeToken(
  secret: string,
  token: string,
): { campaignId: number; deliveryId: number } | undefined {
  if (typeof token !== 'string' || !EXACT.test(token)) return undefined;
  const bytes = Buffer.from(token, 'base64url');
  // 32 characters always decode to 24 bytes; the last one carries no padding bits to ignore.
  if (bytes.length !== ID_BYTES + MAC_BYTES) return undefined;
  const ids = bytes.subarray(0, ID_BYTES);
  if (!timingSafeEqual(bytes.subarray(ID_BYTES), mac(secret, ids))) return undefined;
  return { campaignId: ids.readUInt32BE(0), deliveryId: ids.readUIntBE(4, 6) };
}
