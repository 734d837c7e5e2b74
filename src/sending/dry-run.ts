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
import { planSend } from './campaign-setup.js';
import { isOneClick, unsubscribeUrl, withToken } from '../message/unsubscribe.js';
import { signUnsubscribeToken } from '../message/unsubscribe-token.js';

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

export interface PlannedDryRunResult {
  campaign: Campaign;
  isNew: boolean;
  messages: number;
  byEdition: Record<string, number>;
  suppressed: number;
  already: number;
  /** Each message's recipient and one-click URL (when unsubscribe.url is one), in row order. */
  links: { email: string; url?: string }[];
}

/**
 * `--dry-run` when messages carry unsubscribe tokens. A token names a row of the outbox, so
 * the dry run plans the campaign for real — the same campaign and rows `release send` then
 * resumes (it finds the campaign by release and content) — and writes each row's message as
 * it will leave: the links it shows are the ones recipients get, and a POST to one of them
 * suppresses that recipient before the send. Planning on a throwaway copy would show ids that
 * another send could take first. Nothing is sent; `aimq outbox cancel` drops the plan.
 */
export async function plannedDryRun(
  outbox: Outbox,
  release: SendableRelease,
  sending: SendingContext,
  targets: readonly Target[],
  out: string,
  o: { resend: boolean; skipped: readonly Diagnostic[]; now: number },
): Promise<PlannedDryRunResult> {
  const plan = await planSend(outbox, release, sending, targets, o);
  const { campaign } = plan;
  mkdirSync(out, { recursive: true });
  const ctx: ComposeContext = {
    config: sending.config,
    campaign,
    editions: editionMap(release.editions),
    replyTo: campaign.replyTo ?? release.replyTo,
    now: () => Date.now(),
    ...(sending.dkim ? { dkim: sending.dkim } : {}),
    ...(sending.unsubscribeSecret ? { unsubscribeSecret: sending.unsubscribeSecret } : {}),
  };
  const oneClick = unsubscribeUrl(sending.config.email!);
  const result: PlannedDryRunResult = {
    campaign,
    isNew: plan.isNew,
    messages: 0,
    byEdition: {},
    suppressed: plan.counts.suppressed,
    already: plan.counts.cancelled,
    links: [],
  };
  const rows = (await outbox.deliveries(campaign.id)).filter(
    (d) => d.state === 'pending' || d.state === 'retry',
  );
  for (const d of rows) {
    const n = ++result.messages;
    result.byEdition[d.edition] = (result.byEdition[d.edition] ?? 0) + 1;
    const { raw } = await composeFor(ctx, d);
    writeFileSync(
      join(out, `${String(n).padStart(6, '0')}-${d.emailKey.replace(/[^a-z0-9@._-]/g, '_')}.eml`),
      raw,
    );
    result.links.push({
      email: d.email,
      ...(sending.unsubscribeSecret && isOneClick(oneClick)
        ? { url: withToken(oneClick, signUnsubscribeToken(sending.unsubscribeSecret, campaign.id, d.id)) }
        : {}),
    });
  }
  return result;
}
