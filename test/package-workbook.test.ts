import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { buildCustomerTable, defaultSettings, getModel, segment, serialToJsDate, todaySerial } from '../src/engine';
import { MARKER_SHEET, parseMarker } from '../src/workbook/marker';
import { buildPlan, type PlanOptions } from '../src/workbook/plan';
import { OccupiedCellsError } from '../src/workbook/port';
import { PackageWorkbook } from '../src/workbook/xlsx/package-workbook';
import { plainValue } from './support/exceljs-cells';
import { HEADERS, ROWS } from './support/customers';


async function workbookWith(setup: (sheet: ExcelJS.Worksheet, workbook: ExcelJS.Workbook) => void = () => {}) {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Kunder');
  sheet.addRow([]);
  sheet.addRow([null, ...HEADERS]);
  for (const row of ROWS) sheet.addRow([null, ...row]);
  setup(sheet, workbook);
  return PackageWorkbook.open(new Uint8Array(await workbook.xlsx.writeBuffer() as ArrayBuffer));
}

const CHOICES = ['abcd', 'pareto'].map((id) => ({ id, settings: defaultSettings(getModel(id)) }));

/** One run as the CLI does it; `next` is the written file opened again, for a re-run. */
async function run(port: PackageWorkbook, options: PlanOptions = { mode: 'values', language: 'en' }) {
  const snapshot = await port.readTable();
  const table = buildCustomerTable(snapshot.headers, snapshot.rows, { origin: snapshot.origin });
  const plan = buildPlan(snapshot, segment(table, CHOICES), options);
  await port.apply(plan);
  const bytes = port.toBytes();
  const reread = new ExcelJS.Workbook();
  await reread.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  return { snapshot, table, plan, reread, next: PackageWorkbook.open(bytes) };
}

/** Every row of a sheet as plain values, from row 1 and column A, with no holes. */
function sheetRows(sheet: ExcelJS.Worksheet) {
  const rows = [];
  for (let row = 1; row <= sheet.rowCount; row++) {
    const values = sheet.getRow(row).values as ExcelJS.CellValue[];
    rows.push(Array.from(values.slice(1), (value) => plainValue(value)));
  }
  return rows;
}

function column(sheet: ExcelJS.Worksheet, letter: string, from: number, to: number) {
  const values = [];
  for (let row = from; row <= to; row++) values.push(plainValue(sheet.getCell(`${letter}${row}`).value));
  return values;
}

describe('PackageWorkbook', () => {
  it('finds the table where it starts and reports problems at their sheet cells', async () => {
    const { snapshot, table } = await run(await workbookWith());
    expect(snapshot.origin).toEqual({ headerRow: 2, firstColumn: 1 });
    expect(snapshot.headers).toEqual(HEADERS);
    expect(table.problems).toEqual([{ row: 8, column: 'Omsætning', columnLetter: 'E', value: 'ukendt', kind: 'notNumber' }]);
  });

  it('writes segment columns, tier colors, Priority and Summary sheets that read back cell by cell', async () => {
    const { reread } = await run(await workbookWith());
    const sheet = reread.getWorksheet('Kunder')!;
    expect(column(sheet, 'G', 2, 8)).toEqual(['Segment ABCD', 'C', 'A', 'B', 'D', 'B', null]);
    expect(column(sheet, 'H', 2, 8)).toEqual(['Segment Pareto', 'A', 'A', 'B', 'B', 'C', null]);
    const formats = (sheet as unknown as { conditionalFormattings: ExcelJS.ConditionalFormattingOptions[] }).conditionalFormattings;
    expect(formats.map((format) => format.ref)).toEqual(['G3:G8', 'H3:H8']);
    const abcdRules = formats[0].rules as ExcelJS.CellIsRuleType[];
    expect(abcdRules.map((rule) => [rule.operator, rule.formulae?.[0], rule.style?.fill && (rule.style.fill as ExcelJS.FillPattern).bgColor?.argb]))
      .toEqual([['equal', '"A"', 'FF0072B2'], ['equal', '"B"', 'FFE69F00'], ['equal', '"C"', 'FF009E73'], ['equal', '"D"', 'FFCC79A7']]);

    const priority = reread.getWorksheet('Priority')!;
    const rows = sheetRows(priority);
    expect(rows[0]).toEqual(['Account manager', 'Customer ID', 'Customer', 'Segment ABCD', 'Segment Pareto', 'Priority', 'Revenue', 'Potential', 'Potential gap', 'Utilization', 'Recommended action', 'Decided by', 'Why']);
    // The rule: growth first (ABCD A, ABCD B, then Pareto B), then protecting (Pareto A before ABCD C).
    // Jonas: K2 is ABCD A, then K4 (ABCD D but Pareto B: develop). Mette: K5 and K3 are ABCD B, K5 first
    // by its larger potential gap (400 - 40 = 360 against 400 - 100 = 300), then K1 (C, but Pareto A:
    // protect), then K6 with no segment.
    expect(rows.slice(1).map((row) => [row[0], row[1], row[3], row[5], row[8]])).toEqual([
      ['Jonas', 'K2', 'A', 1, 500],
      ['Jonas', 'K4', 'D', 2, 240],
      ['Mette', 'K5', 'B', 1, 360],
      ['Mette', 'K3', 'B', 2, 300],
      ['Mette', 'K1', 'C', 3, -400],
      ['Mette', 'K6', null, 4, null],
    ]);
    expect(rows.slice(1).map((row) => [row[1], row[10], row[11]])).toEqual([
      ['K2', 'Expand: key account plan, senior contact, win the remaining wallet', 'ABCD accounts: A'],
      ['K4', 'Develop: find the next A customers among them', 'Pareto ABC: B'],
      ['K5', 'Develop: targeted offers to win share of the potential', 'ABCD accounts: B'],
      ['K3', 'Develop: targeted offers to win share of the potential', 'ABCD accounts: B'],
      ['K1', 'Protect: named contact, regular reviews, first in line', 'Pareto ABC: A'],
      ['K6', null, null],
    ]);
    // The deciding model's reason: K2 has revenue 300 at the cut 300 and potential 800 above the cut 400.
    expect(rows[1][12]).toBe('Revenue 300 ≥ cut 300; potential 800 ≥ cut 400');
    expect(rows[2][12]).toBe('Revenue 60 ≥ cut 60');
    // Without a segment the first model says what was missing.
    expect(rows[6][12]).toBe('Revenue is missing; potential 500 ≥ cut 400');

    const summary = reread.getWorksheet('Summary')!;
    const summaryRows = sheetRows(summary);
    const abcdStart = summaryRows.findIndex((row) => row[0] === 'ABCD accounts');
    expect(summaryRows[abcdStart + 2].slice(0, 5)).toEqual(['A', getModel('abcd').tiers[0].label.en, 1, 300, 0.3]);
    expect(summaryRows[abcdStart + 3].slice(0, 5)).toEqual(['B', getModel('abcd').tiers[1].label.en, 2, 140, 0.14]);
    expect(summaryRows[abcdStart + 6].slice(0, 3)).toEqual([null, '(no segment: missing or unreadable input)', 1]);
    const cutRow = summaryRows.findIndex((row) => row[0] === 'Revenue cut');
    expect(summaryRows[cutRow].slice(0, 4)).toEqual(['Revenue cut', 'Pareto share', 0.8, 300]);
    // When the cut was computed: the run's day, as a date.
    expect(summaryRows[cutRow][4]).toEqual(serialToJsDate(todaySerial()));

    const marker = reread.getWorksheet(MARKER_SHEET)!;
    expect(marker.state).toBe('veryHidden');
    expect(parseMarker(plainValue(marker.getCell('A1').value))).toEqual({
      version: 1, tableSheet: 'Kunder', columns: ['Segment ABCD', 'Segment Pareto'], sheets: { priority: 'Priority', summary: 'Summary' }, names: [],
      // Where the columns are, so a re-run finds them by place and header together.
      headerRow: 2, columnPositions: [6, 7],
      settings: { abcd: defaultSettings(getModel('abcd')), pareto: defaultSettings(getModel('pareto')) },
    });
  });

  it('writes ordinary formulas with their results by default, the cuts as values, and names for the cut cells', async () => {
    const { reread } = await run(await workbookWith(), { mode: 'formulas', language: 'da', spill: false });
    const sheet = reread.getWorksheet('Kunder')!;
    const cell = sheet.getCell('G3').value as ExcelJS.CellFormulaValue;
    expect(cell.formula).toBe('IF(COUNT(E3,F3)=2,IF(AND(E3>0,E3>=SK_ABCD_RevenueCut),IF(AND(F3>0,F3>=SK_ABCD_PotentialCut),"A","C"),IF(AND(F3>0,F3>=SK_ABCD_PotentialCut),"B","D")),"")');
    expect(cell.result).toBe('C');
    // K6's revenue is not a number: its formula gives "" as the engine gives no segment.
    // Filled down as one shared formula, as Excel writes it: G8 reuses G3's, shifted to its row.
    expect(sheet.getCell('G8').formula).toMatch(/^IF\(COUNT\(E8,F8\)=2,/);
    expect(sheet.getCell('G8').value).toEqual({ sharedFormula: 'G3' });
    expect(sheet.getCell('G3').value).toMatchObject({ shareType: 'shared', ref: 'G3:G8' });
    const summary = reread.getWorksheet('Oversigt')!;
    expect(summary.getCell('D14').value).toBe(300);
    expect(summary.getCell('D15').value).toBe(400);
    expect(reread.definedNames.model).toEqual([
      { name: 'SK_ABCD_RevenueCut', ranges: ['Oversigt!$D$14'] }, { name: 'SK_ABCD_PotentialCut', ranges: ['Oversigt!$D$15'] },
      { name: 'SK_Pareto_ACut', ranges: ['Oversigt!$D$31'] }, { name: 'SK_Pareto_BCut', ranges: ['Oversigt!$D$32'] },
    ]);
  });

  it('writes SegmentKit functions with their results when asked, and live cut cells on the Summary sheet', async () => {
    const { reread } = await run(await workbookWith(), { mode: 'formulas', formulas: 'segmentkit', language: 'da', spill: false });
    const sheet = reread.getWorksheet('Kunder')!;
    const cell = sheet.getCell('G3').value as ExcelJS.CellFormulaValue;
    expect(cell.formula).toBe("SEGMENT.ABCD(E3,F3,'Oversigt'!$D$14,'Oversigt'!$D$15)");
    expect(cell.result).toBe('C');
    const summary = reread.getWorksheet('Oversigt')!;
    const cut = summary.getCell('D14').value as ExcelJS.CellFormulaValue;
    expect(cut.formula).toBe(`SEGMENT.CUTOFF('Kunder'!$E$3:$E$8,"pareto",0.8)`);
    expect(cut.result).toBe(300);
    expect(reread.getWorksheet('Prioritet')).toBeDefined();
    expect(reread.definedNames.model).toEqual([]);
  });

  it('replaces only its own columns and sheets on a re-run', async () => {
    const port = await workbookWith((_, workbook) => {
      workbook.addWorksheet('Priority').getCell('A1').value = 'my own notes';
    });
    const first = await run(port);
    const { reread } = await run(first.next, { mode: 'values', language: 'en' });
    const sheet = reread.getWorksheet('Kunder')!;
    expect(column(sheet, 'G', 2, 3)).toEqual(['Segment ABCD', 'C']);
    expect(column(sheet, 'I', 2, 3)).toEqual([null, null]);
    expect(reread.getWorksheet('Priority')!.getCell('A1').value).toBe('my own notes');
    expect(reread.worksheets.map((candidate) => candidate.name).sort()).toEqual(['Kunder', MARKER_SHEET, 'Priority', 'Priority (2)', 'Summary'].sort());
  });

  it('recognises its own columns and sheets on a re-run of a Danish run, and writes them again in place', async () => {
    const danish: PlanOptions = { mode: 'formulas', language: 'da', reasons: true };
    const first = await run(await workbookWith(), danish);
    const second = await run(first.next, danish);
    // The second read sees the user's table only: the Danish columns (Begrundelse ABCD, …) are SegmentKit's.
    expect(second.snapshot.headers).toEqual(first.snapshot.headers);
    expect(second.plan.columns.map((column) => column.header)).toEqual(['Segment ABCD', 'Begrundelse ABCD', 'Segment Pareto', 'Begrundelse Pareto']);
    const sheet = second.reread.getWorksheet('Kunder')!;
    expect(column(sheet, 'G', 2, 3)).toEqual(['Segment ABCD', 'C']);
    expect(column(sheet, 'H', 2, 3)).toEqual(['Begrundelse ABCD', 'Omsætning 500 ≥ skæring 300; potentiale 100 < skæring 400']);
    expect(column(sheet, 'I', 2, 3)[0]).toBe('Segment Pareto');
    expect(second.reread.worksheets.map((candidate) => candidate.name).sort()).toEqual(['Kunder', MARKER_SHEET, 'Oversigt', 'Prioritet'].sort());
    expect(sheetRows(second.reread.getWorksheet('Prioritet')!)[0].slice(10, 12)).toEqual(['Anbefalet handling', 'Afgjort af']);
  });

  it('never overwrites a cell it did not write', async () => {
    const port = await workbookWith((sheet) => {
      sheet.getCell('H5').value = 'a note of the user';
    });
    const snapshot = await port.readTable();
    const table = buildCustomerTable(snapshot.headers, snapshot.rows, { origin: snapshot.origin });
    const plan = buildPlan(snapshot, segment(table, CHOICES), { mode: 'values', language: 'en' });
    await expect(port.apply(plan)).rejects.toThrow(OccupiedCellsError);
    await expect(port.apply(plan)).rejects.toThrow('Kunder!H5');
    // Refused before anything was planned for writing: the file comes out as it went in.
    const untouched = new ExcelJS.Workbook();
    await untouched.xlsx.load(port.toBytes() as unknown as ExcelJS.Buffer);
    expect(untouched.getWorksheet('Kunder')!.getCell('G2').value).toBeNull();
    expect(untouched.worksheets.map((sheet) => sheet.name)).toEqual(['Kunder']);
  });

  it('names a sheet that does not exist', async () => {
    const bytes = (await workbookWith()).toBytes();
    const port = PackageWorkbook.open(bytes, { sheet: 'Customers' });
    await expect(port.readTable()).rejects.toThrow('The workbook has no sheet named "Customers". Sheets: "Kunder".');
  });
});
