// Sending benchmark (bench/run.js --only send).
//
// A loopback SMTP server that discards every message runs in a child process
// (bench/smtp-sink.js). A temporary project holds the repository's aimq.config.yaml, its
// sample release and a list of N recipients (a third each fr, en, bilingual). Then,
// alternating, after 1 warm-up of each, R runs of:
//   - aimq: the real CLI, `aimq release send <release> --to lists/bench.csv --yes
//     --connections C` with AIMQ_SMTP_URL=smtp://127.0.0.1:<port>, on a fresh outbox: the
//     whole command (start-up, rendering, planning N rows, sending, each message committed
//     to SQLite before and after it leaves), with its CPU time and peak memory;
//   - plain nodemailer in this process: a pool of C connections (pool: true,
//     maxConnections: C, maxMessages: Infinity) sending the same editions, prebuilt (the
//     .eml of `aimq release export`, with a To: header per recipient), with
//     sendMail({ envelope, raw }), C messages in flight.
// Both are reported in messages per second, end to end and as the server saw them (first
// MAIL FROM to last reply); the aim is aimq at ≥ 90 % of nodemailer. Last, the peak memory
// of a dry run (`--dry-run --out`, which writes one .eml per recipient) to D recipients
// (aim: under 200 MB).

import { spawnSync, fork } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { summarizeProfileDir } from './profile.js';
import {
  BENCH_DIR,
  BIN,
  NODE,
  NOW,
  REPO,
  UNBUNDLED,
  fail,
  fileSystemOf,
  fmtInt,
  fmtMiB,
  fmtMs,
  fmtRate,
  log,
  makeTemp,
  msStats,
  range,
  removeTemp,
  repeat,
  round,
  rssMethodName,
  stats,
  timed,
  timedWithRss,
} from './lib.js';

const RATIO_AIM = 0.9;
const RSS_AIM_MB = 200;
const LANGUAGES = ['fr', 'en', 'bilingual'];

/** Starts bench/smtp-sink.js; resolves with its port and a function that takes (and resets) its counts. */
async function startSink() {
  const child = fork(join(BENCH_DIR, 'smtp-sink.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  process.on('exit', () => child.kill());
  const next = () =>
    new Promise((resolve, reject) => {
      const onExit = (code) => reject(new Error(`the SMTP sink exited with ${code}`));
      child.once('exit', onExit);
      child.once('message', (m) => {
        child.off('exit', onExit);
        resolve(m);
      });
    });
  const { port } = await next();
  return {
    port,
    take: () => {
      const answer = next();
      child.send('take');
      return answer;
    },
    stop: () => child.disconnect(),
  };
}

/** `count` recipients, a third of each language, as a CSV list. */
function writeList(file, count) {
  const lines = ['email,name,language'];
  for (let i = 1; i <= count; i++) lines.push(`${address(i)},Destinataire ${i},${LANGUAGES[i % 3]}`);
  writeFileSync(file, `${lines.join('\n')}\n`);
}
const address = (i) => `bench-${String(i).padStart(6, '0')}@example.com`;

/**
 * Runs the sending benchmark. `o`: { recipients, dryRunRecipients, runs, connections,
 * quick, rssMethod }. Returns the lines that describe it, its table and its part of
 * results.json.
 */
export async function sendBenchmark(o) {
  const N = o.recipients;
  const D = o.dryRunRecipients;
  const C = o.connections;
  const RUNS = o.runs;
  const rssMethod = o.rssMethod;
  const nodemailer = createRequire(join(REPO, 'package.json'))('nodemailer');

  const tmp = makeTemp();
  const project = join(tmp, 'project');
  const releasesDir = join(REPO, 'releases');
  const sample = readdirSync(releasesDir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort()[0];
  if (!sample) fail(`no sample release in ${releasesDir}`);
  const release = `releases/${sample}`;
  mkdirSync(join(project, 'lists'), { recursive: true });
  cpSync(join(REPO, 'aimq.config.yaml'), join(project, 'aimq.config.yaml'));
  cpSync(join(releasesDir, sample), join(project, release), { recursive: true });
  writeList(join(project, 'lists', 'bench.csv'), N);
  writeList(join(project, 'lists', 'dry-run.csv'), D);
  const fs = fileSystemOf(tmp);
  log(
    `Project in ${project} (${fs}): ${release}, ${fmtInt(N)} recipients (and ${fmtInt(D)} for the dry run), a third each ${LANGUAGES.join(', ')}`,
  );

  // The same editions as aimq sends, prebuilt for nodemailer: each edition's .eml without
  // the draft header, and a To: header per recipient.
  log('Exporting each edition as .eml for nodemailer (`aimq release export --format eml`)…');
  const bodies = LANGUAGES.map((edition) => {
    const r = spawnSync(
      NODE,
      [BIN, 'release', 'export', release, '--format', 'eml', '--edition', edition, '--now', NOW],
      { cwd: project, maxBuffer: 64 * 1024 * 1024 },
    );
    if (r.status !== 0) fail(`aimq release export --edition ${edition} failed:\n${r.stderr}`);
    return Buffer.from(r.stdout.toString('latin1').replace(/^X-Unsent: 1\r?\n/m, ''), 'latin1');
  });
  const toHeaders = Array.from({ length: N }, (_, k) =>
    Buffer.from(`To: "Destinataire ${k + 1}" <${address(k + 1)}>\r\n`),
  );
  const from =
    /^From:[^\r\n]*<([^>\s]+)>/m.exec(bodies[0].toString('latin1'))?.[1] ??
    fail('no From: address in the exported .eml');

  const sink = await startSink();
  log(`SMTP sink listening on 127.0.0.1:${sink.port} (a child process)`);
  const env = { ...process.env, AIMQ_SMTP_URL: `smtp://127.0.0.1:${sink.port}` };
  const outbox = join(project, '.aimq', 'outbox.sqlite');
  const freshOutbox = () => {
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${outbox}${suffix}`, { force: true });
  };
  const sendArgs = [
    'release',
    'send',
    release,
    '--to',
    'lists/bench.csv',
    '--yes',
    '--connections',
    String(C),
  ];

  const runAimq = async () => {
    freshOutbox();
    await sink.take(); // resets the counts
    const r = timedWithRss(rssMethod, sendArgs, { cwd: project, env });
    const server = await sink.take();
    // Exit 0 means nothing failed, is uncertain or is left; the server's count says all went out.
    if (server.messages !== N)
      fail(
        `the SMTP sink received ${server.messages} messages from aimq, expected ${N}:\n${r.stderr.slice(-2000)}`,
      );
    return { ms: r.ms, cpuMs: r.cpuMs, rssKiB: r.rssKiB, server };
  };

  const runNodemailer = async () => {
    await sink.take();
    const start = process.hrtime.bigint();
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: sink.port,
      pool: true,
      maxConnections: C,
      maxMessages: Infinity,
      logger: false,
    });
    let next = 0;
    const worker = async () => {
      while (next < N) {
        const k = next++;
        const info = await transport.sendMail({
          envelope: { from, to: [address(k + 1)] },
          raw: Buffer.concat([toHeaders[k], bodies[(k + 1) % 3]]),
        });
        if (info.accepted.length !== 1)
          throw new Error(`nodemailer: ${address(k + 1)} was not accepted: ${info.response}`);
      }
    };
    await Promise.all(Array.from({ length: C }, worker));
    transport.close();
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const server = await sink.take();
    if (server.messages !== N)
      fail(`the SMTP sink received ${server.messages} messages from nodemailer, expected ${N}`);
    return { ms, server };
  };

  log(
    `Sending ${fmtInt(N)} messages over ${C} connections: aimq and nodemailer alternating, the first of the two alternating too…`,
  );
  const runs = await repeat(
    'aimq / nodemailer',
    RUNS,
    () => {},
    async (i) => {
      if (i % 2 === 0) {
        const plain = await runNodemailer();
        return { aimq: await runAimq(), plain };
      }
      const aimq = await runAimq();
      return { aimq, plain: await runNodemailer() };
    },
    (r) =>
      `aimq ${fmtRate(N / (r.aimq.ms / 1000))} (${fmtMs(r.aimq.ms)}), nodemailer ${fmtRate(N / (r.plain.ms / 1000))} (${fmtMs(r.plain.ms)})`,
  );

  log('Profiling one more aimq send (node --cpu-prof, unbundled so that time is attributed to packages)…');
  freshOutbox();
  await sink.take();
  const profDir = join(tmp, 'profile');
  timed(NODE, ['--cpu-prof', `--cpu-prof-dir=${profDir}`, UNBUNDLED, ...sendArgs], { cwd: project, env });
  const profiled = await sink.take();
  if (profiled.messages !== N)
    fail(`the SMTP sink received ${profiled.messages} messages from the profiled aimq, expected ${N}`);
  const profile = summarizeProfileDir(profDir);
  sink.stop();

  log(
    `Dry run to ${fmtInt(D)} recipients (--dry-run --out: one .eml per recipient; peak memory via ${rssMethodName(rssMethod)}; 1 run)…`,
  );
  freshOutbox();
  const outDir = 'dry-run-out'; // relative: the command joins --out to its working folder
  const dry = timedWithRss(
    rssMethod,
    ['release', 'send', release, '--to', 'lists/dry-run.csv', '--dry-run', '--out', outDir],
    { cwd: project, env },
  );
  const written = readdirSync(join(project, outDir));
  if (written.length !== D)
    fail(`the dry run wrote ${written.length} files, expected ${D}:\n${dry.stderr.slice(-2000)}`);
  let dryBytes = 0;
  for (const f of written) dryBytes += statSync(join(project, outDir, f)).size;
  log(`  ${fmtMs(dry.ms)}, ${fmtMiB(dry.rssKiB)}, ${(dryBytes / 2 ** 30).toFixed(2)} GiB written`);
  removeTemp(tmp);

  // -----------------------------------------------------------------------------------
  // Results

  const rate = (ms) => N / (ms / 1000);
  const aimqWall = stats(runs.map((r) => r.aimq.ms));
  const aimqCpu = stats(runs.map((r) => r.aimq.cpuMs));
  const aimqRss = stats(runs.map((r) => r.aimq.rssKiB));
  const aimqServer = stats(runs.map((r) => r.aimq.server.windowMs));
  const plainWall = stats(runs.map((r) => r.plain.ms));
  const plainServer = stats(runs.map((r) => r.plain.server.windowMs));
  const ratio = aimqWall.median > 0 ? plainWall.median / aimqWall.median : 0; // aimq's messages/s ÷ nodemailer's
  const pairRatios = stats(runs.map((r) => r.plain.ms / r.aimq.ms));
  const serverRatio = plainServer.median / aimqServer.median;
  const met = ratio >= RATIO_AIM;
  const dryMB = (dry.rssKiB * 1024) / 1e6; // the aim is in MB (10^6 bytes), the stricter unit
  const rssMet = dryMB < RSS_AIM_MB;
  const avgBytes = (s) => `${(s.bytes / s.messages / 1024).toFixed(1)} KB`;
  const last = runs.at(-1);
  const pct = (x) => `${(100 * x).toFixed(0)} %`;
  const rateRange = (s) => `${fmtRate(rate(s.max))} – ${fmtRate(rate(s.min))}`;

  const rows = [
    ['measurement', 'median', 'min – max', 'notes'],
    [
      `aimq release send, ${fmtInt(N)} recipients`,
      fmtMs(aimqWall.median),
      range(aimqWall, fmtMs),
      `${fmtRate(rate(aimqWall.median))} end to end (${rateRange(aimqWall)}); ${avgBytes(last.aimq.server)} per message`,
    ],
    [
      '  CPU time (user + system), same runs',
      fmtMs(aimqCpu.median),
      range(aimqCpu, fmtMs),
      `${((100 * aimqCpu.median) / aimqWall.median).toFixed(0)} % of wall-clock; peak memory ${fmtMiB(aimqRss.median)}`,
    ],
    [
      '  sending, as the server saw it',
      fmtMs(aimqServer.median),
      range(aimqServer, fmtMs),
      `${fmtRate(rate(aimqServer.median))}; first MAIL FROM to last reply; ${last.aimq.server.connections} connection(s)`,
    ],
    [
      `nodemailer pool, same ${fmtInt(N)} messages`,
      fmtMs(plainWall.median),
      range(plainWall, fmtMs),
      `${fmtRate(rate(plainWall.median))} (${rateRange(plainWall)}); prebuilt, in this process; ${avgBytes(last.plain.server)} per message`,
    ],
    [
      '  sending, as the server saw it',
      fmtMs(plainServer.median),
      range(plainServer, fmtMs),
      `${fmtRate(rate(plainServer.median))}; ${last.plain.server.connections} connection(s)`,
    ],
    [
      'aimq ÷ nodemailer, messages/s',
      pct(ratio),
      range(pairRatios, pct),
      `end to end, aim ≥ ${pct(RATIO_AIM)}: ${met ? 'met' : 'NOT met'}; sending alone (server's view): ${pct(serverRatio)}`,
    ],
    [
      `dry run, ${fmtInt(D)} recipients: peak memory`,
      fmtMiB(dry.rssKiB),
      '',
      `${dryMB.toFixed(0)} MB, aim < ${RSS_AIM_MB} MB: ${rssMet ? 'met' : 'NOT met'}; ${fmtMs(dry.ms)}, ${fmtRate(D / (dry.ms / 1000))}, ${(dryBytes / 2 ** 30).toFixed(2)} GiB of .eml`,
    ],
  ];

  return {
    title: 'sending',
    heading: [
      `${release}; ${fmtInt(N)} recipients (a third each fr, en, bilingual), ${C} connections, a loopback SMTP server that discards mail; temporary folder on ${fs}; ${RUNS} run${RUNS === 1 ? '' : 's'} after 1 warm-up, aimq and nodemailer alternating`,
    ],
    rows,
    profile: {
      label: `one more aimq send to ${fmtInt(N)} recipients (unbundled, so that time is attributed to packages)`,
      ...profile,
    },
    results: {
      profile,
      options: {
        recipients: N,
        dryRunRecipients: D,
        connections: C,
        runs: RUNS,
        warmUps: 1,
        quick: o.quick,
        fileSystem: fs,
      },
      command: `AIMQ_SMTP_URL=smtp://127.0.0.1:<port> node bin/aimq.js ${sendArgs.join(' ')}`,
      measurements: {
        aimq: {
          ...msStats(aimqWall),
          messagesPerSecond: round(rate(aimqWall.median)),
          cpu: msStats(aimqCpu),
          peakMemoryMiB: round(aimqRss.median / 1024),
          serverWindow: { ...msStats(aimqServer), messagesPerSecond: round(rate(aimqServer.median)) },
          bytesPerMessage: Math.round(last.aimq.server.bytes / last.aimq.server.messages),
        },
        nodemailer: {
          ...msStats(plainWall),
          messagesPerSecond: round(rate(plainWall.median)),
          serverWindow: { ...msStats(plainServer), messagesPerSecond: round(rate(plainServer.median)) },
          bytesPerMessage: Math.round(last.plain.server.bytes / last.plain.server.messages),
        },
        ratio: {
          endToEnd: round(ratio, 3),
          pairedRuns: pairRatios.runs.map((x) => round(x, 3)),
          sendingOnly: round(serverRatio, 3),
          aim: `≥ ${pct(RATIO_AIM)}`,
          met,
        },
        dryRun: {
          recipients: D,
          method: rssMethodName(rssMethod),
          peakMemoryMiB: round(dry.rssKiB / 1024),
          peakMemoryMB: round(dryMB),
          aim: `< ${RSS_AIM_MB} MB`,
          met: rssMet,
          ms: round(dry.ms),
          cpuMs: round(dry.cpuMs),
          bytesWritten: dryBytes,
        },
      },
    },
  };
}
