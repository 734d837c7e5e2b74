// Build benchmark (bench/run.js --only build).
//
// Generates N bilingual releases in a temporary project (bench/generate.js), checks them
// once with `aimq release check`, then times the real CLI as a child process:
//   - cold build (output folder and .aimq/ cache deleted before each run), with its peak
//     memory and CPU time;
//   - rebuild with no change;
//   - rebuild after appending a sentence to one fr.md;
//   - start-up: `aimq --help` against `node -e 0`.
// Each measurement: 1 warm-up, then R timed runs; median and min–max are reported.

import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { EDIT_SENTENCES, generateProject } from './generate.js';
import { BIN, NODE, NOW, REPO, fail, fmtMiB, fmtMs, log, makeTemp, msStats, range, removeTemp, repeat, round, rssMethodName, stats, timed, timedWithRss } from './lib.js';

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
  const rssMethod = o.rssMethod;

  log(`Cold build (output and .aimq/ deleted before each run; peak memory via ${rssMethodName(rssMethod)})…`);
  const coldRuns = await repeat('cold build', RUNS, () => {
    rmSync(out, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
  }, () => timedWithRss(rssMethod, buildArgs));
  const built = ['fr', 'en'].map((l) => readdirSync(join(out, l), { withFileTypes: true }).filter((e) => e.isDirectory()).length);
  if (built[0] + built[1] !== PAGES) fail(`the cold build wrote ${built[0]} + ${built[1]} release pages, expected ${PAGES}`);

  log('Rebuild with no change…');
  const noChangeRuns = await repeat('rebuild', RUNS, () => {}, () => timed(NODE, [BIN, ...buildArgs]));

  log('Rebuild after editing one release (a sentence appended to one fr.md, a different one each run)…');
  const edited = [];
  const editRuns = await repeat('one-edit rebuild', RUNS, (i) => {
    const k = i + 1; // the warm-up edits too: every run has an edit to pick up
    const folder = generated.folders[(k * 7919) % generated.folders.length];
    appendFileSync(join(project, 'releases', folder, 'fr.md'), `\n${EDIT_SENTENCES[k % EDIT_SENTENCES.length]}\n`);
    edited.push(folder);
  }, () => timed(NODE, [BIN, ...buildArgs]));

  log('Start-up: `aimq --help` and `node -e 0`, alternating…');
  const startupRuns = await repeat('aimq --help', RUNS, () => {}, () => {
    const help = timed(NODE, [BIN, '--help']);
    const bare = timed(NODE, ['-e', '0']);
    return { help, bare };
  }, (r) => fmtMs(r.help.ms));
  removeTemp(tmp);

  // -----------------------------------------------------------------------------------
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

  return {
    title: 'build',
    heading: [`${RELEASES} releases (about ${generated.wordsPerEdition} words per edition, ${generated.firstDate} to ${generated.lastDate}); ${RUNS} run${RUNS === 1 ? '' : 's'} after 1 warm-up`],
    rows,
    results: {
      options: { releases: RELEASES, pages: PAGES, runs: RUNS, warmUps: 1, now: NOW, quick: o.quick },
      project: { firstDate: generated.firstDate, lastDate: generated.lastDate, wordsPerEdition: generated.wordsPerEdition, checkWarnings },
      command: `node bin/aimq.js ${buildArgs.join(' ').replace(project, '<project>').replace(out, '<out>')}`,
      measurements: {
        coldBuild: { ...msStats(cold), pagesPerSecond: round(pagesPerSecond), cpu: msStats(cpu) },
        rebuildNoChange: { ...msStats(noChange), percentOfCold: round((100 * noChange.median) / cold.median, 2) },
        rebuildOneEdit: { ...msStats(edit), percentOfCold: round(editShare, 2), aim: '< 5 %', met: editShare < 5, editedReleases: edited /* the warm-up's first */ },
        peakMemoryColdBuild: {
          method: rssMethodName(rssMethod),
          medianMiB: round(rss.median / 1024),
          minMiB: round(rss.min / 1024),
          maxMiB: round(rss.max / 1024),
          runsKiB: rss.runs,
        },
        startup: {
          aimqHelp: msStats(help),
          nodeE0: msStats(bare),
          ratio: round(startupRatio, 2),
          aim: '≤ 1.5×',
          met: startupRatio <= 1.5,
        },
      },
    },
  };
}
