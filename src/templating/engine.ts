import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Liquid } from 'liquidjs';
import { AimqError } from '../errors/index.js';

/** The templates shipped with aimq (`templates/` beside `dist/`). */
export const PACKAGED_TEMPLATES = fileURLToPath(new URL('../../templates', import.meta.url));

export interface TemplateEngine {
  render(name: string, data: object): string;
  /** Folders searched, the project's own first: a file there overrides the packaged one. */
  readonly roots: readonly string[];
}

/**
 * The one template engine web pages and e-mails share: LiquidJS with every output escaped
 * unless a template says `| raw` (only for HTML that aimq rendered and sanitized itself).
 * Unknown variables and filters are errors, so a typo in an override fails loudly.
 */
export function createTemplateEngine(kind: 'web' | 'email', projectRoot: string): TemplateEngine {
  const roots = [join(projectRoot, 'templates', kind), join(PACKAGED_TEMPLATES, kind)].filter((r, i, all) => all.indexOf(r) === i && existsSync(r));
  const liquid = new Liquid({
    root: roots,
    partials: roots,
    layouts: roots,
    extname: '.liquid',
    outputEscape: 'escape',
    strictFilters: true,
    strictVariables: true,
    lenientIf: true,
    ownPropertyOnly: true,
    cache: true,
    greedy: false,
    trimTagRight: true,
  });
  return {
    roots,
    render(name, data) {
      try {
        return liquid.renderFileSync(name, data);
      } catch (err) {
        throw templateError(err, name, roots, projectRoot);
      }
    },
  };
}

function templateError(err: unknown, name: string, roots: readonly string[], projectRoot: string): AimqError {
  const e = err as { message?: string; token?: { file?: string; getPosition?: () => [number, number] } };
  const message = (e.message ?? String(err)).replace(/, line:\d+, col:\d+$/, '');
  const pos = e.token?.getPosition?.();
  const file = e.token?.file ?? roots.map((r) => join(r, `${name}.liquid`)).find((f) => existsSync(f));
  const shown = file ? (file.startsWith(projectRoot) ? relative(projectRoot, file) : file) : `${name}.liquid`;
  return new AimqError('AIMQ-TEMPLATE', `template ${name}: ${message}`, {
    file: shown,
    ...(pos ? { line: pos[0], column: pos[1] } : {}),
    hint: 'fix the template, or delete your override to use the packaged one',
    cause: err,
  });
}
