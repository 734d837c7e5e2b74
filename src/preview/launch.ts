import type { Browser } from 'playwright-core';
import type { Text } from '../i18n/text.js';

/** A browser started, or why it could not start. */
export type Launch = { browser: Browser } | { failure: Text };

/**
 * Closes a browser started ahead of time (when the build failed, or nothing needed a
 * screenshot); harmless on a browser already closed. Kept apart from screenshots.ts so
 * that `release build` without --preview never loads playwright-core.
 */
export async function closeLaunch(launched: Promise<Launch>): Promise<void> {
  const launch = await launched;
  if ('browser' in launch) await launch.browser.close().catch(() => undefined);
}
