import { loadConfig } from '../../config/load.js';
import { parseTargets } from '../../dispatch/plan.js';
import { dispatchRound, type RoundEvents } from '../../dispatch/round.js';
import { parseScheduleTime } from '../../dispatch/schedule.js';
import { AimqError, AimqProblems, EXIT } from '../../errors/index.js';
import type { Outbox } from '../../outbox/outbox.js';
import { newCampaign } from '../../sending/campaign-setup.js';
import { requireEmail } from '../../sending/email-settings.js';
import { campaignOf, openExistingOutbox, openOutbox, rehearsalOutbox } from '../../sending/open-outbox.js';
import { loadSendable } from '../../sending/release-editions.js';
import { parsePositive } from '../../sending/tunables.js';
import { commandClock } from '../../time/clock.js';
import { parseDuration } from '../../time/duration.js';
import { refuseUnfinished } from '../../validate/placeholders.js';
import { localTime } from '../local-time.js';
import { requireUnsubscribeSecret } from '../../unsubscribe/secret.js';
import type { Io } from '../main.js';
import { deliverySummary, editionCounts, progressWatch } from '../progress.js';
import { formatText } from '../report.js';

/** `aimq release schedule`: a campaign that `aimq dispatch` sends at its time. */
export async function scheduleCommand(
  io: Io,
  dir: string,
  opts: {
    at: string;
    to?: string[];
    edition: string;
    now?: string;
    embedImages?: boolean;
    attachPdf?: boolean;
  },
): Promise<number> {
  const config = loadConfig(io.cwd, io.cwd);
  requireEmail(config);
  // Refused now rather than at its time, when nobody is there to set it.
  requireUnsubscribeSecret(config, io.env, 'schedule');
  const now = commandClock(opts.now, io.env, config.timeZone)();
  const at = parseScheduleTime(opts.at, config.timeZone, now);
  if (!opts.to?.length)
    throw new AimqError('AIMQ-USAGE', 'nobody to send to', {
      hint: 'add --to lists/medias.csv (a list or an address; repeat it)',
    });
  // As it will read when sent; dispatch renders it again at that moment if nothing has left.
  const release = await loadSendable(
    config,
    io.cwd,
    dir,
    opts.edition,
    Boolean(opts.embedImages),
    at,
    opts.attachPdf ? { env: io.env } : undefined,
  );
  refuseUnfinished(config, release.source.release);
  const targets = parseTargets(opts.to, io.cwd, config.root);
  const outbox = await openOutbox(config, io.cwd, io.env);
  try {
    const c = await outbox.createCampaign(
      newCampaign(release, { targets, source: 'schedule', status: 'scheduled', scheduledAt: at, now }),
      release.editions,
    );
    io.stderr(
      `Campaign ${c.id}: ${release.source.release.id} to ${targets.map((t) => t.shown).join(', ')}, at ${localTime(at, config.timeZone)}. "aimq dispatch" sends it when it is due.`,
    );
    io.stdout(String(c.id));
    return EXIT.ok;
  } finally {
    await outbox.close();
  }
}

/** `aimq outbox reschedule <id> --at <when>`. */
export async function rescheduleCommand(
  io: Io,
  id: string,
  opts: { at: string; now?: string },
): Promise<number> {
  const config = loadConfig(io.cwd, io.cwd);
  const now = commandClock(opts.now, io.env, config.timeZone)();
  const at = parseScheduleTime(opts.at, config.timeZone, now);
  const outbox = await openExistingOutbox(config, io.cwd, io.env);
  if (!outbox)
    throw new AimqError('AIMQ-CAMPAIGN-NOT-FOUND', `no campaign ${id}: there is no outbox yet`, {
      hint: 'schedule one with aimq release schedule',
    });
  try {
    const c = await campaignOf(outbox, id);
    if (c.status !== 'scheduled' || (await outbox.hasStarted(c.id)))
      throw new AimqError(
        'AIMQ-SCHEDULE',
        `campaign ${c.id} is ${c.status === 'scheduled' ? 'already sending' : c.status}: only a campaign that has not started can be rescheduled`,
        { hint: 'see aimq outbox show' },
      );
    if (c.source.startsWith('dispatch:'))
      io.stderr(
        `Campaign ${c.id} comes from the front matter of ${c.releaseDir}: change its "at" there too, or the next dispatch puts it back.`,
      );
    await outbox.setSchedule(c.id, at);
    io.stdout(`Campaign ${c.id} rescheduled for ${localTime(at, config.timeZone)}.`);
    return EXIT.ok;
  } finally {
    await outbox.close();
  }
}

export interface DispatchOptions {
  once?: boolean;
  watch?: boolean;
  interval: string;
  now?: string;
  /** With a simulated clock (--now, AIMQ_NOW): send for real instead of rehearsing. */
  send?: boolean;
  connections: string;
  rate?: string;
  insecure?: boolean;
}

/**
 * `aimq dispatch`: reads the front-matter schedules, then sends every campaign that is due.
 * `--once` (cron, systemd timers, CI) exits after one round; `--watch` stays up. With a
 * simulated clock it is a rehearsal: nothing is sent and the outbox is left as it was,
 * unless `--send` says to send early (or late) for real.
 */
export async function dispatchCommand(io: Io, opts: DispatchOptions): Promise<number> {
  const config = loadConfig(io.cwd, io.cwd);
  const clock = commandClock(opts.now, io.env, config.timeZone);
  const interval = parseDuration(opts.interval);
  if (!interval || interval < 1000)
    throw new AimqError(
      'AIMQ-USAGE',
      `--interval: "${opts.interval}" is not a duration of a second or more`,
      { hint: 'for example --interval 30s or 5m' },
    );
  if (!opts.once && !opts.watch)
    throw new AimqError('AIMQ-USAGE', 'say --once (for cron, systemd or CI) or --watch (to stay up)', {
      hint: 'aimq dispatch --once',
    });
  const simulated = opts.now !== undefined || io.env.AIMQ_NOW !== undefined;
  if (opts.send && !simulated)
    throw new AimqError(
      'AIMQ-USAGE',
      '--send only goes with --now (or AIMQ_NOW): without them, dispatch sends',
      {
        hint: 'aimq dispatch --once',
      },
    );
  const rehearsal = simulated && !opts.send;
  // Checked once, before anything is read or sent, by the same rule as release send.
  const sending = {
    connections: Math.floor(parsePositive(opts.connections, '--connections')),
    rate: opts.rate ? parsePositive(opts.rate, '--rate') : 0,
    insecure: Boolean(opts.insecure),
    rehearsal,
  };
  if (rehearsal)
    io.stderr(
      `Rehearsal at ${localTime(clock(), config.timeZone)}: nothing is sent and the outbox is left as it is (--send sends for real).`,
    );
  const events: RoundEvents = {
    scheduleChanged: (ch) =>
      io.stderr(
        `Campaign ${ch.campaign.id} (${ch.campaign.releaseId}) ${ch.kind}${ch.kind === 'cancelled' ? ': its dispatch entry was removed' : ` for ${localTime(ch.campaign.scheduledAt, config.timeZone)}`}.`,
      ),
    problems: (d) => io.stderr(formatText(d)),
    missed: (c) =>
      io.stderr(
        `Campaign ${c.id} (${c.releaseId}) was due ${localTime(c.scheduledAt, config.timeZone)}, more than ${Math.round(config.maxDelayMs / 3_600_000)} h ago: not sent [AIMQ-DISPATCH-MISSED]. Send it by hand with aimq release send if it is still wanted.`,
      ),
    starting: (c) =>
      io.stderr(
        `Campaign ${c.id} (${c.releaseId}), due ${localTime(c.scheduledAt, config.timeZone)}: sending.`,
      ),
    wouldSend: (c, counts, byEdition) =>
      io.stderr(
        `Campaign ${c.id} (${c.releaseId}), due ${localTime(c.scheduledAt, config.timeZone)}: would send ${counts.pending + counts.retry} message(s) (${editionCounts(byEdition)}); ${counts.sent} already sent, ${counts.suppressed} suppressed, ${counts['no-consent'] ? `${counts['no-consent']} without valid consent (implied consent expired), ` : ''}${counts.cancelled} skipped.`,
      ),
    sent: (c, result) => io.stderr(deliverySummary(c.id, result)),
    failed: (c, err) =>
      io.stderr(
        err instanceof AimqProblems
          ? `Campaign ${c.id} (${c.releaseId}) not sent:\n${formatText(err.diagnostics)}`
          : `Campaign ${c.id} (${c.releaseId}): ${err.message} [${err.code}]${err.hint ? `\n  hint: ${io.t(err.hint)}` : ''}`,
      ),
    stopRequested: io.stopRequested,
    watch: progressWatch(io),
  };
  // A rehearsal works on a copy of the outbox, made again each round.
  const open = (): Promise<Outbox> =>
    rehearsal ? rehearsalOutbox(config, io.cwd, io.env) : openOutbox(config, io.cwd, io.env);
  let outbox = await open();
  try {
    let worst = EXIT.ok as number;
    let saidNothingDue = false;
    for (;;) {
      const round = await dispatchRound(config, io.cwd, io.env, outbox, clock, sending, events);
      if (round.troubled) worst = EXIT.sending;
      // A watcher says "nothing due" once, and again only after something was due.
      if (round.due === 0 && !(opts.watch && saidNothingDue))
        io.stderr(`Nothing due at ${localTime(round.now, config.timeZone)}.`);
      saidNothingDue = round.due === 0;
      if (opts.once || io.stopRequested()) return opts.watch ? EXIT.ok : worst;
      const until = Date.now() + interval;
      while (Date.now() < until && !io.stopRequested())
        await new Promise((r) => setTimeout(r, Math.min(250, until - Date.now())));
      if (io.stopRequested()) return EXIT.ok;
      if (rehearsal) {
        await outbox.close();
        outbox = await open();
      }
    }
  } finally {
    await outbox.close();
  }
}
