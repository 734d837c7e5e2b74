// Edit → reload benchmark (bench/run.js --only reload): the time from saving a release's
// markdown to the open preview being told to reload, with N generated releases. Starts the
// real `aimq release preview`, listens to its event stream as the page's script does, then
// R times: append a sentence to one release's fr.md (a different release each round) and
// wait for the `reload` event. The server's own log line says how long the rebuild took, so
// the figure splits into noticing the save and rebuilding.

import { spawn } from 'node:child_process';
import { appendFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { EDIT_SENTENCES, generateProject } from './generate.js';
import { BIN, NODE, REPO, fmtMs, log, makeTemp, msStats, range, stats } from './lib.js';

const AIM_MS = 100;

/** Reads `event:`/`data:` pairs from a server-sent event stream. */
async function* events(body) {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event) yield { event, data };
      end = buffer.indexOf('\n\n');
    }
  }
}

/** Runs the reload benchmark. `o`: { releases, runs }. */
export async function reloadBenchmark(o) {
  const project = makeTemp('aimq-bench-reload-');
  const generated = generateProject(project, o.releases, { configFile: join(REPO, 'aimq.config.yaml') });
  log(`Reload: ${o.releases} releases, preview started, ${o.runs} saves…`);
  const child = spawn(NODE, [BIN, 'release', 'preview', '--port', '0'], {
    cwd: project,
    // The log line read below is the English one, whatever the machine's LANG.
    env: { ...process.env, NO_COLOR: '1', AIMQ_LANG: 'en' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const rebuilds = [];
  const onLine = (text) => {
    output += text;
    for (const m of text.matchAll(/Rebuilt .*? in (\d+) ms/g)) rebuilds.push(Number(m[1]));
  };
  child.stdout.on('data', (d) => onLine(d.toString()));
  child.stderr.on('data', (d) => onLine(d.toString()));
  const abort = new AbortController();
  try {
    const url = await new Promise((resolve, reject) => {
      const timer = setInterval(() => {
        const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(output);
        if (m) {
          clearInterval(timer);
          resolve(m[0]);
        } else if (child.exitCode !== null) {
          clearInterval(timer);
          reject(new Error(`the preview exited: ${output}`));
        }
      }, 20);
    });
    const res = await fetch(new URL('_preview/events', url), { signal: abort.signal });
    const stream = events(res.body);
    await stream.next(); // hello
    // Let the watcher finish reading the tree: a save before that is not seen.
    await new Promise((r) => setTimeout(r, 1500));
    const times = [];
    for (let i = 0; i < o.runs + 1; i++) {
      const folder = generated.folders[(i * 37) % generated.folders.length];
      const started = performance.now();
      appendFileSync(
        join(project, 'releases', folder, 'fr.md'),
        `\n${EDIT_SENTENCES[i % EDIT_SENTENCES.length]}\n`,
      );
      for (;;) {
        const { value, done } = await stream.next();
        if (done) throw new Error('the event stream ended');
        if (value.event === 'reload') break;
      }
      const ms = performance.now() - started;
      if (i > 0) times.push(ms); // the first save warms the code paths up
      log(`  save ${i}: reload after ${fmtMs(ms)}${i === 0 ? ' (warm-up)' : ''}`);
      await new Promise((r) => setTimeout(r, 300));
    }
    const s = stats(times);
    const r = stats(rebuilds.slice(1));
    return {
      title: 'edit → reload',
      heading: [`${o.releases} releases, ${o.runs} saves after 1 warm-up, each to another release's fr.md`],
      rows: [
        ['measure', 'median', 'min – max', 'notes'],
        [
          'save → reload event',
          fmtMs(s.median),
          range(s, fmtMs),
          `aim < ${AIM_MS} ms: ${s.median < AIM_MS ? 'met' : 'NOT met'}`,
        ],
        ['of which the rebuild', fmtMs(r.median), range(r, fmtMs), 'as the preview logs it'],
      ],
      results: {
        measurements: {
          releases: o.releases,
          reload: msStats(s),
          rebuild: msStats(r),
          aimMs: AIM_MS,
          met: s.median < AIM_MS,
        },
      },
    };
  } finally {
    abort.abort();
    child.kill('SIGINT');
    await new Promise((r) => child.once('exit', r));
    rmSync(project, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? Number(process.argv[i + 1]) : fallback;
  };
  const result = await reloadBenchmark({ releases: arg('--releases', 300), runs: arg('--runs', 10) });
  for (const row of result.rows) console.log(row.join(' | '));
}
