import type { Element, Root as HastRoot, RootContent as HastContent } from 'hast';
import type { Root as MdastRoot } from 'mdast';
import rehypeSanitize, { defaultSchema } from 'rehype-sanitize';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import { parseWithRemark } from './remark.js';
import { remarkTypography, type FrenchProfile } from './typography.js';

/**
 * Parses an edition's markdown body into the tree remark-parse + remark-gfm would build.
 * Positions are shifted by `bodyLine` so they are the markdown file's own lines, not the
 * body's.
 */
export function parseMarkdown(markdown: string, bodyLine = 1): MdastRoot {
  const tree = parseWithRemark(markdown);
  if (bodyLine !== 1) {
    visit(tree, (node) => {
      if (node.position) {
        node.position.start.line += bodyLine - 1;
        node.position.end.line += bodyLine - 1;
      }
    });
  }
  return tree;
}

/** Applies the language's typography to prose in place (French rules for `fr*`, quotes for `en*`). */
export function applyTypography(tree: MdastRoot, lang: string, profile: FrenchProfile): MdastRoot {
  remarkTypography({ lang, profile })(tree);
  return tree;
}

/**
 * The URL schemes a body link keeps: GitHub's, and `tel:` (a phone number to call, as the
 * contact blocks link theirs). Any other (`javascript:`, `data:`, `ftp:`) is dropped from
 * the link, and `release check` warns about it (AIMQ-LINK-REMOVED).
 */
export const LINK_SCHEMES: readonly string[] = [...(defaultSchema.protocols?.href ?? []), 'tel'];

// GitHub's sanitizing schema, with `lang` allowed so a passage in the other language keeps
// its own, and without its `user-content-` clobbering: the only ids in a body are the
// footnotes', which remark-rehype already prefixes, in the links as in the targets.
// Prefixing them again in the targets alone broke every footnote link. Links keep LINK_SCHEMES.
const schema = {
  ...defaultSchema,
  protocols: { ...defaultSchema.protocols, href: [...LINK_SCHEMES] },
  clobber: [],
  attributes: { ...defaultSchema.attributes, '*': [...(defaultSchema.attributes?.['*'] ?? []), 'lang'] },
};

/** The footnotes' heading and back-links, in the edition's language. */
const FOOTNOTE_LABELS: Record<string, { label: string; back: string }> = {
  fr: { label: 'Notes', back: 'Retour au texte' },
  en: { label: 'Notes', back: 'Back to the text' },
};

const toHastProcessors = new Map<string, ReturnType<typeof toHastProcessor>>();

function toHastProcessor(lang: string) {
  const labels = FOOTNOTE_LABELS[lang.slice(0, 2)] ?? FOOTNOTE_LABELS.en!;
  return unified()
    .use(remarkRehype, {
      // Per language, so that the two parts of a bilingual e-mail have ids of their own.
      clobberPrefix: `${lang}-`,
      footnoteLabel: labels.label,
      footnoteBackLabel: labels.back,
    })
    .use(rehypeSanitize, schema);
}

/**
 * Turns a markdown tree into a sanitized HTML tree. Raw HTML in the markdown is dropped by
 * remark-rehype (no `allowDangerousHtml`), and rehype-sanitize removes anything else unsafe
 * (`javascript:` URLs, event handlers). Body headings are shifted so that the page's title
 * stays the only h1, and none skips a level. Footnotes are labelled in `lang`, the edition's language.
 */
export function toHtmlTree(tree: MdastRoot, lang: string): HastRoot {
  // The web page and the e-mail editions convert the same tree: remark-rehype and
  // rehype-sanitize run once per tree and language, and each caller gets its own copy to
  // change (URLs, dateline, styles).
  let byLang = htmlTrees.get(tree);
  if (!byLang) {
    byLang = new Map();
    htmlTrees.set(tree, byLang);
  }
  let hast = byLang.get(lang);
  if (!hast) {
    hast = convert(tree, lang);
    byLang.set(lang, hast);
  }
  return copyTree(hast);
}

const htmlTrees = new WeakMap<MdastRoot, Map<string, HastRoot>>();

function convert(tree: MdastRoot, lang: string): HastRoot {
  let processor = toHastProcessors.get(lang);
  if (!processor) {
    processor = toHastProcessor(lang);
    toHastProcessors.set(lang, processor);
  }
  // No copy of the markdown tree first: remark-rehype builds new nodes without touching
  // it (the web page and the e-mail both render the same tree), and rehype-sanitize
  // copies what it keeps, so the changes below never reach the markdown tree either.
  const hast = processor.runSync(tree) as HastRoot;
  prefixFootnoteLabel(hast, `${lang}-`);
  shiftHeadings(hast, 2);
  return hast;
}

/** A copy of a sanitized tree that shares nothing a caller may change: nodes, children, properties. */
function copyTree<T extends HastRoot | HastContent>(node: T): T {
  const copy = { ...node };
  if ('properties' in copy && copy.properties) {
    const properties: Element['properties'] = {};
    for (const [key, value] of Object.entries(copy.properties))
      properties[key] = Array.isArray(value) ? [...value] : value;
    (copy as Element).properties = properties;
  }
  if ('children' in copy) (copy as Element).children = (copy as Element).children.map(copyTree);
  return copy;
}

/**
 * remark-rehype prefixes the notes' ids but not their heading's (`footnote-label`, which
 * it leaves to a sanitizer's clobbering): prefixed here too, so that the two parts of a
 * bilingual e-mail never share an id.
 */
function prefixFootnoteLabel(tree: HastRoot, prefix: string): void {
  const last = tree.children.at(-1);
  if (last?.type !== 'element' || last.properties.dataFootnotes === undefined) return;
  visit(tree, 'element', (el: Element) => {
    if (el.properties.id === 'footnote-label') el.properties.id = `${prefix}footnote-label`;
    const describedBy = el.properties.ariaDescribedBy;
    if (Array.isArray(describedBy))
      el.properties.ariaDescribedBy = describedBy.map((id) =>
        id === 'footnote-label' ? `${prefix}footnote-label` : id,
      );
  });
}

function shiftHeadings(tree: HastRoot, top: number): void {
  // Each heading comes one level below the nearest heading before it that the author wrote
  // at a higher level, and the highest at `top`: `# A` under the page's h1 is an h2, and so
  // is `### A` (written for its look); `##### B` under `## A` is an h3. A skipped level is
  // an error for the Nu Html Checker, and a gap in a screen reader's outline.
  const open: { written: number; level: number }[] = [];
  visit(tree, 'element', (el: Element) => {
    const written = headingLevel(el.tagName);
    if (!written) return;
    while (open.length > 0 && open[open.length - 1]!.written >= written) open.pop();
    const level = Math.min(6, (open.at(-1)?.level ?? top - 1) + 1);
    open.push({ written, level });
    el.tagName = `h${level}`;
  });
}

/** 1 to 6 for `h1`…`h6`, 0 for any other tag. */
function headingLevel(tagName: string): number {
  if (tagName.length !== 2 || tagName[0] !== 'h') return 0;
  const level = tagName.charCodeAt(1) - 48;
  return level >= 1 && level <= 6 ? level : 0;
}

/** Rewrites the `src` of images and `href` of links that point into the release folder. */
export function rewriteLocalUrls(tree: HastRoot, rewrite: (relative: string) => string): void {
  visit(tree, 'element', (el: Element) => {
    for (const attr of ['src', 'href'] as const) {
      const value = el.properties[attr];
      if (typeof value === 'string' && isLocalReference(value)) el.properties[attr] = rewrite(value);
    }
  });
}

/** A reference to a file beside the markdown (not a URL, a fragment, or an absolute path). */
export function isLocalReference(url: string): boolean {
  return (
    url !== '' &&
    !/^[a-z][a-z0-9+.-]*:/i.test(url) &&
    !url.startsWith('#') &&
    !url.startsWith('/') &&
    !url.startsWith('//')
  );
}

/** Puts the dateline at the start of the first paragraph, or before the body when it does not open with one. */
export function insertDateline(tree: HastRoot, dateline: HastContent[]): void {
  const span: Element = {
    type: 'element',
    tagName: 'span',
    properties: { className: ['dateline'] },
    children: dateline as Element['children'],
  };
  const first = tree.children.find((c) => c.type === 'element');
  if (first && first.type === 'element' && first.tagName === 'p') {
    first.children.unshift(span, { type: 'text', value: ' ' });
  } else {
    tree.children.unshift({ type: 'element', tagName: 'p', properties: {}, children: [span] });
  }
}
