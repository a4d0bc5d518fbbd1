import { describe, expect, it } from 'vitest';
import { buildCustomerTable, columnLetter, dateToSerial, detectDateOrder, detectDecimalSeparator, mayReadAsNumber, parseBoolean, parseDate, parseNumber, type CellValue } from '../src/engine';

describe('parseNumber', () => {
  it('reads Danish and English thousands and decimals', () => {
    expect(parseNumber('1.234,56', ',')).toBe(1234.56);
    expect(parseNumber('1,234.56', '.')).toBe(1234.56);
    expect(parseNumber('1.234.567', null)).toBe(1234567);
    expect(parseNumber('1 234 567,5', ',')).toBe(1234567.5);
  });
  it('reads percent, currency and signs', () => {
    expect(parseNumber('12 %', null)).toBeCloseTo(0.12, 12);
    expect(parseNumber('12,5%', ',')).toBeCloseTo(0.125, 12);
    expect(parseNumber('kr. 1.000', null)).toBe(1000);
    expect(parseNumber('DKK 1.000', null)).toBe(1000);
    expect(parseNumber('1.000 kr.', null)).toBe(1000);
    expect(parseNumber('-1.234,5', ',')).toBe(-1234.5);
    expect(parseNumber('(250)', null)).toBe(-250);
    expect(parseNumber('\u22125', null)).toBe(-5);
  });
  it('treats blank as missing and rejects text', () => {
    expect(parseNumber('', null)).toBeNaN();
    expect(parseNumber(null, null)).toBeNaN();
    expect(parseNumber(undefined, null)).toBeNaN();
    expect(parseNumber('n/a', null)).toBeUndefined();
    expect(parseNumber('12abc', null)).toBeUndefined();
    expect(parseNumber('1,2,3', ',')).toBeUndefined();
    expect(parseNumber(true, null)).toBeUndefined();
  });
});

describe('detectDecimalSeparator', () => {
  it('decides once per column, so 1.234 is a thousand in a column with 1.234,56', () => {
    const column = ['1.234,56', '1.234', '99'];
    const separator = detectDecimalSeparator(column);
    expect(separator).toBe(',');
    expect(column.map((value) => parseNumber(value, separator))).toEqual([1234.56, 1234, 99]);
  });
  it('reads 1.234 as one point two three four in a column with 1.5', () => {
    const separator = detectDecimalSeparator(['1.5', '1.234']);
    expect(separator).toBe('.');
    expect(parseNumber('1.234', separator)).toBe(1.234);
  });
  it('reads the usual shape (digits, one separator, a minus) as the cleaned text: weighted, signs ignored', () => {
    expect(detectDecimalSeparator(['-2,55', '17850.0', '-3'], [2, 1, 9])).toBe(',');
    expect(detectDecimalSeparator(['-2,55', '17850.0', '-3'], [1, 2, 9])).toBe('.');
    expect(detectDecimalSeparator(['-1.000', '-12'])).toBeNull();
    expect(detectDecimalSeparator(['kr. 1.000,50', '-1.000'])).toBe(',');
  });
  it('reads a lone separator with three digits as thousands when nothing else decides', () => {
    expect(detectDecimalSeparator(['1.000', '2.500'])).toBeNull();
    expect(parseNumber('2.500', null)).toBe(2500);
    expect(parseNumber('2,500', null)).toBe(2500);
  });
});

describe('mayReadAsNumber', () => {
  const cells: CellValue[] = [
    'Nord', 'ja', 'x', '12 stk', '1-2', 'abc1', true, new Date(Date.UTC(2024, 0, 1)), Infinity, NaN,
    3, -0.5, '17', ' 12 ', '1.234,50', '2,500', 'kr. 1.000,50', '(150)', '12%', '1 000', '-3', '1.2.3', '1,2,3',
  ];
  it('says no only of cells parseNumber reads under no decimal separator, and yes of every cell one of them reads', () => {
    expect(cells.map(mayReadAsNumber)).toEqual([
      false, false, false, false, false, false, false, false, false, false,
      true, true, true, true, true, true, true, true, true, true, true, true, true,
    ]);
    for (const cell of cells) {
      const reads = ([',', '.', null] as const).some((separator) => { const read = parseNumber(cell, separator); return read !== undefined && !Number.isNaN(read); });
      if (!mayReadAsNumber(cell)) expect(reads).toBe(false);
      if (reads) expect(mayReadAsNumber(cell)).toBe(true);
    }
  });
});

describe('parseDate', () => {
  it('reads serials, ISO and day-first text, and Date objects', () => {
    expect(dateToSerial(2024, 3, 1)).toBe(45352);
    expect(parseDate(45352)).toBe(45352);
    expect(parseDate('2024-03-01')).toBe(45352);
    expect(parseDate('01-03-2024')).toBe(45352);
    expect(parseDate('1.3.2024')).toBe(45352);
    expect(parseDate('01/03/2024')).toBe(45352);
    expect(parseDate(new Date(Date.UTC(2024, 2, 1)))).toBe(45352);
  });

  it('reads yyyymmdd numbers (as CDNOW writes its order dates), which no serial can be, and refuses impossible ones', () => {
    expect(parseDate(19970101)).toBe(dateToSerial(1997, 1, 1));
    expect(parseDate('20240301')).toBe(45352);
    expect(parseDate(19970230)).toBeUndefined();
    expect(parseDate(18991231)).toBeUndefined();
    // A serial stays a serial: 2,958,465 is 9999-12-31, the last day Excel has.
    expect(parseDate(2958465)).toBe(2958465);
    expect(parseDate(3000000)).toBeUndefined();
  });
  it('treats blank as missing and rejects impossible dates', () => {
    expect(parseDate('')).toBeNaN();
    expect(parseDate(null)).toBeNaN();
    expect(parseDate('31-02-2024')).toBeUndefined();
    expect(parseDate('yesterday')).toBeUndefined();
  });
});

describe('the date order of a column', () => {
  it('is month first when more dates can only be month first, day first otherwise, and says how much each side had', () => {
    expect(detectDateOrder(['12/1/2010 8:26', '12/13/2010 9:00', '1/5/2011 10:00 AM', 'x', 45000])).toEqual({ order: 'monthFirst', dayFirst: 0, monthFirst: 1, numeric: 3 });
    expect(detectDateOrder(['13-12-2010', '1.5.2011', '12/13/2010'], [3, 1, 2])).toEqual({ order: 'dayFirst', dayFirst: 3, monthFirst: 2, numeric: 6 });
    expect(detectDateOrder(['01-02-2024', '2024-03-01'])).toEqual({ order: 'dayFirst', dayFirst: 0, monthFirst: 0, numeric: 1 });
  });

  it('decides how parseDate reads day and month, a time of day dropped', () => {
    expect(parseDate('12/13/2010 9:00', 'monthFirst')).toBe(dateToSerial(2010, 12, 13));
    expect(parseDate('1/5/2011 10:00 PM', 'monthFirst')).toBe(dateToSerial(2011, 1, 5));
    expect(parseDate('1/5/2011 10:00:59.5', 'dayFirst')).toBe(dateToSerial(2011, 5, 1));
    expect(parseDate('12/13/2010')).toBeUndefined();
    expect(parseDate('13/12/2010', 'monthFirst')).toBeUndefined();
    expect(parseDate('2024-03-01', 'monthFirst')).toBe(dateToSerial(2024, 3, 1));
  });
});

describe('parseBoolean', () => {
  it('reads yes/no in both languages', () => {
    expect(['Yes', 'nej', 'Ja', 'No', true, 0, ''].map(parseBoolean)).toEqual([1, 0, 1, 0, 1, 0, NaN]);
    expect(parseBoolean('maybe')).toBeUndefined();
  });
});

describe('buildCustomerTable', () => {
  it('maps Danish headers, reads each column once and reports bad cells by row and column', () => {
    const headers = ['Kundenr', 'Kunde', 'Kundeansvarlig', 'Omsætning', 'Potentiale', 'Kunde siden'];
    const rows = [
      ['K1', 'Alfa A/S', 'Mette', '1.234,56', 2000, '2024-03-01'],
      ['K2', 'Beta ApS', 'Jonas', 'ikke oplyst', 3000, 45352],
      ['K3', 'Gamma', 'Mette', '', '1.000', 'i går'],
    ];
    const table = buildCustomerTable(headers, rows, { origin: { headerRow: 4, firstColumn: 1 } });
    expect(table.mapping).toEqual({ id: 0, name: 1, owner: 2, revenue: 3, potential: 4, since: 5 });
    expect(Array.from(table.numbers.revenue!)).toEqual([1234.56, NaN, NaN]);
    expect(Array.from(table.numbers.potential!)).toEqual([2000, 3000, 1000]);
    expect(Array.from(table.numbers.since!)).toEqual([45352, 45352, NaN]);
    expect(table.texts.owner).toEqual(['Mette', 'Jonas', 'Mette']);
    expect(table.problems).toEqual([
      { row: 6, column: 'Omsætning', columnLetter: 'E', value: 'ikke oplyst', kind: 'notNumber' },
      { row: 7, column: 'Kunde siden', columnLetter: 'G', value: 'i går', kind: 'notDate' },
    ]);
  });
  it('maps English headers and headers with extra words', () => {
    const table = buildCustomerTable(['Account number', 'Company', 'Sales rep', 'Revenue 2024', 'Wallet', 'Customer since'], []);
    expect(table.mapping).toEqual({ id: 0, name: 1, owner: 2, revenue: 3, potential: 4, since: 5 });
  });
  it('names columns past Z', () => {
    expect([0, 25, 26, 51, 701, 702].map(columnLetter)).toEqual(['A', 'Z', 'AA', 'AZ', 'ZZ', 'AAA']);
  });
});
