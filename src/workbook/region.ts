import { columnLetter, columnOfReference, type CellValue, type Localized, type TableOrigin } from '../engine';
import { boxKey, type CellBox, type DefinedTable, type SheetGrid, type TableNote } from './grid';

/**
 * Finding the customer table a person sees on a sheet, written once for every reader (the .xlsx
 * package, CSV and later Office): an Excel table as defined, else the header row below any
 * titles, down to the last row of data, without a totals row or footnotes below it.
 */

/** The customer table found on a sheet; its rows and columns are the table's, its notes say every decision. */
export interface LocatedTable {
  /** Where the header sits: 1-based header row, 0-based first column. */
  origin: TableOrigin;
  /** One per table column; a column without a header text gets a readable name, said in a note. */
  headers: CellValue[];
  /**
   * One per data row from the row below the header to the last row of data; a blank row inside
   * is an all-null row. Row i's cell j is column j of the table; a shorter row's missing cells
   * are blank. A table starting in column A hands over the grid's own row arrays (a million rows
   * are not copied), so a row may run on past lastColumn (into SegmentKit's own columns, say):
   * those cells are not the table's. Treat rows as read-only.
   */
  rows: CellValue[][];
  /** 0-based sheet column of the table's last column. */
  lastColumn: number;
  notes: TableNote[];
  /** The Excel table's name when the table is one. */
  excelTableName?: string;
}

export interface LocateOptions {
  /** SegmentKit's own segment columns from an earlier run (0-based sheet columns): they and all to their right are not the customer's table. */
  ownColumns?: ReadonlySet<number>;
  /** The Excel table to use when the sheet has several. */
  tableName?: string;
}

/** No customer table on the sheet; `text` says why in both languages, `message` is the English. */
export class TableNotFoundError extends Error {
  constructor(readonly text: Localized) {
    super(text.en);
    this.name = 'TableNotFoundError';
  }
}

type SheetRow = readonly CellValue[] | undefined;

/** Non-blank rows a header is looked for among, and rows below a candidate that show whether data follows. */
const HEADER_SEARCH_ROWS = 100;
const LOOKAHEAD_ROWS = 5;
export const LOOKAHEAD_SCAN = 1000;
/** Most rows or cells a note lists before saying "and N more". */
const LISTED = 10;

const TOTAL_LABELS = new Set([
  'total', 'totals', 'totalt', 'i alt', 'ialt', 'sum', 'summa', 'subtotal', 'sub-total', 'sub total', 'grand total',
  'samlet', 'samlet total', 'samlet sum', 'total i alt', 'hovedtotal', 'sum i alt',
]);
const FOOTNOTE_START = /^(?:kilde|kilder|source|sources|note|notes|noter|bemærk|bemærkning|anm\.?|fodnote|footnote|\*|†|¹|²|³)(?:\s|:|$)/iu;

/**
 * The customer table a person sees on the sheet.
 *
 * - An Excel table (grid.tables; the one named `tableName`, else the first) is used as defined:
 *   its header row, its data rows, its totals row left out. Without a header row (headerRowCount
 *   0) every row of it is data and the columns take the table's column names (or "Column F").
 * - Otherwise the header is the first row that looks like one: mostly distinct texts, no dates,
 *   as wide as the rows below it; non-blank rows above it are titles. The columns run from the
 *   header's first to its last cell (a merged header cell spans its columns). The list runs to the
 *   last row with data: blank rows inside are kept as all-null rows, trailing blank rows dropped,
 *   and a totals row ("Total", "I alt", an aggregate formula over the column above, or numbers
 *   equal to the column sums) and footnote lines below the data are left out.
 * - Merged data cells are filled from their top-left cell in every cell they cover.
 * - `ownColumns` and every column right of the first of them are never part of the table.
 *
 * Linear in the sheet's cells; rows of a table starting in column A are the grid's own arrays.
 * Every decision a user should know is a note (rows 1-based). Throws TableNotFoundError when the
 * sheet (left of SegmentKit's own columns) is empty or no row looks like a header.
 */
export function locateTable(grid: SheetGrid, options: LocateOptions = {}): LocatedTable {
  const limit = firstOwnColumn(options.ownColumns);
  const defined = chooseTable(grid.tables, options.tableName);
  const located = defined ? fromDefinedTable(grid, defined, limit) : fromSheetCells(grid, limit);
  const beyond = columnsBeyondNote(grid, located, options.ownColumns);
  if (beyond) located.notes.push(beyond);
  return located;
}

function firstOwnColumn(own: ReadonlySet<number> | undefined): number {
  let first = Infinity;
  for (const column of own ?? []) first = Math.min(first, column);
  return first;
}

function chooseTable(tables: readonly DefinedTable[], name: string | undefined): DefinedTable | undefined {
  return (name === undefined ? undefined : tables.find((table) => table.name === name)) ?? tables[0];
}

function isBlank(value: CellValue): boolean {
  return value === null || value === undefined || (typeof value === 'string' && value.trim() === '');
}

/** Whether the row holds anything in columns first..last. */
function hasData(row: SheetRow, first: number, last: number): boolean {
  if (!row) return false;
  const end = Math.min(last, row.length - 1);
  for (let column = first; column <= end; column++) if (!isBlank(row[column])) return true;
  return false;
}

/** The columns of the row that hold something, left of `limit`. */
function filledColumns(row: SheetRow, limit: number): number[] {
  const filled: number[] = [];
  if (!row) return filled;
  const end = Math.min(limit, row.length);
  for (let column = 0; column < end; column++) if (!isBlank(row[column])) filled.push(column);
  return filled;
}

// ── An Excel table ────────────────────────────────────────────────────────────────────────────

function fromDefinedTable(grid: SheetGrid, table: DefinedTable, limit: number): LocatedTable {
  const { box } = table;
  const last = Math.min(box.right, limit - 1);
  if (last < box.left) throw noHeader(grid.name);
  const notes: TableNote[] = [];
  const hidden = table.headerRowCount === 0;
  const headerRow = hidden ? box.top - 1 : box.top;
  const headers = hidden
    ? columnRange(box.left, last).map((column) => table.columnNames?.[column - box.left] ?? unnamedColumn(column))
    : nameHeaders(grid, headerRow, box.left, last, notes);
  if (hidden) notes.push(hiddenHeaderNote(table, box, headers));
  const end = box.bottom - table.totalsRowCount;
  if (table.totalsRowCount > 0) notes.push(totalsNote(columnRange(end + 1, box.bottom).map((row) => row + 1)));
  const body = dataRows(grid, headerRow + 1, end, box.left, last, notes);
  return { origin: { headerRow: headerRow + 1, firstColumn: box.left }, headers, rows: body, lastColumn: last, notes, excelTableName: table.name };
}

function hiddenHeaderNote(table: DefinedTable, box: CellBox, headers: CellValue[]): TableNote {
  const names = headers.map((header) => `"${String(header)}"`).join(', ');
  return {
    kind: 'hiddenHeader',
    rows: [box.top + 1],
    text: {
      en: `The table "${table.name}" hides its header row: its first row (row ${box.top + 1}) is read as a customer, and its columns are named ${names}.`,
      da: `Tabellen "${table.name}" skjuler sin overskriftsrække: dens første række (række ${box.top + 1}) læses som en kunde, og dens kolonner hedder ${names}.`,
    },
  };
}

// ── A plain range ─────────────────────────────────────────────────────────────────────────────

function fromSheetCells(grid: SheetGrid, limit: number): LocatedTable {
  const headerRow = findHeaderRow(grid, limit);
  const notes: TableNote[] = [];
  const titles = titleRows(grid.rows, headerRow, limit);
  if (titles.length > 0) notes.push(titleNote(titles, headerRow + 1));
  const filled = filledColumns(grid.rows[headerRow], limit);
  const first = filled[0];
  const last = Math.min(limit - 1, mergedRight(grid.merges, headerRow, filled[filled.length - 1]));
  const headers = nameHeaders(grid, headerRow, first, last, notes);
  const end = lastDataRow(grid, headerRow, first, last, notes);
  const body = dataRows(grid, headerRow + 1, end, first, last, notes);
  return { origin: { headerRow: headerRow + 1, firstColumn: first }, headers, rows: body, lastColumn: last, notes };
}

/** The header's last column, reaching to the right end of a merged cell that starts in it. */
function mergedRight(merges: readonly CellBox[], headerRow: number, last: number): number {
  let right = last;
  for (const merge of merges) if (merge.top <= headerRow && merge.bottom >= headerRow && merge.left === last) right = Math.max(right, merge.right);
  return right;
}

/** The 0-based index of the first row that looks like a header; throws when the sheet is empty or has none. */
function findHeaderRow(grid: SheetGrid, limit: number): number {
  let tried = 0;
  for (let row = 0; row < grid.rows.length && tried < HEADER_SEARCH_ROWS; row++) {
    const filled = filledColumns(grid.rows[row], limit);
    if (filled.length === 0) continue;
    tried++;
    if (looksLikeHeader(grid, row, filled, limit)) return row;
  }
  if (tried === 0) throw emptySheet(grid.name);
  throw noHeader(grid.name);
}

/**
 * A header row: its cells are mostly distinct texts (no dates or yes/no values: a date line is a
 * title), and it is as wide as the rows that follow: more than half as many cells as they have,
 * covering at least 90 % of their cells. One cell alone is a header only over a one-column list.
 */
function looksLikeHeader(grid: SheetGrid, row: number, filled: number[], limit: number): boolean {
  const cells = grid.rows[row]!;
  const texts = new Set<string>();
  let textCount = 0;
  for (const column of filled) {
    const value = cells[column];
    if (value instanceof Date || typeof value === 'boolean') return false;
    if (typeof value === 'string') {
      textCount++;
      texts.add(value.trim().toLocaleLowerCase('da'));
    }
  }
  if (textCount * 2 < filled.length || texts.size * 5 < textCount * 4) return false;
  const below = followingRows(grid.rows, row, limit);
  if (filled.length === 1) return textCount === 1 && below.length > 0 && below.every((next) => next.length === 1 && next[0] === filled[0]);
  if (below.length === 0) return true;
  const widths = below.map((next) => next.length).sort((a, b) => a - b);
  if (filled.length * 2 <= widths[Math.floor(widths.length / 2)]) return false;
  const first = filled[0];
  const last = mergedRight(grid.merges, row, filled[filled.length - 1]);
  let covered = 0;
  let total = 0;
  for (const next of below) for (const column of next) { total++; if (column >= first && column <= last) covered++; }
  return covered * 10 >= total * 9;
}

/** The filled columns of the next few non-blank rows below `row`. */
function followingRows(rows: readonly SheetRow[], row: number, limit: number): number[][] {
  const found: number[][] = [];
  const end = Math.min(rows.length, row + 1 + LOOKAHEAD_SCAN);
  for (let next = row + 1; next < end && found.length < LOOKAHEAD_ROWS; next++) {
    const filled = filledColumns(rows[next], limit);
    if (filled.length > 0) found.push(filled);
  }
  return found;
}

/** 1-based numbers of the non-blank rows above the header. */
function titleRows(rows: readonly SheetRow[], headerRow: number, limit: number): number[] {
  const titles: number[] = [];
  for (let row = 0; row < headerRow; row++) if (hasData(rows[row], 0, limit - 1)) titles.push(row + 1);
  return titles;
}

function titleNote(rows: number[], headerRow: number): TableNote {
  return {
    kind: 'titleRows',
    rows,
    text: {
      en: `${plural(rows, 'Row', 'Rows')} ${listRows(rows, 'en')} above the header (row ${headerRow}) ${rows.length === 1 ? 'is a title' : 'are titles'} and ${rows.length === 1 ? 'was' : 'were'} skipped.`,
      da: `${plural(rows, 'Række', 'Rækkerne')} ${listRows(rows, 'da')} over overskriftsrækken (række ${headerRow}) er ${rows.length === 1 ? 'en titel' : 'titler'} og er sprunget over.`,
    },
  };
}

/**
 * The 0-based index of the last customer row: the last row with data in the table's columns,
 * after footnote lines and a totals row at the bottom are left out (each said in a note).
 */
function lastDataRow(grid: SheetGrid, headerRow: number, first: number, last: number, notes: TableNote[]): number {
  const { rows } = grid;
  const start = headerRow + 1;
  let end = rows.length - 1;
  const footnotes: number[] = [];
  const totals: number[] = [];
  for (;;) {
    while (end >= start && !hasData(rows[end], first, last)) end--;
    if (end < start) break;
    const footnoteCount = footnoteLines(rows, start, end, first, last);
    if (footnoteCount > 0) {
      for (let k = 0; k < footnoteCount; k++) footnotes.push(end - k + 1);
      end -= footnoteCount;
    } else if (isTotalsRow(grid, start, end, first, last, totals.length === 0)) {
      totals.push(end + 1);
      end--;
    } else break;
  }
  if (totals.length > 0) notes.push(totalsNote(totals.reverse()));
  if (footnotes.length > 0) notes.push(footnoteNote(footnotes.reverse()));
  return end;
}

/** The text of the row's only filled cell in first..last, or undefined when it has another shape. */
function singleText(row: SheetRow, first: number, last: number): string | undefined {
  if (!row) return undefined;
  let text: string | undefined;
  const end = Math.min(last, row.length - 1);
  for (let column = first; column <= end; column++) {
    const value = row[column];
    if (isBlank(value)) continue;
    if (text !== undefined || typeof value !== 'string') return undefined;
    text = value;
  }
  return text;
}

/**
 * How many rows at the bottom (ending at `end`) are footnote lines: one text cell that starts
 * like a footnote ("Kilde: …", "* …"), or up to three one-text-cell lines set off from the data
 * by a blank row in a table of more than one column.
 */
function footnoteLines(rows: readonly SheetRow[], start: number, end: number, first: number, last: number): number {
  const bottom = singleText(rows[end], first, last);
  if (bottom === undefined) return 0;
  if (FOOTNOTE_START.test(bottom.trim())) return 1;
  if (first === last) return 0;
  let top = end;
  while (top - 1 >= start && end - top < 2 && singleText(rows[top - 1], first, last) !== undefined) top--;
  const above = top - 1;
  return above >= start && !hasData(rows[above], first, last) ? end - top + 1 : 0;
}

function normalizedLabel(text: string): string {
  return text.trim().toLocaleLowerCase('da').replace(/[:.]+$/u, '').replace(/\s+/gu, ' ');
}

/**
 * A totals row: a cell saying so ("Total", "I alt", …), an aggregate formula over the rows above
 * in its column, or (checked only for the bottom row) numbers that all equal their column's sum
 * over at least two rows above.
 */
function isTotalsRow(grid: SheetGrid, start: number, row: number, first: number, last: number, bySums: boolean): boolean {
  const cells = grid.rows[row]!;
  const end = Math.min(last, cells.length - 1);
  for (let column = first; column <= end; column++) if (isTotalLabel(cells[column])) return true;
  if (grid.aggregateFormulas.size > 0) {
    for (let column = first; column <= last; column++) {
      const formula = grid.aggregateFormulas.get(boxKey(row, column));
      if (formula !== undefined && aggregatesAbove(formula, row, column)) return true;
    }
  }
  return bySums && row - start >= 2 && numbersAreColumnSums(grid.rows, start, row, first, end);
}

/** A cell that says its row is a totals row ("Total", "I alt", "Sum:", …). */
export function isTotalLabel(value: CellValue): boolean {
  return typeof value === 'string' && TOTAL_LABELS.has(normalizedLabel(value));
}

const A1_RANGE = /\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?/gu;

/**
 * Whether an aggregate formula in (row, column) sums the cells above it in its column. A formula
 * with no A1 reference (a structured reference such as Table1[Revenue], a name) is taken as one.
 */
function aggregatesAbove(formula: string, row: number, column: number): boolean {
  let references = 0;
  for (const match of formula.matchAll(A1_RANGE)) {
    references++;
    const left = columnOfReference(match[1], 0);
    const right = match[3] ? columnOfReference(match[3], 0) : left;
    const top = Number(match[2]) - 1;
    if (Math.min(left, right) <= column && column <= Math.max(left, right) && top < row) return true;
  }
  return references === 0;
}

function numbersAreColumnSums(rows: readonly SheetRow[], start: number, row: number, first: number, end: number): boolean {
  const cells = rows[row]!;
  const columns: number[] = [];
  for (let column = first; column <= end; column++) if (typeof cells[column] === 'number') columns.push(column);
  if (columns.length === 0 || columns.every((column) => cells[column] === 0)) return false;
  const sums = new Float64Array(columns.length);
  for (let above = start; above < row; above++) {
    const source = rows[above];
    if (!source) continue;
    for (let k = 0; k < columns.length; k++) {
      const value = source[columns[k]];
      if (typeof value === 'number') sums[k] += value;
    }
  }
  return columns.every((column, k) => Math.abs(sums[k] - (cells[column] as number)) <= 1e-9 * Math.max(1, Math.abs(sums[k])));
}

function totalsNote(rows: number[]): TableNote {
  return {
    kind: 'totalsRow',
    rows,
    text: {
      en: `${plural(rows, 'Row', 'Rows')} ${listRows(rows, 'en')} ${rows.length === 1 ? 'is a totals row' : 'are totals rows'}, not ${rows.length === 1 ? 'a customer' : 'customers'}, and ${rows.length === 1 ? 'was' : 'were'} left out.`,
      da: `${plural(rows, 'Række', 'Rækkerne')} ${listRows(rows, 'da')} er ${rows.length === 1 ? 'en totalrække' : 'totalrækker'}, ikke ${rows.length === 1 ? 'en kunde' : 'kunder'}, og er udeladt.`,
    },
  };
}

function footnoteNote(rows: number[]): TableNote {
  return {
    kind: 'footnoteRows',
    rows,
    text: {
      en: `${plural(rows, 'Row', 'Rows')} ${listRows(rows, 'en')} below the data ${rows.length === 1 ? 'is a footnote' : 'are footnotes'}, not ${rows.length === 1 ? 'a customer' : 'customers'}, and ${rows.length === 1 ? 'was' : 'were'} left out.`,
      da: `${plural(rows, 'Række', 'Rækkerne')} ${listRows(rows, 'da')} under data er ${rows.length === 1 ? 'en fodnote' : 'fodnoter'}, ikke ${rows.length === 1 ? 'en kunde' : 'kunder'}, og er udeladt.`,
    },
  };
}

// ── Headers and rows, for both kinds of table ─────────────────────────────────────────────────

function columnRange(from: number, to: number): number[] {
  const range: number[] = [];
  for (let index = from; index <= to; index++) range.push(index);
  return range;
}

function unnamedColumn(column: number): string {
  return `Column ${columnLetter(column)}`;
}

/**
 * The header row's texts for columns first..last. A cell covered by a merged header cell is named
 * after it ("Revenue (2)"); another blank header cell is named after its column ("Column F").
 */
function nameHeaders(grid: SheetGrid, headerRow: number, first: number, last: number, notes: TableNote[]): CellValue[] {
  const cells = grid.rows[headerRow] ?? [];
  const headers: CellValue[] = columnRange(first, last).map((column) => cells[column] ?? null);
  const mergedNames: string[] = [];
  for (const merge of grid.merges) {
    if (merge.top > headerRow || merge.bottom < headerRow || merge.right === merge.left) continue;
    const name = String(grid.rows[merge.top]?.[merge.left] ?? '').trim();
    if (!name) continue;
    for (let column = Math.max(merge.left + 1, first); column <= Math.min(merge.right, last); column++) {
      headers[column - first] = `${name} (${column - merge.left + 1})`;
      mergedNames.push(`${columnLetter(column)} "${String(headers[column - first])}"`);
    }
  }
  if (mergedNames.length > 0) notes.push(mergedHeaderNote(headerRow + 1, mergedNames));
  const unnamed: string[] = [];
  headers.forEach((header, index) => {
    if (!isBlank(header)) return;
    headers[index] = unnamedColumn(first + index);
    unnamed.push(columnLetter(first + index));
  });
  if (unnamed.length > 0) notes.push(unnamedNote(headerRow + 1, unnamed));
  return headers;
}

function mergedHeaderNote(row: number, names: string[]): TableNote {
  return {
    kind: 'mergedHeader',
    rows: [row],
    text: {
      en: `A header cell in row ${row} is merged across several columns; each column it covers is read, named ${listWords(names, 'en')}.`,
      da: `En overskriftscelle i række ${row} er flettet over flere kolonner; hver kolonne, den dækker, læses og hedder ${listWords(names, 'da')}.`,
    },
  };
}

function unnamedNote(row: number, letters: string[]): TableNote {
  const names = letters.map((letter) => `"Column ${letter}"`);
  return {
    kind: 'unnamedColumns',
    rows: [row],
    text: {
      en: `${letters.length === 1 ? 'Column' : 'Columns'} ${listWords(letters, 'en')} ${letters.length === 1 ? 'has' : 'have'} no header in row ${row} and ${letters.length === 1 ? 'is' : 'are'} named ${listWords(names, 'en')}.`,
      da: `${letters.length === 1 ? 'Kolonne' : 'Kolonnerne'} ${listWords(letters, 'da')} har ingen overskrift i række ${row} og hedder ${listWords(names, 'da')}.`,
    },
  };
}

/**
 * Sheet rows start..end (0-based) as the table's rows over columns first..last: the grid's own
 * array where it already is that row, an all-null row where the row is blank (noted), merged
 * cells filled from their top-left value (noted).
 */
function dataRows(grid: SheetGrid, start: number, end: number, first: number, last: number, notes: TableNote[]): CellValue[][] {
  const width = last - first + 1;
  const rows: CellValue[][] = new Array(Math.max(0, end - start + 1));
  const blank: number[] = [];
  for (let row = start; row <= end; row++) {
    const source = grid.rows[row];
    if (!source || !hasData(source, first, last)) {
      rows[row - start] = new Array<CellValue>(width).fill(null);
      blank.push(row);
    } else rows[row - start] = first === 0 ? source : source.slice(first, last + 1);
  }
  const filled = fillMerges(grid, rows, start, end, first, last);
  if (filled) notes.push(filled);
  const stillBlank = filled ? blank.filter((row) => !hasData(rows[row - start], 0, width - 1)) : blank;
  if (stillBlank.length > 0) notes.push(blankNote(stillBlank.map((row) => row + 1)));
  return rows;
}

function fillMerges(grid: SheetGrid, rows: CellValue[][], start: number, end: number, first: number, last: number): TableNote | undefined {
  const ranges: string[] = [];
  const touched: number[] = [];
  for (const merge of grid.merges) {
    if (merge.top < start || merge.top > end || merge.left > last || merge.right < first) continue;
    if (merge.top === merge.bottom && merge.left === merge.right) continue;
    const value = grid.rows[merge.top]?.[merge.left] ?? null;
    for (let row = merge.top; row <= Math.min(merge.bottom, end); row++) {
      const index = row - start;
      if (rows[index] === grid.rows[row]) rows[index] = rows[index].slice();
      for (let column = Math.max(merge.left, first); column <= Math.min(merge.right, last); column++) {
        if (row === merge.top && column === merge.left) continue;
        rows[index][column - first] = value;
      }
      touched.push(row + 1);
    }
    ranges.push(`${columnLetter(merge.left)}${merge.top + 1}:${columnLetter(merge.right)}${merge.bottom + 1}`);
  }
  if (ranges.length === 0) return undefined;
  return {
    kind: 'mergedData',
    rows: [...new Set(touched)].sort((a, b) => a - b),
    text: {
      en: `Merged ${ranges.length === 1 ? 'cell' : 'cells'} ${listWords(ranges, 'en')} ${ranges.length === 1 ? 'was' : 'were'} filled in every row ${ranges.length === 1 ? 'it covers' : 'they cover'} with ${ranges.length === 1 ? 'its' : 'their'} first cell's value.`,
      da: `${ranges.length === 1 ? 'Den flettede celle' : 'De flettede celler'} ${listWords(ranges, 'da')} er udfyldt i hver række, ${ranges.length === 1 ? 'den' : 'de'} dækker, med værdien fra ${ranges.length === 1 ? 'dens' : 'deres'} første celle.`,
    },
  };
}

/** The note on blank rows inside a table (1-based sheet rows), as locateTable words it. */
export function blankNote(rows: number[]): TableNote {
  const one = rows.length === 1;
  return {
    kind: 'blankRows',
    rows,
    text: {
      en: `${plural(rows, 'Row', 'Rows')} ${listRows(rows, 'en')} inside the table ${one ? 'is' : 'are'} blank: kept as ${one ? 'an empty row' : 'empty rows'} without a segment, and the customers below ${one ? 'it' : 'them'} are read.`,
      da: `${plural(rows, 'Række', 'Rækkerne')} ${listRows(rows, 'da')} i tabellen er ${one ? 'tom: den beholdes som en tom række' : 'tomme: de beholdes som tomme rækker'} uden segment, og kunderne under ${one ? 'den' : 'dem'} læses.`,
    },
  };
}

/** SegmentKit's own columns end the table; user columns right of them are named so nobody wonders where they went. */
function columnsBeyondNote(grid: SheetGrid, located: LocatedTable, own: ReadonlySet<number> | undefined): TableNote | undefined {
  if (!own || own.size === 0) return undefined;
  const limit = firstOwnColumn(own);
  const headerRow = located.origin.headerRow - 1;
  const lastRow = headerRow + located.rows.length;
  const found = new Set<number>();
  for (let row = Math.max(0, headerRow); row <= lastRow; row++) {
    const cells = grid.rows[row];
    if (!cells) continue;
    for (let column = limit; column < cells.length; column++) if (!found.has(column) && !own.has(column) && !isBlank(cells[column])) found.add(column);
  }
  if (found.size === 0) return undefined;
  const letters = [...found].sort((a, b) => a - b).map(columnLetter);
  return {
    kind: 'columnsBeyond',
    rows: [],
    text: {
      en: `${letters.length === 1 ? 'Column' : 'Columns'} ${listWords(letters, 'en')} ${letters.length === 1 ? 'lies' : 'lie'} beyond SegmentKit's own columns, so ${letters.length === 1 ? 'it is' : 'they are'} not read as part of the customer table and ${letters.length === 1 ? 'is' : 'are'} left as ${letters.length === 1 ? 'it is' : 'they are'}.`,
      da: `${letters.length === 1 ? 'Kolonne' : 'Kolonnerne'} ${listWords(letters, 'da')} ligger efter SegmentKits egne kolonner, så ${letters.length === 1 ? 'den' : 'de'} læses ikke som en del af kundetabellen og bliver stående, som ${letters.length === 1 ? 'den er' : 'de er'}.`,
    },
  };
}

// ── Words ─────────────────────────────────────────────────────────────────────────────────────

function plural(items: readonly unknown[], one: string, many: string): string {
  return items.length === 1 ? one : many;
}

/** "a, b and c" / "a, b og c": the first LISTED items and how many more; `total` counts items not passed. */
function listWords(items: readonly string[], language: 'en' | 'da', total = items.length): string {
  const and = language === 'da' ? 'og' : 'and';
  const shown = items.slice(0, LISTED);
  if (total > shown.length) return `${shown.join(', ')} ${and} ${total - shown.length} ${language === 'da' ? 'flere' : 'more'}`;
  return shown.length === 1 ? shown[0] : `${shown.slice(0, -1).join(', ')} ${and} ${shown[shown.length - 1]}`;
}

/** Row numbers as a list, without turning a million of them into text. */
function listRows(rows: readonly number[], language: 'en' | 'da'): string {
  return listWords(rows.slice(0, LISTED).map(String), language, rows.length);
}

function emptySheet(sheet: string): TableNotFoundError {
  return new TableNotFoundError({
    en: `The sheet "${sheet}" is empty: there is no customer table to read. Put the table on it (a header row, then one row per customer) or choose another sheet.`,
    da: `Arket "${sheet}" er tomt: der er ingen kundetabel at læse. Sæt tabellen ind (en overskriftsrække og derefter én række pr. kunde), eller vælg et andet ark.`,
  });
}

function noHeader(sheet: string): TableNotFoundError {
  return new TableNotFoundError({
    en: `No row on the sheet "${sheet}" looks like a header: SegmentKit looks for a row of column names (such as Customer and Revenue) above one row per customer. Add a header row and run again.`,
    da: `Ingen række på arket "${sheet}" ligner en overskriftsrække: SegmentKit leder efter en række med kolonnenavne (som Kunde og Omsætning) over én række pr. kunde. Tilføj en overskriftsrække, og kør igen.`,
  });
}
