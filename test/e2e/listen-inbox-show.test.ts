import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/cli.js';
import { aimqIn } from '../helpers/cli-in.js';
import { reportAbout, sentCampaign } from '../helpers/inbox-campaign.js';
import { smtpServers } from '../helpers/smtp.js';

/**
 * `aimq outbox show` after `aimq inbox import`, about a campaign really sent: the inbox
 * column says what decided, not merely what was read last.
 */

const smtp = smtpServers(afterAll);

describe('the inbox column of outbox show', () => {
  it('keeps a complaint when a soft bounce about the same row is read after it', async () => {
    const server = await smtp();
    const { dir, env, rows } = await sentCampaign(
      server,
      [['paul@example.net', 'Paul', 'fr']],
      '  softBounces: { count: 3, days: 15 }',
    );
    const paul = rows[0]!;
    const folder = tempDir('aimq-listen-show-');
    // The complaint first, then an older delay warning: the order a mailbox export may have.
    writeFileSync(join(folder, '1-complaint.eml'), reportAbout('arf/complaint-yahoo.eml', paul, 0));
    writeFileSync(join(folder, '2-soft.eml'), reportAbout('postfix/soft-delayed.eml', paul, 1));
    for (const f of ['1-complaint.eml', '2-soft.eml']) {
      const r = await aimqIn(['inbox', 'import', join(folder, f)], dir, env);
      expect(r.status, r.stderr).toBe(0);
    }
    const json = await aimqIn(['outbox', 'show', String(paul.campaignId), '--format', 'json'], dir, env);
    expect(json.status, json.stderr).toBe(0);
    const [row] = JSON.parse(json.stdout).deliveries as { email: string; inbox?: { kind: string } }[];
    expect(row!.inbox?.kind).toBe('complaint');
    const text = await aimqIn(['outbox', 'show', String(paul.campaignId)], dir, env);
    expect(text.stdout).toMatch(/paul@example\.net .*complaint/);
    expect(text.stdout).not.toMatch(/paul@example\.net .*soft bounce/);
  });
});
