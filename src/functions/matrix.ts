import { cellText, detectDecimalSeparator, normalizeHeader, parseDate, parseNumber, type CellValue, type Localized } from '../engine';
import { FunctionInputError } from './errors';

/** What Excel hands a custom function for a range: rows of cells (a single cell too, as [[x]]). */
export type ExcelMatrix = readonly (readonly unknown[])[];

/**
 * Why a cell could not be read: text that is not a number (or date), an Excel error value (with
 * allowErrorForDataTypeAny an error cell reaches the function instead of failing the whole call),
 * or a data type such as a linked entity (Stocks, Geography), which arrives as an object.
 */
export type UnreadableKind = 'text' | 'error' | 'entity';

/** A cell that could not be read, as the user would recognize it: its text, error code or entity name. */
export interface UnreadableCell {
  kind: UnreadableKind;
  text: string;
}

/** A column of cells read once, with the decimal separator decided for the whole column. */
export interface ReadColumn {
  /** The argument the column came from, for messages that name it. */
  name: Localized;
  /** What each cell should hold. */
  expected: 'number' | 'date';
  /** NaN where the cell is blank or unreadable; numbers, or dates as Excel serials. */
  values: Float64Array;
  /** Where and why a cell could not be read; undefined where it was read or blank. */
  unreadable: (UnreadableCell | undefined)[];
}

/** A column of cells read as numbers. */
export interface NumberColumn extends ReadColumn {
  expected: 'number';
}

/** A cell as the engine reads it, and why it cannot be read at all when it is an error or a data type. */
export interface ReadCell {
  value: CellValue;
  issue?: Exclude<UnreadableKind, 'text'>;
}

/** Data-type wrappers of a plain value (a formatted number, say) whose basic value is the cell's value. */
const PLAIN_DATA_TYPES = new Set(['Double', 'FormattedNumber', 'String', 'Boolean']);

function isPlain(value: unknown): value is number | string | boolean {
  return typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean';
}

/**
 * The error code of an error cell: a CustomFunctions.Error ({ code: "#N/A" }) or a data-types
 * error value ({ type: "Error", basicValue: "#N/A" }); undefined for anything else.
 */
function errorCode(cell: { code?: unknown; type?: unknown; basicValue?: unknown }): string | undefined {
  if (typeof cell.code === 'string' && cell.code.startsWith('#')) return cell.code;
  if (cell.type === 'Error') return typeof cell.basicValue === 'string' && cell.basicValue.startsWith('#') ? cell.basicValue : '#VALUE!';
  return undefined;
}

/**
 * One cell as Excel hands it to a custom function: numbers, text, booleans and blanks (null or
 * "") as they are; an error as its code; a data type as its basic value when it wraps a plain
 * value (a formatted number), else (an entity) as its display text, never "[object Object]".
 */
export function readCell(raw: unknown): ReadCell {
  if (raw === null || raw === undefined) return { value: null };
  if (isPlain(raw)) return { value: raw };
  if (typeof raw !== 'object') return { value: String(raw), issue: 'entity' };
  const cell = raw as { code?: unknown; type?: unknown; basicValue?: unknown; text?: unknown };
  const code = errorCode(cell);
  if (code !== undefined) return { value: code, issue: 'error' };
  if (typeof cell.type === 'string' && PLAIN_DATA_TYPES.has(cell.type) && isPlain(cell.basicValue)) return { value: cell.basicValue };
  const text = typeof cell.text === 'string' ? cell.text : isPlain(cell.basicValue) ? String(cell.basicValue) : typeof cell.type === 'string' ? cell.type : '?';
  return { value: text, issue: 'entity' };
}

/** A cell's value for the engine's parsers; errors and data types become their text (see readCell). */
export function toCellValue(value: unknown): CellValue {
  return readCell(value).value;
}

/**
 * Reads cells the way the engine reads a table column: `parse` gives a number (or date serial), or
 * undefined when the cell cannot be read. Error and data-type cells are unreadable whatever their
 * text, and do not take part in deciding the column's decimal separator.
 */
function readCells(cells: readonly unknown[], parse: (value: CellValue, decimal: ReturnType<typeof detectDecimalSeparator>) => number | undefined) {
  const read = cells.map(readCell);
  const decimal = detectDecimalSeparator(read.map((cell) => (cell.issue ? null : cell.value)));
  const values = new Float64Array(read.length);
  const unreadable: (UnreadableCell | undefined)[] = new Array(read.length).fill(undefined);
  read.forEach((cell, index) => {
    const parsed = cell.issue ? undefined : parse(cell.value, decimal);
    values[index] = parsed ?? NaN;
    if (parsed === undefined) unreadable[index] = { kind: cell.issue ?? 'text', text: cellText(cell.value) };
  });
  return { values, unreadable };
}

/** Reads cells as numbers the way the engine reads a table column. */
export function readNumbers(cells: readonly unknown[], name: Localized): NumberColumn {
  return { name, expected: 'number', ...readCells(cells, (value, decimal) => parseNumber(value, decimal)) };
}

/** Reads cells as dates (Excel serials) the way the engine reads a date column. */
export function readDates(cells: readonly unknown[], name: Localized): ReadColumn {
  return { name, expected: 'date', ...readCells(cells, (value) => parseDate(value)) };
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
  return readNumbers(columnCells(matrix, name), name);
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
  const cell = readCell(single);
  const parsed = Array.isArray(single) || cell.issue ? undefined : parseNumber(cell.value, null);
  if (parsed === undefined || Number.isNaN(parsed)) {
    throw new FunctionInputError('invalidValue', {
      en: `${capitalize(name.en)} must be a number, not "${cellText(cell.value)}".`,
      da: `${capitalize(name.da)} skal være et tal, ikke "${cellText(cell.value)}".`,
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

/**
 * The column names of a range the learning functions read as a table: the header row's texts
 * (a blank one, or every one without a header row, "Column N"), made unique as the feature layer
 * finds headers (normalizeHeader: "Size" and "size " are one name), so two columns named alike are
 * two features ("Size", "Size (2)"), never one. `width` columns.
 */
export function rangeHeaders(headerRow: readonly CellValue[] | undefined, width: number): string[] {
  const seen = new Map<string, number>();
  return Array.from({ length: width }, (_, column) => {
    const text = headerRow ? cellText(headerRow[column]).trim() : '';
    const name = text || `Column ${column + 1}`;
    const key = normalizeHeader(name);
    const count = (seen.get(key) ?? 0) + 1;
    seen.set(key, count);
    return count === 1 ? name : `${name} (${count})`;
  });
}
