import ExcelJS from 'exceljs';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { defaultSettings, detectRoles, getModel, segment, tierName, type CellValue } from '../src/engine';
import { prepareInput, planPrepared } from '../src/workbook/log-input';
import { MARKER_SHEET } from '../src/workbook/marker';
import { OfficeWorkbook } from '../src/workbook/office';
import { SheetNotFoundError, type Progress, type TableSnapshot } from '../src/workbook/port';
import { TableNotFoundError } from '../src/workbook/region';
import { PackageWorkbook } from '../src/workbook/xlsx/package-workbook';
import { HEADERS, ROWS } from './support/customers';
import { FakeExcel, type Scalar } from './support/fake-excel';

/** 2024-01-01 as an Excel serial day. */
const JAN_1 = 45292;

const LOG_HEADERS = ['Kundenr', 'Fakturadato', 'Beløb'];
/**
 * K1 buys on days 0, 30 and 60 (a credit note of −40 on day 60): 3 orders, 560 net. K2 on days 5
 * and 90 (120), K3 once on day 10 (400), K4 once on day 40 (120); K5 and K6 never. One line has no
 * customer; K9 is not in the customer table.
 */
const LOG_LINES: (Scalar | null)[][] = [
  ['K1', JAN_1, 100], ['K2', JAN_1 + 5, 50], ['K1', JAN_1 + 30, 200], ['K3', JAN_1 + 10, 400], ['K1', JAN_1 + 60, 300],
  ['K2', JAN_1 + 90, 70], [null, JAN_1 + 11, 999], ['K1', JAN_1 + 60, -40], ['K9', JAN_1 + 20, 80], ['K4', JAN_1 + 40, 120],
];
/** The log sheet as a person keeps it: a title, a blank row, then the log from row 3. */
const LOG_SHEET: (Scalar | null)[][] = [['Ordreliste 2024'], [], LOG_HEADERS, ...LOG_LINES];
const NOT_A_LOG: (Scalar | null)[][] = [['Kundenr', 'Kontakt', 'Telefon'], ['K1', 'Mette', '+45 1234'], ['K2', 'Jonas', '+45 5678']];

/** Kunder (the customer table at B2:F8, the cursor in it), Ordrer (the log), Noter (no log), Tom (empty), Skjult (hidden). */
function excelWithLog(): FakeExcel {
  const excel = new FakeExcel();
  excel.addSheet('Kunder', { at: 'B2', rows: [HEADERS, ...ROWS] });
  excel.addSheet('Ordrer', { rows: LOG_SHEET });
  excel.addSheet('Noter', { rows: NOT_A_LOG });
  excel.addSheet('Tom');
  excel.addSheet('Skjult', { rows: LOG_SHEET }).visibility = 'Hidden';
  excel.select('Kunder', 'C3');
  return excel;
}

function portFor(excel: FakeExcel): OfficeWorkbook {
  return new OfficeWorkbook(excel.run, excel.isSetSupported);
}

/** The same Kunder and Ordrer sheets as an .xlsx file (ExcelJS), for the package adapter; `withoutDimension` drops each sheet's <dimension>. */
async function packageWithLog(withoutDimension = false): Promise<PackageWorkbook> {
  const workbook = new ExcelJS.Workbook();
  const put = (name: string, at: [number, number], rows: (Scalar | null)[][]) => {
    const sheet = workbook.addWorksheet(name);
    rows.forEach((cells, r) => cells.forEach((cell, c) => { if (cell !== null) sheet.getCell(at[0] + r, at[1] + c).value = cell; }));
  };
  put('Kunder', [2, 2], [HEADERS, ...ROWS]);
  put('Ordrer', [1, 1], LOG_SHEET);
  let bytes = new Uint8Array(await workbook.xlsx.writeBuffer() as ArrayBuffer);
  if (withoutDimension) {
    const parts = unzipSync(bytes);
    for (const name of Object.keys(parts)) {
      if (name.startsWith('xl/worksheets/sheet')) parts[name] = strToU8(strFromU8(parts[name]).replace(/<dimension [^>]*\/>/, ''));
    }
    bytes = zipSync(parts);
  }
  return PackageWorkbook.open(bytes);
}

/** Excel hands a blank cell over as '', a file reader as null or a hole: the same blank for comparing the two. */
function blanksAsNull(rows: CellValue[][]): CellValue[][] {
  return rows.map((row) => Array.from(row, (cell) => (cell === '' || cell === undefined ? null : cell)));
}

const syncsOf = async <T>(excel: FakeExcel, work: () => Promise<T>): Promise<{ result: T; syncs: number }> => {
  const before = excel.syncCount;
  const result = await work();
  return { result, syncs: excel.syncCount - before };
};

describe('OfficeWorkbook.listSheets', () => {
  it('lists the visible sheets with their used range of values in two syncs, hidden ones and SegmentKit\'s own left out', async () => {
    const excel = excelWithLog();
    const port = portFor(excel);
    const { result, syncs } = await syncsOf(excel, () => port.listSheets());
    expect(result).toEqual([
      { name: 'Kunder', rowCount: 7, columnCount: 5 },
      { name: 'Ordrer', rowCount: 13, columnCount: 3 },
      { name: 'Noter', rowCount: 3, columnCount: 3 },
      { name: 'Tom', rowCount: 0, columnCount: 0 },
    ]);
    expect(syncs).toBe(2);

    // After a run the marker sheet and the sheets SegmentKit wrote are there, and still not offered.
    const snapshot = await port.readTable();
    const log = await port.readSheetTable('Ordrer');
    const prepared = prepareInput(snapshot, detectRoles(HEADERS), 'en', { snapshot: log, mapping: detectRoles(LOG_HEADERS) });
    const choices = [{ id: 'rfm', settings: defaultSettings(getModel('rfm')) }];
    await port.apply(planPrepared(snapshot, prepared, segment(prepared.table, choices), { mode: 'values', language: 'en' }));
    expect(excel.sheetNames()).toEqual(['Kunder', 'Ordrer', 'Noter', 'Tom', 'Skjult', MARKER_SHEET, 'Priority', 'Summary']);
    const again = await syncsOf(excel, () => port.listSheets());
    expect(again.result.map((sheet) => sheet.name)).toEqual(['Kunder', 'Ordrer', 'Noter', 'Tom']);
    expect(again.syncs).toBe(2);
  });

  it('lists the same sheets and sizes as the package adapter, whose sizes come from <dimension> or, without one, from the cells', async () => {
    const office = (await portFor(excelWithLog()).listSheets()).slice(0, 2);
    expect(await (await packageWithLog()).listSheets()).toEqual(office);
    expect(await (await packageWithLog(true)).listSheets()).toEqual(office);
  });
});

describe('OfficeWorkbook.readSheetTable', () => {
  it('finds the log below its title as the package adapter finds it in a file, in three syncs, and leaves the customer table to apply', async () => {
    const excel = excelWithLog();
    const port = portFor(excel);
    const { result: log, syncs } = await syncsOf(excel, () => port.readSheetTable('Ordrer'));
    expect(syncs).toBe(3);
    expect(log.sheetName).toBe('Ordrer');
    expect(log.origin).toEqual({ headerRow: 3, firstColumn: 0 });
    expect(log.headers).toEqual(LOG_HEADERS);
    expect(blanksAsNull(log.rows)).toEqual(LOG_LINES);
    expect(log.notes?.map((note) => note.kind)).toEqual(['titleRows']);
    expect(log.sheetNames).toEqual(['Kunder', 'Ordrer', 'Noter', 'Tom', 'Skjult']);

    const fromFile = await (await packageWithLog()).readSheetTable('Ordrer');
    const comparable = (snapshot: TableSnapshot) => ({ ...snapshot, rows: blanksAsNull(snapshot.rows), sheetNames: undefined });
    expect(comparable(log)).toEqual(comparable(fromFile));
  });

  it('takes an Excel table on the log sheet as defined, its totals row left out, in four syncs', async () => {
    const excel = excelWithLog();
    excel.setCells('Ordrer', 'A14', [['I alt', null, 2280]]);
    excel.addTable('Ordrer', 'Ordretabel', 'A3:C14').showTotals = true;
    const { result: log, syncs } = await syncsOf(excel, () => portFor(excel).readSheetTable('Ordrer'));
    expect(syncs).toBe(4);
    expect(log.excelTableName).toBe('Ordretabel');
    expect(log.headers).toEqual(LOG_HEADERS);
    expect(blanksAsNull(log.rows)).toEqual(LOG_LINES);
    expect(log.notes?.map((note) => [note.kind, note.rows])).toEqual([['totalsRow', [14]]]);
  });

  it('reads a log of 150,000 lines whole in payload-sized chunks: every response under 5 MB, one sync per chunk', async () => {
    const lines = 150_000;
    const excel = new FakeExcel();
    excel.addSheet('Kunder', { rows: [HEADERS, ...ROWS] });
    const product = (i: number) => `Æblemost ${i % 97} l, økologisk`;
    const big = Array.from({ length: lines }, (_, i): Scalar[] => [`K${(i * 7919) % 20_000}`, JAN_1 + (i % 700), 10 + (i % 1000) / 4, product(i)]);
    excel.addSheet('Ordrer', { at: 'C5', rows: [['Kundenr', 'Ordredato', 'Nettobeløb', 'Vare'], ...big] });
    excel.select('Kunder', 'A1');
    const progress: Progress[] = [];
    const { result: log, syncs } = await syncsOf(excel, () => portFor(excel).readSheetTable('Ordrer', (event) => progress.push(event)));

    expect(log.origin).toEqual({ headerRow: 5, firstColumn: 2 });
    expect(log.rows).toHaveLength(lines);
    expect(log.rows[0]).toEqual(big[0]);
    expect(log.rows[74_321]).toEqual(big[74_321]);
    expect(log.rows[lines - 1]).toEqual([`K${((lines - 1) * 7919) % 20_000}`, JAN_1 + ((lines - 1) % 700), 10 + ((lines - 1) % 1000) / 4, product(lines - 1)]);
    const chunks = syncs - 2;
    expect(chunks).toBeGreaterThanOrEqual(3);
    const responseBytes = excel.syncs.reduce((total, sync) => total + sync.responseBytes, 0);
    expect(responseBytes).toBeGreaterThan(5_000_000);
    expect(excel.maxResponseBytes).toBeLessThan(5_000_000);
    // The 100-row sample, then chunks of about 1.5 MB: never more than one per megabyte read.
    expect(chunks).toBeLessThanOrEqual(1 + Math.ceil(responseBytes / 1_000_000));
    expect(progress.at(-1)).toEqual({ phase: 'read', done: lines + 1, total: lines + 1 });
  }, 60_000);

  it('names the sheets there are when the one asked for is not, and says an empty sheet is empty, in English and Danish', async () => {
    const excel = excelWithLog();
    const missing = await portFor(excel).readSheetTable('Ordre').catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(SheetNotFoundError);
    expect((missing as SheetNotFoundError).text).toEqual({
      en: 'The workbook has no sheet named "Ordre". Sheets: "Kunder", "Ordrer", "Noter", "Tom".',
      da: 'Projektmappen har intet ark med navnet "Ordre". Ark: "Kunder", "Ordrer", "Noter", "Tom".',
    });
    const empty = await portFor(excel).readSheetTable('Tom').catch((error: unknown) => error);
    expect(empty).toBeInstanceOf(TableNotFoundError);
    expect((empty as TableNotFoundError).text.da).toMatch(/^Arket "Tom" er tomt/);
  });
});

describe('a log sheet joined beside the customer table in Excel', () => {
  it('writes the log\'s columns and RFM next to the customer table, matched on customer id, in values mode', async () => {
    const excel = excelWithLog();
    const port = portFor(excel);
    const snapshot = await port.readTable();
    const log = await port.readSheetTable('Ordrer');
    const prepared = prepareInput(snapshot, detectRoles(HEADERS), 'en', { snapshot: log, mapping: detectRoles(LOG_HEADERS) });
    expect(prepared.kind).toBe('joined');
    const choices = [{ id: 'rfm', settings: defaultSettings(getModel('rfm')) }];
    const plan = planPrepared(snapshot, prepared, segment(prepared.table, choices), { mode: 'values', language: 'en' });
    await port.apply(plan);

    // The table is B2:F8; the log's columns start in G.
    expect(excel.values('Kunder', 'G2:J8')).toEqual([
      ['First purchase', 'Last order', 'Orders', 'Revenue'],
      [JAN_1, JAN_1 + 60, 3, 560],
      [JAN_1 + 5, JAN_1 + 90, 2, 120],
      [JAN_1 + 10, JAN_1 + 10, 1, 400],
      [JAN_1 + 40, JAN_1 + 40, 1, 120],
      ['', '', '', ''],
      ['', '', '', ''],
    ]);
    expect(excel.numberFormat('Kunder', 'G3')).toBe('yyyy-mm-dd');
    const headers = excel.values('Kunder', 'G2:Z2')[0];
    const rfm = headers.indexOf('Segment RFM');
    expect(rfm).toBeGreaterThan(3);
    const written = excel.values('Kunder', 'G3:Z8').map((row) => row[rfm]);
    const planned = plan.columns.find((column) => column.header === 'Segment RFM')!.values;
    expect(written).toEqual(planned.map((value) => value ?? ''));
    const segments = getModel('rfm').tiers.map((tier) => tierName(tier, 'en'));
    expect(written.slice(0, 4).every((value) => segments.includes(String(value)))).toBe(true);
    expect(written.slice(4)).toEqual(['', '']);
  });
});
