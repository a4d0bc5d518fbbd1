#!/usr/bin/env node
// Runs the CLI from its build, dist-cli/segmentkit.js (`npm run build`, `npm run build:cli`, made
// on `npm ci`), when there is one at least as new as every source file; otherwise straight from
// the TypeScript sources through tsx, so a fresh clone or an edited source needs no build first.
// The build exists for speed: tsx compiles the sources at every start, about 0.4 s.
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const BUNDLE = path.join(ROOT, 'dist-cli', 'segmentkit.js');
const SOURCES = path.join(ROOT, 'src');

/** What the build is made from besides the sources: a change to either makes it stale too. */
const BUILD_FILES = ['webpack.config.js', 'tsconfig.json', 'package-lock.json'].map((name) => path.join(ROOT, name));

/**
 * Whether anything under `folder` was changed after `time` (ms); stops at the first. A folder's
 * own time counts too: deleting or renaming a source file changes its folder, not any file.
 */
function changedSince(folder, time) {
  if (fs.statSync(folder).mtimeMs > time) return true;
  for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
    const file = path.join(folder, entry.name);
    if (entry.isDirectory() ? changedSince(file, time) : fs.statSync(file).mtimeMs > time) return true;
  }
  return false;
}

function bundleIsFresh() {
  try {
    const built = fs.statSync(BUNDLE).mtimeMs;
    return !changedSince(SOURCES, built) && BUILD_FILES.every((file) => !fs.existsSync(file) || fs.statSync(file).mtimeMs <= built);
  } catch {
    return false; // No build yet (or no sources beside it): run from source.
  }
}

function loadCli() {
  if (bundleIsFresh()) return require(BUNDLE);
  require('tsx/cjs');
  return require('../src/cli/main.ts');
}

loadCli().main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (error) => {
    console.error(`segmentkit: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
