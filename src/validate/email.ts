import { visit } from 'unist-util-visit';
import type { Diagnostic } from '../errors/index.js';
import { formatNumber, type Text } from '../i18n/text.js';
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
  const at = (message: Text, hint: Text): Diagnostic => ({
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
        {
          fr: 'aucun réglage `email:`\u00a0: les éditions courriel n’ont ni expéditeur ni lien de désabonnement, et ne peuvent pas être envoyées',
          en: 'no email: settings: e-mail editions have no sender and no unsubscribe link, and cannot be sent',
        },
        {
          fr: 'ajoutez `email: { from: "Nom <adresse>", unsubscribe: { mailto: adresse } }`',
          en: 'add email: { from: "Name <address>", unsubscribe: { mailto: address } }',
        },
      ),
    );
  if (!config.organization.postalAddress)
    out.push(
      at(
        {
          fr: 'il manque organization.postalAddress\u00a0: la LCAP exige une adresse postale dans chaque courriel commercial',
          en: 'organization.postalAddress is missing: CASL requires a postal address in every commercial e-mail',
        },
        { fr: 'ajoutez organization.postalAddress', en: 'add organization.postalAddress' },
      ),
    );
  const dkim = config.email?.dkim;
  const fromDomain = config.email?.from.address.split('@')[1];
  if (dkim && fromDomain && !dkimAligned(fromDomain, dkim.domainName))
    out.push({
      ...at(
        {
          fr: `email.dkim.domainName "${dkim.domainName}" n’est pas aligné sur le domaine de l’expéditeur "${fromDomain}"\u00a0: les serveurs qui appliquent DMARC traitent les messages comme non signés`,
          en: `email.dkim.domainName "${dkim.domainName}" is not aligned with the sender's domain "${fromDomain}": receivers applying DMARC treat the messages as unsigned`,
        },
        {
          fr: `signez avec le domaine de l’expéditeur (ou l’un de ses sous-domaines), par exemple \`domainName: ${fromDomain}\``,
          en: `sign with the sender's domain (or one of its subdomains), e.g. domainName: ${fromDomain}`,
        },
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
        message: { fr: `"${node.url}" n’utilise pas https`, en: `"${node.url}" does not use https` },
        hint: {
          fr: 'utilisez l’adresse https://\u00a0; les logiciels de courriel signalent les liens http, et les lecteurs ne peuvent pas s’y fier',
          en: 'use the https:// address; mail programs flag plain http links and readers cannot trust them',
        },
      });
    }
  });
  return out;
}

/**
 * SVG images, which the web page shows and most mail programs do not: Gmail and Outlook
 * leave an empty frame (with the alternative text at best) where the image was.
 */
export function checkEmailImages(
  body: ParsedBody,
  frontMatterImage: string | undefined,
  fileText: string,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const warn = (src: string, line: number, column: number) =>
    out.push({
      file: body.file,
      line,
      column,
      severity: 'warning',
      code: 'AIMQ-EMAIL-SVG',
      message: {
        fr: `l’image "${src}" est un SVG\u00a0: Gmail et Outlook ne l’affichent pas dans les courriels`,
        en: `image "${src}" is an SVG: Gmail and Outlook do not show it in e-mails`,
      },
      hint: {
        fr: 'exportez-la aussi en PNG ou en JPEG et donnez ce fichier\u00a0; la page Web l’affichera de même',
        en: 'export it as PNG or JPEG as well and give that file; the web page shows it the same',
      },
    });
  const isSvg = (src: string) => /\.svgz?(?:[?#]|$)/i.test(src);
  if (frontMatterImage && isSvg(frontMatterImage)) {
    // The front matter's `src:` line, as written (a translation inherits it and has none).
    const lines = fileText.split(/\r?\n/);
    const i = lines.findIndex((l) => /^\s*src\s*:/.test(l) && l.includes(frontMatterImage));
    if (i >= 0) warn(frontMatterImage, i + 1, lines[i]!.indexOf(frontMatterImage) + 1);
  }
  visit(body.tree, 'image', (node) => {
    if (isSvg(node.url)) warn(node.url, node.position?.start.line ?? 1, node.position?.start.column ?? 1);
  });
  return out;
}

/** An e-mail edition as a French sentence names it: « le courriel bilingue ». */
const EDITION_FR: Record<string, string> = { fr: 'en français', en: 'en anglais', bilingual: 'bilingue' };

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
        message: {
          fr: `le courriel ${EDITION_FR[edition] ?? edition} fait ${formatNumber(Math.round(size / 1024), 'fr')}\u00a0ko de HTML\u00a0: Gmail tronque les messages de plus de 102\u00a0ko`,
          en: `the ${edition} e-mail is ${Math.round(size / 1024)} KB of HTML: Gmail clips messages over 102 KB`,
        },
        hint:
          edition === 'bilingual'
            ? {
                fr: 'raccourcissez le communiqué, ou envoyez séparément les éditions française et anglaise',
                en: 'shorten the release, or send the French and English editions separately',
              }
            : {
                fr: 'raccourcissez le communiqué, ou déplacez les détails vers la page Web',
                en: 'shorten the release, or move detail to the web page',
              },
      },
    ];
  });
}
