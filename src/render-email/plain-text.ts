/**
 * The plain-text alternative of a press-release e-mail, rendered from the markdown tree
 * (mdast), not by stripping HTML.
 *
 * Prose is wrapped at a fixed width; no-break spaces (U+00A0, U+202F, put there by the
 * French typography) are kept and are never break points, so `9 h 30` and `mot ;` stay
 * together. Links become `text [n]`, numbered in order of first appearance; the caller
 * prints the numbered URLs after the text with `formatLinks`.
 */
import type {
  Definition,
  FootnoteDefinition,
  FootnoteReference,
  List,
  Nodes,
  PhrasingContent,
  Root,
  Table,
} from 'mdast';
import { toString } from 'mdast-util-to-string';

export interface PlainTextOptions {
  /** Resolves a link or image URL as written in markdown to the absolute URL to print (relative files are in the release folder). */
  resolveUrl: (url: string) => string;
  /** Line width for wrapping prose; default 72. */
  width?: number;
  /** The text's language: French puts a no-break space before the colon of `Note 1 :`. Default English. */
  lang?: string;
}

// A space that must not be a break point but is printed as an ordinary space: it ties a
// reference (`[1]`, `note 1`) to what it refers to. Private use, never left in the output.
const GLUE = '\uE010';
// Break points: ordinary spaces and tabs, and the Unicode spaces that allow a break.
// Not U+00A0 (no-break space), U+2007 (figure space) nor U+202F (narrow no-break space).
const BREAKABLE_CLASS = '[\\t\\v\\f\\r \\u1680\\u2000-\\u2006\\u2008-\\u200A\\u205F\\u3000]';
const BREAKABLE_RUN = new RegExp(`${BREAKABLE_CLASS}+`, 'u');
const TRAILING_BREAKABLE = new RegExp(`${BREAKABLE_CLASS}+$`, 'u');
const LEADING_BREAKABLE = new RegExp(`^${BREAKABLE_CLASS}+`, 'u');
const TRAILING_SPACE = /\s+$/u;
const NEEDS_CLEANING = /[\r\n\uE010]/;
// A number and the unit after it stay on one line (#11.26): English typography puts no
// no-break space there (`2 p.m.`, `25 °C`, `10 km`, `50 %`). A word taken for a unit by
// mistake only moves a break one word earlier.
const NUMBER_SPACE = /\p{N}[ \t]/u;
const UNIT_AFTER_NUMBER =
  /(?<=\p{N})[ \t]+(?=(?:[ap]\.m\.|[AP]\.M\.|[ap]m|[AP]M|%|‰|\$|€|£|¢|°[CF]?|km\/h|m\/s|mph|[kMGT]?Wh|[kMGT]?W|[kMG]?Hz|[kM]?V|[kMGT]?[Bo]|[mcµnk]?m[²³]?|[mck]?g|[mcd]?[lL]|ha|h|min|s|ms|lbs?|oz|ft|mi|t)(?![\p{L}\p{N}]))/gu;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Visible length: user-perceived characters (an accented letter counts once, composed or not). */
// Characters that join with their neighbours into one visible character: combining marks,
// joiners, variation selectors and surrogate pairs. Text without them (all French and
// English prose in composed form) has one visible character per UTF-16 unit.
const CLUSTERING =
  // biome-ignore lint/suspicious/noMisleadingCharacterClass: a class of lone marks and surrogates on purpose, tested unit by unit
  /[\u0300-\u036F\u0483-\u0489\u0591-\u05BD\u0610-\u061A\u064B-\u065F\u1AB0-\u1AFF\u1DC0-\u1DFF\u200C\u200D\u20D0-\u20FF\uFE00-\uFE0F\uFE20-\uFE2F\uD800-\uDFFF]/;

export function visibleLength(text: string): number {
  if (!CLUSTERING.test(text)) return text.length;
  let n = 0;
  for (const _ of graphemes.segment(text)) n++;
  return n;
}

function checkWidth(width: number): void {
  if (!Number.isInteger(width) || width < 1)
    throw new RangeError(`width must be a positive integer, not ${width}`);
}

// ---------------------------------------------------------------------------------------
// Wrapping
// ---------------------------------------------------------------------------------------

/**
 * Wraps one paragraph of prose to `width`, never breaking at a no-break space (U+00A0,
 * U+202F) nor inside a URL. `width` counts the indents: the first line starts with
 * `firstIndent` (default `indent`), the others with `indent`. Runs of ordinary spaces
 * become one space; a word longer than the line stays whole on its own line; a `\n` is a
 * hard line break. Returns the lines joined by `\n`, without a final `\n`.
 */
export function wrap(text: string, width: number, indent = '', firstIndent: string = indent): string {
  checkWidth(width);
  return wrapLines(text, width, indent, firstIndent).join('\n');
}

function wrapLines(text: string, width: number, indent: string, firstIndent: string): string[] {
  if (NUMBER_SPACE.test(text)) text = text.replace(UNIT_AFTER_NUMBER, GLUE);
  // Most prose has no joining characters at all: then a word's length is its visible length.
  const length =
    CLUSTERING.test(text) || CLUSTERING.test(indent) || CLUSTERING.test(firstIndent)
      ? visibleLength
      : undefined;
  const firstAvailable = Math.max(1, width - (length ? length(firstIndent) : firstIndent.length));
  const otherAvailable = Math.max(1, width - (length ? length(indent) : indent.length));
  const out: string[] = [];
  const push = (content: string): void => {
    out.push(tidyLine((out.length === 0 ? firstIndent : indent) + content));
  };
  // Lines split at `\n` (hard breaks), words at break points, by hand: this is the hot loop
  // of the plain text. Blank lines before the first words and after the last are dropped,
  // and consecutive hard breaks give one blank line, never more.
  let started = false;
  let blank = false;
  for (let i = 0; i <= text.length; ) {
    let end = text.indexOf('\n', i);
    if (end === -1) end = text.length;
    // The line is a slice of the text while its words are apart by exactly one space (most
    // lines); it is built word by word only from the first other separator on.
    let lineStart = -1;
    let lineEnd = -1;
    let built: string | undefined;
    let lineLength = 0;
    const line = () => built ?? text.slice(lineStart, lineEnd);
    let j = i;
    for (;;) {
      while (j < end && isBreakable(text.charCodeAt(j))) j++;
      if (j >= end) break;
      let k = j + 1;
      while (k < end && !isBreakable(text.charCodeAt(k))) k++;
      const wordLength = length ? length(text.slice(j, k)) : k - j;
      if (lineStart === -1) {
        if (blank) push('');
        blank = false;
        lineStart = j;
        built = undefined;
        lineLength = wordLength;
      } else if (lineLength + 1 + wordLength <= (out.length === 0 ? firstAvailable : otherAvailable)) {
        if (built !== undefined || j !== lineEnd + 1 || text.charCodeAt(lineEnd) !== 32)
          built = `${line()} ${text.slice(j, k)}`;
        lineLength += 1 + wordLength;
      } else {
        push(line());
        lineStart = j;
        built = undefined;
        lineLength = wordLength;
      }
      lineEnd = k;
      j = k;
    }
    if (lineStart !== -1) {
      push(line());
      started = true;
    } else if (started) {
      blank = true;
    }
    i = end + 1;
  }
  return out;
}

/** A break point: see BREAKABLE_CLASS. */
function isBreakable(c: number): boolean {
  // Letters first out: most characters are above the space and below U+1680.
  if (c > 32)
    return (
      c >= 0x1680 &&
      (c === 0x1680 || (c >= 0x2000 && c <= 0x200a && c !== 0x2007) || c === 0x205f || c === 0x3000)
    );
  return c === 32 || c === 9 || c === 11 || c === 12 || c === 13;
}

/** White space as `\s` means it in a regular expression. */
function isSpace(c: number): boolean {
  return (
    c === 32 ||
    (c >= 9 && c <= 13) ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** The glue made a space, and no trailing white space: what every output line gets. */
function tidyLine(line: string): string {
  const glued = line.includes(GLUE) ? line.replaceAll(GLUE, ' ') : line;
  let end = glued.length;
  while (end > 0 && isSpace(glued.charCodeAt(end - 1))) end--;
  return end === glued.length ? glued : glued.slice(0, end);
}

/** Inline text on one line: hard breaks and runs of spaces become one space. */
function oneLine(text: string): string {
  return text
    .replaceAll('\n', ' ')
    .replaceAll(GLUE, ' ')
    .split(BREAKABLE_RUN)
    .filter((word) => word !== '')
    .join(' ');
}

// ---------------------------------------------------------------------------------------
// Links
// ---------------------------------------------------------------------------------------

/** Formats collected links as the numbered reference list printed after the text: "[1] https://…". */
export function formatLinks(links: string[]): string {
  return links.map((url, i) => `[${i + 1}] ${url}\n`).join('');
}

interface Context {
  resolveUrl: (url: string) => string;
  links: string[];
  linkNumbers: Map<string, number>;
  definitions: Map<string, Definition>;
  footnotes: Map<string, FootnoteDefinition>;
  /** Identifiers of the footnotes referred to, in order of first reference. */
  notes: string[];
  french: boolean;
}

function schemeOf(url: string): string | undefined {
  return /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function reference(ctx: Context, url: string): number {
  const resolved = ctx.resolveUrl(url);
  let n = ctx.linkNumbers.get(resolved);
  if (n === undefined) {
    ctx.links.push(resolved);
    n = ctx.links.length;
    ctx.linkNumbers.set(resolved, n);
  }
  return n;
}

function renderLink(url: string, children: PhrasingContent[], ctx: Context): string {
  const text = inline(children, ctx).replace(TRAILING_BREAKABLE, '').replace(LEADING_BREAKABLE, '');
  const label = toString({ type: 'paragraph', children });
  const scheme = schemeOf(url);
  if (url === '') return text;
  if (scheme === 'mailto' || scheme === 'tel') {
    // `mailto:a@b.ca?subject=…` prints the address; `tel:+15145550100` the number.
    const address = decode(url.slice(scheme.length + 1).split('?')[0]!);
    if (text === '' || label.toLowerCase() === address.toLowerCase()) return text === '' ? address : text;
    return `${text} (${address})`;
  }
  // javascript:, data:… never become a reference (the web page's sanitizer drops them too).
  if (scheme !== undefined && scheme !== 'http' && scheme !== 'https') return text;
  // The text is the address itself: `<https://…>`, a bare URL, `www.aimq.net`.
  if (text === '' || label === url) return ctx.resolveUrl(url);
  if (`http://${label}` === url || `https://${label}` === url) return text;
  return `${text}${GLUE}[${reference(ctx, url)}]`;
}

function renderImage(url: string, alt: string | null | undefined, ctx: Context): string {
  const text = oneLine(clean(alt ?? ''));
  const scheme = schemeOf(url);
  if (url === '' || (scheme !== undefined && scheme !== 'http' && scheme !== 'https'))
    return text === '' ? '' : `[${text}]`;
  const n = reference(ctx, url);
  return text === '' ? `[${n}]` : `[${text}]${GLUE}[${n}]`;
}

function renderFootnoteReference(node: FootnoteReference, ctx: Context): string {
  if (!ctx.footnotes.has(node.identifier)) return `[^${node.label ?? node.identifier}]`;
  let index = ctx.notes.indexOf(node.identifier);
  if (index === -1) index = ctx.notes.push(node.identifier) - 1;
  return ` (note${GLUE}${index + 1})`;
}

// ---------------------------------------------------------------------------------------
// Inline content
// ---------------------------------------------------------------------------------------

/** Text as written: a soft line break is a space; the private glue character cannot sneak in. */
function clean(text: string): string {
  if (!NEEDS_CLEANING.test(text)) return text;
  return text.replace(/\r\n?|\n/g, ' ').replaceAll(GLUE, '');
}

/** Inline content as one string: `\n` for hard breaks, GLUE where a break is not allowed. */
function inline(nodes: readonly Nodes[], ctx: Context): string {
  return nodes.map((node) => phrasing(node, ctx)).join('');
}

function phrasing(node: Nodes, ctx: Context): string {
  switch (node.type) {
    case 'text':
    case 'inlineCode':
      return clean(node.value);
    case 'break':
      return '\n';
    case 'html':
      return '';
    case 'link':
      return renderLink(node.url, node.children, ctx);
    case 'linkReference': {
      const definition = ctx.definitions.get(node.identifier);
      return definition ? renderLink(definition.url, node.children, ctx) : inline(node.children, ctx);
    }
    case 'image':
      return renderImage(node.url, node.alt, ctx);
    case 'imageReference': {
      const definition = ctx.definitions.get(node.identifier);
      return renderImage(definition?.url ?? '', node.alt, ctx);
    }
    case 'footnoteReference':
      return renderFootnoteReference(node, ctx);
    default:
      // emphasis, strong, delete: just the text; anything unknown: its text.
      if ('children' in node) return inline(node.children as Nodes[], ctx);
      if ('value' in node && typeof node.value === 'string') return clean(node.value);
      return '';
  }
}

// ---------------------------------------------------------------------------------------
// Blocks
// ---------------------------------------------------------------------------------------

/** Renders blocks as lines, separated by one blank line (`loose`) or none. */
function blocks(nodes: readonly Nodes[], width: number, ctx: Context, loose: boolean): string[] {
  const out: string[] = [];
  for (const node of nodes) {
    const lines = block(node, width, ctx);
    if (lines.length === 0) continue;
    if (loose && out.length > 0) out.push('');
    out.push(...lines);
  }
  return out;
}

/**
 * A heading wrapped at `width` and underlined as long as its longest line: a long title
 * stays readable on a phone (a Markdown setext heading may span several lines).
 */
export function underlined(text: string, char: '=' | '-', width: number): string[] {
  const lines = wrapLines(text, width, '', '');
  return [...lines, char.repeat(Math.max(...lines.map(visibleLength)))];
}

function block(node: Nodes, width: number, ctx: Context): string[] {
  switch (node.type) {
    case 'paragraph':
      return wrapLines(inline(node.children, ctx), width, '', '');
    case 'heading': {
      const text = oneLine(inline(node.children, ctx));
      if (text === '') return [];
      // `=` is the title's underline (the release title is the only level-1 heading); body headings get `-`.
      return underlined(text, node.depth <= 1 ? '=' : '-', width);
    }
    case 'thematicBreak':
      return ['----'];
    case 'blockquote':
      return prefixLines(blocks(node.children, width - 2, ctx, true), '> ', '> ');
    case 'list':
      return list(node, width, ctx);
    case 'code':
      return code(node.value);
    case 'table':
      return table(node, width, ctx);
    case 'html':
    case 'definition':
    case 'footnoteDefinition': // listed after the body
    case 'yaml':
      return [];
    default:
      if ('children' in node) return blocks(node.children as Nodes[], width, ctx, true);
      if ('value' in node && typeof node.value === 'string')
        return wrapLines(clean(node.value), width, '', '');
      return [];
  }
}

/** Prefixes the first line with `first` and the others with `rest`; blank lines get no trailing space. */
function prefixLines(lines: string[], first: string, rest: string): string[] {
  return lines.map((line, i) => {
    const prefix = i === 0 ? first : rest;
    return line === '' ? prefix.replace(TRAILING_SPACE, '') : prefix + line;
  });
}

function list(node: List, width: number, ctx: Context): string[] {
  const loose = node.spread === true || node.children.some((item) => item.spread === true);
  const start = node.start ?? 1;
  // Ordered markers share one width, so that the items' text is aligned: `9.  `, `10. `.
  const numberWidth = node.ordered ? Math.max(...node.children.map((_, i) => `${start + i}.`.length)) + 1 : 0;
  const out: string[] = [];
  node.children.forEach((item, i) => {
    let marker = node.ordered ? `${start + i}.`.padEnd(numberWidth) : '- ';
    if (typeof item.checked === 'boolean') marker += item.checked ? '[x] ' : '[ ] ';
    const indent = ' '.repeat(visibleLength(marker));
    const content = blocks(item.children, width - indent.length, ctx, loose);
    if (loose && out.length > 0) out.push('');
    out.push(...(content.length > 0 ? prefixLines(content, marker, indent) : [marker.trimEnd()]));
  });
  return out;
}

function code(value: string): string[] {
  const out: string[] = [];
  for (const line of value.split(/\r\n?|\n/)) {
    if (line.trim() === '') {
      if (out.length > 0 && out.at(-1) !== '') out.push('');
    } else {
      out.push(`    ${line.replace(TRAILING_SPACE, '')}`);
    }
  }
  if (out.at(-1) === '') out.pop();
  return out;
}

function table(node: Table, width: number, ctx: Context): string[] {
  const rows = node.children.map((row) => row.children.map((cell) => oneLine(inline(cell.children, ctx))));
  const columns = Math.max(0, ...rows.map((row) => row.length));
  const widths = Array.from({ length: columns }, (_, c) =>
    Math.max(3, ...rows.map((row) => visibleLength(row[c] ?? ''))),
  );
  const format = (row: string[]): string =>
    widths
      .map((width, c) => {
        const cell = row[c] ?? '';
        const room = width - visibleLength(cell);
        const align = node.align?.[c];
        if (align === 'right') return ' '.repeat(room) + cell;
        if (align === 'center') {
          const left = Math.floor(room / 2);
          return ' '.repeat(left) + cell + ' '.repeat(room - left);
        }
        return cell + ' '.repeat(room);
      })
      .join(' | ')
      .replace(TRAILING_SPACE, '');
  const [header, ...body] = rows;
  if (header === undefined) return [];
  // Aligned rows wider than a mail line would be wrapped by the reader's program into a
  // jumble: each row then becomes a block of "Header: value" lines.
  if (widths.reduce((sum, w) => sum + w, 0) + 3 * (columns - 1) > MAX_TABLE_WIDTH) {
    const colon = ctx.french ? '\u00A0:' : ':';
    return body.flatMap((row, r) => [
      ...(r > 0 ? [''] : []),
      ...widths.flatMap((_, c) => {
        const cell = row[c] ?? '';
        const name = header[c] ?? '';
        if (cell === '') return [];
        return wrapLines(name === '' ? cell : `${name}${colon} ${cell}`, width, '  ', '');
      }),
    ]);
  }
  return [format(header), widths.map((width) => '-'.repeat(width)).join(' | '), ...body.map(format)];
}

/** The widest table laid out as aligned rows: a plain-text mail line (RFC 5322's 78 characters). */
const MAX_TABLE_WIDTH = 78;

function note(definition: FootnoteDefinition, n: number, width: number, ctx: Context): string[] {
  // OQLF: a no-break space before a colon.
  const label = ctx.french ? `Note ${n}\u00A0:` : `Note ${n}:`;
  const [first, ...rest] = definition.children;
  let lines: string[] = [];
  let remaining: Nodes[] = definition.children;
  if (first?.type === 'paragraph') {
    lines = wrapLines(inline(first.children, ctx), width, '', `${label} `);
    remaining = rest;
  }
  if (lines.length === 0) lines = [label];
  const more = blocks(remaining, width, ctx, true);
  if (more.length === 0) return lines;
  return first?.type === 'paragraph' ? [...lines, '', ...more] : [...lines, ...more];
}

// ---------------------------------------------------------------------------------------
// The document
// ---------------------------------------------------------------------------------------

/**
 * Renders body markdown (after typography has been applied to the tree) as plain text.
 * Footnotes are listed after the body (`Note 1: …`). `links` are the URLs numbered in the
 * text, `links[0]` being `[1]`. The text ends with one `\n` (an empty body gives ""). Pure.
 */
export function mdastToText(tree: Root, options: PlainTextOptions): { text: string; links: string[] } {
  const width = options.width ?? 72;
  checkWidth(width);
  const ctx: Context = {
    resolveUrl: options.resolveUrl,
    links: [],
    linkNumbers: new Map(),
    definitions: new Map(),
    footnotes: new Map(),
    notes: [],
    french: options.lang?.startsWith('fr') ?? false,
  };
  // In document order, the first definition of an identifier wins.
  const collect = (node: Nodes): void => {
    if (node.type === 'definition' && !ctx.definitions.has(node.identifier))
      ctx.definitions.set(node.identifier, node);
    if (node.type === 'footnoteDefinition' && !ctx.footnotes.has(node.identifier))
      ctx.footnotes.set(node.identifier, node);
    // Definitions are blocks: the phrasing content of paragraphs, headings and tables has none.
    if ('children' in node && node.type !== 'paragraph' && node.type !== 'heading' && node.type !== 'table')
      for (const child of node.children) collect(child);
  };
  collect(tree);

  const lines = blocks(tree.children, width, ctx, true);
  // A note may refer to another note, which is then numbered and listed in turn.
  for (let i = 0; i < ctx.notes.length; i++) {
    const definition = ctx.footnotes.get(ctx.notes[i]!)!;
    const noteLines = note(definition, i + 1, width, ctx);
    if (lines.length > 0) lines.push('');
    lines.push(...noteLines);
  }
  return { text: finish(lines), links: ctx.links };
}

/** No trailing spaces, never two blank lines in a row, no blank line at either end, one final `\n`. */
function finish(lines: string[]): string {
  const out: string[] = [];
  const add = (raw: string) => {
    const line = tidyLine(raw);
    if (line === '' && (out.length === 0 || out[out.length - 1] === '')) return;
    out.push(line);
  };
  for (const raw of lines) {
    if (raw.includes('\n')) raw.split('\n').forEach(add);
    else add(raw);
  }
  while (out.at(-1) === '') out.pop();
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}
