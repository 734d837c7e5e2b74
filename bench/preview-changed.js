#!/usr/bin/env node
// Preview of a pull request that changes one release: `node bench/preview-changed.js
// [--releases 300] [--runs 3] [--full-releases 10] [--pages 1,2,4]`.
//
// Generates N releases (bench/generate.js) in a git repository, commits them, edits one
// release's French text in a second commit, then times, from a cold start as in CI (no
// output folder, no build cache):
//   - `aimq release build --preview --changed-since HEAD~1` (screenshots of the one release);
//   - `aimq release build --preview --compare HEAD~1` (also HEAD~1's version, built from git,
//     and difference images), with AIMQ_PREVIEW_PAGES = each of --pages, alternating;
//   - for comparison, the full preview (`--preview`, every release) of a smaller project of
//     --full-releases releases, with 1 page (the old way) and the default, extrapolated
//     linearly to N releases per screenshot.
// Prints a table to stdout (progress to stderr) and writes bench/preview-results.json.
// Needs a compiled CLI (npm run build) and Chromium (/usr/bin/chromium or AIMQ_CHROME).

import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { EDIT_SENTENCES, generateProject } from './generate.js';
import {
  BENCH_DIR,
  BIN,
  fail,
  fmtMs,
  importDist,
  loadAverage,
  log,
  makeTemp,
  NODE,
  NOW,
  positiveInt,
  printTable,
  REPO,
  range,
  repeat,
  stats,
  timed,
} from './lib.js';

const { values: opts } = parseArgs({
  options: {
    releases: { type: 'string', default: '300' },
    runs: { type: 'string', default: '3' },
    'full-releases': { type: 'string', default: '10' },
    pages: { type: 'string', default: '1,2,4' },
    only: { type: 'string', default: 'changed,compare,pool,full' },
  },
});
const ONLY = new Set(opts.only.split(','));
const RELEASES = positiveInt('--releases', opts.releases);
const RUNS = positiveInt('--runs', opts.runs);
const FULL = positiveInt('--full-releases', opts['full-releases']);
const POOLS = opts.pages.split(',').map((p) => positiveInt('--pages', p));

const git = (cwd, ...args) =>
  execFileSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@example.org', ...args], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });

/** A generated project of `count` releases in a git repository: one commit, then one release edited in a second. */
function repository(tmp, name, count) {
  const project = join(tmp, name);
  mkdirSync(project);
  const generated = generateProject(project, count, { configFile: join(REPO, 'aimq.config.yaml') });
  writeFileSync(join(project, '.gitignore'), 'public/\n.aimq/\n');
  git(project, 'init', '-q', '-b', 'main');
  git(project, 'add', '-A');
  git(project, 'commit', '-qm', `${count} releases`);
  const edited = generated.folders[Math.floor(generated.folders.length / 2)];
  appendFileSync(join(project, 'releases', edited, 'fr.md'), `\n${EDIT_SENTENCES[0]}\n`);
  git(project, 'commit', '-qam', `edit ${edited}`);
  return { project, edited };
}

const cold = (project) => () => {
  rmSync(join(project, 'public'), { recursive: true, force: true });
  rmSync(join(project, '.aimq'), { recursive: true, force: true });
};

const aimq = (project, args, env = {}) =>
  timed(NODE, [BIN, '-C', project, 'release', 'build', '--now', NOW, ...args], {
    env: { ...process.env, ...env },
  });

const shotsIn = (project) =>
  readdirSync(join(project, 'public', '_preview', 'screenshots'), { recursive: true }).filter(
    (f) => String(f).endsWith('.png') && !String(f).includes('/diff/'),
  ).length;

const loadStart = loadAverage();
const tmp = makeTemp('aimq-bench-preview-');
log(`Generating ${RELEASES} releases in a git repository…`);
const big = repository(tmp, 'big', RELEASES);
log(`  edited ${big.edited} in HEAD`);

const rows = [['measurement', 'median', 'min – max', 'notes']];
const results = { releases: RELEASES, runs: RUNS, edited: big.edited, measurements: {} };

const record = (key, label, runs, notes) => {
  const s = stats(runs.map((r) => r.ms));
  results.measurements[key] = { medianMs: s.median, minMs: s.min, maxMs: s.max, runsMs: s.runs, notes };
  rows.push([label, fmtMs(s.median), range(s, fmtMs), notes]);
  return s;
};

if (ONLY.has('changed')) {
  let shots = 0;
  const runs = await repeat(`--changed-since HEAD~1 (${RELEASES} releases)`, RUNS, cold(big.project), () => {
    const r = aimq(big.project, ['--preview', '--changed-since', 'HEAD~1']);
    shots = shotsIn(big.project);
    return r;
  });
  record(
    'changedSince',
    `build --preview --changed-since HEAD~1, ${RELEASES} releases`,
    runs,
    `${shots} screenshots, cold`,
  );
}

// Pool sizes alternate run by run, so that the machine's load falls on each alike.
const byPool = new Map(POOLS.map((p) => [p, []]));
let compareShots = 0;
let diffImages = 0;
for (let i = ONLY.has('compare') ? -1 : RUNS; i < RUNS; i++) {
  for (const pages of POOLS) {
    cold(big.project)();
    const r = aimq(big.project, ['--preview', '--compare', 'HEAD~1'], { AIMQ_PREVIEW_PAGES: String(pages) });
    compareShots = shotsIn(big.project);
    diffImages = Number(/(\d+) difference image/.exec(r.stderr)?.[1] ?? 0);
    if (i >= 0) byPool.get(pages).push(r);
    log(`  --compare HEAD~1, ${pages} page(s) ${i < 0 ? 'warm-up' : `${i + 1}/${RUNS}`}: ${fmtMs(r.ms)}`);
  }
}
const compareStats = new Map();
for (const [pages, runs] of byPool) {
  if (!runs.length) continue;
  compareStats.set(
    pages,
    record(
      `compare${pages}`,
      `build --preview --compare HEAD~1, ${RELEASES} releases, ${pages} page(s)`,
      runs,
      `${compareShots} screenshots (before and after), ${diffImages} difference images, cold`,
    ),
  );
}

// The pool alone: the same screenshots (the changed release's 10, twice over, as --compare
// takes them) with 1, 2 and 4 pages, alternating, without the build around them.
if (ONLY.has('pool')) {
  if (!ONLY.has('compare')) aimq(big.project, ['--preview', '--compare', 'HEAD~1']);
  const { takeScreenshots } = await importDist('preview/screenshots.js');
  const { findBrowser } = await importDist('preview/browser.js');
  const lookup = findBrowser(process.env);
  if ('missing' in lookup) fail(lookup.missing);
  const out = join(big.project, 'public');
  // The English page's folder is the release's English slug when it has one.
  const slugOf = (lang) =>
    /^slug: *(\S+)/m.exec(
      readFileSync(join(big.project, 'releases', big.edited, `${lang}.md`), 'utf8'),
    )?.[1] ?? big.edited;
  const targets = [
    ...['fr', 'en'].map((lang) => ({ path: `${lang}/${slugOf(lang)}/index.html`, widths: [1280, 375] })),
    ...['fr', 'en', 'bilingual'].map((e) => ({ path: `email/${big.edited}/${e}.html`, widths: [600, 375] })),
  ];
  const shotDir = join(tmp, 'pool');
  const shots = [0, 1].flatMap((copy) =>
    targets.flatMap((t) =>
      t.widths.map((width) => ({
        url: pathToFileURL(join(out, t.path)).href,
        width,
        file: join(shotDir, `${copy}-${t.path.replace(/\//g, '_')}-${width}.png`),
      })),
    ),
  );
  const pool = new Map(POOLS.map((p) => [p, []]));
  for (let i = -1; i < RUNS; i++) {
    for (const pages of POOLS) {
      const start = process.hrtime.bigint();
      const r = await takeScreenshots(lookup.executable, shots, pages);
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (r.failure) fail(r.failure);
      if (i >= 0) pool.get(pages).push({ ms });
      log(
        `  ${shots.length} screenshots, ${pages} page(s) ${i < 0 ? 'warm-up' : `${i + 1}/${RUNS}`}: ${fmtMs(ms)}`,
      );
    }
  }
  for (const [pages, runs] of pool)
    record(
      `pool${pages}`,
      `${shots.length} screenshots alone, ${pages} page(s)`,
      runs,
      'browser start included',
    );
}

const full = new Map();
const small = ONLY.has('full') ? repository(tmp, 'small', FULL) : undefined;
if (small) log(`Generated ${FULL} releases for the full preview.`);
for (const pages of small ? [1, 2] : []) {
  const runs = await repeat(
    `full --preview, ${FULL} releases, ${pages} page(s)`,
    1,
    cold(small.project),
    () => aimq(small.project, ['--preview'], { AIMQ_PREVIEW_PAGES: String(pages) }),
  );
  const shots = shotsIn(small.project);
  const s = record(
    `full${pages}`,
    `build --preview (everything), ${FULL} releases, ${pages} page(s)`,
    runs,
    `${shots} screenshots; per screenshot ${fmtMs(stats(runs.map((r) => r.ms)).median / shots)}`,
  );
  full.set(pages, { ms: s.median, shots });
}
for (const [pages, f] of full) {
  const estimate = (f.ms / f.shots) * (f.shots / FULL) * RELEASES;
  results.measurements[`fullEstimate${pages}`] = { estimateMs: estimate };
  rows.push([
    `full preview of ${RELEASES} releases, ${pages} page(s), extrapolated`,
    fmtMs(estimate),
    '',
    `${(f.shots / FULL) * RELEASES} screenshots at the ${FULL}-release rate`,
  ]);
}

results.loadAverage = { start: loadStart, end: loadAverage() };
printTable(rows);
const best = Math.min(...[...compareStats.values()].map((s) => s.median));
if (compareStats.size)
  console.log(
    `\nAim: a pull request that changes one release in ${RELEASES} previews in under 60 s: ${fmtMs(best)} (${best < 60_000 ? 'met' : 'NOT met'}). Load average ${loadStart.join(' ')} at the start, ${results.loadAverage.end.join(' ')} at the end.`,
  );
writeFileSync(join(BENCH_DIR, 'preview-results.json'), `${JSON.stringify(results, null, 2)}\n`);
