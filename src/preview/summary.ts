import { counted, formatNumber, inLang, type Lang, type Text } from '../i18n/text.js';
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
  missingBrowser?: Text;
  /** The reviewer's language (the user's): summary.md is read in it. English when absent. */
  lang?: Lang;
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
 * 300-release repository gives a table as long as the change. Written in the user's
 * language; the English is what it always was.
 */
export function summaryMarkdown(input: SummaryInput): string {
  const { since } = input;
  const lang = input.lang ?? 'en';
  const t = (text: Text) => text[lang];
  const previewed = input.groups.filter((g) => g.selected);
  const n = previewed.length;
  const total = input.groups.length;
  const lines = [t({ fr: '## Aperçu aimq', en: '## aimq preview' }), ''];
  if (since) {
    const ref = `\`${since.ref}\``;
    const scope =
      since.changes.everything === undefined
        ? t({
            fr: `Communiqués modifiés depuis ${ref}\u00a0: ${formatNumber(n, 'fr')} sur ${formatNumber(total, 'fr')}`,
            en: `${n} of ${total} release(s) changed since ${ref}`,
          })
        : t({
            fr: `Tous les communiqués prévisualisés (${formatNumber(n, 'fr')})\u00a0: \`${since.changes.everything}\` a changé depuis ${ref}`,
            en: `all ${n} release(s) previewed: \`${since.changes.everything}\` changed since ${ref}`,
          });
    const compared = since.before?.result
      ? t({ fr: `, comparés avec la version de ${ref}`, en: `, compared with ${ref}'s version` })
      : '';
    lines.push(`${scope}${compared}.`);
    if (since.before?.failure !== undefined)
      lines.push(
        '',
        t({
          fr: `Pas de version «\u00a0avant\u00a0» à comparer\u00a0: ${since.before.failure.fr}.`,
          en: `No “before” to compare with: ${since.before.failure.en}.`,
        }),
      );
  } else {
    lines.push(
      t({
        fr: `${counted(n, { fr: ['communiqué prévisualisé', 'communiqués prévisualisés'], en: ['release previewed', 'releases previewed'] }).fr}, toutes les éditions.`,
        en: `${n} release(s) previewed, every edition.`,
      }),
    );
  }
  const gallery = `\`${input.shownOut}/_preview/index.html\``;
  const shots = input.taken.size;
  lines.push(
    '',
    t({
      fr: `Galerie\u00a0: ${gallery} (${counted(shots, { fr: ['capture d’écran', 'captures d’écran'], en: ['screenshot', 'screenshots'] }).fr}).`,
      en: `Gallery: ${gallery} (${shots} screenshot(s)).`,
    }),
  );
  if (input.missingBrowser !== undefined)
    lines.push(
      '',
      t({
        fr: `**Pas de captures d’écran\u00a0:** ${input.missingBrowser.fr}.`,
        en: `**No screenshots:** ${input.missingBrowser.en}.`,
      }),
    );
  // Without --changed-since, every release is previewed: a row per edition would be
  // thousands of lines, so the summary keeps to the counts.
  if (since && previewed.length) {
    const comparing = Boolean(since?.before?.result);
    lines.push(
      '',
      comparing
        ? t({
            fr: '| communiqué | édition | pixels modifiés |',
            en: '| release | edition | pixels changed |',
          })
        : t({ fr: '| communiqué | édition | captures |', en: '| release | edition | screenshots |' }),
    );
    lines.push('| --- | --- | --- |');
    for (const g of previewed) {
      const items = [...g.pages, ...g.emails];
      if (!items.length) {
        const status =
          g.status === 'new'
            ? t({ fr: 'nouveau', en: 'new' })
            : g.status === 'removed'
              ? t({ fr: 'supprimé', en: 'removed' })
              : t({ fr: 'rien de construit (sous embargo\u00a0?)', en: 'nothing built (embargoed?)' });
        lines.push(`| \`${g.id}\` | — | ${status} |`);
      }
      for (const item of items) {
        const edition =
          item.kind === 'page'
            ? `page ${item.key}`
            : t({
                // The bilingual edition by its French name; fr and en by their codes.
                fr: `courriel ${item.key === 'bilingual' ? 'bilingue' : item.key}`,
                en: `e-mail ${item.key}`,
              });
        lines.push(
          `| \`${g.id}\` | ${edition} | ${comparing ? changeCell(item, input, lang) : shotsCell(item, input, lang)} |`,
        );
      }
    }
  }
  if (input.warnings.length) {
    const count = input.warnings.length;
    lines.push('', t({ fr: `### Avertissements (${count})`, en: `### Warnings (${count})` }), '');
    for (const w of input.warnings.slice(0, MAX_WARNINGS))
      lines.push(`- \`${w.file}:${w.line}\` ${mdText(inLang(w.message, lang))} [${w.code}]`);
    if (count > MAX_WARNINGS)
      lines.push(
        t({
          fr: `- … et ${formatNumber(count - MAX_WARNINGS, 'fr')} de plus (\`aimq release check\`)`,
          en: `- … and ${count - MAX_WARNINGS} more (\`aimq release check\`)`,
        }),
      );
  }
  lines.push('');
  return lines.join('\n');
}

function changeCell(item: SummaryItem, input: SummaryInput, lang: Lang): string {
  const t = (text: Text) => text[lang];
  if (!item.shots.length) return t({ fr: 'supprimée', en: 'removed' });
  if (!item.before.length) return t({ fr: 'nouvelle', en: 'new' });
  const colon = t({ fr: '\u00a0: ', en: ': ' });
  const parts = item.shots.map((s) => {
    const d = input.diffs.get(s.abs);
    if (!d) return `${s.width} px${colon}${t({ fr: 'non comparée', en: 'not compared' })}`;
    if (!d.changed) return `${s.width} px${colon}0`;
    const changed = lang === 'fr' ? formatNumber(d.changed, 'fr') : fmtEn(d.changed);
    return `${s.width} px${colon}**${changed}** (${percent(d.changed, d.pixels, lang)})`;
  });
  const all = item.shots.map((s) => input.diffs.get(s.abs));
  if (all.every((d) => d !== undefined && d.changed === 0))
    return t({ fr: 'aucun changement visible', en: 'no visible change' });
  return parts.join(', ');
}

function shotsCell(item: SummaryItem, input: SummaryInput, lang: Lang): string {
  const widths = item.shots.filter((s) => input.taken.has(s.abs)).map((s) => `${s.width} px`);
  return widths.length ? widths.join(', ') : lang === 'fr' ? 'aucune' : 'none';
}

function percent(part: number, whole: number, lang: Lang): string {
  const p = (100 * part) / whole;
  if (lang === 'fr') return `${p < 0.1 ? '<\u00a00,1' : p.toFixed(1).replace('.', ',')}\u00a0%`;
  return `${p < 0.1 ? '<0.1' : p.toFixed(1)}%`;
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
