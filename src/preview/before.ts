import { join } from 'node:path';
import { type BuildResult, buildSite } from '../build/build.js';
import { loadConfig } from '../config/load.js';
import { AimqError, AimqProblems } from '../errors/index.js';
import type { Changes } from '../git/changed.js';
import { snapshotAt } from '../git/snapshot.js';
import { counted, inLang, type Text } from '../i18n/text.js';

export interface BeforeBuild {
  /** The ref as the user gave it. */
  ref: string;
  /** Output folder of the build of the ref's version (inside the temporary folder). */
  out: string;
  result?: BuildResult;
  /** Why there is no build of the ref's version, when there is none. */
  failure?: Text;
}

export interface BeforeOptions {
  /** Project folder (where aimq.config.yaml is). */
  root: string;
  ref: string;
  changes: Changes;
  /** A fresh temporary folder, which the caller removes. */
  tmp: string;
  now: number;
  includeEmbargoed: boolean;
}

/**
 * Builds the project as it was at `ref` with this aimq, so that what differs from the
 * current build is the content, templates and config, never the code. Only the changed
 * releases are built unless everything changed. A ref git cannot read throws AIMQ-USAGE;
 * a version that does not build (errors in it, or a config this aimq refuses) is not an
 * error of the current build: it comes back as `failure`, and the preview shows the
 * current version alone.
 */
export async function buildBefore(options: BeforeOptions): Promise<BeforeBuild> {
  const src = join(options.tmp, 'project');
  const out = join(options.tmp, 'out');
  const { changes } = options;
  const only = changes.everything === undefined || changes.named ? [...changes.releases] : undefined;
  const snapshot = await snapshotAt(options.root, options.ref, src, only);
  if (!snapshot.hasConfig)
    return {
      ref: options.ref,
      out,
      failure: {
        fr: `aucun aimq.config.yaml à ${options.ref}`,
        en: `no aimq.config.yaml at ${options.ref}`,
      },
    };
  if (only !== undefined && !snapshot.releases.length)
    return { ref: options.ref, out, result: emptyResult() };
  try {
    const config = loadConfig(src, src);
    const result = await buildSite(config, {
      out,
      shownOut: out,
      now: options.now,
      includeEmbargoed: options.includeEmbargoed,
      releases: only === undefined ? [] : snapshot.releases.map((r) => join(src, 'releases', r)),
      cwd: src,
    });
    return { ref: options.ref, out, result };
  } catch (err) {
    if (err instanceof AimqProblems) {
      const errors = err.diagnostics.filter((d) => d.severity === 'error');
      const first = errors[0];
      return {
        ref: options.ref,
        out,
        failure: {
          fr: `la version de ${options.ref} ne se construit pas\u00a0: ${counted(errors.length, { fr: ['erreur', 'erreurs'], en: ['error', 'errors'] }).fr}${first ? `, dont la première\u00a0: ${inLang(first.message, 'fr')}` : ''}`,
          en: `${options.ref}'s version does not build: ${errors.length} error(s)${first ? `, the first: ${inLang(first.message, 'en')}` : ''}`,
        },
      };
    }
    if (err instanceof AimqError)
      return {
        ref: options.ref,
        out,
        failure: {
          fr: `la version de ${options.ref} ne se construit pas\u00a0: ${inLang(err.text, 'fr')}`,
          en: `${options.ref}'s version does not build: ${inLang(err.text, 'en')}`,
        },
      };
    throw err;
  }
}

function emptyResult(): BuildResult {
  return {
    written: [],
    unchanged: 0,
    removed: [],
    pages: [],
    emails: [],
    embargoed: [],
    cached: 0,
    warnings: [],
  };
}
