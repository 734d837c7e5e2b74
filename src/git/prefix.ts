import { execFileSync } from 'node:child_process';

/**
 * The project folder's path from the top of its git work tree, with a final slash ("site/");
 * '' at the top, outside git, or without git.
 */
export function projectPrefix(root: string): string {
  try {
    return execFileSync('git', ['rev-parse', '--show-prefix'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return '';
  }
}
