import { createHash, verify } from 'node:crypto';

/**
 * Small, dependency-free readers for exported messages: the raw MIME tree (what mailparser
 * hides), header fields as written, and a DKIM verifier (RFC 6376, relaxed/relaxed) that
 * checks a signature against a public key, as a receiving server would.
 */

export interface MimePart {
  /** Header fields in order, unfolded, with their names lower-cased. */
  headers: { name: string; value: string }[];
  contentType: string;
  children: MimePart[];
  body: string;
}

/** Header name/value pairs of a header block, folded lines joined. */
export function headerFields(block: string): { name: string; value: string; raw: string }[] {
  return block
    .split(/\r?\n(?![ \t])/)
    .filter((l) => l.length > 0)
    .map((raw) => {
      const i = raw.indexOf(':');
      return {
        name: raw.slice(0, i).trim().toLowerCase(),
        value: raw
          .slice(i + 1)
          .replace(/\r?\n[ \t]+/g, ' ')
          .trim(),
        raw,
      };
    });
}

function splitHead(text: string): [string, string] {
  const m = /\r?\n\r?\n/.exec(text);
  if (!m) return [text, ''];
  return [text.slice(0, m.index), text.slice(m.index + m[0].length)];
}

/** The MIME tree of a message: content types and, for multiparts, their parts in order. */
export function mimeTree(raw: string | Buffer): MimePart {
  const text = typeof raw === 'string' ? raw : raw.toString('latin1');
  const [head, body] = splitHead(text);
  const headers = headerFields(head).map(({ name, value }) => ({ name, value }));
  const ct = headers.find((h) => h.name === 'content-type')?.value ?? 'text/plain';
  const contentType = ct.split(';')[0]!.trim().toLowerCase();
  const children: MimePart[] = [];
  if (contentType.startsWith('multipart/')) {
    const boundary = /boundary="?([^";]+)"?/i.exec(ct)?.[1];
    if (!boundary) throw new Error(`multipart without boundary: ${ct}`);
    const delimiter = `--${boundary}`;
    const pieces = body.split(new RegExp(`(?:^|\\r?\\n)${delimiter.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    // pieces[0] is the preamble; the last one starts with "--" (the close delimiter).
    for (const piece of pieces.slice(1)) {
      if (piece.startsWith('--')) break;
      children.push(mimeTree(piece.replace(/^[ \t]*\r?\n/, '')));
    }
  }
  return { headers, contentType, children, body };
}

/** "multipart/alternative(text/plain, text/html)": the shape of a MIME tree, for assertions. */
export function mimeShape(part: MimePart): string {
  return part.children.length
    ? `${part.contentType}(${part.children.map(mimeShape).join(', ')})`
    : part.contentType;
}

/** The tags of a DKIM-Signature value (whitespace removed, as RFC 6376 3.2 allows). */
export function dkimTags(value: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of value.split(';')) {
    const i = item.indexOf('=');
    if (i < 0) continue;
    out[item.slice(0, i).trim()] = item.slice(i + 1).replace(/\s+/g, '');
  }
  return out;
}

/** RFC 6376 3.4.4: relaxed body canonicalisation. */
export function relaxedBody(body: string): string {
  const lines = body.split('\r\n').map((l) => l.replace(/[ \t]+/g, ' ').replace(/ $/, ''));
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines.length ? `${lines.join('\r\n')}\r\n` : '';
}

/** RFC 6376 3.4.2: relaxed header canonicalisation of one raw field. */
function relaxedHeader(raw: string): string {
  const i = raw.indexOf(':');
  const name = raw.slice(0, i).trim().toLowerCase();
  const value = raw
    .slice(i + 1)
    .replace(/\r\n/g, '')
    .replace(/[ \t]+/g, ' ')
    .trim();
  return `${name}:${value}`;
}

export interface DkimResult {
  tags: Record<string, string>;
  signedHeaders: string[];
  bodyHashMatches: boolean;
  signatureValid: boolean;
}

/**
 * Verifies the first DKIM-Signature of a message with `publicKeyPem`, relaxed/relaxed only.
 * Line ends are normalised to CRLF first, as they are on the wire.
 */
export function verifyDkim(raw: string | Buffer, publicKeyPem: string): DkimResult {
  const text = (typeof raw === 'string' ? raw : raw.toString('latin1')).replace(/\r?\n/g, '\r\n');
  const sep = text.indexOf('\r\n\r\n');
  const head = text.slice(0, sep);
  const body = text.slice(sep + 4);
  const fields = head.split(/\r\n(?![ \t])/);
  const sigIndex = fields.findIndex((f) => /^dkim-signature\s*:/i.test(f));
  if (sigIndex < 0) throw new Error('no DKIM-Signature header');
  const sigField = fields[sigIndex]!;
  const tags = dkimTags(sigField.slice(sigField.indexOf(':') + 1));
  if (tags.c !== 'relaxed/relaxed') throw new Error(`only relaxed/relaxed is supported here, not ${tags.c}`);
  const bh = createHash('sha256').update(relaxedBody(body), 'latin1').digest('base64');
  const signedHeaders = (tags.h ?? '').split(':').map((h) => h.trim().toLowerCase());
  // Each name in h= takes the bottom-most instance not used yet (RFC 6376 5.4.2).
  const used = new Set<number>();
  const lines: string[] = [];
  for (const name of signedHeaders) {
    for (let i = fields.length - 1; i >= 0; i--) {
      if (i === sigIndex || used.has(i)) continue;
      const f = fields[i]!;
      if (f.slice(0, f.indexOf(':')).trim().toLowerCase() !== name) continue;
      used.add(i);
      lines.push(`${relaxedHeader(f)}\r\n`);
      break;
    }
  }
  const sigWithoutB = relaxedHeader(sigField.replace(/(^|;)(\s*b\s*=)[^;]*/, '$1$2'));
  const data = Buffer.from(lines.join('') + sigWithoutB, 'latin1');
  const signatureValid = verify('RSA-SHA256', data, publicKeyPem, Buffer.from(tags.b ?? '', 'base64'));
  return { tags, signedHeaders, bodyHashMatches: bh === tags.bh, signatureValid };
}

/**
 * What a reader sees of an e-mail's HTML: the body only, without comments (Outlook's
 * conditional tables), styles and tags; entities decoded; runs of ASCII white space as one
 * space (no-break spaces are kept, they are part of the text).
 */
export function visibleText(html: string): string {
  return html
    .replace(/<head[\s\S]*?<\/head>/i, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<style[\s\S]*?<\/style>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, '\u00A0')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCodePoint(parseInt(n, 16)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/[ \t\r\n]+/g, ' ')
    .trim();
}
