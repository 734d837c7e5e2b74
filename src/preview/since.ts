import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Changes } from '../git/changed.js';
import { type BeforeBuild, buildBefore } from './before.js';
import type { PreviewOptions } from './gallery.js';

export interface SinceOptions {
  root: string;
  now: number;
  includeEmbargoed: boolean;
  /** --changed-since or --compare; undefined: a preview of everything. */
  since?: { ref: string; option: '--changed-since' | '--compare'; changes: Changes; compare: boolean };
}

/**
 * Runs `preview` with what --changed-since or --compare asks for. With --compare, the
 * ref's version is first built into a temporary folder, which exists while `preview`
 * takes its screenshots and is removed afterwards, whether `preview` succeeds or throws.
 */
export async function previewSince<T>(
  options: SinceOptions,
  preview: (since: PreviewOptions['since']) => Promise<T>,
): Promise<T> {
  const s = options.since;
  if (!s) return preview(undefined);
  if (!s.compare) return preview({ ref: s.ref, option: s.option, changes: s.changes });
  const tmp = mkdtempSync(join(tmpdir(), 'aimq-compare-'));
  try {
    const before: BeforeBuild = await buildBefore({
      root: options.root,
      ref: s.ref,
      changes: s.changes,
      tmp,
      now: options.now,
      includeEmbargoed: options.includeEmbargoed,
    });
    return await preview({ ref: s.ref, option: s.option, changes: s.changes, before });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
