/**
 * The workbook fixtures under test/fixtures/ and what an independent reader (openpyxl) found in
 * them (expected.json, written by scripts/fixtures/dump_expected.py), turned into the values a
 * SheetGrid holds, so tests compare SegmentKit's reader with it cell by cell.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CellValue } from '../../src/engine/types';
import type { CellBox, DefinedTable, SheetGrid } from '../../src/workbook/grid';

export const FIXTURES = join(__dirname, '..', 'fixtures');
export const PRODUCERS = join(FIXTURES, 'producers');
export const TABLES = join(FIXTURES, 'tables');

/** A cell as expected.json writes it. */
export type DumpedCell = string | number | boolean | { date: string } | { datetime: string } | { error: string };

/** One fixture as expected.json describes it. */
export interface DumpedWorkbook {
  application: string | null;
  note: string;
  date1904: boolean;
  sheets: { name: string; state: 'visible' | 'hidden' | 'veryHidden' }[];
  zipEntries: string[];
  cells: Record<string, Record<string, DumpedCell>>;
  merges: Record<string, CellBox[]>;
  tables: Record<string, DefinedTable[]>;
  aggregateFormulas: Record<string, Record<string, string>>;
}

/** expected.json of a fixture folder: file name → what it holds. */
export function readExpected(folder: string): Record<string, DumpedWorkbook> {
  const document = JSON.parse(readFileSync(join(folder, 'expected.json'), 'utf8')) as { fixtures: Record<string, DumpedWorkbook> };
  return document.fixtures;
}

export function fixtureBytes(folder: string, name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(folder, name)));
}

/** A dumped cell as SheetGrid holds it: dates as UTC Date, errors as their text. */
export function gridValue(cell: DumpedCell): CellValue {
  if (typeof cell !== 'object') return cell;
  if ('date' in cell) return new Date(`${cell.date}T00:00:00Z`);
  if ('datetime' in cell) return new Date(`${cell.datetime}Z`);
  return cell.error;
}

/** 0-based column → letters (0 → A, 26 → AA). */
export function columnLetters(column: number): string {
  let letters = '';
  for (let n = column + 1; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

/** Every cell of `grid` that is not blank (null or missing), keyed by A1 address. */
export function nonBlankCells(grid: SheetGrid): Record<string, CellValue> {
  const cells: Record<string, CellValue> = {};
  grid.rows.forEach((row, r) => {
    row?.forEach((value, c) => {
      if (value !== null && value !== undefined) cells[`${columnLetters(c)}${r + 1}`] = value;
    });
  });
  return cells;
}

/** expected.json's cells of one sheet, as SheetGrid values. */
export function expectedCells(dumped: Record<string, DumpedCell>): Record<string, CellValue> {
  return Object.fromEntries(Object.entries(dumped).map(([address, cell]) => [address, gridValue(cell)]));
}

/** Boxes in reading order, so two lists of merges compare regardless of the order found. */
export function sortedBoxes(boxes: readonly CellBox[]): CellBox[] {
  return [...boxes].sort((a, b) => a.top - b.top || a.left - b.left || a.bottom - b.bottom || a.right - b.right);
}

/** Zip entries that are parts: ExcelJS also writes folder entries ("xl/"), which are not. */
export function partsOf(zipEntries: readonly string[]): string[] {
  return zipEntries.filter((name) => !name.endsWith('/'));
}
