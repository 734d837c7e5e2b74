import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sampleProject, sendableProject } from '../helpers/cli.js';
import { aimqAsync } from '../helpers/cli-async.js';
import { FOUR, listCsv } from '../helpers/lists.js';
import { smtpServers } from '../helpers/smtp.js';

/**
 * #11.21: what `aimq init` and `release new` leave as placeholders never goes out. A
 * campaign send and a schedule are refused (exit 1, AIMQ-PLACEHOLDER at file:line) before
 * anything is written; a dry run and a test send, which are how people review, still work.
 */

const RELEASE = 'releases/2020-01-13-mission-aimq';
const smtp = smtpServers(afterEach);

function withList(dir: string): string {
  mkdirSync(join(dir, 'lists'), { recursive: true });
  writeFileSync(join(dir, 'lists', 'medias.csv'), listCsv(FOUR));
  return dir;
}

describe('sending with a placeholder left (#11.21)', () => {
  it('release send is refused before any campaign exists, and nobody receives anything', async () => {
    const server = await smtp();
    const dir = withList(sampleProject()); // the sample config's postal address is a placeholder
    const r = await aimqAsync(['release', 'send', RELEASE, '--to', 'lists/medias.csv', '--yes'], dir, {
      AIMQ_SMTP_URL: server.url,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^aimq\.config\.yaml:\d+:\d+ error: .*\[AIMQ-PLACEHOLDER\]/m);
    expect(server.messages).toHaveLength(0);
    expect(existsSync(join(dir, '.aimq', 'outbox.sqlite'))).toBe(false);
  });

  it('release schedule is refused the same way', async () => {
    const dir = withList(sampleProject());
    const r = await aimqAsync(
      ['release', 'schedule', RELEASE, '--at', '2099-01-05 09:00', '--to', 'lists/medias.csv'],
      dir,
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/\[AIMQ-PLACEHOLDER\]/);
    expect(existsSync(join(dir, '.aimq', 'outbox.sqlite'))).toBe(false);
  });

  it('a dry run still writes the messages for review', async () => {
    const dir = withList(sampleProject());
    const r = await aimqAsync(['release', 'send', RELEASE, '--to', 'lists/medias.csv', '--dry-run'], dir);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/would be sent/);
  });

  it('with the placeholder replaced, the same send goes out', async () => {
    const server = await smtp();
    const dir = withList(sendableProject());
    const r = await aimqAsync(['release', 'send', RELEASE, '--to', 'lists/medias.csv', '--yes'], dir, {
      AIMQ_SMTP_URL: server.url,
    });
    expect(r.status, r.stderr).toBe(0);
    expect(server.messages.length).toBe(FOUR.length);
  });
});
