import { describe, expect, it } from 'vitest';
import { buildCustomerTable, customersFromLog, dateToSerial, type CellValue } from '../src/engine';
import { readableNumber } from '../src/engine/lifetime/wording';

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
