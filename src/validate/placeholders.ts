import { AimqProblems, type Diagnostic } from '../errors/index.js';
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

/**
 * For sending: throws AimqProblems (exit 1) listing every placeholder as an error when any
 * is left, so that nothing goes out with "Titre du communiqué" or a PLACEHOLDER address.
 */
export function refuseUnfinished(config: Config, release: Release): void {
  const problems = placeholderProblems(config, release);
  if (problems.length)
    throw new AimqProblems(
      problems.map((d) => ({ ...d, severity: 'error' as const })),
      'AIMQ-PLACEHOLDER',
    );
}
