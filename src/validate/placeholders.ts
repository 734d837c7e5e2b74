import type { Diagnostic } from '../errors/index.js';
import type { Config } from '../model/config.js';
import type { Release } from '../model/release.js';

/**
 * The placeholders left in the config by `aimq init` and in a release by `aimq release new`
 * (AIMQ-PLACEHOLDER warnings, located). `release check` reports them; sending should refuse
 * while there is any: a press release must not go out as "Titre du communiqué" from
 * "Nom de votre organisme". Pure: the loader found and located them.
 */
export function placeholderProblems(config: Config, release: Release): Diagnostic[] {
  return [...(config.placeholders ?? []), ...(release.placeholders ?? [])];
}
