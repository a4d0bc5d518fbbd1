import type { Language, Localized, ModelResult } from '../../engine';
import { formatNumber } from '../i18n';

/** The clv holdout check as the Preview shows it: a compact table and the total line. */
export interface HoldoutPreview {
  title: string;
  /** Repeat purchases in calibration, customers, predicted and actual per customer. */
  columns: string[];
  /** One row per group (0 … 6, 7+), as displayed text; "–" where a group has no customers. */
  rows: string[][];
  /** "Total: Predicted 123.4 · Actual 120 · Predicted ÷ actual 1.028" */
  total: string;
}

/** The columns of the clv.holdout table the pane shows: the group, customers, and the two means. */
const SHOWN = [0, 1, 2, 3];
/** The total's columns: predicted, actual, their ratio. */
const TOTALS = [4, 5, 6];

/**
 * The holdout check of a clv result (its `clv.holdout` table: predicted against actual repeat
 * purchases in the holdout, by calibration repeat purchases, then the total) as text in the
 * pane's language; null when the result has no such table (no holdout start, or another model).
 */
export function holdoutPreview(result: ModelResult | undefined, language: Language): HoldoutPreview | null {
  const table = result?.tables?.find((candidate) => candidate.key === 'clv.holdout');
  if (!table || table.rows.length < 2) return null;
  const text = (cell: number | Localized, decimals: number) => {
    if (typeof cell !== 'number') return cell[language];
    return Number.isFinite(cell) ? formatNumber(cell, language, decimals) : '–';
  };
  const cellText = (row: (number | Localized)[], column: number) => text(row[column], table.columns[column].decimals);
  const groups = table.rows.slice(0, -1);
  const total = table.rows[table.rows.length - 1];
  return {
    title: table.title[language],
    columns: SHOWN.map((column) => table.columns[column].label[language]),
    rows: groups.map((row) => SHOWN.map((column) => cellText(row, column))),
    total: `${text(total[0], 0)}: ${TOTALS.map((column) => `${table.columns[column].label[language]} ${cellText(total, column)}`).join(' · ')}`,
  };
}
