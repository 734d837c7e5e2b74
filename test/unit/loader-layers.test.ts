import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/cli.js';

const SRC = join(REPO, 'src');

/** Every module of src/ and the modules it imports (static, dynamic and type-only), as paths relative to src/. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const abs = join(dir, e.name);
      if (e.isDirectory()) walk(abs);
      else if (e.name.endsWith('.ts')) {
        const text = readFileSync(abs, 'utf8');
        const targets = [...text.matchAll(/(?:from\s+|import\()\s*['"](\.[^'"]+)['"]/g)].map((m) =>
          relative(SRC, normalize(join(dirname(abs), m[1]!))).replace(/\.js$/, '.ts'),
        );
        graph.set(relative(SRC, abs), targets);
      }
    }
  };
  walk(SRC);
  return graph;
}

const folderOf = (module: string) => module.split('/')[0]!;

describe('layers of the release loader', () => {
  const graph = importGraph();

  it.each([
    ['load', ['validate', 'build', 'export', 'cli', 'config']],
    ['schema', ['load', 'validate', 'markdown', 'config']],
    ['markdown', ['load', 'validate', 'schema']],
  ])('%s/ imports none of %j', (folder, forbidden) => {
    const offending = [...graph]
      .filter(([from]) => folderOf(from) === folder)
      .flatMap(([from, targets]) =>
        targets.filter((t) => forbidden.includes(folderOf(t))).map((t) => `${from} → ${t}`),
      );
    expect(offending).toEqual([]);
  });

  it('no import cycle among load/, validate/, schema/ and markdown/ modules', () => {
    const inScope = (m: string) => ['load', 'validate', 'schema', 'markdown'].includes(folderOf(m));
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (m: string, path: string[]) => {
      if (state.get(m) === 'done') return;
      if (state.get(m) === 'open') {
        cycles.push([...path.slice(path.indexOf(m)), m].join(' → '));
        return;
      }
      state.set(m, 'open');
      for (const t of graph.get(m) ?? []) if (inScope(t) && graph.has(t)) visit(t, [...path, m]);
      state.set(m, 'done');
    };
    for (const m of graph.keys()) if (inScope(m)) visit(m, []);
    expect(cycles).toEqual([]);
  });
});
