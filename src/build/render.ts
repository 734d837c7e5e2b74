import { join } from 'node:path';
import type { Root } from 'mdast';
import type { Diagnostic } from '../errors/index.js';
import { loadParsed } from '../load/parsed.js';
import type { Config } from '../model/config.js';
import type { Release } from '../model/release.js';
import { emailEditions, emailPagePath, emailViews } from '../render-email/edition.js';
import { loadEmailLayout, type EmailLayout } from '../render-email/layout.js';
import { renderReleasePages, type PageSummary, type RenderedFile } from '../render-web/page.js';
import { createTemplateEngine, type TemplateEngine } from '../templating/engine.js';

/**
 * The costly half of a build — parsing, checking and rendering — kept apart so that a
 * build where nothing changed does not even load the markdown and template libraries.
 */

export interface LoadedForBuild {
  release?: Release;
  trees?: Map<string, Root>;
  diagnostics: Diagnostic[];
}

/**
 * A release read, checked (front matter and the body's images), and parsed once for every
 * renderer: the one loader's answer (src/load/parsed.ts). `now` decides whether a date
 * after it deserves a warning (default: the clock).
 */
export function loadForBuild(dirAbs: string, config: Config, now?: number): LoadedForBuild {
  const { release, trees, diagnostics } = loadParsed(dirAbs, config, now === undefined ? {} : { now });
  return release && trees ? { release, trees, diagnostics } : { diagnostics };
}

export interface Renderers {
  web: TemplateEngine;
  layout: EmailLayout;
}

export async function createRenderers(config: Config): Promise<Renderers> {
  return {
    web: createTemplateEngine('web', config.root),
    // The e-mail layout costs an MJML run, cached on disk in .aimq/.
    layout: await loadEmailLayout(createTemplateEngine('email', config.root), join(config.root, '.aimq')),
  };
}

/** A release's web pages and its e-mail "view in browser" copies (HTML and text, never recipients). */
export function renderRelease(
  release: Release,
  trees: ReadonlyMap<string, Root>,
  config: Config,
  renderers: Renderers,
  embargoPreview: boolean,
  now: number,
): { files: RenderedFile[]; summaries: PageSummary[] } {
  const files: RenderedFile[] = [];
  for (const [edition, view] of emailViews(release, trees, config, emailEditions(release), {
    now,
    embedImages: false,
  })) {
    files.push(
      { path: emailPagePath(release, edition, 'html'), content: renderers.layout.html(view) },
      { path: emailPagePath(release, edition, 'txt'), content: view.text },
    );
  }
  const web = renderReleasePages(release, trees, config, renderers.web, { embargoPreview });
  return { files: [...files, ...web.files], summaries: web.summaries };
}
