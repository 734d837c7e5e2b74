import { relative, resolve } from 'node:path';
import { buildSite } from '../../build/build.js';
import { loadConfig } from '../../config/load.js';
import { AimqError, EXIT } from '../../errors/index.js';
import { parseInstant } from '../../time/instant.js';
import type { Io } from '../main.js';
import { formatText } from '../report.js';

/** `aimq release build`: the newsroom into --out, then the path of the primary-language page. */
export async function buildCommand(io: Io, dirs: string[], opts: { out: string; now?: string; includeEmbargoed?: boolean }): Promise<number> {
  const config = loadConfig(io.cwd, io.cwd);
  const now = opts.now === undefined ? Date.now() : parseNowOption(opts.now, config.timeZone);
  const out = resolve(io.cwd, opts.out);
  const shownOut = relative(io.cwd, out) || '.';
  const result = await buildSite(config, { out, shownOut, now, includeEmbargoed: Boolean(opts.includeEmbargoed), releases: dirs, cwd: io.cwd });
  if (result.warnings.length) io.stderr(formatText(result.warnings));
  const primary = config.languages[0]!;
  const pages = result.pages.filter((p) => p.lang === primary);
  const touched = `${result.written.length} file(s) written, ${result.unchanged} unchanged${result.removed.length ? `, ${result.removed.length} removed` : ''}`;
  io.stderr(`Built ${result.pages.length} page(s) from ${new Set(result.pages.map((p) => p.release)).size} release(s) into ${shownOut}/: ${touched}.${result.embargoed.length ? ` Under embargo, left out: ${result.embargoed.join(', ')}.` : ''}`);
  // stdout carries only paths, so a script can open or upload them.
  const newest = pages[pages.length - 1];
  const listed = dirs.length ? pages : newest ? [pages.find((p) => p.release === newestId(result.pages)) ?? newest] : [];
  for (const p of listed) io.stdout(`${shownOut}/${p.path}`);
  if (!listed.length) io.stdout(`${shownOut}/index.html`);
  return EXIT.ok;
}

function newestId(pages: { release: string }[]): string | undefined {
  return pages.map((p) => p.release).sort().at(-1);
}

function parseNowOption(text: string, timeZone: string): number {
  const epoch = parseInstant(text, timeZone);
  if (epoch === undefined) {
    throw new AimqError('AIMQ-USAGE', `--now: "${text}" is not an ISO date or date-time`, { hint: 'for example --now 2026-12-01T10:00:00-05:00' });
  }
  return epoch;
}
