import { cellText, detectDecimalSeparator, parseNumber, type CellValue, type Localized } from '../engine';
import { FunctionInputError } from './errors';

/** What Excel hands a custom function for a range: rows of cells (a single cell too, as [[x]]). */
export type ExcelMatrix = readonly (readonly unknown[])[];

/** A column of cells read as numbers once, with the decimal separator decided for the whole column. */
export interface NumberColumn {
  /** NaN where the cell is blank or unreadable. */
  values: Float64Array;
  /** The cell's text where it could not be read as a number; undefined where it was read or blank. */
  unreadable: (string | undefined)[];
}

/**
 * Excel passes numbers, text, booleans and blanks (null or ""); anything else (a data type, say)
 * is kept as its text so it reads as unreadable rather than as a number.
 */
export function toCellValue(value: unknown): CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  return String(value);
}

/** Reads cells as numbers the way the engine reads a table column. */
export function readNumbers(cells: readonly unknown[]): NumberColumn {
  const raw = cells.map(toCellValue);
  const decimal = detectDecimalSeparator(raw);
  const values = new Float64Array(raw.length);
  const unreadable: (string | undefined)[] = new Array(raw.length).fill(undefined);
  raw.forEach((cell, index) => {
    const parsed = parseNumber(cell, decimal);
    values[index] = parsed ?? NaN;
    if (parsed === undefined) unreadable[index] = cellText(cell);
  });
  return { values, unreadable };
}

/** The cells of a one-column range, top to bottom; any other shape is the caller's mistake. */
export function columnCells(matrix: ExcelMatrix, name: Localized): unknown[] {
  if (!Array.isArray(matrix) || matrix.length === 0) {
    throw new FunctionInputError('invalidValue', {
      en: `Give ${name.en} as a cell or a column of cells.`,
      da: `Angiv ${name.da} som en celle eller en kolonne af celler.`,
    });
  }
  if (matrix.some((row) => row.length !== 1)) {
    throw new FunctionInputError('invalidValue', {
      en: `Give ${name.en} as one column (the range has ${matrix[0].length} columns).`,
      da: `Angiv ${name.da} som én kolonne (området har ${matrix[0].length} kolonner).`,
    });
  }
  return matrix.map((row) => row[0]);
}

export function readColumn(matrix: ExcelMatrix, name: Localized): NumberColumn {
  return readNumbers(columnCells(matrix, name));
}

/** Every cell of a range, row by row, for functions that take any shape. */
export function allCells(matrix: ExcelMatrix): unknown[] {
  return Array.isArray(matrix) ? matrix.flat() : [matrix];
}

function isBlank(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === 'string' && value.trim() === '');
}

/**
 * A number argument that may be left out: undefined when omitted or blank (Excel passes null for
 * an omitted argument and a blank cell reads as null or ""). Text numbers such as "0,8" or
 * "80 %" are read; other text is a #VALUE! naming the argument.
 */
export function readOptionalNumber(value: unknown, name: Localized): number | undefined {
  const single = Array.isArray(value) && value.length === 1 && Array.isArray(value[0]) && value[0].length === 1 ? value[0][0] : value;
  if (isBlank(single)) return undefined;
  const parsed = Array.isArray(single) ? undefined : parseNumber(toCellValue(single), null);
  if (parsed === undefined || Number.isNaN(parsed)) {
    throw new FunctionInputError('invalidValue', {
      en: `${capitalize(name.en)} must be a number, not "${cellText(toCellValue(single))}".`,
      da: `${capitalize(name.da)} skal være et tal, ikke "${cellText(toCellValue(single))}".`,
    });
  }
  return parsed;
}

export function capitalize(text: string): string {
  return text.charAt(0).toLocaleUpperCase() + text.slice(1);
}

/** A spilled column: one row per value. */
export function asColumn<T>(values: readonly T[]): T[][] {
  return values.map((value) => [value]);
}
