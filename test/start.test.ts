// `npm start`'s port and its server, as a user meets them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Server, AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { afterAll, describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const { choosePort, serveDirectory } = require('../scripts/start.js') as {
  choosePort(env: Record<string, string | undefined>): number;
  serveDirectory(directory: string, port: number, host: string): Promise<Server>;
};

describe('the port npm start serves on', () => {
  it('is PORT when set, even though npm always passes the configured port', () => {
    expect(choosePort({ PORT: '3001', npm_package_config_dev_server_port: '3000' })).toBe(3001);
  });

  it('is the configured port without PORT, and 3000 without either', () => {
    expect(choosePort({ npm_package_config_dev_server_port: '3100' })).toBe(3100);
    expect(choosePort({})).toBe(3000);
  });
});

describe('the static server', () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'segmentkit-serve-'));
  fs.writeFileSync(path.join(folder, 'index.html'), '<p>browser version</p>');
  let server: Server | undefined;
  afterAll(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  it('sends / to the browser version, index.html, which loads nothing from outside', async () => {
    server = await serveDirectory(folder, 0, '127.0.0.1');
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const root = await fetch(`${base}/`, { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/index.html');
    expect(await (await fetch(`${base}/index.html`)).text()).toBe('<p>browser version</p>');
    expect((await fetch(`${base}/../etc/passwd`)).status).not.toBe(200);
  });
});
