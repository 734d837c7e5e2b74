import { EXIT } from '../errors/index.js';
import type { Counts } from '../outbox/outbox.js';
import { formatNumber, inLang, type Lang, type Text } from '../i18n/text.js';
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
    // "x/y sent" counts against the messages that are to go out: rows left out (suppressed,
    // no consent, cancelled) would leave a finished send at "3/5 sent".
    const toSend = this.total - counts.suppressed - counts['no-consent'] - counts.cancelled;
    const n = (v: number) => formatNumber(v, this.lang);
    const perSecond = rate.toLocaleString(this.lang === 'fr' ? 'fr-CA' : 'en-CA', {
      minimumFractionDigits: 1,
      maximumFractionDigits: 1,
    });
    const stats =
      this.lang === 'fr'
        ? `${n(counts.sent)}/${n(toSend)} envoyés · ${n(counts.failed)} en échec${counts.uncertain ? ` · ${n(counts.uncertain)} ${counts.uncertain < 2 ? 'incertain' : 'incertains'}` : ''}${counts.retry ? ` · ${n(counts.retry)} à réessayer` : ''} · ${perSecond}/s${rate > 0 && left > 0 ? ` · encore ${duration(left / rate)}` : ''}`
        : `${counts.sent}/${toSend} sent · ${counts.failed} failed${counts.uncertain ? ` · ${counts.uncertain} uncertain` : ''}${counts.retry ? ` · ${counts.retry} to retry` : ''} · ${rate.toFixed(1)}/s${rate > 0 && left > 0 ? ` · ${duration(left / rate)} left` : ''}`;
    if (this.tty) {
      const width = 24;
      const filled = this.total ? Math.round((finished / this.total) * width) : width;
      this.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${stats}\x1b[K${done ? '\n' : ''}`);
    } else {
      this.write(`${stats}\n`);
    }
  }
}

export function duration(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
}

/** A progress display on standard error for `deliver`: a bar on a terminal, a line every few seconds elsewhere. */
export function progressWatch(
  io: Pick<Io, 'stderr' | 'isTTY'> & Partial<Pick<Io, 'lang'>>,
): (total: number, before: Counts) => Progress {
  return (total, before) =>
    new Progress(
      total,
      // A line is written as a line; a bar redrawn in place (\r) keeps the line break of its
      // last drawing, or what follows it (the summary) would be printed on the bar's line.
      (t) => io.stderr(t.startsWith('\r') ? t : t.replace(/\n$/, '')),
      io.isTTY,
      () => Date.now(),
      5000,
      before,
      io.lang,
    );
}

/** `fr 12, en 3`; « aucun » / `none` when there is nothing. */
export function editionCounts(byEdition: Record<string, number>): Text {
  const parts = (lang: Lang) =>
    Object.entries(byEdition)
      .map(([e, n]) => `${e} ${formatNumber(n, lang)}`)
      .join(', ');
  return Object.keys(byEdition).length ? { fr: parts('fr'), en: parts('en') } : { fr: 'aucun', en: 'none' };
}

/** What a send did, and what to do next. */
export function deliverySummary(campaignId: number, result: DeliverResult): Text {
  const c = result.counts;
  const left = result.left;
  const n = (v: number) => formatNumber(v, 'fr');
  const fr = [
    `Campagne ${campaignId}\u00a0: ${n(c.sent)} ${c.sent < 2 ? 'envoyé' : 'envoyés'}, ${n(c.failed)} en échec, ${n(c.uncertain)} ${c.uncertain < 2 ? 'incertain' : 'incertains'}, ${n(c.suppressed)} ${c.suppressed < 2 ? 'exclu' : 'exclus'},${c['no-consent'] ? ` ${n(c['no-consent'])} sans consentement valide (consentement tacite expiré),` : ''} ${n(c.cancelled)} ${c.cancelled < 2 ? 'ignoré' : 'ignorés'}${left ? `, ${n(left)} pas encore ${left < 2 ? 'envoyé' : 'envoyés'}` : ''}.`,
  ];
  const en = [
    `Campaign ${campaignId}: ${c.sent} sent, ${c.failed} failed, ${c.uncertain} uncertain, ${c.suppressed} suppressed,${c['no-consent'] ? ` ${c['no-consent']} without valid consent (implied consent expired),` : ''} ${c.cancelled} skipped${left ? `, ${left} not sent yet` : ''}.`,
  ];
  if (result.aborted) {
    fr.push(`Arrêté\u00a0: ${inLang(result.aborted, 'fr')}`);
    en.push(`Stopped: ${inLang(result.aborted, 'en')}`);
    if (left) {
      // Nothing of what is left was sent: say how to go on once the server is reachable.
      fr.push(
        `Vérifiez le serveur SMTP et ses réglages (aimq smtp verify), puis relancez la même commande pour envoyer les ${n(left)} restants.`,
      );
      en.push(
        `Check the SMTP server and its settings (aimq smtp verify), then run the same command again to send the ${left} left.`,
      );
    }
  } else if (result.refused) {
    // What the server said and what to do follow, in the error AIMQ-SEND-REFUSED.
  } else if (result.stopped && left) {
    fr.push(`Arrêté à votre demande\u00a0: relancez la même commande pour envoyer les ${n(left)} restants.`);
    en.push(`Stopped on request: run the same command again to send the ${left} left.`);
  } else if (left) {
    fr.push(
      `${n(left)} ${left < 2 ? 'message attend' : 'messages attendent'} une nouvelle tentative\u00a0: relancez la même commande plus tard.`,
    );
    en.push(`${left} message(s) wait for a retry: run the same command again later.`);
  }
  if (c.failed || c.uncertain) {
    fr.push(
      `Voyez "aimq outbox show ${campaignId}"${c.uncertain ? `\u00a0; "aimq outbox retry --uncertain ${campaignId}" renvoie les messages incertains` : ''}.`,
    );
    en.push(
      `See "aimq outbox show ${campaignId}"${c.uncertain ? `; "aimq outbox retry --uncertain ${campaignId}" resends the uncertain ones` : ''}.`,
    );
  }
  return { fr: fr.join('\n'), en: en.join('\n') };
}

/** 3 when anything failed, is uncertain, is left, or the send was aborted; 0 otherwise. */
export function deliveryExit(result: DeliverResult): number {
  const c = result.counts;
  return c.failed + c.uncertain > 0 || result.aborted || result.refused || result.left > 0
    ? EXIT.sending
    : EXIT.ok;
}
