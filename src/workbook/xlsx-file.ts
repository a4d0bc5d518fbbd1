import ExcelJS from 'exceljs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { MARKER_SHEET } from './marker';
import { sheetOptions, UNSTYLED, writePlannedSheet, XlsxWorkbook, type CellGrid, type RowWiseSheet } from './xlsx';

/** A streamed row: values and styles by column (index 1 is column A). */
interface StoredRow {
  values: ExcelJS.CellValue[];
  styles: Partial<ExcelJS.Style>[];
  height?: number;
  hidden?: boolean;
}

/** A sheet's cells as light arrays, instead of ExcelJS's object per cell. */
class RowStore implements CellGrid {
  readonly rows: (StoredRow | undefined)[] = [];

  get rowCount(): number {
    return Math.max(0, this.rows.length - 1);
  }

  rowValues(row: number): ExcelJS.CellValue[] {
    return this.rows[row]?.values ?? [];
  }

  setCell(row: number, column: number, value: ExcelJS.CellValue, style: Partial<ExcelJS.Style>): void {
    const stored = (this.rows[row] ??= { values: [], styles: [] });
    stored.values[column] = value;
    stored.styles[column] = style;
  }
}

/** Everything but the cells, read in a worker thread (skeleton-worker.js). */
function loadSkeleton(file: string): Promise<ExcelJS.Workbook> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(path.join(__dirname, 'skeleton-worker.js'), { workerData: { file } });
    worker.once('message', (message: { model?: ExcelJS.WorkbookModel; error?: string }) => {
      void worker.terminate();
      if (message.error || !message.model) return reject(new Error(`Cannot read ${path.basename(file)}: ${message.error}`));
      const workbook = new ExcelJS.Workbook();
      workbook.model = message.model;
      resolve(workbook);
    });
    worker.once('error', reject);
  });
}

/** The cells of every sheet, streamed into plain arrays, by sheet name. */
async function streamCells(file: string): Promise<Map<string, RowStore>> {
  const stores = new Map<string, RowStore>();
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, {
    worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'cache', entries: 'ignore',
  });
  for await (const worksheet of reader) {
    const store = new RowStore();
    stores.set((worksheet as unknown as { name: string }).name, store);
    for await (const row of worksheet) {
      const stored: StoredRow = { values: [], styles: [], height: row.height, hidden: row.hidden || undefined };
      row.eachCell({ includeEmpty: false }, (cell, column) => {
        stored.values[column] = cell.value;
        // The reader caches one style object per style, so repeats stay recognisable.
        stored.styles[column] = cell.style && Object.keys(cell.style).length ? cell.style : UNSTYLED;
      });
      store.rows[row.number] = stored;
    }
  }
  return stores;
}

/**
 * An .xlsx file for the CLI (Node only). ExcelJS's in-memory model of a 100,000-row sheet is about
 * a gigabyte of small objects, and collecting them took a third of the run; so the file is read
 * twice, at once, on two cores: once for everything but the cells (sheets, columns, views,
 * filters, merges, conditional formats, validations, names), once streamed for the cells into
 * plain arrays. It is
 * written back through ExcelJS's streaming writer.
 */
export class XlsxFile extends XlsxWorkbook {
  private readonly stores = new WeakMap<ExcelJS.Worksheet, RowStore>();

  static async open(file: string, options: { sheet?: string } = {}): Promise<XlsxFile> {
    // The two reads run at once, on two cores: the structure in a worker, the cells here.
    const [skeleton, cells] = await Promise.all([loadSkeleton(file), streamCells(file)]);
    const opened = new XlsxFile(skeleton, options.sheet);
    for (const sheet of skeleton.worksheets) {
      const store = cells.get(sheet.name);
      if (store) opened.stores.set(sheet, store);
    }
    return opened;
  }

  protected override grid(sheet: ExcelJS.Worksheet): CellGrid {
    let store = this.stores.get(sheet);
    if (!store) {
      store = new RowStore();
      this.stores.set(sheet, store);
    }
    return store;
  }

  /** Writes the workbook, with what the last apply wrote, through ExcelJS's streaming writer. */
  async save(file: string): Promise<void> {
    const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: true, useSharedStrings: true });
    writer.creator = this.workbook.creator;
    writer.lastModifiedBy = this.workbook.lastModifiedBy;
    writer.created = this.workbook.created;
    writer.modified = new Date();
    (writer as unknown as { definedNames: { model: unknown } }).definedNames.model = this.workbook.definedNames.model;
    const marker = this.workbook.getWorksheet(MARKER_SHEET);
    for (const sheet of this.workbook.worksheets) if (sheet !== marker) this.copySheet(sheet, writer);
    for (const planned of this.pendingSheets) {
      const sheet = writer.addWorksheet(planned.name, sheetOptions(planned));
      writePlannedSheet(sheet as unknown as RowWiseSheet, planned);
      sheet.commit();
    }
    this.pendingSheets = [];
    if (marker) this.copySheet(marker, writer);
    await writer.commit();
  }

  /** Writes one sheet: its structure from the skeleton, its cells from the store. */
  private copySheet(sheet: ExcelJS.Worksheet, writer: ExcelJS.stream.xlsx.WorkbookWriter): void {
    const target = writer.addWorksheet(sheet.name, {
      state: sheet.state, views: sheet.views, properties: sheet.properties, pageSetup: sheet.pageSetup, headerFooter: sheet.headerFooter,
    });
    sheet.columns?.forEach((column, index) => {
      const copy = target.getColumn(index + 1);
      if (column.width !== undefined) copy.width = column.width;
      if (column.hidden) copy.hidden = true;
      if (column.style && Object.keys(column.style).length) copy.style = column.style;
    });
    if (sheet.autoFilter) target.autoFilter = sheet.autoFilter;
    const formats = (sheet as unknown as { conditionalFormattings?: ExcelJS.ConditionalFormattingOptions[] }).conditionalFormattings ?? [];
    for (const format of formats) target.addConditionalFormatting(format);
    const validations = (sheet as unknown as { dataValidations?: { model: unknown } }).dataValidations;
    if (validations) (target as unknown as { dataValidations: { model: unknown } }).dataValidations.model = validations.model;
    // Merges must be declared before their rows are committed.
    for (const range of (sheet.model as { merges?: string[] }).merges ?? []) target.mergeCells(range);
    const store = this.grid(sheet) as RowStore;
    store.rows.forEach((stored, rowNumber) => {
      if (!stored) return;
      const row = target.getRow(rowNumber);
      if (stored.height) row.height = stored.height;
      if (stored.hidden) row.hidden = true;
      stored.values.forEach((value, column) => {
        const cell = row.getCell(column);
        cell.value = value;
        cell.style = stored.styles[column] ?? UNSTYLED;
      });
      row.commit();
    });
    target.commit();
  }
}
