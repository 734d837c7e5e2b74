import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Definition, Image, Paragraph, Root } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { visit } from 'unist-util-visit';
import { embargoPhrase } from '../locale/dates.js';
import { stringsFor } from '../locale/strings.js';
import { isLocalReference } from '../markdown/pipeline.js';
import { isOneClick, unsubscribeMailto, unsubscribeUrl, withToken } from '../message/unsubscribe.js';
import { underEmbargo } from '../build/visibility.js';
import type { Config } from '../model/config.js';
import type { Edition, Release } from '../model/release.js';
import { excerpt, releaseParts, type ReleaseParts } from '../release-parts/parts.js';
import { absoluteUrl, fileOfUrl, fileUrlPath, normalizeUrl, sitePaths } from '../render-web/urls.js';
import { renderEmailBody } from './html-body.js';
import { imageWidth } from './image-width.js';
import { formatLinks, mdastToText, underlined, wrap } from './plain-text.js';

/** An e-mail edition: one language, or both with French first. */
export type EmailEdition = string;

/** The editions a release has: each language it is written in, and `bilingual` when it has two. */
export function emailEditions(release: Release): EmailEdition[] {
  const langs = release.editions.map((e) => e.lang);
  return langs.length > 1 ? [...langs, 'bilingual'] : langs;
}

/** Where an edition's "view in browser" page is, in the built site. */
export function emailPagePath(release: Release, edition: EmailEdition, ext: 'html' | 'txt'): string {
  return `email/${release.editions[0]!.slug}/${edition}.${ext}`;
}

export interface EmbeddedImage {
  /** File in the release folder. */
  file: string;
  cid: string;
}

/** Everything the layout and the message need for one edition, without recipients. */
export interface EmailView {
  edition: EmailEdition;
  /** BCP 47 tags of the languages, primary first: the Content-Language header. */
  languages: string[];
  htmlLang: string;
  subject: string;
  preheader: string;
  accentColor: string;
  logo: string;
  orgName: string;
  /** The organisation's name in each language of the edition, each with its own `lang`. */
  orgNames: { name: string; lang: string }[];
  topNote: { text: string; lang: string; href: string } | null;
  parts: EmailPartView[];
  footers: EmailFooterView[];
  /** Plain-text alternative, complete. */
  text: string;
  /** Images to attach as `cid:` parts when embedding. */
  images: EmbeddedImage[];
  /**
   * Stable across runs: a digest of what the reader gets, for Message-IDs and campaigns.
   * The SHA-256 of the view's other fields as JSON; computed when first read.
   */
  readonly contentHash: string;
}

export interface EmailPartView {
  lang: string;
  htmlLang: string;
  anchor: string;
  releaseLine: string;
  title: string;
  subtitle: string;
  bodyHtml: string;
  image: { src: string; alt: string } | null;
  sourceLabel: string;
  informationLabel: string;
  sources: ReleaseParts['sources'];
  informations: ReleaseParts['informations'];
  aboutHeading: string;
  aboutParagraphs: string[];
}

export interface EmailFooterView {
  lang: string;
  htmlLang: string;
  orgName: string;
  postalAddress: string;
  reason: string;
  unsubscribeLabel: string;
  unsubscribeHref: string;
  viewInBrowserLabel: string;
  viewInBrowserHref: string;
}

export interface EmailViewOptions {
  /**
   * When the edition is read (sent, exported, built), in ms: while the release's embargo
   * holds then, the edition says so (release line, subject), leaves out the link to its web
   * copy and, with `embedImages: 'auto'`, attaches its images, none of which the site
   * publishes before the embargo. From the embargo on, it reads as released.
   */
  now: number;
  /**
   * Attach the release's images and refer to them as `cid:` instead of linking to the site:
   * always (true), never (false: web copies, HTML for other tools), or while the embargo
   * holds ('auto': messages).
   */
  embedImages: boolean | 'auto';
  /**
   * With a one-click `unsubscribe.url`: what the footer's link carries as `t=` — the placeholder a
   * campaign's messages replace with each recipient's token. Absent (exports, previews, the
   * site): the link as configured.
   */
  unsubscribeToken?: string;
}

const NBSP_NARROW = /\u202F/g;
const forEmail = (s: string) => s.replace(NBSP_NARROW, '\u00A0');

/**
 * Builds an edition's view from the release and its trees (one per language, parsed once
 * and given their typography: see `prepareTrees`; they are not modified). Reads only the
 * headers of the body's images (their widths, for Outlook).
 */
export function emailView(
  release: Release,
  trees: ReadonlyMap<string, Root>,
  config: Config,
  edition: EmailEdition,
  options: EmailViewOptions,
): EmailView {
  return emailViews(release, trees, config, [edition], options).get(edition)!;
}

/**
 * The views of several editions at once. A language's part (its HTML body and plain text,
 * the costly pieces) is rendered once and shared by its own edition and the bilingual one.
 */
export function emailViews(
  release: Release,
  trees: ReadonlyMap<string, Root>,
  config: Config,
  editions: readonly EmailEdition[],
  options: EmailViewOptions,
): Map<EmailEdition, EmailView> {
  const embargoed = underEmbargo(release.embargo?.epoch, options.now);
  const embed = options.embedImages === 'auto' ? embargoed : options.embedImages;
  const images = new Map<string, EmbeddedImage>();
  const resolveUrl = (url: string): string => {
    if (!isLocalReference(url)) return url;
    if (!embed) return absoluteUrl(config, sitePaths.asset(release, url));
    // The file, not the URL: the body's `photo%20%C3%A9t%C3%A9.png` is `photo été.png` on
    // disk (read as written, it was an internal error), and the same file as the front
    // matter's image is one attachment.
    const file = fileOfUrl(url);
    let image = images.get(file);
    if (!image) {
      image = {
        file,
        cid: `${createHash('sha256').update(`${release.id}/${file}`).digest('hex').slice(0, 16)}@aimq`,
      };
      images.set(file, image);
    }
    return `cid:${image.cid}`;
  };
  const rendered = new Map<string, RenderedPart>();
  const partOf = (e: Edition): RenderedPart => {
    let r = rendered.get(e.lang);
    if (!r) {
      const before = new Set(images.keys());
      r = renderPart(release, e, trees.get(e.lang)!, config, resolveUrl, embargoed);
      r.images = [...images.entries()].filter(([url]) => !before.has(url)).map(([, image]) => image);
      rendered.set(e.lang, r);
    }
    return r;
  };
  return new Map(
    editions.map((edition) => [
      edition,
      assembleView(release, config, edition, partOf, embargoed, options.unsubscribeToken),
    ]),
  );
}

interface RenderedPart {
  edition: Edition;
  parts: ReleaseParts;
  view: EmailPartView;
  /** `view` as JSON, for the content hashes of the editions that show the part (written once). */
  json: () => string;
  text: string;
  /** The body alone in plain text, dateline first: the preheader when there is no summary. */
  bodyText: string;
  /** `text` with the characters e-mail fonts lack replaced (forEmail). */
  emailText: string;
  /** The images this part attaches (embedding only). */
  images: EmbeddedImage[];
}

function renderPart(
  release: Release,
  e: Edition,
  tree: Root,
  config: Config,
  resolveUrl: (url: string) => string,
  embargoed: boolean,
): RenderedPart {
  const p = releaseParts(release, e, config, embargoed);
  const s = p.strings;
  const view: EmailPartView = {
    lang: e.lang,
    htmlLang: s.htmlLang,
    anchor: e.lang,
    releaseLine: forEmail(p.releaseLine),
    title: forEmail(p.title),
    subtitle: forEmail(p.subtitle),
    bodyHtml: renderEmailBody(tree, {
      dateline: forEmail(p.dateline),
      resolveUrl,
      accentColor: config.email?.accentColor ?? '#0b4f8a',
      lang: e.lang,
      imageWidth: (url) =>
        isLocalReference(url) ? imageWidth(join(config.root, release.dir, fileOfUrl(url))) : undefined,
    }),
    image: e.image ? { src: resolveUrl(leadImageUrl(e.image.src)), alt: forEmail(p.imageAlt) } : null,
    sourceLabel: s.source,
    informationLabel: s.information,
    sources: p.sources,
    informations: p.informations,
    aboutHeading: p.aboutHeading,
    aboutParagraphs: p.aboutParagraphs.map(forEmail),
  };
  // Plain text cannot show an attached image: it gives the web address, except while the
  // embargo holds and the site does not have the image yet; then the description alone.
  const { text, bodyText } = partText(
    e,
    p,
    embargoed ? withoutLocalImages(tree) : tree,
    (url) => (isLocalReference(url) ? absoluteUrl(config, sitePaths.asset(release, normalizeUrl(url))) : url),
    embargoed,
  );
  let json: string | undefined;
  return {
    edition: e,
    parts: p,
    view,
    json: () => (json ??= JSON.stringify(view)),
    text,
    bodyText,
    emailText: forEmail(text),
    images: [],
  };
}

function assembleView(
  release: Release,
  config: Config,
  edition: EmailEdition,
  partOf: (e: Edition) => RenderedPart,
  embargoed: boolean,
  unsubscribeToken: string | undefined,
): EmailView {
  const editions =
    edition === 'bilingual' ? release.editions : release.editions.filter((e) => e.lang === edition);
  if (editions.length === 0) throw new Error(`release ${release.id} has no ${edition} edition`);
  const email = config.email;
  const rendered = editions.map(partOf);
  const allParts = rendered.map((r) => ({ e: r.edition, parts: r.parts }));
  const primary = allParts[0]!;
  const parts = rendered.map((r) => r.view);
  const images = new Map(rendered.flatMap((r) => r.images).map((i) => [i.file, i]));

  const footers = allParts.map(({ e, parts: p }) =>
    footerView(release, e, p, config, edition, embargoed, unsubscribeToken),
  );
  // forEmail changes characters one by one: each part's text was given it once, for every edition showing it.
  const text = [
    ...(allParts.length > 1
      ? [
          forEmail(
            `${allParts
              .slice(1)
              .map(({ parts: p }) => p.strings.otherLanguageBelow)
              .join(' ')}\n`,
          ),
        ]
      : []),
    rendered.map((r) => r.emailText).join('\n* * *\n\n'),
    forEmail(`-- \n${footers.map(footerText).join('\n')}`),
  ].join('\n');

  const subjectTitle = allParts.map(({ parts: p }) => p.title).join(' / ');
  const embargo =
    embargoed && release.embargo
      ? `${primary.parts.strings.embargoedSubject} ${embargoPhrase(release.embargo.epoch, config.timeZone, primary.e.lang)} – `
      : '';
  const subject = forEmail(
    `${email?.subjectPrefix ? `${email.subjectPrefix} ` : ''}${embargo}${subjectTitle}`,
  );
  // Without a summary, the start of the body: the whole text began with the release line,
  // the title and its ==== underline, which the inbox then showed as the preview.
  const preheader = forEmail(
    primary.parts.summary || excerpt(rendered[0]!.bodyText.replace(/[ \t\r\n]+/g, ' ').trim(), 140),
  );
  const second = allParts[1];
  const view: Omit<EmailView, 'contentHash' | 'parts'> & { parts: null } = {
    edition,
    languages: allParts.map(({ parts: p }) => p.strings.htmlLang),
    htmlLang: primary.parts.strings.htmlLang,
    subject,
    preheader,
    accentColor: email?.accentColor ?? '#0b4f8a',
    logo: email?.logo ?? '',
    orgName: allParts
      .map(({ parts: p }) => p.orgName)
      .filter((n, i, all) => all.indexOf(n) === i)
      .join(' / '),
    orgNames: allParts
      .map(({ parts: p }) => ({ name: p.orgName, lang: p.strings.htmlLang }))
      .filter((n, i, all) => all.findIndex((m) => m.name === n.name) === i),
    topNote: second
      ? {
          text: second.parts.strings.otherLanguageBelow,
          lang: second.parts.strings.htmlLang,
          href: `#${second.e.lang}`,
        }
      : null,
    parts: null,
    footers,
    text,
    images: [...images.values()],
  };
  let hash: string | undefined;
  return {
    ...view,
    parts,
    // Worked out when first read (Message-IDs, campaigns): the HTML and the text do not need it.
    get contentHash() {
      if (hash === undefined)
        hash = contentHash(
          view,
          rendered.map((r) => r.json()),
        );
      return hash;
    },
  };
}

/**
 * The digest of the view's JSON (without the digest), as JSON.stringify would write it:
 * each part's JSON, the largest piece, is written once per release and spliced in, for
 * the edition of its language and the bilingual one alike.
 */
function contentHash(view: object, partsJson: readonly string[]): string {
  const json = JSON.stringify(view);
  const at = json.indexOf(PARTS_PLACEHOLDER);
  return createHash('sha256')
    .update(json.slice(0, at))
    .update(`"parts":[${partsJson.join(',')}]`)
    .update(json.slice(at + PARTS_PLACEHOLDER.length))
    .digest('hex');
}

// The fields before `parts` are plain values that cannot hold this text unescaped: a
// string's JSON has its quotes escaped.
const PARTS_PLACEHOLDER = '"parts":null';

/**
 * A copy of the tree whose images from the release folder have no address: the plain text
 * then gives their description alone (the shared tree stays as it is).
 */
function withoutLocalImages(tree: Root): Root {
  const copy = structuredClone(tree);
  const local = new Set<string>();
  visit(copy, 'definition', (node: Definition) => {
    if (isLocalReference(node.url)) local.add(node.identifier);
  });
  visit(copy, (node, index, parent) => {
    if (node.type === 'image' && isLocalReference(node.url)) node.url = '';
    else if (node.type === 'imageReference' && local.has(node.identifier) && parent && index !== undefined)
      parent.children[index] = { type: 'image', url: '', alt: node.alt ?? '' } as Image;
  });
  return copy;
}

/** One language's part of the plain text: the same parts as the HTML, from the same tree. */
function partText(
  edition: Edition,
  p: ReleaseParts,
  tree: Root,
  resolveUrl: (url: string) => string,
  embargoed: boolean,
): { text: string; bodyText: string } {
  // A shallow copy with the dateline in front: the shared tree stays as it is.
  const [first, ...rest] = tree.children;
  const withDateline: Root =
    first?.type === 'paragraph'
      ? {
          ...tree,
          children: [
            {
              ...(first as Paragraph),
              children: [{ type: 'text', value: `${p.dateline} ` }, ...(first as Paragraph).children],
            },
            ...rest,
          ],
        }
      : {
          ...tree,
          children: [
            { type: 'paragraph', children: [{ type: 'text', value: p.dateline }] },
            ...tree.children,
          ],
        };
  const body = mdastToText(withDateline, { resolveUrl, lang: edition.lang });
  const underline = (t: string, c: '=' | '-') => underlined(t, c, 72).join('\n');
  const contacts = (label: string, list: ReleaseParts['sources']) =>
    list.length
      ? [
          label,
          ...list.flatMap((c) => [
            wrap(c.role ? `${c.name}, ${c.role}` : c.name, 72),
            c.email,
            ...(c.phone ? [c.phone] : []),
          ]),
        ].join('\n')
      : '';
  const blocks = [
    p.releaseLine,
    underline(p.title, '='),
    p.subtitle ? wrap(p.subtitle, 72) : '',
    edition.image
      ? embargoed && isLocalReference(edition.image.src)
        ? `[${p.imageAlt}]`
        : `[${p.imageAlt}]\n${resolveUrl(leadImageUrl(edition.image.src))}`
      : '',
    body.text.trimEnd(),
    '-30-',
    contacts(p.strings.source, p.sources),
    contacts(p.strings.information, p.informations),
    [underline(p.aboutHeading, '-'), ...p.aboutParagraphs.map((para) => wrap(para, 72))].join('\n\n'),
    body.links.length ? formatLinks(body.links).trimEnd() : '',
  ];
  // The preheader's text: the words alone, without the plain text's link numbers ("[1]").
  const bodyText = [
    p.dateline,
    ...tree.children
      .filter((c) => c.type !== 'footnoteDefinition' && c.type !== 'html')
      .map((c) => toString(c)),
  ].join(' ');
  return { text: `${blocks.filter(Boolean).join('\n\n')}\n`, bodyText };
}

function footerView(
  release: Release,
  edition: Edition,
  p: ReleaseParts,
  config: Config,
  emailEdition: EmailEdition,
  embargoed: boolean,
  unsubscribeToken: string | undefined,
): EmailFooterView {
  const s = p.strings;
  const email = config.email;
  const mailto = email ? unsubscribeMailto(email, s.unsubscribeSubject) : '';
  return {
    lang: edition.lang,
    htmlLang: s.htmlLang,
    orgName: p.orgName,
    postalAddress: config.organization.postalAddress ?? '',
    reason: forEmail(email?.reason?.[edition.lang] ?? s.defaultReason),
    unsubscribeLabel: s.unsubscribe,
    unsubscribeHref: oneClickHref(email, unsubscribeToken) ?? mailto,
    viewInBrowserLabel: s.viewInBrowser,
    // Before the embargo the site does not have the web copy: a link to it would be a 404.
    viewInBrowserHref: embargoed ? '' : absoluteUrl(config, emailPagePath(release, emailEdition, 'html')),
  };
}

function oneClickHref(email: Config['email'], token: string | undefined): string | undefined {
  const url = email && unsubscribeUrl(email);
  return url && token && isOneClick(url) ? withToken(url, token) : url;
}

/** One language's footer; the text puts the signature delimiter "-- " once before them all, so mail programs set the footer apart and leave it out of replies. */
function footerText(f: EmailFooterView): string {
  const colon = stringsFor(f.lang).colon;
  return [
    f.orgName,
    ...(f.postalAddress ? [f.postalAddress] : []),
    '',
    wrap(f.reason, 72),
    labelled(`${f.unsubscribeLabel}${colon}`, f.unsubscribeHref),
    ...(f.viewInBrowserHref ? [labelled(`${f.viewInBrowserLabel}${colon}`, f.viewInBrowserHref)] : []),
    '',
  ].join('\n');
}

/** "Label: URL" on one line when it fits in 78 characters, else the URL on a line of its own (it cannot be wrapped). */
function labelled(label: string, url: string): string {
  return label.length + 1 + url.length <= 78 ? `${label} ${url}` : `${label}\n${url}`;
}

/** The front matter's `image.src` as a URL: a file name of the release folder gets encoded, an https URL stays. */
function leadImageUrl(src: string): string {
  return isLocalReference(src) ? fileUrlPath(src) : src;
}
