import type { Diagnostic } from '../errors/index.js';

export type ReportFormat = 'text' | 'json' | 'github';

const order = (a: Diagnostic, b: Diagnostic) =>
  a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column;

/**
 * Characters a terminal would act on rather than show: C0 and C1 controls (ESC starts a
 * sequence that can recolour, retitle or clear the terminal), DEL, line and paragraph
 * separators, and the bidirectional overrides that reorder what is read. Messages quote
 * values from lists and front matter, which anyone could have written.
 */
const UNPRINTABLE = /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;

/** A text safe to print on a terminal: each unprintable character shown as `\u001b`. */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `releases/x/fr.md:4:7 error: message [CODE]` and an indented hint, as compilers print. */
export function formatText(diagnostics: readonly Diagnostic[]): string {
  return [...diagnostics]
    .sort(order)
    .map(
      (d) =>
        `${printable(d.file)}:${d.line}:${d.column} ${d.severity}: ${printable(d.message)} [${d.code}]${d.hint ? `\n  hint: ${printable(d.hint)}` : ''}`,
    )
    .join('\n');
}

/** A problem as `--format json` prints it: every key present, `hint` null when there is none. */
export function diagnosticJson(d: Diagnostic) {
  return {
    file: d.file,
    line: d.line,
    column: d.column,
    severity: d.severity,
    code: d.code,
    message: d.message,
    hint: d.hint ?? null,
  };
}

export function formatJson(diagnostics: readonly Diagnostic[]): string {
  return JSON.stringify([...diagnostics].sort(order).map(diagnosticJson), null, 2);
}

/** GitHub Actions workflow commands: each problem becomes an annotation on its line in the pull request. */
export function formatGithub(diagnostics: readonly Diagnostic[]): string {
  const esc = (s: string) => printable(s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A'));
  const prop = (s: string) => esc(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
  return [...diagnostics]
    .sort(order)
    .map(
      (d) =>
        `::${d.severity === 'error' ? 'error' : 'warning'} file=${prop(d.file)},line=${d.line},col=${d.column},title=${prop(d.code)}::${esc(d.message + (d.hint ? ` (hint: ${d.hint})` : ''))}`,
    )
    .join('\n');
}

export function formatDiagnostics(diagnostics: readonly Diagnostic[], format: ReportFormat): string {
  return format === 'json'
    ? formatJson(diagnostics)
    : format === 'github'
      ? formatGithub(diagnostics)
      : formatText(diagnostics);
}

export function summaryLine(diagnostics: readonly Diagnostic[], checked: number): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  return `${plural(checked, 'release')} checked: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
}
