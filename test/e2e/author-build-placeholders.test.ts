import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleProject } from '../helpers/cli.js';
import { aimqIn } from '../helpers/cli-in.js';

// `release new` writes a stub ("Titre du communiqué", "Premier paragraphe : qui,
// quoi…") for the author to replace. `release check` flags it and `release send` refuses
// it, but `release build` published the stub page on the public site without a word.
describe('release build of a release still holding what release new wrote', () => {
  it('warns about each placeholder, as release check does', async () => {
    const dir = sampleProject();
    const created = await aimqIn(['release', 'new', 'essai', '--date', '2020-02-01'], dir);
    expect(created.status, created.stderr).toBe(0);
    const r = await aimqIn(['release', 'build', '--out', join(dir, 'public')], dir);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      'releases/2020-02-01-essai/fr.md:2:8 warning: "title" is still a placeholder: "Titre du communiqué" [AIMQ-PLACEHOLDER]',
    );
    expect(r.stderr).toMatch(
      /releases\/2020-02-01-essai\/en\.md:\d+:1 warning: this paragraph is still the one aimq release new wrote/,
    );
    // The sample release, finished, gets none.
    expect(r.stderr).not.toContain('2020-01-13-mission-aimq');
  });
});
