#!/usr/bin/env node
// Runs the TypeScript CLI straight from source through tsx, so there is nothing to build first.
require('tsx/cjs');
const { main } = require('../src/cli/main.ts');

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (error) => {
    console.error(`segmentkit: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
