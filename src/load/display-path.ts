import { relative, sep } from 'node:path';

/** Project-relative path with `/` separators: how files are named in every message. */
export function displayPath(root: string, abs: string): string {
  return relative(root, abs).split(sep).join('/') || '.';
}
