import { type Browser, chromium } from 'playwright-core';
import { findBrowser } from '../../src/preview/browser.js';
import { LAUNCH_ARGS } from '../../src/preview/screenshots.js';

/** The system's Chromium, found and started as aimq starts it (never a downloaded browser). */
export async function launchSystemChromium(): Promise<Browser> {
  const found = findBrowser(process.env);
  if ('missing' in found) throw new Error(`these tests need Chromium: ${found.missing}`);
  return chromium.launch({ executablePath: found.executable, args: [...LAUNCH_ARGS] });
}
