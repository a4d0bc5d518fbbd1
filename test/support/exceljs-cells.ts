import type ExcelJS from 'exceljs';
import type { CellValue } from '../../src/engine';

/**
 * A cell as ExcelJS reads it, reduced to what the engine reads: formulas give their stored result,
 * rich text its plain text. Tests read SegmentKit's output with ExcelJS as one independent reader
 * among others (openpyxl, LibreOffice); SegmentKit itself no longer writes through ExcelJS.
 */
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
