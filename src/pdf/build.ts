import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../model/config.js';
import type { Release } from '../model/release.js';
import { sitePaths } from '../render-web/urls.js';
import { pdfJob } from './edition.js';
import { PdfPrinter, type SiteReader } from './print.js';

/**
 * The PDF of each page of `releases`, printed from the built site in `out` (pages,
 * stylesheets and images as published) with one browser for the whole build: one per
 * language, `<lang>/<slug>/<slug>.pdf`, beside the page that links it.
 */
export async function printBuiltPdfs(
  config: Config,
  out: string,
  releases: readonly { id: string; release: Release; embargoed: boolean }[],
  env: NodeJS.ProcessEnv,
): Promise<{ id: string; path: string; pdf: Buffer }[]> {
  const site: SiteReader = (path) => {
    try {
      return readFileSync(join(out, path));
    } catch {
      return undefined;
    }
  };
  const printer = await PdfPrinter.launch(env);
  try {
    const printed: { id: string; path: string; pdf: Buffer }[] = [];
    for (const { id, release, embargoed } of releases)
      for (const edition of release.editions) {
        const job = pdfJob(release, config, edition.lang, embargoed);
        printed.push({
          id,
          path: sitePaths.pdf(edition),
          pdf: await printer.print(site, config.baseUrl, job, config.pdf.pageSize),
        });
      }
    return printed;
  } finally {
    await printer.close();
  }
}
