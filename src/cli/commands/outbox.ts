import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { loadConfig } from '../../config/load.js';
import { AimqError, EXIT } from '../../errors/index.js';
import { formatNumber, type Text } from '../../i18n/text.js';
import type { Config } from '../../model/config.js';
import {
  DELIVERY_STATES,
  type Delivery,
  type DeliveryState,
  type InboxEvent,
  type Outbox,
} from '../../outbox/outbox.js';
import { describeSuppression } from '../../outbox/suppression.js';
import { describeReason } from '../../inbox/apply.js';
import { requeue } from '../../sending/retry.js';
import {
  campaignOf,
  openExistingOutbox,
  outboxLocation,
  outboxOfCampaign,
} from '../../sending/open-outbox.js';
import { isPostgresUrl, migrateSqliteToPostgres, redactUrl } from '../../outbox/store-url.js';
import { formatIsoWithOffset } from '../../time/zoned.js';
import { localTime } from '../local-time.js';
import type { Io } from '../main.js';

function openExisting(io: Io, config: Config): Promise<Outbox | undefined> {
  return openExistingOutbox(config, io.cwd, io.env);
}

/** The outbox that holds campaign `id`; AIMQ-CAMPAIGN-NOT-FOUND when there is no outbox at all. */
function campaignOutbox(io: Io, config: Config, id: string): Promise<Outbox> {
  return outboxOfCampaign(config, io.cwd, io.env, id, {
    fr: 'rien n’a encore été envoyé ni planifié depuis ce projet',
    en: 'nothing has been sent or scheduled from this project',
  });
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => [...(r[i] ?? '')].length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => (/^\d+$/.test(c) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** `aimq outbox list`. */
export async function outboxListCommand(io: Io): Promise<number> {
  const config = loadConfig(io.cwd, io.cwd);
  const outbox = await openExisting(io, config);
  if (!outbox) {
    const shown = relative(io.cwd, config.outbox);
    io.stderr(
      io.t({
        fr: `Pas encore de boîte d’envoi (${shown})\u00a0: rien n’a été envoyé ni planifié.`,
        en: `No outbox yet (${shown}): nothing has been sent or scheduled.`,
      }),
    );
    return EXIT.ok;
  }
  try {
    const campaigns = await outbox.campaigns();
    if (!campaigns.length) {
      io.stderr(io.t({ fr: 'La boîte d’envoi n’a aucune campagne.', en: 'The outbox has no campaign.' }));
      return EXIT.ok;
    }
    const counted = await Promise.all(campaigns.map(async (c) => ({ c, n: await outbox.counts(c.id) })));
    // Shown only when some campaign left someone out for want of consent (CASL): most outboxes never do.
    const consent = counted.some(({ n }) => n['no-consent'] > 0);
    const header: Text[] = [
      { fr: 'id', en: 'id' },
      { fr: 'communiqué', en: 'release' },
      { fr: 'état', en: 'status' },
      { fr: 'prévue', en: 'scheduled' },
      { fr: 'envoyés', en: 'sent' },
      { fr: 'échecs', en: 'failed' },
      { fr: 'incertains', en: 'uncertain' },
      { fr: 'en attente', en: 'waiting' },
      { fr: 'exclus', en: 'suppressed' },
      ...(consent ? [{ fr: 'sans consentement', en: 'no-consent' }] : []),
      { fr: 'ignorés', en: 'skipped' },
      { fr: 'source', en: 'source' },
    ];
    const rows = [header.map((h) => io.t(h))];
    for (const { c, n } of counted) {
      rows.push([
        String(c.id),
        c.releaseId,
        c.status,
        localTime(c.scheduledAt, config.timeZone, io.lang),
        String(n.sent),
        String(n.failed),
        String(n.uncertain),
        String(n.pending + n.retry + n.claimed + n.sending),
        String(n.suppressed),
        ...(consent ? [String(n['no-consent'])] : []),
        String(n.cancelled),
        c.source,
      ]);
    }
    io.stdout(table(rows));
    return EXIT.ok;
  } finally {
    await outbox.close();
  }
}

/**
 * Rows the suppression list kept from being sent say which entry did it (reason, how it came,
 * the campaign whose link was used, when): "on the suppression list: unsubscribe via one-click, campaign 3, …".
 */
async function withSuppressionNotes(outbox: Outbox, rows: Delivery[]): Promise<Delivery[]> {
  if (!rows.some((r) => r.state === 'suppressed')) return rows;
  const entries = new Map((await outbox.suppression()).map((s) => [s.email.toLowerCase(), s]));
  return rows.map((r) => {
    const entry = r.state === 'suppressed' ? entries.get(r.emailKey) : undefined;
    return entry ? { ...r, lastReply: `${r.lastReply ?? 'suppressed'}: ${describeSuppression(entry)}` } : r;
  });
}

/** `aimq outbox show <campaign>`. */
export async function outboxShowCommand(
  io: Io,
  id: string,
  opts: { state?: string; format: 'text' | 'csv' | 'json' },
): Promise<number> {
  const config = loadConfig(io.cwd, io.cwd);
  const outbox = await campaignOutbox(io, config, id);
  try {
    const c = await campaignOf(outbox, id);
    const rows = await withSuppressionNotes(
      outbox,
      await outbox.deliveries(c.id, opts.state as DeliveryState | undefined),
    );
    const when = (t: number | null) => (t === null ? '' : formatIsoWithOffset(t, config.timeZone));
    // What the bounce mailbox said about each row (aimq inbox): the event that decides most
    // (a complaint, an unsubscribe, a hard bounce, then a soft one), the latest of its kind:
    // a soft bounce read after a complaint does not hide it.
    const weight = { complaint: 3, unsubscribe: 2, hard: 1, soft: 0 } as const;
    const heard = new Map<number, InboxEvent>();
    for (const e of await outbox.inboxEvents(c.id)) {
      const seen = heard.get(e.deliveryId);
      if (
        !seen ||
        weight[e.kind] > weight[seen.kind] ||
        (weight[e.kind] === weight[seen.kind] && e.at >= seen.at)
      )
        heard.set(e.deliveryId, e);
    }
    const bounceOf = (id: number): string => {
      const e = heard.get(id);
      if (!e) return '';
      const words = describeReason(e.status, e.diagnostic);
      return `${e.kind === 'hard' || e.kind === 'soft' ? `${e.kind} bounce` : e.kind}${words ? `: ${words}` : ''}`;
    };
    if (opts.format === 'json') {
      io.stdout(
        JSON.stringify(
          {
            campaign: c,
            counts: await outbox.counts(c.id),
            deliveries: rows.map((r) => {
              const e = heard.get(r.id);
              return e
                ? {
                    ...r,
                    inbox: { kind: e.kind, status: e.status, diagnostic: e.diagnostic, at: when(e.at) },
                  }
                : r;
            }),
            skipped: await outbox.skipped(c.id),
          },
          null,
          2,
        ),
      );
      return EXIT.ok;
    }
    if (opts.format === 'csv') {
      const q = (v: string | number | null) =>
        v === null ? '' : /[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v);
      io.stdout(
        [
          'email,edition,state,attempts,updated,sent,message_id,last_reply,inbox',
          ...rows.map((r) =>
            [
              r.email,
              r.edition,
              r.state,
              r.attempts,
              when(r.updatedAt),
              when(r.sentAt),
              r.messageId,
              r.lastReply,
              bounceOf(r.id),
            ]
              .map(q)
              .join(','),
          ),
        ].join('\n'),
      );
      return EXIT.ok;
    }
    const n = await outbox.counts(c.id);
    const skipped = await outbox.skipped(c.id);
    const fr = io.lang === 'fr';
    const lt = (t: number | null) => localTime(t, config.timeZone, io.lang);
    const counts =
      DELIVERY_STATES.filter((s) => n[s])
        .map((s) => `${s} ${io.lang === 'fr' ? formatNumber(n[s], 'fr') : n[s]}`)
        .join(' · ') || io.t({ fr: 'aucun destinataire', en: 'no recipients' });
    io.stdout(
      [
        fr
          ? `Campagne ${c.id}\u00a0: ${c.releaseId} (${c.releaseDir}), ${c.status}, source ${c.source}`
          : `Campaign ${c.id}: ${c.releaseId} (${c.releaseDir}), ${c.status}, from ${c.source}`,
        fr
          ? `  créée le ${lt(c.createdAt)}${c.scheduledAt ? `, prévue le ${lt(c.scheduledAt)}` : ''}\u00a0; édition ${c.editionMode}\u00a0; à ${c.targets.join(', ') || '—'}`
          : `  created ${lt(c.createdAt)}${c.scheduledAt ? `, scheduled for ${lt(c.scheduledAt)}` : ''}; edition ${c.editionMode}; to ${c.targets.join(', ') || '—'}`,
        `  ${counts}`,
        '',
        rows.length
          ? table([
              [
                io.t({ fr: 'courriel', en: 'email' }),
                io.t({ fr: 'édition', en: 'edition' }),
                io.t({ fr: 'état', en: 'state' }),
                io.t({ fr: 'essais', en: 'tries' }),
                ...(heard.size ? [io.t({ fr: 'boîte de réception', en: 'inbox' })] : []),
                io.t({ fr: 'dernière réponse', en: 'last reply' }),
              ],
              ...rows.map((r) => [
                r.email,
                r.edition,
                r.state,
                String(r.attempts),
                ...(heard.size ? [bounceOf(r.id).slice(0, 80)] : []),
                (r.lastReply ?? '').slice(0, 80),
              ]),
            ])
          : io.t({ fr: '(aucune ligne)', en: '(no rows)' }),
        ...(skipped.length
          ? [
              '',
              io.t({
                fr: `Lignes invalides ignorées (--skip-invalid), ${formatNumber(skipped.length, 'fr')}\u00a0: personne sur ces lignes n’a rien reçu`,
                en: `Invalid lines skipped (--skip-invalid), ${skipped.length}: nobody on them was sent anything`,
              }),
              ...skipped.map((l) => `  ${l.file}:${l.line}: ${l.message} [${l.code}]`),
            ]
          : []),
      ].join('\n'),
    );
    return EXIT.ok;
  } finally {
    await outbox.close();
  }
}

/** `aimq outbox retry [campaign] [--uncertain]`. */
export async function outboxRetryCommand(
  io: Io,
  id: string | undefined,
  opts: { uncertain?: boolean },
): Promise<number> {
  const config = loadConfig(io.cwd, io.cwd);
  const outbox = await openExisting(io, config);
  if (!outbox)
    throw new AimqError(
      'AIMQ-CAMPAIGN-NOT-FOUND',
      { fr: 'il n’y a pas encore de boîte d’envoi', en: 'there is no outbox yet' },
      {
        hint: {
          fr: 'rien n’a encore été envoyé depuis ce projet',
          en: 'nothing has been sent from this project',
        },
      },
    );
  try {
    const c = id === undefined ? undefined : await campaignOf(outbox, id);
    const { queued, uncertainLeft } = await requeue(outbox, c, Boolean(opts.uncertain), Date.now());
    // dispatch only sends scheduled campaigns: one sent by hand is resumed by release send.
    const them = queued < 2 ? 'l’envoyer' : 'les envoyer';
    const how: Text = !c
      ? {
          fr: `Relancez le même "aimq release send" pour ${them} (ou "aimq dispatch", pour une campagne planifiée).`,
          en: 'Run the same "aimq release send" to send them (or "aimq dispatch", for a scheduled campaign).',
        }
      : c.scheduledAt === null
        ? {
            fr: `Relancez le même "aimq release send ${c.releaseDir}" pour ${them}.`,
            en: `Run the same "aimq release send ${c.releaseDir}" to send them.`,
          }
        : {
            fr: `"aimq dispatch" ${queued < 2 ? 'l’envoie' : 'les envoie'} à sa prochaine tournée.`,
            en: '"aimq dispatch" sends them at its next round.',
          };
    io.stdout(
      io.t({
        fr: `${formatNumber(queued, 'fr')} ${queued < 2 ? 'courriel remis' : 'courriels remis'} dans la file${c ? ` de la campagne ${c.id}` : ''}. ${how.fr}`,
        en: `${queued} message(s) queued again${c ? ` in campaign ${c.id}` : ''}. ${how.en}`,
      }),
    );
    if (uncertainLeft)
      io.stderr(
        io.t({
          fr: `${formatNumber(uncertainLeft, 'fr')} ${uncertainLeft < 2 ? 'courriel incertain laissé tel quel\u00a0: il a peut-être été livré' : 'courriels incertains laissés tels quels\u00a0: ils ont peut-être été livrés'}. Cherchez leur Message-ID dans les journaux du serveur, puis utilisez --uncertain pour les renvoyer.`,
          en: `${uncertainLeft} uncertain message(s) left as they are: they may have been delivered. Check the server's logs for their Message-ID, then use --uncertain to resend them.`,
        }),
      );
    return EXIT.ok;
  } finally {
    await outbox.close();
  }
}

/** `aimq outbox cancel <campaign>`. */
export async function outboxCancelCommand(io: Io, id: string): Promise<number> {
  const config = loadConfig(io.cwd, io.cwd);
  const outbox = await campaignOutbox(io, config, id);
  try {
    const c = await campaignOf(outbox, id);
    const n = await outbox.cancel(c.id, Date.now());
    const left = await outbox.counts(c.id);
    io.stdout(
      io.t({
        fr: `Campagne ${c.id} annulée\u00a0: ${formatNumber(n, 'fr')} ${n < 2 ? 'courriel ne sera pas envoyé' : 'courriels ne seront pas envoyés'}\u00a0; ${formatNumber(left.sent, 'fr')} déjà ${left.sent < 2 ? 'envoyé reste consigné' : 'envoyés restent consignés'}.`,
        en: `Campaign ${c.id} cancelled: ${n} message(s) will not be sent; ${left.sent} already sent stay on record.`,
      }),
    );
    return EXIT.ok;
  } finally {
    await outbox.close();
  }
}

/** `aimq outbox migrate-to <url>`: the project's SQLite outbox copied, once, into an empty PostgreSQL one. */
export async function outboxMigrateToCommand(io: Io, url: string): Promise<number> {
  const config = loadConfig(io.cwd, io.cwd);
  if (!isPostgresUrl(url))
    throw new AimqError(
      'AIMQ-USAGE',
      {
        fr: `migrate-to\u00a0: "${redactUrl(url)}" n’est pas une URL postgres://`,
        en: `migrate-to: "${redactUrl(url)}" is not a postgres:// URL`,
      },
      {
        hint: {
          fr: 'par exemple\u00a0: aimq outbox migrate-to postgres://aimq@db.example.org/aimq (le mot de passe dans PGPASSWORD)',
          en: 'for example: aimq outbox migrate-to postgres://aimq@db.example.org/aimq (the password in PGPASSWORD)',
        },
      },
    );
  const from = outboxLocation(config, { ...io.env, AIMQ_OUTBOX_URL: '' });
  if (isPostgresUrl(from))
    throw new AimqError(
      'AIMQ-USAGE',
      {
        fr: 'migrate-to déplace une boîte d’envoi SQLite, et `outbox:` désigne déjà une boîte PostgreSQL',
        en: 'migrate-to moves a SQLite outbox, and outbox: already names a PostgreSQL one',
      },
      { hint: { fr: 'rien à déplacer', en: 'nothing to move' } },
    );
  const shown = relative(io.cwd, from) || from;
  if (!existsSync(from))
    throw new AimqError(
      'AIMQ-OUTBOX',
      {
        fr: `aucune boîte d’envoi à déplacer\u00a0: ${shown} n’existe pas`,
        en: `no outbox to move: ${shown} does not exist`,
      },
      {
        file: shown,
        hint: {
          fr: 'rien n’a été envoyé ni planifié depuis ce projet\u00a0: réglez `outbox:` (ou AIMQ_OUTBOX_URL) sur l’URL et commencez là',
          en: 'nothing has been sent or scheduled from this project: set outbox: (or AIMQ_OUTBOX_URL) to the URL and start there',
        },
      },
    );
  const { campaigns, deliveries, suppressed } = await migrateSqliteToPostgres(from, shown, url);
  const to = redactUrl(url);
  const fr = (v: number, one: string, many: string) => `${formatNumber(v, 'fr')} ${v < 2 ? one : many}`;
  io.stdout(
    io.t({
      fr: `${fr(campaigns, 'campagne copiée', 'campagnes copiées')}, ${fr(deliveries, 'ligne', 'lignes')} et ${fr(suppressed, 'adresse exclue', 'adresses exclues')}, de ${shown} vers ${to}.`,
      en: `Copied ${campaigns} campaign(s) and ${deliveries} row(s), and ${suppressed} suppressed address(es), from ${shown} to ${to}.`,
    }),
  );
  io.stderr(
    io.t({
      fr: `Ensuite\u00a0: écrivez "outbox: <l’URL>" dans aimq.config.yaml (ou AIMQ_OUTBOX_URL, le mot de passe dans PGPASSWORD), et gardez ${shown} comme sauvegarde du déplacement\u00a0; aimq n’y écrit plus.`,
      en: `Next: set "outbox: <the URL>" in aimq.config.yaml (or AIMQ_OUTBOX_URL, the password in PGPASSWORD), and keep ${shown} as the backup of the move; aimq no longer writes to it.`,
    }),
  );
  return EXIT.ok;
}
