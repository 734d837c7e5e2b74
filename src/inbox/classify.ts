import { TOKEN_PATTERN } from '../message/unsubscribe-token.js';
import type { InboxMessage } from './message.js';
import type { Message } from '../i18n/text.js';

/**
 * What a message of the bounce mailbox is, read from the message alone (no store, no
 * secret): the outcome, and the references that tie it to a message aimq sent. Tying it to
 * a row (apply.ts) uses only those references, never an address found in the text.
 */
export type Classification =
  | { kind: 'bounce'; findings: BounceFinding[]; refs: References; form: string }
  | { kind: 'complaint'; feedbackType: string; refs: References; form: string }
  | { kind: 'unsubscribe'; refs: References; tokenInSubject: boolean }
  | { kind: 'auto-reply'; why: Message }
  | { kind: 'other'; why: Message };

/** One recipient of a delivery report. */
export interface BounceFinding {
  severity: 'hard' | 'soft';
  /** The recipient the report names (Final-Recipient, or the address in the text), lower-cased. */
  recipient: string | undefined;
  /** Enhanced status code, e.g. 5.1.1. */
  status: string | undefined;
  /** The server's words, whitespace collapsed, at most 200 characters. */
  diagnostic: string | undefined;
}

/** What ties a message to one aimq sent. */
export interface References {
  /** Message-IDs of returned headers (or of In-Reply-To / References), `<…>` included. */
  messageIds: string[];
  /** Strings shaped like unsubscribe tokens; only those that verify (apply.ts) count. */
  tokens: string[];
}

export interface ClassifyOptions {
  /** The configured `email.unsubscribe.mailto`: a message to it may be an unsubscribe reply. */
  unsubscribeAddress?: string;
}

/**
 * Mailbox full (5.2.2, 552 "quota") is treated as soft although its class is 5: mailbox
 * providers and list software (Mailman, listmonk) count it as temporary, the person still
 * exists and usually empties the mailbox. N soft bounces within D days suppress the address.
 */
const MAILBOX_FULL = /^5\.2\.2$/;
const FULL_WORDS =
  /mailbox (is )?full|over ?quota|quota exceeded|insufficient (system )?storage|boîte (aux lettres )?pleine/i;

/**
 * A refusal for policy (spam filtering, a blocklist, the sender's reputation, SPF, DKIM or
 * DMARC: 5.7.x) is about the sender, not the address: Gmail refuses every message of a
 * campaign whose DKIM is broken with 550 5.7.26. Suppressing on it would empty a list for a
 * configuration error (aimq doctor finds those); it counts as soft, so an address that keeps
 * refusing (N within D days) is still suppressed. The words count only when the status does
 * not say what failed (none, or 5.0.0).
 */
const POLICY = /^5\.7\.\d{1,3}$/;
const POLICY_WORDS =
  /\bspam\b|block ?list|blacklist|blocked using|listed (?:at|in|on|by)\b|reputation|unauthenticated|\bdmarc\b|\bspf\b|\bdkim\b|not authori[sz]ed to send/i;
const policyRefusal = (status: string | undefined, words: string | undefined): boolean =>
  status
    ? POLICY.test(status) || (status === '5.0.0' && POLICY_WORDS.test(words ?? ''))
    : POLICY_WORDS.test(words ?? '');

export function classify(message: InboxMessage, options: ClassifyOptions = {}): Classification {
  const complaint = asComplaint(message);
  if (complaint) return complaint;
  const dsn = asStandardDsn(message);
  if (dsn) return dsn;
  const nonStandard = asTextBounce(message);
  if (nonStandard) return nonStandard;
  const auto = autoReply(message);
  if (auto) return { kind: 'auto-reply', why: auto };
  const unsubscribe = asUnsubscribe(message, options);
  if (unsubscribe) return unsubscribe;
  return {
    kind: 'other',
    why: {
      fr: 'ni un rapport de livraison, ni une plainte, ni une réponse de désabonnement',
      en: 'not a delivery report, complaint or unsubscribe reply',
    },
  };
}

// Reports (RFC 3464, RFC 5965) ---------------------------------------------------------

/** Header-like fields in groups separated by blank lines (a delivery-status or feedback-report body). */
export function fieldGroups(text: string): Map<string, string>[] {
  const groups: Map<string, string>[] = [];
  const unfolded = text.replace(/\r\n/g, '\n').replace(/\n[ \t]+/g, ' ');
  for (const block of unfolded.split(/\n\s*\n/)) {
    const fields = new Map<string, string>();
    for (const line of block.split('\n')) {
      const m = /^([A-Za-z0-9-]+)\s*:\s*(.*)$/.exec(line);
      if (m) {
        const name = m[1]!.toLowerCase();
        fields.set(name, fields.has(name) ? `${fields.get(name)}, ${m[2]!.trim()}` : m[2]!.trim());
      }
    }
    if (fields.size) groups.push(fields);
  }
  return groups;
}

function reportType(message: InboxMessage): string | undefined {
  if (!message.contentType.startsWith('multipart/report')) return undefined;
  return /report-type\s*=\s*"?([\w-]+)/i.exec(message.contentType)?.[1]?.toLowerCase();
}

function asComplaint(message: InboxMessage): Classification | undefined {
  const report = message.parts.find((p) => p.contentType === 'message/feedback-report');
  if (report || reportType(message) === 'feedback-report') {
    const fields = fieldGroups(report?.content.toString('utf8') ?? '')[0] ?? new Map<string, string>();
    const feedbackType = (fields.get('feedback-type') ?? 'abuse').toLowerCase();
    // "not-spam" says the opposite; other types (fraud, virus) still mean "stop sending".
    if (feedbackType === 'not-spam')
      return {
        kind: 'other',
        why: { fr: 'un rapport de rétroaction de type not-spam', en: 'a feedback report of type not-spam' },
      };
    return { kind: 'complaint', feedbackType, refs: returnedReferences(message), form: 'arf' };
  }
  // Outlook.com's JMRP before ARF: the complained-about message attached, with the recipient in
  // X-HmXmrOriginalRecipient.
  const jmrp = message.parts.some(
    (p) => isReturned(p.contentType) && /^x-hmxmroriginalrecipient:/im.test(headerBlock(p.content)),
  );
  if (jmrp)
    return { kind: 'complaint', feedbackType: 'abuse', refs: returnedReferences(message), form: 'jmrp' };
  return undefined;
}

function asStandardDsn(message: InboxMessage): Classification | undefined {
  const part = message.parts.find(
    (p) => p.contentType === 'message/delivery-status' || p.contentType === 'message/global-delivery-status',
  );
  if (!part) return undefined;
  const groups = fieldGroups(part.content.toString('utf8'));
  const findings: BounceFinding[] = [];
  for (const g of groups.slice(1)) {
    const action = (g.get('action') ?? '').toLowerCase();
    const recipient = addressOf(g.get('final-recipient') ?? g.get('original-recipient'));
    const diagnostic = short(g.get('diagnostic-code')?.replace(/^\s*[\w-]+\s*;\s*/, ''));
    const status = statusOf(g.get('status')) ?? statusOf(diagnostic);
    const severity = severityOf(action, status, diagnostic);
    if (severity) findings.push({ severity, recipient, status, diagnostic });
  }
  if (!findings.length)
    return {
      kind: 'other',
      why: {
        fr: 'un rapport de livraison sans échec (livré, relayé ou développé)',
        en: 'a delivery report without a failure (delivered, relayed or expanded)',
      },
    };
  return { kind: 'bounce', findings, refs: returnedReferences(message), form: 'rfc3464' };
}

/** Hard or soft, or undefined when the report says the message arrived. */
function severityOf(action: string, status: string | undefined, diagnostic: string | undefined) {
  if (/^(delivered|relayed|expanded)$/.test(action)) return undefined;
  if (action === 'delayed') return 'soft' as const;
  if (status?.startsWith('4')) return 'soft' as const;
  if (status && MAILBOX_FULL.test(status)) return 'soft' as const;
  if (diagnostic && FULL_WORDS.test(diagnostic)) return 'soft' as const;
  if (policyRefusal(status, diagnostic)) return 'soft' as const;
  if (status?.startsWith('5')) return 'hard' as const;
  const reply = /\b([45])\d\d\b/.exec(diagnostic ?? '')?.[1];
  if (reply === '4') return 'soft' as const;
  if (reply === '5' || action === 'failed') return 'hard' as const;
  return undefined;
}

// Non-standard delivery reports ---------------------------------------------------------

/** Senders of delivery reports. */
const DAEMON =
  /^(mailer-daemon|postmaster|mail-daemon|mailer|mdaemon|mail\.delivery\.system|microsoftexchange[0-9a-f]*)@/i;
const BOUNCE_SUBJECT =
  /undeliver|undelivered|delivery status notification|returned mail|mail delivery (failed|system|subsystem)|failure notice|delivery fail|could not be delivered|warning: message .* delayed|delivery delayed|non remis|non distribuable|message not delivered|address not found/i;

/**
 * The forms each MTA writes, with what tells hard from soft in their words. The first that
 * matches names the form; the status codes in the notice decide when there are any.
 */
const FORMS: { form: string; match: RegExp; hard?: RegExp; soft?: RegExp }[] = [
  {
    form: 'postfix',
    match:
      /I'm sorry to have to inform you that your message could not\s+be delivered|This is the mail system at host/i,
    soft: /delayed|could not be delivered for \d+ hours|will keep trying/i,
  },
  {
    form: 'exim',
    match: /This message was created automatically by mail delivery software/i,
    hard: /This is a permanent error|could not be delivered to one or more of its recipients/i,
    soft: /has not yet been delivered|temporary error|will be tried again|delayed/i,
  },
  {
    form: 'exchange',
    match:
      /Delivery has failed to these recipients or groups|Your message (couldn't|could not|wasn't) be delivered|Delivery is delayed to these recipients|Remote Server returned '/i,
    soft: /Delivery is delayed|will continue to try|temporary/i,
  },
  {
    form: 'gmail',
    match:
      /Address not found|Delivery incomplete|Message not delivered|Your message wasn't delivered|There was a temporary problem delivering your message|Delivery to the following recipients? failed permanently/i,
    hard: /Address not found|couldn't be found|is unable to receive mail|wasn't delivered|failed permanently/i,
    soft: /Delivery incomplete|temporary problem|will retry/i,
  },
  {
    form: 'qmail',
    match: /This is the qmail-send program/i,
    hard: /This is a permanent error|I've given up/i,
    soft: /temporary|will keep trying|not yet been delivered/i,
  },
  {
    form: 'sendmail',
    match:
      /The original message was received at|----- The following addresses had (permanent fatal|transient non-fatal) errors -----/i,
    hard: /permanent fatal errors/i,
    soft: /transient non-fatal|Warning: could not send message for past/i,
  },
];

/** Where the returned copy starts in a text report: what follows is the message aimq sent. */
const COPY_STARTS = [
  /^[ \t]*-{2,}\s*This is a copy of the message/im,
  /^[ \t]*-{2,}\s*Below this line is a copy of the message/im,
  /^[ \t]*-{2,}\s*Original message/im,
  /^Original message headers:/im,
  /^[ \t]*-{2,}\s*The header of the original message is following/im,
  // sendmail indents its separators: "   ----- Original message follows -----".
  /^[ \t]*-{2,}\s*Original message follows/im,
  /^Received: from /im,
  /^Return-Path: /im,
];

function noticeOf(text: string): string {
  let end = text.length;
  for (const re of COPY_STARTS) {
    const m = re.exec(text);
    if (m && m.index < end) end = m.index;
  }
  return text.slice(0, end);
}

function asTextBounce(message: InboxMessage): Classification | undefined {
  const fromDaemon = DAEMON.test(message.from) || (message.headers.get('return-path') ?? '').trim() === '<>';
  const subjectSays = BOUNCE_SUBJECT.test(message.subject);
  if (!fromDaemon && !subjectSays) return undefined;
  const notice = noticeOf(message.text);
  const form = FORMS.find((f) => f.match.test(notice));
  if (!form && !(fromDaemon && subjectSays)) return undefined;
  const status = statusOf(notice);
  const reply = /\b([45]\d\d)[\s-]/.exec(notice)?.[1];
  const line = diagnosticLine(notice);
  let severity: 'hard' | 'soft' | undefined;
  if (status) severity = status.startsWith('4') || MAILBOX_FULL.test(status) ? 'soft' : 'hard';
  else if (FULL_WORDS.test(notice)) severity = 'soft';
  else if (form?.soft?.test(notice) || /\bdelayed\b|temporar/i.test(message.subject)) severity = 'soft';
  else if (reply) severity = reply.startsWith('4') ? 'soft' : 'hard';
  else if (form?.hard?.test(notice) || form) severity = 'hard';
  if (status && FULL_WORDS.test(line ?? '')) severity = 'soft';
  if (severity === 'hard' && policyRefusal(status, line)) severity = 'soft';
  if (!severity) return undefined;
  return {
    kind: 'bounce',
    findings: [
      {
        severity,
        recipient: addressOf(/<([^<>\s@]+@[^<>\s]+)>|\b([^\s<>:@]+@[\w.-]+\.\w+)\b/.exec(notice)?.[0]),
        status,
        diagnostic: short(line),
      },
    ],
    refs: returnedReferences(message),
    form: form?.form ?? 'unknown',
  };
}

/** The line of a notice that carries the server's answer (a status code), if there is one. */
function diagnosticLine(notice: string): string | undefined {
  const lines = notice.split(/\r?\n/).map((l) => l.trim());
  const i = lines.findIndex((l) => STATUS.test(l) || /\b[45]\d\d[\s-]/.test(l));
  if (i < 0) return undefined;
  // A reply wrapped over the next lines (Postfix indents them).
  let text = lines[i]!;
  for (let j = i + 1; j < lines.length && lines[j] && !/^</.test(lines[j]!) && text.length < 200; j++)
    text += ` ${lines[j]}`;
  // sendmail wraps the reply: "(reason: 550 5.1.1 <a@b>... User unknown)".
  return text.replace(/^\(reason:\s*(.*)\)$/i, '$1');
}

// Auto-replies (RFC 3834) and unsubscribe replies --------------------------------------

const AUTO_SUBJECT =
  /^(out of (the )?office|absence du bureau|absent(e)?\b|automatic reply|auto(matic)?[- ]?reply|réponse automatique|r[ée]ponse automatique|autoreply|vacation|en vacances|away from)/i;

function autoReply(message: InboxMessage): Message | undefined {
  const h = message.headers;
  const submitted = (h.get('auto-submitted') ?? '').toLowerCase();
  if (submitted && !submitted.startsWith('no')) return `Auto-Submitted: ${submitted}`;
  if (h.has('x-autoreply') || h.has('x-autorespond') || h.has('x-autoresponder')) return 'X-Autoreply';
  if (/auto_reply|autoreply/i.test(h.get('precedence') ?? '')) return 'Precedence: auto_reply';
  if ((h.get('x-auto-response-suppress') ?? '') !== '' && AUTO_SUBJECT.test(message.subject))
    return { fr: 'réponse automatique d’Exchange', en: 'Exchange automatic reply' };
  if (AUTO_SUBJECT.test(message.subject.replace(/^((re|tr|fwd?|aw)\s*:\s*)+/i, '')))
    return { fr: 'objet d’absence du bureau', en: 'out-of-office subject' };
  return undefined;
}

/** What someone writes to be taken off a list, in French or English. */
const UNSUBSCRIBE_WORDS =
  /d[ée]sabonne|d[ée]sinscri|unsubscribe|remove me|retirez[- ]moi|opt[- ]?out|\b(?:me|nous) retirer\b|retirer (?:mon|notre) adresse|ne (?:plus|pas) recevoir|(?:veux|voulons|souhaite|souhaitons) plus recevoir|take me off|no longer (?:wish to |want to )?receive|stop sending/i;

/**
 * A reply to the unsubscribe address: the mailto: link puts the token in the subject. A reply
 * to the release itself quotes its footer (and so a token) in the body: that alone is not a
 * request, so a token in the body counts only with unsubscribe words in the subject.
 */
function asUnsubscribe(message: InboxMessage, options: ClassifyOptions): Classification | undefined {
  const address = options.unsubscribeAddress?.toLowerCase();
  if (!address || !message.to.includes(address)) return undefined;
  const subjectTokens = tokensIn(message.subject);
  if (subjectTokens.length)
    return {
      kind: 'unsubscribe',
      refs: { messageIds: replyReferences(message), tokens: subjectTokens },
      tokenInSubject: true,
    };
  if (!UNSUBSCRIBE_WORDS.test(message.subject)) return undefined;
  return {
    kind: 'unsubscribe',
    refs: { messageIds: replyReferences(message), tokens: tokensIn(message.text) },
    tokenInSubject: false,
  };
}

// References ----------------------------------------------------------------------------

function isReturned(contentType: string): boolean {
  return /^(message\/rfc822|text\/rfc822-headers|message\/global|message\/global-headers)$/.test(contentType);
}

/** The header block of a returned message or header part. */
function headerBlock(content: Buffer): string {
  const text = content.toString('utf8').replace(/\r\n/g, '\n');
  const end = text.indexOf('\n\n');
  return (end < 0 ? text : text.slice(0, end)).replace(/\n[ \t]+/g, ' ');
}

const MESSAGE_ID_FIELD = /^(?:resent-)?message-id:\s*(<[^<>\s]+>)/gim;

/**
 * The Message-IDs and token-shaped strings of what came back: the returned headers or
 * message, and, in a text report, the copy after its notice. Then In-Reply-To and References
 * (Gmail and others set them to the bounced message).
 */
function returnedReferences(message: InboxMessage): References {
  const ids: string[] = [];
  const places: string[] = [];
  for (const p of message.parts)
    if (isReturned(p.contentType)) {
      const headers = headerBlock(p.content);
      places.push(headers);
      for (const m of headers.matchAll(MESSAGE_ID_FIELD)) ids.push(m[1]!);
    }
  const copy = message.text.slice(noticeOf(message.text).length);
  for (const m of copy.matchAll(MESSAGE_ID_FIELD)) ids.push(m[1]!);
  places.push(copy);
  // Header lines of parts and attached messages, as they stand in the raw message.
  for (const m of message.rawBody.matchAll(MESSAGE_ID_FIELD)) ids.push(m[1]!);
  places.push(message.rawBody.replace(/\n[ \t]+/g, ' '));
  ids.push(...replyReferences(message));
  return { messageIds: unique(ids), tokens: unique(places.flatMap(tokensIn)) };
}

function replyReferences(message: InboxMessage): string[] {
  const text = `${message.headers.get('in-reply-to') ?? ''} ${message.headers.get('references') ?? ''}`;
  return unique([...text.matchAll(/<[^<>\s]+>/g)].map((m) => m[0]));
}

/**
 * Token-shaped strings, also where the text encodes them: `Désabonnement%20<token>` in a
 * mailto: URL and `t=3D<token>` in quoted-printable touch other characters as they stand.
 */
export function tokensIn(text: string): string[] {
  const variants = [
    text,
    text.replace(/%[0-9A-Fa-f]{2}/g, ' '),
    text.replace(/=\r?\n/g, '').replace(/=[0-9A-F]{2}/g, ' '),
  ];
  const found = variants.flatMap((v) => [...v.matchAll(TOKEN_PATTERN)].map((m) => m[0]));
  // A message is not a haystack to search without end: a report quotes one message.
  return unique(found).slice(0, 200);
}

// Small readers -------------------------------------------------------------------------

/**
 * An enhanced status code (RFC 3463): three numbers, never a piece of a longer dotted one or
 * of a word, so that the address in `[5.45.67.8]` or `host 4.2.2.1` is not read as 5.45.67 or
 * 4.2.2, nor aimq's own Message-ID `<5.12.3c24…@…>` as 5.12.3.
 */
const STATUS = /(?<![\w.])([245]\.\d{1,3}\.\d{1,3})(?!\w|\.\d)/;

function statusOf(text: string | undefined): string | undefined {
  return STATUS.exec(text ?? '')?.[1];
}

function addressOf(text: string | undefined): string | undefined {
  const m = /([^\s<>;:"]+@[^\s<>;:"]+)/.exec(text ?? '');
  return m ? m[1]!.replace(/[.,)]+$/, '').toLowerCase() : undefined;
}

function short(text: string | undefined): string | undefined {
  const t = text?.replace(/\s+/g, ' ').trim();
  return t ? (t.length > 200 ? `${t.slice(0, 199)}…` : t) : undefined;
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}
