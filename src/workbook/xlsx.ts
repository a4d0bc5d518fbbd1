import ExcelJS from 'exceljs';
import { cellText, columnLetter, type CellValue } from '../engine';
import { MARKER_SHEET, parseMarker, serializeMarker, type MarkerState } from './marker';
import type { PlanCell, PlannedColumn, PlannedSheet, TierColor, WritePlan } from './plan';
import { OccupiedCellsError, type ApplyReport, type ProgressListener, type TableSnapshot, type WorkbookPort } from './port';

/** How many rows go between progress reports. */
const PROGRESS_EVERY = 5_000;

/** ExcelJS keeps colors as ARGB. */
function argb(hex: string): string {
  return `FF${hex.replace('#', '').toUpperCase()}`;
}

/** A cell as the engine reads it: formulas give their cached result, rich text its plain text. */
export function plainValue(value: ExcelJS.CellValue): CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean' || value instanceof Date) return value;
  if (typeof value === 'object') {
    if ('result' in value) return plainValue(value.result as ExcelJS.CellValue);
    if ('formula' in value || 'sharedFormula' in value) return null;
    if ('richText' in value) return value.richText.map((part) => part.text).join('');
    if ('text' in value) return plainValue(value.text as ExcelJS.CellValue);
    if ('error' in value) return String(value.error);
  }
  return null;
}

function isBlank(value: ExcelJS.CellValue): boolean {
  const plain = plainValue(value);
  return plain === null || plain === '';
}

/**
 * The cells the adapter reads and writes, over an in-memory ExcelJS sheet or over rows streamed
 * from a file (xlsx-file.ts). Row values are ExcelJS's: index 1 is column A, and may be sparse.
 */
export interface CellGrid {
  readonly rowCount: number;
  rowValues(row: number): ExcelJS.CellValue[];
  setCell(row: number, column: number, value: ExcelJS.CellValue, style: Partial<ExcelJS.Style>): void;
}

export function memoryGrid(sheet: ExcelJS.Worksheet): CellGrid {
  return {
    get rowCount() { return sheet.rowCount; },
    rowValues: (row) => (sheet.findRow(row)?.values ?? []) as ExcelJS.CellValue[],
    setCell: (row, column, value, style) => {
      const cell = sheet.getCell(row, column);
      cell.value = value;
      cell.style = style;
    },
  };
}

/** Style for cells SegmentKit clears or writes without a format; shared, see SharedStyles. */
export const UNSTYLED: Partial<ExcelJS.Style> = {};

/**
 * The workbook port over an .xlsx file, with ExcelJS: used by the browser version and the CLI.
 * It reads the first sheet's table (or the named sheet's), and executes a WritePlan.
 */
export class XlsxWorkbook implements WorkbookPort {
  protected pendingSheets: PlannedSheet[] = [];

  protected constructor(readonly workbook: ExcelJS.Workbook, private readonly sheet?: string) {}

  /** Where a sheet's cells live: in the ExcelJS model here, in streamed rows for files. */
  protected grid(sheet: ExcelJS.Worksheet): CellGrid {
    return memoryGrid(sheet);
  }

  static async fromBuffer(data: ArrayBuffer | Uint8Array, options: { sheet?: string } = {}): Promise<XlsxWorkbook> {
    const workbook = new ExcelJS.Workbook();
    // ExcelJS's typings want a Node Buffer; in the browser an ArrayBuffer works the same.
    await workbook.xlsx.load(data as unknown as ExcelJS.Buffer);
    return new XlsxWorkbook(workbook, options.sheet);
  }

  /** The sheets a user can pick a table from (SegmentKit's own are left out). */
  sheetNames(): string[] {
    const own = new Set(Object.values(this.marker()?.sheets ?? {}));
    return this.workbook.worksheets
      .filter((sheet) => sheet.state === 'visible' && sheet.name !== MARKER_SHEET && !own.has(sheet.name))
      .map((sheet) => sheet.name);
  }

  /** The workbook as .xlsx bytes, for a download in the browser. */
  async toBuffer(): Promise<Uint8Array> {
    this.materializePendingSheets();
    return new Uint8Array(await this.workbook.xlsx.writeBuffer());
  }

  private materializePendingSheets(): void {
    if (this.pendingSheets.length === 0) return;
    for (const planned of this.pendingSheets) writePlannedSheet(this.workbook.addWorksheet(planned.name, sheetOptions(planned)), planned);
    this.pendingSheets = [];
    const marker = this.marker();
    if (marker) this.writeMarker(marker);
  }

  protected marker(): MarkerState | null {
    const sheet = this.workbook.getWorksheet(MARKER_SHEET);
    return sheet ? parseMarker(plainValue(this.grid(sheet).rowValues(1)[1])) : null;
  }

  private tableSheet(): ExcelJS.Worksheet {
    const name = this.sheet ?? this.sheetNames()[0];
    const sheet = name === undefined ? undefined : this.workbook.getWorksheet(name);
    if (!sheet) {
      const known = this.sheetNames().join(', ') || '(none)';
      throw new Error(this.sheet ? `The workbook has no sheet named "${this.sheet}". Sheets: ${known}.` : 'The workbook has no sheet with data.');
    }
    return sheet;
  }

  async readTable(onProgress?: ProgressListener): Promise<TableSnapshot> {
    const sheet = this.tableSheet();
    const grid = this.grid(sheet);
    const marker = this.marker();
    const region = findRegion(grid, sheet.name);
    const ownColumns = marker?.tableSheet === sheet.name ? new Set(marker.columns) : new Set<string>();
    const headerCells = grid.rowValues(region.headerRow);
    let lastColumn = region.lastColumn;
    // SegmentKit's own columns sit right of the user's; they are not customer data.
    while (lastColumn > region.firstColumn && ownColumns.has(cellText(plainValue(headerCells[lastColumn])))) lastColumn--;
    const headers: CellValue[] = [];
    for (let column = region.firstColumn; column <= lastColumn; column++) headers.push(plainValue(headerCells[column]));
    const rows: CellValue[][] = [];
    const total = region.lastRow - region.headerRow;
    for (let rowNumber = region.headerRow + 1; rowNumber <= region.lastRow; rowNumber++) {
      const values = grid.rowValues(rowNumber);
      const row: CellValue[] = new Array(headers.length);
      for (let column = region.firstColumn; column <= lastColumn; column++) row[column - region.firstColumn] = plainValue(values[column]);
      rows.push(row);
      if (onProgress && rows.length % PROGRESS_EVERY === 0) onProgress({ phase: 'read', done: rows.length, total });
    }
    onProgress?.({ phase: 'read', done: total, total });
    return {
      sheetName: sheet.name,
      origin: { headerRow: region.headerRow, firstColumn: region.firstColumn - 1 },
      headers,
      rows,
      marker,
      sheetNames: this.workbook.worksheets.map((candidate) => candidate.name),
    };
  }

  async apply(plan: WritePlan, onProgress?: ProgressListener): Promise<ApplyReport> {
    const sheet = this.workbook.getWorksheet(plan.sheetName);
    if (!sheet) throw new Error(`The sheet "${plan.sheetName}" is gone; read the table again.`);
    const grid = this.grid(sheet);
    const marker = this.marker();
    const firstSegmentColumn = plan.firstColumn + plan.tableColumnCount + 1;
    clearOwnColumns(sheet, grid, plan, marker, firstSegmentColumn);
    checkFree(grid, plan, firstSegmentColumn);
    const written: string[] = [];
    const total = plan.rowCount * plan.columns.length + plan.sheets.reduce((rows, planned) => rows + planned.rows.length, 0);
    let done = 0;
    const advance = (rows: number) => {
      done += rows;
      onProgress?.({ phase: 'write', done, total });
    };
    plan.columns.forEach((column, index) => {
      written.push(writeSegmentColumn(sheet, grid, plan, column, firstSegmentColumn + index));
      advance(plan.rowCount);
    });
    for (const name of Object.values(marker?.sheets ?? {})) {
      const old = name ? this.workbook.getWorksheet(name) : undefined;
      if (old) this.workbook.removeWorksheet(old.id);
    }
    // The plan's sheets are written when the file is: straight to the stream for a file, which
    // keeps a 100,000-row Priority sheet out of memory.
    this.pendingSheets = plan.sheets;
    for (const planned of plan.sheets) {
      written.push(`${planned.name}!A1`);
      advance(planned.rows.length);
    }
    this.writeNames(plan, marker);
    this.writeMarker(plan.marker);
    return { written };
  }

  /**
   * Defines the plan's workbook-level names (the cut cells the formulas read), replacing names of
   * the same spelling and those the last run defined; every other name stays as it was.
   */
  protected writeNames(plan: WritePlan, marker: MarkerState | null): void {
    const replaced = new Set([...(marker?.names ?? []), ...plan.definedNames.map((defined) => defined.name)].map((name) => name.toLowerCase()));
    const names = this.workbook.definedNames;
    names.model = names.model.filter((defined) => !replaced.has(defined.name.toLowerCase()));
    for (const { name, ref } of plan.definedNames) names.add(ref, name);
  }

  /** Writes the marker into a fresh very hidden sheet, which also keeps it after the visible ones. */
  protected writeMarker(state: MarkerState): void {
    const old = this.workbook.getWorksheet(MARKER_SHEET);
    if (old) this.workbook.removeWorksheet(old.id);
    const sheet = this.workbook.addWorksheet(MARKER_SHEET, { state: 'veryHidden' });
    this.grid(sheet).setCell(1, 1, serializeMarker(state), UNSTYLED);
  }
}

interface Region {
  headerRow: number;
  firstColumn: number;
  lastColumn: number;
  lastRow: number;
}

/**
 * The current region from the sheet's first filled cell: the header is the first row with a value,
 * columns run while the header has text, rows run until the first empty row.
 */
function findRegion(grid: CellGrid, sheetName: string): Region {
  let headerRow = 0;
  for (let rowNumber = 1; rowNumber <= grid.rowCount && !headerRow; rowNumber++) {
    if (grid.rowValues(rowNumber).some((value) => !isBlank(value))) headerRow = rowNumber;
  }
  if (!headerRow) throw new Error(`The sheet "${sheetName}" is empty: put the customer table there with a header row.`);
  const header = grid.rowValues(headerRow);
  let firstColumn = 1;
  while (isBlank(header[firstColumn])) firstColumn++;
  let lastColumn = firstColumn;
  while (!isBlank(header[lastColumn + 1])) lastColumn++;
  let lastRow = headerRow;
  while (lastRow < grid.rowCount) {
    const values = grid.rowValues(lastRow + 1);
    let empty = true;
    for (let column = firstColumn; column <= lastColumn && empty; column++) empty = isBlank(values[column]);
    if (empty) break;
    lastRow++;
  }
  return { headerRow, firstColumn, lastColumn, lastRow };
}

/** Removes the segment columns and their colors from an earlier run, and nothing else. */
function clearOwnColumns(sheet: RowWiseSheet, grid: CellGrid, plan: WritePlan, marker: MarkerState | null, firstSegmentColumn: number): void {
  if (!marker || marker.tableSheet !== plan.sheetName) return;
  const own = new Set(marker.columns);
  const lastRow = Math.max(grid.rowCount, plan.headerRow + plan.rowCount);
  const cleared: string[] = [];
  for (let column = firstSegmentColumn; own.has(cellText(plainValue(grid.rowValues(plan.headerRow)[column]))); column++) {
    for (let row = plan.headerRow; row <= lastRow; row++) grid.setCell(row, column, null, UNSTYLED);
    cleared.push(columnLetter(column - 1));
  }
  const letters = new Set(cleared);
  sheet.removeConditionalFormatting((format: ExcelJS.ConditionalFormattingOptions) => !letters.has(format.ref.replace(/[0-9$:].*$/, '')));
}

/** Refuses to write where a user's cell holds anything. */
function checkFree(grid: CellGrid, plan: WritePlan, firstSegmentColumn: number): void {
  const lastColumn = firstSegmentColumn + plan.columns.length - 1;
  for (let row = plan.headerRow; row <= plan.headerRow + plan.rowCount; row++) {
    const values = grid.rowValues(row);
    for (let column = firstSegmentColumn; column <= lastColumn; column++) {
      if (!isBlank(values[column])) throw new OccupiedCellsError(`${plan.sheetName}!${columnLetter(column - 1)}${row}`);
    }
  }
}

function cellFormula(formula: string, result: PlanCell): ExcelJS.CellValue {
  return { formula, result: result ?? '' } as ExcelJS.CellFormulaValue;
}

function writeSegmentColumn(sheet: RowWiseSheet, grid: CellGrid, plan: WritePlan, column: PlannedColumn, sheetColumn: number): string {
  const styles = new SharedStyles();
  grid.setCell(plan.headerRow, sheetColumn, column.header, styles.get(undefined, true));
  const cellStyle = styles.get(column.numberFormat);
  for (let i = 0; i < plan.rowCount; i++) {
    const value = column.values[i];
    // ExcelJS cannot write dynamic arrays, so a spilled formula is written row by row in .xlsx files.
    const formula = column.rowFormulas?.[i] ?? (column.spillFormula ? column.spillFormula : undefined);
    grid.setCell(plan.headerRow + 1 + i, sheetColumn, plan.mode === 'formulas' && formula ? cellFormula(formula, value) : value, cellStyle);
  }
  sheet.getColumn(sheetColumn).width = Math.max(14, column.header.length + 2);
  const letter = columnLetter(sheetColumn - 1);
  const range = `${letter}${plan.headerRow + 1}:${letter}${plan.headerRow + Math.max(plan.rowCount, 1)}`;
  if (column.tierColors) addTierColors(sheet, range, column.tierColors);
  return `${plan.sheetName}!${letter}${plan.headerRow}:${letter}${plan.headerRow + plan.rowCount}`;
}

/** One "cell value equals" rule per tier, so the color follows the value when it recalculates. */
function addTierColors(sheet: RowWiseSheet, ref: string, colors: TierColor[]): void {
  sheet.addConditionalFormatting({
    ref,
    rules: colors.map((color, index) => ({
      type: 'cellIs',
      operator: 'equal',
      formulae: [`"${color.value.replace(/"/g, '""')}"`],
      priority: index + 1,
      style: {
        fill: { type: 'pattern', pattern: 'solid', bgColor: { argb: argb(color.fill) } },
        font: { color: { argb: argb(color.font) } },
      },
    })),
  });
}

/**
 * What both an in-memory worksheet and ExcelJS's streaming worksheet writer offer; plan sheets are
 * written row by row through it, so one function serves the browser and the CLI.
 */
export interface RowWiseSheet {
  getRow(row: number): ExcelJS.Row;
  getColumn(column: number): Partial<ExcelJS.Column>;
  addConditionalFormatting(options: ExcelJS.ConditionalFormattingOptions): void;
  removeConditionalFormatting(filter: unknown): void;
}

export function sheetOptions(planned: PlannedSheet): Partial<ExcelJS.AddWorksheetOptions> {
  return planned.frozenRows ? { views: [{ state: 'frozen', ySplit: planned.frozenRows }] } : {};
}

/** Writes a plan sheet from its first row down, committing each row (a no-op in memory). */
export function writePlannedSheet(sheet: RowWiseSheet, planned: PlannedSheet): string {
  planned.columnWidths.forEach((width, column) => { sheet.getColumn(column + 1).width = width; });
  const bold = new Set(planned.boldRows);
  // Formulas sit in a few cells of small sheets; rows without any skip the look-up.
  const formulas = new Map(planned.formulas.map((entry) => [`${entry.row}:${entry.column}`, entry.formula]));
  const rowsWithFormulas = new Set(planned.formulas.map((entry) => entry.row));
  const styles = new SharedStyles();
  planned.rows.forEach((cells, index) => {
    const row = sheet.getRow(index + 1);
    const isBold = bold.has(index);
    cells.forEach((value, column) => {
      const formula = rowsWithFormulas.has(index) ? formulas.get(`${index}:${column}`) : undefined;
      if (value === null && !formula) return;
      const cell = row.getCell(column + 1);
      cell.value = formula ? cellFormula(formula, value) : value;
      cell.style = styles.get(numberFormatAt(planned, index, column), isBold);
    });
    row.commit();
  });
  for (const range of planned.tierColorRanges) {
    if (range.toRow < range.fromRow) continue;
    const letter = columnLetter(range.column);
    addTierColors(sheet, `${letter}${range.fromRow + 1}:${letter}${range.toRow + 1}`, range.colors);
  }
  // ExcelJS cannot write charts: in an .xlsx file each chart's values get in-cell data bars instead.
  for (const chart of planned.charts) {
    if (chart.toRow < chart.fromRow) continue;
    const letter = columnLetter(chart.valueColumn);
    sheet.addConditionalFormatting({
      ref: `${letter}${chart.fromRow + 1}:${letter}${chart.toRow + 1}`,
      rules: [{
        type: 'dataBar', priority: 1, gradient: false,
        cfvo: [{ type: 'num', value: 0 }, { type: 'num', value: 1 }],
        color: { argb: argb('#56B4E9') },
      } as unknown as ExcelJS.ConditionalFormattingRule],
    });
  }
  const lastColumn = Math.max(1, ...planned.rows.map((row) => row.length));
  return `${planned.name}!A1:${columnLetter(lastColumn - 1)}${Math.max(planned.rows.length, 1)}`;
}

/**
 * One style object per distinct style. ExcelJS gives every new cell a fresh style object and
 * recognises repeats only by object identity, so sharing them turns a million style look-ups into
 * a few. Shared objects are only ever assigned whole, never changed through a cell.
 */
export class SharedStyles {
  private readonly styles = new Map<string, Partial<ExcelJS.Style>>();

  get(numberFormat?: string, bold = false): Partial<ExcelJS.Style> {
    const key = `${bold ? 'b' : ''}|${numberFormat ?? ''}`;
    let style = this.styles.get(key);
    if (!style) {
      style = {};
      if (numberFormat) style.numFmt = numberFormat;
      if (bold) style.font = { bold: true };
      this.styles.set(key, style);
    }
    return style;
  }
}

function numberFormatAt(planned: PlannedSheet, row: number, column: number): string | undefined {
  return planned.numberFormats.find((format) => format.column === column && row >= format.fromRow && row <= format.toRow)?.format;
}
