import mailauthSign from 'mailauth/lib/dkim/sign.js';
import mailauthTools from 'mailauth/lib/tools.js';
import { AimqError } from '../errors/index.js';
import type { DkimKey } from './compose.js';

/**
 * The header fields a signature covers: mailauth's list (From, Subject, Date, Message-ID,
 * To, the MIME and List-* fields) plus List-Unsubscribe-Post, which RFC 8058 requires to
 * be signed for one-click unsubscribe to be honoured, and Content-Language. Only fields
 * present in the message are signed.
 */
const SIGNED_HEADERS = [
  'From',
  'Sender',
  'Reply-To',
  'Subject',
  'Date',
  'Message-ID',
  'To',
  'Cc',
  'MIME-Version',
  'Content-Type',
  'Content-Transfer-Encoding',
  'Content-Language',
  'List-Id',
  'List-Unsubscribe',
  'List-Unsubscribe-Post',
].join(':');

/**
 * Signs a message with DKIM (RFC 6376, relaxed/relaxed, rsa-sha256 or ed25519-sha256 as
 * RFC 8463 defines it, chosen by the key). The `t=` tag is `signTime`, the message's own
 * Date, never the clock: the same message signed twice is the same bytes.
 *
 * A message that should be signed and could not be is never returned: the error is
 * AIMQ-DKIM-KEY (exit 2), and the key never appears in it.
 */
export async function dkimSignMessage(raw: Buffer, key: DkimKey, signTime: Date): Promise<Buffer> {
  let result: Awaited<ReturnType<typeof mailauthSign.dkimSign>>;
  try {
    result = await mailauthSign.dkimSign(raw, {
      canonicalization: 'relaxed/relaxed',
      signTime,
      headerList: SIGNED_HEADERS,
      signatureData: [
        { signingDomain: key.domainName, selector: key.keySelector, privateKey: key.privateKey },
      ],
    });
  } catch (err) {
    throw signingFailed(key, (err as { code?: string }).code);
  }
  const signature = result.signatures.trim();
  if (result.errors.length > 0 || !/^DKIM-Signature:/i.test(signature))
    throw signingFailed(key, result.errors[0]?.err.code);
  return Buffer.concat([Buffer.from(`${signature}\r\n`, 'latin1'), raw]);
}

function signingFailed(key: DkimKey, code: string | undefined): AimqError {
  // Only the error's code: a library message could quote part of the key.
  return new AimqError(
    'AIMQ-DKIM-KEY',
    {
      fr: `le message n’a pas pu être signé DKIM pour ${key.domainName} (${code ?? 'aucune signature produite'})\u00a0; rien n’a été envoyé sans signature`,
      en: `the message could not be DKIM-signed for ${key.domainName} (${code ?? 'no signature produced'}); nothing was sent unsigned`,
    },
    {
      hint: {
        fr: 'utilisez une clé RSA de 1024 bits ou plus (2048 recommandés) ou une clé Ed25519, au format PEM',
        en: 'use an RSA key of 1024 bits or more (2048 recommended) or an Ed25519 key, in PEM form',
      },
    },
  );
}

/**
 * Whether a DKIM signature by `dkimDomain` passes DMARC for mail from `fromDomain` in
 * relaxed mode: both under the same organisational domain (the public suffix list decides
 * where it starts, so `mail.aimq.net` aligns with `aimq.net` but `a.gc.ca` not with `b.gc.ca`).
 */
export function dkimAligned(fromDomain: string, dkimDomain: string): boolean {
  return mailauthTools.getAlignment(fromDomain.toLowerCase(), [dkimDomain.toLowerCase()]) !== false;
}
