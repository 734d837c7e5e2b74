import { basename, join, relative, sep } from 'node:path';
import { watch } from 'chokidar';

export interface ProjectWatcher {
  /** Resolves once the watched tree has been read: a change made after it is seen. */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

export interface WatchOptions {
  /** Folders of the project watched with everything in them. */
  folders: readonly string[];
  /** Files at the project's root watched (aimq.config.yaml). */
  files: readonly string[];
  /** Quiet time after the last change before `onChange` runs. */
  debounceMs: number;
}

/**
 * Watches a project's sources and calls `onChange` with the paths that changed (relative
 * to the root, `/`-separated), once they have been quiet for `debounceMs`: an editor's
 * save is often several events (a temporary file, a rename, a change).
 *
 * chokidar watches each folder and file on its own and watches a file again when it is
 * replaced: Node 20's recursive `fs.watch` on Linux stops reporting a file that an editor
 * saved by writing a new file and renaming it over the old one (JetBrains, Emacs, gedit).
 * The root is watched one level deep for the config file and for watched folders created
 * after the start (`templates/` often is); dot-files and dot-folders are skipped, as the
 * build skips them.
 */
export function watchProject(
  root: string,
  options: WatchOptions,
  onChange: (changed: string[]) => void,
): ProjectWatcher {
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  const pending = new Set<string>();

  const relativePath = (path: string) => relative(root, path).split(sep).join('/');

  /** Outside the watched folders and files, or a dot-name: not looked at (nor descended into). */
  const ignored = (path: string): boolean => {
    const rel = relativePath(path);
    if (rel === '') return false;
    const parts = rel.split('/');
    if (parts.some((p) => p.startsWith('.') && p !== '.' && p !== '..')) return true;
    if (parts.length === 1) return !options.folders.includes(rel) && !options.files.includes(rel);
    return !options.folders.includes(parts[0]!);
  };

  const changed = (path: string) => {
    if (closed) return;
    pending.add(relativePath(path) || '.');
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      const paths = [...pending].sort();
      pending.clear();
      if (!closed) onChange(paths);
    }, options.debounceMs);
  };

  const watcher = watch(root, { ignored, ignoreInitial: true, persistent: true, atomic: true });
  for (const event of ['add', 'addDir', 'change', 'unlink', 'unlinkDir'] as const)
    watcher.on(event, (path: string) => changed(path));
  // chokidar drops a second `change` of a file within 50 ms of the first (two quick saves,
  // a save then a formatter): the raw events of its watchers still say something moved.
  watcher.on('raw', (_event, name, details) => {
    const watched = (details as { watchedPath?: string } | undefined)?.watchedPath;
    if (!watched || !name) return;
    // A file's own watcher names the file; a folder's names the entry that changed in it.
    const path = basename(watched) === name ? watched : join(watched, name);
    if (!ignored(path)) changed(path);
  });
  // A folder that vanishes mid-scan or cannot be read: the next change is seen once it is back.
  watcher.on('error', () => {});
  const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()));

  return {
    ready,
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await watcher.close();
    },
  };
}
