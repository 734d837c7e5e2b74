import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleProject } from '../helpers/cli.js';
import { aimqIn } from '../helpers/cli-in.js';
import { readText, SAMPLE_FR } from '../helpers/project.js';
import type { JsonDiagnostic as Diag } from '../helpers/diagnostic.js';

/** The sample in Vancouver's time zone, with an embargo written without an offset. */
async function checkEmbargo(embargo: string, lang = 'en'): Promise<Diag> {
  const dir = sampleProject();
  const config = join(dir, 'aimq.config.yaml');
  writeFileSync(
    config,
    readText(dir, 'aimq.config.yaml').replace(/^timeZone: .*$/m, 'timeZone: America/Vancouver'),
  );
  writeFileSync(
    join(dir, SAMPLE_FR),
    readText(dir, SAMPLE_FR).replace(/^date: .*$/m, `date: ${embargo.slice(0, 10)}\nembargo: ${embargo}`),
  );
  const r = await aimqIn(['release', 'check', '--format', 'json'], dir, { AIMQ_LANG: lang });
  expect(r.status).toBe(1);
  return (JSON.parse(r.stdout) as Diag[]).find((d) => d.code === 'AIMQ-DATE')!;
}

// The hint for a time the clocks skip or repeat was one fixed example,
// 2026-11-01T01:30:00-04:00: Montréal's offset whatever the zone, and an autumn date for a
// spring gap. A Vancouver user copying it got an embargo three hours off.
describe('an embargo at a time the clocks skip or repeat, outside Montréal', () => {
  it('a skipped time: the hint gives the time that exists, with the zone’s own offset', async () => {
    const d = await checkEmbargo('2027-03-14T02:30:00');
    expect(d.message).toContain('does not exist in America/Vancouver');
    expect(d.hint).toBe(
      'write a time that exists, e.g. 2027-03-14T03:30:00-07:00, or the time with its offset',
    );
  });

  it('a repeated time: the hint gives both readings with the zone’s offsets, in French too', async () => {
    const en = await checkEmbargo('2027-11-07T01:30:00');
    expect(en.hint).toBe(
      'write the time with its offset: 2027-11-07T01:30:00-07:00 (the first time) or 2027-11-07T01:30:00-08:00 (the second)',
    );
    const fr = await checkEmbargo('2027-11-07T01:30:00', 'fr');
    expect(fr.hint).toBe(
      'écrivez l’heure avec son décalage\u00a0: 2027-11-07T01:30:00-07:00 (la première fois) ou 2027-11-07T01:30:00-08:00 (la seconde)',
    );
  });
});
