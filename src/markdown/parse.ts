/**
 * Markdown to mdast with markdown-it: the tree remark-parse + remark-gfm would build, with
 * its positions, about ten times faster.
 *
 * markdown-it's token stream is turned into mdast here; the offsets recorded by the
 * instrumented parser (./markdown-it.ts) become unist positions. Footnotes (which
 * markdown-it does not parse without a plugin) and single-tilde strikethrough are left
 * to remark by the caller.
 */
import type {
  Blockquote,
  Definition,
  Heading,
  Html,
  List,
  ListItem,
  Paragraph,
  Parent,
  PhrasingContent,
  Root,
  RootContent,
  Table,
  TableCell,
  TableRow,
  Text,
} from 'mdast';
import type { Token } from 'markdown-it';
import type { Point, Position } from 'unist';
import { findLiteralLinks } from './autolink-literal.js';
import { createMarkdownIt, spanOf, type DefinitionSpan, type ParseEnv, type Span } from './markdown-it.js';

const md = createMarkdownIt();
const { unescapeAll } = md.utils;

// A URL written out with a `*` or `_` inside (not only after it) that could be emphasis
// for markdown-it, which parses emphasis before finding the URL; micromark finds the URL first.
const URL_WITH_EMPHASIS_MARK =
  /(?:https?:\/\/|www\.)\S*?(?:\*|_(?![\p{L}\p{N}])|(?<![\p{L}\p{N}])_)\S*?[\p{L}\p{N}]/u;

/**
 * Markdown that markdown-it cannot read the way remark-gfm does: footnotes, strikethrough
 * with one tilde (or tildes that are not, `~~~`), URLs with emphasis marks.
 */
export function needsRemark(markdown: string): boolean {
  return (
    markdown.includes('[^') || /(?<!~)(?:~|~~~+)(?!~)/.test(markdown) || URL_WITH_EMPHASIS_MARK.test(markdown)
  );
}

/** Parses markdown into mdast. `lineShift` is added to every line number. */
export function parseWithMarkdownIt(markdown: string, lineShift = 0): Root {
  // markdown-it's own normalization, done here so that offsets refer to this string.
  const src = markdown.replace(/\r\n?/g, '\n').replace(/\0/g, '\uFFFD');
  const env: ParseEnv = { definitions: [] };
  const tokens = md.parse(src, env);
  return new Converter(src, markdown, lineShift, env.definitions).root(tokens);
}

/** Offsets in the inline token's content, mapped to absolute offsets in the document. */
type CharMap = Int32Array;

interface Segment {
  /** Offset in the text node's value. */
  at: number;
  /** Content offsets of the source it came from. */
  start: number;
  end: number;
  /** The value is the source itself (not an escape, entity or line break). */
  raw: boolean;
}

interface Frame {
  node: Parent & { type: string };
  start: number;
}

class Converter {
  private readonly lineStarts: number[] = [0];
  /** Line starts in the markdown as given, for `offset` (it may have `\r\n`). */
  private readonly originalLineStarts: number[];

  constructor(
    private readonly src: string,
    original: string,
    private readonly lineShift: number,
    private readonly definitions: DefinitionSpan[],
  ) {
    for (let i = src.indexOf('\n'); i !== -1; i = src.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
    if (original.length === src.length) {
      this.originalLineStarts = this.lineStarts;
    } else {
      this.originalLineStarts = [0];
      for (const m of original.matchAll(/\r\n?|\n/g)) this.originalLineStarts.push(m.index + m[0].length);
    }
  }

  // -------------------------------------------------------------------------------------
  // Positions

  point(offset: number): Point {
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    const column = offset - starts[lo]!;
    return {
      line: lo + 1 + this.lineShift,
      column: column + 1,
      offset: this.originalLineStarts[lo]! + column,
    };
  }

  position(start: number, end: number): Position {
    return { start: this.point(start), end: this.point(end) };
  }

  lineStart(line: number): number {
    return this.lineStarts[line] ?? this.src.length;
  }

  lineEnd(line: number): number {
    const next = this.lineStarts[line + 1];
    return next === undefined ? this.src.length : next - 1;
  }

  /** The end of `line` without its trailing spaces and tabs, but not before `min`. */
  trimmedLineEnd(line: number, min = 0): number {
    let end = this.lineEnd(line);
    while (end > min && (this.src[end - 1] === ' ' || this.src[end - 1] === '\t')) end--;
    return end;
  }

  /** The end of the last line of `map` with something on it. */
  lastContentEnd(map: [number, number], min: number): number {
    for (let line = map[1] - 1; line > map[0]; line--) {
      const end = this.trimmedLineEnd(line);
      if (end > this.lineStart(line) && this.src.slice(this.lineStart(line), end).trim() !== '') return end;
    }
    return this.trimmedLineEnd(map[0], min);
  }

  // -------------------------------------------------------------------------------------
  // Blocks

  root(tokens: Token[]): Root {
    const root: Root = { type: 'root', children: [], position: this.position(0, this.src.length) };
    const stack: Frame[] = [{ node: root, start: 0 }];
    let nextDefinition = 0;
    const definitionsUpTo = (line: number) => {
      while (nextDefinition < this.definitions.length && this.definitions[nextDefinition]!.startLine < line) {
        (stack.at(-1)!.node.children as RootContent[]).push(
          this.definition(this.definitions[nextDefinition++]!),
        );
      }
    };

    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i]!;
      // Definitions leave no token: they go where their lines fall among the other blocks.
      if (token.map !== null && token.nesting >= 0) definitionsUpTo(token.map[0]);
      const span = spanOf(token);
      const start = span?.start ?? 0;
      const add = (node: RootContent) => (stack.at(-1)!.node.children as RootContent[]).push(node);
      switch (token.type) {
        case 'paragraph_open': {
          const inline = tokens[i + 1]!;
          const paragraph: Paragraph = { type: 'paragraph', children: [] };
          paragraph.children = this.inline(inline, this.paragraphMap(inline.content, token.map!));
          paragraph.position = this.position(start, this.trimmedLineEnd(token.map![1] - 1, start));
          add(paragraph);
          i += 2;
          break;
        }
        case 'heading_open': {
          const inline = tokens[i + 1]!;
          const setext = token.markup === '=' || token.markup === '-';
          const map = setext
            ? this.paragraphMap(inline.content, [token.map![0], token.map![1] - 1])
            : this.lineMap(inline.content, token.map![0], start);
          const heading: Heading = {
            type: 'heading',
            depth: Number(token.tag.slice(1)) as Heading['depth'],
            children: this.inline(inline, map),
          };
          // remark ends a heading with its (last) line, trailing spaces included.
          heading.position = this.position(start, this.lineEnd(token.map![1] - 1));
          add(heading);
          i += 2;
          break;
        }
        case 'blockquote_open':
        case 'bullet_list_open':
        case 'ordered_list_open':
        case 'list_item_open': {
          const node = this.container(token);
          add(node);
          stack.push({ node, start });
          break;
        }
        case 'blockquote_close':
        case 'bullet_list_close':
        case 'ordered_list_close':
        case 'list_item_close': {
          definitionsUpTo(this.closingLine(tokens, i));
          const frame = stack.pop()!;
          this.closeContainer(frame, tokens, i);
          break;
        }
        case 'fence': {
          const info = token.info.trim();
          const space = info.search(/[ \t]/);
          const lang = space === -1 ? info : info.slice(0, space);
          const meta = space === -1 ? '' : info.slice(space).replace(/^[ \t]+/, '');
          add({
            type: 'code',
            lang: lang === '' ? null : unescapeAll(lang),
            meta: meta === '' ? null : unescapeAll(meta),
            value: token.content.replace(/\n$/, ''),
            position: this.position(start, this.trimmedLineEnd(token.map![1] - 1, start)),
          });
          break;
        }
        case 'code_block':
          add({
            type: 'code',
            lang: null,
            meta: null,
            value: token.content.replace(/\n$/, ''),
            position: this.position(start, this.trimmedLineEnd(token.map![1] - 1, start)),
          });
          break;
        case 'html_block': {
          const html: Html = { type: 'html', value: token.content.replace(/\n$/, '') };
          html.position = this.position(start, this.lastContentEnd(token.map!, start));
          add(html);
          break;
        }
        case 'hr':
          add({
            type: 'thematicBreak',
            position: this.position(start, this.trimmedLineEnd(token.map![0], start)),
          });
          break;
        case 'table_open': {
          const end = tokens.findIndex((t, j) => j > i && t.type === 'table_close');
          add(this.table(tokens.slice(i, end + 1)));
          i = end;
          break;
        }
        default:
          break;
      }
    }
    definitionsUpTo(Infinity);
    return root;
  }

  /** The line after which a container's definitions can no longer appear. */
  private closingLine(tokens: Token[], close: number): number {
    // The matching open token's map ends the container.
    let depth = 0;
    for (let j = close; j >= 0; j--) {
      const t = tokens[j]!;
      depth -= t.nesting;
      if (depth === 0 && t.map !== null) return t.map[1];
    }
    return Infinity;
  }

  private container(token: Token): Blockquote | List | ListItem {
    switch (token.type) {
      case 'blockquote_open':
        return { type: 'blockquote', children: [] };
      case 'bullet_list_open':
        return { type: 'list', ordered: false, start: null, spread: false, children: [] };
      case 'ordered_list_open':
        return {
          type: 'list',
          ordered: true,
          start: Number(token.attrGet('start') ?? 1),
          spread: false,
          children: [],
        };
      default:
        return { type: 'listItem', spread: false, checked: null, children: [] };
    }
  }

  private closeContainer(frame: Frame, tokens: Token[], close: number): void {
    const node = frame.node as Blockquote | List | ListItem;
    const children = node.children as Array<{ position?: Position }>;
    const last = children.at(-1)?.position?.end.offset;
    let open = close;
    for (let depth = 0; open >= 0; open--) {
      depth -= tokens[open]!.nesting;
      if (depth === 0) break;
    }
    const openToken = tokens[open]!;
    let end: number;
    if (node.type === 'blockquote') {
      end = this.lastContentEnd(openToken.map!, frame.start);
    } else if (last !== undefined) {
      end = this.absolute(children.at(-1)!.position!.end);
    } else {
      // An empty item ends after its marker (`-`, `1.`).
      end = frame.start + openToken.markup.length + (openToken.info === '' ? 0 : openToken.info.length);
    }
    node.position = this.position(frame.start, end);
    if (node.type === 'list' || node.type === 'listItem') node.spread = separatedByBlankLines(children);
    if (node.type === 'listItem') this.taskListItem(node);
  }

  /** The absolute offset of a point made by `point()`. */
  private absolute(point: Point): number {
    return this.lineStart(point.line - 1 - this.lineShift) + point.column - 1;
  }

  /** GFM task list items: `- [ ] text`, `- [x] text`. */
  private taskListItem(item: ListItem): void {
    const paragraph = item.children[0];
    if (paragraph?.type !== 'paragraph') return;
    const text = paragraph.children[0];
    if (text?.type !== 'text') return;
    // The checkbox and the one space or tab after it, as mdast-util-gfm-task-list-item removes them.
    const m = /^\[([ \t]|x|X)\][ \t\n]/.exec(text.value);
    if (m === null || (m[0].length === text.value.length && paragraph.children.length === 1)) return;
    item.checked = m[1] === 'x' || m[1] === 'X';
    text.value = text.value.slice(m[0].length);
    if (text.value === '') {
      paragraph.children.shift();
    } else if (text.position && paragraph.position) {
      text.position.start = this.point(this.absolute(text.position.start) + m[0].length);
      paragraph.position.start = { ...text.position.start };
    }
  }

  private definition(def: DefinitionSpan): Definition {
    const text = def.text;
    let pos = 1;
    while (pos < text.length && text[pos] !== ']') pos += text[pos] === '\\' ? 2 : 1;
    const rawLabel = text.slice(1, pos);
    pos += 2; // `]:`
    while (pos < text.length && /\s/.test(text[pos]!)) pos++;
    const destination = md.helpers.parseLinkDestination(text, pos, text.length);
    let title: string | null = null;
    if (destination.ok) {
      pos = destination.pos;
      const before = pos;
      while (pos < text.length && /\s/.test(text[pos]!)) pos++;
      const parsedTitle = md.helpers.parseLinkTitle(text, pos, text.length);
      if (pos > before && parsedTitle.ok) title = parsedTitle.str;
    }
    return {
      type: 'definition',
      identifier: identifierOf(rawLabel),
      label: unescapeAll(rawLabel),
      title,
      url: destination.ok ? destination.str : '',
      position: this.position(def.start, this.trimmedLineEnd(def.endLine - 1, def.start)),
    };
  }

  private table(tokens: Token[]): Table {
    const align: Table['align'] = [];
    for (const token of tokens) {
      if (token.type === 'tr_close') break;
      if (token.type !== 'th_open') continue;
      const m = /text-align:(left|right|center)/.exec(token.attrGet('style') ?? '');
      align.push(m ? (m[1] as 'left' | 'right' | 'center') : null);
    }
    const rows: TableRow[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i]!;
      if (token.type !== 'tr_open') continue;
      const line = token.map![0];
      const start = spanOf(token)!.start;
      const cells = splitRow(this.src, start, this.lineEnd(line));
      const row: TableRow = {
        type: 'tableRow',
        children: [],
        position: this.position(start, this.trimmedLineEnd(line, start)),
      };
      let n = 0;
      for (; tokens[i]!.type !== 'tr_close'; i++) {
        const t = tokens[i]!;
        if (t.type !== 'inline') continue;
        const cell = cells[n++];
        // markdown-it pads short rows with empty cells; remark keeps the row as written.
        if (cell === undefined) continue;
        const map =
          cell.map.length === t.content.length + 1 ? cell.map : this.lineMap(t.content, line, start);
        const node: TableCell = {
          type: 'tableCell',
          children: this.inline(t, map),
          position: this.position(cell.start, cell.end),
        };
        row.children.push(node);
      }
      rows.push(row);
    }
    const first = rows[0]!;
    const last = rows.at(-1)!;
    return {
      type: 'table',
      align,
      children: rows,
      position: { start: { ...first.position!.start }, end: { ...last.position!.end } },
    };
  }

  // -------------------------------------------------------------------------------------
  // Where inline content comes from

  /** A paragraph's content: its lines, each the end of a source line (less container markers). */
  private paragraphMap(content: string, map: [number, number]): CharMap {
    const chars = new Int32Array(content.length + 1);
    let at = 0;
    let line = map[0];
    let lineStartInContent = 0;
    while (true) {
      const nl = content.indexOf('\n', lineStartInContent);
      const text = nl === -1 ? content.slice(lineStartInContent) : content.slice(lineStartInContent, nl);
      const last = nl === -1;
      const lineStart = this.lineStart(line);
      const source = this.src.slice(lineStart, this.lineEnd(line));
      let k = (last ? source.trimEnd().length : source.length) - text.length;
      if (k < 0 || !source.startsWith(text, k)) k = Math.max(0, source.indexOf(text));
      const base = lineStart + k;
      for (let j = 0; j < text.length; j++) chars[at++] = base + j;
      chars[at++] = base + text.length; // the line feed, or the end
      if (last) break;
      lineStartInContent = nl + 1;
      line++;
    }
    return chars;
  }

  /** Content found on one line, at or after `from`. */
  private lineMap(content: string, line: number, from: number): CharMap {
    const lineStart = this.lineStart(line);
    const source = this.src.slice(lineStart, this.lineEnd(line));
    const k = Math.max(0, source.indexOf(content, Math.max(0, from - lineStart)));
    const chars = new Int32Array(content.length + 1);
    for (let j = 0; j <= content.length; j++) chars[j] = lineStart + k + j;
    return chars;
  }

  // -------------------------------------------------------------------------------------
  // Inline

  private inline(token: Token, chars: CharMap): PhrasingContent[] {
    return new InlineConverter(this, token.content, chars).convert(token.children ?? []);
  }
}

class InlineConverter {
  private readonly stack: Frame[];
  private value = '';
  private segments: Segment[] = [];
  private inLink = 0;

  constructor(
    private readonly doc: Converter,
    private readonly content: string,
    private readonly chars: CharMap,
  ) {
    this.stack = [{ node: { type: 'fragment', children: [] } as unknown as Frame['node'], start: 0 }];
  }

  private pos(start: number, end: number): Position {
    return this.doc.position(
      this.chars[start] ?? this.chars[this.chars.length - 1]!,
      this.chars[end] ?? this.chars[this.chars.length - 1]!,
    );
  }

  private add(node: PhrasingContent): void {
    (this.stack.at(-1)!.node.children as PhrasingContent[]).push(node);
  }

  convert(tokens: Token[]): PhrasingContent[] {
    for (const token of tokens) {
      const span = spanOf(token) ?? { start: 0, end: 0, pushedAt: 0 };
      switch (token.type) {
        case 'text':
          if (token.content !== '') this.text(token.content, span.start, span.end, true);
          break;
        case 'text_special':
          this.text(token.content, span.start, span.end, false);
          break;
        case 'softbreak':
          this.text('\n', span.start, span.start + 1, false);
          break;
        case 'hardbreak': {
          this.flush();
          let start = span.start;
          if (this.content[start] !== '\\') while (start > 0 && this.content[start - 1] === ' ') start--;
          const end = this.content[span.start] === '\\' ? span.start + 2 : span.start + 1;
          this.add({ type: 'break', position: this.pos(start, end) });
          break;
        }
        case 'em_open':
        case 'strong_open':
        case 's_open': {
          this.flush();
          const type =
            token.type === 'em_open' ? 'emphasis' : token.type === 'strong_open' ? 'strong' : 'delete';
          // Emphasis marks the inner character of a `**` run; strikethrough, the pair.
          const start = type === 'delete' ? span.start : span.start - (token.markup.length - 1);
          this.stack.push({ node: { type, children: [] } as unknown as Frame['node'], start });
          break;
        }
        case 'em_close':
        case 'strong_close':
        case 's_close': {
          this.flush();
          const frame = this.stack.pop()!;
          const end = token.type === 's_close' ? span.end : span.start + token.markup.length;
          (frame.node as unknown as PhrasingContent).position = this.pos(frame.start, end);
          this.add(frame.node as unknown as PhrasingContent);
          break;
        }
        case 'link_open':
          this.flush();
          this.inLink++;
          this.stack.push({
            node: { type: 'link', token, children: [] } as unknown as Frame['node'],
            start: span.start,
          });
          break;
        case 'link_close':
          this.flush();
          this.inLink--;
          this.closeLink(span);
          break;
        case 'image':
          this.flush();
          this.add(this.image(token, span));
          break;
        case 'code_inline':
          this.flush();
          this.add({
            type: 'inlineCode',
            value: this.codeValue(span.start + token.markup.length, span.end - token.markup.length),
            position: this.pos(span.start, span.end),
          });
          break;
        case 'html_inline':
          this.flush();
          this.add({ type: 'html', value: token.content, position: this.pos(span.start, span.end) });
          break;
        default:
          break;
      }
    }
    this.flush();
    return this.stack[0]!.node.children as PhrasingContent[];
  }

  /**
   * mdast keeps an inline code's line endings (markdown-it makes them spaces): the
   * source, less the next lines' indentation and one space or line ending at each end.
   */
  private codeValue(start: number, end: number): string {
    const value = this.content.slice(start, end).replace(/\n[ \t]+/g, '\n');
    return /^[ \n]/.test(value) && /[ \n]$/.test(value) && /[^ \n]/.test(value) ? value.slice(1, -1) : value;
  }

  private text(value: string, start: number, end: number, raw: boolean): void {
    this.segments.push({ at: this.value.length, start, end, raw });
    this.value += value;
  }

  private flush(): void {
    if (this.value === '') return;
    const value = this.value;
    const segments = this.segments;
    this.value = '';
    this.segments = [];
    const links = this.inLink > 0 ? [] : findLiteralLinks(value);
    if (links.length === 0) {
      this.add({ type: 'text', value, position: this.pos(segments[0]!.start, segments.at(-1)!.end) });
      return;
    }
    const at = (index: number): number => sourceOffset(segments, index);
    let from = 0;
    for (const link of links) {
      if (link.start > from)
        this.add({
          type: 'text',
          value: value.slice(from, link.start),
          position: this.pos(at(from), at(link.start)),
        });
      const position = this.pos(at(link.start), at(link.end));
      this.add({
        type: 'link',
        title: null,
        url: link.url,
        children: [{ type: 'text', value: link.text, position: structuredClone(position) }],
        position,
      });
      from = link.end;
    }
    if (from < value.length)
      this.add({ type: 'text', value: value.slice(from), position: this.pos(at(from), at(value.length)) });
  }

  private closeLink(span: Span): void {
    const frame = this.stack.pop()!;
    const open = (frame.node as unknown as { token: Token }).token;
    const children = frame.node.children as PhrasingContent[];
    const position = this.pos(frame.start, span.end);
    if (open.markup === 'autolink') {
      const text = children[0] as Text | undefined;
      if (text) text.position = this.pos(frame.start + 1, span.end - 1);
      this.add({ type: 'link', title: null, url: open.attrGet('href') ?? '', children, position });
      return;
    }
    const reference = this.reference(frame.start + 1, span.pushedAt, span.end);
    if (reference) {
      this.add({ type: 'linkReference', ...reference, children, position });
    } else {
      this.add({
        type: 'link',
        title: open.attrGet('title') ?? null,
        url: open.attrGet('href') ?? '',
        children,
        position,
      });
    }
  }

  private image(token: Token, span: Span): PhrasingContent {
    const position = this.pos(span.start, span.end);
    const alt = plainText(token.children ?? []);
    const labelStart = span.start + 2;
    const reference = this.reference(labelStart, labelStart + token.content.length, span.end);
    if (reference) return { type: 'imageReference', ...reference, alt, position };
    return {
      type: 'image',
      title: token.attrGet('title') ?? null,
      url: token.attrGet('src') ?? '',
      alt,
      position,
    };
  }

  /** How a link written from `labelStart` to `end` refers to its URL, if through a definition. */
  private reference(labelStart: number, labelEnd: number, end: number) {
    const after = this.content.slice(labelEnd + 1, end);
    if (after.startsWith('(')) return undefined;
    const text = this.content.slice(labelStart, labelEnd);
    if (after === '' || after === '[]') {
      return {
        referenceType: after === '' ? ('shortcut' as const) : ('collapsed' as const),
        identifier: identifierOf(text),
        label: unescapeAll(text),
      };
    }
    const label = after.slice(1, -1);
    return { referenceType: 'full' as const, identifier: identifierOf(label), label: unescapeAll(label) };
  }
}

interface Cell {
  /** Where remark's table cell is: from the pipe before it to the next pipe. */
  start: number;
  end: number;
  /** The cell's content (trimmed, `\\|` unescaped, as markdown-it has it), character by character. */
  map: CharMap;
}

/** A table row's cells, split as markdown-it splits them, with their offsets. */
function splitRow(src: string, start: number, lineEnd: number): Cell[] {
  let end = lineEnd;
  while (end > start && /\s/.test(src[end - 1]!)) end--;
  const raw: Array<{ from: number; to: number; offsets: number[] }> = [];
  let offsets: number[] = [];
  let from = start;
  for (let p = start; p < end; p++) {
    if (src[p] !== '|') {
      offsets.push(p);
    } else if (p > start && src[p - 1] === '\\') {
      offsets[offsets.length - 1] = p; // an escaped pipe is content; its backslash goes
    } else {
      raw.push({ from, to: p, offsets });
      offsets = [];
      from = p + 1;
    }
  }
  raw.push({ from, to: end, offsets });
  const leadingPipe = raw.length > 1 && raw[0]!.to === raw[0]!.from;
  const trailingPipe = raw.length > 1 && raw.at(-1)!.to === raw.at(-1)!.from;
  if (leadingPipe) raw.shift();
  if (trailingPipe) raw.pop();
  return raw.map((cell, i) => {
    let a = 0;
    let b = cell.offsets.length;
    while (a < b && /\s/.test(src[cell.offsets[a]!]!)) a++;
    while (b > a && /\s/.test(src[cell.offsets[b - 1]!]!)) b--;
    const map = new Int32Array(b - a + 1);
    for (let j = a; j < b; j++) map[j - a] = cell.offsets[j]!;
    map[b - a] = b > a ? cell.offsets[b - 1]! + 1 : cell.to;
    const cellStart = i > 0 || leadingPipe ? cell.from - 1 : cell.from;
    const cellEnd = i === raw.length - 1 && trailingPipe ? cell.to + 1 : cell.to;
    return { start: cellStart, end: cellEnd, map };
  });
}

/** Where the character at `index` of a text node's value was in the content. */
function sourceOffset(segments: Segment[], index: number): number {
  let s = segments[0]!;
  for (const segment of segments) {
    if (segment.at > index) break;
    s = segment;
  }
  if (s.raw) return Math.min(s.start + (index - s.at), s.end);
  return index === s.at ? s.start : s.end;
}

/** A block's children are spread when a blank line separates two of them (mdast's `spread`). */
function separatedByBlankLines(children: Array<{ position?: Position }>): boolean {
  for (let i = 1; i < children.length; i++) {
    const before = children[i - 1]!.position;
    const after = children[i]!.position;
    if (before && after && after.start.line > before.end.line + 1) return true;
  }
  return false;
}

/** mdast's identifier: the label with whitespace collapsed, case-folded. */
function identifierOf(label: string): string {
  return label
    .replace(/[\t\n\r ]+/g, ' ')
    .replace(/^ | $/g, '')
    .toLowerCase()
    .toUpperCase()
    .toLowerCase();
}

/** An image's alternative text, as mdast-util-to-string reads its label. */
function plainText(tokens: Token[]): string {
  let out = '';
  for (const token of tokens) {
    switch (token.type) {
      case 'text':
      case 'text_special':
      case 'code_inline':
      case 'html_inline':
        out += token.content;
        break;
      case 'softbreak':
        out += '\n';
        break;
      case 'image':
        out += plainText(token.children ?? []);
        break;
      default:
        break;
    }
  }
  return out;
}
