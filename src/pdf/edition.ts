import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { underEmbargo } from '../build/visibility.js';
import { AimqError } from '../errors/index.js';
import type { ValidRelease } from '../load/parsed.js';
import type { Config } from '../model/config.js';
import type { Release } from '../model/release.js';
import { releaseParts } from '../release-parts/parts.js';
import { emailEditions } from '../render-email/edition.js';
import { renderReleasePages } from '../render-web/page.js';
import { sitePaths } from '../render-web/urls.js';
import { readTemplateAsset } from '../build/site.js';
import { createTemplateEngine } from '../templating/engine.js';
import type { PdfJob, SiteReader } from './print.js';

/** The PDF editions of a release: the same as its e-mail editions (each language, bilingual when it has two). */
export function pdfEditions(release: Release): string[] {
  return emailEditions(release);
}

/** The name a PDF of `edition` goes by: the slug of its page (the primary one for the bilingual edition). */
export function pdfFileName(release: Release, edition: string): string {
  const e = release.editions.find((x) => x.lang === edition) ?? release.editions[0]!;
  return `${e.slug}.pdf`;
}

/**
 * What to print for `edition`: its page, or for `bilingual` every page of the release, the
 * primary language first. AIMQ-EDITION (exit 2) when the release has no such edition.
 */
export function pdfJob(release: Release, config: Config, edition: string, embargoed: boolean): PdfJob {
  const editions = pdfEditions(release);
  if (!editions.includes(edition))
    throw new AimqError(
      'AIMQ-EDITION',
      { fr: `${release.dir} n’a pas d’édition ${edition}`, en: `${release.dir} has no ${edition} edition` },
      {
        file: release.dir,
        hint: {
          fr: `ses éditions sont\u00a0: ${editions.join(', ')}`,
          en: `its editions are: ${editions.join(', ')}`,
        },
      },
    );
  const parts =
    edition === 'bilingual' ? release.editions : release.editions.filter((e) => e.lang === edition);
  return {
    pages: parts.map((e) => sitePaths.page(e)),
    title: parts.map((e) => releaseParts(release, e, config, embargoed).title).join(' / '),
  };
}

/**
 * The part of the site a release's PDFs need, rendered in memory from the release (not
 * from a build): its pages, the stylesheets and its images. `now` decides whether the
 * embargo still holds, and so the release line.
 */
export function releaseSite(source: ValidRelease, config: Config, now: number): SiteReader {
  const { release, trees } = source;
  const engine = createTemplateEngine('web', config.root);
  const files = new Map<string, Buffer>();
  const web = renderReleasePages(release, trees, config, engine, {
    embargoPreview: underEmbargo(release.embargo?.epoch, now),
  });
  for (const f of web.files) files.set(f.path, Buffer.from(f.content));
  for (const path of [sitePaths.stylesheet, sitePaths.printStylesheet])
    files.set(path, readTemplateAsset(engine, path));
  const assetsPrefix = sitePaths.asset(release, '');
  return (path) => {
    const file = files.get(path);
    if (file) return file;
    if (!path.startsWith(assetsPrefix)) return undefined;
    try {
      return readFileSync(join(source.dirAbs, path.slice(assetsPrefix.length)));
    } catch {
      return undefined;
    }
  };
}
