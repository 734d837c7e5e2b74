/**
 * The e-mail body written straight from the markdown tree, for the trees made of common
 * nodes: the same bytes as the general path (toHtmlTree: remark-rehype then
 * rehype-sanitize, the dateline, the inline styles, then hast-util-to-html) without
 * building, cloning, sanitizing and walking two HTML trees. Each rule of those libraries
 * that matters for these nodes is reproduced here, and cited; a tree holding anything
 * else (raw HTML, references, footnotes, task lists, custom `data`…) gets `undefined`,
 * and the caller takes the general path.
 */
import type {
  Blockquote,
  Code,
  Heading,
  Image,
  Link,
  List,
  ListItem,
  Nodes,
  PhrasingContent,
  Root,
  RootContent,
  Table,
} from 'mdast';

export interface DirectBodyOptions {
  dateline: string;
  resolveUrl: (url: string) => string;
  /** Inline style of each element, by tag name, and of the dateline. */
  styles: Readonly<Record<string, string>>;
}

class Unsupported extends Error {}
const unsupported = (): never => {
  throw new Unsupported('not rendered directly');
};

/** The body's HTML, or undefined when the tree needs the general path. */
export function renderBodyDirect(tree: Root, options: DirectBodyOptions): string | undefined {
  try {
    return new Writer(options, headingShift(tree)).root(tree);
  } catch (err) {
    if (err instanceof Unsupported) return undefined;
    throw err;
  }
}

/** toHtmlTree's shiftHeadings: the highest heading becomes an h2 (the page's title is the h1). */
function headingShift(tree: Root): number {
  let min = 7;
  // Headings are blocks: only containers of blocks need a look inside.
  const walk = (node: Nodes) => {
    if (node.type === 'heading') min = Math.min(min, node.depth);
    else if (
      node.type === 'root' ||
      node.type === 'blockquote' ||
      node.type === 'list' ||
      node.type === 'listItem' ||
      node.type === 'footnoteDefinition'
    ) {
      for (const child of node.children) walk(child);
    }
  };
  walk(tree);
  return min < 2 ? 2 - min : 0;
}

// hast-util-to-html: text escapes `<` and `&`; double-quoted attribute values escape
// NUL, `"`, `&`, `'` and backtick; both as upper-case hexadecimal references.
const TEXT_SPECIAL = /[<&]/;
const TEXT_SPECIALS = /[<&]/g;
const ATTRIBUTE_SPECIAL = /[\0"&'`]/;
const ATTRIBUTE_SPECIALS = /[\0"&'`]/g;
const reference = (c: string) => `&#x${c.charCodeAt(0).toString(16).toUpperCase()};`;
const NNBSP = /\u202F/g;

/** A text node as it ends up: U+202F made U+00A0 (renderEmailBody), then escaped. */
function text(value: string): string {
  const v = value.includes('\u202F') ? value.replace(NNBSP, '\u00A0') : value;
  return TEXT_SPECIAL.test(v) ? v.replace(TEXT_SPECIALS, reference) : v;
}

function attribute(name: string, value: string): string {
  return ` ${name}="${ATTRIBUTE_SPECIAL.test(value) ? value.replace(ATTRIBUTE_SPECIALS, reference) : value}"`;
}

/** trim-lines, as mdast-util-to-hast's text handler applies it. */
function trimLines(value: string): string {
  if (!value.includes('\n') && !value.includes('\r')) return value;
  const search = /\r?\n|\r/g;
  let match = search.exec(value);
  let last = 0;
  let out = '';
  while (match) {
    out += trimLine(value.slice(last, match.index), last > 0, true) + match[0];
    last = match.index + match[0].length;
    match = search.exec(value);
  }
  return out + trimLine(value.slice(last), last > 0, false);
}

function trimLine(value: string, start: boolean, end: boolean): string {
  let from = 0;
  let to = value.length;
  if (start) while (from < to && (value.charCodeAt(from) === 9 || value.charCodeAt(from) === 32)) from++;
  if (end) while (to > from && (value.charCodeAt(to - 1) === 9 || value.charCodeAt(to - 1) === 32)) to--;
  return value.slice(from, to);
}

/** mdast-util-to-hast: a text right after a hard break loses its leading spaces and tabs. */
function trimMarkdownSpaceStart(value: string): string {
  let i = 0;
  while (value.charCodeAt(i) === 9 || value.charCodeAt(i) === 32) i++;
  return value.slice(i);
}

const isAsciiAlphanumeric = (code: number) =>
  (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
const URL_SAFE = /[!#$&-;=?-Z_a-z~]/;

/** micromark-util-sanitize-uri's normalizeUri, which mdast-util-to-hast applies to URLs. */
function normalizeUri(value: string): string {
  let out = '';
  let start = 0;
  let skip = 0;
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    let replace = '';
    if (
      code === 37 &&
      isAsciiAlphanumeric(value.charCodeAt(index + 1)) &&
      isAsciiAlphanumeric(value.charCodeAt(index + 2))
    ) {
      skip = 2;
    } else if (code < 128) {
      if (!URL_SAFE.test(String.fromCharCode(code))) replace = String.fromCharCode(code);
    } else if (code > 55_295 && code < 57_344) {
      const next = value.charCodeAt(index + 1);
      if (code < 56_320 && next > 56_319 && next < 57_344) {
        replace = String.fromCharCode(code, next);
        skip = 1;
      } else {
        replace = '\uFFFD';
      }
    } else {
      replace = String.fromCharCode(code);
    }
    if (replace) {
      out += value.slice(start, index) + encodeURIComponent(replace);
      start = index + skip + 1;
    }
    if (skip) {
      index += skip;
      skip = 0;
    }
  }
  return out + value.slice(start);
}

const HREF_PROTOCOLS = ['http', 'https', 'irc', 'ircs', 'mailto', 'xmpp'];
const SRC_PROTOCOLS = ['http', 'https'];

/** hast-util-sanitize's safeProtocol with GitHub's schema. */
function safeProtocol(url: string, protocols: readonly string[]): boolean {
  const colon = url.indexOf(':');
  const questionMark = url.indexOf('?');
  const numberSign = url.indexOf('#');
  const slash = url.indexOf('/');
  if (
    colon < 0 ||
    (slash > -1 && colon > slash) ||
    (questionMark > -1 && colon > questionMark) ||
    (numberSign > -1 && colon > numberSign)
  )
    return true;
  return protocols.some((p) => colon === p.length && url.slice(0, p.length) === p);
}

/** A block's HTML, and whether it is a `p` (list items unwrap them; the dateline goes in the first). */
interface Block {
  html: string;
  paragraph?: { inner: string };
}

class Writer {
  private readonly styles: Readonly<Record<string, string>>;

  constructor(
    private readonly options: DirectBodyOptions,
    private readonly shift: number,
  ) {
    this.styles = options.styles;
  }

  /** Each tag's style attribute, escaped once per body rather than once per element. */
  private readonly styleAttributes = new Map<string, string>();

  private open(tag: string, attributes = ''): string {
    let style = this.styleAttributes.get(tag);
    if (style === undefined) {
      const value = this.styles[tag];
      style = value ? attribute('style', value) : '';
      this.styleAttributes.set(tag, style);
    }
    return `<${tag}${attributes}${style}>`;
  }

  root(tree: Root): string {
    checkData(tree);
    const blocks = this.blocks(tree.children);
    // insertDateline: at the start of the first element when it is a paragraph, else in a paragraph of its own.
    const dateline = `<span class="dateline"${attribute('style', this.styles['.dateline'] ?? '')}>${text(this.options.dateline)}</span>`;
    const first = blocks[0];
    if (first?.paragraph) {
      blocks[0] = { html: `${this.open('p')}${dateline} ${first.paragraph.inner}</p>` };
      return blocks.map((b) => b.html).join('\n');
    }
    return `${this.open('p')}${dateline}</p>${blocks.map((b) => b.html).join('\n')}`;
  }

  /** mdast-util-to-hast's `all` for blocks: what renders nothing (raw HTML, definitions) leaves no trace. */
  private blocks(nodes: readonly RootContent[]): Block[] {
    const out: Block[] = [];
    for (const node of nodes) {
      const block = this.block(node);
      if (block) out.push(block);
    }
    return out;
  }

  /** mdast-util-to-hast's `wrap` with `loose`: a line break around and between the blocks. */
  private wrapLoose(blocks: readonly Block[]): string {
    return blocks.length === 0 ? '\n' : `\n${blocks.map((b) => b.html).join('\n')}\n`;
  }

  private block(node: RootContent): Block | undefined {
    checkData(node);
    switch (node.type) {
      case 'paragraph': {
        const inner = this.inline(node.children);
        return { html: `${this.open('p')}${inner}</p>`, paragraph: { inner } };
      }
      case 'heading':
        return { html: this.heading(node) };
      case 'thematicBreak':
        return { html: this.open('hr') };
      case 'blockquote':
        return { html: this.blockquote(node) };
      case 'list':
        return { html: this.list(node) };
      case 'code':
        return { html: this.code(node) };
      case 'table':
        return { html: this.table(node) };
      case 'html':
        // Raw HTML is dropped (no allowDangerousHtml).
        return undefined;
      default:
        // Definitions and footnotes, references, task lists and any other node: the general path.
        return unsupported();
    }
  }

  private heading(node: Heading): string {
    const tag = `h${Math.min(6, node.depth + this.shift)}`;
    return `${this.open(tag)}${this.inline(node.children)}</${tag}>`;
  }

  private blockquote(node: Blockquote): string {
    return `${this.open('blockquote')}${this.wrapLoose(this.blocks(node.children))}</blockquote>`;
  }

  private list(node: List): string {
    const loose = node.spread === true || node.children.some(listItemLoose);
    const start =
      typeof node.start === 'number' && node.start !== 1 ? attribute('start', String(node.start)) : '';
    const tag = node.ordered ? 'ol' : 'ul';
    const items = node.children.map((item) => ({ html: this.listItem(item, loose) }));
    return `${this.open(tag, start)}${this.wrapLoose(items)}</${tag}>`;
  }

  /** mdast-util-to-hast's listItem: in a tight list, paragraphs lose their `<p>`. */
  private listItem(node: ListItem, loose: boolean): string {
    checkData(node);
    if (typeof node.checked === 'boolean') unsupported();
    const results = this.blocks(node.children);
    let html = '';
    results.forEach((child, index) => {
      if (loose || index !== 0 || !child.paragraph) html += '\n';
      html += child.paragraph && !loose ? child.paragraph.inner : child.html;
    });
    const tail = results.at(-1);
    if (tail && (loose || !tail.paragraph)) html += '\n';
    return `${this.open('li')}${html}</li>`;
  }

  private code(node: Code): string {
    const language = node.lang ? node.lang.split(/\s+/)[0]! : undefined;
    // An empty first word would leave an empty class: rare enough for the general path.
    if (language === '') unsupported();
    const className = language ? attribute('class', `language-${language}`) : '';
    const value = node.value ? `${node.value}\n` : '';
    return `${this.open('pre')}${this.open('code', className)}${text(value)}</code></pre>`;
  }

  private table(node: Table): string {
    const align = node.align;
    const rows = node.children.map((row, rowIndex) => {
      checkData(row);
      const tag = rowIndex === 0 ? 'th' : 'td';
      const length = align ? align.length : row.children.length;
      const cells: Block[] = [];
      for (let i = 0; i < length; i++) {
        const cell = row.children[i];
        if (cell) checkData(cell);
        const a = align?.[i];
        cells.push({
          html: `${this.open(tag, a ? attribute('align', a) : '')}${cell ? this.inline(cell.children) : ''}</${tag}>`,
        });
      }
      return { html: `<tr>${this.wrapLoose(cells)}</tr>` };
    });
    const [head, ...body] = rows;
    const content: Block[] = [];
    if (head) content.push({ html: `<thead>${this.wrapLoose([head])}</thead>` });
    if (body.length > 0) content.push({ html: `<tbody>${this.wrapLoose(body)}</tbody>` });
    return `${this.open('table')}${this.wrapLoose(content)}</table>`;
  }

  /** Phrasing content; after a hard break, the next text loses its leading blanks. */
  private inline(nodes: readonly PhrasingContent[]): string {
    let out = '';
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i]!;
      const afterBreak = i > 0 && nodes[i - 1]!.type === 'break';
      if (afterBreak && node.type !== 'text' && node.type !== 'break') {
        // The general path trims the first text inside the element too: not reproduced here.
        unsupported();
      }
      out += this.phrasing(node, afterBreak);
    }
    return out;
  }

  private phrasing(node: PhrasingContent, afterBreak: boolean): string {
    checkData(node);
    switch (node.type) {
      case 'text': {
        const value = trimLines(node.value);
        return text(afterBreak ? trimMarkdownSpaceStart(value) : value);
      }
      case 'emphasis':
        return `<em>${this.inline(node.children)}</em>`;
      case 'strong':
        return `<strong>${this.inline(node.children)}</strong>`;
      case 'delete':
        return `<del>${this.inline(node.children)}</del>`;
      case 'inlineCode':
        return `${this.open('code')}${text(node.value.replace(/\r?\n|\r/g, ' '))}</code>`;
      case 'break':
        return '<br>\n';
      case 'link':
        return this.link(node);
      case 'image':
        return this.image(node);
      case 'html':
        return '';
      default:
        return unsupported();
    }
  }

  private link(node: Link): string {
    const href = normalizeUri(node.url);
    let attributes = '';
    let external = false;
    // rehype-sanitize drops an href with another protocol; a remaining one is then resolved.
    if (safeProtocol(href, HREF_PROTOCOLS)) {
      const resolved = this.options.resolveUrl(href);
      attributes += attribute('href', resolved);
      external = /^https?:/.test(resolved);
    }
    if (node.title !== null && node.title !== undefined) attributes += attribute('title', node.title);
    const style = this.styles.a;
    if (style) attributes += attribute('style', style);
    if (external) attributes += ' target="_blank" rel="noopener"';
    return `<a${attributes}>${this.inline(node.children)}</a>`;
  }

  private image(node: Image): string {
    const src = normalizeUri(node.url);
    let attributes = safeProtocol(src, SRC_PROTOCOLS) ? attribute('src', this.options.resolveUrl(src)) : '';
    if (node.alt !== null && node.alt !== undefined) attributes += attribute('alt', node.alt);
    if (node.title !== null && node.title !== undefined) attributes += attribute('title', node.title);
    return this.open('img', attributes);
  }
}

function listItemLoose(node: ListItem): boolean {
  return node.spread === null || node.spread === undefined ? node.children.length > 1 : node.spread;
}

/** `data.hName`, `hProperties` and `hChildren` change what a node becomes: the general path handles them. */
function checkData(node: Nodes): void {
  const data = node.data as Record<string, unknown> | undefined;
  if (data && ('hName' in data || 'hProperties' in data || 'hChildren' in data)) unsupported();
}
