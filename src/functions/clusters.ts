import {
  buildCustomerTable, cellText, ClusteringError, fitClusters, MAX_CLUSTERS, parseDate, parseNumber, type CellValue, type Localized, type ModelSettings,
} from '../engine';
import type { ResultCell } from './consultancy';
import { FunctionInputError } from './errors';
import { asColumn, capitalize, rangeHeaders, readCell, readOptionalNumber, type ExcelMatrix } from './matrix';

/**
 * SEGMENT.CLUSTER: the clusters model over a range, one cluster number per row. Every column of
 * the range is a feature, read as the model reads a table column (numbers, text numbers, dates,
 * yes/no, categories one-hot; identifiers and free text left out), and k-means runs with the
 * model's seed, restarts and rules: the same range gives the same numbers as the model, cluster 1
 * the largest.
 *
 * Headers: the first row is taken as headers when every cell in it is text that reads as neither a
 * number nor a date, and at least one column holds numbers (or dates) below it; it then gets an
 * empty cell, so the spill lines up with the range. A range of text columns only has no way to
 * tell a header from a customer: leave the header row out of it.
 */

const NAMES = {
  features: { en: 'the features', da: 'kendetegnene' },
  k: { en: 'k, the number of clusters', da: 'k, antallet af klynger' },
} satisfies Record<string, Localized>;

function isBlank(value: CellValue): boolean {
  return value === null || value === undefined || (typeof value === 'string' && value.trim() === '');
}

function readsAsNumber(value: CellValue): boolean {
  if (typeof value === 'number' || value instanceof Date) return true;
  return typeof value === 'string' && (parseNumber(value, null) !== undefined || parseDate(value) !== undefined);
}

/** Whether the first row is headers (see the module comment). */
export function hasHeaderRow(rows: readonly (readonly CellValue[])[]): boolean {
  if (rows.length < 2) return false;
  const [first, ...rest] = rows;
  if (!first.every((cell) => typeof cell === 'string' && cell.trim() !== '' && !readsAsNumber(cell))) return false;
  return first.some((_, column) => {
    let numbers = 0;
    let present = 0;
    for (const row of rest) {
      if (isBlank(row[column])) continue;
      present++;
      if (readsAsNumber(row[column])) numbers++;
    }
    return present > 0 && numbers * 2 > present;
  });
}

function readK(argument: unknown): number | 'auto' {
  const k = readOptionalNumber(argument, NAMES.k);
  if (k === undefined) return 'auto';
  if (Number.isInteger(k) && k >= 2 && k <= MAX_CLUSTERS) return k;
  throw new FunctionInputError('invalidValue', {
    en: `K, the number of clusters, must be a whole number from 2 to ${MAX_CLUSTERS} (or left out to choose it by silhouette), not ${k}.`,
    da: `K, antallet af klynger, skal være et helt tal fra 2 til ${MAX_CLUSTERS} (eller udeladt for at vælge det efter silhouet), ikke ${String(k).replace('.', ',')}.`,
  });
}

/** The range's cells as rows of equal length; anything else is a #VALUE! naming the argument. */
function rectangle(matrix: ExcelMatrix): unknown[][] {
  if (!Array.isArray(matrix) || matrix.length === 0 || !Array.isArray(matrix[0]) || matrix[0].length === 0) {
    throw new FunctionInputError('invalidValue', {
      en: `Give ${NAMES.features.en} as a range: one row per customer, one column per feature.`,
      da: `Angiv ${NAMES.features.da} som et område: én række pr. kunde, én kolonne pr. kendetegn.`,
    });
  }
  const width = matrix[0].length;
  return matrix.map((row) => Array.from({ length: width }, (_, column) => row[column]));
}

/**
 * SEGMENT.CLUSTER's cells: the cluster number (1 = the largest cluster) per row of the range; ""
 * for the header row, a blank row, and a row with fewer than half of the usable columns filled (the
 * model's rule); a #VALUE! in a row holding an Excel error or a linked data type (left out of the
 * fit). Too few rows or nothing to cluster on is a #VALUE! for the whole call, in the user's language.
 * @param features rows × columns as Excel hands them
 * @param k number of clusters 2–12; blank or left out: chosen by silhouette over 2–8
 */
export function clusterCells(features: ExcelMatrix, k: unknown): ResultCell[][] {
  const clusters = readK(k);
  const raw = rectangle(features);
  const problems = new Map<number, Localized>();
  const rows: CellValue[][] = raw.map((row, r) => row.map((cell, column) => {
    const read = readCell(cell);
    if (read.issue && !problems.has(r)) {
      const what = read.issue === 'error'
        ? { en: `the cell holds the error ${read.value as string}`, da: `cellen indeholder fejlen ${read.value as string}` }
        : { en: `"${cellText(read.value)}" is a linked data type`, da: `"${cellText(read.value)}" er en sammenkædet datatype` };
      problems.set(r, { en: `Row ${r + 1}, column ${column + 1}: ${what.en}; this row gets no cluster.`, da: `Række ${r + 1}, kolonne ${column + 1}: ${what.da}; rækken får ingen klynge.` });
    }
    return read.issue ? null : read.value;
  }));
  // A row with an unreadable cell is left out of the fit whole: blank rows are not customers.
  for (const r of problems.keys()) rows[r] = rows[r].map(() => null);
  const header = hasHeaderRow(rows);
  const width = rows[0].length;
  const headers = rangeHeaders(header ? rows[0] : undefined, width);
  const data = header ? rows.slice(1) : rows;
  const table = buildCustomerTable(headers, data, { mapping: {} });
  const settings: ModelSettings = { k: clusters === 'auto' ? 'auto' : String(clusters), features: headers, skew: 'auto', names: [] };
  let labels: Int32Array;
  try {
    labels = fitClusters(table, settings).labels;
  } catch (error) {
    if (error instanceof ClusteringError) {
      throw new FunctionInputError('invalidValue', { en: `${capitalize(error.text.en)}.`, da: `${capitalize(error.text.da)}.` });
    }
    throw error;
  }
  const cells: ResultCell[] = [];
  if (header) cells.push('');
  labels.forEach((label, i) => {
    const r = header ? i + 1 : i;
    const problem = problems.get(r);
    cells.push(problem ? { kind: 'invalidValue', text: problem } : label < 0 ? '' : label + 1);
  });
  return asColumn(cells);
}
