import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { findReleaseDirs } from '../load/discover.js';
import { contentVersion, renderEditions, type EditionMode } from '../dispatch/plan.js';
import { AimqError } from '../errors/index.js';
import { loadValid, type ValidRelease } from '../load/parsed.js';
import { replyToFor } from '../message/compose.js';
import type { Config, Mailbox } from '../model/config.js';
import type { StoredEdition } from '../outbox/outbox.js';
import { emailEditions } from '../render-email/edition.js';
import { loadEmailLayout, type EmailLayout } from '../render-email/layout.js';
import { createTemplateEngine } from '../templating/engine.js';

/** What a campaign records of a release: its editions as they will be sent, their digest, and the Reply-To. */
export interface CampaignContent {
  editions: StoredEdition[];
  version: string;
  replyTo: Mailbox;
}

/** A release ready to be sent: loaded, its edition choice checked, its editions rendered. */
export interface SendableRelease extends CampaignContent {
  source: ValidRelease;
  /** The e-mail editions the release has. */
  available: string[];
  mode: EditionMode;
  /** The language of its first edition: what a reader whose language it lacks gets. */
  primary: string;
}

export function loadLayout(config: Config): Promise<EmailLayout> {
  return loadEmailLayout(createTemplateEngine('email', config.root), join(config.root, '.aimq'));
}

/** The content of a campaign of `source`, rendered once. */
export function campaignContent(
  source: ValidRelease,
  config: Config,
  layout: EmailLayout,
  embedImages: boolean,
  /** When the editions will be read: an embargo that holds then embeds images and hides the web copy. */
  now: number,
): CampaignContent {
  const editions = renderEditions(source, config, layout, embedImages, now);
  return { editions, version: contentVersion(editions), replyTo: replyToFor(source.release, config) };
}

/** `--edition`: auto, or one the release has (AIMQ-EDITION otherwise). */
export function editionMode(source: ValidRelease, edition: string): EditionMode {
  const available = emailEditions(source.release);
  if (edition !== 'auto' && !available.includes(edition))
    throw new AimqError(
      'AIMQ-EDITION',
      {
        fr: `${source.release.dir} n’a pas d’édition ${edition}`,
        en: `${source.release.dir} has no ${edition} edition`,
      },
      {
        file: source.release.dir,
        hint: {
          fr: `ses éditions sont\u00a0: ${available.join(', ')}`,
          en: `its editions are: ${available.join(', ')}`,
        },
      },
    );
  return edition as EditionMode;
}

/**
 * The release a send or a schedule names (a folder, from `cwd`), loaded, checked and
 * rendered: what `release send`, `release schedule` and dispatch share.
 */
export async function loadSendable(
  config: Config,
  cwd: string,
  dir: string,
  edition: string,
  embedImages: boolean,
  now: number,
  /** `--attach-pdf`: each edition carries its PDF; `env` says where Chromium is. */
  pdf?: { env: NodeJS.ProcessEnv },
): Promise<SendableRelease> {
  const [dirAbs] = findReleaseDirs(config.root, cwd, [dir]);
  const source = loadValid(dirAbs!, config);
  const sendable = sendableOf(source, config, await loadLayout(config), edition, embedImages, now);
  return pdf ? { ...sendable, ...(await attachPdfs(sendable, source, config, now, pdf.env)) } : sendable;
}

export function sendableOf(
  source: ValidRelease,
  config: Config,
  layout: EmailLayout,
  edition: string,
  embedImages: boolean,
  now: number,
): SendableRelease {
  const mode = editionMode(source, edition);
  return {
    source,
    available: emailEditions(source.release),
    mode,
    primary: source.release.editions[0]!.lang,
    ...campaignContent(source, config, layout, embedImages, now),
  };
}

/** Whether a campaign's editions carry the PDF edition (it was planned with `--attach-pdf`). */
export function hasPdf(editions: Iterable<StoredEdition>): boolean {
  for (const e of editions)
    if (e.attachments.some((a) => a.disposition === 'attachment' && a.contentType === PDF_TYPE)) return true;
  return false;
}

const PDF_TYPE = 'application/pdf';

/**
 * The editions with the PDF of each attached (`<slug>.pdf`, for download), printed once
 * here for every recipient of the edition, as the release reads at `now`: under embargo,
 * with the embargo line (an attachment, like the e-mail, reaches only the recipients).
 * The version stays that of the release's content plus "with PDF": Chromium dates each
 * PDF it prints, and a send run again must find its campaign.
 */
export async function attachPdfs(
  content: CampaignContent,
  source: ValidRelease,
  config: Config,
  now: number,
  env: NodeJS.ProcessEnv,
): Promise<CampaignContent> {
  const { printReleasePdfs } = await import('../pdf/release.js');
  const { pdfFileName } = await import('../pdf/edition.js');
  const pdfs = await printReleasePdfs(
    source,
    config,
    content.editions.map((e) => e.edition),
    now,
    env,
  );
  return {
    ...content,
    version: createHash('sha256').update(`${content.version}\0pdf`).digest('hex').slice(0, 16),
    editions: content.editions.map((e) => ({
      ...e,
      attachments: [
        ...e.attachments,
        {
          cid: '',
          filename: pdfFileName(source.release, e.edition),
          content: pdfs.get(e.edition)!.toString('base64'),
          disposition: 'attachment' as const,
          contentType: PDF_TYPE,
        },
      ],
    })),
  };
}
