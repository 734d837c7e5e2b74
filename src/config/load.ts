import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { AimqError, AimqProblems, type Diagnostic } from '../errors/index.js';
import type { FrenchProfile } from '../markdown/typography.js';
import type {
  Config,
  EmailConfig,
  InboxConfig,
  Localized,
  NewsroomConfig,
  PdfPageSize,
} from '../model/config.js';
import { configPlaceholders } from '../load/placeholders.js';
import { parseYaml } from '../schema/yaml.js';
import { parseDuration } from '../time/duration.js';
import { isValidTimeZone } from '../time/zoned.js';
import { checkFields, report, type SchemaContext } from '../schema/fields.js';
import { parseMailbox } from '../schema/formats.js';
import { CONFIG_FIELDS, SUPPORTED_LANGUAGES } from './schema.js';

export const CONFIG_FILE = 'aimq.config.yaml';

/** The project folder: `start` or the nearest ancestor holding aimq.config.yaml, as git finds its repository. */
export function findProjectRoot(start: string): string | undefined {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, CONFIG_FILE))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * Reads and validates the project's config. Throws AimqError / AimqProblems (exit 2).
 * Its problems name it `aimq.config.yaml`, from the project folder, like every release file
 * (`releases/…/fr.md`), whichever of the project's folders the command runs from. (`_cwd`
 * is kept for the callers that pass it.)
 */
export function loadConfig(start: string, _cwd: string = start): Config {
  const root = findProjectRoot(start);
  if (!root) {
    throw new AimqError(
      'AIMQ-CONFIG-MISSING',
      {
        fr: `aucun ${CONFIG_FILE} dans ${resolve(start)} ni dans un dossier parent`,
        en: `no ${CONFIG_FILE} in ${resolve(start)} or any folder above it`,
      },
      {
        hint: {
          fr: 'lancez "aimq init" pour créer un projet ici, ou utilisez -C <dossier> pour en désigner un',
          en: 'run "aimq init" to create a project here, or use -C <dir> to point at one',
        },
      },
    );
  }
  const path = join(root, CONFIG_FILE);
  return parseConfig(readFileSync(path, 'utf8'), { root, file: CONFIG_FILE });
}

/** Pure: validates config text. `file` is how the file is named in messages. */
export function parseConfig(text: string, where: { root: string; file: string }): Config {
  const source = parseYaml(text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n'));
  const diagnostics: Diagnostic[] = source.errors.map((e) => ({
    file: where.file,
    line: e.line,
    column: e.column,
    severity: 'error',
    code: 'AIMQ-CONFIG-YAML',
    message: e.message,
    hint: e.hint ?? {
      fr: 'vérifiez l’indentation et mettez entre guillemets les valeurs qui contiennent ": " ou commencent par un caractère spécial',
      en: 'check the indentation and quote values that contain ": " or start with a special character',
    },
  }));
  if (diagnostics.length) throw new AimqProblems(diagnostics);
  const data = source.data;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new AimqError(
      'AIMQ-CONFIG-FIELD',
      {
        fr: `${where.file} doit être un ensemble de réglages (\`clé: valeur\`)`,
        en: `${where.file} must be a mapping of settings`,
      },
      {
        file: where.file,
        line: 1,
        column: 1,
        hint: { fr: 'voyez le README pour un exemple', en: 'see the README for an example' },
      },
    );
  }
  const record = data as Record<string, unknown>;
  const rawLanguages = Array.isArray(record.languages)
    ? record.languages.filter((l): l is string => typeof l === 'string')
    : ['fr', 'en'];
  const ctx: SchemaContext = {
    source,
    file: where.file,
    codes: {
      missing: 'AIMQ-CONFIG-FIELD',
      type: 'AIMQ-CONFIG-FIELD',
      unknown: 'AIMQ-CONFIG-UNKNOWN',
      date: 'AIMQ-CONFIG-FIELD',
      email: 'AIMQ-CONFIG-FIELD',
      phone: 'AIMQ-CONFIG-FIELD',
    },
    languages: rawLanguages.filter((l) => (SUPPORTED_LANGUAGES as readonly string[]).includes(l)),
    diagnostics: [],
  };
  checkFields(ctx, CONFIG_FIELDS, record, []);
  if (new Set(rawLanguages).size !== rawLanguages.length)
    report(ctx, ['languages'], 'error', 'AIMQ-CONFIG-FIELD', {
      fr: '"languages" nomme deux fois la même langue',
      en: '"languages" lists a language twice',
    });
  const timeZone = typeof record.timeZone === 'string' ? record.timeZone : 'America/Toronto';
  if (!isValidTimeZone(timeZone))
    report(
      ctx,
      ['timeZone'],
      'error',
      'AIMQ-CONFIG-FIELD',
      {
        fr: `"timeZone"\u00a0: "${timeZone}" n’est pas un fuseau horaire IANA`,
        en: `"timeZone": "${timeZone}" is not an IANA time zone`,
      },
      { fr: 'Montréal, c’est America/Toronto', en: 'Montréal is America/Toronto' },
    );
  // Every page, feed and sitemap URL is baseUrl + "/fr/…": a query or a fragment would end
  // up in the middle of each (https://x.org/?a=1/fr/…).
  if (typeof record.baseUrl === 'string' && /[?#]/.test(record.baseUrl))
    report(
      ctx,
      ['baseUrl'],
      'error',
      'AIMQ-CONFIG-FIELD',
      {
        fr: `"baseUrl" ne peut pas contenir de point d’interrogation (?) ni de croisillon (#)\u00a0: les adresses des pages s’écrivent à sa suite`,
        en: `"baseUrl" cannot have a ? or a #: the pages' addresses are written after it`,
      },
      {
        fr: 'donnez le dossier où le site est servi, p. ex. https://www.example.org/communiques',
        en: 'give the folder where the site is served, e.g. https://www.example.org/communiques',
      },
    );
  if (ctx.diagnostics.length) throw new AimqProblems(ctx.diagnostics);

  const org = record.organization as Record<string, unknown>;
  const languages = rawLanguages;
  const typography = (record.typography ?? {}) as { fr?: FrenchProfile };
  const frenchCharter = record.frenchCharter === undefined ? true : Boolean(record.frenchCharter);
  const config: Config = {
    root: where.root,
    file: where.file,
    organization: {
      name: localize(org.name, languages),
      shortName: String(org.shortName),
      ...(typeof org.website === 'string' ? { website: org.website } : {}),
      ...(typeof org.postalAddress === 'string' ? { postalAddress: org.postalAddress.trim() } : {}),
      boilerplate: localize(org.boilerplate, languages),
    },
    languages,
    timeZone,
    baseUrl: baseUrlOf(String(record.baseUrl)),
    typography: { fr: typography.fr ?? 'oqlf' },
    frenchCharter,
    ...(record.email ? { email: emailConfig(record.email as Record<string, unknown>, languages) } : {}),
    ...(record.newsroom
      ? { newsroom: newsroomConfig(record.newsroom as Record<string, unknown>, languages) }
      : {}),
    ...(record.smtp ? { smtp: smtpConfig(record.smtp as Record<string, unknown>) } : {}),
    ...(record.inbox ? { inbox: inboxConfig(record.inbox as Record<string, unknown>) } : {}),
    // A PostgreSQL URL is kept as it is; a path is the SQLite file, relative to the project.
    outbox:
      typeof record.outbox === 'string' && /^postgres(ql)?:\/\//i.test(record.outbox)
        ? record.outbox
        : resolve(
            where.root,
            typeof record.outbox === 'string' ? record.outbox : join('.aimq', 'outbox.sqlite'),
          ),
    pdf: {
      pageSize: (record.pdf as { pageSize?: PdfPageSize } | undefined)?.pageSize ?? 'letter',
      build: (record.pdf as { build?: boolean } | undefined)?.build === true,
    },
    placeholders: configPlaceholders(record, source, where.file),
    maxDelayMs: parseDuration(
      String((record.dispatch as { maxDelay?: string } | undefined)?.maxDelay ?? '24h'),
    )!,
  };
  return config;
}

function newsroomConfig(raw: Record<string, unknown>, languages: readonly string[]): NewsroomConfig {
  return {
    pageSize: raw.pageSize === undefined ? 20 : Number(String(raw.pageSize).trim()),
    tags: Array.isArray(raw.tags) ? raw.tags.map((t) => localize(t, languages)) : [],
  };
}

function smtpConfig(raw: Record<string, unknown>): NonNullable<Config['smtp']> {
  const secure = raw.secure === true;
  return {
    host: String(raw.host).trim(),
    port: typeof raw.port === 'number' ? raw.port : secure ? 465 : 587,
    secure,
    ...(typeof raw.user === 'string' ? { user: raw.user.trim() } : {}),
  };
}

function inboxConfig(raw: Record<string, unknown>): InboxConfig {
  const secure = raw.secure === true;
  const soft = (raw.softBounces ?? {}) as { count?: number; days?: number };
  return {
    ...(typeof raw.host === 'string' ? { host: raw.host.trim() } : {}),
    port: typeof raw.port === 'number' ? raw.port : secure ? 993 : 143,
    secure,
    ...(typeof raw.user === 'string' ? { user: raw.user.trim() } : {}),
    folder: typeof raw.folder === 'string' && raw.folder.trim() ? raw.folder.trim() : 'INBOX',
    processedFolder:
      typeof raw.processedFolder === 'string' && raw.processedFolder.trim()
        ? raw.processedFolder.trim()
        : 'aimq-processed',
    softBounces: { count: soft.count ?? 3, days: soft.days ?? 15 },
  };
}

function emailConfig(raw: Record<string, unknown>, languages: readonly string[]): EmailConfig {
  const unsubscribe = raw.unsubscribe as { mailto: string; url?: string };
  const dkim = raw.dkim as Record<string, string> | undefined;
  return {
    from: parseMailbox(String(raw.from))!,
    ...(raw.replyTo ? { replyTo: parseMailbox(String(raw.replyTo))! } : {}),
    ...(raw.subjectPrefix ? { subjectPrefix: String(raw.subjectPrefix).trim() } : {}),
    unsubscribe: { mailto: unsubscribe.mailto.trim(), ...(unsubscribe.url ? { url: unsubscribe.url } : {}) },
    ...(raw.reason ? { reason: localize(raw.reason, languages) } : {}),
    ...(raw.logo ? { logo: String(raw.logo) } : {}),
    accentColor: typeof raw.accentColor === 'string' ? raw.accentColor : '#0b4f8a',
    ...(dkim
      ? {
          dkim: {
            domainName: dkim.domainName!,
            keySelector: dkim.keySelector!,
            ...(dkim.privateKeyFile ? { privateKeyFile: dkim.privateKeyFile } : {}),
            privateKeyEnv: dkim.privateKeyEnv ?? 'AIMQ_DKIM_PRIVATE_KEY',
          },
        }
      : {}),
  };
}

function localize(value: unknown, languages: readonly string[]): Localized {
  if (typeof value === 'string') return Object.fromEntries(languages.map((l) => [l, value.trim()]));
  const record = value as Record<string, string>;
  return Object.fromEntries(languages.map((l) => [l, String(record[l]).trim()]));
}

/**
 * The base URL as the URL parser writes it, without a final slash: accents in the path
 * percent-encoded and an internationalised domain in punycode, as a sitemap's <loc> and an
 * Atom id must be (https://exemple.ca/communiqués → …/communiqu%C3%A9s).
 */
function baseUrlOf(raw: string): string {
  let href = raw.trim();
  try {
    href = new URL(href).href;
  } catch {
    // Checked by the schema already: kept as written.
  }
  return href.replace(/\/+$/, '');
}
