#!/usr/bin/env node
import('../dist/bundle/cli/main.js').then((m) => m.main(process.argv));
