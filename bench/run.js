#!/usr/bin/env node
// Benchmarks for aimq: `npm run bench [-- --quick | --only build,email,send,startup | …]`.
//
//   build  (bench/build.js)  the real CLI building N generated releases beside Eleventy 3
//          on the same markdown: cold builds with peak memory and CPU time, rebuilds with
//          no change and after one edit;
//   email  (bench/email.js)  every e-mail edition of N generated releases rendered in one
//          process, per edition, beside the mjml API on the same MJML documents (and the
//          mjml command on a sample);
//   send   (bench/send.js)   `aimq release send` to N recipients on a loopback SMTP server
//          that discards mail, beside plain nodemailer sending the same prebuilt messages
//          through the same pool size; peak memory of a dry run to D recipients;
//   startup (bench/startup.js) `aimq --version` and `--help` beside `node -e 0` and
//          `mjml --version`.
// Each measurement: 1 warm-up, then R timed runs; median and min–max are reported.
// Prints a table per benchmark to stdout (progress goes to stderr), writes
// bench/results.json and, after a full run of everything at the default sizes,
// BENCHMARKS.md (bench/report.js); removes its temporary folders.
//
// Needs a compiled CLI: run `npm run build` first.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildBenchmark } from './build.js';
import { emailBenchmark } from './email.js';
import {
  BENCH_DIR,
  MAIN,
  REPO,
  chooseRssMethod,
  fail,
  fmtMs,
  loadAverage,
  log,
  machineInfo,
  packageVersion,
  positiveInt,
  printTable,
} from './lib.js';
import { benchmarksMarkdown } from './report.js';
import { reloadBenchmark } from './reload.js';
import { sendBenchmark } from './send.js';
import { startupBenchmark } from './startup.js';

const BENCHMARKS = ['build', 'email', 'send', 'startup', 'reload'];

// ---------------------------------------------------------------------------------------
// Options

const { values: opts } = parseArgs({
  options: {
    only: { type: 'string' },
    quick: { type: 'boolean', default: false },
    runs: { type: 'string' },
    releases: { type: 'string' },
    recipients: { type: 'string' },
    'dry-run-recipients': { type: 'string' },
    connections: { type: 'string' },
    'mjml-cli': { type: 'string' },
    rss: { type: 'string' }, // force the peak-memory method: "time" or "node"
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opts.help) {
  console.log(`usage: node bench/run.js [--quick] [--only build,email,send] [--runs R] [--releases N]
                        [--recipients N] [--dry-run-recipients N] [--connections C] [--mjml-cli N] [--rss time|node]
  --only LIST              benchmarks to run, comma-separated: build, email, send, startup, reload (default: all)
  --quick                  smaller sizes and fewer runs, for a check that everything works (< 1 min)
  --runs R                 timed runs per measurement, after 1 warm-up (default 5; --quick: 2)
  --releases N             releases to generate (default 1000, reload 300; --quick: 50)
  --recipients N           send: recipients (default 10000; --quick: 1000)
  --dry-run-recipients N   send: recipients of the dry run whose peak memory is measured
                           (default 100000; --quick: 10000)
  --connections C          send: SMTP connections, for aimq and nodemailer alike (default 3)
  --mjml-cli N             email: files compiled with the mjml command (default 20; 0: none)
  --rss METHOD             peak memory through /usr/bin/time ("time") or process.resourceUsage() ("node");
                           default: /usr/bin/time when it works, else node
Only a full run (no option but --rss) writes BENCHMARKS.md.`);
  process.exit(0);
}
const only = opts.only
  ? opts.only
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
  : BENCHMARKS;
for (const name of only)
  if (!BENCHMARKS.includes(name))
    fail(`--only: unknown benchmark "${name}" (choose among ${BENCHMARKS.join(', ')})`);
if (opts.rss && opts.rss !== 'time' && opts.rss !== 'node')
  fail(`--rss must be "time" or "node", not "${opts.rss}"`);
const quick = opts.quick;
const runs = opts.runs ? positiveInt('runs', opts.runs) : quick ? 2 : 5;
// BENCHMARKS.md is the record of a full run; a partial or smaller one only prints.
const full = Object.entries(opts).every(([k, v]) => k === 'rss' || v === undefined || v === false);
const releases = opts.releases ? positiveInt('releases', opts.releases) : undefined;
const nonNegative = (name, text) => (text === '0' ? 0 : positiveInt(name, text));

if (!existsSync(MAIN)) fail(`${MAIN} not found: run \`npm run build\` first`);
process.on('SIGINT', () => process.exit(130));

// ---------------------------------------------------------------------------------------
// The benchmarks

const startedAt = performance.now();
const loadAtStart = loadAverage(); // other work on the machine makes the figures noisy
const rssMethod = chooseRssMethod(opts.rss);
const reports = [];
for (const name of BENCHMARKS.filter((b) => only.includes(b))) {
  log(`\n== ${name} ==`);
  if (name === 'build') {
    reports.push({
      name,
      ...(await buildBenchmark({ releases: releases ?? (quick ? 50 : 1000), runs, quick, rssMethod })),
    });
  } else if (name === 'email') {
    reports.push({
      name,
      ...(await emailBenchmark({
        releases: releases ?? (quick ? 50 : 1000),
        runs,
        quick,
        mjmlCli: opts['mjml-cli'] ? nonNegative('mjml-cli', opts['mjml-cli']) : quick ? 3 : 20,
      })),
    });
  } else if (name === 'startup') {
    reports.push({ name, ...(await startupBenchmark({ runs })) });
  } else if (name === 'reload') {
    reports.push({
      name,
      ...(await reloadBenchmark({ releases: releases ?? (quick ? 50 : 300), runs: quick ? 5 : 4 * runs })),
    });
  } else {
    reports.push({
      name,
      ...(await sendBenchmark({
        recipients: opts.recipients ? positiveInt('recipients', opts.recipients) : quick ? 1000 : 10_000,
        dryRunRecipients: opts['dry-run-recipients']
          ? positiveInt('dry-run-recipients', opts['dry-run-recipients'])
          : quick
            ? 10_000
            : 100_000,
        connections: opts.connections ? positiveInt('connections', opts.connections) : 3,
        runs,
        quick,
        rssMethod,
      })),
    });
  }
}

// ---------------------------------------------------------------------------------------
// Results

const machine = machineInfo(loadAtStart);
const date = new Date().toISOString();
console.log(`aimq benchmarks: ${date}`);
console.log(
  `${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.platform}; load average at start ${loadAtStart.join(' ')}, at end ${loadAverage().join(' ')}`,
);
for (const report of reports) {
  console.log(`\n${report.title}: ${report.heading.join('\n')}\n`);
  printTable(report.rows);
}

const aimqVersion = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).version;
const versions = {
  aimq: aimqVersion,
  Node: process.version.slice(1),
  ...Object.fromEntries(
    ['@11ty/eleventy', 'mjml', 'nodemailer', 'better-sqlite3', 'smtp-server', 'liquidjs'].map((p) => [
      p,
      packageVersion(p),
    ]),
  ),
};
const durationMs = performance.now() - startedAt;
const results = {
  date,
  durationMs: Math.round(durationMs),
  machine: { ...machine, loadAverageAtEnd: loadAverage() },
  versions,
  options: { only, quick, rssMethod },
  ...Object.fromEntries(reports.map((r) => [r.name, r.results])),
};
writeFileSync(join(BENCH_DIR, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
log(`\nWrote ${join(BENCH_DIR, 'results.json')} (${fmtMs(durationMs)} in all)`);
if (full) {
  const md = benchmarksMarkdown({
    date,
    durationMs,
    command: 'npm run bench',
    machine: results.machine,
    versions,
    reports,
    results,
  });
  writeFileSync(join(REPO, 'BENCHMARKS.md'), md);
  log(`Wrote ${join(REPO, 'BENCHMARKS.md')}`);
} else {
  log('BENCHMARKS.md left alone: only a full run (`npm run bench` without options) writes it.');
}
