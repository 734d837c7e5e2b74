import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleProject } from '../helpers/cli.js';
import { aimqIn } from '../helpers/cli-in.js';
import { lineOf, readText, SAMPLE_FR } from '../helpers/project.js';
import type { JsonDiagnostic as Diag } from '../helpers/diagnostic.js';

function withTitle(title: string): string {
  const dir = sampleProject();
  writeFileSync(join(dir, SAMPLE_FR), readText(dir, SAMPLE_FR).replace(/^title: .*$/m, `title: ${title}`));
  return dir;
}

// In YAML, " #" starts a comment: `title: Prix #1 du jury` was the title "Prix", published
// as such, without a word. A hashtag or a number sign is text; a comment has a space after #.
describe('a # in a front matter value', () => {
  it('"Prix #1 du jury": an error at the #, with the value to quote', async () => {
    const dir = withTitle('Prix #1 du jury');
    const r = await aimqIn(['release', 'check', '--format', 'json'], dir);
    expect(r.status).toBe(1);
    const d = (JSON.parse(r.stdout) as Diag[]).find((x) => x.code === 'AIMQ-YAML')!;
    expect([d.file, d.line, d.column, d.severity]).toEqual([
      SAMPLE_FR,
      lineOf(dir, SAMPLE_FR, 'title:'),
      13,
      'error',
    ]);
    expect(d.message).toBe(
      '"#1" starts a YAML comment: the rest of the line would be dropped, leaving only "Prix"',
    );
    expect(d.hint).toBe('quote the value, e.g. "Prix #1…"; a comment meant as one has a space after the #');
    const b = await aimqIn(['release', 'build', '--out', join(dir, 'public')], dir);
    expect(b.status).toBe(1);
  });

  it('in French', async () => {
    const dir = withTitle('Le mouvement #MeToo au travail');
    const r = await aimqIn(['release', 'check', '--format', 'json'], dir, { AIMQ_LANG: 'fr' });
    const d = (JSON.parse(r.stdout) as Diag[]).find((x) => x.code === 'AIMQ-YAML')!;
    expect(d.message).toBe(
      '"#MeToo" commence un commentaire YAML\u00a0: le reste de la ligne serait perdu, et la valeur ne serait que "Le mouvement"',
    );
  });

  it('a comment written as one ("# required") and a quoted value are fine', async () => {
    const dir = withTitle('L’AIMQ actualise sa mission      # required');
    const r = await aimqIn(['release', 'check', '--format', 'json'], dir);
    expect((JSON.parse(r.stdout) as Diag[]).filter((x) => x.severity === 'error')).toEqual([]);
    const quoted = withTitle('"Prix #1 du jury"');
    const q = await aimqIn(['release', 'build', '--out', join(quoted, 'public')], quoted);
    expect(q.status, q.stderr).toBe(0);
    expect(readText(quoted, 'public/fr/2020-01-13-mission-aimq/index.html')).toContain(
      '<h1>Prix #1 du jury</h1>',
    );
  });

  it('a value that is only "#…" (title: #1 au palmarès) is the same error, not "title is missing"', async () => {
    const dir = withTitle('#1 au palmarès');
    const r = await aimqIn(['release', 'check', '--format', 'json'], dir);
    const errors = (JSON.parse(r.stdout) as Diag[]).filter((x) => x.severity === 'error');
    expect(errors.map((e) => [e.code, e.column, e.message])).toEqual([
      [
        'AIMQ-YAML',
        8,
        '"#1" starts a YAML comment: the rest of the line would be dropped, leaving the value empty',
      ],
    ]);
  });

  it('in the config: accentColor: #0b4f8a is refused at its line, not read as no colour', async () => {
    const dir = sampleProject();
    const file = join(dir, 'aimq.config.yaml');
    writeFileSync(
      file,
      readText(dir, 'aimq.config.yaml').replace(/^email:\n/m, 'email:\n  accentColor: #0b4f8a\n'),
    );
    const r = await aimqIn(['release', 'check'], dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      `aimq.config.yaml:${lineOf(dir, 'aimq.config.yaml', 'accentColor')}:16 error: "#0b4f8a" starts a YAML comment`,
    );
  });
});
