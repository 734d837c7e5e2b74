import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import {
  parseScheduleTime,
  entrySource,
  syncSchedules,
  type SyncChange,
} from '../../src/dispatch/schedule.js';
import { AimqError } from '../../src/errors/index.js';
import { inLang } from '../../src/i18n/text.js';
import type { DispatchEntry, Release } from '../../src/model/release.js';
import { Outbox, type StoredEdition } from '../../src/outbox/outbox.js';
import { REPO, tempDir } from '../helpers/cli.js';

/**
 * Scheduled sends: the send time read from the command line (time zones and daylight
 * saving), the identity of a front-matter `dispatch:` entry, and how the entries are
 * brought into a real SQLite outbox in a temporary folder.
 */

const TZ = 'America/Toronto';
/** 2026-11-30 12:00 in Montréal (winter, -05:00). */
const NOW = Date.parse('2026-11-30T17:00:00Z');

/** What parseScheduleTime throws, as an AimqError. */
function scheduleError(text: string, now = NOW): AimqError {
  try {
    parseScheduleTime(text, TZ, now);
  } catch (err) {
    expect(err).toBeInstanceOf(AimqError);
    return err as AimqError;
  }
  throw new Error(`parseScheduleTime accepted "${text}"`);
}

describe('parseScheduleTime', () => {
  it('reads an ISO date-time with its offset, whatever the zone', async () => {
    expect(parseScheduleTime('2026-12-01T09:00:00-05:00', TZ, NOW)).toBe(Date.parse('2026-12-01T14:00:00Z'));
    expect(parseScheduleTime('2026-12-01T09:00:00+01:00', TZ, NOW)).toBe(Date.parse('2026-12-01T08:00:00Z'));
    expect(parseScheduleTime('2026-12-01T14:00Z', TZ, NOW)).toBe(Date.parse('2026-12-01T14:00:00Z'));
    // Surrounding spaces, as a shell variable may leave them.
    expect(parseScheduleTime('  2026-12-01T09:00-05:00 ', TZ, NOW)).toBe(Date.parse('2026-12-01T14:00:00Z'));
  });

  it('reads a local "YYYY-MM-DD HH:MM" in the zone: -05:00 in winter, -04:00 in summer', async () => {
    expect(parseScheduleTime('2026-12-01 09:00', TZ, NOW)).toBe(Date.parse('2026-12-01T14:00:00Z'));
    const spring = Date.parse('2026-01-15T17:00:00Z');
    expect(parseScheduleTime('2026-07-01 09:00', TZ, spring)).toBe(Date.parse('2026-07-01T13:00:00Z'));
    // The hours either side of the changes exist once and take the right offset.
    expect(parseScheduleTime('2026-03-08 03:30', TZ, spring)).toBe(Date.parse('2026-03-08T07:30:00Z'));
    expect(parseScheduleTime('2026-03-08 01:30', TZ, spring)).toBe(Date.parse('2026-03-08T06:30:00Z'));
    expect(parseScheduleTime('2026-11-01 02:30', TZ, spring)).toBe(Date.parse('2026-11-01T07:30:00Z'));
    // The same wall-clock time in another zone is another instant.
    expect(parseScheduleTime('2026-12-01 09:00', 'Europe/Paris', NOW)).toBe(
      Date.parse('2026-12-01T08:00:00Z'),
    );
  });

  it('refuses a time in the spring-forward gap, saying it does not exist', async () => {
    const err = scheduleError('2026-03-08 02:30', Date.parse('2026-01-15T17:00:00Z'));
    expect(err.code).toBe('AIMQ-SCHEDULE');
    expect(err.message).toContain('2026-03-08 02:30');
    expect(err.message).toMatch(/does not exist/);
    expect(err.message).toContain(TZ);
    expect(err.hint).toBeTruthy();
  });

  it('refuses a time in the autumn repeat, giving both offsets to choose from', async () => {
    const err = scheduleError('2026-11-01 01:30', Date.parse('2026-01-15T17:00:00Z'));
    expect(err.code).toBe('AIMQ-SCHEDULE');
    expect(err.message).toMatch(/twice/);
    expect(inLang(err.hint!, 'en')).toContain('2026-11-01T01:30:00-04:00');
    expect(inLang(err.hint!, 'en')).toContain('2026-11-01T01:30:00-05:00');
    // Each offset it proposes is accepted as it is written.
    for (const choice of ['2026-11-01T01:30:00-04:00', '2026-11-01T01:30:00-05:00']) {
      expect(parseScheduleTime(choice, TZ, Date.parse('2026-01-15T17:00:00Z'))).toBe(Date.parse(choice));
    }
  });

  it('refuses a time already past, with an offset or without', async () => {
    for (const past of ['2026-11-30 11:59', '2026-11-29T09:00:00-05:00', '2020-01-13 09:00']) {
      const err = scheduleError(past);
      expect(err.code, past).toBe('AIMQ-SCHEDULE');
      expect(err.message, past).toMatch(/past/);
    }
    // The next minute is fine.
    expect(parseScheduleTime('2026-11-30 12:01', TZ, NOW)).toBe(NOW + 60_000);
  });

  it.each([
    'tomorrow',
    '',
    '2026-12-01',
    '01/12/2026 09:00',
    '2026-12-01 9h',
    '2026-02-30 09:00',
    '2026-12-01 25:00',
    '2026-12-01T09:00:00+15:00',
    'DROP TABLE campaigns',
  ])('refuses "%s" as not a date and time', (text) => {
    expect(scheduleError(text).code).toBe('AIMQ-SCHEDULE');
  });
});

function entry(at: string, to: string[], edition = 'auto', line = 14): DispatchEntry {
  return { at: { iso: at, epoch: Date.parse(at) }, to, edition, file: 'releases/2026-12-01-x/fr.md', line };
}

function release(id: string, dispatch: DispatchEntry[]): Release {
  const date = { year: Number(id.slice(0, 4)), month: Number(id.slice(5, 7)), day: Number(id.slice(8, 10)) };
  return {
    id,
    dir: `releases/${id}`,
    date,
    published: { iso: id.slice(0, 10), epoch: Date.UTC(date.year, date.month - 1, date.day, 5) },
    tags: [],
    editions: [],
    dispatch,
  };
}

describe('entrySource', () => {
  const r = release('2026-12-01-x', []);

  it('is the same when only the time (or the line) changes: a moved entry is the same send', async () => {
    const a = entrySource(r, entry('2026-12-01T09:00:00-05:00', ['lists/medias.csv']));
    expect(a).toMatch(/^dispatch:2026-12-01-x#/);
    expect(entrySource(r, entry('2026-12-02T15:30:00-05:00', ['lists/medias.csv'], 'auto', 40))).toBe(a);
    expect(entrySource(r, entry('2026-12-01T09:00:00-05:00', ['lists/medias.csv']))).toBe(a);
  });

  it('differs when the recipients, the edition or the release change', async () => {
    const a = entrySource(r, entry('2026-12-01T09:00:00-05:00', ['lists/medias.csv']));
    expect(entrySource(r, entry('2026-12-01T09:00:00-05:00', ['lists/membres.csv']))).not.toBe(a);
    expect(
      entrySource(r, entry('2026-12-01T09:00:00-05:00', ['lists/medias.csv', 'lists/membres.csv'])),
    ).not.toBe(a);
    expect(entrySource(r, entry('2026-12-01T09:00:00-05:00', ['lists/medias.csv'], 'fr'))).not.toBe(a);
    expect(entrySource(r, entry('2026-12-01T09:00:00-05:00', ['lists/medias.csv'], 'bilingual'))).not.toBe(a);
    expect(
      entrySource(release('2026-12-02-y', []), entry('2026-12-01T09:00:00-05:00', ['lists/medias.csv'])),
    ).not.toBe(a);
  });

  it('does not depend on the order of "to"', async () => {
    const ab = entrySource(
      r,
      entry('2026-12-01T09:00:00-05:00', ['lists/medias.csv', 'lists/membres.csv', 'x@example.org']),
    );
    expect(
      entrySource(
        r,
        entry('2026-12-01T09:00:00-05:00', ['x@example.org', 'lists/membres.csv', 'lists/medias.csv']),
      ),
    ).toBe(ab);
    expect(
      entrySource(
        r,
        entry('2026-12-01T09:00:00-05:00', ['lists/membres.csv', 'x@example.org', 'lists/medias.csv']),
      ),
    ).toBe(ab);
  });
});

const EDITIONS: StoredEdition[] = [
  { edition: 'fr', subject: 'Sujet', html: '<p>fr</p>', text: 'fr', languages: ['fr-CA'], attachments: [] },
  { edition: 'en', subject: 'Subject', html: '<p>en</p>', text: 'en', languages: ['en-CA'], attachments: [] },
];
const VERSION = 'v-fixed';
const AT9 = '2026-12-01T09:00:00-05:00';
const AT10 = '2026-12-01T10:00:00-05:00';

function freshOutbox(): { path: string; outbox: Outbox } {
  const path = join(tempDir('aimq-schedule-'), '.aimq', 'outbox.sqlite');
  return { path, outbox: Outbox.open(path) };
}

/** A render callback that counts its calls. */
function renderer() {
  const calls: string[] = [];
  const render = (r: Release) => {
    calls.push(r.id);
    return { editions: EDITIONS, version: VERSION };
  };
  return { render, calls };
}

const kinds = (changes: SyncChange[]) => changes.map((c) => c.kind);

describe('syncSchedules on a real outbox', () => {
  it('creates a scheduled campaign for a new entry, with the entry time, targets, edition and rendered editions', async () => {
    const { outbox } = freshOutbox();
    try {
      const e = entry(AT9, ['lists/medias.csv', 'presse@example.org'], 'bilingual');
      const r = release('2026-12-01-x', [e]);
      const { render, calls } = renderer();
      const changes = await syncSchedules(outbox, [r], render, NOW);
      expect(kinds(changes)).toEqual(['created']);
      expect(calls).toEqual(['2026-12-01-x']);
      const [c] = await outbox.campaigns();
      expect(await outbox.campaigns()).toHaveLength(1);
      expect(c).toMatchObject({
        id: changes[0]!.campaign.id,
        releaseId: '2026-12-01-x',
        releaseDir: 'releases/2026-12-01-x',
        status: 'scheduled',
        scheduledAt: Date.parse(AT9),
        createdAt: NOW,
        source: entrySource(r, e),
        targets: ['lists/medias.csv', 'presse@example.org'],
        editionMode: 'bilingual',
        contentVersion: VERSION,
      });
      expect(Object.fromEntries(await outbox.editions(c!.id))).toEqual(
        Object.fromEntries(EDITIONS.map((e) => [e.edition, e])),
      );
      expect((await outbox.counts(c!.id)).pending).toBe(0);
      // Not due before its time; due from its time on.
      expect(await outbox.dueCampaigns(Date.parse(AT9) - 1)).toEqual([]);
      expect((await outbox.dueCampaigns(Date.parse(AT9))).map((x) => x.id)).toEqual([c!.id]);
    } finally {
      await outbox.close();
    }
  });

  it('keeps the same entry as it is, without rendering the release again', async () => {
    const { outbox } = freshOutbox();
    try {
      const r = release('2026-12-01-x', [entry(AT9, ['lists/medias.csv'])]);
      const { render, calls } = renderer();
      const first = await syncSchedules(outbox, [r], render, NOW);
      const again = await syncSchedules(outbox, [r], render, NOW + 60_000);
      expect(kinds(again)).toEqual(['kept']);
      expect(again[0]!.campaign.id).toBe(first[0]!.campaign.id);
      expect(calls).toHaveLength(1);
      expect(await outbox.campaigns()).toHaveLength(1);
      expect((await outbox.campaigns())[0]).toMatchObject({
        status: 'scheduled',
        scheduledAt: Date.parse(AT9),
        createdAt: NOW,
      });
    } finally {
      await outbox.close();
    }
  });

  it('reschedules the same campaign when only the time changed', async () => {
    const { outbox } = freshOutbox();
    try {
      const { render } = renderer();
      const first = await syncSchedules(
        outbox,
        [release('2026-12-01-x', [entry(AT9, ['lists/medias.csv'])])],
        render,
        NOW,
      );
      const moved = await syncSchedules(
        outbox,
        [release('2026-12-01-x', [entry(AT10, ['lists/medias.csv'])])],
        render,
        NOW,
      );
      expect(kinds(moved)).toEqual(['rescheduled']);
      expect(moved[0]!.campaign).toMatchObject({ id: first[0]!.campaign.id, scheduledAt: Date.parse(AT10) });
      expect(await outbox.campaigns()).toHaveLength(1);
      expect(await outbox.campaign(first[0]!.campaign.id)).toMatchObject({
        status: 'scheduled',
        scheduledAt: Date.parse(AT10),
      });
      expect(await outbox.dueCampaigns(Date.parse(AT9) + 60_000)).toEqual([]);
    } finally {
      await outbox.close();
    }
  });

  it('a change of recipients is another entry: the old campaign is cancelled and a new one created', async () => {
    const { outbox } = freshOutbox();
    try {
      const { render } = renderer();
      const first = await syncSchedules(
        outbox,
        [release('2026-12-01-x', [entry(AT9, ['lists/medias.csv'])])],
        render,
        NOW,
      );
      const changed = await syncSchedules(
        outbox,
        [release('2026-12-01-x', [entry(AT9, ['lists/membres.csv'])])],
        render,
        NOW,
      );
      expect(kinds(changed).sort()).toEqual(['cancelled', 'created']);
      expect((await outbox.campaign(first[0]!.campaign.id))!.status).toBe('cancelled');
      expect(
        (await outbox.campaigns()).filter((c) => c.status === 'scheduled').map((c) => c.targets),
      ).toEqual([['lists/membres.csv']]);
    } finally {
      await outbox.close();
    }
  });

  it('cancels the campaign of a removed entry, and a later entry back is a new campaign', async () => {
    const { outbox } = freshOutbox();
    try {
      const { render } = renderer();
      const e = entry(AT9, ['lists/medias.csv']);
      const first = await syncSchedules(outbox, [release('2026-12-01-x', [e])], render, NOW);
      const id = first[0]!.campaign.id;
      const removed = await syncSchedules(outbox, [release('2026-12-01-x', [])], render, NOW);
      expect(kinds(removed)).toEqual(['cancelled']);
      expect(removed[0]!.campaign.id).toBe(id);
      expect((await outbox.campaign(id))!.status).toBe('cancelled');
      expect(await outbox.dueCampaigns(Date.parse(AT9) + 1)).toEqual([]);
      // Once cancelled, it is not cancelled again.
      expect(await syncSchedules(outbox, [], render, NOW)).toEqual([]);
      // The entry back: a new campaign, the cancelled one stays cancelled.
      const back = await syncSchedules(
        outbox,
        [release('2026-12-01-x', [entry(AT10, ['lists/medias.csv'])])],
        render,
        NOW,
      );
      expect(kinds(back)).toEqual(['created']);
      expect(back[0]!.campaign.id).not.toBe(id);
      expect((await outbox.campaign(id))!.status).toBe('cancelled');
      expect(await outbox.campaign(back[0]!.campaign.id)).toMatchObject({
        status: 'scheduled',
        scheduledAt: Date.parse(AT10),
      });
    } finally {
      await outbox.close();
    }
  });

  it('leaves the schedules of a release it could not read as they are', async () => {
    const { outbox } = freshOutbox();
    try {
      const { render } = renderer();
      const x = release('2026-12-01-x', [entry(AT9, ['lists/medias.csv'])]);
      const y = release('2026-12-02-y', [entry(AT10, ['lists/medias.csv'])]);
      await syncSchedules(outbox, [x, y], render, NOW);
      // x has an error in its front matter this time: it is not in the releases, but in `unreadable`.
      const changes = await syncSchedules(outbox, [y], render, NOW, new Set(['2026-12-01-x']));
      expect(kinds(changes)).toEqual(['kept']);
      expect((await outbox.campaigns()).map((c) => [c.releaseId, c.status])).toEqual([
        ['2026-12-01-x', 'scheduled'],
        ['2026-12-02-y', 'scheduled'],
      ]);
      // Read again without its entry, it is cancelled.
      expect(kinds(await syncSchedules(outbox, [y], render, NOW))).toEqual(['kept', 'cancelled']);
    } finally {
      await outbox.close();
    }
  });

  it('never reschedules or cancels a campaign that has started sending', async () => {
    for (const outcome of ['sent', 'sending'] as const) {
      const { outbox } = freshOutbox();
      try {
        const { render } = renderer();
        const created = await syncSchedules(
          outbox,
          [release('2026-12-01-x', [entry(AT9, ['lists/medias.csv'])])],
          render,
          NOW,
        );
        const c = created[0]!.campaign;
        await outbox.addDeliveries(
          c,
          [
            { email: 'a@example.org', name: 'A', edition: 'fr' },
            { email: 'b@example.org', name: 'B', edition: 'en' },
          ],
          NOW,
        );
        const [d] = await outbox.claimAhead(c.id, 'host:1:x', Date.parse(AT9), 60_000, 1);
        expect(d!.email).toBe('a@example.org');
        expect(await outbox.handOver(d!.id, 'host:1:x', Date.parse(AT9))).toBe(true);
        if (outcome === 'sent')
          expect(
            await outbox.finish(
              d!.id,
              'host:1:x',
              { state: 'sent', reply: '250 ok', messageId: '<m@aimq.net>' },
              Date.parse(AT9) + 1,
            ),
          ).toBe(true);
        expect(await outbox.hasStarted(c.id)).toBe(true);

        const moved = await syncSchedules(
          outbox,
          [release('2026-12-01-x', [entry(AT10, ['lists/medias.csv'])])],
          render,
          NOW,
        );
        expect(kinds(moved), outcome).toEqual(['kept']);
        expect(await outbox.campaign(c.id), outcome).toMatchObject({
          status: 'scheduled',
          scheduledAt: Date.parse(AT9),
        });

        const removed = await syncSchedules(outbox, [release('2026-12-01-x', [])], render, NOW);
        expect(removed, outcome).toEqual([]);
        expect((await outbox.campaign(c.id))!.status, outcome).toBe('scheduled');
        expect(await outbox.counts(c.id), outcome).toMatchObject({ [outcome]: 1, pending: 1, cancelled: 0 });
        expect(await outbox.campaigns(), outcome).toHaveLength(1);
      } finally {
        await outbox.close();
      }
    }
  });

  it('never reschedules a campaign that is done or missed, nor plans it again', async () => {
    for (const status of ['done', 'missed', 'sending'] as const) {
      const { outbox } = freshOutbox();
      try {
        const { render } = renderer();
        const c = (
          await syncSchedules(
            outbox,
            [release('2026-12-01-x', [entry(AT9, ['lists/medias.csv'])])],
            render,
            NOW,
          )
        )[0]!.campaign;
        await outbox.setCampaignStatus(c.id, status);
        expect(
          kinds(
            await syncSchedules(
              outbox,
              [release('2026-12-01-x', [entry(AT10, ['lists/medias.csv'])])],
              render,
              NOW,
            ),
          ),
          status,
        ).toEqual(['kept']);
        expect(await syncSchedules(outbox, [release('2026-12-01-x', [])], render, NOW), status).toEqual([]);
        expect(await outbox.campaigns(), status).toEqual([{ ...c, status }]);
      } finally {
        await outbox.close();
      }
    }
  });

  it('two connections syncing the same entry, interleaved at the worst moment, create one campaign', async () => {
    const { path, outbox } = freshOutbox();
    const other = Outbox.open(path);
    try {
      const r = release('2026-12-01-x', [entry(AT9, ['lists/medias.csv'])]);
      let inner: SyncChange[] = [];
      // The first connection has looked and found nothing; while it renders, the second syncs the same entry.
      const outer = await syncSchedules(
        outbox,
        [r],
        async (rel) => {
          inner = await syncSchedules(other, [rel], () => ({ editions: EDITIONS, version: VERSION }), NOW);
          return { editions: EDITIONS, version: VERSION };
        },
        NOW,
      );
      expect(kinds(inner)).toEqual(['created']);
      expect(kinds(outer)).not.toContain('created');
      expect(await outbox.campaigns()).toHaveLength(1);
      expect(await other.campaigns()).toHaveLength(1);
      expect((await outbox.campaigns())[0]!.id).toBe(inner[0]!.campaign.id);
    } finally {
      await other.close();
      await outbox.close();
    }
  });

  it('four threads, each with its own connection, syncing the same entry at the same moment create one campaign', async () => {
    const schedule = join(REPO, 'dist', 'dispatch', 'schedule.js');
    const outboxJs = join(REPO, 'dist', 'outbox', 'outbox.js');
    expect(
      existsSync(schedule) && existsSync(outboxJs),
      'run npm run build first: the threads use dist/',
    ).toBe(true);
    const { path, outbox } = freshOutbox();
    await outbox.close();
    const r = release('2026-12-01-x', [entry(AT9, ['lists/medias.csv'])]);
    const start = new Int32Array(new SharedArrayBuffer(4));
    const code = `
      const { workerData, parentPort } = require('node:worker_threads');
      Promise.all([import(workerData.schedule), import(workerData.outbox)]).then(async ([{ syncSchedules }, { Outbox }]) => {
        const outbox = Outbox.open(workerData.path);
        Atomics.wait(workerData.start, 0, 0);
        const changes = await syncSchedules(outbox, [workerData.release], () => ({ editions: workerData.editions, version: workerData.version }), workerData.now);
        await outbox.close();
        parentPort.postMessage(changes.map((c) => ({ kind: c.kind, id: c.campaign.id })));
      });`;
    const results = Array.from({ length: 4 }, () => {
      const w = new Worker(code, {
        eval: true,
        workerData: {
          schedule: pathToFileURL(schedule).href,
          outbox: pathToFileURL(outboxJs).href,
          path,
          start,
          release: r,
          editions: EDITIONS,
          version: VERSION,
          now: NOW,
        },
      });
      return new Promise<{ kind: string; id: number }[]>((resolve, reject) => {
        w.once('message', resolve);
        w.once('error', reject);
      });
    });
    await new Promise((res) => setTimeout(res, 200));
    Atomics.store(start, 0, 1);
    Atomics.notify(start, 0);
    const all = (await Promise.all(results)).flat();
    expect(all.filter((c) => c.kind === 'created')).toHaveLength(1);
    expect(all.every((c) => c.kind === 'created' || c.kind === 'kept')).toBe(true);
    const check = Outbox.open(path);
    try {
      const campaigns = await check.campaigns();
      expect(campaigns).toHaveLength(1);
      expect(campaigns[0]).toMatchObject({ status: 'scheduled', scheduledAt: Date.parse(AT9) });
      expect(new Set(all.map((c) => c.id))).toEqual(new Set([campaigns[0]!.id]));
      expect((await check.editions(campaigns[0]!.id)).size).toBe(2);
    } finally {
      await check.close();
    }
  });
});
