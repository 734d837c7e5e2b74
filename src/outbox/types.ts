import type { Mailbox } from '../model/config.js';

/**
 * What the outbox records, whatever stores it. The SQLite outbox is the one backend today;
 * these types and the interfaces of campaigns.ts, queue.ts and reports.ts are what another
 * (PostgreSQL, for several machines) would have to provide.
 */

export type DeliveryState =
  | 'pending'
  | 'claimed'
  | 'sending'
  | 'sent'
  | 'retry'
  | 'failed'
  | 'uncertain'
  | 'suppressed'
  | 'no-consent'
  | 'cancelled';
export const DELIVERY_STATES: readonly DeliveryState[] = [
  'pending',
  'claimed',
  'sending',
  'sent',
  'retry',
  'failed',
  'uncertain',
  'suppressed',
  'no-consent',
  'cancelled',
];

/**
 * `ready` (planned by a send, or stopped before the end: the same send resumes it),
 * `scheduled` (waits for its time), `sending`, `done`, `cancelled`, `missed`: its time
 * passed longer ago than dispatch.maxDelay while nothing ran, or `paused`: stopped after the
 * server refused the message itself several times in a row (`aimq outbox retry` resumes it).
 */
export type CampaignStatus = 'ready' | 'scheduled' | 'sending' | 'done' | 'cancelled' | 'missed' | 'paused';

export interface StoredEdition {
  edition: string;
  subject: string;
  html: string;
  text: string;
  /** BCP 47 tags, primary first. */
  languages: string[];
  /**
   * Parts attached, base64: images shown in the HTML (cid:, inline, the default) and files
   * offered for download (`disposition: attachment`, e.g. the PDF edition; cid empty).
   */
  attachments: {
    cid: string;
    filename: string;
    content: string;
    disposition?: 'inline' | 'attachment';
    contentType?: string;
  }[];
}

export interface Campaign {
  id: number;
  releaseId: string;
  releaseDir: string;
  contentVersion: string;
  createdAt: number;
  scheduledAt: number | null;
  status: CampaignStatus;
  /** Where the campaign comes from: `cli`, or `dispatch:<release>#<n>` for front-matter schedules. */
  source: string;
  /** What the campaign was asked to send to, for display and re-planning (list paths, addresses). */
  targets: string[];
  editionMode: string;
  /**
   * Who recipients reach by replying, decided when the campaign was made: with the editions,
   * all a campaign under way needs to finish even if its release no longer loads. Absent
   * on campaigns recorded by an older aimq.
   */
  replyTo?: Mailbox;
}

/** What a new campaign records. */
export type NewCampaign = Omit<Campaign, 'id'>;

export interface Delivery {
  id: number;
  campaignId: number;
  email: string;
  emailKey: string;
  name: string;
  edition: string;
  state: DeliveryState;
  attempts: number;
  nextAttemptAt: number | null;
  lastReply: string | null;
  messageId: string | null;
  leaseOwner: string | null;
  leaseUntil: number | null;
  updatedAt: number;
  sentAt: number | null;
}

export interface NewDelivery {
  email: string;
  name: string;
  edition: string;
  /** Initial state: `pending`, or `suppressed` / `no-consent` / `cancelled` decided when the campaign is planned. */
  state?: DeliveryState;
  lastReply?: string;
}

/** A line of a list left out of a campaign on purpose (`--skip-invalid`), kept with it. */
export interface SkippedLine {
  file: string;
  line: number;
  code: string;
  message: string;
}

export type Counts = Record<DeliveryState, number>;

/** The outcome of an attempt, once the server answered (or could not be reached). */
export interface Outcome {
  state: Exclude<DeliveryState, 'pending' | 'claimed' | 'sending'>;
  reply?: string;
  messageId?: string;
  nextAttemptAt?: number;
}
