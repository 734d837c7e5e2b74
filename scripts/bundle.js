// Run after tsc (npm run build, and npm install through `prepare`):
//   1. bundles the CLI into dist/bundle/, which bin/aimq.js runs: one file per command and
//      shared chunks instead of hundreds of small modules (unified alone is ~200), so a
//      command starts in a third of the time. tsc's dist/ stays,
//      module by module (type checking, and the tests that load single modules). Left out
//      of the bundle: better-sqlite3 (a native addon found by its own path), mjml and
//      playwright-core (large, loaded only when needed, and they read their own files);
//   2. compiles aimq's own e-mail layout with MJML into dist/email-layouts/, so a project
//      that does not override it never loads MJML (see PACKAGED_LAYOUTS in layout.ts).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'bundle');
rmSync(outdir, { recursive: true, force: true }); // chunk names change with their content

await build({
  absWorkingDir: root,
  entryPoints: { 'cli/main': 'src/cli/main.ts' },
  outdir,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true, // commands stay lazy: `aimq --help` loads no markdown or template code
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['better-sqlite3', 'mjml', 'playwright-core'],
  // CommonJS dependencies inside an ES module bundle still call require().
  banner: {
    js: "import { createRequire as __aimqCreateRequire } from 'node:module'; const require = __aimqCreateRequire(import.meta.url);",
  },
  legalComments: 'none',
  logLevel: 'warning',
});

const { loadEmailLayout, PACKAGED_LAYOUTS } = await import(
  pathToFileURL(join(root, 'dist', 'render-email', 'layout.js')).href
);
const { createTemplateEngine } = await import(
  pathToFileURL(join(root, 'dist', 'templating', 'engine.js')).href
);
rmSync(PACKAGED_LAYOUTS, { recursive: true, force: true });
const noProject = mkdtempSync(join(tmpdir(), 'aimq-build-')); // no templates/ of its own: aimq's only
try {
  await loadEmailLayout(createTemplateEngine('email', noProject), PACKAGED_LAYOUTS);
} finally {
  rmSync(noProject, { recursive: true, force: true });
}
