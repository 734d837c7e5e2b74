import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Liquid, type Template } from 'liquidjs';
import { AimqError } from '../errors/index.js';
import type { Text } from '../i18n/text.js';
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
  const located = (
    err: unknown,
    source: string,
    locate: (line: number) => { file: string; line: number },
  ): AimqError => {
    const e = err as { message?: string; token?: LiquidToken };
    const pos = e.token?.getPosition?.();
    // An error inside a partial (`{% render %}`) is at a line of the partial's own file;
    // only the compiled source's own lines go through `locate`.
    const partial = e.token && e.token.input !== source ? tokenFile(e.token, roots) : undefined;
    const where = pos ? (partial ? { file: partial, line: pos[0] } : locate(pos[0])) : undefined;
    // LiquidJS's own words stay in English in both messages: they name the tag or filter at fault.
    const message = liquidMessage(e.message ?? String(err));
    return new AimqError(
      'AIMQ-TEMPLATE',
      { fr: `gabarit\u00a0: ${message}`, en: `template: ${message}` },
      {
        ...(where ? { file: shown(where.file), line: where.line, column: pos![1] } : {}),
        hint: FIX_TEMPLATE,
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
        throw located(err, source, locate);
      }
      return (data) => {
        try {
          return liquid.renderSync(template, data) as string;
        } catch (err) {
          throw located(err, source, locate);
        }
      };
    },
    find(name) {
      return roots.map((r) => join(r, name)).find((f) => existsSync(f));
    },
    display: shown,
  };
}

/** What to do about any template error. */
const FIX_TEMPLATE: Text = {
  fr: 'corrigez le gabarit, ou supprimez votre version pour revenir au gabarit fourni',
  en: 'fix the template, or delete your override to use the packaged one',
};

function templateError(err: unknown, name: string, roots: readonly string[], projectRoot: string): AimqError {
  const e = err as { message?: string; token?: LiquidToken };
  const message = liquidMessage(e.message ?? String(err));
  const pos = e.token?.getPosition?.();
  const own = roots.map((r) => join(r, `${name}.liquid`)).find((f) => existsSync(f));
  const file = (e.token && tokenFile(e.token, roots)) ?? own;
  const shown = file ? (file.startsWith(projectRoot) ? relative(projectRoot, file) : file) : `${name}.liquid`;
  return new AimqError(
    'AIMQ-TEMPLATE',
    { fr: `gabarit ${name}\u00a0: ${message}`, en: `template ${name}: ${message}` },
    {
      file: shown,
      ...(pos ? { line: pos[0], column: pos[1] } : {}),
      hint: FIX_TEMPLATE,
      cause: err,
    },
  );
}

/** LiquidJS's message without the place it appends (", file:…", ", line:…, col:…"): aimq prints the place itself. */
function liquidMessage(message: string): string {
  return message.replace(/, file:.*?(?=, line:\d+, col:\d+$|$)/, '').replace(/, line:\d+, col:\d+$/, '');
}

interface LiquidToken {
  /** Set by LiquidJS on tokens of a file it parsed, not on every render-time error. */
  file?: string;
  /** The whole source text the token was read from. */
  input?: string;
  getPosition?: () => [number, number];
}

/**
 * The template file a token was read from: LiquidJS names it on parse errors; on render
 * errors inside a partial it does not, so the file is found by its text, the project's
 * override first (the order of `roots`, as LiquidJS resolves it).
 */
function tokenFile(token: LiquidToken, roots: readonly string[]): string | undefined {
  if (token.file) return token.file;
  if (token.input === undefined) return undefined;
  for (const root of roots) {
    if (!existsSync(root)) continue;
    for (const name of readdirSync(root)) {
      if (!name.endsWith('.liquid')) continue;
      const file = join(root, name);
      if (readFileSync(file, 'utf8') === token.input) return file;
    }
  }
  return undefined;
}
