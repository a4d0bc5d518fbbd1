// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CATALOG, detectRoles, segment, type CellValue, type Language } from '../src/engine';
import { App } from '../src/taskpane/App';
import { translator } from '../src/taskpane/i18n';
import { chosenModels, initialSelection } from '../src/taskpane/state/session';
import { planPrepared, prepareInput } from '../src/workbook/log-input';
import { MARKER_SHEET } from '../src/workbook/marker';
import { OfficeWorkbook } from '../src/workbook/office';
import type { TableSnapshot } from '../src/workbook/port';
import { drawnLog } from './support/drawn-log';
import { FakeExcel, type Scalar } from './support/fake-excel';

// jsdom has no Web Worker: the plan is built in-process, by the same steps plan.worker.ts takes.
vi.mock('../src/taskpane/compute/planInWorker', () => import('./support/plan-in-process'));

// Fluent's focus manager outlives a test unless the tree is unmounted (NodeFilter is gone after teardown).
afterEach(cleanup);

/** 2024-01-01 as an Excel serial day. */
const JAN_1 = 45292;
const LOG_HEADERS = ['Kundenr', 'Fakturadato', 'Beløb'];
const CUSTOMER_HEADERS = ['Kundenr', 'Kunde', 'Omsætning'];

/** 150 customers' purchases over 2024 (seeded, BG/NBD-like), one line per purchase day, in drawing order. */
const { lines, drawn } = drawnLog(41, 150, JAN_1, JAN_1 + 365, String);
const LOG_ROWS: Scalar[][] = lines.slice(1).map((line) => {
  const [id, day, amount] = line.split(',');
  return [id, Number(day), Number(amount)];
});
/**
 * The customer table: the log's customers in the opposite order, every tenth left out (they are
 * in the log only), and C9999, who never bought.
 */
const CUSTOMERS: Scalar[][] = [
  ...drawn.filter((_, k) => k % 10 !== 3).reverse().map((customer, k): Scalar[] => [customer.id, `Kunde ${customer.id}`, 1000 + 37 * k]),
  ['C9999', 'Kunde uden køb', 500],
];
const NOTES: Scalar[][] = [['Kundenr', 'Kontakt', 'Telefon'], ['C1000', 'Mette', '+45 1234'], ['C1001', 'Jonas', '+45 5678']];

/** Kunder (the customer table, the cursor in it), Ordrer (the order log), Noter (no log), Tom (empty). */
function excelWithLog(): FakeExcel {
  const excel = new FakeExcel();
  excel.addSheet('Kunder', { rows: [CUSTOMER_HEADERS, ...CUSTOMERS] });
  excel.addSheet('Ordrer', { rows: [LOG_HEADERS, ...LOG_ROWS] });
  excel.addSheet('Noter', { rows: NOTES });
  excel.addSheet('Tom');
  excel.select('Kunder', 'B2');
  return excel;
}

function renderPane(excel: FakeExcel, language: Language) {
  render(<App environment={{ kind: 'office', port: new OfficeWorkbook(excel.run, excel.isSetSupported) }} initialLanguage={language} />);
  return translator(language);
}

/** Opens the Order log chooser and picks `sheet`; the option names offered, as the list showed them. */
async function chooseLogSheet(t: ReturnType<typeof translator>, sheet: string): Promise<string[]> {
  fireEvent.click(screen.getByRole('combobox', { name: t('logSheet') }));
  const offered = (await screen.findAllByRole('option')).map((option) => option.textContent ?? '');
  fireEvent.click(screen.getByRole('option', { name: sheet }));
  return offered;
}

/** Column letters of a sheet's first row, by header text. */
function headerColumns(excel: FakeExcel, sheet: string): Map<string, number> {
  const headers = excel.values(sheet, 'A1:AZ1')[0];
  return new Map(headers.flatMap((header, column) => (header === '' ? [] : [[String(header), column]])));
}

function columnValues(excel: FakeExcel, sheet: string, column: number, rows: number): Scalar[] {
  const letter = String.fromCharCode(65 + (column % 26));
  const prefix = column >= 26 ? String.fromCharCode(64 + Math.floor(column / 26)) : '';
  return excel.column(sheet, `${prefix}${letter}2:${prefix}${letter}${rows + 1}`);
}

function snapshotOf(sheetName: string, headers: string[], rows: CellValue[][]): TableSnapshot {
  return { sheetName, origin: { headerRow: 1, firstColumn: 0 }, headers, rows, marker: null, sheetNames: ['Kunder', 'Ordrer', 'Noter', 'Tom'] };
}

describe('the Order log sheet in Excel (Office mode on the in-memory Excel)', () => {
  it('refuses a sheet that is no log with a sentence, and leaves an empty sheet and the table\'s own sheet out of the list (English)', async () => {
    const excel = excelWithLog();
    const t = renderPane(excel, 'en');
    await screen.findByTestId('table-found');
    expect(await chooseLogSheet(t, 'Noter')).toEqual(['None', 'Ordrer', 'Noter']);
    await waitFor(() => expect(screen.getByTestId('log-error').textContent)
      .toBe('The sheet "Noter" is not a transaction log: it needs a customer id, an order date and an amount (or a quantity and a unit price) column.'));
    expect(screen.queryByTestId('log-summary')).toBeNull();
  });

  it('joins the chosen log sheet on customer id and writes its columns, RFM and CLV beside the customer table, in a bounded number of syncs (Danish)', async () => {
    const excel = excelWithLog();
    const t = renderPane(excel, 'da');
    await screen.findByTestId('table-found');
    // Reading the table (three syncs to find it and its header row, two chunks: 100 rows, then the rest) and listing the sheets (two).
    await waitFor(() => expect(excel.syncCount).toBe(7));

    await chooseLogSheet(t, 'Noter');
    await waitFor(() => expect(screen.getByTestId('log-error').textContent)
      .toBe('Arket "Noter" er ikke en transaktionslog: det skal have en kolonne med kundenummer, ordredato og beløb (eller antal og stykpris).'));

    let before = excel.syncCount;
    await chooseLogSheet(t, 'Ordrer');
    await waitFor(() => expect(screen.getByTestId('log-summary').textContent)
      .toMatch(new RegExp(`^Ordrelog på Ordrer: ${LOG_ROWS.length.toLocaleString('da-DK')} linjer, 150 kunder; linjer uden kunde: 0`)));
    expect(screen.queryByTestId('log-error')).toBeNull();
    // Two syncs to find the sheet, one for the first 100 rows, one for the rest.
    expect(excel.syncCount - before).toBe(4);

    fireEvent.click(screen.getByRole('tab', { name: t('stepModels') }));
    for (const model of CATALOG) {
      const box = screen.getByRole('checkbox', { name: model.name.da }) as HTMLInputElement;
      if (box.checked !== (model.id === 'rfm' || model.id === 'clv')) fireEvent.click(box);
    }
    fireEvent.click(screen.getByRole('tab', { name: t('stepApply') }));
    fireEvent.click(screen.getByRole('radio', { name: t('modeValues') }));
    before = excel.syncCount;
    fireEvent.click(screen.getByRole('button', { name: t('applyButton') }));
    await screen.findByText(t('applied'), undefined, { timeout: 20_000 });
    const applySyncs = excel.syncCount - before;
    // Apply (marker, three sheets, columns: a fixed handful, 18 here) and reading the table back (7): none per customer.
    expect(applySyncs).toBeLessThanOrEqual(30);
    expect(excel.sheetNames()).toEqual(['Kunder', 'Ordrer', 'Noter', 'Tom', MARKER_SHEET, 'Prioritet', 'Oversigt', 'CLV']);
    expect(excel.maxRequestBytes).toBeLessThan(5_000_000);

    // The log's summary, by hand from the drawn purchases, on each customer's own row.
    const columns = headerColumns(excel, 'Kunder');
    const count = CUSTOMERS.length;
    const byId = new Map(drawn.map((customer) => [customer.id, customer.days]));
    const expectedOf = (pick: (days: number[]) => Scalar) => CUSTOMERS.map(([id]) => (byId.has(String(id)) ? pick(byId.get(String(id))!) : ''));
    expect([...columns.keys()].slice(0, 6)).toEqual(['Kundenr', 'Kunde', 'Omsætning', 'Første køb', 'Seneste køb', 'Antal ordrer']);
    expect(columnValues(excel, 'Kunder', columns.get('Første køb')!, count)).toEqual(expectedOf((days) => days[0]));
    expect(columnValues(excel, 'Kunder', columns.get('Seneste køb')!, count)).toEqual(expectedOf((days) => days[days.length - 1]));
    expect(columnValues(excel, 'Kunder', columns.get('Antal ordrer')!, count)).toEqual(expectedOf((days) => days.length));

    // Everything beside the table is what the engine makes of the same two tables, cell by cell.
    const selection = initialSelection('da');
    const choices = chosenModels({ ...selection, ...Object.fromEntries(CATALOG.map((model) => [model.id, { ...selection[model.id], enabled: model.id === 'rfm' || model.id === 'clv' }])) });
    const customers = snapshotOf('Kunder', CUSTOMER_HEADERS, CUSTOMERS);
    const log = snapshotOf('Ordrer', LOG_HEADERS, LOG_ROWS);
    const prepared = prepareInput(customers, detectRoles(CUSTOMER_HEADERS), 'da', { snapshot: log, mapping: detectRoles(LOG_HEADERS) });
    const plan = planPrepared(customers, prepared, segment(prepared.table, choices), { mode: 'values', language: 'da' });
    expect(plan.columns.map((column) => column.header)).toContain('Segment RFM');
    expect(plan.columns.map((column) => column.header)).toContain('Segment CLV');
    for (const column of plan.columns) {
      expect(columns.get(column.header), column.header).toBeGreaterThanOrEqual(3);
      const written = columnValues(excel, 'Kunder', columns.get(column.header)!, count);
      expect(written, column.header).toEqual(column.values.map((value) => value ?? ''));
    }
    const rfm = columnValues(excel, 'Kunder', columns.get('Segment RFM')!, count);
    expect(rfm.filter((value) => value === '')).toHaveLength(1);
    expect(rfm[count - 1]).toBe('');
  }, 60_000);
});
