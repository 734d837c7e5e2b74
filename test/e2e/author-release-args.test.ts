import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleProject } from '../helpers/cli.js';
import { aimqIn } from '../helpers/cli-in.js';

// `aimq release check releases` (or `.`) is what a new user types first. The folder was
// read as one release: "release folder "releases" is not named <yyyy-mm-dd>-<slug>" and
// "the release has no French edition: releases/fr.md is missing", exit 1.
describe('naming the releases folder or the project instead of a release', () => {
  it.each([['releases'], ['releases/'], ['./releases']])(
    'release check %s: a usage error that names a release folder to give',
    async (arg) => {
      const dir = sampleProject();
      const r = await aimqIn(['release', 'check', arg], dir);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(
        `${arg} error: ${arg} holds releases but is not one [AIMQ-RELEASE-NOT-FOUND]`,
      );
      expect(r.stderr).toContain(
        `hint: name a release folder, e.g. ${join(arg, '2020-01-13-mission-aimq')} (release check and release build take every release when none is named)`,
      );
      expect(r.stderr).not.toContain('AIMQ-FOLDER-NAME');
    },
  );

  it('release build . names the project folder, writes nothing', async () => {
    const dir = sampleProject();
    const r = await aimqIn(['release', 'build', '.'], dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('. is the project folder, not a release [AIMQ-RELEASE-NOT-FOUND]');
    expect(r.stderr).toContain('e.g. releases/2020-01-13-mission-aimq');
    expect(existsSync(join(dir, 'public'))).toBe(false);
  });

  it('release export releases, in French', async () => {
    const dir = sampleProject();
    const r = await aimqIn(['release', 'export', 'releases'], dir, { AIMQ_LANG: 'fr' });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(
      'releases contient des communiqués, mais n’en est pas un [AIMQ-RELEASE-NOT-FOUND]',
    );
    expect(r.stderr).toContain(
      'nommez le dossier d’un communiqué, par exemple releases/2020-01-13-mission-aimq',
    );
  });

  it('a release folder is still a release', async () => {
    const dir = sampleProject();
    const r = await aimqIn(['release', 'check', 'releases/2020-01-13-mission-aimq'], dir);
    expect(r.status).toBe(0);
  });
});
