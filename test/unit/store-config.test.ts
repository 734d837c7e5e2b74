import { appendFileSync, cpSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { outboxLocation, outboxShown } from '../../src/sending/open-outbox.js';
import { REPO, tempDir } from '../helpers/cli.js';

/** Which outbox a project uses: `outbox:` (a path or a postgres:// URL), overridden by AIMQ_OUTBOX_URL. */

function projectWith(outbox?: string): string {
  const dir = tempDir('aimq-store-config-');
  cpSync(join(REPO, 'aimq.config.yaml'), join(dir, 'aimq.config.yaml'));
  if (outbox !== undefined)
    appendFileSync(join(dir, 'aimq.config.yaml'), `\noutbox: ${JSON.stringify(outbox)}\n`);
  return dir;
}

describe('the outbox location', () => {
  it('is the SQLite file by default, a path relative to the project, or a postgres:// URL kept as written', () => {
    const plain = projectWith();
    expect(outboxLocation(loadConfig(plain, plain), {})).toBe(join(plain, '.aimq', 'outbox.sqlite'));
    const path = projectWith('data/outbox.sqlite');
    expect(outboxLocation(loadConfig(path, path), {})).toBe(join(path, 'data', 'outbox.sqlite'));
    const url = 'postgres://aimq:pw-Secret-3@db.example.org:5432/aimq?sslmode=verify-full';
    const shared = projectWith(url);
    expect(outboxLocation(loadConfig(shared, shared), {})).toBe(url);
    expect(outboxShown(loadConfig(shared, shared), shared, {})).toBe(
      'postgres://aimq:***@db.example.org:5432/aimq?sslmode=verify-full',
    );
  });

  it('AIMQ_OUTBOX_URL wins over the config; an empty one is ignored', () => {
    const dir = projectWith('data/outbox.sqlite');
    const config = loadConfig(dir, dir);
    expect(outboxLocation(config, { AIMQ_OUTBOX_URL: 'postgresql://h/db' })).toBe('postgresql://h/db');
    expect(outboxLocation(config, { AIMQ_OUTBOX_URL: ' ' })).toBe(join(dir, 'data', 'outbox.sqlite'));
  });
});
