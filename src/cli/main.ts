import { Command, CommanderError, Option } from 'commander';
import { AimqError, AimqProblems, EXIT, exitCodeFor, isUsageCode } from '../errors/index.js';
import { VERSION } from '../version.js';
import { DELIVERY_STATES } from '../outbox/types.js';
import type { BuildCommandOptions } from './commands/build.js';
import type { DispatchOptions, ScheduleCommandOptions } from './commands/dispatch.js';
import type { SendCommandOptions } from './commands/send.js';
import { inLang, type Lang, langFromEnv, type Message, type Text } from '../i18n/text.js';
import { commanderError, speakCommander, versionDescription } from './commander-text.js';
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
  /** Whether standard output is a terminal (a PDF is not written there). */
  stdoutIsTTY?: boolean;
  /** Asks a yes/no question on the terminal; undefined when there is no terminal to ask. */
  confirm: ((question: string) => Promise<boolean>) | undefined;
  /**
   * From now on, SIGINT and SIGTERM ask the command to stop cleanly instead of killing it;
   * `stopping` says what the command does then (a send finishes the messages in flight).
   */
  watchSignals: (stopping?: Message) => void;
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
  const lang = langFromEnv(process.env);
  const io: IoBase = {
    cwd: process.cwd(),
    stdout: (t) => process.stdout.write(asOutLine(t)),
    write: (d) => process.stdout.write(d),
    stderr: (t) => process.stderr.write(asErrLine(t)),
    env: process.env,
    isTTY: Boolean(process.stderr.isTTY),
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    confirm: process.stdin.isTTY && process.stderr.isTTY ? askYesNo : undefined,
    watchSignals: (
      stopping: Message = {
        fr: 'fin des messages en cours d’envoi, puis arrêt',
        en: 'finishing the messages in flight, then stopping',
      },
    ) => {
      const onSignal = (signal: NodeJS.Signals) => {
        if (stop) process.exit(130);
        stop = true;
        const words = inLang(stopping, lang);
        process.stderr.write(
          lang === 'fr'
            ? `\n${signal}\u00a0: ${words} (encore une fois pour quitter tout de suite).\n`
            : `\n${signal}: ${words} (again to quit at once).\n`,
        );
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
  const topic = unknownHelpTopic(program, argv.slice(2));
  if (topic !== undefined) {
    io.stderr(commanderError(`error: unknown command '${topic}'`, io.lang));
    return EXIT.usage;
  }
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (err) {
    return reportError(err, io);
  }
}

function buildProgram(io: Io, setExit: (code: number) => void): Command {
  // commander takes plain strings: each description is chosen in the user's language here.
  const say = (t: Text) => t[io.lang];
  const program = new Command('aimq')
    .description(
      say({
        fr: 'Communiqués bilingues\u00a0: salle de presse, éditions courriel et envoi, à partir de markdown.',
        en: 'Bilingual press releases: a newsroom, e-mail editions and sending, from markdown.',
      }),
    )
    .version(VERSION, '-V, --version', versionDescription(io.lang))
    .option(
      '-C <dir>',
      say({
        fr: 'travaille comme si aimq avait été lancé dans <dir>',
        en: 'run as if aimq was started in <dir>',
      }),
    )
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout(s.replace(/\n$/, '')),
      writeErr: (s) => io.stderr(s.replace(/\n$/, '')),
    })
    .showSuggestionAfterError(true);
  speakCommander(program, io.lang);
  // Options several commands take, worded once.
  const shared = {
    to: () =>
      new Option(
        '--to <list-or-address...>',
        say({
          fr: 'une liste de lists/ (CSV) ou une adresse\u00a0; à répéter pour en donner plusieurs',
          en: 'a list under lists/ (CSV) or an address; repeat for several',
        }),
      ),
    connections: () =>
      new Option(
        '--connections <n>',
        say({ fr: 'connexions SMTP simultanées', en: 'SMTP connections at once' }),
      ).default('3'),
    rate: () =>
      new Option(
        '--rate <n/s>',
        say({ fr: 'messages par seconde au plus', en: 'messages per second at most' }),
      ),
    maxRefusals: () =>
      new Option(
        '--max-refusals <n>',
        say({
          fr: 'arrête l’envoi après n refus du message lui-même de suite (contenu, taille, relais) ; 0 : jamais',
          en: 'stop the send after n refusals of the message itself in a row (content, size, relaying); 0: never',
        }),
      ).default('5'),
    attachPdf: () =>
      new Option(
        '--attach-pdf',
        say({
          fr: 'joint le PDF de l’édition de chaque destinataire (<slug>.pdf\u00a0; demande Chromium)',
          en: 'attach the PDF of each recipient’s edition (<slug>.pdf; needs Chromium)',
        }),
      ),
    insecureSmtp: () =>
      new Option(
        '--insecure',
        say({
          fr: 'permet une connexion SMTP en clair à un serveur qui n’est pas sur cette machine',
          en: 'allow a plain SMTP connection to a server that is not on this machine',
        }),
      ),
    format: (choices: string[]) =>
      new Option('--format <format>', say({ fr: 'format de sortie', en: 'output format' }))
        .choices(choices)
        .default('text'),
  };
  const cwd = () => {
    const c = program.opts<{ C?: string }>().C;
    return c ? resolvePath(io.cwd, c) : io.cwd;
  };

  program
    .command('init')
    .description(
      say({
        fr: 'crée un projet\u00a0: aimq.config.yaml, releases/ avec un communiqué d’exemple, lists/ et templates/',
        en: 'create a project: aimq.config.yaml, releases/ with a sample release, lists/ and templates/',
      }),
    )
    .argument('[dir]', say({ fr: 'dossier où créer le projet', en: 'folder to create the project in' }), '.')
    .option(
      '--force',
      say({
        fr: 'écrit dans un dossier qui contient déjà des fichiers (sans jamais les remplacer)',
        en: 'write into a folder that already has files (never overwrites them)',
      }),
    )
    .action(async (dir: string, opts: { force?: boolean }) => {
      const { initCommand } = await import('./commands/init.js');
      setExit(initCommand({ ...io, cwd: cwd() }, dir, opts));
    });

  const release = program
    .command('release')
    .description(say({ fr: 'gère les communiqués', en: 'work with releases' }));

  release
    .command('new')
    .description(
      say({
        fr: 'crée releases/<date>-<slug>/ avec l’en-tête des deux éditions déjà rempli',
        en: 'create releases/<date>-<slug>/ with both editions’ front matter filled in',
      }),
    )
    .argument(
      '<slug>',
      say({
        fr: 'nom court en minuscules avec des traits d’union, p.\u00a0ex. nouveau-president',
        en: 'short name in lower case with hyphens, e.g. new-president',
      }),
    )
    .option(
      '--date <yyyy-mm-dd>',
      say({
        fr: 'date du communiqué (par défaut\u00a0: aujourd’hui dans le fuseau horaire de la config)',
        en: 'release date (default: today in the config time zone)',
      }),
    )
    .option(
      '--place <city>',
      say({
        fr: 'ville de la ligne de date (par défaut\u00a0: celle du communiqué le plus récent, ou Montréal)',
        en: 'dateline city (default: the most recent release’s, or Montréal)',
      }),
    )
    .action(async (slug: string, opts: { date?: string; place?: string }) => {
      const { newReleaseCommand } = await import('./commands/new.js');
      setExit(newReleaseCommand({ ...io, cwd: cwd() }, slug, opts));
    });

  release
    .command('check')
    .description(
      say({
        fr: 'vérifie les communiqués et signale chaque problème avec son fichier et sa ligne',
        en: 'check releases and report every problem with its file and line',
      }),
    )
    .argument(
      '[release-dir...]',
      say({
        fr: 'dossiers de communiqués (par défaut\u00a0: tous)',
        en: 'release folders (default: every release)',
      }),
    )
    .addOption(shared.format(['text', 'json', 'github']))
    .option(
      '--changed-since <git-ref>',
      say({
        fr: 'seulement les communiqués modifiés depuis cette branche, étiquette ou ce commit (tous si la config ou les gabarits ont changé)',
        en: 'only the releases changed since this branch, tag or commit (and all of them when the config or templates changed)',
      }),
    )
    .action(async (dirs: string[], opts: { format: 'text' | 'json' | 'github'; changedSince?: string }) => {
      const { checkCommand } = await import('./commands/check.js');
      setExit(await checkCommand({ ...io, cwd: cwd() }, dirs, opts));
    });

  release
    .command('build')
    .description(
      say({
        fr: 'construit la salle de presse bilingue\u00a0: pages, index, fils et plan du site',
        en: 'build the bilingual newsroom: pages, indexes, feeds and sitemap',
      }),
    )
    .argument(
      '[release-dir...]',
      say({
        fr: 'dossiers de communiqués (par défaut\u00a0: tous)',
        en: 'release folders (default: every release)',
      }),
    )
    .option(
      '--out <dir>',
      say({
        fr: 'dossier de sortie (par défaut\u00a0: public/ dans le dossier du projet)',
        en: 'output folder (default: public/ in the project folder)',
      }),
    )
    .option(
      '--now <iso>',
      say({
        fr: 'le moment qui décide des embargos levés (par défaut\u00a0: maintenant)',
        en: 'the moment that decides which embargoes have lifted (default: now)',
      }),
    )
    .option(
      '--include-embargoed',
      say({
        fr: 'inclut les communiqués encore sous embargo, marqués comme tels (pour les aperçus)',
        en: 'include releases still under embargo, marked as such (for previews)',
      }),
    )
    .option(
      '--preview',
      say({
        fr: 'écrit aussi <out>/_preview/\u00a0: une galerie de chaque page et édition courriel, avec des captures d’écran',
        en: 'also write <out>/_preview/: a gallery of every page and e-mail edition, with screenshots',
      }),
    )
    .option(
      '--require-screenshots',
      say({
        fr: 'avec --preview\u00a0: échoue (code 2) si aucun navigateur ne peut prendre les captures',
        en: 'with --preview: fail (exit 2) when no browser can take the screenshots',
      }),
    )
    .option(
      '--changed-since <git-ref>',
      say({
        fr: 'avec --preview\u00a0: captures des seuls communiqués modifiés depuis cette référence (tous si la config ou les gabarits ont changé)',
        en: 'with --preview: screenshots of the releases changed since this ref only (all when the config or templates changed)',
      }),
    )
    .option(
      '--compare <git-ref>',
      say({
        fr: 'avec --preview\u00a0: comme --changed-since, plus la version de la référence, construite depuis git, et les différences de pixels',
        en: 'with --preview: as --changed-since, plus the ref’s version, built from git, and pixel differences',
      }),
    )
    .action(async (dirs: string[], opts: BuildCommandOptions) => {
      const { buildCommand } = await import('./commands/build.js');
      setExit(await buildCommand({ ...io, cwd: cwd() }, dirs, opts));
    });

  release
    .command('preview')
    .description(
      say({
        fr: 'sert le site et chaque édition courriel en local, reconstruits et rechargés à chaque modification',
        en: 'serve the site and every e-mail edition locally, rebuilt and reloaded as you edit',
      }),
    )
    .argument(
      '[release-dir...]',
      say({
        fr: 'dossiers de communiqués (par défaut\u00a0: tous)',
        en: 'release folders (default: every release)',
      }),
    )
    .option(
      '--port <port>',
      say({
        fr: 'port d’écoute (0\u00a0: n’importe quel port libre)',
        en: 'port to listen on (0: any free one)',
      }),
      '4000',
    )
    .option('--host <host>', say({ fr: 'adresse d’écoute', en: 'address to listen on' }), '127.0.0.1')
    .action(async (dirs: string[], opts: { port: string; host: string }) => {
      const { previewCommand } = await import('./commands/preview.js');
      io.watchSignals({ fr: 'arrêt de l’aperçu', en: 'stopping the preview' });
      setExit(await previewCommand({ ...io, cwd: cwd() }, dirs, opts));
    });

  release
    .command('export')
    .description(
      say({
        fr: 'exporte une édition en message (.eml), HTML, texte brut, MJML, JSON ou PDF',
        en: 'export one edition as a message (.eml), HTML, plain text, MJML, JSON or a PDF',
      }),
    )
    .argument('<release-dir>', say({ fr: 'le dossier du communiqué', en: 'the release folder' }))
    .addOption(
      new Option('--format <format>', say({ fr: 'ce qu’il faut écrire', en: 'what to write' }))
        .choices(['eml', 'html', 'txt', 'mjml', 'json', 'pdf'])
        .default('eml'),
    )
    .option(
      '--edition <edition>',
      say({
        fr: 'fr, en ou bilingual (par défaut\u00a0: bilingual si le communiqué a deux langues)',
        en: 'fr, en or bilingual (default: bilingual when the release has two languages)',
      }),
    )
    .option(
      '--out <file-or-dir>',
      say({
        fr: 'où l’écrire (par défaut\u00a0: la sortie standard)',
        en: 'where to write it (default: standard output)',
      }),
    )
    .option(
      '--embed-images',
      say({
        fr: 'joint les images au message au lieu de les lier au site Web (eml)',
        en: 'attach the images to the message instead of linking to the web site (eml)',
      }),
    )
    .option(
      '--now <iso>',
      say({
        fr: 'la date (Date) du message (par défaut\u00a0: maintenant)',
        en: 'the Date of the message (default: now)',
      }),
    )
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
    .description(
      say({
        fr: 'envoie un communiqué à des listes et des adresses par SMTP, en passant par la boîte d’envoi (jamais deux fois)',
        en: 'send a release to lists and addresses through SMTP, through the outbox (never twice)',
      }),
    )
    .argument('<release-dir>', say({ fr: 'le dossier du communiqué', en: 'the release folder' }))
    .addOption(shared.to())
    .addOption(
      new Option(
        '--edition <edition>',
        say({
          fr: 'l’édition que reçoit chaque destinataire\u00a0; auto suit la colonne de langue de la liste',
          en: 'which edition each recipient gets; auto follows the list’s language column',
        }),
      )
        .choices(['auto', 'fr', 'en', 'bilingual'])
        .default('auto'),
    )
    .option(
      '--dry-run',
      say({
        fr: 'écrit les messages qui seraient envoyés en fichiers .eml, sans rien envoyer',
        en: 'write the messages it would send as .eml files, send nothing',
      }),
    )
    .option(
      '--out <dir>',
      say({
        fr: 'avec --dry-run\u00a0: où écrire les fichiers .eml',
        en: 'with --dry-run: where to write the .eml files',
      }),
    )
    .option(
      '--test <address>',
      say({
        fr: 'envoie chaque édition une fois à cette adresse, avec [TEST] dans l’objet, hors de la campagne',
        en: 'send each edition once to this address, [TEST] in the subject, outside the campaign',
      }),
    )
    .option(
      '--yes',
      say({
        fr: 'ne demande pas de confirmation (nécessaire sans terminal)',
        en: 'do not ask for confirmation (needed without a terminal)',
      }),
    )
    .addOption(shared.connections())
    .addOption(shared.rate())
    .addOption(shared.maxRefusals())
    .option(
      '--resend',
      say({
        fr: 'envoie aussi aux personnes qui ont déjà reçu cette édition du communiqué',
        en: 'also send to people who already received this edition of the release',
      }),
    )
    .option(
      '--skip-invalid',
      say({
        fr: 'envoie aux lignes valides d’une liste qui en contient d’invalides, et consigne les lignes écartées dans la campagne',
        en: 'send to the valid lines of a list that has invalid ones, and record the skipped lines in the campaign',
      }),
    )
    .option(
      '--embed-images',
      say({
        fr: 'joint les images au lieu de les lier au site Web (nécessaire sous embargo)',
        en: 'attach images instead of linking to the web site (needed under embargo)',
      }),
    )
    .addOption(shared.attachPdf())
    .option(
      '--insecure',
      say({
        fr: 'permet une connexion SMTP en clair (non chiffrée) à un serveur qui n’est pas sur cette machine',
        en: 'allow a plain (unencrypted) SMTP connection to a server that is not on this machine',
      }),
    )
    .action(async (dir: string, opts: SendCommandOptions) => {
      const { sendCommand } = await import('./commands/send.js');
      io.watchSignals();
      setExit(await sendCommand({ ...io, cwd: cwd() }, dir, opts));
    });

  release
    .command('schedule')
    .description(
      say({
        fr: 'planifie un envoi\u00a0: «\u00a0aimq dispatch\u00a0» l’envoie à l’heure dite',
        en: 'schedule a send: "aimq dispatch" sends it at that time',
      }),
    )
    .argument('<release-dir>', say({ fr: 'le dossier du communiqué', en: 'the release folder' }))
    .requiredOption(
      '--at <when>',
      say({
        fr: 'date-heure ISO avec décalage, ou «\u00a0AAAA-MM-JJ HH:MM\u00a0» dans le fuseau horaire de la config',
        en: 'ISO date-time with offset, or "YYYY-MM-DD HH:MM" in the config time zone',
      }),
    )
    .addOption(shared.to())
    .addOption(
      new Option(
        '--edition <edition>',
        say({ fr: 'l’édition que reçoit chaque destinataire', en: 'which edition each recipient gets' }),
      )
        .choices(['auto', 'fr', 'en', 'bilingual'])
        .default('auto'),
    )
    .option(
      '--now <iso>',
      say({
        fr: 'l’heure actuelle (pour les répétitions\u00a0; par défaut\u00a0: l’horloge)',
        en: 'the current time (for rehearsals; default: the clock)',
      }),
    )
    .option(
      '--embed-images',
      say({
        fr: 'joint les images au lieu de les lier au site Web',
        en: 'attach images instead of linking to the web site',
      }),
    )
    .addOption(shared.attachPdf())
    .action(async (dir: string, opts: ScheduleCommandOptions) => {
      const { scheduleCommand } = await import('./commands/dispatch.js');
      setExit(await scheduleCommand({ ...io, cwd: cwd() }, dir, opts));
    });

  program
    .command('dispatch')
    .description(
      say({
        fr: 'envoie chaque campagne planifiée dont l’heure est venue (et lit les entrées `dispatch:` des communiqués)',
        en: 'send every scheduled campaign that is due (and read the releases’ dispatch: entries)',
      }),
    )
    .addOption(
      new Option(
        '--once',
        say({
          fr: 'un seul tour, puis quitte (cron, minuterie systemd, planification CI)',
          en: 'one round, then exit (cron, systemd timer, CI schedule)',
        }),
      ).conflicts('watch'),
    )
    .option(
      '--watch',
      say({
        fr: 'reste actif et envoie les campagnes à leur heure\u00a0; SIGTERM l’arrête proprement',
        en: 'stay up and send campaigns as they fall due; SIGTERM stops cleanly',
      }),
    )
    .option(
      '--interval <duration>',
      say({ fr: 'avec --watch\u00a0: à quelle fréquence regarder', en: 'with --watch: how often to look' }),
      '30s',
    )
    .option(
      '--now <iso>',
      say({
        fr: 'répète comme s’il était cette heure-là\u00a0: rien n’est envoyé, la boîte d’envoi reste telle quelle (par défaut\u00a0: l’horloge)',
        en: 'rehearse as if it were that time: nothing is sent, the outbox is left as it is (default: the clock)',
      }),
    )
    .option(
      '--send',
      say({
        fr: 'avec --now (ou AIMQ_NOW)\u00a0: envoie pour de vrai ce qui est dû à cette heure-là',
        en: 'with --now (or AIMQ_NOW): really send what is due at that time',
      }),
    )
    .addOption(shared.connections())
    .addOption(shared.rate())
    .addOption(shared.maxRefusals())
    .addOption(shared.insecureSmtp())
    .action(async (opts: DispatchOptions) => {
      const { dispatchCommand } = await import('./commands/dispatch.js');
      io.watchSignals();
      setExit(await dispatchCommand({ ...io, cwd: cwd() }, opts));
    });

  const smtp = program.command('smtp').description(say({ fr: 'le serveur SMTP', en: 'the SMTP server' }));
  smtp
    .command('verify')
    .description(
      say({
        fr: 'se connecte, négocie TLS et s’authentifie\u00a0; n’envoie rien',
        en: 'connect, negotiate TLS and authenticate; send nothing',
      }),
    )
    .option(
      '--insecure',
      say({
        fr: 'permet une connexion en clair à un serveur qui n’est pas sur cette machine',
        en: 'allow a plain connection to a server that is not on this machine',
      }),
    )
    .action(async (opts: { insecure?: boolean }) => {
      const { smtpVerifyCommand } = await import('./commands/smtp.js');
      setExit(await smtpVerifyCommand({ ...io, cwd: cwd() }, opts));
    });

  const inbox = program.command('inbox').description(
    say({
      fr: 'rebonds, plaintes et demandes de désabonnement reçus dans la boîte aux lettres\u00a0: écarte ces adresses',
      en: 'bounces, complaints and unsubscribe replies from the mailbox: suppress those addresses',
    }),
  );
  inbox
    .command('sync')
    .description(
      say({
        fr: 'lit la boîte IMAP de `inbox:` dans la config, applique ce que dit chaque message, déplace ceux qui sont appliqués',
        en: 'read the IMAP mailbox of inbox: in the config, apply what each message says, move the applied ones',
      }),
    )
    .option(
      '--dry-run',
      say({
        fr: 'montre ce qui serait fait\u00a0; ne change rien, ne déplace rien',
        en: 'show what it would do; change nothing, move nothing',
      }),
    )
    .option(
      '--insecure',
      say({
        fr: 'permet une connexion IMAP en clair à un serveur qui n’est pas sur cette machine, ou un certificat autosigné',
        en: 'allow a plain IMAP connection to a server that is not on this machine, or a self-signed certificate',
      }),
    )
    .action(async (opts: { dryRun?: boolean; insecure?: boolean }) => {
      const { inboxSyncCommand } = await import('./commands/inbox.js');
      io.watchSignals({
        fr: 'fin du message en cours, puis arrêt',
        en: 'finishing the message in hand, then stopping',
      });
      setExit(await inboxSyncCommand({ ...io, cwd: cwd() }, opts));
    });
  inbox
    .command('import')
    .description(
      say({
        fr: 'la même chose sur une boîte aux lettres exportée\u00a0: un fichier .eml, un fichier mbox, un dossier Maildir ou un dossier de fichiers .eml',
        en: 'the same over an exported mailbox: an .eml file, an mbox file, a Maildir folder or a folder of .eml files',
      }),
    )
    .argument(
      '<path>',
      say({
        fr: 'fichier.eml, fichier.mbox, un dossier Maildir (avec cur/ et new/) ou un dossier de fichiers .eml',
        en: 'file.eml, file.mbox, a Maildir folder (with cur/ and new/) or a folder of .eml files',
      }),
    )
    .option(
      '--dry-run',
      say({
        fr: 'montre ce qui serait fait\u00a0; ne change rien',
        en: 'show what it would do; change nothing',
      }),
    )
    .action(async (path: string, opts: { dryRun?: boolean }) => {
      const { inboxImportCommand } = await import('./commands/inbox.js');
      setExit(await inboxImportCommand({ ...io, cwd: cwd() }, path, opts));
    });

  program
    .command('doctor')
    .description(
      say({
        fr: 'vérifie ce qui décide de l’arrivée des messages\u00a0: MX, SPF, DMARC, DKIM, SMTP, désabonnement en un clic',
        en: 'check what decides whether messages arrive: MX, SPF, DMARC, DKIM, SMTP, one-click unsubscribe',
      }),
    )
    .option(
      '--dns <ip:port>',
      say({
        fr: 'interroge ce serveur DNS au lieu de celui du système (aussi AIMQ_DNS)',
        en: 'ask this DNS server instead of the system’s (also AIMQ_DNS)',
      }),
    )
    .option(
      '--unsubscribe-url <url>',
      say({
        fr: 'teste cette adresse au lieu de email.unsubscribe.url (https, ou http sur cette machine)',
        en: 'test this endpoint instead of email.unsubscribe.url (https, or http on this machine)',
      }),
    )
    .addOption(shared.insecureSmtp())
    .addOption(shared.format(['text', 'json']))
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

  const outbox = program
    .command('outbox')
    .description(
      say({ fr: 'ce qui a été envoyé, et ce qui attend', en: 'what was sent, and what is waiting' }),
    );
  outbox
    .command('list')
    .description(
      say({
        fr: 'les campagnes, avec leur état et leurs nombres',
        en: 'campaigns with their status and counts',
      }),
    )
    .action(async () => {
      const { outboxListCommand } = await import('./commands/outbox.js');
      setExit(await outboxListCommand({ ...io, cwd: cwd() }));
    });
  outbox
    .command('show')
    .description(
      say({
        fr: 'une campagne\u00a0: chaque destinataire avec son état et la dernière réponse du serveur',
        en: 'one campaign: every recipient with its state and the server’s last reply',
      }),
    )
    .argument(
      '<campaign>',
      say({ fr: 'numéro de la campagne (voir outbox list)', en: 'campaign id (see outbox list)' }),
    )
    .addOption(
      new Option(
        '--state <state>',
        say({ fr: 'seulement les lignes dans cet état', en: 'only rows in this state' }),
      ).choices(DELIVERY_STATES),
    )
    .addOption(shared.format(['text', 'csv', 'json']))
    .action(async (id: string, opts: { state?: string; format: 'text' | 'csv' | 'json' }) => {
      const { outboxShowCommand } = await import('./commands/outbox.js');
      setExit(await outboxShowCommand({ ...io, cwd: cwd() }, id, opts));
    });
  outbox
    .command('retry')
    .description(
      say({
        fr: 'remet en file les lignes en échec (et les incertaines avec --uncertain)\u00a0; le prochain send ou dispatch les envoie',
        en: 'queue failed rows again (and uncertain ones with --uncertain); the next send or dispatch sends them',
      }),
    )
    .argument(
      '[campaign]',
      say({ fr: 'numéro de la campagne (par défaut\u00a0: toutes)', en: 'campaign id (default: all)' }),
    )
    .option(
      '--uncertain',
      say({
        fr: 'aussi les lignes incertaines\u00a0: leurs destinataires pourraient recevoir le message deux fois',
        en: 'also the uncertain rows: their recipients may get the message twice',
      }),
    )
    .action(async (id: string | undefined, opts: { uncertain?: boolean }) => {
      const { outboxRetryCommand } = await import('./commands/outbox.js');
      setExit(await outboxRetryCommand({ ...io, cwd: cwd() }, id, opts));
    });
  outbox
    .command('reschedule')
    .description(
      say({
        fr: 'déplace une campagne planifiée qui n’a pas commencé',
        en: 'move a scheduled campaign that has not started',
      }),
    )
    .argument('<campaign>', say({ fr: 'numéro de la campagne', en: 'campaign id' }))
    .requiredOption(
      '--at <when>',
      say({
        fr: 'date-heure ISO avec décalage, ou «\u00a0AAAA-MM-JJ HH:MM\u00a0» dans le fuseau horaire de la config',
        en: 'ISO date-time with offset, or "YYYY-MM-DD HH:MM" in the config time zone',
      }),
    )
    .option(
      '--now <iso>',
      say({
        fr: 'l’heure actuelle (par défaut\u00a0: l’horloge)',
        en: 'the current time (default: the clock)',
      }),
    )
    .action(async (id: string, opts: { at: string; now?: string }) => {
      const { rescheduleCommand } = await import('./commands/dispatch.js');
      setExit(await rescheduleCommand({ ...io, cwd: cwd() }, id, opts));
    });
  outbox
    .command('cancel')
    .description(
      say({ fr: 'annule ce qui n’a pas encore été envoyé', en: 'cancel what has not been sent yet' }),
    )
    .argument('<campaign>', say({ fr: 'numéro de la campagne', en: 'campaign id' }))
    .action(async (id: string) => {
      const { outboxCancelCommand } = await import('./commands/outbox.js');
      setExit(await outboxCancelCommand({ ...io, cwd: cwd() }, id));
    });

  outbox
    .command('migrate-to')
    .description(
      say({
        fr: 'copie une fois la boîte d’envoi SQLite dans une boîte d’envoi PostgreSQL vide (campagnes, lignes, états)',
        en: 'copy the SQLite outbox, once, into an empty PostgreSQL outbox (campaigns, rows, states)',
      }),
    )
    .argument(
      '<url>',
      say({
        fr: 'postgres://utilisateur@hôte/base (le mot de passe dans PGPASSWORD)',
        en: 'postgres://user@host/database (the password in PGPASSWORD)',
      }),
    )
    .action(async (url: string) => {
      const { outboxMigrateToCommand } = await import('./commands/outbox.js');
      setExit(await outboxMigrateToCommand({ ...io, cwd: cwd() }, url));
    });

  const lists = program.command('lists').description(
    say({
      fr: 'les listes de diffusion et la liste d’exclusion',
      en: 'recipient lists and the suppression list',
    }),
  );
  lists
    .command('check')
    .description(
      say({
        fr: 'adresses invalides et en double avec fichier:ligne, nombres par langue, exclues',
        en: 'invalid and duplicate addresses with file:line, counts per language, suppressed',
      }),
    )
    .argument('<file>', say({ fr: 'une liste CSV', en: 'a CSV list' }))
    .addOption(shared.format(['text', 'json']))
    .action(async (file: string, opts: { format: 'text' | 'json' }) => {
      const { listsCheckCommand } = await import('./commands/lists.js');
      setExit(await listsCheckCommand({ ...io, cwd: cwd() }, file, opts));
    });
  lists
    .command('unsubscribe')
    .description(
      say({
        fr: 'ajoute une adresse à lists/suppression.csv\u00a0: plus rien ne lui sera jamais envoyé',
        en: 'add an address to lists/suppression.csv: it will never be sent anything again',
      }),
    )
    .argument('<email>', say({ fr: 'l’adresse', en: 'the address' }))
    .addOption(
      new Option('--reason <reason>', say({ fr: 'pourquoi', en: 'why' }))
        .choices(['unsubscribe', 'bounce', 'complaint', 'manual'])
        .default('unsubscribe'),
    )
    .action(async (email: string, opts: { reason?: string }) => {
      const { listsUnsubscribeCommand } = await import('./commands/lists.js');
      setExit(await listsUnsubscribeCommand({ ...io, cwd: cwd() }, email, opts, new Date()));
    });
  const suppression = lists.command('suppression').description(
    say({
      fr: 'la liste d’exclusion gardée dans la boîte d’envoi, et lists/suppression.csv',
      en: 'the suppression list kept in the outbox, and lists/suppression.csv',
    }),
  );
  suppression
    .command('export')
    .description(
      say({
        fr: 'ajoute à lists/suppression.csv les adresses exclues de la boîte d’envoi qui n’y sont pas',
        en: 'append the outbox’s suppressed addresses missing from lists/suppression.csv to it',
      }),
    )
    .action(async () => {
      const { listsSuppressionExportCommand } = await import('./commands/lists.js');
      setExit(await listsSuppressionExportCommand({ ...io, cwd: cwd() }));
    });
  suppression
    .command('import')
    .description(
      say({
        fr: 'ajoute les adresses d’un CSV d’exclusion (par défaut lists/suppression.csv) à la liste de la boîte d’envoi',
        en: 'add the addresses of a suppression CSV (default lists/suppression.csv) to the outbox’s list',
      }),
    )
    .argument('[file]', say({ fr: 'un CSV avec email,date,reason', en: 'a CSV with email,date,reason' }))
    .action(async (file: string | undefined) => {
      const { listsSuppressionImportCommand } = await import('./commands/lists.js');
      setExit(await listsSuppressionImportCommand({ ...io, cwd: cwd() }, file));
    });

  const unsubscribe = program.command('unsubscribe').description(
    say({
      fr: 'l’adresse de désabonnement en un clic vers laquelle pointent les messages',
      en: 'the one-click unsubscribe endpoint that messages link to',
    }),
  );
  unsubscribe
    .command('serve')
    .description(
      say({
        fr: 'répond aux désabonnements en un clic (RFC 8058) au chemin de email.unsubscribe.url, jusqu’à Ctrl-C',
        en: 'answer one-click unsubscribes (RFC 8058) at the path of email.unsubscribe.url, until Ctrl-C',
      }),
    )
    .option(
      '--port <port>',
      say({
        fr: 'port d’écoute (0\u00a0: n’importe quel port libre)',
        en: 'port to listen on (0: any free one)',
      }),
      '8025',
    )
    .option('--host <host>', say({ fr: 'adresse d’écoute', en: 'address to listen on' }), '127.0.0.1')
    .option(
      '--trust-proxy',
      say({
        fr: 'limite le débit selon la dernière adresse X-Forwarded-For (seulement derrière votre propre mandataire inverse)',
        en: 'rate-limit by the last X-Forwarded-For address (only behind your own reverse proxy)',
      }),
    )
    .option(
      '--rate-limit <n>',
      say({
        fr: 'requêtes à jeton refusé par client par minute (un jeton valide passe toujours)',
        en: 'requests with a refused token per client per minute (a valid token always goes through)',
      }),
      '30',
    )
    .action(async (opts: UnsubscribeServeOptions) => {
      const { unsubscribeServeCommand } = await import('./commands/unsubscribe.js');
      io.watchSignals({
        fr: 'fermeture de l’adresse de désabonnement',
        en: 'closing the unsubscribe endpoint',
      });
      setExit(await unsubscribeServeCommand({ ...io, cwd: cwd() }, opts));
    });

  program
    .command('codes')
    .description(
      say({
        fr: 'liste chaque code d’erreur et d’avertissement avec sa signification',
        en: 'list every error and warning code with what it means',
      }),
    )
    .action(async () => {
      const { CODES } = await import('../errors/index.js');
      io.stdout(
        Object.entries(CODES)
          .map(([code, text]) => `${code.padEnd(28)} ${io.t(text)}`)
          .join('\n'),
      );
    });

  return program;
}

/**
 * The name in `aimq [command…] help <name>` when no such command exists there: commander
 * would show the parent's help and exit 0, as if `<name>` were a command.
 */
function unknownHelpTopic(program: Command, args: readonly string[]): string | undefined {
  const find = (cmd: Command, name: string) =>
    cmd.commands.find((c) => c.name() === name || c.aliases().includes(name));
  let cmd = program;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '-C') {
      i++;
      continue;
    }
    if (arg.startsWith('-')) return undefined;
    if (arg === 'help' && cmd.commands.length) {
      const name = args[i + 1];
      return name === undefined || name === 'help' || name.startsWith('-') || find(cmd, name)
        ? undefined
        : name;
    }
    const sub = find(cmd, arg);
    if (!sub) return undefined;
    cmd = sub;
  }
  return undefined;
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
  const stack = e?.stack ?? String(err);
  io.stderr(
    io.t({
      fr: `erreur interne\u00a0: ${stack}\n\nC’est un bogue d’aimq ${VERSION}. Merci de le signaler avec la commande lancée.`,
      en: `internal error: ${stack}\n\nThis is a bug in aimq ${VERSION}. Please report it with the command you ran.`,
    }),
  );
  return EXIT.internal;
}
