import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { signUnsubscribeToken } from '../../src/message/unsubscribe-token.js';
import { aimqIn } from './cli-in.js';
import { sendableProject } from './cli.js';
import { fixtures, renderFixture } from './inbox-fixtures.js';
import { type ListRow, listCsv } from './lists.js';
import type { TestSmtpServer } from './smtp.js';

export const RELEASE = 'releases/2020-01-13-mission-aimq';
export const UNSUB = 'desabonnement@aimq.net';
export const SECRET = 'e2e-unsubscribe-secret-0123456789abcdef';

/** One message really sent: its row in the outbox and what the recipient received. */
export interface SentRow {
  id: number;
  campaignId: number;
  email: string;
  messageId: string;
  subject: string;
}

/**
 * A project whose release was really sent to `recipients` through the test SMTP server,
 * with `inbox:` (extra config lines) and the unsubscribe address set; the rows as sent.
 */
export async function sentCampaign(
  smtp: TestSmtpServer,
  recipients: readonly ListRow[],
  inboxConfig: string,
  env: NodeJS.ProcessEnv = {},
): Promise<{ dir: string; env: NodeJS.ProcessEnv; rows: SentRow[] }> {
  const dir = sendableProject();
  mkdirSync(join(dir, 'lists'), { recursive: true });
  writeFileSync(join(dir, 'lists', 'medias.csv'), listCsv(recipients));
  const config = join(dir, 'aimq.config.yaml');
  appendFileSync(config, `inbox:\n${inboxConfig}\n`);
  writeFileSync(
    config,
    readFileSync(config, 'utf8').replace(/^ {4}mailto: communications@aimq\.net$/m, `    mailto: ${UNSUB}`),
  );
  const fullEnv = {
    AIMQ_SMTP_URL: smtp.url,
    AIMQ_SMTP_PASSWORD: '',
    AIMQ_UNSUBSCRIBE_SECRET: SECRET,
    ...env,
  };
  const before = smtp.messages.length;
  const sent = await aimqIn(['release', 'send', RELEASE, '--to', 'lists/medias.csv', '--yes'], dir, fullEnv);
  if (sent.status !== 0) throw new Error(`the send failed: ${sent.stderr}`);
  const outboxes = await aimqIn(['outbox', 'list'], dir, fullEnv);
  const campaignId = Math.max(...[...outboxes.stdout.matchAll(/^\s*(\d+)\s/gm)].map((m) => Number(m[1])));
  const shown = await aimqIn(['outbox', 'show', String(campaignId), '--format', 'json'], dir, fullEnv);
  const deliveries = JSON.parse(shown.stdout).deliveries as { id: number; email: string }[];
  const rows: SentRow[] = [];
  for (const m of smtp.messages.slice(before)) {
    const parsed = await m.parse();
    const d = deliveries.find((x) => x.email.toLowerCase() === m.to[0]);
    if (!d) throw new Error(`no row for ${m.to[0]}`);
    rows.push({
      id: d.id,
      campaignId,
      email: d.email,
      messageId: parsed.messageId!,
      subject: parsed.subject ?? '',
    });
  }
  return { dir, env: fullEnv, rows };
}

let n = 0;

/** A sample report (by file name) about one row, as its server would send it. */
export function reportAbout(
  fixtureName: string,
  row: SentRow,
  daysAgo = 0,
  overrides: { messageId?: string; token?: string } = {},
): Buffer {
  const f = fixtures().find((x) => x.name === fixtureName || `${x.form}/${x.name}` === fixtureName);
  if (!f) throw new Error(`no fixture ${fixtureName}`);
  const date = new Date(Date.now() - daysAgo * 86_400_000);
  return renderFixture(f.path, {
    messageId: overrides.messageId ?? row.messageId,
    recipient: row.email,
    from: 'communications@aimq.net',
    subject: row.subject,
    token: overrides.token ?? signUnsubscribeToken(SECRET, row.campaignId, row.id),
    unsub: UNSUB,
    date,
    origDate: new Date(date.getTime() - 3_600_000),
    n: `${process.pid}-${++n}`,
  });
}
