import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCustomerTable, cellText, customersFromLog, dateToSerial, type CellValue } from '../src/engine';
import { openWorkbook } from '../src/workbook/xlsx/read';
import { bgnbdConditionalExpected, bgnbdPAlive, EDGE_CRITICAL_GAP, fitBgNbd, limitParams, type BgNbdParams } from '../src/engine/lifetime/bgnbd';
import { simulateBgNbd } from '../src/engine/lifetime/simulate';
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
    expect(fit.edge.limit.p).toBeGreaterThan(0.03);
    expect(fit.edge.limit.p).toBeLessThan(0.07);
    expect(fit.params.a / (fit.params.a + fit.params.b)).toBeCloseTo(fit.edge.limit.p, 12);
    expect(fit.logLikelihood).toBe(fit.edge.limit.logLikelihood);
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(fit.edge.searched.logLikelihood - 0.01);
    expect(Number.isFinite(bgnbdConditionalExpected(fit.params, 52, 3, 10, 40))).toBe(true);
    const inside = fitBgNbd(simulateBgNbd({ r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }, 4000, 12));
    expect(inside.edge.kind).toBe('inside');
    expect(inside.edge.searched.logLikelihood - inside.edge.limit.logLikelihood).toBeGreaterThan(EDGE_CRITICAL_GAP);
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
    expect(fit.edge.limit.p).toBe(0);
    expect(fit.params.a).toBeLessThan(0.01);
    expect(fit.logLikelihood - fit.edge.limit.logLikelihood).toBeCloseTo(0.12, 2);
  });

  it(nameWithData('split at 2011-07-01 the fit is the no-dropout limit, with finite predictions for every customer', ONLINE_RETAIL), () => {
    const fit = fitTo(dateToSerial(2011, 6, 30));
    expect([fit.edge.kind, fit.edge.limit.p, fit.params.a]).toEqual(['limit', 0, 0]);
    expect(fit.logLikelihood).toBeCloseTo(-15328.306, 2);
    expect(bgnbdConditionalExpected(fit.params, 23.1, 10, 20, 30)).toBeCloseTo((fit.params.r + 10) * 23.1 / (fit.params.alpha + 30), 10);
  });
});
