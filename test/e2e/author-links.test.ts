import { appendFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleProject } from '../helpers/cli.js';
import { aimqIn } from '../helpers/cli-in.js';
import { lineOf, SAMPLE_DIR, SAMPLE_EN, SAMPLE_FR, TINY_PNG, tagsOf, readText } from '../helpers/project.js';
import type { JsonDiagnostic as Diag } from '../helpers/diagnostic.js';

async function check(dir: string, env: NodeJS.ProcessEnv = {}) {
  const r = await aimqIn(['release', 'check', '--format', 'json'], dir, env);
  expect(r.stderr).not.toMatch(/internal error|^ {4}at /m);
  return { status: r.status, diags: JSON.parse(r.stdout) as Diag[] };
}

// Every link to a file of the release folder is sent to the release's published files
// (assets/<release>/…) on the page and in the e-mails: a file that is not there gave a
// link that was broken once published, and neither check nor build said a word.
describe('links to files of the release folder', () => {
  it('a link to a file that is missing, outside the folder, a folder or an edition is an error at its line', async () => {
    const dir = sampleProject();
    writeFileSync(join(dir, SAMPLE_DIR, 'rapport.pdf'), '%PDF-1.4\n');
    mkdirSync(join(dir, SAMPLE_DIR, 'annexes'));
    writeFileSync(join(dir, SAMPLE_DIR, 'annexes', 'carte.png'), TINY_PNG);
    appendFileSync(
      join(dir, SAMPLE_FR),
      [
        '',
        'Fine: [le rapport](rapport.pdf), [page 2](rapport.pdf#page=2), [la carte](annexes/carte.png), [ailleurs](https://www.aimq.net/), [ici](#mission).',
        '',
        'Manque: [absent](absent.pdf)',
        '',
        'Dehors: [config](../../aimq.config.yaml)',
        '',
        'Dossier: [annexes](annexes/)',
        '',
        'Édition: [anglais](en.md)',
        '',
        'Référence: [l’autre communiqué][autre]',
        '',
        '[autre]: ../2019-01-01-autre/',
        '',
      ].join('\n'),
    );
    const { status, diags } = await check(dir);
    const links = diags.filter((d) => d.code === 'AIMQ-LINK-MISSING');
    expect(links.map((d) => [d.line, d.severity])).toEqual([
      [lineOf(dir, SAMPLE_FR, 'Manque:'), 'error'],
      [lineOf(dir, SAMPLE_FR, 'Dehors:'), 'error'],
      [lineOf(dir, SAMPLE_FR, 'Dossier:'), 'error'],
      [lineOf(dir, SAMPLE_FR, 'Édition:'), 'error'],
      [lineOf(dir, SAMPLE_FR, '[autre]:'), 'error'],
    ]);
    expect(links.every((d) => d.file === SAMPLE_FR)).toBe(true);
    expect(links[0]!.message).toContain('"absent.pdf"');
    expect(links[1]!.message).toContain('"../../aimq.config.yaml"');
    expect(status).toBe(1);

    // The build refuses it too, before writing anything.
    const out = join(dir, 'public');
    const b = await aimqIn(['release', 'build', '--out', out], dir);
    expect(b.status).toBe(1);
    expect(b.stderr).toContain('AIMQ-LINK-MISSING');
    expect(existsSync(out)).toBe(false);
  });

  it('in French, the message names the link and the folder', async () => {
    const dir = sampleProject();
    appendFileSync(join(dir, SAMPLE_EN), '\nSee [the report](report.pdf).\n');
    const { diags } = await check(dir, { AIMQ_LANG: 'fr' });
    const d = diags.find((x) => x.code === 'AIMQ-LINK-MISSING')!;
    expect(d.file).toBe(SAMPLE_EN);
    expect(d.message).toBe(
      'le lien "report.pdf" mène à un fichier qui n’existe pas dans 2020-01-13-mission-aimq/',
    );
  });

  it('a link to a file that is there is published with the page and leads to it', async () => {
    const dir = sampleProject();
    writeFileSync(join(dir, SAMPLE_DIR, 'rapport.pdf'), '%PDF-1.4\n');
    appendFileSync(join(dir, SAMPLE_FR), '\nLisez [le rapport](rapport.pdf#page=2).\n');
    const { status, diags } = await check(dir);
    expect(diags.filter((d) => d.code === 'AIMQ-LINK-MISSING')).toEqual([]);
    expect(status).toBe(0);
    const out = join(dir, 'public');
    expect((await aimqIn(['release', 'build', '--out', out], dir)).status).toBe(0);
    const page = readText(out, 'fr/2020-01-13-mission-aimq/index.html');
    const href = tagsOf(page, 'a').find((a) => a.href?.includes('rapport.pdf'))!.href!;
    expect(href).toBe('../../assets/2020-01-13-mission-aimq/rapport.pdf#page=2');
    expect(existsSync(join(out, 'assets/2020-01-13-mission-aimq/rapport.pdf'))).toBe(true);
  });
});
