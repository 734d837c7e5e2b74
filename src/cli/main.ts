import { Command, CommanderError, Option } from 'commander';
import { AimqError, AimqProblems, EXIT, exitCodeFor, isUsageCode } from '../errors/index.js';
import { VERSION } from '../version.js';
import { formatText } from './report.js';

/** What a command needs from the outside world; tests and the CLI pass the real ones. */
export interface Io {
  cwd: string;
  stdout: (text: string) => void;
  /** Raw bytes to standard output (an exported message), without a newline added. */
  write: (data: Buffer) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  isTTY: boolean;
}

/**
 * The CLI: commander wiring only. Each command's module is imported when it runs, so
 * `aimq --help` loads neither the markdown pipeline nor the template engine. This is the
 * one place that sets the exit code.
 */
export async function main(argv: string[]): Promise<void> {
  const io: Io = {
    cwd: process.cwd(),
    stdout: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
    write: (d) => process.stdout.write(d),
    stderr: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
    env: process.env,
    isTTY: Boolean(process.stdout.isTTY),
  };
  process.exitCode = await run(argv, io);
}

export async function run(argv: string[], io: Io): Promise<number> {
  let exitCode = 0;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (err) {
    return reportError(err, io);
  }
}

function buildProgram(io: Io, setExit: (code: number) => void): Command {
  const program = new Command('aimq')
    .description('Bilingual press releases: a newsroom, e-mail editions and sending, from markdown.')
    .version(VERSION, '-V, --version')
    .option('-C <dir>', 'run as if aimq was started in <dir>')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s.replace(/\n$/, '')), writeErr: (s) => io.stderr(s.replace(/\n$/, '')) })
    .showSuggestionAfterError(true);
  const cwd = () => {
    const c = program.opts<{ C?: string }>().C;
    return c ? resolvePath(io.cwd, c) : io.cwd;
  };

  program
    .command('init')
    .description('create a project: aimq.config.yaml, releases/ with a sample release, lists/ and templates/')
    .argument('[dir]', 'folder to create the project in', '.')
    .option('--force', 'write into a folder that already has files (never overwrites them)')
    .action(async (dir: string, opts: { force?: boolean }) => {
      const { initCommand } = await import('./commands/init.js');
      setExit(initCommand({ ...io, cwd: cwd() }, dir, opts));
    });

  const release = program.command('release').description('work with releases');

  release
    .command('new')
    .description('create releases/<date>-<slug>/ with both editions’ front matter filled in')
    .argument('<slug>', 'short name in lower case with hyphens, e.g. new-president')
    .option('--date <yyyy-mm-dd>', 'release date (default: today in the config time zone)')
    .option('--place <city>', 'dateline city (default: the most recent release’s, or Montréal)')
    .action(async (slug: string, opts: { date?: string; place?: string }) => {
      const { newReleaseCommand } = await import('./commands/new.js');
      setExit(newReleaseCommand({ ...io, cwd: cwd() }, slug, opts));
    });

  release
    .command('check')
    .description('check releases and report every problem with its file and line')
    .argument('[release-dir...]', 'release folders (default: every release)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'github']).default('text'))
    .action(async (dirs: string[], opts: { format: 'text' | 'json' | 'github' }) => {
      const { checkCommand } = await import('./commands/check.js');
      setExit(await checkCommand({ ...io, cwd: cwd() }, dirs, opts));
    });

  release
    .command('build')
    .description('build the bilingual newsroom: pages, indexes, feeds and sitemap')
    .argument('[release-dir...]', 'release folders (default: every release)')
    .option('--out <dir>', 'output folder', 'public')
    .option('--now <iso>', 'the moment that decides which embargoes have lifted (default: now)')
    .option('--include-embargoed', 'include releases still under embargo, marked as such (for previews)')
    .action(async (dirs: string[], opts: { out: string; now?: string; includeEmbargoed?: boolean }) => {
      const { buildCommand } = await import('./commands/build.js');
      setExit(await buildCommand({ ...io, cwd: cwd() }, dirs, opts));
    });

  release
    .command('export')
    .description('export one e-mail edition as a message (.eml), HTML, plain text, MJML or JSON')
    .argument('<release-dir>', 'the release folder')
    .addOption(new Option('--format <format>', 'what to write').choices(['eml', 'html', 'txt', 'mjml', 'json']).default('eml'))
    .option('--edition <edition>', 'fr, en or bilingual (default: bilingual when the release has two languages)')
    .option('--out <file-or-dir>', 'where to write it (default: standard output)')
    .option('--embed-images', 'attach the images to the message instead of linking to the web site (eml)')
    .option('--now <iso>', 'the Date of the message (default: now)')
    .action(async (dir: string, opts: { format: 'eml' | 'html' | 'txt' | 'mjml' | 'json'; edition?: string; out?: string; embedImages?: boolean; now?: string }) => {
      const { exportCommand } = await import('./commands/export.js');
      setExit(await exportCommand({ ...io, cwd: cwd() }, dir, opts, io.write));
    });

  program
    .command('codes')
    .description('list every error and warning code with what it means')
    .action(async () => {
      const { CODES } = await import('../errors/index.js');
      io.stdout(Object.entries(CODES).map(([code, text]) => `${code.padEnd(28)} ${text}`).join('\n'));
    });

  return program;
}

function resolvePath(base: string, p: string): string {
  return p.startsWith('/') ? p : `${base.replace(/\/+$/, '')}/${p}`;
}

/** Turns any failure into a message and an exit code; a stack trace only for our own bugs. */
export function reportError(err: unknown, io: Io): number {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT.ok;
    // commander has already printed its message.
    return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (err instanceof AimqProblems) {
    io.stderr(formatText(err.diagnostics));
    const errors = err.diagnostics.filter((d) => d.severity === 'error');
    return errors.some((d) => isUsageCode(d.code)) ? EXIT.usage : EXIT.content;
  }
  if (err instanceof AimqError) {
    const where = err.file ? `${err.file}${err.line ? `:${err.line}:${err.column ?? 1}` : ''} ` : '';
    io.stderr(`${where}error: ${err.message} [${err.code}]${err.hint ? `\n  hint: ${err.hint}` : ''}`);
    return exitCodeFor(err.code);
  }
  const e = err as Error;
  io.stderr(`internal error: ${e?.stack ?? String(err)}\n\nThis is a bug in aimq ${VERSION}. Please report it with the command you ran.`);
  return EXIT.internal;
}
