import { domainToASCII } from 'node:url';
import type { EmailConfig } from '../model/config.js';

/**
 * The unsubscribe addresses as URIs that fit in a header as they are: ASCII only, so
 * nothing gets RFC 2047-encoded (`=?UTF-8?Q?…?=` inside List-Unsubscribe is read by no
 * mail program), with non-ASCII characters percent-encoded and domain names in punycode.
 */

/** `unsubscribe.url` with non-ASCII characters percent-encoded and its host in punycode. */
export function unsubscribeUrl(email: EmailConfig): string | undefined {
  const url = email.unsubscribe.url;
  if (!url) return undefined;
  try {
    return new URL(url).href;
  } catch {
    // A host the IDNA rules refuse: still never a raw non-ASCII byte in a header.
    return percentEncodeNonAscii(url);
  }
}

/**
 * What stands for a recipient's token in what is rendered once per edition: 32 token characters,
 * so that quoted-printable and header folding treat it exactly as they treat a real token (they
 * break lines only at spaces, punctuation and `=XX` escapes, none of which a token has), and the
 * real token replaces it byte for byte in each recipient's message (see compose.ts).
 */
export const TOKEN_PLACEHOLDER = 'aimqUnsubscribeTokenPlaceholder0';

/** `url` with the query parameter `t=<token>` added (before any fragment). */
export function withToken(url: string, token: string): string {
  const hash = url.indexOf('#');
  const base = hash < 0 ? url : url.slice(0, hash);
  const fragment = hash < 0 ? '' : url.slice(hash);
  const sep = !base.includes('?') ? '?' : base.endsWith('?') || base.endsWith('&') ? '' : '&';
  return `${base}${sep}t=${token}${fragment}`;
}

/** The token a one-click URL carries (`t=`), if any. */
export function tokenOf(url: URL): string | undefined {
  return url.searchParams.get('t') ?? undefined;
}

/** Whether the URL is an RFC 8058 one-click endpoint: https only, as the RFC requires. */
export function isOneClick(url: string | undefined): url is string {
  return url !== undefined && /^https:\/\//i.test(url);
}

/** `mailto:` URI (RFC 6068) for the unsubscribe address, with a subject. */
export function unsubscribeMailto(email: EmailConfig, subject: string, token?: string): string {
  if (token) subject = `${subject} ${token}`;
  const address = email.unsubscribe.mailto;
  const at = address.lastIndexOf('@');
  const local = address.slice(0, at).replace(/[^A-Za-z0-9.!$'()*+,;=_~-]/g, (c) => percentEncode(c));
  const domain = address.slice(at + 1);
  return `mailto:${local}@${domainToASCII(domain) || percentEncodeNonAscii(domain)}?subject=${encodeURIComponent(subject)}`;
}

function percentEncode(text: string): string {
  return [...Buffer.from(text, 'utf8')]
    .map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`)
    .join('');
}

function percentEncodeNonAscii(text: string): string {
  return text.replace(/[^\x21-\x7e]+/gu, percentEncode);
}
