import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  composeFor,
  planDelivery,
  recipientsOf,
  type ComposeContext,
  type Target,
} from '../dispatch/plan.js';
import type { Diagnostic } from '../errors/index.js';
import { dayIn } from '../lists/consent.js';
import type { Campaign, Outbox } from '../outbox/outbox.js';
import { editionMap, type SendingContext, suppressedForPlanning } from './deliver.js';
import type { SendableRelease } from './release-editions.js';

export interface DryRunResult {
  messages: number;
  byEdition: Record<string, number>;
  suppressed: number;
  /** Left out: implied consent expired on the send day. */
  noConsent: number;
  /** Already received this edition of the release in a campaign. */
  already: number;
  problems: Diagnostic[];
}

/** `--dry-run`: the .eml of each message a send would send, written to `out`; nothing sent, nothing recorded. */
export async function dryRun(
  release: SendableRelease,
  sending: SendingContext,
  targets: readonly Target[],
  /** Read only, to leave out who already received the release; absent when there is no outbox yet. */
  outbox: Outbox | undefined,
  out: string,
  resend: boolean,
  /** The send day consent is checked against. */
  now: number = Date.now(),
): Promise<DryRunResult> {
  const fake: Campaign = {
    id: 0,
    releaseId: release.source.release.id,
    releaseDir: release.source.release.dir,
    contentVersion: release.version,
    createdAt: 0,
    scheduledAt: null,
    status: 'ready',
    source: 'dry-run',
    targets: [],
    editionMode: release.mode,
  };
  const result: DryRunResult = {
    messages: 0,
    byEdition: {},
    suppressed: 0,
    noConsent: 0,
    already: 0,
    problems: [],
  };
  mkdirSync(out, { recursive: true });
  const ctx: ComposeContext = {
    config: sending.config,
    campaign: fake,
    editions: editionMap(release.editions),
    replyTo: release.replyTo,
    now: () => Date.now(),
    ...(sending.dkim ? { dkim: sending.dkim } : {}),
  };
  const seen = new Set<string>();
  const rules = {
    mode: release.mode,
    available: release.available,
    primary: release.primary,
    isSuppressed: await suppressedForPlanning(outbox, sending),
    resend,
    consent: { sendDay: dayIn(now, sending.config.timeZone), timeZone: sending.config.timeZone },
  };
  for await (const r of recipientsOf(targets, result.problems)) {
    if (seen.has(r.key)) continue;
    seen.add(r.key);
    const { edition, state } = await planDelivery(r, rules, outbox, fake);
    if (state === 'suppressed') result.suppressed++;
    if (state === 'no-consent') result.noConsent++;
    if (state === 'cancelled') result.already++;
    if (state) continue;
    const n = ++result.messages;
    result.byEdition[edition] = (result.byEdition[edition] ?? 0) + 1;
    const { raw } = await composeFor(ctx, { id: n, email: r.email, name: r.name, edition });
    writeFileSync(
      join(out, `${String(n).padStart(6, '0')}-${r.key.replace(/[^a-z0-9@._-]/g, '_')}.eml`),
      raw,
    );
  }
  return result;
}
