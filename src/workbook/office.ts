import { cellText, columnLetter, type CellValue } from '../engine';
import { chunkByPayload, payloadBytes, ReadChunker } from './chunks';
import { MARKER_SHEET, parseMarker, serializeMarker, type MarkerState } from './marker';
import { rowFormulaAt, type ChartSpec, type PlanCell, type PlannedColumn, type PlannedSheet, type TierColor, type WritePlan } from './plan';
import { OccupiedCellsError, type ApplyReport, type ProgressListener, type TableSnapshot, type WorkbookPort } from './port';

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

/** Excel reads a text that starts with '=' as a formula; a leading apostrophe keeps it text. */
function asCellInput(cell: PlanCell | undefined): string | number {
  if (cell === null || cell === undefined) return '';
  return typeof cell === 'string' && cell.startsWith('=') ? `'${cell}` : cell;
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
      const found = await locateTable(context);
      const { sheet, box, marker } = found;
      const headerRange = sheet.getRangeByIndexes(box.rowIndex, box.columnIndex, 1, box.columnCount).load('values');
      await context.sync();
      const allHeaders = headerRange.values[0] as CellValue[];
      const own = marker?.tableSheet === found.sheetName ? new Set(marker.columns) : new Set<string>();
      const columnCount = userColumnCount(allHeaders, own);
      const dataBox = { rowIndex: box.rowIndex + 1, columnIndex: box.columnIndex, rowCount: box.rowCount - 1, columnCount };
      const rows = await readRows(context, sheet, dataBox, onProgress);
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

  async apply(plan: WritePlan, onProgress?: ProgressListener): Promise<ApplyReport> {
    this.requireMinimumApi();
    return this.run((context) => new PlanWriter(context, plan, onProgress, this.isSetSupported('1.9')).execute());
  }

  private requireMinimumApi(): void {
    if (!this.isSetSupported(MINIMUM_API)) {
      throw new Error(`SegmentKit needs Excel with ExcelApi ${MINIMUM_API} or later (Excel 2019, Microsoft 365 or Excel on the web).`);
    }
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
  marker: MarkerState | null;
  sheetNames: string[];
}

/**
 * The Excel table the selection touches, else the selection when it is more than one cell, else
 * the current region around the active cell, else the sheet's used range. Two syncs.
 */
async function locateTable(context: Excel.RequestContext): Promise<FoundTable> {
  const { workbook } = context;
  const sheet = workbook.worksheets.getActiveWorksheet().load('name');
  const sheets = workbook.worksheets.load('items/name');
  const selection = workbook.getSelectedRange().load(GEOMETRY);
  const activeCell = workbook.getActiveCell().load(GEOMETRY);
  const used = sheet.getUsedRangeOrNullObject(true).load(GEOMETRY);
  const tables = sheet.tables.load('items/name,items/showTotals');
  const markerSheet = workbook.worksheets.getItemOrNullObject(MARKER_SHEET);
  await context.sync();

  const tableRanges = tables.items.map((table) => ({ table, range: table.getRange().load(GEOMETRY) }));
  const region = activeCell.getSurroundingRegion().load(GEOMETRY);
  const markerCell = markerSheet.isNullObject ? null : markerSheet.getRange('A1').load('values');
  await context.sync();

  const selected = boxOf(selection);
  const usedBox = used.isNullObject ? null : boxOf(used);
  const hit = tableRanges.find(({ range }) => overlaps(boxOf(range), selected));
  let box: Box | null;
  let tableName: string | undefined;
  if (hit) {
    box = boxOf(hit.range);
    // A totals row is not a customer.
    if (hit.table.showTotals) box.rowCount--;
    tableName = hit.table.name;
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
    sheet, sheetName: sheet.name, box, tableName,
    marker: markerCell ? parseMarker(markerCell.values[0][0]) : null,
    sheetNames: sheets.items.map((item) => item.name),
  };
}

/** Data rows in chunks sized by what the rows read so far cost, one sync per chunk. */
async function readRows(context: Excel.RequestContext, sheet: Excel.Worksheet, box: Box, onProgress?: ProgressListener): Promise<CellValue[][]> {
  const rows: CellValue[][] = [];
  const chunker = new ReadChunker(box.columnCount);
  onProgress?.({ phase: 'read', done: 0, total: box.rowCount });
  while (rows.length < box.rowCount) {
    const count = chunker.nextRowCount(box.rowCount - rows.length);
    const range = sheet.getRangeByIndexes(box.rowIndex + rows.length, box.columnIndex, count, box.columnCount).load('values');
    await context.sync();
    const values = range.values as CellValue[][];
    chunker.observe(values);
    for (const row of values) rows.push(row);
    onProgress?.({ phase: 'read', done: rows.length, total: box.rowCount });
  }
  return rows;
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

  async execute(): Promise<ApplyReport> {
    const markerSheet = this.workbook.worksheets.getItemOrNullObject(MARKER_SHEET);
    await this.context.sync();
    const markerCell = markerSheet.isNullObject ? null : markerSheet.getRange('A1').load('values');
    await this.context.sync();
    const marker = markerCell ? parseMarker(markerCell.values[0][0]) : null;

    const targets = await this.inspectTargets(marker);
    const occupied = targets.slice(0, this.plan.columns.length).find((target) => !target.own && target.occupied);
    if (occupied?.occupied) throw new OccupiedCellsError(occupied.occupied);

    // Sheets and names first: a formula written before the cells it reads exist would not find them.
    await this.replaceSheets(marker);
    await this.writeNames(marker);
    await this.prepareColumns(targets);
    await this.writeColumnBodies();
    const marked = markerSheet.isNullObject ? this.workbook.worksheets.add(MARKER_SHEET) : markerSheet;
    marked.visibility = 'VeryHidden';
    marked.getRange('A1').values = [[serializeMarker(this.plan.marker)]];
    await this.context.sync();
    // The report names the table's columns first, then the sheets, whatever order they were written in.
    return { written: [...this.written.filter((range) => range.startsWith(`${this.plan.sheetName}!`)), ...this.written.filter((range) => !range.startsWith(`${this.plan.sheetName}!`))] };
  }

  private get lastDataRow(): number {
    return this.plan.headerRow + this.plan.rowCount;
  }

  /** Reads the headers right of the table and, for columns that are not ours, whether they hold anything. One sync. */
  private async inspectTargets(marker: MarkerState | null): Promise<TargetColumn[]> {
    const { plan, sheet } = this;
    const ownHeaders = new Set(marker?.tableSheet === plan.sheetName ? marker.columns : []);
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
      else sheet.getRangeByIndexes(plan.headerRow - 1, target.column, 1, 1).values = [[column.header]];
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
    this.written.push(rangeAddress(plan.sheetName, plan.headerRow, sheetColumn, this.lastDataRow, sheetColumn));
  }

  /** Segment values or formulas under the headers, all columns at once, one sync per chunk. */
  private async writeColumnBodies(): Promise<void> {
    const { plan } = this;
    if (plan.columns.length === 0 || plan.rowCount === 0) return;
    const formulas = plan.mode === 'formulas';
    // A spilled formula fills its column from one cell; the cells below it stay empty.
    const onlySpills = formulas && plan.columns.every((column) => column.spillFormula);
    const rows = onlySpills ? 1 : plan.rowCount;
    const rowCells = (i: number) => plan.columns.map((column) => (formulas ? formulaCell(column, i) : asCellInput(column.values[i])));
    for (const [start, end] of chunkByPayload(rows, (i) => payloadBytes(rowCells(i)))) {
      const matrix = Array.from({ length: end - start }, (_, k) => rowCells(start + k));
      const range = this.sheet.getRangeByIndexes(plan.headerRow + start, this.firstTarget, end - start, plan.columns.length);
      if (formulas) range.formulas = matrix;
      else range.values = matrix;
      await this.syncWrite(onlySpills ? plan.rowCount * plan.columns.length : (end - start) * plan.columns.length);
    }
  }

  /** Big writes recalculate and repaint once, not per chunk. */
  private async syncWrite(rowsDone: number): Promise<void> {
    this.workbook.application.suspendApiCalculationUntilNextSync();
    if (this.canSuspendScreen) this.workbook.application.suspendScreenUpdatingUntilNextSync();
    await this.context.sync();
    this.done += rowsDone;
    this.onProgress?.({ phase: 'write', done: this.done, total: this.total });
  }

  /**
   * Defines the plan's workbook-level names (ExcelApi 1.4), replacing names of the same spelling
   * and those the last run defined (which point at its deleted Summary). One sync.
   */
  private async writeNames(marker: MarkerState | null): Promise<void> {
    const { names } = this.workbook;
    const wanted = this.plan.definedNames.map((defined) => defined.name.toLowerCase());
    const replaced = [...new Set([...(marker?.names ?? []).map((name) => name.toLowerCase()), ...wanted])];
    if (replaced.length === 0) return;
    const existing = replaced.map((name) => names.getItemOrNullObject(name));
    await this.context.sync();
    for (const item of existing) if (!item.isNullObject) item.delete();
    // A reference given as text is a formula: '=' and the absolute cell.
    for (const { name, ref } of this.plan.definedNames) names.add(name, `=${ref}`);
    await this.context.sync();
  }

  /** Our sheets from an earlier run go (only those the marker names), then the plan's sheets are added. */
  private async replaceSheets(marker: MarkerState | null): Promise<void> {
    const { worksheets } = this.workbook;
    const previous = Object.values(marker?.sheets ?? {}).filter((name): name is string => Boolean(name))
      .map((name) => worksheets.getItemOrNullObject(name));
    await this.context.sync();
    for (const sheet of previous) if (!sheet.isNullObject) sheet.delete();
    for (const planned of this.plan.sheets) await this.writeSheet(planned);
  }

  private async writeSheet(planned: PlannedSheet): Promise<void> {
    const sheet = this.workbook.worksheets.add(planned.name);
    const width = planned.rows.reduce((widest, row) => Math.max(widest, row.length), 1);
    const rowCells = (i: number) => Array.from({ length: width }, (_, c) => asCellInput(planned.rows[i][c]));
    for (const [start, end] of chunkByPayload(planned.rows.length, (i) => payloadBytes(rowCells(i)))) {
      sheet.getRangeByIndexes(start, 0, end - start, width).values = Array.from({ length: end - start }, (_, k) => rowCells(start + k));
      await this.syncWrite(end - start);
    }
    for (const { row, column, formula } of planned.formulas) sheet.getCell(row, column).formulas = [[`=${formula}`]];
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
}

/** What a segment cell gets in formulas mode: its formula, or its value where the model has none. */
function formulaCell(column: PlannedColumn, row: number): string | number {
  if (column.spillFormula) return row === 0 ? `=${column.spillFormula}` : '';
  const formula = rowFormulaAt(column, row);
  return formula ? `=${formula}` : asCellInput(column.values[row]);
}

/** A clustered column chart of one value column against its category column. */
function addChart(sheet: Excel.Worksheet, spec: ChartSpec): void {
  if (spec.toRow < spec.fromRow) return;
  const rows = spec.toRow - spec.fromRow + 1;
  const chart = sheet.charts.add('ColumnClustered', sheet.getRangeByIndexes(spec.fromRow, spec.valueColumn, rows, 1), 'Columns');
  chart.title.text = spec.title;
  const series = chart.series.getItemAt(0);
  series.name = spec.seriesName;
  series.setXAxisValues(sheet.getRangeByIndexes(spec.fromRow, spec.categoryColumn, rows, 1));
  chart.setPosition(
    sheet.getCell(spec.anchorRow, spec.anchorColumn),
    sheet.getCell(spec.anchorRow + CHART_ROWS - 1, spec.anchorColumn + CHART_COLUMNS - 1),
  );
}
