import { underEmbargo } from '../build/visibility.js';
import type { ValidRelease } from '../load/parsed.js';
import type { Config } from '../model/config.js';
import { pdfJob, releaseSite } from './edition.js';
import { PdfPrinter } from './print.js';

/**
 * PDFs of a release's `editions` (fr, en, bilingual), printed with one browser from the
 * release itself as it reads at `now` (the embargo line while it holds). AIMQ-EDITION when
 * the release lacks one; AIMQ-BROWSER (exit 2) without Chromium.
 */
export async function printReleasePdfs(
  source: ValidRelease,
  config: Config,
  editions: readonly string[],
  now: number,
  env: NodeJS.ProcessEnv,
): Promise<Map<string, Buffer>> {
  const embargoed = underEmbargo(source.release.embargo?.epoch, now);
  // Checked before Chromium starts: a wrong edition is a usage error, whatever the machine has.
  const jobs = editions.map((e) => [e, pdfJob(source.release, config, e, embargoed)] as const);
  const site = releaseSite(source, config, now);
  const printer = await PdfPrinter.launch(env);
  try {
    const pdfs = new Map<string, Buffer>();
    for (const [edition, job] of jobs)
      pdfs.set(edition, await printer.print(site, config.baseUrl, job, config.pdf.pageSize));
    return pdfs;
  } finally {
    await printer.close();
  }
}
