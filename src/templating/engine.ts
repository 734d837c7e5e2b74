import { existsSync, readFileSync } from 'node:fs';
import { extname, join, relative, resolve } from 'node:path';
import { Liquid } from 'liquidjs';
import { AimqError } from '../errors/index.js';
import { type CompiledTemplate, compileSubset } from './liquid-subset.js';
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
  /** How many `render` calls took the compiled subset, and how many LiquidJS rendered. */
  readonly renders: { fast: number; liquid: number };
}

/**
 * The one template engine web pages and e-mails share: LiquidJS with every output escaped
 * unless a template says `| raw` (only for HTML that aimq rendered and sanitized itself).
 * Unknown variables and filters are errors, so a typo in an override fails loudly.
 * `render` takes the compiled subset of Liquid (liquid-subset.ts) when it can, and LiquidJS
 * otherwise; `compiled: false` keeps to LiquidJS, to compare the two.
 */
export function createTemplateEngine(
  kind: 'web' | 'email',
  projectRoot: string,
  options: { compiled?: boolean } = {},
): TemplateEngine {
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
  // Looked up as LiquidJS looks up files for render, `render` and `layout` with the options
  // above: the first root that has it, `.liquid` added to a name without an extension.
  const readTemplate = (file: string): string | undefined => {
    for (const root of roots) {
      const path = resolve(root, file);
      if (existsSync(path)) return readFileSync(path, 'utf8');
    }
    return undefined;
  };
  // Compiled once per name, as LiquidJS caches its parse (`cache: true`); null when the
  // template is outside the subset.
  const fast = new Map<string, CompiledTemplate | null>();
  const compiled = (name: string): CompiledTemplate | null => {
    let template = fast.get(name);
    if (template === undefined) {
      try {
        const text = readTemplate(extname(name) ? name : `${name}.liquid`);
        template = (text === undefined ? undefined : compileFast(text)) ?? null;
      } catch {
        // LiquidJS will report what is wrong with the file, with its place.
        template = null;
      }
      fast.set(name, template);
    }
    return template;
  };
  const compileFast = (text: string): CompiledTemplate | undefined => {
    if (options.compiled === false) return undefined;
    try {
      return compileSubset(text, readTemplate);
    } catch {
      return undefined; // LiquidJS will report what is wrong, with its place
    }
  };
  const renders = { fast: 0, liquid: 0 };
  return {
    roots,
    renders,
    render(name, data) {
      const template = compiled(name);
      if (template) {
        try {
          const html = template(data);
          renders.fast++;
          return html;
        } catch {
          // Unsupported, or an error LiquidJS will report with its file and line.
        }
      }
      renders.liquid++;
      try {
        return liquid.renderFileSync(name, data);
      } catch (err) {
        throw templateError(err, name, roots, projectRoot);
      }
    },
    compile(source, locate) {
      let parsed;
      try {
        parsed = liquid.parse(source);
      } catch (err) {
        throw located(err, locate);
      }
      const template = compileFast(source);
      return (data) => {
        if (template) {
          try {
            return template(data);
          } catch {
            // Unsupported, or an error LiquidJS will report with its place.
          }
        }
        try {
          return liquid.renderSync(parsed, data) as string;
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
