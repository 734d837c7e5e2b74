/**
 * GFM autolink literals (`www.aimq.net`, `https://…`, `info@aimq.net`), found in text
 * the way mdast-util-gfm-autolink-literal finds them, so that the tree is remark-gfm's.
 * markdown-it's linkify (linkify-it) follows other rules: it links `aimq.net` without
 * `www.` and ends URLs elsewhere.
 */

export interface LiteralLink {
  /** Offsets in the text. */
  start: number;
  end: number;
  url: string;
  /** The link's text: the address as written. */
  text: string;
}

const URL = /(?<![\da-z])(https?:\/\/|www(?=\.))([\w-]*\.[\w\-.]*)([^\t\n\r ]*)/gi;
// micromark's tokenizer, which finds most literals before mdast's transform looks, knows
// no `mailto:` or `xmpp:` literals: `mailto:x@y.ca` links `x@y.ca` only.
const EMAIL = /(?<![\w+\-.])([\w+\-.]+)@([\w-]+(?:\.[\w-]+)+)/g;

/** Every construct needs one of these: most text has none and skips the scan. */
const TRIGGER = /@|www\.|https?:\/\//i;
const PUNCTUATION_OR_SYMBOL = /[\p{P}\p{S}]/u;
const WHITESPACE = /\s/;

type Finder = (match: RegExpExecArray, input: string) => LiteralLink | undefined;

const FINDERS: Array<[RegExp, Finder]> = [
  [URL, findUrl],
  [EMAIL, findEmail],
];

/**
 * The literal autolinks in `text`, in order. Like mdast's find-and-replace, each pattern
 * runs on the text left between the links the previous patterns found.
 */
export function findLiteralLinks(text: string): LiteralLink[] {
  if (!TRIGGER.test(text)) return [];
  let pieces: Array<{ start: number; value: string }> = [{ start: 0, value: text }];
  const links: LiteralLink[] = [];
  for (const [pattern, find] of FINDERS) {
    const next: typeof pieces = [];
    for (const piece of pieces) {
      let from = 0;
      pattern.lastIndex = 0;
      let match: RegExpExecArray | null;
      while ((match = pattern.exec(piece.value)) !== null) {
        const link = find(match, piece.value);
        if (link === undefined) {
          pattern.lastIndex = match.index + 1;
          continue;
        }
        if (link.start > from)
          next.push({ start: piece.start + from, value: piece.value.slice(from, link.start) });
        links.push({ ...link, start: piece.start + link.start, end: piece.start + link.end });
        from = match.index + match[0].length;
        // A URL's trailing punctuation is text again, and goes on to the later patterns.
        if (link.end < from) from = link.end;
        pattern.lastIndex = from;
      }
      if (from < piece.value.length) next.push({ start: piece.start + from, value: piece.value.slice(from) });
    }
    pieces = next;
  }
  return links.sort((a, b) => a.start - b.start);
}

function previousAllowed(input: string, index: number): boolean {
  if (index === 0) return true;
  const char = input[index - 1]!;
  return WHITESPACE.test(char) || PUNCTUATION_OR_SYMBOL.test(char);
}

function findUrl(match: RegExpExecArray, input: string): LiteralLink | undefined {
  let [, protocol = '', domain = '', path = ''] = match;
  if (!previousAllowed(input, match.index)) return undefined;
  let prefix = '';
  if (/^w/i.test(protocol)) {
    domain = protocol + domain;
    protocol = '';
    prefix = 'http://';
  }
  if (PUNCTUATION_OR_SYMBOL.test(domain.charAt(0)) || !isCorrectDomain(domain)) return undefined;
  const url = splitTrail(domain + path);
  const text = protocol + url;
  return { start: match.index, end: match.index + text.length, url: prefix + text, text };
}

function findEmail(match: RegExpExecArray): LiteralLink | undefined {
  const [whole, atext = '', label = ''] = match;
  if (/[\d\-_]$/.test(label)) return undefined;
  return {
    start: match.index,
    end: match.index + whole.length,
    url: `mailto:${atext}@${label}`,
    text: whole,
  };
}

function isCorrectDomain(domain: string): boolean {
  const parts = domain.split('.');
  const bad = (part: string | undefined) =>
    part !== undefined && part !== '' && (part.includes('_') || !/[\dA-Za-z]/.test(part));
  return parts.length >= 2 && !bad(parts[parts.length - 1]) && !bad(parts[parts.length - 2]);
}

/** The URL without its trailing punctuation, except closing parentheses it opened. */
function splitTrail(url: string): string {
  let index = url.length;
  while (index > 0 && `!"&'),.:;<>?]}`.includes(url[index - 1]!)) index--;
  if (index === url.length) return url;
  let trail = url.slice(index);
  let kept = url.slice(0, index);
  const opening = count(kept, '(');
  let closing = count(kept, ')');
  let paren = trail.indexOf(')');
  while (paren !== -1 && opening > closing) {
    kept += trail.slice(0, paren + 1);
    trail = trail.slice(paren + 1);
    paren = trail.indexOf(')');
    closing++;
  }
  return kept;
}

function count(text: string, char: string): number {
  let n = 0;
  for (const c of text) if (c === char) n++;
  return n;
}
