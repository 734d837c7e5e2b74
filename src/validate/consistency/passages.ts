import type { InlineCode, Nodes, PhrasingContent, Root } from 'mdast';
import { SKIP, visit } from 'unist-util-visit';
import { normaliseUrl, WEB_URL_START } from './addresses.js';
import { extractFacts } from './extract.js';
import type { Fact } from './facts.js';

/** One edition's prose: its markdown tree and the front-matter strings that are prose too. */
export interface EditionText {
  lang: string;
  file: string;
  tree: Root;
  /** Front-matter strings (title, subtitle, summary), located at their first character. */
  extra?: Array<{ text: string; line: number; column: number }>;
}

export interface LocatedFact extends Fact {
  line: number;
  column: number;
}

// ---------------------------------------------------------------------------------------
// Collecting the facts of an edition, with their place in the file

/**
 * A run of text whose facts are extracted together, with where each piece of it starts
 * in the file. A paragraph's inline nodes are joined into one passage so that a fact split
 * by markup (`1<sup>er</sup> janvier`, `**2 000** $`) is still read whole.
 */
interface Passage {
  text: string;
  pieces: Piece[];
}

interface Piece {
  /** Where the piece starts in the passage's text. */
  offset: number;
  line: number;
  column: number;
  /** Column of the text after a line break inside the piece (the container's indentation + 1). */
  continuationColumn: number;
}

export function factsOfEdition(edition: EditionText): LocatedFact[] {
  const facts: LocatedFact[] = [];
  for (const passage of passagesOf(edition)) {
    for (const fact of extractFacts(passage.text, edition.lang))
      facts.push({ ...fact, ...locate(passage, fact.index) });
  }
  visit(edition.tree, (node) => {
    if ((node.type === 'link' || node.type === 'image' || node.type === 'definition') && node.position) {
      const fact = factOfDestination(node.url, edition.lang);
      if (fact) facts.push({ ...fact, line: node.position.start.line, column: node.position.start.column });
    }
  });
  return facts.sort((a, b) => a.line - b.line || a.column - b.column);
}

function passagesOf(edition: EditionText): Passage[] {
  const passages: Passage[] = (edition.extra ?? []).map(({ text, line, column }) => ({
    text,
    pieces: [{ offset: 0, line, column, continuationColumn: 1 }],
  }));
  visit(edition.tree, (node) => {
    if (node.type === 'paragraph' || node.type === 'heading' || node.type === 'tableCell') {
      const passage: Passage = { text: '', pieces: [] };
      for (const child of node.children) appendInline(passage, child, passages);
      passages.push(passage);
      return SKIP;
    }
    return undefined;
  });
  return passages;
}

/** Adds an inline node's text to the passage; image alt texts become passages of their own. */
function appendInline(passage: Passage, node: PhrasingContent, passages: Passage[]): void {
  switch (node.type) {
    case 'text':
      appendPiece(passage, node.value, node);
      break;
    case 'inlineCode':
      appendPiece(passage, node.value, node, codeFenceWidth(node));
      break;
    case 'break':
      passage.text += '\n';
      break;
    case 'html':
      // `1<sup>er</sup>` reads `1er`; a `<br>` still separates what it stands between.
      passage.text += /^<br\b/i.test(node.value) ? '\n' : '';
      break;
    case 'image':
      if (node.alt) {
        const alt: Passage = { text: '', pieces: [] };
        appendPiece(alt, node.alt, node, 2); // after `![`
        passages.push(alt);
      }
      break;
    case 'emphasis':
    case 'strong':
    case 'delete':
    case 'link':
    case 'linkReference':
      for (const child of node.children) appendInline(passage, child, passages);
      break;
    default:
      break; // footnote references, image references: no prose
  }
}

function appendPiece(passage: Passage, value: string, node: Nodes, skip = 0): void {
  const position = node.position;
  if (position) {
    // Lines after the first lose the container's prefix (`> `, list indentation) in the
    // node's value; the end column tells how wide that prefix is.
    const lastLine = value.slice(value.lastIndexOf('\n') + 1);
    const prefix = value.includes('\n') ? Math.max(0, position.end.column - 1 - lastLine.length) : 0;
    passage.pieces.push({
      offset: passage.text.length,
      line: position.start.line,
      column: position.start.column + skip,
      continuationColumn: prefix + 1,
    });
  }
  passage.text += value;
}

/** How many characters precede an inline code's value: the backticks, and a padding space. */
function codeFenceWidth(node: InlineCode): number {
  const start = node.position?.start.offset;
  const end = node.position?.end.offset;
  if (start === undefined || end === undefined) return 1;
  return Math.max(1, Math.floor((end - start - node.value.length) / 2));
}

/** Line and column in the file of the passage's character at `index`. */
function locate(passage: Passage, index: number): { line: number; column: number } {
  let piece: Piece | undefined;
  for (const candidate of passage.pieces) if (candidate.offset <= index) piece = candidate;
  if (!piece) return { line: 1, column: 1 };
  const before = passage.text.slice(piece.offset, index);
  const breaks = before.split('\n').length - 1;
  if (breaks === 0) return { line: piece.line, column: piece.column + before.length };
  return {
    line: piece.line + breaks,
    column: piece.continuationColumn + before.length - before.lastIndexOf('\n') - 1,
  };
}

/** A link's or image's destination: a `mailto:` address or a web URL; local files are not facts. */
function factOfDestination(url: string, lang: string): Fact | undefined {
  const mailto = /^mailto:([^?]+)/i.exec(url);
  if (mailto?.[1]) {
    const address = decodeURIComponent(mailto[1]);
    return { kind: 'email', raw: address, normalized: address.toLowerCase(), index: 0 };
  }
  if (!WEB_URL_START.test(url)) return undefined;
  const normalized = normaliseUrl(url, lang);
  return normalized === undefined ? undefined : { kind: 'url', raw: url, normalized, index: 0 };
}
