/**
 * Typography of press-release prose.
 *
 * French follows the Office québécois de la langue française (OQLF): no-break spaces
 * before `:` and inside « », a narrow no-break space (or none) before `; ! ?`, no-break
 * spaces before `$`/`%` and as thousands separator, `9 h 30`, typographic apostrophes.
 * English only gets curly quotes and apostrophes.
 *
 * The rules work on strings. Code, URLs and e-mail addresses are never changed: inside a
 * string they are swapped for a placeholder before the rules run, and in a markdown tree
 * they are never handed to the rules at all.
 */
import type { Link, Nodes, Parent, Root, Text } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { SKIP, visit } from 'unist-util-visit';
import type { Text as Words } from '../i18n/text.js';

export type FrenchProfile = 'oqlf' | 'compact' | 'off';
// 'oqlf': narrow no-break space U+202F before ; ! ? (careful typesetting, default on the web)
// 'compact': no space before ; ! ? (common Quebec office practice)
// 'off': French text is left untouched
export interface FrenchOptions {
  profile?: FrenchProfile;
}

/** Problems the renderer cannot fix safely, for `aimq release check` (French only). */
export interface TypographyFinding {
  /** UTF-16 offset of the problem in the checked text. */
  index: number;
  length: number;
  code: string;
  message: Words;
  hint: Words;
  /** What to write instead, in French, with ordinary spaces (the renderer adds the no-break ones). */
  suggestion: string;
}

const NBSP = '\u00A0';
const NNBSP = '\u202F';

// Private-use characters that stand for things the string rules must not see or change.
// `remarkTypography` joins the text nodes of a paragraph with them, so that the rules see
// the whole sentence while each character stays in its own node.
/** Edge of emphasis, strong, link…: zero width, the rules look through it. */
const BOUNDARY = '\uE000';
/** Inline code, image, autolink: an opaque word. */
const ATOM = '\uE001';
/** URL, e-mail address, path or HTML entity taken out of a string: an opaque word. */
const TOKEN = '\uE002';
/** Hard line break: counts as a space. */
const LINE_BREAK = '\uE003';
const RESERVED = /[\uE000-\uE003]/g;

// ---------------------------------------------------------------------------------------
// Protected tokens: URLs, e-mail addresses, paths, HTML entities
// ---------------------------------------------------------------------------------------

// `[^…]` class shared by the URL patterns: a URL ends at a space, a quote or a sentinel.
const URL_CHARS = String.raw`[^\s<>"«»“”\uE000-\uE003]`;
const PROTECTED = new RegExp(
  [
    String.raw`\b[a-z][a-z0-9+.-]*:\/\/${URL_CHARS}+`, // https://…, ftp://…
    String.raw`\b(?:mailto|tel):${URL_CHARS}+`,
    String.raw`\bwww\.${URL_CHARS}+`,
    String.raw`[\p{L}\p{N}._%+'-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+`, // e-mail address (o'neil@… too)
    String.raw`\b[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.[a-z]{2,}\/${URL_CHARS}*`, // aimq.net/page
    String.raw`\b[a-z]:\\[^\s\uE000-\uE003]*`, // C:\dossier
    String.raw`&(?:#\d+|#x[\da-f]+|[a-z][a-z\d]*);`, // &amp; &#160;
  ].join('|'),
  'giu',
);

interface Range {
  start: number;
  end: number;
}

/** Every protected pattern needs one of these; most prose has none, and skips the costly scan. */
const PROTECTED_TRIGGER = /:\/\/|mailto:|tel:|[@/\\&]|www\./i;

/** Where URLs, e-mail addresses, paths and HTML entities are in `text`. */
function findProtectedRanges(text: string): Range[] {
  const ranges: Range[] = [];
  if (!PROTECTED_TRIGGER.test(text)) return ranges;
  for (const match of text.matchAll(PROTECTED)) {
    const token = match[0].startsWith('&') ? match[0] : trimTrailingPunctuation(match[0]);
    if (token === '') continue;
    ranges.push({ start: match.index, end: match.index + token.length });
  }
  return ranges;
}

/**
 * Sentence punctuation right after a URL belongs to the sentence (as in GFM's autolinks):
 * `Visitez https://aimq.net/a?b=1!` protects the URL, not the `!`. A closing parenthesis
 * stays when the URL opened one (Wikipedia-style URLs).
 */
function trimTrailingPunctuation(url: string): string {
  let end = url.length;
  while (end > 0) {
    const last = url[end - 1]!;
    if (last === ')') {
      const body = url.slice(0, end);
      if (count(body, '(') >= count(body, ')')) break;
    } else if (!`.,:;!?'"’”»]*_~`.includes(last)) {
      break;
    }
    end--;
  }
  return url.slice(0, end);
}

function count(text: string, char: string): number {
  return text.split(char).length - 1;
}

/**
 * Runs `rules` on `text` with every protected token replaced by one TOKEN character, then
 * puts the tokens back. If a rule lost or added a TOKEN (or the text already contained
 * one), the text is returned unchanged rather than risk corrupting a URL.
 */
function withProtectedTokens(text: string, rules: (masked: string) => string): string {
  const tokens: string[] = [];
  let masked = '';
  let last = 0;
  for (const { start, end } of findProtectedRanges(text)) {
    masked += text.slice(last, start) + TOKEN;
    tokens.push(text.slice(start, end));
    last = end;
  }
  masked += text.slice(last);

  const parts = rules(masked).split(TOKEN);
  if (parts.length !== tokens.length + 1) return text;
  return parts.map((part, i) => (i === 0 ? part : tokens[i - 1]! + part)).join('');
}

// ---------------------------------------------------------------------------------------
// Quotes (shared by French and English)
// ---------------------------------------------------------------------------------------

/** The character next to `index` in direction `step`, looking through markup boundaries. */
function neighbour(text: string, index: number, step: 1 | -1): string | undefined {
  for (let i = index + step; i >= 0 && i < text.length; i += step) {
    if (text[i] !== BOUNDARY) return text[i];
  }
  return undefined;
}

function isSpaceLike(char: string | undefined): boolean {
  return char === undefined || char === LINE_BREAK || /\s/.test(char);
}

/**
 * Replaces each straight `quote` by `open` or `close`. A quote after a space (or an
 * opening bracket, dash…) and before a word opens; a quote after a word closes; a quote
 * between two spaces (`" texte "`) closes if one is open, else opens.
 */
function pairStraightQuotes(
  text: string,
  quote: string,
  open: string,
  close: string,
  openers: string,
): string {
  let depth = 0;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char !== quote) {
      out += char;
      continue;
    }
    const before = neighbour(text, i, -1);
    const after = neighbour(text, i, 1);
    const spaceBefore = isSpaceLike(before) || openers.includes(before!);
    const spaceAfter = isSpaceLike(after);
    let opening: boolean;
    if (!spaceBefore) opening = false;
    else if (!spaceAfter) opening = true;
    else opening = depth === 0;
    out += opening ? open : close;
    depth = opening ? depth + 1 : Math.max(0, depth - 1);
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// French
// ---------------------------------------------------------------------------------------

// Spaces an author may have typed before punctuation (or that a previous run inserted),
// with any markup boundaries among them. Rules replace the spaces and keep the boundaries.
const GAP = String.raw`[ \t\u00A0\u202F\u2009\uE000]*`;
/** The boundaries of a matched gap, so that markup edges survive a replacement. */
const boundariesOf = (gap: string): string => gap.replace(/[^\uE000]/g, '');

// Punctuation gets a space only after a word: not after a space, a line break, an opening
// bracket (`(?` stays `(?`) or another colon.
const AFTER_WORD = String.raw`(?<=[^\s\uE000\uE003(\[{«:])`;
// What must follow `: ; ! ?` for them to be sentence punctuation: `14:00`, `a?b=1`,
// `!important`, `std::` or `Note:suite` are left alone.
const BEFORE_SPACE_OR_END = String.raw`(?=$|[\s\uE000-\uE003»)\]}"”’.,…!?;*])`;

const OPENING_GUILLEMET = new RegExp(String.raw`«(${GAP})(?=[^\s\uE000\uE003])`, 'g');
const CLOSING_GUILLEMET = new RegExp(String.raw`(?<=[^\s\uE000\uE003])(${GAP})»`, 'g');
const COLON = new RegExp(`${AFTER_WORD}(${GAP}):${BEFORE_SPACE_OR_END}`, 'gu');
const HIGH_PUNCTUATION = new RegExp(`${AFTER_WORD}(${GAP})(;|[!?]+)${BEFORE_SPACE_OR_END}`, 'gu');

// A number that stands on its own: not inside a word, a phone number (`514 555-0100`),
// a postal code (`H3B 1A7`), a version (`1.2.3`), a date (`2020-01-13`) or a time
// (`14:00`). Groups: integer part (maybe already grouped by threes), decimals, `$`/`%`.
const NUMBER =
  /(?<![\p{L}\p{N}_.,:/+\-\uE001\uE002]|\p{N}[ \u00A0\u202F])(\d{1,3}(?:[ \u00A0\u202F]\d{3})+|\d+)(,\d+)?(?![\p{L}\p{N}_/:\-\uE001\uE002]|[.,]\d|[ \u00A0\u202F]\d)(?:[ \u00A0\u202F]*([$%]))?/gu;

// A time or duration already written with spaces: `9 h 30`, `14 h`, `9 H 30` (capitals).
const SPACED_HOUR =
  /(?<![\p{L}\p{N}_.,:/\-\uE001\uE002])(\d{1,2})[ \u00A0\u202F]+([hH])(?:[ \u00A0\u202F]+(\d{2}))?(?![\p{L}\p{N}_\uE001\uE002])/gu;

/** After these, a straight quote opens (`l'"avion"`: after an apostrophe too). */
const FRENCH_QUOTE_OPENERS = "([{«“‘’'—–/-";

/**
 * A unit that stays on the line of its number: `3,5 M$`, `2 Md$`, `-5 °C`, `−5 °C`. `°C`
 * and `°F` get the space when it is missing; a bare `°` (an angle) only when one was typed.
 */
const UNIT_AFTER_NUMBER =
  /(\d)(?:[ \t\u00A0\u202F]*((?:k|M|Md|G)\$|°[CF])|[ \t\u00A0\u202F]+(°))(?![\p{L}\p{N}])/gu;

/**
 * A North American phone number, which must not break across lines: `514 555-0100`,
 * `(514) 555-0100`, `1 800 555-0199`, `+1 514 555-0100`. Its spaces become no-break spaces.
 */
const PHONE_NUMBER =
  /(?<![\p{L}\p{N}_.,/\-\uE001\uE002])(?:\+?1[ \t\u00A0])?(?:\(\d{3}\)|\d{3})[ \t\u00A0]\d{3}-\d{4}(?![\p{L}\p{N}_\-\uE001\uE002])/gu;
/** `poste 123`: the extension keeps its number. */
const PHONE_EXTENSION = /(?<![\p{L}\p{N}])(poste|p\.)[ \t]+(?=\d)/gu;
/** `Tél. : 514 555-0100`: a label before a number is not left alone at the end of a line. */
const PHONE_LABEL =
  /(?<![\p{L}\p{N}])(Tél\.?|Téléc\.?|Cell\.?|Téléphone|Télécopieur|Cellulaire|Sans frais)(\uE000*)\u00A0:(\uE000*)[ \t]+(?=\uE000*[+(\d])/giu;

/** Courtesy titles before a name: `M. Lanciault`, `Mme Boucher` keep their name on the same line (OQLF). */
const TITLE_BEFORE_NAME =
  /(?<![\p{L}\p{N}])(M\.|MM\.|Mme|Mmes|Mlle|Mlles|Me|Mes|Mgr|Dr|Dre|Drs|Pr|Pre)[ \t]+(?=\p{Lu})/gu;

/** Applies OQLF rules to one run of plain French prose (no markup). Pure. */
export function frenchText(text: string, options?: FrenchOptions): string {
  const profile = options?.profile ?? 'oqlf';
  if (profile === 'off') return text;
  return withProtectedTokens(text, (masked) => applyFrenchRules(masked, profile));
}

function applyFrenchRules(text: string, profile: 'oqlf' | 'compact'): string {
  let out = text.replace(/\.\.\./g, '…');
  out = frenchQuotes(out);
  out = spaceGuillemets(out);
  out = formatNumbers(out);
  out = out.replace(
    UNIT_AFTER_NUMBER,
    (_m, digit: string, unit?: string, degree?: string) => `${digit}${NBSP}${unit ?? degree}`,
  );
  out = out.replace(PHONE_NUMBER, (phone) => phone.replace(/[ \t]+/g, NBSP));
  out = out.replace(PHONE_EXTENSION, (_m, word: string) => `${word}${NBSP}`);
  out = out.replace(TITLE_BEFORE_NAME, (_m, title: string) => `${title}${NBSP}`);
  out = out.replace(SPACED_HOUR, (_m, hours: string, h: string, minutes?: string) =>
    minutes === undefined ? `${hours}${NBSP}${h}` : `${hours}${NBSP}${h}${NBSP}${minutes}`,
  );
  out = out.replace(COLON, (_m, gap: string) => `${boundariesOf(gap)}${NBSP}:`);
  const highSpace = profile === 'oqlf' ? NNBSP : '';
  // `?!` and `!!` are one group: the space goes before the group only.
  out = out.replace(
    HIGH_PUNCTUATION,
    (_m, gap: string, marks: string) => `${boundariesOf(gap)}${highSpace}${marks}`,
  );
  out = out.replace(
    PHONE_LABEL,
    (_m, label: string, before: string, after: string) => `${label}${before}${NBSP}:${after}${NBSP}`,
  );
  return out;
}

/** Whether a `'` after `from` can close a quotation: after a word, before a space, punctuation or the end. */
function closesLater(text: string, from: number): boolean {
  for (let i = text.indexOf("'", from + 1); i >= 0; i = text.indexOf("'", i + 1)) {
    const after = neighbour(text, i, 1);
    if (!isSpaceLike(neighbour(text, i, -1)) && (isSpaceLike(after) || /[.,;:!?)»\]…]/.test(after!)))
      return true;
  }
  return false;
}

/**
 * Quotation marks, the OQLF way: « » for a quotation, “ ” for a quotation inside it, and
 * ’ for an apostrophe. A straight `"`, a curly `“ ”` and a straight `'` used as a quote
 * (after a space or an opening bracket, before a word, and closed later) open « » outside
 * any quotation and “ ” inside one; the closing mark matches the one that opened. Any other `'` is an
 * apostrophe: French writes none after a space. Spacing is added by spaceGuillemets.
 */
function frenchQuotes(text: string): string {
  /** The marks open here: the character written for each, and the source character that opened it. */
  const open: { mark: '«' | '“'; by: string }[] = [];
  const closeOf = (i: number) => (open[i]?.mark === '“' ? '”' : '»');
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char !== '"' && char !== "'" && char !== '«' && char !== '»' && char !== '“' && char !== '”') {
      out += char;
      continue;
    }
    if (char === '«') {
      open.push({ mark: '«', by: char });
      out += char;
      continue;
    }
    if (char === '»') {
      const at = open.findLastIndex((q) => q.mark === '«');
      if (at >= 0) open.length = at;
      out += char;
      continue;
    }
    const before = neighbour(text, i, -1);
    const after = neighbour(text, i, 1);
    const spaceBefore = isSpaceLike(before) || FRENCH_QUOTE_OPENERS.includes(before!);
    const spaceAfter = isSpaceLike(after);
    const top = open.at(-1);
    let opening: boolean;
    if (char === '“') opening = true;
    else if (char === '”') opening = false;
    else if (char === "'") {
      if (spaceBefore && !spaceAfter && !/^'\d/.test(text.slice(i, i + 2)) && closesLater(text, i))
        opening = true;
      else if (top?.by === "'" && !spaceBefore) opening = false;
      else {
        out += '’';
        continue;
      }
    } else if (!spaceBefore) opening = false;
    else if (!spaceAfter) opening = true;
    else opening = top?.by !== '"';
    if (opening) {
      const mark = open.length === 0 ? '«' : '“';
      open.push({ mark, by: char === '“' ? '"' : char });
      out += mark;
    } else {
      out += closeOf(open.length - 1);
      open.pop();
    }
  }
  return out;
}

/** Exactly one no-break space inside `« »`, whatever the author typed. */
function spaceGuillemets(text: string): string {
  return text
    .replace(OPENING_GUILLEMET, (_m, gap: string) => `«${NBSP}${boundariesOf(gap)}`)
    .replace(CLOSING_GUILLEMET, (_m, gap: string) => `${boundariesOf(gap)}${NBSP}»`);
}

/**
 * Thousands grouped by threes with no-break spaces, no-break space before `$` and `%`.
 * Four-digit numbers stay whole (`2020`, `en 2019`: OQLF allows it) unless they are an
 * amount or a percentage, or the author already grouped them (`1 000`).
 */
function formatNumbers(text: string): string {
  return text.replace(
    NUMBER,
    (_m, integer: string, decimals: string | undefined, unit: string | undefined) => {
      const digits = integer.replace(/\D/g, '');
      const alreadyGrouped = digits.length !== integer.length;
      const group = alreadyGrouped || digits.length >= 5 || (digits.length === 4 && unit !== undefined);
      const number = (group ? groupThousands(digits) : integer) + (decimals ?? '');
      return unit === undefined ? number : `${number}${NBSP}${unit}`;
    },
  );
}

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+$)/g, NBSP);
}

/**
 * A phone number shown on its own (a contact's), in any language: its spaces are no-break
 * spaces, so that `514 555-0100` never wraps. Pure.
 */
export function phoneText(phone: string): string {
  return phone.replace(/[ \t]+/g, NBSP);
}

// ---------------------------------------------------------------------------------------
// English
// ---------------------------------------------------------------------------------------

const ENGLISH_QUOTE_OPENERS = '([{“‘—–/-';

/** English: straight double quotes -> “ ”, straight apostrophes -> ’ (and ‘ ’ for single quotes). Nothing else. Pure. */
export function englishText(text: string): string {
  return withProtectedTokens(text, (masked) => {
    const doubled = pairStraightQuotes(masked, '"', '“', '”', ENGLISH_QUOTE_OPENERS);
    return curlSingleQuotes(doubled);
  });
}

/**
 * A straight `'` opens a single quotation (‘) only after a space or opening punctuation
 * and before a word; everywhere else it is an apostrophe or a closing quote, both ’.
 * `'90s` keeps an apostrophe.
 */
function curlSingleQuotes(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char !== "'") {
      out += char;
      continue;
    }
    const before = neighbour(text, i, -1);
    const after = neighbour(text, i, 1);
    const afterSpace = isSpaceLike(before) || ENGLISH_QUOTE_OPENERS.includes(before!);
    const elidedDecade = /^'\d\d/.test(text.slice(i));
    out += afterSpace && !isSpaceLike(after) && !elidedDecade ? '‘' : '’';
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// The remark plugin
// ---------------------------------------------------------------------------------------

type Fix = (text: string) => string;

function fixFor(lang: string, profile: FrenchProfile): Fix | undefined {
  if (/^fr(?:$|[-_])/i.test(lang))
    return profile === 'off' ? undefined : (text) => frenchText(text, { profile });
  if (/^en(?:$|[-_])/i.test(lang)) return englishText;
  return undefined;
}

/** unified plugin (mdast transformer) that applies frenchText/englishText to prose text nodes. */
export function remarkTypography(options: { lang: string; profile?: FrenchProfile }): (tree: Root) => void {
  const fix = fixFor(options.lang, options.profile ?? 'oqlf');
  return (tree) => {
    joinSplitEmailAutolinks(tree);
    if (fix === undefined) return;
    visit(tree, (node) => {
      // The parents of inline content; their whole inline subtree is handled at once.
      if (node.type === 'paragraph' || node.type === 'heading' || node.type === 'tableCell') {
        fixInlineContent(node, fix);
        return SKIP;
      }
      return undefined;
    });
  };
}

/** The end of a text that may be the start of an address cut at an apostrophe: `o'`, `jean.d'`. */
const ADDRESS_HEAD_CUT = /(?<![\p{L}\p{N}._%+'-])[\p{L}\p{N}._%+-]+(?:'[\p{L}\p{N}._%+-]+)*'$/u;

/**
 * GFM's literal autolinks stop an address at an apostrophe, which is valid in one and
 * common in Quebec names: `o'neil@exemple.ca` became the text `o'` and a link to
 * `neil@exemple.ca`, the wrong mailbox. The parser (remark-gfm)
 * does it; here the cut-off start is put back into the link.
 */
function joinSplitEmailAutolinks(tree: Root): void {
  visit(tree, (node) => {
    if (!('children' in node)) return;
    const children = node.children as Nodes[];
    for (let i = 1; i < children.length; i++) {
      const link = children[i]!;
      const before = children[i - 1]!;
      if (link.type !== 'link' || before.type !== 'text' || link.children.length !== 1) continue;
      const label = link.children[0]!;
      if (label.type !== 'text' || link.url !== `mailto:${label.value}`) continue;
      const head = ADDRESS_HEAD_CUT.exec(before.value)?.[0];
      if (!head) continue;
      before.value = before.value.slice(0, -head.length);
      label.value = head + label.value;
      link.url = `mailto:${label.value}`;
      const start = link.position?.start;
      if (start && start.column > head.length) {
        start.column -= head.length;
        if (start.offset !== undefined) start.offset -= head.length;
        if (label.position) label.position.start = { ...start };
      }
      if (before.value === '') {
        children.splice(i - 1, 1);
        i--;
      }
    }
  });
}

/**
 * The inline content of a block, as one string: the values of its text nodes, separated
 * by sentinels for markup edges and opaque nodes. `pieces[i]` is the text between
 * sentinels `i - 1` and `i`; `owners[i]` is the text node it came from, if any.
 */
interface Flattened {
  pieces: string[];
  owners: Array<Text | undefined>;
  sentinels: string[];
}

function fixInlineContent(block: Parent, fix: Fix): void {
  const flat: Flattened = { pieces: [''], owners: [undefined], sentinels: [] };
  for (const child of block.children) flatten(child, flat, fix);

  const joined = flat.pieces.map((piece, i) => (i === 0 ? piece : flat.sentinels[i - 1]! + piece)).join('');
  const fixed = fix(joined);
  const pieces = fixed.split(RESERVED);
  const sentinels = fixed.match(RESERVED) ?? [];
  // The rules never add, drop or move a sentinel. If the sequence changed anyway (or the
  // prose already held a private-use sentinel), leave the block alone rather than misplace text.
  if (sentinels.join('') !== flat.sentinels.join('')) return;
  writeBack(pieces, flat.owners);
}

function flatten(node: Nodes, flat: Flattened, fix: Fix): void {
  const addSentinel = (sentinel: string): void => {
    flat.sentinels.push(sentinel);
    flat.pieces.push('');
    flat.owners.push(undefined);
  };
  switch (node.type) {
    case 'text': {
      // Two adjacent text nodes (possible after other plugins) still need a separator.
      if (flat.owners.at(-1) !== undefined) addSentinel(BOUNDARY);
      flat.pieces[flat.pieces.length - 1] = node.value;
      flat.owners[flat.owners.length - 1] = node;
      return;
    }
    case 'break':
      addSentinel(LINE_BREAK);
      return;
    case 'image':
    case 'imageReference':
      // Alt text is prose (read aloud, shown when the image fails); the URL is not.
      if (node.alt) node.alt = fix(node.alt);
      addSentinel(ATOM);
      return;
    case 'link':
      if (isAutolink(node)) {
        addSentinel(ATOM);
        return;
      }
      break;
    default:
      break;
  }
  if ('children' in node) {
    // Emphasis, strong, delete, link…: prose continues inside, across the markup edges.
    addSentinel(BOUNDARY);
    for (const child of node.children) flatten(child as Nodes, flat, fix);
    addSentinel(BOUNDARY);
  } else {
    // inlineCode, html, footnoteReference…: never handed to the rules.
    addSentinel(ATOM);
  }
}

/**
 * `<https://…>`, `www.aimq.net`, `info@aimq.net`: the link text is the address itself.
 * Its text is skipped whole, because an address may hold characters that end the URL
 * pattern of the string rules (`<https://x.ca/a"b>` is a valid autolink).
 */
function isAutolink(link: Link): boolean {
  const text = toString(link);
  return [text, `mailto:${text}`, `http://${text}`, `https://${text}`].includes(link.url);
}

/**
 * Puts each fixed piece back into its text node. A piece with no node of its own (between
 * two markup edges) should stay empty; if a rule ever put text there, it joins the
 * previous text node, or the next one, so that nothing is lost.
 */
function writeBack(pieces: string[], owners: Array<Text | undefined>): void {
  let orphan = '';
  let lastOwner: Text | undefined;
  pieces.forEach((piece, i) => {
    const owner = owners[i];
    if (owner === undefined) {
      if (lastOwner !== undefined) lastOwner.value += piece;
      else orphan += piece;
      return;
    }
    owner.value = orphan + piece;
    orphan = '';
    lastOwner = owner;
  });
}

// ---------------------------------------------------------------------------------------
// Findings for `aimq release check`
// ---------------------------------------------------------------------------------------

const SPACE = '[ \\u00A0\\u202F]';
// Start of a number that is not part of a longer token.
const NUMBER_START = String.raw`(?<![\p{L}\p{N}_.,:/\-])`;

// `9h30`, `9h`, `14h00`, `9 h30`, `9h 30` (and the correct `9 h 30`, filtered out later).
const H_TIME = new RegExp(
  String.raw`${NUMBER_START}(\d{1,2})(${SPACE}?)([hH])(?:(${SPACE}?)(\d{2}))?(?![\p{L}\p{N}_])`,
  'gu',
);
// `14:00`, `9:30`; not `14:00:00`, `3:1` or `1:30.5`.
const COLON_TIME = new RegExp(String.raw`${NUMBER_START}(\d{1,2}):(\d{2})(?![\p{L}\p{N}_]|[:.,]\d)`, 'gu');
// A time followed by `a.m.`, `p.m.`, `AM`, `pm`…
const AM_PM_TIME = new RegExp(
  String.raw`${NUMBER_START}(\d{1,2})(?:(?:${SPACE}?[hH]${SPACE}?|:)(\d{2}))?${SPACE}*([aApP])(?:\.${SPACE}?[mM]\.?|[mM])(?![\p{L}\p{N}])`,
  'gu',
);
// `2ème`, `2ieme`, `3ième`, `1ère`, `1ier`, `2èmes`; `1er`, `1re`, `2e` are already right.
const ORDINAL = new RegExp(
  String.raw`${NUMBER_START}(\d+)(ième|ieme|ème|eme|ère|ere|ier)(s?)(?![\p{L}\p{N}])`,
  'giu',
);
// Inline code spans, in case the text checked is markdown source.
const CODE_SPAN = /(`+)[^`]*?\1/g;

/** Problems the renderer cannot fix safely, for `aimq release check` (French only). */
export function findFrenchTypographyIssues(text: string): TypographyFinding[] {
  const skipped = [...findProtectedRanges(text), ...[...text.matchAll(CODE_SPAN)].map(rangeOf)];
  const amPm = amPmFindings(text);
  // A time with a.m./p.m. gets one finding, with the 24-hour suggestion.
  const times = timeFindings(text).filter((finding) => !amPm.some((other) => overlaps(finding, other)));
  return [...amPm, ...times, ...ordinalFindings(text)]
    .filter((finding) => !skipped.some((range) => overlaps(finding, range)))
    .sort((a, b) => a.index - b.index);
}

function rangeOf(match: RegExpMatchArray): Range {
  return { start: match.index!, end: match.index! + match[0].length };
}

function overlaps(a: TypographyFinding | Range, b: TypographyFinding | Range): boolean {
  const [aStart, aEnd] = 'index' in a ? [a.index, a.index + a.length] : [a.start, a.end];
  const [bStart, bEnd] = 'index' in b ? [b.index, b.index + b.length] : [b.start, b.end];
  return aStart < bEnd && bStart < aEnd;
}

function isClockTime(hours: number, minutes: number): boolean {
  return hours <= 23 && minutes <= 59;
}

/** The OQLF way: `9 h 30`, `14 h` (no `00`, no leading zero). */
function oqlfTime(hours: number, minutes: number, h = 'h'): string {
  return minutes === 0 ? `${hours} ${h}` : `${hours} ${h} ${String(minutes).padStart(2, '0')}`;
}

function writeInstead(suggestion: string): Words {
  return { fr: `écrivez "${suggestion}"`, en: `write "${suggestion}"` };
}

function timeFinding(match: RegExpMatchArray, suggestion: string): TypographyFinding {
  return {
    index: match.index!,
    length: match[0].length,
    code: 'AIMQ-TYPO-TIME',
    message: {
      fr: `l’heure "${match[0]}" n’est pas écrite selon l’OQLF`,
      en: `time "${match[0]}" is not written the OQLF way`,
    },
    hint: writeInstead(suggestion),
    suggestion,
  };
}

function timeFindings(text: string): TypographyFinding[] {
  const findings: TypographyFinding[] = [];
  for (const match of text.matchAll(H_TIME)) {
    const [, hoursText = '', spaceBeforeH, h = 'h', spaceAfterH, minutesText] = match;
    const hours = Number(hoursText);
    const minutes = Number(minutesText ?? 0);
    const correct = spaceBeforeH !== '' && (minutesText === undefined || spaceAfterH !== '');
    if (correct || !isClockTime(hours, minutes)) continue;
    findings.push(timeFinding(match, oqlfTime(hours, minutes, h)));
  }
  for (const match of text.matchAll(COLON_TIME)) {
    const hours = Number(match[1]);
    const minutes = Number(match[2]);
    if (!isClockTime(hours, minutes)) continue;
    findings.push(timeFinding(match, oqlfTime(hours, minutes)));
  }
  return findings;
}

function amPmFindings(text: string): TypographyFinding[] {
  const findings: TypographyFinding[] = [];
  for (const match of text.matchAll(AM_PM_TIME)) {
    const hours = Number(match[1]);
    const minutes = Number(match[2] ?? 0);
    if (hours > 23 || minutes > 59) continue;
    const pm = match[3]!.toLowerCase() === 'p';
    // 12 a.m. is midnight, 12 p.m. noon; an hour past 12 is already on the 24-hour clock.
    const hours24 = hours > 12 ? hours : (hours % 12) + (pm ? 12 : 0);
    const suggestion = oqlfTime(hours24, minutes);
    findings.push({
      index: match.index,
      length: match[0].length,
      code: 'AIMQ-TYPO-AMPM',
      message: {
        fr: `l’heure "${match[0]}" est écrite avec a.m./p.m.\u00a0; le français utilise le système de 24 heures`,
        en: `time "${match[0]}" uses a.m./p.m.; French uses the 24-hour clock`,
      },
      hint: writeInstead(suggestion),
      suggestion,
    });
  }
  return findings;
}

function ordinalFindings(text: string): TypographyFinding[] {
  const findings: TypographyFinding[] = [];
  for (const match of text.matchAll(ORDINAL)) {
    const [, number = '', ending = '', plural = ''] = match;
    const suggestion = number + ordinalEnding(number, ending.toLowerCase()) + plural.toLowerCase();
    findings.push({
      index: match.index,
      length: match[0].length,
      code: 'AIMQ-TYPO-ORDINAL',
      message: {
        fr: `l’ordinal "${match[0]}" n’est pas abrégé selon l’OQLF`,
        en: `ordinal "${match[0]}" is not the OQLF abbreviation`,
      },
      hint: writeInstead(suggestion),
      suggestion,
    });
  }
  return findings;
}

/** `1re` (première), `1er` (premier), otherwise `e`: `2e`, `3e`, `21e`. */
function ordinalEnding(number: string, ending: string): string {
  if (number !== '1') return 'e';
  return ending === 'ère' || ending === 'ere' ? 're' : 'er';
}
