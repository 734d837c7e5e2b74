import { afterEach, describe, expect, it } from 'vitest';
import { sendableProject } from '../helpers/cli.js';
import { aimqIn } from '../helpers/cli-in.js';
import { smtpServers } from '../helpers/smtp.js';

/**
 * smtps:// (implicit TLS) to a server that starts in plain text — port 587 given with
 * smtps://, the usual slip — failed with OpenSSL's raw text ("805C…:error:0A00010B:SSL
 * routines:ssl3_get_record:wrong version number:../deps/openssl/…") and the hint "check the
 * host, the port and the network". It now says the reason in a word and which scheme to use.
 */

const smtp = smtpServers(afterEach);

describe('smtp verify with smtps:// to a plain-text server', () => {
  it('names the TLS mode mismatch and the fix, without OpenSSL internals (exit 3)', async () => {
    const server = await smtp();
    const dir = sendableProject();
    const url = server.url.replace(/^smtp:/, 'smtps:');
    const r = await aimqIn(['smtp', 'verify'], dir, { AIMQ_SMTP_URL: url, AIMQ_SMTP_TIMEOUT_MS: '5000' });
    expect(r.status, r.stderr).toBe(3);
    expect(r.stderr).toContain('TLS: wrong version number [AIMQ-SMTP]');
    expect(r.stderr).not.toMatch(/SSL routines|deps\/openssl|\\u000a/);
    expect(r.stderr).toContain(
      `hint: this port does not speak TLS from the start: smtps:// (secure: true) is implicit TLS, usually on port 465; for port ${server.port}, write smtp:// (secure: false)`,
    );
  });

  it('says it in French', async () => {
    const server = await smtp();
    const dir = sendableProject();
    const r = await aimqIn(['smtp', 'verify'], dir, {
      AIMQ_SMTP_URL: server.url.replace(/^smtp:/, 'smtps:'),
      AIMQ_SMTP_TIMEOUT_MS: '5000',
      AIMQ_LANG: 'fr',
    });
    expect(r.status, r.stderr).toBe(3);
    expect(r.stderr).toContain('conseil\u00a0: ce port ne parle pas TLS dès la connexion\u00a0:');
  });
});
