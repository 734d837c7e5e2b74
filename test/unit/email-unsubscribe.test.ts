import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { AimqProblems } from '../../src/errors/index.js';
import { composeMessage } from '../../src/message/compose.js';
import { REPO } from '../helpers/cli.js';
import { headerFields } from '../helpers/email.js';
import { en } from '../helpers/text.js';

/**
 * The unsubscribe settings: an https endpoint only (RFC 8058 one-click), refused with its
 * line when it is http or holds characters that would break the header, and written in
 * List-Unsubscribe as ASCII URIs, never as RFC 2047 encoded words.
 */

const BASE = readFileSync(join(REPO, 'aimq.config.yaml'), 'utf8').trimEnd();
const MAILTO_LINE = '    mailto: communications@aimq.net';

function configWith(unsubscribe: string) {
  const text = BASE.replace(MAILTO_LINE, unsubscribe);
  return { text, parse: () => parseConfig(text, { root: REPO, file: 'aimq.config.yaml' }) };
}

async function unsubscribeHeadersOf(unsubscribe: string): Promise<Map<string, string>> {
  const config = configWith(unsubscribe).parse();
  const raw = await composeMessage({
    content: { subject: 'Sujet', html: '<p>x</p>', text: 'x\n', languages: ['fr-CA'], attachments: [] },
    config,
    replyTo: { address: 'communications@aimq.net' },
    date: new Date(0),
    messageId: '<u.1@aimq.net>',
    baseBoundary: 'unsub',
  });
  const head = raw.toString('latin1').split('\r\n\r\n')[0]!;
  return new Map(
    headerFields(head)
      .filter((f) => f.name.startsWith('list-unsubscribe'))
      .map((f) => [f.name, f.raw.replace(/\r\n[ \t]+/g, ' ')]),
  );
}

function problemsOf(unsubscribe: string) {
  const { text, parse } = configWith(unsubscribe);
  try {
    parse();
  } catch (err) {
    if (!(err instanceof AimqProblems)) throw err;
    const line = text.split('\n').findIndex((l) => l.includes('url:')) + 1;
    return { line, diagnostics: err.diagnostics };
  }
  throw new Error('the config was accepted');
}

describe('unsubscribe.url in aimq.config.yaml', () => {
  it.each([
    ['http://www.aimq.net/desabonnement', 'plain http'],
    ['https://www.aimq.net/d"x', 'a double quote'],
    ['https://www.aimq.net/<x>', 'angle brackets'],
    ['"https://www.aimq.net/a b"', 'a space'],
    ['ftp://www.aimq.net/x', 'another scheme'],
  ])('%s (%s): refused, at the line of url, with a hint', (url) => {
    const { line, diagnostics } = problemsOf(`${MAILTO_LINE}\n    url: ${url}`);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({
      file: 'aimq.config.yaml',
      line,
      severity: 'error',
      code: 'AIMQ-CONFIG-FIELD',
    });
    expect(en(diagnostics[0]!.message)).toContain('email.unsubscribe.url');
    expect(en(diagnostics[0]!.hint)).toContain('https://');
  });

  it('an https URL is accepted', () => {
    expect(
      configWith(`${MAILTO_LINE}\n    url: https://www.aimq.net/desabonnement?l=fr`).parse().email
        ?.unsubscribe.url,
    ).toBe('https://www.aimq.net/desabonnement?l=fr');
  });
});

describe('List-Unsubscribe headers', () => {
  it('a non-ASCII https URL is percent-encoded, not RFC 2047-encoded; One-Click is offered', async () => {
    const h = await unsubscribeHeadersOf(
      `${MAILTO_LINE}\n    url: https://www.aimq.net/désabonnement?liste=médias`,
    );
    const value = h.get('list-unsubscribe')!;
    expect(value).not.toContain('=?');
    expect(value).toBe(
      'List-Unsubscribe: <mailto:communications@aimq.net?subject=D%C3%A9sabonnement>, <https://www.aimq.net/d%C3%A9sabonnement?liste=m%C3%A9dias>',
    );
    expect(h.get('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
  });

  it('a mailto address on an internationalised domain is written in punycode', async () => {
    const h = await unsubscribeHeadersOf('    mailto: desabonnement@exemple.québec');
    expect(h.get('list-unsubscribe')).toBe(
      'List-Unsubscribe: <mailto:desabonnement@exemple.xn--qubec-csa?subject=D%C3%A9sabonnement>',
    );
    expect(h.has('list-unsubscribe-post')).toBe(false);
  });
});
