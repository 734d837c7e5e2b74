import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleProject } from '../helpers/cli.js';
import { aimqIn } from '../helpers/cli-in.js';
import { readText, SAMPLE_DIR, SAMPLE_FR } from '../helpers/project.js';

// Quebec names often hold an apostrophe (L'Heureux, D'Amours, O'Brien). The contact's role
// got the typographic apostrophe and its name kept the straight one, side by side.
describe('a contact name with an apostrophe', () => {
  it('gets the typographic apostrophe on the page, in the e-mail and in the plain text, like its role', async () => {
    const dir = sampleProject();
    writeFileSync(
      join(dir, SAMPLE_FR),
      readText(dir, SAMPLE_FR)
        .replace(/name: Danielle Boucher/, "name: Marie-Ève L'Heureux")
        .replace(/role: .*/, "role: conseillère d'équipe"),
    );
    const out = join(dir, 'public');
    const b = await aimqIn(['release', 'build', '--out', out], dir);
    expect(b.status, b.stderr).toBe(0);
    const page = readText(out, 'fr/2020-01-13-mission-aimq/index.html');
    expect(page).toContain(
      '<span class="contact-name">Marie-Ève L’Heureux</span>, <span class="contact-role">conseillère d’équipe</span>',
    );
    const html = await aimqIn(['release', 'export', SAMPLE_DIR, '--format', 'html', '--edition', 'fr'], dir);
    expect(html.stdout).toContain('Marie-Ève L’Heureux');
    expect(html.stdout).not.toContain("L'Heureux");
    expect(html.stdout).not.toContain('L&#39;Heureux');
    const text = await aimqIn(['release', 'export', SAMPLE_DIR, '--format', 'txt', '--edition', 'fr'], dir);
    expect(text.stdout).toContain('Marie-Ève L’Heureux, conseillère d’équipe');
  });
});
