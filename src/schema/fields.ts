import type { Code, Diagnostic, Severity } from '../errors/index.js';
import type { Message } from '../i18n/text.js';
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

function typeName(value: unknown): string {
  if (value === null) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `a ${typeof value}`;
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
  const wrongType = (expected: string): false => {
    report(ctx, path, 'error', ctx.codes.type, `"${name}" must be ${expected}, not ${typeName(value)}`);
    return false;
  };
  switch (spec.kind) {
    case 'string': {
      if (typeof value === 'number') value = String(value);
      if (typeof value !== 'string') return wrongType('text');
      if (value.trim() === '') {
        report(ctx, path, 'error', ctx.codes.type, `"${name}" is empty`);
        return false;
      }
      if (!spec.multiline && /[\r\n]/.test(value.trim())) {
        report(
          ctx,
          path,
          'error',
          ctx.codes.type,
          `"${name}" must fit on one line`,
          'line breaks here could end up in e-mail headers; write it on one line',
        );
        return false;
      }
      if (spec.pattern && !spec.pattern.test(value)) {
        report(
          ctx,
          path,
          'error',
          ctx.codes.type,
          `"${name}" is not valid: "${excerpt(value)}"`,
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
          `"${name}" must be one of ${spec.values.join(', ')}, not ${typeof value === 'string' ? JSON.stringify(excerpt(value)) : typeName(value)}`,
          suggestion ? `did you mean "${suggestion}"?` : undefined,
        );
        return false;
      }
      return true;
    case 'boolean':
      return typeof value === 'boolean' || wrongType('true or false');
    case 'date': {
      if (typeof value !== 'string') return wrongType('a date such as 2020-01-13');
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
          ? `"${name}": ${excerpt(value)} does not exist`
          : `"${name}" must be an ISO date (2020-01-13) or date-time with offset, not "${excerpt(value)}"`,
        dateOnlyWrong || exists
          ? 'check the day and month'
          : 'write YYYY-MM-DD, or YYYY-MM-DDTHH:MM:SS-05:00',
      );
      return false;
    }
    case 'datetime': {
      if (typeof value !== 'string') return wrongType('a date-time such as 2020-01-13T09:30:00-05:00');
      const dt = parseDateTime(value);
      if (dt.ok) return true;
      report(
        ctx,
        path,
        'error',
        ctx.codes.date,
        dt.reason === 'nonexistent'
          ? `"${name}": ${excerpt(value)} does not exist`
          : `"${name}" must be an ISO date-time such as 2020-01-13T09:30:00-05:00, not "${excerpt(value)}"`,
        dt.reason === 'nonexistent'
          ? 'check the day, month, hour and minute'
          : 'write YYYY-MM-DDTHH:MM, with an offset such as -05:00 or read in the config time zone',
      );
      return false;
    }
    case 'email':
      if (typeof value !== 'string') return wrongType('an e-mail address');
      if (!isEmail(value.trim())) {
        report(
          ctx,
          path,
          'error',
          ctx.codes.email,
          `"${name}" is not a valid e-mail address: "${excerpt(value)}"`,
          'write it as name@example.org',
        );
        return false;
      }
      return true;
    case 'phone':
      if (typeof value === 'number') value = String(value);
      if (typeof value !== 'string') return wrongType('a phone number in quotes, such as "+1 514 555-0100"');
      if (!isPhone(value)) {
        report(
          ctx,
          path,
          'error',
          ctx.codes.phone,
          `"${name}" is not a valid phone number: "${excerpt(value)}"`,
          'write it as "+1 514 555-0100", optionally followed by "poste 123"',
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
        `"${name}" must not be written in a file: it would end up in the repository`,
        `remove it and set the ${spec.env} environment variable instead`,
        true,
      );
      return false;
    case 'strings': {
      const items = Array.isArray(value) ? value : [value];
      if (items.length === 0) return wrongType('a text or a list of texts');
      return items.every((item, i) =>
        check(ctx, { kind: 'string' }, item, Array.isArray(value) ? [...path, i] : path),
      );
    }
    case 'port':
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 65535)
        return wrongType('a port number from 1 to 65535');
      return true;
    case 'count':
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > spec.max)
        return wrongType(`a whole number from 1 to ${spec.max}`);
      return true;
    case 'mailbox': {
      if (typeof value !== 'string') return wrongType('an address such as "Name <name@example.org>"');
      if (!parseMailbox(value)) {
        report(
          ctx,
          path,
          'error',
          ctx.codes.email,
          `"${name}" is not a valid address: "${excerpt(value)}"`,
          'write "Name <name@example.org>" or name@example.org, on one line',
        );
        return false;
      }
      return true;
    }
    case 'url': {
      if (typeof value !== 'string') return wrongType('a URL');
      let ok = false;
      // The URL parser silently drops line breaks and tabs; the raw value is what gets used.
      if (/[\s]/.test(value.trim())) {
        report(
          ctx,
          path,
          'error',
          ctx.codes.type,
          `"${name}" must be a URL without spaces or line breaks`,
          'write it on one line, encoding spaces as %20',
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
          `"${name}" must be an absolute http(s) URL, not "${excerpt(value)}"`,
          'for example https://www.example.org',
        );
      return ok;
    }
    case 'localized': {
      if (typeof value === 'string') return check(ctx, { kind: 'string', multiline: true }, value, path);
      if (value === null || typeof value !== 'object' || Array.isArray(value))
        return wrongType(`text, or text per language (${ctx.languages.join(', ')})`);
      let ok = true;
      const record = value as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        if (!ctx.languages.includes(key)) {
          report(
            ctx,
            [...path, key],
            'error',
            ctx.codes.unknown,
            `"${pathName([...path, key])}": "${excerpt(key)}" is not one of the configured languages (${ctx.languages.join(', ')})`,
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
            `"${name}" has no "${lang}" text`,
            `add ${lang}: … under ${name}`,
            true,
          );
          ok = false;
        }
      }
      return ok;
    }
    case 'list': {
      if (!Array.isArray(value)) return wrongType('a list');
      if (spec.minItems !== undefined && value.length < spec.minItems) {
        report(ctx, path, 'error', ctx.codes.missing, `"${name}" needs at least ${spec.minItems} item(s)`);
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
        return wrongType('a mapping of keys');
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
      const where = path.length ? ` in "${pathName(path)}"` : '';
      report(
        ctx,
        [...path, key],
        'error',
        ctx.codes.unknown,
        `unknown key "${excerpt(key)}"${where}`,
        suggestion ? `did you mean "${suggestion}"?` : `known keys: ${known.join(', ')}`,
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
          `"${pathName([...path, key])}" is empty`,
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
      `${unknown - MAX_UNKNOWN_REPORTED} more unknown keys${path.length ? ` in "${pathName(path)}"` : ''}`,
      `known keys: ${known.join(', ')}`,
      path.length > 0,
    );
  for (const [key, field] of Object.entries(fields)) {
    if (field.required && !(key in record)) {
      const where = path.length
        ? `"${pathName(path)}" has no "${key}"`
        : `required field "${key}" is missing`;
      report(
        ctx,
        path,
        'error',
        field.missingCode ?? ctx.codes.missing,
        where,
        field.hint ?? `add ${key}: …`,
        path.length > 0,
      );
      ok = false;
    }
  }
  return ok;
}
