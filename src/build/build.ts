import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import type { Root } from 'mdast';
import { AimqProblems, type Diagnostic } from '../errors/index.js';
import { displayPath } from '../load/display-path.js';
import type { Config } from '../model/config.js';
import type { Release } from '../model/release.js';
import type { PageSummary } from '../render-web/page.js';
import type { Renderers } from './render.js';
import type { ReleaseEntry } from '../render-web/site.js';
import { sitePaths } from '../render-web/urls.js';
import { templateRoots } from '../templating/roots.js';
import { checkArchiveSlugs, checkUniquePages } from '../validate/slugs.js';
import { VERSION } from '../version.js';
import { findReleaseDirs, releaseFiles } from '../load/discover.js';
import { checkOutputFolder } from './out-folder.js';
import { OutputWriter, unwritable } from './output.js';
import { visibility, type Visibility } from './visibility.js';

const CONFIG = 'aimq.config.yaml';

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
  /** The real clock, compared with files' modification times (not --now); default Date.now. */
  wallClock?: () => number;
  /**
   * Kept by a caller that builds again and again (the preview): the cache and the parsed
   * templates stay in memory between builds instead of being read and parsed each time.
   */
  session?: BuildSession;
  /**
   * With `session`: the paths (relative to the project, `/`-separated) that changed since
   * the session's last build, as a file watcher reports them. Releases outside them are
   * taken from the session's cache without looking at their files. Undefined: unknown, every
   * release is looked at.
   */
  changed?: readonly string[];
  /** Where Chromium is looked up (AIMQ_CHROME, PATH) when the config's pdf.build prints PDFs. */
  env?: NodeJS.ProcessEnv;
}

/** What a caller keeps between builds of the same project and output folder. */
export interface BuildSession {
  cache?: BuildCache;
  renderers?: { key: string; value: Renderers };
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

interface CachedRelease {
  inputHash: string;
  /** Size and modification time of each file, so that an unchanged release is not even read. */
  inputStat?: string;
  visibility: Visibility;
  embargo?: number;
  summaries: PageSummary[];
  /** The release's tags: its topic pages in the newsroom. */
  tags?: string[];
  outputs: string[];
}

/** A part of the site (site.ts): the digest it was rendered from, and its files. */
interface SitePartCache {
  key: string;
  files: string[];
}

export interface BuildCache {
  key: string;
  /** When the build that wrote this cache started, by the real clock. */
  startedAt?: number;
  manifest: string[];
  releases: Record<string, CachedRelease>;
  /** Digest of what the indexes, feeds, archive and sitemap were made from, and the files they are. */
  site?: { key: string; files: string[]; parts?: Record<string, SitePartCache> };
}

/**
 * Builds the newsroom: validates every release first (nothing is written when one has
 * errors), then renders what changed since the last build, writes only files whose
 * bytes differ, and removes the files of releases that are gone or embargoed again.
 */
export async function buildSite(config: Config, options: BuildOptions): Promise<BuildResult> {
  const startedAt = (options.wallClock ?? Date.now)();
  checkOutputFolder(config.root, options.out, options.shownOut);
  const dirs = findReleaseDirs(config.root, options.cwd, options.releases);
  const session = options.session;
  // The config and templates are read again only when the watcher says one of them changed.
  const sameInputs =
    session?.cache &&
    options.changed?.every(
      (p) => p !== '.' && p !== CONFIG && p !== 'templates' && !p.startsWith('templates/'),
    );
  const cacheKey = sameInputs
    ? session!.cache!.key
    : hash([
        VERSION,
        // What a cached release records (its tags since the newsroom's topic pages).
        'cache-2',
        options.out,
        readFileSync(join(config.root, CONFIG), 'utf8'),
        templatesFingerprint([...templateRoots('web', config.root), ...templateRoots('email', config.root)]),
      ]);
  const cacheFile = join(config.root, '.aimq', `build-${hash([options.out]).slice(0, 16)}.json`);
  const kept = session?.cache?.key === cacheKey ? session.cache : undefined;
  const previous = kept ?? readCache(cacheFile);
  const cache: BuildCache =
    previous?.key === cacheKey
      ? previous
      : { key: cacheKey, manifest: previous?.manifest ?? [], releases: {} };
  // Only a cache this session wrote is known to match the files the watcher saw since.
  const untouched = kept && options.changed ? untouchedBy(options.changed, config.root) : undefined;
  // As git does for its index: a file changed in the last moments before the previous build
  // started may change again without its size or time changing (coarse timestamps), so its
  // statistics are only trusted when it is older than that, with a margin.
  const statsTrustedBefore = (cache.startedAt ?? -Infinity) - 2000;

  const problems: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];
  const entries: ReleaseEntry[] = [];
  const embargoed: string[] = [];
  const nextReleases: Record<string, CachedRelease> = {};
  const stale: { dirAbs: string; inputHash: string; inputStat: string; assets: string[] }[] = [];
  let cached = 0;

  /** A release whose pages the cache holds as they should be: listed as the cache says. */
  const fromCache = (id: string, hit: CachedRelease) => {
    nextReleases[id] = hit;
    cached++;
    if (hit.visibility === 'hidden') embargoed.push(id);
    else entries.push({ id, pages: hit.summaries, tags: hit.tags ?? [] });
  };
  for (const dirAbs of dirs) {
    const id = basename(dirAbs);
    const hit = cache.releases[id];
    const sameVisibility =
      hit !== undefined && hit.visibility === visibility(hit.embargo, options.now, options.includeEmbargoed);
    if (hit && sameVisibility && untouched?.(dirAbs)) {
      fromCache(id, hit);
      continue;
    }
    const { inputHash, inputStat, assets } = releaseInput(dirAbs, hit, statsTrustedBefore);
    if (
      hit &&
      sameVisibility &&
      hit.inputHash === inputHash &&
      hit.outputs.every((o) => existsSync(join(options.out, o)))
    ) {
      fromCache(id, { ...hit, inputStat });
    } else {
      stale.push({ dirAbs, inputHash, inputStat, assets });
    }
  }

  const written: string[] = [];
  const unchanged: string[] = [];
  // Pages to print once the stylesheets are written: only those of releases rendered again.
  const toPrint: { id: string; release: Release; embargoed: boolean }[] = [];
  if (stale.length) {
    // One thread, release after release: on a small machine worker threads made a cold
    // build slower (BENCHMARKS.md). Trees are kept from loading to rendering so that each
    // release is parsed once, although nothing is written before every release is checked.
    const { createRenderers, loadForBuild, renderRelease } = await import('./render.js');
    const toRender: {
      id: string;
      dirAbs: string;
      inputHash: string;
      inputStat: string;
      assets: string[];
      visibility: Visibility;
      embargo?: number;
      release: Release;
      trees: Map<string, Root>;
    }[] = [];
    const pages: { path: string; file: string }[] = [];
    for (const { dirAbs, inputHash, inputStat, assets } of stale) {
      const id = basename(dirAbs);
      const { release, trees, diagnostics } = loadForBuild(dirAbs, config, options.now);
      for (const d of diagnostics) (d.severity === 'error' ? problems : warnings).push(d);
      if (!release || !trees) continue;
      // A stub title or paragraph that `release new` wrote is about to be published: say so,
      // as check does (send refuses it; a build used to publish it without a word).
      warnings.push(...(release.placeholders ?? []));
      const vis = visibility(release.embargo?.epoch, options.now, options.includeEmbargoed);
      const embargo = release.embargo?.epoch;
      if (vis === 'hidden') {
        embargoed.push(id);
        nextReleases[id] = {
          inputHash,
          inputStat,
          visibility: 'hidden',
          embargo: embargo!,
          summaries: [],
          outputs: [],
        };
        continue;
      }
      toRender.push({
        id,
        dirAbs,
        inputHash,
        inputStat,
        assets,
        visibility: vis,
        ...(embargo === undefined ? {} : { embargo }),
        release,
        trees,
      });
      pages.push(...release.editions.map((e) => ({ path: sitePaths.page(e), file: e.file })));
    }
    const editionFile = (dirAbs: string, lang: string) => `${displayPath(config.root, dirAbs)}/${lang}.md`;
    // Only the pages rendered now: a cached page passed this check when it was rendered.
    problems.push(...checkArchiveSlugs(pages));
    problems.push(
      ...checkUniquePages([
        // Releases taken from the cache: their pages are in their summaries.
        ...dirs.flatMap((dirAbs) =>
          (nextReleases[basename(dirAbs)]?.summaries ?? []).map((p) => ({
            path: p.path,
            file: editionFile(dirAbs, p.lang),
          })),
        ),
        ...pages,
      ]),
    );
    if (problems.length) throw new AimqProblems([...problems, ...warnings]);
    // Pages whose PDF cannot be printed are not written either.
    if (config.pdf.build && toRender.length)
      (await import('../pdf/print.js')).requireBrowser(options.env ?? {});

    makeOutDir(options);
    let renderers = session?.renderers?.key === cacheKey ? session.renderers.value : undefined;
    if (!renderers && toRender.length) {
      renderers = await createRenderers(config);
      if (session) session.renderers = { key: cacheKey, value: renderers };
    }
    const releaseWriter = new OutputWriter(options.out, options.shownOut);
    for (const r of toRender) {
      const { files, summaries } = renderRelease(
        r.release,
        r.trees,
        config,
        renderers!,
        r.visibility === 'preview',
        options.now,
      );
      const outputs: string[] = [];
      for (const f of files) {
        releaseWriter.write(f.path, f.content);
        outputs.push(f.path);
      }
      // The folder's listing made for its input hash: the files hashed are the files published.
      for (const asset of r.assets) {
        const path = sitePaths.asset(r.release, asset);
        releaseWriter.write(path, readFileSync(join(r.dirAbs, asset)));
        outputs.push(path);
      }
      entries.push({ id: r.id, pages: summaries, tags: r.release.tags });
      if (config.pdf.build)
        toPrint.push({ id: r.id, release: r.release, embargoed: r.visibility === 'preview' });
      nextReleases[r.id] = {
        inputHash: r.inputHash,
        inputStat: r.inputStat,
        visibility: r.visibility,
        ...(r.embargo === undefined ? {} : { embargo: r.embargo }),
        summaries,
        tags: r.release.tags,
        outputs,
      };
    }
    written.push(...releaseWriter.written);
    unchanged.push(...releaseWriter.unchanged);
  }
  makeOutDir(options);
  const writer = new OutputWriter(options.out, options.shownOut);

  // The indexes, feeds and sitemap depend only on the entries (and the config and templates,
  // which are in the cache key): when those are the same, the files already are what they should be.
  const siteKey = hash([JSON.stringify([...entries].sort((a, b) => (a.id < b.id ? -1 : 1)))]);
  let site = cache.site;
  if (!site || site.key !== siteKey || !site.files.every((f) => existsSync(join(options.out, f)))) {
    // Something changed: only the parts it touches (a year, a topic, the indexes) are
    // rendered again; a new release leaves the other years' and topics' pages alone.
    const { sitePartsToRender } = await import('./site.js');
    const before = site?.parts ?? {};
    const parts: Record<string, SitePartCache> = {};
    for (const part of sitePartsToRender(entries, config, options.now, session?.renderers?.value.web)) {
      const hit = before[part.id];
      if (hit?.key === part.key && hit.files.every((f) => existsSync(join(options.out, f)))) {
        writer.unchanged.push(...hit.files);
        parts[part.id] = hit;
        continue;
      }
      const files = part.render();
      for (const f of files) writer.write(f.path, f.content);
      parts[part.id] = { key: part.key, files: files.map((f) => f.path) };
    }
    site = { key: siteKey, files: Object.values(parts).flatMap((p) => p.files), parts };
  } else {
    writer.unchanged.push(...site.files);
  }

  if (toPrint.length) {
    const { printBuiltPdfs } = await import('../pdf/build.js');
    const printed = await printBuiltPdfs(config, options.out, toPrint, options.env ?? {});
    for (const { id, path, pdf } of printed) {
      writer.write(path, pdf);
      nextReleases[id]!.outputs.push(path);
    }
  }

  const manifest = new Set<string>([...site.files, ...Object.values(nextReleases).flatMap((r) => r.outputs)]);
  const removed = cache.manifest.filter((p) => !manifest.has(p));
  for (const p of removed) writer.remove(p);
  const nextCache: BuildCache = {
    key: cacheKey,
    startedAt,
    manifest: [...manifest].sort(),
    releases: nextReleases,
    site,
  };
  if (session) {
    session.cache = nextCache;
    // Off the path to the reload: this process keeps the cache in memory meanwhile.
    setImmediate(() => writeCache(cacheFile, nextCache));
  } else {
    writeCache(cacheFile, nextCache);
  }

  const pages = entries.flatMap((e) => e.pages.map((p) => ({ release: e.id, lang: p.lang, path: p.path })));
  const emails = entries.flatMap((e) =>
    (nextReleases[e.id]?.outputs ?? [])
      .filter((o) => o.startsWith('email/') && o.endsWith('.html'))
      .map((path) => ({
        release: e.id,
        edition: path.slice(path.lastIndexOf('/') + 1, -'.html'.length),
        path,
      })),
  );
  return {
    written: [...written, ...writer.written],
    unchanged: unchanged.length + writer.unchanged.length,
    removed,
    pages,
    emails,
    embargoed,
    cached,
    warnings,
  };
}

/**
 * Whether a release folder is outside every changed path: neither the folder, nor anything
 * in it, nor a folder above it changed.
 */
function untouchedBy(changed: readonly string[], root: string): (dirAbs: string) => boolean {
  return (dirAbs) => {
    const rel = relative(root, dirAbs).split(sep).join('/');
    return !changed.some((p) => p === '.' || p === rel || p.startsWith(`${rel}/`) || rel.startsWith(`${p}/`));
  };
}

function makeOutDir(options: BuildOptions): void {
  try {
    mkdirSync(options.out, { recursive: true });
  } catch (err) {
    throw unwritable(options.shownOut, '', err);
  }
}

function hash(parts: readonly (string | Buffer)[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex');
}

/**
 * What a release is made of: markdown by content, assets by size and modification time
 * (enough, and cheap). When no file's size or time changed since `previous` and every
 * markdown file is older than `trustedBefore`, the markdown is not read again.
 */
function releaseInput(
  dirAbs: string,
  previous: CachedRelease | undefined,
  trustedBefore: number,
): { inputHash: string; inputStat: string; assets: string[] } {
  const { editions, assets } = releaseFiles(dirAbs);
  const stats: string[] = [];
  let newestEdition = -Infinity;
  for (const name of editions) {
    const st = statSync(join(dirAbs, name));
    stats.push(name, `${st.size}:${st.mtimeMs}`);
    newestEdition = Math.max(newestEdition, st.mtimeMs);
  }
  const assetStats = assets.map((a) => {
    const st = statSync(join(dirAbs, a));
    return [a, `${st.size}:${st.mtimeMs}`];
  });
  const inputStat = [...stats, ...assetStats.flat()].join('\0');
  if (previous?.inputStat === inputStat && newestEdition < trustedBefore)
    return { inputHash: previous.inputHash, inputStat, assets };
  const parts: string[] = [];
  for (const name of editions) parts.push(name, readFileSync(join(dirAbs, name), 'utf8'));
  return { inputHash: hash([...parts, ...assetStats.flat()]), inputStat, assets };
}

function templatesFingerprint(roots: readonly string[]): string {
  const parts: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else parts.push(p, readFileSync(p, 'utf8'));
    }
  };
  for (const root of roots) walk(root);
  return hash(parts);
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
