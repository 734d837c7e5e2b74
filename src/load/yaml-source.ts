import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';

export type YamlPath = ReadonlyArray<string | number>;

export interface Position {
  line: number;
  column: number;
}

export interface YamlSyntaxProblem extends Position {
  message: string;
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

export function parseYaml(text: string, lineOffset = 0): YamlSource {
  const lineCounter = new LineCounter();
  // The core schema keeps `2020-01-13` a string: YAML 1.1 timestamps would become UTC
  // instants and shift calendar dates across time zones.
  const doc = parseDocument(text, { lineCounter, schema: 'core', prettyErrors: false, uniqueKeys: true });
  const toPos = (offset: number): Position => {
    const p = lineCounter.linePos(offset);
    return { line: p.line + lineOffset, column: p.col };
  };
  const errors = doc.errors.map((e) => ({ ...toPos(e.pos[0]), message: cleanYamlMessage(e.message) }));
  const data = errors.length === 0 ? doc.toJS({ maxAliasCount: 50 }) : undefined;

  const find = (path: YamlPath): { key?: Node; value?: Node } => {
    let node: Node | null | undefined = doc.contents;
    let found: { key?: Node; value?: Node } = node ? { value: node } : {};
    for (const segment of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
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

/** The `yaml` package appends a source excerpt and position to messages; we print our own. */
function cleanYamlMessage(message: string): string {
  return message
    .split('\n')[0]!
    .replace(/ at line \d+, column \d+:?$/, '')
    .trim();
}
