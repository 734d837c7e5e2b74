import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../model/config.js';
import type { RenderedFile } from '../render-web/page.js';
import { type ReleaseEntry, siteParts } from '../render-web/site.js';
import { sitePaths } from '../render-web/urls.js';
import { createTemplateEngine, type TemplateEngine } from '../templating/engine.js';

/**
 * The newsroom's own files — indexes, feeds, archive, sitemap, stylesheets — made from
 * what the releases' pages say of themselves, in parts (see SitePart), each rendered only
 * when asked: the template engine is made for the first part that is. Apart from
 * render.ts: the build's own thread makes them, and needs no markdown or e-mail code for it.
 */
export function sitePartsToRender(
  entries: readonly ReleaseEntry[],
  config: Config,
  now: number,
  /** Templates already parsed (the preview keeps them between builds). */
  parsed?: TemplateEngine,
): { id: string; key: string; render: () => RenderedFile[] }[] {
  let web: TemplateEngine | undefined = parsed;
  const engine = () => {
    web ??= createTemplateEngine('web', config.root);
    return web;
  };
  return [
    ...siteParts(entries, config, now).map((part) => ({
      id: part.id,
      key: part.key,
      render: () => part.render(engine()),
    })),
    {
      id: 'stylesheets',
      // The templates, whose digest is in the build cache's key, are all they depend on.
      key: '',
      render: () =>
        [sitePaths.stylesheet, sitePaths.printStylesheet].map((path) => ({
          path,
          content: readTemplateAsset(engine(), path),
        })),
    },
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
