import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sendableProject } from './cli.js';
import { type ListRow, listCsv } from './lists.js';

/** A test secret (never a real one): long enough for AIMQ_UNSUBSCRIBE_SECRET. */
export const TEST_SECRET = 'test-only-unsubscribe-secret-0123456789-abcdef';

export const PUBLIC_UNSUBSCRIBE_URL = 'https://www.aimq.net/désabonnement/courriel';

/** The sendable sample project with a one-click unsubscribe.url and the lists given. */
export function oneClickProject(
  lists: Record<string, readonly ListRow[]> = {},
  url = PUBLIC_UNSUBSCRIBE_URL,
): string {
  const dir = sendableProject();
  const file = join(dir, 'aimq.config.yaml');
  writeFileSync(
    file,
    readFileSync(file, 'utf8').replace(
      '    mailto: communications@aimq.net',
      `    mailto: communications@aimq.net\n    url: ${url}`,
    ),
  );
  mkdirSync(join(dir, 'lists'), { recursive: true });
  for (const [name, rows] of Object.entries(lists)) writeFileSync(join(dir, 'lists', name), listCsv(rows));
  return dir;
}

/** The same path and query on a local endpoint: what a reverse proxy forwards unchanged. */
export function onLocal(publicUrl: string, local: string): string {
  const u = new URL(publicUrl);
  return `${local}${u.pathname}${u.search}`;
}
