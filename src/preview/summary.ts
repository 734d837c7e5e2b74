import { inLang } from '../i18n/text.js';
import type { Diagnostic } from '../errors/index.js';
import type { Changes } from '../git/changed.js';
import type { BeforeBuild } from './before.js';
import type { ShotSize } from './screenshots.js';

/** What summary.md is made from: the gallery's groups, in its order. */
export interface SummaryInput {
  groups: readonly {
    id: string;
    selected: boolean;
    status?: 'new' | 'removed';
    pages: readonly SummaryItem[];
    emails: readonly SummaryItem[];
  }[];
  taken: ReadonlyMap<string, ShotSize>;
  diffs: ReadonlyMap<string, { changed: number; pixels: number }>;
  shownOut: string;
  warnings: readonly Diagnostic[];
  since?: { ref: string; option: string; changes: Changes; before?: BeforeBuild };
  missingBrowser?: string;
}

interface SummaryItem {
  kind: 'page' | 'email';
  key: string;
  path?: string;
  shots: readonly { width: number; abs: string }[];
  before: readonly { width: number; abs: string }[];
}

/** Warnings listed in full; the rest are counted. */
const MAX_WARNINGS = 20;

/**
 * summary.md: a short Markdown report for `$GITHUB_STEP_SUMMARY` or a merge-request
 * comment: which releases changed, which editions, pixels changed per edition and width,
 * the build's warnings and where the gallery is. Only changed releases get rows, so a
 * 300-release repository gives a table as long as the change.
 */
export function summaryMarkdown(input: SummaryInput): string {
  const { since } = input;
  const previewed = input.groups.filter((g) => g.selected);
  const lines = ['## aimq preview', ''];
  if (since) {
    const scope =
      since.changes.everything === undefined
        ? `${previewed.length} of ${input.groups.length} release(s) changed since \`${since.ref}\``
        : `all ${previewed.length} release(s) previewed: \`${since.changes.everything}\` changed since \`${since.ref}\``;
    lines.push(`${scope}${since.before?.result ? `, compared with \`${since.ref}\`'s version` : ''}.`);
    if (since.before?.failure !== undefined)
      lines.push('', `No “before” to compare with: ${since.before.failure}.`);
  } else {
    lines.push(`${previewed.length} release(s) previewed, every edition.`);
  }
  lines.push('', `Gallery: \`${input.shownOut}/_preview/index.html\` (${input.taken.size} screenshot(s)).`);
  if (input.missingBrowser !== undefined) lines.push('', `**No screenshots:** ${input.missingBrowser}.`);
  // Without --changed-since, every release is previewed: a row per edition would be
  // thousands of lines, so the summary keeps to the counts.
  if (since && previewed.length) {
    const comparing = Boolean(since?.before?.result);
    lines.push(
      '',
      comparing ? '| release | edition | pixels changed |' : '| release | edition | screenshots |',
    );
    lines.push('| --- | --- | --- |');
    for (const g of previewed) {
      const items = [...g.pages, ...g.emails];
      if (!items.length) lines.push(`| \`${g.id}\` | — | ${g.status ?? 'nothing built (embargoed?)'} |`);
      for (const item of items) {
        const edition = `${item.kind === 'page' ? 'page' : 'e-mail'} ${item.key}`;
        lines.push(
          `| \`${g.id}\` | ${edition} | ${comparing ? changeCell(item, input) : shotsCell(item, input)} |`,
        );
      }
    }
  }
  if (input.warnings.length) {
    lines.push('', `### Warnings (${input.warnings.length})`, '');
    for (const w of input.warnings.slice(0, MAX_WARNINGS))
      lines.push(`- \`${w.file}:${w.line}\` ${mdText(inLang(w.message, 'en'))} [${w.code}]`);
    if (input.warnings.length > MAX_WARNINGS)
      lines.push(`- … and ${input.warnings.length - MAX_WARNINGS} more (\`aimq release check\`)`);
  }
  lines.push('');
  return lines.join('\n');
}

function changeCell(item: SummaryItem, input: SummaryInput): string {
  if (!item.shots.length) return 'removed';
  if (!item.before.length) return 'new';
  const parts = item.shots.map((s) => {
    const d = input.diffs.get(s.abs);
    if (!d) return `${s.width} px: not compared`;
    if (!d.changed) return `${s.width} px: 0`;
    return `${s.width} px: **${fmtEn(d.changed)}** (${percent(d.changed, d.pixels)})`;
  });
  const all = item.shots.map((s) => input.diffs.get(s.abs));
  if (all.every((d) => d !== undefined && d.changed === 0)) return 'no visible change';
  return parts.join(', ');
}

function shotsCell(item: SummaryItem, input: SummaryInput): string {
  const widths = item.shots.filter((s) => input.taken.has(s.abs)).map((s) => `${s.width} px`);
  return widths.length ? widths.join(', ') : 'none';
}

function percent(part: number, whole: number): string {
  const p = (100 * part) / whole;
  return `${p < 0.1 ? '< 0.1' : p.toFixed(1)} %`;
}

/** Warnings quote release text: keep it from breaking the list item. */
function mdText(s: string): string {
  return s.replace(/\s+/g, ' ').replace(/([\\`*_[\]<>|])/g, '\\$1');
}

/** 12,345 */
export function fmtEn(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** 12 345, with the narrow no-break space the OQLF uses between thousands. */
export function fmtFr(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '\u202F');
}
