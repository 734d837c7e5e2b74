import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { AimqError, AimqProblems } from '../errors/index.js';
import { PACKAGE_ROOT } from '../package-root.js';
import type { TemplateEngine } from '../templating/engine.js';
import type { EmailView } from './edition.js';

/**
 * The e-mail layout, compiled once. MJML turns the layout into e-mail HTML with the Liquid
 * tags still in it (they sit in text, attributes and `mj-raw`, which MJML passes through);
 * each edition is then a Liquid render of that HTML. Running MJML once per template set
 * instead of once per message is what makes rendering thousands of editions cheap.
 */
export interface EmailLayout {
  /** The MJML document of an edition (the layout filled in), for `export --format mjml`. */
  mjml(view: EmailView): string;
  /** The HTML of an edition. */
  html(view: EmailView): string;
}

interface Segment {
  file: string;
  /** First line of the combined source that comes from `file`, and the line it is there. */
  from: number;
  line: number;
}

const INCLUDE_LINE = /^[ \t]*<mj-include\s+path="([^"]+)"\s*\/>[ \t]*$/;

/**
 * Reads `layout.mjml` and inlines its `<mj-include path="…"/>` partials (one per line),
 * each looked up in the project's templates/email/ first, then in aimq's. MJML's own
 * mj-include knows one folder only, so overrides would not work with it.
 */
export function assembleLayout(engine: TemplateEngine): {
  source: string;
  locate: (line: number) => { file: string; line: number };
} {
  const segments: Segment[] = [];
  const lines: string[] = [];
  const add = (name: string, stack: string[]) => {
    const file = engine.find(name);
    if (!file)
      throw new AimqError(
        'AIMQ-TEMPLATE',
        { fr: `gabarit de courriel "${name}" introuvable`, en: `e-mail template "${name}" not found` },
        {
          file: stack.at(-1) ?? name,
          hint: {
            fr: `cherché dans ${engine.roots.join(', ')}`,
            en: `looked in ${engine.roots.join(', ')}`,
          },
        },
      );
    if (stack.includes(file))
      throw new AimqError(
        'AIMQ-TEMPLATE',
        {
          fr: `le gabarit de courriel "${name}" s’inclut lui-même`,
          en: `e-mail template "${name}" includes itself`,
        },
        { file, hint: { fr: 'retirez le mj-include circulaire', en: 'remove the circular mj-include' } },
      );
    const own = readFileSync(file, 'utf8').replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n');
    let start = 0;
    const flush = (end: number) => {
      segments.push({ file, from: lines.length + 1, line: start + 1 });
      lines.push(...own.slice(start, end));
    };
    own.forEach((line, i) => {
      const m = INCLUDE_LINE.exec(line);
      if (!m) return;
      flush(i);
      add(m[1]!, [...stack, file]);
      start = i + 1;
    });
    flush(own.length);
  };
  add('layout.mjml', []);
  const source = `${lines.join('\n')}\n`;
  const locate = (line: number) => {
    let seg = segments[0]!;
    for (const s of segments) if (s.from <= line) seg = s;
    return { file: seg.file, line: seg.line + (line - seg.from) };
  };
  return { source, locate };
}

const compiled = new Map<string, string>();

/**
 * Layouts compiled when aimq itself was built (scripts/bundle.js): aimq's own templates,
 * so a project that does not override them never runs MJML, even on a fresh clone or in
 * CI without a cache. Looked up by the same content key as .aimq/.
 */
export const PACKAGED_LAYOUTS = join(PACKAGE_ROOT, 'dist', 'email-layouts');
export const layoutCacheFile = (dir: string, key: string) => join(dir, `email-layout-${key}.html`);

/**
 * Compiles the layout: strict MJML validation (an invalid template fails with its file and
 * line), then one MJML run. The HTML is cached in memory and, when `cacheDir` is given, on
 * disk by the layout's content, so a later build does not even load MJML.
 */
export async function loadEmailLayout(engine: TemplateEngine, cacheDir?: string): Promise<EmailLayout> {
  const { source, locate } = assembleLayout(engine);
  const renderMjml = engine.compile(source, locate);
  const key = createHash('sha256').update(source).digest('hex').slice(0, 32);
  let html = compiled.get(key);
  const cacheFile = cacheDir ? layoutCacheFile(cacheDir, key) : undefined;
  for (const file of [cacheFile, layoutCacheFile(PACKAGED_LAYOUTS, key)]) {
    if (html || !file) continue;
    try {
      html = readFileSync(file, 'utf8');
    } catch {
      // Not compiled yet.
    }
  }
  if (!html) {
    html = await compileMjml(source, locate, engine);
    if (cacheFile) {
      try {
        mkdirSync(dirname(cacheFile), { recursive: true });
        writeFileSync(cacheFile, html);
      } catch {
        // A cache that cannot be written only costs time.
      }
    }
  }
  compiled.set(key, html);
  // The compiled HTML's lines are not the template's; errors are located by re-rendering the MJML.
  const renderHtml = engine.compile(html, () => ({ file: 'layout.mjml', line: 0 }));
  return {
    mjml: (view) => renderMjml(view),
    html: (view) => {
      try {
        return renderHtml(view);
      } catch {
        renderMjml(view);
        throw new AimqError(
          'AIMQ-TEMPLATE',
          {
            fr: 'la mise en page du courriel n’a pas pu être produite',
            en: 'the e-mail layout could not be rendered',
          },
          { hint: { fr: 'vérifiez les gabarits de courriel', en: 'check the e-mail templates' } },
        );
      }
    },
  };
}

interface MjmlError {
  line: number;
  message: string;
  tagName: string;
}

async function compileMjml(
  source: string,
  locate: (line: number) => { file: string; line: number },
  engine: TemplateEngine,
): Promise<string> {
  // MJML is large: load it only when a layout must actually be compiled.
  const mjml = createRequire(import.meta.url)('mjml') as (
    src: string,
    opts: object,
  ) => Promise<{ html: string; errors: MjmlError[] }>;
  let result: { html: string; errors: MjmlError[] };
  try {
    // `fonts: {}`: MJML would otherwise link Google Fonts for Roboto, telling Google who opens each message.
    result = await mjml(source, { validationLevel: 'strict', keepComments: false, minify: false, fonts: {} });
  } catch (err) {
    const errors = (err as { errors?: MjmlError[] }).errors;
    if (!errors?.length)
      throw new AimqError(
        'AIMQ-TEMPLATE',
        {
          fr: `MJML invalide\u00a0: ${(err as Error).message}`,
          en: `invalid MJML: ${(err as Error).message}`,
        },
        {
          hint: {
            fr: `vérifiez les gabarits de courriel dans ${engine.roots.join(', ')}`,
            en: `check the e-mail templates in ${engine.roots.join(', ')}`,
          },
          cause: err,
        },
      );
    throw new AimqProblems(
      errors.map((e) => {
        const where = locate(e.line);
        return {
          file: engine.display(where.file),
          line: where.line,
          column: 1,
          severity: 'error',
          code: 'AIMQ-TEMPLATE',
          message: { fr: `MJML invalide\u00a0: ${e.message}`, en: `invalid MJML: ${e.message}` },
          hint: {
            fr: 'corrigez le gabarit de courriel, ou supprimez votre version pour reprendre celle fournie avec aimq',
            en: 'fix the e-mail template, or delete your override to use the packaged one',
          },
        };
      }),
    );
  }
  return result.html;
}
