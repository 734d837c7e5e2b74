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

/** Whether the URL is an RFC 8058 one-click endpoint: https only, as the RFC requires. */
export function isOneClick(url: string | undefined): url is string {
  return url !== undefined && /^https:\/\//i.test(url);
}

/** `mailto:` URI (RFC 6068) for the unsubscribe address, with a subject. */
export function unsubscribeMailto(email: EmailConfig, subject: string): string {
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
