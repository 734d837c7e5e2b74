/**
 * The markdown-it parser behind `parseMarkdown`, configured to read markdown the way
 * remark + GFM does, and instrumented so that every token knows where it came from.
 *
 * markdown-it gives block tokens their lines (`token.map`) but no columns, and inline
 * tokens nothing at all. Diagnostics name a line and a column, so each rule is wrapped
 * to record, in `token.meta`, the offsets its tokens cover: absolute offsets into the
 * (normalized) document for block tokens, offsets into the inline token's `content` for
 * inline ones.
 */
import MarkdownIt from 'markdown-it';
import type { StateBlock, StateInline, Token } from 'markdown-it';

/** Where a token came from (markdown-it's `meta` is free for plugins to use). */
export interface Span {
  /** Block tokens: absolute offset of the block's first character. Inline: offset in the content. */
  start: number;
  end: number;
  /** Inline: `state.pos` when the token was pushed (a link's `link_close`: the end of its text). */
  pushedAt: number;
}

/** A link reference definition, which markdown-it keeps in `env.references` without a token. */
export interface DefinitionSpan {
  startLine: number;
  endLine: number;
  /** The definition's text, container markers (`>`, list indentation) removed. */
  text: string;
  /** Absolute offset of `text`'s first character. */
  start: number;
}

export interface ParseEnv {
  definitions: DefinitionSpan[];
}

export const spanOf = (token: Token): Span | undefined => token.meta as Span | undefined;

type RuleInline = (state: StateInline, silent: boolean) => boolean;
type RuleBlock = (state: StateBlock, startLine: number, endLine: number, silent: boolean) => boolean;
interface RuleEntry<T> {
  name: string;
  fn: T;
  alt: string[];
}
const rulesOf = <T>(ruler: unknown): Array<RuleEntry<T>> =>
  (ruler as { __rules__: Array<RuleEntry<T>> }).__rules__;

// Text flushed from `state.pending`: its offsets are found from its content, not from the
// rule that happened to flush it.
const pendingTokens = new WeakSet<Token>();

export function createMarkdownIt(): MarkdownIt {
  const md = new MarkdownIt('default', { html: true, linkify: false, typographer: false });
  // remark keeps URLs as written (decoded, not percent-encoded) and keeps `javascript:`
  // links as links: rehype-sanitize removes them later, and the validator sees them.
  md.normalizeLink = (url) => url;
  md.normalizeLinkText = (text) => text;
  md.validateLink = () => true;
  // Text pieces stay separate (escapes and entities as `text_special`, emphasis leftovers
  // as their own tokens) so that each keeps its offsets; the converter joins them.
  md.core.ruler.disable('text_join');
  md.inline.ruler2.disable('fragments_join');
  instrumentInline(md);
  instrumentBlock(md);
  return md;
}

function instrumentInline(md: MarkdownIt): void {
  const Base = md.inline.State;
  md.inline.State = class extends Base {
    override pushPending(): Token {
      const token = super.pushPending();
      pendingTokens.add(token);
      return token;
    }
    override push(type: string, tag: string, nesting: -1 | 0 | 1): Token {
      const token = super.push(type, tag, nesting);
      token.meta = { start: -1, end: -1, pushedAt: this.pos } satisfies Span;
      return token;
    }
  };

  for (const rule of rulesOf<RuleInline>(md.inline.ruler)) {
    const { fn, name } = rule;
    // Emphasis and strikethrough push one token per delimiter character (or pair): they
    // sit side by side from where the rule started.
    const sequential = name === 'emphasis' || name === 'strikethrough';
    md.inline.ruler.at(
      name,
      (state, silent) => {
        const start = state.pos;
        const first = state.tokens.length;
        const ok = fn(state, silent);
        if (ok && !silent) annotateInline(state, first, start, state.pos, sequential);
        return ok;
      },
      { alt: rule.alt },
    );
  }

  const tokenize = md.inline.tokenize.bind(md.inline);
  md.inline.tokenize = (state) => {
    tokenize(state);
    // `tokenize` flushes the text still pending at its end, outside any rule: it ends at `posMax`.
    const last = state.tokens.at(-1);
    if (last !== undefined && last.meta === null && pendingTokens.has(last))
      locatePending(state, last, state.posMax);
  };
}

function annotateInline(
  state: StateInline,
  first: number,
  start: number,
  end: number,
  sequential: boolean,
): void {
  let next = start;
  for (let i = first; i < state.tokens.length; i++) {
    const token = state.tokens[i]!;
    if (pendingTokens.has(token)) {
      if (token.meta === null || (token.meta as Span).start < 0) locatePending(state, token, start);
      continue;
    }
    const span = token.meta as Span | null;
    if (span === null || span.start >= 0) continue; // nested tokens, already placed
    if (sequential) {
      span.start = next;
      next += token.content.length;
      span.end = next;
    } else {
      span.start = start;
      span.end = end;
    }
  }
}

/**
 * Pending text is source text, ending where the flushing rule started, less what that
 * rule took back: trailing spaces before a line break.
 */
function locatePending(state: StateInline, token: Token, before: number): void {
  const text = token.content;
  let end = before;
  while (end - text.length > 0 && state.src.slice(end - text.length, end) !== text) end--;
  token.meta = { start: end - text.length, end, pushedAt: end } satisfies Span;
}

function instrumentBlock(md: MarkdownIt): void {
  for (const rule of rulesOf<RuleBlock>(md.block.ruler)) {
    const { fn, name } = rule;
    md.block.ruler.at(
      name,
      (state, startLine, endLine, silent) => {
        const first = state.tokens.length;
        const ok = fn(state, startLine, endLine, silent);
        if (!ok || silent) return ok;
        // Containers (lists, block quotes) have restored their lines' markers by now, so
        // `bMarks + tShift` is the block's first character in the enclosing container.
        for (let i = first; i < state.tokens.length; i++) {
          const token = state.tokens[i]!;
          if (token.meta !== null || token.map === null) continue;
          const line = token.map[0];
          // Indented code and HTML keep their indentation (remark starts them with it).
          const indented = token.type === 'code_block' || token.type === 'html_block';
          const first = state.bMarks[line]! + state.tShift[line]!;
          const start = indented
            ? Math.max(state.bMarks[line]!, first - (state.sCount[line]! - state.blkIndent))
            : first;
          token.meta = { start, end: -1, pushedAt: -1 } satisfies Span;
        }
        if (name === 'reference') recordDefinition(state, startLine);
        return ok;
      },
      { alt: rule.alt },
    );
  }
}

function recordDefinition(state: StateBlock, startLine: number): void {
  const lines: string[] = [];
  for (let line = startLine; line < state.line; line++) {
    lines.push(state.src.slice(state.bMarks[line]! + state.tShift[line]!, state.eMarks[line]!));
  }
  const env = state.env as ParseEnv;
  env.definitions.push({
    startLine,
    endLine: state.line,
    text: lines.join('\n'),
    start: state.bMarks[startLine]! + state.tShift[startLine]!,
  });
}
