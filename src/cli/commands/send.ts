import { join, relative, resolve } from 'node:path';
import { loadConfig } from '../../config/load.js';
import { checkLists, parseTargets } from '../../dispatch/plan.js';
import { smtpSettings } from '../../dispatch/transport.js';
import { AimqError, EXIT } from '../../errors/index.js';
import { planSend } from '../../sending/campaign-setup.js';
import { deliver, sendingContext } from '../../sending/deliver.js';
import { dryRun, plannedDryRun } from '../../sending/dry-run.js';
import { requireEmail } from '../../sending/email-settings.js';
import { openExistingOutbox, openOutbox } from '../../sending/open-outbox.js';
import { loadSendable } from '../../sending/release-editions.js';
import { sendTest } from '../../sending/test-send.js';
import { parsePositive } from '../../sending/tunables.js';
import { commandClock } from '../../time/clock.js';
import { refuseUnfinished } from '../../validate/placeholders.js';
import type { Io } from '../main.js';
import { deliveryExit, deliverySummary, editionCounts, progressWatch } from '../progress.js';
import { formatText } from '../report.js';

export interface SendCommandOptions {
  to?: string[];
  edition: string;
  dryRun?: boolean;
  out?: string;
  test?: string;
  yes?: boolean;
  connections: string;
  rate?: string;
  resend?: boolean;
  insecure?: boolean;
  embedImages?: boolean;
  skipInvalid?: boolean;
  attachPdf?: boolean;
}

/** `aimq release send`: plan a campaign in the outbox, confirm, send, report. */
export async function sendCommand(io: Io, dir: string, opts: SendCommandOptions): Promise<number> {
  const config = loadConfig(io.cwd, io.cwd);
  requireEmail(config);
  const connections = Math.floor(parsePositive(opts.connections, '--connections'));
  const rate = opts.rate ? parsePositive(opts.rate, '--rate') : 0;
  if (!opts.test && !opts.to?.length)
    throw new AimqError('AIMQ-USAGE', 'nobody to send to', {
      hint: 'add --to lists/medias.csv (a list or an address; repeat it), or --test your@address for a test',
    });
  const clock = commandClock(undefined, io.env, config.timeZone);
  const now = clock();
  const release = await loadSendable(
    config,
    io.cwd,
    dir,
    opts.edition,
    Boolean(opts.embedImages),
    now,
    opts.attachPdf ? { env: io.env } : undefined,
  );
  const sending = sendingContext(config, io.env);
  const insecure = Boolean(opts.insecure);

  if (opts.test) {
    const results = await sendTest(release, sending, smtpSettings(config, io.env), opts.test, {
      insecure,
      onResult: (r) =>
        io.stderr(`[TEST] ${r.edition} → ${opts.test}: ${r.result.outcome} (${r.result.reply})`),
    });
    return results.some((r) => r.result.outcome !== 'sent') ? EXIT.sending : EXIT.ok;
  }

  const targets = parseTargets(opts.to ?? [], io.cwd, config.root);
  // Every list is read whole before anything is written: a list with invalid lines is refused here.
  const lists = await checkLists(targets, Boolean(opts.skipInvalid));
  const listReport = [
    ...lists.warnings,
    ...lists.skipped.map((d) => ({ ...d, severity: 'warning' as const })),
  ];
  if (listReport.length) io.stderr(formatText(listReport));
  if (lists.skipped.length)
    io.stderr(
      `${lists.skipped.length} invalid line(s) skipped (--skip-invalid): nobody on them gets the release.`,
    );

  if (opts.dryRun) {
    const out = opts.out
      ? resolve(io.cwd, opts.out)
      : join(config.root, '.aimq', 'dry-run', `${release.source.release.id}-${release.version}`);
    if (sending.unsubscribeSecret) {
      // Tokens name the outbox's rows: the dry run plans the campaign the send will resume.
      const outbox = await openOutbox(config, io.cwd, io.env);
      try {
        const r = await plannedDryRun(outbox, release, sending, targets, out, {
          resend: Boolean(opts.resend),
          skipped: lists.skipped,
          now: Date.now(),
        });
        for (const l of r.links) if (l.url) io.stderr(`  ${l.email}  ${l.url}`);
        io.stderr(
          `Dry run: ${r.messages} message(s) would be sent (${editionCounts(r.byEdition)}); ${r.suppressed} suppressed; ${r.already} already received this release. Nothing was sent.\n` +
            `Campaign ${r.campaign.id} is planned${r.isNew ? '' : ' (as before)'}: its unsubscribe links work now, "aimq release send" with the same release and lists sends it, "aimq outbox cancel ${r.campaign.id}" drops it.`,
        );
      } finally {
        await outbox.close();
      }
      io.stdout(relative(io.cwd, out) || out);
      return EXIT.ok;
    }
    const outbox = await openExistingOutbox(config, io.cwd, io.env);
    try {
      const r = await dryRun(release, sending, targets, outbox, out, Boolean(opts.resend), now);
      io.stderr(
        `Dry run: ${r.messages} message(s) would be sent (${editionCounts(r.byEdition)}); ${r.suppressed} suppressed; ${r.noConsent ? `${r.noConsent} without valid consent (implied consent expired); ` : ''}${r.already} already received this release. Nothing was sent.`,
      );
    } finally {
      await outbox?.close();
    }
    io.stdout(relative(io.cwd, out) || out);
    return EXIT.ok;
  }

  // A release or config still holding what `aimq init` / `release new` wrote never goes out.
  refuseUnfinished(config, release.source.release);
  // Before anything is written: a send that cannot reach a server leaves no campaign behind.
  const settings = smtpSettings(config, io.env);
  const outbox = await openOutbox(config, io.cwd, io.env);
  try {
    const plan = await planSend(outbox, release, sending, targets, {
      resend: Boolean(opts.resend),
      skipped: lists.skipped,
      now,
    });
    const { campaign, counts } = plan;
    const toSend = counts.pending + counts.retry;
    io.stderr(
      [
        `${release.source.release.id}: campaign ${campaign.id}${plan.isNew ? ' (new)' : ' (resumed)'}`,
        `  to send: ${toSend} (${editionCounts(plan.pending)}${counts.retry ? `, ${counts.retry} to retry` : ''})`,
        `  already sent: ${counts.sent} · suppressed: ${counts.suppressed}${counts['no-consent'] ? ` · ${counts['no-consent']} without valid consent (implied consent expired)` : ''} · skipped (already received this release): ${counts.cancelled} · failed: ${counts.failed} · uncertain: ${counts.uncertain}`,
        ...(lists.skipped.length
          ? [`  invalid lines skipped: ${lists.skipped.length} (listed by "aimq outbox show ${campaign.id}")`]
          : []),
        ...(plan.recovered
          ? [
              `  ${plan.recovered} message(s) were interrupted by an earlier run and are now uncertain: see "aimq outbox show ${campaign.id}"`,
            ]
          : []),
      ].join('\n'),
    );
    if (toSend === 0) {
      io.stderr('Nothing to send.');
      return counts.failed + counts.uncertain > 0 ? EXIT.sending : EXIT.ok;
    }
    if (!opts.yes) {
      // A send that is not confirmed leaves no campaign behind.
      if (!io.confirm) {
        if (plan.isNew) await outbox.discard(campaign.id);
        throw new AimqError(
          'AIMQ-CONFIRM',
          `refusing to send ${toSend} message(s) without confirmation: no terminal to ask`,
          { hint: 'add --yes to send without asking (in CI, cron or a script)' },
        );
      }
      if (
        !(await io.confirm(`Send ${toSend} message(s) through ${settings.host}:${settings.port}? [y/N] `))
      ) {
        if (plan.isNew) await outbox.discard(campaign.id);
        io.stderr('Nothing was sent.');
        return EXIT.ok;
      }
    }
    const result = await deliver(
      outbox,
      campaign,
      sending,
      settings,
      {
        connections,
        rate,
        insecure,
        shouldStop: io.stopRequested,
        watch: progressWatch(io),
        consentClock: clock,
      },
      campaign.replyTo ?? release.replyTo,
    );
    io.stderr(deliverySummary(campaign.id, result));
    return deliveryExit(result);
  } finally {
    await outbox.close();
  }
}
