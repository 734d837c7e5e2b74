import { describe, expect, it } from 'vitest';
import { sampleProject } from '../helpers/cli.js';
import { aimqIn } from '../helpers/cli-in.js';

/** commander's own words and checks, in French and English. */
describe('the CLI', () => {
  it('dispatch --once --watch is a usage error (exit 2), worded in the user’s language', async () => {
    const dir = sampleProject();
    const fr = await aimqIn(['dispatch', '--once', '--watch'], dir, { AIMQ_LANG: 'fr' });
    expect(fr.status).toBe(2);
    expect(fr.stderr).toBe(
      'erreur\u00a0: l’option «\u00a0--once\u00a0» ne va pas avec l’option «\u00a0--watch\u00a0»\n',
    );
    const en = await aimqIn(['dispatch', '--watch', '--once'], dir, { AIMQ_LANG: 'en' });
    expect(en.status).toBe(2);
    expect(en.stderr).toContain("error: option '--once' cannot be used with option '--watch'");
  });
});
