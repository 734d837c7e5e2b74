// Build benchmark (bench/run.js --only build).
//
// Generates N bilingual releases in a temporary project (bench/generate.js), checks them
// once with `aimq release check`, then times, as child processes:
//   - cold builds, alternating (the first of the two alternating too): aimq (output folder
//     and .aimq/ cache deleted before each run) and Eleventy 3 on the same markdown files
//     (bench/eleventy/: one page per file with a layout equivalent to aimq's release page),
//     with the peak memory and CPU time of each;
//   - aimq rebuilding with no change, and after appending a sentence to one fr.md;
//   - one more aimq cold build under `node --cpu-prof`, summarised for BENCHMARKS.md.
// Each measurement: 1 warm-up, then R timed runs; median and min–max are reported.
//
// What each tool makes differs, and the table says so: Eleventy makes 2N pages; aimq
// makes the same 2N pages (with typography, validation, JSON-LD, hreflang), plus each
// release's three e-mail editions in HTML and text, the newsroom indexes, the Atom feeds
// and the sitemap.

import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { EDIT_SENTENCES, generateProject } from './generate.js';
import {
  BENCH_DIR,
  BIN,
  NODE,
  NOW,
  REPO,
  UNBUNDLED,
  fail,
  fmtMiB,
  fmtMs,
  log,
  makeTemp,
  msStats,
  packageVersion,
  range,
  removeTemp,
  repeat,
  round,
  rssMethodName,
  runNodeScript,
  stats,
  timed,
  timedWithRss,
} from './lib.js';
import { summarizeProfileDir } from './profile.js';

const ELEVENTY = join(REPO, 'node_modules', '@11ty', 'eleventy', 'cmd.cjs');
const ELEVENTY_CONFIG = join(BENCH_DIR, 'eleventy', 'eleventy.config.js');

/** Counts the files under `dir` whose name ends with `suffix`. */
function countFiles(dir, suffix) {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true }))
    if (e.isFile() && e.name.endsWith(suffix)) n++;
  return n;
}

/** Total size of the files under `dir`. */
function sumBytes(dir) {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true }))
    if (e.isFile()) n += statSync(join(e.parentPath ?? e.path, e.name)).size;
  return n;
}
const fmtMB = (bytes) => `${(bytes / 1e6).toFixed(bytes < 1e7 ? 1 : 0)} MB`;

/**
 * Runs the build benchmark. `o`: { releases, runs, quick, rssMethod }. Returns the lines
 * that describe it, its table and its part of results.json.
 */
export async function buildBenchmark(o) {
  const RELEASES = o.releases;
  const RUNS = o.runs;
  const PAGES = 2 * RELEASES;
  const tmp = makeTemp();
  const project = join(tmp, 'project');
  const out = join(tmp, 'public');
  const eleventyOut = join(tmp, 'eleventy');
  const cache = join(project, '.aimq');
  mkdirSync(project);

  log(`Generating ${RELEASES} bilingual releases in ${project}…`);
  const generated = generateProject(project, RELEASES, { configFile: join(REPO, 'aimq.config.yaml') });
  log(
    `  ${generated.folders.length} releases, ${generated.firstDate} to ${generated.lastDate}, about ${generated.wordsPerEdition} words per edition`,
  );

  log('Checking them with `aimq release check`…');
  const check = spawnSync(NODE, [BIN, 'release', 'check', '-C', project, '--format', 'json'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (check.status !== 0) {
    let detail = check.stderr;
    try {
      const rank = (d) => (d.severity === 'error' ? 0 : 1);
      detail = JSON.parse(check.stdout)
        .sort((a, b) => rank(a) - rank(b))
        .slice(0, 10)
        .map((d) => `${d.file}:${d.line}:${d.column} ${d.severity}: ${d.message} [${d.code}]`)
        .join('\n');
    } catch {}
    fail(
      `the generated project does not pass \`aimq release check\` (exit ${check.status}); the generator (bench/generate.js) or the checker changed:\n${detail}`,
    );
  }
  const checkWarnings = JSON.parse(check.stdout || '[]').length;
  log(`  passed, ${checkWarnings} warning(s)`);

  const buildArgs = ['release', 'build', '-C', project, '--out', out, '--now', NOW];
  const eleventyInput = join(project, 'releases');
  const eleventyArgs = [
    `--config=${ELEVENTY_CONFIG}`,
    `--input=${eleventyInput}`,
    `--output=${eleventyOut}`,
    '--quiet',
  ];
  const eleventyEnv = { ...process.env, AIMQ_BENCH_ELEVENTY_INPUT: eleventyInput };
  const rssMethod = o.rssMethod;

  const aimqCold = () => {
    rmSync(out, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
    return timedWithRss(rssMethod, buildArgs);
  };
  const eleventyCold = () => {
    rmSync(eleventyOut, { recursive: true, force: true });
    return runNodeScript(rssMethod, ELEVENTY, eleventyArgs, { env: eleventyEnv });
  };
  log(
    `Cold builds, aimq and Eleventy alternating (outputs and aimq's .aimq/ deleted before each; peak memory via ${rssMethodName(rssMethod)})…`,
  );
  const coldRuns = await repeat(
    'aimq / Eleventy cold build',
    RUNS,
    () => {},
    (i) => {
      if (i % 2 === 0) {
        const eleventy = eleventyCold();
        return { aimq: aimqCold(), eleventy };
      }
      const aimq = aimqCold();
      return { aimq, eleventy: eleventyCold() };
    },
    (r) => `${fmtMs(r.aimq.ms)} / ${fmtMs(r.eleventy.ms)}`,
  );
  // A release page's folder, not the newsroom archive's (a year, or the topics' folder).
  const built = ['fr', 'en'].map(
    (l) =>
      readdirSync(join(out, l), { withFileTypes: true }).filter(
        (e) => e.isDirectory() && !/^\d{4}$/.test(e.name) && !['sujets', 'topics'].includes(e.name),
      ).length,
  );
  if (built[0] + built[1] !== PAGES)
    fail(`the cold build wrote ${built[0]} + ${built[1]} release pages, expected ${PAGES}`);
  const aimqFiles = countFiles(out, '');
  const aimqBytes = sumBytes(out);
  const eleventyPages = countFiles(eleventyOut, '.html');
  const eleventyBytes = sumBytes(eleventyOut);
  if (eleventyPages !== PAGES) fail(`Eleventy wrote ${eleventyPages} pages, expected ${PAGES}`);

  log('Rebuild with no change…');
  const noChangeRuns = await repeat(
    'rebuild',
    RUNS,
    () => {},
    () => timed(NODE, [BIN, ...buildArgs]),
  );

  log('Rebuild after editing one release (a sentence appended to one fr.md, a different one each run)…');
  const edited = [];
  const editRuns = await repeat(
    'one-edit rebuild',
    RUNS,
    (i) => {
      const k = i + 1; // the warm-up edits too: every run has an edit to pick up
      const folder = generated.folders[(k * 7919) % generated.folders.length];
      appendFileSync(
        join(project, 'releases', folder, 'fr.md'),
        `\n${EDIT_SENTENCES[k % EDIT_SENTENCES.length]}\n`,
      );
      edited.push(folder);
    },
    () => timed(NODE, [BIN, ...buildArgs]),
  );

  log('Profiling one more cold build (node --cpu-prof, unbundled so that time is attributed to packages)…');
  const profDir = join(tmp, 'profile');
  rmSync(out, { recursive: true, force: true });
  rmSync(cache, { recursive: true, force: true });
  timed(NODE, ['--cpu-prof', `--cpu-prof-dir=${profDir}`, UNBUNDLED, ...buildArgs]);
  const profile = summarizeProfileDir(profDir);
  removeTemp(tmp);

  // -----------------------------------------------------------------------------------
  // Results

  const of = (key, field) => stats(coldRuns.map((r) => r[key][field]));
  const cold = of('aimq', 'ms');
  const rss = of('aimq', 'rssKiB');
  const cpu = of('aimq', 'cpuMs');
  const sys = of('aimq', 'systemMs');
  const eSys = of('eleventy', 'systemMs');
  const eCold = of('eleventy', 'ms');
  const eRss = of('eleventy', 'rssKiB');
  const eCpu = of('eleventy', 'cpuMs');
  const pairRatios = stats(coldRuns.map((r) => r.aimq.ms / r.eleventy.ms));
  const noChange = stats(noChangeRuns.map((r) => r.ms));
  const edit = stats(editRuns.map((r) => r.ms));
  const editShare = (100 * edit.median) / cold.median;
  const coldRatio = cold.median / eCold.median;
  const coldMet = coldRatio <= 1;
  const x = (v) => `${v.toFixed(2)}×`;
  const cores = (c, w) => `${(c / w).toFixed(2)} cores busy`;

  const rows = [
    ['measurement', 'median', 'min – max', 'notes'],
    [
      `aimq cold build (${RELEASES} releases)`,
      fmtMs(cold.median),
      range(cold, fmtMs),
      `${PAGES} pages + ${3 * RELEASES} e-mail editions (HTML and text) + indexes, feeds, sitemap: ${aimqFiles} files, ${fmtMB(aimqBytes)}`,
    ],
    [
      '  CPU time (user + system), same runs',
      fmtMs(cpu.median),
      range(cpu, fmtMs),
      `${cores(cpu.median, cold.median)}; system (kernel) ${fmtMs(sys.median)}; peak memory ${fmtMiB(rss.median)} (${range(rss, fmtMiB)})`,
    ],
    [
      `Eleventy ${packageVersion('@11ty/eleventy')} cold build, same markdown`,
      fmtMs(eCold.median),
      range(eCold, fmtMs),
      `${PAGES} pages: ${eleventyPages} files, ${fmtMB(eleventyBytes)}`,
    ],
    [
      '  CPU time (user + system), same runs',
      fmtMs(eCpu.median),
      range(eCpu, fmtMs),
      `${cores(eCpu.median, eCold.median)}; system (kernel) ${fmtMs(eSys.median)}; peak memory ${fmtMiB(eRss.median)} (${range(eRss, fmtMiB)})`,
    ],
    ['aimq ÷ Eleventy, cold', x(coldRatio), range(pairRatios, x), `aim ≤ 1×: ${coldMet ? 'met' : 'NOT met'}`],
    [
      'aimq rebuild, no change',
      fmtMs(noChange.median),
      range(noChange, fmtMs),
      `${((100 * noChange.median) / cold.median).toFixed(1)} % of cold`,
    ],
    [
      'aimq rebuild, one release edited',
      fmtMs(edit.median),
      range(edit, fmtMs),
      `${editShare.toFixed(1)} % of cold (aim < 5 %): ${editShare < 5 ? 'met' : 'NOT met'}`,
    ],
  ];

  return {
    title: 'site build',
    heading: [
      `${RELEASES} generated bilingual releases (about ${generated.wordsPerEdition} words per edition, ${generated.firstDate} to ${generated.lastDate}); ${RUNS} run${RUNS === 1 ? '' : 's'} after 1 warm-up, aimq and Eleventy alternating`,
    ],
    rows,
    profile: {
      label: 'one more aimq cold build (unbundled, so that time is attributed to packages)',
      ...profile,
    },
    results: {
      options: { releases: RELEASES, pages: PAGES, runs: RUNS, warmUps: 1, now: NOW, quick: o.quick },
      project: {
        firstDate: generated.firstDate,
        lastDate: generated.lastDate,
        wordsPerEdition: generated.wordsPerEdition,
        checkWarnings,
      },
      commands: {
        aimq: `node bin/aimq.js ${buildArgs.join(' ').replace(project, '<project>').replace(out, '<out>')}`,
        eleventy: `AIMQ_BENCH_ELEVENTY_INPUT=<project>/releases node node_modules/@11ty/eleventy/cmd.cjs --config=bench/eleventy/eleventy.config.js --input=<project>/releases --output=<out> --quiet`,
      },
      versions: { eleventy: packageVersion('@11ty/eleventy') },
      memoryMethod: rssMethodName(rssMethod),
      measurements: {
        aimqCold: {
          ...msStats(cold),
          cpu: msStats(cpu),
          systemCpu: msStats(sys),
          peakMemoryMiB: round(rss.median / 1024),
          peakMemoryRangeMiB: [round(rss.min / 1024), round(rss.max / 1024)],
          files: aimqFiles,
          bytes: aimqBytes,
        },
        eleventyCold: {
          ...msStats(eCold),
          cpu: msStats(eCpu),
          systemCpu: msStats(eSys),
          peakMemoryMiB: round(eRss.median / 1024),
          pages: eleventyPages,
          bytes: eleventyBytes,
        },
        coldRatio: {
          median: round(coldRatio, 2),
          pairedRuns: pairRatios.runs.map((v) => round(v, 2)),
          aim: '≤ 1×',
          met: coldMet,
        },
        rebuildNoChange: {
          ...msStats(noChange),
          percentOfCold: round((100 * noChange.median) / cold.median, 2),
        },
        rebuildOneEdit: {
          ...msStats(edit),
          percentOfCold: round(editShare, 2),
          aim: '< 5 %',
          met: editShare < 5,
          editedReleases: edited /* the warm-up's first */,
        },
      },
      profile,
    },
  };
}
