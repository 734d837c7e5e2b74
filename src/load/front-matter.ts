import type { Diagnostic } from '../errors/index.js';
import { formatNumber, type Message, type Text } from '../i18n/text.js';
import { parseYaml, type YamlSource } from '../schema/yaml.js';

/** What one markdown file of a release says, before cross-checks. */
export interface EditionSource {
  lang: string;
  file: string;
  text: string;
  source?: YamlSource;
  data?: Record<string, unknown>;
  body: string;
  bodyLine: number;
  valid: boolean;
}

/**
 * The largest front matter aimq reads, in characters (README, release format). A real one
 * is under 2,000; the limit keeps a pasted or generated file from costing minutes and
 * thousands of diagnostics.
 */
export const MAX_FRONT_MATTER = 64 * 1024;

/** What to check in front matter that is not valid YAML, when the problem has no hint of its own. */
const YAML_HINT: Message = {
  fr: 'vérifiez l’indentation, et mettez entre guillemets les valeurs qui contiennent ": " ou commencent par un guillemet (français ou anglais)',
  en: 'check the indentation, and quote values that contain ": " or start with « or "',
};

/** Splits front matter from body, and parses the YAML with positions. */
export function splitEdition(
  lang: string,
  file: string,
  rawText: string,
  diagnostics: Diagnostic[],
): EditionSource {
  // Line numbers do not change when CRLF (Windows editors) becomes LF; YAML and markdown then see one kind of line end.
  const text = rawText.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const base = { lang, file, text, body: '', bodyLine: 1, valid: false };
  const fileProblem = (message: Text, hint: Text) =>
    diagnostics.push({
      file,
      line: 1,
      column: 1,
      severity: 'error',
      code: 'AIMQ-FRONT-MATTER',
      message,
      hint,
    });
  const open = /^---[ \t]*\n/.exec(text);
  const close = /\n---[ \t]*(?:\n|$)/g;
  close.lastIndex = open ? open[0].length - 1 : 0;
  const closing = open ? close.exec(text) : null;
  if (!open || !closing) {
    fileProblem(
      open !== null
        ? {
            fr: 'l’en-tête (front matter) n’est pas fermé par une ligne ---',
            en: 'the front matter is not closed by a line with ---',
          }
        : {
            fr: 'le fichier ne commence pas par un en-tête (front matter)',
            en: 'the file does not start with a front matter block',
          },
      {
        fr: 'commencez le fichier par ---, les champs (`title: …`, `date: …`) et une ligne --- qui ferme l’en-tête',
        en: 'start the file with ---, the fields (title: …, date: …), and a closing --- line',
      },
    );
    return base;
  }
  const contentStart = closing.index + closing[0].length;
  const body = text.slice(contentStart);
  const bodyLine = text.slice(0, contentStart).split('\n').length;
  // The YAML starts with the newline that ends the opening `---` line, so its line numbers
  // are already the file's.
  const yaml = text.slice(open[0].length - 1, closing.index);
  if (yaml.length > MAX_FRONT_MATTER) {
    fileProblem(
      {
        fr: `l’en-tête fait ${formatNumber(Math.ceil(yaml.length / 1024), 'fr')}\u00a0ko\u00a0; aimq en lit au plus ${MAX_FRONT_MATTER / 1024}\u00a0ko`,
        en: `the front matter is ${Math.ceil(yaml.length / 1024)} KB long; aimq reads at most ${MAX_FRONT_MATTER / 1024} KB`,
      },
      {
        fr: 'ne gardez que les champs du format des communiqués et écrivez les longs textes dans le corps',
        en: 'keep the fields of the release format only, and write long text in the body',
      },
    );
    return { ...base, body, bodyLine };
  }
  const source = parseYaml(yaml, 0);
  for (const e of source.errors) {
    diagnostics.push({
      file,
      line: e.line,
      column: e.column,
      severity: 'error',
      code: 'AIMQ-YAML',
      message: e.message,
      hint: e.hint ?? YAML_HINT,
    });
  }
  if (source.errors.length) return { ...base, body, bodyLine };
  const data = source.data ?? {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    diagnostics.push({
      file,
      line: 2,
      column: 1,
      severity: 'error',
      code: 'AIMQ-YAML',
      message: {
        fr: 'l’en-tête doit être une liste de champs "clé: valeur"',
        en: 'the front matter must be a list of "key: value" fields',
      },
      hint: { fr: 'par exemple\u00a0: `title: …`', en: 'for example: title: …' },
    });
    return { ...base, body, bodyLine };
  }
  return { ...base, source, data: data as Record<string, unknown>, body, bodyLine };
}
