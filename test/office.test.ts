import { describe, expect, it } from 'vitest';
import { CUSTOMER_HEADERS, seededExcel } from '../bench/office-syncs';
import { buildCustomerTable, defaultSettings, getModel, segment, type CellValue } from '../src/engine';
import { MARKER_SHEET, parseMarker } from '../src/workbook/marker';
import { OfficeWorkbook } from '../src/workbook/office';
import { buildPlan, rowFormulaAt, type PlanOptions } from '../src/workbook/plan';
import { OccupiedCellsError, type Progress } from '../src/workbook/port';
import { HEADERS, ROWS } from './support/customers';
import { FakeExcel } from './support/fake-excel';

/** The customer table on 'Kunder' at B2:F8, the cursor in it. */
function excelWithCustomers(): FakeExcel {
  const excel = new FakeExcel();
  excel.addSheet('Kunder', { at: 'B2', rows: [HEADERS, ...ROWS] });
  excel.select('Kunder', 'D4');
  return excel;
}

function portFor(excel: FakeExcel): OfficeWorkbook {
  return new OfficeWorkbook(excel.run, excel.isSetSupported);
}

const BOTH = ['abcd', 'pareto'];

async function run(excel: FakeExcel, options: PlanOptions = { mode: 'formulas', language: 'en' }, models = BOTH) {
  const port = portFor(excel);
  const snapshot = await port.readTable();
  const table = buildCustomerTable(snapshot.headers, snapshot.rows, { origin: snapshot.origin });
  const choices = models.map((id) => ({ id, settings: defaultSettings(getModel(id)) }));
  const plan = buildPlan(snapshot, segment(table, choices), options);
  const report = await port.apply(plan);
  return { snapshot, table, plan, report };
}

/** Conditional formats of one range as [value, fill, font] per tier, in tier order. */
function tierRules(excel: FakeExcel, sheet: string, address: string) {
  return excel.conditionalFormats(sheet)
    .filter((format) => format.address === address)
    .map((format) => {
      expect(format.type).toBe('CellValue');
      expect(format.operator).toBe('EqualTo');
      return [format.formula1, format.fill, format.font];
    })
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
}

const ABCD_RULES = [['="A"', '#0072B2', '#FFFFFF'], ['="B"', '#E69F00', '#000000'], ['="C"', '#009E73', '#FFFFFF'], ['="D"', '#CC79A7', '#000000']];

describe('the in-memory Excel', () => {
  it('throws on a property read before load and sync, and lands writes only at sync', async () => {
    const excel = excelWithCustomers();
    const context = excel.context();
    const range = context.workbook.worksheets.getItem('Kunder').getRange('B2');
    expect(() => range.values).toThrow(/PropertyNotLoaded/);
    range.load('values');
    expect(() => range.values).toThrow(/PropertyNotLoaded/);
    await context.sync();
    expect(range.values).toEqual([['Kundenr']]);

    range.values = [['Customer ID']];
    expect(excel.values('Kunder', 'B2')).toEqual([['Kundenr']]);
    await context.sync();
    expect(excel.values('Kunder', 'B2')).toEqual([['Customer ID']]);
    expect(excel.syncCount).toBe(2);
  });

  it('knows isNullObject only after a sync, and rejects a batch over 5 MB with nothing written', async () => {
    const excel = excelWithCustomers();
    const context = excel.context();
    const missing = context.workbook.worksheets.getItemOrNullObject('Nowhere');
    expect(() => missing.isNullObject).toThrow(/PropertyNotLoaded/);
    await context.sync();
    expect(missing.isNullObject).toBe(true);

    const sheet = context.workbook.worksheets.getItem('Kunder');
    sheet.getRange('A1').values = [['small']];
    sheet.getRangeByIndexes(10, 0, 60_000, 1).values = Array.from({ length: 60_000 }, () => ['x'.repeat(90)]);
    await expect(context.sync()).rejects.toThrow(/RequestPayloadSizeLimitExceeded/);
    expect(excel.values('Kunder', 'A1:A11')).toEqual(Array.from({ length: 11 }, () => ['']));
  });
});

describe('OfficeWorkbook.readTable', () => {
  it('takes the Excel table around the selection, not the larger region around it', async () => {
    const excel = excelWithCustomers();
    excel.addTable('Kunder', 'Kundetabel', 'B2:F5');
    excel.select('Kunder', 'C3');
    const snapshot = await portFor(excel).readTable();
    expect(snapshot.excelTableName).toBe('Kundetabel');
    expect(snapshot.origin).toEqual({ headerRow: 2, firstColumn: 1 });
    expect(snapshot.headers).toEqual(HEADERS);
    expect(snapshot.rows).toEqual(ROWS.slice(0, 3));
  });

  it('takes the selection when it is more than one cell, cut to the data when whole columns are selected', async () => {
    const excel = excelWithCustomers();
    excel.select('Kunder', 'B2:D5');
    const snapshot = await portFor(excel).readTable();
    expect(snapshot.excelTableName).toBeUndefined();
    expect(snapshot.headers).toEqual(['Kundenr', 'Kunde', 'Kundeansvarlig']);
    expect(snapshot.rows).toEqual(ROWS.slice(0, 3).map((row) => row.slice(0, 3)));

    excel.select('Kunder', 'E1:F1048576');
    const columns = await portFor(excel).readTable();
    expect(columns.origin).toEqual({ headerRow: 2, firstColumn: 4 });
    expect(columns.headers).toEqual(['Omsætning', 'Potentiale']);
    expect(columns.rows).toHaveLength(6);
  });

  it('takes the current region around the active cell, stopping at blank rows and columns', async () => {
    const excel = excelWithCustomers();
    excel.setCells('Kunder', 'H2', [['Noter'], ['ikke kunder']]);
    excel.setCells('Kunder', 'B10', [['Sum'], [1000]]);
    excel.addSheet('Andet', { rows: [['x']] });
    excel.select('Kunder', 'E6');
    const snapshot = await portFor(excel).readTable();
    expect(snapshot.sheetName).toBe('Kunder');
    expect(snapshot.origin).toEqual({ headerRow: 2, firstColumn: 1 });
    expect(snapshot.headers).toEqual(HEADERS);
    expect(snapshot.rows).toEqual(ROWS);
    expect(snapshot.marker).toBeNull();
    expect(snapshot.sheetNames).toEqual(['Kunder', 'Andet']);
  });

  it('leaves SegmentKit\'s own columns out of the table on a re-run', async () => {
    const excel = excelWithCustomers();
    await run(excel);
    const snapshot = await portFor(excel).readTable();
    expect(snapshot.headers).toEqual(HEADERS);
    expect(snapshot.rows).toEqual(ROWS);
    expect(snapshot.marker?.columns).toEqual(['Segment ABCD', 'Segment Pareto']);
    expect(snapshot.sheetNames).toEqual(['Kunder', MARKER_SHEET, 'Priority', 'Summary']);
  });
});

describe('OfficeWorkbook.apply', () => {
  it('writes spilled SegmentKit formulas when asked, tier colors, Priority and Summary sheets, a chart and the marker', async () => {
    const excel = excelWithCustomers();
    const { report } = await run(excel, { mode: 'formulas', formulas: 'segmentkit', language: 'en' });
    expect(report.written).toEqual(['Kunder!G2:G8', 'Kunder!H2:H8', 'Priority!A1:M7', 'Summary!A1:G52']);

    expect(excel.formulas('Kunder', 'G2:H3')).toEqual([
      ['Segment ABCD', 'Segment Pareto'],
      ["=SEGMENT.ABCD('Kunder'!$E$3:$E$8,'Kunder'!$F$3:$F$8,'Summary'!$D$14,'Summary'!$D$15)", "=SEGMENT.PARETO('Kunder'!$E$3:$E$8,0.8,0.95)"],
    ]);
    // The cells a spilled formula fills stay empty, or it would show #SPILL!.
    expect(excel.formulas('Kunder', 'G4:H8').flat().every((cell) => cell === '')).toBe(true);
    expect(excel.isBold('Kunder', 'G2')).toBe(true);
    expect(tierRules(excel, 'Kunder', 'G3:G8')).toEqual(ABCD_RULES);
    expect(tierRules(excel, 'Kunder', 'H3:H8')).toEqual([['="A"', '#0072B2', '#FFFFFF'], ['="B"', '#E69F00', '#000000'], ['="C"', '#BBBBBB', '#000000']]);

    const priority = excel.values('Priority', 'A1:K8');
    expect(priority[0]).toEqual(['Account manager', 'Customer ID', 'Customer', 'Segment ABCD', 'Segment Pareto', 'Priority', 'Revenue', 'Potential', 'Potential gap', 'Utilization', 'Recommended action']);
    expect(priority.slice(1).map((row) => [row[0], row[1], row[3], row[4], row[5], row[8]])).toEqual([
      ['Jonas', 'K2', 'A', 'A', 1, 500],
      ['Jonas', 'K4', 'D', 'B', 2, 240],
      ['Mette', 'K5', 'B', 'C', 1, 360],
      ['Mette', 'K3', 'B', 'B', 2, 300],
      ['Mette', 'K1', 'C', 'A', 3, -400],
      ['Mette', 'K6', '', '', 4, ''],
      ['', '', '', '', '', ''],
    ]);
    expect(excel.sheet('Priority').frozenRows).toBe(1);
    expect(excel.isBold('Priority', 'K1')).toBe(true);
    expect(excel.isBold('Priority', 'A2')).toBe(false);
    expect(excel.numberFormat('Priority', 'I3')).toBe('#,##0');
    expect(excel.numberFormat('Priority', 'J3')).toBe('0.0%');
    expect(excel.sheet('Priority').columnWidths.get(0)).toBe(22 * 7);
    expect(tierRules(excel, 'Priority', 'D2:D7')).toEqual(ABCD_RULES);

    expect(excel.values('Summary', 'A1:B3')).toEqual([['SegmentKit summary', ''], ['Customers', 6], ['Rows with problems', 1]]);
    expect(excel.values('Summary', 'A7:E10')).toEqual([
      ['A', 'A: high revenue, high potential', 1, 300, 0.3],
      ['B', 'B: low revenue, high potential', 2, 140, 0.14],
      ['C', 'C: high revenue, low potential', 1, 500, 0.5],
      ['D', 'D: low revenue, low potential', 1, 60, 0.06],
    ]);
    expect(excel.formulas('Summary', 'D14:D15')).toEqual([
      ["=SEGMENT.CUTOFF('Kunder'!$E$3:$E$8,\"pareto\",0.8)"],
      ["=SEGMENT.CUTOFF('Kunder'!$F$3:$F$8,\"pareto\",0.8)"],
    ]);
    expect(excel.charts('Summary')).toEqual([
      { type: 'ColumnClustered', seriesBy: 'Columns', title: 'ABCD accounts: Share of revenue per segment', seriesName: 'Share of revenue', source: 'E7:E10', xAxis: 'A7:A10', position: 'I6:P20' },
      { type: 'ColumnClustered', seriesBy: 'Columns', title: 'Pareto ABC: Share of revenue per segment', seriesName: 'Share of revenue', source: 'E25:E27', xAxis: 'A25:A27', position: 'I24:P38' },
    ]);

    expect(excel.sheet(MARKER_SHEET).visibility).toBe('VeryHidden');
    expect(parseMarker(excel.values(MARKER_SHEET, 'A1')[0][0])).toEqual({
      version: 1, tableSheet: 'Kunder', columns: ['Segment ABCD', 'Segment Pareto'], sheets: { priority: 'Priority', summary: 'Summary' }, names: [],
      settings: { abcd: defaultSettings(getModel('abcd')), pareto: defaultSettings(getModel('pareto')) },
    });
  });

  it('writes values in values mode, with an empty cell where a row has no segment', async () => {
    const excel = excelWithCustomers();
    await run(excel, { mode: 'values', language: 'da' });
    expect(excel.formulas('Kunder', 'G2:H8')).toEqual([
      ['Segment ABCD', 'Segment Pareto'], ['C', 'A'], ['A', 'A'], ['B', 'B'], ['D', 'B'], ['B', 'C'], ['', ''],
    ]);
    expect(excel.sheetNames()).toEqual(['Kunder', MARKER_SHEET, 'Prioritet', 'Oversigt']);
    expect(excel.formulas('Oversigt', 'D14')).toEqual([[300]]);
  });

  it('writes per-row SegmentKit formulas when spilling is off', async () => {
    const excel = excelWithCustomers();
    await run(excel, { mode: 'formulas', formulas: 'segmentkit', language: 'en', spill: false });
    expect(excel.column('Kunder', 'H3:H8').length).toBe(6);
    expect(excel.formulas('Kunder', 'H3:H4')).toEqual([
      ["=SEGMENT.PARETO(E3,'Summary'!$D$31,'Summary'!$D$32)"],
      ["=SEGMENT.PARETO(E4,'Summary'!$D$31,'Summary'!$D$32)"],
    ]);
  });

  it('adds table columns with per-row formulas inside an Excel table, and reuses them on a re-run', async () => {
    const excel = excelWithCustomers();
    excel.addTable('Kunder', 'Kundetabel', 'B2:F8');
    const { plan } = await run(excel, { mode: 'formulas', formulas: 'segmentkit', language: 'en' });
    expect(plan.excelTableName).toBe('Kundetabel');
    expect(excel.table('Kundetabel')).toEqual({ address: 'B2:H8', sheet: 'Kunder', columns: [...HEADERS, 'Segment ABCD', 'Segment Pareto'] });
    expect(excel.formulas('Kunder', 'G3:H4')).toEqual([
      ["=SEGMENT.ABCD(E3,F3,'Summary'!$D$14,'Summary'!$D$15)", "=SEGMENT.PARETO(E3,'Summary'!$D$31,'Summary'!$D$32)"],
      ["=SEGMENT.ABCD(E4,F4,'Summary'!$D$14,'Summary'!$D$15)", "=SEGMENT.PARETO(E4,'Summary'!$D$31,'Summary'!$D$32)"],
    ]);
    expect(excel.formulas('Kunder', 'G8')).toEqual([["=SEGMENT.ABCD(E8,F8,'Summary'!$D$14,'Summary'!$D$15)"]]);

    // A second run with ABCD only: the ABCD column is rewritten in place, the Pareto column leaves the table.
    const again = await run(excel, { mode: 'values', language: 'en' }, ['abcd']);
    expect(again.snapshot.headers).toEqual(HEADERS);
    expect(excel.table('Kundetabel')).toEqual({ address: 'B2:G8', sheet: 'Kunder', columns: [...HEADERS, 'Segment ABCD'] });
    expect(excel.formulas('Kunder', 'G2:H4')).toEqual([['Segment ABCD', ''], ['C', ''], ['A', '']]);
    expect(tierRules(excel, 'Kunder', 'G3:G8')).toEqual(ABCD_RULES);
    expect(excel.conditionalFormats('Kunder')).toHaveLength(4);
  });

  it('replaces only its own columns and sheets on a re-run', async () => {
    const excel = excelWithCustomers();
    excel.addSheet('Priority', { rows: [['Mine, not SegmentKit\'s']] });
    const first = await run(excel);
    expect(first.plan.sheets.map((sheet) => sheet.name)).toEqual(['Priority (2)', 'Summary']);
    await run(excel, { mode: 'values', language: 'en' });
    expect(excel.sheetNames()).toEqual(['Kunder', 'Priority', MARKER_SHEET, 'Priority (2)', 'Summary']);
    expect(excel.values('Priority', 'A1:B2')).toEqual([['Mine, not SegmentKit\'s', ''], ['', '']]);
    expect(excel.values('Priority (2)', 'A2:B2')).toEqual([['Jonas', 'K2']]);
    expect(excel.formulas('Kunder', 'G2:I3')).toEqual([['Segment ABCD', 'Segment Pareto', ''], ['C', 'A', '']]);
    // The old rules went with the old columns: one set per column, not two.
    expect(excel.conditionalFormats('Kunder')).toHaveLength(7);

    // Fewer models: the Pareto column SegmentKit wrote is cleared, colors included.
    await run(excel, { mode: 'values', language: 'en' }, ['abcd']);
    expect(excel.formulas('Kunder', 'G2:H3')).toEqual([['Segment ABCD', ''], ['C', '']]);
    expect(excel.conditionalFormats('Kunder').map((format) => format.address)).toEqual(['G3:G8', 'G3:G8', 'G3:G8', 'G3:G8']);
  });

  it('writes live QUADRANT and VALUE formulas, the Terms sheet, and drops the Terms sheet when value is no longer chosen', async () => {
    const excel = new FakeExcel();
    // Positive margin 900: the Gold cut (50 %) is 500, the Silver cut (80 %) 300. Satisfaction median 3.
    excel.addSheet('Kunder', { rows: [
      ['Kundenr', 'Kunde', 'Dækningsbidrag', 'Share of wallet', 'Tilfredshed'],
      ['K1', 'Alfa', 500, 0.6, 4],
      ['K2', 'Beta', 300, 0.2, 3],
      ['K3', 'Gamma', 100, 0.7, 2],
    ] });
    excel.select('Kunder', 'A2');
    await run(excel, { mode: 'formulas', formulas: 'segmentkit', language: 'en' }, ['quadrant', 'value']);
    expect(excel.formulas('Kunder', 'F1:G2')).toEqual([
      ['Segment Quadrant', 'Segment Value'],
      ["=SEGMENT.QUADRANT('Kunder'!$D$2:$D$4,'Kunder'!$E$2:$E$4,0.5)", "=SEGMENT.VALUETIER(C2,\"\",\"\",'Summary'!$D$31,'Summary'!$D$32,12,15)"],
    ]);
    expect(excel.values('Summary', 'A31:C32')).toEqual([['Gold cut', 'Pareto share', 0.5], ['Silver cut', 'Pareto share', 0.8]]);
    expect(excel.formulas('Summary', 'D31:D32')).toEqual([["=SEGMENT.CUTOFF('Kunder'!$C$2:$C$4,\"pareto\",0.5)"], ["=SEGMENT.CUTOFF('Kunder'!$C$2:$C$4,\"pareto\",0.8)"]]);
    expect(excel.values('Terms', 'A4:D7')).toEqual([
      ['Gold', getModel('value').tiers[0].label.en, 1, 0.08], ['Silver', getModel('value').tiers[1].label.en, 1, 0.04],
      ['Bronze', getModel('value').tiers[2].label.en, 1, 0], ['Loss', getModel('value').tiers[3].label.en, 0, 0],
    ]);
    expect(excel.sheetNames()).toEqual(['Kunder', MARKER_SHEET, 'Priority', 'Summary', 'Terms']);

    await run(excel, { mode: 'values', language: 'en' }, ['quadrant']);
    expect(excel.sheetNames()).toEqual(['Kunder', MARKER_SHEET, 'Priority', 'Summary']);
    expect(excel.values('Kunder', 'F1:G4')).toEqual([['Segment Quadrant', ''], ['Model', ''], ['Grow', ''], ['Fix', '']]);
  });

  it('writes the true margin as a live SEGMENT.MARGIN formula per row, beside values for the flag and the margin %', async () => {
    const excel = new FakeExcel();
    // 1000 − 600 − 100 − 0.2 × 650 = 170 (17 %); 500 − 200 − 250 − 1 × 650 = −600.
    excel.addSheet('Kunder', { rows: [
      ['Kundenr', 'Omsætning', 'Vareforbrug', 'Serviceomkostninger', 'Timer'],
      ['K1', 1000, 600, 100, 0.2],
      ['K2', 500, 200, 250, 1],
    ] });
    excel.select('Kunder', 'A1');
    await run(excel, { mode: 'formulas', formulas: 'segmentkit', language: 'en' }, ['margin']);
    expect(excel.formulas('Kunder', 'F1:H3')).toEqual([
      ['Segment Margin', 'True margin', 'Margin %'],
      ['Profit', '=SEGMENT.MARGIN(B2,C2,D2,E2,650)', 0.17],
      ['Loss', '=SEGMENT.MARGIN(B3,C3,D3,E3,650)', -1.2],
    ]);

    // By default all three columns are ordinary arithmetic: a file that recalculates anywhere.
    await run(excel, { mode: 'formulas', language: 'en' }, ['margin']);
    expect(excel.formulas('Kunder', 'F2:H2')).toEqual([[
      '=IF(COUNT(B2,C2,D2,E2)=4,IF(B2-C2-D2-E2*650<0,"Loss","Profit"),"")',
      '=IF(COUNT(B2,C2,D2,E2)=4,B2-C2-D2-E2*650,"")',
      '=IF(COUNT(B2,C2,D2,E2)=4,IF(B2>0,(B2-C2-D2-E2*650)/B2,""),"")',
    ]]);
  });

  it('writes ordinary formulas by default that read the cut cells by name, defines the names, and replaces them on a re-run', async () => {
    const excel = excelWithCustomers();
    const { report } = await run(excel);
    expect(report.written).toEqual(['Kunder!G2:G8', 'Kunder!H2:H8', 'Priority!A1:M7', 'Summary!A1:G52']);
    expect(excel.formulas('Kunder', 'G3:H3')).toEqual([[
      '=IF(COUNT(E3,F3)=2,IF(AND(E3>0,E3>=SK_ABCD_RevenueCut),IF(AND(F3>0,F3>=SK_ABCD_PotentialCut),"A","C"),IF(AND(F3>0,F3>=SK_ABCD_PotentialCut),"B","D")),"")',
      '=IF(ISNUMBER(E3),IF(AND(E3>0,E3>=SK_Pareto_ACut),"A",IF(AND(E3>0,E3>=SK_Pareto_BCut),"B","C")),"")',
    ]]);
    // Every row has its own formula: no spill, so the file works in Excel 2016 and elsewhere.
    expect(excel.formulas('Kunder', 'H8')).toEqual([['=IF(ISNUMBER(E8),IF(AND(E8>0,E8>=SK_Pareto_ACut),"A",IF(AND(E8>0,E8>=SK_Pareto_BCut),"B","C")),"")']]);
    // The cuts are the run's values (300 and 400), labelled with how and when; the names point at them.
    expect(excel.formulas('Summary', 'A13:D15')).toEqual([['Cut', 'Method', 'Level', 'Value'], ['Revenue cut', 'Pareto share', 0.8, 300], ['Potential cut', 'Pareto share', 0.8, 400]]);
    expect(excel.numberFormat('Summary', 'E14')).toBe('yyyy-mm-dd');
    expect(excel.definedNames()).toEqual({
      SK_ABCD_RevenueCut: "='Summary'!$D$14", SK_ABCD_PotentialCut: "='Summary'!$D$15",
      SK_Pareto_ACut: "='Summary'!$D$31", SK_Pareto_BCut: "='Summary'!$D$32",
    });
    expect(excel.values('Summary', 'D31:D32')).toEqual([[300], [60]]);
    expect(parseMarker(excel.values(MARKER_SHEET, 'A1')[0][0])?.names).toEqual(['SK_ABCD_RevenueCut', 'SK_ABCD_PotentialCut', 'SK_Pareto_ACut', 'SK_Pareto_BCut']);

    // A re-run with ABCD only: its names are defined again, Pareto's (from the last run) go, a user's name stays.
    excel.names.push({ name: 'MyTarget', formula: '=Kunder!$B$2' });
    await run(excel, undefined, ['abcd']);
    expect(excel.definedNames()).toEqual({ MyTarget: '=Kunder!$B$2', SK_ABCD_RevenueCut: "='Summary'!$D$14", SK_ABCD_PotentialCut: "='Summary'!$D$15" });
    expect(excel.formulas('Kunder', 'G4')[0][0]).toMatch(/^=IF\(COUNT\(E4,F4\)=2,/);
  });

  it('refuses to write over a user\'s cell and writes nothing at all', async () => {
    const excel = excelWithCustomers();
    excel.select('Kunder', 'B2:F8');
    const port = portFor(excel);
    const snapshot = await port.readTable();
    excel.setCells('Kunder', 'H5', [['privat note']]);
    const table = buildCustomerTable(snapshot.headers, snapshot.rows, { origin: snapshot.origin });
    const plan = buildPlan(snapshot, segment(table, BOTH.map((id) => ({ id, settings: defaultSettings(getModel(id)) }))), { mode: 'values', language: 'en' });
    const failure = await port.apply(plan).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OccupiedCellsError);
    expect((failure as OccupiedCellsError).address).toBe('Kunder!H5');
    expect(excel.sheetNames()).toEqual(['Kunder']);
    expect(excel.formulas('Kunder', 'G2:H5')).toEqual([['', ''], ['', ''], ['', ''], ['', 'privat note']]);
    expect(excel.conditionalFormats('Kunder')).toEqual([]);
  });
});

describe('OfficeWorkbook on older Excel and with unusual text', () => {
  it('runs on ExcelApi 1.7 without the 1.9 calls, and says what it needs below that', async () => {
    const excel = excelWithCustomers();
    excel.apiVersion = 1.7;
    await run(excel);
    expect(excel.formulas('Kunder', 'G2')).toEqual([['Segment ABCD']]);

    const old = excelWithCustomers();
    old.apiVersion = 1.6;
    await expect(portFor(old).readTable()).rejects.toThrow(/ExcelApi 1\.7/);
    expect(old.syncCount).toBe(0);
  });

  it('writes a customer name that starts with "=" as text, not as a formula', async () => {
    const excel = excelWithCustomers();
    excel.setCells('Kunder', 'C3', [["'=Alfa"]]);
    await run(excel);
    expect(excel.values('Kunder', 'C3')).toEqual([['=Alfa']]);
    expect(excel.values('Priority', 'B6:C6')).toEqual([['K1', '=Alfa']]);
  });
});

describe('OfficeWorkbook with 100,000 customers', () => {
  it('reads and writes in chunks: syncs follow the payload, not the rows, and every request stays under 5 MB', async () => {
    const rows = 100_000;
    const excel = seededExcel(rows);
    const port = portFor(excel);
    const progress: Progress[] = [];
    const snapshot = await port.readTable((event) => progress.push(event));
    expect(snapshot.headers).toEqual(CUSTOMER_HEADERS);
    expect(snapshot.rows).toHaveLength(rows);
    expect((snapshot.rows[rows - 1] as CellValue[]).slice(0, 3)).toEqual(['K100000', 'Kunde 100000 ApS', 'Camilla Berg']);
    const readSyncs = excel.syncCount;

    const table = buildCustomerTable(snapshot.headers, snapshot.rows, { origin: snapshot.origin });
    const choices = BOTH.map((id) => ({ id, settings: defaultSettings(getModel(id)) }));
    // Per-row formulas: the heaviest write, 100,000 formulas per column.
    const plan = buildPlan(snapshot, segment(table, choices), { mode: 'formulas', language: 'da', spill: false });
    await port.apply(plan, (event) => progress.push(event));

    expect(excel.formulas('Kunder', 'M100001')).toEqual([[`=${rowFormulaAt(plan.columns[0], 99_999)}`]]);
    expect(excel.values('Prioritet', 'A100001:A100002').map((row) => row[0] !== '')).toEqual([true, false]);

    const bytesMoved = excel.syncs.reduce((total, sync) => total + sync.requestBytes + sync.responseBytes, 0);
    expect(bytesMoved).toBeGreaterThan(20_000_000);
    expect(excel.maxRequestBytes).toBeLessThan(5_000_000);
    expect(excel.maxResponseBytes).toBeLessThan(5_000_000);
    // A fixed handful of syncs to find things, then one per chunk of at least about a megabyte.
    expect(excel.syncCount).toBeLessThanOrEqual(12 + Math.ceil(bytesMoved / 1_000_000));
    expect(excel.syncCount).toBeLessThan(rows / 1000);
    expect(readSyncs).toBeLessThan(15);

    const reads = progress.filter((event) => event.phase === 'read');
    const writes = progress.filter((event) => event.phase === 'write');
    expect(reads.at(-1)).toEqual({ phase: 'read', done: rows, total: rows });
    expect(writes.at(-1)).toEqual({ phase: 'write', done: 2 * rows + (rows + 1) + plan.sheets[1].rows.length, total: 2 * rows + (rows + 1) + plan.sheets[1].rows.length });
    expect(writes.every((event, i) => i === 0 || event.done >= writes[i - 1].done)).toBe(true);
  });
});
