import { renameSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleProject } from '../helpers/cli.js';
import { aimqIn } from '../helpers/cli-in.js';
import { SAMPLE_DIR } from '../helpers/project.js';
import type { JsonDiagnostic as Diag } from '../helpers/diagnostic.js';

async function folderDiag(name: string, lang = 'en'): Promise<Diag> {
  const dir = sampleProject();
  renameSync(join(dir, SAMPLE_DIR), join(dir, 'releases', name));
  const r = await aimqIn(['release', 'check', '--format', 'json'], dir, { AIMQ_LANG: lang });
  expect(r.status).toBe(1);
  return (JSON.parse(r.stdout) as Diag[]).find((d) => d.code === 'AIMQ-FOLDER-NAME')!;
}

// A folder named as people name folders (accents, capitals, spaces) got the generic example
// "2026-12-01-new-president": the user had to work out the valid name of their own folder.
describe('a release folder whose slug has accents, capitals or spaces', () => {
  it('the hint gives the folder’s own name made valid', async () => {
    const d = await folderDiag('2020-01-13-Été à l’école');
    expect(d.hint).toBe(
      'rename it 2020-01-13-ete-a-l-ecole (lower-case letters without accents, digits and hyphens)',
    );
    const fr = await folderDiag('2020-01-13-Mission_AIMQ', 'fr');
    expect(fr.hint).toBe(
      'renommez-le 2020-01-13-mission-aimq (lettres minuscules sans accents, chiffres et traits d’union)',
    );
  });

  it('a date that does not exist, or a slug with nothing to keep, gets the generic example', async () => {
    const d = await folderDiag('2020-02-30-mission');
    expect(d.hint).toBe('rename it, e.g. 2026-12-01-new-president (lower-case letters, digits and hyphens)');
    const emoji = await folderDiag('2020-01-13-🎉');
    expect(emoji.hint).toBe(
      'rename it, e.g. 2026-12-01-new-president (lower-case letters, digits and hyphens)',
    );
  });
});
