import ExcelJS from 'exceljs';
import { unzipSync } from 'fflate';
import Papa from 'papaparse';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CellValue } from '../src/engine';
import { mulberry32 } from '../src/engine/random';
import {
  chooseDelimiter, decodeText, delimitedToWorkbook, DelimitedTextError, plainNumbers, readDelimited, workbookRowsFromGrid,
} from '../src/workbook/csv';
import { SHEET_COLUMNS, SHEET_ROWS } from '../src/workbook/grid';
import { createWorkbookPackage, excelSheetName, type NewCell } from '../src/workbook/xlsx/new-package';

/** Windows-1252's own characters in 0x80–0x9F that these tests use (Microsoft's code page table). */
const WINDOWS_1252_HIGH: Record<string, number> = { '€': 0x80, '’': 0x92, '“': 0x93, '”': 0x94, '–': 0x96 };

/** Windows-1252 bytes for text of Latin-1 letters and a few of the code page's own characters, as Danish Excel saves them. */
function windows1252(text: string): Uint8Array {
  return Uint8Array.from(Array.from(text), (char) => {
    if (char in WINDOWS_1252_HIGH) return WINDOWS_1252_HIGH[char];
    const code = char.charCodeAt(0);
    if (code > 0xff) throw new Error(`not in Windows-1252: ${char}`);
    return code;
  });
}

const utf8 = (text: string) => new TextEncoder().encode(text);

function utf16(text: string, endian: 'le' | 'be', bom = true): Uint8Array {
  const bytes = new Uint8Array((text.length + (bom ? 1 : 0)) * 2);
  const units = bom ? '\uFEFF' + text : text;
  for (let i = 0; i < units.length; i++) {
    const unit = units.charCodeAt(i);
    bytes[2 * i + (endian === 'le' ? 0 : 1)] = unit & 0xff;
    bytes[2 * i + (endian === 'le' ? 1 : 0)] = unit >> 8;
  }
  return bytes;
}

function failure(read: () => unknown): DelimitedTextError {
  try {
    read();
  } catch (error) {
    if (error instanceof DelimitedTextError) return error;
    throw error;
  }
  throw new Error('expected a DelimitedTextError');
}

const DANISH = 'Kundenr;Kunde;Omsætning;Potentiale;Note\r\n'
  + '1001;Ærø Æbler ApS;1.234,50;2.000;pris i € – “god” kundes’\r\n'
  + '1002;Søren Østergård;987,5;1.500,25;\r\n'
  + '1003;Blåbær A/S;-12,75;;"siger ""nej""; ring igen"\r\n';

describe('readDelimited', () => {
  it('reads a Danish Excel export: semicolons, decimal commas, Windows-1252 æøå and €', () => {
    const { grid, encoding, delimiter } = readDelimited(windows1252(DANISH), '/tmp/eksport/Kunder 2024.csv');
    expect(encoding).toBe('windows-1252');
    expect(delimiter).toBe(';');
    expect(grid.name).toBe('Kunder 2024');
    expect(grid.rows).toEqual([
      ['Kundenr', 'Kunde', 'Omsætning', 'Potentiale', 'Note'],
      ['1001', 'Ærø Æbler ApS', '1.234,50', '2.000', 'pris i € – “god” kundes’'],
      ['1002', 'Søren Østergård', '987,5', '1.500,25'],
      ['1003', 'Blåbær A/S', '-12,75', null, 'siger "nej"; ring igen'],
    ]);
    expect(grid.merges).toEqual([]);
    expect(grid.tables).toEqual([]);
  });

  it('reads UTF-8 with and without a BOM, and the BOM is not part of the first header', () => {
    const text = 'Customer,Revenue,City\nAcme,"1,234.50",Århus\nBeta,99.5,Køge\n';
    for (const bytes of [utf8('\uFEFF' + text), utf8(text)]) {
      const { grid, encoding, delimiter } = readDelimited(bytes, 'customers.csv');
      expect(encoding).toBe('utf-8');
      expect(delimiter).toBe(',');
      expect(grid.rows).toEqual([['Customer', 'Revenue', 'City'], ['Acme', '1,234.50', 'Århus'], ['Beta', '99.5', 'Køge']]);
    }
  });

  it('reads UTF-16 little- and big-endian with a BOM, and little-endian without one', () => {
    const text = 'Kunde\tOmsætning\r\nÆble\t1,5\r\n';
    for (const [bytes, encoding] of [[utf16(text, 'le'), 'utf-16le'], [utf16(text, 'be'), 'utf-16be'], [utf16(text, 'le', false), 'utf-16le']] as const) {
      const read = readDelimited(bytes, 'unicode.txt');
      expect(read.encoding).toBe(encoding);
      expect(read.delimiter).toBe('\t');
      expect(read.grid.rows).toEqual([['Kunde', 'Omsætning'], ['Æble', '1,5']]);
    }
  });

  it('reads TSV: tab by the .tsv name even when the values hold semicolons and commas, and by content otherwise', () => {
    const text = 'Kunde\tNote\nA\tx;y;z\nB\t1,5;2,5\n';
    expect(readDelimited(utf8(text), 'kunder.tsv').grid.rows).toEqual([['Kunde', 'Note'], ['A', 'x;y;z'], ['B', '1,5;2,5']]);
    const byContent = readDelimited(utf8('Id\tRevenue\tCountry\n1\t10.5\tDenmark\n2\t7\tNorway\n'), 'export.csv');
    expect(byContent.delimiter).toBe('\t');
    expect(byContent.grid.rows).toEqual([['Id', 'Revenue', 'Country'], ['1', '10.5', 'Denmark'], ['2', '7', 'Norway']]);
  });

  it('reads pipe-separated files', () => {
    const { grid, delimiter } = readDelimited(utf8('id|name|revenue\n7|Acme, Inc.|1,234.5\n'), 'dump.txt');
    expect(delimiter).toBe('|');
    expect(grid.rows).toEqual([['id', 'name', 'revenue'], ['7', 'Acme, Inc.', '1,234.5']]);
  });

  it('keeps the delimiter and line breaks inside quoted fields, and doubled quotes as one', () => {
    const text = 'Kunde;Note;Beløb\r\n"Hansen; Jens";"linje 1\r\nlinje 2";"1,5"\r\n"Sig ""hej""";"a;b\nc";2\r\n';
    const { grid, delimiter } = readDelimited(utf8(text), 'noter.csv');
    expect(delimiter).toBe(';');
    expect(grid.rows).toEqual([
      ['Kunde', 'Note', 'Beløb'],
      ['Hansen; Jens', 'linje 1\r\nlinje 2', '1,5'],
      ['Sig "hej"', 'a;b\nc', '2'],
    ]);
  });

  it('reads CRLF, LF and CR line ends alike, drops trailing empty lines and keeps a blank line inside as a blank row', () => {
    for (const newline of ['\r\n', '\n', '\r']) {
      const text = ['Kunde;Salg', 'A;1', '', 'B;2', '', '', ''].join(newline);
      const { grid } = readDelimited(utf8(text), 'linjer.csv');
      expect(grid.rows).toEqual([['Kunde', 'Salg'], ['A', '1'], undefined, ['B', '2']]);
      expect(grid.rows).toHaveLength(4);
    }
  });

  it('keeps a ragged row as it is: shorter or longer than the header, empty fields null', () => {
    const text = 'Kunde;Salg;Potentiale\nA;1;2\nB\nC;;5;ekstra\nD;4;;\n;;;\nE;;\n';
    const { grid } = readDelimited(utf8(text), 'ujævn.csv');
    expect(grid.rows).toEqual([
      ['Kunde', 'Salg', 'Potentiale'],
      ['A', '1', '2'],
      ['B'],
      ['C', null, '5', 'ekstra'],
      ['D', '4'],
      undefined,
      ['E'],
    ]);
  });

  it('decides ";" for Danish files where "," also appears, where papaparse\'s own guess says ","', () => {
    const shortDanish = 'Kunde;Omsætning\nA;1,5\nB;2,5\n';
    expect(Papa.parse(shortDanish, { delimitersToGuess: [';', ',', '\t', '|'] }).meta.delimiter).toBe(',');
    expect(chooseDelimiter(shortDanish)).toBe(';');
    // Every row, header included, has exactly one comma: header and rows agree under both, and the wider split wins.
    expect(chooseDelimiter('Navn, by;Beløb;Potentiale\nA, Køge;1,5;3\nB, Ry;2,5;4\n')).toBe(';');
    // Text with semicolons in a comma file.
    expect(chooseDelimiter('Name,Notes,Revenue\nA,x;y,1.5\nB,p;q;r,2\nC,,3\n')).toBe(',');
    expect(chooseDelimiter('Revenue\n10\n20\n')).toBe(',');
  });

  it('follows Excel\'s sep= first line and leaves it out of the rows', () => {
    const { grid, delimiter } = readDelimited(utf8('sep=,\r\nKunde;navn,Salg\r\nA;B,1\r\n'), 'hint.csv');
    expect(delimiter).toBe(',');
    expect(grid.rows).toEqual([['Kunde;navn', 'Salg'], ['A;B', '1']]);
  });

  it('reads an empty file as an empty sheet', () => {
    expect(readDelimited(new Uint8Array(0), 'tom.csv').grid.rows).toEqual([]);
    expect(readDelimited(utf8('\r\n\r\n'), 'tom.csv').grid.rows).toEqual([]);
  });

  it('refuses a file that is not text with one sentence in English and Danish', () => {
    const zip = failure(() => readDelimited(createWorkbookPackage('Ark1', [['a']]), 'kunder.csv'));
    expect(zip.text).toEqual({
      en: 'kunder.csv is a zip package (an .xlsx workbook, perhaps), not CSV text: if it is a workbook, give it the .xlsx extension; otherwise save the table from Excel as CSV.',
      da: 'kunder.csv er en zip-pakke (måske en .xlsx-projektmappe), ikke CSV-tekst: er det en projektmappe, så giv den endelsen .xlsx; ellers gem tabellen fra Excel som CSV.',
    });
    expect(zip.message).toBe(zip.text.en);
    const ole = failure(() => readDelimited(Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0]), 'gammel.csv'));
    expect(ole.text.en).toBe('gammel.csv is an old Excel .xls workbook or a password-protected workbook, not CSV text: open it in Excel and save it as .xlsx or CSV, without a password.');
    const binary = failure(() => readDelimited(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48]), 'billede.csv'));
    expect(binary.text).toEqual({
      en: 'billede.csv is not text (it holds binary data), so it cannot be read as CSV: save the table from Excel as CSV or .xlsx.',
      da: 'billede.csv er ikke tekst (den indeholder binære data), så den kan ikke læses som CSV: gem tabellen fra Excel som CSV eller .xlsx.',
    });
    // A NUL byte deep inside otherwise valid UTF-8 (and inside Windows-1252) is not text either.
    const nulInUtf8 = failure(() => readDelimited(utf8(`Kundenr;Beløb\n${'K1;10\n'.repeat(5000)}K2;\u0000\n`), 'kunder.csv'));
    expect(nulInUtf8.text.en).toBe('kunder.csv is not text (it holds binary data), so it cannot be read as CSV: save the table from Excel as CSV or .xlsx.');
    const nulIn1252 = failure(() => readDelimited(Uint8Array.from([0x4b, 0x3b, 0xe6, 0x0a, 0x31, 0x3b, 0x00, 0x0a]), 'kunder.csv'));
    expect(nulIn1252.text.en).toBe('kunder.csv is not text (it holds binary data), so it cannot be read as CSV: save the table from Excel as CSV or .xlsx.');
  });

  it('refuses a quote that is never closed instead of reading the rest of the file as one cell', () => {
    const error = failure(() => readDelimited(utf8('Kunde;Note\nA;ok\nB;"ingen slut\nC;tabt\n'), 'citat.csv'));
    expect(error.text.en).toBe('citat.csv, row 3: a quoted field is never closed, so the rest of the file would read as one cell: check the quotes (") in that row.');
    expect(error.text.da).toBe('citat.csv, række 3: et felt i anførselstegn lukkes aldrig, så resten af filen ville blive læst som én celle: tjek anførselstegnene (") i den række.');
  });

  it('refuses more columns than an Excel sheet holds, and accepts exactly as many', () => {
    const wide = (columns: number) => utf8(`${Array.from({ length: columns }, (_, i) => `k${i}`).join(';')}\n`);
    expect(readDelimited(wide(SHEET_COLUMNS), 'bred.csv').grid.rows[0]).toHaveLength(SHEET_COLUMNS);
    const error = failure(() => readDelimited(wide(SHEET_COLUMNS + 1), 'bred.csv'));
    expect(error.text.en).toBe('bred.csv, row 1, has more than 16,384 columns, more than an Excel sheet holds: check that the file is a table, or remove columns.');
    expect(error.text.da).toBe('bred.csv, række 1, har mere end 16.384 kolonner, mere end et Excel-ark kan rumme: tjek at filen er en tabel, eller fjern kolonner.');
  });

  it('refuses more rows than an Excel sheet holds, and accepts exactly as many', () => {
    const tall = (rows: number) => utf8('1\n'.repeat(rows));
    expect(readDelimited(tall(SHEET_ROWS), 'lang.csv').grid.rows).toHaveLength(SHEET_ROWS);
    const error = failure(() => readDelimited(tall(SHEET_ROWS + 1), 'lang.csv'));
    expect(error.text.en).toBe('lang.csv has more than 1,048,576 rows, more than an Excel sheet holds: split it into files of at most 1,048,576 rows, header included.');
    expect(error.text.da).toBe('lang.csv har mere end 1.048.576 rækker, mere end et Excel-ark kan rumme: del den op i filer på højst 1.048.576 rækker, overskriften medregnet.');
  });
});

function gridOf(rows: (CellValue[] | undefined)[]) {
  return { name: 'Ark', rows, merges: [], tables: [], aggregateFormulas: new Map<string, string>() };
}

describe('the encoding of a file without a byte-order mark', () => {
  it('is UTF-8 exactly when a fatal TextDecoder accepts the bytes, else Windows-1252 (20,000 random byte strings, mostly outside ASCII)', () => {
    const random = mulberry32(11);
    // Lead bytes, continuations and ASCII, so that well-formed sequences, overlongs, surrogates and cut sequences all occur.
    const pool = [0x41, 0x2c, 0x0a, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xed, 0xee, 0xef, 0xf0, 0xf1, 0xf4, 0xf5, 0xff];
    const seen = { valid: 0, invalid: 0 };
    for (let trial = 0; trial < 20_000; trial++) {
      // Mostly ASCII runs, so that the odd bytes fall at every place in the four-byte words the check reads.
      const bytes = Uint8Array.from({ length: 1 + Math.floor(random() * 24) }, () => (random() < 0.6 ? 0x61 : pool[Math.floor(random() * pool.length)]));
      // A leading 'x' keeps the bytes away from the zip, .xls and UTF-16 signatures.
      const file = Uint8Array.from([0x78, ...bytes]);
      let fatal = true;
      try { new TextDecoder('utf-8', { fatal: true }).decode(file); } catch { fatal = false; }
      expect(decodeText(file).encoding).toBe(fatal ? 'utf-8' : 'windows-1252');
      seen[fatal ? 'valid' : 'invalid']++;
    }
    expect(Math.min(seen.valid, seen.invalid)).toBeGreaterThan(500);
  });

  it('finds a NUL byte at any place, however the bytes sit in their buffer', () => {
    for (let offset = 0; offset < 4; offset++) {
      for (let place = 0; place < 40; place++) {
        const buffer = new Uint8Array(offset + 40).fill(0x61);
        buffer[offset + place] = 0;
        expect(() => decodeText(buffer.subarray(offset), 'x.csv')).toThrow(DelimitedTextError);
      }
      expect(decodeText(new Uint8Array(offset + 40).fill(0x61).subarray(offset)).encoding).toBe('utf-8');
    }
  });
});

describe('workbookRowsFromGrid', () => {
  it('writes a Danish number column as numbers with its decimal comma, and text columns as text', () => {
    const { grid } = readDelimited(windows1252(DANISH), 'Kunder.csv');
    expect(workbookRowsFromGrid(grid)).toEqual([
      ['Kundenr', 'Kunde', 'Omsætning', 'Potentiale', 'Note'],
      [1001, 'Ærø Æbler ApS', 1234.5, 2000, 'pris i € – “god” kundes’'],
      [1002, 'Søren Østergård', 987.5, 1500.25],
      [1003, 'Blåbær A/S', -12.75, null, 'siger "nej"; ring igen'],
    ]);
  });

  it('reads a column with a decimal point and comma thousands the English way', () => {
    const grid = gridOf([['Customer', 'Revenue'], ['Acme', '1,234.50'], ['Beta', '99.5'], ['Gamma', '1,000']]);
    expect(workbookRowsFromGrid(grid)).toEqual([['Customer', 'Revenue'], ['Acme', 1234.5], ['Beta', 99.5], ['Gamma', 1000]]);
  });

  it('reads "1.234" as one thousand two hundred thirty-four when nothing in the column says otherwise, as the engine does', () => {
    expect(workbookRowsFromGrid(gridOf([['Salg'], ['1.234'], ['12']]))).toEqual([['Salg'], [1234], [12]]);
  });

  it('keeps as text: ids with leading zeros, phones, percents, currencies, dates, formulas, booleans, long account numbers, mixed columns', () => {
    const rows: CellValue[][] = [
      ['Id', 'Telefon', 'Andel', 'Beløb', 'Dato', 'Formel', 'Aktiv', 'Konto', 'Blandet', 'År 2024'],
      ['00123', '+45 12 34 56 78', '12 %', 'kr. 1.000', '2024-03-01', '=1+1', 'TRUE', '1234567890123456', '5', '7'],
      ['00124', '+45 87 65 43 21', '3 %', 'kr. 20', '2024-03-02', '=SUM(A1:A2)', 'FALSE', '1234567890123457', 'n/a', '8'],
    ];
    const written = workbookRowsFromGrid(gridOf(rows));
    expect(written[1]).toEqual([...rows[1].slice(0, 9), 7]);
    expect(written[2]).toEqual([...rows[2].slice(0, 9), 8]);
  });

  it('keeps the header row as text even when a header is a year', () => {
    expect(workbookRowsFromGrid(gridOf([undefined, ['2023', '2024'], ['1,5', '2'], ['3', '4,25']]))).toEqual([[], ['2023', '2024'], [1.5, 2], [3, 4.25]]);
  });
});

describe('plainNumbers', () => {
  const once = (texts: string[]) => new Int32Array(texts.length).fill(1);

  it('reads ungrouped numbers with the decimal point, minus signs, zeros and 15 digits exactly', () => {
    const texts = ['2.55', '-6', '17850.0', '0.001', '-0.5', '0', '123456789012345', '12345678901234.5'];
    expect(Array.from(plainNumbers(texts, once(texts))!)).toEqual([2.55, -6, 17850, 0.001, -0.5, 0, 123456789012345, 12345678901234.5]);
  });

  it('reads ungrouped numbers with a decimal comma where the column decides on it', () => {
    const texts = ['2,55', '-6', '1.234,5', '1.234'];
    expect(Array.from(plainNumbers(texts, once(texts))!)).toEqual([2.55, -6, 1234.5, 1234]);
  });

  it('reads a lone separator with three digits as thousands when nothing in the column decides', () => {
    const texts = ['1.234', '12', '-2,500'];
    expect(Array.from(plainNumbers(texts, once(texts))!)).toEqual([1234, 12, -2500]);
  });

  it('reads "1.250" as one point two five once another text shows the decimal point', () => {
    expect(Array.from(plainNumbers(['1.250', '2.5'], [1, 1])!)).toEqual([1.25, 2.5]);
    expect(Array.from(plainNumbers(['1.250', '25'], [1, 1])!)).toEqual([1250, 25]);
  });

  it('leaves the column as text for more than 15 significant digits, leading zeros and signs Excel would not read', () => {
    for (const odd of ['1234567890123456', '00123', '+5', '5-', '1.5.5', '.5']) {
      expect(plainNumbers(['1.5', odd], [1, 1]), odd).toBeUndefined();
    }
  });
});

describe('excelSheetName', () => {
  it('makes any file name a sheet name Excel accepts', () => {
    expect(excelSheetName('Kunder 2024')).toBe('Kunder 2024');
    expect(excelSheetName('salg [Q1]: nord/syd?*\\')).toBe('salg Q1 nordsyd');
    expect(excelSheetName('Omsætning pr. kunde for hele regionen Nord')).toBe('Omsætning pr. kunde for hele re');
    expect(excelSheetName("'citeret'")).toBe('citeret');
    expect(excelSheetName('History')).toBe('History1');
    expect(excelSheetName('***')).toBe('Sheet1');
  });
});

type ReadBack = (number | string | boolean | null)[][];

/** The written rows as a reader sees them: trailing empty cells and empty rows at the end dropped. */
function expectedReadBack(rows: NewCell[][]): ReadBack {
  const result = rows.map((row) => {
    const cells = row.map((value) => (value === '' ? null : value));
    while (cells.length && cells[cells.length - 1] === null) cells.pop();
    return cells;
  });
  while (result.length && result[result.length - 1].length === 0) result.pop();
  return result;
}

const ROWS: NewCell[][] = [
  ['Kundenr', 'Kunde', 'Omsætning', 'Aktiv', 'Note'],
  [1001, 'Ærø Æbler ApS', 1234.5, true, '=SUM(A1:A2)'],
  [1002, '  mellemrum  ', -0.125, false, null],
  [],
  [1003, '<b>&"tegn"</b>', 1e-7, null, '00123'],
  [1004, 'TRUE', 123456789012345, null, '2024-03-01'],
];

async function excelJsReadBack(bytes: Uint8Array): Promise<{ name: string; rows: ReadBack }> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  const sheet = workbook.worksheets[0];
  const rows: ReadBack = [];
  for (let r = 1; r <= sheet.rowCount; r++) {
    const values = (sheet.getRow(r).values as ExcelJS.CellValue[]).slice(1);
    rows.push(Array.from(values, (value) => (value === undefined ? null : value as number | string | boolean)));
  }
  return { name: sheet.name, rows };
}

describe('createWorkbookPackage', () => {
  it('writes the parts of a minimal package and no others', () => {
    const parts = Object.keys(unzipSync(createWorkbookPackage('Ark1', ROWS))).sort();
    expect(parts).toEqual([
      '[Content_Types].xml', '_rels/.rels', 'docProps/app.xml', 'docProps/core.xml',
      'xl/_rels/workbook.xml.rels', 'xl/styles.xml', 'xl/workbook.xml', 'xl/worksheets/sheet1.xml',
    ]);
  });

  it('reads back cell by cell in ExcelJS: numbers, booleans, text that looks like a formula, a number or a date', async () => {
    const { name, rows } = await excelJsReadBack(createWorkbookPackage('Kunder: 2024', ROWS));
    expect(name).toBe('Kunder 2024');
    expect(rows).toEqual(expectedReadBack(ROWS));
  });

  it('streams a sheet of many rows across its chunks without losing one', async () => {
    const rows: NewCell[][] = [['Id', 'Salg', 'Kunde']];
    for (let i = 1; i <= 5_000; i++) rows.push([i, i * 1.5, `Kunde ${i}`]);
    const { rows: read } = await excelJsReadBack(createWorkbookPackage('Stor', rows));
    expect(read).toEqual(rows);
  });

  it('turns a Danish CSV into a workbook whose cells are what a person expects', async () => {
    const { workbook, sheetName, encoding, delimiter } = delimitedToWorkbook(windows1252(DANISH), 'Kunder.csv');
    expect([sheetName, encoding, delimiter]).toEqual(['Kunder', 'windows-1252', ';']);
    expect((await excelJsReadBack(workbook)).rows).toEqual([
      ['Kundenr', 'Kunde', 'Omsætning', 'Potentiale', 'Note'],
      [1001, 'Ærø Æbler ApS', 1234.5, 2000, 'pris i € – “god” kundes’'],
      [1002, 'Søren Østergård', 987.5, 1500.25],
      [1003, 'Blåbær A/S', -12.75, null, 'siger "nej"; ring igen'],
    ]);
  });
});

// Debian's python3 has openpyxl; the pyenv python3 first on PATH here does not. SEGMENTKIT_PYTHON overrides.
const PYTHON = process.env.SEGMENTKIT_PYTHON ?? '/usr/bin/python3';
const hasOpenpyxl = existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import openpyxl']).status === 0;
const hasSoffice = spawnSync('soffice', ['--version']).status === 0;
if (!hasOpenpyxl) console.warn(`SKIPPED: the openpyxl read-back of a new workbook: ${PYTHON} with the openpyxl module is not installed (set SEGMENTKIT_PYTHON to a python with openpyxl).`);
if (!hasSoffice) console.warn('SKIPPED: the LibreOffice check of a new workbook: soffice (LibreOffice) is not on PATH.');

function tempWorkbook(rows: NewCell[][]): { dir: string; file: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'segmentkit-csv-'));
  const file = path.join(dir, 'ny.xlsx');
  writeFileSync(file, createWorkbookPackage('Kunder', rows));
  return { dir, file };
}

describe('a new workbook in other programs', () => {
  it.skipIf(!hasOpenpyxl)(`openpyxl reads it back cell by cell${hasOpenpyxl ? '' : ' [skipped: no openpyxl]'}`, () => {
    const { dir, file } = tempWorkbook(ROWS);
    const script = [
      'import json, sys, openpyxl',
      'book = openpyxl.load_workbook(sys.argv[1])',
      'sheet = book.worksheets[0]',
      'print(json.dumps({"name": sheet.title, "rows": [list(row) for row in sheet.iter_rows(values_only=True)]}))',
    ].join('\n');
    const { name, rows } = JSON.parse(execFileSync(PYTHON, ['-c', script, file], { encoding: 'utf8' })) as { name: string; rows: ReadBack };
    rmSync(dir, { recursive: true });
    expect(name).toBe('Kunder');
    // openpyxl pads every row to the sheet's width with None.
    expect(expectedReadBack(rows)).toEqual(expectedReadBack(ROWS));
    expect(typeof rows[1][0]).toBe('number');
    expect(rows[1][3]).toBe(true);
  });

  it.skipIf(!hasSoffice)(`LibreOffice opens it and converts it to the same cells${hasSoffice ? '' : ' [skipped: no soffice]'}`, () => {
    const { dir, file } = tempWorkbook(ROWS);
    // A profile of its own, so it neither waits for nor disturbs another LibreOffice running here.
    const profile = pathToFileURL(path.join(dir, 'profile')).href;
    execFileSync('soffice', [`-env:UserInstallation=${profile}`, '--headless', '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76', '--outdir', dir, file], { stdio: 'pipe', timeout: 90_000 });
    const csv = readFileSync(path.join(dir, 'ny.csv'), 'utf8');
    rmSync(dir, { recursive: true });
    const cells = expectedReadBack(Papa.parse<string[]>(csv.trim(), { delimiter: ',' }).data);
    const expected = expectedReadBack(ROWS);
    expect(cells.map((row) => row.length)).toEqual(expected.map((row) => row.length));
    // Numbers as LibreOffice shows them (1e-7 as 0.0000001, or in its locale) are compared as numbers.
    const seen = cells.map((row, r) => row.map((text, c) => (typeof expected[r][c] === 'number' ? Number(String(text).replace(',', '.')) : text)));
    expect(seen).toEqual(expected.map((row) => row.map((value) => (typeof value === 'boolean' ? (value ? 'TRUE' : 'FALSE') : value))));
  }, 120_000);
});
