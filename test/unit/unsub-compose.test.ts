import { generateKeyPairSync } from 'node:crypto';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { AimqError } from '../../src/errors/index.js';
import { composeMessage, type MessageInput, oneLine, prepareMessage } from '../../src/message/compose.js';
import { TOKEN_PLACEHOLDER, withToken } from '../../src/message/unsubscribe.js';
import { readUnsubscribeToken, signUnsubscribeToken } from '../../src/message/unsubscribe-token.js';
import type { Config } from '../../src/model/config.js';
import { dkimTxtRecord, verifyWithMailauth } from '../helpers/dkim-dns.js';

/**
 * Per-recipient tokens on the fast path: a prepared message (rendered once per edition with a
 * placeholder) given a recipient's token is byte for byte what composeMessage writes when the
 * token is in the content and headers from the start — wherever quoted-printable soft line
 * breaks or header folding fall — and mailparser reads the token back from every place.
 */

const SECRET = 'unit-test-secret-0123456789abcdefghijkl';
const LONG_URL = `https://www.aimq.net/${'très-long-chemin/'.repeat(4)}désabonnement?liste=presse`;

function config(url: string): Config {
  return {
    email: {
      from: { name: 'AIMQ – Communications', address: 'communications@aimq.net' },
      unsubscribe: { mailto: 'désabonnement@aimq.net', url },
    },
  } as unknown as Config;
}

/** Content whose footer carries `token` (the placeholder, or the real one) after `pad` characters. */
function content(url: string, token: string, pad: number): MessageInput['content'] {
  const href = withToken(new URL(url).href, token);
  const filler = 'é'.repeat(pad % 7) + 'x'.repeat(pad);
  return {
    subject: 'L’AIMQ actualise sa mission',
    html: `<!doctype html><html lang="fr-CA"><body><p>${filler}</p><p><a href="${href}">Se désabonner</a></p></body></html>`,
    text: `${filler}\n\nSe désabonner : ${href}\n`,
    languages: ['fr-CA', 'en-CA'],
    attachments: [],
  };
}

function personalFirst(raw: Buffer): Buffer {
  const PERSONAL = /^(to|message-id|date):/i;
  const text = raw.toString('latin1');
  const split = text.indexOf('\r\n\r\n');
  const fields = text.slice(0, split).split(/\r\n(?![ \t])/);
  const rank = (f: string) => ['to', 'message-id', 'date'].indexOf(f.slice(0, f.indexOf(':')).toLowerCase());
  const personal = fields.filter((f) => PERSONAL.test(f)).sort((a, b) => rank(a) - rank(b));
  return Buffer.from(
    [...personal, ...fields.filter((f) => !PERSONAL.test(f))].join('\r\n') + text.slice(split),
    'latin1',
  );
}

const TO = { name: 'Françoise Lévesque-Ñúñez, « Le Devoir »', address: 'francoise@exemple.québec' };
const DATE = new Date(Date.UTC(2026, 11, 1, 9, 5, 7));
const ID = '<3.17.abc@aimq.net>';

describe('per-recipient unsubscribe tokens in a prepared message', () => {
  it('are byte for byte composeMessage’s, at every offset of a long URL in quoted-printable and folded headers', async () => {
    let checked = 0;
    for (const url of ['https://www.aimq.net/desabonnement', LONG_URL])
      for (let pad = 0; pad < 80; pad++) {
        const token = signUnsubscribeToken(SECRET, 3, 17 + pad);
        const base = { config: config(url), replyTo: { address: 'presse@aimq.net' }, baseBoundary: 'b' };
        const build = await prepareMessage({
          ...base,
          content: content(url, TOKEN_PLACEHOLDER, pad),
          tokens: true,
        });
        const prepared = await build(TO, ID, DATE, token);
        const expected = personalFirst(
          await composeMessage({
            ...base,
            content: content(url, token, pad),
            to: `"${oneLine(TO.name).replace(/[\\"]/g, '\\$&')}" <${TO.address}>`,
            messageId: ID,
            date: DATE,
            unsubscribeToken: token,
          }),
        );
        expect(prepared.toString('latin1'), `${url} pad ${pad}`).toBe(expected.toString('latin1'));
        expect(prepared.includes(TOKEN_PLACEHOLDER)).toBe(false);
        checked++;
      }
    expect(checked).toBe(160);
  });

  it('mailparser reads the same token from both List-Unsubscribe URIs, the HTML link and the text link', async () => {
    const base = { config: config(LONG_URL), replyTo: { address: 'presse@aimq.net' }, baseBoundary: 'b' };
    const build = await prepareMessage({
      ...base,
      content: content(LONG_URL, TOKEN_PLACEHOLDER, 37),
      tokens: true,
    });
    const tokens = [signUnsubscribeToken(SECRET, 3, 1), signUnsubscribeToken(SECRET, 3, 2)];
    for (const token of tokens) {
      const parsed = await simpleParser(await build(TO, ID, DATE, token));
      const header = (parsed.headerLines.find((h) => h.key === 'list-unsubscribe')?.line ?? '').replace(
        /\r\n[ \t]+/g,
        ' ',
      );
      const [mailto, https] = [...header.matchAll(/<([^>]+)>/g)].map((m) => m[1]!);
      expect(decodeURIComponent(new URL(mailto!).searchParams.get('subject')!)).toBe(
        `Désabonnement ${token}`,
      );
      expect(new URL(https!).searchParams.get('t')).toBe(token);
      expect(new URL(https!).searchParams.get('liste')).toBe('presse');
      const htmlHref = /href="([^"]+)"/.exec(String(parsed.html))![1]!.replace(/&amp;/g, '&');
      expect(new URL(htmlHref).searchParams.get('t')).toBe(token);
      const textUrl = /Se désabonner : (\S+)/.exec(parsed.text!)![1]!;
      expect(new URL(textUrl).searchParams.get('t')).toBe(token);
      expect(readUnsubscribeToken(SECRET, token)).toEqual({
        campaignId: 3,
        deliveryId: tokens.indexOf(token) + 1,
      });
      expect(parsed.headerLines.find((h) => h.key === 'list-unsubscribe-post')?.line).toBe(
        'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
      );
    }
  });

  it('an English edition’s mailto subject is "Unsubscribe <token>"', async () => {
    const c = { ...content(LONG_URL, TOKEN_PLACEHOLDER, 3), languages: ['en-CA'] };
    const build = await prepareMessage({
      config: config(LONG_URL),
      replyTo: { address: 'p@aimq.net' },
      baseBoundary: 'b',
      content: c,
      tokens: true,
    });
    const token = signUnsubscribeToken(SECRET, 8, 9);
    const parsed = await simpleParser(await build(TO, ID, DATE, token));
    const header = String(parsed.headerLines.find((h) => h.key === 'list-unsubscribe')?.line).replace(
      /\r\n[ \t]+/g,
      ' ',
    );
    expect(header).toContain(`?subject=Unsubscribe%20${token}>`);
  });

  it('a message whose content holds the placeholder is refused without a token (AIMQ-UNSUBSCRIBE-SECRET), never sent with it', async () => {
    const build = await prepareMessage({
      config: config(LONG_URL),
      replyTo: { address: 'p@aimq.net' },
      baseBoundary: 'b',
      content: content(LONG_URL, TOKEN_PLACEHOLDER, 0),
    });
    const err = await build(TO, ID, DATE).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AimqError);
    expect((err as AimqError).code).toBe('AIMQ-UNSUBSCRIBE-SECRET');
  });

  it.each(['rsa', 'ed25519'] as const)(
    'the DKIM signature (%s) covers both List-Unsubscribe headers and verifies after the token went in',
    async (type) => {
      const { privateKey, publicKey } =
        type === 'rsa'
          ? generateKeyPairSync('rsa', {
              modulusLength: 2048,
              privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
              publicKeyEncoding: { type: 'spki', format: 'pem' },
            })
          : generateKeyPairSync('ed25519', {
              privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
              publicKeyEncoding: { type: 'spki', format: 'pem' },
            });
      const build = await prepareMessage({
        config: config(LONG_URL),
        replyTo: { address: 'p@aimq.net' },
        baseBoundary: 'b',
        content: content(LONG_URL, TOKEN_PLACEHOLDER, 11),
        tokens: true,
        dkim: { domainName: 'aimq.net', keySelector: 's2026', privateKey },
      });
      const token = signUnsubscribeToken(SECRET, 3, 4);
      const raw = await build(TO, ID, DATE, token);
      const verdicts = await verifyWithMailauth(raw, {
        's2026._domainkey.aimq.net': dkimTxtRecord(publicKey),
      });
      expect(verdicts.map((v) => v.result)).toEqual(['pass']);
      const signature = raw
        .toString('latin1')
        .split('\r\n\r\n')[0]!
        .replace(/\r\n[ \t]+/g, ' ');
      const h = /h=([^;]+)/.exec(signature)![1]!.toLowerCase().replace(/\s+/g, '').split(':');
      expect(h).toEqual(expect.arrayContaining(['list-unsubscribe', 'list-unsubscribe-post']));
      // Changing the token afterwards breaks the signature: it is what was signed.
      const tampered = Buffer.from(
        raw.toString('latin1').replaceAll(token, signUnsubscribeToken(SECRET, 3, 5)),
        'latin1',
      );
      expect(
        (await verifyWithMailauth(tampered, { 's2026._domainkey.aimq.net': dkimTxtRecord(publicKey) })).map(
          (v) => v.result,
        ),
      ).not.toEqual(['pass']);
    },
  );
});
