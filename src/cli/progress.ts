import type { Counts } from '../outbox/outbox.js';

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
    const finished = counts.sent + counts.failed + counts.uncertain + counts.suppressed + counts.cancelled;
    const elapsed = Math.max(1, t - this.started) / 1000;
    const rate = counts.sent / elapsed;
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
