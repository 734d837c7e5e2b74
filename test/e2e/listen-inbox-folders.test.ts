import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aimqIn } from '../helpers/cli-in.js';
import { startDovecot, type TestDovecot } from '../helpers/dovecot.js';
import { reportAbout, sentCampaign } from '../helpers/inbox-campaign.js';
import { smtpServers } from '../helpers/smtp.js';

/**
 * `aimq inbox sync` against a real Dovecot with folder settings a new user gets wrong: a
 * folder that does not exist, a processed folder whose name the server refuses. Each says
 * which setting to correct, instead of "run the same command again", which fails the same way.
 */

const smtp = smtpServers(afterAll);
let dovecot: TestDovecot;
beforeAll(async () => {
  dovecot = await startDovecot();
}, 30_000);
afterAll(async () => {
  await dovecot?.stop();
});

const base = (d: TestDovecot) => `  host: 127.0.0.1\n  port: ${d.port}\n  user: ${d.user}`;

describe('inbox folders that are not right', () => {
  it('a folder that does not exist names inbox.folder and lists the mailbox’s folders', async () => {
    const server = await smtp();
    const { dir, env } = await sentCampaign(
      server,
      [['paul@example.net', 'Paul', 'fr']],
      `${base(dovecot)}\n  folder: Rebonds`,
    );
    const imapEnv = { ...env, AIMQ_IMAP_PASSWORD: dovecot.password };
    const en = await aimqIn(['inbox', 'sync'], dir, { ...imapEnv, AIMQ_LANG: 'en' });
    expect(en.status).toBe(2);
    expect(en.stderr).toContain(
      `the folder "Rebonds" does not exist on the IMAP server 127.0.0.1:${dovecot.port}`,
    );
    expect(en.stderr).toMatch(/hint: correct inbox\.folder in the config; this mailbox's folders: INBOX/);
    expect(en.stderr).not.toContain('run the same command again');
    const fr = await aimqIn(['inbox', 'sync'], dir, { ...imapEnv, AIMQ_LANG: 'fr' });
    expect(fr.status).toBe(2);
    expect(fr.stderr).toContain('le dossier «\u00a0Rebonds\u00a0» n’existe pas sur le serveur IMAP');
    expect(fr.stderr).toContain('corrigez inbox.folder dans la configuration');
  });

  it('a processed folder the server refuses names inbox.processedFolder and the server’s separator', async () => {
    const server = await smtp();
    const { dir, env, rows } = await sentCampaign(
      server,
      [['anne@example.org', 'Anne', 'fr']],
      `${base(dovecot)}\n  processedFolder: "Traités/Désabonnements"`,
    );
    await dovecot.append(reportAbout('postfix/hard-user-unknown.eml', rows[0]!));
    const imapEnv = { ...env, AIMQ_IMAP_PASSWORD: dovecot.password, AIMQ_LANG: 'en' };
    const r = await aimqIn(['inbox', 'sync'], dir, imapEnv);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('moving messages to "Traités/Désabonnements"');
    expect(r.stderr).toContain(
      'hint: check inbox.processedFolder in the config (this server separates folder levels with ".")',
    );
  });
});

describe('secure: true on a port that speaks clear text', () => {
  it('says so and which setting to change, instead of an OpenSSL line', async () => {
    const server = await smtp();
    const { dir, env } = await sentCampaign(
      server,
      [['paul@example.net', 'Paul', 'fr']],
      `${base(dovecot)}\n  secure: true`,
    );
    const r = await aimqIn(['inbox', 'sync'], dir, {
      ...env,
      AIMQ_IMAP_PASSWORD: dovecot.password,
      AIMQ_LANG: 'en',
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      `the IMAP server 127.0.0.1:${dovecot.port} does not speak TLS from the start on this port`,
    );
    expect(r.stderr).toContain('on port 143, set secure: false (STARTTLS)');
    expect(r.stderr).not.toContain('ssl3_get_record');
  });
});
