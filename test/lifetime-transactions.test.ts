import { describe, expect, it } from 'vitest';
import { summarizeTransactions } from '../src/engine/lifetime/transactions';
import { dateToSerial } from '../src/engine/parse';
import { CDNOW_CALIBRATION_END, CDNOW_SAMPLE, CDNOW_SUMMARY, cdnowSampleLog, cdnowSummary, onlineRetailLog } from './support/cdnow';
import { nameWithData, ONLINE_RETAIL, onlineRetailCustomers } from './support/public-data';

const day = (iso: string) => dateToSerial(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)), Number(iso.slice(8, 10)));

describe('summarizeTransactions on a hand-made log', () => {
  // Customer A: two lines on 1 March (one purchase day), 15 March, a credit note on 20 March,
  // a cancellation "C…" with a positive amount on 15 March, a purchase in the holdout.
  const log = {
    customer: ['A', 'A', ' ', 'A', 'A', 'B', 'A', null, 'A', 'B', 'A'],
    day: [day('2024-03-01') + 0.3, day('2024-03-01') + 0.9, day('2024-03-02'), day('2024-03-15'), day('2024-03-20'), day('2024-03-10'), day('2024-03-15'), day('2024-03-11'), day('2024-04-02'), day('2024-04-03'), NaN],
    amount: [10, 30, 99, 50, -20, 5, 4, 7, 70, 8, 1],
    invoice: ['1', '2', '3', '4', 'CN1', '5', 'C6', '7', '8', '9', '10'],
  };
  const summary = summarizeTransactions(log, { calibrationEnd: day('2024-03-31') });
  const a = summary.ids.indexOf('A');
  const b = summary.ids.indexOf('B');

  it('merges same-day purchases, nets credits into revenue and the day they fall on, and counts invoices as orders', () => {
    expect(summary.ids).toEqual(['A', 'B']);
    expect(summary.purchaseDays[a]).toBe(2);
    expect(summary.x[a]).toBe(1);
    expect(summary.tx[a]).toBeCloseTo(14 / 7, 12);
    expect(summary.T[a]).toBeCloseTo(30 / 7, 12);
    // "C6" is a cancellation written with a positive amount: it takes 4 back, never adds it.
    expect(summary.revenue[a]).toBe(10 + 30 + 50 - 20 - 4);
    // 15 March: 50 bought, and the "C6" cancellation of the same day (4, marked by its C) netted in as a credit.
    expect(summary.zbar[a]).toBe(46);
    expect(summary.orders[a]).toBe(3);
    expect(summary.holdoutPurchases[a]).toBe(1);
    expect(summary.x[b]).toBe(0);
    expect(summary.zbar[b]).toBe(0);
    expect(summary.holdoutPurchases[b]).toBe(1);
  });

  it('counts lines without a customer id and unusable lines, and assigns them to no one', () => {
    // Credits: CN1 (−20) and C6 (+4 written, −4 netted), both in the calibration period.
    expect(summary.lines).toEqual({ total: 11, blank: 0, withoutCustomer: 2, unusable: 1, credits: 2, creditTotal: -24, holdout: 2, afterHoldout: 0 });
    expect(summary.lineLists).toEqual({ withoutCustomer: [2, 7], unusable: [10], positiveCancellations: [6] });
    expect(summary.revenue[b]).toBe(5);
  });

  it('counts and totals only the credits netted into the calibration revenue, skips blank lines silently, and tells a missing id before an unreadable date', () => {
    // A credit of 30 in the holdout, a blank line, and a line with neither id nor date.
    const split = summarizeTransactions({
      customer: ['A', 'A', 'A', '', '', 'A'],
      day: [day('2024-03-01'), day('2024-03-05'), day('2024-04-02'), NaN, NaN, day('2024-04-03')],
      amount: [100, -10, -30, NaN, NaN, 20],
      skip: [0, 0, 0, 1, 0, 0],
    }, { calibrationEnd: day('2024-03-31') });
    expect(split.lines).toEqual({ total: 6, blank: 1, withoutCustomer: 1, unusable: 0, credits: 1, creditTotal: -10, holdout: 2, afterHoldout: 0 });
    expect(split.lineLists.withoutCustomer).toEqual([4]);
    expect(split.revenue[0]).toBe(90);
    // A customer whose every line is unusable is no customer at all.
    const unusableOnly = summarizeTransactions({ customer: ['A', 'Q'], day: [day('2024-03-01'), NaN], amount: [1, 5] });
    expect(unusableOnly.ids).toEqual(['A']);
    expect(unusableOnly.lineLists.unusable).toEqual([1]);
  });

  it('counts purchase days as orders when there are no invoice numbers, and keeps lines after the holdout end out', () => {
    const noInvoices = summarizeTransactions({ ...log, invoice: undefined }, { calibrationEnd: day('2024-03-31'), holdoutEnd: day('2024-04-02') });
    expect(Array.from(noInvoices.orders)).toEqual([2, 1]);
    expect(Array.from(noInvoices.holdoutPurchases)).toEqual([1, 0]);
    expect(noInvoices.lines.afterHoldout).toBe(1);
  });

  it('reports a customer whose only purchases come after the calibration end as outside the cohort', () => {
    const late = summarizeTransactions({ customer: ['A', 'Z'], day: [day('2024-03-01'), day('2024-04-05')], amount: [1, 2] }, { calibrationEnd: day('2024-03-31') });
    const z = late.ids.indexOf('Z');
    expect(late.inCalibration[z]).toBe(0);
    expect(late.T[z]).toBeNaN();
    expect(late.holdoutPurchases[z]).toBe(1);
  });
});

describe('summarizeTransactions: a line compared with the line before', () => {
  // The same id and invoice strings on consecutive lines, ids written with spaces around them, an
  // order's invoice number reused by another customer, and a customer coming back after others.
  const log = {
    customer: ['A', 'A', ' A ', 'B', 'B', '', 'A', 'A', null, 'B'],
    day: [day('2024-03-01'), day('2024-03-01'), day('2024-03-01'), day('2024-03-01'), day('2024-03-02'), day('2024-03-02'), day('2024-03-05'), day('2024-03-05'), day('2024-03-06'), day('2024-03-07')],
    amount: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512],
    invoice: ['1', '1', ' 1', '1', '2', '3', '4', '4', '5', '2'],
  };
  const summary = summarizeTransactions(log);

  it('gives an id written with spaces the customer of its trimmed text, whether or not the line before holds it', () => {
    expect(summary.ids).toEqual(['A', 'B']);
    expect(summary.revenue[0]).toBe(1 + 2 + 4 + 64 + 128);
    expect(summary.revenue[1]).toBe(8 + 16 + 512);
    expect(summary.lines.withoutCustomer).toBe(2);
  });

  it('counts an invoice once per customer, the same number under another customer as that customer\'s order', () => {
    // A: invoices 1 (three lines, one written " 1") and 4; B: invoices 1 and 2 (2 twice, days apart).
    expect(Array.from(summary.orders)).toEqual([2, 2]);
    expect(Array.from(summary.purchaseDays)).toEqual([2, 3]);
  });
});

describe('a log with more purchase days than the first allocation holds', () => {
  it('keeps every (customer, day) past 65,536 of them: the 70,000th customer still has its purchase', () => {
    const n = 70_000;
    const summary = summarizeTransactions({
      customer: Array.from({ length: n }, (_, i) => `K${i}`),
      day: Array.from({ length: n }, (_, i) => day('2024-01-01') + (i % 300)),
      amount: Array.from({ length: n }, (_, i) => 10 + (i % 7)),
    });
    expect(summary.ids).toHaveLength(n);
    const last = n - 1;
    expect([summary.purchaseDays[last], summary.orders[last], summary.inCalibration[last], summary.revenue[last]]).toEqual([1, 1, 1, 10 + (last % 7)]);
    expect(summary.firstDay[last]).toBe(day('2024-01-01') + (last % 300));
    let withPurchase = 0;
    for (let c = 0; c < n; c++) withPurchase += summary.inCalibration[c];
    expect(withPurchase).toBe(n);
  });
});

describe('CDNOW: the published 39-week summary', () => {
  it.skipIf(!CDNOW_SAMPLE.present || !CDNOW_SUMMARY.present)(nameWithData('summarising CDNOW_sample.txt to 1997-09-30 gives cdnow_customers_summary_with_transactions.csv for all 2,357 customers', CDNOW_SAMPLE, CDNOW_SUMMARY), () => {
    const summary = summarizeTransactions(cdnowSampleLog(), { calibrationEnd: CDNOW_CALIBRATION_END });
    const published = cdnowSummary();
    expect(published).toHaveLength(2357);
    expect(summary.ids).toHaveLength(2357);
    // The file prints two decimals, rounding halves up (35.175 → 35.18): equal means within half a cent.
    const printed = (value: number, published: number) => (Math.abs(value - published) <= 0.005 + 1e-9 ? published : value);
    for (const row of published) {
      const i = summary.ids.indexOf(row.id);
      expect({ id: summary.ids[i], x: summary.x[i], tx: printed(summary.tx[i], row.tx), T: printed(summary.T[i], row.T), zbar: printed(summary.zbar[i], row.zbar) }).toEqual(row);
    }
  });
});

describe('UCI Online Retail', () => {
  it.skipIf(!ONLINE_RETAIL.present)(nameWithData('summarises 541,909 lines fast, counts the 135,080 lines without CustomerID, and nets cancellations per customer', ONLINE_RETAIL), () => {
    const log = onlineRetailLog();
    const start = performance.now();
    const summary = summarizeTransactions(log);
    const elapsed = performance.now() - start;
    expect(summary.lines.total).toBe(541_909);
    expect(summary.lines.withoutCustomer).toBe(135_080);
    expect(elapsed).toBeLessThan(2000);
    const expected = new Map(onlineRetailCustomers().map((customer) => [customer.id, customer.revenue]));
    expect(summary.ids.length).toBe(expected.size);
    for (let i = 0; i < summary.ids.length; i++) expect(Math.round(summary.revenue[i] * 100) / 100).toBe(expected.get(summary.ids[i]));
    // 12346 bought 74,215 items for 77,183.60 and cancelled them the same day: one purchase day, net 0.
    const c12346 = summary.ids.indexOf('12346');
    expect([summary.purchaseDays[c12346], summary.orders[c12346], summary.revenue[c12346]]).toEqual([1, 1, 0]);
  });
});
