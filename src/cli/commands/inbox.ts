import { relative, resolve } from 'node:path';
import { loadConfig } from '../../config/load.js';
import { EXIT } from '../../errors/index.js';
import { counted, formatNumber, type Text } from '../../i18n/text.js';
import type { Config } from '../../model/config.js';
import { type ApplyOptions, describeReason, summarize } from '../../inbox/apply.js';
import { readMailbox } from '../../inbox/files.js';
import { imapSettings, openFolder } from '../../inbox/imap.js';
import { type Processed, processEntries, processFolder } from '../../inbox/run.js';
import { unsubscribeSecret } from '../../unsubscribe/secret.js';
import { openOutbox } from '../../sending/open-outbox.js';
import { sendTunables } from '../../sending/tunables.js';
import { printable } from '../report.js';
import type { Io } from '../main.js';

export interface InboxOptions {
  dryRun?: boolean;
  insecure?: boolean;
}

function applyOptions(io: Io, config: Config, dryRun: boolean): ApplyOptions {
  const secret = unsubscribeSecret(io.env);
  if (!secret)
    io.stderr(
      io.t({
        fr: 'avertissement\u00a0: AIMQ_UNSUBSCRIBE_SECRET n’est pas défini\u00a0: les jetons de désabonnement ne sont pas lus, les réponses ne sont reliées à leur courriel que par leur Message-ID.',
        en: 'warning: AIMQ_UNSUBSCRIBE_SECRET is not set: unsubscribe tokens are not read, replies are tied to their message by Message-ID only.',
      }),
    );
  return {
    secret,
    unsubscribeAddress: config.email?.unsubscribe.mailto,
    softBounces: config.inbox?.softBounces ?? { count: 3, days: 15 },
    now: Date.now(),
    dryRun,
  };
}

/** `aimq inbox sync`: read the bounce mailbox over IMAP, apply, move what was applied. */
export async function inboxSyncCommand(io: Io, opts: InboxOptions): Promise<number> {
  const config = loadConfig(io.cwd, io.cwd);
  const settings = imapSettings(config, io.env);
  const options = applyOptions(io, config, Boolean(opts.dryRun));
  const folder = await openFolder(settings, {
    insecure: Boolean(opts.insecure),
    timeoutMs: sendTunables(io.env).timeoutMs,
  });
  try {
    const outbox = await openOutbox(config, io.cwd, io.env);
    try {
      const server = `${settings.host}:${settings.port}`;
      const { results, moved } = await processFolder(outbox, folder, options, io.stopRequested);
      report(io, results, options, {
        fr: `${settings.folder} sur ${server} (comme ${settings.user})`,
        en: `${settings.folder} on ${server} (as ${settings.user})`,
      });
      if (!options.dryRun) {
        const n = counted(moved, {
          fr: ['courriel déplacé', 'courriels déplacés'],
          en: ['message', 'messages'],
        });
        io.stdout(
          io.t({
            fr: `${n.fr} vers ${settings.processedFolder}.`,
            en: `Moved ${n.en} to ${settings.processedFolder}.`,
          }),
        );
      }
      return EXIT.ok;
    } finally {
      await outbox.close();
    }
  } finally {
    await folder.close();
  }
}

/** `aimq inbox import <file.eml|mbox|Maildir>`: the same, over an exported mailbox. */
export async function inboxImportCommand(io: Io, path: string, opts: InboxOptions): Promise<number> {
  const config = loadConfig(io.cwd, io.cwd);
  const abs = resolve(io.cwd, path);
  const entries = readMailbox(abs, relative(io.cwd, abs) || path);
  const options = applyOptions(io, config, Boolean(opts.dryRun));
  const outbox = await openOutbox(config, io.cwd, io.env);
  try {
    const shown = relative(io.cwd, abs) || path;
    report(io, await processEntries(outbox, entries, options), options, { fr: shown, en: shown });
    return EXIT.ok;
  } finally {
    await outbox.close();
  }
}

const LABEL: Record<Processed['outcome'], Text> = {
  'hard-bounce': { fr: 'retour définitif', en: 'hard bounce' },
  'soft-bounce': { fr: 'retour temporaire', en: 'soft bounce' },
  'soft-bounce-suppressed': { fr: 'retour temporaire', en: 'soft bounce' },
  complaint: { fr: 'plainte', en: 'complaint' },
  unsubscribe: { fr: 'désabonnement', en: 'unsubscribe' },
  'auto-reply': { fr: 'laissé de côté', en: 'left alone' },
  'not-ours': { fr: 'laissé de côté', en: 'left alone' },
  other: { fr: 'laissé de côté', en: 'left alone' },
  'already-processed': { fr: 'déjà lu', en: 'already read' },
};

function report(io: Io, results: readonly Processed[], options: ApplyOptions, from: Text): void {
  // The longest label and a space: 12 columns in English, as before.
  const width = Math.max(...Object.values(LABEL).map((l) => io.t(l).length)) + 1;
  for (const r of results) {
    const reason = r.status || r.diagnostic ? describeReason(r.status, r.diagnostic).slice(0, 120) : '';
    const what = r.delivery
      ? io.t({
          fr: `${r.delivery.email} (campagne ${r.delivery.campaignId}${r.reportedRecipient ? `, signalé pour ${r.reportedRecipient}` : ''})${reason ? `\u00a0: ${reason}` : ''}`,
          en: `${r.delivery.email} (campaign ${r.delivery.campaignId}${r.reportedRecipient ? `, reported for ${r.reportedRecipient}` : ''})${reason ? `: ${reason}` : ''}`,
        })
      : r.outcome === 'already-processed' && r.previously !== undefined && r.previously in LABEL
        ? // What it was found to be then, in the user's words (the outbox keeps the outcome's name).
          io.t(LABEL[r.previously as Processed['outcome']])
        : io.t(r.note);
    const effect =
      r.outcome === 'soft-bounce-suppressed' || (r.suppressed && r.outcome !== 'soft-bounce')
        ? io.t({ fr: ' → exclu', en: ' → suppressed' })
        : options.dryRun && ['hard-bounce', 'complaint', 'unsubscribe'].includes(r.outcome)
          ? io.t({ fr: ' → serait exclu', en: ' → would be suppressed' })
          : '';
    const colon = io.t({ fr: '\u00a0: ', en: ': ' });
    io.stdout(printable(`${io.t(LABEL[r.outcome]).padEnd(width)} ${r.where}${colon}${what}${effect}`));
  }
  const n = summarize(results);
  const left = n['auto-reply'] + n['not-ours'] + n.other;
  const dry = options.dryRun;
  // Counts as the summary's first line writes them: 40 000 in French, 40,000 in English.
  const fr = (x: number) => formatNumber(x, 'fr');
  const en = (x: number) => formatNumber(x, 'en');
  const read = counted(results.length, { fr: ['courriel lu', 'courriels lus'], en: ['message', 'messages'] });
  const soft = n['soft-bounce'] + n['soft-bounce-suppressed'];
  const days = counted(options.softBounces.days, { fr: ['jour', 'jours'], en: ['day', 'days'] });
  const excluded = dry ? 'seraient exclus' : 'exclus';
  const suppressed = dry ? 'would be suppressed' : 'suppressed';
  io.stdout(
    io.t({
      fr: [
        `${dry ? 'Essai\u00a0: rien n’a été modifié ni déplacé. ' : ''}${read.fr} dans ${from.fr}\u00a0:`,
        `  retours définitifs\u00a0: ${fr(n['hard-bounce'])}, ${excluded}`,
        `  retours temporaires\u00a0: ${fr(soft)}, ${dry ? 'seraient notés' : 'notés'}\u00a0; ${fr(n['soft-bounce-suppressed'])} en ont atteint ${options.softBounces.count} en ${days.fr} et ${dry ? 'seraient exclus' : 'ont été exclus'}`,
        `  plaintes\u00a0: ${fr(n.complaint)}, ${excluded}`,
        `  réponses de désabonnement\u00a0: ${fr(n.unsubscribe)}, ${excluded}`,
        `  laissés de côté\u00a0: ${fr(left)} (réponses automatiques ${fr(n['auto-reply'])}, sur aucun courriel de cette boîte d’envoi ${fr(n['not-ours'])}, autres ${fr(n.other)})`,
        `  déjà lus\u00a0: ${fr(n['already-processed'])}`,
      ].join('\n'),
      en: [
        `${dry ? 'Dry run: nothing was changed or moved. ' : ''}Read ${read.en} from ${from.en}:`,
        `  hard bounces: ${en(n['hard-bounce'])}, ${suppressed}`,
        `  soft bounces: ${en(soft)}, ${dry ? 'would be ' : ''}recorded; ${en(n['soft-bounce-suppressed'])} reached ${options.softBounces.count} within ${days.en} and ${dry ? 'would be' : 'were'} suppressed`,
        `  complaints: ${en(n.complaint)}, ${suppressed}`,
        `  unsubscribe replies: ${en(n.unsubscribe)}, ${suppressed}`,
        `  left alone: ${en(left)} (auto-replies ${en(n['auto-reply'])}, about no message in this outbox ${en(n['not-ours'])}, other ${en(n.other)})`,
        `  read before: ${en(n['already-processed'])}`,
      ].join('\n'),
    }),
  );
}
