#!/usr/bin/env node
// `npm start`. On Windows and macOS: the webpack dev server over https (certificates from
// office-addin-dev-certs) for sideloading into Excel. On Linux, where office-addin-debugging does
// not run and installing the dev certificate needs sudo: build once when dist/ is missing or
// older than the sources, then serve dist/ over plain http so the browser version runs at once.
const fs = require('fs');
const http = require('http');
const path = require('path');
const { spawn, spawnSync } = require('child_process');

const ROOT = path.resolve(__dirname, '..');
const DIST = path.join(ROOT, 'dist');
/**
 * The port to serve on: PORT when set, else the package's configured port (npm passes it as
 * npm_package_config_dev_server_port), else 3000. PORT wins because the "in use" message below
 * tells users to set it, and npm always passes the configured value.
 */
function choosePort(env = process.env) {
  return Number(env.PORT || env.npm_package_config_dev_server_port || 3000);
}
const PORT = choosePort();
const SOURCES = ['src', 'assets', 'manifest.xml', 'webpack.config.js', 'package.json'];

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** Newest modification time of a file or of everything under a folder. */
function newestChange(target) {
  if (!fs.existsSync(target)) return 0;
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return fs.readdirSync(target).reduce((newest, entry) => Math.max(newest, newestChange(path.join(target, entry))), stat.mtimeMs);
}

function buildIsStale() {
  const built = path.join(DIST, 'index.html');
  if (!fs.existsSync(built)) return true;
  const builtAt = fs.statSync(built).mtimeMs;
  return SOURCES.some((source) => newestChange(path.join(ROOT, source)) > builtAt);
}

function build() {
  console.log('Building the add-in into dist/ (webpack --mode development) …');
  // SEGMENTKIT_HTTP keeps webpack.config.js from creating and installing dev certificates (sudo).
  const result = spawnSync(process.execPath, [require.resolve('webpack-cli/bin/cli.js'), '--mode', 'development'], {
    cwd: ROOT, stdio: 'inherit', env: { ...process.env, SEGMENTKIT_HTTP: '1' },
  });
  if (result.status !== 0) throw new Error('The build failed; see the webpack output above.');
}

/**
 * A static file server for a folder, on localhost only: what `npm start` uses on Linux and what
 * the end-to-end test serves the production build with. Resolves with the server once listening.
 */
function serveDirectory(directory, port = 0, host = '127.0.0.1') {
  const root = path.resolve(directory);
  const server = http.createServer((request, response) => {
    const { pathname } = new URL(request.url || '/', 'http://localhost');
    if (pathname === '/') {
      response.writeHead(302, { Location: '/index.html' }).end();
      return;
    }
    const file = path.resolve(root, '.' + decodeURIComponent(pathname));
    // Never serve anything outside the folder, whatever the path says.
    if (file !== root && !file.startsWith(root + path.sep)) {
      response.writeHead(403).end();
      return;
    }
    fs.readFile(file, (error, data) => {
      if (error) {
        response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`Not found: ${pathname}`);
        return;
      }
      const type = CONTENT_TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
      // Excel on the web fetches the custom-function metadata cross-origin (README, Hosting).
      const cors = /^\/functions.*\.(json|js)$/.test(pathname) ? { 'Access-Control-Allow-Origin': '*' } : {};
      response.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-store', ...cors }).end(data);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

function sideloadHelp(protocol) {
  const base = `${protocol}://localhost:${PORT}`;
  return [
    '',
    `Browser version (no Excel needed): ${base}/index.html`,
    '',
    'To sideload into Excel (the manifest points at https://localhost:3000):',
    '  Excel on the web: Home > Add-ins > More add-ins > My add-ins > Upload My Add-in > manifest.xml',
    '  Windows: share a folder holding manifest.xml, add it under File > Options > Trust Center >',
    '           Trusted Add-in Catalogs, restart Excel, then Home > Add-ins > Shared Folder.',
    '  macOS:   copy manifest.xml to ~/Library/Containers/com.microsoft.Excel/Data/Documents/wef/',
    '           and restart Excel; SegmentKit appears under Home > Add-ins.',
    protocol === 'http'
      ? '  Excel needs https: run `npm start` on Windows or macOS (office-addin-dev-certs installs a\n  trusted localhost certificate), or serve dist/ from an https host.'
      : '  The first run asks to trust the localhost certificate (office-addin-dev-certs).',
    '',
  ].join('\n');
}

async function startLinux() {
  if (buildIsStale()) build();
  else console.log('dist/ is up to date.');
  try {
    await serveDirectory(DIST, PORT, 'localhost');
  } catch (error) {
    if (error.code === 'EADDRINUSE') throw new Error(`Port ${PORT} is in use. Stop what runs there, or set PORT=<number>.`);
    throw error;
  }
  console.log(`Serving ${path.relative(ROOT, DIST)}/ on http://localhost:${PORT} (Ctrl+C stops).`);
  console.log(sideloadHelp('http'));
}

function startDevServer() {
  console.log(sideloadHelp('https'));
  const child = spawn(process.execPath, [require.resolve('webpack-cli/bin/cli.js'), 'serve', '--mode', 'development'], { cwd: ROOT, stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
}

async function main() {
  if (process.platform === 'linux') await startLinux();
  else startDevServer();
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error.message);
    process.exit(1);
  });
}

module.exports = { serveDirectory, choosePort };
