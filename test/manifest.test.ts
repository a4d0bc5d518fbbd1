import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { HOSTING_HEADERS, manifestForProduction, productionBaseUrl } from '../scripts/hosting.js';
import { checkManifest, pngSize, REQUIRED_SETS } from '../scripts/manifest-checks.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ASSETS = join(ROOT, 'assets');
const MANIFEST = readFileSync(join(ROOT, 'manifest.xml'), 'utf8');
const CHECKS = [
  'XML parses', 'task pane add-in for Excel', 'every resid resolves', 'one shared runtime', 'shared runtime requirement sets',
  'custom functions namespace SEGMENT', 'https URLs', 'icons exist with the right sizes', 'English and Danish texts', 'store validator rules',
];

/** The manifest with one exact piece of text replaced; fails loudly if the piece is not there. */
function broken(find: string, replace: string): string {
  expect(MANIFEST).toContain(find);
  return MANIFEST.replace(find, replace);
}

async function failures(xml: string, assetsDir = ASSETS) {
  const results = await checkManifest(xml, { assetsDir });
  return Object.fromEntries(results.filter((result) => !result.ok).map((result) => [result.name, result.details]));
}

describe('manifest.xml', () => {
  it('passes every offline check', async () => {
    const results = await checkManifest(MANIFEST, { assetsDir: ASSETS });
    expect(results.map((result) => result.name)).toEqual(CHECKS);
    expect(results.filter((result) => !result.ok)).toEqual([]);
  });

  it('ships real PNG icons of the sizes their names say', () => {
    for (const size of [16, 32, 64, 80, 128]) {
      expect(pngSize(readFileSync(join(ASSETS, `icon-${size}.png`)))).toEqual({ width: size, height: size });
    }
    expect(pngSize(Buffer.from('not a png at all, but long enough'))).toBeNull();
  });
});

describe('the checks catch broken manifests', () => {
  it('fails "one shared runtime" when the Page loads another URL than the Runtime', async () => {
    const xml = broken(
      '<Page>\n              <SourceLocation resid="Taskpane.Url"/>',
      '<Page>\n              <SourceLocation resid="Functions.Script.Url"/>',
    );
    expect(await failures(xml)).toEqual({
      'one shared runtime': ['Runtime, Page and FunctionFile use different resids: Taskpane.Url, Functions.Script.Url.'],
    });
  });

  it('fails "one shared runtime" when <Runtimes> is not first inside <Host>', async () => {
    const runtimes = '<Runtimes>\n          <Runtime resid="Taskpane.Url" lifetime="long"/>\n        </Runtimes>\n';
    const xml = broken(runtimes, '').replace('</AllFormFactors>\n', `</AllFormFactors>\n        ${runtimes}`);
    expect(await failures(xml)).toEqual({ 'one shared runtime': ['<Runtimes> must be the first element inside <Host xsi:type="Workbook">.'] });
  });

  it('fails "every resid resolves" for a resid with no resource', async () => {
    const xml = broken('<Label resid="TaskpaneButton.Label"/>', '<Label resid="TaskpaneButton.Caption"/>');
    expect(await failures(xml)).toEqual({ 'every resid resolves': ['<Label resid="TaskpaneButton.Caption"> has no resource with that id.'] });
  });

  it('fails the requirement, namespace and https checks', async () => {
    let xml = broken('<Set Name="SharedRuntime" MinVersion="1.1"/>', '');
    xml = xml.replace('DefaultValue="SEGMENT"', 'DefaultValue="CONTOSO"');
    xml = xml.replace('DefaultValue="https://localhost:3000/functions.js"', 'DefaultValue="http://localhost:3000/functions.js"');
    expect(await failures(xml)).toEqual({
      'shared runtime requirement sets': ['The <Requirements> lack <Set Name="SharedRuntime" MinVersion="1.1"/>.'],
      'custom functions namespace SEGMENT': ['The custom functions namespace is "CONTOSO", not "SEGMENT".'],
      'https URLs': ['<bt:Url> "http://localhost:3000/functions.js" is not an https URL.'],
    });
  });

  it('fails the Danish checks without the functions-da.json override or a translated label', async () => {
    let xml = broken('\n          <bt:Override Locale="da-DK" Value="https://localhost:3000/functions-da.json"/>', '');
    xml = xml.replace('\n          <bt:Override Locale="da-DK" Value="Segmentér kunder"/>', '');
    expect(await failures(xml)).toEqual({
      'custom functions namespace SEGMENT': ['The metadata URL needs <bt:Override Locale="da-DK" Value=".../functions-da.json"/>.'],
      'English and Danish texts': ['TaskpaneButton.Label has no da-DK <bt:Override>.'],
    });
  });

  it('fails "icons exist with the right sizes" for a missing icon and one of the wrong size', async () => {
    const assets = mkdtempSync(join(tmpdir(), 'segmentkit-icons-'));
    for (const size of [16, 64, 80, 128]) copyFileSync(join(ASSETS, `icon-${size}.png`), join(assets, `icon-${size}.png`));
    // icon-32.png is missing; icon-80.png is really 64 px.
    copyFileSync(join(ASSETS, 'icon-64.png'), join(assets, 'icon-80.png'));
    const details = (await failures(MANIFEST, assets))['icons exist with the right sizes'];
    expect(details).toContain(`IconUrl: ${join(assets, 'icon-32.png')} does not exist.`);
    expect(details).toContain('Image Icon.80x80: icon-80.png is 64×64 px; it is shown at 80 px.');
  });

  it('fails "XML parses" for a manifest that is not XML', async () => {
    const results = await checkManifest('<OfficeApp><Id>', { assetsDir: ASSETS });
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ name: 'XML parses', ok: false });
  });

  it('makes npm run validate exit non-zero and name the failed check', () => {
    const dir = mkdtempSync(join(tmpdir(), 'segmentkit-manifest-'));
    const file = join(dir, 'manifest.xml');
    writeFileSync(file, broken('DefaultValue="SEGMENT"', 'DefaultValue="SEG"'));
    const run = spawnSync(process.execPath, [join(ROOT, 'scripts/validate-manifest.js'), file, ASSETS], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('FAIL  custom functions namespace SEGMENT');
    expect(run.stdout).toContain('PASS  one shared runtime');
    expect(run.stdout).toContain('1 of 10 checks failed');
  });
});

describe('what the store validator and Excel need beyond the schema', () => {
  it('fails without a SupportUrl, with a 128 px high-resolution icon, and with an example domain', async () => {
    let xml = broken('  <SupportUrl DefaultValue="https://localhost:3000/support.html"/>\n', '');
    xml = xml.replace('<HighResolutionIconUrl DefaultValue="https://localhost:3000/assets/icon-64.png"/>', '<HighResolutionIconUrl DefaultValue="https://localhost:3000/assets/icon-128.png"/>');
    xml = xml.replace('DefaultValue="https://localhost:3000/functions.js"', 'DefaultValue="https://segmentkit.example.com/functions.js"');
    expect(await failures(xml)).toEqual({
      'icons exist with the right sizes': ['HighResolutionIconUrl: icon-128.png is 128×128 px; it is shown at 64 px.'],
      'store validator rules': [
        'The manifest has no <SupportUrl DefaultValue="https://…"/>; the store requires one.',
        '<bt:Url> "https://segmentkit.example.com/functions.js" is on a placeholder domain; build with SEGMENTKIT_URL set to the real address.',
      ],
    });
  });

  it('fails CustomFunctionsRuntime 1.1, which has no CustomFunctions.Error, and the functions use it', async () => {
    const xml = broken('<Set Name="CustomFunctionsRuntime" MinVersion="1.2"/>', '<Set Name="CustomFunctionsRuntime" MinVersion="1.1"/>');
    expect(await failures(xml)).toEqual({ 'shared runtime requirement sets': ["CustomFunctionsRuntime requires MinVersion 1.1; SegmentKit's code needs 1.2."] });
    expect(REQUIRED_SETS).toEqual({ SharedRuntime: '1.1', CustomFunctionsRuntime: '1.2' });
    expect(readFileSync(join(ROOT, 'src/functions/errors.ts'), 'utf8')).toContain('new CustomFunctions.Error(');
  });

  it('ships a 64×64 icon-64.png and the support page the SupportUrl names', () => {
    expect(pngSize(readFileSync(join(ASSETS, 'icon-64.png')))).toEqual({ width: 64, height: 64 });
    expect(readFileSync(join(ROOT, 'src/support.html'), 'utf8')).toContain('Excel 2021 or later, or Excel for Microsoft 365');
  });
});

describe('the production address', () => {
  it('is SEGMENTKIT_URL with a trailing slash, and none when it is not set', () => {
    expect(productionBaseUrl('https://addins.fabrikam.dk/segmentkit')).toBe('https://addins.fabrikam.dk/segmentkit/');
    expect(productionBaseUrl('https://addins.fabrikam.dk/')).toBe('https://addins.fabrikam.dk/');
    expect(productionBaseUrl(undefined)).toBeNull();
    expect(productionBaseUrl('  ')).toBeNull();
  });

  it('refuses placeholder, local and plain http addresses', () => {
    expect(() => productionBaseUrl('https://segmentkit.example.com/')).toThrow('is a placeholder or local host');
    expect(() => productionBaseUrl('https://localhost:3000/')).toThrow('is a placeholder or local host');
    expect(() => productionBaseUrl('http://addins.fabrikam.dk/')).toThrow('must be an https address');
    expect(() => productionBaseUrl('addins.fabrikam.dk')).toThrow('is not a URL');
  });

  it('replaces every development URL, and the result passes every check', async () => {
    const production = manifestForProduction(MANIFEST, 'https://addins.fabrikam.dk/segmentkit/');
    expect(production).not.toContain('localhost');
    expect(production.match(/https:\/\/addins\.fabrikam\.dk\/segmentkit\//g)).toHaveLength(14);
    expect(await failures(production)).toEqual({});
  });
});

describe('hosting', () => {
  it('serves the add-in files with a CORS header from the dev server, as README tells production hosts to', async () => {
    expect(HOSTING_HEADERS).toEqual({ 'Access-Control-Allow-Origin': '*' });
    process.env.SEGMENTKIT_HTTP = '1';
    type AddinConfig = { devServer: { headers: Record<string, string> } };
    type MakeConfig = (env: object, options: { mode: string }) => Promise<AddinConfig | AddinConfig[]>;
    const makeConfig = createRequire(import.meta.url)('../webpack.config.js') as MakeConfig;
    // The dev server (webpack serve) gets the add-in's config alone; a build gets it with the CLI bundle's.
    const made = await makeConfig({ WEBPACK_SERVE: true }, { mode: 'development' });
    const config = Array.isArray(made) ? made[0] : made;
    delete process.env.SEGMENTKIT_HTTP;
    expect(config.devServer.headers).toEqual(HOSTING_HEADERS);
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain('Access-Control-Allow-Origin: *');
  });
});
