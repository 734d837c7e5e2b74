import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sendableProject } from '../helpers/cli.js';
import { aimqIn } from '../helpers/cli-in.js';
import { FOUR, listCsv } from '../helpers/lists.js';

/**
 * `release send --dry-run --out <folder>` writes one message per recipient, each with the
 * recipient's name and address. `release build` publishes every file of a release folder as
 * the release's assets: a dry run written under releases/ (into the release's own folder,
 * a natural slip) would put the list online at the next build. It is refused before
 * anything is written or planned.
 */

const RELEASE = 'releases/2020-01-13-mission-aimq';

function project(): string {
  const dir = sendableProject();
  mkdirSync(join(dir, 'lists'), { recursive: true });
  writeFileSync(join(dir, 'lists', 'medias.csv'), listCsv(FOUR));
  return dir;
}

describe('release send --dry-run --out under releases/', () => {
  it('is refused (exit 2, AIMQ-OUTPUT-INSIDE-INPUT), writes nothing, and the build publishes no message', async () => {
    const dir = project();
    const r = await aimqIn(
      ['release', 'send', RELEASE, '--to', 'medias', '--dry-run', '--out', `${RELEASE}/`],
      dir,
    );
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toContain('[AIMQ-OUTPUT-INSIDE-INPUT]');
    expect(r.stderr).toContain('inside releases/');
    expect(readdirSync(join(dir, RELEASE)).filter((f) => f.endsWith('.eml'))).toEqual([]);

    const built = await aimqIn(['release', 'build', '--out', 'public'], dir);
    expect(built.status, built.stderr).toBe(0);
    const assets = join(dir, 'public', 'assets', '2020-01-13-mission-aimq');
    const published = existsSync(assets) ? readdirSync(assets) : [];
    expect(published.filter((f) => f.endsWith('.eml'))).toEqual([]);
  });

  it('is refused through a symbolic link too, and with one-click links plans no campaign', async () => {
    const dir = project();
    symlinkSync(join(dir, 'releases'), join(dir, 'out-link'));
    const config = join(dir, 'aimq.config.yaml');
    writeFileSync(
      config,
      readFileSync(config, 'utf8').replace(
        /^( {4}mailto: .*)$/m,
        '$1\n    url: https://www.aimq.net/desabonnement',
      ),
    );
    const r = await aimqIn(
      ['release', 'send', RELEASE, '--to', 'medias', '--dry-run', '--out', 'out-link/essai'],
      dir,
      { AIMQ_UNSUBSCRIBE_SECRET: 'x'.repeat(40) },
    );
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toContain('[AIMQ-OUTPUT-INSIDE-INPUT]');
    expect(existsSync(join(dir, 'releases', 'essai'))).toBe(false);
    expect(existsSync(join(dir, '.aimq', 'outbox.sqlite'))).toBe(false);
  });

  it('says it in French', async () => {
    const dir = project();
    const r = await aimqIn(
      ['release', 'send', RELEASE, '--to', 'medias', '--dry-run', '--out', 'releases'],
      dir,
      {
        AIMQ_LANG: 'fr',
      },
    );
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toContain(
      'erreur\u00a0: le dossier de l’essai à blanc releases est dans releases/\u00a0:',
    );
  });

  it('still writes a dry run elsewhere', async () => {
    const dir = project();
    const r = await aimqIn(
      ['release', 'send', RELEASE, '--to', 'medias', '--dry-run', '--out', 'essai'],
      dir,
    );
    expect(r.status, r.stderr).toBe(0);
    expect(readdirSync(join(dir, 'essai')).filter((f) => f.endsWith('.eml'))).toHaveLength(4);
  });
});
