/**
 * A transaction log read from a CSV straight into a CustomerTable of its mapped columns.
 *
 * The general path (readDelimited → workbookRowsFromGrid → locateTable → buildCustomerTable) holds
 * every field of every line as a cell and parses each one; on UCI Online Retail that is 4.3 million
 * cells for 541,909 lines, seconds of work and half a gigabyte, for a log that is summarised per
 * customer and never written as a sheet. Here papaparse's records are read once, and of each only
 * the mapped columns are kept, as a code into their distinct texts (a few thousand dates, prices
 * and ids), so every distinct text is parsed once. The table is the one the general path gives:
 * the same header, rows, numbers and texts, problems (row and column), blank lines and notes.
 *
 * The general path stays for the shapes whose decisions need every cell: a header below titles or
 * empty lines, and a last line that might be a footnote or a totals row. readDelimitedLog returns
 * undefined for those, and for a file that is not a log; the caller then reads it as before.
 */
import {
  buildCustomerTableFromColumns, cellText, ROLES, type CellValue, type CodedColumn, type CustomerTable, type RoleId, type RoleMapping,
} from '../engine';
import { eachRecord, looksPlain, plainNumbers, type DecodedDelimited } from './csv';
import { recordAt, scanRecords, TextCodes, type RecordSpans } from './csv-scan';
import type { SheetGrid, TableNote } from './grid';
import { blankNote, isTotalLabel, locateTable, LOOKAHEAD_SCAN, type LocatedTable } from './region';

/** A log read from a CSV: its table, and what the sheet reader would have said about it. */
export interface DelimitedLog {
  table: CustomerTable;
  /** The header cells, one per table column, as locateTable names them. */
  headers: CellValue[];
  /** The notes locateTable gives on the whole file (unnamed columns, blank lines inside). */
  notes: TableNote[];
  sheetName: string;
}

/** Given the headers, the roles of a log; undefined when the file is not one. */
export type LogMappingChooser = (headers: string[]) => RoleMapping | undefined;

/** Records read ahead to find the header: locateTable looks that far below a candidate. */
const HEAD_RECORDS = LOOKAHEAD_SCAN + 101;

/**
 * Reads a decoded CSV as a transaction log when its shape allows (see the module comment).
 * @param mappingFor decides from the header texts whether the file is a log and maps its roles
 *   (table columns, 0-based); called once. Text roles other than the id and the invoice are not read
 *   (see rolesToRead), so the table's mapping leaves them out.
 * @returns the log, or undefined for the general path: not a log, a header that is not the
 *   first line with text, or a last line that could be a footnote or a totals row
 * @throws DelimitedTextError as readDelimited does (a quote never closed, too many columns)
 */
export function readDelimitedLog(decoded: DecodedDelimited, mappingFor: LogMappingChooser): DelimitedLog | undefined {
  const head = headOf(decoded);
  const located = locateHeader(head);
  if (!located) return undefined;
  const headers = located.headers;
  const chosen = mappingFor(headers.map((header) => cellText(header).trim()));
  if (!chosen) return undefined;
  const mapping = rolesToRead(chosen);
  const headerIndex = located.origin.headerRow - 1;
  const lines = readMappedColumns(decoded, located, mapping, estimatedLines(head.grid, decoded.bodyBytes.length));
  const rowCount = lines.dataLines;
  if (!lastLineIsData(lines, located)) return undefined;
  const columns = new Map<number, CodedColumn>();
  for (const [index, column] of lines.columns) columns.set(index, tableColumn(column, lines.blank, rowCount));
  const blankRows = lines.blank.slice(0, rowCount);
  const table = buildCustomerTableFromColumns(headers, rowCount, columns, blankRows, { mapping, origin: located.origin });
  return { table, headers, notes: [...located.notes.filter(isHeaderNote), ...blankLinesNote(blankRows, headerIndex)], sheetName: decoded.sheetName };
}

/**
 * The roles a log's summary or its problems need: every number, date and yes/no role (an unreadable
 * value is a problem to report), and of the text roles the customer id and the invoice. Another text
 * role (a product, a name) is never read from a log, which becomes one row per customer, and reading
 * a column of a few thousand product codes over 541,909 lines costs a tenth of the whole read.
 */
function rolesToRead(mapping: RoleMapping): RoleMapping {
  const read: RoleMapping = {};
  for (const role of ROLES) {
    const column = mapping[role.id];
    if (column !== undefined && (role.kind !== 'text' || SUMMARY_TEXT_ROLES.has(role.id))) read[role.id] = column;
  }
  return read;
}

const SUMMARY_TEXT_ROLES: ReadonlySet<RoleId> = new Set(['id', 'invoice']);

/**
 * The first records of the file, as readDelimited reads them, and whether the file ends among
 * them: by the scanner, which reads no further; by papaparse where the scanner declines.
 */
function headOf(decoded: DecodedDelimited): { grid: SheetGrid; whole: boolean } {
  let rows: (CellValue[] | undefined)[] = [];
  const keep = (fields: string[], width: number, index: number) => {
    rows[index] = fields.slice(0, width).map((field) => (field === '' ? null : field));
  };
  let records = scanRecords(decoded.bodyBytes, decoded.delimiter, decoded.decode, (record, index) => {
    if (index >= HEAD_RECORDS) return false;
    if (record.width > 0) keep(record.fields(), record.width, index);
  });
  // The scanner visits (and counts) the record after the head before it stops: a file that ends in the head has fewer.
  if (records !== undefined) records = Math.min(records, HEAD_RECORDS);
  else {
    rows = [];
    records = eachRecord(decoded.body, decoded.delimiter, decoded.displayName, { rowLimit: false, preview: HEAD_RECORDS }, keep);
  }
  return { grid: { name: decoded.sheetName, rows, merges: [], tables: [], aggregateFormulas: new Map() }, whole: records < HEAD_RECORDS };
}

/**
 * The header as locateTable finds it on the whole file, when that can be told from the head: the
 * header must be the first line with text (then no line's typing changes the decision, since the
 * header line is never read as numbers) and locateTable must have seen the lines it looks at below it.
 */
function locateHeader(head: { grid: SheetGrid; whole: boolean }): LocatedTable | undefined {
  const first = head.grid.rows.findIndex((row) => row !== undefined);
  if (first < 0 || (!head.whole && first + 1 + LOOKAHEAD_SCAN > HEAD_RECORDS)) return undefined;
  let located: LocatedTable;
  try {
    located = locateTable(head.grid);
  } catch {
    return undefined; // No header: the general path says so in its own words.
  }
  return located.origin.headerRow - 1 === first ? located : undefined;
}

/** Notes that depend on the header alone; those on the rows are worked out on the whole file. */
function isHeaderNote(note: TableNote): boolean {
  return note.kind === 'unnamedColumns' || note.kind === 'mergedHeader' || note.kind === 'titleRows';
}

/**
 * A growable array of 32-bit integers, every entry `missing` until set: the line count is known
 * only at the end. Sized from an estimate of the line count up front, it rarely grows, and its
 * values are handed over without a copy.
 */
class IntColumn {
  private data: Int32Array;

  constructor(private readonly missing: number, capacity: number) {
    this.data = new Int32Array(Math.max(16, capacity)).fill(missing);
  }

  set(index: number, value: number): void {
    if (index >= this.data.length) this.grow(index + 1);
    this.data[index] = value;
  }

  /** The values 0..length-1 (lines never set are `missing`). */
  values(length: number): Int32Array {
    if (length > this.data.length) this.grow(length);
    // A view, unless it would keep much more memory alive than it shows.
    return length * 2 >= this.data.length ? this.data.subarray(0, length) : this.data.slice(0, length);
  }

  private grow(least: number): void {
    const grown = new Int32Array(Math.max(this.data.length * 2, least));
    grown.set(this.data);
    grown.fill(this.missing, this.data.length);
    this.data = grown;
  }
}

/**
 * About how many lines the text has, from the head's records and its length in bytes (near
 * enough its characters): enough that the columns rarely grow (each growth copies them), not so
 * many that a wide file's estimate wastes much.
 */
function estimatedLines(head: SheetGrid, textLength: number): number {
  let characters = 0;
  let records = 0;
  for (const row of head.rows) {
    if (!row) continue;
    records++;
    for (const cell of row) characters += (cell === null ? 0 : String(cell).length) + 1;
  }
  return records === 0 ? 0 : Math.ceil((textLength / Math.max(1, characters / records)) * 1.1);
}

/** One mapped column as read: its distinct texts in order of first sight and, per line below the header, a code (-1 = empty). */
interface TextColumn {
  texts: string[];
  codes: Int32Array;
}

interface MappedLines {
  /** Per table column (0-based) the role columns, over every line below the header, trailing lines included. */
  columns: Map<number, TextColumn>;
  /** Per line below the header, 1 when it has nothing in the table's columns. */
  blank: Uint8Array;
  /** Lines below the header down to the last with something in the table's columns: the table's rows. */
  dataLines: number;
  /** The fields of that line, as papaparse gave them. */
  lastFields: string[];
  /** Non-empty cells of that line in the table's columns. */
  lastFilled: number;
}

/**
 * A record as readMappedColumns reads it: the scanner's field boundaries (RecordSpans), or
 * papaparse's fields where the scanner leaves the text to papaparse (FieldsRecord).
 */
interface LogRecord {
  /** Fields without the trailing empty ones. */
  readonly width: number;
  text(column: number): string;
  /** Whether field `column` holds the text of `code` among `codes` (-1: is empty): a log repeats an order's invoice, date and customer line after line. */
  holds(column: number, codes: TextCodes, code: number): boolean;
  /** Empty or white space only, as locateTable's isBlank. */
  isBlank(column: number): boolean;
  /** The field's code among its column's texts; -1 for an empty field. */
  codeIn(column: number, codes: TextCodes): number;
}

/**
 * The records of a text, one source or the other. `keep` notes a record cheaply for after its
 * visit (the scanner reuses one record object), and `fields` gives the noted record's fields.
 */
interface RecordSource<R extends LogRecord, Kept> {
  /** Visits every record in order; undefined when it cannot read the text (the visits made are then void). */
  each(visit: (record: R, index: number) => void): number | undefined;
  keep(record: R): Kept;
  fields(kept: Kept): string[];
}

/** papaparse's fields of one record, as a LogRecord. */
class FieldsRecord implements LogRecord {
  constructor(readonly values: string[], readonly width: number) {}
  text(column: number): string { return column < this.width ? this.values[column] : ''; }
  holds(column: number, codes: TextCodes, code: number): boolean { return this.text(column) === (code < 0 ? '' : codes.texts[code]); }
  isBlank(column: number): boolean { return this.text(column).trim() === ''; }
  codeIn(column: number, codes: TextCodes): number {
    const text = this.text(column);
    return text === '' ? -1 : codes.codeOf(text);
  }
}

/**
 * Reads every line below the header once, keeping of each only its mapped columns as codes and
 * whether it is blank: with the scanner where it takes the text, else with papaparse.
 */
function readMappedColumns(decoded: DecodedDelimited, located: LocatedTable, mapping: RoleMapping, lineEstimate: number): MappedLines {
  const { bodyBytes, decode, delimiter, displayName } = decoded;
  const scanned: RecordSource<RecordSpans, number> = {
    each: (visit) => scanRecords(bodyBytes, delimiter, decode, visit),
    keep: (record) => record.start,
    fields: (start) => recordAt(bodyBytes, delimiter, decode, start),
  };
  const parsed: RecordSource<FieldsRecord, FieldsRecord> = {
    // Read only when the scanner declines the text: the one place the whole body is decoded.
    each: (visit) => eachRecord(decoded.body, delimiter, displayName, { rowLimit: false }, (fields, width, index) => visit(new FieldsRecord(fields, width), index)),
    keep: (record) => record,
    fields: (record) => record.values,
  };
  return collectMappedColumns(located, mapping, scanned, lineEstimate) ?? collectMappedColumns(located, mapping, parsed, lineEstimate)!;
}

/**
 * readMappedColumns over one source of records.
 * @returns undefined when the source cannot read the text
 */
function collectMappedColumns<R extends LogRecord, Kept>(
  located: LocatedTable, mapping: RoleMapping, source: RecordSource<R, Kept>, lineEstimate: number,
): MappedLines | undefined {
  const headerIndex = located.origin.headerRow - 1;
  const first = located.origin.firstColumn;
  const last = located.lastColumn;
  const mapped = [...new Set(Object.values(mapping).filter((column): column is number => column !== undefined))];
  const distinct = mapped.map(() => new TextCodes());
  const codes = mapped.map(() => new IntColumn(-1, lineEstimate));
  const fieldOf = Int32Array.from(mapped, (column) => first + column);
  // A log repeats an order's invoice, date and customer line after line: comparing with the line above is cheaper still.
  const previousCode = new Int32Array(mapped.length).fill(-1);
  const filled = new IntColumn(0, lineEstimate);
  let dataLines = 0;
  let lastRecord: Kept | undefined;
  const records = source.each((record, index) => {
    if (index <= headerIndex || record.width === 0) return;
    const line = index - headerIndex - 1;
    const hasData = hasFilledCell(record, first, Math.min(last + 1, record.width));
    filled.set(line, hasData ? 1 : 0);
    if (hasData) {
      dataLines = line + 1;
      lastRecord = source.keep(record);
    }
    for (let k = 0; k < fieldOf.length; k++) {
      const field = fieldOf[k];
      let code = previousCode[k];
      if (!record.holds(field, distinct[k], code)) previousCode[k] = code = record.codeIn(field, distinct[k]);
      codes[k].set(line, code);
    }
  });
  if (records === undefined) return undefined;
  const lineCount = Math.max(0, records - headerIndex - 1);
  const filledCounts = filled.values(lineCount);
  const blank = new Uint8Array(lineCount);
  for (let line = 0; line < lineCount; line++) blank[line] = filledCounts[line] === 0 ? 1 : 0;
  const columns = new Map<number, TextColumn>();
  mapped.forEach((column, k) => columns.set(column, { texts: distinct[k].texts, codes: codes[k].values(lineCount) }));
  const fields = lastRecord === undefined ? [] : source.fields(lastRecord);
  const lastFilled = dataLines > 0 ? filledCells(fields, first, Math.min(last + 1, fields.length)) : 0;
  return { columns, blank, dataLines, lastFields: fields, lastFilled };
}

/** Whether one of the cells from..to-1 holds something other than spaces (locateTable's isBlank). */
function hasFilledCell(record: LogRecord, from: number, to: number): boolean {
  for (let column = from; column < to; column++) if (!record.isBlank(column)) return true;
  return false;
}

/** Cells from..to-1 that hold something other than spaces. */
function filledCells(fields: readonly string[], from: number, to: number): number {
  let count = 0;
  for (let column = from; column < to; column++) if (fields[column].trim() !== '') count++;
  return count;
}

/**
 * Whether the last line with data is a customer line as locateTable would decide: two cells or
 * more (one text cell alone may be a footnote), none saying "Total", and not a row of column sums.
 * Those sums are ruled out by a mapped number column whose last value is not the sum of those
 * above, or by a line without numbers; an unmapped cell that may be a number leaves it open, and
 * anything left open goes to the general path.
 */
function lastLineIsData(lines: MappedLines, located: LocatedTable): boolean {
  const end = lines.dataLines;
  if (end === 0 || lines.lastFilled < 2) return false;
  if (lines.lastFields.some((field) => isTotalLabel(field))) return false;
  // locateTable compares sums only below at least two rows of data.
  if (end - 1 < 2) return true;
  const first = located.origin.firstColumn;
  let numbers = 0;
  let open = false;
  for (let column = first; column <= located.lastColumn && column < lines.lastFields.length; column++) {
    const field = lines.lastFields[column];
    if (field.trim() === '') continue;
    const mapped = lines.columns.get(column - first);
    if (!mapped) open ||= looksPlain(field);
    else if (numbersOf(mapped)) {
      if (!isColumnSum(mapped, end - 1)) return true;
      numbers++;
    }
  }
  return numbers === 0 && !open;
}

/** Whether the column's number on `line` is the sum of its numbers above (locateTable's tolerance), as on a totals row. */
function isColumnSum(column: TextColumn, line: number): boolean {
  const numbers = numbersOf(column)!;
  let sum = 0;
  for (let above = 0; above < line; above++) if (column.codes[above] >= 0) sum += numbers[column.codes[above]];
  return Math.abs(sum - numbers[column.codes[line]]) <= 1e-9 * Math.max(1, Math.abs(sum));
}

const numbersCache = new WeakMap<TextColumn, Float64Array | undefined>();

/** The column's numbers per distinct text when workbookRowsFromGrid makes it a number column (every line below the header counted). */
function numbersOf(column: TextColumn): Float64Array | undefined {
  if (!numbersCache.has(column)) {
    const counts = new Int32Array(column.texts.length);
    const { codes } = column;
    for (let line = 0; line < codes.length; line++) if (codes[line] >= 0) counts[codes[line]]++;
    numbersCache.set(column, plainNumbers(column.texts, counts));
  }
  return numbersCache.get(column);
}

/**
 * The column as the table holds it: numbers where the column is one of numbers, blank lines empty,
 * lines past the table left out. Its codes are the column's own, changed in place: it is read last.
 */
function tableColumn(column: TextColumn, blank: Uint8Array, rowCount: number): CodedColumn {
  const numbers = numbersOf(column);
  const values: CellValue[] = numbers ? Array.from(numbers) : column.texts;
  const codes = column.codes.subarray(0, rowCount);
  // locateTable hands a blank line over as all-null cells, whatever spaces it held.
  for (let line = 0; line < rowCount; line++) if (blank[line]) codes[line] = -1;
  return { values, codes };
}

/** locateTable's note on blank lines inside the table, with 1-based sheet rows. */
function blankLinesNote(blankRows: Uint8Array, headerIndex: number): TableNote[] {
  const rows: number[] = [];
  for (let line = 0; line < blankRows.length; line++) if (blankRows[line]) rows.push(headerIndex + line + 2);
  return rows.length > 0 ? [blankNote(rows)] : [];
}
