#!/usr/bin/env node
// The tests check SegmentKit against programs it does not control: Debian's chromium drives the
// task pane, LibreOffice opens and recalculates what SegmentKit writes, and Python's openpyxl and
// xlsxwriter read it and write the fixtures of other producers. On a Debian machine run as root
// (CI, a dev container) the missing ones are installed; anywhere else this says what to install,
// and the tests that need a missing tool say plainly that they are skipped.
const fs = require('fs');
const { spawnSync } = require('child_process');

const TOOLS = [
  { name: 'Chromium', present: () => fs.existsSync('/usr/bin/chromium'), packages: ['chromium'], required: true },
  { name: 'LibreOffice Calc', present: () => spawnSync('soffice', ['--version']).status === 0, packages: ['libreoffice-calc-nogui'] },
  {
    name: "Python's openpyxl and xlsxwriter",
    present: () => spawnSync('/usr/bin/python3', ['-c', 'import openpyxl, xlsxwriter']).status === 0,
    packages: ['python3-openpyxl', 'python3-xlsxwriter'],
  },
];

function run(command, args) {
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  return result.status === 0;
}

const missing = TOOLS.filter((tool) => !tool.present());
if (missing.length > 0) {
  const packages = missing.flatMap((tool) => tool.packages);
  const canInstall = process.getuid?.() === 0 && fs.existsSync('/usr/bin/apt-get');
  if (canInstall) {
    console.log(`Installing what the tests need: ${packages.join(' ')} …`);
    if (!run('apt-get', ['update', '-qq']) || !run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages])) process.exit(1);
  } else {
    for (const tool of missing) console.error(`${tool.name} is missing: sudo apt-get install ${tool.packages.join(' ')}${tool.required ? '' : ' (the tests that need it are skipped)'}`);
    if (missing.some((tool) => tool.required)) process.exit(1);
  }
}
