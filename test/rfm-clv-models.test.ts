import ExcelJS from 'exceljs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  buildCustomerTable, customersFromLog, joinLogCustomers, dateToSerial, defaultSettings, DEFAULT_RFM_GRID, detectRoles, getModel, isTransactionLog, segment, summarize, tierName,
  type CellValue, type ModelResult, type NumberMetric, type TextMetric,
} from '../src/engine';
import { bgnbdPAlive } from '../src/engine/lifetime/bgnbd';
import { CDNOW_CALIBRATION_END, CDNOW_SAMPLE, cdnowSampleLog, cdnowSummary } from './support/cdnow';
import { nameWithData } from './support/public-data';

const AS_OF = dateToSerial(2024, 1, 31);

/** Ten customers worked by hand (see each row): days since the last order, orders, revenue; an eleventh without any. */
const HAND = {
  days: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
  orders: [9, 1, 7, 2, 5, 3, 8, 6, 1, 4],
  revenue: [500, 50, 400, 100, 300, 150, 900, 350, 20, 250],
};
const HAND_HEADERS = ['Customer ID', 'Last order', 'Orders', 'Revenue'];
function handRows(): CellValue[][] {
  const rows: CellValue[][] = HAND.days.map((days, i) => [`C${i + 1}`, AS_OF - days, HAND.orders[i], HAND.revenue[i]]);
  rows.push(['C11', null, null, null]);
  return rows;
}

function runRfm(headers: CellValue[], rows: CellValue[][], settings = {}): ModelResult {
  const table = buildCustomerTable(headers, rows);
  return segment(table, [{ id: 'rfm', settings: { ...defaultSettings(getModel('rfm')), ...settings } }]).results[0];
}

function tierIds(result: ModelResult): (string | null)[] {
  const model = getModel(result.modelId);
  return Array.from(result.tiers, (tier) => (tier < 0 ? null : model.tiers[tier].id));
}

const metric = (result: ModelResult, key: string) => result.metrics.find((candidate) => candidate.key === key)!;

describe('rfm on a table worked by hand', () => {
  it('scores R, F and M by min-rank quantiles (equal values, equal scores) and names each R × F cell', () => {
    const result = runRfm(HAND_HEADERS, handRows());
    // R: fewer days score higher, two customers a group; F: the two one-order customers tie at 1; M: distinct.
    expect(Array.from((metric(result, 'rfm.r') as NumberMetric).values)).toEqual([5, 5, 4, 4, 3, 3, 2, 2, 1, 1, NaN]);
    expect(Array.from((metric(result, 'rfm.f') as NumberMetric).values)).toEqual([5, 1, 4, 2, 3, 2, 5, 4, 1, 3, NaN]);
    expect(Array.from((metric(result, 'rfm.m') as NumberMetric).values)).toEqual([5, 1, 4, 2, 3, 2, 5, 4, 1, 3, NaN]);
    expect(Array.from({ length: 11 }, (_, row) => (metric(result, 'rfm.code') as TextMetric).text(row).en))
      .toEqual(['555', '511', '444', '422', '333', '322', '255', '244', '111', '133', '']);
    expect(tierIds(result)).toEqual([
      'Champions', 'New', 'Loyal', 'Potential loyalist', 'Need attention', 'About to sleep', "Can't lose them", 'At risk', 'Lost', 'At risk', null,
    ]);
    expect(Array.from((metric(result, 'rfm.recencyDays') as NumberMetric).values.subarray(0, 10))).toEqual(HAND.days);
  });

  it('explains each row with its scores, values and the group each falls in, and shows every cut', () => {
    const result = runRfm(HAND_HEADERS, handRows());
    expect(result.explain(1).en).toBe('R 5 (2 days in 1–2), F 1 (1 order), M 1 (50 revenue in 20–50): New');
    expect(result.explain(1).da).toBe('R 5 (2 dage i 1–2), F 1 (1 ordre), M 1 (50 omsætning i 20–50): Nye');
    expect(result.explain(0).en).toBe('R 5 (1 day in 1–2), F 5 (9 orders in 8–9), M 5 (500 revenue in 500–900): Champions');
    expect(result.explain(10).en).toBe('no segment: Last order, Orders, Revenue is missing');
    expect(result.notes.map((note) => note.en)).toEqual([
      'Too few customers for 5 score groups: 10 customers with a last order, where quantile scores need at least 25 (5 per group) to say more than each customer\'s rank; read the scores and segments with care, or choose fewer groups.',
      'Analysis date 2024-01-31 (the day after the last order in the table); 5 score groups by quantiles, equal values with equal scores, so the row order never matters.',
      'R score by days since the last order: 5 = 1–2 (2), 4 = 3–4 (2), 3 = 5–6 (2), 2 = 7–8 (2), 1 = 9–10 (2).',
      'F score by orders: 5 = 8–9 (2), 4 = 6–7 (2), 3 = 4–5 (2), 2 = 2–3 (2), 1 = 1 (2).',
      'M score by revenue: 5 = 500–900 (2), 4 = 350–400 (2), 3 = 250–300 (2), 2 = 100–150 (2), 1 = 20–50 (2).',
      'Segment per R × F score: R 5: F 1 New, F 2–3 Potential loyalist, F 4–5 Champions; R 4: F 1 Promising, F 2–3 Potential loyalist, F 4–5 Loyal; '
      + "R 3: F 1–2 About to sleep, F 3 Need attention, F 4–5 Loyal; R 2: F 1–2 Hibernating, F 3–4 At risk, F 5 Can't lose them; R 1: F 1 Lost, F 2 Hibernating, F 3–4 At risk, F 5 Can't lose them.",
    ]);
  });

  it('follows a set analysis date, three groups, revenue per order and an edited grid', () => {
    const grid = structuredClone(DEFAULT_RFM_GRID);
    grid[4][4] = 'Loyal';
    const result = runRfm(HAND_HEADERS, handRows(), { asOf: AS_OF + 10, groups: '3', monetary: 'perOrder', grid });
    expect(Array.from((metric(result, 'rfm.recencyDays') as NumberMetric).values.subarray(0, 3))).toEqual([11, 12, 13]);
    // Three groups: shares k/10 → 1 below 1/3 (k 0–3), 2 below 2/3 (k 4–6), else 3; R on −days, so the most recent are 3.
    expect(Array.from((metric(result, 'rfm.r') as NumberMetric).values.subarray(0, 10))).toEqual([3, 3, 3, 2, 2, 2, 1, 1, 1, 1]);
    // Revenue per order: 55.6, 50, 57.1, 50, 60, 50, 112.5, 58.3, 20, 62.5 → three 50s tie at share 1/10.
    expect(Array.from((metric(result, 'rfm.m') as NumberMetric).values.subarray(0, 10))).toEqual([2, 1, 2, 1, 3, 1, 3, 2, 1, 3]);
    // R 3 and F 3 sit on the grid's R 5, F 5: the edited cell.
    expect(tierIds(result)[0]).toBe('Loyal');
  });

  it('refuses a grid with a cell that names no segment', () => {
    const grid = structuredClone(DEFAULT_RFM_GRID) as string[][];
    grid[2][1] = 'Others';
    expect(() => runRfm(HAND_HEADERS, handRows(), { grid })).toThrow(/R 3, F 2: "Others" is not one of/);
  });

  it('gives every customer the same scores and segment whatever the row order', () => {
    const rows = handRows();
    const original = runRfm(HAND_HEADERS, rows);
    const order = [7, 2, 10, 0, 5, 9, 1, 8, 3, 6, 4];
    const shuffled = runRfm(HAND_HEADERS, order.map((i) => rows[i]));
    order.forEach((from, to) => {
      expect(shuffled.tiers[to]).toBe(original.tiers[from]);
      expect((metric(shuffled, 'rfm.code') as TextMetric).text(to).en).toBe((metric(original, 'rfm.code') as TextMetric).text(from).en);
    });
  });
});

describe('rfm on the sample customer table', () => {
  it('segments every customer with a last order, orders and revenue, monotone in each input', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path.resolve(__dirname, '..', 'assets', 'sample-customers.xlsx'));
    const sheet = workbook.worksheets[0];
    const rows: CellValue[][] = [];
    sheet.eachRow((row, number) => { rows.push((row.values as CellValue[]).slice(1)); void number; });
    const table = buildCustomerTable(rows[0], rows.slice(1));
    expect([table.mapping.lastOrder, table.mapping.orders, table.mapping.revenue]).toEqual([9, 10, 3]);
    const result = segment(table, [{ id: 'rfm', settings: defaultSettings(getModel('rfm')) }]).results[0];
    const model = getModel('rfm');
    const counts = summarize(table, model, result);
    // The 300 prospects below the 2,000 customers have no last order yet: they, and only they, get no segment.
    expect(counts.reduce((total, line) => total + line.customers, 0)).toBe(2300);
    expect(counts.find((line) => line.tierIndex < 0)?.customers).toBe(300);
    for (let i = 2000; i < 2300; i++) expect(result.tiers[i]).toBe(-1);
    const r = (metric(result, 'rfm.r') as NumberMetric).values;
    const f = (metric(result, 'rfm.f') as NumberMetric).values;
    const last = table.numbers.lastOrder!;
    const orders = table.numbers.orders!;
    for (let i = 0; i < 2000; i += 7) {
      for (let j = 0; j < 2000; j += 11) {
        if (last[i] > last[j]) expect(r[i]).toBeGreaterThanOrEqual(r[j]);
        if (orders[i] > orders[j]) expect(f[i]).toBeGreaterThanOrEqual(f[j]);
      }
    }
    for (let i = 0; i < 2000; i++) expect(model.tiers[result.tiers[i]].id).toBe(DEFAULT_RFM_GRID[r[i] - 1][f[i] - 1]);
    // Danish segment names come from the tiers' Danish labels.
    expect(tierName(model.tiers[0], 'da')).toBe('Topkunder');
  });
});

describe('a transaction log made into a customer table', () => {
  const headers = ['Kundenr', 'Fakturadato', 'Fakturanr', 'Antal', 'Stykpris'];
  const rows: CellValue[][] = [
    ['K1', '2024-01-05', 'F1', 2, 50],
    ['K1', '2024-01-05', 'F2', 1, 30],
    ['K2', '2024-01-10', 'F3', 1, 200],
    [null, '2024-01-11', 'F4', 1, 10],
    ['K1', '2024-02-01', 'F5', 3, 10],
    ['K2', '2024-02-10', 'C6', -1, 200],
    ['K2', '2024-03-01', 'F7', 2, 25],
    ['K3', '2024-03-01', 'F8', 1, 80],
    ['K1', 'ikke en dato', 'F9', 1, 10],
  ];

  it('maps a Danish log by its headers and keeps "Antal ordrer" as orders beside "Antal"', () => {
    expect(detectRoles(headers)).toEqual({ id: 0, orderDate: 1, invoice: 2, quantity: 3, unitPrice: 4 });
    expect(detectRoles(['Antal ordrer', 'Antal'])).toEqual({ orders: 0, quantity: 1 });
    // "Antal" is a quantity only as the whole header: "Antal ansatte" (employees) is not one, and
    // "Type" is a customer's type (Kunde / Emne) only as the whole header, never "Kontrakttype".
    expect(detectRoles(['Kundenr', 'Antal ansatte', 'Type', 'Kontrakttype'])).toEqual({ id: 0, customerType: 2 });
    expect(detectRoles(['CustomerID', 'frequency', 'recency', 'T', 'monetary_value']))
      .toEqual({ id: 0, repeatPurchases: 1, recencyWeeks: 2, ageWeeks: 3, meanRepeatSpend: 4 });
    expect(isTransactionLog(buildCustomerTable(headers, rows))).toBe(true);
    expect(isTransactionLog(buildCustomerTable(headers, [rows[0], rows[2]]))).toBe(false);
  });

  it('merges same-day purchases, nets the credit note, and reports the line without an id and the unreadable date', () => {
    const log = buildCustomerTable(headers, rows);
    const { table, notes } = customersFromLog(log, 'en');
    expect(table.headers).toEqual(['Customer ID', 'First purchase', 'Last order', 'Orders', 'Revenue', 'Repeat purchases', 'Recency (weeks)', 'Age (weeks)', 'Mean repeat spend']);
    const day = (month: number, date: number) => dateToSerial(2024, month, date);
    expect(table.cells).toEqual([
      ['K1', day(1, 5), day(2, 1), 3, 160, 1, 27 / 7, 8, 30],
      ['K2', day(1, 10), day(3, 1), 2, 50, 1, 51 / 7, 51 / 7, 50],
      ['K3', day(3, 1), day(3, 1), 1, 80, 0, 0, 0, 0],
    ]);
    expect(log.problems.map((problem) => [problem.row, problem.columnLetter, problem.kind])).toEqual([[10, 'B', 'notDate']]);
    expect(notes.map((note) => note.en)).toEqual([
      'Transaction log: 3 customers from 9 lines; purchases on the same day count as one.',
      '1 line without a customer id in "Kundenr" (A) was left out, never guessed: row 5.',
      '1 line without a readable date in "Fakturadato" (B) or amount in "Antal" (D) × "Stykpris" (E) was left out: row 10.',
      '1 credit note or cancellation (negative amounts, invoice numbers starting with C), -200 in all, was netted against the customers\' revenue; it is not a purchase.',
    ]);
    expect(customersFromLog(log, 'da').table.headers.slice(0, 3)).toEqual(['Kundenr', 'Første køb', 'Seneste køb']);
  });
});

describe('clv on the CDNOW cohort', () => {
  it.skipIf(!CDNOW_SAMPLE.present)(nameWithData('fits the published BG/NBD and Gamma-Gamma parameters through the model and writes them as parameter cells', CDNOW_SAMPLE), () => {
    const log = cdnowSampleLog();
    const table = buildCustomerTable(['Customer ID', 'Order date', 'Amount'], log.customer.map((customer, i) => [customer, log.day[i], log.amount[i]]));
    const customers = customersFromLog(table, 'en', { calibrationEnd: CDNOW_CALIBRATION_END });
    const segmentation = segment(customers.table, [{ id: 'clv', settings: defaultSettings(getModel('clv')) }]);
    const result = segmentation.results[0];
    const value = (key: string) => result.parameters!.find((parameter) => parameter.key === key)!.value;
    expect([value('r'), value('alpha'), value('a'), value('b')].map((number) => Number(number.toFixed(3)))).toEqual([0.243, 4.414, 0.793, 2.426]);
    expect(value('logLikelihood').toFixed(1)).toBe('-9582.4');
    expect([value('p'), value('q'), value('gamma')].map((number) => Number(number.toFixed(2)))).toEqual([6.25, 3.74, 15.44]);
    // The summary equals the published one for every customer, and P(alive) of customer 1516 is 0.9689.
    const published = cdnowSummary();
    const ids = customers.table.texts.id!;
    const x = customers.table.numbers.repeatPurchases!;
    const T = customers.table.numbers.ageWeeks!;
    const row = new Map(ids.map((id, i) => [id, i]));
    for (const customer of published) {
      const i = row.get(customer.id)!;
      expect([x[i], Number(T[i].toFixed(2))]).toEqual([customer.x, customer.T]);
    }
    const pAlive = (metric(result, 'clv.pAlive') as NumberMetric).values;
    expect(pAlive[row.get('1516')!].toFixed(4)).toBe('0.9689');
    expect(pAlive[row.get('1516')!]).toBe(bgnbdPAlive({ r: value('r'), alpha: value('alpha'), a: value('a'), b: value('b') }, 26, customers.table.numbers.recencyWeeks![row.get('1516')!], T[row.get('1516')!]));
    // Tiers: Likely lost only where P(alive) < 0.3; Top at or above the 80 % quantile of CLV.
    const clvValues = (metric(result, 'clv.value') as NumberMetric).values;
    const topCut = result.cuts.find((cut) => cut.key === 'topCut')!.value;
    for (let i = 0; i < customers.table.rowCount; i++) {
      const expected = pAlive[i] < 0.3 ? 3 : clvValues[i] >= topCut ? 0 : clvValues[i] >= result.cuts[1].value ? 1 : 2;
      expect(result.tiers[i]).toBe(expected);
      if (x[i] === 0) expect(result.explain(i).en).toMatch(/^P\(alive\) = 1 by construction: no repeat purchase yet/);
    }
    // The live P(alive) formula reads the parameter cells.
    const formula = (metric(result, 'clv.pAlive') as NumberMetric).excelFormula!({ form: 'row', roles: { repeatPurchases: 'F2', recencyWeeks: 'G2', ageWeeks: 'H2' }, cuts: {}, parameters: { r: 'R', alpha: 'AL', a: 'A_', b: 'B_' }, settings: {} });
    expect(formula).toBe('IF(AND(ISNUMBER(F2),ISNUMBER(G2),ISNUMBER(H2)),IF(OR(F2=0,A_=0),1,1/(1+EXP(MIN(700,LN(A_)-LN(B_+F2-1)+(R+F2)*(LN(AL+H2)-LN(AL+G2)))))),"")');
  });

  it('is left out with its sentence, never a crash, when too few customers bought twice; RFM still runs', () => {
    const headers = ['Customer ID', 'Last order', 'Orders', 'Revenue', 'Repeat purchases', 'Recency (weeks)', 'Age (weeks)', 'Mean repeat spend'];
    const rows: CellValue[][] = Array.from({ length: 30 }, (_, i) => [`C${i}`, AS_OF - i, 1 + (i % 3), 100 + i, i < 5 ? 1 : 0, i < 5 ? 3 : 0, 10, i < 5 ? 40 : 0]);
    const segmentation = segment(buildCustomerTable(headers, rows), ['rfm', 'clv'].map((id) => ({ id, settings: defaultSettings(getModel(id)) })));
    expect(segmentation.results.map((result) => result.modelId)).toEqual(['rfm']);
    expect(segmentation.leftOut).toEqual([{ modelId: 'clv', why: {
      en: 'BG/NBD cannot be estimated from 5 repeat buyers (it needs at least 20 customers with two or more purchase days)',
      da: 'BG/NBD kan ikke estimeres ud fra 5 genkøbere (der skal mindst 20 kunder med køb på to eller flere dage til)',
    } }]);
  });
});

describe('RFM beside a customer table that holds only some of the log\'s customers', () => {
  it('counts recency to the day after the log\'s last day, not after the latest order of the customers in the table', () => {
    // The log runs to 2024-12-31 (customer B); the table holds A (last order 2024-01-10) and C (2024-06-30) only.
    const log = buildCustomerTable(['Customer ID', 'Order date', 'Amount'], [
      ['A', '2024-01-02', 100], ['A', '2024-01-10', 50], ['B', '2024-03-01', 80], ['B', '2024-12-31', 90], ['C', '2024-02-01', 40], ['C', '2024-06-30', 60],
    ]);
    const logCustomers = customersFromLog(log, 'en');
    const joined = joinLogCustomers(['Customer ID', 'Customer'], [['A', 'Alfa'], ['C', 'Gamma']], { id: 0, name: 1 }, logCustomers, 'en');
    const table = buildCustomerTable(joined.headers, joined.rows, { mapping: joined.mapping, observedUntil: logCustomers.table.observedUntil });
    const result = segment(table, [{ id: 'rfm', settings: defaultSettings(getModel('rfm')) }]).results[0];
    const days = result.metrics.find((metric) => metric.key === 'rfm.recencyDays') as NumberMetric;
    // 2025-01-01 − 2024-01-10 = 357 days; 2025-01-01 − 2024-06-30 = 185 days.
    expect(Array.from(days.values)).toEqual([357, 185]);
    expect(result.notes.some((note) => note.en.startsWith('Analysis date 2025-01-01 (the day after the last day of the order log)'))).toBe(true);
  });
});

describe('RFM refuses what it cannot count', () => {
  const table = buildCustomerTable(HAND_HEADERS, [['A', '2024-01-10', 3, 300], ['B', '2024-03-01', 1, 100], ['C', '2024-02-01', 2, 200]]);

  it('an analysis date on or before a customer\'s last order: RFM is left out with why, never negative days', () => {
    const settings = { ...defaultSettings(getModel('rfm')), asOf: dateToSerial(2024, 2, 15) };
    expect(() => segment(table, [{ id: 'rfm', settings }])).toThrow(
      'RFM segments cannot run on this table: the analysis date 2024-02-15 is on or before the last order of 1 customer (the latest 2024-03-01): choose a day after the last order, or leave the analysis date empty.',
    );
    const beside = segment(table, [{ id: 'rfm', settings }, { id: 'pareto', settings: defaultSettings(getModel('pareto')) }]);
    expect(beside.leftOut?.map((model) => model.modelId)).toEqual(['rfm']);
  });

  it('a customer without a last order (only credit notes in a log) takes no part in the F and M cuts', () => {
    const withCredit = buildCustomerTable(HAND_HEADERS, [['A', '2024-01-10', 3, 300], ['B', '2024-03-01', 1, 100], ['C', '2024-02-01', 2, 200], ['D', null, 9, -50]]);
    const result = segment(withCredit, [{ id: 'rfm', settings: { ...defaultSettings(getModel('rfm')), groups: '3' } }]).results[0];
    const metric = (key: string) => Array.from((result.metrics.find((candidate) => candidate.key === key) as NumberMetric).values);
    // Three customers ranked among themselves: D's 9 orders would otherwise take F's top group.
    expect(metric('rfm.f')).toEqual([3, 1, 2, NaN]);
    expect(metric('rfm.m')).toEqual([3, 1, 2, NaN]);
    expect(result.tiers[3]).toBe(-1);
  });
});
