import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleProject } from '../helpers/cli.js';
import { aimqIn } from '../helpers/cli-in.js';
import { readText, SAMPLE_DIR, SAMPLE_FR, TINY_PNG } from '../helpers/project.js';

// The summary is optional. Without it, the preheader (the line an inbox shows after the
// subject) was the start of the whole plain text: "POUR DIFFUSION IMMÉDIATE L’AIMQ actualise…
// =====…", the release line, the title again and its underline.
describe('the preheader of a release without a summary', () => {
  it('is the start of the body, dateline first, in the json and in the HTML', async () => {
    const dir = sampleProject();
    writeFileSync(join(dir, SAMPLE_FR), readText(dir, SAMPLE_FR).replace(/^summary: .*\n/m, ''));
    const r = await aimqIn(['release', 'export', SAMPLE_DIR, '--format', 'json', '--edition', 'fr'], dir);
    expect(r.status, r.stderr).toBe(0);
    const { preheader, html } = JSON.parse(r.stdout) as { preheader: string; html: string };
    expect(preheader).toMatch(
      /^Montréal, le 13\u00a0janvier\u00a02020\u00a0– L’Association des ingénieurs municipaux/,
    );
    expect(preheader).not.toMatch(/POUR DIFFUSION|={3}/);
    expect(preheader.length).toBeLessThanOrEqual(141);
    expect(html).toContain(preheader.slice(0, 60));
  });

  it('keeps the French no-break spaces, in the preheader and the page description', async () => {
    const dir = sampleProject();
    const fr = readText(dir, SAMPLE_FR)
      .replace(/^summary: .*\n/m, '')
      .replace("L'Association des ingénieurs", "Le coût : 25 $ par membre. L'Association des ingénieurs");
    writeFileSync(join(dir, SAMPLE_FR), fr);
    const r = await aimqIn(['release', 'export', SAMPLE_DIR, '--format', 'json', '--edition', 'fr'], dir);
    expect(r.status, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { preheader: string }).preheader).toContain(
      'Le coût\u00a0: 25\u00a0$ par membre.',
    );
    const out = join(dir, 'public');
    expect((await aimqIn(['release', 'build', '--out', out], dir)).status).toBe(0);
    const page = readText(out, 'fr/2020-01-13-mission-aimq/index.html');
    const description = /<meta name="description" content="([^"]*)"/.exec(page)![1]!;
    expect(description.startsWith('Le coût\u00a0: 25\u00a0$ par membre.')).toBe(true);
  });

  it('reads an image in the text as its alternative text in the page description', async () => {
    const dir = sampleProject();
    writeFileSync(join(dir, SAMPLE_DIR, 'carte.png'), TINY_PNG);
    const fr = readText(dir, SAMPLE_FR)
      .replace(/^summary: .*\n/m, '')
      .replace(
        "L'Association des ingénieurs",
        "Voici ![la carte du réseau](carte.png) et le texte. L'Association des ingénieurs",
      );
    writeFileSync(join(dir, SAMPLE_FR), fr);
    const out = join(dir, 'public');
    expect((await aimqIn(['release', 'build', '--out', out], dir)).status).toBe(0);
    const page = readText(out, 'fr/2020-01-13-mission-aimq/index.html');
    const description = /<meta name="description" content="([^"]*)"/.exec(page)![1]!;
    expect(description.startsWith('Voici la carte du réseau et le texte.')).toBe(true);
  });

  it('gives a link’s and an image’s words, not the plain text’s reference numbers', async () => {
    const dir = sampleProject();
    writeFileSync(join(dir, SAMPLE_DIR, 'carte.png'), TINY_PNG);
    const fr = readText(dir, SAMPLE_FR)
      .replace(/^summary: .*\n/m, '')
      .replace(
        "L'Association des ingénieurs",
        "Voir [le site](https://www.aimq.net) et ![la carte](carte.png). L'Association des ingénieurs",
      );
    writeFileSync(join(dir, SAMPLE_FR), fr);
    const r = await aimqIn(['release', 'export', SAMPLE_DIR, '--format', 'json', '--edition', 'fr'], dir);
    const { preheader } = JSON.parse(r.stdout) as { preheader: string };
    expect(preheader).toContain('– Voir le site et la carte. L’Association');
    expect(preheader).not.toMatch(/\[\d+\]/);
  });
});
