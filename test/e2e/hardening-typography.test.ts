import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aimq, sampleProject } from '../helpers/cli.js';

const ID = '2020-01-13-mission-aimq';

describe('French typography in a built page (#11.26)', () => {
  it('keeps phone numbers whole, in the contact block and the text, and links an address with an apostrophe', () => {
    const dir = sampleProject();
    const fr = join(dir, 'releases', ID, 'fr.md');
    const text = readFileSync(fr, 'utf8')
      .replace(
        '    email: communications@aimq.net\n',
        '    email: communications@aimq.net\n    phone: 514 555-0100\n',
      )
      .replace(
        '\n## Mission\n',
        "\nÉcrivez à o'neil@exemple.ca ou composez le 514 555-0199. Le budget : 3,5 M$.\n\n## Mission\n",
      );
    writeFileSync(fr, text);
    const build = aimq(['release', 'build', '--out', 'public'], dir);
    expect(build.status, build.stderr).toBe(0);
    const page = readFileSync(join(dir, 'public', 'fr', ID, 'index.html'), 'utf8').replace(
      /&nbsp;/g,
      '\u00A0',
    );
    expect(page).toContain('>514\u00A0555-0100</a>');
    expect(page).toContain('514\u00A0555-0199');
    expect(page).toContain('3,5\u00A0M$');
    expect(page).toContain(`<a href="mailto:o&#x27;neil@exemple.ca">o'neil@exemple.ca</a>`);
  });
});
