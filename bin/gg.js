#!/usr/bin/env node
// The `gg` command (package.json "bin"): runs the built CLI as it is, without compiling anything.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const built = join(__dirname, '..', 'dist', 'cli', 'main.js');
if (!existsSync(built)) {
  console.error('gg: the CLI is not built yet; run `npm run build` once in ' + join(__dirname, '..'));
  process.exit(1);
}
require(built).main();
