import type { Mailbox } from '../model/config.js';
import type { Connection } from './connection.js';
import { hasStarted } from './reports.js';
import {
  type CampaignRow,
  type EditionRow,
  campaignValues,
  editionValues,
  toCampaign,
  toEditions,
} from './rows.js';
import type { Campaign, CampaignStatus, NewCampaign, SkippedLine, StoredEdition } from './types.js';

/** Campaigns: what is sent (the editions, the Reply-To), to whom it was asked, and when. */
export interface CampaignStore {
  /** The campaign for this release content from this source, if one exists. */
  findCampaign(releaseId: string, contentVersion: string, source: string): Promise<Campaign | undefined>;
  /** The campaign of a front-matter schedule entry (a missed one included: it is not planned again). */
  findBySource(source: string): Promise<Campaign | undefined>;
  /** Scheduled campaigns whose time has come, and scheduled ones already sending (to resume). */
  dueCampaigns(now: number): Promise<Campaign[]>;
  campaign(id: number): Promise<Campaign | undefined>;
  campaigns(): Promise<Campaign[]>;
  campaignsFrom(sourcePrefix: string): Promise<Campaign[]>;
  createCampaign(c: NewCampaign, editions: StoredEdition[]): Promise<Campaign>;
  editions(campaignId: number): Promise<Map<string, StoredEdition>>;
  /** A new version of the release before its campaign starts: what will be sent is the new one. */
  replaceEditions(
    campaignId: number,
    contentVersion: string,
    editions: StoredEdition[],
    replyTo: Mailbox,
  ): Promise<void>;
  setCampaignStatus(id: number, status: CampaignStatus): Promise<void>;
  setSchedule(id: number, scheduledAt: number | null): Promise<void>;
  recordSkipped(campaignId: number, lines: readonly SkippedLine[]): Promise<void>;
  skipped(campaignId: number): Promise<SkippedLine[]>;
  /** Forgets a campaign that never started (a send that was not confirmed). */
  discard(campaignId: number): Promise<void>;
  /** Cancels what has not left yet; what was sent stays on record. Returns how many rows were cancelled. */
  cancel(campaignId: number, now: number): Promise<number>;
}

export class SqliteCampaigns implements CampaignStore {
  constructor(private readonly c: Connection) {}

  async findCampaign(
    releaseId: string,
    contentVersion: string,
    source: string,
  ): Promise<Campaign | undefined> {
    const row = this.c
      .sql(
        `SELECT * FROM campaigns WHERE release_id = ? AND content_version = ? AND source = ? AND status != 'cancelled' ORDER BY id DESC LIMIT 1`,
      )
      .get(releaseId, contentVersion, source) as CampaignRow | undefined;
    return row ? toCampaign(row) : undefined;
  }

  async findBySource(source: string): Promise<Campaign | undefined> {
    const row = this.c
      .sql(`SELECT * FROM campaigns WHERE source = ? AND status != 'cancelled' ORDER BY id DESC LIMIT 1`)
      .get(source) as CampaignRow | undefined;
    return row ? toCampaign(row) : undefined;
  }

  async dueCampaigns(now: number): Promise<Campaign[]> {
    return (
      this.c
        .sql(
          `SELECT * FROM campaigns WHERE scheduled_at IS NOT NULL AND scheduled_at <= ? AND status IN ('scheduled', 'sending') ORDER BY scheduled_at, id`,
        )
        .all(now) as CampaignRow[]
    ).map(toCampaign);
  }

  async campaign(id: number): Promise<Campaign | undefined> {
    const row = this.c.sql('SELECT * FROM campaigns WHERE id = ?').get(id) as CampaignRow | undefined;
    return row ? toCampaign(row) : undefined;
  }

  async campaigns(): Promise<Campaign[]> {
    return (this.c.sql('SELECT * FROM campaigns ORDER BY id').all() as CampaignRow[]).map(toCampaign);
  }

  async campaignsFrom(sourcePrefix: string): Promise<Campaign[]> {
    return (
      this.c
        .sql('SELECT * FROM campaigns WHERE source LIKE ? ORDER BY id')
        .all(`${sourcePrefix}%`) as CampaignRow[]
    ).map(toCampaign);
  }

  async createCampaign(c: NewCampaign, editions: StoredEdition[]): Promise<Campaign> {
    const id = this.c.exclusive(() => {
      const info = this.c
        .sql(
          'INSERT INTO campaigns (release_id, release_dir, content_version, created_at, scheduled_at, status, source, targets, edition_mode, reply_to) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .run(...campaignValues(c));
      const id = Number(info.lastInsertRowid);
      this.insertEditions(id, editions);
      return id;
    });
    return (await this.campaign(id))!;
  }

  private insertEditions(campaignId: number, editions: readonly StoredEdition[]): void {
    const stmt = this.c.sql(
      'INSERT INTO editions (campaign_id, edition, subject, html, text, languages, attachments) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    for (const e of editions) stmt.run(...editionValues(campaignId, e));
  }

  async editions(campaignId: number): Promise<Map<string, StoredEdition>> {
    const rows = this.c.sql('SELECT * FROM editions WHERE campaign_id = ?').all(campaignId) as EditionRow[];
    return toEditions(rows);
  }

  async replaceEditions(
    campaignId: number,
    contentVersion: string,
    editions: StoredEdition[],
    replyTo: Mailbox,
  ): Promise<void> {
    this.c.exclusive(() => {
      this.c.sql('DELETE FROM editions WHERE campaign_id = ?').run(campaignId);
      this.insertEditions(campaignId, editions);
      this.c
        .sql('UPDATE campaigns SET content_version = ?, reply_to = ? WHERE id = ?')
        .run(contentVersion, JSON.stringify(replyTo), campaignId);
    });
  }

  async setCampaignStatus(id: number, status: CampaignStatus): Promise<void> {
    this.c.sql('UPDATE campaigns SET status = ? WHERE id = ?').run(status, id);
  }

  async setSchedule(id: number, scheduledAt: number | null): Promise<void> {
    this.c.sql('UPDATE campaigns SET scheduled_at = ? WHERE id = ?').run(scheduledAt, id);
  }

  async recordSkipped(campaignId: number, lines: readonly SkippedLine[]): Promise<void> {
    this.c.exclusive(() => {
      // Planning the same campaign again (a resumed send) finds the same lines: kept once.
      this.c.sql('DELETE FROM skipped_lines WHERE campaign_id = ?').run(campaignId);
      const stmt = this.c.sql(
        'INSERT INTO skipped_lines (campaign_id, file, line, code, message) VALUES (?, ?, ?, ?, ?)',
      );
      for (const l of lines) stmt.run(campaignId, l.file, l.line, l.code, l.message);
    });
  }

  async skipped(campaignId: number): Promise<SkippedLine[]> {
    return this.c
      .sql('SELECT file, line, code, message FROM skipped_lines WHERE campaign_id = ? ORDER BY rowid')
      .all(campaignId) as SkippedLine[];
  }

  async discard(campaignId: number): Promise<void> {
    this.c.exclusive(() => {
      if (hasStarted(this.c, campaignId)) return;
      for (const table of ['deliveries', 'editions', 'skipped_lines'])
        this.c.sql(`DELETE FROM ${table} WHERE campaign_id = ?`).run(campaignId);
      this.c.sql('DELETE FROM campaigns WHERE id = ?').run(campaignId);
    });
  }

  async cancel(campaignId: number, now: number): Promise<number> {
    return this.c.exclusive(() => {
      // A row claimed ahead by a running send is cancelled too: its hand-over then fails, and it never leaves.
      const n = this.c
        .sql(
          `UPDATE deliveries SET state = 'cancelled', lease_owner = NULL, lease_until = NULL, updated_at = ? WHERE campaign_id = ? AND state IN ('pending', 'retry', 'claimed')`,
        )
        .run(now, campaignId).changes;
      this.c.sql(`UPDATE campaigns SET status = 'cancelled' WHERE id = ?`).run(campaignId);
      return n;
    });
  }
}
