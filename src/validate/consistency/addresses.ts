import type { Recogniser } from './facts.js';

// --- URLs and e-mail addresses

/** Where a web address starts: a scheme, or `www.` not inside another word or address. */
export const WEB_URL_START = /^(?:https?:\/\/|www\.)/i;

/** A web address in prose, up to white space or a character that cannot end one in text (quotes, guillemets, angle brackets). */
const URL_IN_TEXT = /(?:https?:\/\/|(?<![\p{L}\p{N}./@-])www\.)[^\s<>"«»]+/giu;

/** Punctuation that ends the sentence rather than the address: `(voir www.aimq.ca).` */
const TRAILING_PUNCTUATION = /[.,;:!?…'’"»)\]]+$/u;

/** Path segments, host labels and query values that name a language: `/fr/`, `en.site.ca`, `?lang=en`. */
const LANGUAGE_CODE = /^(?:fr|en|fra|eng)(?:[-_][a-z]{2})?$/i;

function trimUrl(raw: string): string {
  let url = raw.replace(TRAILING_PUNCTUATION, '');
  // Keep a closing parenthesis the address opened itself (Wikipedia-style addresses).
  while (raw.length > url.length && raw[url.length] === ')' && count(url, '(') > count(url, ')')) {
    url += ')';
    url = url.replace(/[.,;:!?…'’"»\]]+$/u, '');
  }
  return url;
}

const count = (text: string, char: string): number => text.split(char).length - 1;

/**
 * The form URLs are compared in: no scheme (http and https are the same page for a
 * reader), no `www.`, host in lower case, no trailing slash, and language codes replaced
 * so that `site.ca/fr/nouvelles` and `site.ca/en/nouvelles` are the same address.
 */
export function normaliseUrl(raw: string, lang: string): string | undefined {
  const trimmed = trimUrl(raw);
  let url: URL;
  try {
    url = new URL(/^www\./i.test(trimmed) ? `http://${trimmed}` : trimmed);
  } catch {
    return undefined;
  }
  const ownLanguage = lang.toLowerCase();
  const isLanguage = (part: string): boolean =>
    LANGUAGE_CODE.test(part) || part.toLowerCase() === ownLanguage;
  const host = url.host
    .replace(/^www\./, '')
    .split('.')
    .map((label, i, labels) => (i === 0 && labels.length > 2 && isLanguage(label) ? '{lang}' : label))
    .join('.');
  const path = url.pathname
    .split('/')
    .map((segment) => (isLanguage(segment) ? '{lang}' : segment))
    .join('/')
    .replace(/\/+$/, '');
  const query = [...url.searchParams]
    .map(([key, value]) => `${key}=${isLanguage(value) ? '{lang}' : value}`)
    .join('&');
  return `${host}${path}${query ? `?${query}` : ''}${url.hash}`;
}

/** An e-mail address: local part, `@`, a domain ending in a top-level domain of letters (so a final period is left out). */
const EMAIL =
  /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}(?![\p{L}\p{N}-])/gu;

const urlRecogniser: Recogniser = {
  pattern: URL_IN_TEXT,
  read: (match, language) => {
    const raw = trimUrl(match[0]);
    const normalized = normaliseUrl(raw, language);
    return normalized === undefined ? [] : [{ kind: 'url', raw, normalized, index: match.index }];
  },
};

const emailRecogniser: Recogniser = {
  pattern: EMAIL,
  read: (match) => [{ kind: 'email', raw: match[0], normalized: match[0].toLowerCase(), index: match.index }],
};

/** Addresses first: they contain anything, digits and dates included. */
export const addressRecognisers: readonly Recogniser[] = [urlRecogniser, emailRecogniser];
