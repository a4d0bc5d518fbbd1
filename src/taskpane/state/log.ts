import {
  RFM_TIER_IDS, rfmGridProblems, tierName, getModel, type Language, type RfmGrid, type RfmTierId, type TierDefinition,
} from '../../engine';
import type { PreparedInput } from '../../workbook/log-input';
import type { SheetSummary } from '../../workbook/port';
import { SHEET_NAMES } from '../../workbook/plan';
import { formatNumber, translate } from '../i18n';

/** The transaction log as the Data step shows it, and the RFM grid as its editor changes it: no React, so tested on its own. */

/**
 * What the pane says about a log it read or was pointed at, in the UI language: "Order log: 6,919
 * lines, 2,357 customers; lines without a customer: 0; credit notes netted: 3 (−1,234.50)", then
 * what the models run on. Null when no log is involved.
 */
export function logSummaryLines(prepared: PreparedInput, language: Language): string[] | null {
  const { logCustomers, log } = prepared;
  if (prepared.kind === 'customers' || !logCustomers || !log) return null;
  const { counts } = logCustomers;
  const credits = counts.creditNotes > 0
    ? `${formatNumber(counts.creditNotes, language)} (${formatNumber(counts.creditTotal, language, 2)})`
    : formatNumber(0, language);
  const params = {
    sheet: prepared.logSheetName ?? '', lines: counts.lines, customers: logCustomers.table.rowCount, withoutId: counts.withoutId, credits,
  };
  const lines = [translate(language, prepared.kind === 'joined' ? 'logSheetSummary' : 'logSummary', params)];
  if (counts.unusable > 0) lines.push(translate(language, 'logUnusable', { count: counts.unusable }));
  lines.push(prepared.kind === 'joined' ? translate(language, 'logJoined') : translate(language, 'logRunsOn', { sheet: SHEET_NAMES.customers[language] }));
  return lines;
}

/** The smallest sheet that can hold an order log: a header row and one order, over customer id, date and amount. */
const LOG_MIN_ROWS = 2;
const LOG_MIN_COLUMNS = 3;

/**
 * The sheets that may hold an order log beside the customer table: every other sheet the port
 * lists (visible, not SegmentKit's own) that is big enough to be one. Whether it is one is judged
 * when it is chosen (prepareInput refuses a sheet without a log's columns, in both languages).
 */
export function logSheetChoices(sheets: readonly SheetSummary[], tableSheet: string): string[] {
  return sheets
    .filter((sheet) => sheet.name !== tableSheet && sheet.rowCount >= LOG_MIN_ROWS && sheet.columnCount >= LOG_MIN_COLUMNS)
    .map((sheet) => sheet.name);
}

/** The grid with one cell changed: R score r and F score f (1–5) get segment `id`; the rest is shared. */
export function setGridCell(grid: RfmGrid, r: number, f: number, id: RfmTierId): RfmGrid {
  return grid.map((row, index) => (index === r - 1 ? row.map((cell, column) => (column === f - 1 ? id : cell)) : row));
}

/** How many cells of a grid hold no known segment name (0 for a complete grid; 25 for something that is no grid). */
export function gridProblemCount(grid: unknown): number {
  return rfmGridProblems(grid).length === 0 ? 0 : countUnknownCells(grid);
}

function countUnknownCells(grid: unknown): number {
  if (!Array.isArray(grid) || grid.length !== 5) return 25;
  let count = 0;
  for (const row of grid) {
    if (!Array.isArray(row) || row.length !== 5) { count += 5; continue; }
    for (const cell of row) if (!RFM_TIER_IDS.includes(cell as RfmTierId)) count++;
  }
  return count;
}

/** The RFM segments in the grid's order of the catalog, with their names in a language. */
export function rfmSegments(language: Language): { id: RfmTierId; name: string; tier: TierDefinition }[] {
  const tiers = getModel('rfm').tiers;
  return RFM_TIER_IDS.map((id) => {
    const tier = tiers.find((candidate) => candidate.id === id)!;
    return { id, name: tierName(tier, language), tier };
  });
}

/**
 * Where the segment names' long words may break inside a grid cell of about 55 px: soft hyphens at
 * a syllable, so "Potentielt" wraps as "Poten-tielt" and not "Potentiel-t" (Chromium has no Danish
 * hyphenation dictionary to do it by itself).
 */
const SOFT_BREAKS: Record<string, string> = {
  Champions: 'Cham\u00ADpions', Promising: 'Prom\u00ADising', Potential: 'Poten\u00ADtial', attention: 'atten\u00ADtion', Hibernating: 'Hiber\u00ADnating',
  Topkunder: 'Top\u00ADkunder', Potentielt: 'Poten\u00ADtielt', opmærksomhed: 'opmærk\u00ADsomhed',
};

/** A segment name with soft hyphens where its long words may break (SOFT_BREAKS); the same text to read. */
export function breakableName(name: string): string {
  return name.split(' ').map((word) => SOFT_BREAKS[word] ?? word).join(' ');
}
