import { loadConfig } from '../../config/load.js';
import { findReleaseDirs } from '../../build/discover.js';
import { EXIT, type Diagnostic } from '../../errors/index.js';
import { loadRelease } from '../../load/release.js';
import { checkBodies, parseBodies } from '../../validate/body.js';
import type { Io } from '../main.js';
import { formatDiagnostics, summaryLine, type ReportFormat } from '../report.js';

/** `aimq release check`: every problem of every release in one pass. */
export function checkCommand(io: Io, dirs: string[], opts: { format: ReportFormat }): number {
  const config = loadConfig(io.cwd, io.cwd);
  const releaseDirs = findReleaseDirs(config.root, io.cwd, dirs);
  const diagnostics: Diagnostic[] = [];
  for (const dir of releaseDirs) {
    const loaded = loadRelease(dir, config);
    diagnostics.push(...loaded.diagnostics, ...checkBodies(parseBodies(loaded.bodies), config.root));
  }
  const output = formatDiagnostics(diagnostics, opts.format);
  if (output) io.stdout(output);
  if (opts.format === 'json' && !output) io.stdout('[]');
  io.stderr(summaryLine(diagnostics, releaseDirs.length));
  return diagnostics.some((d) => d.severity === 'error') ? EXIT.content : EXIT.ok;
}
