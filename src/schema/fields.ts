import type { Code, Diagnostic, Severity } from '../errors/index.js';
import { formatNumber, type Message, type Text } from '../i18n/text.js';
import { parseCalendarDate, parseDateTime } from '../time/zoned.js';
import { didYouMean } from './did-you-mean.js';
import { isEmail, isPhone, parseMailbox } from './formats.js';
import { excerpt, type YamlPath, type YamlSource } from './yaml.js';

/**
 * A small declarative schema for YAML documents (config and front matter). It reports
 * every problem at the line of the offending key or value, and unknown keys with a
 * "did you mean" hint, which general-purpose JSON-schema validators do not do.
 */
export type Spec =
  | { kind: 'string'; multiline?: boolean; pattern?: RegExp; patternHint?: Message }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'boolean' }
  | { kind: 'date' }
  | { kind: 'datetime' }
  | { kind: 'email' }
  | { kind: 'phone' }
  | { kind: 'url' }
  | { kind: 'mailbox' }
  | { kind: 'port' }
  /** A whole number from 1 to `max`. */
  | { kind: 'count'; max: number }
  /** One text or a list of texts. */
  | { kind: 'strings' }
  /** A secret that must never be written in a file: its presence is the error. */
  | { kind: 'secret'; env: string }
  | { kind: 'localized' }
  | { kind: 'list'; items: Spec; minItems?: number }
  | { kind: 'object'; fields: Record<string, Field> };

export interface Field {
  spec: Spec;
  required?: boolean;
  /** The code when the field is missing, where a more specific one than the document's exists. */
  missingCode?: Code;
  /** Why the field is required, for the hint. */
  hint?: Message;
}

export interface SchemaContext {
  source: YamlSource;
  file: string;
  /** Codes used for this document's problems: config and release files differ. */
  codes: { missing: Code; type: Code; unknown: Code; date: Code; email: Code; phone: Code };
  languages: readonly string[];
  diagnostics: Diagnostic[];
}

function typeName(value: unknown): Text {
  if (value === null) return { fr: 'rien', en: 'nothing' };
  if (Array.isArray(value)) return { fr: 'une liste', en: 'a list' };
  if (typeof value === 'object') return { fr: 'un ensemble de clés', en: 'a mapping' };
  const fr: Record<string, string> = { string: 'un texte', number: 'un nombre', boolean: 'un booléen' };
  return { fr: fr[typeof value] ?? `un ${typeof value}`, en: `a ${typeof value}` };
}

/** `did you mean "x"?` in both languages. */
export function didYouMeanHint(suggestion: string): Text {
  return { fr: `vouliez-vous dire "${suggestion}"\u00a0?`, en: `did you mean "${suggestion}"?` };
}

export function report(
  ctx: SchemaContext,
  path: YamlPath,
  severity: Severity,
  code: Code,
  message: Message,
  hint?: Message,
  atKey = false,
): void {
  const pos = atKey ? ctx.source.locateKey(path) : ctx.source.locate(path);
  ctx.diagnostics.push({
    file: ctx.file,
    line: pos.line,
    column: pos.column,
    severity,
    code,
    message,
    ...(hint ? { hint } : {}),
  });
}

/**
 * A field's path as people read it: list items counted from 1 (`contacts[2].email` is the
 * second contact), as an adviser counts the contacts in the file.
 */
export function pathName(path: YamlPath): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p + 1}]` : i === 0 ? p : `.${p}`)).join('');
}

/** Checks `value` against `spec`, pushing diagnostics; returns whether it is usable. */
export function check(ctx: SchemaContext, spec: Spec, value: unknown, path: YamlPath): boolean {
  const name = pathName(path);
  const wrongType = (expected: Text): false => {
    const got = typeName(value);
    report(ctx, path, 'error', ctx.codes.type, {
      fr: `"${name}" doit être ${expected.fr}, pas ${got.fr}`,
      en: `"${name}" must be ${expected.en}, not ${got.en}`,
    });
    return false;
  };
  switch (spec.kind) {
    case 'string': {
      if (typeof value === 'number') value = String(value);
      if (typeof value !== 'string') return wrongType({ fr: 'un texte', en: 'text' });
      if (value.trim() === '') {
        report(ctx, path, 'error', ctx.codes.type, { fr: `"${name}" est vide`, en: `"${name}" is empty` });
        return false;
      }
      if (!spec.multiline && /[\r\n]/.test(value.trim())) {
        report(
          ctx,
          path,
          'error',
          ctx.codes.type,
          { fr: `"${name}" doit tenir sur une ligne`, en: `"${name}" must fit on one line` },
          {
            fr: 'un saut de ligne ici pourrait se retrouver dans les en-têtes du courriel\u00a0; écrivez-le sur une ligne',
            en: 'line breaks here could end up in e-mail headers; write it on one line',
          },
        );
        return false;
      }
      if (spec.pattern && !spec.pattern.test(value)) {
        report(
          ctx,
          path,
          'error',
          ctx.codes.type,
          {
            fr: `"${name}" n’est pas valide\u00a0: "${excerpt(value)}"`,
            en: `"${name}" is not valid: "${excerpt(value)}"`,
          },
          spec.patternHint,
        );
        return false;
      }
      return true;
    }
    case 'enum':
      if (typeof value !== 'string' || !spec.values.includes(value)) {
        const suggestion = typeof value === 'string' ? didYouMean(value, spec.values) : undefined;
        report(
          ctx,
          path,
          'error',
          ctx.codes.type,
          {
            fr: `"${name}" doit être l’une des valeurs ${spec.values.join(', ')}, pas ${typeof value === 'string' ? JSON.stringify(excerpt(value)) : typeName(value).fr}`,
            en: `"${name}" must be one of ${spec.values.join(', ')}, not ${typeof value === 'string' ? JSON.stringify(excerpt(value)) : typeName(value).en}`,
          },
          suggestion ? didYouMeanHint(suggestion) : undefined,
        );
        return false;
      }
      return true;
    case 'boolean':
      return typeof value === 'boolean' || wrongType({ fr: 'true ou false', en: 'true or false' });
    case 'date': {
      if (typeof value !== 'string')
        return wrongType({ fr: 'une date comme 2020-01-13', en: 'a date such as 2020-01-13' });
      if (parseCalendarDate(value)) return true;
      const dt = parseDateTime(value);
      if (dt.ok) return true;
      const exists = /^\d{4}-\d{2}-\d{2}/.test(value) && dt.reason !== 'form';
      const dateOnlyWrong = /^\d{4}-\d{2}-\d{2}$/.test(value);
      report(
        ctx,
        path,
        'error',
        ctx.codes.date,
        dateOnlyWrong || exists
          ? {
              fr: `"${name}"\u00a0: ${excerpt(value)} n’existe pas`,
              en: `"${name}": ${excerpt(value)} does not exist`,
            }
          : {
              fr: `"${name}" doit être une date ISO (2020-01-13) ou une date-heure avec décalage, pas "${excerpt(value)}"`,
              en: `"${name}" must be an ISO date (2020-01-13) or date-time with offset, not "${excerpt(value)}"`,
            },
        dateOnlyWrong || exists
          ? { fr: 'vérifiez le jour et le mois', en: 'check the day and month' }
          : {
              fr: 'écrivez AAAA-MM-JJ, ou AAAA-MM-JJTHH:MM:SS-05:00',
              en: 'write YYYY-MM-DD, or YYYY-MM-DDTHH:MM:SS-05:00',
            },
      );
      return false;
    }
    case 'datetime': {
      if (typeof value !== 'string')
        return wrongType({
          fr: 'une date-heure comme 2020-01-13T09:30:00-05:00',
          en: 'a date-time such as 2020-01-13T09:30:00-05:00',
        });
      const dt = parseDateTime(value);
      if (dt.ok) return true;
      report(
        ctx,
        path,
        'error',
        ctx.codes.date,
        dt.reason === 'nonexistent'
          ? {
              fr: `"${name}"\u00a0: ${excerpt(value)} n’existe pas`,
              en: `"${name}": ${excerpt(value)} does not exist`,
            }
          : {
              fr: `"${name}" doit être une date-heure ISO comme 2020-01-13T09:30:00-05:00, pas "${excerpt(value)}"`,
              en: `"${name}" must be an ISO date-time such as 2020-01-13T09:30:00-05:00, not "${excerpt(value)}"`,
            },
        dt.reason === 'nonexistent'
          ? {
              fr: 'vérifiez le jour, le mois, l’heure et la minute',
              en: 'check the day, month, hour and minute',
            }
          : {
              fr: 'écrivez AAAA-MM-JJTHH:MM, avec un décalage comme -05:00, sinon l’heure est lue dans le fuseau de la configuration',
              en: 'write YYYY-MM-DDTHH:MM, with an offset such as -05:00 or read in the config time zone',
            },
      );
      return false;
    }
    case 'email':
      if (typeof value !== 'string')
        return wrongType({ fr: 'une adresse courriel', en: 'an e-mail address' });
      if (!isEmail(value.trim())) {
        report(
          ctx,
          path,
          'error',
          ctx.codes.email,
          {
            fr: `"${name}" n’est pas une adresse courriel valide\u00a0: "${excerpt(value)}"`,
            en: `"${name}" is not a valid e-mail address: "${excerpt(value)}"`,
          },
          { fr: 'écrivez-la sous la forme nom@example.org', en: 'write it as name@example.org' },
        );
        return false;
      }
      return true;
    case 'phone':
      if (typeof value === 'number') value = String(value);
      if (typeof value !== 'string')
        return wrongType({
          fr: 'un numéro de téléphone entre guillemets, comme "+1 514 555-0100"',
          en: 'a phone number in quotes, such as "+1 514 555-0100"',
        });
      if (!isPhone(value)) {
        report(
          ctx,
          path,
          'error',
          ctx.codes.phone,
          {
            fr: `"${name}" n’est pas un numéro de téléphone valide\u00a0: "${excerpt(value)}"`,
            en: `"${name}" is not a valid phone number: "${excerpt(value)}"`,
          },
          {
            fr: 'écrivez-le sous la forme "+1 514 555-0100", suivi au besoin de "poste 123"',
            en: 'write it as "+1 514 555-0100", optionally followed by "poste 123"',
          },
        );
        return false;
      }
      return true;
    case 'secret':
      report(
        ctx,
        path,
        'error',
        ctx.codes.type,
        {
          fr: `"${name}" ne doit pas être écrit dans un fichier\u00a0: il se retrouverait dans le dépôt`,
          en: `"${name}" must not be written in a file: it would end up in the repository`,
        },
        {
          fr: `retirez-le et réglez plutôt la variable d’environnement ${spec.env}`,
          en: `remove it and set the ${spec.env} environment variable instead`,
        },
        true,
      );
      return false;
    case 'strings': {
      const items = Array.isArray(value) ? value : [value];
      // `to: []` is not of the wrong type: it names nothing.
      if (items.length === 0) {
        report(ctx, path, 'error', ctx.codes.type, {
          fr: `"${name}" est une liste vide\u00a0: nommez au moins un élément`,
          en: `"${name}" is an empty list: name at least one`,
        });
        return false;
      }
      return items.every((item, i) =>
        check(ctx, { kind: 'string' }, item, Array.isArray(value) ? [...path, i] : path),
      );
    }
    case 'port':
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 65535)
        return wrongType({ fr: 'un numéro de port de 1 à 65535', en: 'a port number from 1 to 65535' });
      return true;
    case 'count':
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > spec.max)
        return wrongType({
          fr: `un nombre entier de 1 à ${formatNumber(spec.max, 'fr')}`,
          en: `a whole number from 1 to ${spec.max}`,
        });
      return true;
    case 'mailbox': {
      if (typeof value !== 'string')
        return wrongType({
          fr: 'une adresse comme "Nom <nom@example.org>"',
          en: 'an address such as "Name <name@example.org>"',
        });
      if (!parseMailbox(value)) {
        report(
          ctx,
          path,
          'error',
          ctx.codes.email,
          {
            fr: `"${name}" n’est pas une adresse valide\u00a0: "${excerpt(value)}"`,
            en: `"${name}" is not a valid address: "${excerpt(value)}"`,
          },
          {
            fr: 'écrivez "Nom <nom@example.org>" ou nom@example.org, sur une ligne',
            en: 'write "Name <name@example.org>" or name@example.org, on one line',
          },
        );
        return false;
      }
      return true;
    }
    case 'url': {
      if (typeof value !== 'string') return wrongType({ fr: 'une URL', en: 'a URL' });
      let ok = false;
      // The URL parser silently drops line breaks and tabs; the raw value is what gets used.
      if (/[\s]/.test(value.trim())) {
        report(
          ctx,
          path,
          'error',
          ctx.codes.type,
          {
            fr: `"${name}" doit être une URL sans espaces ni sauts de ligne`,
            en: `"${name}" must be a URL without spaces or line breaks`,
          },
          {
            fr: 'écrivez-la sur une ligne, les espaces encodées en %20',
            en: 'write it on one line, encoding spaces as %20',
          },
        );
        return false;
      }
      try {
        const u = new URL(value);
        ok = u.protocol === 'https:' || u.protocol === 'http:';
      } catch {
        ok = false;
      }
      if (!ok)
        report(
          ctx,
          path,
          'error',
          ctx.codes.type,
          {
            fr: `"${name}" doit être une URL http(s) absolue, pas "${excerpt(value)}"`,
            en: `"${name}" must be an absolute http(s) URL, not "${excerpt(value)}"`,
          },
          { fr: 'par exemple https://www.example.org', en: 'for example https://www.example.org' },
        );
      return ok;
    }
    case 'localized': {
      if (typeof value === 'string') return check(ctx, { kind: 'string', multiline: true }, value, path);
      if (value === null || typeof value !== 'object' || Array.isArray(value))
        return wrongType({
          fr: `un texte, ou un texte par langue (${ctx.languages.join(', ')})`,
          en: `text, or text per language (${ctx.languages.join(', ')})`,
        });
      let ok = true;
      const record = value as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        if (!ctx.languages.includes(key)) {
          report(
            ctx,
            [...path, key],
            'error',
            ctx.codes.unknown,
            {
              fr: `"${pathName([...path, key])}"\u00a0: "${excerpt(key)}" n’est pas l’une des langues configurées (${ctx.languages.join(', ')})`,
              en: `"${pathName([...path, key])}": "${excerpt(key)}" is not one of the configured languages (${ctx.languages.join(', ')})`,
            },
            undefined,
            true,
          );
          ok = false;
        } else if (!check(ctx, { kind: 'string', multiline: true }, record[key], [...path, key])) ok = false;
      }
      for (const lang of ctx.languages) {
        if (!(lang in record)) {
          report(
            ctx,
            path,
            'error',
            ctx.codes.missing,
            { fr: `"${name}" n’a pas de texte "${lang}"`, en: `"${name}" has no "${lang}" text` },
            { fr: `ajoutez \`${yamlLine(lang)}\` sous ${name}`, en: `add ${yamlLine(lang)} under ${name}` },
            true,
          );
          ok = false;
        }
      }
      return ok;
    }
    case 'list': {
      if (!Array.isArray(value)) return wrongType({ fr: 'une liste', en: 'a list' });
      if (spec.minItems !== undefined && value.length < spec.minItems) {
        report(ctx, path, 'error', ctx.codes.missing, {
          fr: `"${name}" demande au moins ${formatNumber(spec.minItems, 'fr')} ${spec.minItems < 2 ? 'élément' : 'éléments'}`,
          en: `"${name}" needs at least ${spec.minItems} item(s)`,
        });
        return false;
      }
      let ok = true;
      value.forEach((item, i) => {
        if (!check(ctx, spec.items, item, [...path, i])) ok = false;
      });
      return ok;
    }
    case 'object': {
      if (value === null || typeof value !== 'object' || Array.isArray(value))
        return wrongType({ fr: 'un ensemble de clés', en: 'a mapping of keys' });
      return checkFields(ctx, spec.fields, value as Record<string, unknown>, path);
    }
  }
}

/** Unknown keys reported one by one in a mapping; the rest are counted in one more problem. */
const MAX_UNKNOWN_REPORTED = 20;

/** Checks a mapping: unknown keys, missing required keys, then each known field. */
export function checkFields(
  ctx: SchemaContext,
  fields: Record<string, Field>,
  record: Record<string, unknown>,
  path: YamlPath,
): boolean {
  let ok = true;
  const known = Object.keys(fields);
  let unknown = 0;
  for (const key of Object.keys(record)) {
    const field = fields[key];
    if (!field) {
      ok = false;
      // A pasted or generated mapping can have thousands of keys: the first few tell the story.
      if (++unknown > MAX_UNKNOWN_REPORTED) continue;
      const suggestion = didYouMean(key, known);
      const where = path.length ? pathName(path) : '';
      report(
        ctx,
        [...path, key],
        'error',
        ctx.codes.unknown,
        {
          fr: `clé inconnue "${excerpt(key)}"${where ? ` dans "${where}"` : ''}`,
          en: `unknown key "${excerpt(key)}"${where ? ` in "${where}"` : ''}`,
        },
        suggestion
          ? didYouMeanHint(suggestion)
          : { fr: `clés connues\u00a0: ${known.join(', ')}`, en: `known keys: ${known.join(', ')}` },
        true,
      );
      continue;
    }
    const value = record[key];
    if (value === null || value === undefined) {
      if (field.required) {
        report(
          ctx,
          [...path, key],
          'error',
          field.missingCode ?? ctx.codes.missing,
          { fr: `"${pathName([...path, key])}" est vide`, en: `"${pathName([...path, key])}" is empty` },
          field.hint,
          true,
        );
        ok = false;
      }
      continue;
    }
    if (!check(ctx, field.spec, value, [...path, key])) ok = false;
  }
  if (unknown > MAX_UNKNOWN_REPORTED)
    report(
      ctx,
      path,
      'error',
      ctx.codes.unknown,
      {
        fr: `${formatNumber(unknown - MAX_UNKNOWN_REPORTED, 'fr')} clé${unknown - MAX_UNKNOWN_REPORTED < 2 ? '' : 's'} inconnue${unknown - MAX_UNKNOWN_REPORTED < 2 ? '' : 's'} de plus${path.length ? ` dans "${pathName(path)}"` : ''}`,
        en: `${unknown - MAX_UNKNOWN_REPORTED} more unknown keys${path.length ? ` in "${pathName(path)}"` : ''}`,
      },
      { fr: `clés connues\u00a0: ${known.join(', ')}`, en: `known keys: ${known.join(', ')}` },
      path.length > 0,
    );
  for (const [key, field] of Object.entries(fields)) {
    if (field.required && !(key in record)) {
      const where: Text = path.length
        ? { fr: `"${pathName(path)}" n’a pas de "${key}"`, en: `"${pathName(path)}" has no "${key}"` }
        : { fr: `le champ obligatoire "${key}" manque`, en: `required field "${key}" is missing` };
      report(
        ctx,
        path,
        'error',
        field.missingCode ?? ctx.codes.missing,
        where,
        field.hint ?? { fr: `ajoutez \`${yamlLine(key)}\``, en: `add ${yamlLine(key)}` },
        path.length > 0,
      );
      ok = false;
    }
  }
  return ok;
}

/** The YAML line a hint asks to add: `key: …`. */
function yamlLine(key: string): string {
  return `${key}: …`;
}
