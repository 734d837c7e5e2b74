/** A list line: address, name, and the `langue` value as a Quebec spreadsheet writes it. */
export type ListRow = readonly [email: string, name: string, lang: 'fr' | 'en' | 'bilingue' | ''];

/** A list with French headers and `;`, as a Quebec spreadsheet exports it. */
export function listCsv(rows: readonly ListRow[]): string {
  return `courriel;nom;langue\n${rows.map((r) => r.join(';')).join('\n')}\n`;
}

/** One reader of each language value, the empty one (bilingual) included. */
export const FOUR: readonly ListRow[] = [
  ['francine@example.org', 'Francine Tremblay', 'fr'],
  ['edward@example.org', 'Edward Smith', 'en'],
  ['bianca@example.org', 'Bianca Roy', 'bilingue'],
  ['nadia@example.org', 'Nadia Côté', ''],
];
