import { planRecipients, type Target } from '../dispatch/plan.js';
import { inLang } from '../i18n/text.js';
import type { Diagnostic } from '../errors/index.js';
import { dayIn } from '../lists/consent.js';
import type { Campaign, CampaignStatus, Counts, NewCampaign, Outbox, SkippedLine } from '../outbox/outbox.js';
import { type SendingContext, suppressedForPlanning } from './deliver.js';
import type { SendableRelease } from './release-editions.js';

/** The record of a new campaign of `release`: everything it needs to finish, whatever becomes of the release. */
export function newCampaign(
  release: SendableRelease,
  o: {
    targets: readonly Target[];
    source: string;
    status: CampaignStatus;
    scheduledAt: number | null;
    now: number;
  },
): NewCampaign {
  return {
    releaseId: release.source.release.id,
    releaseDir: release.source.release.dir,
    contentVersion: release.version,
    createdAt: o.now,
    scheduledAt: o.scheduledAt,
    status: o.status,
    source: o.source,
    targets: o.targets.map((t) => t.shown),
    editionMode: release.mode,
    replyTo: release.replyTo,
  };
}

/** Recorded in English: the outbox is shared, and each reader's language is only known when it is shown. */
export function skippedLines(problems: readonly Diagnostic[]): SkippedLine[] {
  return problems.map((p) => ({
    file: p.file,
    line: p.line,
    code: p.code,
    message: inLang(p.message, 'en'),
  }));
}

export interface PlannedSend {
  campaign: Campaign;
  /** False when the same send ran before: this one resumes it. */
  isNew: boolean;
  /** Rows an earlier run left in flight that are now `uncertain`. */
  recovered: number;
  counts: Counts;
  /** Pending rows per edition. */
  pending: Record<string, number>;
}

/**
 * `release send`: the campaign of this content from the command line (the one a previous
 * run made, or a new one), its recipients added, what an earlier run left in flight
 * recovered. `skipped`: invalid lines left out on purpose, recorded with the campaign.
 */
export async function planSend(
  outbox: Outbox,
  release: SendableRelease,
  sending: SendingContext,
  targets: readonly Target[],
  o: { resend: boolean; skipped: readonly Diagnostic[]; now: number },
): Promise<PlannedSend> {
  let campaign = await outbox.findCampaign(release.source.release.id, release.version, 'cli');
  const isNew = !campaign;
  campaign ??= await outbox.createCampaign(
    newCampaign(release, { targets, source: 'cli', status: 'ready', scheduledAt: null, now: o.now }),
    release.editions,
  );
  const recovered = await outbox.recoverAbandoned(
    o.now,
    sending.leases.isDead,
    sending.leases.diedOnThisBoot,
  );
  if (o.skipped.length) await outbox.recordSkipped(campaign.id, skippedLines(o.skipped));
  await planRecipients({
    outbox,
    campaign,
    targets,
    mode: release.mode,
    available: release.available,
    primary: release.primary,
    isSuppressed: await suppressedForPlanning(outbox, sending),
    resend: o.resend,
    now: o.now,
    consent: { sendDay: dayIn(o.now, sending.config.timeZone), timeZone: sending.config.timeZone },
  });
  return {
    campaign,
    isNew,
    recovered,
    counts: await outbox.counts(campaign.id),
    pending: await outbox.countsByEdition(campaign.id, 'pending'),
  };
}
