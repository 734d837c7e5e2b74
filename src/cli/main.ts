import { Command, CommanderError, Option } from 'commander';
import { AimqError, AimqProblems, EXIT, exitCodeFor, isUsageCode } from '../errors/index.js';
import { VERSION } from '../version.js';
import { DELIVERY_STATES } from '../outbox/types.js';
import type { BuildCommandOptions } from './commands/build.js';
import type { DispatchOptions } from './commands/dispatch.js';
import type { SendCommandOptions } from './commands/send.js';
import { inLang, type Lang, langFromEnv, type Message } from '../i18n/text.js';
import { speakCommander, versionDescription } from './commander-text.js';
import type { UnsubscribeServeOptions } from './commands/unsubscribe.js';
import { formatText, LABELS, printable } from './report.js';

/** What a command needs from the outside world; tests and the CLI pass the real ones. */
export interface Io extends IoBase {
  /** The language aimq speaks to its user: from AIMQ_LANG, LC_ALL, LC_MESSAGES or LANG. */
  lang: Lang;
  /** A message in that language: `io.stdout(io.t({ fr: '…', en: '…' }))`. */
  t: (message: Message) => string;
}

/** What `run` is given: the language is read from its environment. */
export interface IoBase {
  cwd: string;
  stdout: (text: string) => void;
  /** Raw bytes to standard output (an exported message), without a newline added. */
  write: (data: Buffer) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** Whether standard error is a terminal (progress bars). */
  isTTY: boolean;
  /** Asks a yes/no question on the terminal; undefined when there is no terminal to ask. */
  confirm: ((question: string) => Promise<boolean>) | undefined;
  /**
   * From now on, SIGINT and SIGTERM ask the command to stop cleanly instead of killing it;
   * `stopping` says what the command does then (a send finishes the messages in flight).
   */
  watchSignals: (stopping?: string) => void;
  /** True once SIGINT or SIGTERM asked to stop. */
  stopRequested: () => boolean;
}

/**
 * The CLI: commander wiring only. Each command's module is imported when it runs, so
 * `aimq --help` loads neither the markdown pipeline nor the template engine. This is the
 * one place that sets the exit code.
 */
export async function main(argv: string[]): Promise<void> {
  let stop = false;
  const io: IoBase = {
    cwd: process.cwd(),
    stdout: (t) => process.stdout.write(asOutLine(t)),
    write: (d) => process.stdout.write(d),
    stderr: (t) => process.stderr.write(asErrLine(t)),
    env: process.env,
    isTTY: Boolean(process.stderr.isTTY),
    confirm: process.stdin.isTTY && process.stderr.isTTY ? askYesNo : undefined,
    watchSignals: (stopping = 'finishing the messages in flight, then stopping') => {
      const onSignal = (signal: NodeJS.Signals) => {
        if (stop) process.exit(130);
        stop = true;
        process.stderr.write(`\n${signal}: ${stopping} (again to quit at once).\n`);
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
    },
    stopRequested: () => stop,
  };
  process.exitCode = await run(argv, io);
}

/** What `Io.stdout` writes for a text: a line, ended by one newline. */
export function asOutLine(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}

/** What `Io.stderr` writes for a text: a line, except a progress update that redraws its line (\r). */
export function asErrLine(text: string): string {
  return text.endsWith('\n') || text.startsWith('\r') ? text : `${text}\n`;
}

async function askYesNo(question: string): Promise<boolean> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^(y|yes|o|oui)$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

export async function run(argv: string[], base: IoBase): Promise<number> {
  const lang = langFromEnv(base.env);
  const io: Io = { ...base, lang, t: (message) => inLang(message, lang) };
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
    .version(VERSION, '-V, --version', versionDescription(io.lang))
    .option('-C <dir>', 'run as if aimq was started in <dir>')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout(s.replace(/\n$/, '')),
      writeErr: (s) => io.stderr(s.replace(/\n$/, '')),
    })
    .showSuggestionAfterError(true);
  speakCommander(program, io.lang);
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
    .addOption(
      new Option('--format <format>', 'output format').choices(['text', 'json', 'github']).default('text'),
    )
    .option(
      '--changed-since <git-ref>',
      'only the releases changed since this branch, tag or commit (and all of them when the config or templates changed)',
    )
    .action(async (dirs: string[], opts: { format: 'text' | 'json' | 'github'; changedSince?: string }) => {
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
    .option(
      '--preview',
      'also write <out>/_preview/: a gallery of every page and e-mail edition, with screenshots',
    )
    .option('--require-screenshots', 'with --preview: fail (exit 2) when no browser can take the screenshots')
    .option(
      '--changed-since <git-ref>',
      'with --preview: screenshots of the releases changed since this ref only (all when the config or templates changed)',
    )
    .option(
      '--compare <git-ref>',
      'with --preview: as --changed-since, plus the ref’s version, built from git, and pixel differences',
    )
    .action(async (dirs: string[], opts: BuildCommandOptions) => {
      const { buildCommand } = await import('./commands/build.js');
      setExit(await buildCommand({ ...io, cwd: cwd() }, dirs, opts));
    });

  release
    .command('preview')
    .description('serve the site and every e-mail edition locally, rebuilt and reloaded as you edit')
    .argument('[release-dir...]', 'release folders (default: every release)')
    .option('--port <port>', 'port to listen on (0: any free one)', '4000')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .action(async (dirs: string[], opts: { port: string; host: string }) => {
      const { previewCommand } = await import('./commands/preview.js');
      io.watchSignals('stopping the preview');
      setExit(await previewCommand({ ...io, cwd: cwd() }, dirs, opts));
    });

  release
    .command('export')
    .description('export one edition as a message (.eml), HTML, plain text, MJML, JSON or a PDF')
    .argument('<release-dir>', 'the release folder')
    .addOption(
      new Option('--format <format>', 'what to write')
        .choices(['eml', 'html', 'txt', 'mjml', 'json', 'pdf'])
        .default('eml'),
    )
    .option(
      '--edition <edition>',
      'fr, en or bilingual (default: bilingual when the release has two languages)',
    )
    .option('--out <file-or-dir>', 'where to write it (default: standard output)')
    .option('--embed-images', 'attach the images to the message instead of linking to the web site (eml)')
    .option('--now <iso>', 'the Date of the message (default: now)')
    .action(
      async (
        dir: string,
        opts: {
          format: 'eml' | 'html' | 'txt' | 'mjml' | 'json' | 'pdf';
          edition?: string;
          out?: string;
          embedImages?: boolean;
          now?: string;
        },
      ) => {
        const { exportCommand } = await import('./commands/export.js');
        setExit(await exportCommand({ ...io, cwd: cwd() }, dir, opts, io.write));
      },
    );

  release
    .command('send')
    .description('send a release to lists and addresses through SMTP, through the outbox (never twice)')
    .argument('<release-dir>', 'the release folder')
    .option('--to <list-or-address...>', 'a list under lists/ (CSV) or an address; repeat for several')
    .addOption(
      new Option(
        '--edition <edition>',
        'which edition each recipient gets; auto follows the list’s language column',
      )
        .choices(['auto', 'fr', 'en', 'bilingual'])
        .default('auto'),
    )
    .option('--dry-run', 'write the messages it would send as .eml files, send nothing')
    .option('--out <dir>', 'with --dry-run: where to write the .eml files')
    .option(
      '--test <address>',
      'send each edition once to this address, [TEST] in the subject, outside the campaign',
    )
    .option('--yes', 'do not ask for confirmation (needed without a terminal)')
    .option('--connections <n>', 'SMTP connections at once', '3')
    .option('--rate <n/s>', 'messages per second at most')
    .option('--resend', 'also send to people who already received this edition of the release')
    .option(
      '--skip-invalid',
      'send to the valid lines of a list that has invalid ones, and record the skipped lines in the campaign',
    )
    .option('--embed-images', 'attach images instead of linking to the web site (needed under embargo)')
    .option('--attach-pdf', 'attach the PDF of each recipient’s edition (<slug>.pdf; needs Chromium)')
    .option(
      '--insecure',
      'allow a plain (unencrypted) SMTP connection to a server that is not on this machine',
    )
    .action(async (dir: string, opts: SendCommandOptions) => {
      const { sendCommand } = await import('./commands/send.js');
      io.watchSignals();
      setExit(await sendCommand({ ...io, cwd: cwd() }, dir, opts));
    });

  release
    .command('schedule')
    .description('schedule a send: "aimq dispatch" sends it at that time')
    .argument('<release-dir>', 'the release folder')
    .requiredOption('--at <when>', 'ISO date-time with offset, or "YYYY-MM-DD HH:MM" in the config time zone')
    .option('--to <list-or-address...>', 'a list under lists/ (CSV) or an address; repeat for several')
    .addOption(
      new Option('--edition <edition>', 'which edition each recipient gets')
        .choices(['auto', 'fr', 'en', 'bilingual'])
        .default('auto'),
    )
    .option('--now <iso>', 'the current time (for rehearsals; default: the clock)')
    .option('--embed-images', 'attach images instead of linking to the web site')
    .option('--attach-pdf', 'attach the PDF of each recipient’s edition (<slug>.pdf; needs Chromium)')
    .action(
      async (
        dir: string,
        opts: {
          at: string;
          to?: string[];
          edition: string;
          now?: string;
          embedImages?: boolean;
          attachPdf?: boolean;
        },
      ) => {
        const { scheduleCommand } = await import('./commands/dispatch.js');
        setExit(await scheduleCommand({ ...io, cwd: cwd() }, dir, opts));
      },
    );

  program
    .command('dispatch')
    .description('send every scheduled campaign that is due (and read the releases’ dispatch: entries)')
    .option('--once', 'one round, then exit (cron, systemd timer, CI schedule)')
    .option('--watch', 'stay up and send campaigns as they fall due; SIGTERM stops cleanly')
    .option('--interval <duration>', 'with --watch: how often to look', '30s')
    .option(
      '--now <iso>',
      'rehearse as if it were that time: nothing is sent, the outbox is left as it is (default: the clock)',
    )
    .option('--send', 'with --now (or AIMQ_NOW): really send what is due at that time')
    .option('--connections <n>', 'SMTP connections at once', '3')
    .option('--rate <n/s>', 'messages per second at most')
    .option('--insecure', 'allow a plain SMTP connection to a server that is not on this machine')
    .action(async (opts: DispatchOptions) => {
      const { dispatchCommand } = await import('./commands/dispatch.js');
      io.watchSignals();
      setExit(await dispatchCommand({ ...io, cwd: cwd() }, opts));
    });

  const smtp = program.command('smtp').description('the SMTP server');
  smtp
    .command('verify')
    .description('connect, negotiate TLS and authenticate; send nothing')
    .option('--insecure', 'allow a plain connection to a server that is not on this machine')
    .action(async (opts: { insecure?: boolean }) => {
      const { smtpVerifyCommand } = await import('./commands/smtp.js');
      setExit(await smtpVerifyCommand({ ...io, cwd: cwd() }, opts));
    });

  const inbox = program
    .command('inbox')
    .description('bounces, complaints and unsubscribe replies from the mailbox: suppress those addresses');
  inbox
    .command('sync')
    .description(
      'read the IMAP mailbox of inbox: in the config, apply what each message says, move the applied ones',
    )
    .option('--dry-run', 'show what it would do; change nothing, move nothing')
    .option(
      '--insecure',
      'allow a plain IMAP connection to a server that is not on this machine, or a self-signed certificate',
    )
    .action(async (opts: { dryRun?: boolean; insecure?: boolean }) => {
      const { inboxSyncCommand } = await import('./commands/inbox.js');
      io.watchSignals('finishing the message in hand, then stopping');
      setExit(await inboxSyncCommand({ ...io, cwd: cwd() }, opts));
    });
  inbox
    .command('import')
    .description('the same over an exported mailbox: an .eml file, an mbox file or a Maildir folder')
    .argument('<path>', 'file.eml, file.mbox or a Maildir folder (with cur/ and new/)')
    .option('--dry-run', 'show what it would do; change nothing')
    .action(async (path: string, opts: { dryRun?: boolean }) => {
      const { inboxImportCommand } = await import('./commands/inbox.js');
      setExit(await inboxImportCommand({ ...io, cwd: cwd() }, path, opts));
    });

  program
    .command('doctor')
    .description(
      'check what decides whether messages arrive: MX, SPF, DMARC, DKIM, SMTP, one-click unsubscribe',
    )
    .option('--dns <ip:port>', 'ask this DNS server instead of the system’s (also AIMQ_DNS)')
    .option(
      '--unsubscribe-url <url>',
      'test this endpoint instead of email.unsubscribe.url (https, or http on this machine)',
    )
    .option('--insecure', 'allow a plain SMTP connection to a server that is not on this machine')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(
      async (opts: {
        dns?: string;
        unsubscribeUrl?: string;
        insecure?: boolean;
        format: 'text' | 'json';
      }) => {
        const { doctorCommand } = await import('./commands/doctor.js');
        setExit(await doctorCommand({ ...io, cwd: cwd() }, opts));
      },
    );

  const outbox = program.command('outbox').description('what was sent, and what is waiting');
  outbox
    .command('list')
    .description('campaigns with their status and counts')
    .action(async () => {
      const { outboxListCommand } = await import('./commands/outbox.js');
      setExit(await outboxListCommand({ ...io, cwd: cwd() }));
    });
  outbox
    .command('show')
    .description('one campaign: every recipient with its state and the server’s last reply')
    .argument('<campaign>', 'campaign id (see outbox list)')
    .addOption(new Option('--state <state>', 'only rows in this state').choices(DELIVERY_STATES))
    .addOption(
      new Option('--format <format>', 'output format').choices(['text', 'csv', 'json']).default('text'),
    )
    .action(async (id: string, opts: { state?: string; format: 'text' | 'csv' | 'json' }) => {
      const { outboxShowCommand } = await import('./commands/outbox.js');
      setExit(await outboxShowCommand({ ...io, cwd: cwd() }, id, opts));
    });
  outbox
    .command('retry')
    .description(
      'queue failed rows again (and uncertain ones with --uncertain); the next send or dispatch sends them',
    )
    .argument('[campaign]', 'campaign id (default: all)')
    .option('--uncertain', 'also the uncertain rows: their recipients may get the message twice')
    .action(async (id: string | undefined, opts: { uncertain?: boolean }) => {
      const { outboxRetryCommand } = await import('./commands/outbox.js');
      setExit(await outboxRetryCommand({ ...io, cwd: cwd() }, id, opts));
    });
  outbox
    .command('reschedule')
    .description('move a scheduled campaign that has not started')
    .argument('<campaign>', 'campaign id')
    .requiredOption('--at <when>', 'ISO date-time with offset, or "YYYY-MM-DD HH:MM" in the config time zone')
    .option('--now <iso>', 'the current time (default: the clock)')
    .action(async (id: string, opts: { at: string; now?: string }) => {
      const { rescheduleCommand } = await import('./commands/dispatch.js');
      setExit(await rescheduleCommand({ ...io, cwd: cwd() }, id, opts));
    });
  outbox
    .command('cancel')
    .description('cancel what has not been sent yet')
    .argument('<campaign>', 'campaign id')
    .action(async (id: string) => {
      const { outboxCancelCommand } = await import('./commands/outbox.js');
      setExit(await outboxCancelCommand({ ...io, cwd: cwd() }, id));
    });

  outbox
    .command('migrate-to')
    .description('copy the SQLite outbox, once, into an empty PostgreSQL outbox (campaigns, rows, states)')
    .argument('<url>', 'postgres://user@host/database (the password in PGPASSWORD)')
    .action(async (url: string) => {
      const { outboxMigrateToCommand } = await import('./commands/outbox.js');
      setExit(await outboxMigrateToCommand({ ...io, cwd: cwd() }, url));
    });

  const lists = program.command('lists').description('recipient lists and the suppression list');
  lists
    .command('check')
    .description('invalid and duplicate addresses with file:line, counts per language, suppressed')
    .argument('<file>', 'a CSV list')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (file: string, opts: { format: 'text' | 'json' }) => {
      const { listsCheckCommand } = await import('./commands/lists.js');
      setExit(await listsCheckCommand({ ...io, cwd: cwd() }, file, opts));
    });
  lists
    .command('unsubscribe')
    .description('add an address to lists/suppression.csv: it will never be sent anything again')
    .argument('<email>', 'the address')
    .addOption(
      new Option('--reason <reason>', 'why')
        .choices(['unsubscribe', 'bounce', 'complaint', 'manual'])
        .default('unsubscribe'),
    )
    .action(async (email: string, opts: { reason?: string }) => {
      const { listsUnsubscribeCommand } = await import('./commands/lists.js');
      setExit(await listsUnsubscribeCommand({ ...io, cwd: cwd() }, email, opts, new Date()));
    });
  const suppression = lists
    .command('suppression')
    .description('the suppression list kept in the outbox, and lists/suppression.csv');
  suppression
    .command('export')
    .description('append the outbox’s suppressed addresses missing from lists/suppression.csv to it')
    .action(async () => {
      const { listsSuppressionExportCommand } = await import('./commands/lists.js');
      setExit(await listsSuppressionExportCommand({ ...io, cwd: cwd() }));
    });
  suppression
    .command('import')
    .description(
      'add the addresses of a suppression CSV (default lists/suppression.csv) to the outbox’s list',
    )
    .argument('[file]', 'a CSV with email,date,reason')
    .action(async (file: string | undefined) => {
      const { listsSuppressionImportCommand } = await import('./commands/lists.js');
      setExit(await listsSuppressionImportCommand({ ...io, cwd: cwd() }, file));
    });

  const unsubscribe = program
    .command('unsubscribe')
    .description('the one-click unsubscribe endpoint that messages link to');
  unsubscribe
    .command('serve')
    .description(
      'answer one-click unsubscribes (RFC 8058) at the path of email.unsubscribe.url, until Ctrl-C',
    )
    .option('--port <port>', 'port to listen on (0: any free one)', '8025')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option(
      '--trust-proxy',
      'rate-limit by the last X-Forwarded-For address (only behind your own reverse proxy)',
    )
    .option('--rate-limit <n>', 'requests per client per minute', '30')
    .action(async (opts: UnsubscribeServeOptions) => {
      const { unsubscribeServeCommand } = await import('./commands/unsubscribe.js');
      io.watchSignals('closing the unsubscribe endpoint');
      setExit(await unsubscribeServeCommand({ ...io, cwd: cwd() }, opts));
    });

  program
    .command('codes')
    .description('list every error and warning code with what it means')
    .action(async () => {
      const { CODES } = await import('../errors/index.js');
      io.stdout(
        Object.entries(CODES)
          .map(([code, text]) => `${code.padEnd(28)} ${text}`)
          .join('\n'),
      );
    });

  return program;
}

function resolvePath(base: string, p: string): string {
  return p.startsWith('/') ? p : `${base.replace(/\/+$/, '')}/${p}`;
}

/** Turns any failure into a message and an exit code; a stack trace only for our own bugs. */
export function reportError(err: unknown, io: Io): number {
  if (err instanceof CommanderError) {
    if (
      err.code === 'commander.helpDisplayed' ||
      err.code === 'commander.version' ||
      err.code === 'commander.help'
    )
      return EXIT.ok;
    // commander has already printed its message.
    return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (err instanceof AimqProblems) {
    io.stderr(formatText(err.diagnostics, io.lang));
    const errors = err.diagnostics.filter((d) => d.severity === 'error');
    return errors.some((d) => isUsageCode(d.code)) ? EXIT.usage : EXIT.content;
  }
  if (err instanceof AimqError) {
    const where = err.file ? `${err.file}${err.line ? `:${err.line}:${err.column ?? 1}` : ''} ` : '';
    io.stderr(
      printable(`${where}${LABELS.error[io.lang]} ${inLang(err.text, io.lang)} [${err.code}]`) +
        (err.hint ? `\n  ${LABELS.hint[io.lang]} ${printable(inLang(err.hint, io.lang))}` : ''),
    );
    return exitCodeFor(err.code);
  }
  const e = err as Error;
  io.stderr(
    io.lang === 'fr'
      ? `erreur interne\u00a0: ${e?.stack ?? String(err)}\n\nC’est un bogue d’aimq ${VERSION}. Merci de le signaler avec la commande lancée.`
      : `internal error: ${e?.stack ?? String(err)}\n\nThis is a bug in aimq ${VERSION}. Please report it with the command you ran.`,
  );
  return EXIT.internal;
}
