import { parseConfig } from '../../src/config/load.js';
import { AimqProblems, type Diagnostic } from '../../src/errors/index.js';

/** Where a config text is said to come from, for `parseConfig`. */
export const where = { root: '/project', file: 'aimq.config.yaml' };

/** The smallest valid aimq.config.yaml: what a test of one key adds its key to. */
export const MINIMAL_CONFIG = `organization:
  name: { fr: Association X, en: X Association }
  shortName: AX
  boilerplate: { fr: Texte., en: Text. }
baseUrl: https://example.org/news/
`;

/** The problems a config text has; throws when it has none. */
export function problemsOf(text: string): Diagnostic[] {
  try {
    parseConfig(text, where);
  } catch (err) {
    if (err instanceof AimqProblems) return err.diagnostics;
    throw err;
  }
  throw new Error('expected problems');
}
