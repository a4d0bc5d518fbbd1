import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { customersFromLog, detectRoles, type RoleMapping } from '../../src/engine';
import type { FeatureMatrix } from '../../src/engine/learn/matrix';
import { decodeDelimited } from '../../src/workbook/csv';
import { readDelimitedLog } from '../../src/workbook/csv-log';
import { ONLINE_RETAIL } from './public-data';

/** Standardised log RFM features of the UCI Online Retail customers, and who was left out. */
export interface RetailRfm {
  /** customers × 3: z-scores (population SD) of ln recency, ln frequency, ln monetary, in that order. */
  matrix: FeatureMatrix;
  /** Customer id per matrix row, in the order customers first appear in the log. */
  ids: string[];
  /** The raw (untransformed) recency in days, frequency in invoices and monetary in net revenue, per matrix row. */
  raw: { recency: Float64Array; frequency: Float64Array; monetary: Float64Array };
  /** Customers the log names but the matrix leaves out: net revenue ≤ 0 (ln undefined), or no purchase at all. */
  leftOut: number;
  /** Customers in the log. */
  customers: number;
}

/** The roles of a log, as the CLI maps them (src/cli/main.ts); undefined when the headers do not make one. */
function logMapping(headers: string[]): RoleMapping | undefined {
  const mapping = detectRoles(headers);
  const hasAmount = mapping.amount !== undefined || (mapping.quantity !== undefined && mapping.unitPrice !== undefined);
  return mapping.id !== undefined && mapping.orderDate !== undefined && hasAmount ? mapping : undefined;
}

/**
 * Reads UCI Online Retail as the CLI reads a CSV log (readDelimitedLog, customersFromLog) and makes
 * the classic RFM clustering features per customer:
 * - recency: days from the last purchase to the day after the log's last day (1 for a customer who
 *   bought on the last day), so its log is defined;
 * - frequency: distinct purchase invoices (cancellations are not orders);
 * - monetary: net revenue (purchases minus cancellations).
 * Each is log-transformed (natural log) and standardised (z-scores, population SD). Customers whose
 * net revenue is 0 or negative (they returned as much as they bought, or the log holds only their
 * returns) have no log and are left out, counted in `leftOut`, as RFM clustering usually treats them:
 * they are not buying customers to segment.
 */
export function retailRfm(): RetailRfm {
  const decoded = decodeDelimited(new Uint8Array(gunzipSync(readFileSync(ONLINE_RETAIL.path))), 'online_retail.csv');
  const log = readDelimitedLog(decoded, logMapping);
  if (!log) throw new Error('UCI Online Retail was not read as a transaction log.');
  const { summaries } = customersFromLog(log.table, 'en');
  const dayAfterLog = summaries.calibrationEnd + 1;
  const ids: string[] = [];
  const recency: number[] = [];
  const frequency: number[] = [];
  const monetary: number[] = [];
  summaries.ids.forEach((id, c) => {
    if (summaries.inCalibration[c] !== 1 || !(summaries.revenue[c] > 0)) return;
    ids.push(id);
    recency.push(dayAfterLog - summaries.lastDay[c]);
    frequency.push(summaries.orders[c]);
    monetary.push(summaries.revenue[c]);
  });
  const columns = [recency, frequency, monetary].map((values) => standardise(values.map(Math.log)));
  const data = new Float64Array(ids.length * 3);
  for (let i = 0; i < ids.length; i++) for (let j = 0; j < 3; j++) data[i * 3 + j] = columns[j][i];
  return {
    matrix: { rows: ids.length, columns: 3, data }, ids,
    raw: { recency: Float64Array.from(recency), frequency: Float64Array.from(frequency), monetary: Float64Array.from(monetary) },
    leftOut: summaries.ids.length - ids.length, customers: summaries.ids.length,
  };
}

/** z-scores with the population standard deviation. */
function standardise(values: number[]): Float64Array {
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  const sd = Math.sqrt(values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length);
  return Float64Array.from(values, (value) => (value - mean) / sd);
}

/** The matrix as CSV (a header, then full-precision values: String(x) reads back to the same double). */
export function matrixCsv(matrix: FeatureMatrix, header: string[]): string {
  const lines = [header.join(',')];
  for (let i = 0; i < matrix.rows; i++) lines.push(Array.from(matrix.data.subarray(i * matrix.columns, (i + 1) * matrix.columns), String).join(','));
  return lines.join('\n') + '\n';
}
