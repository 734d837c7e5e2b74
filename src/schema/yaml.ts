import {
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  visit,
  type Node,
  type Pair,
  type YAMLMap,
} from 'yaml';

export type YamlPath = ReadonlyArray<string | number>;

export interface Position {
  line: number;
  column: number;
}

export interface YamlSyntaxProblem extends Position {
  message: string;
  /** A hint for this problem in particular, when there is a better one than the file's generic hint. */
  hint?: string;
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
const ALIAS_HINT =
  'quote a value that starts with * or & (subtitle: "*Nouveau*"): YAML reads them as aliases and anchors, which aimq does not accept';

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
  const errors: YamlSyntaxProblem[] = doc.errors.map((e) => {
    const pos = toPos(e.pos[0]);
    // `subtitle: *Nouveau* programme` fails as an alias followed by text: the cause is the `*`.
    const line = lines[pos.line - lineOffset - 1] ?? '';
    const aliasLike = /(?:^|:\s|^\s*-\s)\s*[*&]/.test(line);
    return { ...pos, message: cleanYamlMessage(e.message), ...(aliasLike ? { hint: ALIAS_HINT } : {}) };
  });
  if (errors.length === 0) {
    visit(doc, {
      Alias(_, node) {
        errors.push({
          ...toPos(node.range?.[0] ?? 0),
          message: `*${excerpt(node.source)} is a YAML alias, which aimq does not accept`,
          hint: ALIAS_HINT,
        });
      },
      Node(_, node) {
        if (node.anchor)
          errors.push({
            ...toPos(anchorOffset(text, node)),
            message: `&${excerpt(node.anchor)} is a YAML anchor, which aimq does not accept`,
            hint: ALIAS_HINT,
          });
      },
      Map(_, node) {
        const seen = new Map<string, Pair>();
        for (const pair of node.items) {
          if (!isScalar(pair.key)) continue;
          const key = String(pair.key.value);
          if (seen.has(key))
            errors.push({
              ...toPos((pair.key as Node).range?.[0] ?? 0),
              message: `Map keys must be unique: "${excerpt(key)}" appears twice`,
            });
          else seen.set(key, pair);
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
