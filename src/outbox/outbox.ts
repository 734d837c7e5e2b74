import { type CampaignStore, SqliteCampaigns } from './campaigns.js';
import type { Message } from '../i18n/text.js';
import { guarded } from './connection.js';
import { type InboxStore, SqliteInbox } from './inbox.js';
import { type DeliveryQueue, SqliteQueue } from './queue.js';
import { type OutboxReports, SqliteReports } from './reports.js';
import { SqliteSuppression, type SuppressionStore } from './suppression.js';
import { copyOutbox, type OpenOptions, openConnection } from './schema.js';

export * from './types.js';
export type { CampaignStore } from './campaigns.js';
export type { DeliveryQueue } from './queue.js';
export type { InboxEvent, InboxEventKind, InboxStore } from './inbox.js';
export type { OutboxReports } from './reports.js';
export type { StoredSuppression, SuppressionStore } from './suppression.js';

/**
 * The outbox: a durable record of every message aimq means to send. Its parts are the
 * campaigns (campaigns.ts), the queue of delivery rows with their leases (queue.ts, where
 * the states and the crash rules are), and the reports (reports.ts); the SQLite file, its
 * schema and migrations are schema.ts. Another backend provides this interface.
 */
export interface Outbox extends CampaignStore, DeliveryQueue, OutboxReports, SuppressionStore, InboxStore {
  /**
   * Runs `fn` in one transaction that no other process writes meanwhile, so that a
   * check-then-create cannot race: `fn` must make its calls on `tx`, the outbox bound to that
   * transaction, and await nothing else (no network, no timers) while it runs.
   */
  exclusive<T>(fn: (tx: Outbox) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` in one transaction, all or nothing, without keeping other processes out of the
   * rest of the outbox (on SQLite, the same as `exclusive`). Same rules for `fn`.
   */
  atomically<T>(fn: (tx: Outbox) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export const Outbox = {
  /** Copies the outbox at `path` to `dest`, consistent even while others write to it. */
  copy(path: string, shown: string, dest: string, options: OpenOptions = {}): void {
    copyOutbox(path, shown, dest, options);
  },

  /**
   * Opens (and creates or migrates) the SQLite outbox at `path`; `shown` names it in
   * messages. Every SQLite failure, then or later, is an AIMQ-OUTBOX error.
   */
  open(path: string, shown: Message = path, options: OpenOptions = {}): Outbox {
    const connection = openConnection(path, shown, options);
    const parts = [
      new SqliteCampaigns(connection),
      new SqliteQueue(connection),
      new SqliteReports(connection),
      new SqliteSuppression(connection),
      new SqliteInbox(connection),
    ] as const;
    const outbox: Record<string, unknown> = {};
    for (const part of parts) {
      const safe = guarded(part, shown);
      for (const name of Object.getOwnPropertyNames(Object.getPrototypeOf(part)))
        if (name !== 'constructor') outbox[name] = (safe as unknown as Record<string, unknown>)[name];
    }
    const control = guarded(
      {
        exclusive: <T>(fn: (tx: Outbox) => Promise<T>): Promise<T> =>
          connection.exclusiveAsync(() => fn(outbox as unknown as Outbox)),
        atomically: <T>(fn: (tx: Outbox) => Promise<T>): Promise<T> =>
          connection.exclusiveAsync(() => fn(outbox as unknown as Outbox)),
        close: async () => connection.close(),
      },
      shown,
    );
    outbox.exclusive = control.exclusive;
    outbox.atomically = control.atomically;
    outbox.close = control.close;
    return outbox as unknown as Outbox;
  },
};
