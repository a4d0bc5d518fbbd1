import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  buildCustomerTable, cellText, customersFromLog, dateToSerial, holdoutSplit, defaultSettings, formatAmount, getModel, resolveCut, segment, type CellValue, type NumberMetric,
} from '../src/engine';
import { prepareInput } from '../src/workbook/log-input';
import type { TableSnapshot } from '../src/workbook/port';
import { openWorkbook } from '../src/workbook/xlsx/read';
import { bgnbdConditionalExpected, bgnbdPAlive, EDGE_CRITICAL_GAP, fitBgNbd, limitParams, type BgNbdParams } from '../src/engine/lifetime/bgnbd';
import { LifetimeEstimationError } from '../src/engine/lifetime/errors';
import { rfmScores } from '../src/engine/lifetime/rfm-scores';
import { simulateBgNbd } from '../src/engine/lifetime/simulate';
import { idsAlikeButForCaseOrSpacing } from '../src/engine/lifetime/log-table';
import { summarizeTransactions } from '../src/engine/lifetime/transactions';
import { readableNumber } from '../src/engine/lifetime/wording';
import { onlineRetailLog } from './support/cdnow';
import { runCli } from './support/cli-run';
import { nameWithData, ONLINE_RETAIL } from './support/public-data';

const SAMPLE = path.resolve(__dirname, '..', 'assets', 'sample-customers.xlsx');

const LOG_HEADERS = ['Kundenr', 'Fakturadato', 'Fakturanr', 'Beløb'];

describe('a cancellation written with a positive amount', () => {
  // K1 buys 100 and 50; "C3" cancels 30 but was written +30; K2 buys 80, "C5" cancels 20 written −20.
  const rows: CellValue[][] = [
    ['K1', '2024-01-05', 'F1', 100],
    ['K1', '2024-02-01', 'F2', 50],
    ['K1', '2024-02-01', 'C3', 30],
    ['K2', '2024-01-10', 'F4', 80],
    ['K2', '2024-01-20', 'C5', -20],
  ];

  it('is netted as a credit (taken off, not added) and reported with its sheet row and columns, in both languages', () => {
    const log = buildCustomerTable(LOG_HEADERS, rows);
    const { table, notes, counts } = customersFromLog(log, 'en');
    const revenue = table.mapping.revenue!;
    const zbar = table.mapping.meanRepeatSpend!;
    // K1: 100 + 50 − 30 = 120; its repeat day (1 Feb) spent 50 − 30 = 20. K2: 80 − 20 = 60.
    expect(table.cells.map((row) => [row[0], row[revenue], row[zbar]])).toEqual([['K1', 120, 20], ['K2', 60, 0]]);
    expect([counts.creditNotes, counts.creditTotal]).toEqual([2, -50]);
    expect(notes.map((note) => note.en)).toContain(
      '1 line with an invoice number starting with C in "Fakturanr" (C) (a cancellation) has a positive amount in "Beløb" (D): netted as a credit (the amount taken off the revenue, not added): row 4.',
    );
    expect(notes.map((note) => note.da)).toContain(
      '1 linje med et fakturanummer der begynder med C i "Fakturanr" (C) (en annullering) har et positivt beløb i "Beløb" (D): modregnet som en kreditering (beløbet trukket fra omsætningen, ikke lagt til): række 4.',
    );
    expect(notes.map((note) => note.en)).toContain(
      '2 credit notes and cancellations (negative amounts, invoice numbers starting with C), -50 in all, were netted against the customers\' revenue; they are not purchases.',
    );
  });

  it('counts only the credits netted into the calibration revenue when a holdout starts before some of them', () => {
    // Holdout from 1 February: K1's "C3" (30, on 1 February) falls in it; K2's "C5" (−20, 20 January) does not.
    const { counts, notes } = customersFromLog(buildCustomerTable(LOG_HEADERS, rows), 'en', holdoutSplit(dateToSerial(2024, 2, 1)));
    expect([counts.creditNotes, counts.creditTotal]).toEqual([1, -20]);
    expect(notes.map((note) => note.en)).toContain(
      '1 credit note or cancellation (negative amounts, invoice numbers starting with C), -20 in all, was netted against the customers\' revenue; it is not a purchase.',
    );
  });
});

describe('customer ids that differ only in case or spacing', () => {
  const rows: CellValue[][] = [
    ['K-100', '2024-01-05', 'F1', 100],
    ['k-100 ', '2024-02-01', 'F2', 50],
    ['K 7', '2024-01-10', 'F3', 80],
    ['K7', '2024-01-20', 'F4', 20],
    ['K8', '2024-01-20', 'F5', 20],
  ];

  it('are kept apart as different customers, and a note counts the groups and names an example', () => {
    const { table, notes } = customersFromLog(buildCustomerTable(LOG_HEADERS, rows), 'da');
    expect(table.texts.id).toEqual(['K-100', 'k-100', 'K 7', 'K7', 'K8']);
    const note = notes.find((candidate) => /case|spacing/.test(candidate.en))!;
    expect(note.en).toBe('2 groups of customer ids differ only in upper and lower case or spacing, e.g. "K-100" and "k-100": kept apart as different customers, never merged by guess; if each group is one customer, correct the ids in the log.');
    expect(note.da).toBe('2 grupper af kundenumre adskiller sig kun ved store og små bogstaver eller mellemrum, fx "K-100" og "k-100": holdt adskilt som forskellige kunder, aldrig slået sammen på et gæt; er hver gruppe én kunde, så ret kundenumrene i loggen.');
  });

  it('groups ids outside ASCII by their Danish lower case, and ASCII ids beside them by theirs', () => {
    expect(idsAlikeButForCaseOrSpacing(['ÆBLE-1', 'æble-1', 'Øst 2', 'øst2', 'K-1', 'k - 1', 'K-2'])).toEqual({ groups: 3, example: ['ÆBLE-1', 'æble-1'] });
    expect(idsAlikeButForCaseOrSpacing(['K-1', 'K-2', 'Å1'])).toEqual({ groups: 0, example: [] });
  });

  it('gives no note when every id is its own', () => {
    const { notes } = customersFromLog(buildCustomerTable(LOG_HEADERS, [rows[0], rows[2], rows[4], rows[0]]), 'en');
    expect(notes.some((note) => /case|spacing/.test(note.en))).toBe(false);
  });
});

describe('counts and numbers in the lifetime notes', () => {
  it('use the singular for one in both languages: "1 customer" / "1 kunde", "1 line" / "1 linje"', () => {
    const rows: CellValue[][] = [['K1', '2024-01-05', 'F1', 100], ['K1', '2024-02-05', 'F2', 100], [null, '2024-02-06', 'F3', 5], ['K2', 'ikke en dato', 'F4', 1]];
    const log = buildCustomerTable(LOG_HEADERS, rows);
    const { notes } = customersFromLog(log, 'da', { calibrationEnd: dateToSerial(2023, 12, 31) });
    expect(notes.map((note) => note.en)).toEqual([
      'Transaction log: 1 customer from 4 lines; purchases on the same day count as one.',
      '1 line without a customer id in "Kundenr" (A) was left out, never guessed: row 4.',
      '1 line without a readable date in "Fakturadato" (B) or amount in "Beløb" (D) was left out: row 5.',
      '1 customer has no purchase up to the calibration end (only credit notes, or purchases after it): it gets no segment.',
    ]);
    expect(notes.map((note) => note.da)).toEqual([
      'Transaktionslog: 1 kunde fra 4 linjer; køb samme dag tæller som ét.',
      '1 linje uden kundenummer i "Kundenr" (A) blev udeladt, aldrig gættet: række 4.',
      '1 linje uden læselig dato i "Fakturadato" (B) eller beløb i "Beløb" (D) blev udeladt: række 5.',
      '1 kunde har intet køb til og med kalibreringsslut (kun kreditnotaer eller køb efter den): den får intet segment.',
    ]);
  });

  it('write huge and tiny numbers as a power of ten, never "1.84e+168" or 169 digits', () => {
    expect(readableNumber(1.84e168, 'en')).toBe('1.8·10^168');
    expect(readableNumber(1.84e168, 'da')).toBe('1,8·10^168');
    expect(readableNumber(3.04e-6, 'da')).toBe('3,0·10^-6');
    expect(readableNumber(7088.2236, 'da')).toBe('7.088,2236');
    expect(readableNumber(0.7931, 'en')).toBe('0.7931');
    expect(readableNumber(Infinity, 'en')).toBe('∞');
  });
});

describe('BG/NBD at the edge where everyone shares one dropout probability p (a, b → ∞ with a/(a+b) → p; a → 0 for p = 0)', () => {
  const limit = (p: number): BgNbdParams => limitParams({ r: 0.98, alpha: 4.33, p });

  it('predicts with the closed form that eq. 10 tends to: the relative gap falls like 1/(a+b)', () => {
    const p = 0.008;
    const [x, tx, T, t] = [5, 20, 30, 52];
    const atEdge = bgnbdConditionalExpected(limit(p), t, x, tx, T);
    // P(alive) · [1 − ((α+T)/(α+T+pt))^(r+x)] / p, worked by hand.
    const alive = 1 / (1 + (p / (1 - p)) * ((4.33 + T) / (4.33 + tx)) ** (0.98 + x));
    expect(atEdge).toBeCloseTo((alive * (1 - ((4.33 + T) / (4.33 + T + p * t)) ** (0.98 + x))) / p, 10);
    const gap = (concentration: number) => Math.abs(bgnbdConditionalExpected({ r: 0.98, alpha: 4.33, a: p * concentration, b: (1 - p) * concentration }, t, x, tx, T) / atEdge - 1);
    expect(gap(100)).toBeLessThan(1e-2);
    expect(gap(1000)).toBeLessThan(gap(100) / 8);
    expect(gap(10000)).toBeLessThan(gap(1000) / 8);
    // No dropout: (r + x)·t/(α + T), P(alive) = 1 even for a customer long silent.
    const none = limit(0);
    expect(none.a).toBe(0);
    expect(bgnbdConditionalExpected(none, t, x, tx, T)).toBeCloseTo((5.98 * 52) / 34.33, 12);
    expect(bgnbdPAlive(none, 50, 1, 100)).toBe(1);
  });

  it('fits data drawn with one p for everyone as that limit, stated, with finite predictions; and CDNOW-like data stay inside', () => {
    const drawn = simulateBgNbd({ r: 0.9, alpha: 4, a: 0.05 * 1e9, b: 0.95 * 1e9 }, 4000, 11);
    const fit = fitBgNbd(drawn);
    expect(fit.edge.kind).toBe('limit');
    expect(fit.edge.limit!.p).toBeGreaterThan(0.03);
    expect(fit.edge.limit!.p).toBeLessThan(0.07);
    expect(fit.params.a / (fit.params.a + fit.params.b)).toBeCloseTo(fit.edge.limit!.p, 12);
    expect(fit.logLikelihood).toBe(fit.edge.limit!.logLikelihood);
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(fit.edge.searched.logLikelihood - 0.01);
    expect(Number.isFinite(bgnbdConditionalExpected(fit.params, 52, 3, 10, 40))).toBe(true);
    const inside = fitBgNbd(simulateBgNbd({ r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }, 4000, 12));
    // Far from the edge (a ≈ 0.8, b ≈ 2.4): the edge is not fitted at all, so a fit costs what it did.
    expect([inside.edge.kind, inside.edge.limit]).toEqual(['inside', null]);
    expect(inside.params).toEqual(inside.edge.searched.params);
  });
});

describe('the holdout fit on the sample\'s order log (Ordrer, 2024-10-31 to 2026-10-31), split at 2025-07-01', () => {
  it('is the no-dropout limit (a → 0), said in both languages, and predicts the holdout instead of NaN', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'segmentkit-edge-'));
    const run = await runCli(['segment', SAMPLE, '--sheet', 'Ordrer', '--model', 'clv', '--set', 'clv.holdoutStart=2025-07-01', '-o', path.join(dir, 'out.xlsx')]);
    expect(run.code).toBe(0);
    // Before: a 3.0e-6 and b 7,088 as if estimated, and "NaN repeat purchases predicted".
    expect(run.out).toContain('  BG/NBD fitted by maximum likelihood on 1,536 customers (1,325 repeat buyers), in weeks: r 1.0205, α 4.1146, p 0, log-likelihood -21,759.2.');
    expect(run.out.find((line) => line.includes('edge of the model'))).toMatch(/^ {2}BG\/NBD's likelihood is highest at the edge of the model where a\/\(a\+b\) → 0 \(the search ran off to a [\d.]+·10\^-\d, b [\d,.]+\): nobody drops out, so P\(alive\) = 1 for every customer/);
    expect(run.out).toContain('  Holdout check from 2025-07-01 (69.7 weeks, BG/NBD fitted on the purchases before): 26,557.2 repeat purchases predicted, 21,015 actual, ratio 1.264, over 1,536 customers.');
    const danish = await runCli(['segment', SAMPLE, '--sheet', 'Ordrer', '--model', 'clv', '--set', 'clv.holdoutStart=2025-07-01', '--lang', 'da', '-o', path.join(dir, 'ud.xlsx')]);
    expect(danish.out.find((line) => line.includes('kanten af modellen'))).toMatch(/^ {2}Likelihood for BG\/NBD er størst i kanten af modellen, hvor a\/\(a\+b\) → 0 .*ingen falder fra, så P\(i live\) = 1 for alle kunder/);
  });

  it('split at 2026-07-01 is the common-dropout limit a, b → ∞ with p = 0.0081, and the a and b cells say what they stand for', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'segmentkit-edge-'));
    const run = await runCli(['segment', SAMPLE, '--sheet', 'Ordrer', '--model', 'clv', '--set', 'clv.holdoutStart=2026-07-01', '-o', path.join(dir, 'out.xlsx')]);
    expect(run.code).toBe(0);
    expect(run.out).toContain('  BG/NBD fitted by maximum likelihood on 1,869 customers (1,753 repeat buyers), in weeks: r 0.9849, α 4.3347, p 0.0081, log-likelihood -59,865.5.');
    expect(run.out.find((line) => line.includes('edge of the model'))).toMatch(/a and b run off to infinity with a\/\(a\+b\) → p = 0\.0081 .*every customer has the same probability p of dropping out after each purchase/);
    expect(run.out).toContain('  Holdout check from 2026-07-01 (17.6 weeks, BG/NBD fitted on the purchases before): 5,337.1 repeat purchases predicted, 4,319 actual, ratio 1.236, over 1,869 customers.');
    const clvSheet = openWorkbook(readFileSync(path.join(dir, 'out.xlsx'))).readSheet('CLV').rows;
    // Sheet rows are sparse: a blank row is a hole.
    const texts = Array.from(clvSheet, (row) => Array.from(row ?? [], (cell) => cellText(cell ?? null)));
    const cells = (label: string) => texts.find((row) => row[0] === label)!;
    expect(Number(cells('a')[1]) / (Number(cells('a')[1]) + Number(cells('b')[1]))).toBeCloseTo(0.0081, 4);
    expect(cells('a')[2]).toBe('a, b → ∞ at the limit with a/(a+b) = p = 0.0081: written as p·10^12');
    expect(cells('b')[2]).toBe('a, b → ∞ at the limit with a/(a+b) = p = 0.0081: written as (1 − p)·10^12');
  });
});

describe.skipIf(!ONLINE_RETAIL.present)('BG/NBD on UCI Online Retail', () => {
  const log = ONLINE_RETAIL.present ? onlineRetailLog() : null;
  const fitTo = (calibrationEnd?: number) => {
    const summary = summarizeTransactions(log!, calibrationEnd === undefined ? {} : { calibrationEnd });
    const rows = [...summary.inCalibration.keys()].filter((c) => summary.inCalibration[c] === 1);
    return fitBgNbd({ x: rows.map((c) => summary.x[c]), tx: rows.map((c) => summary.tx[c]), T: rows.map((c) => summary.T[c]) });
  };

  it(nameWithData('the whole log lies on a flat ridge towards a → 0 (0.12 log-likelihood from no dropout), and the note says so', ONLINE_RETAIL), () => {
    const fit = fitTo();
    expect(fit.edge.kind).toBe('ridge');
    expect(fit.edge.limit!.p).toBe(0);
    expect(fit.params.a).toBeLessThan(0.01);
    expect(fit.logLikelihood - fit.edge.limit!.logLikelihood).toBeCloseTo(0.12, 2);
    expect(fit.logLikelihood - fit.edge.limit!.logLikelihood).toBeLessThan(EDGE_CRITICAL_GAP);
  });

  it(nameWithData('split at 2011-07-01 the fit is the no-dropout limit, with finite predictions for every customer', ONLINE_RETAIL), () => {
    const fit = fitTo(dateToSerial(2011, 6, 30));
    expect([fit.edge.kind, fit.edge.limit!.p, fit.params.a]).toEqual(['limit', 0, 0]);
    expect(fit.logLikelihood).toBeCloseTo(-15328.306, 2);
    expect(bgnbdConditionalExpected(fit.params, 23.1, 10, 20, 30)).toBeCloseTo((fit.params.r + 10) * 23.1 / (fit.params.alpha + 30), 10);
  });
});

/** A CLV customer table drawn from CDNOW's BG/NBD parameters: spend 20–500 per customer; `negative` repeat buyers with a mean repeat spend of −15 (credits outweigh). */
function clvTable(n: number, negative: number[]) {
  const drawn = simulateBgNbd({ r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }, n, 21);
  const headers = ['Customer ID', 'Repeat purchases', 'Recency (weeks)', 'Age (weeks)', 'Mean repeat spend'];
  const rows: CellValue[][] = Array.from({ length: n }, (_, i) => [`C${i}`, drawn.x[i], drawn.tx[i], drawn.T[i], drawn.x[i] > 0 ? (negative.includes(i) ? -15 : 20 + ((i * 37) % 480)) : 0]);
  return buildCustomerTable(headers, rows);
}

describe('CLV on repeat buyers whose mean repeat spend is 0 or less', () => {
  it('tells them in their reason and counts them in a note that they get the population mean spend, in both languages', () => {
    const probe = clvTable(1500, []);
    const repeatBuyers = [...probe.numbers.repeatPurchases!.keys()].filter((i) => probe.numbers.repeatPurchases![i] > 0);
    const negative = repeatBuyers.slice(0, 3);
    const table = clvTable(1500, negative);
    const result = segment(table, [{ id: 'clv', settings: defaultSettings(getModel('clv')) }]).results[0];
    const q = result.parameters!.find((parameter) => parameter.key === 'q')!.value;
    const population = result.parameters!.find((parameter) => parameter.key === 'p')!.value * result.parameters!.find((parameter) => parameter.key === 'gamma')!.value / (q - 1);
    expect(q).toBeGreaterThan(1);
    const spend = (result.metrics.find((metric) => metric.key === 'clv.spend') as NumberMetric).values;
    for (const row of negative) {
      expect(spend[row]).toBeCloseTo(population, 8);
      expect(result.explain(row).en).toContain(`at ${formatAmount(population, 'en')} each (the mean over all customers: the mean repeat spend -15 is 0 or less, which Gamma-Gamma cannot use)`);
      expect(result.explain(row).da).toContain(`à ${formatAmount(population, 'da')} (gennemsnittet for alle kunder: genkøbsbeløbet -15 er 0 eller under, som Gamma-Gamma ikke kan bruge)`);
    }
    expect(result.explain(repeatBuyers[3]).en).not.toContain('the mean over all customers');
    // One repeat purchase is singular.
    const once = repeatBuyers.find((row) => table.numbers.repeatPurchases![row] === 1)!;
    expect(result.explain(once).en).toMatch(/^P\(alive\) [\d.]+ \(1 repeat purchase, the last in week/);
    expect(result.notes.map((note) => note.en)).toContain(`3 repeat buyers have a mean repeat spend of 0 or less (credit notes outweigh the repeat purchases): Gamma-Gamma cannot use it, so they are left out of its fit and given the mean over all customers, ${formatAmount(population, 'en')} per purchase, as customers without a repeat purchase are.`);
    expect(result.notes.map((note) => note.da)).toContain(`3 genkøbere har et gennemsnitligt genkøbsbeløb på 0 eller under (kreditnotaer overstiger genkøbene): Gamma-Gamma kan ikke bruge det, så de er udeladt af estimationen og får gennemsnittet for alle kunder, ${formatAmount(population, 'da')} pr. køb, som kunder uden genkøb.`);
  });
});

describe('CLV tiers Top / Middle / Low beside Likely lost', () => {
  it('take the value cuts over the customers not Likely lost, and the cut labels say so', () => {
    const table = clvTable(1500, []);
    const result = segment(table, [{ id: 'clv', settings: defaultSettings(getModel('clv')) }]).results[0];
    const worth = (result.metrics.find((metric) => metric.key === 'clv.value') as NumberMetric).values;
    const lost = result.tiers.reduce((count, tier) => count + (tier === 3 ? 1 : 0), 0);
    expect(lost).toBeGreaterThan(50);
    const kept = [...worth.keys()].filter((i) => result.tiers[i] >= 0 && result.tiers[i] !== 3).map((i) => worth[i]);
    const middle = result.cuts.find((cut) => cut.key === 'middleCut')!;
    // The median of the not-lost customers' CLV: as many of them below the cut as at or above it.
    const below = kept.filter((value) => value < middle.value).length;
    expect(Math.abs(below - (kept.length - below))).toBeLessThanOrEqual(1);
    expect(middle.value).toBe(resolveCut(kept, { method: 'quantile', level: 0.5 }));
    expect(middle.value).not.toBe(resolveCut([...worth].filter((value) => !Number.isNaN(value)), { method: 'quantile', level: 0.5 }));
    expect(middle.label).toEqual({ en: 'Middle cut (CLV), over the customers not Likely lost', da: 'Skæring for midte (CLV), over kunderne der ikke er Sandsynligvis tabt' });
    expect(result.cuts.find((cut) => cut.key === 'topCut')!.label.en).toBe('Top cut (CLV), over the customers not Likely lost');
    for (let i = 0; i < table.rowCount; i++) {
      if (result.tiers[i] === 1) expect(worth[i]).toBeGreaterThanOrEqual(middle.value);
      if (result.tiers[i] === 2) expect(worth[i]).toBeLessThan(middle.value);
    }
  });
});

/** A sheet as the readers hand it over. */
const snapshotOf = (sheetName: string, headers: CellValue[], rows: CellValue[][]): TableSnapshot => ({ sheetName, origin: { headerRow: 1, firstColumn: 0 }, headers, rows, marker: null, sheetNames: [sheetName] });

/**
 * 30 customers K1…K30: customer k buys 10·k on 2024-01-0k and again (k mod 4 + 1 times, one a day) from 2024-02-01;
 * K1 to K10 also buy 500 on 2024-03-10, after the back-test date below. The customer table's Revenue runs the other way (31 − k)·1000.
 */
function joinedInput() {
  const log: CellValue[][] = [];
  for (let k = 1; k <= 30; k++) {
    log.push([`K${k}`, `2024-01-${String(k).padStart(2, '0')}`, `F${k}-0`, 10 * k]);
    for (let j = 1; j <= (k % 4) + 1; j++) log.push([`K${k}`, `2024-02-${String(j).padStart(2, '0')}`, `F${k}-${j}`, 10 * k]);
    if (k <= 10) log.push([`K${k}`, '2024-03-10', `F${k}-late`, 500]);
  }
  const customers: CellValue[][] = Array.from({ length: 30 }, (_, i) => [`K${i + 1}`, (30 - i) * 1000]);
  const table = snapshotOf('Customers', ['Customer ID', 'Revenue'], customers);
  const orders = snapshotOf('Orders', ['Customer ID', 'Order date', 'Invoice', 'Amount'], log);
  return { table, orders, logMapping: buildCustomerTable(orders.headers, orders.rows).mapping, tableMapping: buildCustomerTable(table.headers, table.rows).mapping };
}

describe('RFM with an order log beside a customer table', () => {
  it('takes M from the log\'s net revenue, not the table\'s Revenue column, and says R, F and M come from the log', () => {
    const { table, orders, logMapping, tableMapping } = joinedInput();
    const prepared = prepareInput(table, tableMapping, 'en', { snapshot: orders, mapping: logMapping });
    const result = segment(prepared.table, [{ id: 'rfm', settings: defaultSettings(getModel('rfm')) }]).results[0];
    // Net revenue from the log: K1 10·1·(1 + 2) + 500 = 530, …; the table's Revenue (30,000 for K1) plays no part.
    const mScores = Array.from((result.metrics.find((metric) => metric.key === 'rfm.m') as NumberMetric).values);
    const logRevenue = Array.from({ length: 30 }, (_, i) => 10 * (i + 1) * (((i + 1) % 4) + 2) + (i < 10 ? 500 : 0));
    const expected = rfmScores(new Float64Array(30), new Float64Array(30), Float64Array.from(logRevenue), 5, 'min').monetary.scores;
    expect(mScores).toEqual(Array.from(expected));
    expect(result.inputs.used).toEqual([]);
    expect(result.inputs.computed!.map((note) => note.en)).toEqual([
      'R, F and M from the transaction log joined on customer id: each customer\'s last purchase, distinct orders and net revenue (purchases minus credit notes) up to 2024-03-10; the customer table\'s own Last order, Orders and Revenue columns are not used for RFM.',
    ]);
    // Other models still read the table's own Revenue.
    const pareto = segment(prepared.table, [{ id: 'pareto', settings: defaultSettings(getModel('pareto')) }]).results[0];
    expect(pareto.inputs.used).toContain('revenue');
    expect(prepared.table.numbers.revenue![0]).toBe(30000);
  });

  it('as of an analysis date inside the log: the lines from that day on are left out and counted (a back-test), never refused', () => {
    const { table, orders, logMapping, tableMapping } = joinedInput();
    const prepared = prepareInput(table, tableMapping, 'da', { snapshot: orders, mapping: logMapping });
    const settings = { ...defaultSettings(getModel('rfm')), asOf: dateToSerial(2024, 3, 1) };
    const result = segment(prepared.table, [{ id: 'rfm', settings }]).results[0];
    const days = Array.from((result.metrics.find((metric) => metric.key === 'rfm.recencyDays') as NumberMetric).values);
    // As of 2024-03-01 every customer's last purchase is 2024-02-0(k mod 4 + 1): 29 − (k mod 4) days before.
    expect(days).toEqual(Array.from({ length: 30 }, (_, i) => 29 - ((i + 1) % 4)));
    expect(result.notes.map((note) => note.en)).toContain('10 lines of the transaction log from the analysis date 2024-03-01 on (to 2024-03-10) are left out: R, F and M are as they stood the day before, as a back-test needs.');
    expect(result.notes.map((note) => note.da)).toContain('10 linjer i transaktionsloggen fra analysedatoen 2024-03-01 og frem (til 2024-03-10) er udeladt: R, F og M er, som de stod dagen før, som en backtest kræver.');
    expect(result.inputs.computed![0].en).toContain('up to 2024-02-29');
  });

  it('a customer table without a log still refuses an analysis date before a customer\'s last order', () => {
    const table = buildCustomerTable(['Customer ID', 'Last order', 'Orders', 'Revenue'], [['A', '2024-01-10', 3, 300], ['B', '2024-03-01', 1, 100]]);
    const settings = { ...defaultSettings(getModel('rfm')), asOf: dateToSerial(2024, 2, 15) };
    expect(() => segment(table, [{ id: 'rfm', settings }])).toThrow('the analysis date 2024-02-15 is on or before the last order of 1 customer (the latest 2024-03-01)');
  });
});

describe('RFM on a handful of customers', () => {
  it('says plainly that there are too few customers for the score groups (5 per group), and says nothing from that minimum up', () => {
    const rows = (n: number): CellValue[][] => Array.from({ length: n }, (_, i) => [`C${i}`, dateToSerial(2024, 1, 1) + i, 1 + (i % 4), 100 * (i + 1)]);
    const headers = ['Customer ID', 'Last order', 'Orders', 'Revenue'];
    const run = (n: number, groups: string) => segment(buildCustomerTable(headers, rows(n)), [{ id: 'rfm', settings: { ...defaultSettings(getModel('rfm')), groups } }]).results[0];
    const few = run(6, '5');
    expect(few.notes[0].en).toBe('Too few customers for 5 score groups: 6 customers with a last order, where quantile scores need at least 25 (5 per group) to say more than each customer\'s rank; read the scores and segments with care, or choose fewer groups.');
    expect(few.notes[0].da).toBe('For få kunder til 5 scoregrupper: 6 kunder med et seneste køb, hvor kvantilscorer kræver mindst 25 (5 pr. gruppe) for at sige mere end hver kundes placering; læs scorer og segmenter med forsigtighed, eller vælg færre grupper.');
    expect(run(14, '3').notes[0].en).toMatch(/^Too few customers for 3 score groups: 14 customers .* at least 15 /);
    expect(run(15, '3').notes.some((note) => note.en.startsWith('Too few'))).toBe(false);
    expect(run(25, '5').notes.some((note) => note.en.startsWith('Too few'))).toBe(false);
  });
});

describe('the lifetime errors count in the singular', () => {
  it('"1 repeat buyer" / "1 genkøber"', () => {
    const error = new LifetimeEstimationError('BG/NBD', 1, 20);
    expect(error.text.en).toBe('BG/NBD cannot be estimated from 1 repeat buyer (it needs at least 20 customers with two or more purchase days).');
    expect(error.text.da).toBe('BG/NBD kan ikke estimeres ud fra 1 genkøber (der skal mindst 20 kunder med køb på to eller flere dage til).');
  });
});
