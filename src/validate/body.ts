import { dirname, join } from 'node:path';
import type { Root } from 'mdast';
import { visit } from 'unist-util-visit';
import type { Code, Diagnostic } from '../errors/index.js';
import { imageProblem, type EditionBody } from '../load/release.js';
import { isLocalReference, parseMarkdown } from '../markdown/pipeline.js';
import { findFrenchTypographyIssues } from '../markdown/typography.js';
import { checkTranslationConsistency } from './consistency.js';

/**
 * Checks of the markdown bodies: images, raw HTML, French typography the renderer cannot
 * fix safely, and facts (figures, dates, addresses) that differ between editions.
 * `root` is the project folder; each body's `file` is relative to it.
 */
export function checkBodies(bodies: readonly EditionBody[], root: string): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const trees = bodies.map((b) => ({ ...b, tree: parseMarkdown(b.body, b.bodyLine) }));
  for (const { lang, file, tree } of trees) {
    const at = (node: { position?: { start: { line: number; column: number } } }, severity: 'error' | 'warning', code: Code, message: string, hint: string) =>
      diagnostics.push({ file, line: node.position?.start.line ?? 1, column: node.position?.start.column ?? 1, severity, code, message, hint });
    visit(tree, (node) => {
      if (node.type === 'html') {
        at(node, 'warning', 'AIMQ-RAW-HTML', 'raw HTML is not allowed in a release and is removed from every output', 'use markdown instead: **bold**, [link](https://…), ![alt text](photo.jpg)');
      } else if (node.type === 'image') {
        if (!node.alt?.trim()) at(node, 'error', 'AIMQ-IMAGE-ALT', `image "${node.url}" has no alternative text`, 'write it as ![description of the image](file.jpg)');
        if (isLocalReference(node.url) || /^[a-z]+:/i.test(node.url)) {
          const problem = imageProblem(join(root, dirname(file)), decodeURI(node.url));
          if (problem) at(node, 'error', 'AIMQ-IMAGE-MISSING', problem.message, problem.hint);
        }
      }
    });
    if (lang === 'fr') diagnostics.push(...typographyFindings(tree, file));
  }
  const [primary, ...translations] = trees;
  if (primary) for (const t of translations) diagnostics.push(...checkTranslationConsistency(primary, t));
  return diagnostics;
}

function typographyFindings(tree: Root, file: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  visit(tree, 'text', (node) => {
    const start = node.position?.start;
    if (!start) return;
    for (const f of findFrenchTypographyIssues(node.value)) {
      const before = node.value.slice(0, f.index);
      const newlines = before.split('\n');
      const line = start.line + newlines.length - 1;
      const column = newlines.length === 1 ? start.column + f.index : newlines[newlines.length - 1]!.length + 1;
      out.push({ file, line, column, severity: 'warning', code: f.code as Code, message: f.message, hint: f.hint });
    }
  });
  return out;
}
