import type { Root } from 'mdast';
import { AimqProblems, type Code, type Diagnostic } from '../errors/index.js';
import type { Config } from '../model/config.js';
import type { Release } from '../model/release.js';
import { checkBodyStructure, parseBodies, prepareTrees, type ParsedBody } from './body.js';
import { loadRelease } from './release.js';

/**
 * The one release loader of every command: build, check, export, send, dispatch and
 * preview. It reads the folder (never past a symbolic link that leaves it), validates the
 * front matter, parses each body once and checks what every command must refuse or flag
 * (images, raw HTML, a date after `now` without an embargo). Warnings the release
 * acknowledges are left out.
 */
export interface ParsedRelease {
  /** Absent when the release has errors. */
  release?: Release;
  /** Each edition's tree with its typography applied, for the renderers; absent with errors. */
  trees?: Map<string, Root>;
  /** Each body parsed as written (no typography), for checks; present even with errors. */
  bodies: ParsedBody[];
  diagnostics: Diagnostic[];
  /** Warning codes the release acknowledges: `release check` leaves its other findings of them out too. */
  acknowledged: readonly Code[];
}

export interface LoadOptions {
  /** The clock, in ms since the epoch: a release dated after it without an embargo is flagged. Default: now. */
  now?: number;
}

export function loadParsed(dirAbs: string, config: Config, options: LoadOptions = {}): ParsedRelease {
  const loaded = loadRelease(dirAbs, config);
  const bodies = parseBodies(loaded.bodies);
  const diagnostics = [...loaded.diagnostics, ...bodies.flatMap((b) => checkBodyStructure(b, config.root))];
  if (loaded.release)
    diagnostics.push(...futureDateWarnings(loaded.release, options.now ?? Date.now(), loaded.dateAt));
  const kept = withoutAcknowledged(diagnostics, loaded.acknowledged);
  if (!loaded.release || kept.some((d) => d.severity === 'error'))
    return { bodies, diagnostics: kept, acknowledged: loaded.acknowledged };
  return {
    release: loaded.release,
    trees: prepareTrees(bodies, config.typography.fr),
    bodies,
    diagnostics: kept,
    acknowledged: loaded.acknowledged,
  };
}

/** A release loaded for rendering and sending: valid, with its trees. */
export interface ValidRelease {
  release: Release;
  trees: Map<string, Root>;
  dirAbs: string;
}

/** {@link loadParsed}, for commands that need a valid release: any error throws AimqProblems (exit 1) with every problem. */
export function loadValid(dirAbs: string, config: Config, options: LoadOptions = {}): ValidRelease {
  const parsed = loadParsed(dirAbs, config, options);
  if (!parsed.release || !parsed.trees) throw new AimqProblems(parsed.diagnostics);
  return { release: parsed.release, trees: parsed.trees, dirAbs };
}

/** Warnings only: an error is never acknowledged. */
export function withoutAcknowledged(
  diagnostics: readonly Diagnostic[],
  codes: readonly Code[],
): Diagnostic[] {
  if (codes.length === 0) return [...diagnostics];
  return diagnostics.filter((d) => d.severity === 'error' || !codes.includes(d.code));
}

/**
 * A release dated after `now` and without an embargo that still holds (none, or one that
 * has lifted) is published by today's build, a date in the future notwithstanding: say so,
 * and how to hold it.
 */
export function futureDateWarnings(
  release: Release,
  now: number,
  at: { line: number; column: number } = { line: 1, column: 1 },
): Diagnostic[] {
  if (release.published.epoch <= now) return [];
  // An embargo that has already lifted holds nothing: the build publishes the page now,
  // dated days ahead (date: 2026-12-10 with embargo: 2026-12-01T10:00).
  if (release.embargo && release.embargo.epoch > now) return [];
  const primary = release.editions[0]!;
  const where = { file: primary.file, line: at.line, column: at.column };
  if (release.embargo)
    return [
      {
        ...where,
        severity: 'warning',
        code: 'AIMQ-DATE-FUTURE',
        message: {
          fr: `le communiqué est daté du ${release.published.iso.slice(0, 10)}, dans le futur, mais son embargo (${release.embargo.iso}) est déjà levé\u00a0: la prochaine génération du site le publie aussitôt`,
          en: `the release is dated ${release.published.iso.slice(0, 10)}, in the future, but its embargo (${release.embargo.iso}) has already lifted: a build publishes it now`,
        },
        hint: {
          fr: `pour le retenir jusqu’à sa date, mettez \`embargo: ${release.published.iso}\` (ou corrigez la date)`,
          en: `to hold it until its date, set embargo: ${release.published.iso} (or correct the date)`,
        },
      },
    ];
  return [
    {
      ...where,
      severity: 'warning',
      code: 'AIMQ-DATE-FUTURE',
      message: {
        fr: `le communiqué est daté du ${release.published.iso.slice(0, 10)}, dans le futur, sans embargo\u00a0: la prochaine génération du site le publie aussitôt`,
        en: `the release is dated ${release.published.iso.slice(0, 10)}, in the future, and has no embargo: a build publishes it now`,
      },
      hint: {
        fr: `pour le retenir jusque-là, ajoutez \`embargo: ${release.published.iso}\` (ou corrigez la date)`,
        en: `to hold it until then, add embargo: ${release.published.iso} (or correct the date)`,
      },
    },
  ];
}
