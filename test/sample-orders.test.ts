import ExcelJS from 'exceljs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ORDER_HEADERS, ORDERS_SHEET, SAMPLE_HEADERS, SAMPLE_SHEET, sampleOrders } from '../scripts/make-sample';

const SAMPLE = path.resolve(__dirname, '..', 'assets', 'sample-customers.xlsx');
const DAY = 86_400_000;

/** A cell as the generator wrote it: dates compared as whole UTC days. */
const plain = (value: ExcelJS.CellValue) => (value instanceof Date ? Math.round(value.getTime() / DAY) : value ?? null);

describe('the sample order log (Ordrer)', async () => {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(SAMPLE);
  const sheet = workbook.getWorksheet(ORDERS_SHEET)!;
  // Sheet rows are sparse arrays from column 1: a blank Kundenr is a hole, read as null.
  const rows = (sheet.getSheetValues().slice(2) as ExcelJS.CellValue[][]).map((row) => Array.from(ORDER_HEADERS, (_, k) => plain(row[k + 1])));
  const customers = (workbook.getWorksheet(SAMPLE_SHEET)!.getSheetValues().slice(2) as ExcelJS.CellValue[][]).map((row) => row.slice(1));
  const column = (header: string) => SAMPLE_HEADERS.indexOf(header);

  it('is what the generator draws, cell by cell (the committed file is regenerated)', () => {
    expect(sheet.getRow(1).values).toEqual([undefined, ...ORDER_HEADERS]);
    const drawn = sampleOrders().map((row) => row.map(plain));
    expect(rows.length).toBe(drawn.length);
    expect(rows).toEqual(drawn);
  });

  it('agrees with the Kunder sheet: net Omsætning to the øre, the last invoice on Seneste køb, the first on Kunde siden inside the two years', () => {
    const start = Math.round(Date.UTC(2024, 9, 31) / DAY);
    const net = new Map<string, number>();
    const first = new Map<string, number>();
    const last = new Map<string, number>();
    for (const [id, , day, amount] of rows as [string | null, number, number, number][]) {
      if (!id) continue;
      net.set(id, (net.get(id) ?? 0) + amount);
      if (amount > 0) {
        first.set(id, Math.min(first.get(id) ?? Infinity, day));
        last.set(id, Math.max(last.get(id) ?? -Infinity, day));
      }
    }
    let readable = 0;
    let inside = 0;
    // The prospects (Type Emne) below the customers have bought nothing: none is in the log.
    const prospects = customers.filter((customer) => customer[column('Type')] === 'Emne');
    expect(prospects.length).toBe(300);
    for (const prospect of prospects) expect(net.has(prospect[column('Kundenr')] as string)).toBe(false);
    for (const customer of customers.filter((row) => row[column('Type')] === 'Kunde')) {
      const id = customer[column('Kundenr')] as string;
      const revenue = customer[column('Omsætning')];
      if (typeof revenue === 'number') {
        readable++;
        expect(Math.round(net.get(id)! * 100), id).toBe(Math.round(revenue * 100));
      }
      expect(last.get(id), id).toBe(plain(customer[column('Seneste køb')]));
      const since = plain(customer[column('Kunde siden')]);
      if (typeof since === 'number' && since >= start) {
        inside++;
        expect(first.get(id), id).toBe(since);
      }
    }
    // Two revenues are text ("1.250.000", "ukendt"); one Kunde siden is text too.
    expect([net.size, readable]).toEqual([2000, 1998]);
    expect(inside).toBeGreaterThan(300);
  });

  it('has walk-in invoices without a Kundenr, credit notes with negative amounts, and invoice numbers in date order', () => {
    expect(rows.filter((row) => row[0] === null)).toHaveLength(14);
    const credits = rows.filter((row) => (row[3] as number) < 0);
    expect(credits.length).toBeGreaterThan(50);
    expect(credits.length).toBeLessThan(rows.length / 100);
    rows.forEach((row, i) => {
      expect(row[1]).toBe(100001 + i);
      if (i > 0) expect(row[2] as number).toBeGreaterThanOrEqual(rows[i - 1][2] as number);
    });
    expect([rows[0][2], rows[rows.length - 1][2]]).toEqual([Math.round(Date.UTC(2024, 9, 31) / DAY), Math.round(Date.UTC(2026, 9, 31) / DAY)]);
  });
});
