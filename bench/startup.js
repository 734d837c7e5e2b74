// Start-up benchmark (bench/run.js --only startup): what a command costs before it does
// anything, the floor of every `aimq` run in a script or a CI step. Alternating, after 1
// warm-up, R rounds of: `aimq --version`, `aimq --help`, `node -e 0` (Node's own floor)
// and `mjml --version` (the tool people would call instead, also a Node program).

import { join } from 'node:path';
import { BIN, NODE, REPO, fmtMs, log, msStats, range, repeat, round, stats, timed } from './lib.js';

const AIM = 1.5;
const COMMANDS = [
  { key: 'aimqVersion', label: 'aimq --version', args: [BIN, '--version'] },
  { key: 'aimqHelp', label: 'aimq --help', args: [BIN, '--help'] },
  { key: 'nodeE0', label: 'node -e 0', args: ['-e', '0'] },
  {
    key: 'mjmlVersion',
    label: 'mjml --version',
    args: [join(REPO, 'node_modules', 'mjml', 'bin', 'mjml'), '--version'],
  },
];

/** Runs the start-up benchmark. `o`: { runs }. */
export async function startupBenchmark(o) {
  const RUNS = o.runs;
  log(`Start-up: ${COMMANDS.map((c) => c.label).join(', ')}, alternating, the order rotating each round…`);
  const rounds = await repeat(
    'round',
    RUNS,
    () => {},
    (i) => {
      const times = {};
      const k = Math.max(0, i);
      for (let j = 0; j < COMMANDS.length; j++) {
        const c = COMMANDS[(j + k) % COMMANDS.length];
        times[c.key] = timed(NODE, c.args).ms;
      }
      return times;
    },
    (t) => COMMANDS.map((c) => `${c.label} ${fmtMs(t[c.key])}`).join(', '),
  );

  const s = Object.fromEntries(COMMANDS.map((c) => [c.key, stats(rounds.map((r) => r[c.key]))]));
  const ratio = (key) => s[key].median / s.nodeE0.median;
  const pairRatios = (key) => stats(rounds.map((r) => r[key] / r.nodeE0));
  const x = (v) => `${v.toFixed(2)}×`;
  const helpMet = ratio('aimqHelp') <= AIM;
  const rows = [
    ['command', 'median', 'min – max', 'notes'],
    ...COMMANDS.map((c) => [
      c.label,
      fmtMs(s[c.key].median),
      range(s[c.key], fmtMs),
      c.key === 'nodeE0'
        ? 'Node alone'
        : `${x(ratio(c.key))} node -e 0 (per round: ${range(pairRatios(c.key), x)})${c.key === 'aimqHelp' ? `; aim ≤ ${AIM}×: ${helpMet ? 'met' : 'NOT met'}` : ''}`,
    ]),
  ];
  return {
    title: 'start-up',
    heading: [`${RUNS} rounds after 1 warm-up; each round runs the four commands once, the order rotating`],
    rows,
    results: {
      options: { runs: RUNS, warmUps: 1 },
      measurements: {
        ...Object.fromEntries(
          COMMANDS.map((c) => [
            c.key,
            { ...msStats(s[c.key]), ...(c.key === 'nodeE0' ? {} : { ratioToNode: round(ratio(c.key), 2) }) },
          ]),
        ),
        aim: {
          measure: 'aimq --help ÷ node -e 0',
          value: round(ratio('aimqHelp'), 2),
          aim: `≤ ${AIM}×`,
          met: helpMet,
        },
      },
    },
  };
}
