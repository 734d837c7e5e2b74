import { realpathSync } from 'node:fs';
import { asErrLine, asOutLine, type IoBase, run } from '../../src/cli/main.js';
import type { CliResult } from './cli.js';

/**
 * The CLI run inside the test process: `run(argv, io)`, what bin/aimq.js calls, with an Io
 * that collects the output instead of the process's streams. The same commander wiring,
 * commands, error reporting and exit codes, without starting Node.js and loading every
 * module again (a spawn costs about a second here). Use it wherever the process boundary
 * is not what a test is about; `aimq` (spawned) stays for the binary itself, signals,
 * time zone and locale, and at least one test per exit code.
 *
 * No command may read process.env, process.cwd() or set process.exitCode (only main()
 * does), so this is the CLI a user runs, given `cwd` and `env`.
 */
export async function aimqIn(
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
): Promise<CliResult & { stdoutBytes: Buffer }> {
  const out: Buffer[] = [];
  const err: string[] = [];
  const io: IoBase = {
    // A spawned process's working folder is the resolved path, as process.cwd() reports it.
    cwd: realpathSync(cwd),
    stdout: (t) => out.push(Buffer.from(asOutLine(t), 'utf8')),
    write: (d) => out.push(Buffer.from(d)),
    stderr: (t) => err.push(asErrLine(t)),
    env: { ...process.env, NO_COLOR: '1', ...env },
    isTTY: false,
    confirm: undefined,
    watchSignals: () => {},
    stopRequested: () => false,
  };
  const status = await run([process.execPath, 'aimq', ...args], io);
  const stdoutBytes = Buffer.concat(out);
  return { status, stdout: stdoutBytes.toString('utf8'), stderr: err.join(''), stdoutBytes };
}
