/**
 * An in-memory Excel that implements the part of the Excel JavaScript API that
 * src/workbook/office.ts uses, with Office's rules:
 * - every call and property assignment is queued and only lands in the workbook at `context.sync()`;
 * - a property read before `load()` and `sync()` throws PropertyNotLoaded, as Office does;
 * - `isNullObject` is known only after the sync that created the object;
 * - each sync's request and response are measured as JSON, and a batch over 5 MB is rejected
 *   like Excel on the web rejects it (RequestPayloadSizeLimitExceeded / ResponsePayloadSizeLimitExceeded);
 * - a read of more than 5,000,000 cells fails, as on every platform.
 * Formulas are stored, not calculated: a formula cell reads as '' in `values`.
 */

export type Scalar = string | number | boolean;

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
  /** Header row and data rows. */
  rect: Rect;
  showTotals: boolean;
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
  readonly grid: (Scalar | undefined)[][] = [];
  readonly formulaGrid: (string | undefined)[][] = [];
  readonly numberFormats: FormatLayer<string>[] = [];
  readonly bold: FormatLayer<boolean>[] = [];
  readonly columnWidths = new Map<number, number>();
  conditionalFormats: ConditionalFormatModel[] = [];
  readonly charts: ChartModel[] = [];

  constructor(public name: string) {}

  value(row: number, column: number): Scalar {
    return this.formulaGrid[row]?.[column] !== undefined ? '' : this.grid[row]?.[column] ?? '';
  }

  formula(row: number, column: number): Scalar {
    return this.formulaGrid[row]?.[column] ?? this.grid[row]?.[column] ?? '';
  }

  isFilled(row: number, column: number): boolean {
    return this.formulaGrid[row]?.[column] !== undefined || (this.grid[row]?.[column] ?? '') !== '';
  }

  clearCell(row: number, column: number): void {
    if (this.grid[row]) this.grid[row][column] = undefined;
    if (this.formulaGrid[row]) this.formulaGrid[row][column] = undefined;
  }

  /** Excel's rules for an assigned value: '' clears, null leaves the cell, '=…' is a formula, a leading ' forces text. */
  assignValue(row: number, column: number, input: unknown): void {
    if (input === null || input === undefined) return;
    if (typeof input === 'string' && input.startsWith('=') && input.length > 1) {
      this.setFormula(row, column, input);
      return;
    }
    this.clearCell(row, column);
    if (input === '') return;
    if (typeof input === 'string' && input.startsWith("'")) input = input.slice(1);
    if (typeof input !== 'string' && typeof input !== 'number' && typeof input !== 'boolean') {
      throw new FakeExcelError('InvalidArgument', `A cell cannot hold ${JSON.stringify(input)}.`);
    }
    (this.grid[row] ??= [])[column] = input;
  }

  setFormula(row: number, column: number, formula: string): void {
    this.clearCell(row, column);
    (this.formulaGrid[row] ??= [])[column] = formula;
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
  requestBytes: number;
  responseBytes: number;
  operations: number;
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
  activeCell?: Rect;

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
    return Math.max(0, ...this.syncs.map((sync) => sync.requestBytes));
  }

  get maxResponseBytes(): number {
    return Math.max(0, ...this.syncs.map((sync) => sync.responseBytes));
  }

  get totalRequestBytes(): number {
    return this.syncs.reduce((total, sync) => total + sync.requestBytes, 0);
  }

  resetStats(): void {
    this.syncs.length = 0;
  }

  // --- seeding -------------------------------------------------------------------------------

  addSheet(name: string, cells?: { at?: string; rows: (Scalar | null)[][] }): SheetModel {
    const sheet = this.createSheet(name);
    if (cells) this.setCells(name, cells.at ?? 'A1', cells.rows);
    this.activeSheet ??= sheet;
    return sheet;
  }

  setCells(sheetName: string, at: string, rows: (Scalar | null)[][]): void {
    const sheet = this.sheet(sheetName);
    const start = parseAddress(at);
    rows.forEach((cells, r) => cells.forEach((cell, c) => {
      if (cell !== null) sheet.assignValue(start.row + r, start.column + c, cell);
    }));
  }

  addTable(sheetName: string, name: string, address: string): TableModel {
    const table = { name, sheet: this.sheet(sheetName), rect: parseAddress(address), showTotals: false };
    this.tables.push(table);
    return table;
  }

  /** Selects a range (and makes its sheet active); the active cell is its top-left cell unless given. */
  select(sheetName: string, address: string, activeCell?: string): void {
    this.activeSheet = this.sheet(sheetName);
    this.selection = parseAddress(address);
    const cell = activeCell ? parseAddress(activeCell) : this.selection;
    this.activeCell = { row: cell.row, column: cell.column, rows: 1, columns: 1 };
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
    const columns = Array.from({ length: rect.columns }, (_, c) => String(sheet.value(rect.row, rect.column + c)));
    return { address: localAddress(rect), sheet: sheet.name, columns };
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
    this.sheets.push(sheet);
    return sheet;
  }

  deleteSheet(sheet: SheetModel): void {
    const visible = this.sheets.filter((candidate) => candidate.visibility === 'Visible');
    if (visible.length === 1 && visible[0] === sheet) throw new FakeExcelError('InvalidOperation', 'The last visible sheet cannot be deleted.');
    this.sheets.splice(this.sheets.indexOf(sheet), 1);
    for (let i = this.tables.length - 1; i >= 0; i--) if (this.tables[i].sheet === sheet) this.tables.splice(i, 1);
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
    const requestBytes = JSON.stringify(batch.map((operation) => operation.request)).length;
    if (requestBytes > PAYLOAD_LIMIT_BYTES) {
      throw new FakeExcelError('RequestPayloadSizeLimitExceeded', `The request payload (${requestBytes} bytes) is over the 5 MB limit.`);
    }
    const responses: unknown[] = [];
    try {
      for (const operation of batch) {
        const response = operation.run();
        if (response !== undefined) responses.push(response);
      }
    } finally {
      const responseBytes = JSON.stringify(responses).length;
      this.excel.syncs.push({ requestBytes, responseBytes, operations: batch.length });
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

  getSelectedRange(): RangeProxy {
    const { excel } = this.context;
    return new RangeProxy(this.context, { method: 'getSelectedRange' }, () => {
      if (!excel.activeSheet) throw new FakeExcelError('ItemNotFound', 'No sheet is active.');
      return { sheet: excel.activeSheet, rect: excel.selection ?? parseAddress('A1') };
    });
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

  suspendApiCalculationUntilNextSync(): void {
    this.context.enqueue({ method: 'suspendApiCalculationUntilNextSync' }, () => undefined);
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
    this.enqueue({ set: 'values', value: input }, (target) => writeCells(target, input, (row, column, value) => target.sheet.assignValue(row, column, value)));
  }

  get formulas(): Scalar[][] { return this.read('formulas'); }
  set formulas(input: unknown) {
    this.enqueue({ set: 'formulas', value: input }, (target) => writeCells(target, input, (row, column, value) => target.sheet.assignValue(row, column, value)));
  }

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
        for (let r = rect.row; r < rect.row + rect.rows; r++) for (let c = rect.column; c < rect.column + rect.columns; c++) sheet.clearCell(r, c);
      }
      if (applyTo !== 'Contents') {
        sheet.numberFormats.push({ rect, value: 'General' });
        sheet.bold.push({ rect, value: false });
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
  constructor(private readonly context: FakeRequestContext, private readonly sheet: WorksheetProxy) {}

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
    return {
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
          sheet.assignValue(rect.row, column, name ?? `Column${rect.columns}`);
          if (values !== undefined && values !== null) {
            writeCells({ sheet, rect: { row: rect.row, column, rows: rect.rows, columns: 1 } }, values, (row, col, value) => sheet.assignValue(row, col, value));
            if (name) sheet.assignValue(rect.row, column, name);
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
        }),
      }),
    };
  }
}
