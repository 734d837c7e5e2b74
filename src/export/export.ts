import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AimqError } from '../errors/index.js';
import type { ValidRelease } from '../load/parsed.js';
import { composeMessage, replyToFor, type DkimKey, type MessageContent } from '../message/compose.js';
import type { Config } from '../model/config.js';
import type { Release } from '../model/release.js';
import { asciiDomain } from '../schema/formats.js';
import { emailEditions, emailView, type EmailEdition, type EmailView } from '../render-email/edition.js';
import type { EmailLayout } from '../render-email/layout.js';

export type ExportFormat = 'eml' | 'html' | 'txt' | 'mjml' | 'json';

export interface ExportOptions {
  format: ExportFormat;
  edition: EmailEdition;
  embedImages: boolean;
  now: Date;
  dkim?: DkimKey;
}

/** What every recipient of an edition gets alike: the rendered parts and the images to attach. */
export function messageContent(view: EmailView, layout: EmailLayout, dirAbs: string): MessageContent {
  return {
    subject: view.subject,
    html: layout.html(view),
    text: view.text,
    languages: view.languages,
    attachments: view.images.map((i) => ({
      cid: i.cid,
      filename: i.file.split('/').pop()!,
      content: readFileSync(join(dirAbs, i.file)),
    })),
  };
}

/** The domain of the sender, for Message-IDs: ASCII (an A-label), as a header must be. */
export function senderDomain(config: Config): string {
  return config.email ? asciiDomain(config.email.from.address).split('@')[1]! : 'aimq.invalid';
}

/** A Message-ID that is the same for the same content, so an export is reproducible. */
export function exportMessageId(view: EmailView, release: Release, config: Config): string {
  return `<${view.contentHash.slice(0, 24)}.${release.id}.${view.edition}@${senderDomain(config)}>`;
}

/** One e-mail edition of a release in one of the export formats. Pure apart from reading images. */
export async function exportEdition(
  source: ValidRelease,
  config: Config,
  layout: EmailLayout,
  options: ExportOptions,
): Promise<Buffer> {
  const { release, trees } = source;
  const editions = emailEditions(release);
  if (!editions.includes(options.edition)) {
    throw new AimqError(
      'AIMQ-EDITION',
      {
        fr: `${release.dir} n’a pas d’édition ${options.edition}`,
        en: `${release.dir} has no ${options.edition} edition`,
      },
      {
        file: release.dir,
        hint: {
          fr: `ses éditions sont\u00a0: ${editions.join(', ')}`,
          en: `its editions are: ${editions.join(', ')}`,
        },
      },
    );
  }
  const view = emailView(release, trees, config, options.edition, {
    now: options.now.getTime(),
    // Only a message can carry the images; under embargo it always does (the site has none yet).
    embedImages: options.format !== 'eml' ? false : options.embedImages || 'auto',
  });
  switch (options.format) {
    case 'html':
      return Buffer.from(layout.html(view));
    case 'txt':
      return Buffer.from(view.text);
    case 'mjml':
      return Buffer.from(layout.mjml(view));
    case 'json':
      return Buffer.from(
        `${JSON.stringify({ edition: view.edition, subject: view.subject, preheader: view.preheader, languages: view.languages, html: layout.html(view), text: view.text }, null, 2)}\n`,
      );
    case 'eml': {
      if (!config.email) {
        throw new AimqError(
          'AIMQ-EMAIL-CONFIG',
          {
            fr: `${config.file} n’a pas de réglages \`email:\`, dont un courriel a besoin (expéditeur, désabonnement)`,
            en: `${config.file} has no email: settings, which a message needs (sender, unsubscribe)`,
          },
          {
            file: config.file,
            hint: {
              fr: 'ajoutez `email: { from: "Nom <adresse>", unsubscribe: { mailto: adresse } }` (voir le README)',
              en: 'add email: { from: "Name <address>", unsubscribe: { mailto: address } } (see the README)',
            },
          },
        );
      }
      return composeMessage({
        content: messageContent(view, layout, source.dirAbs),
        config,
        replyTo: replyToFor(release, config),
        date: options.now,
        messageId: exportMessageId(view, release, config),
        baseBoundary: view.contentHash.slice(0, 16),
        // Outlook opens a message with this header as a draft, ready to address and send.
        headers: { 'X-Unsent': '1' },
        ...(options.dkim ? { dkim: options.dkim } : {}),
      });
    }
  }
}
