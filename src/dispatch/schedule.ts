import { createHash } from 'node:crypto';
import { AimqError } from '../errors/index.js';
import type { DispatchEntry, Release } from '../model/release.js';
import type { Mailbox } from '../model/config.js';
import type { Campaign, Outbox, StoredEdition } from '../outbox/outbox.js';
import { formatIsoWithOffset, parseDateTime, resolveLocal } from '../time/zoned.js';

/**
 * When to send, from the command line: an ISO date-time with offset, or a local
 * `YYYY-MM-DD HH:MM` read in the config's zone. A local time that does not exist (the
 * spring-forward gap) or happens twice (the autumn repeat) is refused with the way out,
 * and so is a time already past: nothing is guessed about when a release goes out.
 */
export function parseScheduleTime(text: string, timeZone: string, now: number): number {
  const dt = parseDateTime(text.trim());
  if (!dt.ok) {
    throw new AimqError(
      'AIMQ-SCHEDULE',
      dt.reason === 'nonexistent'
        ? {
            fr: `--at\u00a0: ${text} n’est pas une date-heure qui existe`,
            en: `--at: ${text} is not a real date and time`,
          }
        : {
            fr: `--at\u00a0: «\u00a0${text}\u00a0» n’est pas une date-heure`,
            en: `--at: "${text}" is not a date and time`,
          },
      {
        hint: {
          fr: `écrivez 2026-12-01T09:00:00-05:00, ou "2026-12-01 09:00" pour 9 h à l’heure de ${timeZone}`,
          en: `write 2026-12-01T09:00:00-05:00, or "2026-12-01 09:00" for 9 h in ${timeZone}`,
        },
      },
    );
  }
  let epoch: number;
  const l = dt.local;
  if (dt.offsetMinutes !== undefined) {
    epoch = Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second) - dt.offsetMinutes * 60_000;
  } else {
    const r = resolveLocal(l, timeZone);
    if (r.kind === 'gap') {
      throw new AimqError(
        'AIMQ-SCHEDULE',
        {
          fr: `--at\u00a0: ${text} n’existe pas à l’heure de ${timeZone}\u00a0: les horloges sautent cette heure au passage à l’heure avancée`,
          en: `--at: ${text} does not exist in ${timeZone}: the clocks skip that hour for daylight saving time`,
        },
        {
          hint: {
            fr: 'choisissez une heure plus tard ou plus tôt',
            en: 'choose a time an hour later or earlier',
          },
        },
      );
    }
    if (r.kind === 'ambiguous') {
      throw new AimqError(
        'AIMQ-SCHEDULE',
        {
          fr: `--at\u00a0: ${text} arrive deux fois à l’heure de ${timeZone}\u00a0: les horloges reculent d’une heure cette nuit-là`,
          en: `--at: ${text} happens twice in ${timeZone}: the clocks fall back an hour that night`,
        },
        {
          hint: {
            fr: `donnez le décalage\u00a0: ${formatIsoWithOffset(r.earlier, timeZone)} (la première fois) ou ${formatIsoWithOffset(r.later, timeZone)} (la seconde)`,
            en: `give the offset: ${formatIsoWithOffset(r.earlier, timeZone)} (the first time) or ${formatIsoWithOffset(r.later, timeZone)} (the second)`,
          },
        },
      );
    }
    epoch = r.epoch;
  }
  if (epoch <= now) {
    throw new AimqError(
      'AIMQ-SCHEDULE',
      {
        fr: `--at\u00a0: ${formatIsoWithOffset(epoch, timeZone)} est déjà passé (il est ${formatIsoWithOffset(now, timeZone)})`,
        en: `--at: ${formatIsoWithOffset(epoch, timeZone)} is already past (it is ${formatIsoWithOffset(now, timeZone)})`,
      },
      {
        hint: {
          fr: 'choisissez une heure plus tardive, ou envoyez maintenant avec aimq release send',
          en: 'choose a later time, or send now with aimq release send',
        },
      },
    );
  }
  return epoch;
}

/** The identity of a front-matter entry: its release and recipients. Its time may change; it is the same send, rescheduled. */
export function entrySource(
  release: Pick<Release, 'id'>,
  entry: Pick<DispatchEntry, 'to' | 'edition'>,
): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([[...entry.to].sort(), entry.edition]))
    .digest('hex')
    .slice(0, 12);
  return `dispatch:${release.id}#${digest}`;
}

export interface SyncChange {
  kind: 'created' | 'rescheduled' | 'cancelled' | 'kept';
  campaign: Campaign;
  entry?: DispatchEntry;
}

/**
 * Brings the outbox in line with the `dispatch:` entries of the releases: a new entry
 * becomes a scheduled campaign, a moved one is rescheduled, a removed one is cancelled —
 * as long as nothing has been sent. What has been sent is never touched. Each change is
 * one immediate transaction, so two dispatchers syncing at once create one campaign.
 */
type RenderedContent = { editions: StoredEdition[]; version: string; replyTo?: Mailbox };

export async function syncSchedules(
  outbox: Outbox,
  releases: readonly Release[],
  /** A release's content; undefined when it cannot be rendered now (its new entries then wait). */
  render: (release: Release) => RenderedContent | undefined | Promise<RenderedContent | undefined>,
  now: number,
  /** Releases that could not be read this time: their schedules are left as they are, not cancelled. */
  unreadable: ReadonlySet<string> = new Set(),
): Promise<SyncChange[]> {
  const changes: SyncChange[] = [];
  const live = new Set<string>();
  for (const release of releases) {
    for (const entry of release.dispatch) {
      const source = entrySource(release, entry);
      live.add(source);
      const existing = await outbox.findBySource(source);
      if (existing) {
        if (
          existing.status === 'scheduled' &&
          existing.scheduledAt !== entry.at.epoch &&
          !(await outbox.hasStarted(existing.id))
        ) {
          await outbox.setSchedule(existing.id, entry.at.epoch);
          changes.push({
            kind: 'rescheduled',
            campaign: { ...existing, scheduledAt: entry.at.epoch },
            entry,
          });
        } else changes.push({ kind: 'kept', campaign: existing, entry });
        continue;
      }
      const content = await render(release);
      if (!content) continue;
      const { editions, version, replyTo } = content;
      const created = await outbox.exclusive(async (tx) => {
        if (await tx.findBySource(source)) return undefined;
        return tx.createCampaign(
          {
            releaseId: release.id,
            releaseDir: release.dir,
            contentVersion: version,
            createdAt: now,
            scheduledAt: entry.at.epoch,
            status: 'scheduled',
            source,
            targets: entry.to,
            editionMode: entry.edition,
            ...(replyTo ? { replyTo } : {}),
          },
          editions,
        );
      });
      if (created) changes.push({ kind: 'created', campaign: created, entry });
    }
  }
  for (const c of await outbox.campaignsFrom('dispatch:')) {
    if (
      live.has(c.source) ||
      unreadable.has(c.releaseId) ||
      c.status !== 'scheduled' ||
      (await outbox.hasStarted(c.id))
    )
      continue;
    await outbox.cancel(c.id, now);
    changes.push({ kind: 'cancelled', campaign: c });
  }
  return changes;
}
