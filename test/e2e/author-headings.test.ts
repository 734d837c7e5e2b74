import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleProject } from '../helpers/cli.js';
import { aimqIn } from '../helpers/cli-in.js';
import { SAMPLE_DIR, SAMPLE_FR, readText } from '../helpers/project.js';
import { nuCheck } from '../helpers/vnu.js';

const headings = (html: string) =>
  [...html.matchAll(/<(h[1-6])\b[^>]*>(.*?)<\/h[1-6]>/g)].map((m) => `${m[1]} ${m[2]}`);

// Authors pick heading levels by their look: `### Contexte` right after the text, or
// `##### Détail` under `## Partie`. The page kept the levels as written, and the Nu Html
// Checker reports each skipped level as an error.
describe('body headings that skip a level', () => {
  it('come one level below the heading before them, on the page and in the e-mail', async () => {
    const dir = sampleProject();
    appendFileSync(
      join(dir, SAMPLE_FR),
      '\n### Contexte\n\nTexte.\n\n##### Détail\n\nTexte.\n\n## Partie\n\nTexte.\n\n#### Sous-partie\n\nTexte.\n',
    );
    const out = join(dir, 'public');
    const r = await aimqIn(['release', 'build', '--out', out], dir);
    expect(r.status, r.stderr).toBe(0);
    const page = readText(out, 'fr/2020-01-13-mission-aimq/index.html');
    const body = page.slice(page.indexOf('<div class="body">'), page.indexOf('<p class="end-mark">'));
    expect(headings(body).slice(-4)).toEqual(['h3 Contexte', 'h4 Détail', 'h2 Partie', 'h3 Sous-partie']);
    const errors = nuCheck([join(out, 'fr/2020-01-13-mission-aimq/index.html')]).filter(
      (m) => m.type === 'error',
    );
    expect(errors.map((e) => e.message)).toEqual([]);

    const mail = await aimqIn(['release', 'export', SAMPLE_DIR, '--format', 'html', '--edition', 'fr'], dir);
    expect(mail.status, mail.stderr).toBe(0);
    const mine = /Contexte|Détail|Partie|Sous-partie/;
    expect(headings(mail.stdout).filter((h) => mine.test(h))).toEqual([
      'h3 Contexte',
      'h4 Détail',
      'h2 Partie',
      'h3 Sous-partie',
    ]);
  });

  it('a body that starts at ### gets h2, the level under the title', async () => {
    const dir = sampleProject();
    const fr = readText(dir, SAMPLE_FR).replace(/^## /gm, '### ');
    writeFileSync(join(dir, SAMPLE_FR), fr);
    const out = join(dir, 'public');
    expect((await aimqIn(['release', 'build', '--out', out], dir)).status).toBe(0);
    const page = readText(out, 'fr/2020-01-13-mission-aimq/index.html');
    const body = page.slice(page.indexOf('<div class="body">'), page.indexOf('<p class="end-mark">'));
    expect(headings(body)).toEqual(['h2 Mission', 'h2 Vision', 'h2 Valeurs']);
  });
});
