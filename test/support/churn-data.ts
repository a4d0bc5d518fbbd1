import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FeatureMatrix } from '../../src/engine/learn/matrix';
import { parseCsvLine, publicDataFile } from './public-data';

/**
 * A test-only encoding of the two public churn tables, until the product's features.ts takes
 * over: numeric columns as they are, text columns with at most 10 levels one-hot encoded (every
 * level its own column), other text columns (ids, US state) left out, then every column turned
 * into z-scores (population standard deviation); constant columns are dropped.
 */
export const TELCO = publicDataFile(path.join('churn', 'Telco-Customer-Churn.csv'));
/** MLC churn (the "churn" data of R's C50/modeldata package): 5,000 US mobile customers. */
export const MLC = publicDataFile(path.join('churn', 'mlc_churn.csv'));

export interface ChurnData {
  matrix: FeatureMatrix;
  /** 1 = churned, 0 = stayed, one per row. */
  labels: Float64Array;
  /** Feature names, one per column: a numeric column's header, or "header=level". */
  names: string[];
}

const MAX_LEVELS = 10;

/** IBM Telco customer churn (7,043 customers). customerID left out; label Churn (Yes/No). */
export function telcoChurn(): ChurnData {
  return encodeChurnCsv(TELCO.path, 'Churn', ['customerID']);
}

/** MLC churn (5,000 customers), label churn (yes/no). */
export function mlcChurn(): ChurnData {
  return encodeChurnCsv(MLC.path, 'churn', []);
}

function encodeChurnCsv(file: string, labelColumn: string, leftOut: string[]): ChurnData {
  const lines = readFileSync(file, 'utf8').split(/\r?\n/).filter((line) => line.length > 0);
  const header = parseCsvLine(lines[0]);
  const rows = lines.slice(1).map(parseCsvLine);
  const labelAt = header.indexOf(labelColumn);
  const labels = Float64Array.from(rows, (row) => (/^yes$/i.test(row[labelAt]) ? 1 : 0));
  const columns: { name: string; values: Float64Array }[] = [];
  header.forEach((name, c) => {
    if (c === labelAt || leftOut.includes(name)) return;
    columns.push(...encodeColumn(name, rows.map((row) => row[c].trim())));
  });
  const kept = columns.map(({ name, values }) => ({ name, values: zScores(values) })).filter((column) => column.values !== null);
  const matrix: FeatureMatrix = { rows: rows.length, columns: kept.length, data: new Float64Array(rows.length * kept.length) };
  kept.forEach(({ values }, j) => values!.forEach((value, i) => { matrix.data[i * kept.length + j] = value; }));
  return { matrix, labels, names: kept.map((column) => column.name) };
}

/**
 * A column is numeric when every non-blank cell is a number. Telco's 11 blank TotalCharges are
 * customers with tenure 0, who have been charged nothing yet, so blank counts as 0 there.
 */
function encodeColumn(name: string, cells: string[]): { name: string; values: Float64Array }[] {
  if (cells.every((cell) => cell === '' || Number.isFinite(Number(cell)))) {
    return [{ name, values: Float64Array.from(cells, (cell) => (cell === '' ? 0 : Number(cell))) }];
  }
  const levels = [...new Set(cells)].sort();
  if (levels.length > MAX_LEVELS) return [];
  return levels.map((level) => ({ name: `${name}=${level}`, values: Float64Array.from(cells, (cell) => (cell === level ? 1 : 0)) }));
}

function zScores(values: Float64Array): Float64Array | null {
  let mean = 0;
  for (const value of values) mean += value / values.length;
  let variance = 0;
  for (const value of values) variance += (value - mean) ** 2 / values.length;
  if (!(variance > 1e-24)) return null;
  const sd = Math.sqrt(variance);
  return values.map((value) => (value - mean) / sd);
}

/** Writes a matrix and its labels as CSV (features then `label`), for the scikit-learn peer. */
export function churnCsv(data: ChurnData): string {
  const { matrix, labels } = data;
  const lines = [[...data.names.map((_, j) => `f${j}`), 'label'].join(',')];
  for (let i = 0; i < matrix.rows; i++) {
    const row: string[] = [];
    for (let j = 0; j < matrix.columns; j++) row.push(String(matrix.data[i * matrix.columns + j]));
    row.push(String(labels[i]));
    lines.push(row.join(','));
  }
  return lines.join('\n') + '\n';
}
