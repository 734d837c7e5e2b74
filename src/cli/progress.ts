import { EXIT } from '../errors/index.js';
import type { Counts } from '../outbox/outbox.js';
import { counted, formatNumber, type Lang, type Text, textOf } from '../i18n/text.js';
import type { DeliverResult } from '../sending/deliver.js';
import type { Io } from './main.js';

/**
 * Progress of a send: a bar redrawn in place on a terminal, or a plain line every few
 * seconds otherwise (CI logs, cron mail). Time is passed in.
 */
export class Progress {
  private lastLine = 0;
  private readonly started: number;

  constructor(
    private readonly total: number,
    private readonly write: (text: string) => void,
    private readonly tty: boolean,
    private readonly now: () => number,
    private readonly everyMs = 5000,
    /** Counts when this run started: what earlier runs sent is no part of this one's rate. */
    private readonly before: Pick<Counts, 'sent'> = { sent: 0 },
    private readonly lang: Lang = 'en',
  ) {
    this.started = now();
  }

  /** `counts` is only called when a line is due: counting a large campaign after every message would cost more than sending. */
  update(counts: () => Counts, done = false): void {
    const t = this.now();
    if (!done && !this.tty && t - this.lastLine < this.everyMs) return;
    if (!done && this.tty && t - this.lastLine < 100) return;
    this.lastLine = t;
    this.print(counts(), t, done);
  }

  private print(counts: Counts, t: number, done: boolean): void {
    const finished =
      counts.sent +
      counts.failed +
      counts.uncertain +
      counts.suppressed +
      counts['no-consent'] +
      counts.cancelled;
    // Under a second, a rate says nothing (one message in 10 ms is not 100/s).
    const elapsed = Math.max(1000, t - this.started) / 1000;
    const rate = Math.max(0, counts.sent - this.before.sent) / elapsed;
    const left = this.total - finished;
    const stats = progressStats(counts, this.total, rate, rate > 0 && left > 0 ? left / rate : 0)[this.lang];
    if (this.tty) {
      const width = 24;
      const filled = this.total ? Math.round((finished / this.total) * width) : width;
      this.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${stats}\x1b[K${done ? '\n' : ''}`);
    } else {
      this.write(`${stats}\n`);
    }
  }
}

/** One progress line's figures: sent of total, failures, rate and time left (0: unknown or none). */
function progressStats(counts: Counts, total: number, rate: number, secondsLeft: number): Text {
  const eta = secondsLeft ? duration(secondsLeft) : '';
  return {
    fr: `${formatNumber(counts.sent, 'fr')}/${formatNumber(total, 'fr')} envoyé${counts.sent < 2 ? '' : 's'} · ${counted(counts.failed, { fr: ['en échec', 'en échec'], en: ['', ''] }).fr}${counts.uncertain ? ` · ${counted(counts.uncertain, { fr: ['incertain', 'incertains'], en: ['', ''] }).fr}` : ''}${counts.retry ? ` · ${formatNumber(counts.retry, 'fr')} à réessayer` : ''} · ${rate.toLocaleString('fr-CA', { minimumFractionDigits: 1, maximumFractionDigits: 1 })}/s${eta ? ` · ${eta} restant${secondsLeft < 2 ? '' : 'es'}` : ''}`,
    en: `${counts.sent}/${total} sent · ${counts.failed} failed${counts.uncertain ? ` · ${counts.uncertain} uncertain` : ''}${counts.retry ? ` · ${counts.retry} to retry` : ''} · ${rate.toFixed(1)}/s${eta ? ` · ${eta} left` : ''}`,
  };
}

/** A duration as both languages write it (the SI symbols: 2 min 5 s, 1 h 10 min). */
export function duration(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
}

/** A progress display on standard error for `deliver`: a bar on a terminal, a line every few seconds elsewhere. */
export function progressWatch(
  io: Pick<Io, 'stderr' | 'isTTY' | 'lang'>,
): (total: number, before: Counts) => Progress {
  return (total, before) =>
    new Progress(
      total,
      (t) => io.stderr(t.replace(/\n$/, '')),
      io.isTTY,
      () => Date.now(),
      5000,
      before,
      io.lang,
    );
}

/** Messages per edition, `fr 3, en 2` (or none), in `lang`. */
export function editionCounts(byEdition: Record<string, number>, lang: Lang = 'en'): string {
  const parts = Object.entries(byEdition).map(([e, n]) => `${e} ${formatNumber(n, lang)}`);
  return parts.length ? parts.join(', ') : lang === 'fr' ? 'aucun' : 'none';
}

/** What a send did, and what to do next, in `lang`. */
export function deliverySummary(campaignId: number, result: DeliverResult, lang: Lang = 'en'): string {
  return deliverySummaryText(campaignId, result)[lang];
}

/** What a send did, and what to do next, in both languages. */
export function deliverySummaryText(campaignId: number, result: DeliverResult): Text {
  const c = result.counts;
  const left = result.left;
  const n = (x: number) => formatNumber(x, 'fr');
  // French past participles agree with « messages »: singular below 2.
  const fr = (x: number, sing: string, plur: string) => counted(x, { fr: [sing, plur], en: ['', ''] }).fr;
  const lines: Text[] = [
    {
      fr: `Campagne ${campaignId}\u00a0: ${fr(c.sent, 'envoyé', 'envoyés')}, ${n(c.failed)} en échec, ${fr(c.uncertain, 'incertain', 'incertains')}, ${fr(c.suppressed, 'exclu', 'exclus')},${c['no-consent'] ? ` ${n(c['no-consent'])} sans consentement valide (consentement tacite expiré),` : ''} ${fr(c.cancelled, 'écarté', 'écartés')}${left ? `, ${fr(left, 'pas encore envoyé', 'pas encore envoyés')}` : ''}.`,
      en: `Campaign ${campaignId}: ${c.sent} sent, ${c.failed} failed, ${c.uncertain} uncertain, ${c.suppressed} suppressed,${c['no-consent'] ? ` ${c['no-consent']} without valid consent (implied consent expired),` : ''} ${c.cancelled} skipped${left ? `, ${left} not sent yet` : ''}.`,
    },
  ];
  if (result.aborted) {
    const why = result.aborted;
    lines.push({ fr: `Arrêt\u00a0: ${why}`, en: `Stopped: ${why}` });
  } else if (result.stopped && left)
    lines.push({
      fr: `Arrêté à votre demande\u00a0: relancez la même commande pour envoyer ${left < 2 ? 'le message restant' : `les ${n(left)} messages restants`}.`,
      en: `Stopped on request: run the same command again to send the ${left} left.`,
    });
  else if (left)
    lines.push({
      fr: `${counted(left, { fr: ['message attend', 'messages attendent'], en: ['', ''] }).fr} une nouvelle tentative\u00a0: relancez la même commande plus tard.`,
      en: `${left} message(s) wait for a retry: run the same command again later.`,
    });
  if (c.failed || c.uncertain)
    lines.push({
      fr: `Voir «\u00a0aimq outbox show ${campaignId}\u00a0»${c.uncertain ? `\u00a0; «\u00a0aimq outbox retry --uncertain ${campaignId}\u00a0» renvoie les messages incertains` : ''}.`,
      en: `See "aimq outbox show ${campaignId}"${c.uncertain ? `; "aimq outbox retry --uncertain ${campaignId}" resends the uncertain ones` : ''}.`,
    });
  return textOf((lang) => lines.map((l) => l[lang]).join('\n'));
}

/** 3 when anything failed, is uncertain, is left, or the send was aborted; 0 otherwise. */
export function deliveryExit(result: DeliverResult): number {
  const c = result.counts;
  return c.failed + c.uncertain > 0 || result.aborted || result.left > 0 ? EXIT.sending : EXIT.ok;
}
