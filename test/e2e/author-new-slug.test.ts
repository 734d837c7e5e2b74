import { describe, expect, it } from 'vitest';
import { sampleProject } from '../helpers/cli.js';
import { aimqIn } from '../helpers/cli-in.js';

// `aimq release new "Été à l’école"` is refused (a slug is ASCII); the hint gave the fixed
// example "nouveau-president" instead of the slug the user meant.
describe('release new with a slug written as a title', () => {
  it('the hint gives that slug made valid, in English and in French', async () => {
    const dir = sampleProject();
    const r = await aimqIn(['release', 'new', 'Été à l’école'], dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      'hint: use lower-case letters, digits and hyphens, without accents, e.g. ete-a-l-ecole',
    );
    const fr = await aimqIn(['release', 'new', 'Nouvelle Présidente'], dir, { AIMQ_LANG: 'fr' });
    expect(fr.status).toBe(2);
    expect(fr.stderr).toContain('par exemple nouvelle-presidente');
  });

  it('a slug with nothing to keep gets the fixed example', async () => {
    const dir = sampleProject();
    const r = await aimqIn(['release', 'new', '🎉'], dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('e.g. nouveau-president');
  });
});
