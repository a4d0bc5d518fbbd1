import ExcelJS from 'exceljs';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main';
import { buildCustomerTable, dateToSerial, DEFAULT_TERMS, defaultSettings, getModel, segment, summarize } from '../src/engine';
import { plainValue } from './support/exceljs-cells';
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
    expect(['M1', 'N1', 'O1', 'P1'].map((cell) => sheet.getCell(cell).value)).toEqual(['Segment Value', 'Reason Value', 'Segment Quadrant', 'Reason Quadrant']);
    for (let i = 0; i < table.rowCount; i++) {
      const [value, quadrant] = expected.results.map((result) => result.tiers[i]);
      expect(plainValue(sheet.getCell(i + 2, 13).value)).toBe(value < 0 ? null : getModel('value').tiers[value].id);
      expect(plainValue(sheet.getCell(i + 2, 14).value)).toBe(expected.results[0].explain(i).en || null);
      expect(plainValue(sheet.getCell(i + 2, 15).value)).toBe(quadrant < 0 ? null : getModel('quadrant').tiers[quadrant].id);
    }
    const termsRows = workbook.getWorksheet('Terms')!;
    expect([termsRows.getCell('A4').value, termsRows.getCell('D4').value]).toEqual(['Gold', 0.1]);
  });

  it('names a setting it does not know', async () => {
    const { err, output } = capture();
    expect(await main(['segment', SAMPLE, '-m', 'value', '--set', 'value.nope=3'], output)).toBe(1);
    expect(err.at(-1)).toMatch(/^segmentkit: --set value\.nope=3: value has no number or date setting called nope\. Known: newMonths, lateDays, hourlyRate, asOf/);
  });

  it('segments the sample workbook exactly as the engine does, row by row', async () => {
    const target = path.join(mkdtempSync(path.join(tmpdir(), 'segmentkit-')), 'out.xlsx');
    const { out, err, output } = capture();
    expect(await main(['segment', SAMPLE, '--model', 'abcd,pareto', '-o', target, '--values-only'], output)).toBe(0);
    expect(err).toEqual(["Row 90, column D (Omsætning): 'ukendt' is not a number; the row gets no segment from it."]);
    expect(out[0]).toBe('sample-customers.xlsx: 2000 customers on sheet "Kunder", 1 problem(s).');

    const { table, segmentation: expected } = await engineOnSample();

    const result = (await readBack(target)).getWorksheet('Kunder')!;
    expect(result.getCell('M1').value).toBe('Segment ABCD');
    expect(result.getCell('N1').value).toBe('Segment Pareto');
    for (let i = 0; i < table.rowCount; i++) {
      const abcd = expected.results[0].tiers[i];
      const pareto = expected.results[1].tiers[i];
      expect(plainValue(result.getCell(i + 2, 13).value)).toBe(abcd < 0 ? null : getModel('abcd').tiers[abcd].id);
      expect(plainValue(result.getCell(i + 2, 14).value)).toBe(pareto < 0 ? null : getModel('pareto').tiers[pareto].id);
    }
  });

  it('writes Danish sheets and live formulas unless asked for values', async () => {
    const target = path.join(mkdtempSync(path.join(tmpdir(), 'segmentkit-')), 'out.xlsx');
    const { err, output } = capture();
    expect(await main(['segment', SAMPLE, '-m', 'pareto', '-o', target, '--lang', 'da', '--cut', 'pareto.aCut=quantile:0.9'], output)).toBe(0);
    expect(err[0]).toBe("Række 90, kolonne D (Omsætning): 'ukendt' er ikke et tal; rækken får intet segment ud fra den.");
    const workbook = await readBack(target);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['Kunder', 'Prioritet', 'Oversigt', 'SegmentKit_State']);
    // Ordinary formulas by default, reading the cut cells by name: the file recalculates anywhere.
    const cell = workbook.getWorksheet('Kunder')!.getCell('M2').value as ExcelJS.CellFormulaValue;
    expect(cell.formula).toBe('IF(ISNUMBER(D2),IF(D2>=SK_Pareto_ACut,"A",IF(AND(D2>0,D2>=SK_Pareto_BCut),"B","C")),"")');
    expect(workbook.definedNames.model.map((defined) => defined.name)).toEqual(['SK_Pareto_ACut', 'SK_Pareto_BCut']);

    // SegmentKit's own functions only when asked for.
    expect(await main(['segment', SAMPLE, '-m', 'pareto', '-o', target, '--lang', 'da', '--formulas', 'segmentkit'], capture().output)).toBe(0);
    const chosen = (await readBack(target)).getWorksheet('Kunder')!.getCell('M2').value as ExcelJS.CellFormulaValue;
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
    expect(lines.slice(0, 3)).toEqual(['sample-customers.xlsx: 2000 customers on sheet "Kunder", 1 problem(s).', countsLine(0), countsLine(1)]);
    expect(lines[3]).toMatch(/^Wrote .*out\.xlsx in \d+\.\d s\.$/);
    const workbook = await readBack(target);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['Kunder', 'Priority', 'Summary', 'SegmentKit_State']);
    expect(workbook.getWorksheet('SegmentKit_State')!.state).toBe('veryHidden');
    expect(workbook.getWorksheet('Priority')!.rowCount).toBe(2001);
    // The user's sheet keeps what it had: the frozen header, the filter, widths, formats, dates.
    const customers = workbook.getWorksheet('Kunder')!;
    expect(customers.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(customers.autoFilter).toBe('A1:L1');
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
    expect(err.at(-1)).toMatch(/^segmentkit: --cut abcd\.revenueCut=pareto:1\.5: A pareto cut takes a level above 0 and at most 1/);
    expect(await main(['segment', SAMPLE, '-m', 'nope'], output)).toBe(2);
    expect(err.at(-1)).toBe('segmentkit: There is no model "nope". Known: abcd, pareto, quadrant, value, score, margin.');
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
