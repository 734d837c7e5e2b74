import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Liquid, type Template } from 'liquidjs';
import { AimqError } from '../errors/index.js';
import { templateRoots } from './roots.js';

export { PACKAGED_TEMPLATES } from './roots.js';

export interface TemplateEngine {
  render(name: string, data: object): string;
  /**
   * Parses a template given as text; `locate` maps a line of `source` to the file and line
   * it came from, for error messages. Throws AimqError (AIMQ-TEMPLATE) with that place.
   */
  compile(source: string, locate: (line: number) => { file: string; line: number }): (data: object) => string;
  /** The first of the template folders that has `name`, or undefined. */
  find(name: string): string | undefined;
  /** A template's path as messages show it: relative to the project when it is the project's. */
  display(file: string): string;
  /** Folders searched, the project's own first: a file there overrides the packaged one. */
  readonly roots: readonly string[];
}

/**
 * The one template engine web pages and e-mails share: LiquidJS with every output escaped
 * unless a template says `| raw` (only for HTML that aimq rendered and sanitized itself).
 * Unknown variables and filters are errors, so a typo in an override fails loudly.
 */
export function createTemplateEngine(kind: 'web' | 'email', projectRoot: string): TemplateEngine {
  const roots = templateRoots(kind, projectRoot);
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
  });
  const shown = (file: string) => (file.startsWith(projectRoot) ? relative(projectRoot, file) : file);
  const located = (err: unknown, locate: (line: number) => { file: string; line: number }): AimqError => {
    const e = err as { message?: string; token?: { getPosition?: () => [number, number] } };
    const pos = e.token?.getPosition?.();
    const where = pos ? locate(pos[0]) : undefined;
    return new AimqError(
      'AIMQ-TEMPLATE',
      `template: ${(e.message ?? String(err)).replace(/, line:\d+, col:\d+$/, '')}`,
      {
        ...(where ? { file: shown(where.file), line: where.line, column: pos![1] } : {}),
        hint: 'fix the template, or delete your override to use the packaged one',
        cause: err,
      },
    );
  };
  // Parsed once per name and rendered many times: LiquidJS's own cache (`cache: true`)
  // still looks the file up in every root at each render.
  const parsed = new Map<string, Template[]>();
  return {
    roots,
    render(name, data) {
      try {
        let template = parsed.get(name);
        if (!template) {
          template = liquid.parseFileSync(name);
          parsed.set(name, template);
        }
        return liquid.renderSync(template, data) as string;
      } catch (err) {
        throw templateError(err, name, roots, projectRoot);
      }
    },
    compile(source, locate) {
      let template: Template[];
      try {
        template = liquid.parse(source);
      } catch (err) {
        throw located(err, locate);
      }
      return (data) => {
        try {
          return liquid.renderSync(template, data) as string;
        } catch (err) {
          throw located(err, locate);
        }
      };
    },
    find(name) {
      return roots.map((r) => join(r, name)).find((f) => existsSync(f));
    },
    display: shown,
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
