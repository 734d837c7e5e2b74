import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Per-recipient unsubscribe tokens (issue 14 contract). Placeholder copy in the consentdoc
 * branch so that `aimq doctor` can sign a test token: the integrator keeps the unsub
 * helper's version of this file.
 */

/** Campaign 0 is a test token: the endpoint answers it (200) and records nothing. */
export const TEST_CAMPAIGN = 0;
export const TOKEN_LENGTH = 32; // base64url characters, no padding
/** A token anywhere in text: 32 base64url characters not touching another one. */
export const TOKEN_PATTERN = /(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{32}(?![A-Za-z0-9_-])/g;

const DOMAIN = Buffer.from('aimq-unsubscribe\0', 'utf8');
const MAC_BYTES = 14;

function mac(secret: string, ids: Buffer): Buffer {
  return createHmac('sha256', secret).update(DOMAIN).update(ids).digest().subarray(0, MAC_BYTES);
}

/**
 * base64url(4-byte big-endian campaign id ‖ 6-byte big-endian delivery (row) id ‖
 * first 14 bytes of HMAC-SHA256(secret, "aimq-unsubscribe\0" ‖ those 10 bytes)): 24 bytes → 32 chars.
 */
export function signUnsubscribeToken(secret: string, campaignId: number, deliveryId: number): string {
  const ids = Buffer.alloc(10);
  ids.writeUInt32BE(campaignId, 0);
  ids.writeUIntBE(deliveryId, 4, 6);
  return Buffer.concat([ids, mac(secret, ids)]).toString('base64url');
}

/** The ids when the MAC verifies (constant-time compare), else undefined. Never throws. */
export function readUnsubscribeToken(
  secret: string,
  token: string,
): { campaignId: number; deliveryId: number } | undefined {
  if (token.length !== TOKEN_LENGTH || !/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
  const bytes = Buffer.from(token, 'base64url');
  if (bytes.length !== 24) return undefined;
  const ids = bytes.subarray(0, 10);
  if (!timingSafeEqual(bytes.subarray(10), mac(secret, ids))) return undefined;
  return { campaignId: ids.readUInt32BE(0), deliveryId: ids.readUIntBE(4, 6) };
}
