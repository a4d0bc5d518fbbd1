/*
 * The custom functions =SEGMENT.*. Only annotated entry points live here: the webpack plugin
 * reads these comments to write functions.json and appends the CustomFunctions.associate calls.
 * The work is done in segments.ts; errors.ts maps failures to Excel errors.
 */
import type { Language } from '../engine';
import { runForExcel, toExcelCells } from './errors';
import { abcdCells, cutOf, paretoCells } from './segments';

/** Messages follow Office's display language; outside Office (tests) they are English. */
function userLanguage(): Language {
  const display = typeof Office !== 'undefined' ? Office.context?.displayLanguage : undefined;
  return display?.toLowerCase().startsWith('da') ? 'da' : 'en';
}

/**
 * ABCD segment from revenue and potential: A high revenue and high potential, B low revenue and high potential, C high revenue and low potential, D low and low.
 * @customfunction ABCD ABCD
 * @param revenue Revenue: a whole column (spills one segment per row) or one row's cell.
 * @param potential Potential: a column of the same length, or one row's cell.
 * @param [revenueCut] Revenue at or above this value is high. Default over a column: the Pareto cut at 80 %. Required for a single row.
 * @param [potentialCut] Potential at or above this value is high. Default over a column: the Pareto cut at 80 %. Required for a single row.
 * @returns The segment of each row: A, B, C or D; empty where an input is blank.
 */
export function abcd(revenue: unknown[][], potential: unknown[][], revenueCut?: unknown, potentialCut?: unknown): Array<Array<string | CustomFunctions.Error>> {
  const language = userLanguage();
  return runForExcel(language, () => toExcelCells(abcdCells(revenue, potential, revenueCut, potentialCut), language));
}

/**
 * Pareto ABC segment: A makes the first 80 % of the total, B the next 15 %, C the rest.
 * @customfunction PARETO PARETO
 * @param values Revenue or margin: a whole column (spills one segment per row) or one row's cell.
 * @param [aShare] Over a column: the share of the total A makes (default 0.8). For a single row: the A cut value.
 * @param [bShare] Over a column: the cumulative share A and B make (default 0.95). For a single row: the B cut value.
 * @returns The segment of each row: A, B or C; empty where the value is blank.
 */
export function pareto(values: unknown[][], aShare?: unknown, bShare?: unknown): Array<Array<string | CustomFunctions.Error>> {
  const language = userLanguage();
  return runForExcel(language, () => toExcelCells(paretoCells(values, aShare, bShare), language));
}

/**
 * The cut value SegmentKit uses for a column: values at or above it are high.
 * @customfunction CUT CUT
 * @param values The column of values.
 * @param method "pareto" (share of the positive total), "quantile" or "value".
 * @param level The share or quantile (above 0, at most 1, e.g. 0.8), or the value itself.
 * @returns The cut value.
 */
export function cut(values: unknown[][], method: string, level: unknown): number {
  return runForExcel(userLanguage(), () => cutOf(values, method, level));
}
