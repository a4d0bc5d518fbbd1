import type { CellValue, Localized } from '../engine';

/** Excel's sheet limits (Excel specifications and limits): rows 1..1,048,576, columns A..XFD. */
export const SHEET_ROWS = 1_048_576;
export const SHEET_COLUMNS = 16_384;

/** A rectangle of cells, 0-based rows and columns, both ends included. */
export interface CellBox {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

/** An Excel table (ListObject) as its table part defines it. */
export interface DefinedTable {
  name: string;
  box: CellBox;
  /** 0 when the table has no header row (Excel allows hiding it). */
  headerRowCount: number;
  /** 1 when the table shows a totals row: its last row is not a customer. */
  totalsRowCount: number;
  /**
   * The column names the table part defines (tableColumn/@name), left to right, where the reader
   * has them: they name the columns when the header row is hidden (headerRowCount 0).
   */
  columnNames?: string[];
}

/**
 * One sheet's cells as a file or Excel hands them over, before SegmentKit decides where the
 * customer table is. Every reader (the .xlsx package reader, CSV, Office) fills this one shape,
 * so finding the table a person sees is written once (region.ts).
 */
export interface SheetGrid {
  name: string;
  /**
   * rows[r][c], 0-based; a missing row or cell is blank. A formula cell holds its stored result;
   * an error result holds its error text ('#N/A', '#DIV/0!'), which no number parser accepts, so
   * it is reported like any unreadable cell. Date-formatted numbers arrive as Date (UTC), with
   * the workbook's date system already applied.
   */
  rows: (CellValue[] | undefined)[];
  /** Merged ranges; only the top-left cell of each holds a value. */
  merges: CellBox[];
  /** Excel tables on this sheet. */
  tables: DefinedTable[];
  /**
   * Cells whose formula aggregates (SUM, SUBTOTAL, AGGREGATE, …), keyed boxKey(row, column) (0-based),
   * the formula without '='. Only those are kept, so a million formula rows cost nothing; they
   * are how a totals row written as =SUM(D2:D99) is recognised.
   */
  aggregateFormulas: Map<string, string>;
  /** The highest conditional-format rule priority on the sheet (0 when none), so rules added later come after the user's. */
  maxRulePriority?: number;
  /** The highest shared-formula index (`si`) on the sheet, -1 when none, so formulas added later take free ones. */
  maxSharedIndex?: number;
}

/** Something SegmentKit noticed while finding the table, said to the user; rows are 1-based sheet rows. */
export interface TableNote {
  kind:
    | 'titleRows' | 'blankRows' | 'totalsRow' | 'footnoteRows' | 'mergedHeader' | 'unnamedColumns' | 'mergedData'
    | 'hiddenHeader' | 'columnsBeyond';
  rows: number[];
  text: Localized;
}

export function boxKey(row: number, column: number): string {
  return `${row}:${column}`;
}
