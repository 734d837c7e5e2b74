import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { findReleaseDirs } from '../../build/discover.js';
import { loadConfig } from '../../config/load.js';
import {
  composeFor,
  contentVersion,
  messageIdFor,
  parseTargets,
  planDelivery,
  planRecipients,
  recipientsOf,
  renderEditions,
  type EditionMode,
} from '../../dispatch/plan.js';
import { runCampaign } from '../../dispatch/run.js';
import {
  createSmtpTransport,
  smtpSettings,
  type MailTransport,
  type SmtpSettings,
} from '../../dispatch/transport.js';
import { AimqError, EXIT, type Diagnostic } from '../../errors/index.js';
import { loadForEmail } from '../../export/export.js';
import { appendSuppression, SuppressionWatcher } from '../../lists/suppression.js';
import { loadDkimKey } from '../../message/dkim-key.js';
import type { Config } from '../../model/config.js';
import { Outbox, type Campaign, type StoredEdition } from '../../outbox/outbox.js';
import { emailEditions } from '../../render-email/edition.js';
import { loadEmailLayout } from '../../render-email/layout.js';
import { createTemplateEngine } from '../../templating/engine.js';
import { commandClock } from '../../time/clock.js';
import type { Io } from '../main.js';
import { Progress } from '../progress.js';
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
  resend?: boolean;
  insecure?: boolean;
  embedImages?: boolean;
}

/** Tunables that tests shorten through the environment; the defaults suit a real server. */
export function sendTunables(env: NodeJS.ProcessEnv) {
  const num = (name: string, fallback: number) =>
    env[name] && Number.isFinite(Number(env[name])) ? Number(env[name]) : fallback;
  return {
    retryBaseMs: num('AIMQ_RETRY_BASE_MS', 15_000),
    maxRetryWaitMs: num('AIMQ_MAX_RETRY_WAIT_MS', 10 * 60_000),
    maxAttempts: num('AIMQ_MAX_ATTEMPTS', 5),
    timeoutMs: num('AIMQ_SMTP_TIMEOUT_MS', 60_000),
    leaseMs: num('AIMQ_LEASE_MS', 10 * 60_000),
  };
}

/**
 * This boot of the machine (Linux), or '' where it cannot be known. A process that died
 * during the boot that is still running left every commit it made in the page cache, so
 * the outbox has them all, fsync'd or not.
 */
const BOOT = (() => {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return '';
  }
})();

/** `host:pid:random[:boot]`: the lease owner of this process. */
export function leaseOwner(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}${BOOT ? `:${BOOT}` : ''}`;
}

/** A lease owner on this host whose process is gone holds nothing any more. */
export function ownerIsDead(owner: string): boolean {
  const [host, pid] = owner.split(':');
  if (host !== hostname() || !pid) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** A dead owner that died without the machine going down since: see Outbox.recoverAbandoned. */
export function ownerDiedOnThisBoot(owner: string): boolean {
  const boot = owner.split(':')[3];
  return Boolean(BOOT) && boot === BOOT && ownerIsDead(owner);
}

export function parsePositive(value: string, option: string): number {
  const n = Number(value.replace(/\/s$/, ''));
  if (!Number.isFinite(n) || n <= 0)
    throw new AimqError('AIMQ-USAGE', `${option}: "${value}" is not a positive number`, {
      hint: option === '--rate' ? 'for example --rate 10/s' : 'for example --connections 3',
    });
  return n;
}

export function requireEmail(config: Config): void {
  if (!config.email) {
    throw new AimqError(
      'AIMQ-EMAIL-CONFIG',
      `${config.file} has no email: settings, which sending needs (sender, unsubscribe)`,
      { file: config.file, hint: 'add email: { from: "Name <address>", unsubscribe: { mailto: address } }' },
    );
  }
  if (!config.organization.postalAddress) {
    throw new AimqError(
      'AIMQ-EMAIL-CONFIG',
      'organization.postalAddress is missing: Canada’s anti-spam law requires it in every message',
      { file: config.file, hint: 'add organization.postalAddress' },
    );
  }
}

/** `aimq release send`: plan a campaign in the outbox, confirm, send, report. */
export async function sendCommand(io: Io, dir: string, opts: SendCommandOptions): Promise<number> {
  const config = loadConfig(io.cwd, io.cwd);
  requireEmail(config);
  const connections = Math.floor(parsePositive(opts.connections, '--connections'));
  const rate = opts.rate ? parsePositive(opts.rate, '--rate') : 0;
  if (!opts.test && !opts.to?.length)
    throw new AimqError('AIMQ-USAGE', 'nobody to send to', {
      hint: 'add --to lists/medias.csv (a list or an address; repeat it), or --test your@address for a test',
    });
  const [dirAbs] = findReleaseDirs(config.root, io.cwd, [dir]);
  const source = loadForEmail(dirAbs!, config);
  const available = emailEditions(source.release);
  const mode = opts.edition as EditionMode;
  if (mode !== 'auto' && !available.includes(mode))
    throw new AimqError('AIMQ-EDITION', `${source.release.dir} has no ${mode} edition`, {
      file: source.release.dir,
      hint: `its editions are: ${available.join(', ')}`,
    });
  const layout = await loadEmailLayout(
    createTemplateEngine('email', config.root),
    join(config.root, '.aimq'),
  );
  const dkim = loadDkimKey(config, io.env);
  const editions = renderEditions(
    source,
    config,
    layout,
    Boolean(opts.embedImages),
    commandClock(undefined, io.env, config.timeZone)(),
  );
  const version = contentVersion(editions);
  const suppressionFile = join(config.root, 'lists', 'suppression.csv');
  const suppression = new SuppressionWatcher(suppressionFile);
  const tunables = sendTunables(io.env);

  if (opts.test)
    return sendTest(io, config, source, editions, opts.test, {
      connections,
      insecure: Boolean(opts.insecure),
      timeoutMs: tunables.timeoutMs,
      dkim,
    });

  const targets = parseTargets(opts.to ?? [], io.cwd, config.root);
  const primary = source.release.editions[0]!.lang;

  if (opts.dryRun) {
    const out = opts.out
      ? resolve(io.cwd, opts.out)
      : join(config.root, '.aimq', 'dry-run', `${source.release.id}-${version}`);
    const outbox = existsSync(config.outbox)
      ? Outbox.open(config.outbox, relative(io.cwd, config.outbox))
      : undefined;
    const fake: Campaign = {
      id: 0,
      releaseId: source.release.id,
      releaseDir: source.release.dir,
      contentVersion: version,
      createdAt: 0,
      scheduledAt: null,
      status: 'ready',
      source: 'dry-run',
      targets: [],
      editionMode: mode,
    };
    const byEdition: Record<string, number> = {};
    let suppressed = 0;
    let already = 0;
    let n = 0;
    const problems: Diagnostic[] = [];
    mkdirSync(out, { recursive: true });
    const ctx = {
      config,
      campaign: fake,
      editions: new Map(editions.map((e) => [e.edition, e])),
      source,
      now: () => Date.now(),
      ...(dkim ? { dkim } : {}),
    };
    const seen = new Set<string>();
    const rules = {
      mode,
      available,
      primary,
      isSuppressed: (e: string) => suppression.has(e),
      resend: Boolean(opts.resend),
    };
    for await (const r of recipientsOf(targets, problems)) {
      if (seen.has(r.key)) continue;
      seen.add(r.key);
      const { edition, state } = planDelivery(r, rules, outbox, fake);
      if (state === 'suppressed') suppressed++;
      if (state === 'cancelled') already++;
      if (state) continue;
      n++;
      byEdition[edition] = (byEdition[edition] ?? 0) + 1;
      const { raw } = await composeFor(ctx, { id: n, email: r.email, name: r.name, edition });
      writeFileSync(
        join(out, `${String(n).padStart(6, '0')}-${r.key.replace(/[^a-z0-9@._-]/g, '_')}.eml`),
        raw,
      );
    }
    outbox?.close();
    if (problems.length) io.stderr(formatText(problems));
    io.stderr(
      `Dry run: ${n} message(s) would be sent (${editionCounts(byEdition)}); ${suppressed} suppressed; ${already} already received this release. Nothing was sent.`,
    );
    io.stdout(relative(io.cwd, out) || out);
    return EXIT.ok;
  }

  const outbox = Outbox.open(config.outbox, relative(io.cwd, config.outbox));
  try {
    const now = Date.now();
    let campaign = outbox.findCampaign(source.release.id, version, 'cli');
    const isNew = !campaign;
    campaign ??= outbox.createCampaign(
      {
        releaseId: source.release.id,
        releaseDir: source.release.dir,
        contentVersion: version,
        createdAt: now,
        scheduledAt: null,
        status: 'ready',
        source: 'cli',
        targets: targets.map((t) => t.shown),
        editionMode: mode,
      },
      editions,
    );
    const recovered = outbox.recoverAbandoned(now, ownerIsDead, ownerDiedOnThisBoot);
    const plan = await planRecipients({
      outbox,
      campaign,
      targets,
      mode,
      available,
      primary,
      isSuppressed: (e) => suppression.has(e),
      resend: Boolean(opts.resend),
      now,
    });
    if (plan.problems.length) io.stderr(formatText(plan.problems));
    const counts = outbox.counts(campaign.id);
    const pending = outbox.countsByEdition(campaign.id, 'pending');
    const toSend = counts.pending + counts.retry;
    io.stderr(
      [
        `${source.release.id}: campaign ${campaign.id}${isNew ? ' (new)' : ' (resumed)'}`,
        `  to send: ${toSend} (${editionCounts(pending)}${counts.retry ? `, ${counts.retry} to retry` : ''})`,
        `  already sent: ${counts.sent} · suppressed: ${counts.suppressed} · skipped (already received this release): ${counts.cancelled} · failed: ${counts.failed} · uncertain: ${counts.uncertain}`,
        ...(recovered
          ? [
              `  ${recovered} message(s) were interrupted by an earlier run and are now uncertain: see "aimq outbox show ${campaign.id}"`,
            ]
          : []),
      ].join('\n'),
    );
    if (toSend === 0) {
      io.stderr('Nothing to send.');
      return counts.failed + counts.uncertain > 0 ? EXIT.sending : EXIT.ok;
    }
    const settings = smtpSettings(config, io.env);
    if (!opts.yes) {
      // A send that is not confirmed leaves no campaign behind.
      if (!io.confirm) {
        if (isNew) outbox.discard(campaign.id);
        throw new AimqError(
          'AIMQ-CONFIRM',
          `refusing to send ${toSend} message(s) without confirmation: no terminal to ask`,
          { hint: 'add --yes to send without asking (in CI, cron or a script)' },
        );
      }
      if (
        !(await io.confirm(`Send ${toSend} message(s) through ${settings.host}:${settings.port}? [y/N] `))
      ) {
        if (isNew) outbox.discard(campaign.id);
        io.stderr('Nothing was sent.');
        return EXIT.ok;
      }
    }
    return await deliver(io, outbox, campaign, editions, source, config, settings, {
      connections,
      rate,
      dkim,
      suppression,
      suppressionFile,
      tunables,
      insecure: Boolean(opts.insecure),
    });
  } finally {
    outbox.close();
  }
}

function editionCounts(byEdition: Record<string, number>): string {
  const parts = Object.entries(byEdition).map(([e, n]) => `${e} ${n}`);
  return parts.length ? parts.join(', ') : 'none';
}

interface DeliverOptions {
  connections: number;
  rate: number;
  dkim: ReturnType<typeof loadDkimKey>;
  suppression: SuppressionWatcher;
  suppressionFile: string;
  tunables: ReturnType<typeof sendTunables>;
  insecure: boolean;
}

/** Sends a planned campaign and reports; also used by scheduled dispatch. */
export async function deliver(
  io: Io,
  outbox: Outbox,
  campaign: Campaign,
  editions: StoredEdition[] | Map<string, StoredEdition>,
  source: Parameters<typeof composeFor>[0]['source'],
  config: Config,
  settings: SmtpSettings,
  o: DeliverOptions,
): Promise<number> {
  const transport = createSmtpTransport(settings, {
    connections: o.connections,
    insecure: o.insecure,
    timeoutMs: o.tunables.timeoutMs,
  });
  const total = Object.values(outbox.counts(campaign.id)).reduce((a, b) => a + b, 0);
  const progress = new Progress(
    total,
    (t) => io.stderr(t.replace(/\n$/, '')),
    io.isTTY,
    () => Date.now(),
  );
  outbox.setCampaignStatus(campaign.id, 'sending');
  const editionMap = editions instanceof Map ? editions : new Map(editions.map((e) => [e.edition, e]));
  const ctx = {
    config,
    campaign,
    editions: editionMap,
    source,
    now: () => Date.now(),
    ...(o.dkim ? { dkim: o.dkim } : {}),
  };
  try {
    const result = await runCampaign(
      campaign,
      {
        outbox,
        transport,
        owner: leaseOwner(),
        now: () => Date.now(),
        sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
        random: Math.random,
        isSuppressed: (e) => o.suppression.has(e),
        suppress: (e, reason) => appendSuppression(o.suppressionFile, e, reason, new Date()),
        compose: (d) => composeFor(ctx, d),
        messageIdFor: (d) => messageIdFor(ctx, d),
        envelopeFrom: config.email!.from.address,
      },
      {
        connections: o.connections,
        ratePerSecond: o.rate,
        maxAttempts: o.tunables.maxAttempts,
        retryBaseMs: o.tunables.retryBaseMs,
        maxRetryWaitMs: o.tunables.maxRetryWaitMs,
        leaseMs: o.tunables.leaseMs,
        shouldStop: io.stopRequested,
        onAttempt: () => progress.update(() => outbox.counts(campaign.id)),
      },
    );
    progress.update(() => result.counts, true);
    const c = result.counts;
    const left = c.pending + c.retry;
    if (left === 0) outbox.setCampaignStatus(campaign.id, 'done');
    io.stderr(
      `Campaign ${campaign.id}: ${c.sent} sent, ${c.failed} failed, ${c.uncertain} uncertain, ${c.suppressed} suppressed, ${c.cancelled} skipped${left ? `, ${left} not sent yet` : ''}.`,
    );
    if (result.aborted) io.stderr(`Stopped: ${result.aborted}`);
    else if (result.stopped && left)
      io.stderr(`Stopped on request: run the same command again to send the ${left} left.`);
    else if (left) io.stderr(`${left} message(s) wait for a retry: run the same command again later.`);
    if (c.failed || c.uncertain)
      io.stderr(
        `See "aimq outbox show ${campaign.id}"${c.uncertain ? `; "aimq outbox retry --uncertain ${campaign.id}" resends the uncertain ones` : ''}.`,
      );
    return c.failed + c.uncertain > 0 || result.aborted || left > 0 ? EXIT.sending : EXIT.ok;
  } finally {
    transport.close();
  }
}

/** `--test`: each edition once to one address, `[TEST]` in the subject, outside any campaign. */
async function sendTest(
  io: Io,
  config: Config,
  source: ReturnType<typeof loadForEmail>,
  editions: StoredEdition[],
  address: string,
  o: { connections: number; insecure: boolean; timeoutMs: number; dkim: ReturnType<typeof loadDkimKey> },
): Promise<number> {
  const settings = smtpSettings(config, io.env);
  const transport: MailTransport = createSmtpTransport(settings, {
    connections: 1,
    insecure: o.insecure,
    timeoutMs: o.timeoutMs,
  });
  const campaign: Campaign = {
    id: 0,
    releaseId: source.release.id,
    releaseDir: source.release.dir,
    contentVersion: 'test',
    createdAt: 0,
    scheduledAt: null,
    status: 'ready',
    source: 'test',
    targets: [address],
    editionMode: 'test',
  };
  const ctx = {
    config,
    campaign,
    editions: new Map(editions.map((e) => [e.edition, e])),
    source,
    now: () => Date.now(),
    test: true,
    ...(o.dkim ? { dkim: o.dkim } : {}),
  };
  let failed = 0;
  try {
    for (const [i, e] of editions.entries()) {
      const { raw } = await composeFor(ctx, { id: i + 1, email: address, name: '', edition: e.edition });
      const r = await transport.send({ from: config.email!.from.address, to: address }, raw);
      if (r.outcome !== 'sent') failed++;
      io.stderr(`[TEST] ${e.edition} → ${address}: ${r.outcome} (${r.reply})`);
    }
  } finally {
    transport.close();
  }
  return failed ? EXIT.sending : EXIT.ok;
}
