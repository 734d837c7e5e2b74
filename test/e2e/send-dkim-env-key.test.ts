import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sendableProject } from '../helpers/cli.js';
import { aimqIn } from '../helpers/cli-in.js';
import { dkimTxtRecord, verifyWithMailauth } from '../helpers/dkim-dns.js';

/**
 * Where a variable cannot span lines — a .env or systemd EnvironmentFile line, a Docker or
 * Heroku setting — a PEM key is written with its line breaks as `\n`, or the whole file in
 * base64 (a Kubernetes secret). AIMQ_DKIM_PRIVATE_KEY in either form was refused as "not a
 * usable private key"; it is read now, and messages are signed with it.
 */

const RELEASE = 'releases/2020-01-13-mission-aimq';
const NOW = '2026-11-28T12:00:00-05:00';
const DNS_NAME = 's2026._domainkey.aimq.net';

function projectWithDkim(): string {
  const dir = sendableProject();
  const config = join(dir, 'aimq.config.yaml');
  writeFileSync(
    config,
    `${readFileSync(config, 'utf8').trimEnd()}\n  dkim: { domainName: aimq.net, keySelector: s2026 }\n`,
  );
  return dir;
}

const { privateKey, publicKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});

describe('AIMQ_DKIM_PRIVATE_KEY written on one line', () => {
  for (const [form, value] of [
    ['with \\n for its line breaks', privateKey.trimEnd().replace(/\n/g, '\\n')],
    ['with \\r\\n for its line breaks', privateKey.trimEnd().replace(/\n/g, '\\r\\n')],
    ['as base64 of the PEM file', Buffer.from(privateKey).toString('base64')],
  ] as const) {
    it(`${form}: the message is signed and the signature passes`, async () => {
      const r = await aimqIn(
        ['release', 'export', RELEASE, '--edition', 'fr', '--now', NOW],
        projectWithDkim(),
        {
          AIMQ_DKIM_PRIVATE_KEY: value,
        },
      );
      expect(r.status, r.stderr).toBe(0);
      const verdicts = await verifyWithMailauth(r.stdoutBytes, { [DNS_NAME]: dkimTxtRecord(publicKey) });
      expect(verdicts.map((v) => v.result)).toEqual(['pass']);
    });
  }

  it('something else is still refused, without echoing it', async () => {
    const r = await aimqIn(
      ['release', 'export', RELEASE, '--edition', 'fr', '--now', NOW],
      projectWithDkim(),
      {
        AIMQ_DKIM_PRIVATE_KEY: 'bm90IGEga2V5IGF0IGFsbA==',
      },
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('[AIMQ-DKIM-KEY]');
    expect(r.stderr).not.toContain('bm90IGEga2V5');
  });
});
