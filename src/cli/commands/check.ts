import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { loadConfig } from '../../config/load.js';
import { EXIT, type Diagnostic } from '../../errors/index.js';
import { projectPrefix } from '../../git/prefix.js';
import { findReleaseDirs } from '../../load/discover.js';
import { loadParsed, withoutAcknowledged } from '../../load/parsed.js';
import { loadEmailLayout, type EmailLayout } from '../../render-email/layout.js';
import { sitePaths } from '../../render-web/urls.js';
import { createTemplateEngine } from '../../templating/engine.js';
import { checkProse } from '../../validate/body.js';
import { checkDispatchLists, checkDispatchTargets } from '../../validate/dispatch.js';
import { commandClock } from '../../time/clock.js';
import {
  checkEmailImages,
  checkEmailSettings,
  checkEmailSize,
  checkInsecureLinks,
} from '../../validate/email.js';
import { checkArchiveSlugs, checkUniquePages } from '../../validate/slugs.js';
import type { Io } from '../main.js';
import { formatDiagnostics, summaryLine, type ReportFormat } from '../report.js';

/** `aimq release check`: every problem of every release, and of the e-mail settings, in one pass. */
export async function checkCommand(
  io: Io,
  dirs: string[],
  opts: { format: ReportFormat; changedSince?: string },
): Promise<number> {
  const config = loadConfig(io.cwd, io.cwd);
  let releaseDirs = findReleaseDirs(config.root, io.cwd, dirs);
  if (opts.changedSince !== undefined) {
    const { releasesChangedSince } = await import('../../git/changed.js');
    releaseDirs = releasesChangedSince(config.root, opts.changedSince, releaseDirs);
  }
  const diagnostics: Diagnostic[] = [...checkEmailSettings(config), ...(config.placeholders ?? [])];
  let layout: EmailLayout | undefined;
  // What dispatch will find in the lists when an entry falls due, read once per set of lists.
  const now = commandClock(undefined, io.env, config.timeZone)();
  const listsSeen = new Set<string>();
  const pages: { path: string; file: string }[] = [];
  for (const dir of releaseDirs) {
    const loaded = loadParsed(dir, config);
    const { release, bodies } = loaded;
    for (const e of release?.editions ?? []) pages.push({ path: sitePaths.page(e), file: e.file });
    const found: Diagnostic[] = [
      ...loaded.diagnostics,
      ...checkProse(bodies),
      ...bodies.flatMap(checkInsecureLinks),
      ...bodies.flatMap((b) =>
        checkEmailImages(
          b,
          release?.editions[0]?.image?.src,
          readFileSync(join(config.root, b.file), 'utf8'),
        ),
      ),
      ...(release ? [...checkDispatchTargets(release, config.root), ...(release.placeholders ?? [])] : []),
    ];
    if (release && !found.some((d) => d.severity === 'error')) {
      layout ??= await loadEmailLayout(
        createTemplateEngine('email', config.root),
        join(config.root, '.aimq'),
      );
      found.push(...checkEmailSize(release, bodies, config, layout));
    }
    diagnostics.push(...withoutAcknowledged(found, loaded.acknowledged));
    if (release)
      diagnostics.push(
        ...(await checkDispatchLists(release, config.root, now, config.maxDelayMs, listsSeen)),
      );
  }
  diagnostics.push(...checkUniquePages(pages), ...checkArchiveSlugs(pages));
  const shown = opts.format === 'github' ? fromRepositoryTop(diagnostics, config.root) : diagnostics;
  const output = formatDiagnostics(shown, opts.format, io.lang);
  if (output) io.stdout(output);
  else if (opts.format === 'json') io.stdout('[]');
  io.stderr(summaryLine(diagnostics, releaseDirs.length, io.lang));
  return diagnostics.some((d) => d.severity === 'error') ? EXIT.content : EXIT.ok;
}

/**
 * GitHub places an annotation by the file's path from the top of the repository, while
 * diagnostics name files from the project folder: in a repository whose project is a
 * subfolder (`site/`), `releases/x/fr.md` would match no file of the pull request.
 */
function fromRepositoryTop(diagnostics: Diagnostic[], root: string): Diagnostic[] {
  const prefix = projectPrefix(root);
  if (!prefix) return diagnostics;
  return diagnostics.map((d) => (isAbsolute(d.file) ? d : { ...d, file: `${prefix}${d.file}` }));
}
