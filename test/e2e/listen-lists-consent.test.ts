import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aimqIn } from '../helpers/cli-in.js';
import { REPO, tempDir } from '../helpers/cli.js';

/** The summary line of `aimq lists check` on a long list with expired consents, in English and French. */

function project(lines: string[]): string {
  const dir = tempDir('aimq-listen-lists-');
  cpSync(join(REPO, 'aimq.config.yaml'), join(dir, 'aimq.config.yaml'));
  mkdirSync(join(dir, 'lists'));
  writeFileSync(join(dir, 'lists', 'big.csv'), `${['email,consent,consent_date', ...lines].join('\n')}\n`);
  return dir;
}

describe('the summary of lists check', () => {
  it('counts in the language’s number format and puts “consents” in the plural', async () => {
    const lines = [
      'old1@example.org,implied,2020-01-01',
      'old2@example.org,inquiry,2020-01-01',
      ...Array.from({ length: 1198 }, (_, i) => `p${i}@example.org,express,2025-01-01`),
    ];
    const dir = project(lines);
    const env = { AIMQ_NOW: '2026-12-07T10:00:00-05:00' };
    const en = await aimqIn(['lists', 'check', 'lists/big.csv'], dir, { ...env, AIMQ_LANG: 'en' });
    expect(en.status, en.stderr).toBe(0);
    expect(en.stderr).toContain(
      'lists/big.csv: 1,200 recipients (fr 0, en 0, bilingual 1,200), 0 suppressed, 0 invalid, 0 duplicates, 2 expired consents',
    );
    const fr = await aimqIn(['lists', 'check', 'lists/big.csv'], dir, { ...env, AIMQ_LANG: 'fr' });
    expect(fr.stderr).toMatch(/1[\u00a0\u202f]200 destinataires .*2 consentements expirés/);
  });
});
