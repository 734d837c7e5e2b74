import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aimqAsync } from '../helpers/cli-async.js';
import { sendableProject } from '../helpers/cli.js';
import { FOUR, listCsv } from '../helpers/lists.js';
import { smtpServers } from '../helpers/smtp.js';
import { freshDatabase } from '../helpers/store-pg.js';

/**
 * The suppression list in a shared PostgreSQL outbox: an unsubscribe recorded on one
 * machine (one checkout of the project) is honoured by a send from another whose
 * lists/suppression.csv does not have it; `lists suppression export|import` keep the file
 * and the outbox's list in step.
 */

const RELEASE = 'releases/2020-01-13-mission-aimq';
const smtp = smtpServers(afterAll);
let db: Awaited<ReturnType<typeof freshDatabase>>;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => {
  await db?.drop();
});

function checkout(): string {
  const dir = sendableProject();
  mkdirSync(join(dir, 'lists'), { recursive: true });
  writeFileSync(join(dir, 'lists', 'medias.csv'), listCsv(FOUR));
  return dir;
}

describe('the suppression list in a shared outbox', () => {
  it('an unsubscribe on one machine is honoured by a send from another; export and import copy between file and outbox', async () => {
    const here = checkout();
    const there = checkout();
    const server = await smtp();
    const env = { AIMQ_OUTBOX_URL: db.url, AIMQ_SMTP_URL: server.url, AIMQ_SMTP_PASSWORD: '' };

    const unsub = await aimqAsync(['lists', 'unsubscribe', 'Nadia@Example.org'], here, env);
    expect(unsub.status, unsub.stderr).toBe(0);
    // A bounce-like entry only in the other checkout's file, imported into the outbox.
    writeFileSync(
      join(there, 'lists', 'suppression.csv'),
      'email,date,reason\nbianca@example.org,2026-01-02T00:00:00Z,complaint\n',
    );
    const imported = await aimqAsync(['lists', 'suppression', 'import'], there, env);
    expect(imported.status, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/^1 address\(es\) added/);

    // Sent from `here`, whose file does not have bianca: the outbox's list stops her too.
    const sent = await aimqAsync(
      ['release', 'send', RELEASE, '--to', 'lists/medias.csv', '--yes'],
      here,
      env,
    );
    expect(sent.status, sent.stderr).toBe(0);
    const got = [...server.countsByRecipient().keys()].sort();
    expect(got).toEqual(['edward@example.org', 'francine@example.org']);

    const exported = await aimqAsync(['lists', 'suppression', 'export'], there, env);
    expect(exported.status, exported.stderr).toBe(0);
    const file = readFileSync(join(there, 'lists', 'suppression.csv'), 'utf8');
    expect(file).toMatch(/^Nadia@Example\.org,.*,unsubscribe$/m);
    expect(file.match(/bianca@example\.org/g)).toHaveLength(1);
  });
});
