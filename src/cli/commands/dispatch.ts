import { basename, join, relative, resolve } from 'node:path';
import { findReleaseDirs } from '../../build/discover.js';
import { loadConfig } from '../../config/load.js';
import { contentVersion, parseTargets, planRecipients, renderEditions } from '../../dispatch/plan.js';
import { parseScheduleTime, syncSchedules } from '../../dispatch/schedule.js';
import { smtpSettings } from '../../dispatch/transport.js';
import { AimqError, AimqProblems, EXIT, type Diagnostic } from '../../errors/index.js';
import { loadForEmail, type EmailSource } from '../../export/export.js';
import { SuppressionWatcher } from '../../lists/suppression.js';
import { loadRelease } from '../../load/release.js';
import { loadDkimKey } from '../../message/dkim-key.js';
import type { Config } from '../../model/config.js';
import type { Release } from '../../model/release.js';
import { Outbox, type Campaign } from '../../outbox/outbox.js';
import { emailEditions } from '../../render-email/edition.js';
import { loadEmailLayout, type EmailLayout } from '../../render-email/layout.js';
import { createTemplateEngine } from '../../templating/engine.js';
import { commandClock } from '../../time/clock.js';
import { parseDuration } from '../../time/duration.js';
import type { Io } from '../main.js';
import { formatText } from '../report.js';
import { campaignOf, localTime, openExisting } from './outbox.js';
import {
  deliver,
  ownerDiedOnThisBoot,
  ownerIsDead,
  parsePositive,
  requireEmail,
  sendTunables,
} from './send.js';

/** `aimq release schedule`: a campaign that `aimq dispatch` sends at its time. */
export async function scheduleCommand(
  io: Io,
  dir: string,
  opts: { at: string; to?: string[]; edition: string; now?: string; embedImages?: boolean },
): Promise<number> {
  const config = loadConfig(io.cwd, io.cwd);
  requireEmail(config);
  const now = commandClock(opts.now, io.env, config.timeZone)();
  const at = parseScheduleTime(opts.at, config.timeZone, now);
  if (!opts.to?.length)
    throw new AimqError('AIMQ-USAGE', 'nobody to send to', {
      hint: 'add --to lists/medias.csv (a list or an address; repeat it)',
    });
  const [dirAbs] = findReleaseDirs(config.root, io.cwd, [dir]);
  const source = loadForEmail(dirAbs!, config);
  const available = emailEditions(source.release);
  if (opts.edition !== 'auto' && !available.includes(opts.edition))
    throw new AimqError('AIMQ-EDITION', `${source.release.dir} has no ${opts.edition} edition`, {
      file: source.release.dir,
      hint: `its editions are: ${available.join(', ')}`,
    });
  const targets = parseTargets(opts.to, io.cwd, config.root);
  const layout = await loadEmailLayout(
    createTemplateEngine('email', config.root),
    join(config.root, '.aimq'),
  );
  // As they will read when sent; sendDue renders them again at that moment anyway.
  const editions = renderEditions(source, config, layout, Boolean(opts.embedImages), at);
  const outbox = Outbox.open(config.outbox, relative(io.cwd, config.outbox) || config.outbox);
  try {
    const c = outbox.createCampaign(
      {
        releaseId: source.release.id,
        releaseDir: source.release.dir,
        contentVersion: contentVersion(editions),
        createdAt: now,
        scheduledAt: at,
        status: 'scheduled',
        source: 'schedule',
        targets: targets.map((t) => t.shown),
        editionMode: opts.edition,
      },
      editions,
    );
    io.stderr(
      `Campaign ${c.id}: ${source.release.id} to ${targets.map((t) => t.shown).join(', ')}, at ${localTime(at, config.timeZone)}. "aimq dispatch" sends it when it is due.`,
    );
    io.stdout(String(c.id));
    return EXIT.ok;
  } finally {
    outbox.close();
  }
}

/** `aimq outbox reschedule <id> --at <when>`. */
export function rescheduleCommand(io: Io, id: string, opts: { at: string; now?: string }): number {
  const config = loadConfig(io.cwd, io.cwd);
  const now = commandClock(opts.now, io.env, config.timeZone)();
  const at = parseScheduleTime(opts.at, config.timeZone, now);
  const outbox = openExisting(io, config);
  if (!outbox)
    throw new AimqError('AIMQ-CAMPAIGN-NOT-FOUND', `no campaign ${id}: there is no outbox yet`, {
      hint: 'schedule one with aimq release schedule',
    });
  try {
    const c = campaignOf(outbox, id);
    if (c.status !== 'scheduled' || outbox.hasStarted(c.id))
      throw new AimqError(
        'AIMQ-SCHEDULE',
        `campaign ${c.id} is ${c.status === 'scheduled' ? 'already sending' : c.status}: only a campaign that has not started can be rescheduled`,
        { hint: 'see aimq outbox show' },
      );
    if (c.source.startsWith('dispatch:'))
      io.stderr(
        `Campaign ${c.id} comes from the front matter of ${c.releaseDir}: change its "at" there too, or the next dispatch puts it back.`,
      );
    outbox.setSchedule(c.id, at);
    io.stdout(`Campaign ${c.id} rescheduled for ${localTime(at, config.timeZone)}.`);
    return EXIT.ok;
  } finally {
    outbox.close();
  }
}

interface DispatchOptions {
  once?: boolean;
  watch?: boolean;
  interval: string;
  now?: string;
  connections: string;
  rate?: string;
  insecure?: boolean;
}

/**
 * `aimq dispatch`: reads the front-matter schedules, then sends every campaign that is due.
 * `--once` (cron, systemd timers, CI) exits after one round; `--watch` stays up.
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
  // Checked once, before anything is read or sent, by the same rule as release send.
  const sending: SendingOptions = {
    connections: Math.floor(parsePositive(opts.connections, '--connections')),
    rate: opts.rate ? parsePositive(opts.rate, '--rate') : 0,
    insecure: Boolean(opts.insecure),
  };
  const outbox = Outbox.open(config.outbox, relative(io.cwd, config.outbox) || config.outbox);
  try {
    let worst = EXIT.ok as number;
    for (;;) {
      const code = await dispatchRound(io, config, outbox, clock, sending);
      worst = Math.max(worst, code);
      if (opts.once || io.stopRequested()) return opts.watch ? EXIT.ok : worst;
      const until = Date.now() + interval;
      while (Date.now() < until && !io.stopRequested())
        await new Promise((r) => setTimeout(r, Math.min(250, until - Date.now())));
      if (io.stopRequested()) return EXIT.ok;
    }
  } finally {
    outbox.close();
  }
}

interface SendingOptions {
  connections: number;
  rate: number;
  insecure: boolean;
}

async function dispatchRound(
  io: Io,
  config: Config,
  outbox: Outbox,
  clock: () => number,
  opts: SendingOptions,
): Promise<number> {
  let exit: number = EXIT.ok;
  const problems: Diagnostic[] = [];
  let layout: EmailLayout | undefined;
  const getLayout = async () =>
    (layout ??= await loadEmailLayout(
      createTemplateEngine('email', config.root),
      join(config.root, '.aimq'),
    ));

  // 1. The front-matter schedules.
  const releases: Release[] = [];
  const unreadable = new Set<string>();
  for (const dir of findReleaseDirs(config.root, io.cwd, [])) {
    const loaded = loadRelease(dir, config);
    if (loaded.release) releases.push(loaded.release);
    else {
      unreadable.add(basename(dir));
      problems.push(...loaded.diagnostics.filter((d) => d.severity === 'error'));
    }
  }
  const scheduled = releases.filter((r) => r.dispatch.length);
  const sources = new Map<string, EmailSource>();
  const sourceOf = (release: Release) => {
    let s = sources.get(release.id);
    if (!s) {
      s = loadForEmail(resolve(config.root, release.dir), config);
      sources.set(release.id, s);
    }
    return s;
  };
  // Always synced, even when no release has an entry left: that is how a removed entry is cancelled.
  if (scheduled.length) await getLayout();
  const changes = syncSchedules(
    outbox,
    scheduled,
    (release) => {
      const editions = renderEditions(sourceOf(release), config, layout!, false, clock());
      return { editions, version: contentVersion(editions) };
    },
    clock(),
    unreadable,
  );
  for (const ch of changes) {
    if (ch.kind === 'kept') continue;
    io.stderr(
      `Campaign ${ch.campaign.id} (${ch.campaign.releaseId}) ${ch.kind}${ch.kind === 'cancelled' ? ': its dispatch entry was removed' : ` for ${localTime(ch.campaign.scheduledAt, config.timeZone)}`}.`,
    );
  }
  if (problems.length) {
    io.stderr(formatText(problems));
    exit = EXIT.sending;
  }

  // 2. What is due.
  const now = clock();
  // Leases are taken and kept with the real clock, whatever --now says: so are they judged.
  outbox.recoverAbandoned(Date.now(), ownerIsDead, ownerDiedOnThisBoot);
  const due = outbox.dueCampaigns(now);
  if (!due.length) {
    io.stderr(`Nothing due at ${localTime(now, config.timeZone)}.`);
    return exit;
  }
  requireEmail(config);
  const settings = smtpSettings(config, io.env);
  const dkim = loadDkimKey(config, io.env);
  const suppressionFile = join(config.root, 'lists', 'suppression.csv');
  const suppression = new SuppressionWatcher(suppressionFile);
  const tunables = sendTunables(io.env);
  for (const campaign of due) {
    if (io.stopRequested()) break;
    if (campaign.status === 'scheduled' && now - campaign.scheduledAt! > config.maxDelayMs) {
      outbox.setCampaignStatus(campaign.id, 'missed');
      io.stderr(
        `Campaign ${campaign.id} (${campaign.releaseId}) was due ${localTime(campaign.scheduledAt, config.timeZone)}, more than ${Math.round(config.maxDelayMs / 3_600_000)} h ago: not sent [AIMQ-DISPATCH-MISSED]. Send it by hand with aimq release send if it is still wanted.`,
      );
      exit = EXIT.sending;
      continue;
    }
    try {
      exit = Math.max(
        exit,
        await sendDue(io, config, outbox, campaign, {
          getLayout,
          settings,
          dkim,
          suppression,
          suppressionFile,
          tunables,
          opts,
          now,
        }),
      );
    } catch (err) {
      if (!(err instanceof AimqError)) throw err;
      io.stderr(
        err instanceof AimqProblems
          ? formatText(err.diagnostics)
          : `Campaign ${campaign.id}: ${err.message} [${err.code}]`,
      );
      exit = EXIT.sending;
    }
  }
  return exit;
}

interface SendDueContext {
  getLayout: () => Promise<EmailLayout>;
  settings: ReturnType<typeof smtpSettings>;
  dkim: ReturnType<typeof loadDkimKey>;
  suppression: SuppressionWatcher;
  suppressionFile: string;
  tunables: ReturnType<typeof sendTunables>;
  opts: SendingOptions;
  now: number;
}

/** One due campaign: the release as it is now (if nothing has left yet), its recipients, then the send. */
async function sendDue(
  io: Io,
  config: Config,
  outbox: Outbox,
  campaign: Campaign,
  ctx: SendDueContext,
): Promise<number> {
  const source = loadForEmail(resolve(config.root, campaign.releaseDir), config);
  if (!outbox.hasStarted(campaign.id)) {
    const editions = renderEditions(source, config, await ctx.getLayout(), false, ctx.now);
    const version = contentVersion(editions);
    if (version !== campaign.contentVersion) {
      outbox.replaceEditions(campaign.id, version, editions);
      campaign = { ...campaign, contentVersion: version };
    }
  }
  if (campaign.status === 'scheduled') {
    const targets = parseTargets(campaign.targets, config.root, config.root);
    const available = emailEditions(source.release);
    const plan = await planRecipients({
      outbox,
      campaign,
      targets,
      mode: campaign.editionMode,
      available,
      primary: source.release.editions[0]!.lang,
      isSuppressed: (e) => ctx.suppression.has(e),
      resend: false,
      now: ctx.now,
    });
    if (plan.problems.length) io.stderr(formatText(plan.problems));
  }
  io.stderr(
    `Campaign ${campaign.id} (${campaign.releaseId}), due ${localTime(campaign.scheduledAt, config.timeZone)}: sending.`,
  );
  return deliver(io, outbox, campaign, outbox.editions(campaign.id), source, config, ctx.settings, {
    connections: ctx.opts.connections,
    rate: ctx.opts.rate,
    dkim: ctx.dkim,
    suppression: ctx.suppression,
    suppressionFile: ctx.suppressionFile,
    tunables: ctx.tunables,
    insecure: ctx.opts.insecure,
  });
}
