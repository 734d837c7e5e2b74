import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleProject } from '../helpers/cli.js';
import { aimqIn } from '../helpers/cli-in.js';
import { lineOf, readText, SAMPLE_FR } from '../helpers/project.js';
import type { JsonDiagnostic as Diag } from '../helpers/diagnostic.js';

function dated(date: string, embargo: string): string {
  const dir = sampleProject();
  writeFileSync(
    join(dir, SAMPLE_FR),
    readText(dir, SAMPLE_FR).replace(/^date: .*$/m, `date: ${date}\nembargo: ${embargo}`),
  );
  return dir;
}

// date: 2020-01-20 with embargo: 2020-01-10T10:00 (a typo in one of them): the embargo has
// lifted, so the build publishes the page at once, dated days ahead; the future-date
// warning only looked for an embargo being there.
describe('a release dated in the future whose embargo has already lifted', () => {
  it('check and build warn, and say to set the embargo to the date', async () => {
    const dir = dated('2020-01-20', '2020-01-10T10:00:00-05:00');
    const now = ['--now', '2020-01-15T12:00:00-05:00'];
    const out = join(dir, 'public');
    const b = await aimqIn(['release', 'build', '--out', out, ...now], dir);
    expect(b.status, b.stderr).toBe(0);
    expect(existsSync(join(out, 'fr/2020-01-13-mission-aimq/index.html'))).toBe(true);
    expect(b.stderr).toContain(
      `${SAMPLE_FR}:${lineOf(dir, SAMPLE_FR, 'date:')}:7 warning: the release is dated 2020-01-20, in the future, but its embargo (2020-01-10T10:00:00-05:00) has already lifted: a build publishes it now [AIMQ-DATE-FUTURE]`,
    );
    expect(b.stderr).toContain('hint: to hold it until its date, set embargo: 2020-01-20T00:00:00-05:00');
  });

  it('an embargo that still holds, or a date already reached, gives no warning', async () => {
    const holding = dated('2020-01-20', '2020-01-20T09:00:00-05:00');
    const b = await aimqIn(
      ['release', 'build', '--now', '2020-01-15T12:00:00-05:00', '--out', join(holding, 'p')],
      holding,
    );
    expect(b.stderr).not.toContain('AIMQ-DATE-FUTURE');
    const reached = dated('2020-01-13', '2020-01-10T10:00:00-05:00');
    const r = await aimqIn(['release', 'check', '--format', 'json'], reached);
    expect((JSON.parse(r.stdout) as Diag[]).map((d) => d.code)).not.toContain('AIMQ-DATE-FUTURE');
  });
});
