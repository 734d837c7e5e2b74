import type { Diagnostic } from '../errors/index.js';
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
  const fileProblem = (message: string, hint: string) =>
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
        ? 'the front matter is not closed by a line with ---'
        : 'the file does not start with a front matter block',
      'start the file with ---, the fields (title: …, date: …), and a closing --- line',
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
      `the front matter is ${Math.ceil(yaml.length / 1024)} KB long; aimq reads at most ${MAX_FRONT_MATTER / 1024} KB`,
      'keep the fields of the release format only, and write long text in the body',
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
      hint: e.hint ?? 'check the indentation, and quote values that contain ": " or start with « or "',
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
      message: 'the front matter must be a list of "key: value" fields',
      hint: 'for example: title: …',
    });
    return { ...base, body, bodyLine };
  }
  return { ...base, source, data: data as Record<string, unknown>, body, bodyLine };
}
