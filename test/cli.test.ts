import ExcelJS from 'exceljs';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main';
import {
  buildCustomerTable, CATALOG, dateToSerial, DEFAULT_TERMS, defaultSettings, detectRoles, getModel, segment, summarize,
  type CellValue, type ModelSettings, type RoleMapping,
} from '../src/engine';
import { plainValue } from './support/exceljs-cells';
import { columnLetters, gridValue, PRODUCERS, readExpected, TABLES } from './support/fixture-expectations';
import { csvRenamedAsXlsx, emptyFile, encryptedWorkbook, legacyXls, truncatedZip, wordDocumentRenamedAsXlsx } from './support/hostile';
import { nameWithData, ONLINE_RETAIL, onlineRetailCustomers } from './support/public-data';

const SAMPLE = path.resolve(__dirname, '..', 'assets', 'sample-customers.xlsx');

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, output: { out: (line: string) => out.push(line), err: (line: string) => err.push(line) } };
}

async function readBack(file: string) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  return workbook;
}

/** The engine's own run on the sample workbook: what every CLI result is checked against. */
async function engineOnSample() {
  const sheet = (await readBack(SAMPLE)).getWorksheet('Kunder')!;
  const headers = (sheet.getRow(1).values as ExcelJS.CellValue[]).slice(1).map(plainValue);
  const rows = [];
  for (let row = 2; row <= sheet.rowCount; row++) rows.push(Array.from((sheet.getRow(row).values as ExcelJS.CellValue[]).slice(1, 13), plainValue));
  const table = buildCustomerTable(headers, rows);
  return { table, segmentation: segment(table, ['abcd', 'pareto'].map((id) => ({ id, settings: defaultSettings(getModel(id)) }))) };
}

describe('segmentkit segment', () => {
  it('runs the value and quadrant models with settings from --set and --settings, and writes reasons', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'segmentkit-'));
    const target = path.join(dir, 'out.xlsx');
    const settingsFile = path.join(dir, 'settings.json');
    const terms = structuredClone(DEFAULT_TERMS);
    terms.Gold.discount = 0.1;
    writeFileSync(settingsFile, JSON.stringify({ value: { terms } }));
    const { output } = capture();
    expect(await main([
      'segment', SAMPLE, '-m', 'value,quadrant', '-o', target, '--values-only', '--reasons',
      '--set', 'value.asOf=2026-10-31', '--set', 'value.newMonths=6', '--settings', settingsFile,
    ], output)).toBe(0);

    const { table } = await engineOnSample();
    const valueSettings = { ...defaultSettings(getModel('value')), asOf: dateToSerial(2026, 10, 31), newMonths: 6, terms };
    const expected = segment(table, [{ id: 'value', settings: valueSettings }, { id: 'quadrant', settings: defaultSettings(getModel('quadrant')) }]);
    const workbook = await readBack(target);
    const sheet = workbook.getWorksheet('Kunder')!;
    expect(['R1', 'S1', 'T1', 'U1'].map((cell) => sheet.getCell(cell).value)).toEqual(['Segment Value', 'Reason Value', 'Segment Quadrant', 'Reason Quadrant']);
    for (let i = 0; i < table.rowCount; i++) {
      const [value, quadrant] = expected.results.map((result) => result.tiers[i]);
      expect(plainValue(sheet.getCell(i + 2, 18).value)).toBe(value < 0 ? null : getModel('value').tiers[value].id);
      expect(plainValue(sheet.getCell(i + 2, 19).value)).toBe(expected.results[0].explain(i).en || null);
      expect(plainValue(sheet.getCell(i + 2, 20).value)).toBe(quadrant < 0 ? null : getModel('quadrant').tiers[quadrant].id);
    }
    const termsRows = workbook.getWorksheet('Terms')!;
    expect([termsRows.getCell('A4').value, termsRows.getCell('D4').value]).toEqual(['Gold', 0.1]);
  });

  it('--help lists --transactions with its :sheet form and every setting --set takes, rfm and clv included, in both languages; README\'s CLI table has every option', async () => {
    const english = capture();
    expect(await main(['--help'], english.output)).toBe(0);
    const danish = capture();
    expect(await main(['--help', '--lang', 'da'], danish.output)).toBe(0);
    const [en, da] = [english.out[0].split('\n'), danish.out[0].split('\n')];
    expect(en).toContain('      --transactions <file>[:<sheet>]  an order log (customer id, order date, amount) joined on');
    expect(en).toContain('                         --transactions kunder.xlsx:Ordrer; the input workbook itself may hold');
    expect(da).toContain('      --transactions <fil>[:<ark>]  en ordrelog (kundenummer, ordredato, beløb) forbundet via');
    expect(da).toContain('                         --transactions kunder.xlsx:Ordrer; inputmappen selv kan rumme det; sæt');
    // The settings --set takes, model by model, as the catalog has them: numbers bare, dates marked, choices with their values.
    const indent = ' '.repeat(25);
    expect(en).toContain(`${indent}rfm: asOf (date), groups (5|4|3), monetary (total|perOrder)`);
    expect(en).toContain(`${indent}clv: horizonMonths, discountRate, marginShare, lostBelow, holdoutStart (date)`);
    expect(da).toContain(`${indent}rfm: asOf (dato), groups (5|4|3), monetary (total|perOrder)`);
    expect(da).toContain(`${indent}clv: horizonMonths, discountRate, marginShare, lostBelow, holdoutStart (dato)`);
    for (const model of CATALOG) {
      const settable = model.settings.filter((setting) => ['number', 'date', 'choice'].includes(setting.kind)).map((setting) => setting.key);
      const line = en.find((text) => text.startsWith(`${indent}${model.id}: `));
      expect(line?.slice(indent.length + model.id.length + 2).split(', ').map((item) => item.replace(/ \(.*\)$/, '')), model.id).toEqual(settable.length ? settable : undefined);
    }
    // README's table of options names each long option the help does, in the same form.
    const readme = readFileSync(path.resolve(__dirname, '..', 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('| option | meaning |'), readme.indexOf('## RFM and customer lifetime value'));
    const helpOptions = [...english.out[0].matchAll(/^ {2}(?:-\w, )? {0,4}(--[\w-]+)/gm)].map((match) => match[1]).filter((option) => option !== '--verbose' && option !== '--help');
    expect(helpOptions).toEqual(['--model', '--map', '--output', '--sheet', '--formulas', '--values-only', '--lang', '--cut', '--set', '--settings', '--reasons', '--transactions', '--features', '--join', '--on']);
    for (const option of helpOptions) expect(table, option).toMatch(new RegExp(`\\| \`(-\\w, )?${option}[ \`=]`));
    expect(table).toContain('| `--transactions FILE[:SHEET]` |');
    for (const setting of ['`rfm.groups=4`', '`rfm.monetary=perOrder`', '`clv.marginShare=0.3`']) expect(table).toContain(setting);
  });

  it('names a setting it does not know', async () => {
    const { err, output } = capture();
    expect(await main(['segment', SAMPLE, '-m', 'value', '--set', 'value.nope=3'], output)).toBe(1);
    expect(err.at(-1)).toMatch(/^segmentkit: --set value\.nope=3: value has no number, date or choice setting called nope\. Known: newMonths, lateDays, hourlyRate, asOf/);
  });

  it('segments the sample workbook exactly as the engine does, row by row', async () => {
    const target = path.join(mkdtempSync(path.join(tmpdir(), 'segmentkit-')), 'out.xlsx');
    const { out, err, output } = capture();
    expect(await main(['segment', SAMPLE, '--model', 'abcd,pareto', '-o', target, '--values-only'], output)).toBe(0);
    expect(err).toEqual(["Row 90, column D (Omsætning): 'ukendt' is not a number; the row gets no segment from it."]);
    expect(out[0]).toBe('sample-customers.xlsx: 2300 customers on sheet "Kunder", 1 problem(s).');

    const { table, segmentation: expected } = await engineOnSample();

    const result = (await readBack(target)).getWorksheet('Kunder')!;
    expect(result.getCell('R1').value).toBe('Segment ABCD');
    expect(result.getCell('S1').value).toBe('Segment Pareto');
    for (let i = 0; i < table.rowCount; i++) {
      const abcd = expected.results[0].tiers[i];
      const pareto = expected.results[1].tiers[i];
      expect(plainValue(result.getCell(i + 2, 18).value)).toBe(abcd < 0 ? null : getModel('abcd').tiers[abcd].id);
      expect(plainValue(result.getCell(i + 2, 19).value)).toBe(pareto < 0 ? null : getModel('pareto').tiers[pareto].id);
    }
  });

  it('writes Danish sheets and live formulas unless asked for values', async () => {
    const target = path.join(mkdtempSync(path.join(tmpdir(), 'segmentkit-')), 'out.xlsx');
    const { err, output } = capture();
    expect(await main(['segment', SAMPLE, '-m', 'pareto', '-o', target, '--lang', 'da', '--cut', 'pareto.aCut=quantile:0.9'], output)).toBe(0);
    expect(err[0]).toBe("Række 90, kolonne D (Omsætning): 'ukendt' er ikke et tal; rækken får intet segment ud fra den.");
    const workbook = await readBack(target);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['Kunder', 'Ordrer', 'Prioritet', 'Oversigt', 'SegmentKit_State']);
    // Ordinary formulas by default, reading the cut cells by name: the file recalculates anywhere.
    const cell = workbook.getWorksheet('Kunder')!.getCell('R2').value as ExcelJS.CellFormulaValue;
    expect(cell.formula).toBe('IF(ISNUMBER(D2),IF(D2>=SK_Pareto_ACut,"A",IF(AND(D2>0,D2>=SK_Pareto_BCut),"B","C")),"")');
    expect(workbook.definedNames.model.map((defined) => defined.name)).toEqual(['SK_Pareto_ACut', 'SK_Pareto_BCut']);

    // SegmentKit's own functions only when asked for.
    expect(await main(['segment', SAMPLE, '-m', 'pareto', '-o', target, '--lang', 'da', '--formulas', 'segmentkit'], capture().output)).toBe(0);
    const chosen = (await readBack(target)).getWorksheet('Kunder')!.getCell('R2').value as ExcelJS.CellFormulaValue;
    expect(chosen.formula).toMatch(/^SEGMENT\.PARETO\(D2,'Oversigt'!\$D\$\d+,'Oversigt'!\$D\$\d+\)$/);
    const wrong = capture();
    expect(await main(['segment', SAMPLE, '-o', target, '--formulas', 'lotus'], wrong.output)).toBe(2);
    expect(wrong.err).toEqual(['segmentkit: --formulas lotus: write excel (ordinary formulas, the default) or segmentkit (=SEGMENT.* functions).']);
  });

  it('runs as installed: npx segmentkit through bin/segmentkit.js', async () => {
    const target = path.join(mkdtempSync(path.join(tmpdir(), 'segmentkit-')), 'out.xlsx');
    const stdout = execFileSync(process.execPath, [path.resolve(__dirname, '..', 'bin', 'segmentkit.js'), 'segment', SAMPLE, '-m', 'abcd,pareto', '-o', target], {
      encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
    });
    const { table, segmentation } = await engineOnSample();
    const countsLine = (index: number) => {
      const model = getModel(segmentation.results[index].modelId);
      const lines = summarize(table, model, segmentation.results[index]);
      return `${model.name.en}: ${lines.map((line) => `${line.tierIndex < 0 ? '-' : model.tiers[line.tierIndex].id} ${line.customers}`).join(', ')}`;
    };
    const lines = stdout.trim().split('\n');
    // Each model's counts and, under them, the columns it read.
    expect(lines.slice(0, 5)).toEqual([
      'sample-customers.xlsx: 2300 customers on sheet "Kunder", 1 problem(s).', countsLine(0), '  Columns used: Revenue, Potential.', countsLine(1), '  Columns used: Revenue.',
    ]);
    expect(lines[5]).toMatch(/^Wrote .*out\.xlsx in \d+\.\d s\.$/);
    const workbook = await readBack(target);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['Kunder', 'Ordrer', 'Priority', 'Summary', 'SegmentKit_State']);
    expect(workbook.getWorksheet('SegmentKit_State')!.state).toBe('veryHidden');
    expect(workbook.getWorksheet('Priority')!.rowCount).toBe(2301);
    // The user's sheet keeps what it had: the frozen header, the filter, widths, formats, dates.
    const customers = workbook.getWorksheet('Kunder')!;
    expect(customers.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(customers.autoFilter).toBe('A1:Q1');
    expect(customers.getColumn(2).width).toBe(32);
    expect(customers.getCell('D2').numFmt).toBe('#,##0');
    expect(customers.getCell('I2').value).toBeInstanceOf(Date);
    expect(customers.getCell('I2').numFmt).toBe('dd-mm-yyyy');
    expect(customers.getCell('A1').font).toEqual({ bold: true });
  });

  it('explains what it cannot do', async () => {
    const { err, output } = capture();
    expect(await main(['segment'], output)).toBe(2);
    expect(err[0]).toMatch(/^Usage: segmentkit segment/);
    expect(err.at(-1)).toBe('segmentkit: Name the file to segment: segmentkit segment customers.xlsx');
    expect(await main(['segment', SAMPLE, '-m', 'abcd', '--cut', 'abcd.revenueCut=pareto:1.5'], output)).toBe(2);
    expect(err.at(-1)).toBe('segmentkit: --cut abcd.revenueCut=pareto:1.5: A Pareto cut takes a level above 0 and at most 1, not 1.5: for example 0.8 for 80 %.');
    expect(await main(['segment', SAMPLE, '-m', 'nope'], output)).toBe(2);
    expect(err.at(-1)).toBe('segmentkit: There is no model "nope". Known: abcd, pareto, quadrant, value, score, margin, rfm, clv, churn, clusters, twins.');
  });

  it.skipIf(!ONLINE_RETAIL.present)(nameWithData('finds the Pareto classes of the UCI Online Retail customers that a plain sort finds', ONLINE_RETAIL), async () => {
    const customers = onlineRetailCustomers();
    // The data set's well-known count of customers with an id.
    expect(customers.length).toBe(4372);
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Customers');
    sheet.addRow(['Customer ID', 'Country', 'Revenue']);
    for (const customer of customers) sheet.addRow([customer.id, customer.country, customer.revenue]);
    const dir = mkdtempSync(path.join(tmpdir(), 'segmentkit-'));
    await workbook.xlsx.writeFile(path.join(dir, 'retail.xlsx'));
    const { output } = capture();
    expect(await main(['segment', path.join(dir, 'retail.xlsx'), '-m', 'pareto', '-o', path.join(dir, 'out.xlsx'), '--values-only'], output)).toBe(0);

    // The reference: sort descending, walk the running total, a customer is A until the total first reaches 80 %.
    const positive = customers.filter((customer) => customer.revenue > 0).sort((a, b) => b.revenue - a.revenue);
    const total = positive.reduce((sum, customer) => sum + customer.revenue, 0);
    let running = 0;
    let aCut = 0;
    let bCut = 0;
    for (const customer of positive) {
      running += customer.revenue;
      if (!aCut && running >= 0.8 * total) aCut = customer.revenue;
      if (!bCut && running >= 0.95 * total) bCut = customer.revenue;
    }
    const expected = customers.map((customer) => (customer.revenue > 0 && customer.revenue >= aCut ? 'A' : customer.revenue > 0 && customer.revenue >= bCut ? 'B' : 'C'));
    const written = (await readBack(path.join(dir, 'out.xlsx'))).getWorksheet('Customers')!;
    const actual = customers.map((_, i) => plainValue(written.getCell(i + 2, 4).value));
    expect(actual).toEqual(expected);
    const countA = expected.filter((label) => label === 'A').length;
    // The familiar Pareto shape: roughly a quarter of the customers make 80 % of the revenue.
    expect(countA / customers.length).toBeGreaterThan(0.2);
    expect(countA / customers.length).toBeLessThan(0.3);
  });
});

// ── Issue 7: CSV in, --map, the models a table supports, Danish, files that are not workbooks, the handed inputs ──

const PYTHON = '/usr/bin/python3';

interface Run { code: number; out: string[]; err: string[] }

async function runCli(args: string[]): Promise<Run> {
  const { out, err, output } = capture();
  const code = await main(args, output);
  return { code, out, err };
}

function freshDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'segmentkit-cli-'));
}

/** A segment cell as a reader sees it; SegmentKit writes a formula with an empty result where a row gets none. */
function segmentText(value: ExcelJS.CellValue): CellValue {
  const plain = plainValue(value);
  return plain === '' ? null : plain;
}

/** The 1-based sheet column headed `header` in `headerRow`, or -1. */
function columnHeaded(sheet: ExcelJS.Worksheet, headerRow: number, header: string): number {
  let found = -1;
  sheet.getRow(headerRow).eachCell((cell, column) => { if (found < 0 && plainValue(cell.value) === header) found = column; });
  return found;
}

/** The engine's segment per customer row (tier id, or null for none), by model id. */
function engineSegments(headers: CellValue[], rows: CellValue[][], ids: string[], settings: Record<string, ModelSettings> = {}, mapping?: RoleMapping): Record<string, (string | null)[]> {
  const table = buildCustomerTable(headers, rows, mapping ? { mapping } : {});
  const segmentation = segment(table, ids.map((id) => ({ id, settings: { ...defaultSettings(getModel(id)), ...settings[id] } })));
  return Object.fromEntries(segmentation.results.map((result) => {
    const model = getModel(result.modelId);
    return [model.id, Array.from(result.tiers, (tier) => (tier < 0 ? null : model.tiers[tier].id))];
  }));
}

/**
 * The segments written on `sheetName` of `file`: for each model, the segment column found by its
 * header in `headerRow`, read at `customerRows` (1-based sheet rows, in order), and the rows that
 * must have no segment at all (a blank row, a totals row).
 */
async function writtenSegments(file: string, sheetName: string, headerRow: number, ids: string[], customerRows: number[], emptyRows: number[] = []) {
  const sheet = (await readBack(file)).getWorksheet(sheetName)!;
  const segments: Record<string, (CellValue)[]> = {};
  for (const id of ids) {
    const column = columnHeaded(sheet, headerRow, getModel(id).columnHeader);
    expect(column, `${id} column`).toBeGreaterThan(0);
    segments[id] = customerRows.map((row) => segmentText(sheet.getCell(row, column).value));
    for (const row of emptyRows) expect(plainValue(sheet.getCell(row, column).value), `${id} row ${row}`).toBeNull();
  }
  return { sheet, segments };
}

/** Headers and customer rows of a fixture as openpyxl read it (expected.json): the reference the engine runs on. */
function tableFromDump(folder: string, file: string, sheet: string, headerRow: number, lastColumn: number, customerRows: number[]) {
  const cells = readExpected(folder)[file].cells[sheet];
  const at = (row: number, column: number): CellValue => {
    const cell = cells[`${columnLetters(column)}${row}`];
    return cell === undefined ? null : gridValue(cell);
  };
  const columns = Array.from({ length: lastColumn + 1 }, (_, column) => column);
  return { headers: columns.map((column) => at(headerRow, column)), rows: customerRows.map((row) => columns.map((column) => at(row, column))) };
}

/** Windows-1252 bytes of text that only uses Latin-1 letters (æøå, é): there the two agree byte for byte. */
function windows1252(text: string): Uint8Array {
  expect([...text].every((char) => char.charCodeAt(0) < 0x80 || (char.charCodeAt(0) >= 0xa0 && char.charCodeAt(0) <= 0xff))).toBe(true);
  return new Uint8Array(Buffer.from(text, 'latin1'));
}

describe('CSV and TSV in, a workbook out', () => {
  const cases: { name: string; file: string; bytes: () => Uint8Array; read: string }[] = [
    {
      name: 'a Danish Excel export: ";", decimal comma, Windows-1252 æøå, CRLF',
      file: 'kunder.csv',
      bytes: () => windows1252([
        'Kundenr;Kunde;Kundeansvarlig;Omsætning;Potentiale',
        'K1;Ærø Møbler A/S;Søren;1.234,50;2.000,00',
        'K2;"Blåbær; Æble & Co";Mette;312,50;800',
        'K3;Østergaard ApS;Mette;99;400',
        'K4;Åen Gartneri;Jonas;;300',
        'K5;Fæø I/S;Jonas;60,25;1.500,75',
        '',
      ].join('\r\n')),
      read: 'Read kunder.csv as windows-1252 text separated by ";".',
    },
    {
      name: 'a "," export with decimal points, UTF-8 with a BOM',
      file: 'customers.csv',
      bytes: () => new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from([
        'Customer ID,Customer,Account manager,Revenue,Potential',
        'K1,Ærø Møbler A/S,Søren,"1,234.50","2,000.00"',
        'K2,"Blåbær, Æble & Co",Mette,312.50,800',
        'K3,Østergaard ApS,Mette,99,400',
        'K4,Åen Gartneri,Jonas,,300',
        'K5,Fæø I/S,Jonas,60.25,"1,500.75"',
      ].join('\n'), 'utf8')]),
      read: 'Read customers.csv as utf-8 text separated by ",".',
    },
    {
      name: 'a TSV file',
      file: 'kunder.tsv',
      bytes: () => new Uint8Array(Buffer.from([
        'Kundenr\tKunde\tKundeansvarlig\tOmsætning\tPotentiale',
        'K1\tÆrø Møbler A/S\tSøren\t1234,5\t2000',
        'K2\tBlåbær, Æble & Co\tMette\t312,5\t800',
        'K3\tØstergaard ApS\tMette\t99\t400',
        'K4\tÅen Gartneri\tJonas\t\t300',
        'K5\tFæø I/S\tJonas\t60,25\t1500,75',
      ].join('\n'), 'utf8')),
      read: 'Read kunder.tsv as utf-8 text separated by "tab".',
    },
  ];
  const names = ['Ærø Møbler A/S', null, 'Østergaard ApS', 'Åen Gartneri', 'Fæø I/S'];
  const revenue = [1234.5, 312.5, 99, null, 60.25];
  const potential = [2000, 800, 400, 300, 1500.75];

  it.each(cases)('$name: numbers land as numbers, and every segment is the engine\'s', async ({ file, bytes, read }) => {
    const dir = freshDir();
    const input = path.join(dir, file);
    writeFileSync(input, bytes());
    const run = await runCli(['segment', input, '-m', 'abcd,pareto']);
    expect(run.code).toBe(0);
    expect(run.err).toEqual([read]);
    const target = path.join(dir, `${file.replace(/\.\w+$/, '')}-segmented.xlsx`);
    expect(run.out.at(-1)).toMatch(new RegExp(`^Wrote ${target.replace(/[.\\]/g, '\\$&')} in \\d+\\.\\d s\\.$`));

    const sheetName = file.replace(/\.\w+$/, '');
    const { sheet, segments } = await writtenSegments(target, sheetName, 1, ['abcd', 'pareto'], [2, 3, 4, 5, 6]);
    for (let i = 0; i < 5; i++) {
      const row = sheet.getRow(i + 2);
      if (names[i]) expect(row.getCell(2).value).toBe(names[i]);
      // Numbers, not text that looks like one: a formula over them works in Excel.
      expect(row.getCell(4).value).toBe(revenue[i]);
      expect(row.getCell(5).value).toBe(potential[i]);
    }
    expect(sheet.getRow(3).getCell(2).value).toMatch(/^Blåbær[;,] Æble & Co$/);
    const headers = ['Kundenr', 'Kunde', 'Kundeansvarlig', 'Omsætning', 'Potentiale'];
    const rows = revenue.map((value, i) => [`K${i + 1}`, names[i] ?? 'Blåbær', 'x', value, potential[i]]);
    expect(segments).toEqual(engineSegments(headers, rows, ['abcd', 'pareto']));
    // K4 has no revenue: no ABCD or Pareto segment, never a guess.
    expect([segments.abcd[3], segments.pareto[3]]).toEqual([null, null]);
  });
});

describe('--map role=Header', () => {
  /** Two revenue years, neither header a known name, and a potential headed with punctuation. */
  const csv = [
    'Kundenr;Firma;Oms. 2024 (DKK);Oms. 2025 (DKK);Pot./år',
    'K1;Alfa;900;100;800',
    'K2;Beta;100;700;900',
    'K3;Gamma;300;300;200',
    'K4;Delta;50;40;1000',
    'K5;Epsilon;20;600;100',
  ].join('\r\n');
  const headers = ['Kundenr', 'Firma', 'Oms. 2024 (DKK)', 'Oms. 2025 (DKK)', 'Pot./år'];
  const rows = [[ 'K1', 'Alfa', 900, 100, 800], ['K2', 'Beta', 100, 700, 900], ['K3', 'Gamma', 300, 300, 200], ['K4', 'Delta', 50, 40, 1000], ['K5', 'Epsilon', 20, 600, 100]];

  function input(): string {
    const file = path.join(freshDir(), 'kunder.csv');
    writeFileSync(file, csv);
    return file;
  }

  it('maps a role named by its id and one named by its Danish label to headers with punctuation', async () => {
    const file = input();
    const target = path.join(path.dirname(file), 'out.xlsx');
    // Without --map the table has no revenue column that ABCD can use.
    const unmapped = await runCli(['segment', file, '-m', 'abcd', '-o', target]);
    expect(unmapped.code).toBe(1);
    expect(existsSync(target)).toBe(false);

    const run = await runCli(['segment', file, '-m', 'abcd,pareto', '-o', target, '--map', 'revenue=Oms. 2025 (DKK)', '--map', 'Potentiale=pot./ÅR']);
    expect(run.code).toBe(0);
    expect(run.err).toEqual(['Read kunder.csv as utf-8 text separated by ";".']);
    const { segments } = await writtenSegments(target, 'kunder', 1, ['abcd', 'pareto'], [2, 3, 4, 5, 6]);
    const expected = engineSegments(headers, rows, ['abcd', 'pareto'], {}, { id: 0, name: 1, revenue: 3, potential: 4 });
    expect(segments).toEqual(expected);
    // 2025's revenue, not 2024's: on 2024's K1 would be A and K2 B.
    expect(segments.pareto.slice(0, 2)).toEqual(['B', 'A']);
  });

  it('refuses an empty CSV (or one of blank lines) as an empty file, not as an empty sheet, writing nothing', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'segmentkit-empty-'));
    for (const [name, text] of [['tom.csv', ''], ['blank.csv', ' \r\n\n']]) {
      writeFileSync(path.join(dir, name), text);
      const run = await runCli(['segment', path.join(dir, name), '--lang', 'da']);
      expect(run.code).toBe(1);
      expect(run.err).toEqual([`segmentkit: ${name} er tom: der er ingen kundetabel eller ordrelog i den. Gem tabellen fra Excel som CSV (en overskriftsrække og derefter én række pr. kunde eller ordrelinje), og kør igen.`]);
    }
    expect(readdirSync(dir).sort()).toEqual(['blank.csv', 'tom.csv']);
  });

  it('names every role it knows when the role is wrong, and every column when the header is, with exit code 2', async () => {
    const file = input();
    const wrongRole = await runCli(['segment', file, '--map', 'turnover=Oms. 2025 (DKK)']);
    expect(wrongRole.code).toBe(2);
    expect(wrongRole.err).toHaveLength(2);
    expect(wrongRole.err[1]).toMatch(/^segmentkit: --map turnover=Oms\. 2025 \(DKK\): there is no role "turnover"\. Roles: id \(Customer ID\), name \(Customer\), owner \(Account manager\), revenue \(Revenue\), potential \(Potential\), .*, churned \(Churned\), customerType \(Customer type\), orderDate \(Order date\), .*, meanRepeatSpend \(Mean repeat spend\), holdoutPurchases \(Holdout purchases\), holdoutWeeks \(Holdout \(weeks\)\)\.$/);

    const wrongHeader = await runCli(['segment', file, '--map', 'revenue=Omsætning 2025', '--lang', 'da']);
    expect(wrongHeader.code).toBe(2);
    expect(wrongHeader.err).toEqual([
      'Læste kunder.csv som utf-8-tekst adskilt af ";".',
      'segmentkit: --map revenue=Omsætning 2025: tabellen har ingen kolonne med overskriften "Omsætning 2025". Kolonner: "Kundenr", "Firma", "Oms. 2024 (DKK)", "Oms. 2025 (DKK)", "Pot./år".',
    ]);
    const noEquals = await runCli(['segment', file, '--map', 'revenue']);
    expect([noEquals.code, noEquals.err.at(-1)]).toEqual([2, 'segmentkit: Cannot read --map revenue: write it as role=Header, e.g. --map revenue="Oms. 2025".']);
    expect(readdirSync(path.dirname(file))).toEqual(['kunder.csv']);
  });
});

describe('the default models are the ones the table supports', () => {
  /** A customer table as the UCI Online Retail data gives it per customer: an id, a country, revenue; no potential. */
  async function retailWorkbook(): Promise<{ file: string; rows: CellValue[][] }> {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Customers');
    const rows: CellValue[][] = [[12346, 'United Kingdom', 0], [12347, 'Iceland', 4310], [12348, 'Finland', 1797.24], [12349, 'Italy', 1757.55],
      [12350, 'Norway', 334.4], [12352, 'Norway', 1545.41], [12353, 'Bahrain', 89], [12354, 'Spain', 1079.4], [12355, 'Bahrain', 459.4], [12356, 'Portugal', 2811.43]];
    sheet.addRow(['Customer ID', 'Country', 'Revenue']);
    for (const row of rows) sheet.addRow(row);
    const file = path.join(freshDir(), 'retail.xlsx');
    await workbook.xlsx.writeFile(file);
    return { file, rows };
  }

  it('runs Pareto and the others it can, says which it skipped and for want of which column, and exits 0', async () => {
    const { file, rows } = await retailWorkbook();
    const run = await runCli(['segment', file]);
    expect(run.code).toBe(0);
    // Revenue alone is no margin: the value tiers and the margin model are not offered, and say what would let them run.
    expect(run.err).toEqual([
      'ABCD accounts skipped: the table has no column for Potential (map one with --map potential=Header).',
      'Grow / Fix / Model / Move skipped: the table has no column for Satisfaction, and none for Share of wallet or Potential (map one with --map satisfaction=Header).',
      'Value tiers and terms skipped: the table has no column for Contribution margin, Cost of goods, Cost to serve or Hours (map one with --map margin=Header).',
      'Margin and cost to serve skipped: the table has no column for Contribution margin, Cost of goods, Cost to serve or Hours (map one with --map margin=Header).',
      'RFM segments skipped: the table has no column for Last order and Orders (map one with --map lastOrder=Header).',
      'Customer lifetime value skipped: the table has no column for Repeat purchases, Recency (weeks), Age (weeks) and Mean repeat spend (map one with --map repeatPurchases=Header).',
      'Churn risk skipped: the table has no column for Churned (map one with --map churned=Header).',
    ]);
    const ran = ['pareto', 'score'];
    // Each model's counts, then the columns it read and those it took as absent.
    expect(run.out.slice(1, -1).map((line) => line.replace(/:.*/, ':'))).toEqual([
      `${getModel('pareto').name.en}:`, '  Columns used:',
      `${getModel('score').name.en}:`, '  Columns used:', '  Not in the table, so not used:',
      // The rating's notes: the factors left out for want of a column, and the weights of the rest.
      '  Economy › Margin:', '  Relationship › Satisfaction:', '  Relationship › Share of wallet:', '  Behaviour › Orders:', '  Behaviour › Days late:',
      '  Weights in the score, after leaving out factors without a column:',
    ]);
    expect(run.out[2]).toBe('  Columns used: Revenue.');
    expect(run.out.slice(4, 6)).toEqual([
      '  Columns used: Revenue.',
      '  Not in the table, so not used: Contribution margin, Cost of goods, Cost to serve, Hours, Satisfaction, Share of wallet, Orders, Days late.',
    ]);
    const target = path.join(path.dirname(file), 'retail-segmented.xlsx');
    const customerRows = rows.map((_, i) => i + 2);
    const { sheet, segments } = await writtenSegments(target, 'Customers', 1, ran, customerRows);
    expect(segments).toEqual(engineSegments(['Customer ID', 'Country', 'Revenue'], rows, ran));
    expect(columnHeaded(sheet, 1, 'Segment ABCD')).toBe(-1);
  });

  it('refuses ABCD when asked for it by name, naming Potential and --map, and writes nothing', async () => {
    const { file } = await retailWorkbook();
    const run = await runCli(['segment', file, '-m', 'abcd']);
    expect(run.code).toBe(1);
    expect(run.err).toEqual(['segmentkit: ABCD accounts cannot run: the table has no column for Potential. Map one with --map potential=Header, or leave the model out of --model.']);
    expect(readdirSync(path.dirname(file))).toEqual(['retail.xlsx']);
  });
});

describe('the deep-dive rating on a table none of its factors can read (the IBM Telco churn columns)', () => {
  function telcoCsv(): string {
    const file = path.join(freshDir(), 'telco.csv');
    writeFileSync(file, 'customerID,gender,SeniorCitizen,tenure,MonthlyCharges,TotalCharges,Churn\r\n'
      + '7590-VHVEG,Female,0,1,29.85,29.85,No\r\n5575-GNVDE,Male,0,34,56.95,1889.5,No\r\n3668-QPYBK,Male,0,2,53.85,108.15,Yes\r\n');
    return file;
  }

  it('fails the run instead of writing "Top 0, Middle 0, Low 0" and exiting 0, saying why and what to do', async () => {
    const file = telcoCsv();
    const run = await runCli(['segment', file, '-m', 'score']);
    expect(run.code).toBe(1);
    expect(run.err.at(-1)).toBe('segmentkit: Deep-dive rating cannot run on this table: it gives none of the 3 customers a segment (the first one, row 2: '
      + 'no factor of the tree has a column in this table; map a column to a role the tree reads, or add factors on numeric columns).');
    expect(run.out.some((line) => /Top 0, Middle 0, Low 0/.test(line))).toBe(false);
    expect(readdirSync(path.dirname(file))).toEqual(['telco.csv']);
  });
});

describe('--lang da: every message in Danish', () => {
  it('says a whole run in Danish: the CSV read, the notes, a problem row, the skipped models, the summary and the file written', async () => {
    const dir = freshDir();
    const file = path.join(dir, 'kunder.csv');
    writeFileSync(file, 'Kundenr;Kunde;Omsætning\r\nK1;Alfa;500\r\nK2;Beta;ukendt\r\n;;\r\nK3;Gamma;100\r\nK4;Delta;250\r\n');
    const run = await runCli(['segment', file, '--lang', 'da', '-v']);
    expect(run.code).toBe(0);
    const timings = run.err.filter((line) => /^(læste|segmenterede|skrev) .*: \d+,\d s, \d+ MB i brug$/.test(line));
    expect(timings.map((line) => line.replace(/:.*/, ''))).toEqual(['læste kunder.csv', 'segmenterede 5 rækker og planlagde', 'skrev kunder-segmented.xlsx']);
    expect(run.err.filter((line) => !timings.includes(line))).toEqual([
      'Læste kunder.csv som utf-8-tekst adskilt af ";".',
      'Række 4 i tabellen er tom: den beholdes som en tom række uden segment, og kunderne under den læses.',
      "Række 3, kolonne C (Omsætning): 'ukendt' er ikke et tal; rækken får intet segment ud fra den.",
      'ABCD-kunder springes over: tabellen har ingen kolonne til Potentiale (tilknyt en med --map potential=Overskrift).',
      `${getModel('quadrant').name.da} springes over: tabellen har ingen kolonne til Tilfredshed, og ingen til Andel af køb eller Potentiale (tilknyt en med --map satisfaction=Overskrift).`,
      'Værdisegmenter og vilkår springes over: tabellen har ingen kolonne til Dækningsbidrag, Vareforbrug, Serviceomkostninger eller Tidsforbrug (tilknyt en med --map margin=Overskrift).',
      'Dækningsbidrag og serviceomkostninger springes over: tabellen har ingen kolonne til Dækningsbidrag, Vareforbrug, Serviceomkostninger eller Tidsforbrug (tilknyt en med --map margin=Overskrift).',
      'RFM-segmenter springes over: tabellen har ingen kolonne til Seneste køb og Antal ordrer (tilknyt en med --map lastOrder=Overskrift).',
      'Kundelevetidsværdi springes over: tabellen har ingen kolonne til Genkøb, Seneste køb (uger), Alder (uger) og Gns. genkøbsbeløb (tilknyt en med --map repeatPurchases=Overskrift).',
      'Risiko for opsigelse springes over: tabellen har ingen kolonne til Opsagt (tilknyt en med --map churned=Overskrift).',
    ]);
    expect(run.out[0]).toBe('kunder.csv: 4 kunder på arket "kunder", 1 problem(er).');
    expect(run.out.slice(1, -1).filter((line) => !line.startsWith('  ')).map((line) => line.replace(/:.*/, ''))).toEqual(['pareto', 'score'].map((id) => getModel(id).name.da));
    expect(run.out[2]).toBe('  Kolonner brugt: Omsætning.');
    // The segments are counted under their Danish names.
    expect(run.out.find((line) => line.startsWith(getModel('pareto').name.da))).toMatch(/: A \d+, B \d+, C \d+/);
    // The models' notes are said in Danish too, the score's factors by their Danish names.
    expect(run.out.filter((line) => line.startsWith('  Vægte i scoren'))).toEqual(['  Vægte i scoren, efter at faktorer uden kolonne er udeladt: Økonomi › Omsætning 100 % (percentilrang).']);
    expect(run.out.at(-1)).toMatch(/^Skrev .*kunder-segmented\.xlsx på \d+,\d s\.$/);
    const { segments } = await writtenSegments(path.join(dir, 'kunder-segmented.xlsx'), 'kunder', 1, ['pareto'], [2, 3, 5, 6], [4]);
    expect(segments.pareto).toEqual(engineSegments(['Kundenr', 'Kunde', 'Omsætning'], [['K1', 'Alfa', 500], ['K2', 'Beta', 'ukendt'], ['K3', 'Gamma', 100], ['K4', 'Delta', 250]], ['pareto']).pareto);
  });

  it('says every refusal in Danish, in one sentence, with the documented exit code', async () => {
    const dir = freshDir();
    const workbook = path.join(TABLES, 'table-totals-row.xlsx');
    const empty = path.join(dir, 'tom.xlsx');
    writeFileSync(empty, emptyFile());
    const blankSheet = path.join(dir, 'blank.xlsx');
    const blank = new ExcelJS.Workbook();
    blank.addWorksheet('Kunder');
    await blank.xlsx.writeFile(blankSheet);
    const settings = path.join(dir, 'ingen.json');
    const list = path.join(dir, 'liste.json');
    writeFileSync(list, '[1]');
    const target = path.join(dir, 'ud.xlsx');
    const refusals: [string[], number, string][] = [
      [['--bogus'], 2, 'segmentkit: Der er ingen indstilling --bogus: se segmentkit --help.'],
      [[workbook, '-o', target, '-m'], 2, 'segmentkit: -m skal have en værdi efter sig: se segmentkit --help.'],
      [[workbook, '-o', target, '--model'], 2, 'segmentkit: --model skal have en værdi efter sig: se segmentkit --help.'],
      [[workbook, '-o', target, '--values-only=ja'], 2, 'segmentkit: --values-only tager ingen værdi: skriv den alene.'],
      [[workbook, 'andet.xlsx'], 2, 'segmentkit: segmentkit segment tager én fil, ikke også "andet.xlsx": sæt et navn med mellemrum i anførselstegn, og skriv indstillinger med deres bindestreger.'],
      [[path.join(dir, 'findes-ikke.xlsx')], 1, `segmentkit: Filen "${path.join(dir, 'findes-ikke.xlsx')}" findes ikke.`],
      [[empty], 1, 'segmentkit: Filen er tom (0 byte): gem projektmappen igen fra Excel, og brug den nye fil.'],
      [[blankSheet, '-o', target], 1, 'segmentkit: Arket "Kunder" er tomt: der er ingen kundetabel at læse. Sæt tabellen ind (en overskriftsrække og derefter én række pr. kunde), eller vælg et andet ark.'],
      [[workbook, '-o', target, '-s', 'Ark1'], 1, 'segmentkit: Projektmappen har intet ark med navnet "Ark1". Ark: "Kunder".'],
      [[workbook, '-o', target, '-m', 'abc'], 2, 'segmentkit: Der er ingen model "abc". Kendte: abcd, pareto, quadrant, value, score, margin, rfm, clv, churn, clusters, twins.'],
      [[workbook, '-o', target, '-m', 'quadrant'], 1, `segmentkit: ${getModel('quadrant').name.da} kan ikke køre: tabellen har ingen kolonne til Tilfredshed. Tilknyt en med --map satisfaction=Overskrift, eller udelad modellen fra --model.`],
      [[workbook, '-o', target, '-m', 'abcd', '--cut', 'abcd.revenueCut=halvdelen'], 2, 'segmentkit: Kan ikke læse --cut abcd.revenueCut=halvdelen: skriv den som model.nøgle=metode:niveau, fx abcd.revenueCut=quantile:0.5.'],
      [[workbook, '-o', target, '-m', 'abcd', '--cut', 'pareto.aCut=quantile:0.5'], 2, 'segmentkit: --cut pareto.aCut=quantile:0.5: modellen pareto er ikke blandt de modeller, der køres.'],
      [[workbook, '-o', target, '-m', 'abcd', '--cut', 'abcd.aCut=quantile:0.5'], 2, 'segmentkit: --cut abcd.aCut=quantile:0.5: abcd har ingen skæring, der hedder aCut. Kendte: revenueCut, potentialCut.'],
      [[workbook, '-o', target, '-m', 'abcd', '--cut', 'abcd.revenueCut=pareto:1.5'], 2, 'segmentkit: --cut abcd.revenueCut=pareto:1.5: En Pareto-skæring tager et niveau over 0 og højst 1, ikke 1,5: for eksempel 0,8 for 80 %.'],
      [[workbook, '-o', path.join(dir, 'mangler', 'ud.xlsx')], 2, `segmentkit: Mappen ${path.join(dir, 'mangler')} findes ikke: opret den, eller giv -o en fil i en mappe, der findes.`],
      [[workbook, '-o', target, '-m', 'value', '--map', 'margin=Omsætning', '--set', 'value.asOf=i går'], 1, 'segmentkit: --set value.asOf=i går: ikke en dato (skriv 2026-10-31).'],
      [[workbook, '-o', target, '-m', 'value', '--map', 'margin=Omsætning', '--set', 'value.nope=3'], 1, 'segmentkit: --set value.nope=3: value har ingen tal-, dato- eller valgindstilling, der hedder nope. Kendte: newMonths, lateDays, hourlyRate, asOf.'],
      [[workbook, '-o', target, '-m', 'pareto', '--set', 'pareto.measure=dækningsbidrag'], 2, 'segmentkit: --set pareto.measure=dækningsbidrag: ikke et af valgene: revenue, margin.'],
      [[workbook, '-o', target, '-m', 'value', '--map', 'margin=Omsætning', '--settings', settings], 1, `segmentkit: Kan ikke læse indstillingsfilen "${settings}": ENOENT.`],
      [[workbook, '-o', target, '-m', 'value', '--map', 'margin=Omsætning', '--settings', list], 1,
        `segmentkit: Indstillingsfilen "${list}" er ikke JSON med indstillinger pr. model, som {"value": {"newMonths": 6}}: ikke et objekt af objekter.`],
    ];
    for (const [args, code, sentence] of refusals) {
      const run = await runCli(['segment', ...args, '--lang', 'da']);
      expect([run.code, run.err.at(-1)], args.join(' ')).toEqual([code, sentence]);
      // One sentence; before it only what a run said while reading (the totals row, in Danish).
      expect(run.err.slice(0, -1).filter((line) => line !== 'Række 7 er en totalrække, ikke en kunde, og er udeladt.'), args.join(' ')).toEqual([]);
      expect(run.out).toEqual([]);
    }
    const usage = await runCli(['segment', '--lang', 'da']);
    expect(usage.code).toBe(2);
    expect(usage.err[0]).toMatch(/^Brug: segmentkit segment <kunder\.xlsx\|\.xlsm\|\.csv\|\.tsv> \[indstillinger\]\n/);
    expect(usage.err[1]).toBe('segmentkit: Angiv filen, der skal segmenteres: segmentkit segment kunder.xlsx');
    const help = await runCli(['--help', '--lang', 'da']);
    expect([help.code, help.out[0].split('\n')[0]]).toEqual([0, 'Brug: segmentkit segment <kunder.xlsx|.xlsm|.csv|.tsv> [indstillinger]']);
    expect(readdirSync(dir).sort()).toEqual(['blank.xlsx', 'liste.json', 'tom.xlsx']);
  });
});

describe('a file that is not a workbook: one sentence, exit 1, no file written', () => {
  const sample = () => new Uint8Array(readFileSync(path.join(TABLES, 'table-totals-row.xlsx')));
  const cases: { name: string; bytes: (() => Uint8Array) | null; sentence: string }[] = [
    { name: 'a missing file', bytes: null, sentence: 'There is no file "{file}".' },
    { name: 'a 0-byte file', bytes: emptyFile, sentence: 'The file is empty (0 bytes): save the workbook again from Excel and use the new file.' },
    { name: 'a CSV renamed to .xlsx', bytes: csvRenamedAsXlsx, sentence: 'This file is CSV text with an Excel name: rename it to .csv (SegmentKit reads CSV directly) or save it from Excel as .xlsx.' },
    { name: 'a truncated zip', bytes: () => truncatedZip(sample()), sentence: 'This workbook is damaged or incomplete (perhaps cut off while copying or downloading): get the file again, or open it in Excel, let Excel repair it, and save it.' },
    { name: 'an encrypted workbook', bytes: encryptedWorkbook, sentence: 'This workbook is password-protected: open it in Excel, remove the password (File ▸ Info ▸ Protect Workbook), save, and run again.' },
    { name: 'an Excel 97–2003 .xls renamed', bytes: legacyXls, sentence: 'This is an old-format Excel 97–2003 workbook (.xls): open it in Excel and save it as an Excel workbook (.xlsx), then run again.' },
    { name: 'a Word document renamed', bytes: wordDocumentRenamedAsXlsx, sentence: 'This file is a zip package but not an Excel workbook (no workbook part inside): check that you picked the right file, or save it from Excel as .xlsx.' },
  ];

  it.each(cases)('$name', async ({ bytes, sentence }) => {
    const dir = freshDir();
    const file = path.join(dir, 'kunder.xlsx');
    if (bytes) writeFileSync(file, bytes());
    const run = await runCli(['segment', file]);
    expect(run.code).toBe(1);
    expect(run.err).toEqual([`segmentkit: ${sentence.replace('{file}', file)}`]);
    expect(run.out).toEqual([]);
    // Neither the result nor its temporary file.
    expect(readdirSync(dir)).toEqual(bytes ? ['kunder.xlsx'] : []);
  });

  it('reports through the installed command without a stack trace', () => {
    const dir = freshDir();
    const file = path.join(dir, 'kunder.xlsx');
    writeFileSync(file, encryptedWorkbook());
    const result = spawnSync(process.execPath, [path.resolve(__dirname, '..', 'bin', 'segmentkit.js'), 'segment', file, '--lang', 'da'], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('segmentkit: Projektmappen er beskyttet med adgangskode: åbn den i Excel, fjern adgangskoden (Filer ▸ Oplysninger ▸ Beskyt projektmappe), gem, og kør igen.\n');
    expect(readdirSync(dir)).toEqual(['kunder.xlsx']);
  });
});

/**
 * The inputs issue 7 hands over that test/fixtures/ does not hold, written by XlsxWriter as a user's
 * program would: formula cells with stored results (0, #N/A, #DIV/0!) in the columns the models
 * read, and a share-of-wallet column in whole percent points holding both 80 and 1.
 */
const HANDED_INPUTS_SCRIPT = `
import sys, xlsxwriter
folder = sys.argv[1]
book = xlsxwriter.Workbook(folder + '/formula-results.xlsx')
sheet = book.add_worksheet('Kunder')
sheet.write_row(0, 0, ['Kundenr', 'Kunde', 'Kundeansvarlig', 'Omsætning', 'Potentiale'])
sheet.write_row(1, 0, ['K1', 'Alfa', 'Mette', 500, 800])
sheet.write_row(2, 0, ['K2', 'Beta', 'Jonas'])
sheet.write_formula(2, 3, '=E3-800', None, 0)
sheet.write(2, 4, 800)
sheet.write_row(3, 0, ['K3', 'Gamma', 'Mette'])
sheet.write_formula(3, 3, '=NA()', None, '#N/A')
sheet.write(3, 4, 400)
sheet.write_row(4, 0, ['K4', 'Delta', 'Søren'])
sheet.write_formula(4, 3, '=100+200', None, 300)
sheet.write(4, 4, 300)
sheet.write_row(5, 0, ['K5', 'Epsilon', 'Jonas', 60])
sheet.write_formula(5, 4, '=1/0', None, '#DIV/0!')
book.close()
book = xlsxwriter.Workbook(folder + '/share-of-wallet.xlsx')
sheet = book.add_worksheet('Kunder')
sheet.write_row(0, 0, ['Kundenr', 'Kunde', 'Andel af køb', 'Tilfredshed'])
for row, values in enumerate([['K1', 'Alfa', 80, 4], ['K2', 'Beta', 1, 5], ['K3', 'Gamma', 50, 2], ['K4', 'Delta', 30, 4], ['K5', 'Epsilon', 60, 3]], start=1):
    sheet.write_row(row, 0, values)
book.close()
`;

describe('the inputs issue 7 hands over, read back cell by cell', () => {
  let handed = '';
  beforeAll(() => {
    handed = freshDir();
    execFileSync(PYTHON, ['-c', HANDED_INPUTS_SCRIPT, handed], { stdio: 'pipe' });
  });

  /** Runs the CLI on a copy of a fixture (so the output lands beside it) and returns the run and the output path. */
  async function segmentFixture(source: string, args: string[]) {
    const dir = freshDir();
    const input = path.join(dir, path.basename(source));
    writeFileSync(input, readFileSync(source));
    const target = path.join(dir, 'out.xlsx');
    return { run: await runCli(['segment', input, '-o', target, ...args]), target };
  }

  const CUSTOMER_ROWS = [2, 3, 4, 5, 6];

  it.each([
    ['openpyxl (absolute part names, no stored formula results, sheet "Noter" first)', 'openpyxl.xlsx'],
    ['SheetJS (parts stored uncompressed, worksheets before the workbook part)', 'sheetjs.xlsx'],
  ])('a workbook saved by %s', async (_, file) => {
    const { run, target } = await segmentFixture(path.join(PRODUCERS, file), ['-s', 'Kunder', '-m', 'abcd,pareto']);
    expect(run.code).toBe(0);
    expect(run.err).toEqual([]);
    expect(run.out[0]).toBe(`${file}: 5 customers on sheet "Kunder", 0 problem(s).`);
    const { segments } = await writtenSegments(target, 'Kunder', 1, ['abcd', 'pareto'], CUSTOMER_ROWS, [7]);
    const { headers, rows } = tableFromDump(PRODUCERS, file, 'Kunder', 1, 8, CUSTOMER_ROWS);
    expect(segments).toEqual(engineSegments(headers, rows, ['abcd', 'pareto']));
    // K4 has no potential: no ABCD segment; its revenue still ranks it in the Pareto.
    expect([segments.abcd[3], segments.pareto[3]]).toEqual([null, 'C']);
  });

  it('the openpyxl workbook without -s: its first sheet "Noter" holds no customers, and the run says which sheets there are', async () => {
    const { run, target } = await segmentFixture(path.join(PRODUCERS, 'openpyxl.xlsx'), []);
    expect(run.code).toBe(1);
    expect(run.err).toEqual([
      'Row 1 above the header (row 2) is a title and was skipped.',
      'segmentkit: The sheet "Noter" has no customer rows below its header (row 2): name the sheet that holds the customer table with -s. Sheets: "Noter", "Kunder".',
    ]);
    expect(existsSync(target)).toBe(false);
    const header = path.join(freshDir(), 'kun-overskrift.csv');
    writeFileSync(header, 'Kundenr;Omsætning\r\n');
    const danish = await runCli(['segment', header, '--lang', 'da']);
    expect([danish.code, danish.err.at(-1)]).toEqual([1, 'segmentkit: kun-overskrift.csv har en overskriftsrække (række 1), men ingen kunderækker under den: eksportér kundetabellen igen.']);
  });

  it.each([
    ['"I alt" with =SUM below the list', 'table-totals-row.xlsx', 1, 7, 'Row 7 is a totals row, not a customer, and was left out.'],
    ['the totals row of an Excel table', 'table-excel-table.xlsx', 3, 9, 'Row 9 is a totals row, not a customer, and was left out.'],
  ])('a totals row, %s: no segment, a note, and the cuts from the customers alone', async (_, file, headerRow, totalsRow, note) => {
    const { run, target } = await segmentFixture(path.join(TABLES, file), ['-m', 'abcd,pareto']);
    expect(run.code).toBe(0);
    expect(run.err).toEqual([note]);
    expect(run.out[0]).toBe(`${file}: 5 customers on sheet "Kunder", 0 problem(s).`);
    const customerRows = CUSTOMER_ROWS.map((row) => row + headerRow - 1);
    const { segments } = await writtenSegments(target, 'Kunder', headerRow, ['abcd', 'pareto'], customerRows, [totalsRow]);
    const { headers, rows } = tableFromDump(TABLES, file, 'Kunder', headerRow, 4, customerRows);
    expect(segments).toEqual(engineSegments(headers, rows, ['abcd', 'pareto']));
    // Counted as a customer, the totals row (1000) would take the only A and push K1 down.
    expect(segments.pareto).toEqual(['A', 'A', 'B', 'B', 'C']);
  });

  it('a blank row inside the list: the customers below it are segmented, the row is reported and gets nothing', async () => {
    const { run, target } = await segmentFixture(path.join(TABLES, 'table-blank-row.xlsx'), ['-m', 'abcd,pareto']);
    expect(run.code).toBe(0);
    expect(run.err).toEqual(['Row 5 inside the table is blank: kept as an empty row without a segment, and the customers below it are read.']);
    expect(run.out[0]).toBe('table-blank-row.xlsx: 5 customers on sheet "Kunder", 0 problem(s).');
    const customerRows = [2, 3, 4, 6, 7];
    const { segments } = await writtenSegments(target, 'Kunder', 1, ['abcd', 'pareto'], customerRows, [5, 8]);
    const { headers, rows } = tableFromDump(TABLES, 'table-blank-row.xlsx', 'Kunder', 1, 4, customerRows);
    expect(segments).toEqual(engineSegments(headers, rows, ['abcd', 'pareto']));
    expect(segments.pareto.slice(3)).toEqual(['B', 'C']);
  });

  it('two title rows and a blank row above the header', async () => {
    const { run, target } = await segmentFixture(path.join(TABLES, 'table-title-rows.xlsx'), ['-m', 'abcd,pareto']);
    expect(run.code).toBe(0);
    expect(run.err).toEqual(['Rows 1 and 2 above the header (row 4) are titles and were skipped.']);
    const customerRows = CUSTOMER_ROWS.map((row) => row + 3);
    const { sheet, segments } = await writtenSegments(target, 'Kunder', 4, ['abcd', 'pareto'], customerRows, [1, 2, 3]);
    expect([columnHeaded(sheet, 4, 'Segment ABCD'), columnHeaded(sheet, 4, 'Segment Pareto')]).toEqual([6, 7]);
    const { headers, rows } = tableFromDump(TABLES, 'table-title-rows.xlsx', 'Kunder', 4, 4, customerRows);
    expect(segments).toEqual(engineSegments(headers, rows, ['abcd', 'pareto']));
    expect(sheet.getCell('A1').value).toBe('Kundeoversigt');
  });

  it('a header cell merged across two columns', async () => {
    const { run, target } = await segmentFixture(path.join(TABLES, 'table-merged-header.xlsx'), ['-m', 'abcd,pareto']);
    expect(run.code).toBe(0);
    expect(run.err).toEqual(['A header cell in row 1 is merged across several columns; each column it covers is read, named C "Kunde (2)".']);
    const { sheet, segments } = await writtenSegments(target, 'Kunder', 1, ['abcd', 'pareto'], CUSTOMER_ROWS);
    // Right of the whole table (A:F), the town column included.
    expect([columnHeaded(sheet, 1, 'Segment ABCD'), columnHeaded(sheet, 1, 'Segment Pareto')]).toEqual([7, 8]);
    const { headers, rows } = tableFromDump(TABLES, 'table-merged-header.xlsx', 'Kunder', 1, 5, CUSTOMER_ROWS);
    expect(segments).toEqual(engineSegments(headers, rows, ['abcd', 'pareto'], {}, { id: 0, name: 1, owner: 3, revenue: 4, potential: 5 }));
    expect(sheet.getCell('C2').value).toBe('Ærøskøbing');
  });

  it('formula cells: a stored 0 is 0, not blank; #N/A and #DIV/0! are reported with row and column and that row gets no segment from them', async () => {
    const { run, target } = await segmentFixture(path.join(handed, 'formula-results.xlsx'), ['-m', 'abcd,pareto']);
    expect(run.code).toBe(0);
    expect(run.err).toEqual([
      "Row 4, column D (Omsætning): '#N/A' is not a number; the row gets no segment from it.",
      "Row 6, column E (Potentiale): '#DIV/0!' is not a number; the row gets no segment from it.",
    ]);
    expect(run.out[0]).toBe('formula-results.xlsx: 5 customers on sheet "Kunder", 2 problem(s).');
    const { segments } = await writtenSegments(target, 'Kunder', 1, ['abcd', 'pareto'], CUSTOMER_ROWS);
    const headers = ['Kundenr', 'Kunde', 'Kundeansvarlig', 'Omsætning', 'Potentiale'];
    const rows = [['K1', 'Alfa', 'Mette', 500, 800], ['K2', 'Beta', 'Jonas', 0, 800], ['K3', 'Gamma', 'Mette', '#N/A', 400], ['K4', 'Delta', 'Søren', 300, 300], ['K5', 'Epsilon', 'Jonas', 60, '#DIV/0!']];
    expect(segments).toEqual(engineSegments(headers, rows, ['abcd', 'pareto']));
    // K2's 0 is a revenue (low, C), not a missing one (no segment); K3 has none; K5 has a Pareto class but no ABCD.
    expect(segments.pareto).toEqual(['A', 'C', null, 'A', 'B']);
    expect(segments.abcd).toEqual(['A', 'B', null, 'C', null]);
  });

  it('merged data cells: filled from their first cell, said in a note, and the owners reach the Priority sheet', async () => {
    const { run, target } = await segmentFixture(path.join(TABLES, 'table-merged-data.xlsx'), ['-m', 'abcd,pareto']);
    expect(run.code).toBe(0);
    expect(run.err).toEqual(["Merged cells C2:C3 and C4:C5 were filled in every row they cover with their first cell's value."]);
    const { segments } = await writtenSegments(target, 'Kunder', 1, ['abcd', 'pareto'], CUSTOMER_ROWS);
    const { headers, rows } = tableFromDump(TABLES, 'table-merged-data.xlsx', 'Kunder', 1, 4, CUSTOMER_ROWS);
    expect(segments).toEqual(engineSegments(headers, rows, ['abcd', 'pareto']));
    const priority = (await readBack(target)).getWorksheet('Priority')!;
    expect([plainValue(priority.getCell('A1').value), plainValue(priority.getCell('B1').value)]).toEqual(['Account manager', 'Customer ID']);
    const owners: Record<string, CellValue> = {};
    for (let row = 2; row <= 6; row++) owners[String(plainValue(priority.getCell(row, 2).value))] = plainValue(priority.getCell(row, 1).value);
    expect(owners).toEqual({ K1: 'Mette', K3: 'Mette', K2: 'Jonas', K5: 'Jonas', K4: 'Søren' });
  });

  it.each(['xlsxwriter-1904.xlsx', 'openpyxl-1904.xlsx'])('dates in a workbook on the 1904 date system (%s): the new-customer rule sees the right day', async (file) => {
    // Revenue alone is no margin: the amounts are taken as the margin column, by name.
    const { run, target } = await segmentFixture(path.join(PRODUCERS, file), ['-s', 'Kunder', '-m', 'value', '--map', 'margin=Omsætning', '--set', 'value.asOf=2022-06-30']);
    expect(run.code).toBe(0);
    const { segments } = await writtenSegments(target, 'Kunder', 1, ['value'], CUSTOMER_ROWS);
    const { headers, rows } = tableFromDump(PRODUCERS, file, 'Kunder', 1, 8, CUSTOMER_ROWS);
    expect(rows[3][5]).toEqual(new Date(Date.UTC(2022, 0, 10)));
    const { revenue, ...mapping } = { ...detectRoles(headers.map((header) => String(header))), margin: 3 };
    expect(revenue).toBe(3);
    expect(segments).toEqual(engineSegments(headers, rows, ['value'], { value: { asOf: dateToSerial(2022, 6, 30) } }, mapping));
    // K4 became a customer on 2022-01-10, under 12 months before the as-of day: new, so at least
    // Silver. Read four years off (2018-01-09) it would be an old Bronze customer.
    expect(segments.value[3]).toBe('Silver');
  });

  it('share of wallet written as 80 and 1 in one column: the 1 is 1 %, decided for the whole column', async () => {
    const { run, target } = await segmentFixture(path.join(handed, 'share-of-wallet.xlsx'), ['-m', 'quadrant']);
    expect(run.code).toBe(0);
    expect(run.err).toEqual([]);
    const { segments } = await writtenSegments(target, 'Kunder', 1, ['quadrant'], CUSTOMER_ROWS);
    const headers = ['Kundenr', 'Kunde', 'Andel af køb', 'Tilfredshed'];
    const rows = [['K1', 'Alfa', 80, 4], ['K2', 'Beta', 1, 5], ['K3', 'Gamma', 50, 2], ['K4', 'Delta', 30, 4], ['K5', 'Epsilon', 60, 3]];
    expect(segments).toEqual(engineSegments(headers, rows, ['quadrant']));
    // K2: a share of 1 % and the best satisfaction is a customer to grow; read as 100 % it would be a model.
    expect(segments.quadrant[1]).toBe('Grow');
  });
});

describe('nothing written where SegmentKit cannot write', () => {
  it('refuses to overwrite a user\'s cell in the column the segments would take, in English and Danish', async () => {
    const dir = freshDir();
    const file = path.join(dir, 'kunder.csv');
    const lines = ['Kunde;Omsætning'];
    for (let i = 1; i <= 12; i++) lines.push(i === 4 ? `K${i};${i * 100};ring igen` : `K${i};${i * 100}`);
    writeFileSync(file, lines.join('\r\n'));
    const english = await runCli(['segment', file, '-m', 'pareto']);
    expect([english.code, english.err.at(-1)]).toEqual([1, 'segmentkit: SegmentKit will not overwrite kunder!C5: it holds data SegmentKit did not write. Move that data or the table, then run again.']);
    const danish = await runCli(['segment', file, '-m', 'pareto', '--lang', 'da']);
    expect([danish.code, danish.err.at(-1)]).toEqual([1, 'segmentkit: SegmentKit overskriver ikke kunder!C5: cellen indeholder data, som SegmentKit ikke har skrevet. Flyt de data eller tabellen, og kør igen.']);
    expect(readdirSync(dir)).toEqual(['kunder.csv']);
  });

  it('says there is no room right of a table that uses all 16,384 columns, before writing anything', async () => {
    const dir = freshDir();
    const file = path.join(dir, 'bred.csv');
    const header = ['Omsætning'];
    const row = ['100'];
    for (let column = 1; column < 16_384; column++) { header.push(`Felt ${column}`); row.push('x'); }
    writeFileSync(file, `${header.join(';')}\r\n${row.join(';')}\r\n${row.join(';')}\r\n`);
    const run = await runCli(['segment', file, '-m', 'pareto', '--lang', 'da']);
    expect([run.code, run.err.at(-1)]).toEqual([1, 'segmentkit: SegmentKit skal bruge 1 tom kolonne til højre for kolonne XFD, men et ark slutter ved kolonne XFD (16.384 kolonner): slet eller flyt kolonner til højre for tabellen, eller vælg færre modeller, og kør igen.']);
    expect(readdirSync(dir)).toEqual(['bred.csv']);
  });
});

describe('no silent stand-ins on the command line', () => {
  it('names the columns the margin read on the sample and says it is before cost to serve', async () => {
    const target = path.join(freshDir(), 'out.xlsx');
    const run = await runCli(['segment', SAMPLE, '-m', 'margin', '-o', target, '--values-only']);
    expect(run.code).toBe(0);
    const { table } = await engineOnSample();
    const losses = Array.from({ length: table.rowCount }, (_, i) => table.numbers.margin![i]).filter((margin) => margin < 0).length;
    expect(losses).toBe(142);
    expect(run.out.slice(1, 4)).toEqual([
      // The 300 prospects below the customers have no margin yet: no segment.
      'Margin and cost to serve: Loss 142, Profit 1858, - 300',
      '  Columns used: Contribution margin, Revenue.',
      '  Not in the table, so not used: Cost to serve, Hours.',
    ]);
    const sheet = (await readBack(target)).getWorksheet('Kunder')!;
    expect(['R1', 'S1', 'T1'].map((cell) => sheet.getCell(cell).value)).toEqual(['Segment Margin', 'Margin before cost to serve', 'Margin %']);
  });

  it('leaves out a model whose setting needs a column the table lacks, says so, and writes the others', async () => {
    const dir = freshDir();
    const file = path.join(dir, 'db.csv');
    writeFileSync(file, 'Kundenr,Dækningsbidrag\r\nK1,400\r\nK2,-20\r\nK3,100\r\n');
    const run = await runCli(['segment', file, '-m', 'pareto,margin']);
    expect(run.code).toBe(0);
    expect(run.err.at(-1)).toBe('Pareto ABC left out: the table has no column for Revenue.');
    expect(run.out.slice(1, -1)).toEqual([
      'Margin and cost to serve: Loss 1, Profit 2', '  Columns used: Contribution margin.', '  Not in the table, so not used: Cost to serve, Hours.',
      '  Customers with a negative margin: 1 (cost to serve and hours are not in the table).',
    ]);
  });
});

describe('cuts the engine refuses or moves', () => {
  function csvInput(name: string, lines: string[]): string {
    const file = path.join(freshDir(), name);
    writeFileSync(file, lines.join('\r\n'));
    return file;
  }

  it('keeps the tied zeros of Revenue 0, 0, 5 below a median cut: the zeros are low, 5 is high', async () => {
    // Potential 10, 20, 30 at the default Pareto 80 % (total 60: 30 + 20 = 50 ≥ 48): cut 20.
    const file = csvInput('kunder.csv', ['Kunde;Omsætning;Potentiale', 'K1;0;10', 'K2;0;20', 'K3;5;30']);
    const target = path.join(path.dirname(file), 'ud.xlsx');
    const run = await runCli(['segment', file, '-m', 'abcd', '-o', target, '--cut', 'abcd.revenueCut=quantile:0.5', '--reasons']);
    expect(run.code).toBe(0);
    const { sheet, segments } = await writtenSegments(target, 'kunder', 1, ['abcd'], [2, 3, 4]);
    // Before, the median 0 with ties high made the zeros "high revenue": C, A, A.
    expect(segments.abcd).toEqual(['D', 'B', 'A']);
    const reason = plainValue(sheet.getCell(2, columnHeaded(sheet, 1, 'Segment ABCD') + 1).value);
    expect(reason).toBe('Revenue 0 < cut 5 (the median falls inside 2 tied values of 0; they are kept together, so 2 of 3 customers (66.7 %) are below the cut, not 50 %); potential 10 < cut 20');
  });

  it('puts the 1s of Satisfaction 1, 1, 1, 5, 4 below the median cut, so Fix and Move have customers, and says so on the Summary', async () => {
    const file = csvInput('kunder.csv', [
      'Kunde;Share of wallet;Tilfredshed', 'K1;80 %;1', 'K2;20 %;1', 'K3;60 %;1', 'K4;70 %;5', 'K5;30 %;4',
    ]);
    const target = path.join(path.dirname(file), 'ud.xlsx');
    const run = await runCli(['segment', file, '-m', 'quadrant', '-o', target]);
    expect(run.code).toBe(0);
    expect(run.out[1]).toBe('Grow / Fix / Model / Move: Model 1, Fix 2, Grow 1, Move 1');
    const { segments } = await writtenSegments(target, 'kunder', 1, ['quadrant'], [2, 3, 4, 5, 6]);
    expect(segments.quadrant).toEqual(['Fix', 'Move', 'Fix', 'Model', 'Grow']);
    // The cut cell the ordinary formulas compare with (≥) holds 4, the smallest answer above the tie.
    const summary = (await readBack(target)).getWorksheet('Summary')!;
    let cutRow = 0;
    summary.eachRow((row, number) => { if (plainValue(row.getCell(1).value) === 'Satisfaction cut') cutRow = number; });
    expect(cutRow).toBeGreaterThan(0);
    expect([4, 6].map((column) => plainValue(summary.getCell(cutRow, column).value))).toEqual([
      4, 'The median falls inside 3 tied values of 1; they are kept together, so 3 of 5 customers (60 %) are below the cut, not 50 %.',
    ]);
    expect(plainValue(summary.getCell(cutRow - 2, 6).value)).toBe('Ties');
  });

  it('refuses cuts in the wrong order with exit code 2 and the engine\'s sentence, writing nothing', async () => {
    const dir = freshDir();
    const target = path.join(dir, 'out.xlsx');
    const refusals: [string[], string][] = [
      [['-m', 'pareto', '--cut', 'pareto.aCut=pareto:0.95', '--cut', 'pareto.bCut=pareto:0.5'],
        'segmentkit: Pareto ABC: the A cut (Pareto share 0.95) must be stricter than the B cut (Pareto share 0.5), else the segment between them stays empty: give the A cut a share below 0.5.'],
      [['-m', 'value', '--cut', 'value.goldCut=value:100', '--cut', 'value.silverCut=value:300'],
        'segmentkit: Value tiers and terms: the Gold cut (value 100) must be stricter than the Silver cut (value 300), else the segment between them stays empty: give the Gold cut a value of at least 300.'],
    ];
    for (const [args, sentence] of refusals) {
      const run = await runCli(['segment', SAMPLE, '-o', target, ...args]);
      expect([run.code, run.err.at(-1)], args.join(' ')).toEqual([2, sentence]);
      expect(run.out).toEqual([]);
    }
    const danish = await runCli(['segment', SAMPLE, '-o', target, '--lang', 'da', ...refusals[0][0]]);
    expect([danish.code, danish.err.at(-1)]).toEqual([2,
      'segmentkit: Pareto ABC: skæring for A (Pareto-andel 0,95) skal være strammere end skæring for B (Pareto-andel 0,5), ellers bliver segmentet imellem tomt: giv skæring for A en andel under 0,5.']);
    // Cuts of two methods are compared on the values they resolve to: B at Pareto 95 % of 100, 300, 600 is 100.
    const file = csvInput('kunder.csv', ['Kunde;Omsætning', 'K1;100', 'K2;300', 'K3;600']);
    const mixed = await runCli(['segment', file, '-m', 'pareto', '-o', target, '--cut', 'pareto.aCut=value:50']);
    expect([mixed.code, mixed.err.at(-1)]).toEqual([2,
      'segmentkit: Pareto ABC: on this data the A cut (50) is below the B cut (100), so the segment between them stays empty: set the A cut above the B cut.']);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('fails a run in which a model gives no customer a segment, naming the model and why', async () => {
    const file = csvInput('kunder.csv', ['Kunde;Share of wallet;Tilfredshed', 'K1;80 %;', 'K2;20 %;', 'K3;60 %;']);
    const run = await runCli(['segment', file, '-m', 'quadrant']);
    expect([run.code, run.err.at(-1)]).toEqual([1,
      'segmentkit: Grow / Fix / Model / Move cannot run on this table: it gives none of the 3 customers a segment (the first one, row 2: Share of wallet 80 % ≥ cut 50 %; satisfaction is missing).']);
    expect(run.out).toEqual([]);
    expect(readdirSync(path.dirname(file))).toEqual(['kunder.csv']);
    const danish = await runCli(['segment', file, '-m', 'quadrant', '--lang', 'da']);
    expect(danish.err.at(-1)).toBe('segmentkit: Grow / Fix / Model / Move kan ikke køre på denne tabel: den giver ingen af de 3 kunder et segment (den første, række 2: Andel af køb 80 % ≥ skæring 50 %; tilfredshed mangler).');
  });
});

describe('a model named twice', () => {
  it('runs once: one segment column, one Summary block', async () => {
    const target = path.join(freshDir(), 'out.xlsx');
    const run = await runCli(['segment', SAMPLE, '-m', 'abcd,abcd', '-o', target]);
    expect(run.code).toBe(0);
    expect(run.out.filter((line) => line.startsWith(getModel('abcd').name.en))).toHaveLength(1);
    const sheet = (await readBack(target)).getWorksheet('Kunder')!;
    const headers: unknown[] = [];
    sheet.getRow(1).eachCell((cell) => headers.push(cell.value));
    expect(headers.filter((header) => String(header).startsWith('Segment ABCD'))).toEqual(['Segment ABCD']);
  });
});

describe('an order log with yyyymmdd dates (as CDNOW writes them)', () => {
  it('reads the dates and runs RFM, instead of calling every date unreadable', async () => {
    const file = path.join(freshDir(), 'cdnow.csv');
    writeFileSync(file, 'Customer ID,Order date,Amount\n00001,19970101,11.77\n00002,19970112,12.00\n00002,19970112,77.00\n00003,19970102,20.76\n00003,19970330,20.76\n00003,19971115,5.79\n00004,19970101,29.33\n');
    const run = await runCli(['segment', file, '-m', 'rfm']);
    expect(run.code).toBe(0);
    expect(run.err.filter((line) => /not a date/.test(line))).toEqual([]);
    // Customer 3 bought on three days, the last 1997-11-15: the log's last day, so R is 1 day.
    expect(run.out.find((line) => line.startsWith('  R score by days since the last order:'))).toContain('= 1 (1)');
  });
});
