import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { chromium } from 'playwright-core';
import type { Launch } from './launch.js';
import type { Text } from '../i18n/text.js';
import { imageSize } from 'image-size';

/** One full-page screenshot to take: `url` (file: URL) at `width` CSS pixels, written to `file`. */
export interface Shot {
  url: string;
  width: number;
  /** Absolute path of the PNG to write. */
  file: string;
}

export interface ShotSize {
  width: number;
  height: number;
}

export interface ShotsResult {
  /** Size of every PNG written, by absolute path. */
  taken: Map<string, ShotSize>;
  /** Why the browser could not start, or stopped: its error's first line. Undefined when every shot was taken. */
  failure?: Text;
}

export const LAUNCH_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Only the output folder is loaded: anything but file: and data: URLs (web fonts, remote logos) is refused. */
function isLocal(url: URL): boolean {
  return url.protocol === 'file:' || url.protocol === 'data:' || url.protocol === 'blob:';
}

/**
 * Starts the system's Chromium. Started while the site builds, the browser's start-up
 * (seconds on a busy machine, in processes of its own) overlaps the build's work.
 */
export function launchBrowser(executable: string): Promise<Launch> {
  return chromium.launch({ executablePath: executable, args: [...LAUNCH_ARGS], timeout: 60_000 }).then(
    (browser) => ({ browser }),
    (err: unknown) => ({
      failure: {
        fr: `${executable} n’a pas démarré\u00a0: ${firstLine(err)}`,
        en: `${executable} failed to start: ${firstLine(err)}`,
      },
    }),
  );
}

/**
 * Pages of one browser that take screenshots at once. Measured on the 2-core machine
 * (bench/preview-changed.js, BENCHMARKS.md), 20 screenshots with the browser's start:
 * 1 page 11.6 s, 2 pages 8.5 s, 4 pages 6.7 s (medians of 3, a shared and busy machine);
 * in an earlier run 2 pages beat 4 (6.1 s against 7.1 s). 2 is always clearly faster
 * than 1; 4 is not reliably faster than 2 and keeps twice the pages in memory.
 */
export const DEFAULT_PAGES = 2;

/**
 * Takes every shot with one headless Chromium (the system's `executable`) and `pages`
 * pages of one context working through one queue, light colour scheme, device pixel ratio 1,
 * reduced motion, animations off, remote requests refused: the same page gives the same
 * bytes whichever page takes it. The browser is closed at the end, also when a shot fails;
 * a failure stops the run and is reported, with the shots taken so far.
 */
export async function takeScreenshots(
  executable: string,
  shots: readonly Shot[],
  pages: number = DEFAULT_PAGES,
  launched?: Promise<Launch>,
  /** Called as each PNG is written: work on it overlaps the shots still being taken. */
  onShot?: (file: string) => void,
): Promise<ShotsResult> {
  const taken = new Map<string, ShotSize>();
  const launch = await (launched ?? launchBrowser(executable));
  if ('failure' in launch) return { taken, failure: launch.failure };
  const browser = launch.browser;
  try {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      deviceScaleFactor: 1,
      colorScheme: 'light',
      reducedMotion: 'reduce',
      serviceWorkers: 'block',
    });
    await context.route(
      (url) => !isLocal(url),
      (route) => route.abort('blockedbyclient'),
    );
    // By width, so that each page changes its viewport as rarely as possible.
    const ordered = [...shots].sort((a, b) => b.width - a.width);
    let next = 0;
    let stopped: unknown;
    const worker = async () => {
      const page = await context.newPage();
      page.setDefaultTimeout(30_000);
      let width = 0;
      while (stopped === undefined && next < ordered.length) {
        const shot = ordered[next++]!;
        try {
          if (shot.width !== width) {
            await page.setViewportSize({ width: shot.width, height: 900 });
            width = shot.width;
          }
          await page.goto(shot.url, { waitUntil: 'load' });
          const png = await page.screenshot({
            fullPage: true,
            type: 'png',
            animations: 'disabled',
            caret: 'hide',
          });
          mkdirSync(dirname(shot.file), { recursive: true });
          writeFileSync(shot.file, png);
          taken.set(shot.file, pngSize(png));
        } catch (err) {
          stopped ??= err;
          continue;
        }
        onShot?.(shot.file);
      }
    };
    const count = Math.max(1, Math.min(Math.floor(pages), ordered.length));
    await Promise.all(Array.from({ length: count }, worker));
    if (stopped !== undefined) return { taken, failure: stoppedShooting(stopped) };
    return { taken };
  } catch (err) {
    return { taken, failure: stoppedShooting(err) };
  } finally {
    await browser.close().catch(() => undefined);
  }
}

/** Width and height of a screenshot Chromium just took (a PNG). */
export function pngSize(png: Uint8Array): ShotSize {
  const { width, height } = imageSize(png);
  return { width, height };
}

function firstLine(err: unknown): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: it removes the ANSI colour codes of the browser's log
  const text = (err instanceof Error ? err.message : String(err)).replace(/\u001b\[[0-9;]*m/g, '');
  // Playwright prefixes "browserType.launch: " and appends the browser's logs and a call log; keep the cause.
  const line = (text.split('\n').find((l) => l.trim()) ?? 'unknown error')
    .replace(/^(?:browserType|browser|context|page|locator)\.\w+:\s*/, '')
    .trim();
  const exit = /process did exit: exitCode=(\d+|null), signal=(\w+)/.exec(text);
  if (!exit) return line;
  return `${line} (the process exited${exit[1] === 'null' ? '' : ` with code ${exit[1]}`}${exit[2] === 'null' ? '' : ` on ${exit[2]}`})`;
}

function stoppedShooting(err: unknown): Text {
  return {
    fr: `Chromium s’est arrêté pendant les captures d’écran\u00a0: ${firstLine(err)}`,
    en: `Chromium stopped while taking screenshots: ${firstLine(err)}`,
  };
}
