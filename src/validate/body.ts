import { visit } from 'unist-util-visit';
import type { Code, Diagnostic } from '../errors/index.js';
import { checkBodyStructure, type ParsedBody } from '../load/body.js';
import { findFrenchTypographyIssues } from '../markdown/typography.js';
import { checkTranslationConsistency } from './consistency.js';

/** @deprecated Import them from src/load/body.ts; kept for the modules of other branches. */
export { parseBodies, prepareTrees, type ParsedBody } from '../load/body.js';

/**
 * What `release check` adds on bodies to the loader's structure checks: French typography
 * the renderer cannot fix safely, and facts that differ between editions.
 */
export function checkProse(bodies: readonly ParsedBody[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const body of bodies) if (body.lang === 'fr') diagnostics.push(...typographyFindings(body));
  const [primary, ...translations] = bodies.map((b) => ({ ...b, extra: b.prose }));
  if (primary) for (const t of translations) diagnostics.push(...checkTranslationConsistency(primary, t));
  return diagnostics;
}

/** The loader's structure checks and {@link checkProse}: everything `release check` reports on bodies. */
export function checkBodies(bodies: readonly ParsedBody[], root: string): Diagnostic[] {
  return [...bodies.flatMap((b) => checkBodyStructure(b, root)), ...checkProse(bodies)];
}

/** French typography warnings for the body's text and the front matter's prose. */
function typographyFindings(body: ParsedBody): Diagnostic[] {
  const out: Diagnostic[] = [];
  const scan = (text: string, start: { line: number; column: number }) => {
    for (const f of findFrenchTypographyIssues(text)) {
      const lines = text.slice(0, f.index).split('\n');
      const line = start.line + lines.length - 1;
      const column = lines.length === 1 ? start.column + f.index : lines[lines.length - 1]!.length + 1;
      out.push({
        file: body.file,
        line,
        column,
        severity: 'warning',
        code: f.code as Code,
        message: f.message,
        hint: f.hint,
      });
    }
  };
  for (const p of body.prose) scan(p.text, p);
  visit(body.tree, 'text', (node) => {
    if (node.position) scan(node.value, node.position.start);
  });
  return out;
}
