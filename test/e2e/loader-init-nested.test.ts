import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleProject } from '../helpers/cli.js';
import { aimqIn } from '../helpers/cli-in.js';
import { SAMPLE_DIR } from '../helpers/project.js';

/**
 * `aimq init` in a folder under a project no longer makes a second project there without a
 * word: every command run below it would stop using the project above.
 */
describe('aimq init inside an existing project', () => {
  it('refuses a subfolder of a project, naming its config: exit 2, nothing written', async () => {
    const dir = sampleProject();
    const r = await aimqIn(['init', 'sub'], join(dir, 'releases'));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      '../aimq.config.yaml error: sub is inside an aimq project (../aimq.config.yaml): a project here would be a second, separate one',
    );
    expect(r.stderr).toContain('add --force to create a separate project here anyway');
    expect(existsSync(join(dir, 'releases', 'sub'))).toBe(false);
  });

  it('in French, for the working folder itself', async () => {
    const dir = sampleProject();
    const r = await aimqIn(['init'], join(dir, SAMPLE_DIR), { AIMQ_LANG: 'fr' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      '../../aimq.config.yaml erreur\u00a0: ce dossier est dans un projet aimq (../../aimq.config.yaml)\u00a0: un projet ici en serait un second, distinct',
    );
    expect(existsSync(join(dir, SAMPLE_DIR, 'aimq.config.yaml'))).toBe(false);
  });

  it('--force creates it all the same, with a warning', async () => {
    const dir = sampleProject();
    const r = await aimqIn(['init', '--force', 'sub'], dir);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('warning: sub is inside an aimq project (aimq.config.yaml)');
    expect(existsSync(join(dir, 'sub', 'aimq.config.yaml'))).toBe(true);
  });
});
