import type { Outbox } from '../outbox/outbox.js';
import { ACTED, type Applied, type ApplyOptions, applyMessage } from './apply.js';
import type { MailboxEntry } from './files.js';
import type { ImapFolder } from './imap.js';
import { readMessage } from './message.js';

/** One message read, where it was, and what became of it. */
export interface Processed extends Applied {
  where: string;
}

/** Applies every message of an exported mailbox, in order. */
export async function processEntries(
  outbox: Outbox,
  entries: Iterable<MailboxEntry>,
  options: ApplyOptions,
): Promise<Processed[]> {
  const out: Processed[] = [];
  for (const e of entries)
    out.push({ ...(await applyMessage(outbox, await readMessage(e.raw), options)), where: e.where });
  return out;
}

/**
 * Applies every message of an IMAP folder, then moves those that changed the outbox to the
 * processed folder; the others stay where they are (a person reads them), and are recorded
 * as read, so they are never applied again. A message applied by an earlier run that was
 * stopped before its move is moved now.
 */
export async function processFolder(
  outbox: Outbox,
  folder: ImapFolder,
  options: ApplyOptions,
  shouldStop: () => boolean = () => false,
): Promise<{ results: Processed[]; moved: number }> {
  const results: Processed[] = [];
  const toMove: number[] = [];
  for (const { uid, messageId } of await folder.list()) {
    if (shouldStop()) break;
    // A message read before is not downloaded again: a folder where auto-replies pile up stays cheap to sync.
    const previously = messageId ? await outbox.processedMessage(messageId) : undefined;
    if (messageId && previously !== undefined) {
      results.push({
        messageKey: messageId,
        outcome: 'already-processed',
        suppressed: false,
        note: previously,
        previously,
        where: `UID ${uid}`,
      });
      if (ACTED.has(previously as never) && !options.dryRun) toMove.push(uid);
      continue;
    }
    const raw = await folder.fetch(uid);
    if (!raw) continue;
    const r = { ...(await applyMessage(outbox, await readMessage(raw), options)), where: `UID ${uid}` };
    results.push(r);
    const acted = ACTED.has(r.outcome) || (r.previously !== undefined && ACTED.has(r.previously as never));
    if (acted && !options.dryRun) toMove.push(uid);
  }
  await folder.moveProcessed(toMove);
  return { results, moved: toMove.length };
}
