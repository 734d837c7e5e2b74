import type { Mailbox } from '../model/config.js';
import type {
  Campaign,
  CampaignStatus,
  Delivery,
  DeliveryState,
  NewCampaign,
  StoredEdition,
} from './types.js';

/**
 * The rows of the campaigns and deliveries tables as both backends return them (the same
 * column names on SQLite and PostgreSQL), and the objects the rest of aimq sees.
 */

export interface CampaignRow {
  id: number;
  release_id: string;
  release_dir: string;
  content_version: string;
  created_at: number;
  scheduled_at: number | null;
  status: CampaignStatus;
  source: string;
  targets: string;
  edition_mode: string;
  reply_to: string | null;
}

export const toCampaign = (r: CampaignRow): Campaign => ({
  id: r.id,
  releaseId: r.release_id,
  releaseDir: r.release_dir,
  contentVersion: r.content_version,
  createdAt: r.created_at,
  scheduledAt: r.scheduled_at,
  status: r.status,
  source: r.source,
  targets: JSON.parse(r.targets) as string[],
  editionMode: r.edition_mode,
  ...(r.reply_to ? { replyTo: JSON.parse(r.reply_to) as Mailbox } : {}),
});

export interface DeliveryRow {
  id: number;
  campaign_id: number;
  email: string;
  email_key: string;
  name: string;
  edition: string;
  state: DeliveryState;
  attempts: number;
  next_attempt_at: number | null;
  last_reply: string | null;
  message_id: string | null;
  lease_owner: string | null;
  lease_until: number | null;
  updated_at: number;
  sent_at: number | null;
}

export const toDelivery = (r: DeliveryRow): Delivery => ({
  id: r.id,
  campaignId: r.campaign_id,
  email: r.email,
  emailKey: r.email_key,
  name: r.name,
  edition: r.edition,
  state: r.state,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  lastReply: r.last_reply,
  messageId: r.message_id,
  leaseOwner: r.lease_owner,
  leaseUntil: r.lease_until,
  updatedAt: r.updated_at,
  sentAt: r.sent_at,
});

export interface EditionRow {
  edition: string;
  subject: string;
  html: string;
  text: string;
  languages: string;
  attachments: string;
}

/** A campaign's editions, by edition name. */
export const toEditions = (rows: readonly EditionRow[]): Map<string, StoredEdition> =>
  new Map(
    rows.map((r) => [
      r.edition,
      {
        edition: r.edition,
        subject: r.subject,
        html: r.html,
        text: r.text,
        languages: JSON.parse(r.languages) as string[],
        attachments: JSON.parse(r.attachments) as StoredEdition['attachments'],
      },
    ]),
  );

/** The values of an editions row, in the column order of `INSERT INTO editions (campaign_id, edition, …)`. */
export const editionValues = (campaignId: number, e: StoredEdition): unknown[] => [
  campaignId,
  e.edition,
  e.subject,
  e.html,
  e.text,
  JSON.stringify(e.languages),
  JSON.stringify(e.attachments),
];

/**
 * The values of a new campaigns row, in the column order of `INSERT INTO campaigns
 * (release_id, release_dir, content_version, created_at, scheduled_at, status, source,
 * targets, edition_mode, reply_to)`.
 */
export const campaignValues = (c: NewCampaign): unknown[] => [
  c.releaseId,
  c.releaseDir,
  c.contentVersion,
  c.createdAt,
  c.scheduledAt,
  c.status,
  c.source,
  JSON.stringify(c.targets),
  c.editionMode,
  c.replyTo ? JSON.stringify(c.replyTo) : null,
];
