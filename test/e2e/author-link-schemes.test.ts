import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleProject } from '../helpers/cli.js';
import { aimqIn } from '../helpers/cli-in.js';
import { lineOf, readText, SAMPLE_DIR, SAMPLE_FR, tagsOf } from '../helpers/project.js';
import type { JsonDiagnostic as Diag } from '../helpers/diagnostic.js';

describe('links by their scheme', () => {
  // "[514 555-0100](tel:+15145550100)" is how a release links a number to call, as its
  // contact blocks do: the sanitizer's list (GitHub's) lacked tel:, and the link lost its
  // address on the page and in the e-mail, without a word.
  it('a tel: link in the body keeps its address, on the page and in the e-mail', async () => {
    const dir = sampleProject();
    appendFileSync(join(dir, SAMPLE_FR), '\nAppelez le [514 555-0100](tel:+15145550100).\n');
    const out = join(dir, 'public');
    const r = await aimqIn(['release', 'build', '--out', out], dir);
    expect(r.status, r.stderr).toBe(0);
    const page = readText(out, 'fr/2020-01-13-mission-aimq/index.html');
    expect(tagsOf(page, 'a').map((a) => a.href)).toContain('tel:+15145550100');
    const mail = await aimqIn(['release', 'export', SAMPLE_DIR, '--format', 'html', '--edition', 'fr'], dir);
    expect(tagsOf(mail.stdout, 'a').map((a) => a.href)).toContain('tel:+15145550100');
  });

  // A javascript:, data: or ftp: link was removed from every output silently.
  it('a link the output cannot keep is a warning at its line, in both languages', async () => {
    const dir = sampleProject();
    appendFileSync(
      join(dir, SAMPLE_FR),
      '\nVoir [ceci](javascript:alert(1)).\n\nEt [le fichier](ftp://ftp.aimq.net/rapport.pdf).\n',
    );
    const r = await aimqIn(['release', 'check', '--format', 'json'], dir);
    expect(r.status).toBe(0);
    const found = (JSON.parse(r.stdout) as Diag[]).filter((d) => d.code === 'AIMQ-LINK-REMOVED');
    expect(found.map((d) => [d.file, d.line, d.severity])).toEqual([
      [SAMPLE_FR, lineOf(dir, SAMPLE_FR, 'Voir [ceci]'), 'warning'],
      [SAMPLE_FR, lineOf(dir, SAMPLE_FR, 'Et [le fichier]'), 'warning'],
    ]);
    expect(found[0]!.message).toBe(
      'link "javascript:alert(1)" is removed from every output: javascript: addresses are not allowed',
    );
    const fr = await aimqIn(['release', 'check', '--format', 'json'], dir, { AIMQ_LANG: 'fr' });
    const frFound = (JSON.parse(fr.stdout) as Diag[]).filter((d) => d.code === 'AIMQ-LINK-REMOVED');
    expect(frFound[1]!.message).toBe(
      'le lien "ftp://ftp.aimq.net/rapport.pdf" est retiré de chaque sortie\u00a0: les adresses de type ftp ne sont pas permises',
    );
  });
});
