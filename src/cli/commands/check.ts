import { join } from 'node:path';
import { findReleaseDirs } from '../../build/discover.js';
import { loadConfig } from '../../config/load.js';
import { EXIT, type Diagnostic } from '../../errors/index.js';
import { loadRelease } from '../../load/release.js';
import { loadEmailLayout, type EmailLayout } from '../../render-email/layout.js';
import { createTemplateEngine } from '../../templating/engine.js';
import { checkBodies, parseBodies } from '../../validate/body.js';
import { sitePaths } from '../../render-web/urls.js';
import { checkDispatchTargets } from '../../validate/dispatch.js';
import { checkUniquePages } from '../../validate/slugs.js';
import { checkEmailSettings, checkEmailSize, checkInsecureLinks } from '../../validate/email.js';
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
  if (opts.changedSince) {
    const { releasesChangedSince } = await import('../../git/changed.js');
    releaseDirs = releasesChangedSince(config.root, opts.changedSince, releaseDirs);
  }
  const diagnostics: Diagnostic[] = checkEmailSettings(config);
  let layout: EmailLayout | undefined;
  const pages: { path: string; file: string }[] = [];
  for (const dir of releaseDirs) {
    const loaded = loadRelease(dir, config);
    for (const e of loaded.release?.editions ?? []) pages.push({ path: sitePaths.page(e), file: e.file });
    const bodies = parseBodies(loaded.bodies);
    diagnostics.push(
      ...loaded.diagnostics,
      ...checkBodies(bodies, config.root),
      ...bodies.flatMap(checkInsecureLinks),
    );
    if (loaded.release) diagnostics.push(...checkDispatchTargets(loaded.release, config.root));
    if (
      loaded.release &&
      !diagnostics.some((d) => d.severity === 'error' && d.file.startsWith(`${loaded.release!.dir}/`))
    ) {
      layout ??= await loadEmailLayout(
        createTemplateEngine('email', config.root),
        join(config.root, '.aimq'),
      );
      diagnostics.push(...checkEmailSize(loaded.release, bodies, config, layout));
    }
  }
  diagnostics.push(...checkUniquePages(pages));
  const output = formatDiagnostics(diagnostics, opts.format);
  if (output) io.stdout(output);
  else if (opts.format === 'json') io.stdout('[]');
  io.stderr(summaryLine(diagnostics, releaseDirs.length));
  return diagnostics.some((d) => d.severity === 'error') ? EXIT.content : EXIT.ok;
}
