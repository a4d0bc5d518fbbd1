import type { ModelSettings } from '../engine';

/**
 * SegmentKit's marker: what it wrote, kept in a very hidden sheet so a re-run finds its own
 * columns and sheets again and replaces only those. Both adapters read and write this format.
 */
export const MARKER_SHEET = 'SegmentKit_State';
export const MARKER_VERSION = 1;

/** SegmentKit's own sheets, by what they hold. */
export type SheetPurpose = 'priority' | 'summary' | 'terms' | 'factors';

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
