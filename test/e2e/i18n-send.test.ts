import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sendableProject } from '../helpers/cli.js';
import { aimqIn } from '../helpers/cli-in.js';
import { FOUR, listCsv, type ListRow } from '../helpers/lists.js';
import { smtpServers, type TestSmtpServer } from '../helpers/smtp.js';
import { proseOf } from '../helpers/text.js';

/**
 * What sending prints (release send and its summary, lists check, the outbox commands and
 * their errors, release schedule and a dispatch rehearsal) in French when the user's language
 * is French: from AIMQ_LANG, or from LANG when AIMQ_LANG is empty. The CLI runs in process
 * (aimqIn), sending through a real SMTP server in this process to a real SQLite outbox.
 */

const FR = { AIMQ_LANG: 'fr' };
/** French from the locale alone, as a shell in Quebec has it. */
const FR_LOCALE = { AIMQ_LANG: '', LC_ALL: '', LC_MESSAGES: '', LANG: 'fr_CA.UTF-8' };
const NBSP = '\u00a0';
const RELEASE = 'releases/2020-01-13-mission-aimq';
const ERROR = `erreur${NBSP}:`;
const HINT = `conseil${NBSP}:`;

/** English words that must not show through in a French line. */
const ENGLISH =
  /\b(error|hint|sent|failed|suppressed|skipped|would|nothing|the|is not|already|campaign|recipients?)\b/i;

const smtp = smtpServers(afterEach);

function project(lists: Record<string, readonly ListRow[]> = { 'medias.csv': FOUR }): string {
  const dir = sendableProject();
  mkdirSync(join(dir, 'lists'), { recursive: true });
  for (const [name, rows] of Object.entries(lists)) writeFileSync(join(dir, 'lists', name), listCsv(rows));
  return dir;
}

function envFor(server: TestSmtpServer, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    AIMQ_SMTP_URL: server.url,
    AIMQ_SMTP_PASSWORD: '',
    AIMQ_RETRY_BASE_MS: '20',
    AIMQ_MAX_RETRY_WAIT_MS: '5000',
    AIMQ_SMTP_TIMEOUT_MS: '5000',
    ...extra,
  };
}

/** The `erreur :` line and the `conseil :` line under it, both French, ending with the code. */
function frenchProblem(stderr: string, code: string): { error: string; hint: string } {
  const lines = stderr.trimEnd().split('\n');
  const error = lines.find((l) => l.includes(ERROR));
  const hint = lines.find((l) => l.trimStart().startsWith(HINT));
  expect(error, stderr).toBeDefined();
  expect(hint, stderr).toBeDefined();
  expect(error!.endsWith(`[${code}]`), error).toBe(true);
  expect(proseOf(error!), error).not.toMatch(ENGLISH);
  expect(proseOf(hint!), hint).not.toMatch(ENGLISH);
  return { error: error!, hint: hint! };
}

describe('aimq release send, in French', () => {
  it('plans, sends through the SMTP server and sums up in French; a second run has nothing to send', async () => {
    const server = await smtp();
    const dir = project();
    const r = await aimqIn(
      ['release', 'send', RELEASE, '--to', 'lists/medias.csv', '--yes'],
      dir,
      envFor(server, FR),
    );
    expect(r.status, r.stderr).toBe(0);
    expect(server.messages).toHaveLength(4);
    const lines = r.stderr.split('\n');
    expect(lines).toContain(`2020-01-13-mission-aimq${NBSP}: campagne 1 (nouvelle)`);
    expect(
      lines.find((l) => l.startsWith(`  à envoyer${NBSP}: 4 (`)),
      r.stderr,
    ).toBeDefined();
    expect(r.stderr).toContain(`  déjà envoyés${NBSP}: 0 · exclus${NBSP}: 0`);
    const summary = lines.find((l) => l.startsWith('Campagne 1'));
    expect(summary).toBe(`Campagne 1${NBSP}: 4 envoyés, 0 en échec, 0 incertain, 0 exclu, 0 ignoré.`);
    for (const l of lines.filter((x) => x.trim())) expect(proseOf(l), l).not.toMatch(ENGLISH);

    // Again, with French from the locale: everyone has it already.
    const again = await aimqIn(
      ['release', 'send', RELEASE, '--to', 'lists/medias.csv', '--yes'],
      dir,
      envFor(server, FR_LOCALE),
    );
    expect(again.status, again.stderr).toBe(0);
    expect(again.stderr).toContain(`campagne 1 (reprise)`);
    expect(again.stderr).toContain(`  déjà envoyés${NBSP}: 4`);
    expect(again.stderr.trimEnd().endsWith('Rien à envoyer.'), again.stderr).toBe(true);
    expect(server.messages).toHaveLength(4);

    // The outbox as people read it: French headers; CSV and JSON keys stay as they are.
    const list = await aimqIn(['outbox', 'list'], dir, FR);
    expect(list.status, list.stderr).toBe(0);
    const header = list.stdout.split('\n')[0]!.split(/\s{2,}/);
    expect(header).toEqual([
      'id',
      'communiqué',
      'état',
      'prévue',
      'envoyés',
      'échecs',
      'incertains',
      'en attente',
      'exclus',
      'ignorés',
      'source',
    ]);
    const show = await aimqIn(['outbox', 'show', '1'], dir, FR);
    expect(show.stdout.split('\n')[0]).toBe(
      `Campagne 1${NBSP}: 2020-01-13-mission-aimq (${RELEASE}), done, source cli`,
    );
    expect(show.stdout).toMatch(/^courriel\s+édition\s+état\s+essais\s+dernière réponse$/m);
    const csv = await aimqIn(['outbox', 'show', '1', '--format', 'csv'], dir, FR);
    expect(csv.stdout.split('\n')[0]).toBe(
      'email,edition,state,attempts,updated,sent,message_id,last_reply,inbox',
    );
    const json = JSON.parse((await aimqIn(['outbox', 'show', '1', '--format', 'json'], dir, FR)).stdout) as {
      counts: { sent: number };
    };
    expect(json.counts.sent).toBe(4);
  });

  it('a dry run counts in French, and nobody to send to is a French error', async () => {
    const server = await smtp();
    const dir = project();
    const dry = await aimqIn(
      ['release', 'send', RELEASE, '--to', 'lists/medias.csv', '--dry-run'],
      dir,
      envFor(server, FR),
    );
    expect(dry.status, dry.stderr).toBe(0);
    expect(dry.stderr).toMatch(
      new RegExp(
        `^Essai à blanc${NBSP}: 4 courriels seraient envoyés \\([^)]*\\)${NBSP}; 0 exclu${NBSP}; 0 a déjà reçu ce communiqué\\. Rien n’a été envoyé\\.$`,
        'm',
      ),
    );
    expect(server.messages).toHaveLength(0);

    const test = await aimqIn(
      ['release', 'send', RELEASE, '--test', 'moi@example.org'],
      dir,
      envFor(server, FR),
    );
    expect(test.status, test.stderr).toBe(0);
    const tested = test.stderr.trimEnd().split('\n');
    expect(tested.length).toBeGreaterThan(0);
    for (const l of tested)
      expect(l).toMatch(new RegExp(`^\\[ESSAI\\] \\S+ → moi@example\\.org${NBSP}: envoyé \\(250`));
    expect(server.messages).toHaveLength(tested.length);

    const nobody = await aimqIn(['release', 'send', RELEASE], dir, envFor(server, FR_LOCALE));
    expect(nobody.status).toBe(2);
    const p = frenchProblem(nobody.stderr, 'AIMQ-USAGE');
    expect(p.error).toContain('aucun destinataire');
    expect(p.hint).toContain('ajoutez --to lists/medias.csv');
  });
});

describe('aimq lists check, in French', () => {
  const rows: ListRow[] = [
    ['francine@example.org', 'Francine Tremblay', 'fr'],
    ['pas-une-adresse', 'Personne', 'fr'],
    ['FRANCINE@example.org', 'Francine encore', 'fr'],
    ['edward@example.org', 'Edward Smith', 'klingon' as ListRow[2]],
  ];

  for (const [name, env] of [
    ['AIMQ_LANG', FR],
    ['LANG', FR_LOCALE],
  ] as const)
    it(`each bad line and the counts in French (from ${name})`, async () => {
      const dir = project({ 'medias.csv': rows });
      const r = await aimqIn(['lists', 'check', 'lists/medias.csv'], dir, env);
      expect(r.status, r.stdout + r.stderr).toBe(1);
      expect(r.stdout).toContain(
        `erreur${NBSP}: "pas-une-adresse" n’est pas une adresse courriel valide [AIMQ-LIST-EMAIL]`,
      );
      expect(r.stdout).toContain(`${HINT} écrivez-la sous la forme nom@example.org`);
      expect(r.stdout).toMatch(
        /avertissement\u00a0: "FRANCINE@example\.org" figure déjà à la ligne \d+ \[AIMQ-LIST-DUPLICATE\]/,
      );
      expect(r.stdout).toContain(
        `langue "klingon" non comprise${NBSP}: utilisez fr, en ou bilingual [AIMQ-LIST-LANGUAGE]`,
      );
      expect(r.stdout).toContain(
        `${HINT} la LCAP exige de consigner le consentement de chaque destinataire${NBSP}: ajoutez les colonnes consent`,
      );
      expect(r.stderr.trim()).toBe(
        `lists/medias.csv${NBSP}: 1 destinataire (fr 1, en 0, bilingues 0), 0 exclu, 2 invalides, 1 doublon`,
      );
    });

  it('a list that does not exist, and a config key that does not either, in French', async () => {
    const dir = project();
    const missing = await aimqIn(['lists', 'check', 'lists/absente.csv'], dir, FR);
    expect(missing.status).toBe(2);
    const p = frenchProblem(missing.stderr, 'AIMQ-LIST-NOT-FOUND');
    expect(p.error).toContain('aucun fichier de liste lists/absente.csv');
    expect(p.hint).toContain('les listes sont des fichiers CSV, d’habitude dans lists/');

    appendFileSync(join(dir, 'aimq.config.yaml'), '\nbaseUrls: https://example.org\n');
    const config = await aimqIn(['lists', 'check', 'lists/medias.csv'], dir, FR);
    expect(config.status).toBe(2);
    expect(config.stderr).toContain(`${ERROR} clé inconnue "baseUrls" [AIMQ-CONFIG-UNKNOWN]`);
    expect(config.stderr).toContain(`${HINT} vouliez-vous dire "baseUrl"${NBSP}?`);
  });
});

describe('the outbox, in French', () => {
  it('an empty outbox file is damaged, not new; a campaign without an outbox; a bad migrate-to URL', async () => {
    const dir = project();
    const none = await aimqIn(['outbox', 'cancel', '9'], dir, FR);
    expect(none.status).toBe(2);
    const n = frenchProblem(none.stderr, 'AIMQ-CAMPAIGN-NOT-FOUND');
    expect(n.error).toContain(`aucune campagne 9${NBSP}: il n’y a pas encore de boîte d’envoi`);
    const noOutbox = await aimqIn(['outbox', 'list'], dir, FR_LOCALE);
    expect(noOutbox.stderr.trim()).toBe(
      `Pas encore de boîte d’envoi (.aimq/outbox.sqlite)${NBSP}: rien n’a été envoyé ni planifié.`,
    );

    mkdirSync(join(dir, '.aimq'));
    writeFileSync(join(dir, '.aimq', 'outbox.sqlite'), '');
    const empty = await aimqIn(['outbox', 'list'], dir, FR);
    expect(empty.status).toBe(2);
    const e = frenchProblem(empty.stderr, 'AIMQ-OUTBOX');
    expect(e.error).toContain(
      `la boîte d’envoi .aimq/outbox.sqlite est un fichier vide${NBSP}: elle est endommagée, pas nouvelle`,
    );
    expect(e.hint).toContain('restaurez-la depuis une sauvegarde');

    const url = await aimqIn(['outbox', 'migrate-to', 'mysql://db.example.org/aimq'], dir, FR);
    expect(url.status).toBe(2);
    const u = frenchProblem(url.stderr, 'AIMQ-USAGE');
    expect(u.error).toContain('n’est pas une URL postgres://');
  });
});

describe('release schedule and a dispatch rehearsal, in French', () => {
  it('schedules, rehearses (nothing sent, the outbox untouched) and reschedules in French, times as « 9 h » (the OQLF leaves out :00)', async () => {
    const server = await smtp();
    const dir = project();
    const scheduled = await aimqIn(
      [
        'release',
        'schedule',
        RELEASE,
        '--at',
        '2026-12-01 09:00',
        '--to',
        'lists/medias.csv',
        '--now',
        '2026-11-30T12:00:00-05:00',
      ],
      dir,
      envFor(server, FR),
    );
    expect(scheduled.status, scheduled.stderr).toBe(0);
    expect(scheduled.stderr.trim()).toBe(
      `Campagne 1${NBSP}: 2020-01-13-mission-aimq à lists/medias.csv, le 2026-12-01 9${NBSP}h (-05:00). "aimq dispatch" l’envoie à son heure.`,
    );

    const rehearsal = await aimqIn(
      ['dispatch', '--once', '--now', '2026-12-01T09:01:00-05:00'],
      dir,
      envFor(server, FR_LOCALE),
    );
    expect(rehearsal.status, rehearsal.stderr).toBe(0);
    const lines = rehearsal.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe(
      `Répétition à 2026-12-01 9${NBSP}h${NBSP}01 (-05:00)${NBSP}: rien n’est envoyé et la boîte d’envoi reste telle quelle (--send envoie pour vrai).`,
    );
    expect(rehearsal.stderr).toMatch(
      new RegExp(
        `Campagne 1 \\(2020-01-13-mission-aimq\\), prévue le 2026-12-01 9${NBSP}h \\(-05:00\\)${NBSP}: 4 courriels seraient envoyés \\([^)]*\\)${NBSP}; 0 déjà envoyé, 0 exclu, 0 ignoré\\.`,
      ),
    );
    for (const l of lines) expect(proseOf(l).replace(/\([^)]*\)/g, ''), l).not.toMatch(ENGLISH);
    expect(server.messages).toHaveLength(0);
    expect(server.rcptSeen).toEqual([]);

    const list = await aimqIn(['outbox', 'list'], dir, FR);
    expect(list.stdout).toMatch(
      /^\s*1\s+2020-01-13-mission-aimq\s+scheduled\s+2026-12-01 9\u00a0h \(-05:00\)\s+0\s/m,
    );

    const moved = await aimqIn(
      ['outbox', 'reschedule', '1', '--at', '2026-12-02 14:30', '--now', '2026-11-30T12:00:00-05:00'],
      dir,
      FR,
    );
    expect(moved.status, moved.stderr).toBe(0);
    expect(moved.stdout.trim()).toBe(
      `Campagne 1 replanifiée pour le 2026-12-02 14${NBSP}h${NBSP}30 (-05:00).`,
    );

    const badInterval = await aimqIn(['dispatch', '--watch', '--interval', '0s'], dir, FR);
    expect(badInterval.status).toBe(2);
    const b = frenchProblem(badInterval.stderr, 'AIMQ-USAGE');
    expect(b.error).toContain(`--interval${NBSP}: "0s" n’est pas une durée d’une seconde ou plus`);
    expect(b.hint).toContain('par exemple --interval 30s ou 5m');
  });
});
