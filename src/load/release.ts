import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { checkSvgAssets } from '../assets/svg.js';
import { ACKNOWLEDGEABLE, type Code, type Diagnostic } from '../errors/index.js';
import { counted, formatNumber, type Message, type Text, textOf } from '../i18n/text.js';
import { languageNameIn } from '../locale/strings.js';
import type { Config } from '../model/config.js';
import type { Contact, DispatchEntry, Edition, Instant, Release } from '../model/release.js';
import {
  formatIsoWithOffset,
  parseCalendarDate,
  parseDateTime,
  resolveLocal,
  type LocalDateTime,
  zoneOffsetMinutes,
} from '../time/zoned.js';
import { checkFields, pathName, type SchemaContext } from '../schema/fields.js';
import { excerpt, type YamlPath } from '../schema/yaml.js';
import { imageProblem } from './assets.js';
import { RELEASE_FOLDER_RE, releaseFiles } from './discover.js';
import { displayPath } from './display-path.js';
import { PRIMARY_FIELDS, TRANSLATION_FIELDS } from './fields.js';
import { splitEdition, type EditionSource } from './front-matter.js';
import { tagSlug } from '../render-web/tag-slug.js';
import { editionPlaceholders } from './placeholders.js';

/** @deprecated Import it from src/load/discover.ts. */
export { RELEASE_FOLDER_RE };
/** @deprecated Import it from src/load/assets.ts. */
export { imageProblem };

export interface LoadedRelease {
  /** Absent when errors prevent building a model. */
  release?: Release;
  diagnostics: Diagnostic[];
  /** Each edition's markdown body, even when its front matter has errors, for body checks. */
  bodies: EditionBody[];
  /** Warning codes the release acknowledges (`acknowledge:` in any edition), read even when it has errors. */
  acknowledged: Code[];
  /** Where the primary edition's `date` is written, for later checks that need `now`. */
  dateAt?: { line: number; column: number };
}

export interface EditionBody {
  lang: string;
  file: string;
  body: string;
  bodyLine: number;
  /** Prose from the front matter (title, subtitle, summary, image alt), located at its first character. */
  prose: Array<{ text: string; line: number; column: number }>;
}

/**
 * Reads one release folder and validates it against the release format, collecting every
 * problem. I/O is limited to reading the folder; the rest is pure.
 */
export function loadRelease(dirAbs: string, config: Config): LoadedRelease {
  const dir = displayPath(config.root, dirAbs);
  const id = basename(dirAbs);
  const diagnostics: Diagnostic[] = [];
  const add = (
    file: string,
    line: number,
    column: number,
    code: Code,
    message: Message,
    hint?: Message,
    severity: 'error' | 'warning' = 'error',
  ) => diagnostics.push({ file, line, column, severity, code, message, ...(hint ? { hint } : {}) });

  const folderMatch = RELEASE_FOLDER_RE.exec(id);
  const primaryLang = config.languages[0]!;
  const primaryFile = `${dir}/${primaryLang}.md`;
  if (!folderMatch || !parseCalendarDate(folderMatch[1]!)) {
    add(
      primaryFile,
      1,
      1,
      'AIMQ-FOLDER-NAME',
      {
        fr: `le dossier de communiqué "${id}" n’est pas nommé <aaaa-mm-jj>-<slug> avec une vraie date`,
        en: `release folder "${id}" is not named <yyyy-mm-dd>-<slug> with a real date`,
      },
      folderHint(id),
    );
  }

  const files = releaseFiles(dirAbs);
  for (const rel of files.outside) {
    add(
      `${dir}/${rel}`,
      1,
      1,
      'AIMQ-OUTSIDE-RELEASE',
      {
        fr: `${rel} est un lien symbolique vers un élément hors du dossier du communiqué (ou vers rien)\u00a0; aimq ne le lit pas`,
        en: `${rel} is a symbolic link to something outside the release folder (or to nothing); aimq does not read it`,
      },
      {
        fr: 'copiez le fichier lui-même dans le dossier du communiqué, ou supprimez le lien',
        en: 'copy the file itself into the release folder, or remove the link',
      },
    );
  }
  // Assets are checked whatever the editions hold: every problem in one pass.
  diagnostics.push(...checkSvgAssets(dirAbs, dir));
  const sources: EditionSource[] = [];
  for (const name of files.editions) {
    const lang = name.slice(0, -3);
    const file = `${dir}/${name}`;
    if (!config.languages.includes(lang)) {
      add(
        file,
        1,
        1,
        'AIMQ-LANGUAGE-UNKNOWN',
        {
          fr: `"${name}" n’est pas une édition\u00a0: les langues configurées sont ${config.languages.join(', ')}`,
          en: `"${name}" is not an edition: the configured languages are ${config.languages.join(', ')}`,
        },
        {
          fr: `renommez-le (${config.languages.map((l) => `${l}.md`).join(', ')}), ou ajoutez sa langue à "languages" dans la configuration`,
          en: `rename it to one of ${config.languages.map((l) => `${l}.md`).join(', ')}, or add its language to "languages" in the config`,
        },
        'warning',
      );
      continue;
    }
    const text = readFileSync(join(dirAbs, name), 'utf8');
    sources.push(splitEdition(lang, file, text, diagnostics));
  }
  sources.sort((a, b) => config.languages.indexOf(a.lang) - config.languages.indexOf(b.lang));

  const primary = sources.find((s) => s.lang === primaryLang);
  if (!primary) {
    add(
      primaryFile,
      1,
      1,
      'AIMQ-PRIMARY-MISSING',
      textOf((l) =>
        l === 'fr'
          ? `le communiqué n’a pas d’édition en ${languageNameIn(primaryLang, l)}\u00a0: ${primaryFile} est absent`
          : `the release has no ${languageNameIn(primaryLang, l)} edition: ${primaryFile} is missing`,
      ),
      textOf((l) =>
        l === 'fr'
          ? `rédigez d’abord l’édition en ${languageNameIn(primaryLang, l)}\u00a0; les traductions sont facultatives`
          : `write the ${languageNameIn(primaryLang, l)} edition first; translations are optional`,
      ),
    );
  }
  if (
    config.frenchCharter &&
    primaryLang !== 'fr' &&
    config.languages.includes('fr') &&
    !sources.some((s) => s.lang === 'fr')
  ) {
    add(
      `${dir}/fr.md`,
      1,
      1,
      'AIMQ-PRIMARY-MISSING',
      {
        fr: 'le communiqué n’a pas d’édition en français, ce qu’exige la Charte de la langue française',
        en: 'the release has no French edition, which the Charter of the French language requires',
      },
      {
        fr: 'ajoutez fr.md, ou mettez `frenchCharter: false` dans la configuration si la Charte ne s’applique pas à l’organisme',
        en: 'add fr.md, or set frenchCharter: false in the config if the Charter does not apply to the organisation',
      },
    );
  }

  for (const s of sources) {
    if (!s.source || !s.data) continue;
    const ctx = schemaContext(s, config, diagnostics);
    s.valid = checkFields(ctx, s === primary ? PRIMARY_FIELDS : TRANSLATION_FIELDS, s.data, []);
    if (s.body.trim() === '')
      add(
        s.file,
        s.bodyLine,
        1,
        'AIMQ-EMPTY-BODY',
        textOf((l) =>
          l === 'fr'
            ? `l’édition en ${languageNameIn(s.lang, l)} n’a pas de texte après son en-tête`
            : `the ${languageNameIn(s.lang, l)} edition has no text after its front matter`,
        ),
        {
          fr: 'rédigez le corps du communiqué sous la ligne --- qui ferme l’en-tête',
          en: 'write the body of the release below the closing ---',
        },
      );
    if (primary?.data && s !== primary) checkInherited(primary, s, diagnostics);
  }
  if (!primary?.valid)
    return { diagnostics, bodies: bodiesOf(sources), acknowledged: acknowledgedBy(sources) };

  const p = primary.data!;
  // A date-time's calendar day is the one written, at its own offset: never converted.
  const calendarDay = String(p.date).slice(0, 10);
  if (folderMatch && folderMatch[1] !== calendarDay) {
    const pos = primary.source!.locate(['date']);
    add(
      primary.file,
      pos.line,
      pos.column,
      'AIMQ-DATE-MISMATCH',
      {
        fr: `le dossier est daté du ${folderMatch[1]}, mais "date" est ${calendarDay}`,
        en: `the folder is dated ${folderMatch[1]} but "date" is ${calendarDay}`,
      },
      { fr: 'renommez le dossier ou corrigez la date', en: 'rename the folder or correct the date' },
      'warning',
    );
  }
  const embargo =
    p.embargo === undefined
      ? undefined
      : resolveInstant(String(p.embargo), config.timeZone, primary, ['embargo'], diagnostics);
  const published = resolveInstant(String(p.date), config.timeZone, primary, ['date'], diagnostics);
  const contacts = (p.contacts as Record<string, unknown>[]).map(toContact);
  const dispatch = (Array.isArray(p.dispatch) ? (p.dispatch as Record<string, unknown>[]) : []).flatMap(
    (entry, i): DispatchEntry[] => {
      const at = resolveInstant(
        String(entry.at),
        config.timeZone,
        primary,
        ['dispatch', i, 'at'],
        diagnostics,
      );
      if (!at) return [];
      const to = (Array.isArray(entry.to) ? entry.to : [entry.to]).map((t) => String(t).trim());
      return [
        {
          at,
          to,
          edition: typeof entry.edition === 'string' ? entry.edition : 'auto',
          file: primary.file,
          line: primary.source!.locate(['dispatch', i]).line,
        },
      ];
    },
  );
  const image = p.image as { src: string; alt: string } | undefined;
  if (image) checkImageFile(dirAbs, image.src, primary, diagnostics);

  const editions: Edition[] = [editionOf(primary, id, contacts, image)];
  for (const t of sources) {
    if (t === primary || !t.valid) continue;
    const d = t.data!;
    const translatedContacts = contacts.map((c, i) => {
      const role = (d.contacts as Record<string, unknown>[] | undefined)?.[i]?.role;
      const { role: _primaryRole, ...rest } = c;
      return typeof role === 'string' ? { ...rest, role } : rest;
    });
    let tImage: { src: string; alt: string } | undefined;
    const ti = d.image as { alt?: string } | undefined;
    if (image) {
      if (!ti?.alt) {
        const pos = t.source!.locateKey(ti ? ['image'] : []);
        add(
          t.file,
          pos.line,
          pos.column,
          'AIMQ-IMAGE-ALT',
          textOf((l) =>
            l === 'fr'
              ? `l’image n’a pas de texte de remplacement dans l’édition en ${languageNameIn(t.lang, l)}`
              : `the image has no alternative text in the ${languageNameIn(t.lang, l)} edition`,
          ),
          textOf((l) =>
            l === 'fr'
              ? `ajoutez \`image: { alt: … }\` avec une description en ${languageNameIn(t.lang, l)}`
              : `add image: { alt: … } with a description in ${languageNameIn(t.lang, l)}`,
          ),
        );
      } else tImage = { src: image.src, alt: ti.alt };
    } else if (ti) {
      const pos = t.source!.locateKey(['image']);
      add(
        t.file,
        pos.line,
        pos.column,
        'AIMQ-TRANSLATION-MISMATCH',
        {
          fr: `la traduction a une image, mais ${primary.file} n’en a pas`,
          en: `the translation has an image but ${primary.file} has none`,
        },
        {
          fr: `ajoutez l’image à ${primary.file}\u00a0; une traduction n’en donne que le texte de remplacement`,
          en: `add the image to ${primary.file}; a translation only gives its alt text`,
        },
      );
    }
    if (typeof d.place !== 'string' || d.place.trim() === '') {
      const pos = t.source!.locateKey(['title']);
      add(
        t.file,
        pos.line,
        pos.column,
        'AIMQ-PLACE-MISSING',
        textOf((l) =>
          l === 'fr'
            ? `l’édition en ${languageNameIn(t.lang, l)} n’a pas de lieu\u00a0: sa ligne de date reprend "${String(p.place).trim()}" de ${primary.file}`
            : `the ${languageNameIn(t.lang, l)} edition has no place: its dateline uses "${String(p.place).trim()}" from ${primary.file}`,
        ),
        textOf((l) =>
          l === 'fr'
            ? `ajoutez \`place: <la ville de la ligne de date en ${languageNameIn(t.lang, l)}>\` à ${t.file}, même si elle s’écrit de la même façon`
            : `add place: <the dateline city in ${languageNameIn(t.lang, l)}> to ${t.file}, even when it is spelled the same`,
        ),
        'warning',
      );
    }
    editions.push(editionOf(t, typeof d.slug === 'string' ? d.slug : id, translatedContacts, tImage));
  }
  if (diagnostics.some((d) => d.severity === 'error'))
    return { diagnostics, bodies: bodiesOf(sources), acknowledged: acknowledgedBy(sources) };

  const release: Release = {
    id,
    dir,
    date: parseCalendarDate(calendarDay)!,
    published: published!,
    ...(embargo ? { embargo } : {}),
    tags: Array.isArray(p.tags) ? p.tags.map(String) : [],
    editions,
    dispatch,
    acknowledged: acknowledgedBy(sources),
    placeholders: sources.flatMap((src) =>
      src.valid
        ? editionPlaceholders(
            src.data!,
            src.source!,
            src.file,
            { text: src.body, line: src.bodyLine },
            websiteHost(config),
          )
        : [],
    ),
  };
  return {
    release,
    diagnostics,
    bodies: bodiesOf(sources),
    acknowledged: release.acknowledged ?? [],
    dateAt: primary.source!.locate(['date']),
  };
}

function acknowledgedBy(sources: readonly EditionSource[]): Code[] {
  const codes = new Set<Code>();
  for (const s of sources) {
    const list = s.data?.acknowledge;
    if (Array.isArray(list))
      for (const c of list) if ((ACKNOWLEDGEABLE as readonly unknown[]).includes(c)) codes.add(c as Code);
  }
  return [...codes].sort();
}

const PROSE_FIELDS: readonly YamlPath[] = [['title'], ['subtitle'], ['summary'], ['image', 'alt']];

function bodiesOf(sources: EditionSource[]): EditionBody[] {
  return sources.map(({ lang, file, body, bodyLine, source, data }) => ({
    lang,
    file,
    body,
    bodyLine,
    prose: PROSE_FIELDS.flatMap((path) => {
      const value = path.reduce<unknown>(
        (v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined),
        data,
      );
      if (typeof value !== 'string' || !source) return [];
      const pos = source.locate(path);
      return [{ text: value, line: pos.line, column: pos.column }];
    }),
  }));
}

function websiteHost(config: Config): string | undefined {
  try {
    return config.organization.website ? new URL(config.organization.website).hostname : undefined;
  } catch {
    return undefined;
  }
}

/** A value as JSON, shortened: a message never repeats a huge value. */
function quote(value: unknown): string {
  return excerpt(JSON.stringify(value) ?? 'null', 62);
}

function schemaContext(s: EditionSource, config: Config, diagnostics: Diagnostic[]): SchemaContext {
  return {
    source: s.source!,
    file: s.file,
    codes: {
      missing: 'AIMQ-FIELD-MISSING',
      type: 'AIMQ-FIELD-TYPE',
      unknown: 'AIMQ-FIELD-UNKNOWN',
      date: 'AIMQ-DATE',
      email: 'AIMQ-EMAIL',
      phone: 'AIMQ-PHONE',
    },
    languages: config.languages,
    diagnostics,
  };
}

/**
 * How to rename a release folder: its own name made valid when it starts with a real date
 * (`2026-12-01-Été à l’école` → `2026-12-01-ete-a-l-ecole`), else a generic example.
 */
function folderHint(id: string): Text {
  const m = /^(\d{4}-\d{2}-\d{2})-(.+)$/.exec(id);
  // Without a Latin letter or digit, tagSlug gives a digest (t-6146299c): no own name then.
  const slug = m && /[a-z0-9]/i.test(m[2]!.normalize('NFKD')) ? tagSlug(m[2]!) : '';
  if (m && parseCalendarDate(m[1]!) && /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(slug)) {
    const name = `${m[1]}-${slug}`;
    return {
      fr: `renommez-le ${name} (lettres minuscules sans accents, chiffres et traits d’union)`,
      en: `rename it ${name} (lower-case letters without accents, digits and hyphens)`,
    };
  }
  return {
    fr: 'renommez-le, par exemple 2026-12-01-nouvelle-presidente (lettres minuscules, chiffres et traits d’union)',
    en: 'rename it, e.g. 2026-12-01-new-president (lower-case letters, digits and hyphens)',
  };
}

/** A date or date-time as an instant: an offset if written, else the config's time zone. */
function resolveInstant(
  text: string,
  timeZone: string,
  s: EditionSource,
  path: YamlPath,
  diagnostics: Diagnostic[],
): Instant | undefined {
  const dt = parseDateTime(text);
  let local: LocalDateTime;
  if (dt.ok) {
    if (dt.offsetMinutes !== undefined) {
      const l = dt.local;
      return {
        iso: text,
        epoch: Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second) - dt.offsetMinutes * 60_000,
      };
    }
    local = dt.local;
  } else {
    const d = parseCalendarDate(text)!;
    local = { ...d, hour: 0, minute: 0, second: 0 };
  }
  const r = resolveLocal(local, timeZone);
  if (r.kind === 'exact') return { iso: formatIsoWithOffset(r.epoch, timeZone), epoch: r.epoch };
  const pos = s.source!.locate(path);
  diagnostics.push({
    file: s.file,
    line: pos.line,
    column: pos.column,
    severity: 'error',
    code: 'AIMQ-DATE',
    message:
      r.kind === 'gap'
        ? {
            fr: `"${pathName(path)}"\u00a0: ${text} n’existe pas dans le fuseau ${timeZone} (les horloges sautent cette heure-là)`,
            en: `"${pathName(path)}": ${text} does not exist in ${timeZone} (the clocks skip that hour)`,
          }
        : {
            fr: `"${pathName(path)}"\u00a0: ${text} arrive deux fois dans le fuseau ${timeZone} (les horloges reculent d’une heure)`,
            en: `"${pathName(path)}": ${text} happens twice in ${timeZone} (the clocks fall back)`,
          },
    hint: zonedHint(r, local, timeZone),
  });
  return undefined;
}

/**
 * What to write instead, worked out for the zone and the day: the two readings of a time
 * that happens twice, or the instant a skipped time would be with the offset before the
 * change. (A fixed example, 2026-11-01T01:30:00-04:00, was Montréal's offset whatever the
 * zone, and an autumn date for a spring gap.)
 */
function zonedHint(
  r: { kind: 'gap' } | { kind: 'ambiguous'; earlier: number; later: number },
  local: LocalDateTime,
  timeZone: string,
): Text {
  if (r.kind === 'ambiguous') {
    const first = formatIsoWithOffset(r.earlier, timeZone);
    const second = formatIsoWithOffset(r.later, timeZone);
    return {
      fr: `écrivez l’heure avec son décalage\u00a0: ${first} (la première fois) ou ${second} (la seconde)`,
      en: `write the time with its offset: ${first} (the first time) or ${second} (the second)`,
    };
  }
  const wall = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
  const same = formatIsoWithOffset(wall - zoneOffsetMinutes(wall - 86_400_000, timeZone) * 60_000, timeZone);
  return {
    fr: `écrivez une heure qui existe, par exemple ${same}, ou l’heure avec son décalage`,
    en: `write a time that exists, e.g. ${same}, or the time with its offset`,
  };
}

function toContact(raw: Record<string, unknown>): Contact {
  return {
    name: String(raw.name).trim(),
    ...(raw.role !== undefined ? { role: String(raw.role).trim() } : {}),
    email: String(raw.email).trim(),
    ...(raw.phone !== undefined ? { phone: String(raw.phone).trim() } : {}),
    kind: raw.kind === 'information' ? 'information' : 'source',
  };
}

function editionOf(
  s: EditionSource,
  slug: string,
  contacts: Contact[],
  image: { src: string; alt: string } | undefined,
): Edition {
  const d = s.data!;
  const str = (k: string) =>
    typeof d[k] === 'string' || typeof d[k] === 'number' ? String(d[k]).trim() : undefined;
  return {
    lang: s.lang,
    file: s.file,
    title: str('title')!,
    ...(str('subtitle') ? { subtitle: str('subtitle')! } : {}),
    ...(str('summary') ? { summary: str('summary')! } : {}),
    place: str('place') ?? '',
    slug,
    contacts,
    ...(image ? { image: { src: image.src, alt: String(image.alt).trim() } } : {}),
    body: s.body,
    bodyLine: s.bodyLine,
  };
}

function checkImageFile(dirAbs: string, src: string, s: EditionSource, diagnostics: Diagnostic[]): void {
  const problem = imageProblem(dirAbs, src);
  if (!problem) return;
  const pos = s.source!.locate(['image', 'src']);
  diagnostics.push({
    file: s.file,
    line: pos.line,
    column: pos.column,
    severity: 'error',
    code: 'AIMQ-IMAGE-MISSING',
    message: problem.message,
    hint: problem.hint,
  });
}

const CONTACTS = {
  fr: ['personne-ressource', 'personnes-ressources'] as [string, string],
  en: ['contact', 'contacts'] as [string, string],
};

/**
 * Two date-times with offsets that name the same instant (`2026-12-01T23:30:00-08:00` and
 * `2026-12-02T07:30:00Z`): the same value, written in another zone.
 */
function sameInstant(a: unknown, b: unknown): boolean {
  const epoch = (v: unknown): number | undefined => {
    const dt = parseDateTime(String(v));
    if (!dt.ok || dt.offsetMinutes === undefined) return undefined;
    const l = dt.local;
    return Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second) - dt.offsetMinutes * 60_000;
  };
  const x = epoch(a);
  return x !== undefined && x === epoch(b);
}

/** A translation may repeat inherited fields only with the primary's values. */
function checkInherited(primary: EditionSource, t: EditionSource, diagnostics: Diagnostic[]): void {
  const p = primary.data!;
  const d = t.data!;
  const mismatch = (path: YamlPath, mine: unknown, theirs: unknown) => {
    const pos = t.source!.locate(path);
    const ppos = primary.source!.locate(path);
    const there = `${primary.file}:${ppos.line}`;
    const name = pathName(path);
    // Missing from the primary edition: removing it here would lose it (and "null" said nothing).
    const absent = theirs === undefined || theirs === null;
    diagnostics.push({
      file: t.file,
      line: pos.line,
      column: pos.column,
      severity: 'error',
      code: 'AIMQ-TRANSLATION-MISMATCH',
      message: absent
        ? {
            fr: `"${name}" vaut ${quote(mine)} ici, mais ${primary.file} n’en a pas`,
            en: `"${name}" is ${quote(mine)} here but ${primary.file} has none`,
          }
        : {
            fr: `"${name}" vaut ${quote(mine)} ici, mais ${quote(theirs)} dans ${there}`,
            en: `"${name}" is ${quote(mine)} here but ${quote(theirs)} in ${there}`,
          },
      hint: absent
        ? {
            fr: `écrivez "${name}" dans ${primary.file}, l’édition principale, et retirez-le de ${t.file}\u00a0: une traduction en hérite`,
            en: `write "${name}" in ${primary.file}, the primary edition, and remove it from ${t.file}: a translation inherits it`,
          }
        : {
            fr: `retirez "${name}" de ${t.file}\u00a0: une traduction en hérite de ${primary.file}`,
            en: `remove "${name}" from ${t.file}: a translation inherits it from ${primary.file}`,
          },
    });
  };
  for (const key of ['date', 'embargo'] as const) {
    if (d[key] !== undefined && String(d[key]) !== String(p[key]) && !sameInstant(d[key], p[key]))
      mismatch([key], d[key], p[key]);
  }
  if (d.tags !== undefined && JSON.stringify(d.tags) !== JSON.stringify(p.tags ?? []))
    mismatch(['tags'], d.tags, p.tags);
  const pi = (typeof p.image === 'object' ? p.image : undefined) as Record<string, unknown> | undefined;
  const ti = (typeof d.image === 'object' ? d.image : undefined) as Record<string, unknown> | undefined;
  if (ti?.src !== undefined && ti.src !== pi?.src) mismatch(['image', 'src'], ti.src, pi?.src);
  const pc = (Array.isArray(p.contacts) ? p.contacts : []) as Record<string, unknown>[];
  const tc = (Array.isArray(d.contacts) ? d.contacts : []) as Record<string, unknown>[];
  if (tc.length > pc.length) {
    const pos = t.source!.locate(['contacts', pc.length]);
    diagnostics.push({
      file: t.file,
      line: pos.line,
      column: pos.column,
      severity: 'error',
      code: 'AIMQ-CONTACT',
      message: {
        fr: `la traduction compte ${counted(tc.length, CONTACTS).fr}, mais ${primary.file} en compte ${formatNumber(pc.length, 'fr')}`,
        en: `the translation lists ${counted(tc.length, CONTACTS).en} but ${primary.file} has ${pc.length}`,
      },
      hint: {
        fr: `énumérez les personnes-ressources dans ${primary.file}\u00a0; une traduction ne donne que leur fonction, dans le même ordre`,
        en: `list the contacts in ${primary.file}; a translation only gives their roles, in the same order`,
      },
    });
  }
  tc.forEach((c, i) => {
    const other = pc[i];
    if (!other || typeof c !== 'object' || c === null) return;
    for (const key of ['name', 'email', 'phone', 'kind'] as const) {
      if (
        c[key] !== undefined &&
        String(c[key]).trim() !== String(other[key] ?? (key === 'kind' ? 'source' : '')).trim()
      )
        mismatch(['contacts', i, key], c[key], other[key]);
    }
  });
}
