#!/usr/bin/env node
// The `quasar-agent` command. npm links a bin when it installs the package: in a clone,
// before `npm run build` has written dist/, so a bin inside dist/ would not be linked, and
// `npx quasar-agent` would fetch a package of that name from the registry instead. This
// file is committed, so npm always links it; it runs the build, or says how to make one.
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const NOT_BUILT = 'is not built yet: run `npm run build` at the repository root first';
const entry = join(__dirname, '..', 'dist', 'bin', 'quasar-agent.js');

if (existsSync(entry)) {
  require(entry);
} else {
  process.stderr.write(`quasar-agent: ${entry} ${NOT_BUILT}.\n`);
  process.exitCode = 1;
}
