import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sendableProject } from '../helpers/cli.js';
import { aimqIn } from '../helpers/cli-in.js';

/**
 * The same person on two lists with two languages (fr on one, en on the other): only the
 * first line counts, and the send said nothing, while a duplicate inside one list is
 * reported. It is now a warning naming both lines. Lists that overlap and agree stay quiet.
 */

const RELEASE = 'releases/2020-01-13-mission-aimq';

function project(): string {
  const dir = sendableProject();
  mkdirSync(join(dir, 'lists'), { recursive: true });
  writeFileSync(
    join(dir, 'lists', 'medias.csv'),
    'courriel;langue\nfrancois@exemple.ca;fr\nanne@exemple.ca;en\n',
  );
  writeFileSync(
    join(dir, 'lists', 'regional.csv'),
    'email,language\nFrancois@Exemple.ca,en\nanne@exemple.ca,en\nnew@example.org,fr\n',
  );
  return dir;
}

describe('one person on two lists in two languages', () => {
  it('is sent once, in the first list’s language, with a warning naming both lines', async () => {
    const dir = project();
    const r = await aimqIn(
      ['release', 'send', RELEASE, '--to', 'medias', '--to', 'regional', '--dry-run', '--out', 'essai'],
      dir,
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      'lists/regional.csv:2:1 warning: "Francois@Exemple.ca" is already on lists/medias.csv:2, in fr, and here in en [AIMQ-LIST-DUPLICATE]',
    );
    expect(r.stderr).toContain('hint: only the first line counts: this person gets the fr edition');
    // Anne is on both in English: no warning for her.
    expect(r.stderr).not.toContain('anne@');
    expect(readdirSync(join(dir, 'essai')).sort()).toEqual([
      '000001-francois@exemple.ca.eml',
      '000002-anne@exemple.ca.eml',
      '000003-new@example.org.eml',
    ]);
  });

  it('says it in French', async () => {
    const r = await aimqIn(
      ['release', 'send', RELEASE, '--to', 'medias', '--to', 'regional', '--dry-run', '--out', 'essai'],
      project(),
      { AIMQ_LANG: 'fr' },
    );
    expect(r.stderr).toContain(
      'avertissement\u00a0: "Francois@Exemple.ca" figure déjà dans lists/medias.csv:2 (langue fr), et ici avec la langue en [AIMQ-LIST-DUPLICATE]',
    );
  });
});
