import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../model/config.js';
import type { RenderedFile } from '../render-web/page.js';
import { renderSiteFiles, type ReleaseEntry } from '../render-web/site.js';
import { sitePaths } from '../render-web/urls.js';
import { createTemplateEngine, type TemplateEngine } from '../templating/engine.js';

/**
 * The newsroom's own files — indexes, feeds, sitemap, stylesheets — made from what the
 * releases' pages say of themselves. Apart from render.ts: the build's own thread makes
 * them, and needs no markdown or e-mail code for it.
 */
export function renderSite(
  entries: ReleaseEntry[],
  config: Config,
  now: number,
  web: TemplateEngine = createTemplateEngine('web', config.root),
): RenderedFile[] {
  return [
    ...renderSiteFiles(entries, config, web, now),
    ...[sitePaths.stylesheet, sitePaths.printStylesheet].map((path) => ({
      path,
      content: readTemplateAsset(web, path),
    })),
  ];
}

/** A stylesheet from the first template folder that has it (a project may override it). */
export function readTemplateAsset(engine: TemplateEngine, asset: string): Buffer {
  for (const root of engine.roots) {
    const p = join(root, asset);
    if (existsSync(p)) return readFileSync(p);
  }
  throw new Error(`template asset ${asset} not found in ${engine.roots.join(', ')}`);
}
