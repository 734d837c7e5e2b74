import { basename, resolve } from 'node:path';
import { findReleaseDirs } from '../load/discover.js';
import { refuseUnfinished } from '../validate/placeholders.js';
import { AimqError, AimqProblems, type Diagnostic } from '../errors/index.js';
import { loadValid, type ValidRelease } from '../load/parsed.js';
import { loadRelease } from '../load/release.js';
import { replyToFor } from '../message/compose.js';
import type { Config } from '../model/config.js';
import type { Release } from '../model/release.js';
import type { Campaign, Counts, Outbox } from '../outbox/outbox.js';
import {
  deliver,
  sendingContext,
  suppressedForPlanning,
  type DeliverResult,
  type SendingContext,
} from '../sending/deliver.js';
import { requireEmail } from '../sending/email-settings.js';
import { refusedError } from '../sending/refusals.js';
import { leaseIdentity } from '../sending/lease-owner.js';
import { attachPdfs, campaignContent, hasPdf, loadLayout } from '../sending/release-editions.js';
import type { EmailLayout } from '../render-email/layout.js';
import { dayIn } from '../lists/consent.js';
import { checkLists, parseTargets, planRecipients, type EditionMode } from './plan.js';
import { syncSchedules, type SyncChange } from './schedule.js';
import { smtpSettings, type SmtpSettings } from './transport.js';

/** How the campaigns of a round are sent. */
export interface RoundOptions {
  connections: number;
  rate: number;
  /** Refusals of the message itself in a row before a campaign is paused; 0: never. */
  maxRefusals: number;
  insecure: boolean;
  /**
   * Send nothing: report what would go out. The outbox given is then a copy, so that
   * whatever the round records (schedules, plans, missed campaigns) touches nothing real.
   */
  rehearsal: boolean;
}

/** What a round tells as it goes; the CLI prints it. */
export interface RoundEvents {
  scheduleChanged(change: SyncChange): void;
  problems(diagnostics: Diagnostic[]): void;
  missed(campaign: Campaign): void;
  starting(campaign: Campaign): void;
  /** A rehearsal: what the campaign would send now. */
  wouldSend(campaign: Campaign, counts: Counts, byEdition: Record<string, number>): void;
  sent(campaign: Campaign, result: DeliverResult): void;
  /** A campaign that could not be sent this round (its release, its list, the settings…). */
  failed(campaign: Campaign, error: AimqError): void;
  stopRequested(): boolean;
  watch?: Parameters<typeof deliver>[4]['watch'];
}

export interface RoundResult {
  now: number;
  /** Campaigns due (sent, missed or failed). */
  due: number;
  /** Something did not go as it should: a release that did not load, a campaign not sent in full. */
  troubled: boolean;
}

/**
 * One round of `aimq dispatch`: the front-matter schedules brought into the outbox, then
 * every due campaign sent. Each release and each campaign stands alone: one that fails to
 * load or to send is reported and the others go on. A campaign under way finishes from
 * what the outbox recorded, whatever became of its release.
 */
export async function dispatchRound(
  config: Config,
  cwd: string,
  env: NodeJS.ProcessEnv,
  outbox: Outbox,
  clock: () => number,
  opts: RoundOptions,
  events: RoundEvents,
): Promise<RoundResult> {
  let troubled = false;
  let layout: EmailLayout | undefined;
  const getLayout = async () => (layout ??= await loadLayout(config));

  // 1. The front-matter schedules.
  const releases: Release[] = [];
  const unreadable = new Set<string>();
  const problems: Diagnostic[] = [];
  for (const dir of findReleaseDirs(config.root, cwd, [])) {
    try {
      const loaded = loadRelease(dir, config);
      if (loaded.release) releases.push(loaded.release);
      else {
        unreadable.add(basename(dir));
        problems.push(...loaded.diagnostics.filter((d) => d.severity === 'error'));
      }
    } catch (err) {
      unreadable.add(basename(dir));
      problems.push(...diagnosticsOf(err, dir));
    }
  }
  const scheduled = releases.filter((r) => r.dispatch.length);
  // Always synced, even when no release has an entry left: that is how a removed entry is cancelled.
  if (scheduled.length) await getLayout();
  const changes = await syncSchedules(
    outbox,
    scheduled,
    (release) => {
      try {
        return campaignContent(
          loadValid(resolve(config.root, release.dir), config),
          config,
          layout!,
          false,
          clock(),
        );
      } catch (err) {
        // Its schedules wait, as they are, for a version that loads.
        unreadable.add(release.id);
        problems.push(...diagnosticsOf(err, release.dir));
        return undefined;
      }
    },
    clock(),
    unreadable,
  );
  for (const ch of changes) if (ch.kind !== 'kept') events.scheduleChanged(ch);
  if (problems.length) {
    events.problems(problems);
    troubled = true;
  }

  // 2. What is due.
  const now = clock();
  // Leases are taken and kept with the real clock, whatever --now says: so are they judged.
  const leases = leaseIdentity(env);
  await outbox.recoverAbandoned(Date.now(), leases.isDead, leases.diedOnThisBoot);
  const due = await outbox.dueCampaigns(now);
  if (!due.length) return { now, due: 0, troubled };
  requireEmail(config);
  const settings = opts.rehearsal ? undefined : smtpSettings(config, env);
  const sending = sendingContext(config, env, 'dispatch');
  for (const campaign of due) {
    if (events.stopRequested()) break;
    if (campaign.status === 'scheduled' && now - campaign.scheduledAt! > config.maxDelayMs) {
      await outbox.setCampaignStatus(campaign.id, 'missed');
      events.missed(campaign);
      troubled = true;
      continue;
    }
    try {
      const ok = await sendDue(config, outbox, campaign, sending, settings, opts, events, getLayout, now);
      if (!ok) troubled = true;
    } catch (err) {
      // The outbox itself failing (PostgreSQL unreachable) ends the round: no other campaign can go out either.
      if (!(err instanceof AimqError) || err.code === 'AIMQ-OUTBOX') throw err;
      events.failed(campaign, err);
      troubled = true;
    }
  }
  return { now, due: due.length, troubled };
}

function diagnosticsOf(err: unknown, file: string): Diagnostic[] {
  if (err instanceof AimqProblems) return err.diagnostics.filter((d) => d.severity === 'error');
  if (err instanceof AimqError)
    return [
      {
        file: err.file ?? file,
        line: err.line ?? 0,
        column: err.column ?? 0,
        severity: 'error',
        code: err.code,
        message: err.text,
        ...(err.hint ? { hint: err.hint } : {}),
      },
    ];
  throw err;
}

/**
 * One due campaign. Not started yet: the release as it is now, its lists checked whole,
 * its recipients planned. Under way: what the outbox recorded, and nothing else. True when
 * everything went out.
 */
async function sendDue(
  config: Config,
  outbox: Outbox,
  campaign: Campaign,
  sending: SendingContext,
  settings: SmtpSettings | undefined,
  opts: RoundOptions,
  events: RoundEvents,
  getLayout: () => Promise<EmailLayout>,
  now: number,
): Promise<boolean> {
  // The round's clock (simulated under --now / AIMQ_NOW), running on from here.
  const started = Date.now();
  let replyTo = campaign.replyTo;
  if (campaign.status === 'scheduled' && !(await outbox.hasStarted(campaign.id))) {
    const source = loadValid(resolve(config.root, campaign.releaseDir), config);
    refuseUnfinished(config, source.release);
    let content = campaignContent(source, config, await getLayout(), false, now);
    // Scheduled with --attach-pdf: its PDFs are printed again too, as the release reads now.
    if (hasPdf((await outbox.editions(campaign.id)).values()))
      content = await attachPdfs(content, source, config, now, sending.env);
    if (content.version !== campaign.contentVersion || !campaign.replyTo) {
      await outbox.replaceEditions(campaign.id, content.version, content.editions, content.replyTo);
      campaign = { ...campaign, contentVersion: content.version, replyTo: content.replyTo };
    }
    replyTo = content.replyTo;
    await planDue(outbox, campaign, sending, source, now, (d) => events.problems(d));
  } else if (!replyTo) {
    // Recorded by an older aimq, without its Reply-To: the release is the only place it is.
    replyTo = replyToFor(loadValid(resolve(config.root, campaign.releaseDir), config).release, config);
  }
  if (opts.rehearsal) {
    events.wouldSend(
      campaign,
      await outbox.counts(campaign.id),
      await outbox.countsByEdition(campaign.id, 'pending'),
    );
    return true;
  }
  events.starting(campaign);
  const result = await deliver(
    outbox,
    campaign,
    sending,
    settings!,
    {
      connections: opts.connections,
      rate: opts.rate,
      insecure: opts.insecure,
      shouldStop: events.stopRequested,
      maxRefusals: opts.maxRefusals,
      consentClock: () => Date.now() + (now - started),
      ...(events.watch ? { watch: events.watch } : {}),
    },
    replyTo,
  );
  events.sent(campaign, result);
  // Paused: dispatch leaves it until `aimq outbox retry`, and the other campaigns go on.
  if (result.refused)
    events.failed(campaign, refusedError(campaign.id, result.refused, result.left, 'dispatch'));
  const c = result.counts;
  return !(c.failed + c.uncertain > 0 || result.aborted || result.left > 0);
}

/** The recipients of a scheduled campaign, planned when it falls due: the lists as they are then. */
async function planDue(
  outbox: Outbox,
  campaign: Campaign,
  sending: SendingContext,
  source: ValidRelease,
  now: number,
  warn: (d: Diagnostic[]) => void,
): Promise<void> {
  const { config } = sending;
  const targets = parseTargets(campaign.targets, config.root, config.root);
  // A list with invalid lines is refused: nobody is left out unless someone decided it.
  const lists = await checkLists(targets, false, 'dispatch');
  if (lists.warnings.length) warn(lists.warnings);
  await planRecipients({
    outbox,
    campaign,
    targets,
    mode: campaign.editionMode as EditionMode,
    available: [...(await outbox.editions(campaign.id)).keys()],
    primary: source.release.editions[0]!.lang,
    isSuppressed: await suppressedForPlanning(outbox, sending),
    resend: false,
    now,
    // Planned when it falls due: the day it is sent, which is the day consent must hold.
    consent: { sendDay: dayIn(now, config.timeZone), timeZone: config.timeZone },
  });
}
