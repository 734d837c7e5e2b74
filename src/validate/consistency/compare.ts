import type { Code, Diagnostic } from '../../errors/index.js';
import type { Text } from '../../i18n/text.js';
import type { Fact, FactKind } from './facts.js';
import type { LocatedFact } from './passages.js';

/** What one edition contains, in the shape the matching rules ask about. */
export interface FactIndex {
  /** Values of every number, amount and percentage, plus the years of dates. */
  values: Set<number>;
  /** `MM-DD` of every date, with the years it appears with (`''` for a date without a year). */
  dates: Map<string, Set<string>>;
  /** `kind:normalized` of e-mail addresses and URLs. */
  keys: Set<string>;
}

export function indexFacts(facts: readonly Fact[]): FactIndex {
  const index: FactIndex = { values: new Set(), dates: new Map(), keys: new Set() };
  for (const fact of facts) {
    if (fact.value !== undefined) index.values.add(fact.value);
    if (fact.kind === 'date') {
      const { year, monthDay } = splitDate(fact.normalized);
      if (year) index.values.add(Number(year));
      const years = index.dates.get(monthDay) ?? new Set<string>();
      years.add(year);
      index.dates.set(monthDay, years);
    }
    index.keys.add(`${fact.kind}:${fact.normalized}`);
  }
  return index;
}

/** `2020-01-13` → year `2020`, `01-13`; `--12-01` → year `''`, `12-01`. */
function splitDate(normalized: string): { year: string; monthDay: string } {
  return {
    year: normalized.slice(0, normalized.length - 6).replace(/-+$/, ''),
    monthDay: normalized.slice(-5),
  };
}

function hasMatch(fact: Fact, other: FactIndex): boolean {
  if (fact.value !== undefined) return other.values.has(fact.value);
  if (fact.kind === 'date') {
    const { year, monthDay } = splitDate(fact.normalized);
    const years = other.dates.get(monthDay);
    // A date without a year is the same day as the other edition's dated one, and vice versa.
    return years !== undefined && (year === '' || years.has(year) || years.has(''));
  }
  return other.keys.has(`${fact.kind}:${fact.normalized}`);
}

const KIND_CODE: Record<FactKind, Code> = {
  number: 'AIMQ-TRANSLATION-NUMBER',
  amount: 'AIMQ-TRANSLATION-AMOUNT',
  percent: 'AIMQ-TRANSLATION-AMOUNT',
  date: 'AIMQ-TRANSLATION-DATE',
  email: 'AIMQ-TRANSLATION-EMAIL',
  url: 'AIMQ-TRANSLATION-URL',
};

const KIND_LABEL: Record<FactKind, Text> = {
  number: { fr: 'nombre', en: 'number' },
  amount: { fr: 'montant', en: 'amount' },
  percent: { fr: 'pourcentage', en: 'percentage' },
  date: { fr: 'date', en: 'date' },
  email: { fr: 'adresse courriel', en: 'e-mail address' },
  url: { fr: 'adresse URL', en: 'URL' },
};

const HINT: Text = {
  fr: 'vérifiez la traduction, ou écrivez la même donnée dans les deux éditions',
  en: 'check the translation, or write the same figure in both editions',
};

/** One warning per distinct fact of `facts` that `other` lacks, at its first occurrence. */
export function reportMissing(
  facts: readonly LocatedFact[],
  other: FactIndex,
  file: string,
  otherFile: string,
): Diagnostic[] {
  const reported = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  for (const fact of facts) {
    const identity = fact.value !== undefined ? `value:${fact.value}` : `${fact.kind}:${fact.normalized}`;
    if (reported.has(identity) || hasMatch(fact, other)) continue;
    reported.add(identity);
    const raw = fact.raw.replace(/\s+/g, ' ');
    const normalized = fact.normalized === raw ? '' : ` (${fact.normalized})`;
    diagnostics.push({
      file,
      line: fact.line,
      column: fact.column,
      severity: 'warning',
      code: KIND_CODE[fact.kind],
      message: {
        fr: `${KIND_LABEL[fact.kind].fr} "${raw}"${normalized} figure dans ${file}, mais pas dans ${otherFile}`,
        en: `${KIND_LABEL[fact.kind].en} "${raw}"${normalized} appears in ${file} but not in ${otherFile}`,
      },
      hint: HINT,
    });
  }
  return diagnostics;
}
