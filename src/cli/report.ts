import type { Diagnostic } from '../errors/index.js';
import { counted, inLang, type Lang, type Text } from '../i18n/text.js';

export type ReportFormat = 'text' | 'json' | 'github';

const order = (a: Diagnostic, b: Diagnostic) =>
  a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column;

/**
 * Characters a terminal would act on rather than show: C0 and C1 controls (ESC starts a
 * sequence that can recolour, retitle or clear the terminal), DEL, line and paragraph
 * separators, the bidirectional overrides that reorder what is read, and the invisible
 * ones (zero-width space, BOM, soft hyphen, LRM/RLM) that make two values look alike. Messages quote
 * values from lists and front matter, which anyone could have written.
 */
const UNPRINTABLE = /[\p{Cc}\u00ad\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2060\u2066-\u2069\ufeff]/gu;

/** A text safe to print on a terminal: each unprintable character shown as `\u001b`. */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The words around a problem, in each language (French: a no-break space before the colon). */
export const LABELS: Record<'error' | 'warning' | 'hint', Text> = {
  error: { fr: 'erreur\u00a0:', en: 'error:' },
  warning: { fr: 'avertissement\u00a0:', en: 'warning:' },
  hint: { fr: 'conseil\u00a0:', en: 'hint:' },
};

/** `releases/x/fr.md:4:7 error: message [CODE]` and an indented hint, as compilers print. */
export function formatText(diagnostics: readonly Diagnostic[], lang: Lang = 'en'): string {
  return [...diagnostics]
    .sort(order)
    .map(
      (d) =>
        `${printable(d.file)}:${d.line}:${d.column} ${LABELS[d.severity][lang]} ${printable(inLang(d.message, lang))} [${d.code}]${d.hint ? `\n  ${LABELS.hint[lang]} ${printable(inLang(d.hint, lang))}` : ''}`,
    )
    .join('\n');
}

/** A problem as `--format json` prints it: every key present, `hint` null when there is none. */
export function diagnosticJson(d: Diagnostic, lang: Lang = 'en') {
  return {
    file: d.file,
    line: d.line,
    column: d.column,
    severity: d.severity,
    code: d.code,
    message: inLang(d.message, lang),
    hint: d.hint === undefined ? null : inLang(d.hint, lang),
  };
}

export function formatJson(diagnostics: readonly Diagnostic[], lang: Lang = 'en'): string {
  return JSON.stringify(
    [...diagnostics].sort(order).map((d) => diagnosticJson(d, lang)),
    null,
    2,
  );
}

/** GitHub Actions workflow commands: each problem becomes an annotation on its line in the pull request. */
export function formatGithub(diagnostics: readonly Diagnostic[], lang: Lang = 'en'): string {
  const esc = (s: string) => printable(s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A'));
  const prop = (s: string) => esc(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
  return [...diagnostics]
    .sort(order)
    .map(
      (d) =>
        `::${d.severity === 'error' ? 'error' : 'warning'} file=${prop(d.file)},line=${d.line},col=${d.column},title=${prop(d.code)}::${esc(inLang(d.message, lang) + (d.hint ? ` (${LABELS.hint[lang]} ${inLang(d.hint, lang)})` : ''))}`,
    )
    .join('\n');
}

export function formatDiagnostics(
  diagnostics: readonly Diagnostic[],
  format: ReportFormat,
  lang: Lang = 'en',
): string {
  return format === 'json'
    ? formatJson(diagnostics, lang)
    : format === 'github'
      ? formatGithub(diagnostics, lang)
      : formatText(diagnostics, lang);
}

export function summaryLine(diagnostics: readonly Diagnostic[], checked: number, lang: Lang = 'en'): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const releases = counted(checked, {
    fr: ['communiqué vérifié', 'communiqués vérifiés'],
    en: ['release checked', 'releases checked'],
  });
  const e = counted(errors, { fr: ['erreur', 'erreurs'], en: ['error', 'errors'] });
  const w = counted(warnings, { fr: ['avertissement', 'avertissements'], en: ['warning', 'warnings'] });
  return lang === 'fr' ? `${releases.fr}\u00a0: ${e.fr}, ${w.fr}` : `${releases.en}: ${e.en}, ${w.en}`;
}
