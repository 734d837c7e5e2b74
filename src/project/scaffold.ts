import type { Contact } from '../model/release.js';

/** Front matter and body of a new release's editions, as the adviser will edit them. Pure. */
export function newReleaseFiles(opts: {
  languages: readonly string[];
  date: string;
  place: string;
  contacts: readonly Contact[];
  /** The contacts' roles in each translation's language, where a previous release gives them. */
  translatedRoles?: Readonly<Record<string, readonly (string | undefined)[]>>;
  /** The dateline city in each translation's language (default: `place`, to edit where it differs). */
  translatedPlaces?: Readonly<Record<string, string | undefined>>;
}): Record<string, string> {
  const files: Record<string, string> = {};
  const [primary, ...others] = opts.languages;
  const contactsYaml = opts.contacts
    .map((c) =>
      [
        `  - name: ${yamlString(c.name)}`,
        ...(c.role ? [`    role: ${yamlString(c.role)}`] : []),
        `    email: ${c.email}`,
        ...(c.phone ? [`    phone: ${yamlString(c.phone)}`] : []),
        `    kind: ${c.kind}`,
      ].join('\n'),
    )
    .join('\n');
  files[`${primary}.md`] = [
    '---',
    `title: ${primary === 'fr' ? 'Titre du communiqué' : 'Release title'}`,
    `date: ${opts.date}`,
    `place: ${yamlString(opts.place)}`,
    'contacts:',
    contactsYaml,
    `summary: ${primary === 'fr' ? 'Une phrase qui résume le communiqué.' : 'One sentence that sums up the release.'}`,
    '---',
    primary === 'fr'
      ? 'Premier paragraphe : qui, quoi, quand, où, pourquoi.'
      : 'First paragraph: who, what, when, where, why.',
    '',
  ].join('\n');
  for (const lang of others) {
    // A role is never copied across languages: a French role would show on the English page.
    const roles = opts.contacts.map((_, i) => opts.translatedRoles?.[lang]?.[i]);
    files[`${lang}.md`] = [
      '---',
      `title: ${lang === 'fr' ? 'Titre du communiqué' : 'Release title'}`,
      `summary: ${lang === 'fr' ? 'Une phrase qui résume le communiqué.' : 'One sentence that sums up the release.'}`,
      // Written even when spelled as in the primary edition: without it, the dateline
      // silently takes the primary's city, and the adviser never sees the field to adapt.
      `place: ${yamlString(opts.translatedPlaces?.[lang] || opts.place)}`,
      ...(roles.some(Boolean)
        ? ['contacts:', ...roles.map((r) => (r ? `  - role: ${yamlString(r)}` : '  - {}'))]
        : []),
      '---',
      lang === 'fr'
        ? 'Premier paragraphe : qui, quoi, quand, où, pourquoi.'
        : 'First paragraph: who, what, when, where, why.',
      '',
    ].join('\n');
  }
  return files;
}

/** Quotes a YAML scalar only when it needs it. */
export function yamlString(s: string): string {
  return /^[\p{L}\p{N}][\p{L}\p{N} .,'’()/-]*$/u.test(s) && !/: |#/.test(s) ? s : JSON.stringify(s);
}
