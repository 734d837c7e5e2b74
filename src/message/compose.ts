import MailComposer from 'nodemailer/lib/mail-composer';
import MimeNode from 'nodemailer/lib/mime-node';
import type { Config, Mailbox } from '../model/config.js';
import type { Release } from '../model/release.js';
import { dkimSignMessage } from './dkim.js';
import { AimqError } from '../errors/index.js';
import {
  isOneClick,
  TOKEN_PLACEHOLDER,
  unsubscribeMailto,
  unsubscribeUrl,
  withToken,
} from './unsubscribe.js';

export interface Attachment {
  /** For an inline image the HTML shows (cid:); unused for a file attached for download. */
  cid: string;
  filename: string;
  content: Buffer;
  /** `inline` (the default): an image of the HTML; `attachment`: a file to download (the PDF edition). */
  disposition?: 'inline' | 'attachment';
  contentType?: string;
}

export interface DkimKey {
  domainName: string;
  keySelector: string;
  privateKey: string;
}

/** What every recipient of an edition gets alike. */
export interface MessageContent {
  subject: string;
  html: string;
  text: string;
  /** BCP 47 tags, primary first: the Content-Language header. */
  languages: string[];
  attachments: Attachment[];
}

/** Everything a message is made of. The non-deterministic parts (date, id, boundary) are passed in. */
export interface MessageInput {
  content: MessageContent;
  config: Config;
  replyTo: Mailbox;
  date: Date;
  messageId: string;
  /** Shared part of the MIME boundaries: fixed in tests, so messages are byte-stable. */
  baseBoundary: string;
  to?: string;
  /** Prefix the subject with [TEST]. */
  test?: boolean;
  /** Extra headers, e.g. X-Unsent for a draft to open in Outlook. */
  headers?: Record<string, string>;
  dkim?: DkimKey;
  /** The recipient's unsubscribe token, carried by both List-Unsubscribe URIs. */
  unsubscribeToken?: string;
}

/** A header value on one line, whatever it came from: CR and LF could start a new header. */
export function oneLine(value: string): string {
  return value.replace(/[\r\n]+/g, ' ').trim();
}

function mailbox(m: Mailbox): { name: string; address: string } {
  return { name: oneLine(m.name ?? ''), address: oneLine(m.address) };
}

/**
 * Who journalists reach by replying: the release's information contact, else the configured
 * Reply-To, else the release's first contact.
 */
export function replyToFor(release: Release, config: Config): Mailbox {
  const contacts = release.editions[0]!.contacts;
  const info = contacts.find((c) => c.kind === 'information');
  if (info) return { name: info.name, address: info.email };
  if (config.email?.replyTo) return config.email.replyTo;
  const first = contacts[0]!;
  return { name: first.name, address: first.email };
}

/**
 * The List-Unsubscribe headers of RFC 2369 and, with an https endpoint, RFC 8058 one-click.
 * Both URIs are ASCII (percent-encoded, punycode hosts): an encoded word there is read by
 * no mail program.
 */
export function unsubscribeHeaders(config: Config, lang: string, token?: string): Record<string, string> {
  const email = config.email!;
  const generic = unsubscribeUrl(email);
  const url = generic && token && isOneClick(generic) ? withToken(generic, token) : generic;
  const mailto = unsubscribeMailto(email, lang.startsWith('fr') ? 'Désabonnement' : 'Unsubscribe', token);
  return {
    'List-Unsubscribe': [`<${mailto}>`, ...(url ? [`<${url}>`] : [])].join(', '),
    ...(isOneClick(url) ? { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } : {}),
  };
}

/** Builds the RFC 5322 message: multipart/alternative (text, then HTML), DKIM-signed when a key is given. */
export async function composeMessage(input: MessageInput): Promise<Buffer> {
  const { config, content } = input;
  const email = config.email;
  if (!email) throw new Error('composeMessage needs the email settings');
  const composer = new MailComposer({
    from: mailbox(email.from),
    replyTo: mailbox(input.replyTo),
    ...(input.to ? { to: oneLine(input.to) } : {}),
    subject: oneLine(`${input.test ? '[TEST] ' : ''}${content.subject}`),
    date: input.date,
    messageId: input.messageId,
    baseBoundary: input.baseBoundary,
    text: content.text,
    html: content.html,
    textEncoding: 'quoted-printable',
    // RFC 5322 lines end in CRLF, in the parts too: an .eml file is read as it is written.
    newline: 'windows',
    headers: {
      'Content-Language': content.languages.join(', '),
      ...unsubscribeHeaders(config, content.languages[0]!, input.unsubscribeToken),
      ...input.headers,
    },
    attachments: content.attachments.map((a) =>
      a.disposition === 'attachment'
        ? {
            filename: a.filename,
            content: a.content,
            contentDisposition: 'attachment' as const,
            ...(a.contentType ? { contentType: a.contentType } : {}),
          }
        : { cid: a.cid, filename: a.filename, content: a.content, contentDisposition: 'inline' as const },
    ),
  } as ConstructorParameters<typeof MailComposer>[0]);
  const raw = await new Promise<Buffer>((resolve, reject) =>
    composer.compile().build((err, message) => (err ? reject(err) : resolve(message))),
  );
  if (!input.dkim) return raw;
  return dkimSignMessage(raw, input.dkim, input.date);
}

/** The headers that differ between recipients of the same edition. */
const PERSONAL_HEADERS = /^(to|message-id|date):/i;

/** A display name, an address and a Message-ID that MimeNode writes as they are, unquoted and unencoded. */
const PLAIN_NAME = /^[A-Za-z0-9]+(?: [A-Za-z0-9]+)*$/;
const PLAIN_ADDRESS = /^[A-Za-z0-9._+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+$/;
const PLAIN_MESSAGE_ID = /^<[A-Za-z0-9.!#$%&'*+/=?^_`{|}~@-]+>$/;
/** MimeNode folds header lines longer than this. */
const MAX_LINE = 76;

/** To, Message-ID and Date as MimeNode writes them (CRLF between, none at the end). */
export function personalHeadersByMimeNode(
  to: string | { name: string; address: string },
  messageId: string,
  date: Date,
): string {
  const node = new MimeNode('text/plain', { newline: 'windows' });
  // A structured address: MimeNode quotes and escapes the name itself, keeping every character.
  node.setHeader('To', typeof to === 'string' ? oneLine(to) : mailbox(to));
  node.setHeader('Message-ID', messageId);
  node.setHeader('Date', date);
  return node
    .buildHeaders()
    .split('\r\n')
    .filter((line) => !/^(mime-version|content-type):/i.test(line))
    .join('\r\n');
}

/**
 * The same bytes as `personalHeadersByMimeNode`, written directly when the recipient is
 * plain ASCII that needs no quoting, encoding or folding (the usual press list), which
 * is a tenth of the cost: per message, MimeNode (address parsing, IDN conversion, header
 * encoding, a random boundary) cost more than the database. Anything else goes through
 * MimeNode.
 */
export function personalHeaders(
  to: { name: string; address: string },
  messageId: string,
  date: Date,
): string {
  const mailbox = to.name ? `${to.name} <${to.address}>` : to.address;
  if (
    (to.name && !PLAIN_NAME.test(to.name)) ||
    !PLAIN_ADDRESS.test(to.address) ||
    !PLAIN_MESSAGE_ID.test(messageId) ||
    mailbox.length + 4 > MAX_LINE ||
    Number.isNaN(date.getTime())
  ) {
    return personalHeadersByMimeNode(to.name ? to : to.address, messageId, date);
  }
  return `To: ${mailbox}\r\nMessage-ID: ${messageId}\r\nDate: ${date.toUTCString().replace(/GMT/, '+0000')}`;
}

/** Addresses a prepared message to one recipient; `token`: their unsubscribe token. */
export type AddressMessage = (
  to: { name: string; address: string },
  messageId: string,
  date: Date,
  token?: string,
) => Promise<Buffer>;

/**
 * Where the token placeholder lies in `bytes`: the offset of each of its characters, for each
 * time it occurs. Quoted-printable soft line breaks (`=\r\n`) and header folding (CRLF then
 * blanks) may fall between two of its characters; the real token keeps them where they are.
 */
export function placeholderOffsets(bytes: Buffer): number[][] {
  const text = bytes.toString('latin1');
  const pattern = new RegExp([...TOKEN_PLACEHOLDER].map((c) => `(${c})`).join('(?:=\r\n|\r\n[ \t]+)?'), 'dg');
  const found: number[][] = [];
  for (const m of text.matchAll(pattern)) found.push(m.indices!.slice(1).map((span) => span![0]));
  return found;
}

function missingSecret(): AimqError {
  return new AimqError(
    'AIMQ-UNSUBSCRIBE-SECRET',
    {
      fr: 'ces courriels portent des liens de désabonnement en un clic, et les signer demande AIMQ_UNSUBSCRIBE_SECRET',
      en: 'these messages carry one-click unsubscribe links, and signing them needs AIMQ_UNSUBSCRIBE_SECRET',
    },
    {
      hint: {
        fr: 'définissez AIMQ_UNSUBSCRIBE_SECRET (au moins 32 caractères)\u00a0: openssl rand -base64 48',
        en: 'set AIMQ_UNSUBSCRIBE_SECRET (at least 32 characters): openssl rand -base64 48',
      },
    },
  );
}

/**
 * An edition's message built once, then addressed to each recipient: the MIME body (the
 * costly quoted-printable encoding of the HTML and text) is the same for everyone, only
 * To, Message-ID and Date change. DKIM, when configured, signs each message as sent.
 */
export async function prepareMessage(
  input: Omit<MessageInput, 'to' | 'messageId' | 'date' | 'unsubscribeToken'> & {
    /** Each recipient gets their own unsubscribe token (in the headers, and wherever the content has the placeholder). */
    tokens?: boolean;
  },
): Promise<AddressMessage> {
  const { dkim, tokens, ...unsigned } = input;
  const template = await composeMessage({
    ...unsigned,
    ...(tokens ? { unsubscribeToken: TOKEN_PLACEHOLDER } : {}),
    to: 'recipient@aimq.invalid',
    messageId: '<template@aimq.invalid>',
    date: new Date(0),
  });
  const split = template.indexOf('\r\n\r\n');
  const headerLines = template
    .subarray(0, split)
    .toString('latin1')
    .split(/\r\n(?![ \t])/);
  const shared = Buffer.from(
    `\r\n${headerLines.filter((line) => !PERSONAL_HEADERS.test(line)).join('\r\n')}`,
    'latin1',
  );
  const body = template.subarray(split);
  const rest = Buffer.concat([shared, body]);
  // Found once per edition; each message then only overwrites 32 bytes per place.
  const places = placeholderOffsets(rest);
  return async (to, messageId, date, token) => {
    const personal = Buffer.from(personalHeaders(to, messageId, date), 'utf8');
    const raw = Buffer.concat([personal, rest]);
    if (places.length) {
      // Never the placeholder to a recipient: a link that unsubscribes nobody.
      if (!token) throw missingSecret();
      if (token.length !== TOKEN_PLACEHOLDER.length || !/^[A-Za-z0-9_-]+$/.test(token))
        throw new Error('an unsubscribe token is 32 base64url characters');
      for (const offsets of places)
        offsets.forEach((at, i) => {
          raw[personal.length + at] = token.charCodeAt(i);
        });
    }
    return dkim ? dkimSignMessage(raw, dkim, date) : raw;
  };
}
