import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { detectRoles, type RoleMapping } from '../src/engine';
import { decodeDelimited, type Delimiter } from '../src/workbook/csv';
import { readDelimitedLog } from '../src/workbook/csv-log';
import { recordAt, scanRecords, TextCodes } from '../src/workbook/csv-scan';

const utf8 = (text: string) => new TextEncoder().encode(text);
const decode = (bytes: Uint8Array) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);

/** Every record as the scanner splits the text's UTF-8 bytes (fields, width), or undefined when it leaves the text to papaparse. */
function scanned(text: string, delimiter: Delimiter = ','): { fields: string[]; width: number }[] | undefined {
  const records: { fields: string[]; width: number }[] = [];
  const count = scanRecords(utf8(text), delimiter, decode, (record) => { records.push({ fields: record.fields(), width: record.width }); });
  if (count === undefined) return undefined;
  expect(count).toBe(records.length);
  return records;
}

/** papaparse's records of the whole text, with the width eachRecord gives them (trailing empty fields left out). */
function parsed(text: string, delimiter: Delimiter = ','): { fields: string[]; width: number }[] {
  return Papa.parse<string[]>(text, { delimiter }).data.map((fields) => {
    let width = fields.length;
    while (width > 0 && fields[width - 1] === '') width--;
    return { fields, width };
  });
}

describe('the record scanner', () => {
  const sameAsPapaparse: [string, string, Delimiter?][] = [
    ['plain lines, LF, a last line break', 'a,b,c\n1,2,3\n', ','],
    ['CRLF with an empty line and a line of empty fields', 'a;b\r\n1;2\r\n\r\n;\r\n3;4', ';'],
    ['old Mac CR line ends', 'a,b\r1,2\r3,4', ','],
    ['quoted fields with the delimiter, line breaks and doubled quotes inside', 'id,text,n\n1,"a, b",2\n2,"two\nlines",3\n3,"say ""hi""",4\n4,"",5\n', ','],
    ['a quoted last field at the very end', 'a,b\n1,"x"', ','],
    ['a quote inside an unquoted field is text', 'a,b\n1,5" disk\n', ','],
    ['a lone CR inside a CRLF file stays in its field', 'a,b\r\n1,x\ry\r\n2,z\r\n', ','],
    ['tabs and trailing empty fields', 'a\tb\t\t\n1\t\t\t\n', '\t'],
    ['a field of spaces only', 'a,b\n  ,1\n', ','],
    ['letters outside ASCII, a quoted one with a doubled quote', 'navn;by\nSøren Ærø;"Å ""lille"" ø"\n€ 5;København\n', ';'],
  ];
  it.each(sameAsPapaparse)('splits %s as papaparse does', (_, text, delimiter) => {
    expect(scanned(text, delimiter)).toEqual(parsed(text, delimiter));
  });

  const leftToPapaparse: [string, string][] = [
    ['a quote never closed', 'a,b\n1,"open\n2,3\n'],
    ['text after a closing quote', 'a,b\n1,"x"y\n'],
    ['spaces after a closing quote', 'a,b\n1,"x"  ,2\n'],
    ['a byte-order mark left in the text', '\ufeffa,b\n1,2\n'],
  ];
  it.each(leftToPapaparse)('leaves to papaparse %s', (_, text) => {
    expect(scanned(text)).toBeUndefined();
  });

  it('reads one record again from where it starts', () => {
    const bytes = utf8('a,b\n1,"x,\nø"\n2,3\n');
    const starts: number[] = [];
    scanRecords(bytes, ',', decode, (record) => { starts.push(record.start); });
    expect(starts.map((start) => recordAt(bytes, ',', decode, start))).toEqual([['a', 'b'], ['1', 'x,\nø'], ['2', '3'], ['']]);
  });

  it('tells blank fields and compares fields without building them, a quoted one included', () => {
    const seen: [boolean, boolean, boolean, string][] = [];
    const codes = new TextCodes();
    const x = codes.codeOfBytes(utf8('x'), decode);
    const quoted = codes.codeOfBytes(utf8('a"b'), decode);
    scanRecords(utf8('x,"a""b", \u00a0 ,\n'), ',', decode, (record, index) => {
      if (index === 0) for (let column = 0; column < record.count; column++) seen.push([record.isBlank(column), record.holds(column, codes, x), record.holds(column, codes, quoted), record.text(column)]);
    });
    expect(seen).toEqual([[false, true, false, 'x'], [false, false, true, 'a"b'], [true, false, false, ' \u00a0 '], [true, false, false, '']]);
  });

  it('gives a text one code however it is written: quoted, with doubled quotes, or bare', () => {
    const codes = new TextCodes();
    const found: number[] = [];
    scanRecords(utf8('5" disk,"5"" disk","x",x,ø,"ø",\n'), ',', decode, (record, index) => {
      if (index === 0) for (let column = 0; column < 6; column++) found.push(record.codeIn(column, codes));
      if (index === 0) found.push(record.codeIn(6, codes));
    });
    expect(found).toEqual([0, 0, 1, 1, 2, 2, -1]);
    expect(codes.texts).toEqual(['5" disk', 'x', 'ø']);
  });
});

function logMapping(headers: string[]): RoleMapping | undefined {
  const mapping = detectRoles(headers);
  return mapping.id !== undefined && mapping.orderDate !== undefined ? mapping : undefined;
}

describe('a CSV log read by the scanner or, where it declines, by papaparse', () => {
  // UCI Online Retail's shape: descriptions in quotes holding commas; spaces after a closing quote are left to papaparse, which drops them.
  const lines = [
    'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country',
    '536365,85123A,"WHITE HANGING HEART, T-LIGHT",6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom',
    '536365,71053,WHITE METAL LANTERN,6,2010-12-01 08:26:00,3.39,17850.0,United Kingdom',
    'C536379,D,Discount,-1,2010-12-01 09:41:00,27.5,14527.0,United Kingdom',
    '536380,22961,"JAM MAKING SET ""PRINTED""",24,2010-12-01 09:41:00,0.85,14527.0,United Kingdom',
  ];

  it('gives the same table either way', () => {
    const clean = readDelimitedLog(decodeDelimited(new TextEncoder().encode(lines.join('\n') + '\n'), 'retail.csv'), logMapping)!;
    const stray = readDelimitedLog(decodeDelimited(new TextEncoder().encode([...lines, '536381,1,"BAG"  ,1,2010-12-01 09:45:00,1.25,14527.0,UK'].join('\n') + '\n'), 'retail.csv'), logMapping)!;
    expect(clean.table.rowCount).toBe(4);
    expect(clean.table.texts.invoice).toEqual(['536365', '536365', 'C536379', '536380']);
    expect(Array.from(clean.table.numbers.quantity!)).toEqual([6, 6, -1, 24]);
    expect(stray.table.rowCount).toBe(5);
    expect(stray.table.texts.invoice!.slice(0, 4)).toEqual(clean.table.texts.invoice);
    expect(Array.from(stray.table.numbers.unitPrice!)).toEqual([2.55, 3.39, 27.5, 0.85, 1.25]);
  });
});
