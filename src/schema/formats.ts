/** Formats every part of aimq accepts alike: e-mail addresses, mailboxes, phone numbers. */

import { domainToASCII } from 'node:url';

const EMAIL_RE =
  /^(?!\.)(?!.*\.\.)[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@(?=.{1,253}$)[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?)*\.[\p{L}]{2,63}$/u;

export function isEmail(text: string): boolean {
  return EMAIL_RE.test(text);
}

/** `Name <addr>` or `addr`, on one line, into its parts. */
export function parseMailbox(text: string): { name?: string; address: string } | undefined {
  if (/[\r\n]/.test(text)) return undefined;
  const m = /^\s*(?:"?([^"<>]*?)"?\s*)?<([^<>\s]+)>\s*$/.exec(text);
  if (m) return isEmail(m[2]!) ? { ...(m[1] ? { name: m[1] } : {}), address: m[2]! } : undefined;
  return isEmail(text.trim()) ? { address: text.trim() } : undefined;
}

/** Digits, spaces, dots, dashes, parentheses, a leading +, and an optional extension. */
export function isPhone(text: string): boolean {
  const m = /^\+?[\d\s().-]+?(?:\s*(?:,|poste|ext\.?|x)\s*\d{1,6})?$/i.exec(text.trim());
  if (!m) return false;
  const digits = text.replace(/(?:poste|ext\.?|x|,)\s*\d+$/i, '').replace(/\D/g, '');
  return digits.length >= 7 && digits.length <= 15;
}

/**
 * An address with its domain as an A-label (for the SMTP envelope and Message-IDs): `user@bücher.de` goes out as
 * `user@xn--bcher-kva.de`, as the To header already does. Raw UTF-8 in RCPT TO needs the
 * server's SMTPUTF8, which nodemailer does not ask for: a strict server refuses it with a
 * 5xx, and the address was then recorded as a hard bounce and suppressed.
 */
export function asciiDomain(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 0) return address;
  const domain = address.slice(at + 1);
  if (!/[^\x20-\x7e]/.test(domain)) return address;
  const ascii = domainToASCII(domain);
  return ascii ? `${address.slice(0, at)}@${ascii}` : address;
}
