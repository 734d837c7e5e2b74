import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../package-root.js';

/** The templates shipped with aimq (`templates/` beside `dist/`). */
export const PACKAGED_TEMPLATES = join(PACKAGE_ROOT, 'templates');

/** Template folders of a kind, the project's own first: a file there overrides the packaged one. */
export function templateRoots(kind: 'web' | 'email', projectRoot: string): string[] {
  return [join(projectRoot, 'templates', kind), join(PACKAGED_TEMPLATES, kind)].filter(
    (r, i, all) => all.indexOf(r) === i && existsSync(r),
  );
}
