import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleProject } from '../helpers/cli.js';
import { aimqIn } from '../helpers/cli-in.js';
import { SAMPLE_FR } from '../helpers/project.js';

/** A translation with more contacts than the primary edition: the count in words, singular too. */
describe('the translation’s contact count', () => {
  it('says “1 contact”, and « 1 personne-ressource » in French', async () => {
    const dir = sampleProject();
    const fr = readFileSync(join(dir, SAMPLE_FR), 'utf8').replace(
      /contacts:\n(?: {2,}.*\n)+/,
      'contacts: []\n',
    );
    writeFileSync(join(dir, SAMPLE_FR), fr);
    const en = await aimqIn(['release', 'check'], dir);
    expect(en.status).toBe(1);
    expect(en.stdout).toMatch(/error: the translation lists 1 contact but \S+fr\.md has 0 \[AIMQ-CONTACT\]/);
    const frOut = await aimqIn(['release', 'check'], dir, { AIMQ_LANG: 'fr' });
    expect(frOut.stdout).toMatch(/la traduction compte 1 personne-ressource, mais \S+fr\.md en compte 0/);
  });
});
