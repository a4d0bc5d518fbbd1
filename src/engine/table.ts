import {
  cellText, columnLetter, detectDateOrder, detectDecimalSeparator, jsDateToSerial, parseBoolean, parseDate, parseNumber, type DateOrder, type DateOrderEvidence,
} from './parse';
import type { JoinedColumns } from './learn/join';
import { detectRoles, ROLES, type RoleId, type RoleMapping } from './roles';
import type { CustomerSummaries, TransactionLog } from './lifetime/transactions';
import type { CellValue, RowProblem } from './types';

/** Where the table sits on its sheet, so problems and written columns name real cells. */
export interface TableOrigin {
  /** 1-based sheet row of the header row. */
  headerRow: number;
  /** 0-based sheet column of the table's first column. */
  firstColumn: number;
}

/**
 * A customer table read once: numeric roles as Float64Array (NaN = missing or unreadable),
 * text roles as strings. Row i of every array is the table's data row i.
 */
export interface CustomerTable {
  rowCount: number;
  headers: string[];
  origin: TableOrigin;
  mapping: RoleMapping;
  numbers: Partial<Record<RoleId, Float64Array>>;
  texts: Partial<Record<RoleId, string[]>>;
  problems: RowProblem[];
  /**
   * The cells as read, so a model can use a column no role names (a factor in the deep-dive
   * rating). `releaseCells` empties it once the models have run, so a million read rows need not
   * stay in memory while the result is planned and written.
   */
  cells: readonly (readonly CellValue[])[];
  /** 1 where data row i is a blank line inside the table (see isBlankRow); worked out with the table. */
  blankRows?: Uint8Array;
  /**
   * Per numeric or date role, 1 where a spreadsheet formula reads the cell differently from the
   * engine (a number or date typed as text, which the engine reads and a formula does not):
   * worked out with the table, so it needs no cells later (live-formulas.ts uses it).
   */
  readDifferently?: Partial<Record<RoleId, Uint8Array>>;
  /**
   * Per date role, how its texts with day and month as numbers were read (day or month first) and
   * the evidence for it, so a model or a log note can say when no date told the order.
   */
  dateOrders?: Partial<Record<RoleId, DateOrderEvidence>>;
  /**
   * The last day the data covers, as an Excel serial, where the table was summarised from an order
   * log (its calibration end): recency is counted to the day after it, for every customer alike,
   * not to the day after the latest order of the customers a table happens to hold.
   */
  observedUntil?: number;
  /**
   * Columns of another sheet or file joined on a key (--join file.xlsx:Sheet --on Kundenr, or the
   * pane's join), aligned to this table's rows: the churn, clusters and twins models read them as
   * features beside the table's own columns (learn/features.ts). Absent when nothing was joined.
   */
  joined?: JoinedColumns;
  /** The order log the purchase history came from, where there is one: RFM takes R, F and M from it. */
  orderLog?: OrderLogLink;
}

/**
 * A table's link to the order log it was summarised from (lifetime/log-table.ts): the per-customer
 * summary as of `observedUntil`, and its lines (TransactionLog), so a model can summarise them again as of
 * another day (RFM's analysis date). `joined` when the table is a customer table with the log's
 * summary joined on by customer id, whose own Revenue and Last order columns other models read.
 */
export interface OrderLogLink {
  summaries: CustomerSummaries;
  lines: TransactionLog;
  joined: boolean;
}

export const DEFAULT_ORIGIN: TableOrigin = { headerRow: 1, firstColumn: 0 };

/**
 * Builds a CustomerTable from a header row and data rows. The mapping defaults to what the
 * headers say; every unreadable value is reported with its row and column and left missing, so
 * that row gets no segment from the models that need it and the run goes on.
 */
export function buildCustomerTable(
  headers: readonly CellValue[],
  rows: readonly (readonly CellValue[])[],
  options: { mapping?: RoleMapping; origin?: TableOrigin; observedUntil?: number; orderLog?: OrderLogLink } = {},
): CustomerTable {
  const headerTexts = headers.map((header) => cellText(header).trim());
  const mapping = options.mapping ?? detectRoles(headerTexts);
  const origin = options.origin ?? DEFAULT_ORIGIN;
  const table: CustomerTable = {
    rowCount: rows.length, headers: headerTexts, origin, mapping, numbers: {}, texts: {}, problems: [], cells: rows, readDifferently: {},
    ...(options.observedUntil === undefined ? {} : { observedUntil: options.observedUntil }),
    ...(options.orderLog === undefined ? {} : { orderLog: options.orderLog }),
  };
  for (const role of ROLES) {
    const column = mapping[role.id];
    if (column === undefined) continue;
    if (role.kind === 'text') table.texts[role.id] = rows.map((row) => cellText(row[column]).trim());
    else {
      const dateOrder = role.kind === 'date' ? detectDateOrder(rows.map((row) => row[column])) : undefined;
      if (dateOrder) (table.dateOrders ??= {})[role.id] = dateOrder;
      const values = readNumericColumn(rows, column, role.kind, headerTexts[column], origin, table.problems, dateOrder?.order);
      table.numbers[role.id] = values;
      table.readDifferently![role.id] = formulaDifferences(rows, column, values, role.kind === 'date');
    }
  }
  table.blankRows = Uint8Array.from({ length: rows.length }, (_, i) => Number(rowIsBlank(rows[i], headerTexts.length)));
  sortProblems(table.problems);
  return table;
}

/** A column given as its distinct cells and, per data row, which of them it holds. */
export interface CodedColumn {
  /** The distinct cells, each once, as the table's cells would hold them (numbers, texts). */
  values: readonly CellValue[];
  /** Per data row, the index of its cell in `values`; -1 for a blank cell. */
  codes: Int32Array;
}

/**
 * Builds the CustomerTable that buildCustomerTable builds from the same cells, from the mapped
 * columns alone, each as its distinct cells and a code per row (a transaction log read straight
 * from a CSV: 541,909 lines hold a few thousand distinct dates, prices and ids). Every distinct
 * cell is parsed once; problems, formula differences and blank rows are as buildCustomerTable
 * gives them. The table holds no cells: reading a column no role names is an error, as after releaseCells.
 * @param columns keyed by table column (0-based), one for every column the mapping names
 * @param blankRows 1 where data row i is a blank line inside the table (its codes are all -1)
 * @throws Error when the mapping names a column not given
 */
export function buildCustomerTableFromColumns(
  headers: readonly CellValue[],
  rowCount: number,
  columns: ReadonlyMap<number, CodedColumn>,
  blankRows: Uint8Array,
  options: { mapping: RoleMapping; origin?: TableOrigin },
): CustomerTable {
  const headerTexts = headers.map((header) => cellText(header).trim());
  const { mapping } = options;
  const origin = options.origin ?? DEFAULT_ORIGIN;
  const table: CustomerTable = {
    rowCount, headers: headerTexts, origin, mapping, numbers: {}, texts: {}, problems: [], cells: noCells(), readDifferently: {}, blankRows,
  };
  for (const role of ROLES) {
    const index = mapping[role.id];
    if (index === undefined) continue;
    const column = columns.get(index);
    if (!column) throw new Error(`The column ${columnLetter(origin.firstColumn + index)} of the role "${role.id}" was not read.`);
    if (role.kind === 'text') table.texts[role.id] = textsOfCodes(column);
    else {
      const dateOrder = role.kind === 'date' ? detectDateOrder(column.values, codeCounts(column)) : undefined;
      if (dateOrder) (table.dateOrders ??= {})[role.id] = dateOrder;
      const read = readCodedColumn(column, role.kind, headerTexts[index], columnLetter(origin.firstColumn + index), origin, table.problems, dateOrder?.order);
      table.numbers[role.id] = read.values;
      table.readDifferently![role.id] = read.differences;
    }
  }
  sortProblems(table.problems);
  return table;
}

function textsOfCodes({ values, codes }: CodedColumn): string[] {
  const distinct = values.map((value) => cellText(value).trim());
  const texts = new Array<string>(codes.length);
  for (let i = 0; i < codes.length; i++) texts[i] = codes[i] < 0 ? '' : distinct[codes[i]];
  return texts;
}

/** How many rows hold each distinct cell. */
function codeCounts({ values, codes }: CodedColumn): Int32Array {
  const counts = new Int32Array(values.length);
  for (let i = 0; i < codes.length; i++) if (codes[i] >= 0) counts[codes[i]]++;
  return counts;
}

/** readNumericColumn for a coded column: each distinct cell parsed once, then spread over the rows. */
function readCodedColumn(
  column: CodedColumn, kind: 'number' | 'date' | 'boolean', header: string, letter: string, origin: TableOrigin, problems: RowProblem[], order?: DateOrder,
): { values: Float64Array; differences: Uint8Array } {
  const decimal = kind === 'number' ? detectDecimalSeparator(column.values, codeCounts(column)) : null;
  // Per distinct cell in typed arrays: the loop over the rows (541,909 on UCI Online Retail) then reads no array of mixed values.
  const parsed = new Float64Array(column.values.length);
  const readable = new Uint8Array(column.values.length);
  const differs = new Uint8Array(column.values.length);
  column.values.forEach((raw, k) => {
    const value = kind === 'number' ? parseNumber(raw, decimal) : kind === 'date' ? parseDate(raw, order) : parseBoolean(raw);
    parsed[k] = value ?? NaN;
    readable[k] = value === undefined ? 0 : 1;
    const seen = spreadsheetNumber(raw);
    const read = kind === 'date' ? Math.floor(seen) : seen;
    differs[k] = read === parsed[k] || (Number.isNaN(read) && Number.isNaN(parsed[k])) ? 0 : 1;
  });
  const { codes } = column;
  const values = new Float64Array(codes.length).fill(NaN);
  const differences = new Uint8Array(codes.length);
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i];
    if (code < 0) continue;
    differences[i] = differs[code];
    if (readable[code]) values[i] = parsed[code];
    else {
      problems.push({
        row: origin.headerRow + 1 + i, column: header, columnLetter: letter, value: cellText(column.values[code]),
        kind: kind === 'number' ? 'notNumber' : kind === 'date' ? 'notDate' : 'notBoolean',
      });
    }
  }
  return { values, differences };
}

/** What a spreadsheet formula sees in a cell: a number, a date as its serial, anything else not a number (NaN). */
export function spreadsheetNumber(value: CellValue): number {
  if (typeof value === 'number') return value;
  if (value instanceof Date) return jsDateToSerial(value);
  return NaN;
}

/** 1 where a formula reads the cell differently from the engine's value (dates compared as whole days). */
function formulaDifferences(rows: readonly (readonly CellValue[])[], column: number, values: Float64Array, isDate: boolean): Uint8Array {
  const differences = new Uint8Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const seen = spreadsheetNumber(rows[i][column]);
    const read = isDate ? Math.floor(seen) : seen;
    if (!(read === values[i] || (Number.isNaN(read) && Number.isNaN(values[i])))) differences[i] = 1;
  }
  return differences;
}

/**
 * Lets the read rows go once the models have run: at Excel's row limit they are a third of a
 * gigabyte that planning and writing do not need (blank lines and formula differences are kept).
 * A column read after this (numbersOfColumn for a column not read before) is an error, not a guess.
 */
export function releaseCells(table: CustomerTable): void {
  if (!table.blankRows) return;
  table.cells = noCells();
}

/** Cells that are not there: reading one is an error, not a blank. */
function noCells(): readonly (readonly CellValue[])[] {
  return new Proxy([], {
    get(target, key) {
      if (key === 'length') return 0;
      if (typeof key === 'string' && /^\d+$/.test(key)) throw new Error('The table\'s cells were released after the models ran (or never read, for a log read from a CSV); read the column before.');
      return Reflect.get(target, key);
    },
  });
}

function sortProblems(problems: RowProblem[]): void {
  problems.sort((a, b) => a.row - b.row || a.columnLetter.length - b.columnLetter.length || a.columnLetter.localeCompare(b.columnLetter));
}

const columnCache = new WeakMap<CustomerTable, Map<number, Float64Array>>();

/**
 * Any column of the table read as numbers (a role's column is returned as already read). Its
 * unreadable cells join the table's problems once, with row and column, like a role's.
 */
export function numbersOfColumn(table: CustomerTable, column: number): Float64Array {
  const role = ROLES.find((candidate) => table.mapping[candidate.id] === column && candidate.kind !== 'text');
  if (role) return table.numbers[role.id]!;
  let cache = columnCache.get(table);
  if (!cache) columnCache.set(table, (cache = new Map()));
  let values = cache.get(column);
  if (!values) {
    values = readNumericColumn(table.cells, column, 'number', table.headers[column], table.origin, table.problems);
    sortProblems(table.problems);
    cache.set(column, values);
  }
  return values;
}

function readNumericColumn(
  rows: readonly (readonly CellValue[])[],
  column: number,
  kind: 'number' | 'date' | 'boolean',
  header: string,
  origin: TableOrigin,
  problems: RowProblem[],
  order?: DateOrder,
): Float64Array {
  const values = new Float64Array(rows.length);
  const decimal = kind === 'number' ? detectDecimalSeparator(rows.map((row) => row[column])) : null;
  for (let index = 0; index < rows.length; index++) {
    const raw = rows[index][column];
    const parsed = kind === 'number' ? parseNumber(raw, decimal) : kind === 'date' ? parseDate(raw, order) : parseBoolean(raw);
    if (parsed === undefined) {
      values[index] = NaN;
      problems.push({
        row: origin.headerRow + 1 + index,
        column: header,
        columnLetter: columnLetter(origin.firstColumn + column),
        value: cellText(raw),
        kind: kind === 'number' ? 'notNumber' : kind === 'date' ? 'notDate' : 'notBoolean',
      });
    } else values[index] = parsed;
  }
  return values;
}

/**
 * Whether data row i is a blank line inside the table (kept so the rows below keep their sheet
 * rows): not a customer, so it gets no segment and is neither listed nor counted. A table built
 * without its cells (cells: []) has no such rows.
 */
export function isBlankRow(table: CustomerTable, i: number): boolean {
  return table.blankRows ? table.blankRows[i] === 1 : rowIsBlank(table.cells[i], table.headers.length);
}

function rowIsBlank(row: readonly CellValue[] | undefined, width: number): boolean {
  if (!row) return false;
  // Only the table's own columns: a row may run on into cells that are not the table's.
  const end = Math.min(row.length, width);
  for (let column = 0; column < end; column++) {
    const cell = row[column];
    if (cell !== null && cell !== undefined && !(typeof cell === 'string' && cell.trim() === '')) return false;
  }
  return true;
}

/** Rows that are customers: every data row but the blank lines inside the table. */
export function customerCount(table: CustomerTable): number {
  let count = 0;
  for (let i = 0; i < table.rowCount; i++) if (!isBlankRow(table, i)) count++;
  return count;
}

/** The numbers of a role, or a clear error naming the missing column. */
export function requireNumbers(table: CustomerTable, role: RoleId): Float64Array {
  const values = table.numbers[role];
  if (!values) throw new MissingRoleError(role);
  return values;
}

export class MissingRoleError extends Error {
  constructor(readonly role: RoleId) {
    super(`The table has no column for the role "${role}". Map a column to it on the Data step.`);
    this.name = 'MissingRoleError';
  }
}
