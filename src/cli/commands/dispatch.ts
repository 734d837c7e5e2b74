import { loadConfig } from '../../config/load.js';
import { checkLists, parseTargets } from '../../dispatch/plan.js';
import { dispatchRound, type RoundEvents } from '../../dispatch/round.js';
import { parseScheduleTime } from '../../dispatch/schedule.js';
import { AimqError, AimqProblems, EXIT } from '../../errors/index.js';
import { formatNumber, type Lang } from '../../i18n/text.js';
import type { Outbox } from '../../outbox/outbox.js';
import { newCampaign } from '../../sending/campaign-setup.js';
import { requireEmail } from '../../sending/email-settings.js';
import { campaignOf, openOutbox, outboxOfCampaign, rehearsalOutbox } from '../../sending/open-outbox.js';
import { loadSendable } from '../../sending/release-editions.js';
import { DEFAULT_MAX_REFUSALS } from '../../sending/refusals.js';
import { parseMaxRefusals, parsePositive } from '../../sending/tunables.js';
import { commandClock } from '../../time/clock.js';
import { parseDuration } from '../../time/duration.js';
import { refuseUnfinished } from '../../validate/placeholders.js';
import { localTime } from '../local-time.js';
import { requireUnsubscribeSecret } from '../../unsubscribe/secret.js';
import type { Io } from '../main.js';
import { deliverySummary, editionCounts, progressWatch } from '../progress.js';
import { formatText } from '../report.js';

export interface ScheduleCommandOptions {
  at: string;
  to?: string[];
  edition: string;
  now?: string;
  embedImages?: boolean;
  attachPdf?: boolean;
}

/** `aimq release schedule`: a campaign that `aimq dispatch` sends at its time. */
export async function scheduleCommand(io: Io, dir: string, opts: ScheduleCommandOptions): Promise<number> {
  const config = loadConfig(io.cwd, io.cwd);
  requireEmail(config);
  // Refused now rather than at its time, when nobody is there to set it.
  requireUnsubscribeSecret(config, io.env, 'schedule');
  const now = commandClock(opts.now, io.env, config.timeZone)();
  const at = parseScheduleTime(opts.at, config.timeZone, now);
  if (!opts.to?.length)
    throw new AimqError(
      'AIMQ-USAGE',
      { fr: 'aucun destinataire', en: 'nobody to send to' },
      {
        hint: {
          fr: 'ajoutez --to lists/medias.csv (une liste ou une adresse\u00a0; répétez-le)',
          en: 'add --to lists/medias.csv (a list or an address; repeat it)',
        },
      },
    );
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
  // Read now as dispatch will read them when due: a list with invalid lines, or one that
  // cannot be read, would stop the campaign at its time, with nobody there to correct it.
  // (Their warnings are left to dispatch, which reports them when it plans the campaign.)
  await checkLists(targets, false, 'schedule');
  const outbox = await openOutbox(config, io.cwd, io.env);
  try {
    const c = await outbox.createCampaign(
      newCampaign(release, { targets, source: 'schedule', status: 'scheduled', scheduledAt: at, now }),
      release.editions,
    );
    const to = targets.map((t) => t.shown).join(', ');
    io.stderr(
      io.t({
        fr: `Campagne ${c.id}\u00a0: ${release.source.release.id} à ${to}, le ${localTime(at, config.timeZone, 'fr')}. "aimq dispatch" l’envoie à son heure.`,
        en: `Campaign ${c.id}: ${release.source.release.id} to ${to}, at ${localTime(at, config.timeZone)}. "aimq dispatch" sends it when it is due.`,
      }),
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
  const outbox = await outboxOfCampaign(config, io.cwd, io.env, id, {
    fr: 'planifiez-en une avec aimq release schedule',
    en: 'schedule one with aimq release schedule',
  });
  try {
    const c = await campaignOf(outbox, id);
    if (c.status !== 'scheduled' || (await outbox.hasStarted(c.id)))
      throw new AimqError(
        'AIMQ-SCHEDULE',
        {
          fr: `la campagne ${c.id} ${c.status === 'scheduled' ? 'est déjà en cours d’envoi' : `a l’état «\u00a0${c.status}\u00a0»`}\u00a0: seule une campagne qui n’a pas commencé peut être replanifiée`,
          en: `campaign ${c.id} is ${c.status === 'scheduled' ? 'already sending' : c.status}: only a campaign that has not started can be rescheduled`,
        },
        { hint: { fr: 'voyez aimq outbox show', en: 'see aimq outbox show' } },
      );
    if (c.source.startsWith('dispatch:'))
      io.stderr(
        io.t({
          fr: `La campagne ${c.id} vient de l’en-tête (front matter) de ${c.releaseDir}\u00a0: changez aussi son "at" là, sinon le prochain dispatch la remet à l’ancienne heure.`,
          en: `Campaign ${c.id} comes from the front matter of ${c.releaseDir}: change its "at" there too, or the next dispatch puts it back.`,
        }),
      );
    await outbox.setSchedule(c.id, at);
    io.stdout(
      io.t({
        fr: `Campagne ${c.id} replanifiée pour le ${localTime(at, config.timeZone, 'fr')}.`,
        en: `Campaign ${c.id} rescheduled for ${localTime(at, config.timeZone)}.`,
      }),
    );
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
  maxRefusals?: string;
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
      {
        fr: `--interval\u00a0: "${opts.interval}" n’est pas une durée d’une seconde ou plus`,
        en: `--interval: "${opts.interval}" is not a duration of a second or more`,
      },
      { hint: { fr: 'par exemple --interval 30s ou 5m', en: 'for example --interval 30s or 5m' } },
    );
  if (!opts.once && !opts.watch)
    throw new AimqError(
      'AIMQ-USAGE',
      {
        fr: 'précisez --once (pour cron, systemd ou la CI) ou --watch (pour rester actif)',
        en: 'say --once (for cron, systemd or CI) or --watch (to stay up)',
      },
      { hint: { fr: 'par exemple\u00a0: aimq dispatch --once', en: 'aimq dispatch --once' } },
    );
  const simulated = opts.now !== undefined || io.env.AIMQ_NOW !== undefined;
  if (opts.send && !simulated)
    throw new AimqError(
      'AIMQ-USAGE',
      {
        fr: '--send ne va qu’avec --now (ou AIMQ_NOW)\u00a0: sans eux, dispatch envoie déjà',
        en: '--send only goes with --now (or AIMQ_NOW): without them, dispatch sends',
      },
      { hint: { fr: 'par exemple\u00a0: aimq dispatch --once', en: 'aimq dispatch --once' } },
    );
  const rehearsal = simulated && !opts.send;
  // Checked once, before anything is read or sent, by the same rule as release send.
  const sending = {
    connections: Math.floor(parsePositive(opts.connections, '--connections')),
    rate: opts.rate ? parsePositive(opts.rate, '--rate') : 0,
    maxRefusals: opts.maxRefusals ? parseMaxRefusals(opts.maxRefusals) : DEFAULT_MAX_REFUSALS,
    insecure: Boolean(opts.insecure),
    rehearsal,
  };
  const lt = (epoch: number | null, lang: Lang) => localTime(epoch, config.timeZone, lang);
  const fr = (n: number) => formatNumber(n, 'fr');
  if (rehearsal)
    io.stderr(
      io.t({
        fr: `Répétition à ${lt(clock(), 'fr')}\u00a0: rien n’est envoyé et la boîte d’envoi reste telle quelle (--send envoie pour vrai).`,
        en: `Rehearsal at ${lt(clock(), 'en')}: nothing is sent and the outbox is left as it is (--send sends for real).`,
      }),
    );
  const changedFr = {
    created: 'planifiée',
    rescheduled: 'replanifiée',
    cancelled: 'annulée',
    kept: 'inchangée',
  };
  const events: RoundEvents = {
    scheduleChanged: (ch) =>
      io.stderr(
        io.t({
          fr: `Campagne ${ch.campaign.id} (${ch.campaign.releaseId}) ${changedFr[ch.kind]}${ch.kind === 'cancelled' ? '\u00a0: son entrée dispatch a été retirée' : ` pour le ${lt(ch.campaign.scheduledAt, 'fr')}`}.`,
          en: `Campaign ${ch.campaign.id} (${ch.campaign.releaseId}) ${ch.kind}${ch.kind === 'cancelled' ? ': its dispatch entry was removed' : ` for ${lt(ch.campaign.scheduledAt, 'en')}`}.`,
        }),
      ),
    problems: (d) => io.stderr(formatText(d, io.lang)),
    missed: (c) => {
      const hours = Math.round(config.maxDelayMs / 3_600_000);
      io.stderr(
        io.t({
          fr: `La campagne ${c.id} (${c.releaseId}) était prévue le ${lt(c.scheduledAt, 'fr')}, il y a plus de ${fr(hours)}\u00a0h\u00a0: pas envoyée [AIMQ-DISPATCH-MISSED]. Envoyez-la vous-même avec aimq release send si elle est toujours voulue.`,
          en: `Campaign ${c.id} (${c.releaseId}) was due ${lt(c.scheduledAt, 'en')}, more than ${hours} h ago: not sent [AIMQ-DISPATCH-MISSED]. Send it by hand with aimq release send if it is still wanted.`,
        }),
      );
    },
    starting: (c) =>
      io.stderr(
        io.t({
          fr: `Campagne ${c.id} (${c.releaseId}), prévue le ${lt(c.scheduledAt, 'fr')}\u00a0: envoi en cours.`,
          en: `Campaign ${c.id} (${c.releaseId}), due ${lt(c.scheduledAt, 'en')}: sending.`,
        }),
      ),
    wouldSend: (c, counts, byEdition) => {
      const n = counts.pending + counts.retry;
      const editions = editionCounts(byEdition);
      io.stderr(
        io.t({
          fr: `Campagne ${c.id} (${c.releaseId}), prévue le ${lt(c.scheduledAt, 'fr')}\u00a0: ${fr(n)} ${n < 2 ? 'courriel serait envoyé' : 'courriels seraient envoyés'} (${editions.fr})\u00a0; ${fr(counts.sent)} déjà ${counts.sent < 2 ? 'envoyé' : 'envoyés'}, ${fr(counts.suppressed)} ${counts.suppressed < 2 ? 'exclu' : 'exclus'}, ${counts['no-consent'] ? `${fr(counts['no-consent'])} sans consentement valide (consentement tacite expiré), ` : ''}${fr(counts.cancelled)} ${counts.cancelled < 2 ? 'ignoré' : 'ignorés'}.`,
          en: `Campaign ${c.id} (${c.releaseId}), due ${lt(c.scheduledAt, 'en')}: would send ${n} message(s) (${editions.en}); ${counts.sent} already sent, ${counts.suppressed} suppressed, ${counts['no-consent'] ? `${counts['no-consent']} without valid consent (implied consent expired), ` : ''}${counts.cancelled} skipped.`,
        }),
      );
    },
    sent: (c, result) => io.stderr(io.t(deliverySummary(c.id, result))),
    failed: (c, err) =>
      io.stderr(
        err instanceof AimqProblems
          ? io.t({
              fr: `Campagne ${c.id} (${c.releaseId}) pas envoyée\u00a0:\n${formatText(err.diagnostics, 'fr')}`,
              en: `Campaign ${c.id} (${c.releaseId}) not sent:\n${formatText(err.diagnostics, 'en')}`,
            })
          : io.t({
              fr: `Campagne ${c.id} (${c.releaseId})\u00a0: ${io.t(err.text)} [${err.code}]${err.hint ? `\n  conseil\u00a0: ${io.t(err.hint)}` : ''}`,
              en: `Campaign ${c.id} (${c.releaseId}): ${io.t(err.text)} [${err.code}]${err.hint ? `\n  hint: ${io.t(err.hint)}` : ''}`,
            }),
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
        io.stderr(
          io.t({
            fr: `Rien à envoyer à ${lt(round.now, 'fr')}.`,
            en: `Nothing due at ${lt(round.now, 'en')}.`,
          }),
        );
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
