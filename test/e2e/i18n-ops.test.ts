import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { formatNumber, inLang } from '../../src/i18n/text.js';
import { findBrowser } from '../../src/preview/browser.js';
import { startPreviewServer } from '../../src/preview/server.js';
import { sampleProject, tempDir } from '../helpers/cli.js';
import { type RunningCli, startAimq } from '../helpers/cli-async.js';
import { aimqIn } from '../helpers/cli-in.js';
import { startSmtpServer } from '../helpers/smtp.js';
import { proseOf } from '../helpers/text.js';
import { nuCheck } from '../helpers/vnu.js';

/**
 * What the operations print (project set-up, export, DKIM, SMTP, scheduling, the outbox, the
 * output folder and the preview server with its own pages) in French when the user's
 * language is French: chosen by AIMQ_LANG, or by LANG when AIMQ_LANG is empty. The CLI runs
 * in process (aimqIn) where the process does not matter; the preview is the spawned
 * bin/aimq.js, asked over HTTP, its pages checked by the Nu checker.
 */

const FR = { AIMQ_LANG: 'fr' };
/** French from the locale alone, as a shell in Quebec has it. */
const FR_LOCALE = { AIMQ_LANG: '', LC_ALL: '', LC_MESSAGES: '', LANG: 'fr_CA.UTF-8' };
const NBSP = '\u00a0';
const ID = '2020-01-13-mission-aimq';
const RELEASE = `releases/${ID}`;
const ERROR = `erreur${NBSP}:`;
const HINT = `conseil${NBSP}:`;

/** English words that must not show through in a French message. */
const ENGLISH = /\b(error|hint|the|is not|cannot|check|choose|already|found)\b/;

/** stderr's lines: the `erreur :` line and the `conseil :` line under it. */
function problem(stderr: string): { error: string; hint: string | undefined } {
  const lines = stderr.trimEnd().split('\n');
  const error = lines.find((l) => l.includes(ERROR) || l.includes('error:'));
  const hint = lines.find((l) => l.trimStart().startsWith(HINT) || l.trimStart().startsWith('hint:'));
  if (!error) throw new Error(`no error line in:\n${stderr}`);
  return { error, hint };
}

function frenchProblem(r: { status: number; stderr: string }, code: string) {
  const p = problem(r.stderr);
  expect(p.error).toContain(ERROR);
  expect(p.error.endsWith(`[${code}]`), p.error).toBe(true);
  expect(p.hint, r.stderr).toBeDefined();
  expect(p.hint!.trimStart().startsWith(HINT), p.hint).toBe(true);
  expect(proseOf(p.error), p.error).not.toMatch(ENGLISH);
  expect(proseOf(p.hint!), p.hint).not.toMatch(ENGLISH);
  return p;
}

describe('aimq init and aimq release new, in French', () => {
  it('init: a folder that is not empty, with the hint to use --force, in French from AIMQ_LANG and from LANG', async () => {
    const cwd = tempDir('aimq-i18n-ops-');
    mkdirSync(join(cwd, 'occupé'));
    writeFileSync(join(cwd, 'occupé', 'notes.txt'), 'déjà là\n');
    for (const env of [FR, FR_LOCALE]) {
      const r = await aimqIn(['init', 'occupé'], cwd, env);
      expect(r.status).toBe(2);
      const p = frenchProblem(r, 'AIMQ-EXISTS');
      expect(p.error).toBe(`occupé ${ERROR} occupé n’est pas vide [AIMQ-EXISTS]`);
      expect(p.hint).toBe(
        `  ${HINT} ajoutez --force pour créer les fichiers du projet à côté de ce qui s’y trouve (rien n’est écrasé)`,
      );
    }
    // The same command in English still says what it said.
    const en = await aimqIn(['init', 'occupé'], cwd, { AIMQ_LANG: 'en' });
    expect(problem(en.stderr).error).toBe('occupé error: occupé is not empty [AIMQ-EXISTS]');
  });

  it('init: what to do next once the project is made, then that it already is one', async () => {
    const cwd = tempDir('aimq-i18n-ops-');
    const made = await aimqIn(['init', 'salle'], cwd, FR_LOCALE);
    expect(made.status, made.stderr).toBe(0);
    expect(made.stdout).toContain('salle/aimq.config.yaml');
    expect(made.stderr.trim()).toBe(
      `Projet aimq créé dans salle/. Ensuite${NBSP}: modifiez aimq.config.yaml, puis lancez «${NBSP}aimq release build -C salle${NBSP}».`,
    );
    const again = await aimqIn(['init', 'salle'], cwd, FR);
    expect(again.status).toBe(2);
    const p = frenchProblem(again, 'AIMQ-EXISTS');
    expect(p.error).toContain(
      `salle/aimq.config.yaml existe déjà${NBSP}: ce dossier est déjà un projet aimq`,
    );
    expect(p.hint).toContain('modifiez ce fichier, ou choisissez un autre dossier');
  });

  it('release new: a slug with capitals, a date that does not exist, a folder that exists', async () => {
    const dir = sampleProject();
    const slug = await aimqIn(['release', 'new', 'Nouveau_Président'], dir, FR);
    expect(slug.status).toBe(2);
    expect(frenchProblem(slug, 'AIMQ-USAGE').error).toContain(
      `«${NBSP}Nouveau_Président${NBSP}» n’est pas un nom court (slug) valide`,
    );

    const date = await aimqIn(
      ['release', 'new', 'nouveau-president', '--date', '2026-02-30'],
      dir,
      FR_LOCALE,
    );
    expect(date.status).toBe(2);
    const d = frenchProblem(date, 'AIMQ-USAGE');
    expect(d.error).toContain(
      `--date${NBSP}: «${NBSP}2026-02-30${NBSP}» n’est pas une date qui existe (AAAA-MM-JJ)`,
    );
    expect(d.hint).toContain('par exemple --date 2026-12-01');

    const exists = await aimqIn(['release', 'new', 'mission-aimq', '--date', '2020-01-13'], dir, FR);
    expect(exists.status).toBe(2);
    const e = frenchProblem(exists, 'AIMQ-EXISTS');
    expect(e.error).toContain(`${RELEASE} existe déjà`);
    expect(e.hint).toContain('choisissez un autre nom court ou une autre date');
  });
});

describe('export, DKIM, build output, e-mail templates, in French', () => {
  const exportArgs = (edition: string, format = 'html') => [
    'release',
    'export',
    RELEASE,
    '--format',
    format,
    '--edition',
    edition,
    '--now',
    '2026-11-28T12:00:00-05:00',
  ];

  it('an edition the release does not have, then the editions it has', async () => {
    const dir = sampleProject();
    const r = await aimqIn(exportArgs('de'), dir, FR);
    expect(r.status).toBe(2);
    const p = frenchProblem(r, 'AIMQ-EDITION');
    expect(p.error).toContain(`${RELEASE} n’a pas d’édition de`);
    expect(p.hint).toBe(`  ${HINT} ses éditions sont${NBSP}: fr, en, bilingual`);
  });

  it('no email: settings for an .eml; a DKIM key missing, then one too short to be trusted', async () => {
    const bare = sampleProject();
    const config = join(bare, 'aimq.config.yaml');
    writeFileSync(config, readFileSync(config, 'utf8').replace(/\nemail:\n[\s\S]*$/, '\n'));
    const noEmail = await aimqIn(exportArgs('fr', 'eml'), bare, FR);
    expect(noEmail.status).toBe(2);
    const e = frenchProblem(noEmail, 'AIMQ-EMAIL-CONFIG');
    expect(e.error).toContain(
      'aimq.config.yaml n’a pas de réglages `email:`, dont un courriel a besoin (expéditeur, désabonnement)',
    );

    const signed = sampleProject();
    const signedConfig = join(signed, 'aimq.config.yaml');
    writeFileSync(
      signedConfig,
      readFileSync(signedConfig, 'utf8').replace(
        '    mailto: communications@aimq.net',
        '    mailto: communications@aimq.net\n  dkim: { domainName: aimq.net, keySelector: test }',
      ),
    );
    const missing = await aimqIn(exportArgs('fr', 'eml'), signed, { ...FR, AIMQ_DKIM_PRIVATE_KEY: '' });
    expect(missing.status).toBe(2);
    expect(missing.stdout).toBe('');
    const m = frenchProblem(missing, 'AIMQ-DKIM-KEY');
    expect(m.error).toContain(
      'la variable d’environnement AIMQ_DKIM_PRIVATE_KEY ne contient pas de clé privée PEM',
    );
    expect(m.hint).toContain('retirez email.dkim pour envoyer sans signature');

    const short = generateKeyPairSync('rsa', { modulusLength: 512 }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    }) as string;
    const weak = await aimqIn(exportArgs('fr', 'eml'), signed, { ...FR, AIMQ_DKIM_PRIVATE_KEY: short });
    expect(weak.status).toBe(2);
    expect(weak.stdout).toBe('');
    const w = frenchProblem(weak, 'AIMQ-DKIM-KEY');
    expect(w.error).toContain(
      `la clé DKIM tirée de AIMQ_DKIM_PRIVATE_KEY est une clé RSA de 512${NBSP}bits${NBSP}: les destinataires ignorent les signatures des clés de moins de ${formatNumber(1024, 'fr')}${NBSP}bits`,
    );
    expect(w.hint).toContain('générez une clé de 2048 bits');
  });

  it('an e-mail template override that includes a partial nobody has', async () => {
    const dir = sampleProject();
    mkdirSync(join(dir, 'templates', 'email'), { recursive: true });
    writeFileSync(
      join(dir, 'templates', 'email', 'layout.mjml'),
      '<mjml>\n<mj-body>\n<mj-include path="absent.mjml" />\n</mj-body>\n</mjml>\n',
    );
    const r = await aimqIn(exportArgs('fr'), dir, FR);
    expect(r.status).toBe(2);
    const p = frenchProblem(r, 'AIMQ-TEMPLATE');
    expect(p.error).toContain('gabarit de courriel "absent.mjml" introuvable');
    expect(p.hint).toContain(`cherché dans ${join(dir, 'templates', 'email')}, `);
  });

  it('an output folder inside releases/', async () => {
    const dir = sampleProject();
    const r = await aimqIn(['release', 'build', '--out', 'releases/site'], dir, FR_LOCALE);
    expect(r.status).toBe(2);
    const p = frenchProblem(r, 'AIMQ-OUTPUT-INSIDE-INPUT');
    expect(p.error).toContain(
      'le dossier de sortie releases/site est dans releases/, que la construction lit',
    );
    expect(p.hint).toContain('choisissez un dossier de sortie hors de releases/, templates/ et lists/');
  });
});

describe('SMTP, scheduling and the outbox, in French', () => {
  const servers: { close(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const s of servers) await s.close();
  });

  it('smtp verify: ready and nothing sent; a value that is not a URL; a server that does not answer', async () => {
    const server = await startSmtpServer();
    servers.push(server);
    const dir = sampleProject();
    const ok = await aimqIn(['smtp', 'verify'], dir, {
      ...FR,
      AIMQ_SMTP_URL: `smtp://127.0.0.1:${server.port}`,
      AIMQ_SMTP_PASSWORD: '',
    });
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout.trim()).toBe(
      `Serveur SMTP 127.0.0.1:${server.port} (TLS s’il est offert)${NBSP}: prêt. Rien n’a été envoyé.`,
    );

    const notUrl = await aimqIn(['smtp', 'verify'], dir, { ...FR, AIMQ_SMTP_URL: 'pas une adresse' });
    expect(notUrl.status).toBe(2);
    const u = frenchProblem(notUrl, 'AIMQ-SMTP-CONFIG');
    expect(u.error).toContain('AIMQ_SMTP_URL n’est pas une URL');
    expect(u.hint).toContain('le mot de passe est mieux gardé dans AIMQ_SMTP_PASSWORD');

    const badPercent = await aimqIn(['smtp', 'verify'], dir, {
      ...FR,
      AIMQ_SMTP_URL: 'smtp://moi:a%zz@127.0.0.1:25',
    });
    expect(badPercent.status).toBe(2);
    expect(frenchProblem(badPercent, 'AIMQ-SMTP-CONFIG').error).toContain(
      `AIMQ_SMTP_URL${NBSP}: le mot de passe contient un % qui n’est pas suivi de deux chiffres hexadécimaux`,
    );

    // A port nobody listens on: taken from the system, then freed.
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const refused = await aimqIn(['smtp', 'verify'], dir, {
      ...FR_LOCALE,
      AIMQ_SMTP_URL: `smtp://127.0.0.1:${port}`,
      AIMQ_SMTP_TIMEOUT_MS: '2000',
    });
    expect(refused.status, refused.stderr).toBe(3);
    const r = problem(refused.stderr);
    expect(r.error).toContain(`${ERROR} serveur SMTP 127.0.0.1:${port} (d’après AIMQ_SMTP_URL)${NBSP}: `);
    expect(r.hint).toBe(`  ${HINT} vérifiez l’hôte, le port et le réseau`);
  });

  it('release schedule --at: a time that does not exist, one that happens twice, one already past', async () => {
    const dir = sampleProject();
    const at = (when: string) =>
      aimqIn(['release', 'schedule', RELEASE, '--at', when, '--now', '2026-01-15T12:00:00-05:00'], dir, FR);

    const gap = await at('2026-03-08 02:30');
    expect(gap.status).toBe(2);
    const g = frenchProblem(gap, 'AIMQ-SCHEDULE');
    expect(g.error).toContain(
      `--at${NBSP}: 2026-03-08 02:30 n’existe pas à l’heure de America/Toronto${NBSP}: les horloges sautent cette heure`,
    );
    expect(g.hint).toContain('choisissez une heure plus tard ou plus tôt');

    const twice = await at('2026-11-01 01:30');
    expect(twice.status).toBe(2);
    const t = frenchProblem(twice, 'AIMQ-SCHEDULE');
    expect(t.error).toContain('arrive deux fois à l’heure de America/Toronto');
    expect(t.hint).toContain(
      `donnez le décalage${NBSP}: 2026-11-01T01:30:00-04:00 (la première fois) ou 2026-11-01T01:30:00-05:00 (la seconde)`,
    );

    const past = await at('2025-12-01 09:00');
    expect(past.status).toBe(2);
    expect(frenchProblem(past, 'AIMQ-SCHEDULE').error).toContain(
      `--at${NBSP}: 2025-12-01T09:00:00-05:00 est déjà passé (il est 2026-01-15T12:00:00-05:00)`,
    );

    const nonsense = await at('mardi prochain');
    expect(frenchProblem(nonsense, 'AIMQ-SCHEDULE').error).toContain(
      `--at${NBSP}: «${NBSP}mardi prochain${NBSP}» n’est pas une date-heure`,
    );
  });

  it('a rate that is not a number; an outbox file that is not a database', async () => {
    const dir = sampleProject();
    const rate = await aimqIn(
      ['release', 'send', RELEASE, '--to', 'a@example.org', '--rate', 'vite'],
      dir,
      FR,
    );
    expect(rate.status).toBe(2);
    const r = frenchProblem(rate, 'AIMQ-USAGE');
    expect(r.error).toContain(`--rate${NBSP}: «${NBSP}vite${NBSP}» n’est pas un nombre positif`);
    expect(r.hint).toBe(`  ${HINT} par exemple --rate 10/s`);

    mkdirSync(join(dir, '.aimq'), { recursive: true });
    writeFileSync(
      join(dir, '.aimq', 'outbox.sqlite'),
      'ceci n’est pas une base SQLite, mais un texte assez long\n'.repeat(100),
    );
    const list = await aimqIn(['outbox', 'list'], dir, FR_LOCALE);
    expect(list.status).toBe(2);
    const o = problem(list.stderr);
    expect(o.error).toContain(`${ERROR} la boîte d’envoi .aimq/outbox.sqlite${NBSP}: `);
    expect(o.error).toMatch(/\[AIMQ-OUTBOX\]$/);
    expect(o.hint).toContain(`le fichier est endommagé${NBSP}: restaurez-le depuis une sauvegarde`);
  });
});

/** GETs a path of the preview: status and body. */
async function get(base: string, path: string): Promise<{ status: number; body: string }> {
  const res = await fetch(new URL(path, base));
  return { status: res.status, body: await res.text() };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The words of a page a reader sees: tags, scripts and styles left out. */
function visible(html: string): string {
  return (
    html
      .replace(/<(script|style)\b[\s\S]*?<\/\1>/g, ' ')
      .replace(/<[^>]+>/g, ' ')
      // Ordinary white space only: the no-break spaces are part of what is checked.
      .replace(/[ \t\r\n]+/g, ' ')
  );
}

describe('aimq release preview in French (LANG=fr_CA.UTF-8)', () => {
  let cli: RunningCli | undefined;
  afterAll(() => {
    if (cli && cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGKILL');
  });

  it('logs, the index, a toolbar, the not-found and the error pages speak French only, and are valid HTML', async () => {
    const dir = sampleProject();
    cli = startAimq(['release', 'preview', '--port', '0'], dir, FR_LOCALE);
    const base = await until('the URL', async () => /^(http:\/\/\S+)\n/.exec(cli!.stdout())?.[1]);
    await until('the first build line', async () => (cli!.stderr().includes('Ctrl-C') ? true : undefined));
    const log = cli.stderr();
    expect(log).toMatch(
      new RegExp(
        `^Construction de \\.aimq/preview/ en \\d+${NBSP}ms${NBSP}: \\d+ fichiers écrits, \\d+ inchangés?${NBSP}; 1 communiqué\\.$`,
        'm',
      ),
    );
    expect(log).toContain(
      `Aperçu de tous les communiqués${NBSP}: ${base} (la barre d’outils${NBSP}: ${base}_preview/)`,
    );
    expect(log).toContain('Ctrl-C pour arrêter.');
    expect(log).not.toMatch(/Built|Watching|Preview of/);

    const index = await get(base, '/_preview/');
    expect(index.status).toBe(200);
    expect(index.body).toMatch(/^<!DOCTYPE html>\s*<html lang="fr">/);
    expect(visible(index.body)).toContain('Aperçu des communiqués');
    expect(visible(index.body)).not.toMatch(/Release preview|Newsroom|Web pages|Warnings/);

    const toolbar = await get(base, `/_preview/${ID}/?show=email&edition=bilingual`);
    expect(toolbar.status).toBe(200);
    expect(toolbar.body).toMatch(/^<!DOCTYPE html>\s*<html lang="fr">/);
    const words = visible(toolbar.body);
    for (const w of [
      'Page web',
      'Courriel',
      'Largeur',
      'pleine largeur',
      'Thème',
      'sombre',
      'texte brut',
      'Ouvrir seul',
    ])
      expect(words).toContain(w);
    expect(words).not.toMatch(
      /Web page|E-mail|Width|full width|Theme|dark|plain text|Open alone|\bbilingual\b/,
    );
    expect(toolbar.body).toContain(`title="Aperçu${NBSP}: courriel bilingue, 600 px"`);

    const missing = await get(base, '/nulle-part/');
    expect(missing.status).toBe(404);
    expect(visible(missing.body)).toContain('Introuvable');
    expect(visible(missing.body)).not.toContain('Not found');

    // A front matter broken by an unquoted colon: every page shows the problem, in French.
    const frMd = join(dir, RELEASE, 'fr.md');
    const fixed = readFileSync(frMd, 'utf8');
    writeFileSync(frMd, fixed.replace('\nplace: Montréal\n', '\nplace: Montréal: centre-ville\n'));
    const broken = await until('the error page', async () => {
      const p = await get(base, `/fr/${ID}/`);
      return p.status === 500 ? p : undefined;
    });
    expect(broken.body).toMatch(/^<!DOCTYPE html>\s*<html lang="fr">/);
    const errorWords = visible(broken.body);
    expect(errorWords).toContain('La construction a échoué');
    expect(errorWords).toContain(`Corrigez les fichiers${NBSP}: cette page se recharge d’elle-même.`);
    expect(broken.body).toContain('<h2>1 erreur</h2>');
    expect(broken.body).toContain(`<span class="hint">conseil${NBSP}: `);
    expect(broken.body).toContain(`releases/${ID}/fr.md:5:8`);
    expect(errorWords).not.toMatch(/The build failed|Fix the files|error\(s\)|erreur\(s\)|\bhint\b/);
    const failed = await until(
      'the failed build in the log',
      async () => /^La construction a échoué après une modification de .*$/m.exec(cli!.stderr())?.[0],
    );
    expect(failed).toContain(`releases/${ID}/fr.md`);
    expect(failed).toMatch(new RegExp(`en \\d+${NBSP}ms${NBSP}; l’aperçu montre les problèmes`));
    expect(cli.stderr()).toContain(`releases/${ID}/fr.md:5:8 ${ERROR} `);

    const pages = tempDir('aimq-i18n-ops-pages-');
    const files = Object.entries({ index, toolbar, missing, broken }).map(([name, p]) => {
      const file = join(pages, `${name}.html`);
      writeFileSync(file, p.body);
      return file;
    });
    const htmlErrors = nuCheck(files).filter((m) => m.type === 'error');
    expect(htmlErrors).toEqual([]);

    writeFileSync(frMd, fixed);
    await until('the page again', async () =>
      (await get(base, `/fr/${ID}/`)).status === 200 ? true : undefined,
    );
    cli.child.kill('SIGTERM');
    expect((await cli.done).status).toBe(0);
  });

  it('--port that is not a number', async () => {
    const r = await aimqIn(['release', 'preview', '--port', 'quatre'], sampleProject(), FR);
    expect(r.status).toBe(2);
    const p = frenchProblem(r, 'AIMQ-USAGE');
    expect(p.error).toContain(`--port${NBSP}: «${NBSP}quatre${NBSP}» n’est pas un numéro de port`);
    expect(p.hint).toContain('par exemple --port 4000 (0 en choisit un libre)');
  });

  it('in English, the same pages have no French words of their own, and the log gives both languages', async () => {
    const dir = sampleProject();
    const logs: string[] = [];
    let frLog = '';
    const server = await startPreviewServer({
      config: loadConfig(dir, dir),
      cwd: dir,
      releases: [],
      port: 0,
      host: '127.0.0.1',
      lang: 'en',
      log: (line) => {
        logs.push(inLang(line, 'en'));
        frLog += `${inLang(line, 'fr')}\n`;
      },
    });
    try {
      expect(logs[0]).toMatch(
        /^Built \.aimq\/preview\/ in \d+ ms: \d+ files written, \d+ unchanged; 1 release\.$/,
      );
      expect(frLog).toMatch(/^Construction de \.aimq\/preview\//);
      const index = await get(server.url, '/_preview/');
      expect(index.body).toMatch(/^<!DOCTYPE html>\s*<html lang="en">/);
      expect(visible(index.body)).toContain('Release preview');
      expect(visible(index.body)).not.toMatch(/Aperçu|Salle de presse|Courriels|Avertissements/);
      const frMd = join(dir, RELEASE, 'fr.md');
      writeFileSync(
        frMd,
        readFileSync(frMd, 'utf8').replace('\nplace: Montréal\n', '\nplace: Montréal: centre-ville\n'),
      );
      const broken = await until('the error page', async () => {
        const p = await get(server.url, `/fr/${ID}/`);
        return p.status === 500 ? p : undefined;
      });
      expect(broken.body).toContain('<h2>1 error</h2>');
      expect(broken.body).toContain('<span class="hint">hint: ');
      expect(visible(broken.body)).not.toMatch(/La construction|Corrigez|erreur|conseil/);
    } finally {
      await server.close();
    }
  });
});

describe('a browser that cannot be found, said in both languages', () => {
  it('AIMQ_CHROME naming nothing executable: English as before, and French', () => {
    const lookup = findBrowser({ AIMQ_CHROME: '/nulle-part/chromium', PATH: '' });
    expect('missing' in lookup).toBe(true);
    if (!('missing' in lookup)) return;
    expect(lookup.missing).toBe('AIMQ_CHROME names /nulle-part/chromium, which is not an executable file');
    expect(lookup.why.en).toBe(lookup.missing);
    expect(lookup.why.fr).toBe(
      'AIMQ_CHROME désigne /nulle-part/chromium, qui n’est pas un fichier exécutable',
    );
  });
});
