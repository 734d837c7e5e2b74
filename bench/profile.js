// CPU profiles for BENCHMARKS.md: where an aim is not met, the benchmark says what the
// profile shows. A profile comes from `node --cpu-prof` (a child process) or from the
// inspector (this process); either way it is summarised as self time per package (or per
// aimq module) and per function, the two views that say where the time goes.

import { readdirSync, readFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { REPO } from './lib.js';

/**
 * Summarises the .cpuprofile files in `dir` (written by `node --cpu-prof --cpu-prof-dir=dir`:
 * one per thread) as one profile.
 */
export function summarizeProfileDir(dir, top = 12) {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  if (!files.length) throw new Error(`no .cpuprofile in ${dir}`);
  const summary = summarizeProfile(
    files.map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8'))),
    top,
  );
  return { ...summary, method: '`node --cpu-prof`', threads: files.length };
}

/** Runs `fn` (sync or async) under the inspector's CPU profiler in this process. */
export async function profileInProcess(fn, top = 12) {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  let profile;
  try {
    await fn();
  } finally {
    ({ profile } = await session.post('Profiler.stop'));
    session.disconnect();
  }
  // `dispatch` is the inspector's own call that starts and stops the profiler.
  return {
    ...summarizeProfile(profile, top, new Set(['native: dispatch'])),
    method: "the inspector's profiler",
    threads: 1,
  };
}

/** What a sampled frame belongs to: an npm package, an aimq module, Node itself, or the engine. */
function owner(url, functionName) {
  if (!url) return functionName.startsWith('(') ? functionName : `native: ${functionName || 'anonymous'}`; // (garbage collector), (program), fs calls…
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const parts = url.slice(nm + '/node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  if (url.startsWith('node:')) return 'node (built-in modules)';
  const local = url.replace(/^file:\/\//, '');
  return local.startsWith(REPO) ? local.slice(REPO.length + 1) : local;
}

/**
 * Self time per owner and per function, in ms and as a share of the sampled time, the
 * largest first; `(idle)` is left out (waiting on a child process or the network is not
 * work), as are the owners in `ignore`.
 */
export function summarizeProfile(profiles, top = 12, ignore = new Set()) {
  const byOwner = new Map();
  const byFunction = new Map();
  let total = 0;
  let idle = 0;
  for (const profile of [profiles].flat()) {
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    const self = new Map();
    for (let i = 0; i < profile.samples.length; i++)
      self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0));
    for (const [id, us] of self) tally(nodes.get(id).callFrame, us);
  }
  function tally(f, us) {
    if (f.functionName === '(idle)') {
      idle += us;
      return;
    }
    const who = owner(f.url, f.functionName);
    if (ignore.has(who)) return;
    total += us;
    byOwner.set(who, (byOwner.get(who) ?? 0) + us);
    const fn = f.url ? `${f.functionName || '(anonymous)'} (${who}:${f.lineNumber + 1})` : who;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
  }
  const rank = (m) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({
        name,
        ms: Math.round(us / 100) / 10,
        percent: Math.round((1000 * us) / total) / 10,
      }));
  return {
    sampledMs: Math.round(total / 1000),
    idleMs: Math.round(idle / 1000),
    byOwner: rank(byOwner),
    byFunction: rank(byFunction),
  };
}
