import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { dateToSerial } from '../../src/engine/parse';
import { ONLINE_RETAIL, parseCsvLine, publicDataFile } from './public-data';

/** The CDNOW 1/10 cohort's purchases (Fader & Hardie's data, as the lifetimes package ships it). */
export const CDNOW_SAMPLE = publicDataFile(path.join('cdnow', 'CDNOW_sample.txt'));
/** The same cohort summarised over the 39-week calibration period: ID, x, t_x, T, zbar. */
export const CDNOW_SUMMARY = publicDataFile(path.join('cdnow', 'cdnow_customers_summary_with_transactions.csv'));

/** The published calibration end of the CDNOW summary: 1997-09-30. */
export const CDNOW_CALIBRATION_END = dateToSerial(1997, 9, 30);

export interface CdnowSummaryRow { id: string; x: number; tx: number; T: number; zbar: number }

export function cdnowSummary(): CdnowSummaryRow[] {
  return readFileSync(CDNOW_SUMMARY.path, 'utf8').trim().split(/\r?\n/).slice(1).map((line) => {
    const [id, x, tx, T, zbar] = line.split(',');
    return { id, x: Number(x), tx: Number(tx), T: Number(T), zbar: Number(zbar) };
  });
}

/** The purchase lines of CDNOW_sample.txt as a transaction log; customer = cohort id without leading zeros. */
export function cdnowSampleLog(): { customer: string[]; day: Float64Array; amount: Float64Array } {
  const lines = readFileSync(CDNOW_SAMPLE.path, 'utf8').trim().split(/\r?\n/);
  const log = { customer: [] as string[], day: new Float64Array(lines.length), amount: new Float64Array(lines.length) };
  lines.forEach((line, i) => {
    const [, cohortId, date, , dollars] = line.trim().split(/\s+/);
    log.customer.push(String(Number(cohortId)));
    log.day[i] = dateToSerial(Number(date.slice(0, 4)), Number(date.slice(4, 6)), Number(date.slice(6, 8)));
    log.amount[i] = Number(dollars);
  });
  return log;
}

export interface RetailLog {
  customer: (string | undefined)[];
  invoice: string[];
  day: Float64Array;
  amount: Float64Array;
}

/** UCI Online Retail as a transaction log: amount = Quantity × UnitPrice, day = InvoiceDate as a serial with its time. */
export function onlineRetailLog(): RetailLog {
  const lines = gunzipSync(readFileSync(ONLINE_RETAIL.path)).toString('utf8').split(/\r?\n/).filter(Boolean);
  const header = parseCsvLine(lines[0]);
  const at = (name: string) => header.indexOf(name);
  const [invoiceAt, quantityAt, dateAt, priceAt, customerAt] = [at('InvoiceNo'), at('Quantity'), at('InvoiceDate'), at('UnitPrice'), at('CustomerID')];
  const n = lines.length - 1;
  const log: RetailLog = { customer: new Array(n), invoice: new Array(n), day: new Float64Array(n), amount: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    const fields = parseCsvLine(lines[i + 1]);
    const date = fields[dateAt];
    const base = dateToSerial(Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10)));
    log.day[i] = base + (Number(date.slice(11, 13)) * 60 + Number(date.slice(14, 16))) / 1440;
    log.customer[i] = fields[customerAt] ? fields[customerAt].replace(/\.0$/, '') : undefined;
    log.invoice[i] = fields[invoiceAt];
    log.amount[i] = Number(fields[quantityAt]) * Number(fields[priceAt]);
  }
  return log;
}
