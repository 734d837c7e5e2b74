import { existsSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { excerpt } from '../schema/yaml.js';
import { realInside, realOrSelf } from './discover.js';

/**
 * Why an image reference cannot be used, if it cannot: a missing file, a path or a
 * symbolic link that leads outside the release folder, or a non-https URL.
 */
export function imageProblem(dirAbs: string, src: string): { message: string; hint: string } | undefined {
  const shown = excerpt(src);
  if (/^[a-z][a-z0-9+.-]*:/i.test(src)) {
    return src.startsWith('https://')
      ? undefined
      : {
          message: `image "${shown}" must be a file in the release folder or an https URL`,
          hint: 'copy the image into the release folder and give its file name',
        };
  }
  const path = join(dirAbs, src);
  const inside = !relative(dirAbs, path).startsWith('..');
  if (!inside)
    return {
      message: `image "${shown}" is outside the release folder`,
      hint: 'copy the image into the release folder',
    };
  if (!existsSync(path)) {
    return {
      message: `image "${shown}" does not exist in ${basename(dirAbs)}/`,
      hint: 'check the file name (it is case-sensitive) or copy the image into the release folder',
    };
  }
  // A symbolic link would attach or publish whatever it points to, anywhere on the machine.
  if (realInside(realOrSelf(dirAbs), path) === undefined)
    return {
      message: `image "${shown}" is a link to a file outside the release folder`,
      hint: 'copy the image itself into the release folder instead of linking to it',
    };
  if (!statSync(path).isFile())
    return {
      message: `image "${shown}" is not a file`,
      hint: 'give the name of the image file, relative to the release folder',
    };
  return undefined;
}
