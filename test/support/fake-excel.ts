/**
 * An in-memory Excel that implements the part of the Excel JavaScript API that
 * src/workbook/office.ts uses, with Office's rules:
 * - every call and property assignment is queued and only lands in the workbook at `context.sync()`;
 * - a property read before `load()` and `sync()` throws PropertyNotLoaded, as Office does;
 * - `isNullObject` is known only after the sync that created the object;
 * - each sync's request and response are measured as JSON, and a batch over 5 MB is rejected
 *   like Excel on the web rejects it (RequestPayloadSizeLimitExceeded / ResponsePayloadSizeLimitExceeded);
 * - a read of more than 5,000,000 cells fails, as on every platform.
 * - `values` converts strings as Excel does (formulas from '=', '+', '-', '@'; numbers, dates,
 *   booleans and error values from text that looks like them; a leading apostrophe keeps text);
 * - a formula naming a sheet that does not exist keeps #REF! for good, and deleting a sheet turns
 *   every reference to it (in cells and in workbook names) into #REF!;
 * - structured references are checked against Excel's syntax and the table's columns;
 * - functions must be built in or defined by the active language's custom-function metadata
 *   (`customFunctionNames`), names must be defined: otherwise the formula shows #NAME?;
 * - payloads are measured in UTF-8 bytes; a cell holds at most 32,767 characters;
 * - `getSelectedRange` fails on a multi-area selection, as the API reference says it does.
 * Formulas are stored, not calculated: a formula cell reads as '' in `values`, or as the error
 * it would show (#REF!, #NAME?).
 */
import {
  breakSheetReferences, BUILT_IN_FUNCTIONS, CELL_TEXT_LIMIT, convertInput, FORMULA_LENGTH_LIMIT, formulaParts, utf8Length, type FormulaParts,
} from './excel-rules';

export type Scalar = string | number | boolean;

/**
 * An error cell (`{ error: '#N/A' }`) or an entity / linked data type cell (`{ entity: 'Novo Nordisk' }`).
 * `values` reads both as their error text: an entity's basic value is #VALUE! (Excel JavaScript
 * API, EntityCellValue.basicValue / LinkedEntityCellValue.basicValue).
 */
export type SpecialCell = { error: string } | { entity: string };
export type CellContent = Scalar | SpecialCell;

function isSpecial(cell: unknown): cell is SpecialCell {
  return typeof cell === 'object' && cell !== null && ('error' in cell || 'entity' in cell);
}

/** The error value a formula shows when it cannot work at all, or '' (formulas are not calculated). */
export type FormulaCheck = (formula: string) => string;

export const PAYLOAD_LIMIT_BYTES = 5_000_000;
export const CELL_READ_LIMIT = 5_000_000;

export class FakeExcelError extends Error {
  constructor(readonly code: string, message: string) {
    super(`${code}: ${message}`);
    this.name = 'FakeExcelError';
  }
}

function notLoaded(property: string): FakeExcelError {
  return new FakeExcelError('PropertyNotLoaded',
    `The property '${property}' is not available. Before reading the property's value, call the load method on the containing object and call "context.sync()" on the associated request context.`);
}

// ---------------------------------------------------------------------------------------------
// Addresses

export interface Rect {
  row: number;
  column: number;
  rows: number;
  columns: number;
}

export function columnName(index: number): string {
  let name = '';
  for (let rest = index + 1; rest > 0; rest = Math.floor((rest - 1) / 26)) name = String.fromCharCode(65 + ((rest - 1) % 26)) + name;
  return name;
}

function columnIndex(letters: string): number {
  let index = 0;
  for (const letter of letters.toUpperCase()) index = index * 26 + letter.charCodeAt(0) - 64;
  return index - 1;
}

/** 'B2' or 'B2:D10' (no sheet name) as a rectangle. */
export function parseAddress(address: string): Rect {
  const match = /^\$?([A-Za-z]+)\$?(\d+)(?::\$?([A-Za-z]+)\$?(\d+))?$/.exec(address.trim());
  if (!match) throw new FakeExcelError('InvalidArgument', `The fake cannot read the address "${address}".`);
  const top = { row: Number(match[2]) - 1, column: columnIndex(match[1]) };
  const bottom = match[3] ? { row: Number(match[4]) - 1, column: columnIndex(match[3]) } : top;
  return {
    row: Math.min(top.row, bottom.row), column: Math.min(top.column, bottom.column),
    rows: Math.abs(bottom.row - top.row) + 1, columns: Math.abs(bottom.column - top.column) + 1,
  };
}

export function quoteSheetName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.]*$/.test(name) ? name : `'${name.replace(/'/g, "''")}'`;
}

function localAddress(rect: Rect): string {
  const first = `${columnName(rect.column)}${rect.row + 1}`;
  if (rect.rows === 1 && rect.columns === 1) return first;
  return `${first}:${columnName(rect.column + rect.columns - 1)}${rect.row + rect.rows}`;
}

function fullAddress(sheet: SheetModel, rect: Rect): string {
  return `${quoteSheetName(sheet.name)}!${localAddress(rect)}`;
}

function intersects(a: Rect, b: Rect): boolean {
  return a.row < b.row + b.rows && b.row < a.row + a.rows && a.column < b.column + b.columns && b.column < a.column + a.columns;
}

function contains(rect: Rect, row: number, column: number): boolean {
  return row >= rect.row && row < rect.row + rect.rows && column >= rect.column && column < rect.column + rect.columns;
}

// ---------------------------------------------------------------------------------------------
// The workbook model

interface FormatLayer<T> {
  rect: Rect;
  value: T;
}

export interface ConditionalFormatModel {
  rect: Rect;
  type: string;
  operator?: string;
  formula1?: string;
  fill?: string;
  font?: string;
}

export interface ChartModel {
  type: string;
  source: Rect;
  seriesBy?: string;
  xAxis?: Rect;
  seriesName?: string;
  title?: string;
  topLeft?: Rect;
  bottomRight?: Rect;
}

export interface TableModel {
  name: string;
  sheet: SheetModel;
  /** Header row and data rows; the data rows only when the header row is hidden. */
  rect: Rect;
  showTotals: boolean;
  /** false: the header row is hidden, and the column names live only in the table. */
  showHeaders: boolean;
  /** The column names when the header row is hidden. */
  hiddenHeaders?: string[];
}

/** A workbook-level name: what `names.add(name, "=formula")` stored. */
export interface NamedItemModel {
  name: string;
  /** The formula it refers to, with its leading '=' ('='Summary'!$D$14'). */
  formula: string;
}

export class SheetModel {
  visibility: 'Visible' | 'Hidden' | 'VeryHidden' = 'Visible';
  frozenRows = 0;
  /** Sparse: grid[row][column]. */
  readonly grid: (CellContent | undefined)[][] = [];
  /**
   * Sparse: formulaGrid[row][column], each formula stored as its row-relative pattern (see
   * sharedPattern) and interned, the way Excel shares a formula filled down a column: a million
   * rows of the same formula hold one text, not a million. Read it with storedFormula.
   */
  readonly formulaGrid: (string | undefined)[][] = [];
  private readonly patterns = new Map<string, string>();
  readonly numberFormats: FormatLayer<string>[] = [];
  readonly bold: FormatLayer<boolean>[] = [];
  readonly columnWidths = new Map<number, number>();
  conditionalFormats: ConditionalFormatModel[] = [];
  readonly charts: ChartModel[] = [];

  /** Set by the workbook: what a formula shows (#REF!, #NAME?) given the workbook's sheets, names and functions. */
  checkFormula: FormulaCheck = () => '';

  constructor(public name: string) {}

  /** The formula text of a cell, as it was entered (with any #REF! it has taken since), or undefined. */
  storedFormula(row: number, column: number): string | undefined {
    const stored = this.formulaGrid[row]?.[column];
    return stored === undefined ? undefined : formulaAtRow(stored, row);
  }

  value(row: number, column: number): Scalar {
    const formula = this.storedFormula(row, column);
    if (formula !== undefined) return this.checkFormula(formula);
    const cell = this.grid[row]?.[column];
    if (isSpecial(cell)) return 'error' in cell ? cell.error : '#VALUE!';
    return cell ?? '';
  }

  /** Excel.RangeValueType of a cell. */
  valueType(row: number, column: number): string {
    const value = this.value(row, column);
    const cell = this.grid[row]?.[column];
    if (isSpecial(cell) || (this.formulaGrid[row]?.[column] !== undefined && value !== '')) return 'Error';
    if (value === '') return 'Empty';
    if (typeof value === 'boolean') return 'Boolean';
    if (typeof value === 'number') return Number.isInteger(value) ? 'Integer' : 'Double';
    return 'String';
  }

  /** Excel.CellValue of a cell, as `valuesAsJson` returns it (ExcelApi 1.16). */
  valueAsJson(row: number, column: number): unknown {
    const cell = this.grid[row]?.[column];
    if (isSpecial(cell)) {
      if ('entity' in cell) return { type: 'Entity', text: cell.entity, basicType: 'Error', basicValue: '#VALUE!', properties: {} };
      return { type: 'Error', basicType: 'Error', basicValue: cell.error, errorType: ERROR_TYPES[cell.error] ?? 'Value' };
    }
    const value = this.value(row, column);
    if (value === '') return { type: 'Empty', basicType: 'Empty', basicValue: '' };
    if (typeof value === 'number') return { type: 'Double', basicType: 'Double', basicValue: value };
    if (typeof value === 'boolean') return { type: 'Boolean', basicType: 'Boolean', basicValue: value };
    return { type: 'String', basicType: 'String', basicValue: value };
  }

  formula(row: number, column: number): Scalar {
    const cell = this.grid[row]?.[column];
    return this.storedFormula(row, column) ?? (isSpecial(cell) ? this.value(row, column) : cell) ?? '';
  }

  isFilled(row: number, column: number): boolean {
    return this.formulaGrid[row]?.[column] !== undefined || (this.grid[row]?.[column] ?? '') !== '';
  }

  clearCell(row: number, column: number): void {
    if (this.grid[row]) this.grid[row][column] = undefined;
    if (this.formulaGrid[row]) this.formulaGrid[row][column] = undefined;
  }

  /**
   * Excel's rules for an assigned value: '' clears, null leaves the cell, and a string is read as
   * typed (see convertInput): a formula, a number, a date, a boolean, an error value, or text.
   */
  assignValue(row: number, column: number, input: unknown, fixFormula: (formula: string) => string = (formula) => formula): void {
    if (input === null || input === undefined) return;
    if (isSpecial(input)) {
      this.clearCell(row, column);
      (this.grid[row] ??= [])[column] = input;
      return;
    }
    if (typeof input !== 'string' && typeof input !== 'number' && typeof input !== 'boolean') {
      throw new FakeExcelError('InvalidArgument', `A cell cannot hold ${JSON.stringify(input)}.`);
    }
    if (typeof input === 'string' && input.length > CELL_TEXT_LIMIT) {
      throw new FakeExcelError('InvalidArgument', `A cell holds at most ${CELL_TEXT_LIMIT} characters; this text has ${input.length}.`);
    }
    this.clearCell(row, column);
    if (input === '') return;
    if (typeof input !== 'string') {
      (this.grid[row] ??= [])[column] = input;
      return;
    }
    const converted = convertInput(input);
    if (converted.kind === 'formula') {
      this.setFormula(row, column, fixFormula(converted.formula));
      return;
    }
    const cell = converted.kind === 'text' ? converted.text : converted.kind === 'error' ? { error: converted.error } : converted.value;
    if (cell !== '') (this.grid[row] ??= [])[column] = cell;
  }

  setFormula(row: number, column: number, formula: string): void {
    if (formula.length > FORMULA_LENGTH_LIMIT) throw new FakeExcelError('FormulaLengthExceedsLimit', `A formula holds at most ${FORMULA_LENGTH_LIMIT} characters.`);
    this.clearCell(row, column);
    const pattern = sharedPattern(formula, row);
    let interned = this.patterns.get(pattern);
    if (interned === undefined) this.patterns.set(pattern, interned = pattern);
    (this.formulaGrid[row] ??= [])[column] = interned;
  }

  numberFormat(row: number, column: number): string {
    return lastLayer(this.numberFormats, row, column) ?? 'General';
  }

  isBold(row: number, column: number): boolean {
    return lastLayer(this.bold, row, column) ?? false;
  }

  /** The smallest rectangle holding every filled cell inside `within` (formats count unless valuesOnly). */
  usedRect(valuesOnly: boolean, within?: Rect): Rect | null {
    let top = Infinity;
    let bottom = -1;
    let left = Infinity;
    let right = -1;
    const take = (row: number, column: number) => {
      if (within && !contains(within, row, column)) return;
      top = Math.min(top, row); bottom = Math.max(bottom, row);
      left = Math.min(left, column); right = Math.max(right, column);
    };
    for (const grid of [this.grid, this.formulaGrid]) {
      grid.forEach((cells, row) => cells?.forEach((cell, column) => {
        if (cell !== undefined && cell !== '') take(row, column);
      }));
    }
    if (!valuesOnly) {
      for (const layer of [...this.numberFormats, ...this.bold]) {
        const clipped = within ? clip(layer.rect, within) : layer.rect;
        if (!clipped) continue;
        take(clipped.row, clipped.column);
        take(clipped.row + clipped.rows - 1, clipped.column + clipped.columns - 1);
      }
    }
    if (bottom < 0) return null;
    return { row: top, column: left, rows: bottom - top + 1, columns: right - left + 1 };
  }

  /** Excel's current region (Ctrl+*): grow while a filled cell touches the edge, diagonals included. */
  surroundingRegion(start: Rect): Rect {
    let { row: top, column: left } = start;
    let bottom = top;
    let right = left;
    const rowFilled = (row: number) => {
      if (row < 0) return false;
      for (let column = Math.max(left - 1, 0); column <= right + 1; column++) if (this.isFilled(row, column)) return true;
      return false;
    };
    const columnFilled = (column: number) => {
      if (column < 0) return false;
      for (let row = Math.max(top - 1, 0); row <= bottom + 1; row++) if (this.isFilled(row, column)) return true;
      return false;
    };
    for (let changed = true; changed;) {
      changed = false;
      while (rowFilled(bottom + 1)) { bottom++; changed = true; }
      while (rowFilled(top - 1)) { top--; changed = true; }
      while (columnFilled(right + 1)) { right++; changed = true; }
      while (columnFilled(left - 1)) { left--; changed = true; }
    }
    return { row: top, column: left, rows: bottom - top + 1, columns: right - left + 1 };
  }
}

/** Marks a stored formula kept as row-relative pattern, and one kept as entered (it held a marker character itself). */
const PATTERN = '\u0001';
const VERBATIM = '\u0002';
/** A row number after a letter (D2, $D13, not $D$13 or 650), as Excel's rows are written: no leading zero, at most 7 digits. */
const ROW_NUMBER = /(?<=[A-Za-z])[1-9]\d{0,6}(?!\d)/g;
const ROW_OFFSET = new RegExp(`${PATTERN}(-?\\d+)${VERBATIM}`, 'g');

/**
 * A formula as the same text for every row it was filled down to: each row number after a letter
 * becomes its offset from the cell's row, so `=D2*2` in row 2 and `=D3*2` in row 3 both become
 * one pattern. Exactly reversible by formulaAtRow, whatever the digits meant (a sheet or function
 * name with a digit comes back unchanged), so nothing Excel would see is lost.
 */
function sharedPattern(formula: string, row: number): string {
  if (formula.includes(PATTERN) || formula.includes(VERBATIM)) return VERBATIM + formula;
  return PATTERN + formula.replace(ROW_NUMBER, (digits) => `${PATTERN}${Number(digits) - row}${VERBATIM}`);
}

/** Whether a sheet, function, name, table or column a formula names has a digit, which a pattern may give per row. */
function namesWithDigits(parts: FormulaParts): boolean {
  const named = [...parts.sheets, ...parts.functions, ...parts.names, ...parts.structured.flatMap((reference) => [reference.table, ...reference.columns])];
  return named.some((name) => /\d/.test(name));
}

/** The formula text a stored pattern stands for in `row`. */
function formulaAtRow(stored: string, row: number): string {
  if (stored.startsWith(VERBATIM)) return stored.slice(1);
  if (!stored.startsWith(PATTERN)) return stored;
  return stored.slice(1).replace(ROW_OFFSET, (_, offset: string) => String(Number(offset) + row));
}

const ERROR_TYPES: Record<string, string> = {
  '#N/A': 'NotAvailable', '#VALUE!': 'Value', '#REF!': 'Ref', '#NAME?': 'Name', '#DIV/0!': 'Div0', '#NUM!': 'Num', '#NULL!': 'Null', '#SPILL!': 'Spill', '#CALC!': 'Calc',
};

function lastLayer<T>(layers: FormatLayer<T>[], row: number, column: number): T | undefined {
  for (let i = layers.length - 1; i >= 0; i--) if (contains(layers[i].rect, row, column)) return layers[i].value;
  return undefined;
}

function clip(rect: Rect, within: Rect): Rect | null {
  const row = Math.max(rect.row, within.row);
  const column = Math.max(rect.column, within.column);
  const bottom = Math.min(rect.row + rect.rows, within.row + within.rows);
  const right = Math.min(rect.column + rect.columns, within.column + within.columns);
  return bottom > row && right > column ? { row, column, rows: bottom - row, columns: right - column } : null;
}

export interface SyncRecord {
  /** UTF-8 bytes of the request's JSON. */
  requestBytes: number;
  /** UTF-8 bytes of the response's JSON. */
  responseBytes: number;
  operations: number;
  /** The methods called in this batch (suspendScreenUpdatingUntilNextSync, calculate, …), in order. */
  methods: string[];
}

interface Operation {
  /** What travels to Excel for this operation, measured as JSON. */
  request: unknown;
  /** Runs at sync; what it returns travels back in the response. */
  run: () => unknown;
}

/**
 * The in-memory Excel. Seed it with the helpers, pass `fake.run` where `Excel.run` goes, then read
 * back cells, formats, conditional formats and charts.
 */
export class FakeExcel {
  readonly sheets: SheetModel[] = [];
  readonly tables: TableModel[] = [];
  readonly names: NamedItemModel[] = [];
  readonly syncs: SyncRecord[] = [];
  /** The highest ExcelApi requirement set the fake claims. */
  apiVersion = 1.9;
  activeSheet?: SheetModel;
  selection?: Rect;
  /** More than one area: Ctrl+click selections. */
  selectionAreas?: Rect[];
  activeCell?: Rect;
  /** The workbook's date system: in a 1904 workbook DATE(1904,1,1) is 0, not 1462. */
  date1904 = false;
  /**
   * Full names (SEGMENT.ABCD) the custom-function metadata of Excel's display language defines;
   * null when no add-in is loaded (every non-built-in function is #NAME?).
   */
  customFunctionNames: ReadonlySet<string> | null = null;
  /** Set while API calculation is suspended and nothing has recalculated since. */
  calculationSuspended = false;
  /** An injected failure: the first operation whose request this matches throws instead of running. */
  private failure?: { matches: (request: unknown) => boolean; error: Error };

  readonly run = async <T>(batch: (context: Excel.RequestContext) => Promise<T>): Promise<T> => {
    const context = new FakeRequestContext(this);
    const result = await batch(context as unknown as Excel.RequestContext);
    if (context.pending) await context.sync();
    return result;
  };

  readonly isSetSupported = (version: string): boolean => Number(version) <= this.apiVersion;

  /** A context outside `run`, for tests of the fake itself. */
  context(): Excel.RequestContext {
    return new FakeRequestContext(this) as unknown as Excel.RequestContext;
  }

  get syncCount(): number {
    return this.syncs.length;
  }

  get maxRequestBytes(): number {
    return this.syncs.reduce((max, sync) => Math.max(max, sync.requestBytes), 0);
  }

  get maxResponseBytes(): number {
    return this.syncs.reduce((max, sync) => Math.max(max, sync.responseBytes), 0);
  }

  /** How many times a method was called over all syncs. */
  calls(method: string): number {
    return this.syncs.reduce((count, sync) => count + sync.methods.filter((name) => name === method).length, 0);
  }

  /** Makes the first operation whose request matches fail with `error` (earlier operations of its batch stay done, as in Excel). */
  failWhen(matches: (request: unknown) => boolean, error: Error = new FakeExcelError('GeneralException', 'An injected failure.')): void {
    this.failure = { matches, error };
  }

  /** Called by the context for each operation before it runs. */
  checkInjectedFailure(request: unknown): void {
    if (this.failure?.matches(request)) {
      const { error } = this.failure;
      this.failure = undefined;
      throw error;
    }
  }

  /** An error cell for seeding ('#N/A', '#DIV/0!', …). */
  static error(error: string): SpecialCell {
    return { error };
  }

  /** An entity (linked data type) cell for seeding: stocks, geography, Power BI. */
  static entity(text: string): SpecialCell {
    return { entity: text };
  }

  get totalRequestBytes(): number {
    return this.syncs.reduce((total, sync) => total + sync.requestBytes, 0);
  }

  resetStats(): void {
    this.syncs.length = 0;
  }

  // --- seeding -------------------------------------------------------------------------------

  addSheet(name: string, cells?: { at?: string; rows: (CellContent | null)[][] }): SheetModel {
    const sheet = this.createSheet(name);
    if (cells) this.setCells(name, cells.at ?? 'A1', cells.rows);
    this.activeSheet ??= sheet;
    return sheet;
  }

  setCells(sheetName: string, at: string, rows: (CellContent | null)[][]): void {
    const sheet = this.sheet(sheetName);
    const start = parseAddress(at);
    rows.forEach((cells, r) => cells.forEach((cell, c) => {
      if (cell !== null) sheet.assignValue(start.row + r, start.column + c, cell, (formula) => this.admitFormula(formula));
    }));
  }

  /**
   * An Excel table over `address` (header row included). With `hiddenHeaders` the header row is
   * turned off: `address` is the data rows only, and the column names are the ones given.
   */
  addTable(sheetName: string, name: string, address: string, hiddenHeaders?: string[]): TableModel {
    const table: TableModel = { name, sheet: this.sheet(sheetName), rect: parseAddress(address), showTotals: false, showHeaders: !hiddenHeaders, hiddenHeaders };
    this.tables.push(table);
    return table;
  }

  /** Selects a range (and makes its sheet active); the active cell is its top-left cell unless given. 'B2:C4,E2:E4' selects two areas. */
  select(sheetName: string, address: string, activeCell?: string): void {
    this.activeSheet = this.sheet(sheetName);
    const areas = address.split(',').map(parseAddress);
    this.selection = areas[0];
    this.selectionAreas = areas.length > 1 ? areas : undefined;
    const cell = activeCell ? parseAddress(activeCell) : this.selection;
    this.activeCell = { row: cell.row, column: cell.column, rows: 1, columns: 1 };
  }

  /** The column names of a table, whether its header row shows or not. */
  tableColumnNames(table: TableModel): string[] {
    if (!table.showHeaders) return [...(table.hiddenHeaders ?? [])];
    const { rect, sheet } = table;
    return Array.from({ length: rect.columns }, (_, c) => String(sheet.value(rect.row, rect.column + c)));
  }

  // --- formula integrity ---------------------------------------------------------------------

  /**
   * A formula as Excel stores it when it is entered: a reference to a sheet that does not exist
   * becomes #REF! for good (adding the sheet later does not repair it), and a structured
   * reference Excel cannot parse, or to a column the table does not have, is refused.
   */
  admitFormula(formula: string): string {
    const parts = formulaParts(formula);
    if (parts.error) throw new FakeExcelError('InvalidArgument', `The formula ${formula} is not valid: ${parts.error}.`);
    for (const reference of parts.structured) {
      const table = this.findTable(reference.table);
      if (!table) continue;
      const columns = this.tableColumnNames(table).map((name) => name.toLowerCase());
      const missing = reference.columns.find((column) => !columns.includes(column.toLowerCase()));
      if (missing !== undefined) throw new FakeExcelError('InvalidArgument', `The formula ${formula} names the column "${missing}", which table ${table.name} does not have.`);
    }
    let admitted = formula;
    for (const sheet of new Set(parts.sheets)) if (!this.findSheet(sheet)) admitted = breakSheetReferences(admitted, sheet);
    return admitted;
  }

  /** What a stored formula shows: #REF! where a reference broke, #NAME? for an unknown function or name, else '' (not calculated). */
  formulaError(formula: string): string {
    return this.errorFromParts(formula, formulaParts(formula));
  }

  private errorFromParts(formula: string, parts: FormulaParts): string {
    if (formula.includes('#REF!')) return '#REF!';
    const known = (name: string) => BUILT_IN_FUNCTIONS.has(name) || Boolean(this.customFunctionNames?.has(name));
    if (parts.functions.some((name) => !known(name))) return '#NAME?';
    if (parts.names.some((name) => !this.findName(name) && !this.findTable(name))) return '#NAME?';
    if (parts.names.some((name) => this.findName(name)?.formula.includes('#REF!'))) return '#REF!';
    if (parts.structured.some((reference) => !this.findTable(reference.table))) return '#NAME?';
    return '';
  }

  /** Every formula cell that shows an error, as 'Sheet!A1 #REF!', for tests that want none. */
  formulaErrors(): string[] {
    const found: string[] = [];
    // A stored pattern whose row numbers are only cell rows shows the same error in every row it fills.
    const byPattern = new Map<string, string>();
    for (const sheet of this.sheets) {
      sheet.formulaGrid.forEach((cells, row) => cells?.forEach((stored, column) => {
        if (stored === undefined) return;
        let error = byPattern.get(stored);
        if (error === undefined) {
          const formula = formulaAtRow(stored, row);
          const parts = formulaParts(formula);
          error = this.errorFromParts(formula, parts);
          if (!namesWithDigits(parts)) byPattern.set(stored, error);
        }
        if (error) found.push(`${sheet.name}!${columnName(column)}${row + 1} ${error} ${formulaAtRow(stored, row)}`);
      }));
    }
    for (const named of this.names) if (this.formulaError(named.formula)) found.push(`name ${named.name} ${named.formula}`);
    return found;
  }

  // --- reading back --------------------------------------------------------------------------

  sheet(name: string): SheetModel {
    const sheet = this.findSheet(name);
    if (!sheet) throw new Error(`The fake workbook has no sheet "${name}".`);
    return sheet;
  }

  sheetNames(): string[] {
    return this.sheets.map((sheet) => sheet.name);
  }

  /** Values of a range as Excel returns them ('' for blank, '' for a formula). */
  values(sheetName: string, address: string): Scalar[][] {
    return this.matrix(sheetName, address, (sheet, row, column) => sheet.value(row, column));
  }

  /** Formulas of a range as Excel returns them (the value where a cell has no formula). */
  formulas(sheetName: string, address: string): Scalar[][] {
    return this.matrix(sheetName, address, (sheet, row, column) => sheet.formula(row, column));
  }

  /** One column of a range, top to bottom. */
  column(sheetName: string, address: string): Scalar[] {
    return this.values(sheetName, address).map((row) => row[0]);
  }

  numberFormat(sheetName: string, cell: string): string {
    const { row, column } = parseAddress(cell);
    return this.sheet(sheetName).numberFormat(row, column);
  }

  isBold(sheetName: string, cell: string): boolean {
    const { row, column } = parseAddress(cell);
    return this.sheet(sheetName).isBold(row, column);
  }

  conditionalFormats(sheetName: string) {
    return this.sheet(sheetName).conditionalFormats.map(({ rect, ...rule }) => ({ address: localAddress(rect), ...rule }));
  }

  charts(sheetName: string) {
    return this.sheet(sheetName).charts.map(({ source, xAxis, topLeft, bottomRight, ...chart }) => ({
      ...chart,
      source: localAddress(source),
      xAxis: xAxis && localAddress(xAxis),
      position: topLeft && `${localAddress(topLeft)}:${localAddress(bottomRight ?? topLeft)}`,
    }));
  }

  /** Workbook-level names and what they refer to, as Excel lists them: name → formula. */
  definedNames(): Record<string, string> {
    return Object.fromEntries(this.names.map((named) => [named.name, named.formula]));
  }

  findName(name: string): NamedItemModel | undefined {
    return this.names.find((named) => named.name.toLowerCase() === name.toLowerCase());
  }

  table(name: string) {
    const table = this.findTable(name);
    if (!table) throw new Error(`The fake workbook has no table "${name}".`);
    const { rect, sheet } = table;
    return { address: localAddress(rect), sheet: sheet.name, columns: this.tableColumnNames(table) };
  }

  // --- internals used by the proxies ----------------------------------------------------------

  findSheet(name: string): SheetModel | undefined {
    return this.sheets.find((sheet) => sheet.name.toLowerCase() === name.toLowerCase());
  }

  findTable(name: string): TableModel | undefined {
    return this.tables.find((table) => table.name.toLowerCase() === name.toLowerCase());
  }

  createSheet(name: string): SheetModel {
    if (this.findSheet(name)) throw new FakeExcelError('ItemAlreadyExists', `A sheet named "${name}" already exists.`);
    if (!name || name.length > 31 || /[:\\/?*[\]]/.test(name) || name.startsWith("'") || name.endsWith("'")) {
      throw new FakeExcelError('InvalidArgument', `"${name}" is not a valid sheet name.`);
    }
    const sheet = new SheetModel(name);
    sheet.checkFormula = (formula) => this.formulaError(formula);
    this.sheets.push(sheet);
    return sheet;
  }

  deleteSheet(sheet: SheetModel): void {
    const visible = this.sheets.filter((candidate) => candidate.visibility === 'Visible');
    if (visible.length === 1 && visible[0] === sheet) throw new FakeExcelError('InvalidOperation', 'The last visible sheet cannot be deleted.');
    this.sheets.splice(this.sheets.indexOf(sheet), 1);
    for (let i = this.tables.length - 1; i >= 0; i--) if (this.tables[i].sheet === sheet) this.tables.splice(i, 1);
    // Every reference to the deleted sheet becomes #REF!, in cells and in names, and stays so.
    for (const other of this.sheets) {
      other.formulaGrid.forEach((cells, row) => cells?.forEach((stored, column) => {
        if (stored === undefined) return;
        const formula = formulaAtRow(stored, row);
        const broken = breakSheetReferences(formula, sheet.name);
        if (broken !== formula) other.setFormula(row, column, broken);
      }));
    }
    for (const named of this.names) named.formula = breakSheetReferences(named.formula, sheet.name);
    if (this.activeSheet === sheet) {
      this.activeSheet = this.sheets.find((candidate) => candidate.visibility === 'Visible');
      this.selection = undefined;
      this.activeCell = undefined;
    }
  }

  private matrix(sheetName: string, address: string, read: (sheet: SheetModel, row: number, column: number) => Scalar): Scalar[][] {
    const sheet = this.sheet(sheetName);
    const rect = parseAddress(address);
    return Array.from({ length: rect.rows }, (_, r) => Array.from({ length: rect.columns }, (_, c) => read(sheet, rect.row + r, rect.column + c)));
  }
}

// ---------------------------------------------------------------------------------------------
// Proxies: what the add-in code holds. Each one is created by a queued operation, so it refers to
// what existed at that point of the batch, as in Office.

class FakeRequestContext {
  private queue: Operation[] = [];
  readonly workbook: WorkbookProxy;

  constructor(readonly excel: FakeExcel) {
    this.workbook = new WorkbookProxy(this);
  }

  get pending(): boolean {
    return this.queue.length > 0;
  }

  enqueue(request: unknown, run: () => unknown): void {
    this.queue.push({ request, run });
  }

  async sync(): Promise<void> {
    const batch = this.queue;
    this.queue = [];
    const requestBytes = utf8Length(JSON.stringify(batch.map((operation) => operation.request)));
    const methods = batch.map((operation) => (operation.request as { method?: string } | null)?.method).filter((name): name is string => Boolean(name));
    if (requestBytes > PAYLOAD_LIMIT_BYTES) {
      this.excel.syncs.push({ requestBytes, responseBytes: 0, operations: batch.length, methods: [] });
      throw new FakeExcelError('RequestPayloadSizeLimitExceeded', `The request payload (${requestBytes} bytes) is over the 5 MB limit.`);
    }
    const responses: unknown[] = [];
    try {
      for (const operation of batch) {
        this.excel.checkInjectedFailure(operation.request);
        const response = operation.run();
        if (response !== undefined) responses.push(response);
      }
    } finally {
      const responseBytes = utf8Length(JSON.stringify(responses));
      this.excel.syncs.push({ requestBytes, responseBytes, operations: batch.length, methods });
      if (responseBytes > PAYLOAD_LIMIT_BYTES) {
        // eslint-disable-next-line no-unsafe-finally -- Excel reports the oversized response instead of any result.
        throw new FakeExcelError('ResponsePayloadSizeLimitExceeded', `The response payload (${responseBytes} bytes) is over the 5 MB limit.`);
      }
    }
  }
}

type Loader<T> = (target: T) => unknown;

/** The base of every proxy: created at sync, loads properties at sync, throws on early reads. */
abstract class Proxy<T> {
  private target: T | null | undefined;
  private created = false;
  private readonly loaded = new Map<string, unknown>();

  /** `create` runs at sync; `{ existing }` is an object a sync already produced (a collection's items). */
  protected constructor(protected readonly context: FakeRequestContext, request: unknown, create: (() => T | null) | { existing: T }) {
    if (typeof create !== 'function') {
      this.target = create.existing;
      this.created = true;
      return;
    }
    context.enqueue(request, () => {
      this.target = create();
      this.created = true;
    });
  }

  protected abstract readonly loaders: Record<string, Loader<T>>;

  get isNullObject(): boolean {
    if (!this.created) throw notLoaded('isNullObject');
    return this.target === null;
  }

  /** The model behind the proxy; only valid while the batch runs. */
  resolve(): T {
    if (!this.created) throw new Error('The fake resolved an object before the operation that creates it ran.');
    if (this.target === null || this.target === undefined) {
      throw new FakeExcelError('ItemNotFound', 'The requested resource does not exist (a method was called on a null object).');
    }
    return this.target;
  }

  load(properties?: string | string[]): this {
    const names = this.propertyNames(properties);
    this.context.enqueue({ load: names }, () => (this.target === null ? undefined : this.loadNow(names)));
    return this;
  }

  /** Loads properties during a sync that is already running: for the items a collection load returns. */
  loadNow(names: string[]): Record<string, unknown> {
    const target = this.resolve();
    const response: Record<string, unknown> = {};
    for (const name of names) {
      const loader = this.loaders[name];
      if (!loader) throw new Error(`The fake cannot load "${name}".`);
      response[name] = loader(target);
      this.loaded.set(name, response[name]);
    }
    return response;
  }

  protected propertyNames(properties?: string | string[]): string[] {
    if (properties === undefined) return Object.keys(this.loaders);
    const list = Array.isArray(properties) ? properties : properties.split(',');
    return list.map((name) => name.trim()).filter(Boolean);
  }

  protected read<V>(name: string): V {
    if (!this.loaded.has(name)) throw notLoaded(name);
    return this.loaded.get(name) as V;
  }

  protected enqueue(request: unknown, apply: (target: T) => unknown): void {
    this.context.enqueue(request, () => {
      apply(this.resolve());
      return undefined;
    });
  }
}

class WorkbookProxy {
  readonly worksheets: WorksheetCollectionProxy;
  readonly application: ApplicationProxy;
  readonly names: NamedItemCollectionProxy;

  constructor(private readonly context: FakeRequestContext) {
    this.worksheets = new WorksheetCollectionProxy(context);
    this.names = new NamedItemCollectionProxy(context);
    this.application = new ApplicationProxy(context);
  }

  /** "If there are multiple ranges selected, this method will throw an error." (Excel JavaScript API, Workbook.getSelectedRange) */
  getSelectedRange(): RangeProxy {
    const { excel } = this.context;
    return new RangeProxy(this.context, { method: 'getSelectedRange' }, () => {
      if (!excel.activeSheet) throw new FakeExcelError('ItemNotFound', 'No sheet is active.');
      if (excel.selectionAreas) throw new FakeExcelError('InvalidSelection', 'The current selection is invalid for this operation.');
      return { sheet: excel.activeSheet, rect: excel.selection ?? parseAddress('A1') };
    });
  }

  /** ExcelApi 1.9: the selection's areas; the fake loads only areaCount and address. */
  getSelectedRanges() {
    const { excel, context } = { excel: this.context.excel, context: this.context };
    if (excel.apiVersion < 1.9) throw new FakeExcelError('ApiNotFound', 'getSelectedRanges needs ExcelApi 1.9.');
    const loaded = new Map<string, unknown>();
    const proxy = {
      load(properties: string) {
        const names = properties.split(',').map((name) => name.trim());
        context.enqueue({ method: 'getSelectedRanges', load: names }, () => {
          if (!excel.activeSheet) throw new FakeExcelError('ItemNotFound', 'No sheet is active.');
          const areas = excel.selectionAreas ?? [excel.selection ?? parseAddress('A1')];
          const sheet = excel.activeSheet;
          const response: Record<string, unknown> = {};
          for (const name of names) {
            if (name === 'areaCount') response.areaCount = areas.length;
            else if (name === 'address') response.address = areas.map((area) => fullAddress(sheet, area)).join(',');
            else throw new Error(`The fake cannot load RangeAreas "${name}".`);
            loaded.set(name, response[name]);
          }
          return response;
        });
        return proxy;
      },
      get areaCount(): number {
        if (!loaded.has('areaCount')) throw notLoaded('areaCount');
        return loaded.get('areaCount') as number;
      },
      get address(): string {
        if (!loaded.has('address')) throw notLoaded('address');
        return loaded.get('address') as string;
      },
    };
    return proxy;
  }

  /** Excel's worksheet functions (ExcelApi 1.2); the fake has DATE, which tells the date system. */
  get functions() {
    const context = this.context;
    return {
      date(year: number, month: number, day: number) {
        const result = { loaded: false, result: 0 };
        context.enqueue({ method: 'functions/date', year, month, day }, () => {
          const serial1900 = Math.round((Date.UTC(year, month - 1, day) - Date.UTC(1899, 11, 30)) / 86_400_000);
          result.result = context.excel.date1904 ? serial1900 - 1462 : serial1900;
          return undefined;
        });
        const proxy = {
          load(properties: string) {
            context.enqueue({ load: properties }, () => { result.loaded = true; return { value: result.result }; });
            return proxy;
          },
          get value(): number {
            if (!result.loaded) throw notLoaded('value');
            return result.result;
          },
        };
        return proxy;
      },
    };
  }

  getActiveCell(): RangeProxy {
    const { excel } = this.context;
    return new RangeProxy(this.context, { method: 'getActiveCell' }, () => {
      if (!excel.activeSheet) throw new FakeExcelError('ItemNotFound', 'No sheet is active.');
      return { sheet: excel.activeSheet, rect: excel.activeCell ?? parseAddress('A1') };
    });
  }
}

/** Names need ExcelApi 1.4; a name is a valid Excel name, unique without regard to case. */
class NamedItemCollectionProxy {
  constructor(private readonly context: FakeRequestContext) {}

  add(name: string, reference: string): NamedItemProxy {
    const { excel } = this.context;
    if (excel.apiVersion < 1.4) throw new FakeExcelError('ApiNotFound', 'names.add needs ExcelApi 1.4.');
    if (typeof reference !== 'string' || !reference.startsWith('=')) throw new Error('The fake takes a name\'s reference as a formula text starting with "=".');
    return new NamedItemProxy(this.context, { method: 'names.add', name, reference }, () => {
      if (!/^[A-Za-z_\\][A-Za-z0-9_.]*$/.test(name) || /^[A-Za-z]{1,3}[0-9]+$/.test(name)) throw new FakeExcelError('InvalidArgument', `"${name}" is not a valid name.`);
      if (excel.findName(name)) throw new FakeExcelError('ItemAlreadyExists', `A name "${name}" already exists.`);
      const named = { name, formula: reference };
      excel.names.push(named);
      return named;
    });
  }

  getItemOrNullObject(name: string): NamedItemProxy {
    if (this.context.excel.apiVersion < 1.4) throw new FakeExcelError('ApiNotFound', 'names.getItemOrNullObject needs ExcelApi 1.4.');
    return new NamedItemProxy(this.context, { method: 'names.getItemOrNullObject', name }, () => this.context.excel.findName(name) ?? null);
  }
}

class NamedItemProxy extends Proxy<NamedItemModel> {
  protected readonly loaders: Record<string, Loader<NamedItemModel>> = {
    name: (named) => named.name,
    formula: (named) => named.formula,
  };

  constructor(context: FakeRequestContext, request: unknown, create: () => NamedItemModel | null) {
    super(context, request, create);
  }

  delete(): void {
    this.enqueue({ method: 'delete' }, (named) => {
      const { names } = this.context.excel;
      names.splice(names.indexOf(named), 1);
    });
  }
}

class ApplicationProxy {
  constructor(private readonly context: FakeRequestContext) {}

  /** "Once set, it is the developer's responsibility to re-calc the workbook" (Excel JavaScript API, Application). */
  suspendApiCalculationUntilNextSync(): void {
    this.context.enqueue({ method: 'suspendApiCalculationUntilNextSync' }, () => { this.context.excel.calculationSuspended = true; });
  }

  calculate(calculationType: string): void {
    this.context.enqueue({ method: 'calculate', calculationType }, () => { this.context.excel.calculationSuspended = false; });
  }

  suspendScreenUpdatingUntilNextSync(): void {
    if (this.context.excel.apiVersion < 1.9) throw new FakeExcelError('ApiNotFound', 'suspendScreenUpdatingUntilNextSync needs ExcelApi 1.9.');
    this.context.enqueue({ method: 'suspendScreenUpdatingUntilNextSync' }, () => undefined);
  }
}

class WorksheetCollectionProxy extends Proxy<FakeExcel> {
  protected readonly loaders: Record<string, Loader<FakeExcel>> = {};
  private loadedItems?: WorksheetProxy[];

  constructor(context: FakeRequestContext) {
    super(context, null, { existing: context.excel });
  }

  get items(): WorksheetProxy[] {
    if (!this.loadedItems) throw notLoaded('items');
    return this.loadedItems;
  }

  override load(properties?: string | string[]): this {
    const names = this.propertyNames(properties).map((name) => name.replace(/^items\//, ''));
    this.context.enqueue({ load: names }, () => {
      const items = this.context.excel.sheets.map((sheet) => WorksheetProxy.existing(this.context, sheet));
      this.loadedItems = items;
      return items.map((item) => item.loadNow(names));
    });
    return this;
  }

  getItem(name: string): WorksheetProxy {
    return new WorksheetProxy(this.context, { method: 'getItem', name }, () => {
      const sheet = this.context.excel.findSheet(name);
      if (!sheet) throw new FakeExcelError('ItemNotFound', `The sheet "${name}" does not exist.`);
      return sheet;
    });
  }

  getItemOrNullObject(name: string): WorksheetProxy {
    return new WorksheetProxy(this.context, { method: 'getItemOrNullObject', name }, () => this.context.excel.findSheet(name) ?? null);
  }

  getActiveWorksheet(): WorksheetProxy {
    return new WorksheetProxy(this.context, { method: 'getActiveWorksheet' }, () => {
      const sheet = this.context.excel.activeSheet;
      if (!sheet) throw new FakeExcelError('ItemNotFound', 'No sheet is active.');
      return sheet;
    });
  }

  add(name: string): WorksheetProxy {
    return new WorksheetProxy(this.context, { method: 'add', name }, () => this.context.excel.createSheet(name));
  }
}

class WorksheetProxy extends Proxy<SheetModel> {
  protected readonly loaders: Record<string, Loader<SheetModel>> = {
    name: (sheet) => sheet.name,
    visibility: (sheet) => sheet.visibility,
  };

  static existing(context: FakeRequestContext, sheet: SheetModel): WorksheetProxy {
    return new WorksheetProxy(context, null, { existing: sheet });
  }

  constructor(context: FakeRequestContext, request: unknown, create: (() => SheetModel | null) | { existing: SheetModel }) {
    super(context, request, create);
  }

  get name(): string {
    return this.read('name');
  }

  set name(value: string) {
    this.enqueue({ set: 'name', value }, (sheet) => { sheet.name = value; });
  }

  get visibility(): string {
    return this.read('visibility');
  }

  set visibility(value: 'Visible' | 'Hidden' | 'VeryHidden') {
    this.enqueue({ set: 'visibility', value }, (sheet) => { sheet.visibility = value; });
  }

  get tables(): TableCollectionProxy {
    return new TableCollectionProxy(this.context, this);
  }

  get charts(): ChartCollectionProxy {
    return new ChartCollectionProxy(this.context, this);
  }

  get freezePanes() {
    return {
      freezeRows: (count = 1) => this.enqueue({ method: 'freezeRows', count }, (sheet) => { sheet.frozenRows = count; }),
      unfreeze: () => this.enqueue({ method: 'unfreeze' }, (sheet) => { sheet.frozenRows = 0; }),
    };
  }

  delete(): void {
    this.enqueue({ method: 'delete' }, (sheet) => this.context.excel.deleteSheet(sheet));
  }

  getRange(address = ''): RangeProxy {
    return new RangeProxy(this.context, { method: 'getRange', address }, () => {
      const sheet = this.resolve();
      return { sheet, rect: address ? parseAddress(address) : { row: 0, column: 0, rows: 1_048_576, columns: 16_384 } };
    });
  }

  getRangeByIndexes(row: number, column: number, rows: number, columns: number): RangeProxy {
    return new RangeProxy(this.context, { method: 'getRangeByIndexes', row, column, rows, columns }, () => {
      if (row < 0 || column < 0 || rows < 1 || columns < 1 || row + rows > 1_048_576 || column + columns > 16_384) {
        throw new FakeExcelError('InvalidArgument', `getRangeByIndexes(${row}, ${column}, ${rows}, ${columns}) is outside the sheet.`);
      }
      return { sheet: this.resolve(), rect: { row, column, rows, columns } };
    });
  }

  getCell(row: number, column: number): RangeProxy {
    return this.getRangeByIndexes(row, column, 1, 1);
  }

  getUsedRange(valuesOnly = false): RangeProxy {
    return new RangeProxy(this.context, { method: 'getUsedRange', valuesOnly }, () => {
      const sheet = this.resolve();
      return { sheet, rect: sheet.usedRect(valuesOnly) ?? parseAddress('A1') };
    });
  }

  getUsedRangeOrNullObject(valuesOnly = false): RangeProxy {
    return new RangeProxy(this.context, { method: 'getUsedRangeOrNullObject', valuesOnly }, () => {
      const sheet = this.resolve();
      const rect = sheet.usedRect(valuesOnly);
      return rect ? { sheet, rect } : null;
    });
  }
}

interface RangeTarget {
  sheet: SheetModel;
  rect: Rect;
}

function checkReadSize(rect: Rect): void {
  if (rect.rows * rect.columns > CELL_READ_LIMIT) {
    throw new FakeExcelError('ResponsePayloadSizeLimitExceeded', `A read of ${rect.rows * rect.columns} cells is over Excel's 5,000,000-cell limit.`);
  }
}

function readCells(target: RangeTarget, read: (sheet: SheetModel, row: number, column: number) => Scalar): Scalar[][] {
  checkReadSize(target.rect);
  const { sheet, rect } = target;
  return Array.from({ length: rect.rows }, (_, r) => Array.from({ length: rect.columns }, (_, c) => read(sheet, rect.row + r, rect.column + c)));
}

/** Office's "single input copy": a 1×1 input fills the whole range; any other mismatch is an error. */
function writeCells(target: RangeTarget, input: unknown, write: (row: number, column: number, value: unknown) => void): void {
  const { rect } = target;
  const matrix = Array.isArray(input) ? input as unknown[][] : [[input]];
  const single = matrix.length === 1 && Array.isArray(matrix[0]) && matrix[0].length === 1;
  if (!single && (matrix.length !== rect.rows || matrix.some((row) => !Array.isArray(row) || row.length !== rect.columns))) {
    throw new FakeExcelError('InvalidArgument', `The number of rows or columns in the input array doesn't match the size or dimensions of the range (${rect.rows}×${rect.columns}).`);
  }
  for (let r = 0; r < rect.rows; r++) {
    for (let c = 0; c < rect.columns; c++) write(rect.row + r, rect.column + c, single ? matrix[0][0] : matrix[r][c]);
  }
}

class RangeProxy extends Proxy<RangeTarget> {
  protected readonly loaders: Record<string, Loader<RangeTarget>> = {
    address: ({ sheet, rect }) => fullAddress(sheet, rect),
    rowIndex: ({ rect }) => rect.row,
    columnIndex: ({ rect }) => rect.column,
    rowCount: ({ rect }) => rect.rows,
    columnCount: ({ rect }) => rect.columns,
    cellCount: ({ rect }) => rect.rows * rect.columns,
    values: (target) => readCells(target, (sheet, row, column) => sheet.value(row, column)),
    formulas: (target) => readCells(target, (sheet, row, column) => sheet.formula(row, column)),
    valueTypes: (target) => readCells(target, (sheet, row, column) => sheet.valueType(row, column)),
    valuesAsJson: (target) => {
      if (this.context.excel.apiVersion < 1.16) throw new FakeExcelError('ApiNotFound', 'valuesAsJson needs ExcelApi 1.16.');
      return readCells(target, (sheet, row, column) => sheet.valueAsJson(row, column) as Scalar);
    },
    numberFormat: (target) => readCells(target, (sheet, row, column) => sheet.numberFormat(row, column)),
  };

  constructor(context: FakeRequestContext, request: unknown, create: () => RangeTarget | null) {
    super(context, request, create);
  }

  get address(): string { return this.read('address'); }
  get rowIndex(): number { return this.read('rowIndex'); }
  get columnIndex(): number { return this.read('columnIndex'); }
  get rowCount(): number { return this.read('rowCount'); }
  get columnCount(): number { return this.read('columnCount'); }
  get cellCount(): number { return this.read('cellCount'); }

  get values(): Scalar[][] { return this.read('values'); }
  set values(input: unknown) {
    this.enqueue({ set: 'values', value: input }, (target) => writeCells(target, input, (row, column, value) => target.sheet.assignValue(row, column, value, this.admit)));
  }

  get formulas(): Scalar[][] { return this.read('formulas'); }
  set formulas(input: unknown) {
    this.enqueue({ set: 'formulas', value: input }, (target) => writeCells(target, input, (row, column, value) => target.sheet.assignValue(row, column, value, this.admit)));
  }

  get valueTypes(): string[][] { return this.read('valueTypes'); }
  get valuesAsJson(): unknown[][] { return this.read('valuesAsJson'); }

  private readonly admit = (formula: string) => this.context.excel.admitFormula(formula);

  get numberFormat(): Scalar[][] { return this.read('numberFormat'); }
  set numberFormat(input: unknown) {
    this.enqueue({ set: 'numberFormat', value: input }, (target) => {
      const matrix = Array.isArray(input) ? input as unknown[][] : [[input]];
      if (matrix.length === 1 && matrix[0].length === 1) {
        target.sheet.numberFormats.push({ rect: target.rect, value: String(matrix[0][0]) });
        return;
      }
      writeCells(target, input, (row, column, value) => {
        if (value !== null) target.sheet.numberFormats.push({ rect: { row, column, rows: 1, columns: 1 }, value: String(value) });
      });
    });
  }

  get format() {
    const enqueue = (request: unknown, apply: (target: RangeTarget) => void) => this.enqueue(request, apply);
    return {
      font: {
        set bold(value: boolean) {
          enqueue({ set: 'format/font/bold', value }, ({ sheet, rect }) => { sheet.bold.push({ rect, value }); });
        },
      },
      set columnWidth(points: number) {
        enqueue({ set: 'format/columnWidth', value: points }, ({ sheet, rect }) => {
          for (let c = rect.column; c < rect.column + rect.columns; c++) sheet.columnWidths.set(c, points);
        });
      },
    };
  }

  get conditionalFormats(): ConditionalFormatCollectionProxy {
    return new ConditionalFormatCollectionProxy(this.context, this);
  }

  clear(applyTo: 'All' | 'Formats' | 'Contents' = 'All'): void {
    this.enqueue({ method: 'clear', applyTo }, ({ sheet, rect }) => {
      if (applyTo !== 'Formats') {
        // Only rows that hold something: a whole sheet is 17 billion cells.
        for (const grid of [sheet.grid, sheet.formulaGrid]) {
          grid.forEach((cells, r) => {
            if (!cells || r < rect.row || r >= rect.row + rect.rows) return;
            for (let c = rect.column; c < Math.min(rect.column + rect.columns, cells.length); c++) cells[c] = undefined;
          });
        }
      }
      if (applyTo !== 'Contents') {
        sheet.numberFormats.push({ rect, value: 'General' });
        sheet.bold.push({ rect, value: false });
        sheet.conditionalFormats = sheet.conditionalFormats.filter((format) => !intersects(format.rect, rect));
      }
    });
  }

  getCell(row: number, column: number): RangeProxy {
    return new RangeProxy(this.context, { method: 'getCell', row, column }, () => {
      const { sheet, rect } = this.resolve();
      return { sheet, rect: { row: rect.row + row, column: rect.column + column, rows: 1, columns: 1 } };
    });
  }

  getSurroundingRegion(): RangeProxy {
    return new RangeProxy(this.context, { method: 'getSurroundingRegion' }, () => {
      const { sheet, rect } = this.resolve();
      return { sheet, rect: sheet.surroundingRegion(rect) };
    });
  }

  getUsedRangeOrNullObject(valuesOnly = false): RangeProxy {
    return new RangeProxy(this.context, { method: 'getUsedRangeOrNullObject', valuesOnly }, () => {
      const { sheet, rect } = this.resolve();
      const used = sheet.usedRect(valuesOnly, rect);
      return used ? { sheet, rect: used } : null;
    });
  }

}

class ConditionalFormatCollectionProxy {
  constructor(private readonly context: FakeRequestContext, private readonly range: RangeProxy) {}

  add(type: string) {
    const model: ConditionalFormatModel = { rect: { row: 0, column: 0, rows: 0, columns: 0 }, type };
    const context = this.context;
    context.enqueue({ method: 'conditionalFormats/add', type }, () => {
      const { sheet, rect } = this.range.resolve();
      model.rect = rect;
      // A new rule goes first, at the top priority, as in Excel.
      sheet.conditionalFormats.unshift(model);
      return undefined;
    });
    const set = (name: string, value: unknown, apply: () => void) => context.enqueue({ set: `conditionalFormat/${name}`, value }, () => { apply(); return undefined; });
    if (type !== 'CellValue') throw new Error(`The fake implements only CellValue conditional formats, not ${type}.`);
    return {
      cellValue: {
        format: {
          fill: { set color(value: string) { set('fill/color', value, () => { model.fill = value; }); } },
          font: { set color(value: string) { set('font/color', value, () => { model.font = value; }); } },
        },
        set rule(rule: { formula1: string; operator: string }) {
          set('rule', rule, () => { model.formula1 = rule.formula1; model.operator = rule.operator; });
        },
      },
    };
  }

  clearAll(): void {
    this.context.enqueue({ method: 'conditionalFormats/clearAll' }, () => {
      const { sheet, rect } = this.range.resolve();
      sheet.conditionalFormats = sheet.conditionalFormats.filter((format) => !intersects(format.rect, rect));
      return undefined;
    });
  }
}

class ChartCollectionProxy {
  private loadedItems?: { delete(): void }[];

  constructor(private readonly context: FakeRequestContext, private readonly sheet: WorksheetProxy) {}

  get items(): { delete(): void }[] {
    if (!this.loadedItems) throw notLoaded('items');
    return this.loadedItems;
  }

  load(properties?: string): this {
    this.context.enqueue({ method: 'charts/load', properties }, () => {
      const sheet = this.sheet.resolve();
      this.loadedItems = sheet.charts.map((model) => ({
        delete: () => this.context.enqueue({ method: 'chart/delete' }, () => {
          const index = sheet.charts.indexOf(model);
          if (index < 0) throw new FakeExcelError('ItemNotFound', 'The chart does not exist.');
          sheet.charts.splice(index, 1);
          return undefined;
        }),
      }));
      return sheet.charts.map(() => ({}));
    });
    return this;
  }

  add(type: string, source: RangeProxy, seriesBy?: string) {
    const model: ChartModel = { type, source: { row: 0, column: 0, rows: 0, columns: 0 }, seriesBy };
    const context = this.context;
    const run = (request: unknown, apply: () => void) => context.enqueue(request, () => { apply(); return undefined; });
    run({ method: 'charts/add', type, seriesBy }, () => {
      const sheet = this.sheet.resolve();
      const target = source.resolve();
      if (target.sheet !== sheet) throw new FakeExcelError('InvalidArgument', 'A chart\'s source must be on its sheet in the fake.');
      model.source = target.rect;
      sheet.charts.push(model);
    });
    return {
      title: { set text(value: string) { run({ set: 'chart/title/text', value }, () => { model.title = value; }); } },
      series: {
        getItemAt: (index: number) => {
          if (index !== 0) throw new Error('The fake charts have one series.');
          return {
            set name(value: string) { run({ set: 'series/name', value }, () => { model.seriesName = value; }); },
            setXAxisValues(range: RangeProxy) { run({ method: 'series/setXAxisValues' }, () => { model.xAxis = range.resolve().rect; }); },
          };
        },
      },
      setPosition(startCell: RangeProxy, endCell?: RangeProxy) {
        run({ method: 'chart/setPosition' }, () => {
          model.topLeft = startCell.resolve().rect;
          model.bottomRight = endCell?.resolve().rect;
        });
      },
    };
  }
}

class TableCollectionProxy extends Proxy<SheetModel> {
  protected readonly loaders: Record<string, Loader<SheetModel>> = {};
  private loadedItems?: TableProxy[];

  constructor(context: FakeRequestContext, private readonly sheet: WorksheetProxy) {
    super(context, { object: 'tables' }, () => sheet.resolve());
  }

  get items(): TableProxy[] {
    if (!this.loadedItems) throw notLoaded('items');
    return this.loadedItems;
  }

  override load(properties?: string | string[]): this {
    const names = this.propertyNames(properties).map((name) => name.replace(/^items\//, ''));
    this.context.enqueue({ load: names }, () => {
      const sheet = this.sheet.resolve();
      const items = this.context.excel.tables.filter((table) => table.sheet === sheet).map((table) => new TableProxy(this.context, table));
      this.loadedItems = items;
      return items.map((item) => item.loadNow(names));
    });
    return this;
  }

  getItem(name: string): TableProxy {
    return new TableProxy(this.context, name);
  }
}

class TableProxy {
  private readonly loaded = new Map<string, unknown>();

  constructor(private readonly context: FakeRequestContext, private readonly ref: TableModel | string) {}

  resolve(): TableModel {
    if (typeof this.ref !== 'string') return this.ref;
    const table = this.context.excel.findTable(this.ref);
    if (!table) throw new FakeExcelError('ItemNotFound', `The table "${this.ref}" does not exist.`);
    return table;
  }

  loadNow(names: string[]): Record<string, unknown> {
    const table = this.resolve();
    const response: Record<string, unknown> = {};
    for (const name of names) {
      if (name === 'name') response.name = table.name;
      else if (name === 'showTotals') response.showTotals = table.showTotals;
      else if (name === 'showHeaders') response.showHeaders = table.showHeaders;
      else throw new Error(`The fake cannot load table "${name}".`);
      this.loaded.set(name, response[name]);
    }
    return response;
  }

  get name(): string {
    if (!this.loaded.has('name')) throw notLoaded('name');
    return this.loaded.get('name') as string;
  }

  get showTotals(): boolean {
    if (!this.loaded.has('showTotals')) throw notLoaded('showTotals');
    return this.loaded.get('showTotals') as boolean;
  }

  get showHeaders(): boolean {
    if (!this.loaded.has('showHeaders')) throw notLoaded('showHeaders');
    return this.loaded.get('showHeaders') as boolean;
  }

  getRange(): RangeProxy {
    return new RangeProxy(this.context, { method: 'table/getRange' }, () => {
      const table = this.resolve();
      return { sheet: table.sheet, rect: { ...table.rect } };
    });
  }

  get columns() {
    const context = this.context;
    const table = () => this.resolve();
    const run = (request: unknown, apply: () => void) => context.enqueue(request, () => { apply(); return undefined; });
    let loadedNames: string[] | undefined;
    return {
      /** columns.load('items/name'): the column names, also when the header row is hidden. */
      load: (properties: string) => {
        const collection = {
          get items() {
            if (!loadedNames) throw notLoaded('items');
            return loadedNames.map((name) => ({ name }));
          },
        };
        context.enqueue({ method: 'columns/load', properties }, () => {
          loadedNames = context.excel.tableColumnNames(table());
          return loadedNames;
        });
        return collection;
      },
      add: (index?: number | null, values?: unknown, name?: string) => {
        run({ method: 'columns/add', index, values, name }, () => {
          const { sheet, rect } = table();
          if (index !== undefined && index !== null && index !== -1 && index !== rect.columns) {
            throw new Error('The fake appends table columns only (index null, -1 or the column count).');
          }
          const column = rect.column + rect.columns;
          for (let row = rect.row; row < rect.row + rect.rows; row++) {
            if (sheet.isFilled(row, column)) throw new Error(`The fake will not grow table ${table().name} over the filled cell ${columnName(column)}${row + 1}.`);
          }
          rect.columns++;
          const header = name ?? `Column${rect.columns}`;
          // A table column's name is its header text, never converted; with the header row hidden it lives only in the table.
          if (table().showHeaders) (sheet.grid[rect.row] ??= [])[column] = header;
          else table().hiddenHeaders?.push(header);
          if (values !== undefined && values !== null) {
            const first = table().showHeaders ? 1 : 0;
            writeCells({ sheet, rect: { row: rect.row + first, column, rows: rect.rows - first, columns: 1 } }, values, (row, col, value) => sheet.assignValue(row, col, value));
          }
        });
      },
      getItemAt: (index: number) => ({
        delete: () => run({ method: 'columns/delete', index }, () => {
          const { sheet, rect } = table();
          if (index < 0 || index >= rect.columns) throw new FakeExcelError('ItemNotFound', `The table has no column ${index}.`);
          // Excel deletes the table's cells in that column and shifts the rest of the table rows left.
          const column = rect.column + index;
          for (let row = rect.row; row < rect.row + rect.rows; row++) {
            const cells = sheet.grid[row];
            const formulas = sheet.formulaGrid[row];
            cells?.splice(column, 1);
            formulas?.splice(column, 1);
          }
          rect.columns--;
          table().hiddenHeaders?.splice(index, 1);
        }),
      }),
    };
  }
}
