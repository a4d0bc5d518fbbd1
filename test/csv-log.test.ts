import { describe, expect, it } from 'vitest';
import {
  buildCustomerTable, cellText, customersFromLog, detectRoles, type CustomerTable, type LogCustomers, type RoleMapping,
} from '../src/engine';
import { decodeDelimited, gridOfDelimited, workbookRowsFromGrid, type DecodedDelimited } from '../src/workbook/csv';
import { readDelimitedLog } from '../src/workbook/csv-log';
import { locateTable } from '../src/workbook/region';

/** Windows-1252 bytes of text in Latin-1 letters (æøå): byte for byte the same as Latin-1 there. */
const windows1252 = (text: string) => new Uint8Array(Buffer.from(text, 'latin1'));

/** The roles of a log, as the CLI maps them; undefined when the headers do not make a log. */
function logMapping(headers: string[]): RoleMapping | undefined {
  const mapping = detectRoles(headers);
  const hasAmount = mapping.amount !== undefined || (mapping.quantity !== undefined && mapping.unitPrice !== undefined);
  return mapping.id !== undefined && mapping.orderDate !== undefined && hasAmount ? mapping : undefined;
}

/** The general path: every line a row of cells, typed as a workbook holds it, the table located, every cell parsed. */
function generalTable(decoded: DecodedDelimited): { table: CustomerTable; notes: string[] } {
  const { grid } = gridOfDelimited(decoded, { sheetRowLimit: false });
  const located = locateTable({ ...grid, rows: workbookRowsFromGrid(grid) });
  const mapping = logMapping(located.headers.map((header) => cellText(header).trim()))!;
  const table = buildCustomerTable(located.headers, located.rows, { origin: located.origin, mapping });
  return { table, notes: located.notes.map((note) => note.text.en) };
}

/** Everything a log table holds that the summary, the problems and the notes read, without its cells. */
function tableFacts(table: CustomerTable) {
  const { rowCount, headers, origin, mapping, numbers, texts, problems, blankRows, readDifferently } = table;
  return { rowCount, headers, origin, mapping, numbers, texts, problems, blankRows, readDifferently };
}

function customerFacts(customers: LogCustomers) {
  return { rows: customers.table.cells, summaries: customers.summaries, notes: customers.notes, counts: customers.counts, columns: customers.columns };
}

// A Danish export in Windows-1252: ';', decimal commas with thousands points, æøå, CRLF; an order over
// two lines, a credit note (C-invoice and a negative amount), a line without a customer id, an amount
// that is not a number, a date that is not a date, a blank line inside and spaces around an id.
const MESSY_LOG = [
  'Fakturanr.;Kundenr.;Ordredato;Beløb;Bemærkning',
  '1001;K-17;01-03-2024;1.234,50;første køb',
  '1001;K-17;01-03-2024;99,95;',
  '1002;K-18;2024-03-02 10:15:00;250;',
  'C1003;K-17;05-03-2024;-99,95;returneret',
  '1004;;06-03-2024;500;kontant uden kundenr.',
  ';  ;;;',
  '1005;K-18;07-03-2024;tohundrede;tastefejl',
  '1006;K-19;31-02-2024;75,25;ugyldig dato',
  '1007; K-18 ;15-04-2024;1.000;',
  '1008;K-17;20-04-2024;310,5;sidste køb',
].join('\r\n');

describe('a CSV log read straight into its mapped columns', () => {
  it('gives the table, the per-customer summary and the notes the general path gives, on a messy Danish log', () => {
    const decoded = decodeDelimited(windows1252(MESSY_LOG), 'ordrer.csv');
    expect([decoded.encoding, decoded.delimiter]).toEqual(['windows-1252', ';']);
    const fast = readDelimitedLog(decoded, logMapping)!;
    const general = generalTable(decoded);
    expect(fast).toBeDefined();
    expect(tableFacts(fast.table)).toEqual(tableFacts(general.table));
    expect(fast.notes.map((note) => note.text.en)).toEqual(general.notes);
    expect(customerFacts(customersFromLog(fast.table, 'da'))).toEqual(customerFacts(customersFromLog(general.table, 'da')));
    // What both read, so the comparison above is not of two empty tables.
    expect(fast.table.problems.map((problem) => [problem.row, problem.columnLetter, problem.value, problem.kind])).toEqual([
      [8, 'D', 'tohundrede', 'notNumber'], [9, 'C', '31-02-2024', 'notDate'],
    ]);
    expect(fast.notes.map((note) => note.rows)).toEqual([[7]]);
    const customers = customersFromLog(fast.table, 'en');
    expect(customers.summaries.ids).toEqual(['K-17', 'K-18']);
    expect(Array.from(customers.summaries.revenue)).toEqual([1234.5 + 99.95 - 99.95 + 310.5, 250 + 1000]);
    expect(customers.counts).toEqual({ lines: 10, withoutId: 1, unusable: 2, creditNotes: 1, creditTotal: -99.95 });
  });

  it('reads the same log alike from UTF-8 with or without a byte-order mark and from UTF-16, whose text the scanner reads re-encoded', () => {
    const reference = readDelimitedLog(decodeDelimited(windows1252(MESSY_LOG), 'ordrer.csv'), logMapping)!;
    const files: [string, Uint8Array][] = [
      ['utf-8', new TextEncoder().encode(MESSY_LOG)],
      ['utf-8', new TextEncoder().encode(`\ufeff${MESSY_LOG}`)],
      ['utf-16le', new Uint8Array(Buffer.from(`\ufeff${MESSY_LOG}`, 'utf16le'))],
    ];
    for (const [encoding, bytes] of files) {
      const decoded = decodeDelimited(bytes, 'ordrer.csv');
      expect(decoded.encoding).toBe(encoding);
      const fast = readDelimitedLog(decoded, logMapping)!;
      expect(tableFacts(fast.table)).toEqual(tableFacts(reference.table));
      expect(tableFacts(fast.table)).toEqual(tableFacts(generalTable(decoded).table));
    }
  });

  it('reads a number column as numbers and a text column as text, as a workbook made of the CSV would hold them', () => {
    // The id column is all plain numbers ("17850.0" as pandas exports it), so the workbook holds 17850 and the id is "17850".
    const text = 'InvoiceNo,CustomerID,InvoiceDate,Quantity,UnitPrice\n536365,17850.0,2010-12-01 08:26:00,6,2.55\n536366,17850.0,2010-12-01 08:28:00,2,1.85\n536367,13047.0,2010-12-01 08:34:00,3,"1,000.5"\n';
    const decoded = decodeDelimited(new TextEncoder().encode(text), 'retail.csv');
    const fast = readDelimitedLog(decoded, logMapping)!;
    expect(tableFacts(fast.table)).toEqual(tableFacts(generalTable(decoded).table));
    expect(fast.table.texts.id).toEqual(['17850', '17850', '13047']);
    expect(Array.from(fast.table.numbers.unitPrice!)).toEqual([2.55, 1.85, 1000.5]);
  });

  it('leaves to the general path a header below a title, a last line that may be a footnote or a totals row, and a file that is no log', () => {
    const read = (text: string) => readDelimitedLog(decodeDelimited(new TextEncoder().encode(text), 'log.csv'), logMapping);
    const log = 'Invoice;Customer ID;Order date;Amount\n1;A;2024-03-01;10\n2;B;2024-03-02;20\n3;A;2024-03-03;35\n';
    expect(read(log)).toBeDefined();
    expect(read(`Orders 2024\n${log}`)).toBeUndefined();
    expect(read(`${log}Source: the web shop\n`)).toBeUndefined();
    expect(read(`${log}Total;;;60\n`)).toBeUndefined();
    expect(read(`${log};;;65\n`)).toBeUndefined();
    // Numbers that are their columns' sums make a totals row to locateTable, named or not.
    expect(read(`${log}6;;;65\n`)).toBeUndefined();
    expect(read('Customer;Revenue\nA;10\nB;20\n')).toBeUndefined();
  });
});
