import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleProject } from '../helpers/cli.js';
import { aimqIn } from '../helpers/cli-in.js';
import { lineOf, readText, SAMPLE_EN, SAMPLE_FR } from '../helpers/project.js';
import type { JsonDiagnostic as Diag } from '../helpers/diagnostic.js';

// A translation that gives an inherited field the primary edition lacks (a phone number
// added to en.md only) was told the primary had "null" there, and to remove the field from
// the translation: following the hint lost the phone number.
describe('an inherited field that only the translation gives', () => {
  it.each([
    [
      'en',
      '"contacts[1].phone" is "+1 514 555-0100" here but releases/2020-01-13-mission-aimq/fr.md has none',
      'write "contacts[1].phone" in releases/2020-01-13-mission-aimq/fr.md, the primary edition, and remove it from releases/2020-01-13-mission-aimq/en.md: a translation inherits it',
    ],
    [
      'fr',
      '"contacts[1].phone" vaut "+1 514 555-0100" ici, mais releases/2020-01-13-mission-aimq/fr.md n’en a pas',
      'écrivez "contacts[1].phone" dans releases/2020-01-13-mission-aimq/fr.md, l’édition principale, et retirez-le de releases/2020-01-13-mission-aimq/en.md\u00a0: une traduction en hérite',
    ],
  ])('says the primary edition has none and to write it there (%s)', async (lang, message, hint) => {
    const dir = sampleProject();
    writeFileSync(
      join(dir, SAMPLE_EN),
      readText(dir, SAMPLE_EN).replace(
        '  - role: communications adviser',
        '  - role: communications adviser\n    phone: "+1 514 555-0100"',
      ),
    );
    const r = await aimqIn(['release', 'check', '--format', 'json'], dir, { AIMQ_LANG: lang });
    expect(r.status).toBe(1);
    const d = (JSON.parse(r.stdout) as Diag[]).filter((x) => x.code === 'AIMQ-TRANSLATION-MISMATCH');
    expect(d).toHaveLength(1);
    expect(d[0]!.file).toBe(SAMPLE_EN);
    expect(d[0]!.line).toBe(lineOf(dir, SAMPLE_EN, 'phone:'));
    expect(d[0]!.message).toBe(message);
    expect(d[0]!.hint).toBe(hint);
  });

  it('a value that differs still names the primary edition’s value and line', async () => {
    const dir = sampleProject();
    writeFileSync(
      join(dir, SAMPLE_EN),
      readText(dir, SAMPLE_EN).replace('place: Montreal', 'place: Montreal\ndate: 2020-01-14'),
    );
    const r = await aimqIn(['release', 'check', '--format', 'json'], dir);
    const d = (JSON.parse(r.stdout) as Diag[]).find((x) => x.code === 'AIMQ-TRANSLATION-MISMATCH')!;
    expect(d.message).toBe(
      `"date" is "2020-01-14" here but "2020-01-13" in ${SAMPLE_FR}:${lineOf(dir, SAMPLE_FR, 'date:')}`,
    );
  });

  // A translator who copied the embargo in UTC wrote the same instant: it was an error.
  it('the same instant written with another offset is the same value', async () => {
    const dir = sampleProject();
    writeFileSync(
      join(dir, SAMPLE_FR),
      readText(dir, SAMPLE_FR).replace(/^date: .*$/m, 'date: 2020-01-13\nembargo: 2020-01-13T09:30:00-05:00'),
    );
    writeFileSync(
      join(dir, SAMPLE_EN),
      readText(dir, SAMPLE_EN).replace('place: Montreal', 'place: Montreal\nembargo: 2020-01-13T14:30:00Z'),
    );
    const r = await aimqIn(['release', 'check', '--format', 'json'], dir);
    expect((JSON.parse(r.stdout) as Diag[]).filter((x) => x.code === 'AIMQ-TRANSLATION-MISMATCH')).toEqual(
      [],
    );
    writeFileSync(join(dir, SAMPLE_EN), readText(dir, SAMPLE_EN).replace('T14:30:00Z', 'T15:30:00Z'));
    const other = await aimqIn(['release', 'check', '--format', 'json'], dir);
    expect(
      (JSON.parse(other.stdout) as Diag[]).filter((x) => x.code === 'AIMQ-TRANSLATION-MISMATCH'),
    ).toHaveLength(1);
  });
});
