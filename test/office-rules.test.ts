import { describe, expect, it } from 'vitest';
import { buildCustomerTable, defaultSettings, getModel, segment, type Language } from '../src/engine';
import { MARKER_SHEET, parseMarker } from '../src/workbook/marker';
import { OfficeWorkbook } from '../src/workbook/office';
import { buildPlan, type PlanOptions } from '../src/workbook/plan';
import { HEADERS, ROWS } from './support/customers';
import { convertInput, formulaParts, utf8Length } from './support/excel-rules';
import { FakeExcel, FakeExcelError } from './support/fake-excel';
import { customFunctionNames } from './support/function-metadata';

// Issue 9: each fault Excel would show, against the in-memory Excel held to Excel's rules.

function excelWithCustomers(): FakeExcel {
  const excel = new FakeExcel();
  excel.addSheet('Kunder', { at: 'B2', rows: [HEADERS, ...ROWS] });
  excel.select('Kunder', 'D4');
  return excel;
}

const portFor = (excel: FakeExcel) => new OfficeWorkbook(excel.run, excel.isSetSupported);

async function run(excel: FakeExcel, options: PlanOptions = { mode: 'formulas', language: 'en' }, models = ['abcd', 'pareto']) {
  const port = portFor(excel);
  const snapshot = await port.readTable();
  const table = buildCustomerTable(snapshot.headers, snapshot.rows, { origin: snapshot.origin });
  const plan = buildPlan(snapshot, segment(table, models.map((id) => ({ id, settings: defaultSettings(getModel(id)) }))), options);
  const report = await port.apply(plan);
  return { snapshot, table, plan, report };
}

describe('the in-memory Excel enforces Excel\'s rules', () => {
  it('converts strings given as values as Excel does, and keeps text after an apostrophe', () => {
    expect(convertInput('+45 Tele ApS')).toEqual({ kind: 'formula', formula: '=+45 Tele ApS' });
    expect(convertInput('-Minus A/S')).toEqual({ kind: 'formula', formula: '=-Minus A/S' });
    expect(convertInput('00123')).toEqual({ kind: 'number', value: 123 });
    expect(convertInput('1E5')).toEqual({ kind: 'number', value: 100_000 });
    expect(convertInput('2024-01')).toEqual({ kind: 'number', value: 45_292 });
    expect(convertInput('TRUE')).toEqual({ kind: 'boolean', value: true });
    expect(convertInput('#N/A')).toEqual({ kind: 'error', error: '#N/A' });
    expect(convertInput("'00123")).toEqual({ kind: 'text', text: '00123' });
    expect(convertInput('Alfa A/S')).toEqual({ kind: 'text', text: 'Alfa A/S' });
  });

  it('keeps #REF! for a formula naming a missing sheet, and breaks cells and names pointing at a deleted sheet', async () => {
    const excel = excelWithCustomers();
    const context = excel.context();
    const sheet = context.workbook.worksheets.getItem('Kunder');
    sheet.getRange('H3').formulas = [["='Summary'!$D$13*2"]];
    await context.sync();
    context.workbook.worksheets.add('Summary');
    await context.sync();
    expect(excel.formulas('Kunder', 'H3')).toEqual([['=#REF!*2']]);
    expect(excel.values('Kunder', 'H3')).toEqual([['#REF!']]);

    sheet.getRange('H4').formulas = [["='Summary'!$D$13+1"]];
    context.workbook.names.add('SK_Cut', "='Summary'!$D$14");
    sheet.getRange('H5').formulas = [['=IF(E3>=SK_Cut,"A","B")']];
    await context.sync();
    expect(excel.formulaErrors()).toEqual(['Kunder!H3 #REF! =#REF!*2']);
    context.workbook.worksheets.getItem('Summary').delete();
    await context.sync();
    expect(excel.values('Kunder', 'H4:H5')).toEqual([['#REF!'], ['#REF!']]);
    expect(excel.definedNames()).toEqual({ SK_Cut: '=#REF!' });
  });

  it('checks structured references and function names, and measures payloads in UTF-8 bytes', async () => {
    expect(formulaParts('=SUM(Tabel[Oms. (kr.)])').error).toMatch(/needs its own brackets/);
    expect(formulaParts("=SUM(Tabel[[Oms. (kr.)]],Tabel[[Note '#1]])")).toMatchObject({ structured: [{ table: 'Tabel', columns: ['Oms. (kr.)'] }, { table: 'Tabel', columns: ['Note #1'] }] });
    expect(formulaParts('=SUM(Tabel[[Note #1]])').error).toMatch(/not escaped/);

    const excel = excelWithCustomers();
    excel.addTable('Kunder', 'Tabel', 'B2:F8');
    const context = excel.context();
    const sheet = context.workbook.worksheets.getItem('Kunder');
    sheet.getRange('H2').formulas = [['=SUM(Tabel[Omsætning (kr.)])']];
    await expect(context.sync()).rejects.toThrow(/InvalidArgument/);
    sheet.getRange('H2').formulas = [['=SUM(Tabel[[Nowhere]])']];
    await expect(context.sync()).rejects.toThrow(/does not have/);

    excel.customFunctionNames = new Set(['SEGMENT.CUT']);
    sheet.getRange('H3:H4').formulas = [['=SEGMENT.CUT(Tabel[Omsætning],"pareto",0.8)'], ['=SEGMENT.SKÆRING(Tabel[Omsætning],"pareto",0.8)']];
    await context.sync();
    expect(excel.values('Kunder', 'H3:H4')).toEqual([[''], ['#NAME?']]);

    expect(utf8Length('æøå')).toBe(6);
    excel.resetStats();
    sheet.getRange('J1').values = [['æ'.repeat(1000)]];
    await context.sync();
    expect(excel.syncs[0].requestBytes).toBeGreaterThan(2000);
  });

  it('rejects a text over 32,767 characters and getSelectedRange on a multi-area selection', async () => {
    const excel = excelWithCustomers();
    const context = excel.context();
    context.workbook.worksheets.getItem('Kunder').getRange('J1').values = [['x'.repeat(32_768)]];
    await expect(context.sync()).rejects.toThrow(/32767/);
    excel.select('Kunder', 'B2:C4,E2:E4');
    context.workbook.getSelectedRange().load('address');
    await expect(context.sync()).rejects.toBeInstanceOf(FakeExcelError);
  });

  it('gives back every formula exactly as entered while holding a formula filled down a column as one text', () => {
    const excel = new FakeExcel();
    excel.addSheet('Q1 2024', { rows: [[1]] });
    const sheet = excel.addSheet('Ark');
    const odd = ["=LOG10(A1)+'Q1 2024'!B7", '=A01+A12345678+$D$13+D$13', '="r\u00012"&A5'];
    odd.forEach((formula, row) => sheet.setFormula(row, 0, formula));
    expect(odd.map((_, row) => sheet.formula(row, 0))).toEqual(odd);
    for (let row = 1; row <= 1_000; row++) sheet.setFormula(row, 2, `=IF(D${row + 1}>0,E${row + 1}*650,"")`);
    expect(sheet.formula(1_000, 2)).toBe('=IF(D1001>0,E1001*650,"")');
    expect(excel.formulas('Ark', 'C2:C3')).toEqual([['=IF(D2>0,E2*650,"")'], ['=IF(D3>0,E3*650,"")']]);
    expect(new Set(sheet.formulaGrid.slice(1, 1_001).map((cells) => cells[2])).size).toBe(1);
  });

  it('finds #NAME? row by row in a filled-down column, also where a name has the row number in it', () => {
    const excel = new FakeExcel();
    const sheet = excel.addSheet('Ark');
    excel.names.push({ name: 'Cutoff2', formula: '=1' });
    for (let row = 1; row <= 3; row++) {
      sheet.setFormula(row, 0, `=NOSUCH(D${row + 1})`);
      sheet.setFormula(row, 1, `=Cutoff${row + 1}*D${row + 1}`);
      sheet.setFormula(row, 2, `=SUM(D${row + 1})`);
    }
    expect(excel.formulaErrors()).toEqual([
      'Ark!A2 #NAME? =NOSUCH(D2)', 'Ark!A3 #NAME? =NOSUCH(D3)', 'Ark!B3 #NAME? =Cutoff3*D3', 'Ark!A4 #NAME? =NOSUCH(D4)', 'Ark!B4 #NAME? =Cutoff4*D4',
    ]);
  });
});

describe('Blocker 1: SegmentKit\'s sheets exist before any formula points at them', () => {
  it.each([['excel'], ['segmentkit']] as const)('writes %s formulas with no #REF! on a first run and on re-runs', async (formulas) => {
    const excel = excelWithCustomers();
    excel.customFunctionNames = customFunctionNames('en');
    await run(excel, { mode: 'formulas', formulas, language: 'en', spill: false });
    expect(excel.formulaErrors()).toEqual([]);
    await run(excel, { mode: 'formulas', formulas, language: 'en', spill: false });
    expect(excel.formulaErrors()).toEqual([]);
    await run(excel, { mode: 'formulas', formulas, language: 'en', spill: false }, ['abcd']);
    expect(excel.formulaErrors()).toEqual([]);
    expect(excel.formulas('Kunder', 'G4')[0][0]).toMatch(/^=/);
    expect(excel.sheetNames()).toEqual(['Kunder', MARKER_SHEET, 'Priority', 'Summary']);
  });

  it('keeps the Summary sheet in place (cleared and rewritten) when the language changes nothing else', async () => {
    const excel = excelWithCustomers();
    await run(excel);
    const summary = excel.sheet('Summary');
    // A user's own formula reading SegmentKit's cut: it survives a re-run only if the sheet is never deleted.
    excel.addSheet('Mine', { rows: [["='Summary'!$D$14*2"]] });
    await run(excel);
    expect(excel.sheet('Summary')).toBe(summary);
    expect(excel.formulas('Mine', 'A1')).toEqual([["='Summary'!$D$14*2"]]);
    expect(excel.formulaErrors()).toEqual([]);
    expect(excel.charts('Summary')).toHaveLength(2);
    expect(excel.conditionalFormats('Summary')).toHaveLength(4 + 3);
  });
});

describe('Major 3: every text SegmentKit writes stays the text', () => {
  it('writes names, ids and owners that look like formulas, numbers, dates and booleans as text', async () => {
    const excel = new FakeExcel();
    const texts = ['+45 Tele ApS', '-Minus A/S', '00123', '2024-01', '1E5', 'TRUE'];
    excel.addSheet('Kunder', { rows: [
      ['Kundenr', 'Kunde', 'Kundeansvarlig', 'Omsætning', 'Potentiale'],
      ...texts.map((text, i) => [`'${text}`, `'${text}`, `'${text}`, 100 * (i + 1), 300 * (i + 1)]),
    ] });
    excel.select('Kunder', 'A1');
    await run(excel, { mode: 'values', language: 'en' });
    const priority = excel.values('Priority', 'A2:C7');
    expect(priority.map((row) => row[1]).sort()).toEqual([...texts].sort());
    expect(priority.every((row) => row[0] === row[1] && row[1] === row[2])).toBe(true);
    expect(excel.formulaErrors()).toEqual([]);
  });
});

describe('Major 5: chunks sized in UTF-8 bytes from a measured sample, halved on a payload error', () => {
  it('reads 20 columns with a 1,500-character notes column without a response over 5 MB', async () => {
    const rows = 4_000;
    const headers = ['Kundenr', 'Kunde', 'Omsætning', 'Potentiale', 'Noter', ...Array.from({ length: 15 }, (_, i) => `Felt ${i + 1}`)];
    const note = 'Kunden ønsker åbningstider på lørdag. '.repeat(40).slice(0, 1_500);
    const excel = new FakeExcel();
    excel.addSheet('Kunder', { rows: [headers, ...Array.from({ length: rows }, (_, i) => [`K${i + 1}`, `Kunde ${i + 1}`, 1000 + i, 3000 + i, note, ...Array.from({ length: 15 }, (_, c) => c + i)])] });
    excel.select('Kunder', 'A1');
    const snapshot = await portFor(excel).readTable();
    expect(snapshot.rows).toHaveLength(rows);
    expect(snapshot.rows[rows - 1].slice(0, 5)).toEqual([`K${rows}`, `Kunde ${rows}`, 1000 + rows - 1, 3000 + rows - 1, note]);
    expect(excel.maxResponseBytes).toBeLessThan(5_000_000);
    expect(excel.syncs.filter((sync) => sync.responseBytes > 0).length).toBeLessThan(12);
  });

  it('halves and retries a write chunk Excel refuses as too large', async () => {
    const excel = excelWithCustomers();
    let refusals = 0;
    excel.failWhen((request) => {
      const value = (request as { set?: string; value?: unknown[][] } | null);
      if (value?.set !== 'values' || !Array.isArray(value.value) || value.value.length < 3 || refusals > 0) return false;
      refusals++;
      return true;
    }, new FakeExcelError('RequestPayloadSizeLimitExceeded', 'The request payload size has exceeded the limit.'));
    await run(excel, { mode: 'values', language: 'en' });
    expect(refusals).toBe(1);
    expect(excel.values('Priority', 'B2:B7').map((row) => row[0])).toEqual(['K2', 'K4', 'K5', 'K3', 'K1', 'K6']);
  });
});

describe('Major 6: structured references in the double-bracket form', () => {
  it('writes SEGMENT.CUTOFF over a table column headed "Oms. (kr.)" as Tabel[[Oms. (kr.)]]', async () => {
    const excel = new FakeExcel();
    excel.customFunctionNames = customFunctionNames('en');
    excel.addSheet('Kunder', { rows: [['Kundenr', 'Kunde', 'Oms. (kr.)', "Potentiale #'1"], ['K1', 'Alfa', 500, 100], ['K2', 'Beta', 300, 800], ['K3', 'Gamma', 100, 400]] });
    excel.addTable('Kunder', 'Tabel', 'A1:D4');
    excel.select('Kunder', 'B2');
    const port = portFor(excel);
    const snapshot = await port.readTable();
    const table = buildCustomerTable(snapshot.headers, snapshot.rows, { origin: snapshot.origin, mapping: { id: 0, name: 1, revenue: 2, potential: 3 } });
    const plan = buildPlan(snapshot, segment(table, [{ id: 'abcd', settings: defaultSettings(getModel('abcd')) }]), { mode: 'formulas', formulas: 'segmentkit', language: 'en' });
    await port.apply(plan);
    expect(excel.formulas('Summary', 'D1:D40').flat().filter((cell) => String(cell).startsWith('=SEGMENT.CUTOFF'))).toEqual([
      '=SEGMENT.CUTOFF(Tabel[[Oms. (kr.)]],"pareto",0.8)', "=SEGMENT.CUTOFF(Tabel[[Potentiale '#''1]],\"pareto\",0.8)",
    ]);
    expect(excel.formulaErrors()).toEqual([]);
  });
});

describe('Major 7: a failed apply is marked before it writes, reported, and cleaned up next time', () => {
  it('reports what was written when a write fails half way, and the next run replaces it', async () => {
    const excel = excelWithCustomers();
    excel.failWhen((request) => (request as { set?: string } | null)?.set === 'formulas');
    const failure = await run(excel).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as { written?: string[] }).written).toEqual(expect.arrayContaining(['Priority!A1:M7']));
    const marker = parseMarker(excel.values(MARKER_SHEET, 'A1')[0][0]);
    expect(marker?.columns).toEqual(['Segment ABCD', 'Segment Pareto']);
    expect(marker?.sheets).toEqual({ priority: 'Priority', summary: 'Summary' });

    const again = await run(excel);
    expect(again.snapshot.headers).toEqual(HEADERS);
    expect(excel.sheetNames()).toEqual(['Kunder', MARKER_SHEET, 'Priority', 'Summary']);
    expect(excel.formulas('Kunder', 'G2:I2')).toEqual([['Segment ABCD', 'Segment Pareto', '']]);
    expect(excel.formulaErrors()).toEqual([]);
    expect(parseMarker(excel.values(MARKER_SHEET, 'A1')[0][0])?.unfinished).toBeUndefined();
  });
});

describe('Major 8: big writes as the docs recommend', () => {
  it('suspends screen updating once, recalculates at the end, and writes no per-row TODAY()', async () => {
    const excel = new FakeExcel();
    excel.addSheet('Kunder', { rows: [['Kundenr', 'Dækningsbidrag', 'Kunde siden'], ['K1', 500, 45_000], ['K2', 300, 45_600], ['K3', 100, 44_000]] });
    excel.select('Kunder', 'A1');
    await run(excel, { mode: 'formulas', formulas: 'segmentkit', language: 'en' }, ['value']);
    expect(excel.calls('suspendScreenUpdatingUntilNextSync')).toBeLessThanOrEqual(1);
    expect(excel.calculationSuspended).toBe(false);
    const rowFormulas = excel.formulas('Kunder', 'D2:D4').map((row) => String(row[0]));
    expect(rowFormulas.every((formula) => formula.startsWith('=SEGMENT.VALUETIER(') && !formula.includes('TODAY()'))).toBe(true);
  });
});

describe('Minor: selections, hidden header rows, 1904 dates', () => {
  it.each([['en', /select one range/i], ['da', /markér ét område/i]] as [Language, RegExp][])('says to select one range on a multi-area selection (%s)', async (language, sentence) => {
    const excel = excelWithCustomers();
    excel.select('Kunder', 'B2:C4,E2:E4');
    const failure = await portFor(excel).readTable().catch((error: unknown) => error) as { text?: Record<Language, string> };
    expect(failure.text?.[language]).toMatch(sentence);
    // Below ExcelApi 1.9 there is no getSelectedRanges: getSelectedRange's own error is named instead.
    excel.apiVersion = 1.7;
    const older = await portFor(excel).readTable().catch((error: unknown) => error) as { text?: Record<Language, string> };
    expect(older.text?.[language]).toMatch(sentence);
  });

  it('reads a table with its header row hidden by its column names, every row a customer', async () => {
    const excel = new FakeExcel();
    excel.addSheet('Kunder', { at: 'B3', rows: ROWS });
    excel.addTable('Kunder', 'Kundetabel', 'B3:F8', HEADERS);
    excel.select('Kunder', 'C4');
    const snapshot = await portFor(excel).readTable();
    expect(snapshot.headers).toEqual(HEADERS);
    expect(snapshot.rows).toEqual(ROWS);
  });

  it('reads dates of a 1904 workbook as the days they show, so "new customer" counts from the right today', async () => {
    const seed = (date1904: boolean) => {
      const excel = new FakeExcel();
      excel.date1904 = date1904;
      const shift = date1904 ? 1462 : 0;
      // 45,000 is 2023-03-15 in the 1900 system.
      excel.addSheet('Kunder', { rows: [['Kundenr', 'Dækningsbidrag', 'Kunde siden'], ['K1', 500, 45_000 - shift], ['K2', 100, 45_600 - shift]] });
      excel.sheet('Kunder').numberFormats.push({ rect: { row: 1, column: 2, rows: 2, columns: 1 }, value: 'yyyy-mm-dd' });
      excel.select('Kunder', 'A1');
      return excel;
    };
    const plain = await portFor(seed(false)).readTable();
    const mac = await portFor(seed(true)).readTable();
    expect(plain.rows[0][2]).toBe(45_000);
    expect(mac.rows.map((row) => row[2])).toEqual([new Date(Date.UTC(2023, 2, 15)), new Date(Date.UTC(2024, 10, 4))]);
    // Values mode: the same customers are new (K2 since 2024-11-04, as of 2025-06-01) in both systems.
    const asOf = 45_809;
    const tiers = async (date1904: boolean) => {
      const excel = seed(date1904);
      const settings = { ...defaultSettings(getModel('value')), asOf };
      const snapshot = await portFor(excel).readTable();
      const table = buildCustomerTable(snapshot.headers, snapshot.rows, { origin: snapshot.origin });
      await portFor(excel).apply(buildPlan(snapshot, segment(table, [{ id: 'value', settings }]), { mode: 'values', language: 'en' }));
      return excel.values('Kunder', 'D2:D3').map((row) => row[0]);
    };
    expect(await tiers(true)).toEqual(await tiers(false));
    expect(await tiers(true)).toEqual(['Gold', 'Silver']);
  });
});

describe('unreadable cells: errors and linked data types', () => {
  it('reads #N/A and an entity cell as unreadable cells named by row and column; the other rows get segments', async () => {
    const excel = excelWithCustomers();
    excel.setCells('Kunder', 'E4', [[FakeExcel.error('#N/A')]]);
    excel.setCells('Kunder', 'F5', [[FakeExcel.entity('Novo Nordisk A/S')]]);
    const { table } = await run(excel, { mode: 'values', language: 'en' });
    expect(table.problems.map((problem) => [problem.row, problem.columnLetter, problem.value])).toEqual([[4, 'E', '#N/A'], [5, 'F', '#VALUE!'], [8, 'E', 'ukendt']]);
    expect(excel.values('Kunder', 'G3:G8').map((row) => row[0])).toEqual(['C', '', '', 'D', 'B', '']);
  });
});
