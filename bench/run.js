#!/usr/bin/env node
// Build benchmark for aimq: `npm run bench [-- --quick | --releases N --runs R]`.
//
// Generates N bilingual releases in a temporary project (bench/generate.js), checks them
// once with `aimq release check`, then times the real CLI as a child process:
//   - cold build (output folder and .aimq/ cache deleted before each run), with its peak
//     memory and CPU time;
//   - rebuild with no change;
//   - rebuild after appending a sentence to one fr.md;
//   - start-up: `aimq --help` against `node -e 0`.
// Each measurement: 1 warm-up, then R timed runs; median and min–max are reported.
// Prints a table to stdout (progress goes to stderr), writes bench/results.json and
// removes its temporary folder.
//
// Needs a compiled CLI: run `npm run build` first.

import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { EDIT_SENTENCES, generateProject } from './generate.js';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(BENCH_DIR, '..');
const BIN = join(REPO, 'bin', 'aimq.js');
const MAIN = join(REPO, 'dist', 'cli', 'main.js');
const NOW = '2026-11-28T12:00:00-05:00';
const NODE = process.execPath;

// ---------------------------------------------------------------------------------------
// Options

const { values: opts } = parseArgs({
  options: {
    releases: { type: 'string' },
    runs: { type: 'string' },
    quick: { type: 'boolean', default: false },
    rss: { type: 'string' }, // force the peak-memory method: "time" or "node"
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opts.help) {
  console.log(`usage: node bench/run.js [--quick] [--releases N] [--runs R] [--rss time|node]
  --releases N   releases to generate (default 1000; --quick: 100)
  --runs R       timed runs per measurement, after 1 warm-up (default 5; --quick: 3)
  --rss METHOD   peak memory through /usr/bin/time ("time") or process.resourceUsage() ("node");
                 default: /usr/bin/time when it works, else node`);
  process.exit(0);
}
const positiveInt = (name, text) => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) fail(`--${name} must be a positive integer, not "${text}"`);
  return n;
};
const RELEASES = opts.releases ? positiveInt('releases', opts.releases) : opts.quick ? 100 : 1000;
const RUNS = opts.runs ? positiveInt('runs', opts.runs) : opts.quick ? 3 : 5;
const PAGES = 2 * RELEASES;
if (opts.rss && opts.rss !== 'time' && opts.rss !== 'node') fail(`--rss must be "time" or "node", not "${opts.rss}"`);

function fail(message) {
  console.error(`bench: ${message}`);
  process.exit(1);
}
const log = (message) => console.error(message);

if (!existsSync(MAIN)) fail(`${MAIN} not found: run \`npm run build\` first`);

// ---------------------------------------------------------------------------------------
// Running commands

/** Runs a command to completion and returns its wall-clock time; throws when it fails. */
function timed(command, args) {
  const start = process.hrtime.bigint();
  const r = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${r.status ?? r.signal}\n${r.stderr}`);
  return { ms, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Peak memory (max RSS, in KiB) of a node command. GNU time (`/usr/bin/time -f %M`) when it
 * is installed and works; otherwise, as on a fresh Debian machine with only Node, the
 * build runs in `node -e` through dist/cli/main.js (exactly what bin/aimq.js does) and
 * prints process.resourceUsage().maxRSS on exit.
 */
function chooseRssMethod() {
  if (opts.rss === 'node') return 'node';
  const probe = existsSync('/usr/bin/time') ? spawnSync('/usr/bin/time', ['-f', '%M', NODE, '-e', '0'], { encoding: 'utf8' }) : undefined;
  const works = probe?.status === 0 && /^\d+$/.test(probe.stderr.trim().split('\n').at(-1) ?? '');
  if (opts.rss === 'time' && !works) fail('--rss time: /usr/bin/time -f %M does not work on this machine');
  return works ? 'time' : 'node';
}

const RSS_MARK = 'aimq-bench-usage:';
const WRAPPER = `
process.on('exit', () => {
  const u = process.resourceUsage();
  process.stderr.write('\\n${RSS_MARK}' + [u.maxRSS, u.userCPUTime / 1e6, u.systemCPUTime / 1e6].join(' ') + '\\n');
});
import(${JSON.stringify(pathToFileURL(MAIN).href)}).then((m) => m.main(['node', 'aimq', ...process.argv.slice(1)]));
`;

/**
 * Runs `aimq <args>`, measuring wall-clock time, peak memory and CPU time (user + system,
 * which other work on a busy machine disturbs less than wall-clock time).
 */
function timedWithRss(method, aimqArgs) {
  let r, usage;
  if (method === 'time') {
    r = timed('/usr/bin/time', ['-f', '%M %U %S', NODE, BIN, ...aimqArgs]);
    usage = r.stderr.trim().split('\n').at(-1);
  } else {
    r = timed(NODE, ['-e', WRAPPER, ...aimqArgs]);
    usage = r.stderr.split('\n').find((l) => l.startsWith(RSS_MARK))?.slice(RSS_MARK.length);
  }
  const [rssKiB, user, system] = (usage ?? '').split(' ').map(Number);
  if (!(rssKiB > 0)) fail(`could not read the peak memory of the build from: ${usage}`);
  return { ms: r.ms, rssKiB, cpuMs: 1000 * (user + system) };
}

// ---------------------------------------------------------------------------------------
// Statistics and formatting

function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted.at(-1), runs: values };
}

const round = (x, digits = 1) => Number(x.toFixed(digits));
const fmtMs = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms >= 100 ? 0 : 1)} ms`);
const fmtMiB = (kib) => `${(kib / 1024).toFixed(0)} MiB`;
const range = (s, f) => `${f(s.min)} – ${f(s.max)}`;

/**
 * One warm-up, then `runs` timed repetitions of `measure()`; `prepare(i)` runs untimed
 * before each (i = -1 for the warm-up). Returns the measured results.
 */
function repeat(label, runs, prepare, measure) {
  const results = [];
  for (let i = -1; i < runs; i++) {
    prepare(i);
    const result = measure();
    if (i >= 0) results.push(result);
    log(`  ${label} ${i < 0 ? 'warm-up' : `${i + 1}/${runs}`}: ${fmtMs(result.ms ?? result.help?.ms)}`);
  }
  return results;
}

// ---------------------------------------------------------------------------------------
// The benchmark

const loadAtStart = os.loadavg().map((x) => round(x, 2)); // other work on the machine makes the figures noisy
const tmp = mkdtempSync(join(os.tmpdir(), 'aimq-bench-'));
// 'exit' also fires after fail() and after an uncaught error.
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
process.on('SIGINT', () => process.exit(130));

const project = join(tmp, 'project');
const out = join(tmp, 'public');
const cache = join(project, '.aimq');
mkdirSync(project);

log(`Generating ${RELEASES} bilingual releases in ${project}…`);
const generated = generateProject(project, RELEASES, { configFile: join(REPO, 'aimq.config.yaml') });
log(`  ${generated.folders.length} releases, ${generated.firstDate} to ${generated.lastDate}, about ${generated.wordsPerEdition} words per edition`);

log('Checking them with `aimq release check`…');
const check = spawnSync(NODE, [BIN, 'release', 'check', '-C', project, '--format', 'json'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
if (check.status !== 0) {
  let detail = check.stderr;
  try {
    const rank = (d) => (d.severity === 'error' ? 0 : 1);
    detail = JSON.parse(check.stdout).sort((a, b) => rank(a) - rank(b)).slice(0, 10).map((d) => `${d.file}:${d.line}:${d.column} ${d.severity}: ${d.message} [${d.code}]`).join('\n');
  } catch {}
  fail(`the generated project does not pass \`aimq release check\` (exit ${check.status}); the generator (bench/generate.js) or the checker changed:\n${detail}`);
}
const checkWarnings = JSON.parse(check.stdout || '[]').length;
log(`  passed, ${checkWarnings} warning(s)`);

const buildArgs = ['release', 'build', '-C', project, '--out', out, '--now', NOW];
const rssMethod = chooseRssMethod();

log(`Cold build (output and .aimq/ deleted before each run; peak memory via ${rssMethod === 'time' ? '/usr/bin/time -f %M' : 'process.resourceUsage().maxRSS'})…`);
const coldRuns = repeat('cold build', RUNS, () => {
  rmSync(out, { recursive: true, force: true });
  rmSync(cache, { recursive: true, force: true });
}, () => timedWithRss(rssMethod, buildArgs));
const built = ['fr', 'en'].map((l) => readdirSync(join(out, l), { withFileTypes: true }).filter((e) => e.isDirectory()).length);
if (built[0] + built[1] !== PAGES) fail(`the cold build wrote ${built[0]} + ${built[1]} release pages, expected ${PAGES}`);

log('Rebuild with no change…');
const noChangeRuns = repeat('rebuild', RUNS, () => {}, () => timed(NODE, [BIN, ...buildArgs]));

log('Rebuild after editing one release (a sentence appended to one fr.md, a different one each run)…');
const edited = [];
const editRuns = repeat('one-edit rebuild', RUNS, (i) => {
  const k = i + 1; // the warm-up edits too: every run has an edit to pick up
  const folder = generated.folders[(k * 7919) % generated.folders.length];
  appendFileSync(join(project, 'releases', folder, 'fr.md'), `\n${EDIT_SENTENCES[k % EDIT_SENTENCES.length]}\n`);
  edited.push(folder);
}, () => timed(NODE, [BIN, ...buildArgs]));

log('Start-up: `aimq --help` and `node -e 0`, alternating…');
const startupRuns = repeat('aimq --help', RUNS, () => {}, () => {
  const help = timed(NODE, [BIN, '--help']);
  const bare = timed(NODE, ['-e', '0']);
  return { help, bare };
});

// -------------------------------------------------------------------------------------
// Results

const cold = stats(coldRuns.map((r) => r.ms));
const rss = stats(coldRuns.map((r) => r.rssKiB));
const cpu = stats(coldRuns.map((r) => r.cpuMs));
const noChange = stats(noChangeRuns.map((r) => r.ms));
const edit = stats(editRuns.map((r) => r.ms));
const help = stats(startupRuns.map((r) => r.help.ms));
const bare = stats(startupRuns.map((r) => r.bare.ms));
const editShare = (100 * edit.median) / cold.median;
const startupRatio = help.median / bare.median;
const pagesPerSecond = PAGES / (cold.median / 1000);

const rows = [
  ['measurement', 'median', 'min – max', 'notes'],
  [`cold build (${RELEASES} releases, ${PAGES} pages)`, fmtMs(cold.median), range(cold, fmtMs), `${pagesPerSecond.toFixed(0)} pages/s`],
  ['  CPU time (user + system), same runs', fmtMs(cpu.median), range(cpu, fmtMs), `${((100 * cpu.median) / cold.median).toFixed(0)} % of wall-clock`],
  ['rebuild, no change', fmtMs(noChange.median), range(noChange, fmtMs), `${((100 * noChange.median) / cold.median).toFixed(1)} % of cold`],
  ['rebuild, one release edited', fmtMs(edit.median), range(edit, fmtMs), `${editShare.toFixed(1)} % of cold (aim < 5 %): ${editShare < 5 ? 'met' : 'NOT met'}`],
  ['peak memory (max RSS), cold build', fmtMiB(rss.median), range(rss, fmtMiB), rssMethod === 'time' ? '/usr/bin/time -f %M' : 'resourceUsage().maxRSS'],
  ['start-up: aimq --help', fmtMs(help.median), range(help, fmtMs), `${startupRatio.toFixed(2)}× node -e 0 (aim ≤ 1.5×): ${startupRatio <= 1.5 ? 'met' : 'NOT met'}`],
  ['start-up: node -e 0', fmtMs(bare.median), range(bare, fmtMs), ''],
];
const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
const line = (r) => r.map((cell, c) => (c === 1 ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd();

const cpus = os.cpus();
const machine = {
  cpu: cpus[0]?.model ?? 'unknown',
  cores: os.availableParallelism?.() ?? cpus.length,
  memoryGiB: round(os.totalmem() / 2 ** 30),
  node: process.version,
  platform: `${os.platform()} ${os.release()} ${os.arch()}`,
  loadAverageAtStart: loadAtStart,
};
const date = new Date().toISOString();

console.log(`aimq build benchmark: ${date}`);
console.log(`${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.platform}; load average at start ${loadAtStart.join(' ')}`);
console.log(`${RELEASES} releases (about ${generated.wordsPerEdition} words per edition, ${generated.firstDate} to ${generated.lastDate}); ${RUNS} runs after 1 warm-up\n`);
console.log(line(rows[0]));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const r of rows.slice(1)) console.log(line(r));

const ms = (s) => ({ medianMs: round(s.median), minMs: round(s.min), maxMs: round(s.max), runsMs: s.runs.map((x) => round(x)) });
const results = {
  date,
  machine,
  options: { releases: RELEASES, pages: PAGES, runs: RUNS, warmUps: 1, now: NOW, quick: opts.quick },
  project: { firstDate: generated.firstDate, lastDate: generated.lastDate, wordsPerEdition: generated.wordsPerEdition, checkWarnings },
  command: `node bin/aimq.js ${buildArgs.join(' ').replace(project, '<project>').replace(out, '<out>')}`,
  measurements: {
    coldBuild: { ...ms(cold), pagesPerSecond: round(pagesPerSecond), cpu: ms(cpu) },
    rebuildNoChange: { ...ms(noChange), percentOfCold: round((100 * noChange.median) / cold.median, 2) },
    rebuildOneEdit: { ...ms(edit), percentOfCold: round(editShare, 2), aim: '< 5 %', met: editShare < 5, editedReleases: edited /* the warm-up's first */ },
    peakMemoryColdBuild: {
      method: rssMethod === 'time' ? '/usr/bin/time -f %M' : 'process.resourceUsage().maxRSS',
      medianMiB: round(rss.median / 1024),
      minMiB: round(rss.min / 1024),
      maxMiB: round(rss.max / 1024),
      runsKiB: rss.runs,
    },
    startup: {
      aimqHelp: ms(help),
      nodeE0: ms(bare),
      ratio: round(startupRatio, 2),
      aim: '≤ 1.5×',
      met: startupRatio <= 1.5,
    },
  },
};
writeFileSync(join(BENCH_DIR, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
log(`\nWrote ${join(BENCH_DIR, 'results.json')}`);
