import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleProject } from '../helpers/cli.js';
import { aimqIn } from '../helpers/cli-in.js';
import type { JsonDiagnostic as Diag } from '../helpers/diagnostic.js';
import { readText, SAMPLE_FR, writeFiles } from '../helpers/project.js';

/**
 * `release check` reads the lists that a release's `dispatch:` entries name, as dispatch will
 * when the entry falls due: an invalid line, which will keep the campaign from being sent,
 * is an error at the list's file:line, learnt before the due time.
 */
const LIST =
  'email,name,language,consent,consent_date,consent_source\n' +
  'alice@example.org,Alice,fr,express,2026-01-05,form\n' +
  'not-an-address,Bob,en,express,2026-01-05,form\n' +
  'carol@example.org,Carol,fr,express,2026-01-05,form\n';

function projectWith(dispatch: string, list = LIST): string {
  const dir = sampleProject();
  writeFiles(dir, { 'lists/medias.csv': list });
  writeFileSync(
    join(dir, SAMPLE_FR),
    readText(dir, SAMPLE_FR).replace(/^tags: (.*)$/m, `tags: $1\ndispatch:\n${dispatch}`),
  );
  return dir;
}

const NOW = { AIMQ_NOW: '2026-11-20T12:00:00-05:00' };

describe('release check: the lists of dispatch: entries', () => {
  it('an invalid line of a list that a coming entry names is an error at the list line', async () => {
    const dir = projectWith('  - at: 2026-12-01T09:00:00-05:00\n    to: [lists/medias.csv]\n');
    const r = await aimqIn(['release', 'check', '--format', 'json'], dir, NOW);
    expect(r.status).toBe(1);
    const d = (JSON.parse(r.stdout) as Diag[]).filter((x) => x.code.startsWith('AIMQ-LIST'));
    expect(d.map((x) => [x.file, x.line, x.severity, x.code])).toEqual([
      ['lists/medias.csv', 3, 'error', 'AIMQ-LIST-EMAIL'],
    ]);
    expect(d[0]!.hint).toContain(
      'aimq dispatch does not send a campaign while one of its lists has an invalid line',
    );
  });

  it('in French, with a list named as dispatch finds it (medias for lists/medias.csv), read once', async () => {
    const dir = projectWith(
      '  - at: 2026-12-01 09:00\n    to: medias\n  - at: 2026-12-02 09:00\n    to: [lists/medias.csv]\n',
    );
    const r = await aimqIn(['release', 'check'], dir, { ...NOW, AIMQ_LANG: 'fr' });
    expect(r.status).toBe(1);
    expect(r.stdout).not.toContain('AIMQ-DISPATCH-TARGET');
    const lines = r.stdout.split('\n').filter((l) => l.startsWith('lists/medias.csv:3:1 erreur\u00a0: '));
    expect(lines).toEqual([
      'lists/medias.csv:3:1 erreur\u00a0: "not-an-address" n’est pas une adresse courriel valide [AIMQ-LIST-EMAIL]',
    ]);
  });

  it('an entry whose time passed longer ago than dispatch.maxDelay is not checked', async () => {
    const dir = projectWith('  - at: 2026-10-01T09:00:00-04:00\n    to: [lists/medias.csv]\n');
    const r = await aimqIn(['release', 'check', '--format', 'json'], dir, NOW);
    expect((JSON.parse(r.stdout) as Diag[]).filter((x) => x.code.startsWith('AIMQ-LIST'))).toEqual([]);
    expect(r.status).toBe(0);
  });

  it('a list named twice in one entry: its problems are shown once', async () => {
    const dir = projectWith('  - at: 2026-12-01T09:00:00-05:00\n    to: [lists/medias.csv, medias]\n');
    const r = await aimqIn(['release', 'check', '--format', 'json'], dir, NOW);
    const d = (JSON.parse(r.stdout) as Diag[]).filter((x) => x.code === 'AIMQ-LIST-EMAIL');
    expect(d).toHaveLength(1);
  });

  it('to: [] says the list is empty (not "must be a list, not a list")', async () => {
    const dir = projectWith('  - at: 2026-12-01T09:00:00-05:00\n    to: []\n');
    const r = await aimqIn(['release', 'check', '--format', 'json'], dir, NOW);
    expect(r.status).toBe(1);
    const d = (JSON.parse(r.stdout) as Diag[]).find((x) => x.code === 'AIMQ-FIELD-TYPE')!;
    expect(d.message).toBe('"dispatch[1].to" is an empty list: name at least one');
  });

  it('a correct list: no error, exit 0', async () => {
    const dir = projectWith(
      '  - at: 2026-12-01T09:00:00-05:00\n    to: [lists/medias.csv]\n',
      LIST.replace('not-an-address', 'bob@example.org'),
    );
    const r = await aimqIn(['release', 'check', '--format', 'json'], dir, NOW);
    expect((JSON.parse(r.stdout) as Diag[]).filter((x) => x.severity === 'error')).toEqual([]);
    expect(r.status).toBe(0);
  });
});
