import type { CellValue, Localized, TableOrigin } from '../engine';
import type { TableNote } from './grid';
import type { MarkerState } from './marker';
import type { WritePlan } from './plan';

/** What an adapter found: the customer table as the user has it, without SegmentKit's own columns. */
export interface TableSnapshot {
  sheetName: string;
  origin: TableOrigin;
  headers: CellValue[];
  rows: CellValue[][];
  /** Set when the data is an Excel table (ListObject); per-row formulas are needed there. */
  excelTableName?: string;
  /** What SegmentKit wrote on an earlier run, found again by its marker; null on a first run. */
  marker: MarkerState | null;
  /** Every sheet name in the workbook, so new sheets get names that are free. */
  sheetNames: string[];
  /** What the reader decided while finding the table (titles skipped, totals row left out, …). */
  notes?: TableNote[];
}

/**
 * A worksheet as the Data step lists it, to offer it as the order log beside the customer table:
 * its name and the size of what it holds (Excel: the used range of values; a file: the sheet's
 * recorded dimension, else its filled cells), 0 × 0 when it is empty.
 */
export interface SheetSummary {
  name: string;
  rowCount: number;
  columnCount: number;
}

export interface Progress {
  phase: 'read' | 'write';
  done: number;
  total: number;
}

export type ProgressListener = (progress: Progress) => void;

export interface ApplyReport {
  /** Sheet cells as A1 ranges, one per column or sheet written. */
  written: string[];
}

/**
 * The one interface the task pane and the CLI use to reach a workbook. `office.ts` implements it
 * with the Excel JavaScript API, `xlsx.ts` with ExcelJS.
 */
export interface WorkbookPort {
  readTable(onProgress?: ProgressListener): Promise<TableSnapshot>;
  /**
   * The visible worksheets a user may point at, in tab order: SegmentKit's own sheets (its marker
   * sheet and the sheets an earlier run wrote) left out.
   */
  listSheets(): Promise<SheetSummary[]>;
  /**
   * The table on the sheet named `sheetName` (an order log beside the customer table), found as a
   * file's table is found (region.ts locateTable: an Excel table as defined, else the header row
   * below any titles down to the last data row, a totals row left out). Reading it changes nothing
   * `apply` will write: the customer table stays the one readTable found.
   * @throws SheetNotFoundError when the workbook has no worksheet of that name
   * @throws TableNotFoundError when the sheet is empty or no row looks like a header
   */
  readSheetTable(sheetName: string, onProgress?: ProgressListener): Promise<TableSnapshot>;
  apply(plan: WritePlan, onProgress?: ProgressListener): Promise<ApplyReport>;
}

/** The sheet asked for is not a worksheet of the workbook, or the workbook has no visible one. */
export class SheetNotFoundError extends Error {
  readonly text: Localized;

  constructor(sheet: string | undefined, known: string[]) {
    const list = known.map((name) => `"${name}"`).join(', ') || '–';
    const text = sheet === undefined
      ? { en: 'The workbook has no visible sheet with data.', da: 'Projektmappen har intet synligt ark med data.' }
      : { en: `The workbook has no sheet named "${sheet}". Sheets: ${list}.`, da: `Projektmappen har intet ark med navnet "${sheet}". Ark: ${list}.` };
    super(text.en);
    this.text = text;
    this.name = 'SheetNotFoundError';
  }
}

/** Thrown instead of writing over a cell that SegmentKit did not write. */
export class OccupiedCellsError extends Error {
  readonly text: Localized;

  constructor(readonly address: string) {
    const text = {
      en: `SegmentKit will not overwrite ${address}: it holds data SegmentKit did not write. Move that data or the table, then run again.`,
      da: `SegmentKit overskriver ikke ${address}: cellen indeholder data, som SegmentKit ikke har skrevet. Flyt de data eller tabellen, og kør igen.`,
    };
    super(text.en);
    this.text = text;
    this.name = 'OccupiedCellsError';
  }
}

/**
 * Thrown when an apply stops part way (Excel refused a write, the connection dropped): says what
 * was written before it stopped. The marker was written first, so the next run finds those cells
 * and sheets as SegmentKit's own and replaces them.
 */
export class ApplyFailedError extends Error {
  readonly text: Localized;

  constructor(override readonly cause: unknown, readonly written: string[]) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    const list = written.length > 0 ? written.join(', ') : null;
    const text = {
      en: `SegmentKit stopped part way: ${reason}. ${list ? `Written before it stopped: ${list}.` : 'Nothing was written.'} Run SegmentKit again: it replaces what it wrote.`,
      da: `SegmentKit stoppede undervejs: ${reason}. ${list ? `Skrevet før stop: ${list}.` : 'Intet blev skrevet.'} Kør SegmentKit igen: det erstatter det, det har skrevet.`,
    };
    super(text.en);
    this.text = text;
    this.name = 'ApplyFailedError';
  }
}
