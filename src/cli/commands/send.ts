import { join, relative, resolve } from 'node:path';
import { loadConfig } from '../../config/load.js';
import { checkLists, parseTargets } from '../../dispatch/plan.js';
import { checkDryRunFolder } from '../../build/out-folder.js';
import { smtpSettings } from '../../dispatch/transport.js';
import { AimqError, EXIT } from '../../errors/index.js';
import { formatNumber } from '../../i18n/text.js';
import { planSend } from '../../sending/campaign-setup.js';
import { deliver, sendingContext } from '../../sending/deliver.js';
import { dryRun, plannedDryRun } from '../../sending/dry-run.js';
import { requireEmail } from '../../sending/email-settings.js';
import { openExistingOutbox, openOutbox } from '../../sending/open-outbox.js';
import { loadSendable } from '../../sending/release-editions.js';
import { sendTest } from '../../sending/test-send.js';
import { DEFAULT_MAX_REFUSALS, refusedError } from '../../sending/refusals.js';
import { parseMaxRefusals, parsePositive } from '../../sending/tunables.js';
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
  maxRefusals?: string;
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
  const maxRefusals = opts.maxRefusals ? parseMaxRefusals(opts.maxRefusals) : DEFAULT_MAX_REFUSALS;
  if (!opts.test && !opts.to?.length)
    throw new AimqError(
      'AIMQ-USAGE',
      { fr: 'aucun destinataire', en: 'nobody to send to' },
      {
        hint: {
          fr: 'ajoutez --to lists/medias.csv (une liste ou une adresse\u00a0; répétez-le), ou --test votre@adresse pour un essai',
          en: 'add --to lists/medias.csv (a list or an address; repeat it), or --test your@address for a test',
        },
      },
    );
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
        io.stderr(
          io.t({
            fr: `[ESSAI] ${r.edition} → ${opts.test}\u00a0: ${TEST_OUTCOME_FR[r.result.outcome]} (${r.result.reply})`,
            en: `[TEST] ${r.edition} → ${opts.test}: ${r.result.outcome} (${r.result.reply})`,
          }),
        ),
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
  if (listReport.length) io.stderr(formatText(listReport, io.lang));
  if (lists.skipped.length) {
    const n = lists.skipped.length;
    io.stderr(
      io.t({
        fr: `${formatNumber(n, 'fr')} ${n < 2 ? 'ligne invalide ignorée' : 'lignes invalides ignorées'} (--skip-invalid)\u00a0: personne sur ${n < 2 ? 'cette ligne' : 'ces lignes'} ne recevra le communiqué.`,
        en: `${n} invalid line(s) skipped (--skip-invalid): nobody on them gets the release.`,
      }),
    );
  }

  if (opts.dryRun) {
    const out = opts.out
      ? resolve(io.cwd, opts.out)
      : join(config.root, '.aimq', 'dry-run', `${release.source.release.id}-${release.version}`);
    // Before the campaign is planned or a file written: a build would publish them.
    checkDryRunFolder(config.root, out, opts.out ?? out);
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
        const editions = editionCounts(r.byEdition);
        io.stderr(
          io.t({
            fr:
              `Essai à blanc\u00a0: ${frCount(r.messages, 'courriel serait envoyé', 'courriels seraient envoyés')} (${editions.fr})\u00a0; ${formatNumber(r.suppressed, 'fr')} ${r.suppressed < 2 ? 'exclu' : 'exclus'}\u00a0; ${formatNumber(r.already, 'fr')} ${r.already < 2 ? 'a' : 'ont'} déjà reçu ce communiqué. Rien n’a été envoyé.\n` +
              `La campagne ${r.campaign.id} est planifiée${r.isNew ? '' : ' (comme avant)'}\u00a0: ses liens de désabonnement fonctionnent dès maintenant, "aimq release send" avec le même communiqué et les mêmes listes l’envoie, "aimq outbox cancel ${r.campaign.id}" l’abandonne.`,
            en:
              `Dry run: ${r.messages} message(s) would be sent (${editions.en}); ${r.suppressed} suppressed; ${r.already} already received this release. Nothing was sent.\n` +
              `Campaign ${r.campaign.id} is planned${r.isNew ? '' : ' (as before)'}: its unsubscribe links work now, "aimq release send" with the same release and lists sends it, "aimq outbox cancel ${r.campaign.id}" drops it.`,
          }),
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
      const editions = editionCounts(r.byEdition);
      io.stderr(
        io.t({
          fr: `Essai à blanc\u00a0: ${frCount(r.messages, 'courriel serait envoyé', 'courriels seraient envoyés')} (${editions.fr})\u00a0; ${formatNumber(r.suppressed, 'fr')} ${r.suppressed < 2 ? 'exclu' : 'exclus'}\u00a0; ${r.noConsent ? `${formatNumber(r.noConsent, 'fr')} sans consentement valide (consentement tacite expiré)\u00a0; ` : ''}${formatNumber(r.already, 'fr')} ${r.already < 2 ? 'a' : 'ont'} déjà reçu ce communiqué. Rien n’a été envoyé.`,
          en: `Dry run: ${r.messages} message(s) would be sent (${editions.en}); ${r.suppressed} suppressed; ${r.noConsent ? `${r.noConsent} without valid consent (implied consent expired); ` : ''}${r.already} already received this release. Nothing was sent.`,
        }),
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
    const editions = editionCounts(plan.pending);
    const id = release.source.release.id;
    const fr = (v: number) => formatNumber(v, 'fr');
    io.stderr(
      io.t({
        fr: [
          `${id}\u00a0: campagne ${campaign.id}${plan.isNew ? ' (nouvelle)' : ' (reprise)'}`,
          `  à envoyer\u00a0: ${fr(toSend)} (${editions.fr}${counts.retry ? `, ${fr(counts.retry)} à réessayer` : ''})`,
          `  déjà envoyés\u00a0: ${fr(counts.sent)} · exclus\u00a0: ${fr(counts.suppressed)}${counts['no-consent'] ? ` · ${fr(counts['no-consent'])} sans consentement valide (consentement tacite expiré)` : ''} · ignorés (ont déjà reçu ce communiqué)\u00a0: ${fr(counts.cancelled)} · en échec\u00a0: ${fr(counts.failed)} · incertains\u00a0: ${fr(counts.uncertain)}`,
          ...(lists.skipped.length
            ? [
                `  lignes invalides ignorées\u00a0: ${fr(lists.skipped.length)} (listées par "aimq outbox show ${campaign.id}")`,
              ]
            : []),
          ...(plan.recovered
            ? [
                `  ${frCount(plan.recovered, 'courriel interrompu', 'courriels interrompus')} par un envoi précédent, ${plan.recovered < 2 ? 'maintenant incertain' : 'maintenant incertains'}\u00a0: voyez "aimq outbox show ${campaign.id}"`,
              ]
            : []),
        ].join('\n'),
        en: [
          `${id}: campaign ${campaign.id}${plan.isNew ? ' (new)' : ' (resumed)'}`,
          `  to send: ${toSend} (${editions.en}${counts.retry ? `, ${counts.retry} to retry` : ''})`,
          `  already sent: ${counts.sent} · suppressed: ${counts.suppressed}${counts['no-consent'] ? ` · ${counts['no-consent']} without valid consent (implied consent expired)` : ''} · skipped (already received this release): ${counts.cancelled} · failed: ${counts.failed} · uncertain: ${counts.uncertain}`,
          ...(lists.skipped.length
            ? [
                `  invalid lines skipped: ${lists.skipped.length} (listed by "aimq outbox show ${campaign.id}")`,
              ]
            : []),
          ...(plan.recovered
            ? [
                `  ${plan.recovered} message(s) were interrupted by an earlier run and are now uncertain: see "aimq outbox show ${campaign.id}"`,
              ]
            : []),
        ].join('\n'),
      }),
    );
    if (toSend === 0) {
      io.stderr(io.t({ fr: 'Rien à envoyer.', en: 'Nothing to send.' }));
      return counts.failed + counts.uncertain > 0 ? EXIT.sending : EXIT.ok;
    }
    const server = `${settings.host}:${settings.port}`;
    if (!opts.yes) {
      // A send that is not confirmed leaves no campaign behind.
      if (!io.confirm) {
        if (plan.isNew) await outbox.discard(campaign.id);
        throw new AimqError(
          'AIMQ-CONFIRM',
          {
            fr: `envoi de ${frCount(toSend, 'courriel', 'courriels')} refusé sans confirmation\u00a0: aucun terminal pour la demander`,
            en: `refusing to send ${toSend} message(s) without confirmation: no terminal to ask`,
          },
          {
            hint: {
              fr: 'ajoutez --yes pour envoyer sans confirmation (en CI, dans cron ou un script)',
              en: 'add --yes to send without asking (in CI, cron or a script)',
            },
          },
        );
      }
      if (
        !(await io.confirm(
          io.t({
            fr: `Envoyer ${frCount(toSend, 'courriel', 'courriels')} par ${server}\u00a0? [o/N] `,
            en: `Send ${toSend} message(s) through ${server}? [y/N] `,
          }),
        ))
      ) {
        if (plan.isNew) await outbox.discard(campaign.id);
        io.stderr(io.t({ fr: 'Rien n’a été envoyé.', en: 'Nothing was sent.' }));
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
        maxRefusals,
        watch: progressWatch(io),
        consentClock: clock,
      },
      campaign.replyTo ?? release.replyTo,
    );
    io.stderr(io.t(deliverySummary(campaign.id, result)));
    if (result.refused) throw refusedError(campaign.id, result.refused, result.left, 'same-command');
    return deliveryExit(result);
  } finally {
    await outbox.close();
  }
}

/** What became of a test message, in French (English prints the outcome's own name). */
const TEST_OUTCOME_FR = {
  sent: 'envoyé',
  retry: 'refusé pour l’instant',
  failed: 'refusé',
  uncertain: 'incertain',
  abort: 'abandonné',
} as const;

/** `n` and its noun in French (singular below 2), for lines written whole in each language. */
function frCount(n: number, one: string, many: string): string {
  return `${formatNumber(n, 'fr')} ${n < 2 ? one : many}`;
}
