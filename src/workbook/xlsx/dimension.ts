import { columnOfReference, rowOfReference } from '../../engine';
import type { SheetGrid } from '../grid';
import type { ZipArchive, ZipEntry } from './zip';

/** A sheet's size in rows and columns, counted from its first used cell to its last. */
export interface SheetSize {
  rowCount: number;
  columnCount: number;
}

/** Text read from a sheet part before giving up on finding `<dimension>`: it comes before `<sheetData>` (ECMA-376 Part 1, 18.3.1.99). */
const HEAD_LIMIT = 64 * 1024;
const DIMENSION = /<(?:[A-Za-z_][\w.-]*:)?dimension\b[^>]*\bref\s*=\s*["']([^"']+)["']/;
const SHEET_DATA = /<(?:[A-Za-z_][\w.-]*:)?sheetData\b/;

/**
 * The size a sheet part records in its `<dimension ref="B2:F8">` (the used range as the writing
 * program saw it), read from the part's first bytes without inflating the rest, so listing the
 * sheets of a workbook with a million-row log stays instant. Undefined when the part records
 * none (the element is optional) or the reference does not parse; a lone "A1" is what Excel
 * writes for an empty sheet, and reads as 1 × 1.
 */
export function recordedSheetSize(archive: ZipArchive, entry: ZipEntry): SheetSize | undefined {
  let head = '';
  for (const chunk of archive.textChunks(entry)) {
    head += chunk;
    const dimension = DIMENSION.exec(head);
    if (dimension) return sizeOfReference(dimension[1]);
    if (SHEET_DATA.test(head) || head.length > HEAD_LIMIT) return undefined;
  }
  return undefined;
}

/** "B2:F8" → 7 rows × 5 columns; "A1" → 1 × 1; undefined for anything else. */
export function sizeOfReference(ref: string): SheetSize | undefined {
  const [from, to = from] = ref.trim().split(':');
  const top = rowOfReference(from, 0);
  const left = columnOfReference(from, 0);
  const bottom = rowOfReference(to, 0);
  const right = columnOfReference(to, 0);
  if (top < 1 || left < 0 || bottom < top || right < left) return undefined;
  return { rowCount: bottom - top + 1, columnCount: right - left + 1 };
}

/** The rows and columns between a grid's first and last filled cell; 0 × 0 for a grid without one. */
export function filledSize(grid: SheetGrid): SheetSize {
  let top = -1;
  let bottom = -1;
  let left = Infinity;
  let right = -1;
  grid.rows.forEach((row, index) => {
    if (!row) return;
    let filled = false;
    row.forEach((cell, column) => {
      if (cell === null || cell === undefined || cell === '') return;
      filled = true;
      left = Math.min(left, column);
      right = Math.max(right, column);
    });
    if (!filled) return;
    if (top < 0) top = index;
    bottom = index;
  });
  return top < 0 ? { rowCount: 0, columnCount: 0 } : { rowCount: bottom - top + 1, columnCount: right - left + 1 };
}
