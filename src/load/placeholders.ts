import type { Diagnostic } from '../errors/index.js';
import type { YamlPath, YamlSource } from '../schema/yaml.js';
import { pathName } from '../schema/fields.js';
import { excerpt } from '../schema/yaml.js';

/**
 * Values that `aimq init` and `aimq release new` write for the adviser to replace. They
 * build and check fine, so nothing else would stop them from reaching the press: each one
 * found is an AIMQ-PLACEHOLDER warning in `release check`, and a reason for sending to refuse.
 */
const STUBS = new Set([
  // templates/init/aimq.config.yaml
  'Nom de votre organisme',
  "Your organization's name",
  'ORG',
  // aimq release new (src/project/scaffold.ts, src/cli/commands/new.ts)
  'Titre du communiqué',
  'Release title',
  'Une phrase qui résume le communiqué.',
  'One sentence that sums up the release.',
  'Prénom Nom',
]);

/** Paragraphs `aimq release new` writes as the body. */
export const BODY_STUBS = [
  'Premier paragraphe : qui, quoi, quand, où, pourquoi.',
  'First paragraph: who, what, when, where, why.',
];

/** The starter release's contact: AIMQ's adviser, whom `release new` copies into every release of a new project. */
const STARTER_CONTACT_EMAIL = 'communications@aimq.net';

/** Whether a text is a placeholder: a stub, marked EDIT or PLACEHOLDER, or at the init's example.org site. */
export function isPlaceholder(text: string): boolean {
  const t = text.trim();
  return (
    STUBS.has(t) ||
    /^EDIT\b/.test(t) ||
    /\bPLACEHOLDER\b/.test(t) ||
    /^https?:\/\/www\.example\.org(?:[/?#]|$)/i.test(t)
  );
}

function at(source: YamlSource, file: string, path: YamlPath, value: string): Diagnostic {
  const pos = source.locate(path);
  return {
    file,
    line: pos.line,
    column: pos.column,
    severity: 'warning',
    code: 'AIMQ-PLACEHOLDER',
    message: {
      fr: `"${pathName(path)}" est encore une valeur à remplacer\u00a0: "${excerpt(value, 50)}"`,
      en: `"${pathName(path)}" is still a placeholder: "${excerpt(value, 50)}"`,
    },
    hint: {
      fr: 'remplacez-la par la vraie valeur avant de publier ou d’envoyer quoi que ce soit',
      en: 'replace it with the real value before publishing or sending anything',
    },
  };
}

/** The placeholders of a config, located in its file. */
export function configPlaceholders(
  record: Record<string, unknown>,
  source: YamlSource,
  file: string,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const visit = (value: unknown, path: YamlPath) => {
    if (typeof value === 'string') {
      if (isPlaceholder(value)) out.push(at(source, file, path, value));
    } else if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) visit(v, [...path, k]);
    }
  };
  visit(record.organization, ['organization']);
  visit(record.baseUrl, ['baseUrl']);
  visit(record.email, ['email']);
  return out;
}

/**
 * The placeholders of one edition's front matter and body. `ownDomain` is the host of the
 * organisation's website: the starter contact is a placeholder everywhere but at AIMQ.
 */
export function editionPlaceholders(
  data: Record<string, unknown>,
  source: YamlSource,
  file: string,
  body: { text: string; line: number },
  ownDomain: string | undefined,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const key of ['title', 'subtitle', 'summary', 'place']) {
    const v = data[key];
    if (typeof v === 'string' && isPlaceholder(v)) out.push(at(source, file, [key], v));
  }
  const contacts = Array.isArray(data.contacts) ? data.contacts : [];
  contacts.forEach((c: unknown, i) => {
    if (!c || typeof c !== 'object') return;
    const contact = c as Record<string, unknown>;
    if (typeof contact.name === 'string' && isPlaceholder(contact.name))
      out.push(at(source, file, ['contacts', i, 'name'], contact.name));
    const email = typeof contact.email === 'string' ? contact.email.trim().toLowerCase() : '';
    if (email === STARTER_CONTACT_EMAIL && !(ownDomain ?? '').endsWith('aimq.net'))
      out.push({
        ...at(source, file, ['contacts', i, 'email'], email),
        message: {
          fr: `"${pathName(['contacts', i])}" est la personne-ressource du communiqué modèle (${STARTER_CONTACT_EMAIL}), laissée par aimq init ou copiée par aimq release new`,
          en: `"${pathName(['contacts', i])}" is the sample release's contact (${STARTER_CONTACT_EMAIL}), left by aimq init or copied by aimq release new`,
        },
        hint: {
          fr: 'remplacez-la par la personne-ressource de votre organisme',
          en: "replace it with your organisation's contact",
        },
      });
  });
  const lines = body.text.split('\n');
  lines.forEach((line, i) => {
    if (BODY_STUBS.includes(line.trim()))
      out.push({
        file,
        line: body.line + i,
        column: 1,
        severity: 'warning',
        code: 'AIMQ-PLACEHOLDER',
        message: {
          fr: 'ce paragraphe est encore celui qu’a écrit aimq release new',
          en: 'this paragraph is still the one aimq release new wrote',
        },
        hint: { fr: 'rédigez le communiqué', en: 'write the release' },
      });
  });
  return out;
}
