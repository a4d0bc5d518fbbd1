import { describe, expect, it } from 'vitest';
import { DEFAULT_RFM_GRID, detectRoles, getModel, type CellValue, type RfmGrid } from '../src/engine';
import { LogInputError, prepareInput } from '../src/workbook/log-input';
import type { TableSnapshot } from '../src/workbook/port';
import { gridProblemCount, logSheetChoices, logSummaryLines, rfmSegments, setGridCell } from '../src/taskpane/state/log';
import { initialSelection, selectionFromSaved, settingProblem, unavailableText } from '../src/taskpane/state/session';
import { prepareForPane } from '../src/taskpane/state/useWorkflow';

/** 2024-01-01 as an Excel serial day. */
const JAN_1 = 45292;

function snapshotOf(sheetName: string, headers: string[], rows: CellValue[][]): TableSnapshot {
  return { sheetName, origin: { headerRow: 1, firstColumn: 0 }, headers, rows, marker: null, sheetNames: ['Kunder', 'Ordrer'] };
}

/** Three customers: 1001 buys three times (one credit note too), 1002 twice, 1003 once; one line has no customer. */
const LOG = snapshotOf('Ordrer', ['Kundenr', 'Fakturadato', 'Beløb'], [
  [1001, JAN_1, 100], [1001, JAN_1 + 30, 200], [1002, JAN_1 + 5, 50], [1001, JAN_1 + 60, 300],
  [1002, JAN_1 + 90, 70], [1003, JAN_1 + 10, 400], [null, JAN_1 + 11, 999], [1001, JAN_1 + 61, -40],
]);
const CUSTOMERS = snapshotOf('Kunder', ['Kundenr', 'Kundenavn', 'Omsætning'], [[1001, 'Alfa', 1000], [1002, 'Beta', 500], [1004, 'Delta', 80]]);
const mappingOf = (snapshot: TableSnapshot) => detectRoles(snapshot.headers as string[]);

describe('a transaction log in the pane', () => {
  it('is recognised by the engine and summarised per customer, credit note netted and the line without a customer counted', () => {
    const prepared = prepareInput(LOG, mappingOf(LOG), 'da');
    expect(prepared.kind).toBe('log');
    expect(prepared.table.rowCount).toBe(3);
    expect(prepared.table.texts.id).toEqual(['1001', '1002', '1003']);
    expect(Array.from(prepared.table.numbers.revenue!)).toEqual([560, 120, 400]);
    expect(Array.from(prepared.table.numbers.orders!)).toEqual([3, 2, 1]);
    expect(prepared.logCustomers!.counts).toEqual({ lines: 8, withoutId: 1, unusable: 0, creditNotes: 1, creditTotal: -40 });
    expect(prepared.newTable!.headers.slice(0, 3)).toEqual(['Kundenr', 'Første køb', 'Seneste køb']);
  });

  it('says what the log held and what the models run on, in both languages', () => {
    const prepared = prepareInput(LOG, mappingOf(LOG), 'en');
    expect(logSummaryLines(prepared, 'en')).toEqual([
      'Order log: 8 lines, 3 customers; lines without a customer: 1; credit notes netted: 1 (-40).',
      'The models run on one row per customer summarised from the log; Apply writes them on a new sheet, Customers.',
    ]);
    expect(logSummaryLines(prepared, 'da')![0]).toBe('Ordrelog: 8 linjer, 3 kunder; linjer uden kunde: 1; kreditnotaer modregnet: 1 (-40).');
    expect(logSummaryLines(prepareInput(CUSTOMERS, mappingOf(CUSTOMERS), 'en'), 'en')).toBeNull();
  });

  it('joins a log sheet beside the customer table on customer id: the purchase history maps to the joined columns, revenue stays the table\'s', () => {
    const prepared = prepareInput(CUSTOMERS, mappingOf(CUSTOMERS), 'en', { snapshot: LOG, mapping: mappingOf(LOG) });
    expect(prepared.kind).toBe('joined');
    const { table } = prepared;
    expect(table.mapping.revenue).toBe(2);
    expect(table.headers[table.mapping.lastOrder!]).toBe('Last order');
    expect(Array.from(table.numbers.orders!).slice(0, 2)).toEqual([3, 2]);
    expect(Number.isNaN(table.numbers.orders![2])).toBe(true);
    expect(prepared.leadingColumns!.map((column) => column.header)[0]).toBe('First purchase');
    expect(prepared.leadingColumns![2].values).toEqual([3, 2, null]);
    expect(logSummaryLines(prepared, 'en')![0]).toBe('Order log on Ordrer: 8 lines, 3 customers; lines without a customer: 1; credit notes netted: 1 (-40).');
    expect(logSummaryLines(prepared, 'da')![1]).toBe('Koblet på kundenummer: modellerne kører på kundetabellen med hver kundes ordrehistorik ved siden af.');
  });

  it('says why a sheet cannot be the log beside the table, or the table cannot take one, instead of failing', () => {
    const notLog = prepareForPane(CUSTOMERS, mappingOf(CUSTOMERS), 'da', { snapshot: CUSTOMERS, mapping: mappingOf(CUSTOMERS) });
    expect(notLog.error).toBe('Arket "Kunder" er ikke en transaktionslog: det skal have en kolonne med kundenummer, ordredato og beløb (eller antal og stykpris).');
    const withoutId = { ...mappingOf(CUSTOMERS), id: undefined };
    expect(() => prepareInput(CUSTOMERS, withoutId, 'en', { snapshot: LOG, mapping: mappingOf(LOG) })).toThrow(LogInputError);
    expect(prepareForPane(CUSTOMERS, withoutId, 'en', { snapshot: LOG, mapping: mappingOf(LOG) }).error)
      .toBe('The order log is joined on customer id: give a column of the customer table the role Customer ID.');
  });

  it('offers every other sheet big enough to hold a log (a header and an order over three columns) as the log sheet', () => {
    const sheets = [
      { name: 'Kunder', rowCount: 4, columnCount: 3 }, { name: 'Ordrer', rowCount: 9, columnCount: 3 }, { name: 'Noter', rowCount: 12, columnCount: 5 },
      { name: 'Tom', rowCount: 0, columnCount: 0 }, { name: 'Titel', rowCount: 1, columnCount: 6 }, { name: 'Liste', rowCount: 40, columnCount: 2 },
    ];
    expect(logSheetChoices(sheets, 'Kunder')).toEqual(['Ordrer', 'Noter']);
  });
});

describe('RFM and CLV on the Models step', () => {
  it('say that they run on a transaction log when the table has no purchase history, and other models keep their message', () => {
    const mapping = mappingOf(CUSTOMERS);
    expect(unavailableText(getModel('clv'), mapping, 'en')).toMatch(/^Cannot run: the table has no column for Repeat purchases.*\. Map one on the Data step, or open an order log or choose an Order log sheet there\.$/);
    expect(unavailableText(getModel('rfm'), mapping, 'da')).toMatch(/^Kan ikke køre: tabellen har ingen kolonne til Seneste køb og Antal ordrer\. Tildel en på trinnet Data, eller åbn en ordrelog/);
    expect(unavailableText(getModel('abcd'), mapping, 'en')).toBe('Cannot run: the table has no column for Potential. Map one on the Data step.');
    const joined = prepareInput(CUSTOMERS, mapping, 'en', { snapshot: LOG, mapping: mappingOf(LOG) }).table.mapping;
    expect(unavailableText(getModel('rfm'), joined, 'en')).toBeNull();
    expect(unavailableText(getModel('clv'), joined, 'en')).toBeNull();
  });

  it('changes one grid cell without touching the grid it came from', () => {
    const grid = structuredClone(DEFAULT_RFM_GRID) as RfmGrid;
    const changed = setGridCell(grid, 5, 1, 'Promising');
    expect(changed[4][0]).toBe('Promising');
    expect(grid[4][0]).toBe('New');
    expect(changed[3]).toBe(grid[3]);
    expect(changed.flat().filter((cell, index) => cell !== grid.flat()[index])).toEqual(['Promising']);
  });

  it('checks the grid as a setting: complete, a cell without a known segment, or no grid at all', () => {
    const setting = getModel('rfm').settings.find((candidate) => candidate.key === 'grid')!;
    expect(settingProblem(setting, DEFAULT_RFM_GRID as never, 'en')).toBeNull();
    const broken = setGridCell(DEFAULT_RFM_GRID, 2, 3, 'Others' as never);
    expect(gridProblemCount(broken)).toBe(1);
    expect(settingProblem(setting, broken as never, 'da')).toBe('Celler i R × F-gitteret uden et kendt segment: 1.');
    expect(gridProblemCount('no grid')).toBe(25);
  });

  it('names the eleven segments in both languages', () => {
    expect(rfmSegments('en').map((segment) => segment.name)).toEqual([
      'Champions', 'Loyal', 'Potential loyalist', 'New', 'Promising', 'Need attention', 'About to sleep', 'At risk', "Can't lose them", 'Hibernating', 'Lost',
    ]);
    expect(rfmSegments('da').map((segment) => segment.name)[0]).toBe('Topkunder');
  });

  it('keeps a grid saved in the workbook and falls back to the default for a broken one', () => {
    const saved = setGridCell(DEFAULT_RFM_GRID, 5, 1, 'Promising');
    expect(selectionFromSaved({ rfm: { grid: saved as never } }, initialSelection())!.rfm.settings.grid).toEqual(saved);
    expect(selectionFromSaved({ rfm: { grid: [['Champions']] as never } }, initialSelection())!.rfm.settings.grid).toEqual(DEFAULT_RFM_GRID);
  });

  it('bounds a percentage setting as a percentage', () => {
    const margin = getModel('clv').settings.find((candidate) => candidate.key === 'marginShare')!;
    expect(settingProblem(margin, 1.2, 'en')).toBe('Enter a number of at most 100 %.');
    expect(settingProblem(margin, 1.2, 'da')).toBe('Skriv et tal på højst 100 %.');
    expect(settingProblem(margin, 0.35, 'en')).toBeNull();
  });
});
