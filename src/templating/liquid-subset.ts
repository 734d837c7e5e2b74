/**
 * A compiler for the small part of Liquid aimq's own templates use, into plain closures.
 *
 * LiquidJS is generic (generators, drops, scopes looked up by name at every access) and
 * rendering with it costs more than everything else a web page or an edition needs.
 * This compiler handles outputs of variables with `escape`, `newline_to_br` and `raw`,
 * `if`/`elsif`/`else`/`unless` on one value or one comparison, `for … in` (with `else`
 * and `forloop`), `render 'file', key: value`, whitespace control (`{%- -%}`, `{{- -}}`)
 * and template inheritance (`{% layout 'file', key: value %}` first in a template whose
 * other content is `{% block %}`s). It gives up in two ways, so that the caller falls back
 * to LiquidJS and the result is always LiquidJS's:
 *   - at compile time, on any construct outside that subset (`compileSubset` returns
 *     undefined), so a project's override may use all of Liquid;
 *   - at render time, on any value whose treatment it does not reproduce exactly
 *     (undefined variables, which are errors in strict mode, objects that are not plain,
 *     functions…): the render throws `Unsupported`.
 * Semantics follow the engine's options (src/templating/engine.ts): outputs escaped unless
 * `| raw`, strict variables, own properties only, Liquid truthiness (only false and nil are
 * false), greedy whitespace control.
 */

/** Thrown while rendering when the value met needs LiquidJS's own treatment. */
export class Unsupported extends Error {}

const unsupported = (): never => {
  throw new Unsupported('outside the compiled Liquid subset');
};

export type CompiledTemplate = (env: object) => string;

/** Looks up a partial named in `{% render %}` and gives its source, or undefined. */
export type PartialSource = (file: string) => string | undefined;

/** Compiles `source`, or returns undefined when it uses anything outside the subset. */
export function compileSubset(source: string, partial: PartialSource): CompiledTemplate | undefined {
  try {
    const template = new Compiler(partial, []).template(source, true);
    return (env) => template({ env: env as Record<string, unknown>, slots: [] });
  } catch (err) {
    if (err instanceof Unsupported) return undefined;
    throw err;
  }
}

interface Scope {
  env: Record<string, unknown>;
  /** Loop variables and `forloop` objects, at indexes fixed at compile time. */
  slots: unknown[];
}

type Render = (s: Scope) => string;
type Get = (s: Scope) => unknown;

class Forloop {
  constructor(
    public i: number,
    public readonly length: number,
  ) {}
}

const hasOwn = Object.prototype.hasOwnProperty;

function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** LiquidJS's property read (readProperty, ownPropertyOnly) for the values it handles alike. */
function readProperty(obj: unknown, key: string): unknown {
  if (typeof obj === 'string') return key === 'size' ? obj.length : unsupported();
  if (typeof obj !== 'object' || obj === null) return unsupported();
  if (obj instanceof Forloop) {
    switch (key) {
      case 'index':
        return obj.i + 1;
      case 'index0':
        return obj.i;
      case 'first':
        return obj.i === 0;
      case 'last':
        return obj.i === obj.length - 1;
      case 'rindex':
        return obj.length - obj.i;
      case 'rindex0':
        return obj.length - obj.i - 1;
      case 'length':
        return obj.length;
      default:
        return unsupported();
    }
  }
  if (Array.isArray(obj)) {
    if (key === 'size') return obj.length;
    if (key === 'first' && obj.length > 0) return obj[0];
    if (key === 'last' && obj.length > 0) return obj[obj.length - 1];
    return unsupported();
  }
  if (!isPlainObject(obj)) return unsupported();
  if (hasOwn.call(obj, key)) {
    const v = (obj as Record<string, unknown>)[key];
    return v === undefined || typeof v === 'function' ? unsupported() : v;
  }
  if (key === 'size') return Object.keys(obj).length;
  return unsupported();
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&#34;',
  "'": '&#39;',
};
const NEEDS_ESCAPE = /[&<>"']/;
const TO_ESCAPE = /[&<>"']/g;
/** LiquidJS's `escape` filter. */
const escape = (s: string): string => (NEEDS_ESCAPE.test(s) ? s.replace(TO_ESCAPE, (c) => ESCAPES[c]!) : s);

/** A value an output can print: what LiquidJS's stringify gives for a primitive. */
function printable(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null) return '';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return unsupported();
}

/** A value conditions treat like LiquidJS: primitives, arrays and plain objects. */
function conditionValue(v: unknown): unknown {
  if (typeof v === 'object' && v !== null && !Array.isArray(v) && !isPlainObject(v)) return unsupported();
  return v;
}

function primitive(v: unknown): unknown {
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return unsupported();
}

const FILTERS: Record<string, (s: string) => string> = {
  escape,
  newline_to_br: (s) => s.replace(/\r?\n/g, '<br />\n'),
  raw: (s) => s,
};

const COMPARISONS: Record<string, (l: unknown, r: unknown) => boolean> = {
  '==': (l, r) => l === r,
  '!=': (l, r) => l !== r,
  '>': (l, r) => (l as number) > (r as number),
  '<': (l, r) => (l as number) < (r as number),
  '>=': (l, r) => (l as number) >= (r as number),
  '<=': (l, r) => (l as number) <= (r as number),
};

// Liquid's literals, which are not variables.
const KEYWORDS = new Set(['nil', 'null', 'empty', 'blank', 'true', 'false']);
const IDENT = '[A-Za-z_]\\w*';
const PATH = new RegExp(`^${IDENT}(?:\\.${IDENT})*$`);
const OPERAND = `(?:'[^'\\\\]*'|"[^"\\\\]*"|-?\\d+(?:\\.\\d+)?|${IDENT}(?:\\.${IDENT})*)`;
const CONDITION = new RegExp(`^(${OPERAND})(?:\\s*(==|!=|>=|<=|>|<)\\s*(${OPERAND}))?$`);
const FOR = new RegExp(`^for\\s+(${IDENT})\\s+in\\s+(${IDENT}(?:\\.${IDENT})*)$`);
const RENDER = /^render\s+(['"])([\w-]+(?:\.[\w-]+)*)\1\s*(.*)$/s;
const LAYOUT = /^layout\s+(['"])([\w-]+(?:\.[\w-]+)*)\1\s*(.*)$/s;
const BLOCK = /^block\s+(\w+)$/;
const RENDER_ARG = new RegExp(`^,\\s*(${IDENT})\\s*:\\s*(${OPERAND})\\s*`);
const TOKEN = /\{\{([\s\S]*?)\}\}|\{%([\s\S]*?)%\}/g;

interface Token {
  kind: 'text' | 'output' | 'tag';
  value: string;
}

interface Delimited extends Token {
  /** A dash inside the delimiter: `{%-`/`{{-` and `-%}`/`-}}`. */
  trimLeft: boolean;
  trimRight: boolean;
}

// LiquidJS's BLANK characters (its TYPES table), which are not quite JavaScript's \s: its
// whitespace control trims these, and it strips them around a tag's content.
const BLANK = '\\t\\n\\v\\f\\r \\u00a0\\u1680\\u180e\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const LEADING_BLANK = new RegExp(`^[${BLANK}]+`);
const TRAILING_BLANK = new RegExp(`[${BLANK}]+$`);
const trimBlank = (s: string): string => s.replace(LEADING_BLANK, '').replace(TRAILING_BLANK, '');

function tokenize(source: string): Token[] {
  const tokens: (Token | Delimited)[] = [];
  let last = 0;
  for (const m of source.matchAll(TOKEN)) {
    if (m.index > last) tokens.push({ kind: 'text', value: source.slice(last, m.index) });
    let inner = m[1] ?? m[2]!;
    // Nested delimiters are left to LiquidJS.
    if (/\{\{|\{%/.test(inner)) unsupported();
    const trimLeft = inner.startsWith('-');
    const trimRight = inner.length > (trimLeft ? 1 : 0) && inner.endsWith('-');
    inner = inner.slice(trimLeft ? 1 : 0, trimRight ? -1 : undefined);
    tokens.push({
      kind: m[1] !== undefined ? 'output' : 'tag',
      value: trimBlank(inner),
      trimLeft,
      trimRight,
    });
    last = m.index + m[0].length;
  }
  const rest = source.slice(last);
  if (/\{\{|\{%/.test(rest)) unsupported();
  if (rest) tokens.push({ kind: 'text', value: rest });
  // LiquidJS's whiteSpaceCtrl with `greedy` (its default): a dash trims every blank
  // character, newlines included, of the text on its side, up to the next non-blank one.
  // Only text is trimmed: a dash next to another tag does nothing.
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (!('trimLeft' in token)) continue;
    const before = tokens[i - 1];
    if (token.trimLeft && before?.kind === 'text') before.value = before.value.replace(TRAILING_BLANK, '');
    const after = tokens[i + 1];
    if (token.trimRight && after?.kind === 'text') after.value = after.value.replace(LEADING_BLANK, '');
  }
  return tokens.filter((t) => t.kind !== 'text' || t.value !== '');
}

const concat = (parts: Render[]): Render => {
  if (parts.length === 1) return parts[0]!;
  return (s) => {
    let out = '';
    for (const part of parts) out += part(s);
    return out;
  };
};

class Compiler {
  private tokens: Token[] = [];
  private pos = 0;
  /** Names bound by the enclosing `for` tags, innermost last, with their slots. */
  private bound: { name: string; slot: number }[] = [];
  private slots = 0;

  /** Inside a template that takes part in inheritance, where `block` is LiquidJS's own variable. */
  private inherits = false;
  private inBlock = false;

  /**
   * @param overrides the blocks of the child template, when compiling its layout
   */
  constructor(
    private readonly partial: PartialSource,
    private readonly including: readonly string[],
    private readonly overrides?: ReadonlyMap<string, Render>,
  ) {
    this.inherits = overrides !== undefined;
  }

  /** @param top whether this is the template rendered, the only place `layout` is handled */
  template(source: string, top = false): Render {
    this.tokens = tokenize(source);
    this.pos = 0;
    const first = this.tokens[0];
    if (top && first?.kind === 'tag' && tagName(first.value) === 'layout') return this.layout(first.value);
    const body = this.block([]);
    if (this.pos < this.tokens.length) unsupported();
    return body;
  }

  /** Renders tokens until one of the tags in `end` (left for the caller to read). */
  private block(end: readonly string[]): Render {
    const parts: Render[] = [];
    while (this.pos < this.tokens.length) {
      const token = this.tokens[this.pos]!;
      if (token.kind === 'tag' && end.includes(tagName(token.value))) return concat(parts);
      this.pos++;
      if (token.kind === 'text') {
        const text = token.value;
        parts.push(() => text);
      } else if (token.kind === 'output') {
        parts.push(this.output(token.value));
      } else {
        parts.push(this.tag(token.value));
      }
    }
    if (end.length > 0) unsupported();
    return concat(parts);
  }

  private output(expression: string): Render {
    const [path, ...filters] = expression.split('|').map((p) => p.trim());
    const names = filters.map((f) => (hasOwn.call(FILTERS, f) ? f : unsupported()));
    const get = this.variable(path!);
    const apply = names.map((f) => FILTERS[f]!);
    // LiquidJS escapes the output unless the last filter is `raw`.
    if (names.at(-1) !== 'raw') apply.push(escape);
    if (apply.length === 1) {
      const only = apply[0]!;
      return (s) => only(printable(get(s)));
    }
    return (s) => {
      let v = printable(get(s));
      for (const f of apply) v = f(v);
      return v;
    };
  }

  private tag(text: string): Render {
    const name = text.split(/\s/)[0]!;
    const args = text.slice(name.length).trim();
    switch (name) {
      case 'if':
      case 'unless':
        return this.conditional(name, args);
      case 'for':
        return this.loop(text);
      case 'render':
        return this.render(text);
      case 'block':
        return this.parentBlock(text);
      default:
        return unsupported();
    }
  }

  private conditional(name: 'if' | 'unless', first: string): Render {
    const branches: { test: (s: Scope) => boolean; body: Render }[] = [];
    let test = this.condition(first);
    if (name === 'unless') {
      const positive = test;
      test = (s) => !positive(s);
    }
    let otherwise: Render | undefined;
    const close = name === 'if' ? 'endif' : 'endunless';
    for (;;) {
      const body = this.block(['elsif', 'else', close]);
      const tag = this.tokens[this.pos++]!.value;
      const tagName = tag.split(/\s/)[0]!;
      if (tagName === close) {
        if (tag !== close) unsupported();
        branches.push({ test, body });
        break;
      }
      if (tagName === 'elsif') {
        if (name !== 'if') unsupported();
        branches.push({ test, body });
        test = this.condition(tag.slice('elsif'.length).trim());
      } else {
        if (tag !== 'else') unsupported();
        branches.push({ test, body });
        otherwise = this.block([close]);
        if (this.tokens[this.pos++]!.value !== close) unsupported();
        break;
      }
    }
    const fallback = otherwise;
    return (s) => {
      for (const b of branches) if (b.test(s)) return b.body(s);
      return fallback ? fallback(s) : '';
    };
  }

  private condition(text: string): (s: Scope) => boolean {
    const m = CONDITION.exec(text);
    if (!m) return unsupported();
    const left = this.operand(m[1]!);
    if (!m[2]) {
      return (s) => {
        const v = conditionValue(left(s));
        return v !== false && v !== null;
      };
    }
    const compare = COMPARISONS[m[2]]!;
    const right = this.operand(m[3]!);
    return (s) => compare(primitive(left(s)), primitive(right(s)));
  }

  private operand(text: string): Get {
    if (text.startsWith("'") || text.startsWith('"')) {
      const value = text.slice(1, -1);
      return () => value;
    }
    if (text === 'true' || text === 'false') {
      const value = text === 'true';
      return () => value;
    }
    if (/^-?\d/.test(text)) {
      const value = Number(text);
      return () => value;
    }
    return this.variable(text);
  }

  /** A variable path, resolved now to a loop slot or to the environment. */
  private variable(path: string): Get {
    if (!PATH.test(path)) return unsupported();
    const [head, ...rest] = path.split('.') as [string, ...string[]];
    if (KEYWORDS.has(head) || (this.inherits && head === 'block')) return unsupported();
    const binding = this.bound.findLast((b) => b.name === head);
    const root: Get = binding
      ? (
          (slot) => (s: Scope) =>
            s.slots[slot]
        )(binding.slot)
      : (s) => {
          const env = s.env;
          return hasOwn.call(env, head) ? readProperty(env, head) : unsupported();
        };
    if (rest.length === 0) return root;
    if (rest.length === 1) {
      const key = rest[0]!;
      return (s) => readProperty(root(s), key);
    }
    return (s) => {
      let v = root(s);
      for (const key of rest) v = readProperty(v, key);
      return v;
    };
  }

  private loop(text: string): Render {
    const m = FOR.exec(text);
    if (!m || m[1] === 'forloop' || KEYWORDS.has(m[1]!)) return unsupported();
    const collection = this.variable(m[2]!);
    const item = this.slots++;
    const forloop = this.slots++;
    this.bound.push({ name: m[1]!, slot: item }, { name: 'forloop', slot: forloop });
    const body = this.block(['else', 'endfor']);
    this.bound.splice(-2);
    let otherwise: Render | undefined;
    if (this.tokens[this.pos++]!.value === 'else') {
      otherwise = this.block(['endfor']);
      this.pos++;
    }
    if (this.tokens[this.pos - 1]!.value !== 'endfor') unsupported();
    const empty = otherwise;
    return (s) => {
      const list = collection(s);
      if (!Array.isArray(list)) return unsupported();
      if (list.length === 0) return empty ? empty(s) : '';
      const loop = new Forloop(0, list.length);
      s.slots[forloop] = loop;
      let out = '';
      for (let i = 0; i < list.length; i++) {
        loop.i = i;
        s.slots[item] = list[i];
        out += body(s);
      }
      return out;
    };
  }

  /** `render 'file', key: value, …`: the partial sees only its arguments. */
  private render(text: string): Render {
    const m = RENDER.exec(text);
    if (!m) return unsupported();
    const file = fileName(m[2]!);
    if (this.including.includes(file)) return unsupported();
    const args = this.hash(m[3]!);
    if (args.some(([key]) => key === 'with' || key === 'for')) return unsupported();
    const source = this.partial(file);
    if (source === undefined) return unsupported();
    const partial = new Compiler(this.partial, [...this.including, file]).template(source);
    return (s) => {
      const env: Record<string, unknown> = {};
      for (const [key, get] of args) env[key] = get(s);
      return partial({ env, slots: [] });
    };
  }

  /** `, key: value, …` after a file name: the arguments of `render` and `layout`. */
  private hash(text: string): [string, Get][] {
    const args: [string, Get][] = [];
    let rest = text.trim();
    while (rest) {
      const arg = RENDER_ARG.exec(rest);
      // A repeated key would be evaluated once, with its last value: not worth reproducing.
      if (!arg || args.some(([key]) => key === arg[1])) return unsupported();
      args.push([arg[1]!, this.operand(arg[2]!)]);
      rest = rest.slice(arg[0].length);
    }
    return args;
  }

  /**
   * `{% layout 'file', key: value %}` first in the template. LiquidJS renders the rest of
   * the template only to collect its blocks (text between them is thrown away), then the
   * layout with the arguments as a scope above the data, where a block of the child
   * replaces the layout's block of the same name; the child's blocks see that scope too.
   */
  private layout(text: string): Render {
    const m = LAYOUT.exec(text);
    if (!m) return unsupported();
    const file = fileName(m[2]!);
    if (this.including.includes(file)) return unsupported();
    const args = this.hash(m[3]!);
    this.inherits = true;
    const overrides = new Map<string, Render>();
    this.pos = 1;
    while (this.pos < this.tokens.length) {
      const token = this.tokens[this.pos++]!;
      if (token.kind === 'text') continue;
      // Anything else outside a block would be evaluated for nothing, or could hold blocks.
      const name = token.kind === 'tag' ? BLOCK.exec(token.value)?.[1] : undefined;
      if (name === undefined || overrides.has(name)) return unsupported();
      this.inBlock = true;
      const body = this.block(['endblock']);
      this.inBlock = false;
      this.pos++;
      overrides.set(name, body);
    }
    const source = this.partial(file);
    if (source === undefined) return unsupported();
    const layout = new Compiler(this.partial, [...this.including, file], overrides).template(source);
    return (s) => {
      if (!isPlainObject(s.env)) return unsupported();
      const env: Record<string, unknown> = { ...s.env };
      for (const [key, get] of args) env[key] = get(s);
      return layout({ env, slots: [] });
    };
  }

  /** `{% block name %}default{% endblock %}` in a layout: the child's block, or the default. */
  private parentBlock(text: string): Render {
    const name = BLOCK.exec(text)?.[1];
    // Blocks outside a layout, or nested, have semantics of their own in LiquidJS.
    if (!this.overrides || this.inBlock || name === undefined) return unsupported();
    this.inBlock = true;
    const own = this.block(['endblock']);
    this.inBlock = false;
    this.pos++;
    const child = this.overrides.get(name);
    if (!child) return own;
    // LiquidJS would let the child's block see the layout's loop variables.
    if (this.bound.length > 0) return unsupported();
    // The child's loop slots are its own.
    return (s) => child({ env: s.env, slots: [] });
  }
}

const tagName = (tag: string): string => tag.split(/\s/)[0]!;

/** The file LiquidJS looks up for a name: `.liquid` is added when it has no extension. */
const fileName = (name: string): string => (/\.[^.]+$/.test(name) ? name : `${name}.liquid`);
