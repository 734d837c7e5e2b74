import { EXIT } from '../errors/index.js';
import type { Counts } from '../outbox/outbox.js';
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
    const eta = rate > 0 && left > 0 ? ` · ${duration(left / rate)} left` : '';
    const stats = `${counts.sent}/${this.total} sent · ${counts.failed} failed${counts.uncertain ? ` · ${counts.uncertain} uncertain` : ''}${counts.retry ? ` · ${counts.retry} to retry` : ''} · ${rate.toFixed(1)}/s${eta}`;
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
export function progressWatch(io: Pick<Io, 'stderr' | 'isTTY'>): (total: number, before: Counts) => Progress {
  return (total, before) =>
    new Progress(
      total,
      (t) => io.stderr(t.replace(/\n$/, '')),
      io.isTTY,
      () => Date.now(),
      5000,
      before,
    );
}

export function editionCounts(byEdition: Record<string, number>): string {
  const parts = Object.entries(byEdition).map(([e, n]) => `${e} ${n}`);
  return parts.length ? parts.join(', ') : 'none';
}

/** What a send did, and what to do next. */
export function deliverySummary(campaignId: number, result: DeliverResult): string {
  const c = result.counts;
  const left = result.left;
  const lines = [
    `Campaign ${campaignId}: ${c.sent} sent, ${c.failed} failed, ${c.uncertain} uncertain, ${c.suppressed} suppressed,${c['no-consent'] ? ` ${c['no-consent']} without valid consent (implied consent expired),` : ''} ${c.cancelled} skipped${left ? `, ${left} not sent yet` : ''}.`,
  ];
  if (result.aborted) lines.push(`Stopped: ${result.aborted}`);
  else if (result.stopped && left)
    lines.push(`Stopped on request: run the same command again to send the ${left} left.`);
  else if (left) lines.push(`${left} message(s) wait for a retry: run the same command again later.`);
  if (c.failed || c.uncertain)
    lines.push(
      `See "aimq outbox show ${campaignId}"${c.uncertain ? `; "aimq outbox retry --uncertain ${campaignId}" resends the uncertain ones` : ''}.`,
    );
  return lines.join('\n');
}

/** 3 when anything failed, is uncertain, is left, or the send was aborted; 0 otherwise. */
export function deliveryExit(result: DeliverResult): number {
  const c = result.counts;
  return c.failed + c.uncertain > 0 || result.aborted || result.left > 0 ? EXIT.sending : EXIT.ok;
}
