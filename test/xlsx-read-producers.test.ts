/**
 * The .xlsx reader on workbooks written by other programs (issue 7, part 1): every fixture in
 * test/fixtures/producers and test/fixtures/tables reads cell by cell as openpyxl read it
 * (expected.json), and the customer table reads as the producers were told to write it
 * (scripts/fixtures/customer-table.json), within what each producer can store.
 */
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import spec from '../scripts/fixtures/customer-table.json';
import type { CellValue } from '../src/engine/types';
import { openWorkbook } from '../src/workbook/xlsx/read';
import {
  PRODUCERS,
  TABLES,
  expectedCells,
  fixtureBytes,
  nonBlankCells,
  partsOf,
  readExpected,
  sortedBoxes,
} from './support/fixture-expectations';

const producers = readExpected(PRODUCERS);
const tables = readExpected(TABLES);

describe.each([
  ['producers', PRODUCERS, producers],
  ['tables', TABLES, tables],
] as const)('every %s fixture reads as openpyxl reads it', (_label, folder, fixtures) => {
  describe.each(Object.keys(fixtures))('%s', (name) => {
    const expected = fixtures[name];
    const book = () => openWorkbook(fixtureBytes(folder, name));

    it('has the sheets, states and date system', () => {
      const opened = book();
      expect(opened.sheets.map(({ name, state }) => ({ name, state }))).toEqual(expected.sheets);
      expect(opened.date1904).toBe(expected.date1904);
    });

    it('lists every part in zip order', () => {
      expect(book().partNames).toEqual(partsOf(expected.zipEntries));
    });

    it('reads every sheet cell by cell', () => {
      const opened = book();
      for (const { name: sheetName } of expected.sheets) {
        const grid = opened.readSheet(sheetName);
        expect(grid.name).toBe(sheetName);
        expect(nonBlankCells(grid), `${name} / ${sheetName}`).toEqual(expectedCells(expected.cells[sheetName]));
      }
    });

    it('finds the merged ranges, Excel tables and aggregating formulas', () => {
      const opened = book();
      for (const { name: sheetName } of expected.sheets) {
        const grid = opened.readSheet(sheetName);
        expect(sortedBoxes(grid.merges)).toEqual(sortedBoxes(expected.merges[sheetName]));
        expect(grid.tables).toEqual(expected.tables[sheetName]);
        for (const [key, formula] of Object.entries(expected.aggregateFormulas[sheetName])) {
          expect(grid.aggregateFormulas.get(key), `${name} / ${sheetName} ${key}`).toBe(formula);
        }
      }
    });
  });
});

// ---------------------------------------------------------------------------------------------
// The customer table against what the producers were told to write.

type SpecCell = (typeof spec.customers.rows)[number][number];
const customerRows = spec.customers.rows as SpecCell[][];
const FORMULA_COLUMNS = customerRows[0].flatMap((cell, column) => (typeof cell === 'object' && cell !== null && 'formula' in cell ? [column] : []));

function specValue(cell: SpecCell): CellValue {
  if (cell === null || typeof cell !== 'object') return cell;
  if ('date' in cell) return new Date(`${cell.date}T00:00:00Z`);
  const result = cell.result;
  return typeof result === 'object' ? result.error : result;
}

function customers(name: string): CellValue[][] {
  const grid = openWorkbook(fixtureBytes(PRODUCERS, name)).readSheet(spec.customers.name);
  return customerRows.map((row, r) => row.map((_cell, c) => grid.rows[r + 1]?.[c] ?? null));
}

/** The producers that store the formula results they computed or were handed. */
const WITH_RESULTS = ['xlsxwriter.xlsx', 'xlsxwriter-1904.xlsx', 'xlsxwriter-macros.xlsm', 'libreoffice.xlsx', 'sheetjs.xlsx', 'sheetjs-compressed.xlsx', 'exceljs.xlsx'];
/** openpyxl stores formulas without results, and so does pandas through it. */
const WITHOUT_RESULTS = ['openpyxl.xlsx', 'openpyxl-1904.xlsx', 'pandas-openpyxl.xlsx'];

describe('the customer table, value by value', () => {
  it.each(WITH_RESULTS)('%s: every cell as written, formulas as their stored results (0 stays 0, #N/A its text)', (name) => {
    expect(customers(name)).toEqual(customerRows.map((row) => row.map(specValue)));
  });

  it.each(WITHOUT_RESULTS)('%s: the values as written, and the formula cells blank, since the file has no results', (name) => {
    const expected = customerRows.map((row) => row.map((cell, c) => (FORMULA_COLUMNS.includes(c) ? null : specValue(cell))));
    expect(customers(name)).toEqual(expected);
  });

  it('pandas with xlsxwriter: every formula stores 0, the result xlsxwriter writes when given none', () => {
    const expected = customerRows.map((row) => row.map((cell, c) => (FORMULA_COLUMNS.includes(c) ? 0 : specValue(cell))));
    expect(customers('pandas-xlsxwriter.xlsx')).toEqual(expected);
  });

  it('a blank cell in the middle of the table stays blank (K4 has no Potentiale)', () => {
    for (const name of [...WITH_RESULTS, ...WITHOUT_RESULTS, 'pandas-xlsxwriter.xlsx']) {
      const grid = openWorkbook(fixtureBytes(PRODUCERS, name)).readSheet(spec.customers.name);
      expect(grid.rows[4]?.[4] ?? null, name).toBeNull();
      expect(grid.rows[4]?.[3], name).toBe(60.25);
    }
  });

  it('the header with a line break keeps it, carriage return included where the file has one', () => {
    const header = (name: string) => openWorkbook(fixtureBytes(PRODUCERS, name)).readSheet(spec.customers.name).rows[0]?.[7];
    for (const name of ['xlsxwriter.xlsx', 'sheetjs.xlsx', 'openpyxl.xlsx', 'pandas-xlsxwriter.xlsx']) {
      expect(header(name), name).toBe('Uudnyttet\r\npotentiale');
    }
    // LibreOffice keeps no carriage return; ExcelJS writes a raw one, which XML turns into \n.
    expect(header('libreoffice.xlsx')).toBe('Uudnyttet\npotentiale');
    expect(header('exceljs.xlsx')).toBe('Uudnyttet\npotentiale');
  });
});

// ---------------------------------------------------------------------------------------------
// Producer quirks that broke the old reader.

function zipEntryOrder(bytes: Uint8Array): { name: string; method: number }[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const entries: { name: string; method: number }[] = [];
  for (let at = 0; view.getUint32(at, true) === 0x04034b50;) {
    const nameLength = view.getUint16(at + 26, true);
    entries.push({ name: strFromU8(bytes.subarray(at + 30, at + 30 + nameLength)), method: view.getUint16(at + 8, true) });
    at += 30 + nameLength + view.getUint16(at + 28, true) + view.getUint32(at + 18, true);
  }
  return entries;
}

describe('SheetJS: worksheet parts before xl/workbook.xml', () => {
  it.each(['sheetjs.xlsx', 'sheetjs-compressed.xlsx'])('%s has its sheets first in the zip (the case that broke)', (name) => {
    const order = zipEntryOrder(fixtureBytes(PRODUCERS, name)).map((entry) => entry.name);
    expect(order.indexOf('xl/worksheets/sheet2.xml')).toBeGreaterThanOrEqual(0);
    expect(order.indexOf('xl/worksheets/sheet2.xml')).toBeLessThan(order.indexOf('xl/workbook.xml'));
  });

  it('sheetjs.xlsx stores its parts uncompressed (XLSX.writeFile default), the other deflates them', () => {
    expect(new Set(zipEntryOrder(fixtureBytes(PRODUCERS, 'sheetjs.xlsx')).map((entry) => entry.method))).toEqual(new Set([0]));
    expect(new Set(zipEntryOrder(fixtureBytes(PRODUCERS, 'sheetjs-compressed.xlsx')).map((entry) => entry.method))).toEqual(new Set([8]));
  });

  it('reads the customers every time, whatever the part order', () => {
    const expected = expectedCells(producers['sheetjs.xlsx'].cells[spec.customers.name]);
    for (let attempt = 0; attempt < 10; attempt++) {
      const grid = openWorkbook(fixtureBytes(PRODUCERS, 'sheetjs.xlsx')).readSheet(spec.customers.name);
      expect(nonBlankCells(grid)).toEqual(expected);
    }
  });
});

describe('openpyxl: absolute relationship targets', () => {
  it('the rels point at /xl/worksheets/… and the sheets still read', () => {
    const rels = strFromU8(unzipSync(fixtureBytes(PRODUCERS, 'openpyxl.xlsx'))['xl/_rels/workbook.xml.rels']);
    expect(rels).toContain('Target="/xl/worksheets/sheet2.xml"');
    expect(customers('openpyxl.xlsx')[0].slice(0, 5)).toEqual(['K1', 'Ærø Møbler A/S', 'Mette Ørsted', 500, 800]);
  });
});

describe('the 1904 date system', () => {
  const sinceColumn = spec.customers.headers.indexOf('Kunde siden');
  const sheetXml = (name: string) => {
    const parts = unzipSync(fixtureBytes(PRODUCERS, name));
    return strFromU8(parts['xl/worksheets/sheet2.xml']);
  };
  const storedSerial = (xml: string, address: string) => Number(new RegExp(`<c r="${address}"[^>]*>(?:<f>[^<]*</f>)?<v>([^<]+)</v>`).exec(xml)?.[1]);

  it.each(['xlsxwriter-1904.xlsx', 'openpyxl-1904.xlsx'])('%s stores 1904 serials and reads as the right day', (name) => {
    // The file really holds serials 1462 days smaller than the same day in the 1900 system.
    expect(storedSerial(sheetXml(name), 'F2')).toBe(storedSerial(sheetXml('xlsxwriter.xlsx'), 'F2') - 1462);
    const book = openWorkbook(fixtureBytes(PRODUCERS, name));
    expect(book.date1904).toBe(true);
    const grid = book.readSheet(spec.customers.name);
    customerRows.forEach((row, r) => {
      const since = row[sinceColumn] as { date: string };
      expect(grid.rows[r + 1]?.[sinceColumn]).toEqual(new Date(`${since.date}T00:00:00Z`));
    });
  });
});
