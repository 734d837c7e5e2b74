import { existsSync, readdirSync, statSync, watch, type FSWatcher } from 'node:fs';
import { join, relative, sep } from 'node:path';

export interface ProjectWatcher {
  close(): void;
}

export interface WatchOptions {
  /** Folders of the project watched with everything in them. */
  folders: readonly string[];
  /** Files at the project's root watched (aimq.config.yaml). */
  files: readonly string[];
  /** Quiet time after the last change before `onChange` runs. */
  debounceMs: number;
  /** Whether fs.watch may be asked to watch a tree (tests turn it off to exercise the fallback). */
  recursive?: boolean;
}

/**
 * Watches a project's sources and calls `onChange` with the paths that changed (relative
 * to the root, `/`-separated), once they have been quiet for `debounceMs`: an editor's
 * save is often several events (a temporary file, a rename, a change).
 *
 * The folders are watched with `fs.watch(…, { recursive: true })` (Node 20 supports it on
 * Linux, macOS and Windows); where it is not supported, every folder of the tree is watched
 * on its own and the tree is walked again after each change, to watch new folders. The
 * root itself is watched (not recursively) for the config file and for watched folders
 * that appear or disappear: `templates/` is often created after the server started.
 */
export function watchProject(
  root: string,
  options: WatchOptions,
  onChange: (changed: string[]) => void,
): ProjectWatcher {
  let recursive = options.recursive ?? true;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  const pending = new Set<string>();
  /** Watchers by the absolute folder they watch. */
  const watchers = new Map<string, FSWatcher>();

  const changed = (path: string) => {
    if (closed) return;
    pending.add(path.split('\\').join('/'));
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      const paths = [...pending].sort();
      pending.clear();
      if (!closed) onChange(paths);
    }, options.debounceMs);
  };

  const stop = (dir: string) => {
    watchers.get(dir)?.close();
    watchers.delete(dir);
  };

  const start = (dir: string, deep: boolean, listener: (name: string | null) => void): boolean => {
    try {
      const w = watch(dir, { recursive: deep, persistent: true }, (_event, name) =>
        listener(name === null ? null : String(name)),
      );
      // A watched folder deleted or renamed: drop it; sync() watches it again if it comes back.
      w.on('error', () => {
        stop(dir);
        sync();
      });
      watchers.set(dir, w);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ERR_FEATURE_UNAVAILABLE_ON_PLATFORM') throw err;
      return false;
    }
  };

  /** Every folder of a tree, the tree's root first; dot-folders are skipped as the build does. */
  const tree = (dir: string): string[] => {
    const out = [dir];
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return out;
    }
    for (const e of entries)
      if (e.isDirectory() && !e.name.startsWith('.')) out.push(...tree(join(dir, e.name)));
    return out;
  };

  /** Each watched top folder's inode, to tell a replaced folder from one whose metadata changed. */
  const inodes = new Map<string, number | undefined>();
  const inode = (path: string) => {
    try {
      return statSync(path).ino;
    } catch {
      return undefined;
    }
  };

  const isDir = (path: string) => {
    try {
      return statSync(path).isDirectory();
    } catch {
      return false;
    }
  };

  /** Watches the folders that exist and are not watched yet; forgets those that are gone. */
  const sync = () => {
    if (closed) return;
    for (const dir of [...watchers.keys()]) if (dir !== root && !existsSync(dir)) stop(dir);
    for (const folder of options.folders) {
      const top = join(root, folder);
      inodes.set(top, inode(top));
      if (!isDir(top)) continue;
      if (recursive) {
        if (watchers.has(top)) continue;
        try {
          start(top, true, (name) => changed(name ? `${folder}/${name}` : folder));
          continue;
        } catch {
          recursive = false;
        }
      }
      for (const dir of tree(top)) {
        if (watchers.has(dir)) continue;
        start(dir, false, (name) => {
          const rel = relative(root, dir);
          changed(name ? `${rel}/${name}` : rel);
          // A new subfolder is watched as soon as it appears.
          sync();
        });
      }
    }
  };

  start(root, false, (name) => {
    if (name === null) {
      changed('.');
      sync();
      return;
    }
    if (options.files.includes(name)) changed(name);
    else if (options.folders.includes(name)) {
      // The folder was created, deleted or replaced (another inode): watch it afresh.
      const top = join(root, name);
      const now = inode(top);
      if (now === inodes.get(top)) return;
      for (const dir of [...watchers.keys()]) if (dir === top || dir.startsWith(top + sep)) stop(dir);
      changed(name);
      sync();
    }
  });
  sync();

  return {
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      for (const w of watchers.values()) w.close();
      watchers.clear();
    },
  };
}
