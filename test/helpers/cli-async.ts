import { spawn, type ChildProcess } from 'node:child_process';
import { BIN, type CliResult } from './cli.js';

/**
 * The real bin/aimq.js, spawned without blocking this process: a test's in-process SMTP
 * server keeps answering while the CLI sends (spawnSync would freeze it).
 */
export interface RunningCli {
  child: ChildProcess;
  /** What was written so far. */
  stdout: () => string;
  stderr: () => string;
  /** Resolves when the process has exited, with its code (or 128 + signal number when killed). */
  done: Promise<CliResult & { signal: NodeJS.Signals | null }>;
}

const SIGNALS: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };

export function startAimq(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): RunningCli {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const done = new Promise<CliResult & { signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) =>
      resolve({
        status: code ?? 128 + (signal ? (SIGNALS[signal] ?? 0) : 0),
        stdout: out,
        stderr: err,
        signal,
      }),
    );
  });
  return { child, stdout: () => out, stderr: () => err, done };
}

/** Runs the real CLI to completion without blocking the event loop. */
export function aimqAsync(
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
): Promise<CliResult & { signal: NodeJS.Signals | null }> {
  return startAimq(args, cwd, env).done;
}
