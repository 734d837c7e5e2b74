import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aimq, sampleProject, tempDir } from '../helpers/cli.js';
import { aimqIn } from '../helpers/cli-in.js';
import { SAMPLE_DIR } from '../helpers/project.js';

/**
 * The CLI's own words — help, `aimq codes`, commander's errors, what release build and
 * release export print — in French under a French locale, and unchanged in English.
 */

const FRENCH = { AIMQ_LANG: 'fr' };
const FRENCH_LOCALE = { AIMQ_LANG: '', LC_ALL: '', LC_MESSAGES: '', LANG: 'fr_CA.UTF-8' };
const ENGLISH_LOCALE = { AIMQ_LANG: '', LC_ALL: '', LC_MESSAGES: '', LANG: 'C.UTF-8' };
const NBSP = '\u00a0';

/** A help's entries (`term → description`), continuation lines joined, from every section. */
function helpEntries(help: string): Map<string, string> {
  const entries = new Map<string, string>();
  let last: string | undefined;
  for (const line of help.split('\n')) {
    const entry = /^ {2}(\S.*?) {2,}(\S.*)$/.exec(line);
    if (entry) {
      last = entry[1]!.trim();
      entries.set(last, entry[2]!);
    } else if (last && /^ {10,}\S/.test(line)) entries.set(last, `${entries.get(last)} ${line.trim()}`);
    else last = undefined;
  }
  return entries;
}

/** The subcommands a help lists under its commands heading, `help` left out. */
function subcommands(help: string): string[] {
  const start = help.search(/^(Commands:|Commandes\u00a0:)$/m);
  if (start < 0) return [];
  return help
    .slice(start)
    .split('\n')
    .slice(1)
    .map((l) => /^ {2}(\S+)/.exec(l)?.[1])
    .filter((c): c is string => c !== undefined && c !== 'help');
}

describe('aimq --help', () => {
  it('is French under LANG=fr_CA.UTF-8 (spawned, AIMQ_LANG empty), English under C', () => {
    const dir = tempDir();
    const fr = aimq(['--help'], dir, FRENCH_LOCALE);
    expect(fr.status).toBe(0);
    expect(fr.stdout).toMatch(new RegExp(`^Utilisation${NBSP}: aimq \\[options\\] \\[commande\\]\n`));
    expect(fr.stdout).toContain(`Commandes${NBSP}:`);
    expect(fr.stdout).toContain(`Communiqués bilingues${NBSP}: salle de presse`);
    expect(fr.stdout).not.toMatch(/Usage:|Commands:|display help|work with releases/);

    const en = aimq(['--help'], dir, ENGLISH_LOCALE);
    expect(en.status).toBe(0);
    expect(en.stdout).toMatch(/^Usage: aimq /);
    expect(en.stdout.replace(/\s+/g, ' ')).toContain(
      'Bilingual press releases: a newsroom, e-mail editions and sending, from markdown.',
    );
    expect(en.stdout).toContain('work with releases');
    expect(en.stdout).not.toMatch(/Utilisation|communiqué/);

    // The same commands in both, every description different.
    const frEntries = helpEntries(fr.stdout);
    const enEntries = helpEntries(en.stdout);
    expect([...frEntries.keys()]).toEqual([...enEntries.keys()]);
    for (const [term, english] of enEntries) expect(frEntries.get(term), term).not.toBe(english);
  });

  it('describes every command, argument and option in French, and in English as before', async () => {
    const dir = tempDir();
    const seen: string[] = [];
    const walk = async (path: string[]): Promise<void> => {
      const fr = await aimqIn([...path, '--help'], dir, FRENCH);
      const en = await aimqIn([...path, '--help'], dir);
      expect(fr.status).toBe(0);
      expect(en.status).toBe(0);
      seen.push(path.join(' '));
      const frEntries = helpEntries(fr.stdout);
      const enEntries = helpEntries(en.stdout);
      expect([...frEntries.keys()], path.join(' ')).toEqual([...enEntries.keys()]);
      for (const [term, english] of enEntries) {
        const french = frEntries.get(term)!;
        expect(french, `${path.join(' ')} ${term}`).not.toBe(english);
        expect(french, `${path.join(' ')} ${term}`).not.toMatch(/\b(the|with|default|choices|and|or)\b/);
        // OQLF: never an ordinary space or none before a colon or a semicolon.
        expect(
          french.replace(/`[^`]*`|\d:\d|\w+:\/\/|[\w.-]+:[\w.]/g, ''),
          `${path.join(' ')} ${term}`,
        ).not.toMatch(/[^\u00a0][:;](?=\s|$)/);
      }
      const description = fr.stdout.split('\n\n')[1]!;
      expect(en.stdout).not.toContain(description.trim());
      for (const sub of subcommands(en.stdout)) await walk([...path, sub]);
    };
    await walk([]);
    // Every command was reached, the nested ones too.
    expect(seen).toEqual(
      expect.arrayContaining([
        'release send',
        'release build',
        'outbox migrate-to',
        'lists suppression import',
        'unsubscribe serve',
        'codes',
      ]),
    );
    expect(seen.length).toBeGreaterThanOrEqual(30);
  });

  it('release send --help: French headings, descriptions, choices and defaults', async () => {
    const dir = tempDir();
    const fr = await aimqIn(['release', 'send', '--help'], dir, FRENCH_LOCALE);
    expect(fr.stdout).toMatch(
      new RegExp(`^Utilisation${NBSP}: aimq release send \\[options\\] <release-dir>`),
    );
    expect(fr.stdout).toContain(`Arguments${NBSP}:`);
    expect(fr.stdout).toContain(`Options${NBSP}:`);
    expect(fr.stdout).toContain('boîte d’envoi (jamais deux fois)');
    expect(fr.stdout).toMatch(
      new RegExp(`choix${NBSP}:\\s+auto, fr, en, bilingual${NBSP};\\s+par défaut${NBSP}: auto`),
    );
    expect(fr.stdout).toContain(`connexions SMTP simultanées (par défaut${NBSP}: 3)`);
    const en = await aimqIn(['release', 'send', '--help'], dir);
    expect(en.stdout).toMatch(/^Usage: aimq release send \[options\] <release-dir>/);
    expect(en.stdout).toContain('SMTP connections at once (default: 3)');
    expect(en.stdout).toMatch(/choices: auto, fr, en,\s+bilingual; default: auto/);
  });
});

describe('aimq codes', () => {
  it('explains every code in French, the same codes in the same order as in English', async () => {
    const dir = tempDir();
    const fr = await aimqIn(['codes'], dir, FRENCH);
    const en = await aimqIn(['codes'], dir);
    expect(fr.status).toBe(0);
    const lines = (s: string) => s.trimEnd().split('\n');
    const code = (l: string) => l.split(' ')[0];
    expect(lines(fr.stdout).map(code)).toEqual(lines(en.stdout).map(code));
    expect(lines(en.stdout).length).toBeGreaterThan(70);
    const enByCode = new Map(lines(en.stdout).map((l) => [code(l), l]));
    for (const l of lines(fr.stdout)) expect(l).not.toBe(enByCode.get(code(l)));
    expect(fr.stdout).toMatch(/^AIMQ-USAGE\s+La ligne de commande n’est pas valide\.$/m);
    expect(fr.stdout).toMatch(/^AIMQ-EMAIL\s+Une adresse courriel n’est pas valide\.$/m);
    expect(fr.stdout).toContain(`102${NBSP}Ko de HTML${NBSP}: Gmail la tronque.`);
    expect(en.stdout).toMatch(/^AIMQ-USAGE\s+The command line is not valid\.$/m);
    expect(en.stdout).toMatch(
      /^AIMQ-EMAIL-SIZE\s+An e-mail edition is over 102 KB of HTML: Gmail clips it\.$/m,
    );
  });
});

describe('commander’s errors', () => {
  it('an unknown option: French with « Vouliez-vous dire », exit 2; English unchanged', () => {
    const dir = tempDir();
    const fr = aimq(['release', 'check', '--fromat', 'json'], dir, FRENCH_LOCALE);
    expect(fr.status).toBe(2);
    expect(fr.stderr).toContain(`erreur${NBSP}: option inconnue «${NBSP}--fromat${NBSP}»`);
    expect(fr.stderr).toContain(`(Vouliez-vous dire --format${NBSP}?)`);
    const en = aimq(['release', 'check', '--fromat', 'json'], dir, ENGLISH_LOCALE);
    expect(en.status).toBe(2);
    expect(en.stderr).toContain("error: unknown option '--fromat'");
    expect(en.stderr).toContain('(Did you mean --format?)');
  });
});

describe('release build and release export in French', () => {
  it('release build says what it built in French, with French plurals and spacing', async () => {
    const dir = sampleProject();
    const fr = await aimqIn(['release', 'build', '--out', 'public'], dir, FRENCH);
    expect(fr.status).toBe(0);
    expect(fr.stderr).toMatch(
      new RegExp(
        `\\d+ pages construites à partir de 1 communiqué dans public/${NBSP}: [\\d${NBSP}]+ fichiers écrits, 0 inchangé\\.`,
      ),
    );
    const again = await aimqIn(['release', 'build', '--out', 'public'], dir, FRENCH);
    expect(again.stderr).toMatch(new RegExp(`${NBSP}: 0 fichier écrit, [\\d${NBSP}]+ inchangés\\.`));
    const en = await aimqIn(['release', 'build', '--out', 'public'], dir);
    expect(en.stderr).toMatch(
      /Built \d+ page\(s\) from 1 release\(s\) into public\/: 0 file\(s\) written, \d+ unchanged\./,
    );
  });

  it('a usage error of release build: French message and hint, code and exit code unchanged', async () => {
    const dir = sampleProject();
    const fr = await aimqIn(['release', 'build', '--changed-since', 'HEAD'], dir, FRENCH_LOCALE);
    expect(fr.status).toBe(2);
    expect(fr.stderr).toContain(
      `erreur${NBSP}: --changed-since ne fait que choisir ce que montre l’aperçu [AIMQ-USAGE]`,
    );
    expect(fr.stderr).toContain(
      `conseil${NBSP}: ajoutez --preview${NBSP}: aimq release build --preview --changed-since HEAD`,
    );
    const pages = await aimqIn(['release', 'build', '--preview'], dir, {
      ...FRENCH,
      AIMQ_PREVIEW_PAGES: '99',
    });
    expect(pages.status).toBe(2);
    expect(pages.stderr).toContain(
      `AIMQ_PREVIEW_PAGES vaut 99${NBSP}: ce doit être un nombre entier de 1 à 16`,
    );
    const en = await aimqIn(['release', 'build', '--changed-since', 'HEAD'], dir);
    expect(en.status).toBe(2);
    expect(en.stderr).toContain('error: --changed-since only chooses what the preview shows [AIMQ-USAGE]');
    expect(en.stderr).toContain('hint: add --preview: aimq release build --preview --changed-since HEAD');
  });

  it('release export to a path it cannot write: French error naming the file, exit 2', async () => {
    const dir = sampleProject();
    writeFileSync(join(dir, 'blocker'), 'a file, not a folder\n');
    mkdirSync(join(dir, 'out'));
    const fr = await aimqIn(
      ['release', 'export', SAMPLE_DIR, '--format', 'txt', '--out', 'blocker/x.txt'],
      dir,
      FRENCH,
    );
    expect(fr.status).toBe(2);
    expect(fr.stderr).toMatch(
      new RegExp(
        `^blocker/x\\.txt erreur${NBSP}: impossible d’écrire blocker/x\\.txt \\(E\\w+\\) \\[AIMQ-OUTPUT-UNWRITABLE\\]`,
      ),
    );
    expect(fr.stderr).toContain(`conseil${NBSP}: choisissez un autre --out`);
    const en = await aimqIn(
      ['release', 'export', SAMPLE_DIR, '--format', 'txt', '--out', 'blocker/x.txt'],
      dir,
    );
    expect(en.stderr).toMatch(
      /^blocker\/x\.txt error: cannot write blocker\/x\.txt \(E\w+\) \[AIMQ-OUTPUT-UNWRITABLE\]/,
    );
    expect(en.stderr).toContain('hint: choose another --out');
  });
});
