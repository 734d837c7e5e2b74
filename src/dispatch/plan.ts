import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { extname, isAbsolute, resolve } from 'node:path';
import { AimqError, AimqProblems, type Diagnostic } from '../errors/index.js';
import { joinText } from '../i18n/text.js';
import { messageContent, senderDomain } from '../export/export.js';
import type { ValidRelease } from '../load/parsed.js';
import { consentMissing, consentOn, noConsentReply } from '../lists/consent.js';
import { readList } from '../lists/read.js';
import type { CalendarDate } from '../model/release.js';
import type { ListItem, Recipient } from '../lists/recipient.js';
import { prepareMessage, type DkimKey } from '../message/compose.js';
import { TOKEN_PLACEHOLDER } from '../message/unsubscribe.js';
import { signUnsubscribeToken } from '../message/unsubscribe-token.js';
import type { Config, Mailbox } from '../model/config.js';
import type { Campaign, Delivery, NewDelivery, Outbox, StoredEdition } from '../outbox/outbox.js';
import { emailEditions, emailViews, type EmailEdition } from '../render-email/edition.js';
import type { EmailLayout } from '../render-email/layout.js';
import { isEmail } from '../schema/formats.js';

export type EditionMode = 'auto' | EmailEdition;

/**
 * Renders every e-mail edition of a release once: what a campaign stores and sends. `now`:
 * when it is sent; under embargo then, images are attached whatever `embedImages` says.
 */
export function renderEditions(
  source: ValidRelease,
  config: Config,
  layout: EmailLayout,
  embedImages: boolean,
  now: number,
): StoredEdition[] {
  return [
    ...emailViews(source.release, source.trees, config, emailEditions(source.release), {
      now,
      embedImages: embedImages || 'auto',
      // Each recipient's own token replaces it when their message is made (composeFor).
      unsubscribeToken: TOKEN_PLACEHOLDER,
    }).values(),
  ].map((view) => {
    const edition = view.edition;
    const content = messageContent(view, layout, source.dirAbs);
    return {
      edition,
      subject: content.subject,
      html: content.html,
      text: content.text,
      languages: content.languages,
      attachments: content.attachments.map((a) => ({
        cid: a.cid,
        filename: a.filename,
        content: a.content.toString('base64'),
      })),
    };
  });
}

/** A digest of everything recipients get: a new version of the release is a new campaign. */
export function contentVersion(editions: readonly StoredEdition[]): string {
  const h = createHash('sha256');
  for (const e of editions) h.update(JSON.stringify(e)).update('\0');
  return h.digest('hex').slice(0, 16);
}

/** Which edition a recipient gets: their language in `auto` mode, falling back to what the release has. */
export function editionFor(
  recipient: Pick<Recipient, 'language'>,
  mode: EditionMode,
  available: readonly string[],
  primary: string,
): string {
  if (mode !== 'auto') return mode;
  if (available.includes(recipient.language)) return recipient.language;
  // A bilingual reader of a release in one language gets that language; so does anyone
  // whose language the release lacks.
  return primary;
}

/** A target on the command line: a list file, or one address. */
export interface Target {
  kind: 'list' | 'address';
  value: string;
  /** How it is shown: the path relative to the project, or the address. */
  shown: string;
}

export function parseTargets(values: readonly string[], cwd: string, root: string): Target[] {
  return values.map((v) => {
    if (isEmail(v)) return { kind: 'address', value: v, shown: v };
    const abs = listFile(v, cwd, root);
    if (!abs) {
      throw new AimqError(
        'AIMQ-LIST-NOT-FOUND',
        {
          fr: `"${v}" n’est ni une adresse courriel ni un fichier de liste`,
          en: `"${v}" is neither an e-mail address nor a list file`,
        },
        {
          file: v,
          hint: {
            fr: 'donnez un fichier CSV sous lists/ (lists/medias.csv, ou simplement medias), ou une adresse comme nom@example.org',
            en: 'give a CSV file under lists/ (lists/medias.csv, or just medias), or an address such as name@example.org',
          },
        },
      );
    }
    const rel = abs.startsWith(`${root}/`) ? abs.slice(root.length + 1) : abs;
    return { kind: 'list', value: abs, shown: rel };
  });
}

/** A list as given (a path from here), else by its name under the project's lists/, with or without `.csv`. */
export function listFile(value: string, cwd: string, root: string): string | undefined {
  const isFile = (p: string) => existsSync(p) && statSync(p).isFile();
  const candidates = [resolve(cwd, value)];
  if (!isAbsolute(value)) {
    candidates.push(resolve(root, 'lists', value));
    if (extname(value) === '') candidates.push(resolve(root, 'lists', `${value}.csv`));
  }
  return candidates.find(isFile);
}

/** Every recipient of the targets, streamed; problems in the lists are collected, not thrown. */
export async function* recipientsOf(
  targets: readonly Target[],
  problems: Diagnostic[],
  /** Told each list's header: whether it has a consent column. */
  onHeader?: (header: NonNullable<ListItem['header']>) => void,
): AsyncGenerator<Recipient> {
  for (const t of targets) {
    if (t.kind === 'address') {
      yield {
        email: t.value,
        key: t.value.toLowerCase(),
        name: '',
        language: 'bilingual',
        organization: '',
        consent: '',
        consentDate: '',
        consentSource: '',
        file: '(command line)',
        line: 0,
      } as Recipient;
      continue;
    }
    for await (const item of readList(t.value, t.shown)) {
      if (item.problem) problems.push(item.problem);
      if (item.header) onHeader?.(item.header);
      if (item.recipient) yield item.recipient;
    }
  }
}

/** Problems that make a whole list unreadable: no line of it can be sent, skipped or not. */
const WHOLE_LIST = new Set(['AIMQ-LIST-ENCODING', 'AIMQ-LIST-HEADER', 'AIMQ-LIST-CSV']);

export interface ListCheck {
  /** Warnings to show (duplicates, mixed encodings…). */
  warnings: Diagnostic[];
  /** Invalid lines left out on purpose (`skipInvalid`): to record with the campaign. */
  skipped: Diagnostic[];
}

/** Which command reads the lists: what the hint of an invalid line can offer. */
export type ListCheckFor = 'send' | 'schedule' | 'dispatch' | 'check';

/** What to do about an invalid line, in the words of the command that found it. */
const INVALID_LINE_ADVICE: Record<ListCheckFor, { fr: string; en: string }> = {
  send: {
    fr: 'ou ajoutez --skip-invalid pour envoyer aux autres lignes et consigner celle-ci comme ignorée',
    en: 'or add --skip-invalid to send to the other lines and record this one as skipped',
  },
  // Neither `release schedule` nor `dispatch` has --skip-invalid: a scheduled campaign is
  // not sent while one of its lists has an invalid line.
  schedule: {
    fr: 'corrigez la liste, puis planifiez de nouveau : une campagne planifiée n’est pas envoyée tant qu’une de ses listes a une ligne invalide',
    en: 'correct the list, then schedule again: a scheduled campaign is not sent while one of its lists has an invalid line',
  },
  // `release check`, for the lists of a release's `dispatch:` entry.
  check: {
    fr: 'corrigez la liste avant l’heure de l’entrée `dispatch:` qui la nomme\u00a0: aimq dispatch n’envoie pas une campagne tant qu’une de ses listes a une ligne invalide',
    en: 'correct the list before the time of the dispatch: entry that names it: aimq dispatch does not send a campaign while one of its lists has an invalid line',
  },
  dispatch: {
    fr: 'corrigez la liste : la campagne part à une tournée suivante de aimq dispatch (dans les limites de dispatch.maxDelay)',
    en: 'correct the list: the campaign goes out at a later round of aimq dispatch (within dispatch.maxDelay)',
  },
};

/**
 * Reads every list once before anything is planned: a list with invalid lines is refused
 * whole (every line named, file:line), so that nobody is left out without anyone
 * deciding it, unless `skipInvalid` says to leave those lines out. `checkedFor` words the
 * hint for the command that reads them (only `release send` has --skip-invalid).
 */
export async function checkLists(
  targets: readonly Target[],
  skipInvalid: boolean,
  checkedFor: ListCheckFor = 'send',
): Promise<ListCheck> {
  const problems: Diagnostic[] = [];
  const noConsent: Diagnostic[] = [];
  // The first line of each address, to name it when another list gives the same person
  // another language: only the first counts, and the edition it gives may not be the one meant.
  const firstSeen = new Map<string, Pick<Recipient, 'file' | 'line' | 'language'>>();
  for await (const r of recipientsOf(targets, problems, (h) => {
    if (!h.consent) noConsent.push(consentMissing(h.file, h.line));
  })) {
    const first = firstSeen.get(r.key);
    if (!first) {
      firstSeen.set(r.key, { file: r.file, line: r.line, language: r.language });
      continue;
    }
    // The same list reports its own duplicates; overlapping lists are common and fine as
    // long as they agree on the language.
    if (first.file === r.file || first.language === r.language || first.line === 0 || r.line === 0) continue;
    const where = `${first.file}:${first.line}`;
    problems.push({
      file: r.file,
      line: r.line,
      column: 1,
      severity: 'warning',
      code: 'AIMQ-LIST-DUPLICATE',
      message: {
        fr: `"${r.email}" figure déjà dans ${where} (langue ${first.language}), et ici avec la langue ${r.language}`,
        en: `"${r.email}" is already on ${where}, in ${first.language}, and here in ${r.language}`,
      },
      hint: {
        fr: `seule la première ligne compte : cette personne reçoit l’édition ${first.language} ; accordez les deux listes`,
        en: `only the first line counts: this person gets the ${first.language} edition; make the two lists agree`,
      },
    });
  }
  const errors = problems.filter((p) => p.severity === 'error');
  // One warning per list without consent columns, whatever its size.
  const warnings = [...noConsent, ...problems.filter((p) => p.severity !== 'error')];
  if (errors.length && (!skipInvalid || errors.some((e) => WHOLE_LIST.has(e.code)))) {
    // Once a list cannot be read at all, skipping lines is no way out.
    const wholeList = errors.some((e) => WHOLE_LIST.has(e.code));
    throw new AimqProblems(
      [
        ...warnings,
        ...errors.map((e) =>
          wholeList
            ? e
            : {
                ...e,
                hint: joinText([
                  ...(e.hint ? [e.hint, { fr: '\u00a0; ', en: '; ' }] : []),
                  INVALID_LINE_ADVICE[checkedFor],
                ]),
              },
        ),
      ],
      errors[0]!.code,
    );
  }
  return { warnings, skipped: errors };
}

/** The day a campaign sends on, in the project's time zone: what consent is checked against. */
export interface ConsentRule {
  sendDay: CalendarDate;
  timeZone: string;
}

/**
 * What one recipient gets: their edition, and whether they are left out — suppressed, their
 * implied consent expired on the send day (`consent`), or already given this edition of the
 * release by another campaign (unless `resend`). Suppression comes first: an unsubscribe
 * withdraws every consent.
 */
export async function planDelivery(
  r: Pick<Recipient, 'email' | 'name' | 'language'> &
    Partial<Pick<Recipient, 'consent' | 'consentDate' | 'file' | 'line'>>,
  rules: Pick<PlanInput, 'mode' | 'available' | 'primary' | 'isSuppressed' | 'resend'> & {
    consent?: ConsentRule;
  },
  outbox: Pick<Outbox, 'alreadyDelivered'> | undefined,
  campaign: Pick<Campaign, 'id' | 'releaseId'>,
): Promise<NewDelivery> {
  const d: NewDelivery = {
    email: r.email,
    name: r.name,
    edition: editionFor(r, rules.mode, rules.available, rules.primary),
  };
  if (rules.isSuppressed(r.email)) return { ...d, state: 'suppressed', lastReply: 'on the suppression list' };
  if (rules.consent) {
    const status = consentOn(
      { consent: r.consent ?? '', consentDate: r.consentDate ?? '' },
      rules.consent.sendDay,
      rules.consent.timeZone,
    );
    if (status.kind === 'expired') {
      const at = r.file !== undefined && r.line !== undefined ? { file: r.file, line: r.line } : undefined;
      return { ...d, state: 'no-consent', lastReply: noConsentReply(status, at) };
    }
  }
  const earlier = rules.resend
    ? undefined
    : await outbox?.alreadyDelivered(campaign.releaseId, r.email.toLowerCase(), d.edition, campaign.id);
  return earlier
    ? { ...d, state: 'cancelled', lastReply: `already ${earlier.state} in campaign ${earlier.campaignId}` }
    : d;
}

export interface PlanInput {
  outbox: Outbox;
  campaign: Campaign;
  targets: readonly Target[];
  mode: EditionMode;
  available: readonly string[];
  primary: string;
  isSuppressed: (email: string) => boolean;
  /** Send even to people who already received this edition of the release. */
  resend: boolean;
  now: number;
  /** The send day and zone that consent is checked against. */
  consent: ConsentRule;
}

export interface PlanResult {
  added: number;
  problems: Diagnostic[];
}

/**
 * Adds the targets' recipients to the campaign, in batches, deciding up front who is
 * suppressed and who already received this release in another campaign. Recipients
 * already in the campaign keep their row: running the same send again resumes it.
 */
export async function planRecipients(input: PlanInput): Promise<PlanResult> {
  const problems: Diagnostic[] = [];
  let added = 0;
  let batch: NewDelivery[] = [];
  const flush = async () => {
    added += await input.outbox.addDeliveries(input.campaign, batch, input.now);
    batch = [];
  };
  // One query instead of one per recipient when no other campaign of the release sent
  // anything (the usual first send): what another process sends meanwhile was never seen
  // by the per-recipient check either, which looks once per recipient during planning.
  const history = (await input.outbox.releaseDeliveredElsewhere(input.campaign.releaseId, input.campaign.id))
    ? input.outbox
    : undefined;
  for await (const r of recipientsOf(input.targets, problems)) {
    batch.push(await planDelivery(r, input, history, input.campaign));
    if (batch.length >= 1000) await flush();
  }
  if (batch.length) await flush();
  return { added, problems };
}

export interface ComposeContext {
  config: Config;
  campaign: Campaign;
  editions: Map<string, StoredEdition>;
  /** Who recipients reach by replying: recorded with the campaign. */
  replyTo: Mailbox;
  dkim?: DkimKey;
  now: () => number;
  test?: boolean;
  /**
   * Signs each recipient's unsubscribe token (campaign id, row id): with it, both
   * List-Unsubscribe URIs and the footer's one-click link name the recipient.
   */
  unsubscribeSecret?: string;
}

function recipientDigest(ctx: Pick<ComposeContext, 'campaign'>, email: string): string {
  return createHash('sha256').update(`${ctx.campaign.contentVersion}\0${email.toLowerCase()}`).digest('hex');
}

/** A row's Message-ID: unique per campaign and row, and the same each time it is computed. */
export function messageIdFor(
  ctx: Pick<ComposeContext, 'campaign' | 'config'>,
  delivery: Pick<Delivery, 'id' | 'email'>,
): string {
  const domain = senderDomain(ctx.config);
  return `<${ctx.campaign.id}.${delivery.id}.${recipientDigest(ctx, delivery.email).slice(0, 12)}@${domain}>`;
}

const prepared = new WeakMap<ComposeContext, Map<string, ReturnType<typeof prepareMessage>>>();

/** The message for one row: its edition's content, addressed to the recipient, with its own Message-ID. */
export async function composeFor(
  ctx: ComposeContext,
  delivery: Pick<Delivery, 'id' | 'email' | 'name' | 'edition'> & { messageId?: string | null },
): Promise<{ raw: Buffer; messageId: string }> {
  let byEdition = prepared.get(ctx);
  if (!byEdition) {
    byEdition = new Map();
    prepared.set(ctx, byEdition);
  }
  let build = byEdition.get(delivery.edition);
  if (!build) {
    const e = ctx.editions.get(delivery.edition);
    if (!e) throw new Error(`campaign ${ctx.campaign.id} has no ${delivery.edition} edition`);
    build = prepareMessage({
      content: {
        ...e,
        attachments: e.attachments.map((a) => ({
          ...a,
          content: Buffer.from(a.content, 'base64'),
        })),
      },
      config: ctx.config,
      replyTo: ctx.replyTo,
      baseBoundary: `${ctx.campaign.contentVersion}${delivery.edition}`
        .replace(/[^a-z0-9]/gi, '')
        .slice(0, 24),
      ...(ctx.test ? { test: true } : {}),
      ...(ctx.dkim ? { dkim: ctx.dkim } : {}),
      ...(ctx.unsubscribeSecret ? { tokens: true } : {}),
    });
    byEdition.set(delivery.edition, build);
  }
  // A claimed row carries the Message-ID recorded with its claim: the same, not computed again.
  const messageId = delivery.messageId ?? messageIdFor(ctx, delivery);
  return {
    raw: await (await build)(
      { name: delivery.name, address: delivery.email },
      messageId,
      new Date(ctx.now()),
      ctx.unsubscribeSecret
        ? signUnsubscribeToken(ctx.unsubscribeSecret, ctx.campaign.id, delivery.id)
        : undefined,
    ),
    messageId,
  };
}
