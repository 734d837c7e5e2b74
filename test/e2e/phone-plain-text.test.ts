import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleProject } from '../helpers/cli.js';
import { aimqIn } from '../helpers/cli-in.js';
import { readText, SAMPLE_DIR, SAMPLE_EN, SAMPLE_FR, SAMPLE_ID } from '../helpers/project.js';

/** The plain-text part as a phone's mail app shows it: lines of at most 78 characters wherever a line can break. */

const NOW = '2026-11-28T12:00:00-05:00';
const TITLE_FR =
  'L’Association des ingénieurs municipaux du Québec annonce un investissement considérable dans les infrastructures hydrauliques municipales';
const ROLE_FR = 'directrice générale adjointe aux communications stratégiques et aux relations de presse';

describe('the plain text of an edition with a long title and a long contact line', () => {
  it('wraps them, underlines the title as long as its longest line, and puts a long link on its own line', async () => {
    const dir = sampleProject();
    writeFileSync(
      join(dir, SAMPLE_FR),
      readText(dir, SAMPLE_FR)
        .replace(/^title: .*$/m, `title: "${TITLE_FR}"`)
        .replace('role: conseillère en communication', `role: ${ROLE_FR}`),
    );
    writeFileSync(
      join(dir, SAMPLE_EN),
      readText(dir, SAMPLE_EN).replace(/^title: .*$/m, 'title: AIMQ announces a considerable investment'),
    );
    for (const edition of ['fr', 'bilingual']) {
      const r = await aimqIn(
        [
          'release',
          'export',
          SAMPLE_DIR,
          '--format',
          'txt',
          '--edition',
          edition,
          '--out',
          'out/',
          '--now',
          NOW,
        ],
        dir,
      );
      expect(r.status, r.stderr).toBe(0);
      const text = readFileSync(join(dir, 'out', `${SAMPLE_ID}.${edition}.txt`), 'utf8');
      const lines = text.split('\n');
      // A URL cannot break; the configured postal address is printed as written.
      const long = lines.filter(
        (l) => l.length > 78 && !/^(\[\d+\] )?https?:\/\/\S+$/.test(l) && !/H0H 0H0/.test(l),
      );
      expect(long, edition).toEqual([]);
      const start = lines.indexOf('L’Association des ingénieurs municipaux du Québec annonce un');
      expect(start, text).toBeGreaterThan(-1);
      const title = lines.slice(start, lines.indexOf('', start));
      expect(title.slice(0, -1).join(' ')).toBe(TITLE_FR);
      expect(title.at(-1)).toBe('='.repeat(Math.max(...title.slice(0, -1).map((l) => l.length))));
      expect(text).toContain(`Danielle Boucher, ${ROLE_FR.slice(0, 40)}`);
      expect(text).toMatch(
        new RegExp(
          `^Voir ce communiqué dans votre navigateur\u00a0:\nhttps://www\\.aimq\\.net/communiques/email/${SAMPLE_ID}/${edition}\\.html$`,
          'm',
        ),
      );
    }
  });

  it('gives a table too wide for a mail line as "Header : value" blocks, and keeps a narrow one aligned', async () => {
    const dir = sampleProject();
    const wide =
      '\n| Région | Budget (M$) | Kilomètres de conduites renouvelées | Échéance prévue |\n|---|---:|---:|---|\n| Montréal | 1 250,5 | 340 | 2030 |\n| Sherbrooke | 480,2 | 125 | 2029 |\n';
    const narrow = '\n| Ville | Membres |\n|---|---:|\n| Laval | 12 |\n';
    writeFileSync(join(dir, SAMPLE_FR), `${readText(dir, SAMPLE_FR)}${wide}${narrow}`);
    writeFileSync(
      join(dir, SAMPLE_EN),
      `${readText(dir, SAMPLE_EN)}${wide.replace('1 250,5', '1,250.5').replace('480,2', '480.2')}${narrow}`,
    );
    const r = await aimqIn(
      ['release', 'export', SAMPLE_DIR, '--format', 'txt', '--edition', 'fr', '--now', NOW],
      dir,
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      [
        'Région\u00a0: Montréal',
        'Budget (M$)\u00a0: 1\u00a0250,5',
        'Kilomètres de conduites renouvelées\u00a0: 340',
        'Échéance prévue\u00a0: 2030',
        '',
        'Région\u00a0: Sherbrooke',
      ].join('\n'),
    );
    expect(r.stdout).toContain('Ville | Membres\n----- | -------\nLaval |      12\n');
    const en = await aimqIn(
      ['release', 'export', SAMPLE_DIR, '--format', 'txt', '--edition', 'en', '--now', NOW],
      dir,
    );
    expect(en.stdout).toContain('Budget (M$): 1,250.5\n');
    expect(
      Math.max(
        ...r.stdout
          .split('\n')
          .filter((l) => !/https?:/.test(l))
          .map((l) => l.length),
      ),
    ).toBeLessThanOrEqual(78);
  });
});
