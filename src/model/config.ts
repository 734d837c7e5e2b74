import type { Diagnostic } from '../errors/index.js';
import type { FrenchProfile } from '../markdown/typography.js';

/** A text in each configured language, keyed by language code (`fr`, `en`). */
export type Localized = Readonly<Record<string, string>>;

/** aimq.config.yaml, validated and with defaults applied. */
export interface Config {
  /** Absolute path of the project folder (where aimq.config.yaml is). */
  root: string;
  /** Path of the config file as shown to the user. */
  file: string;
  organization: {
    name: Localized;
    shortName: string;
    website?: string;
    postalAddress?: string;
    boilerplate: Localized;
  };
  /** The first one is the primary language. */
  languages: readonly string[];
  timeZone: string;
  /** Absolute URL where the built site is served, without a trailing slash. */
  baseUrl: string;
  typography: { fr: FrenchProfile };
  /** Whether the Charter of the French language applies (a release must exist in French). */
  frenchCharter: boolean;
  /** E-mail settings; absent until the organisation configures e-mail. */
  email?: EmailConfig;
  /** SMTP server without its password (which comes from the environment). */
  smtp?: { host: string; port: number; secure: boolean; user?: string };
  /** The bounce mailbox (aimq inbox); absent when the config has no `inbox:`. */
  inbox?: InboxConfig;
  /** Absolute path of the outbox database. */
  outbox: string;
  /** How late a scheduled campaign may still be sent, in ms. */
  maxDelayMs: number;
  /** The PDF edition: its page size, and whether `release build` writes one beside each page. */
  pdf: PdfConfig;
  /** Values still as `aimq init` wrote them, located in the config file (AIMQ-PLACEHOLDER warnings). */
  placeholders?: Diagnostic[];
  /** The newsroom's archive pages; absent means the defaults (20 releases a page, tags as written). */
  newsroom?: NewsroomConfig;
}

export interface NewsroomConfig {
  /** Releases on the language index and on each page of a year or a topic. */
  pageSize: number;
  /** A tag's name in each language: a release's tag matches the primary language's name. */
  tags: Localized[];
}

/** Letter is the paper of Canada and the United States; A4 the rest of the world's. */
export type PdfPageSize = 'letter' | 'a4';

export interface PdfConfig {
  pageSize: PdfPageSize;
  /** Whether `release build` prints `<lang>/<slug>/<slug>.pdf` and links it from the page (slow: off by default). */
  build: boolean;
}

export interface Mailbox {
  name?: string;
  address: string;
}

export interface EmailConfig {
  from: Mailbox;
  replyTo?: Mailbox;
  subjectPrefix?: string;
  unsubscribe: { mailto: string; url?: string };
  /** Why the reader receives the message, per language; a default is used when absent. */
  reason?: Localized;
  logo?: string;
  accentColor: string;
  dkim?: { domainName: string; keySelector: string; privateKeyFile?: string; privateKeyEnv: string };
}

/** `inbox:` with its defaults; the IMAP password comes from AIMQ_IMAP_PASSWORD. */
export interface InboxConfig {
  /** Absent when only the soft-bounce rule is configured (aimq inbox import). */
  host?: string;
  port: number;
  secure: boolean;
  user?: string;
  folder: string;
  processedFolder: string;
  softBounces: { count: number; days: number };
}
