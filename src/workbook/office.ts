import { cellText, columnLetter, type CellValue, type Localized } from '../engine';
import { chunkByPayload, isPayloadTooLarge, payloadBytes, ReadChunker } from './chunks';
import type { DefinedTable, SheetGrid } from './grid';
import { MARKER_SHEET, ownColumnsOnGrid, ownedBy, parseMarker, serializeMarker, type MarkerState } from './marker';
import { rowFormulaAt, type ChartSpec, type PlanCell, type PlannedColumn, type PlannedSheet, type TierColor, type WritePlan } from './plan';
import {
  ApplyFailedError, OccupiedCellsError, SheetNotFoundError, type ApplyReport, type ProgressListener, type SheetSummary, type TableSnapshot, type WorkbookPort,
} from './port';
import { locateTable as locateTableOnGrid } from './region';
import { isDateFormatCode, serialInDateSystem } from './xlsx/number-formats';
import { serialToDate } from './xlsx/sheet-read';

/**
 * The Excel this is cannot run SegmentKit: the manifest's shared runtime (SharedRuntime 1.1) needs
 * Excel 2021 or later, Microsoft 365 or Excel on the web, and the code needs ExcelApi 1.7.
 */
export class UnsupportedExcelError extends Error {
  readonly text: Localized = {
    en: `SegmentKit needs Excel 2021 or later, Excel for Microsoft 365 or Excel on the web (ExcelApi ${MINIMUM_API} and the shared runtime, SharedRuntime 1.1).`,
    da: `SegmentKit kræver Excel 2021 eller nyere, Excel til Microsoft 365 eller Excel på internettet (ExcelApi ${MINIMUM_API} og den delte kørsel, SharedRuntime 1.1).`,
  };

  constructor() {
    super('');
    this.message = this.text.en;
    this.name = 'UnsupportedExcelError';
  }
}

/** The shape of `Excel.run`, so tests can hand in an in-memory Excel. */
export type ExcelRun = <T>(batch: (context: Excel.RequestContext) => Promise<T>) => Promise<T>;
/** Whether the host supports an ExcelApi requirement set such as '1.9'. */
export type RequirementCheck = (version: string) => boolean;

/** getRangeByIndexes, getSurroundingRegion, freezeRows and setXAxisValues all need ExcelApi 1.7. */
const MINIMUM_API = '1.7';
/** Excel's column width is in points; a character of the default font is about seven. */
const POINTS_PER_CHARACTER = 7;
/** A chart on a plan sheet covers about eight columns and fifteen rows from its anchor. */
const CHART_COLUMNS = 8;
const CHART_ROWS = 15;
const GEOMETRY = 'rowIndex,columnIndex,rowCount,columnCount';

const runInExcel: ExcelRun = (batch) => Excel.run(batch);

function hostSupports(version: string): boolean {
  return typeof Office !== 'undefined' && Boolean(Office.context?.requirements?.isSetSupported('ExcelApi', version));
}

/** A block of cells by 0-based indexes, as the Excel API reports ranges. */
interface Box {
  rowIndex: number;
  columnIndex: number;
  rowCount: number;
  columnCount: number;
}

function boxOf(range: Excel.Range): Box {
  return { rowIndex: range.rowIndex, columnIndex: range.columnIndex, rowCount: range.rowCount, columnCount: range.columnCount };
}

function overlaps(a: Box, b: Box): boolean {
  return a.rowIndex < b.rowIndex + b.rowCount && b.rowIndex < a.rowIndex + a.rowCount
    && a.columnIndex < b.columnIndex + b.columnCount && b.columnIndex < a.columnIndex + a.columnCount;
}

/** The part of `box` inside `bounds`: a selected whole column only reaches as far as the data. */
function clampTo(box: Box, bounds: Box): Box | null {
  const rowIndex = Math.max(box.rowIndex, bounds.rowIndex);
  const columnIndex = Math.max(box.columnIndex, bounds.columnIndex);
  const rowEnd = Math.min(box.rowIndex + box.rowCount, bounds.rowIndex + bounds.rowCount);
  const columnEnd = Math.min(box.columnIndex + box.columnCount, bounds.columnIndex + bounds.columnCount);
  if (rowEnd <= rowIndex || columnEnd <= columnIndex) return null;
  return { rowIndex, columnIndex, rowCount: rowEnd - rowIndex, columnCount: columnEnd - columnIndex };
}

function rangeAddress(sheetName: string, firstRow: number, firstColumn: number, lastRow: number, lastColumn: number): string {
  return `${sheetName}!${columnLetter(firstColumn)}${firstRow}:${columnLetter(lastColumn)}${lastRow}`;
}

/**
 * Text Excel would not keep as text when given through `Range.values`: "If the returned value
 * starts with a plus ("+"), minus ("-"), or equal sign ("="), Excel interprets this value as a
 * formula" (Excel JavaScript API, Range.values), '@' starts a formula too, and text that looks
 * like a number, date, time, percentage, currency, boolean or error value is parsed as one. An
 * apostrophe of its own would be eaten. Deliberately broad: a text that starts with a digit or a
 * sign is quoted whether or not this locale would parse it.
 */
const CONVERTED_BY_EXCEL = /^\s*[=+\-@'\d.,($€£¥#]|^\s*(true|false)\s*$|^\s*(jan|feb|mar|apr|maj|may|jun|jul|aug|sep|okt|oct|nov|dec)[a-z]*\.?[\s\-/]+\d/i;

/** A plan cell as `Range.values` must receive it: text that Excel would convert gets the leading apostrophe Excel itself uses. */
export function asCellInput(cell: PlanCell | undefined): string | number {
  if (cell === null || cell === undefined) return '';
  return typeof cell === 'string' && CONVERTED_BY_EXCEL.test(cell) ? `'${cell}` : cell;
}

/** Excel's limit on the characters in one cell (Excel specifications and limits). */
const CELL_TEXT_LIMIT = 32_767;

/** A text longer than a cell holds, cut with an ellipsis (explanations and notes; never data). */
function fitCell(cell: string | number): string | number {
  return typeof cell === 'string' && cell.length > CELL_TEXT_LIMIT ? `${cell.slice(0, CELL_TEXT_LIMIT - 1)}…` : cell;
}

/** Thrown for a selection of several areas (Ctrl+click): getSelectedRange cannot read it. */
export class MultipleSelectionError extends Error {
  readonly text: Localized = {
    en: 'SegmentKit reads one range: the selection has several areas. Select one range (or one cell in the customer table) and try again.',
    da: 'SegmentKit læser ét område: markeringen består af flere områder. Markér ét område (eller én celle i kundetabellen), og prøv igen.',
  };

  constructor() {
    super('SegmentKit reads one range: the selection has several areas. Select one range (or one cell in the customer table) and try again.');
    this.name = 'MultipleSelectionError';
  }
}

/** Whether the workbook uses the 1904 date system: DATE(1904,1,1) is day 0 there and 1,462 in the 1900 system. */
function probeDate1904(context: Excel.RequestContext): () => boolean {
  const probe = context.workbook.functions.date(1904, 1, 1).load('value');
  return () => probe.value === 0;
}

function tierRule(color: TierColor): Excel.ConditionalCellValueRule {
  return { formula1: `="${color.value.replace(/"/g, '""')}"`, operator: 'EqualTo' };
}

/** One "cell value equals" rule per tier (never "contains text": "A" would also match "AB"). */
function addTierColors(range: Excel.Range, colors: readonly TierColor[]): void {
  for (const color of colors) {
    const format = range.conditionalFormats.add('CellValue');
    format.cellValue.format.fill.color = color.fill;
    format.cellValue.format.font.color = color.font;
    format.cellValue.rule = tierRule(color);
  }
}

/**
 * The workbook port over the Excel JavaScript API: the only place that touches Office.js.
 * Reads and writes go in chunks of about 1.5 MB with one `context.sync()` each, so the number of
 * syncs grows with the chunks, not the rows, and no request comes near Excel on the web's 5 MB.
 */
export class OfficeWorkbook implements WorkbookPort {
  constructor(
    private readonly run: ExcelRun = runInExcel,
    private readonly isSetSupported: RequirementCheck = hostSupports,
  ) {}

  async readTable(onProgress?: ProgressListener): Promise<TableSnapshot> {
    this.requireMinimumApi();
    return this.run(async (context) => {
      const found = await locateTable(context, this.isSetSupported('1.9'));
      const { sheet, box, marker } = found;
      let allHeaders = found.headers;
      if (!allHeaders) {
        const headerRange = sheet.getRangeByIndexes(box.rowIndex, box.columnIndex, 1, box.columnCount).load('values');
        await context.sync();
        allHeaders = headerRange.values[0] as CellValue[];
      }
      const own = marker?.tableSheet === found.sheetName ? new Set(ownedBy(marker).columns) : new Set<string>();
      const columnCount = userColumnCount(allHeaders, own);
      const dataBox = { rowIndex: box.rowIndex + 1, columnIndex: box.columnIndex, rowCount: box.rowCount - 1, columnCount };
      const rows = await readRows(context, sheet, dataBox, found.date1904, onProgress);
      return {
        sheetName: found.sheetName,
        origin: { headerRow: box.rowIndex + 1, firstColumn: box.columnIndex },
        headers: allHeaders.slice(0, columnCount),
        rows,
        excelTableName: found.tableName,
        marker,
        sheetNames: found.sheetNames,
      };
    });
  }

  /**
   * The visible worksheets other than SegmentKit's own (the marker sheet and the sheets the marker
   * names), in tab order, each with the size of its used range of values (0 × 0 when empty).
   * Two syncs, whatever the number of sheets.
   */
  async listSheets(): Promise<SheetSummary[]> {
    this.requireMinimumApi();
    return this.run(async (context) => {
      const { worksheets } = context.workbook;
      const sheets = worksheets.load('items/name,items/visibility');
      const markerSheet = worksheets.getItemOrNullObject(MARKER_SHEET);
      await context.sync();
      const visible = sheets.items.filter((sheet) => sheet.visibility === 'Visible' && sheet.name !== MARKER_SHEET);
      const used = visible.map((sheet) => sheet.getUsedRangeOrNullObject(true).load('rowCount,columnCount'));
      const markerCell = markerSheet.isNullObject ? null : markerSheet.getRange('A1').load('values');
      await context.sync();
      const own = new Set(ownedBy(markerCell ? parseMarker(markerCell.values[0][0]) : null).sheets.map((name) => name.toLowerCase()));
      return visible.flatMap((sheet, k): SheetSummary[] => {
        if (own.has(sheet.name.toLowerCase())) return [];
        const range = used[k];
        return [{ name: sheet.name, rowCount: range.isNullObject ? 0 : range.rowCount, columnCount: range.isNullObject ? 0 : range.columnCount }];
      });
    });
  }

  /**
   * The table on the sheet named `sheetName`, found as in a file (region.ts locateTable: an Excel
   * table as defined, else the header row below any titles down to the last data row, a totals row
   * and footnotes left out). The sheet's used range of values is read in chunks of about 1.5 MB,
   * one sync each (as readTable reads), after two syncs to find it (three when it holds Excel tables).
   * Merged cells are not looked for (getMergedAreas needs ExcelApi 1.13), nor totals formulas:
   * a totals row is known by its label or its sums.
   * @throws SheetNotFoundError when no worksheet has that name
   * @throws TableNotFoundError when the sheet is empty or no row looks like a header
   */
  async readSheetTable(sheetName: string, onProgress?: ProgressListener): Promise<TableSnapshot> {
    this.requireMinimumApi();
    return this.run(async (context) => {
      const found = await locateSheet(context, sheetName);
      const grid: SheetGrid = { name: found.sheetName, rows: [], merges: [], tables: found.tables, aggregateFormulas: new Map() };
      if (found.used) grid.rows = await readSheetRows(context, found.sheet, found.used, found.date1904, onProgress);
      else onProgress?.({ phase: 'read', done: 0, total: 0 });
      const located = locateTableOnGrid(grid, { ownColumns: ownColumnsOnGrid(grid, found.marker) });
      return {
        sheetName: found.sheetName,
        origin: located.origin,
        headers: located.headers,
        rows: located.rows,
        excelTableName: located.excelTableName,
        marker: found.marker,
        sheetNames: found.sheetNames,
        notes: located.notes,
      };
    });
  }

  async apply(plan: WritePlan, onProgress?: ProgressListener): Promise<ApplyReport> {
    this.requireMinimumApi();
    return this.run((context) => new PlanWriter(context, plan, onProgress, this.isSetSupported('1.9')).execute());
  }

  private requireMinimumApi(): void {
    if (!this.isSetSupported(MINIMUM_API)) throw new UnsupportedExcelError();
  }
}

/** Columns up to the last one that is not SegmentKit's: our segment columns are not customer data. */
function userColumnCount(headers: readonly CellValue[], own: ReadonlySet<string>): number {
  let count = headers.length;
  while (count > 1 && own.has(cellText(headers[count - 1]).trim())) count--;
  return count;
}

interface FoundTable {
  sheet: Excel.Worksheet;
  sheetName: string;
  /** Header row and data rows. */
  box: Box;
  tableName?: string;
  /** The column names of a table whose header row is hidden (the box's first row is then the row above its data). */
  headers?: CellValue[];
  marker: MarkerState | null;
  sheetNames: string[];
  date1904: boolean;
}

/** Whether a failed sync was getSelectedRange refusing a selection of several areas. */
function isMultipleSelection(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'InvalidSelection';
}

/**
 * The Excel table the selection touches, else the selection when it is more than one cell, else
 * the current region around the active cell, else the sheet's used range. Two syncs (three for a
 * table whose header row is hidden). A selection of several areas is refused with a sentence:
 * getSelectedRange throws on it (Excel JavaScript API, Workbook.getSelectedRange), so with
 * ExcelApi 1.9 the areas are counted first (getSelectedRanges), and below it the error is named.
 */
async function locateTable(context: Excel.RequestContext, canCountAreas: boolean): Promise<FoundTable> {
  const { workbook } = context;
  const sheet = workbook.worksheets.getActiveWorksheet().load('name');
  const sheets = workbook.worksheets.load('items/name');
  const areas = canCountAreas ? workbook.getSelectedRanges().load('areaCount') : null;
  const activeCell = workbook.getActiveCell().load(GEOMETRY);
  const used = sheet.getUsedRangeOrNullObject(true).load(GEOMETRY);
  const tables = sheet.tables.load('items/name,items/showTotals,items/showHeaders');
  const markerSheet = workbook.worksheets.getItemOrNullObject(MARKER_SHEET);
  const isDate1904 = probeDate1904(context);
  const early = canCountAreas ? null : workbook.getSelectedRange().load(GEOMETRY);
  try {
    await context.sync();
  } catch (error) {
    if (isMultipleSelection(error)) throw new MultipleSelectionError();
    throw error;
  }
  if (areas && areas.areaCount > 1) throw new MultipleSelectionError();

  const selection = early ?? workbook.getSelectedRange().load(GEOMETRY);
  const tableRanges = tables.items.map((table) => ({ table, range: table.getRange().load(GEOMETRY) }));
  const region = activeCell.getSurroundingRegion().load(GEOMETRY);
  const markerCell = markerSheet.isNullObject ? null : markerSheet.getRange('A1').load('values');
  await context.sync();

  const selected = boxOf(selection);
  const usedBox = used.isNullObject ? null : boxOf(used);
  const hit = tableRanges.find(({ range }) => overlaps(boxOf(range), selected));
  let box: Box | null;
  let tableName: string | undefined;
  let headers: CellValue[] | undefined;
  if (hit) {
    box = boxOf(hit.range);
    // A totals row is not a customer.
    if (hit.table.showTotals) box.rowCount--;
    tableName = hit.table.name;
    if (!hit.table.showHeaders) {
      // The header row is hidden: the range is data only, and the names live in the table's columns.
      const columns = hit.table.columns.load('items/name');
      await context.sync();
      headers = columns.items.map((column) => column.name);
      box = { ...box, rowIndex: box.rowIndex - 1, rowCount: box.rowCount + 1 };
    }
  } else if (selected.rowCount * selected.columnCount > 1) {
    box = usedBox && clampTo(selected, usedBox);
  } else if (region.rowCount > 1 || region.columnCount > 1) {
    box = boxOf(region);
  } else {
    box = usedBox;
  }
  if (!box || box.rowCount < 1) {
    throw new Error('SegmentKit found no table here: select a cell in the customer table (with its header row) and try again.');
  }
  return {
    sheet, sheetName: sheet.name, box, tableName, headers,
    marker: markerCell ? parseMarker(markerCell.values[0][0]) : null,
    sheetNames: sheets.items.map((item) => item.name),
    date1904: isDate1904(),
  };
}

/**
 * Data rows in chunks sized by what the rows read so far cost (a sample first), one sync per
 * chunk; a chunk Excel refuses as too large is read again in halves. In a 1904 workbook the
 * number formats come too, so a date-formatted number arrives as the day it shows (a Date), as
 * the file reader hands it over.
 */
async function readRows(context: Excel.RequestContext, sheet: Excel.Worksheet, box: Box, date1904: boolean, onProgress?: ProgressListener): Promise<CellValue[][]> {
  const rows: CellValue[][] = [];
  const chunker = new ReadChunker(date1904 ? 2 * box.columnCount : box.columnCount);
  onProgress?.({ phase: 'read', done: 0, total: box.rowCount });
  while (rows.length < box.rowCount) {
    const count = chunker.nextRowCount(box.rowCount - rows.length);
    const range = sheet.getRangeByIndexes(box.rowIndex + rows.length, box.columnIndex, count, box.columnCount).load(date1904 ? 'values,numberFormat' : 'values');
    try {
      await context.sync();
    } catch (error) {
      if (isPayloadTooLarge(error) && chunker.refused(count)) continue;
      throw error;
    }
    const values = range.values as CellValue[][];
    chunker.observe(values, date1904 ? payloadBytes([values, range.numberFormat]) : undefined);
    if (date1904) datesAsDays(values, range.numberFormat as string[][]);
    for (const row of values) rows.push(row);
    onProgress?.({ phase: 'read', done: rows.length, total: box.rowCount });
  }
  return rows;
}

/** A named sheet as readSheetTable needs it before its cells are read. */
interface FoundSheet {
  sheet: Excel.Worksheet;
  sheetName: string;
  /** The used range of values; null for an empty sheet. */
  used: Box | null;
  tables: DefinedTable[];
  marker: MarkerState | null;
  sheetNames: string[];
  date1904: boolean;
}

/**
 * The sheet of that name, its used range of values, its Excel tables as region.ts takes them
 * (range, header and totals rows, column names), the marker and the date system. Two syncs, a
 * third when the sheet holds Excel tables (their ranges can be asked for only once they are listed).
 */
async function locateSheet(context: Excel.RequestContext, sheetName: string): Promise<FoundSheet> {
  const { workbook } = context;
  const sheets = workbook.worksheets.load('items/name,items/visibility');
  const sheet = workbook.worksheets.getItemOrNullObject(sheetName);
  const markerSheet = workbook.worksheets.getItemOrNullObject(MARKER_SHEET);
  const isDate1904 = probeDate1904(context);
  await context.sync();
  if (sheet.isNullObject) {
    throw new SheetNotFoundError(sheetName, sheets.items.filter((item) => item.visibility === 'Visible' && item.name !== MARKER_SHEET).map((item) => item.name));
  }

  sheet.load('name');
  const used = sheet.getUsedRangeOrNullObject(true).load(GEOMETRY);
  const tables = sheet.tables.load('items/name,items/showTotals,items/showHeaders');
  const markerCell = markerSheet.isNullObject ? null : markerSheet.getRange('A1').load('values');
  await context.sync();

  const defined = tables.items.map((table) => ({
    table,
    range: table.getRange().load(GEOMETRY),
    // A hidden header row leaves the names only in the table's columns.
    columns: table.showHeaders ? null : table.columns.load('items/name'),
  }));
  if (defined.length > 0) await context.sync();
  return {
    sheet,
    sheetName: sheet.name,
    used: used.isNullObject ? null : boxOf(used),
    tables: defined.map(({ table, range, columns }): DefinedTable => ({
      name: table.name,
      box: { top: range.rowIndex, left: range.columnIndex, bottom: range.rowIndex + range.rowCount - 1, right: range.columnIndex + range.columnCount - 1 },
      headerRowCount: table.showHeaders ? 1 : 0,
      totalsRowCount: table.showTotals ? 1 : 0,
      columnNames: columns?.items.map((column) => column.name),
    })),
    marker: markerCell ? parseMarker(markerCell.values[0][0]) : null,
    sheetNames: sheets.items.map((item) => item.name),
    date1904: isDate1904(),
  };
}

/**
 * A sheet's used range read in chunks (readRows), placed as a SheetGrid holds rows: row r and
 * column c of the sheet at rows[r][c], the blank rows above the used range absent and the blank
 * columns left of it padded, so region.ts sees the sheet as a file reader would hand it over.
 */
async function readSheetRows(context: Excel.RequestContext, sheet: Excel.Worksheet, used: Box, date1904: boolean, onProgress?: ProgressListener): Promise<(CellValue[] | undefined)[]> {
  const read = await readRows(context, sheet, used, date1904, onProgress);
  const rows: (CellValue[] | undefined)[] = new Array<CellValue[] | undefined>(used.rowIndex);
  const padding: CellValue[] = new Array<CellValue>(used.columnIndex).fill(null);
  for (const row of read) rows.push(used.columnIndex > 0 ? padding.concat(row) : row);
  return rows;
}

/** Date-formatted numbers of a 1904 workbook as the days they show. */
function datesAsDays(values: CellValue[][], formats: string[][]): void {
  values.forEach((row, r) => row.forEach((cell, c) => {
    if (typeof cell === 'number' && isDateFormatCode(formats[r][c])) row[c] = serialToDate(cell, true);
  }));
}

/** What is at each target column right of the user's table before anything is written. */
interface TargetColumn {
  /** 0-based sheet column. */
  column: number;
  own: boolean;
  /** The cells from the header row to the last data row that hold a value, when the column is not ours. */
  occupied: string | null;
  insideTable: boolean;
}

/** Executes one WritePlan inside one `Excel.run`. */
class PlanWriter {
  private readonly workbook: Excel.Workbook;
  private readonly sheet: Excel.Worksheet;
  private readonly firstTarget: number;
  private readonly written: string[] = [];
  private readonly total: number;
  private done = 0;
  private screenSuspended = false;
  private date1904 = false;

  constructor(
    private readonly context: Excel.RequestContext,
    private readonly plan: WritePlan,
    private readonly onProgress: ProgressListener | undefined,
    private readonly canSuspendScreen: boolean,
  ) {
    this.workbook = context.workbook;
    this.sheet = this.workbook.worksheets.getItem(plan.sheetName);
    this.firstTarget = plan.firstColumn + plan.tableColumnCount;
    this.total = plan.rowCount * plan.columns.length + plan.sheets.reduce((rows, sheet) => rows + sheet.rows.length, 0);
  }

  /**
   * The order is Excel's: the marker says what is about to be written before anything is; the
   * plan's sheets exist (ours cleared in place, never deleted and added again) before any
   * formula or name points at them, because a reference to a missing sheet stays #REF! for good;
   * sheets of earlier runs that the plan no longer has go last, once nothing of ours points at them.
   */
  async execute(): Promise<ApplyReport> {
    const markerSheet = this.workbook.worksheets.getItemOrNullObject(MARKER_SHEET);
    const isDate1904 = probeDate1904(this.context);
    await this.context.sync();
    this.date1904 = isDate1904();
    const markerCell = markerSheet.isNullObject ? null : markerSheet.getRange('A1').load('values');
    await this.context.sync();
    const marker = markerCell ? parseMarker(markerCell.values[0][0]) : null;

    const targets = await this.inspectTargets(marker);
    const occupied = targets.slice(0, this.plan.columns.length).find((target) => !target.own && target.occupied);
    if (occupied?.occupied) throw new OccupiedCellsError(occupied.occupied);

    try {
      await this.writeMarker(this.pendingMarker(marker));
      const sheets = await this.prepareSheets(marker);
      for (const [planned, sheet] of sheets) await this.writeSheetValues(planned, sheet);
      for (const [planned, sheet] of sheets) await this.writeSheetFormulas(planned, sheet);
      await this.writeNames(marker);
      await this.prepareColumns(targets);
      await this.writeColumnBodies();
      await this.dropOldSheets(marker);
      await this.writeMarker(this.plan.marker);
    } catch (error) {
      throw new ApplyFailedError(error, this.report().written);
    }
    return this.report();
  }

  /** The report names the table's columns first, then the sheets, whatever order they were written in. */
  private report(): ApplyReport {
    const own = `${this.plan.sheetName}!`;
    return { written: [...this.written.filter((range) => range.startsWith(own)), ...this.written.filter((range) => !range.startsWith(own))] };
  }

  /** The plan's marker, plus what earlier runs wrote that this one has not replaced yet. */
  private pendingMarker(marker: MarkerState | null): MarkerState {
    const earlier = ownedBy(marker?.tableSheet === this.plan.sheetName ? marker : marker && { ...marker, columns: [], unfinished: marker.unfinished && { ...marker.unfinished, columns: [] } });
    const planned = ownedBy(this.plan.marker);
    const without = (list: string[], taken: string[]) => list.filter((item) => !taken.some((other) => other.toLowerCase() === item.toLowerCase()));
    return {
      ...this.plan.marker,
      unfinished: { columns: without(earlier.columns, planned.columns), sheets: without(earlier.sheets, planned.sheets), names: without(earlier.names, planned.names) },
    };
  }

  /** The marker sheet (very hidden) holds the state in A1. One sync, with a recalculation after the big writes. */
  private async writeMarker(state: MarkerState): Promise<void> {
    const existing = this.workbook.worksheets.getItemOrNullObject(MARKER_SHEET);
    await this.context.sync();
    const sheet = existing.isNullObject ? this.workbook.worksheets.add(MARKER_SHEET) : existing;
    sheet.visibility = 'VeryHidden';
    sheet.getRange('A1').values = [[serializeMarker(state)]];
    if (state === this.plan.marker) {
      // API calculation was suspended for the writes; the docs leave the recalculation to the add-in.
      this.workbook.application.calculate('Recalculate');
    }
    await this.context.sync();
  }

  private get lastDataRow(): number {
    return this.plan.headerRow + this.plan.rowCount;
  }

  /** Reads the headers right of the table and, for columns that are not ours, whether they hold anything. One sync. */
  private async inspectTargets(marker: MarkerState | null): Promise<TargetColumn[]> {
    const { plan, sheet } = this;
    const ownHeaders = new Set(marker?.tableSheet === plan.sheetName ? ownedBy(marker).columns : []);
    const width = Math.max(plan.columns.length, ownHeaders.size, 1);
    const headers = sheet.getRangeByIndexes(plan.headerRow - 1, this.firstTarget, 1, width).load('values');
    const used = Array.from({ length: plan.columns.length }, (_, j) =>
      sheet.getRangeByIndexes(plan.headerRow - 1, this.firstTarget + j, plan.rowCount + 1, 1).getUsedRangeOrNullObject(true).load('address'));
    const tableRange = plan.excelTableName ? sheet.tables.getItem(plan.excelTableName).getRange().load(GEOMETRY) : null;
    await this.context.sync();
    const tableEnd = tableRange ? tableRange.columnIndex + tableRange.columnCount : -1;
    return Array.from({ length: width }, (_, j) => ({
      column: this.firstTarget + j,
      own: ownHeaders.has(cellText(headers.values[0][j] as CellValue).trim()),
      occupied: used[j] && !used[j].isNullObject ? used[j].address : null,
      insideTable: this.firstTarget + j < tableEnd,
    }));
  }

  /** Clears our old columns, makes room in an Excel table, writes headers and the formats. One sync. */
  private async prepareColumns(targets: TargetColumn[]): Promise<void> {
    const { plan, sheet } = this;
    const table = plan.excelTableName ? sheet.tables.getItem(plan.excelTableName) : null;
    const height = plan.rowCount + 1;
    // Columns we wrote before and no longer write: table columns go (last first), plain cells are cleared.
    for (const target of [...targets].reverse()) {
      if (!target.own || target.column < this.firstTarget + plan.columns.length) continue;
      this.clearColumn(target.column, height, target.insideTable);
      if (table && target.insideTable) table.columns.getItemAt(target.column - plan.firstColumn).delete();
    }
    plan.columns.forEach((column, j) => {
      const target = targets[j];
      if (target.own) this.clearColumn(target.column, height, target.insideTable);
      if (table && !target.insideTable) table.columns.add(undefined, undefined, column.header);
      else sheet.getRangeByIndexes(plan.headerRow - 1, target.column, 1, 1).values = [[asCellInput(column.header)]];
      this.formatColumn(column, target.column);
    });
    if (plan.columns.length > 0) {
      sheet.getRangeByIndexes(plan.headerRow - 1, this.firstTarget, 1, plan.columns.length).format.font.bold = true;
    }
    await this.context.sync();
  }

  /** In a table only the old colors go: clearing would reset the table's own formats, and every cell is rewritten. */
  private clearColumn(column: number, height: number, insideTable: boolean): void {
    const range = this.sheet.getRangeByIndexes(this.plan.headerRow - 1, column, height, 1);
    range.conditionalFormats.clearAll();
    if (!insideTable) range.clear('All');
  }

  private formatColumn(column: PlannedColumn, sheetColumn: number): void {
    const { plan, sheet } = this;
    sheet.getRangeByIndexes(plan.headerRow - 1, sheetColumn, 1, 1).format.columnWidth = Math.max(14, column.header.length + 2) * POINTS_PER_CHARACTER;
    if (plan.rowCount > 0) {
      const data = sheet.getRangeByIndexes(plan.headerRow, sheetColumn, plan.rowCount, 1);
      if (column.numberFormat) data.numberFormat = [[column.numberFormat]];
      if (column.tierColors) addTierColors(data, column.tierColors);
    }
  }

  /** Segment values or formulas under the headers, all columns at once, one sync per chunk. */
  private async writeColumnBodies(): Promise<void> {
    const { plan } = this;
    const columnAddresses = plan.columns.map((_, j) => rangeAddress(plan.sheetName, plan.headerRow, this.firstTarget + j, this.lastDataRow, this.firstTarget + j));
    if (plan.columns.length === 0 || plan.rowCount === 0) {
      this.written.push(...columnAddresses);
      return;
    }
    const formulas = plan.mode === 'formulas';
    // A spilled formula fills its column from one cell; the cells below it stay empty.
    const onlySpills = formulas && plan.columns.every((column) => column.spillFormula);
    const rows = onlySpills ? 1 : plan.rowCount;
    const dates = plan.columns.map((column) => this.date1904 && column.numberFormat !== undefined && isDateFormatCode(column.numberFormat));
    const rowCells = (i: number) => plan.columns.map((column, j) => {
      const cell = formulas ? formulaCell(column, i) : asCellInput(column.values[i]);
      return dates[j] && typeof cell === 'number' ? serialInDateSystem(cell, true) : fitCell(cell);
    });
    await this.writeRows(rows, rowCells, (start, count, matrix) => {
      const range = this.sheet.getRangeByIndexes(plan.headerRow + start, this.firstTarget, count, plan.columns.length);
      if (formulas) range.formulas = matrix;
      else range.values = matrix;
    }, onlySpills ? plan.rowCount : 1, plan.columns.length);
    // Several columns written row by row: the first written cell of a later column also marks it written.
    this.written.push(...columnAddresses);
  }

  /**
   * Writes `rowCount` rows in chunks of about TARGET_CHUNK_BYTES, one sync each; a chunk Excel
   * refuses as too large is written again in halves. API calculation is suspended for each
   * write (the final marker sync recalculates), and screen updating once, for the first:
   * "Don't call suspendScreenUpdatingUntilNextSync repeatedly (such as in a loop). Repeated
   * calls will cause the Excel window to flicker." (Excel JavaScript API, Application).
   */
  private async writeRows(
    rowCount: number, rowCells: (row: number) => (string | number)[],
    assign: (start: number, count: number, matrix: (string | number)[][]) => void, rowsPerRow: number, cellsPerRow: number,
  ): Promise<void> {
    const writeChunk = async (start: number, end: number): Promise<void> => {
      assign(start, end - start, Array.from({ length: end - start }, (_, k) => rowCells(start + k)));
      try {
        await this.syncWrite();
      } catch (error) {
        if (!isPayloadTooLarge(error) || end - start < 2) throw error;
        const middle = start + Math.floor((end - start) / 2);
        await writeChunk(start, middle);
        await writeChunk(middle, end);
        return;
      }
      this.done += (end - start) * rowsPerRow * cellsPerRow;
      this.onProgress?.({ phase: 'write', done: this.done, total: this.total });
    };
    for (const [start, end] of chunkByPayload(rowCount, (i) => payloadBytes(rowCells(i)))) await writeChunk(start, end);
  }

  private async syncWrite(): Promise<void> {
    this.workbook.application.suspendApiCalculationUntilNextSync();
    if (this.canSuspendScreen && !this.screenSuspended) {
      this.workbook.application.suspendScreenUpdatingUntilNextSync();
      this.screenSuspended = true;
    }
    await this.context.sync();
  }

  /**
   * Defines the plan's workbook-level names (ExcelApi 1.4), replacing names of the same spelling
   * and those earlier runs defined. The sheets they point at exist already. One or two syncs.
   */
  private async writeNames(marker: MarkerState | null): Promise<void> {
    const { names } = this.workbook;
    const wanted = this.plan.definedNames.map((defined) => defined.name.toLowerCase());
    const replaced = [...new Set([...ownedBy(marker).names.map((name) => name.toLowerCase()), ...wanted])];
    if (replaced.length === 0) return;
    const existing = replaced.map((name) => names.getItemOrNullObject(name));
    await this.context.sync();
    for (const item of existing) if (!item.isNullObject) item.delete();
    // A reference given as text is a formula: '=' and the absolute cell.
    for (const { name, ref } of this.plan.definedNames) names.add(name, `=${ref}`);
    await this.context.sync();
  }

  /**
   * Every sheet of the plan exists after this: ours from an earlier run cleared in place (cells,
   * formats, conditional formats, charts, frozen panes), the others added. A sheet of the plan's
   * name that SegmentKit did not write is never cleared: it appeared after the table was read.
   */
  private async prepareSheets(marker: MarkerState | null): Promise<[PlannedSheet, Excel.Worksheet][]> {
    const { worksheets } = this.workbook;
    const ours = new Set(ownedBy(marker).sheets.map((name) => name.toLowerCase()));
    const found = this.plan.sheets.map((planned) => worksheets.getItemOrNullObject(planned.name));
    await this.context.sync();
    const sheets = this.plan.sheets.map((planned, k): [PlannedSheet, Excel.Worksheet] => {
      const sheet = found[k];
      if (sheet.isNullObject) return [planned, worksheets.add(planned.name)];
      if (!ours.has(planned.name.toLowerCase())) throw new OccupiedCellsError(`'${planned.name}'`);
      const all = sheet.getRange();
      all.conditionalFormats.clearAll();
      all.clear('All');
      sheet.freezePanes.unfreeze();
      return [planned, sheet];
    });
    const charts = sheets.map(([, sheet]) => sheet.charts.load('items'));
    await this.context.sync();
    for (const collection of charts) for (const chart of collection.items) chart.delete();
    await this.context.sync();
    return sheets;
  }

  /** Sheets earlier runs wrote that this plan does not have; names pointing at them went already. One sync. */
  private async dropOldSheets(marker: MarkerState | null): Promise<void> {
    const planned = new Set(this.plan.sheets.map((sheet) => sheet.name.toLowerCase()));
    const old = ownedBy(marker).sheets.filter((name) => !planned.has(name.toLowerCase()))
      .map((name) => this.workbook.worksheets.getItemOrNullObject(name));
    if (old.length === 0) return;
    await this.context.sync();
    for (const sheet of old) if (!sheet.isNullObject) sheet.delete();
    await this.context.sync();
  }

  /** Rows, formats, tier colors, frozen rows and charts of one plan sheet; formulas come later, once every sheet exists. */
  private async writeSheetValues(planned: PlannedSheet, sheet: Excel.Worksheet): Promise<void> {
    const width = planned.rows.reduce((widest, row) => Math.max(widest, row.length), 1);
    const dates = this.date1904 ? dateCells(planned) : null;
    const rowCells = (i: number) => Array.from({ length: width }, (_, c) => {
      const cell = planned.rows[i][c];
      if (dates && typeof cell === 'number' && dates(i, c)) return serialInDateSystem(cell, true);
      return fitCell(asCellInput(cell));
    });
    await this.writeRows(planned.rows.length, rowCells, (start, count, matrix) => {
      sheet.getRangeByIndexes(start, 0, count, width).values = matrix;
    }, 1, 1);
    for (const row of planned.boldRows) sheet.getRangeByIndexes(row, 0, 1, width).format.font.bold = true;
    planned.columnWidths.forEach((characters, column) => {
      sheet.getRangeByIndexes(0, column, 1, 1).format.columnWidth = characters * POINTS_PER_CHARACTER;
    });
    for (const format of planned.numberFormats) {
      if (format.toRow < format.fromRow) continue;
      sheet.getRangeByIndexes(format.fromRow, format.column, format.toRow - format.fromRow + 1, 1).numberFormat = [[format.format]];
    }
    for (const colors of planned.tierColorRanges) {
      if (colors.toRow < colors.fromRow) continue;
      addTierColors(sheet.getRangeByIndexes(colors.fromRow, colors.column, colors.toRow - colors.fromRow + 1, 1), colors.colors);
    }
    if (planned.frozenRows > 0) sheet.freezePanes.freezeRows(planned.frozenRows);
    for (const chart of planned.charts) addChart(sheet, chart);
    await this.context.sync();
    this.written.push(rangeAddress(planned.name, 1, 0, Math.max(planned.rows.length, 1), width - 1));
  }

  private async writeSheetFormulas(planned: PlannedSheet, sheet: Excel.Worksheet): Promise<void> {
    // A live column of a long list goes in chunks, as the segment columns do.
    for (const { column, planned: live } of planned.liveColumns ?? []) {
      const firstRow = (live.rowFormula?.firstSheetRow ?? 1) - 1;
      await this.writeRows(live.values.length, (i) => [formulaCell(live, i)], (start, count, matrix) => {
        sheet.getRangeByIndexes(firstRow + start, column, count, 1).formulas = matrix;
      }, 0, 1);
    }
    if (planned.formulas.length === 0) return;
    for (const { row, column, formula } of planned.formulas) sheet.getCell(row, column).formulas = [[`=${formula}`]];
    await this.context.sync();
  }
}

/** Which cells of a plan sheet carry a date format: their numbers are days, to be written in the workbook's date system. */
function dateCells(planned: PlannedSheet): (row: number, column: number) => boolean {
  const ranges = planned.numberFormats.filter((format) => isDateFormatCode(format.format));
  return (row, column) => ranges.some((format) => format.column === column && row >= format.fromRow && row <= format.toRow);
}

/** What a segment cell gets in formulas mode: its formula, or its value where the model has none. */
function formulaCell(column: PlannedColumn, row: number): string | number {
  if (column.spillFormula) return row === 0 ? `=${column.spillFormula}` : '';
  const formula = rowFormulaAt(column, row);
  return formula ? `=${formula}` : asCellInput(column.values[row]);
}

/** A clustered column chart of one value column against its category column; or a line chart, a line per series. */
function addChart(sheet: Excel.Worksheet, spec: ChartSpec): void {
  if (spec.toRow < spec.fromRow) return;
  const rows = spec.toRow - spec.fromRow + 1;
  const chart = sheet.charts.add(spec.kind === 'line' ? 'LineMarkers' : 'ColumnClustered', sheet.getRangeByIndexes(spec.fromRow, spec.valueColumn, rows, 1), 'Columns');
  chart.title.text = spec.title;
  const series = chart.series.getItemAt(0);
  series.name = spec.seriesName;
  series.setXAxisValues(sheet.getRangeByIndexes(spec.fromRow, spec.categoryColumn, rows, 1));
  for (const more of spec.moreSeries ?? []) {
    const line = chart.series.add(more.seriesName);
    line.setValues(sheet.getRangeByIndexes(spec.fromRow, more.valueColumn, rows, 1));
    line.setXAxisValues(sheet.getRangeByIndexes(spec.fromRow, spec.categoryColumn, rows, 1));
  }
  chart.setPosition(
    sheet.getCell(spec.anchorRow, spec.anchorColumn),
    sheet.getCell(spec.anchorRow + CHART_ROWS - 1, spec.anchorColumn + CHART_COLUMNS - 1),
  );
}
