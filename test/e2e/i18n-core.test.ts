import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleProject } from '../helpers/cli.js';
import { aimqIn } from '../helpers/cli-in.js';
import { editLines, SAMPLE_DIR, SAMPLE_EN, SAMPLE_FR, writeFiles } from '../helpers/project.js';

/**
 * What the loader, the validators, the YAML reader, the typography check, the list reader
 * and the clock say, printed in French when the user's language is French (AIMQ_LANG, or
 * LANG when AIMQ_LANG is empty), and in English otherwise: same codes, same exit codes.
 */

const FRENCH = { AIMQ_LANG: 'fr' };
const FRENCH_LOCALE = { AIMQ_LANG: '', LC_ALL: '', LC_MESSAGES: '', LANG: 'fr_CA.UTF-8' };
const NBSP = '\u00a0';

/** The sample project with fr.md's `date:` line removed and a YAML alias in its subtitle. */
function brokenRelease(): string {
  const dir = sampleProject();
  editLines(dir, SAMPLE_FR, (lines) => {
    const date = lines.findIndex((l) => l.startsWith('date:'));
    lines.splice(date, 1);
  });
  return dir;
}

describe('release check in French', () => {
  it('prints a broken front matter’s error, message and hint in French, with OQLF spacing', async () => {
    const dir = brokenRelease();
    editLines(dir, SAMPLE_FR, (lines) => {
      const i = lines.findIndex((l) => l.startsWith('subtitle:'));
      lines[i] = 'subtitle: *Nouveau* programme';
    });
    const r = await aimqIn(['release', 'check'], dir, FRENCH);
    expect(r.status).toBe(1);
    const out = r.stdout + r.stderr;
    expect(out).toMatch(new RegExp(`${SAMPLE_FR}:3:\\d+ erreur${NBSP}: [^\\n]+ \\[AIMQ-YAML\\]`));
    expect(out).toContain(`conseil${NBSP}: mettez entre guillemets une valeur qui commence par * ou &`);
    expect(out).toContain('ce qu’aimq n’accepte pas');
    expect(out).not.toMatch(/\berror:|\bhint:|aimq does not accept/);
    expect(r.stderr).toContain(`1 communiqué vérifié${NBSP}: 1 erreur, 1 avertissement`);
  });

  it('gives the same French with LANG=fr_CA.UTF-8 and AIMQ_LANG empty, and English without them', async () => {
    const dir = sampleProject();
    writeFiles(dir, { [`${SAMPLE_DIR}/de.md`]: '---\ntitle: Hallo\n---\nText.\n' });
    editLines(dir, SAMPLE_EN, (lines) => {
      lines.push('', 'Registration is at 9h30 for the 2nd meeting.');
    });
    const fr = await aimqIn(['release', 'check'], dir, FRENCH_LOCALE);
    const fr2 = await aimqIn(['release', 'check'], dir, FRENCH);
    expect(fr.stdout + fr.stderr).toBe(fr2.stdout + fr2.stderr);
    const out = fr.stdout + fr.stderr;
    expect(out).toContain(
      `${SAMPLE_DIR}/de.md:1:1 avertissement${NBSP}: "de.md" n’est pas une édition${NBSP}: les langues configurées sont fr, en [AIMQ-LANGUAGE-UNKNOWN]`,
    );
    expect(out).toContain('ou ajoutez sa langue à "languages" dans la configuration');

    const en = await aimqIn(['release', 'check'], dir);
    expect(en.status).toBe(fr.status);
    expect(en.stdout + en.stderr).toContain(
      `${SAMPLE_DIR}/de.md:1:1 warning: "de.md" is not an edition: the configured languages are fr, en [AIMQ-LANGUAGE-UNKNOWN]`,
    );
    expect(en.stdout + en.stderr).not.toContain('n’est pas');
  });

  it('a missing required field, a missing image and raw HTML: French messages and hints', async () => {
    const dir = sampleProject();
    editLines(dir, SAMPLE_FR, (lines) => {
      const i = lines.findIndex((l) => l.startsWith('place:'));
      lines.splice(i, 1);
      lines.push('', '![Le conseil](conseil.jpg)', '', '<div>brut</div>', '');
    });
    const r = await aimqIn(['release', 'check', '--format', 'json'], dir, FRENCH);
    expect(r.status).toBe(1);
    const diags = JSON.parse(r.stdout) as { code: string; message: string; hint: string | null }[];
    const byCode = (code: string) => diags.find((d) => d.code === code);
    // Codes and keys do not change with the language.
    expect(Object.keys(byCode('AIMQ-IMAGE-MISSING')!).sort()).toEqual(
      ['code', 'column', 'file', 'hint', 'line', 'message', 'severity'].sort(),
    );
    expect(byCode('AIMQ-IMAGE-MISSING')).toMatchObject({
      message: `l’image "conseil.jpg" n’existe pas dans ${SAMPLE_DIR.split('/')[1]}/`,
      hint: 'vérifiez le nom du fichier (majuscules et minuscules comptent) ou copiez l’image dans le dossier du communiqué',
    });
    expect(byCode('AIMQ-RAW-HTML')).toMatchObject({
      message: 'le HTML brut n’est pas permis dans un communiqué et il est retiré de chaque sortie',
      hint: `écrivez plutôt en markdown${NBSP}: **gras**, [lien](https://…), ![texte de remplacement](photo.jpg)`,
    });
    expect(byCode('AIMQ-FIELD-MISSING')?.hint).toBe('ajoutez `place: <la ville de la ligne de date>`');
  });

  it('French typography and translation facts are reported in French', async () => {
    const dir = sampleProject();
    editLines(dir, SAMPLE_FR, (lines) => {
      lines.push('', 'Accueil à 9h30 pour la 2ème rencontre, avec 1 250 membres.', '');
    });
    const r = await aimqIn(['release', 'check'], dir, FRENCH);
    const out = r.stdout + r.stderr;
    expect(out).toContain(
      `avertissement${NBSP}: l’heure "9h30" n’est pas écrite selon l’OQLF [AIMQ-TYPO-TIME]`,
    );
    expect(out).toContain(`conseil${NBSP}: écrivez "9 h 30"`);
    expect(out).toContain(`l’ordinal "2ème" n’est pas abrégé selon l’OQLF [AIMQ-TYPO-ORDINAL]`);
    expect(out).toMatch(
      /nombre "1 250" \(1250\) figure dans releases\/.*\/fr\.md, mais pas dans releases\/.*\/en\.md/,
    );
    expect(out).toContain('vérifiez la traduction, ou écrivez la même donnée dans les deux éditions');
  });

  it('names a release folder that does not exist in French, exit code 2 as in English', async () => {
    const dir = sampleProject();
    const fr = await aimqIn(['release', 'check', 'releases/nope'], dir, FRENCH);
    const en = await aimqIn(['release', 'check', 'releases/nope'], dir);
    expect(fr.status).toBe(2);
    expect(en.status).toBe(2);
    expect(fr.stderr).toContain(
      `erreur${NBSP}: dossier de communiqué introuvable${NBSP}: releases/nope [AIMQ-RELEASE-NOT-FOUND]`,
    );
    expect(fr.stderr).toContain(`conseil${NBSP}: pour les voir${NBSP}: ls releases/`);
    expect(en.stderr).toContain('error: release folder not found: releases/nope [AIMQ-RELEASE-NOT-FOUND]');
  });
});

describe('other commands in French', () => {
  it('release build --now with a value that is not a date: a French usage error', async () => {
    const dir = sampleProject();
    const r = await aimqIn(['release', 'build', '--now', 'demain'], dir, FRENCH);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      `--now${NBSP}: "demain" n’est pas une date ou une date-heure ISO [AIMQ-USAGE]`,
    );
    expect(r.stderr).toContain(`conseil${NBSP}: par exemple 2026-12-01T10:00:00-05:00`);
  });

  it('lists check: an unknown column and a Windows-1252 file in French', async () => {
    const dir = sampleProject();
    const file = join(dir, 'lists', 'medias.csv');
    writeFiles(dir, { 'lists/medias.csv': '' });
    writeFileSync(file, Buffer.from('courriel,langage\nh\xe9l\xe8ne@radio.example,fr\n', 'latin1'));
    const r = await aimqIn(['lists', 'check', 'lists/medias.csv'], dir, FRENCH);
    const out = r.stdout + r.stderr;
    expect(out).toContain(
      `avertissement${NBSP}: colonne inconnue "langage"${NBSP}: ignorée [AIMQ-LIST-COLUMN]`,
    );
    expect(out).toContain(`conseil${NBSP}: vouliez-vous dire "language"${NBSP}?`);
    expect(out).toContain(
      `lists/medias.csv:2:1 note: UTF-8 non valide (à partir de la ligne 2)${NBSP}: lu en Windows-1252, comme Excel enregistre les fichiers CSV sous Windows`,
    );
    expect(out).not.toContain('[object Object]');
  });
});
