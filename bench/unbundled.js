#!/usr/bin/env node
// `aimq` from tsc's module-by-module output (dist/cli/main.js) instead of the bundle that
// bin/aimq.js runs: the benchmarks profile through it (see UNBUNDLED in lib.js).
import('../dist/cli/main.js').then((m) => m.main(process.argv));
