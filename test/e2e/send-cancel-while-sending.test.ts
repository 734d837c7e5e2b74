import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sendableProject } from '../helpers/cli.js';
import { aimqIn } from '../helpers/cli-in.js';
import { type ListRow, listCsv } from '../helpers/lists.js';
import { smtpServers } from '../helpers/smtp.js';

/**
 * `aimq outbox cancel` from another terminal while a send runs: the send stops taking the
 * cancelled rows, and the campaign stays `cancelled`. It used to end `done` in
 * `aimq outbox list`, as if everyone had been sent the release.
 */

const RELEASE = 'releases/2020-01-13-mission-aimq';
const smtp = smtpServers(afterEach);

describe('a campaign cancelled while it is sending', () => {
  it('stays cancelled, and what was not sent is not sent', async () => {
    const dir = sendableProject();
    mkdirSync(join(dir, 'lists'), { recursive: true });
    const rows: ListRow[] = Array.from({ length: 12 }, (_, i) => [`p${i}@example.org`, `P ${i}`, 'fr']);
    writeFileSync(join(dir, 'lists', 'medias.csv'), listCsv(rows));
    let cancelled: Promise<{ status: number; stdout: string }> | undefined;
    const server = await smtp({
      // The first message's answer waits until the campaign is cancelled.
      beforeAnswer: async () => {
        cancelled ??= aimqIn(['outbox', 'cancel', '1'], dir);
        await cancelled;
      },
    });
    const env = { AIMQ_SMTP_URL: server.url, AIMQ_SMTP_PASSWORD: '' };
    const sent = await aimqIn(
      ['release', 'send', RELEASE, '--to', 'medias', '--yes', '--connections', '1'],
      dir,
      env,
    );
    expect((await cancelled!).status).toBe(0);
    expect(sent.stderr).toMatch(/Campaign 1: [1-4] sent, 0 failed, 0 uncertain, 0 suppressed, \d+ skipped\./);
    expect(server.messages.length).toBeLessThan(12);

    const list = await aimqIn(['outbox', 'list'], dir, env);
    expect(list.stdout).toMatch(/^\s*1\s+2020-01-13-mission-aimq\s+cancelled\s/m);
  });
});
