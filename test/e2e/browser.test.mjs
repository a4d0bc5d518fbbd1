// End to end in real Chromium: the production build's browser version opens the sample workbook,
// maps its columns, runs ABCD and Pareto, previews, applies and downloads the result, which is
// then read back with ExcelJS and checked row by row against the engine run on the same file.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { unzipSync } from 'fflate';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const { serveDirectory } = require('../../scripts/start.js');

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DIST = process.env.SEGMENTKIT_DIST ? path.resolve(process.env.SEGMENTKIT_DIST) : path.join(ROOT, 'dist');
const SAMPLE = path.join(ROOT, 'assets/sample-customers.xlsx');
const RESULTS = path.join(ROOT, 'test-results');
const README_SCREENSHOT = path.join(ROOT, 'docs/taskpane.png');
const OFFICE_JS = 'https://appsforoffice.microsoft.com/lib/1/hosted/office.js';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let server;
let browser;
let base;
let expected;
let consultancy;

function ensureBuild() {
  if (fs.existsSync(path.join(DIST, 'index.html'))) return;
  execFileSync(process.execPath, [require.resolve('webpack-cli/bin/cli.js'), '--mode', 'production'], { cwd: ROOT, stdio: 'inherit' });
}

/**
 * The engine's answer for a workbook (the sample unless given), computed outside the browser
 * (TypeScript, through tsx), for the models chosen, with the settings changed in the pane (by
 * path), with or without reasons, written in a language.
 */
function engineExpectations(models = 'abcd,pareto', changes = {}, reasons = false, file = SAMPLE, language = 'en') {
  const args = [path.join(ROOT, 'test/e2e/expectations.ts'), file, models, JSON.stringify(changes), reasons ? 'reasons' : '', language];
  const output = execFileSync(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' });
  return JSON.parse(output);
}

/** Every planned column right of the table, header and cells, and each segment column's tier colors. */
function checkColumns(sheet, expectations) {
  const { headerRow, firstColumn } = expectations.origin;
  expectations.columns.forEach((planned, index) => {
    const column = firstColumn + expectations.headers.length + 1 + index;
    assert.equal(sheet.getCell(headerRow, column).value, planned.header);
    for (let i = 0; i < expectations.rowCount; i++) {
      assertSameCell(cellValue(sheet.getCell(headerRow + 1 + i, column)), planned.values[i], `${planned.header}, sheet row ${headerRow + 1 + i}`);
    }
    if (!planned.tierColors) return;
    const letter = columnLetter(column - 1);
    const format = sheet.conditionalFormattings.find((candidate) => candidate.ref === `${letter}${headerRow + 1}:${letter}${headerRow + expectations.rowCount}`);
    assert.ok(format, `conditional format on ${planned.header}`);
    assert.deepEqual(
      format.rules.map((rule) => [rule.type, rule.operator, rule.formulae[0], rule.style.fill.bgColor.argb, rule.style.font.color.argb]),
      planned.tierColors.map((tier) => ['cellIs', 'equal', `"${tier.value}"`, argb(tier.fill), argb(tier.font)]),
    );
  });
  const after = firstColumn + expectations.headers.length + expectations.columns.length + 1;
  assert.equal(sheet.getCell(headerRow, after).value, null, 'nothing right of the segment columns');
}

/**
 * A written cell against the engine's: equal, or for a fitted number (a churn risk from a model
 * fitted in Chromium's V8 against the same fit in Node's) equal to 12 significant digits, since
 * the two engines' Math.exp and Math.log may differ in the last bit.
 */
function assertSameCell(actual, expected, where) {
  if (typeof actual === 'number' && typeof expected === 'number' && !Number.isInteger(expected)) {
    assert.ok(Math.abs(actual - expected) <= 1e-12 * Math.max(1, Math.abs(expected)), `${where}: ${actual} against ${expected}`);
    return;
  }
  assert.equal(actual, expected, where);
}

/** Every sheet SegmentKit adds holds exactly what the plan says, cell by cell. */
function checkSheets(workbook, expectations) {
  for (const planned of expectations.sheets) {
    const written = workbook.getWorksheet(planned.name);
    assert.ok(written, `sheet ${planned.name}`);
    planned.rows.forEach((row, r) => {
      row.forEach((value, c) => assert.equal(cellValue(written.getCell(r + 1, c + 1)), value === '' ? null : value, `${planned.name}!${columnLetter(c)}${r + 1}`));
    });
  }
}

/** Opens the sample in a fresh page that may reach nothing but our server, and waits for its table. */
async function openSample(context, expectations) {
  const page = await context.newPage();
  await page.goto(`${base}/index.html`);
  await page.getByRole('button', { name: 'Use the sample workbook' }).click();
  await page.getByText(`${integer.format(expectations.rowCount)} customers, ${expectations.headers.length} columns`, { exact: false }).waitFor({ timeout: 60_000 });
  return page;
}

/** Applies in the browser, downloads the result and reads it back with ExcelJS. */
async function applyAndDownload(page, name) {
  await page.getByRole('button', { name: 'Apply to the workbook' }).click();
  await page.getByTestId('apply-result').waitFor({ timeout: 120_000 });
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download sample-customers-segmented.xlsx' }).click(),
  ]);
  fs.mkdirSync(RESULTS, { recursive: true });
  const saved = path.join(RESULTS, name);
  await download.saveAs(saved);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(saved);
  return workbook;
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const percent = new Intl.NumberFormat('en-US', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** A cell as ExcelJS reads it back, in the plan's terms: text, a number or null. */
function cellValue(cell) {
  const value = cell.value;
  if (value === null || value === undefined || value === '') return null;
  // A formula whose stored result is the empty text ("no segment") reads back without a result;
  // a cell of a shared formula (a live column filled down) reads as { sharedFormula, result }.
  if (typeof value === 'object' && ('formula' in value || 'sharedFormula' in value)) return value.result === '' || value.result === undefined ? null : plainDate(value.result);
  return plainDate(value);
}

/** A date-formatted number (the day a cut was computed) reads back as a Date: compare it as Excel's serial day. */
function plainDate(value) {
  if (value instanceof Date) return value.getTime() / 86_400_000 + 25569;
  return value;
}

function argb(hex) {
  return `FF${hex.replace('#', '').toUpperCase()}`;
}

function columnLetter(index) {
  let letters = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

/** A model's name in a language, as the pane shows it (read from the built engine's catalog through the expectations script would be slower). */
function getModelName(id, language) {
  const names = { margin: { en: 'Margin and cost to serve', da: 'Dækningsbidrag og serviceomkostninger' } };
  return names[id][language];
}

/**
 * A browser context that may reach nothing but our server: every other request is refused and
 * listed in `blocked`, so a test can say exactly what the page tried to fetch from outside.
 */
async function offlineContext(options) {
  const context = await browser.newContext(options);
  context.blocked = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(`${base}/`)) return route.continue();
    context.blocked.push(url);
    return route.abort('blockedbyclient');
  });
  return context;
}

async function screenshot(page, name, fullPage = false) {
  fs.mkdirSync(RESULTS, { recursive: true });
  await page.screenshot({ path: path.join(RESULTS, `${name}.png`), fullPage });
}

before(async () => {
  ensureBuild();
  expected = engineExpectations();
  consultancy = engineExpectations('quadrant,value', { value: { 'terms.Gold.discount': 0.1 } }, true);
  server = await serveDirectory(DIST, 0, '127.0.0.1');
  base = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true });
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve()));
});

test('the browser version segments the sample workbook and downloads the result', { timeout: 180_000 }, async () => {
  const context = await offlineContext({ viewport: { width: 420, height: 900 }, locale: 'en-US', acceptDownloads: true });
  const requests = [];
  const page = await context.newPage();
  page.on('request', (request) => requests.push(request.url()));
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));

  await page.goto(`${base}/index.html`);
  await page.getByRole('button', { name: 'Choose a file' }).waitFor();
  await screenshot(page, '0-open');
  await page.getByRole('button', { name: 'Use the sample workbook' }).click();

  // Data: the table, the detected role of every column, and the row problems.
  const lastColumn = columnLetter(expected.origin.firstColumn + expected.headers.length - 1);
  const address = `${columnLetter(expected.origin.firstColumn)}${expected.origin.headerRow}:${lastColumn}${expected.origin.headerRow + expected.rowCount}`;
  await page.getByText(`${expected.sheetName}!${address}: ${integer.format(expected.rowCount)} customers, ${expected.headers.length} columns`).waitFor({ timeout: 60_000 });
  for (const header of expected.headers) {
    const role = expected.roleLabels[header];
    assert.equal(await page.getByRole('combobox', { name: `Role: ${header}`, exact: true }).textContent(), role ? role.en : 'Not used', `role of ${header}`);
  }
  assert.ok(expected.problems.length > 0, 'the sample has a row problem to show');
  for (const problem of expected.problems) await page.getByText(problem.en, { exact: true }).waitFor();

  // The language switch: the same problem in Danish, then back to English.
  await page.getByRole('combobox', { name: 'Language' }).click();
  await page.getByRole('option', { name: 'Dansk' }).click();
  await page.getByText(expected.problems[0].da, { exact: true }).waitFor();
  assert.equal(await page.getByRole('combobox', { name: 'Rolle: Omsætning', exact: true }).textContent(), 'Omsætning');
  await screenshot(page, '1-data-da');
  await page.getByRole('combobox', { name: 'Sprog' }).click();
  await page.getByRole('option', { name: 'English' }).click();
  await screenshot(page, '1-data', true);

  // Models: ABCD is on by default; add Pareto. A bad cut level is explained and blocks the way on.
  await page.getByRole('button', { name: 'Next' }).click();
  const abcdBox = page.getByRole('checkbox', { name: 'ABCD accounts' });
  const paretoBox = page.getByRole('checkbox', { name: 'Pareto ABC' });
  assert.equal(await abcdBox.isChecked(), true);
  await paretoBox.check();
  assert.equal(await paretoBox.isChecked(), true);
  assert.equal(await page.getByRole('combobox', { name: 'A cut: Method' }).textContent(), 'Pareto share');
  const aLevel = page.getByRole('textbox', { name: 'A cut: Level' });
  assert.equal(await aLevel.inputValue(), '0.8');
  await aLevel.fill('80');
  await page.getByText('A pareto share cut takes a level above 0 and at most 1 (for example 0.8), not 80.').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Next' }).isDisabled(), true);
  await screenshot(page, '2-models-invalid');
  await aLevel.fill('0.8');
  await screenshot(page, '2-models');

  // Preview: customers, revenue and share per segment and the cuts, as the engine computes them.
  // A step opens at its top, wherever the last one was left.
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await page.getByRole('button', { name: 'Next' }).click();
  assert.equal(await page.evaluate(() => window.scrollY), 0, 'Preview opens at its top');
  for (const model of expected.models) {
    for (const line of model.summary) {
      const row = page.getByTestId(`preview-${model.id}-${line.tier ?? 'none'}`);
      assert.equal(await row.getByTestId('customers').textContent(), integer.format(line.customers), `${model.id} ${line.tier} customers`);
      assert.equal(await row.getByTestId('revenue').textContent(), integer.format(line.revenue), `${model.id} ${line.tier} revenue`);
      assert.equal(await row.getByTestId('share').textContent(), percent.format(line.revenueShare), `${model.id} ${line.tier} share`);
    }
    for (const cut of model.cuts) {
      const text = await page.getByTestId(`cut-${model.id}-${cut.key}`).textContent();
      assert.ok(text.startsWith(`${cut.label.en}: Pareto share`) && text.endsWith(`→ ${integer.format(cut.value)}`), `${model.id} ${cut.key}: ${text}`);
    }
  }
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, '3-preview');
  // The README's picture is refreshed on request only, so a test run leaves the tree clean.
  if (process.env.SEGMENTKIT_UPDATE_SCREENSHOT) {
    fs.mkdirSync(path.dirname(README_SCREENSHOT), { recursive: true });
    await page.screenshot({ path: README_SCREENSHOT });
  }

  // Apply: ordinary live formulas by default (SegmentKit functions only in Excel), then download the result.
  await page.getByRole('button', { name: 'Next' }).click();
  assert.equal(await page.getByRole('radio', { name: 'Live Excel formulas: recalculate in any spreadsheet program' }).isChecked(), true);
  assert.equal(await page.getByRole('radio', { name: 'SegmentKit functions: everyone who opens the file needs SegmentKit' }).isDisabled(), true);
  await page.getByRole('button', { name: 'Apply to the workbook' }).click();
  await page.getByTestId('apply-result').waitFor({ timeout: 60_000 });
  await page.locator('button:not([disabled])', { hasText: 'Apply to the workbook' }).waitFor();
  await screenshot(page, '4-applied');
  // The result comes first: the download button is on screen at once, the focus is on the result,
  // and the ranges written are folded until asked for.
  const downloadButton = page.getByRole('button', { name: 'Download sample-customers-segmented.xlsx' });
  assert.equal(await downloadButton.evaluate((element) => element.getBoundingClientRect().bottom <= window.innerHeight - 60), true, 'download button above the step buttons');
  assert.equal(await page.evaluate(() => document.activeElement?.closest('[data-testid="apply-result"]') !== null), true, 'focus on the result');
  const firstRange = page.getByText(`${expected.sheetName}!`, { exact: false }).first();
  assert.equal(await firstRange.isVisible(), false, 'ranges folded');
  await page.getByRole('button', { name: /Ranges written \(\d+\)/ }).click();
  await firstRange.waitFor();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download sample-customers-segmented.xlsx' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), 'sample-customers-segmented.xlsx');
  fs.mkdirSync(RESULTS, { recursive: true });
  const saved = path.join(RESULTS, download.suggestedFilename());
  await download.saveAs(saved);

  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(saved);
  const sheet = workbook.getWorksheet(expected.sheetName);
  const { headerRow, firstColumn } = expected.origin;
  expected.models.forEach((model, index) => {
    const column = firstColumn + expected.headers.length + 1 + index;
    assert.equal(sheet.getCell(headerRow, column).value, model.columnHeader);
    for (let i = 0; i < expected.rowCount; i++) {
      assert.equal(cellValue(sheet.getCell(headerRow + 1 + i, column)), model.segments[i], `${model.columnHeader}, sheet row ${headerRow + 1 + i}`);
    }
    // One "equals" rule per tier on the column, in the tier's colors.
    const letter = columnLetter(column - 1);
    const format = sheet.conditionalFormattings.find((candidate) => candidate.ref === `${letter}${headerRow + 1}:${letter}${headerRow + expected.rowCount}`);
    assert.ok(format, `conditional format on ${model.columnHeader}`);
    assert.deepEqual(
      format.rules.map((rule) => [rule.type, rule.operator, rule.formulae[0], rule.style.fill.bgColor.argb, rule.style.font.color.argb]),
      model.tiers.map((tier) => ['cellIs', 'equal', `"${tier.id}"`, argb(tier.fill), argb(tier.font)]),
    );
  });
  assert.equal(sheet.getCell(headerRow, firstColumn + expected.headers.length + expected.models.length + 1).value, null, 'nothing right of the segment columns');

  // The Priority and Summary sheets hold exactly what the plan says, cell by cell.
  for (const planned of expected.sheets) {
    const written = workbook.getWorksheet(planned.name);
    assert.ok(written, `sheet ${planned.name}`);
    planned.rows.forEach((row, r) => {
      row.forEach((value, c) => assert.equal(cellValue(written.getCell(r + 1, c + 1)), value === '' ? null : value, `${planned.name}!${columnLetter(c)}${r + 1}`));
    });
  }
  assert.deepEqual(expected.sheets.map((planned) => planned.name), ['Priority', 'Summary']);

  // The browser version asks for nothing outside the server it came from, not even office.js.
  const outside = requests.filter((url) => /^https?:/.test(url) && !url.startsWith(`${base}/`));
  assert.deepEqual(outside, []);
  assert.deepEqual(context.blocked, []);
  // functions.js registers custom functions, which only exist inside Excel.
  assert.deepEqual(pageErrors, []);
  await context.close();
});

test('the add-in page, offline or outside Excel: only office.js is asked for outside, and the pane starts as the browser version', { timeout: 60_000 }, async () => {
  const context = await offlineContext({ viewport: { width: 380, height: 900 }, locale: 'en-US' });
  const page = await context.newPage();
  await page.goto(`${base}/taskpane.html`);
  await page.getByRole('button', { name: 'Use the sample workbook' }).waitFor();
  assert.deepEqual(context.blocked, [OFFICE_JS]);
  await context.close();
});

test('a Danish CSV opens in the browser version as it does in the CLI: no zip error, the table and its roles', { timeout: 60_000 }, async () => {
  const csv = '\ufeffKundenr;Kundenavn;Omsætning;Potentiale\r\n1001;Alfa ApS;1.250.000,50;2.000.000\r\n1002;Beta A/S;300.000;800.000\r\n1003;Gamma I/S;75.000;90.000\r\n';
  const context = await offlineContext({ viewport: { width: 380, height: 900 }, locale: 'da-DK' });
  const page = await context.newPage();
  await page.goto(`${base}/index.html`);
  await page.getByTestId('file-input').setInputFiles({ name: 'kunder.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
  await page.getByText('3 kunder, 4 kolonner', { exact: false }).waitFor();
  assert.equal(await page.getByRole('combobox', { name: 'Rolle: Omsætning', exact: true }).textContent(), 'Omsætning');
  assert.equal(await page.getByRole('combobox', { name: 'Rolle: Potentiale', exact: true }).textContent(), 'Potentiale');
  assert.equal(await page.getByText(/zip/i).count(), 0);
  await screenshot(page, '9-csv-da');
  await context.close();
});

test('a table with revenue only (the UCI retail shape): the models it cannot run say why, cannot block Pareto, and Apply writes what Pareto gives', { timeout: 120_000 }, async () => {
  const csv = 'Customer ID,Country,Revenue\r\n12346,United Kingdom,77183.6\r\n12347,Iceland,4310\r\n12348,Finland,1797.24\r\n12349,Italy,1757.55\r\n12350,Norway,334.4\r\n';
  for (const [locale, language] of [['en-US', 'en'], ['da-DK', 'da']]) {
    const context = await offlineContext({ viewport: { width: 380, height: 900 }, locale, acceptDownloads: true });
    const page = await context.newPage();
    await page.goto(`${base}/index.html`);
    await page.getByTestId('file-input').setInputFiles({ name: 'retail.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    await page.getByTestId('table-found').waitFor();
    await page.getByRole('tab', { name: language === 'en' ? 'Models' : 'Modeller' }).click();
    // ABCD needs a potential: unticked, disabled, and saying which column would let it run.
    const abcd = page.getByRole('checkbox', { name: language === 'en' ? 'ABCD accounts' : 'ABCD-kunder' });
    assert.equal(await abcd.isChecked(), false);
    assert.equal(await abcd.isDisabled(), true);
    assert.equal(await page.getByTestId('unavailable-abcd').textContent(), language === 'en'
      ? 'Cannot run: the table has no column for Potential. Map one on the Data step.'
      : 'Kan ikke køre: tabellen har ingen kolonne til Potentiale. Tildel en på trinnet Data.');
    // The margin needs cost data: revenue alone is no margin, so it is not offered either.
    assert.equal(await page.getByRole('checkbox', { name: getModelName('margin', language) }).isDisabled(), true);
    assert.match(await page.getByTestId('unavailable-margin').textContent(), language === 'en' ? /Contribution margin, Cost of goods, Cost to serve or Hours/ : /Dækningsbidrag, Vareforbrug, Serviceomkostninger eller Tidsforbrug/);
    // Pareto runs on revenue; it is ticked and the way on is open.
    const pareto = page.getByRole('checkbox', { name: 'Pareto ABC' });
    if (!(await pareto.isChecked())) await pareto.check();
    await screenshot(page, `10-unsupported-models-${language}`, true);
    const next = page.getByRole('button', { name: language === 'en' ? 'Next' : 'Næste' });
    assert.equal(await next.isDisabled(), false);
    await next.click();
    await page.getByTestId('preview-pareto-A').waitFor();
    // Apply writes what the supported models give: Pareto, and nothing of the models the table cannot run.
    await page.getByRole('tab', { name: language === 'en' ? 'Apply' : 'Anvend' }).click();
    await page.getByRole('button', { name: language === 'en' ? 'Apply to the workbook' : 'Anvend på projektmappen' }).click();
    await page.getByTestId('apply-result').waitFor({ timeout: 60_000 });
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /retail-segmented\.xlsx/ }).click()]);
    const saved = path.join(RESULTS, `retail-segmented-${language}.xlsx`);
    fs.mkdirSync(RESULTS, { recursive: true });
    await download.saveAs(saved);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(saved);
    const summary = workbook.getWorksheet(language === 'en' ? 'Summary' : 'Oversigt');
    const texts = [];
    summary.eachRow((row) => texts.push(String(row.getCell(1).value ?? '')));
    assert.ok(texts.includes('Pareto ABC'), texts.join(' | '));
    assert.ok(!texts.some((text) => /ABCD|Margin|Dækningsbidrag/.test(text)), texts.join(' | '));
    assert.equal(workbook.getWorksheet('retail').getCell('D1').value, 'Segment Pareto');
    await context.close();
  }
});

test('at desktop width the steps keep a reading width, centred, so values sit near their labels', { timeout: 60_000 }, async () => {
  const context = await offlineContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  const page = await context.newPage();
  await page.goto(`${base}/index.html`);
  await page.getByRole('button', { name: 'Use the sample workbook' }).click();
  await page.getByTestId('table-found').waitFor({ timeout: 60_000 });
  const box = await page.getByTestId('step').boundingBox();
  assert.ok(box.width <= 720, `step width ${box.width}`);
  assert.ok(Math.abs(box.x + box.width / 2 - 640) <= 2, `step centred at ${box.x + box.width / 2}`);
  await screenshot(page, '11-desktop');
  await context.close();
});

test('a chosen file with several sheets offers a sheet chooser and reads the sheet chosen', { timeout: 60_000 }, async () => {
  const source = new ExcelJS.Workbook();
  source.addWorksheet('Notes').addRows([['Notes'], ['nothing to segment here']]);
  source.addWorksheet('Customers').addRows([
    ['Customer', 'Revenue', 'Potential'],
    ['Alfa', 500, 100],
    ['Beta', 300, 800],
    ['Gamma', 'n/a', 400],
  ]);
  const context = await offlineContext({ viewport: { width: 420, height: 900 }, locale: 'da-DK' });
  const page = await context.newPage();
  await page.goto(`${base}/index.html`);
  // da-DK in the browser starts the pane in Danish.
  await page.getByRole('button', { name: 'Vælg en fil' }).waitFor();
  await page.getByTestId('file-input').setInputFiles({
    name: 'kunder.xlsx',
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    buffer: Buffer.from(await source.xlsx.writeBuffer()),
  });
  await page.getByText('Notes!A1:A2: 1 kunder, 1 kolonner').waitFor();
  await page.getByRole('combobox', { name: 'Ark', exact: true }).click();
  await page.getByRole('option', { name: 'Customers' }).click();
  await page.getByText('Customers!A1:C4: 3 kunder, 3 kolonner').waitFor();
  assert.equal(await page.getByRole('combobox', { name: 'Rolle: Revenue', exact: true }).textContent(), 'Omsætning');
  await page.getByText("Række 4, kolonne B (Revenue): 'n/a' er ikke et tal; rækken får intet segment ud fra den.", { exact: true }).waitFor();
  await screenshot(page, '5-sheet-chooser-da');
  await context.close();
});

test('a workbook with a title and an Excel table with a totals row: the pane says what it left out, in both languages', { timeout: 60_000 }, async () => {
  const fixture = path.join(ROOT, 'test', 'fixtures', 'tables', 'table-excel-table.xlsx');
  for (const [locale, language] of [['en-US', 'en'], ['da-DK', 'da']]) {
    const context = await offlineContext({ viewport: { width: 380, height: 900 }, locale });
    const page = await context.newPage();
    await page.goto(`${base}/index.html`);
    await page.getByTestId('file-input').setInputFiles(fixture);
    const notes = page.getByTestId('table-notes');
    await notes.waitFor();
    // The table as defined: header row 3, five customers, the totals row 9 left out.
    await page.getByText(language === 'en' ? 'Kunder!A3:E8: 5 customers, 5 columns' : 'Kunder!A3:E8: 5 kunder, 5 kolonner', { exact: false }).waitFor();
    const text = await notes.textContent();
    assert.match(text, language === 'en' ? /totals row/i : /totalrække/i);
    assert.match(text, /9/);
    await screenshot(page, `8-table-notes-${language}`);
    await context.close();
  }
});

test('a real workbook with charts, a table, images and comments comes back from the browser version with every part it had, unchanged', { timeout: 120_000 }, async () => {
  const fixture = path.join(ROOT, 'test', 'fixtures', 'real', 'real-xlsxwriter.xlsx');
  const context = await offlineContext({ viewport: { width: 420, height: 900 }, locale: 'en-US', acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(`${base}/index.html`);
  await page.getByTestId('file-input').setInputFiles(fixture);
  await page.getByTestId('table-found').waitFor();
  await page.getByRole('tab', { name: 'Apply' }).click();
  await page.getByRole('button', { name: 'Apply to the workbook' }).click();
  await page.getByTestId('apply-result').waitFor({ timeout: 60_000 });
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download real-xlsxwriter-segmented.xlsx' }).click(),
  ]);
  const saved = path.join(RESULTS, 'real-xlsxwriter-segmented.xlsx');
  fs.mkdirSync(RESULTS, { recursive: true });
  await download.saveAs(saved);
  await context.close();

  const input = unzipSync(fs.readFileSync(fixture));
  const output = unzipSync(fs.readFileSync(saved));
  // The parts SegmentKit writes: the table's sheet (Customers, the first), the workbook part, its
  // relationships, the content types and the styles; calcChain.xml goes so Excel rebuilds it.
  const written = new Set(['xl/worksheets/sheet1.xml', 'xl/workbook.xml', 'xl/_rels/workbook.xml.rels', '[Content_Types].xml', 'xl/styles.xml']);
  const kept = Object.keys(input).filter((name) => !written.has(name) && name !== 'xl/calcChain.xml' && !name.endsWith('/'));
  assert.ok(kept.some((name) => name.startsWith('xl/charts/')) && kept.some((name) => name.startsWith('xl/media/')) && kept.some((name) => name.startsWith('xl/tables/')));
  for (const name of kept) {
    assert.ok(output[name], `${name} is still there`);
    assert.ok(Buffer.from(output[name]).equals(Buffer.from(input[name])), `${name} is byte for byte what it was`);
  }
  assert.equal(output['xl/calcChain.xml'], undefined);
  // What was added is SegmentKit's: its sheets, the Summary's drawing and chart, their relationships.
  const added = Object.keys(output).filter((name) => !input[name]);
  assert.ok(added.length > 0 && added.every((name) => /^xl\/(worksheets|drawings|charts)\//.test(name)), added.join(', '));
  // The user's sheets keep their places; SegmentKit's come after them.
  const sheetNames = (xml) => [...Buffer.from(xml).toString('utf8').matchAll(/<sheet [^>]*name="([^"]+)"/g)].map((match) => match[1]);
  assert.deepEqual(sheetNames(output['xl/workbook.xml']).slice(0, sheetNames(input['xl/workbook.xml']).length), sheetNames(input['xl/workbook.xml']));
});

test('Grow / Fix / Model / Move and value tiers: edited terms, the Why panel, reasons, and the Terms and Priority sheets cell by cell', { timeout: 240_000 }, async () => {
  const context = await offlineContext({ viewport: { width: 420, height: 900 }, locale: 'en-US', acceptDownloads: true });
  const page = await openSample(context, consultancy);
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));

  // Models: only the quadrant and value tiers; Gold's discount raised from 8 % to 10 % in the terms editor.
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('checkbox', { name: 'ABCD accounts' }).uncheck();
  await page.getByRole('checkbox', { name: 'Grow / Fix / Model / Move' }).check();
  await page.getByRole('checkbox', { name: 'Value tiers and terms' }).check();
  await page.getByRole('button', { name: /Terms per tier/ }).click();
  const goldDiscount = page.getByRole('textbox', { name: 'Gold: Discount' });
  assert.equal(await goldDiscount.inputValue(), '8');
  await goldDiscount.fill('10');
  await screenshot(page, '6-terms', true);

  // Preview: customers per segment as the engine counts them, the rules applied, and why the first customer got its segments.
  await page.getByRole('button', { name: 'Next' }).click();
  for (const model of consultancy.models) {
    for (const line of model.summary) {
      const row = page.getByTestId(`preview-${model.id}-${line.tier ?? 'none'}`);
      assert.equal(await row.getByTestId('customers').textContent(), integer.format(line.customers), `${model.id} ${line.tier} customers`);
    }
  }
  await page.getByText(/raised from Bronze to Silver/).waitFor();
  const picker = page.getByRole('combobox', { name: 'Customer' });
  await picker.click();
  await picker.pressSequentially(consultancy.firstCustomer.id);
  await page.getByRole('option', { name: `${consultancy.firstCustomer.id} · ${consultancy.firstCustomer.name}` }).click();
  for (const model of consultancy.models) {
    assert.equal(await page.getByTestId(`why-${model.id}-reason`).textContent(), model.firstReason, `why ${model.id}`);
  }
  await screenshot(page, '7-why', true);

  // Apply with a Reason column per model, then read the download back.
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('switch', { name: 'Add a Reason column per model' }).check();
  const workbook = await applyAndDownload(page, 'consultancy-segmented.xlsx');
  checkColumns(workbook.getWorksheet(consultancy.sheetName), consultancy);
  checkSheets(workbook, consultancy);
  assert.deepEqual(consultancy.sheets.map((planned) => planned.name), ['Priority', 'Summary', 'Terms']);
  // The edit made in the pane is what the Terms sheet says.
  const terms = workbook.getWorksheet('Terms');
  assert.deepEqual([terms.getCell('A4').value, terms.getCell('D4').value], ['Gold', 0.1]);
  assert.deepEqual(pageErrors, []);
  await context.close();
});

/**
 * An order log as a bookkeeping export has it: Danish headers, 40 invoice lines for 10 customers
 * over 2024, one credit note (a negative amount) and one line without a customer. The amounts and
 * days follow a fixed rule, so the file is the same on every run.
 */
function orderLogWorkbook() {
  const workbook = new ExcelJS.Workbook();
  const orders = workbook.addWorksheet('Ordrer');
  orders.addRow(['Kundenr', 'Fakturadato', 'Beløb']);
  // Customer 1001 buys most often, 1009 and 1010 once: the F scores spread out; the months spread the R scores.
  const orderCounts = [8, 7, 6, 5, 4, 3, 3, 2, 1, 1];
  orderCounts.forEach((count, k) => {
    for (let j = 0; j < count; j++) {
      orders.addRow([1001 + k, new Date(Date.UTC(2024, (k + j * 3) % 12, 1 + ((k * 5 + j * 7) % 27))), 400 + ((k * 131 + j * 57) % 1500) + 0.25]);
    }
  });
  orders.addRow([1003, new Date(Date.UTC(2024, 10, 20)), -250]);
  orders.addRow([null, new Date(Date.UTC(2024, 11, 2)), 999]);
  orders.getColumn(2).numFmt = 'dd-mm-yyyy';
  const customers = workbook.addWorksheet('Kundeliste');
  customers.addRow(['Kundenr', 'Kundenavn']);
  for (let id = 1001; id <= 1010; id++) customers.addRow([id, `Kunde ${id}`]);
  return workbook;
}

test('an order log sheet: the pane says what the log held, runs RFM on its customers with an edited grid, and writes a Customers sheet cell by cell', { timeout: 240_000 }, async () => {
  const source = orderLogWorkbook();
  const lines = source.getWorksheet('Ordrer').rowCount - 1;
  fs.mkdirSync(RESULTS, { recursive: true });
  const input = path.join(RESULTS, 'ordrer.xlsx');
  await source.xlsx.writeFile(input);
  // R 5, F 1 (bought most recently, once) changed from New to Promising in the pane's grid.
  const log = engineExpectations('rfm', { rfm: { 'grid.4.0': 'Promising' } }, false, input, 'da');
  assert.equal(log.logLines, lines);
  assert.deepEqual([log.logCounts.withoutId, log.logCounts.creditNotes], [1, 1]);
  const danish = new Intl.NumberFormat('da-DK', { maximumFractionDigits: 0 });

  // Danish, the log as the file's first sheet: it is recognised, and the models run on its customers.
  const context = await offlineContext({ viewport: { width: 380, height: 900 }, locale: 'da-DK', acceptDownloads: true });
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(`${base}/index.html`);
  await page.getByTestId('file-input').setInputFiles({
    name: 'ordrer.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: fs.readFileSync(input),
  });
  await page.getByText(`Ordrer!A1:C${lines + 1}: ${lines} linjer, 3 kolonner`).waitFor();
  const summary = page.getByTestId('log-summary');
  assert.match(await summary.textContent(), new RegExp(`^Ordrelog: ${lines} linjer, ${log.rowCount} kunder; linjer uden kunde: 1; kreditnotaer modregnet: 1 \\(-250\\)\\.`));
  assert.match(await summary.textContent(), /Anvend skriver dem på et nyt ark, Kunder\./);
  // A log is read whole: no sheet beside it to join.
  assert.equal(await page.getByRole('combobox', { name: 'Ordrelog-ark' }).count(), 0);
  await screenshot(page, '13-log-data-da', true);

  await page.getByRole('tab', { name: 'Modeller' }).click();
  const pareto = page.getByRole('checkbox', { name: 'Pareto ABC' });
  if (await pareto.isChecked()) await pareto.uncheck();
  await page.getByRole('checkbox', { name: 'RFM-segmenter' }).check();
  // CLV needs repeat buyers the log has; ABCD a potential it has not.
  assert.equal(await page.getByRole('checkbox', { name: 'Kundelevetidsværdi' }).isDisabled(), false);
  assert.match(await page.getByTestId('unavailable-abcd').textContent(), /Potentiale/);
  await page.getByRole('button', { name: /Segment pr\. R × F-score/ }).click();
  const cell = page.getByRole('combobox', { name: /^R 5, F 1: / });
  assert.equal(await cell.textContent(), 'Nye');
  await cell.click();
  await page.getByRole('option', { name: 'Lovende' }).click();
  assert.equal(await cell.textContent(), 'Lovende');
  await screenshot(page, '14-rfm-grid-da', true);

  // Preview: customers per segment as the engine counts them, and the cuts behind the scores.
  await page.getByRole('tab', { name: 'Forhåndsvisning' }).click();
  const rfm = log.models[0];
  for (const line of rfm.summary) {
    const row = page.getByTestId(`preview-rfm-${line.tier ?? 'none'}`);
    assert.equal(await row.getByTestId('customers').textContent(), danish.format(line.customers), `RFM ${line.tier}`);
  }
  assert.match(await page.getByTestId('notes-rfm').textContent(), /R-score efter dage siden seneste køb: 5 = /);

  // Apply: a Kunder sheet with one row per customer and the RFM columns, as the engine plans it.
  await page.getByRole('tab', { name: 'Anvend' }).click();
  await page.getByRole('button', { name: 'Anvend på projektmappen' }).click();
  await page.getByTestId('apply-result').waitFor({ timeout: 60_000 });
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Hent ordrer-segmented.xlsx' }).click()]);
  const saved = path.join(RESULTS, 'ordrer-segmented.xlsx');
  await download.saveAs(saved);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(saved);
  assert.deepEqual(log.sheets.map((planned) => planned.name), ['Kunder', 'Prioritet', 'Oversigt']);
  checkSheets(workbook, log);
  const written = workbook.getWorksheet('Kunder');
  assert.equal(written.rowCount, log.rowCount + 1);
  // The log keeps every cell it had, and nothing is added beside it.
  const orders = workbook.getWorksheet('Ordrer');
  assert.equal(orders.rowCount, lines + 1);
  assert.equal(orders.getCell('D1').value, null);
  assert.deepEqual(pageErrors, []);
  await context.close();

  // English, the log beside a customer list: chosen as the Order log sheet and joined on customer id.
  const english = await offlineContext({ viewport: { width: 380, height: 900 }, locale: 'en-US' });
  const beside = await english.newPage();
  await beside.goto(`${base}/index.html`);
  await beside.getByTestId('file-input').setInputFiles({
    name: 'ordrer.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: fs.readFileSync(input),
  });
  await beside.getByText(`Ordrer!A1:C${lines + 1}: ${lines} lines, 3 columns`).waitFor();
  await beside.getByRole('combobox', { name: 'Sheet' }).click();
  await beside.getByRole('option', { name: 'Kundeliste' }).click();
  await beside.getByText('Kundeliste!A1:B11: 10 customers, 2 columns').waitFor();
  await beside.getByRole('combobox', { name: 'Order log sheet' }).click();
  await beside.getByRole('option', { name: 'Ordrer' }).click();
  await beside.getByTestId('log-summary').waitFor();
  assert.match(await beside.getByTestId('log-summary').textContent(),
    new RegExp(`^Order log on Ordrer: ${lines} lines, 10 customers; lines without a customer: 1; credit notes netted: 1 \\(-250\\)\\.`));
  await screenshot(beside, '13-log-data-en', true);
  await beside.getByRole('tab', { name: 'Models' }).click();
  await beside.getByRole('checkbox', { name: 'RFM segments' }).check();
  await beside.getByRole('button', { name: /Segment per R × F score/ }).click();
  assert.equal(await beside.getByRole('combobox', { name: /^R 1, F 1: / }).textContent(), 'Lost');
  // The panel opens with a motion: the screenshot waits for it to end.
  await beside.waitForTimeout(500);
  await screenshot(beside, '14-rfm-grid-en', true);
  await beside.getByRole('tab', { name: 'Preview' }).click();
  await beside.getByTestId('preview-rfm').getByRole('table').waitFor();
  await english.close();
});

test('churn on a table with a label column: the feature list, both AUCs in the preview, and the risk, tier and drivers written cell by cell', { timeout: 240_000 }, async () => {
  for (const [locale, language] of [['en-US', 'en'], ['da-DK', 'da']]) {
    const churn = engineExpectations('churn', {}, false, SAMPLE, language);
    const model = churn.models[0];
    const context = await offlineContext({ viewport: { width: 380, height: 900 }, locale, acceptDownloads: true });
    const page = await context.newPage();
    const pageErrors = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${base}/index.html`);
    await page.getByRole('button', { name: language === 'en' ? 'Use the sample workbook' : 'Brug eksempelprojektmappen' }).click();
    await page.getByTestId('table-found').waitFor({ timeout: 60_000 });
    // The label column is found by its header (Opsagt) and mapped as Churned.
    assert.equal(await page.getByRole('combobox', { name: `${language === 'en' ? 'Role' : 'Rolle'}: Opsagt`, exact: true }).textContent(), language === 'en' ? 'Churned' : 'Opsagt');
    await page.getByRole('tab', { name: language === 'en' ? 'Models' : 'Modeller' }).click();
    const abcd = page.getByRole('checkbox', { name: language === 'en' ? 'ABCD accounts' : 'ABCD-kunder' });
    if (await abcd.isChecked()) await abcd.uncheck();
    await page.getByRole('checkbox', { name: language === 'en' ? 'Churn risk' : 'Risiko for opsigelse' }).check();
    // The feature list: usable columns ticked, the label and the identifiers left out with why.
    await page.getByRole('button', { name: language === 'en' ? /^Features/ : /^Kendetegn/ }).click();
    const editor = page.getByTestId('features-editor');
    assert.equal(await editor.getByRole('checkbox', { name: 'Tilfredshed' }).isChecked(), true);
    assert.equal(await editor.getByRole('checkbox', { name: 'Opsagt' }).count(), 0);
    assert.match(await editor.textContent(), language === 'en' ? /Opsagt: the model's label or reference column/ : /Opsagt: modellens mærke- eller referencekolonne/);
    await screenshot(page, `14-churn-features-${language}`, true);
    await page.getByRole('button', { name: language === 'en' ? 'Next' : 'Næste' }).click();
    // Preview: the counts per tier as the engine gives them, and the fit in words.
    for (const line of model.summary) {
      const row = page.getByTestId(`preview-churn-${line.tier ?? 'none'}`);
      assert.equal(await row.getByTestId('customers').textContent(), new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(line.customers), `churn ${line.tier}`);
    }
    await page.getByText(language === 'en' ? /^Cross-validated AUC \(5 folds\): logistic regression 0\.\d{3}, boosted trees 0\.\d{3}/ : /^Krydsvalideret AUC \(5 fold\): logistisk regression 0,\d{3}, boostede træer 0,\d{3}/).waitFor();
    await page.getByText(language === 'en' ? /^Honest holdout AUC 0\.\d{3}/ : /^Ærlig holdout-AUC 0,\d{3}/).waitFor();
    await screenshot(page, `15-churn-preview-${language}`, true);
    await page.getByRole('tab', { name: language === 'en' ? 'Apply' : 'Anvend' }).click();
    await page.getByRole('button', { name: language === 'en' ? 'Apply to the workbook' : 'Anvend på projektmappen' }).click();
    await page.getByTestId('apply-result').waitFor({ timeout: 120_000 });
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /sample-customers-segmented\.xlsx/ }).click()]);
    const saved = path.join(RESULTS, `churn-${language}.xlsx`);
    fs.mkdirSync(RESULTS, { recursive: true });
    await download.saveAs(saved);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(saved);
    checkColumns(workbook.getWorksheet('Kunder'), churn);
    assert.deepEqual(pageErrors, []);
    await context.close();
  }
});
