import ExcelJS from 'exceljs';
import type { PlannedSheet } from './plan';
import { MARKER_SHEET } from './marker';
import { sheetOptions, writePlannedSheet, type RowWiseSheet, type XlsxWorkbook } from './xlsx';

/** Saves an XlsxWorkbook, with what its last apply wrote, to a file (Node only: the CLI). */
export async function saveXlsxFile(port: XlsxWorkbook, file: string): Promise<void> {
  await writeWorkbookFile(port.workbook, port.takePendingSheets(), file);
}

/**
 * Writes a workbook to a file with ExcelJS's streaming writer: measured at about three times the
 * speed of its in-memory writer on 100,000 rows, with a fraction of the memory. The user's sheets
 * are copied cell by cell with their styles; the plan's sheets go straight from plan data.
 */
export async function writeWorkbookFile(source: ExcelJS.Workbook, pending: PlannedSheet[], file: string): Promise<void> {
  const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: true, useSharedStrings: true });
  writer.creator = source.creator;
  writer.lastModifiedBy = source.lastModifiedBy;
  writer.created = source.created;
  writer.modified = new Date();
  (writer as unknown as { definedNames: { model: unknown } }).definedNames.model = source.definedNames.model;
  const marker = source.getWorksheet(MARKER_SHEET);
  for (const sheet of source.worksheets) if (sheet !== marker) copySheet(sheet, writer);
  for (const planned of pending) {
    const sheet = writer.addWorksheet(planned.name, sheetOptions(planned));
    writePlannedSheet(sheet as unknown as RowWiseSheet, planned);
    sheet.commit();
  }
  if (marker) copySheet(marker, writer);
  await writer.commit();
}

const UNSTYLED: Partial<ExcelJS.Style> = {};

/** Copies a sheet's cells, styles, columns, merges and formats into the streaming writer. */
function copySheet(sheet: ExcelJS.Worksheet, writer: ExcelJS.stream.xlsx.WorkbookWriter): void {
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
  const merges = (sheet.model as { merges?: string[] }).merges ?? [];
  const formats = (sheet as unknown as { conditionalFormattings?: ExcelJS.ConditionalFormattingOptions[] }).conditionalFormattings ?? [];
  for (const format of formats) target.addConditionalFormatting(format);
  const validations = (sheet as unknown as { dataValidations?: { model: unknown } }).dataValidations;
  if (validations) (target as unknown as { dataValidations: { model: unknown } }).dataValidations.model = validations.model;
  const merged = new Set(merges);
  let mergesDone = merged.size === 0;
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const copy = target.getRow(rowNumber);
    if (row.height) copy.height = row.height;
    if (row.hidden) copy.hidden = true;
    row.eachCell({ includeEmpty: false }, (cell, column) => {
      const out = copy.getCell(column);
      out.value = cell.value;
      // Loaded cells share one style object per style (ExcelJS caches them by id); unstyled ones
      // share ours, so the writer recognises every repeat.
      out.style = cell.style && Object.keys(cell.style).length ? cell.style : UNSTYLED;
    });
    // Merges must be declared before their first row is committed.
    if (!mergesDone) {
      for (const range of merged) target.mergeCells(range);
      mergesDone = true;
    }
    copy.commit();
  });
  target.commit();
}
