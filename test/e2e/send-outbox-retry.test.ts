import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sendableProject } from '../helpers/cli.js';
import { aimqIn } from '../helpers/cli-in.js';
import { FOUR, listCsv } from '../helpers/lists.js';
import { smtpServers } from '../helpers/smtp.js';

/**
 * `aimq outbox retry` said "Run the same aimq release send (or aimq dispatch)" for every
 * campaign, but dispatch only sends scheduled campaigns: for a campaign sent by hand it
 * answers "Nothing due" and the rows stay queued. It now names what sends them.
 */

const RELEASE = 'releases/2020-01-13-mission-aimq';
const smtp = smtpServers(afterEach);

describe('outbox retry names what sends the rows it queued again', () => {
  it('for a campaign sent by hand: release send, not dispatch (which sends nothing of it)', async () => {
    const server = await smtp();
    server.behave('edward@example.org', { tempFail: { times: 100, at: 'rcpt' } });
    const dir = sendableProject();
    mkdirSync(join(dir, 'lists'), { recursive: true });
    writeFileSync(join(dir, 'lists', 'medias.csv'), listCsv(FOUR));
    const env = {
      AIMQ_SMTP_URL: server.url,
      AIMQ_SMTP_PASSWORD: '',
      AIMQ_RETRY_BASE_MS: '1',
      AIMQ_MAX_RETRY_WAIT_MS: '5',
      AIMQ_MAX_ATTEMPTS: '2',
    };
    const sent = await aimqIn(['release', 'send', RELEASE, '--to', 'medias', '--yes'], dir, env);
    expect(sent.status, sent.stderr).toBe(3);

    const retry = await aimqIn(['outbox', 'retry', '1'], dir, env);
    expect(retry.status, retry.stderr).toBe(0);
    expect(retry.stdout.trim()).toBe(
      `1 message(s) queued again in campaign 1. Run the same "aimq release send ${RELEASE}" to send them.`,
    );
    const fr = await aimqIn(['outbox', 'retry', '1'], dir, { ...env, AIMQ_LANG: 'fr' });
    expect(fr.stdout.trim()).toBe(
      `0 courriel remis dans la file de la campagne 1. Relancez le même "aimq release send ${RELEASE}" pour l’envoyer.`,
    );
    // What the old message offered does nothing for this campaign.
    const dispatch = await aimqIn(['dispatch', '--once'], dir, env);
    expect(dispatch.stderr).toContain('Nothing due');

    const all = await aimqIn(['outbox', 'retry'], dir, env);
    expect(all.stdout.trim()).toBe(
      '0 message(s) queued again. Run the same "aimq release send" to send them (or "aimq dispatch", for a scheduled campaign).',
    );
  });
});
