import { realpathSync, statSync } from 'node:fs';
import { extname, isAbsolute, join, relative, sep } from 'node:path';

/** What a request path names in the served folder. */
export type Resolved =
  /** A file inside the folder (its real path), and the clean segments of the request. */
  | { kind: 'file'; path: string; segments: string[] }
  /** A folder inside the served one: serve its index.html, or redirect to the URL with a final slash. */
  | { kind: 'directory'; path: string; segments: string[] }
  /** The path tries to leave the folder (`..`, encoded slashes, a symlink pointing out…). */
  | { kind: 'forbidden' }
  | { kind: 'missing' };

/** Whether `path` is `root` or below it (both absolute and normalized). */
export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/**
 * Maps the raw path of a request (before any normalization, query removed) to a file of
 * `root`, refusing anything that could leave it: each segment is decoded once and must not
 * be `.` or `..` nor contain a slash, a backslash or NUL once decoded (so `%2e%2e`,
 * `..%2f..` and `..%5c` are refused), and the real path, symlinks resolved, must stay inside
 * the real root.
 */
export function resolveInside(root: string, rawPath: string): Resolved {
  if (!rawPath.startsWith('/') || rawPath.includes('\\') || rawPath.includes('\0'))
    return { kind: 'forbidden' };
  const segments: string[] = [];
  for (const raw of rawPath.split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return { kind: 'forbidden' };
    }
    if (segment === '') continue;
    if (segment === '.' || segment === '..' || /[/\\\0]/.test(segment)) return { kind: 'forbidden' };
    segments.push(segment);
  }
  const target = join(root, ...segments);
  if (!isInside(root, target)) return { kind: 'forbidden' };
  let realRoot: string;
  let real: string;
  try {
    realRoot = realpathSync(root);
    real = realpathSync(target);
  } catch {
    return { kind: 'missing' };
  }
  if (!isInside(realRoot, real)) return { kind: 'forbidden' };
  try {
    const stat = statSync(real);
    if (stat.isDirectory()) return { kind: 'directory', path: real, segments };
    if (stat.isFile()) return { kind: 'file', path: real, segments };
  } catch {
    // Removed between realpath and stat: as good as missing.
  }
  return { kind: 'missing' };
}

/** The URL path of clean segments, re-encoded: safe in a Location header (never `//host`). */
export function pathOf(segments: readonly string[], trailingSlash: boolean): string {
  const path = `/${segments.map(encodeURIComponent).join('/')}`;
  return trailingSlash && !path.endsWith('/') ? `${path}/` : path;
}

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.mjml': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.pdf': 'application/pdf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.mp3': 'audio/mpeg',
  '.zip': 'application/zip',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** The Content-Type of a file by its extension; text types say UTF-8, which is what aimq writes. */
export function contentTypeOf(path: string): string {
  return TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/** Whether a request path would be answered with an HTML page (a folder, an .html file, or no extension). */
export function looksLikePage(rawPath: string): boolean {
  const last = rawPath.slice(rawPath.lastIndexOf('/') + 1);
  return last === '' || !last.includes('.') || /\.html?$/i.test(last);
}
