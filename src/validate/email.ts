import { visit } from 'unist-util-visit';
import type { Diagnostic } from '../errors/index.js';
import { dkimAligned } from '../message/dkim.js';
import type { Config } from '../model/config.js';
import type { Release } from '../model/release.js';
import { emailEditions, emailViews } from '../render-email/edition.js';
import type { EmailLayout } from '../render-email/layout.js';
import { prepareTrees, type ParsedBody } from './body.js';

/** Gmail clips a message whose HTML is larger than this ("[Message clipped]"). */
export const GMAIL_CLIP_BYTES = 102 * 1024;

/** What the law and Gmail's sender rules require of the settings before any e-mail goes out. */
export function checkEmailSettings(config: Config): Diagnostic[] {
  const at = (message: string, hint: string): Diagnostic => ({
    file: config.file,
    line: 1,
    column: 1,
    severity: 'warning',
    code: 'AIMQ-EMAIL-LAW',
    message,
    hint,
  });
  const out: Diagnostic[] = [];
  if (!config.email)
    out.push(
      at(
        'no email: settings: e-mail editions have no sender and no unsubscribe link, and cannot be sent',
        'add email: { from: "Name <address>", unsubscribe: { mailto: address } }',
      ),
    );
  if (!config.organization.postalAddress)
    out.push(
      at(
        'organization.postalAddress is missing: CASL requires a postal address in every commercial e-mail',
        'add organization.postalAddress',
      ),
    );
  const dkim = config.email?.dkim;
  const fromDomain = config.email?.from.address.split('@')[1];
  if (dkim && fromDomain && !dkimAligned(fromDomain, dkim.domainName))
    out.push({
      ...at(
        `email.dkim.domainName "${dkim.domainName}" is not aligned with the sender's domain "${fromDomain}": receivers applying DMARC treat the messages as unsigned`,
        `sign with the sender's domain (or one of its subdomains), e.g. domainName: ${fromDomain}`,
      ),
      code: 'AIMQ-DKIM-ALIGNMENT',
    });
  return out;
}

/** Links a reader's mail program may flag, or that leak where the reader goes. */
export function checkInsecureLinks(body: ParsedBody): Diagnostic[] {
  const out: Diagnostic[] = [];
  visit(body.tree, (node) => {
    if ((node.type === 'link' || node.type === 'image') && /^http:\/\//i.test(node.url)) {
      out.push({
        file: body.file,
        line: node.position?.start.line ?? 1,
        column: node.position?.start.column ?? 1,
        severity: 'warning',
        code: 'AIMQ-LINK-INSECURE',
        message: `"${node.url}" does not use https`,
        hint: 'use the https:// address; mail programs flag plain http links and readers cannot trust them',
      });
    }
  });
  return out;
}

/** Every e-mail edition rendered once, to catch the ones Gmail would clip. */
export function checkEmailSize(
  release: Release,
  bodies: readonly ParsedBody[],
  config: Config,
  layout: EmailLayout,
): Diagnostic[] {
  const trees = prepareTrees(
    bodies.map((b) => ({ ...b, tree: structuredClone(b.tree) })),
    config.typography.fr,
  );
  // As read after the embargo, images linked: the largest HTML an edition can have.
  const views = emailViews(release, trees, config, emailEditions(release), {
    now: Number.POSITIVE_INFINITY,
    embedImages: false,
  });
  return [...views].flatMap(([edition, view]) => {
    const size = Buffer.byteLength(layout.html(view));
    if (size <= GMAIL_CLIP_BYTES) return [];
    return [
      {
        file: release.editions[0]!.file,
        line: 1,
        column: 1,
        severity: 'warning' as const,
        code: 'AIMQ-EMAIL-SIZE' as const,
        message: `the ${edition} e-mail is ${Math.round(size / 1024)} KB of HTML: Gmail clips messages over 102 KB`,
        hint:
          edition === 'bilingual'
            ? 'shorten the release, or send the French and English editions separately'
            : 'shorten the release, or move detail to the web page',
      },
    ];
  });
}
