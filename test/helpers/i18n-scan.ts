import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

/**
 * Finds, in aimq's sources, what its user would read in one language only: the places that
 * make a message (AimqError, a diagnostic's message and hint, what a command prints, a
 * command's help) from a plain string with words in it instead of a `{ fr, en }` text; and
 * `{ fr, en }` texts that are empty, the same in both languages, or break French spacing.
 */

export interface Finding {
  file: string;
  line: number;
  problem: string;
  excerpt: string;
}

/** Calls whose argument at this index is read by the user. */
const READ_ARGUMENT = new Map<string, number[]>(
  Object.entries({
    stdout: [0],
    stderr: [0],
    log: [0],
    description: [0],
    summary: [0],
    option: [1],
    requiredOption: [1],
    argument: [1],
    confirm: [0],
  }),
);
/** Object keys whose value is read by the user. */
const READ_KEYS = new Set(['message', 'hint']);

export function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(p));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out.sort();
}

/** The static text of a string expression, `${…}` left out; undefined for anything else. */
function staticText(node: ts.Expression): string | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node))
    return [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(' ');
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const l = staticText(node.left);
    const r = staticText(node.right);
    return l === undefined && r === undefined ? undefined : `${l ?? ''} ${r ?? ''}`;
  }
  if (ts.isParenthesizedExpression(node)) return staticText(node.expression);
  if (ts.isConditionalExpression(node)) {
    const a = staticText(node.whenTrue);
    const b = staticText(node.whenFalse);
    return a === undefined && b === undefined ? undefined : `${a ?? ''} ${b ?? ''}`;
  }
  return undefined;
}

/** Prose: two words or more. A path, a flag, a code or a lone value is not. */
function isProse(text: string): boolean {
  return /\p{L}{2,}[^\p{L}\n]*\s[^\p{L}\n]*\p{L}{2,}/u.test(text.replace(/\\[nt]/g, ' '));
}

/** French spacing and apostrophes in one French text. */
function frenchProblems(fr: string): string[] {
  const problems: string[] = [];
  // An ordinary space before a double punctuation mark breaks the line before it.
  if (/ [:;!?](?=\s|$|[»)])/.test(fr)) problems.push('an ordinary space before : ; ! or ? (use \\u00a0)');
  // A colon glued to the word before it, then a space: the English way. Code is left out
  // (backticks, quotes): `place:` is a YAML key, not French.
  const prose = fr.replace(/`[^`]*`|"[^"]*"|“[^”]*”/g, '');
  if (/\p{L}{2,}: /u.test(prose)) problems.push('no space before the colon (French puts \\u00a0 before it)');
  if (/«(?!\u00a0)|(?<!\u00a0)»/.test(fr)) problems.push('« » without \\u00a0 inside');
  if (/\p{L}'\p{L}/u.test(prose)) problems.push('a straight apostrophe (use ’)');
  return problems;
}

export function scan(root: string, files: readonly string[]): Finding[] {
  const findings: Finding[] = [];
  for (const file of files) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const report = (node: ts.Node, problem: string) => {
      const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
      findings.push({
        file: relative(root, file),
        line: line + 1,
        problem,
        excerpt: node.getText(source).slice(0, 100).replace(/\s+/g, ' '),
      });
    };
    const oneLanguage = (node: ts.Expression | undefined, where: string) => {
      if (!node) return;
      const text = staticText(node);
      if (text !== undefined && isProse(text))
        report(node, `${where}: words in one language (write { fr, en })`);
    };
    const visit = (node: ts.Node): void => {
      if (ts.isNewExpression(node) && ts.isIdentifier(node.expression)) {
        const name = node.expression.text;
        if (name === 'AimqError') oneLanguage(node.arguments?.[1], 'AimqError message');
        if (name === 'Option') oneLanguage(node.arguments?.[1], 'option description');
      }
      if (ts.isCallExpression(node)) {
        const callee = node.expression;
        const name = ts.isPropertyAccessExpression(callee)
          ? callee.name.text
          : ts.isIdentifier(callee)
            ? callee.text
            : undefined;
        for (const i of (name && READ_ARGUMENT.get(name)) || []) oneLanguage(node.arguments[i], `${name}()`);
      }
      if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name) && READ_KEYS.has(node.name.text))
        oneLanguage(node.initializer, node.name.text);
      if (ts.isObjectLiteralExpression(node)) {
        const keys = node.properties.map((p) => (p.name && ts.isIdentifier(p.name) ? p.name.text : ''));
        if (keys.length === 2 && keys.includes('fr') && keys.includes('en')) {
          const value = (k: string) => {
            const p = node.properties.find((q) => q.name && ts.isIdentifier(q.name) && q.name.text === k);
            return p && ts.isPropertyAssignment(p) ? staticText(p.initializer) : undefined;
          };
          const fr = value('fr');
          const en = value('en');
          if (fr !== undefined && en !== undefined) {
            // Only a literal can be seen to be empty: `${a} ${b}` is made of values.
            const literal = (k: string) => {
              const p = node.properties.find((q) => q.name && ts.isIdentifier(q.name) && q.name.text === k);
              return (
                p !== undefined &&
                ts.isPropertyAssignment(p) &&
                (ts.isStringLiteral(p.initializer) || ts.isNoSubstitutionTemplateLiteral(p.initializer))
              );
            };
            if ((literal('fr') && !fr.trim()) || (literal('en') && !en.trim()))
              report(node, 'an empty language');
            else if (fr === en && isProse(fr)) report(node, 'the same words in French and English');
          }
          if (fr !== undefined) for (const p of frenchProblems(fr)) report(node, `French: ${p}`);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return findings;
}
