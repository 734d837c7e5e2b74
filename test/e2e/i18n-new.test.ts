import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summaryMarkdown } from '../../src/preview/summary.js';
import { aimqIn } from '../helpers/cli-in.js';
import { REPO, sendableProject, tempDir } from '../helpers/cli.js';
import { git, threeReleaseRepo } from '../helpers/compare-repo.js';
import { startDnsServer, type TestDnsServer } from '../helpers/dns-server.js';
import { reportAbout, type SentRow, sentCampaign } from '../helpers/inbox-campaign.js';
import { SAMPLE_DIR } from '../helpers/project.js';
import { smtpServers } from '../helpers/smtp.js';

/**
 * What the session's new commands say, in French: `aimq doctor` (its findings, fixes and
 * summary, and a DNS server that does not answer), `aimq inbox import`, `release build
 * --compare` with a ref git does not know, a PDF export without a browser, and summary.md.
 * The language comes from AIMQ_LANG, or from LANG when AIMQ_LANG is empty.
 */

const FR = { AIMQ_LANG: 'fr' };
const FR_LOCALE = { AIMQ_LANG: '', LC_ALL: '', LC_MESSAGES: '', LANG: 'fr_CA.UTF-8' };
/** A French line never has an ordinary space before « : ; ! ? » (OQLF). */
const ENGLISH_SPACING = / [:;!?](?=\s|$)/m;

let dns: TestDnsServer;
const smtp = smtpServers(afterAll);

beforeAll(async () => {
  dns = await startDnsServer({
    zones: ['nomx.test'],
    // No MX, no DMARC; an SPF record without "all".
    txt: [{ name: 'nomx.test', strings: ['v=spf1 ip4:127.0.0.1'] }],
  });
}, 30_000);

afterAll(async () => {
  await dns?.stop();
});

/** The repository's config with `email.from` on `domain`, no DKIM, no one-click URL. */
function doctorProject(domain: string): string {
  const dir = tempDir();
  cpSync(join(REPO, 'aimq.config.yaml'), join(dir, 'aimq.config.yaml'));
  const file = join(dir, 'aimq.config.yaml');
  const email = [
    'email:',
    `  from: "AIMQ <communications@${domain}>"`,
    '  unsubscribe:',
    `    mailto: communications@${domain}`,
  ].join('\n');
  writeFileSync(file, readFileSync(file, 'utf8').replace(/^email:\n(?: {2}.*\n?)*/m, `${email}\n`));
  return dir;
}

describe('aimq doctor in French', () => {
  it('a DNS server that does not answer: « erreur », a French message and hint, exit 2', async () => {
    const dir = doctorProject('nomx.test');
    for (const env of [FR, FR_LOCALE]) {
      const r = await aimqIn(['doctor', '--dns', '127.0.0.1:9'], dir, env);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('erreur\u00a0: le serveur DNS 127.0.0.1:9 n’a pas répondu pour nomx.test');
      expect(r.stderr).toContain('[AIMQ-DOCTOR]');
      expect(r.stderr).toContain('vérifiez l’adresse donnée à --dns');
      expect(r.stderr).not.toMatch(/did not answer|check the address/);
      expect(r.stdout).toBe('');
    }
  });

  it('findings, fixes, locations and the count in French; JSON keys unchanged', async () => {
    const dir = doctorProject('nomx.test');
    const env = { ...FR, AIMQ_SMTP_URL: 'smtp://127.0.0.1:9', AIMQ_SMTP_TIMEOUT_MS: '2000' };
    const r = await aimqIn(['doctor', '--dns', dns.server], dir, env);
    expect(r.status, r.stderr).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(`aimq doctor\u00a0: nomx.test (DNS\u00a0: ${dns.server})`);
    expect(r.stdout).toMatch(/^erreur\s+MX\s+nomx\.test n’a aucun enregistrement MX\u00a0: /m);
    expect(r.stdout).toMatch(
      /^avertissement\s+SPF\s+l’enregistrement SPF de nomx\.test ne finit pas par "all"/m,
    );
    expect(r.stdout).toMatch(
      /^erreur\s+DMARC\s+nomx\.test n’a aucun enregistrement DMARC à _dmarc\.nomx\.test/m,
    );
    expect(r.stdout).toMatch(/^avertissement\s+DKIM\s+les courriels ne sont pas signés avec DKIM/m);
    expect(r.stdout).toMatch(/^avertissement\s+unsubscribe\s+aucune URL de désabonnement en un clic/m);
    expect(r.stdout).toContain('correction\u00a0: publiez un enregistrement TXT à _dmarc.nomx.test\u00a0: ');
    expect(r.stdout).toMatch(/où\u00a0: aimq\.config\.yaml:\d+ \(email\)/);
    expect(r.stdout).not.toMatch(/\b(fix|where|warning|error): /);
    expect(r.stdout).not.toMatch(ENGLISH_SPACING);
    // The SMTP server on port 9 refuses: its finding, from the transport, is an error too.
    expect(r.stdout).toMatch(/^erreur\s+SMTP\s+/m);
    expect(r.stderr.trim()).toBe(
      `${r.stdout.match(/^erreur /gm)!.length} erreurs, 3 avertissements\u00a0: des courriels risquent de ne pas arriver.`,
    );

    const json = await aimqIn(['doctor', '--dns', dns.server, '--format', 'json'], dir, env);
    const report = JSON.parse(json.stdout) as {
      dns: string;
      findings: { check: string; severity: string; message: string; fix?: string; where?: string }[];
    };
    expect(report.dns).toBe(dns.server);
    const mx = report.findings.find((f) => f.check === 'MX')!;
    expect(mx.severity).toBe('error');
    expect(mx.message).toMatch(/^nomx\.test n’a aucun enregistrement MX/);
    expect(mx.fix).toMatch(/^publiez à nomx\.test un enregistrement MX/);
    expect(mx.where).toBe('nomx.test');
  }, 60_000);
});

describe('aimq inbox import in French', () => {
  it('one .eml hard bounce: the line, the summary and the count in French', async () => {
    const server = await smtp();
    const { dir, env, rows } = await sentCampaign(
      server,
      [['gone@lapresse.example', 'Gaston Gone', 'fr']],
      '  softBounces: { count: 3, days: 15 }',
    );
    const row = rows[0] as SentRow;
    const eml = join(tempDir('aimq-eml-'), 'retour.eml');
    writeFileSync(eml, reportAbout('exchange/hard-o365-recipient-not-found.eml', row));

    const dry = await aimqIn(['inbox', 'import', eml, '--dry-run'], dir, { ...env, ...FR });
    expect(dry.status, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(
      new RegExp(
        `^retour définitif +.*retour\\.eml\u00a0: gone@lapresse\\.example \\(campagne ${row.campaignId}\\)\u00a0: 5\\.1\\.10 .* → serait exclu$`,
        'm',
      ),
    );
    expect(dry.stdout).toContain('Essai\u00a0: rien n’a été modifié ni déplacé. 1 courriel lu dans ');
    expect(dry.stdout).toContain('  retours définitifs\u00a0: 1, seraient exclus');

    const first = await aimqIn(['inbox', 'import', eml], dir, { ...env, ...FR_LOCALE });
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^1 courriel lu dans .*retour\.eml\u00a0:$/m);
    expect(first.stdout).toContain('  retours définitifs\u00a0: 1, exclus');
    expect(first.stdout).toContain(
      '  retours temporaires\u00a0: 0, notés\u00a0; 0 en ont atteint 3 en 15 jours et ont été exclus',
    );
    expect(first.stdout).toContain('  déjà lus\u00a0: 0');
    expect(first.stdout).not.toMatch(/hard bounces|Read \d/);
    expect(first.stdout).not.toMatch(ENGLISH_SPACING);

    const again = await aimqIn(['inbox', 'import', eml], dir, { ...env, ...FR });
    expect(again.stdout).toMatch(/^déjà lu +.*retour\.eml\u00a0: retour définitif$/m);
    expect(again.stdout).toContain('  déjà lus\u00a0: 1');
  }, 120_000);

  it('a mailbox that does not exist: French message and hint, exit 2', async () => {
    const dir = sendableProject();
    const r = await aimqIn(['inbox', 'import', 'nulle-part.mbox'], dir, FR);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('erreur\u00a0: nulle-part.mbox n’existe pas [AIMQ-INBOX-FILE]');
    expect(r.stderr).toContain('nommez un fichier .eml, un fichier mbox ou un dossier Maildir');
  });
});

describe('release build --compare and release export --format pdf in French', () => {
  it('a ref git does not know: a French message and hint, exit 2', async () => {
    const dir = threeReleaseRepo();
    const r = await aimqIn(['release', 'build', '--preview', '--compare', 'pas-de-telle-branche'], dir, FR);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      'erreur\u00a0: --compare pas-de-telle-branche\u00a0: git ne connaît ici aucun commit de ce nom [AIMQ-USAGE]',
    );
    expect(r.stderr).toContain('donnez une branche, une étiquette ou un commit qui existe ici');
    expect(r.stderr).not.toMatch(/give a branch|\n\s+at /);
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });

  it('a PDF without a browser: why, and what to install, in French', async () => {
    const dir = sendableProject();
    const r = await aimqIn(
      ['release', 'export', SAMPLE_DIR, '--format', 'pdf', '--edition', 'fr', '--out', 'aucun.pdf'],
      dir,
      { ...FR_LOCALE, AIMQ_CHROME: join(dir, 'pas-de-chromium') },
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      `erreur\u00a0: impossible d’imprimer un PDF\u00a0: AIMQ_CHROME désigne ${join(dir, 'pas-de-chromium')}, qui n’est pas un fichier exécutable [AIMQ-BROWSER]`,
    );
    expect(r.stderr).toContain('installez Chromium (apt-get install chromium)');
    expect(r.stdout).toBe('');

    const edition = await aimqIn(
      ['release', 'export', SAMPLE_DIR, '--format', 'pdf', '--edition', 'de'],
      dir,
      FR,
    );
    expect(edition.status).toBe(2);
    expect(edition.stderr).toContain('n’a pas d’édition de [AIMQ-EDITION]');
    expect(edition.stderr).toContain('ses éditions sont\u00a0: fr, en, bilingual');
  });
});

describe('summary.md in the reviewer’s language', () => {
  const input = {
    groups: [
      {
        id: '2020-01-13-mission-aimq',
        selected: true,
        pages: [
          {
            kind: 'page' as const,
            key: 'fr',
            shots: [{ width: 1280, abs: '/a/1280.png' }],
            before: [{ width: 1280, abs: '/b/1280.png' }],
          },
        ],
        emails: [],
      },
      { id: '2020-02-01-second', selected: false, pages: [], emails: [] },
    ],
    taken: new Map([['/a/1280.png', { width: 1280, height: 2000 }]]),
    diffs: new Map([['/a/1280.png', { changed: 12_345, pixels: 1280 * 2000 }]]),
    shownOut: 'public',
    warnings: [],
    since: {
      ref: 'main',
      option: '--compare',
      changes: { releases: new Set(['2020-01-13-mission-aimq']) },
      before: { ref: 'main', out: '/tmp/x', result: {} as never },
    },
  };

  it('French: the scope, the gallery, the table with French numbers; English as it was', () => {
    const fr = summaryMarkdown({ ...input, lang: 'fr' } as never);
    expect(fr).toContain('## Aperçu aimq');
    expect(fr).toContain(
      'Communiqués modifiés depuis `main`\u00a0: 1 sur 2, comparés avec la version de `main`.',
    );
    expect(fr).toContain('Galerie\u00a0: `public/_preview/index.html` (1 capture d’écran).');
    expect(fr).toContain('| communiqué | édition | pixels modifiés |');
    expect(fr).toContain(
      '| `2020-01-13-mission-aimq` | page fr | 1280 px\u00a0: **12\u00a0345** (0,5\u00a0%) |',
    );
    const en = summaryMarkdown(input as never);
    expect(en).toContain("1 of 2 release(s) changed since `main`, compared with `main`'s version.");
    expect(en).toContain('| `2020-01-13-mission-aimq` | page fr | 1280 px: **12,345** (0.5%) |');
  });
});
