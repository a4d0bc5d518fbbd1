import type { PlannedSheet, TierColor } from '../plan';
import { cellRef, cellXml, escapeXml, formulaCellXml } from './cell-xml';
import { isDateFormatCode, serialInDateSystem } from './number-formats';
import { SharedFormulaColumn } from './shared-formulas';
import type { StyleBook } from './styles';
import { RELATIONSHIPS_NAMESPACE, SPREADSHEETML_NAMESPACE, XML_DECLARATION } from './xml';


/** Rows joined into one chunk: big enough to keep the generator's overhead small, small enough to stream. */
const ROWS_PER_CHUNK = 2_000;

export interface PlannedSheetOptions {
  /** The relationship id (in the sheet's .rels) of the drawing holding the sheet's charts. */
  drawingRelId?: string;
  /**
   * The package uses the 1904 date system: numbers in date-formatted cells (the plan holds 1900
   * serials, as the engine does) are written 1,462 days less, so they show the same day.
   */
  date1904?: boolean;
}

/**
 * A complete worksheet part (xl/worksheets/sheetN.xml) for one of SegmentKit's own sheets,
 * as a sequence of strings to write one after another, so a Priority sheet of 1,048,576 rows is
 * never one string. What it holds, in CT_Worksheet's order (ECMA-376 Part 1, 18.3.1.99): the used
 * range, a frozen pane under the header rows, column widths, every non-empty cell (text inline,
 * formulas with their computed value cached, bold rows and number formats through `styles`), the
 * tier colors as `cellIs` conditional formats, and the drawing that holds the sheet's charts.
 *
 * @param styles the package's stylesheet, which gets the cell formats and dxfs the sheet uses
 *   (call styles.toXml() after the last chunk)
 */
export function* plannedSheetChunks(sheet: PlannedSheet, styles: StyleBook, options: PlannedSheetOptions = {}): Generator<string> {
  yield `${XML_DECLARATION}<worksheet xmlns="${SPREADSHEETML_NAMESPACE}" xmlns:r="${RELATIONSHIPS_NAMESPACE}">`;
  yield `<dimension ref="${usedRange(sheet)}"/>${sheetViewsXml(sheet.frozenRows)}<sheetFormatPr defaultRowHeight="15"/>${colsXml(sheet.columnWidths)}<sheetData>`;
  const styleAt = cellStyles(sheet, styles);
  const isDateAt = options.date1904 ? dateCells(sheet) : () => false;
  const formulas = new Map(sheet.formulas.map((entry) => [`${entry.row}:${entry.column}`, entry.formula]));
  // A formula may sit right of (or below) a row's planned cells: it still gets its cell.
  const formulaWidth = new Map<number, number>();
  let rowCount = sheet.rows.length;
  for (const entry of sheet.formulas) {
    formulaWidth.set(entry.row, Math.max(formulaWidth.get(entry.row) ?? 0, entry.column + 1));
    rowCount = Math.max(rowCount, entry.row + 1);
  }
  const liveAt = liveColumnsOf(sheet);
  let chunk: string[] = [];
  for (let row = 0; row < rowCount; row++) {
    const cells = sheet.rows[row] ?? [];
    const withFormulas = formulaWidth.get(row);
    const width = withFormulas === undefined ? cells.length : Math.max(cells.length, withFormulas);
    const parts: string[] = [];
    for (let column = 0; column < width; column++) {
      const formula = withFormulas === undefined ? undefined : formulas.get(`${row}:${column}`);
      const planned = cells[column];
      const live = liveAt.get(column)?.(row);
      if ((planned === null || planned === undefined) && !formula && !live) continue;
      const value = typeof planned === 'number' && isDateAt(row, column) ? serialInDateSystem(planned, true) : planned;
      parts.push(live && !formula ? formulaCellXml(row, column, value, live, styleAt(row, column)) : cellXml(row, column, value, formula, styleAt(row, column)));
    }
    if (parts.length > 0) chunk.push(`<row r="${row + 1}">${parts.join('')}</row>`);
    if (chunk.length >= ROWS_PER_CHUNK) {
      yield chunk.join('');
      chunk = [];
    }
  }
  chunk.push('</sheetData>');
  let priority = 1;
  for (const range of sheet.tierColorRanges) {
    if (range.toRow < range.fromRow) continue;
    chunk.push(tierColorsXml(`${cellRef(range.fromRow, range.column)}:${cellRef(range.toRow, range.column)}`, range.colors, styles, priority));
    priority += range.colors.length;
  }
  if (options.drawingRelId) chunk.push(`<drawing r:id="${escapeXml(options.drawingRelId)}"/>`);
  chunk.push('</worksheet>');
  yield chunk.join('');
}

/**
 * Per live column (PlannedSheet.liveColumns), the `<f>` element of a sheet row (0-based), as one
 * shared formula per run of formula rows; asked for rows in ascending order, as the writer does.
 */
function liveColumnsOf(sheet: PlannedSheet): Map<number, (row: number) => string | undefined> {
  let sharedIndex = -1;
  const nextSharedIndex = () => ++sharedIndex;
  const live = new Map<number, (row: number) => string | undefined>();
  for (const { column, planned } of sheet.liveColumns ?? []) {
    if (!planned.rowFormula) continue;
    const shared = new SharedFormulaColumn(planned, column, nextSharedIndex);
    const firstDataRow = planned.rowFormula.firstSheetRow - 1;
    live.set(column, (row) => {
      const index = row - firstDataRow;
      return index >= 0 && index < planned.values.length ? shared.elementAt(index) : undefined;
    });
  }
  return live;
}

/** plannedSheetChunks joined into one string: for small sheets (Summary, Terms, Factors) and tests. */
export function plannedSheetXml(sheet: PlannedSheet, styles: StyleBook, options: PlannedSheetOptions = {}): string {
  const chunks: string[] = [];
  for (const chunk of plannedSheetChunks(sheet, styles, options)) chunks.push(chunk);
  return chunks.join('');
}

/**
 * One `<conditionalFormatting>` element: a `cellIs` / `equal` rule per tier, comparing with the
 * tier's label as a text constant, so a cell's color follows its value when it recalculates.
 * Each rule gets a dxf (solid fill, font color) from `styles`.
 *
 * @param sqref the cells, such as 'D2:D1048576' (A1 references, space-separated for several)
 * @param firstPriority the first rule's priority; priorities must be unique across the sheet, so
 *   the next element starts at firstPriority + colors.length
 */
export function tierColorsXml(sqref: string, colors: readonly TierColor[], styles: StyleBook, firstPriority: number): string {
  const rules = colors.map((color, index) => {
    const dxfId = styles.differentialStyle({ fill: color.fill, font: color.font });
    const text = `"${color.value.replace(/"/g, '""')}"`;
    return `<cfRule type="cellIs" dxfId="${dxfId}" priority="${firstPriority + index}" operator="equal"><formula>${escapeXml(text)}</formula></cfRule>`;
  });
  return `<conditionalFormatting sqref="${escapeXml(sqref)}">${rules.join('')}</conditionalFormatting>`;
}

/** The A1 range from A1 to the last row and the widest row's last column ('A1' for an empty sheet). */
function usedRange(sheet: PlannedSheet): string {
  let width = 0;
  let height = sheet.rows.length;
  for (const row of sheet.rows) width = Math.max(width, row.length);
  for (const entry of sheet.formulas) {
    width = Math.max(width, entry.column + 1);
    height = Math.max(height, entry.row + 1);
  }
  if (height === 0 || width === 0) return 'A1';
  return `A1:${cellRef(height - 1, width - 1)}`;
}

/** The sheet's view: the first `frozenRows` rows stay in place while the rest scrolls. */
function sheetViewsXml(frozenRows: number): string {
  if (!frozenRows) return '<sheetViews><sheetView workbookViewId="0"/></sheetViews>';
  const topLeft = `A${frozenRows + 1}`;
  return '<sheetViews><sheetView workbookViewId="0">'
    + `<pane ySplit="${frozenRows}" topLeftCell="${topLeft}" activePane="bottomLeft" state="frozen"/>`
    + `<selection pane="bottomLeft" activeCell="${topLeft}" sqref="${topLeft}"/>`
    + '</sheetView></sheetViews>';
}

/** Column widths in characters of the default font, one <col> per column that has one. */
function colsXml(widths: readonly number[]): string {
  const cols: string[] = [];
  widths.forEach((width, column) => {
    if (width > 0) cols.push(`<col min="${column + 1}" max="${column + 1}" width="${width}" customWidth="1"/>`);
  });
  return cols.length > 0 ? `<cols>${cols.join('')}</cols>` : '';
}

/**
 * The cellXfs index of each cell: bold for the sheet's bold rows, with the number format of the
 * range that covers it. Each range's two indexes (plain and bold) are found once, and ranges are
 * grouped by column, so a cell of a million-row sheet costs a look at one or two ranges.
 */
function cellStyles(sheet: PlannedSheet, styles: StyleBook): (row: number, column: number) => number | undefined {
  const bold = new Set(sheet.boldRows);
  const boldOnly = bold.size > 0 ? styles.cellStyle({ bold: true }) : 0;
  const rangesByColumn: { fromRow: number; toRow: number; plain: number; bold: number }[][] = [];
  for (const range of sheet.numberFormats) {
    const list = rangesByColumn[range.column] ?? (rangesByColumn[range.column] = []);
    list.push({
      fromRow: range.fromRow,
      toRow: range.toRow,
      plain: styles.cellStyle({ numberFormat: range.format }),
      // Asked for only where a bold row falls in the range, so no unused format is added.
      bold: hasRowIn(bold, range.fromRow, range.toRow) ? styles.cellStyle({ numberFormat: range.format, bold: true }) : 0,
    });
  }
  return (row, column) => {
    const isBold = bold.has(row);
    const ranges = rangesByColumn[column];
    if (ranges) {
      for (const range of ranges) {
        if (row >= range.fromRow && row <= range.toRow) return (isBold ? range.bold : range.plain) || undefined;
      }
    }
    return isBold ? boldOnly : undefined;
  };
}

/** Whether a cell's number format shows a date, from the sheet's number-format ranges. */
function dateCells(sheet: PlannedSheet): (row: number, column: number) => boolean {
  const dateRanges = sheet.numberFormats.filter((range) => isDateFormatCode(range.format));
  return (row, column) => dateRanges.some((range) => range.column === column && row >= range.fromRow && row <= range.toRow);
}

function hasRowIn(rows: ReadonlySet<number>, fromRow: number, toRow: number): boolean {
  for (const row of rows) if (row >= fromRow && row <= toRow) return true;
  return false;
}
