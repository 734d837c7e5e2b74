import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { AimqProblems, type Diagnostic } from '../errors/index.js';
import type { Root } from 'mdast';
import { loadRelease } from '../load/release.js';
import { checkBodyStructure, parseBodies, prepareTrees } from '../validate/body.js';
import type { Config } from '../model/config.js';
import type { Release } from '../model/release.js';
import { emailEditions, emailPagePath, emailViews } from '../render-email/edition.js';
import { loadEmailLayout, type EmailLayout } from '../render-email/layout.js';
import { renderReleasePages, type PageSummary, type RenderedFile } from '../render-web/page.js';
import { renderSiteFiles, type ReleaseEntry } from '../render-web/site.js';
import { sitePaths } from '../render-web/urls.js';
import { createTemplateEngine, type TemplateEngine } from '../templating/engine.js';
import { VERSION } from '../version.js';
import { findReleaseDirs, releaseAssets } from './discover.js';
import { OutputWriter, unwritable } from './output.js';

export interface BuildOptions {
  /** Output folder, absolute. */
  out: string;
  /** How the output folder is named in messages. */
  shownOut: string;
  /** The clock, in ms since the epoch: decides which embargoes have lifted. */
  now: number;
  includeEmbargoed: boolean;
  /** Release folders named on the command line (relative to cwd); empty: all. */
  releases: readonly string[];
  cwd: string;
}

export interface BuildResult {
  written: string[];
  unchanged: number;
  removed: string[];
  /** Pages built, per release, primary language first. */
  pages: { release: string; lang: string; path: string }[];
  /** E-mail "view in browser" copies in the output, per release and edition (HTML; the .txt sits beside it). */
  emails: { release: string; edition: string; path: string }[];
  /** Releases left out because their embargo has not lifted. */
  embargoed: string[];
  /** Releases whose pages were taken from the build cache, unchanged. */
  cached: number;
  warnings: Diagnostic[];
}

type Visibility = 'public' | 'preview' | 'hidden';

interface CachedRelease {
  inputHash: string;
  visibility: Visibility;
  embargo?: number;
  summaries: PageSummary[];
  outputs: string[];
}

interface BuildCache {
  key: string;
  manifest: string[];
  releases: Record<string, CachedRelease>;
}


function visibility(embargo: number | undefined, now: number, includeEmbargoed: boolean): Visibility {
  if (embargo === undefined || embargo <= now) return 'public';
  return includeEmbargoed ? 'preview' : 'hidden';
}

/**
 * Builds the newsroom: validates every release first (nothing is written when one has
 * errors), then renders what changed since the last build, writes only files whose
 * bytes differ, and removes the files of releases that are gone or embargoed again.
 */
export async function buildSite(config: Config, options: BuildOptions): Promise<BuildResult> {
  const dirs = findReleaseDirs(config.root, options.cwd, options.releases);
  const engine = createTemplateEngine('web', config.root);
  const cacheKey = hash([VERSION, options.out, readFileSync(join(config.root, 'aimq.config.yaml'), 'utf8'), templatesFingerprint(engine)]);
  const cacheFile = join(config.root, '.aimq', `build-${hash([options.out]).slice(0, 16)}.json`);
  const previous = readCache(cacheFile);
  const cache: BuildCache = previous?.key === cacheKey ? previous : { key: cacheKey, manifest: previous?.manifest ?? [], releases: {} };

  const problems: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];
  const entries: ReleaseEntry[] = [];
  const embargoed: string[] = [];
  const nextReleases: Record<string, CachedRelease> = {};
  const toRender: { release: Release; trees: Map<string, Root>; dirAbs: string; inputHash: string; visibility: Visibility }[] = [];
  let cached = 0;

  for (const dirAbs of dirs) {
    const id = basename(dirAbs);
    const assets = releaseAssets(dirAbs);
    const inputHash = releaseInputHash(dirAbs, assets);
    const hit = cache.releases[id];
    if (hit && hit.inputHash === inputHash && hit.visibility === visibility(hit.embargo, options.now, options.includeEmbargoed) && hit.outputs.every((o) => existsSync(join(options.out, o)))) {
      nextReleases[id] = hit;
      cached++;
      if (hit.visibility === 'hidden') embargoed.push(id);
      else entries.push({ id, pages: hit.summaries });
      continue;
    }
    const loaded = loadRelease(dirAbs, config);
    const bodies = parseBodies(loaded.bodies);
    for (const d of [...loaded.diagnostics, ...bodies.flatMap((b) => checkBodyStructure(b, config.root))]) (d.severity === 'error' ? problems : warnings).push(d);
    if (!loaded.release) continue;
    const vis = visibility(loaded.release.embargo?.epoch, options.now, options.includeEmbargoed);
    if (vis === 'hidden') {
      embargoed.push(id);
      nextReleases[id] = { inputHash, visibility: vis, embargo: loaded.release.embargo!.epoch, summaries: [], outputs: [] };
      continue;
    }
    toRender.push({ release: loaded.release, trees: prepareTrees(bodies, config.typography.fr), dirAbs, inputHash, visibility: vis });
  }
  if (problems.length) throw new AimqProblems([...problems, ...warnings]);

  const writer = new OutputWriter(options.out, options.shownOut);
  try {
    mkdirSync(options.out, { recursive: true });
  } catch (err) {
    throw unwritable(options.shownOut, '', err);
  }
  // The e-mail layout costs an MJML run (cached on disk): only when a release must be rendered.
  const layout = toRender.length ? await loadEmailLayout(createTemplateEngine('email', config.root), join(config.root, '.aimq')) : undefined;
  for (const { release, trees, dirAbs, inputHash, visibility: vis } of toRender) {
    const files = layout ? emailPages(release, trees, config, layout) : [];
    const web = renderReleasePages(release, trees, config, engine, { embargoPreview: vis === 'preview' });
    const summaries = web.summaries;
    files.push(...web.files);
    const outputs: string[] = [];
    for (const f of files) {
      writer.write(f.path, f.content);
      outputs.push(f.path);
    }
    for (const asset of releaseAssets(dirAbs)) {
      const path = sitePaths.asset(release, asset);
      writer.write(path, readFileSync(join(dirAbs, asset)));
      outputs.push(path);
    }
    entries.push({ id: release.id, pages: summaries });
    nextReleases[release.id] = { inputHash, visibility: vis, ...(release.embargo ? { embargo: release.embargo.epoch } : {}), summaries, outputs };
  }

  const siteFiles = renderSiteFiles(entries, config, engine, options.now);
  for (const f of siteFiles) writer.write(f.path, f.content);
  for (const asset of [sitePaths.stylesheet, sitePaths.printStylesheet]) writer.write(asset, readTemplateAsset(engine, asset));

  const manifest = new Set<string>([...siteFiles.map((f) => f.path), sitePaths.stylesheet, sitePaths.printStylesheet, ...Object.values(nextReleases).flatMap((r) => r.outputs)]);
  const removed = cache.manifest.filter((p) => !manifest.has(p));
  for (const p of removed) writer.remove(p);
  writeCache(cacheFile, { key: cacheKey, manifest: [...manifest].sort(), releases: nextReleases });

  const pages = entries.flatMap((e) => e.pages.map((p) => ({ release: e.id, lang: p.lang, path: p.path })));
  const emails = entries.flatMap((e) =>
    (nextReleases[e.id]?.outputs ?? [])
      .filter((o) => o.startsWith('email/') && o.endsWith('.html'))
      .map((path) => ({ release: e.id, edition: path.slice(path.lastIndexOf('/') + 1, -'.html'.length), path })),
  );
  return { written: writer.written, unchanged: writer.unchanged.length, removed, pages, emails, embargoed, cached, warnings };
}

/** The "view in browser" copies of every e-mail edition: HTML and plain text, never recipients. */
function emailPages(release: Release, trees: ReadonlyMap<string, Root>, config: Config, layout: EmailLayout): RenderedFile[] {
  return [...emailViews(release, trees, config, emailEditions(release), { embedImages: false })].flatMap(([edition, view]) => {
    return [
      { path: emailPagePath(release, edition, 'html'), content: layout.html(view) },
      { path: emailPagePath(release, edition, 'txt'), content: view.text },
    ];
  });
}

function hash(parts: readonly (string | Buffer)[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex');
}

/** Markdown by content; assets by size and modification time, which is enough and cheap. */
function releaseInputHash(dirAbs: string, assets: readonly string[]): string {
  const parts: string[] = [];
  for (const name of readdirSync(dirAbs).sort()) {
    if (name.endsWith('.md')) parts.push(name, readFileSync(join(dirAbs, name), 'utf8'));
  }
  for (const a of assets) {
    const st = statSync(join(dirAbs, a));
    parts.push(a, `${st.size}:${st.mtimeMs}`);
  }
  return hash(parts);
}

function templatesFingerprint(engine: TemplateEngine): string {
  const parts: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else parts.push(p, readFileSync(p, 'utf8'));
    }
  };
  for (const root of engine.roots) walk(root);
  return hash(parts);
}

/** A stylesheet from the first template folder that has it (a project may override it). */
function readTemplateAsset(engine: TemplateEngine, asset: string): Buffer {
  for (const root of engine.roots) {
    const p = join(root, asset);
    if (existsSync(p)) return readFileSync(p);
  }
  throw new Error(`template asset ${asset} not found in ${engine.roots.join(', ')}`);
}

function readCache(file: string): BuildCache | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as BuildCache;
  } catch {
    return undefined;
  }
}

/** The cache only saves work: failing to write it must not fail the build. */
function writeCache(file: string, cache: BuildCache): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(cache));
  } catch {
    // A read-only project folder still builds, just not incrementally.
  }
}

