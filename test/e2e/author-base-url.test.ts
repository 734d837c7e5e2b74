import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleProject } from '../helpers/cli.js';
import { aimqIn } from '../helpers/cli-in.js';
import { lineOf, readText, tagsOf } from '../helpers/project.js';

function withBaseUrl(baseUrl: string): string {
  const dir = sampleProject();
  const file = join(dir, 'aimq.config.yaml');
  writeFileSync(file, readText(dir, 'aimq.config.yaml').replace(/^baseUrl: .*$/m, `baseUrl: "${baseUrl}"`));
  return dir;
}

describe('baseUrl as an organisation writes it', () => {
  // A French organisation's site: https://exemple.ca/communiqués. The sitemap protocol and
  // Atom ids want URLs with such characters percent-encoded; they were written raw.
  it('with an accent in its path: every URL of the site is percent-encoded', async () => {
    const dir = withBaseUrl('https://Exemple.ca/communiqués/');
    const out = join(dir, 'public');
    const r = await aimqIn(['release', 'build', '--out', out], dir);
    expect(r.status, r.stderr).toBe(0);
    const base = 'https://exemple.ca/communiqu%C3%A9s';
    const locs = [...readText(out, 'sitemap.xml').matchAll(/<loc>([^<]*)<\/loc>/g)].map((m) => m[1]!);
    expect(locs.length).toBeGreaterThan(0);
    for (const loc of locs) expect(loc.startsWith(`${base}/`), loc).toBe(true);
    const page = readText(out, 'fr/2020-01-13-mission-aimq/index.html');
    expect(tagsOf(page, 'link').find((l) => l.rel === 'canonical')!.href).toBe(
      `${base}/fr/2020-01-13-mission-aimq/`,
    );
    expect(readText(out, 'fr/feed.xml')).toContain(`<id>${base}/fr/</id>`);
  });

  // Every address is baseUrl + "/fr/…": a query gave https://exemple.ca/?x=1/fr/….
  it.each([['https://exemple.ca/?site=communiques'], ['https://exemple.ca/communiques#top']])(
    '%s: a configuration error at its line, before anything is built',
    async (baseUrl) => {
      const dir = withBaseUrl(baseUrl);
      const r = await aimqIn(['release', 'build'], dir);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(
        `aimq.config.yaml:${lineOf(dir, 'aimq.config.yaml', 'baseUrl:')}:10 error: "baseUrl" cannot have a ? or a #`,
      );
    },
  );
});
