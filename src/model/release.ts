import type { Code, Diagnostic } from '../errors/index.js';

/** A calendar day, never shifted by a time zone (see release-format.md). */
export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

export type ContactKind = 'source' | 'information';

export interface Contact {
  name: string;
  role?: string;
  email: string;
  phone?: string;
  kind: ContactKind;
}

export interface ReleaseImage {
  /** As written: a path relative to the release folder, or an https URL. */
  src: string;
  alt: string;
}

/** One language edition of a release (fr.md, en.md). */
export interface Edition {
  lang: string;
  /** Path of the markdown file relative to the project root, with `/` separators. */
  file: string;
  title: string;
  subtitle?: string;
  summary?: string;
  /** Dateline city in this language. */
  place: string;
  /** URL segment of this edition's page: the folder name unless the translation sets one. */
  slug: string;
  /** The release's contacts, with this edition's roles. */
  contacts: Contact[];
  image?: ReleaseImage;
  /** Markdown body (after the front matter). */
  body: string;
  /** 1-based line in `file` where `body` starts. */
  bodyLine: number;
}

export interface Instant {
  /** As written in the front matter. */
  iso: string;
  /** Milliseconds since the epoch. */
  epoch: number;
}

export interface Release {
  /** Folder name: <yyyy-mm-dd>-<slug>. */
  id: string;
  /** Folder path relative to the project root, with `/` separators. */
  dir: string;
  date: CalendarDate;
  /** Publication moment: `date` at its offset, or midnight in the config's time zone for a bare date. */
  published: Instant;
  embargo?: Instant;
  tags: string[];
  /** Editions, primary language first, then in the config's language order. */
  editions: Edition[];
  /** Scheduled sends written in the front matter (`dispatch:`). */
  dispatch: DispatchEntry[];
  /** Warning codes the release acknowledges (`acknowledge:`): checks leave them out. */
  acknowledged?: Code[];
  /** Values still as `aimq release new` or the starter wrote them, located (AIMQ-PLACEHOLDER warnings). */
  placeholders?: Diagnostic[];
}

export interface DispatchEntry {
  at: Instant;
  /** List files (relative to the project) and addresses. */
  to: string[];
  edition: string;
  /** Where the entry is, for messages. */
  file: string;
  line: number;
}
