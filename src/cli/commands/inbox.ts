import { relative, resolve } from 'node:path';
import { loadConfig } from '../../config/load.js';
import { EXIT } from '../../errors/index.js';
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
      'warning: AIMQ_UNSUBSCRIBE_SECRET is not set: unsubscribe tokens are not read, replies are tied to their message by Message-ID only.',
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
      const { results, moved } = await processFolder(outbox, folder, options, io.stopRequested);
      report(
        io,
        results,
        options,
        `${settings.folder} on ${settings.host}:${settings.port} (as ${settings.user})`,
      );
      if (!options.dryRun) io.stdout(`Moved ${moved} message(s) to ${settings.processedFolder}.`);
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
    report(io, await processEntries(outbox, entries, options), options, relative(io.cwd, abs) || path);
    return EXIT.ok;
  } finally {
    await outbox.close();
  }
}

const LABEL: Record<Processed['outcome'], string> = {
  'hard-bounce': 'hard bounce',
  'soft-bounce': 'soft bounce',
  'soft-bounce-suppressed': 'soft bounce',
  complaint: 'complaint',
  unsubscribe: 'unsubscribe',
  'auto-reply': 'left alone',
  'not-ours': 'left alone',
  other: 'left alone',
  'already-processed': 'already read',
};

function report(io: Io, results: readonly Processed[], options: ApplyOptions, from: string): void {
  const would = options.dryRun ? 'would be ' : '';
  for (const r of results) {
    const what = r.delivery
      ? `${r.delivery.email} (campaign ${r.delivery.campaignId}${r.reportedRecipient ? `, reported for ${r.reportedRecipient}` : ''})${r.status || r.diagnostic ? `: ${describeReason(r.status, r.diagnostic).slice(0, 120)}` : ''}`
      : r.note;
    const effect =
      r.outcome === 'soft-bounce-suppressed' || (r.suppressed && r.outcome !== 'soft-bounce')
        ? ' → suppressed'
        : options.dryRun && ['hard-bounce', 'complaint', 'unsubscribe'].includes(r.outcome)
          ? ' → would be suppressed'
          : '';
    io.stdout(printable(`${LABEL[r.outcome].padEnd(12)} ${r.where}: ${what}${effect}`));
  }
  const n = summarize(results);
  const left = n['auto-reply'] + n['not-ours'] + n.other;
  io.stdout(
    [
      `${options.dryRun ? 'Dry run: nothing was changed or moved. ' : ''}Read ${results.length} message(s) from ${from}:`,
      `  hard bounces: ${n['hard-bounce']}, ${would}suppressed`,
      `  soft bounces: ${n['soft-bounce'] + n['soft-bounce-suppressed']}, ${would}recorded; ${n['soft-bounce-suppressed']} reached ${options.softBounces.count} within ${options.softBounces.days} days and ${options.dryRun ? 'would be' : 'were'} suppressed`,
      `  complaints: ${n.complaint}, ${would}suppressed`,
      `  unsubscribe replies: ${n.unsubscribe}, ${would}suppressed`,
      `  left alone: ${left} (auto-replies ${n['auto-reply']}, about no message in this outbox ${n['not-ours']}, other ${n.other})`,
      `  read before: ${n['already-processed']}`,
    ].join('\n'),
  );
}
