import { cellText, type CellValue, type ModelSettings } from '../engine';
import type { SheetGrid } from './grid';

/**
 * SegmentKit's marker: what it wrote, kept in a very hidden sheet so a re-run finds its own
 * columns and sheets again and replaces only those. Both adapters read and write this format.
 */
export const MARKER_SHEET = 'SegmentKit_State';
export const MARKER_VERSION = 1;

/** SegmentKit's own sheets, by what they hold. */
export type SheetPurpose = 'priority' | 'summary' | 'terms' | 'factors' | 'customers' | 'clv' | 'clusters';

export interface MarkerState {
  version: number;
  /** The customer table's sheet and the segment column headers written next to it. */
  tableSheet: string;
  columns: string[];
  /** Sheets SegmentKit created, by purpose. */
  sheets: Partial<Record<SheetPurpose, string>>;
  /** Workbook-level names SegmentKit defined (the cut cells of live formulas), so a re-run replaces them. */
  names?: string[];
  /**
   * The settings of each model last applied (cuts, the terms table, the factor tree), so they
   * survive closing the workbook and the pane starts from them next time.
   */
  settings?: Record<string, ModelSettings>;
  /** 1-based sheet row of the header the columns were written in. */
  headerRow?: number;
  /** 0-based sheet column of each entry of `columns`, so a re-run finds them by place and header together. */
  columnPositions?: number[];
  /**
   * Set while an apply is under way (the marker is written before anything else): what earlier
   * runs left that this one has not yet replaced. An apply that stops part way leaves it, so the
   * next run still knows every column, sheet and name SegmentKit may have written, and cleans them up.
   */
  unfinished?: { columns: string[]; sheets: string[]; names: string[] };
}

/** Every column header, sheet and name a marker says SegmentKit wrote, an unfinished apply's included. */
export function ownedBy(marker: MarkerState | null): { columns: string[]; sheets: string[]; names: string[] } {
  if (!marker) return { columns: [], sheets: [], names: [] };
  const sheets = Object.values(marker.sheets).filter((name): name is string => Boolean(name));
  return {
    columns: [...new Set([...marker.columns, ...(marker.unfinished?.columns ?? [])])],
    sheets: [...new Set([...sheets, ...(marker.unfinished?.sheets ?? [])])],
    names: [...new Set([...(marker.names ?? []), ...(marker.unfinished?.names ?? [])])],
  };
}

export function serializeMarker(state: MarkerState): string {
  return JSON.stringify(state);
}

/** Reads the marker cell; anything unreadable counts as no marker, so nothing is claimed. */
export function parseMarker(text: unknown): MarkerState | null {
  if (typeof text !== 'string' || !text.startsWith('{')) return null;
  try {
    const state = JSON.parse(text) as MarkerState;
    if (state.version !== MARKER_VERSION || !Array.isArray(state.columns) || typeof state.tableSheet !== 'string') return null;
    return { ...state, sheets: state.sheets ?? {} };
  } catch {
    return null;
  }
}

/**
 * SegmentKit's own columns from an earlier run, as 0-based sheet columns: found by the marker's
 * positions and headers together, never by a header text alone. Where the recorded places no
 * longer hold the recorded headers (the user inserted or deleted a column to their left), the
 * block of exactly those headers in that order is looked for in the header row; a user's column
 * that merely shares a header is never taken for SegmentKit's.
 *
 * @param headerAt the header row's text at a 0-based sheet column
 * @param width how many columns the header row has
 */
export function findOwnColumns(marker: MarkerState | null, sheetName: string, headerAt: (column: number) => string, width: number): Set<number> {
  if (!marker || marker.tableSheet !== sheetName || marker.columns.length === 0) return new Set();
  const headers = marker.columns;
  const matchesAt = (first: number) => headers.every((header, index) => headerAt(first + index).trim() === header);
  const recorded = marker.columnPositions;
  if (recorded && recorded.length === headers.length && recorded.every((column, index) => headerAt(column).trim() === headers[index])) {
    return new Set(recorded);
  }
  const starts: number[] = [];
  for (let first = 0; first + headers.length <= width; first++) if (matchesAt(first)) starts.push(first);
  // An earlier version kept no positions: its block was the right-most one.
  const first = recorded ? (starts.length === 1 ? starts[0] : undefined) : starts.at(-1);
  return first === undefined ? new Set() : new Set(headers.map((_, index) => first + index));
}

/**
 * SegmentKit's own columns on a sheet's grid (0-based sheet columns), looked for in the marker's
 * header row, or in the first 50 rows when an old marker recorded none; empty for any sheet but
 * the marker's table sheet.
 */
export function ownColumnsOnGrid(grid: SheetGrid, marker: MarkerState | null): Set<number> {
  if (!marker || marker.tableSheet !== grid.name) return new Set();
  const rowsToTry = marker.headerRow ? [marker.headerRow - 1] : Array.from({ length: Math.min(grid.rows.length, 50) }, (_, index) => index);
  for (const rowIndex of rowsToTry) {
    const row = grid.rows[rowIndex];
    if (!row) continue;
    const found = findOwnColumns(marker, grid.name, (column) => cellText(row[column] as CellValue), row.length);
    if (found.size) return found;
  }
  return new Set();
}
