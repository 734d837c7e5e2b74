import { createHash } from 'node:crypto';
import { simpleParser } from 'mailparser';

/** One part of a message that a report is made of, as bytes (transfer encoding undone). */
export interface MessagePart {
  contentType: string;
  content: Buffer;
}

/**
 * A message of the bounce mailbox, as the classifier reads it: decoded headers, the text,
 * and the parts reports carry (delivery-status, feedback-report, returned headers or message).
 */
export interface InboxMessage {
  /** The Message-ID, or `sha256:<hex>` of the bytes for a message without one: what makes reading it twice harmless. */
  key: string;
  messageId: string | undefined;
  subject: string;
  /** Lower-cased address of From. */
  from: string;
  /** Lower-cased addresses of To, Cc, Delivered-To and X-Original-To. */
  to: string[];
  /** Header fields by lower-cased name, each value unfolded; repeated fields joined by a newline. */
  headers: Map<string, string>;
  /** The plain text (or the HTML's text when there is no plain text), delivery-status parts excluded. */
  text: string;
  /** Content-Type of the top of the message, with its parameters, lower-cased. */
  contentType: string;
  parts: MessagePart[];
  /** The Date header, in ms, when there is a valid one. */
  date: number | undefined;
  /**
   * Everything after the top header block, as bytes read one to one (latin1), quoted-printable
   * soft line breaks undone: where the headers of a returned message are, however it is
   * attached (mailparser folds an inline message/rfc822 into the text and drops its Message-ID).
   */
  rawBody: string;
}

/** Reads a raw message (RFC 5322, any MIME) with mailparser. */
export async function readMessage(raw: Buffer): Promise<InboxMessage> {
  const parsed = await simpleParser(raw, {
    keepDeliveryStatus: true,
    skipHtmlToText: false,
    skipTextLinks: true,
    skipImageLinks: true,
  });
  const headers = new Map<string, string>();
  for (const line of parsed.headerLines) {
    const name = line.key.toLowerCase();
    const value = line.line
      .slice(line.line.indexOf(':') + 1)
      .replace(/\r?\n[ \t]+/g, ' ')
      .trim();
    headers.set(name, headers.has(name) ? `${headers.get(name)}\n${value}` : value);
  }
  const addresses = (v: unknown): string[] => {
    const list = Array.isArray(v) ? v : v ? [v] : [];
    return list.flatMap((a: { value?: { address?: string }[] }) =>
      (a.value ?? []).map((x) => (x.address ?? '').toLowerCase()).filter(Boolean),
    );
  };
  const extra = ['delivered-to', 'x-original-to', 'envelope-to']
    .flatMap((h) => (headers.get(h) ?? '').split(/[\n,]/))
    .map((a) => a.replace(/^.*</, '').replace(/>.*$/, '').trim().toLowerCase())
    .filter(Boolean);
  const messageId = parsed.messageId?.trim();
  const contentType = (headers.get('content-type') ?? 'text/plain').toLowerCase();
  const date = parsed.date?.getTime();
  return {
    key: messageId || `sha256:${createHash('sha256').update(raw).digest('hex')}`,
    messageId: messageId || undefined,
    subject: parsed.subject ?? '',
    from: addresses(parsed.from)[0] ?? '',
    to: [...new Set([...addresses(parsed.to), ...addresses(parsed.cc), ...extra])],
    headers,
    text: parsed.text ?? (typeof parsed.html === 'string' ? parsed.html.replace(/<[^>]*>/g, ' ') : ''),
    contentType,
    parts: parsed.attachments.map((a) => ({
      contentType: a.contentType.toLowerCase(),
      content: a.content,
    })),
    date: date !== undefined && Number.isFinite(date) ? date : undefined,
    rawBody: bodyOf(raw),
  };
}

function bodyOf(raw: Buffer): string {
  const text = raw.toString('latin1');
  const m = /\r?\n\r?\n/.exec(text);
  return m ? text.slice(m.index + m[0].length).replace(/=\r?\n/g, '') : '';
}
