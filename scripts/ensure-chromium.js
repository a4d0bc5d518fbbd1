#!/usr/bin/env node
// The end-to-end test drives Debian's chromium. On a fresh Debian machine run as root (CI, a dev
// container) install it; anywhere else say exactly what to install.
const fs = require('fs');
const { spawnSync } = require('child_process');

const CHROMIUM = '/usr/bin/chromium';

function run(command, args) {
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  return result.status === 0;
}

if (!fs.existsSync(CHROMIUM)) {
  const canInstall = process.getuid?.() === 0 && fs.existsSync('/usr/bin/apt-get');
  if (!canInstall) {
    console.error(`The end-to-end test needs Chromium at ${CHROMIUM}. Install it with: sudo apt-get install chromium`);
    process.exit(1);
  }
  console.log(`Installing Debian's chromium for the end-to-end test …`);
  if (!run('apt-get', ['update', '-qq']) || !run('apt-get', ['install', '-y', '-qq', 'chromium'])) process.exit(1);
}
