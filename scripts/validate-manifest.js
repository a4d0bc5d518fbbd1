#!/usr/bin/env node
// npm run validate: checks manifest.xml offline (see manifest-checks.js for why not online).
// Usage: node scripts/validate-manifest.js [manifest.xml] [assets dir]
const fs = require('fs');
const path = require('path');
const { checkManifest } = require('./manifest-checks');

async function main() {
  const root = path.resolve(__dirname, '..');
  const manifestPath = path.resolve(process.argv[2] || path.join(root, 'manifest.xml'));
  const assetsDir = path.resolve(process.argv[3] || path.join(root, 'assets'));
  const results = await checkManifest(fs.readFileSync(manifestPath, 'utf8'), { assetsDir });
  console.log(`Checking ${path.relative(process.cwd(), manifestPath) || manifestPath}`);
  for (const result of results) {
    console.log(`${result.ok ? 'PASS' : 'FAIL'}  ${result.name}`);
    for (const detail of result.details) if (detail) console.log(`      ${detail}`);
  }
  const failed = results.filter((result) => !result.ok).length;
  console.log(failed === 0 ? `Manifest OK: ${results.length} checks passed.` : `Manifest has problems: ${failed} of ${results.length} checks failed.`);
  process.exitCode = failed === 0 ? 0 : 1;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
