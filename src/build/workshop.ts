import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Root } from 'mdast';
import type { Diagnostic } from '../errors/index.js';
import type { Config } from '../model/config.js';
import type { Release } from '../model/release.js';
import type { PageSummary } from '../render-web/page.js';
import { sitePaths } from '../render-web/urls.js';
import { releaseAssets } from './discover.js';
import { OutputWriter } from './output.js';
import { createRenderers, loadForBuild, renderRelease, type Renderers } from './render.js';
import { visibility, type Visibility } from './visibility.js';

/**
 * The work a build does per release — load, check, render, write — the same whether it
 * runs in the build's own thread or in a worker (see crew.ts). A workshop keeps what it
 * loaded until it renders it, so a release is parsed once even though nothing is written
 * before every release has been checked.
 */

export interface WorkshopOptions {
  out: string;
  shownOut: string;
  now: number;
  includeEmbargoed: boolean;
}

/** What loading a release told: its problems, and when it can be rendered, where its pages go. */
export interface LoadOutcome {
  id: string;
  diagnostics: Diagnostic[];
  /** Absent when the release has errors. */
  loaded?: {
    visibility: Visibility;
    embargo?: number;
    /** Each edition's page and the file it comes from, to find pages that would overwrite each other. */
    pages: { path: string; file: string }[];
  };
}

export interface RenderOutcome {
  id: string;
  /** Every file of the release in the output folder, written or already up to date. */
  outputs: string[];
  summaries: PageSummary[];
  written: string[];
  unchanged: string[];
}

export class Workshop {
  private readonly held = new Map<
    string,
    { release: Release; trees: Map<string, Root>; dirAbs: string; visibility: Visibility }
  >();
  private renderers?: Promise<Renderers>;

  constructor(
    private readonly config: Config,
    private readonly options: WorkshopOptions,
  ) {}

  load(dirAbs: string): LoadOutcome {
    const id = basename(dirAbs);
    const { release, trees, diagnostics } = loadForBuild(dirAbs, this.config);
    if (!release || !trees) return { id, diagnostics };
    const vis = visibility(release.embargo?.epoch, this.options.now, this.options.includeEmbargoed);
    if (vis !== 'hidden') this.held.set(id, { release, trees, dirAbs, visibility: vis });
    return {
      id,
      diagnostics,
      loaded: {
        visibility: vis,
        ...(release.embargo ? { embargo: release.embargo.epoch } : {}),
        pages: release.editions.map((e) => ({ path: sitePaths.page(e), file: e.file })),
      },
    };
  }

  /** Loads the templates and compiles the e-mail layout (cached in .aimq/ for other workshops). */
  async prepare(): Promise<void> {
    await (this.renderers ??= createRenderers(this.config));
  }

  /** Renders and writes a release this workshop loaded, then forgets it. */
  async render(id: string): Promise<RenderOutcome> {
    const held = this.held.get(id);
    if (!held) throw new Error(`release ${id} was not loaded here`);
    this.held.delete(id);
    const { release, trees, dirAbs } = held;
    const renderers = await (this.renderers ??= createRenderers(this.config));
    const { files, summaries } = renderRelease(
      release,
      trees,
      this.config,
      renderers,
      held.visibility === 'preview',
      this.options.now,
    );
    const writer = new OutputWriter(this.options.out, this.options.shownOut);
    const outputs: string[] = [];
    for (const f of files) {
      writer.write(f.path, f.content);
      outputs.push(f.path);
    }
    for (const asset of releaseAssets(dirAbs)) {
      const path = sitePaths.asset(release, asset);
      writer.write(path, readFileSync(join(dirAbs, asset)));
      outputs.push(path);
    }
    return { id, outputs, summaries, written: writer.written, unchanged: writer.unchanged };
  }
}
