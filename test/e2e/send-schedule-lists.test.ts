import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sendableProject } from '../helpers/cli.js';
import { aimqIn } from '../helpers/cli-in.js';
import { FOUR, listCsv } from '../helpers/lists.js';
import { proseOf } from '../helpers/text.js';

/**
 * `release schedule` reads its lists at once, as `release send` does: a list with invalid
 * lines (or one that cannot be read) would only be found by dispatch when the campaign
 * falls due — at night, from cron, with nobody there to correct it. And the hints of
 * schedule and dispatch never offer --skip-invalid, an option only `release send` has.
 */

const RELEASE = 'releases/2020-01-13-mission-aimq';
const NOW = '2026-11-30T12:00:00-05:00';

function project(list: string): string {
  const dir = sendableProject();
  mkdirSync(join(dir, 'lists'), { recursive: true });
  writeFileSync(join(dir, 'lists', 'medias.csv'), list);
  return dir;
}

const withBadLine = `${listCsv(FOUR)}pas-une-adresse;Personne;fr\n`;

describe('release schedule reads its lists before it records the campaign', () => {
  it('refuses a list with an invalid line (exit 1, file:line), records nothing, and does not offer --skip-invalid', async () => {
    const dir = project(withBadLine);
    const r = await aimqIn(
      ['release', 'schedule', RELEASE, '--at', '2026-12-01 09:00', '--to', 'lists/medias.csv', '--now', NOW],
      dir,
    );
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toContain(
      'lists/medias.csv:6:1 error: "pas-une-adresse" is not a valid e-mail address [AIMQ-LIST-EMAIL]',
    );
    expect(r.stderr).toContain('correct the list, then schedule again');
    expect(r.stderr).not.toContain('--skip-invalid');
    expect(r.stdout).toBe('');
    // Nothing recorded: no outbox was even created.
    expect(existsSync(join(dir, '.aimq', 'outbox.sqlite'))).toBe(false);
  });

  it('says it in French', async () => {
    const dir = project(withBadLine);
    const r = await aimqIn(
      ['release', 'schedule', RELEASE, '--at', '2026-12-01 09:00', '--to', 'medias', '--now', NOW],
      dir,
      { AIMQ_LANG: 'fr' },
    );
    expect(r.status, r.stderr).toBe(1);
    const lines = r.stderr.split('\n');
    const error = lines.findIndex((l) => l.includes('erreur\u00a0:') && l.endsWith('[AIMQ-LIST-EMAIL]'));
    expect(error, r.stderr).toBeGreaterThanOrEqual(0);
    const hint = lines[error + 1]!;
    expect(hint.trimStart().startsWith('conseil\u00a0:'), r.stderr).toBe(true);
    expect(hint).toContain('corrigez la liste, puis planifiez de nouveau');
    expect(proseOf(hint)).not.toMatch(/\b(correct|schedule|again|the)\b/);
  });

  it('refuses an empty list (no header line)', async () => {
    const dir = project('');
    const r = await aimqIn(
      ['release', 'schedule', RELEASE, '--at', '2026-12-01 09:00', '--to', 'lists/medias.csv', '--now', NOW],
      dir,
    );
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toContain('[AIMQ-LIST-HEADER]');
  });

  it('still schedules a valid list, printing only the campaign', async () => {
    const dir = project(listCsv(FOUR));
    const r = await aimqIn(
      ['release', 'schedule', RELEASE, '--at', '2026-12-01 09:00', '--to', 'lists/medias.csv', '--now', NOW],
      dir,
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('1');
  });
});

describe('dispatch, when a list went bad after it was scheduled', () => {
  it('names the lines and tells to correct the list, without offering --skip-invalid, which dispatch does not have', async () => {
    const dir = project(listCsv(FOUR));
    const scheduled = await aimqIn(
      ['release', 'schedule', RELEASE, '--at', '2026-12-01 09:00', '--to', 'lists/medias.csv', '--now', NOW],
      dir,
    );
    expect(scheduled.status, scheduled.stderr).toBe(0);
    writeFileSync(join(dir, 'lists', 'medias.csv'), withBadLine);
    // A rehearsal: nothing is sent, and no SMTP server is needed to see the refusal.
    const r = await aimqIn(['dispatch', '--once', '--now', '2026-12-01T09:01:00-05:00'], dir);
    expect(r.status, r.stderr).toBe(3);
    expect(r.stderr).toContain(
      'lists/medias.csv:6:1 error: "pas-une-adresse" is not a valid e-mail address [AIMQ-LIST-EMAIL]',
    );
    expect(r.stderr).toContain('correct the list: the campaign goes out at a later round of aimq dispatch');
    expect(r.stderr).not.toContain('--skip-invalid');
  });
});
