import { buildCustomerTable, getModel, parseLabel, type CellValue, type Language, type Localized } from '../engine';
import { ChurnEstimationError } from '../engine/models/churn';
import type { ResultCell } from './consultancy';
import { FunctionInputError } from './errors';
import { asColumn, rangeHeaders, toCellValue, type ExcelMatrix } from './matrix';
import { requireSameLength } from './segments';

/**
 * The learning models' functions over ranges: the features are the range's columns (numbers,
 * dates, yes/no and short categories, encoded as the models encode a table's columns), one row
 * per customer. They call the catalog models themselves, so a function and a model run on the same
 * data give the same result.
 */

const NAMES = {
  features: { en: 'features', da: 'kendetegn' },
  labels: { en: 'labels', da: 'markeringer' },
} satisfies Record<string, Localized>;

/** A range's rows as cell values. */
function rowsOf(matrix: ExcelMatrix): CellValue[][] {
  return matrix.map((row) => row.map(toCellValue));
}

/**
 * Whether the ranges start with a header row: the features' first row is all text, and either a
 * column below it holds numbers (a header over amounts) or the label range's first cell is text
 * that is no label ("Status" over yes/no). "Opsagt" or "Churned" over the labels reads as a label
 * itself, which is why the feature row decides first.
 */
function hasHeaderRow(features: readonly CellValue[][], labels: readonly CellValue[]): boolean {
  const first = features[0] ?? [];
  if (first.length === 0 || !first.every((cell) => typeof cell === 'string' && cell.trim() !== '')) return false;
  const numbersBelow = first.some((_, column) => features.slice(1, 51).some((row) => typeof row[column] === 'number'));
  const label = labels[0];
  const labelHeader = typeof label === 'string' && label.trim() !== '' && parseLabel(label) === undefined;
  return numbersBelow || labelHeader;
}

/**
 * SEGMENT.CHURN: the churn model on a feature range and a label column of the same height (1/0,
 * yes/no, ja/nej, TRUE/FALSE; blank = a current customer to score). Spills each row's probability
 * of leaving, 0 to 1, rows with a blank label included; a header row (see hasHeaderRow) gets the
 * column's name. Too few labels of one kind is a #VALUE! with the model's sentence.
 */
export function churnCells(features: ExcelMatrix, labels: ExcelMatrix, language: Language = 'en'): ResultCell[][] {
  const featureRows = rowsOf(features);
  const labelCells = rowsOf(labels).map((row) => row[0] ?? null);
  requireSameLength(featureRows, labelCells, [NAMES.features, NAMES.labels]);
  const header = hasHeaderRow(featureRows, labelCells);
  const width = featureRows[0]?.length ?? 0;
  // The label's name last, made unique with the features', so it is never read as a feature.
  const headers = rangeHeaders(header ? [...featureRows[0].slice(0, width), labelCells[0]] : [...Array<CellValue>(width).fill(null), 'Label'], width + 1);
  const body = header ? featureRows.slice(1) : featureRows;
  const bodyLabels = header ? labelCells.slice(1) : labelCells;
  const table = buildCustomerTable(headers, body.map((row, i) => [...row, bodyLabels[i]]), { mapping: { churned: width } });
  const model = getModel('churn');
  let risk: Float64Array;
  try {
    const metric = model.run(table, { ...model.defaults }).metrics.find((candidate) => candidate.key === 'churn.risk');
    if (!metric || !('values' in metric)) throw new Error('The churn model returned no risk column.');
    risk = metric.values;
  } catch (error) {
    if (error instanceof ChurnEstimationError) throw new FunctionInputError('invalidValue', error.text);
    throw error;
  }
  const cells = Array.from(risk, (value): ResultCell => (Number.isNaN(value) ? '' : value));
  return asColumn(header ? [language === 'da' ? 'Risiko for opsigelse' : 'Churn risk', ...cells] : cells);
}
