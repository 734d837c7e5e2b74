import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aimq, REPO, tempDir } from '../helpers/cli.js';

describe('aimq lists check with a 20 MB line (#11.6)', () => {
  it('exits 1 with one error at file:line quoting 60 characters, and counts the lines after it', () => {
    const dir = tempDir();
    cpSync(join(REPO, 'aimq.config.yaml'), join(dir, 'aimq.config.yaml'));
    mkdirSync(join(dir, 'lists'));
    writeFileSync(
      join(dir, 'lists', 'big.csv'),
      `email,name,consent\n${'a'.repeat(20 * 1024 * 1024)},x\nok@example.org,Ok\n`,
    );
    const r = aimq(['lists', 'check', 'lists/big.csv'], dir);
    expect(r.status).toBe(1);
    expect(r.stdout.split('\n')[0]).toBe(
      `lists/big.csv:2:1 error: this line is longer than 65,536 characters (it starts with "${'a'.repeat(60)}…"): not read [AIMQ-LIST-CSV]`,
    );
    // Before, the whole 20 MB value was printed back.
    expect(r.stdout.length).toBeLessThan(500);
    expect(r.stderr).toContain(
      'lists/big.csv: 1 recipient (fr 0, en 0, bilingual 1), 0 suppressed, 1 invalid',
    );
  });
});
