// BENCHMARKS.md, written from one run's results by bench/run.js: the machine, the
// versions, the aims with what was measured, then each benchmark's table and the CPU
// profile of aimq's side, then bench/notes.md (the reading of the profiles, by hand).

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_DIR } from './lib.js';

const cell = (text) => String(text).replaceAll('|', '\\|');
const table = (rows) =>
  [rows[0], rows[0].map(() => '---'), ...rows.slice(1)]
    .map((r) => `| ${r.map(cell).join(' | ')} |`)
    .join('\n');

/** The aims of issue 7 and where this run stands on each (only those it measured). */
export function aims(results) {
  const list = [];
  const pct = (x) => `${(100 * x).toFixed(0)} %`;
  const b = results.build?.measurements;
  if (b) {
    list.push([
      'cold build no slower than Eleventy on the same markdown',
      `${b.coldRatio.median}× Eleventy's time`,
      b.coldRatio.met,
    ]);
    list.push([
      'one-edit rebuild under 5 % of a cold build',
      `${b.rebuildOneEdit.percentOfCold} %`,
      b.rebuildOneEdit.met,
    ]);
  }
  const e = results.email?.measurements;
  if (e)
    list.push([
      'e-mail editions at least 10× faster than the mjml API per document',
      `${e.ratio.median}×`,
      e.ratio.met,
    ]);
  const s = results.send?.measurements;
  if (s) {
    list.push([
      'sending at least 90 % of plain nodemailer',
      `${pct(s.ratio.endToEnd)} end to end (${pct(s.ratio.sendingOnly)} as the server saw the sending)`,
      s.ratio.met,
    ]);
    list.push([
      '100,000-recipient dry run under 200 MB',
      `${s.dryRun.peakMemoryMB} MB (${s.dryRun.recipients.toLocaleString('en-US')} recipients)`,
      s.dryRun.met,
    ]);
  }
  const r = results.reload?.measurements;
  if (r)
    list.push([
      `edit → preview reload under ${r.aimMs} ms (${r.releases} releases)`,
      `${r.reload.medianMs} ms`,
      r.met,
    ]);
  const u = results.startup?.measurements;
  if (u) list.push(['`aimq --help` at most 1.5× `node -e 0`', `${u.aim.value}×`, u.aim.met]);
  return list;
}

function profileSection(profile) {
  const rows = (list) => list.map((p) => [p.name, `${p.ms.toFixed(0)} ms`, `${p.percent.toFixed(1)} %`]);
  return [
    `CPU profile of ${profile.label}, by ${profile.method}${profile.threads > 1 ? ` (${profile.threads} threads, added up)` : ''}: ${profile.sampledMs} ms sampled${profile.idleMs ? `, ${profile.idleMs} ms idle (waiting) left out` : ''}. Time in a \`native:\` function is time inside that system call, the kernel's work included. Self time by package or module:`,
    '',
    table([['package or module', 'self time', 'share'], ...rows(profile.byOwner)]),
    '',
    'Self time by function:',
    '',
    table([['function', 'self time', 'share'], ...rows(profile.byFunction)]),
  ].join('\n');
}

/** The whole document. `run`: { date, durationMs, command, machine, versions, reports, results }. */
export function benchmarksMarkdown(run) {
  const m = run.machine;
  const lines = [
    '# aimq benchmarks',
    '',
    `Written by \`${run.command}\` on ${run.date.slice(0, 10)} in ${(run.durationMs / 60000).toFixed(0)} min; every figure below comes from that one run. Reproduce it on a fresh clone with \`npm ci && npm run bench\`; \`npm run bench -- --quick\` runs a small version in under a minute (and leaves this file alone). The raw figures are in \`bench/results.json\` after a run.`,
    '',
    '## Machine and versions',
    '',
    `- ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.platform}; load average ${m.loadAverageAtStart.join(' ')} at the start, ${m.loadAverageAtEnd.join(' ')} at the end (the machine is shared: wall-clock figures are noisy, ratios measured in alternation much less).`,
    `- ${Object.entries(run.versions)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}.`,
    '',
    '## Aims',
    '',
    table([
      ['aim', 'measured', ''],
      ...aims(run.results).map(([name, value, met]) => [name, value, met ? 'met' : '**not met**']),
    ]),
    '',
    'Where an aim is not met, the section "Reading the profiles" below says what the profile shows and why.',
    '',
  ];
  for (const r of run.reports) {
    lines.push(`## ${r.title[0].toUpperCase()}${r.title.slice(1)}`, '', ...r.heading, '', table(r.rows), '');
    if (r.profile) lines.push(profileSection(r.profile), '');
  }
  lines.push(
    '## Method',
    '',
    '- Each measurement has 1 warm-up, then the number of runs its section gives; the median and the range (min – max) are reported.',
    '- Two tools compared are run in alternation, the one that goes first alternating too, so that a slow minute on the shared machine hits both; the ratio of each pair is given as a range beside the ratio of the medians.',
    '- Commands are child processes timed from spawn to exit (start-up included). Peak memory is the maximum resident set size (`/usr/bin/time -f %M`, or `process.resourceUsage().maxRSS` where GNU time is missing); CPU time is user + system, so CPU ÷ wall-clock above 1 means more than one core was busy.',
    "- Profiles come from one extra run under `node --cpu-prof` (or the inspector, for work done in the benchmark's own process) and count self time.",
    '',
  );
  const notes = join(BENCH_DIR, 'notes.md');
  if (existsSync(notes)) lines.push(readFileSync(notes, 'utf8').trim(), '');
  return `${lines.join('\n')}\n`;
}
