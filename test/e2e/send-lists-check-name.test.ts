import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sendableProject } from '../helpers/cli.js';
import { aimqIn } from '../helpers/cli-in.js';
import { FOUR, listCsv } from '../helpers/lists.js';

/**
 * `aimq lists check` finds a list the way `--to` does: a path from the current folder, or
 * the name of a list under the project's lists/ (with or without .csv), from anywhere in
 * the project. Before, `lists check medias` said "no list file" for the list that
 * `release send --to medias` sends to.
 */

function project(): string {
  const dir = sendableProject();
  mkdirSync(join(dir, 'lists'), { recursive: true });
  writeFileSync(join(dir, 'lists', 'medias.csv'), `${listCsv(FOUR)}pas-une-adresse;X;fr\n`);
  return dir;
}

describe('lists check <name>', () => {
  it('checks lists/medias.csv when given medias or medias.csv, as --to does', async () => {
    const dir = project();
    for (const name of ['medias', 'medias.csv', 'lists/medias.csv']) {
      const r = await aimqIn(['lists', 'check', name], dir);
      expect(r.status, r.stderr).toBe(1);
      expect(r.stdout).toContain(
        'lists/medias.csv:6:1 error: "pas-une-adresse" is not a valid e-mail address',
      );
      expect(r.stderr).toContain('lists/medias.csv: 4 recipients');
    }
  });

  it('finds it from a subfolder of the project, naming the file from there', async () => {
    const dir = project();
    const r = await aimqIn(['lists', 'check', 'medias', '--format', 'json'], join(dir, 'releases'));
    expect(r.status, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout) as { file: string; recipients: number };
    expect(report.file).toBe('../lists/medias.csv');
    expect(report.recipients).toBe(4);
  });

  it('still says when there is no such list', async () => {
    const dir = project();
    const r = await aimqIn(['lists', 'check', 'membres'], dir);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toContain('no list file membres [AIMQ-LIST-NOT-FOUND]');
  });
});
