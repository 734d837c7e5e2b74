import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadConfig } from '../../config/load.js';
import { AimqError, EXIT } from '../../errors/index.js';
import { RELEASE_FOLDER_RE } from '../../load/discover.js';
import { loadRelease } from '../../load/release.js';
import type { Contact } from '../../model/release.js';
import { newReleaseFiles } from '../../project/scaffold.js';
import { tagSlug } from '../../render-web/tag-slug.js';
import { formatCalendarDate, parseCalendarDate, toLocal } from '../../time/zoned.js';
import type { Io } from '../main.js';

/** `aimq release new <slug>`: a release folder whose editions are ready to write. */
export function newReleaseCommand(io: Io, slug: string, opts: { date?: string; place?: string }): number {
  const config = loadConfig(io.cwd, io.cwd);
  if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(slug)) {
    throw new AimqError(
      'AIMQ-USAGE',
      {
        fr: `«\u00a0${slug}\u00a0» n’est pas un nom court (slug) valide`,
        en: `"${slug}" is not a valid slug`,
      },
      {
        hint: {
          fr: `utilisez des minuscules, des chiffres et des traits d’union, sans accents, par exemple ${slugExample(slug)}`,
          en: `use lower-case letters, digits and hyphens, without accents, e.g. ${slugExample(slug)}`,
        },
      },
    );
  }
  if (opts.date !== undefined && !parseCalendarDate(opts.date)) {
    throw new AimqError(
      'AIMQ-USAGE',
      {
        fr: `--date\u00a0: «\u00a0${opts.date}\u00a0» n’est pas une date qui existe (AAAA-MM-JJ)`,
        en: `--date: "${opts.date}" is not a date that exists (YYYY-MM-DD)`,
      },
      { hint: { fr: 'par exemple --date 2026-12-01', en: 'for example --date 2026-12-01' } },
    );
  }
  const date = opts.date ?? formatCalendarDate(toLocal(Date.now(), config.timeZone));
  const releasesDir = join(config.root, 'releases');
  const dir = join(releasesDir, `${date}-${slug}`);
  const shown = relative(io.cwd, dir) || '.';
  if (existsSync(dir))
    throw new AimqError(
      'AIMQ-EXISTS',
      { fr: `${shown} existe déjà`, en: `${shown} already exists` },
      {
        file: shown,
        hint: { fr: 'choisissez un autre nom court ou une autre date', en: 'choose another slug or date' },
      },
    );

  // The newest valid release gives the usual dateline city and contacts.
  const previous = existsSync(releasesDir)
    ? readdirSync(releasesDir)
        .filter((n) => RELEASE_FOLDER_RE.test(n))
        .sort()
        .reverse()
        .map((n) => loadRelease(join(releasesDir, n), config).release)
        .find((r) => r !== undefined)
    : undefined;
  const place = opts.place ?? previous?.editions[0]?.place;
  if (!place)
    throw new AimqError(
      'AIMQ-USAGE',
      {
        fr: 'la ville de la ligne de date est inconnue\u00a0: c’est le premier communiqué',
        en: 'the dateline city is unknown: this is the first release',
      },
      {
        hint: {
          fr: 'ajoutez --place, par exemple --place Montréal',
          en: 'add --place, e.g. --place Montréal',
        },
      },
    );
  const contacts: Contact[] = previous?.editions[0]?.contacts ?? [
    {
      name: 'Prénom Nom',
      role: 'conseillère en communication',
      email: placeholderEmail(config.organization.website),
      kind: 'source',
    },
  ];

  mkdirSync(dir, { recursive: true });
  const translatedRoles = Object.fromEntries(
    (previous?.editions.slice(1) ?? []).map((e) => [e.lang, e.contacts.map((c) => c.role)]),
  );
  // The previous release's translated city, when it is the same city (Montréal / Montreal).
  const translatedPlaces = Object.fromEntries(
    (previous?.editions.slice(1) ?? []).map((e) => [
      e.lang,
      previous?.editions[0]?.place === place && e.place ? e.place : place,
    ]),
  );
  const files = newReleaseFiles({
    languages: config.languages,
    date,
    place,
    contacts,
    translatedRoles,
    translatedPlaces,
  });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text, { flag: 'wx' });
  io.stdout(
    Object.keys(files)
      .map((n) => join(shown, n))
      .join('\n'),
  );
  return EXIT.ok;
}

function placeholderEmail(website: string | undefined): string {
  const host = website ? new URL(website).hostname.replace(/^www\./, '') : 'example.org';
  return `communications@${host}`;
}

/** The slug written as it should be (`Été à l’école` → `ete-a-l-ecole`), when it has letters or digits to keep. */
function slugExample(slug: string): string {
  // Without a Latin letter or digit, tagSlug gives a digest (t-6146299c): no example.
  if (!/[a-z0-9]/i.test(slug.normalize('NFKD'))) return 'nouveau-president';
  const made = tagSlug(slug);
  return /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(made) ? made : 'nouveau-president';
}
