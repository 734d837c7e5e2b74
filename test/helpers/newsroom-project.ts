import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, tempDir } from './cli.js';
import { writeFiles } from './project.js';

/** One generated release: what the newsroom tests need to know about it. */
export interface GeneratedRelease {
  id: string;
  date: string;
  year: number;
  tags: string[];
  frTitle: string;
  enTitle?: string;
  /** Its English page's slug (translated), when it has an English edition. */
  enSlug?: string;
  embargo?: string;
}

/** Tags as written in the French editions, and their English names in the config. */
export const TAGS = [
  { fr: 'Infrastructures', en: 'Infrastructure' },
  { fr: 'Eau potable', en: 'Drinking water' },
  { fr: 'Gouvernance', en: 'Governance' },
  { fr: 'Sécurité routière', en: 'Road safety' },
] as const;

/** How many releases each year has: enough for 2024 to need a second page of 20. */
export const PER_YEAR: Readonly<Record<number, number>> = { 2024: 25, 2025: 12, 2026: 8 };

const pad = (n: number) => String(n).padStart(2, '0');

/** The release of a year's `k`-th slot (0-based), dated so that slots never share a day. */
export function releaseFor(year: number, k: number, n: number): GeneratedRelease {
  const month = 1 + Math.floor(k / 3);
  const day = 1 + (k % 3) * 9;
  const date = `${year}-${pad(month)}-${pad(day)}`;
  const tags = [TAGS[0], TAGS[1], TAGS[2], TAGS[3]]
    .filter((_, t) => (t === 0 ? n % 2 === 0 : t === 1 ? n % 3 === 0 : t === 2 ? n % 5 === 0 : n % 7 === 0))
    .map((t) => t.fr);
  // Every eleventh release is in French only: it is listed on the English pages with a note.
  const frenchOnly = n % 11 === 5;
  return {
    id: `${date}-communique-${n}`,
    date,
    year,
    tags,
    frTitle: `Communiqué numéro ${n}`,
    ...(frenchOnly ? {} : { enTitle: `Release number ${n}`, enSlug: `${date}-release-${n}` }),
  };
}

/** The files of a release folder. */
export function releaseFiles(r: GeneratedRelease): Record<string, string> {
  const tags = r.tags.length ? `tags: [${r.tags.map((t) => JSON.stringify(t)).join(', ')}]\n` : '';
  const files: Record<string, string> = {
    [`releases/${r.id}/fr.md`]:
      `---\ntitle: ${r.frTitle}\ndate: ${r.date}\nplace: Montréal\n${r.embargo ? `embargo: ${r.embargo}\n` : ''}` +
      'contacts:\n  - name: Danielle Boucher\n    role: conseillère en communication\n    email: communications@aimq.net\n' +
      `summary: Le résumé du ${r.frTitle.toLowerCase()}.\n${tags}---\n` +
      `L’Association annonce aujourd’hui le ${r.frTitle.toLowerCase()}, publié à Montréal.\n`,
  };
  if (r.enTitle)
    files[`releases/${r.id}/en.md`] =
      `---\ntitle: ${r.enTitle}\nplace: Montreal\nslug: ${JSON.stringify(r.enSlug)}\ncontacts:\n  - role: communications adviser\n` +
      `summary: The summary of ${r.enTitle.toLowerCase()}.\n---\n` +
      `The Association today announces ${r.enTitle.toLowerCase()}, published in Montreal.\n`;
  return files;
}

/**
 * A project with the sample's config (plus `newsroom:` settings) and 45 generated releases
 * over 2024–2026 (PER_YEAR), tagged with TAGS, some in French only, and `extra` releases
 * (an embargoed one, say). Returns the folder and the releases, newest first.
 */
export function newsroomProject(options: { newsroom?: string; extra?: GeneratedRelease[] } = {}): {
  dir: string;
  releases: GeneratedRelease[];
} {
  const dir = tempDir('aimq-newsroom-');
  const config =
    readFileSync(join(REPO, 'aimq.config.yaml'), 'utf8') +
    (options.newsroom ??
      `newsroom:\n  tags:\n${TAGS.map((t) => `    - { fr: ${t.fr}, en: ${t.en} }\n`).join('')}`);
  const releases: GeneratedRelease[] = [];
  let n = 0;
  for (const [year, count] of Object.entries(PER_YEAR)) {
    for (let k = 0; k < count; k++) releases.push(releaseFor(Number(year), k, ++n));
  }
  releases.push(...(options.extra ?? []));
  writeFiles(dir, { 'aimq.config.yaml': config, ...Object.assign({}, ...releases.map(releaseFiles)) });
  releases.sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : a.id < b.id ? 1 : -1));
  return { dir, releases };
}
