import { cellName } from './live-formulas';
import {
  getModel, NOTICEABLE_CORRELATION, type Language, type Localized, type Segmentation, type UsedParameter,
} from '../engine';
import type { DefinedName } from './live-formulas';
import { addResultTable, PERCENT_FORMAT, quoteSheet, type PlanCell, type PlannedSheet } from './plan';

/**
 * The CLV sheet: the fit the clv model ran on, as labelled cells (BG/NBD's r, alpha, a, b and
 * log-likelihood, Gamma-Gamma's p, q, gamma, the calibration end, holdout start, horizon, discount
 * rate, margin share and its source, the frequency–spend correlation and whether Gamma-Gamma's
 * independence assumption looks broken), then the holdout check with its line chart when a
 * holdout start was set. P(alive) on the customer table is an ordinary formula over the r, alpha,
 * a and b cells here, by workbook name (SK_CLV_R, …), so it stays live without SegmentKit.
 */

const TEXT = {
  title: { en: 'Customer lifetime value: the fit', da: 'Kundelevetidsværdi: estimationen' },
  about: {
    en: 'BG/NBD (Fader, Hardie & Lee 2005) in weeks and Gamma-Gamma spend per purchase, fitted by maximum likelihood. P(alive) on the customer table is an ordinary formula over r, alpha, a and b below: type other values and it follows.',
    da: 'BG/NBD (Fader, Hardie & Lee 2005) i uger og Gamma-Gamma-beløb pr. køb, estimeret med maksimum likelihood. P(i live) i kundetabellen er en almindelig formel over r, alpha, a og b nedenfor: skriv andre værdier, så følger den med.',
  },
  parameter: { en: 'Parameter', da: 'Parameter' },
  value: { en: 'Value', da: 'Værdi' },
  note: { en: 'Source or meaning', da: 'Kilde eller betydning' },
  independence: { en: 'Gamma-Gamma independence assumption', da: 'Gamma-Gammas uafhængighedsantagelse' },
  broken: { en: 'Looks broken', da: 'Ser brudt ud' },
  holds: { en: 'Holds', da: 'Holder' },
  noHoldout: {
    en: 'No holdout check: set a holdout start (the CLV setting) to fit on the purchases before it and compare with those after.',
    da: 'Intet holdout-tjek: sæt en holdout-start (CLV-indstillingen) for at estimere på købene før den og sammenligne med dem efter.',
  },
} satisfies Record<string, Localized>;

/** Where the fit's cells are: the sheet, each parameter's cell by key (a workbook name), and the names to define. */
export interface ClvSheet {
  sheet: PlannedSheet;
  /** Parameter key → the defined name of its cell (SK_CLV_R), for the P(alive) formulas. */
  parameters: Record<string, string>;
  definedNames: DefinedName[];
}

const HEADER_ROW = 3;
const VALUE_COLUMN = 1;

function valueFormat(parameter: UsedParameter): string {
  if (parameter.format === 'date') return 'yyyy-mm-dd';
  if (parameter.key === 'discountRate' || parameter.key === 'marginShare') return PERCENT_FORMAT;
  if (parameter.key === 'spendCorrelation') return '0.000';
  return 'General';
}

/**
 * Builds the CLV sheet of the clv result at `index`.
 * @param name the sheet's name as chosen for this workbook (SHEET_NAMES.clv, or "CLV (2)")
 * @returns the sheet, and the names of its parameter cells, which P(alive)'s formulas read
 */
export function buildClvSheet(segmentation: Segmentation, index: number, language: Language, name: string): ClvSheet {
  const result = segmentation.results[index];
  const model = getModel(result.modelId);
  const t = (text: Localized) => text[language];
  const sheet: PlannedSheet = {
    purpose: 'clv', name, rows: [], formulas: [], boldRows: [0, HEADER_ROW], columnWidths: [44, 16, 16, 16, 16, 16, 16], numberFormats: [], tierColorRanges: [], charts: [], frozenRows: 0,
  };
  sheet.rows.push([t(TEXT.title)], [t(TEXT.about)], [], [t(TEXT.parameter), t(TEXT.value), t(TEXT.note)]);
  const parameters: Record<string, string> = {};
  const definedNames: DefinedName[] = [];
  for (const parameter of result.parameters ?? []) {
    const row = sheet.rows.length;
    const cells: PlanCell[] = [t(parameter.label), Number.isFinite(parameter.value) ? parameter.value : null];
    if (parameter.note) cells.push(t(parameter.note));
    sheet.rows.push(cells);
    sheet.numberFormats.push({ column: VALUE_COLUMN, fromRow: row, toRow: row, format: valueFormat(parameter) });
    const defined = cellName(model.columnHeader, parameter.key);
    definedNames.push({ name: defined, ref: `${quoteSheet(name)}!$B$${row + 1}` });
    parameters[parameter.key] = defined;
  }
  const correlation = result.parameters?.find((parameter) => parameter.key === 'spendCorrelation');
  if (correlation && Number.isFinite(correlation.value)) {
    sheet.rows.push([t(TEXT.independence), t(Math.abs(correlation.value) >= NOTICEABLE_CORRELATION ? TEXT.broken : TEXT.holds)]);
  }
  const tables = result.tables ?? [];
  for (const table of tables) addResultTable(sheet, table, language);
  // A holdout start that gave no check has its reason among the model's notes on the Summary.
  const holdoutSet = result.parameters?.some((parameter) => parameter.key === 'holdoutStart');
  if (tables.length === 0 && !holdoutSet) sheet.rows.push([], [t(TEXT.noHoldout)]);
  return { sheet, parameters, definedNames };
}
