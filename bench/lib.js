// Shared pieces of aimq's benchmarks (bench/run.js runs them): paths, running the CLI,
// peak memory, statistics, formatting, temporary folders and the machine's description.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
export const REPO = resolve(BENCH_DIR, '..');
export const BIN = join(REPO, 'bin', 'aimq.js');
export const MAIN = join(REPO, 'dist', 'bundle', 'cli', 'main.js'); // what bin/aimq.js runs
/**
 * The same CLI compiled module by module (tsc), for profiles: there, time spent in a
 * dependency is attributed to its package, where the bundle would only name a chunk.
 */
export const UNBUNDLED = join(BENCH_DIR, 'unbundled.js');
export const DIST = join(REPO, 'dist');
export const NOW = '2026-11-28T12:00:00-05:00';
export const NODE = process.execPath;

export function fail(message) {
  console.error(`bench: ${message}`);
  process.exit(1);
}
export const log = (message) => console.error(message);

export const positiveInt = (name, text) => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) fail(`--${name} must be a positive integer, not "${text}"`);
  return n;
};

/** A module of the compiled CLI (dist/…), imported by file URL. */
export const importDist = (path) => import(pathToFileURL(join(DIST, path)).href);

// ---------------------------------------------------------------------------------------
// Temporary folders

const temporary = new Set();
// 'exit' also fires after fail() and after an uncaught error.
process.on('exit', () => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

/** A new temporary folder, removed when the process exits (or earlier with removeTemp). */
export function makeTemp(prefix = 'aimq-bench-') {
  const dir = mkdtempSync(join(os.tmpdir(), prefix));
  temporary.add(dir);
  return dir;
}

export function removeTemp(dir) {
  rmSync(dir, { recursive: true, force: true });
  temporary.delete(dir);
}

/** The file system a folder is on (ext4, tmpfs…): what an fsync costs depends on it. */
export function fileSystemOf(dir) {
  const mount = spawnSync('findmnt', ['-n', '-o', 'FSTYPE', '--target', dir], { encoding: 'utf8' });
  if (mount.status === 0 && mount.stdout.trim()) return mount.stdout.trim();
  const r = spawnSync('stat', ['-f', '-c', '%T', dir], { encoding: 'utf8' }); // says ext2/ext3 for ext4
  return r.status === 0 ? r.stdout.trim() : 'unknown';
}

// ---------------------------------------------------------------------------------------
// Running commands

/** Runs a command to completion and returns its wall-clock time; throws when it fails. */
export function timed(command, args, options = {}) {
  const start = process.hrtime.bigint();
  const r = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.error) throw r.error;
  if (r.status !== 0)
    throw new Error(`${command} ${args.join(' ')} exited with ${r.status ?? r.signal}\n${r.stderr}`);
  return { ms, stdout: r.stdout, stderr: r.stderr };
}

/**
 * How to measure peak memory (max RSS): GNU time (`/usr/bin/time -f %M`) when it is
 * installed and works; otherwise, as on a fresh Debian machine with only Node, the command
 * runs in `node -e` through dist/cli/main.js (exactly what bin/aimq.js does) and prints
 * process.resourceUsage().maxRSS on exit. `force`: "time" or "node".
 */
export function chooseRssMethod(force) {
  if (force === 'node') return 'node';
  const probe = existsSync('/usr/bin/time')
    ? spawnSync('/usr/bin/time', ['-f', '%M', NODE, '-e', '0'], { encoding: 'utf8' })
    : undefined;
  const works = probe?.status === 0 && /^\d+$/.test(probe.stderr.trim().split('\n').at(-1) ?? '');
  if (force === 'time' && !works) fail('--rss time: /usr/bin/time -f %M does not work on this machine');
  return works ? 'time' : 'node';
}

export const rssMethodName = (method) =>
  method === 'time' ? '/usr/bin/time -f %M' : 'process.resourceUsage().maxRSS';

const RSS_MARK = 'aimq-bench-usage:';
// Runs a Node script as `node <script> <args>` would, and prints its resource usage on exit.
const WRAPPER = `
process.on('exit', () => {
  const u = process.resourceUsage();
  process.stderr.write('\\n${RSS_MARK}' + [u.maxRSS, u.userCPUTime / 1e6, u.systemCPUTime / 1e6].join(' ') + '\\n');
});
const [script, ...args] = process.argv.slice(1);
process.argv = [process.argv[0], script, ...args];
import(require('node:url').pathToFileURL(script).href);
`;

/**
 * Runs `node <script> <args>`, measuring wall-clock time, peak memory and CPU time (user +
 * system, which other work on a busy machine disturbs less than wall-clock time).
 * `options` go to spawnSync (cwd, env).
 */
export function runNodeScript(method, script, args, options = {}) {
  let r, usage;
  if (method === 'time') {
    r = timed('/usr/bin/time', ['-f', '%M %U %S', NODE, script, ...args], options);
    usage = r.stderr.trim().split('\n').at(-1);
  } else {
    r = timed(NODE, ['-e', WRAPPER, script, ...args], options);
    usage = r.stderr
      .split('\n')
      .find((l) => l.startsWith(RSS_MARK))
      ?.slice(RSS_MARK.length);
  }
  const [rssKiB, user, system] = (usage ?? '').split(' ').map(Number);
  if (!(rssKiB > 0))
    fail(`could not read the peak memory of \`${script} ${args.slice(0, 2).join(' ')}\` from: ${usage}`);
  // System time is the kernel's work for the process: mostly creating and writing files here.
  return {
    ms: r.ms,
    rssKiB,
    cpuMs: 1000 * (user + system),
    userMs: 1000 * user,
    systemMs: 1000 * system,
    stdout: r.stdout,
    stderr: r.stderr,
  };
}

/** `aimq <args>` through runNodeScript. */
export const timedWithRss = (method, aimqArgs, options = {}) => runNodeScript(method, BIN, aimqArgs, options);

/** Installed version of an npm package (from its package.json), for the report. */
export const packageVersion = (name) =>
  JSON.parse(readFileSync(join(REPO, 'node_modules', name, 'package.json'), 'utf8')).version;

// ---------------------------------------------------------------------------------------
// Statistics and formatting

export function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted.at(-1), runs: values };
}

export const round = (x, digits = 1) => Number(x.toFixed(digits));
export const fmtMs = (ms) =>
  ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms >= 100 ? 0 : ms >= 10 ? 1 : 2)} ms`;
export const fmtMiB = (kib) => `${(kib / 1024).toFixed(0)} MiB`;
export const fmtRate = (perSecond) => `${perSecond.toFixed(perSecond >= 100 ? 0 : 1)}/s`;
export const fmtInt = (n) => n.toLocaleString('en-US');
export const range = (s, f) => `${f(s.min)} – ${f(s.max)}`;
/** A stats object for results.json, in milliseconds. */
export const msStats = (s, digits = 1) => ({
  medianMs: round(s.median, digits),
  minMs: round(s.min, digits),
  maxMs: round(s.max, digits),
  runsMs: s.runs.map((x) => round(x, digits)),
});

/**
 * One warm-up, then `runs` timed repetitions of `measure()` (which may be async);
 * `prepare(i)` runs untimed before each (i = -1 for the warm-up). Returns the measured
 * results. `show(result)` is what the progress line says (default: its `ms`).
 */
export async function repeat(label, runs, prepare, measure, show = (r) => fmtMs(r.ms)) {
  const results = [];
  for (let i = -1; i < runs; i++) {
    await prepare(i);
    const result = await measure(i);
    if (i >= 0) results.push(result);
    log(`  ${label} ${i < 0 ? 'warm-up' : `${i + 1}/${runs}`}: ${show(result)}`);
  }
  return results;
}

/** Prints a table (first row: headers) to stdout; the second column is right-aligned. */
export function printTable(rows) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (r) =>
    r
      .map((cell, c) => (c === 1 ? cell.padStart(widths[c]) : cell.padEnd(widths[c])))
      .join('  ')
      .trimEnd();
  console.log(line(rows[0]));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows.slice(1)) console.log(line(r));
}

/** The machine, for results.json and the tables' heading. */
export function machineInfo(loadAtStart) {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: os.availableParallelism?.() ?? cpus.length,
    memoryGiB: round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    loadAverageAtStart: loadAtStart,
  };
}

export const loadAverage = () => os.loadavg().map((x) => round(x, 2));
