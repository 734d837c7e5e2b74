import {
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  visit,
  type Node,
  type Pair,
  type YAMLError,
  type YAMLMap,
} from 'yaml';
import type { Message, Text } from '../i18n/text.js';
import { explainYamlError, findUnclosed } from './yaml-explain.js';

export type YamlPath = ReadonlyArray<string | number>;

export interface Position {
  line: number;
  column: number;
}

export interface YamlSyntaxProblem extends Position {
  message: Message;
  /** A hint for this problem in particular, when there is a better one than the file's generic hint. */
  hint?: Message;
}

/**
 * YAML parsed with the position of every node, so validators can point at the line of
 * the offending key in the user's file. `lineOffset` is the number of lines that precede
 * the YAML text in its file (1 for front matter after its `---` line).
 */
export interface YamlSource {
  data: unknown;
  errors: YamlSyntaxProblem[];
  /** Position of the value at `path` (or of the nearest ancestor that exists). */
  locate(path: YamlPath): Position;
  /** Position of the key that holds the value at `path`. */
  locateKey(path: YamlPath): Position;
}

/** How an anchor or alias is reported: front matter and config never need them. */
const ALIAS_HINT: Text = {
  fr: 'mettez entre guillemets une valeur qui commence par * ou & (`subtitle: "*Nouveau*"`)\u00a0: YAML y voit un alias ou une ancre, ce qu’aimq n’accepte pas',
  en: 'quote a value that starts with * or & (subtitle: "*Nouveau*"): YAML reads them as aliases and anchors, which aimq does not accept',
};

/**
 * What each of the `yaml` package's errors means, in French; its English message is kept as
 * it is, since it names the very token at fault.
 */
const YAML_ERRORS_FR: Partial<Record<YAMLError['code'], string>> = {
  ALIAS_PROPS: 'un alias ne peut pas avoir d’ancre ni d’étiquette',
  BAD_ALIAS: 'alias non valide',
  BAD_DIRECTIVE: 'directive YAML non valide',
  BAD_DQ_ESCAPE: 'séquence d’échappement non valide entre guillemets doubles',
  BAD_INDENT: 'l’indentation n’est pas la bonne',
  BAD_PROP_ORDER: 'l’ancre et l’étiquette ne sont pas dans le bon ordre',
  BAD_SCALAR_START: 'une valeur ne peut pas commencer par ce caractère sans guillemets',
  BLOCK_AS_IMPLICIT_KEY: 'un bloc ne peut pas servir de clé',
  BLOCK_IN_FLOW: 'un bloc ne peut pas se trouver entre crochets ou accolades',
  DUPLICATE_KEY: 'une clé apparaît deux fois',
  KEY_OVER_1024_CHARS: 'une clé dépasse 1\u00a0024 caractères',
  MISSING_CHAR:
    'un caractère manque (guillemet, crochet ou accolade fermants, deux-points, ou tiret d’un élément de liste)',
  MULTILINE_IMPLICIT_KEY:
    'une clé doit tenir sur une ligne (il manque peut-être un deux-points ou un guillemet)',
  MULTIPLE_ANCHORS: 'une valeur a plusieurs ancres',
  MULTIPLE_DOCS: 'l’en-tête contient plusieurs documents YAML',
  MULTIPLE_TAGS: 'une valeur a plusieurs étiquettes',
  NON_STRING_KEY: 'une clé doit être un texte',
  RESOURCE_EXHAUSTION: 'le document YAML est trop complexe',
  TAB_AS_INDENT: 'une tabulation sert d’indentation\u00a0; YAML n’accepte que des espaces',
  TAG_RESOLVE_FAILED: 'étiquette YAML inconnue',
  UNEXPECTED_TOKEN: 'élément inattendu à cet endroit',
  BAD_COLLECTION_TYPE: 'type de collection non valide',
};

/**
 * Parses YAML with positions. Anchors and aliases are refused as ordinary problems: a
 * value written `*Nouveau*` (a markdown habit) is an alias in YAML, and an alias can
 * multiply a small file into a huge one. Duplicate keys are found in one pass (the `yaml`
 * package compares every pair of keys, which takes seconds on a front matter of 20,000 keys).
 */
export function parseYaml(text: string, lineOffset = 0): YamlSource {
  const lineCounter = new LineCounter();
  // The core schema keeps `2020-01-13` a string: YAML 1.1 timestamps would become UTC
  // instants and shift calendar dates across time zones.
  const doc = parseDocument(text, { lineCounter, schema: 'core', prettyErrors: false, uniqueKeys: false });
  const toPos = (offset: number): Position => {
    const p = lineCounter.linePos(offset);
    return { line: p.line + lineOffset, column: p.col };
  };
  const lines = text.split('\n');
  const unclosed = doc.errors.length ? findUnclosed(text) : { flow: [], quotes: [] };
  // One mistake often makes the package report two or three errors on one line: the first
  // says the most.
  const reportedLines = new Set<number>();
  const errors: YamlSyntaxProblem[] = [];
  for (const e of doc.errors) {
    const explained = explainYamlError(e, text, unclosed);
    const pos = toPos(explained?.offset ?? e.pos[0]);
    const rawLine = toPos(e.pos[0]).line;
    if (reportedLines.has(pos.line) || reportedLines.has(rawLine)) continue;
    reportedLines.add(pos.line).add(rawLine);
    if (explained) {
      errors.push({
        ...pos,
        message: explained.message,
        ...(explained.hint ? { hint: explained.hint } : {}),
      });
      continue;
    }
    // `subtitle: *Nouveau* programme` fails as an alias followed by text: the cause is the `*`.
    const line = lines[pos.line - lineOffset - 1] ?? '';
    const aliasLike = /(?:^|:\s|^\s*-\s)\s*[*&]/.test(line);
    const english = cleanYamlMessage(e.message);
    const french = YAML_ERRORS_FR[e.code] ?? 'le YAML n’est pas valide';
    errors.push({
      ...pos,
      message: { fr: french, en: english },
      ...(aliasLike ? { hint: ALIAS_HINT } : {}),
    });
  }
  const anchorProblem = (node: Node) => {
    if (node.anchor)
      errors.push({
        ...toPos(anchorOffset(text, node)),
        message: {
          fr: `&${excerpt(node.anchor)} est une ancre YAML, ce qu’aimq n’accepte pas`,
          en: `&${excerpt(node.anchor)} is a YAML anchor, which aimq does not accept`,
        },
        hint: ALIAS_HINT,
      });
  };
  if (errors.length === 0) {
    visit(doc, {
      Alias(_, node) {
        errors.push({
          ...toPos(node.range?.[0] ?? 0),
          message: {
            fr: `*${excerpt(node.source)} est un alias YAML, ce qu’aimq n’accepte pas`,
            en: `*${excerpt(node.source)} is a YAML alias, which aimq does not accept`,
          },
          hint: ALIAS_HINT,
        });
      },
      Node(_, node) {
        anchorProblem(node);
      },
      Scalar(_, node) {
        // The visitor calls Scalar instead of Node for a scalar: its anchor is checked here.
        anchorProblem(node);
        // `title: Prix #1 du jury` is "Prix" in YAML: " #" starts a comment, and the rest of
        // the line was dropped without a word. A comment written as one ("# required") has
        // a space after the #; "#1", "#MeToo" or "#AIMQ2026" are part of the text.
        if (node.type !== 'PLAIN' || !node.range) return;
        // `tags:\n  - a\n   - b` is valid YAML for ["a - b"]: a list item indented more
        // than the one above it continues its text instead of starting an item.
        const dash = /\n([ \t]*)- /.exec(text.slice(node.range[0], node.range[1]));
        if (dash) {
          errors.push({
            ...toPos(node.range[0] + dash.index + 1 + dash[1]!.length),
            message: {
              fr: `ce "-" est plus en retrait que la ligne au-dessus de lui\u00a0: YAML le lit comme la suite de la valeur "${excerpt(String(node.source))}", pas comme un nouvel élément de liste`,
              en: `this "-" is indented more than the line above it: YAML reads it as the rest of the value "${excerpt(String(node.source))}", not as a new list item`,
            },
            hint: {
              fr: 'commencez chaque "-" de la liste à la même colonne',
              en: 'start every "-" of the list at the same column',
            },
          });
          return;
        }
        // An empty value (`accentColor: #0b4f8a`, `title: #1 au palmarès`) starts at the #.
        const source = String(node.source ?? '');
        const after = (source === '' ? /^[ \t]*#(\S+)/ : /^[ \t]+#(\S+)/).exec(
          text.slice(node.range[1], node.range[2]),
        );
        if (!after) return;
        const at = node.range[1] + after[0].length - after[1]!.length - 1;
        const shown = excerpt(`#${after[1]}`);
        const example = `"${source === '' ? '' : `${excerpt(source)} `}#${after[1]}…"`;
        errors.push({
          ...toPos(at),
          message:
            source === ''
              ? {
                  fr: `"${shown}" commence un commentaire YAML\u00a0: le reste de la ligne serait perdu, et la valeur serait vide`,
                  en: `"${shown}" starts a YAML comment: the rest of the line would be dropped, leaving the value empty`,
                }
              : {
                  fr: `"${shown}" commence un commentaire YAML\u00a0: le reste de la ligne serait perdu, et la valeur ne serait que "${excerpt(source)}"`,
                  en: `"${shown}" starts a YAML comment: the rest of the line would be dropped, leaving only "${excerpt(source)}"`,
                },
          hint: {
            fr: `mettez la valeur entre guillemets, p. ex. ${example}\u00a0; un commentaire voulu s’écrit avec une espace après le #`,
            en: `quote the value, e.g. ${example}; a comment meant as one has a space after the #`,
          },
        });
      },
      Map(_, node) {
        const seen = new Map<string, Pair>();
        for (const pair of node.items) {
          if (!isScalar(pair.key)) {
            // `subtitle: {{name}}` (a template habit) is a mapping whose key is a mapping.
            if (pair.key)
              errors.push({
                ...toPos((pair.key as Node).range?.[0] ?? 0),
                message: {
                  fr: 'une clé YAML ne peut pas être une liste ni un ensemble de champs\u00a0: une valeur qui commence par "{" ou "[" est lue comme tel',
                  en: 'a YAML key cannot be a list or a mapping: a value that starts with "{" or "[" is read as one',
                },
                hint: {
                  fr: 'mettez la valeur entre guillemets, p. ex. `subtitle: "{{nom}}"`',
                  en: 'quote the value, e.g. subtitle: "{{name}}"',
                },
              });
            continue;
          }
          const key = String(pair.key.value);
          const first = seen.get(key);
          if (first) {
            const line = toPos((first.key as Node).range?.[0] ?? 0).line;
            errors.push({
              ...toPos((pair.key as Node).range?.[0] ?? 0),
              message: {
                fr: `les clés doivent être uniques\u00a0: "${excerpt(key)}" apparaît deux fois (d’abord à la ligne ${line})`,
                en: `Map keys must be unique: "${excerpt(key)}" appears twice (first at line ${line})`,
              },
              hint: {
                fr: `gardez une seule ligne "${excerpt(key)}:"`,
                en: `keep one "${excerpt(key)}:" line`,
              },
            });
          } else seen.set(key, pair);
        }
        keyIndex.set(node, seen);
      },
    });
    errors.sort((a, b) => a.line - b.line || a.column - b.column);
  }
  const data = errors.length === 0 ? doc.toJS({ maxAliasCount: 0 }) : undefined;

  const find = (path: YamlPath): { key?: Node; value?: Node } => {
    let node: Node | null | undefined = doc.contents;
    let found: { key?: Node; value?: Node } = node ? { value: node } : {};
    for (const segment of path) {
      if (isMap(node)) {
        const pair = pairOf(node, String(segment));
        if (!pair) return found;
        const keyNode = pair.key as Node;
        node = pair.value as Node | null;
        found = { key: keyNode, value: node ?? keyNode };
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment] as Node | undefined;
        if (!item) return found;
        node = item;
        found = { key: item, value: item };
      } else {
        return found;
      }
    }
    return found;
  };
  const positionOf = (node: Node | undefined): Position =>
    node?.range ? toPos(node.range[0]) : { line: lineOffset + 1, column: 1 };

  return {
    data,
    errors,
    locate: (path) => positionOf(find(path).value),
    locateKey: (path) => {
      const f = find(path);
      return positionOf(f.key ?? f.value);
    },
  };
}

/** Each mapping's keys, indexed once, so that locating a key is not a scan of its mapping. */
const keyIndex = new WeakMap<YAMLMap, Map<string, Pair>>();

function pairOf(node: YAMLMap, key: string): Pair | undefined {
  let index = keyIndex.get(node);
  if (!index) {
    index = new Map();
    for (const p of node.items)
      if (isScalar(p.key) && !index.has(String(p.key.value))) index.set(String(p.key.value), p);
    keyIndex.set(node, index);
  }
  return index.get(key);
}

/** Where `&name` is written: the node's range starts after its properties. */
function anchorOffset(text: string, node: Node): number {
  const start = node.range?.[0] ?? 0;
  const at = text.lastIndexOf(`&${node.anchor}`, start);
  return at >= 0 ? at : start;
}

/** At most `max` characters of a value, for messages: a diagnostic never repeats a huge value. */
export function excerpt(value: string, max = 60): string {
  const flat = value.replace(/\s+/g, ' ');
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/** The `yaml` package appends a source excerpt and position to messages; we print our own. */
function cleanYamlMessage(message: string): string {
  return message
    .split('\n')[0]!
    .replace(/ at line \d+, column \d+:?$/, '')
    .trim();
}
