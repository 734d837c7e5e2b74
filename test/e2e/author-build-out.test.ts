import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleProject } from '../helpers/cli.js';
import { aimqIn } from '../helpers/cli-in.js';
import { SAMPLE_DIR } from '../helpers/project.js';

// Commands find the project from any of its folders, as git does; the build's default
// output did not follow: `public` was resolved in the working folder, so a build started in
// the release being written (releases/x/) was refused as "inside releases/" with the hint
// "e.g. --out public", and one started in another subfolder wrote a second site there.
describe('release build without --out, from a folder inside the project', () => {
  it('from the release folder: builds into the project’s public/', async () => {
    const dir = sampleProject();
    const r = await aimqIn(['release', 'build'], join(dir, SAMPLE_DIR));
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('../../public/fr/2020-01-13-mission-aimq/index.html');
    expect(existsSync(join(dir, 'public/fr/2020-01-13-mission-aimq/index.html'))).toBe(true);
    expect(existsSync(join(dir, SAMPLE_DIR, 'public'))).toBe(false);
  });

  it('from another subfolder: the same public/, not a second site', async () => {
    const dir = sampleProject();
    mkdirSync(join(dir, 'docs'));
    const r = await aimqIn(['release', 'build'], join(dir, 'docs'));
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(join(dir, 'public/fr/index.html'))).toBe(true);
    expect(existsSync(join(dir, 'docs/public'))).toBe(false);
  });

  it('an explicit --out is still read from the working folder', async () => {
    const dir = sampleProject();
    mkdirSync(join(dir, 'docs'));
    const r = await aimqIn(['release', 'build', '--out', 'site'], join(dir, 'docs'));
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(join(dir, 'docs/site/fr/index.html'))).toBe(true);
  });
});
