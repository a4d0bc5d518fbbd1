import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import {
  buildCustomerTable, cellText, customersFromLog, detectRoles, ROLES, type CustomerTable, type LogCustomers, type RoleMapping,
} from '../src/engine';
import { mulberry32 } from '../src/engine/random';
import {
  chooseDelimiter, decodeDelimited, decodeText, DelimitedTextError, gridOfDelimited, workbookRowsFromGrid, type Delimiter,
} from '../src/workbook/csv';
import { readDelimitedLog } from '../src/workbook/csv-log';
import { scanRecords } from '../src/workbook/csv-scan';
import { locateTable } from '../src/workbook/region';

/*
 * A hostile tester's look at the byte-level log reader: many small seeded logs in every shape a
 * Danish or an English export takes (and some no exporter should), each read by readDelimitedLog
 * and by the general path (gridOfDelimited → workbookRowsFromGrid → locateTable →
 * buildCustomerTable), which must agree in every fact whenever the fast path returns a log.
 * Seeded, so a failure repeats; to hunt further, FUZZ_SEED and FUZZ_CASES draw other and more
 * inputs (FUZZ_LENGTH: longer scanner texts; FUZZ_WAYS=1 prints how the drawn files were read).
 */

type Random = () => number;

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)];
const chance = (random: Random, p: number) => random() < p;

// ── Reading a file both ways ──────────────────────────────────────────────────────────────────

/** The roles of a log, as the CLI maps them; undefined when the headers do not make a log. */
function logMapping(headers: string[]): RoleMapping | undefined {
  const mapping = detectRoles(headers);
  const hasAmount = mapping.amount !== undefined || (mapping.quantity !== undefined && mapping.unitPrice !== undefined);
  return mapping.id !== undefined && mapping.orderDate !== undefined && hasAmount ? mapping : undefined;
}

/** The roles readDelimitedLog reads of a mapping: every non-text role, and of the text roles the id and the invoice. */
function readRoles(mapping: RoleMapping): RoleMapping {
  const read: RoleMapping = {};
  for (const role of ROLES) {
    const column = mapping[role.id];
    if (column !== undefined && (role.kind !== 'text' || role.id === 'id' || role.id === 'invoice')) read[role.id] = column;
  }
  return read;
}

function generalTable(bytes: Uint8Array, name: string): { table: CustomerTable; notes: string[] } {
  const { grid } = gridOfDelimited(decodeDelimited(bytes, name), { sheetRowLimit: false });
  const located = locateTable({ ...grid, rows: workbookRowsFromGrid(grid) });
  const mapping = logMapping(located.headers.map((header) => cellText(header).trim()));
  if (!mapping) throw new Error('the general path finds no log where the fast path found one');
  const table = buildCustomerTable(located.headers, located.rows, { origin: located.origin, mapping: readRoles(mapping) });
  return { table, notes: located.notes.map((note) => note.text.en) };
}

function tableFacts(table: CustomerTable) {
  const { rowCount, headers, origin, mapping, numbers, texts, problems, blankRows, readDifferently } = table;
  return { rowCount, headers, origin, mapping, numbers, texts, problems, blankRows, readDifferently };
}

function customerFacts(customers: LogCustomers) {
  return { rows: customers.table.cells, summaries: customers.summaries, notes: customers.notes, counts: customers.counts };
}

function failure(read: () => unknown): string | undefined {
  try {
    read();
    return undefined;
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message}`;
  }
}

/**
 * Reads `bytes` both ways and asserts the contract; returns which way the file went
 * ('log': the fast path read it; 'general': it declined; 'refused': both refused it alike).
 */
function expectSameReading(bytes: Uint8Array, name = 'log.csv'): 'log' | 'general' | 'refused' {
  const decodeFailure = failure(() => decodeDelimited(bytes, name));
  if (decodeFailure) {
    expect(decodeFailure).toMatch(/^DelimitedTextError/);
    return 'refused';
  }
  expectSameText(bytes, name);
  let fast: ReturnType<typeof readDelimitedLog>;
  const fastFailure = failure(() => { fast = readDelimitedLog(decodeDelimited(bytes, name), logMapping); });
  if (fastFailure) {
    // The fast path refuses only what readDelimited refuses, in the same words.
    expect(failure(() => gridOfDelimited(decodeDelimited(bytes, name), { sheetRowLimit: false }))).toBe(fastFailure);
    return 'refused';
  }
  if (!fast!) return 'general';
  const general = generalTable(bytes, name);
  expect(tableFacts(fast!.table)).toEqual(tableFacts(general.table));
  expect(fast!.notes.map((note) => note.text.en)).toEqual(general.notes);
  // A log without one usable line is refused with a sentence (EmptyLogError): both paths alike.
  const summarised = (table: CustomerTable) => {
    try {
      return customerFacts(customersFromLog(table, 'en'));
    } catch (error) {
      return { refused: (error as Error).message };
    }
  };
  expect(summarised(fast!.table)).toEqual(summarised(general.table));
  return 'log';
}

/** decodeDelimited's body, encoding and delimiter are those of the whole file decoded by decodeText (`sep=` line cut). */
function expectSameText(bytes: Uint8Array, name: string): void {
  const decoded = decodeDelimited(bytes, name);
  const { text, encoding } = decodeText(bytes, name);
  const hinted = /^sep=([;,\t|])\r?\n/i.exec(text);
  const body = hinted ? text.slice(hinted[0].length) : text;
  expect(decoded.encoding).toBe(encoding);
  expect(decoded.body).toBe(body);
  expect(decoded.delimiter).toBe(hinted?.[1] ?? chooseDelimiter(body, name));
  expect(decoded.decode(decoded.bodyBytes)).toBe(body);
}

// ── Drawing logs ──────────────────────────────────────────────────────────────────────────────

const HEADERS: string[][] = [
  ['Fakturanr', 'Kundenr', 'Ordredato', 'Beløb'],
  ['Fakturanr.', 'Kundenr.', 'Ordredato', 'Beløb', 'Bemærkning'],
  ['InvoiceNo', 'CustomerID', 'InvoiceDate', 'Quantity', 'UnitPrice'],
  ['InvoiceNo', 'StockCode', 'Description', 'Quantity', 'InvoiceDate', 'UnitPrice', 'CustomerID', 'Country'],
  ['Kundenr', 'Ordredato', 'Beløb'],
];

/** Values by the header they sit under, with the hostile ones among them. */
function valuesFor(header: string): string[] {
  const h = header.toLowerCase();
  if (h.startsWith('faktura') || h.startsWith('invoiceno')) return ['1001', '1002', 'C1003', '536365', 'C536379', '', '1001', '007'];
  if (h.startsWith('kunde') || h === 'customerid') {
    return ['K-17', 'K-18', ' K-18 ', '17850.0', '13047.0', '17850', 'Søren Ærø', 'K😀', 'K\u00a01', '\ufeffK-2', '\u00a0', '  ', '', '12.345', '1,5', 'Æble A/S'];
  }
  if (h.includes('dato') || h.includes('date')) {
    return ['01-03-2024', '2024-03-02 10:15:00', '31-02-2024', '3/1/2024', '2024-03-01', '1.3.2024', '01.03.2024 10:00', '2010-12-01 08:26:00', 'ikke en dato', '45352', '', '12/31/2010 17:00', ' 2024-03-05 '];
  }
  if (h.startsWith('beløb') || h.includes('price')) {
    return ['1.234,50', '99,95', '250', '-99,95', '1,234.50', '2.55', '1.000', '1,000', 'tohundrede', '€ 5', '12 %', '0', '1e3', ' 7 ', '1 234,5', '-0', '00123', '3.14159', '', '1.234.567,8', '0,5', '-1.000', '12345678901234567', 'kr. 1.000'];
  }
  if (h.includes('quantity') || h === 'antal') return ['6', '-1', '24', '1.000', '0,5', '2', '', 'x', '1,000'];
  if (h === 'country') return ['United Kingdom', 'Danmark', 'EIRE', ''];
  return ['første køb', 'a, b', 'a; b', 'say "hi"', 'two\nlines', 'cr\rinside', 'crlf\r\ninside', 'Total', 'Kilde: web', '€ – “x” ’', 'WHITE HANGING HEART, T-LIGHT', '5" disk', 'tab\there', 'pipe|here', '', ' '];
}

const DELIMITER_CHOICES: Delimiter[] = [';', ',', '\t', '|'];
const LINE_ENDS = ['\n', '\r\n', '\r'];
type Encoding = 'utf-8' | 'utf-8-bom' | 'utf-16le-bom' | 'utf-16be-bom' | 'utf-16le' | 'windows-1252';
const ENCODINGS: Encoding[] = ['utf-8', 'utf-8', 'utf-8-bom', 'utf-16le-bom', 'utf-16be-bom', 'utf-16le', 'windows-1252', 'windows-1252'];

/** A field as a file writes it: quoted where it must be (mostly), and now and then quoted badly. */
function writeField(value: string, delimiter: string, random: Random): string {
  const needs = value.includes(delimiter) || /[\r\n]/.test(value) || value.startsWith('"');
  const roll = random();
  if ((needs && roll < 0.9) || roll < 0.12) return `"${value.replace(/"/g, '""')}"`;
  if (roll < 0.14) return `"${value}"x`;
  if (roll < 0.16) return `"${value}"  `;
  if (roll < 0.165) return `"${value}`;
  if (roll < 0.18) return `${value}"`;
  return value;
}

/** Values that workbookRowsFromGrid may make numbers: a column of only these becomes a number column, its separator decided by all. */
const PLAIN_NUMBERS = ['1.234,50', '99,95', '250', '-99,95', '1,234.50', '2.55', '1.000', '1,000', '0', '-0', '0,5', '3.14159', '17850.0', '17850', '12.345', '1,5', '-1.000', '1.234.567,8', '12345678901234567', '00123', ''];

/** One line of the log: the header's width give or take, trailing empty fields now and then; `tidy` columns hold plain numbers only. */
function drawLine(headers: string[], delimiter: string, random: Random, tidy: ReadonlySet<string> = new Set()): string {
  const fields = headers.map((header) => writeField(pick(random, tidy.has(header) ? PLAIN_NUMBERS : valuesFor(header)), delimiter, random));
  const shape = random();
  if (shape < 0.05) fields.length = Math.max(1, Math.floor(random() * fields.length));
  else if (shape < 0.1) fields.push(...Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(random, ['', 'extra', '1,5', ' '])));
  return fields.join(delimiter);
}

/** Lines that are not customers: blank, white space, empty fields, footnotes, totals. */
function drawOddLine(headers: string[], delimiter: string, random: Random): string {
  return pick(random, [
    '', '', '  ', '\t', delimiter.repeat(headers.length - 1), ` ${delimiter} ${delimiter}`, '\u00a0', 'Kilde: web-shoppen', '* foreløbige tal',
    ['Total', ...headers.slice(1).map(() => '')].join(delimiter), ['', '', '', '1.000'].join(delimiter), 'I alt', 'Note',
  ]);
}

interface DrawnLog {
  text: string;
  encoding: Encoding;
}

/** Whole amounts, so a last line can be their exact sums, as a totals row is. */
const WHOLE_AMOUNTS = ['10', '20', '5', '7', '100'];

/** A log of whole amounts whose last line holds the sums of the number columns above it (with or without a label). */
function drawTotalsLog(headers: string[], delimiter: string, random: Random): string[] {
  const numeric = headers.map((header) => /beløb|price|quantity/i.test(header));
  const sums = headers.map(() => 0);
  const lines: string[] = [];
  const count = 2 + Math.floor(random() * 4);
  for (let k = 0; k < count; k++) {
    lines.push(headers.map((header, column) => {
      if (!numeric[column]) return writeField(pick(random, valuesFor(header).filter((value) => !/[\r\n"]/.test(value) && !value.includes(delimiter))), delimiter, random);
      const value = pick(random, WHOLE_AMOUNTS);
      sums[column] += Number(value);
      return value;
    }).join(delimiter));
  }
  const label = pick(random, ['', '', 'Total', 'I alt', 'K-17', 'x']);
  const last = headers.map((_, column) => (numeric[column] ? String(chance(random, 0.8) ? sums[column] : sums[column] + 1) : ''));
  last[numeric.indexOf(false)] = label;
  lines.push(last.join(delimiter));
  return lines;
}

function drawLog(random: Random): DrawnLog {
  const delimiter = pick(random, DELIMITER_CHOICES);
  const lineEnd = pick(random, LINE_ENDS);
  let headers = pick(random, HEADERS).slice();
  if (chance(random, 0.2)) headers = headers.sort(() => random() - 0.5);
  const lines: string[] = [];
  if (chance(random, 0.1)) lines.push(`sep=${delimiter}`);
  // A byte-order mark after the `sep=` line, or a second one after the first.
  const markBefore = chance(random, 0.03) ? '\ufeff' : '';
  if (chance(random, 0.05)) lines.push(pick(random, ['Ordrer 2024', '', '  ']));
  if (!chance(random, 0.03)) lines.push(markBefore + headers.map((header) => writeField(header, delimiter, random)).join(delimiter) + (chance(random, 0.05) ? delimiter : ''));
  if (chance(random, 0.15)) lines.push(...drawTotalsLog(headers, delimiter, random));
  else {
    const count = chance(random, 0.01) ? 1100 + Math.floor(random() * 300) : Math.floor(random() * 9);
    // Number columns (and now and then the id) of plain numbers only, as a real export's: so columns become numbers.
    const tidy = new Set(headers.filter((header) => chance(random, /beløb|price|quantity/i.test(header) ? 0.5 : /kunde|customerid/i.test(header) ? 0.2 : 0)));
    for (let k = 0; k < count; k++) lines.push(chance(random, 0.15) ? drawOddLine(headers, delimiter, random) : drawLine(headers, delimiter, random, tidy));
    if (chance(random, 0.15)) lines.push(drawOddLine(headers, delimiter, random));
  }
  // A first column without a header (a row number, as pandas writes its index), so the table starts in column B.
  if (chance(random, 0.08)) {
    const headerAt = lines.findIndex((line) => line.startsWith(writeField(headers[0], delimiter, () => 1)) || line.includes(headers[0]));
    for (let k = 0; k < lines.length; k++) if (k >= headerAt && headerAt >= 0) lines[k] = `${k === headerAt ? pick(random, ['', '', ' ']) : pick(random, [String(k), '', ' '])}${delimiter}${lines[k]}`;
  }
  let text = lines.join(lineEnd);
  const ending = random();
  if (ending < 0.5) text += lineEnd;
  else if (ending < 0.6) text += lineEnd.repeat(2 + Math.floor(random() * 2));
  if (chance(random, 0.03)) text = pick(random, ['', lineEnd, 'sep=;', `sep=;${lineEnd}`, '\ufeff', ' ']);
  return { text, encoding: pick(random, ENCODINGS) };
}

const WINDOWS_1252_HIGH = '\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F'
  + '\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178';

/** Windows-1252 bytes of a text; a character it has no byte for becomes '?'. */
function windows1252(text: string): Uint8Array {
  const bytes: number[] = [];
  for (const char of text) {
    const code = char.codePointAt(0)!;
    const high = WINDOWS_1252_HIGH.indexOf(char);
    if (high >= 0) bytes.push(0x80 + high);
    else if (code < 0x100 && (code < 0x80 || code > 0x9f)) bytes.push(code);
    else bytes.push(0x3f);
  }
  return Uint8Array.from(bytes);
}

/** Windows-1252 as browsers decode it (Node's TextDecoder reads 0x80–0x9F as Latin-1). */
function decodeWindows1252(bytes: Uint8Array): string {
  return new TextDecoder('windows-1252').decode(bytes).replace(/[\u0080-\u009f]/g, (char) => WINDOWS_1252_HIGH[char.charCodeAt(0) - 0x80]);
}

function utf16(text: string, endian: 'le' | 'be'): Uint8Array {
  const bytes = new Uint8Array(text.length * 2);
  for (let k = 0; k < text.length; k++) {
    const unit = text.charCodeAt(k);
    bytes[2 * k + (endian === 'le' ? 0 : 1)] = unit & 0xff;
    bytes[2 * k + (endian === 'le' ? 1 : 0)] = unit >> 8;
  }
  return bytes;
}

function encode({ text, encoding }: DrawnLog): Uint8Array {
  switch (encoding) {
    case 'utf-8': return new TextEncoder().encode(text);
    case 'utf-8-bom': return new TextEncoder().encode(`\ufeff${text}`);
    case 'utf-16le-bom': return utf16(`\ufeff${text}`, 'le');
    case 'utf-16be-bom': return utf16(`\ufeff${text}`, 'be');
    case 'utf-16le': return utf16(text, 'le');
    case 'windows-1252': return windows1252(text);
  }
}

/** Byte sequences that are not UTF-8 (or are, but only just), for a UTF-8 file's bytes. */
const ODD_BYTES: number[][] = [
  [0x80], [0x9f], [0xe6], [0xf8], [0xc3], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0xf4, 0x90, 0x80, 0x80], [0xff],
  [0xef, 0xbb, 0xbf], [0xc3, 0xa6], [0xf0, 0x9f, 0x98, 0x80], [0xe2, 0x82, 0xac],
];

/** The bytes with an odd sequence put in at a few places (never a NUL: those are refused, tested apart). */
function withOddBytes(bytes: Uint8Array, random: Random): Uint8Array {
  let out = Array.from(bytes);
  const times = 1 + Math.floor(random() * 3);
  for (let k = 0; k < times; k++) {
    const at = Math.floor(random() * (out.length + 1));
    out = [...out.slice(0, at), ...pick(random, ODD_BYTES), ...out.slice(at)];
  }
  return Uint8Array.from(out);
}

// ── The properties ────────────────────────────────────────────────────────────────────────────

describe('the byte-level log reader against the general path, on drawn logs', () => {
  it('agrees in every fact wherever it reads a log, and refuses only what the general path refuses', () => {
    const random = mulberry32(Number(process.env.FUZZ_SEED ?? 20240301));
    const ways = { log: 0, general: 0, refused: 0 };
    for (let k = 0; k < Number(process.env.FUZZ_CASES ?? 2000); k++) {
      const drawn = drawLog(random);
      let bytes = encode(drawn);
      if ((drawn.encoding === 'utf-8' || drawn.encoding === 'utf-8-bom' || drawn.encoding === 'windows-1252') && chance(random, 0.15)) bytes = withOddBytes(bytes, random);
      try {
        ways[expectSameReading(bytes)]++;
      } catch (error) {
        throw new Error(`case ${k} (${drawn.encoding}): ${JSON.stringify(Array.from(bytes))}\n${JSON.stringify(drawn.text)}\n${(error as Error).message}`);
      }
    }
    if (process.env.FUZZ_WAYS) console.log(ways);
    // Most drawn files are logs the fast path reads, so the comparison above is not of nothing.
    expect(ways.log).toBeGreaterThan(600);
    expect(ways.general).toBeGreaterThan(100);
  });
});

// ── The scanner alone ────────────────────────────────────────────────────────────────────────

/** Characters a record is made of: delimiters, quotes, every line break, spaces, letters of one to four UTF-8 bytes. */
const ALPHABET = ['a', '1', ';', ',', '\t', '|', '"', '"', '\r', '\n', '\r\n', ' ', 'ø', '€', '\u00a0', '\ufeff', '😀'];

/** papaparse's records of a text, as eachRecord sees them (fields, and width without trailing empty fields). */
function papaRecords(text: string, delimiter: Delimiter): { fields: string[]; width: number }[] {
  return Papa.parse<string[]>(text, { delimiter }).data.map((fields) => {
    let width = fields.length;
    while (width > 0 && fields[width - 1] === '') width--;
    return { fields, width };
  });
}

describe('the record scanner on drawn texts', () => {
  it('gives exactly papaparse\'s records of the decoded text, or leaves the text to papaparse', () => {
    const random = mulberry32(Number(process.env.FUZZ_SEED ?? 4180));
    let taken = 0;
    for (let k = 0; k < Number(process.env.FUZZ_CASES ?? 6000); k++) {
      const delimiter = pick(random, DELIMITER_CHOICES);
      let text = '';
      const length = Math.floor(random() * Number(process.env.FUZZ_LENGTH ?? 30));
      for (let c = 0; c < length; c++) text += pick(random, ALPHABET);
      const windows = chance(random, 0.3);
      const bytes = windows ? windows1252(text) : new TextEncoder().encode(text);
      const decode = windows ? decodeWindows1252 : (part: Uint8Array) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(part);
      const decoded = decode(bytes);
      const records: { fields: string[]; width: number }[] = [];
      const count = scanRecords(bytes, delimiter, decode, (record) => { records.push({ fields: record.fields(), width: record.width }); });
      if (count === undefined) continue;
      taken++;
      expect(records, JSON.stringify([text, delimiter])).toEqual(papaRecords(decoded, delimiter));
      expect(count).toBe(records.length);
    }
    expect(taken).toBeGreaterThan(2000);
  });
});

// ── The encoding decision ─────────────────────────────────────────────────────────────────────

/** Pieces of drawn bytes: ASCII, well-formed UTF-8 of every length, and every kind of ill-formed sequence. */
const BYTE_PIECES: number[][] = [
  [0x41], [0x3b], [0x0a], [0x20, 0x31], [0x7f], [0xc3, 0xa6], [0xc2, 0x80], [0xdf, 0xbf], [0xe2, 0x82, 0xac], [0xe0, 0xa0, 0x80], [0xed, 0x9f, 0xbf],
  [0xee, 0x80, 0x80], [0xef, 0xbb, 0xbf], [0xf0, 0x90, 0x80, 0x80], [0xf4, 0x8f, 0xbf, 0xbf], [0xf0, 0x9f, 0x98, 0x80],
  // Ill-formed: lone continuation, lone lead, overlong, surrogate, past U+10FFFF, bytes never used, truncated.
  [0x80], [0xbf], [0xc3], [0xc0, 0x80], [0xc1, 0xbf], [0xe0, 0x80, 0x80], [0xe0, 0x9f, 0xbf], [0xed, 0xa0, 0x80], [0xed, 0xbf, 0xbf],
  [0xf0, 0x80, 0x80, 0x80], [0xf0, 0x8f, 0xbf, 0xbf], [0xf4, 0x90, 0x80, 0x80], [0xf5, 0x80, 0x80, 0x80], [0xf8], [0xfe], [0xff],
  [0xe2, 0x82], [0xf0, 0x9f, 0x98], [0xe6, 0x41], [0x9c],
];

/** The bytes at byte offset `offset` of their buffer, as a file read into a larger buffer may be. */
function atOffset(bytes: number[], offset: number): Uint8Array {
  const buffer = new Uint8Array(offset + bytes.length + 5).fill(0xff);
  buffer.set(bytes, offset);
  return buffer.subarray(offset, offset + bytes.length);
}

/** What decodeText must say of bytes without a byte-order mark that are not UTF-16: UTF-8 exactly when a fatal decoder takes them. */
function expectedEncoding(bytes: Uint8Array): 'utf-8' | 'windows-1252' | 'refused' {
  if (bytes.includes(0)) return 'refused';
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return 'utf-8';
  } catch {
    return 'windows-1252';
  }
}

function encodingOf(bytes: Uint8Array): string {
  try {
    return decodeText(bytes).encoding;
  } catch (error) {
    if (error instanceof DelimitedTextError) return 'refused';
    throw error;
  }
}

describe('the encoding decided from the bytes', () => {
  it('is UTF-8 exactly when a fatal TextDecoder accepts the bytes, at any byte offset, and NUL bytes are refused', () => {
    const random = mulberry32(1252);
    for (let k = 0; k < 4000; k++) {
      const bytes: number[] = [];
      const pieces = Math.floor(random() * 12);
      for (let p = 0; p < pieces; p++) bytes.push(...pick(random, BYTE_PIECES));
      if (chance(random, 0.05) && bytes.length > 0) bytes[Math.floor(random() * bytes.length)] = 0;
      // Not the shapes decided before UTF-8 is looked at: a byte-order mark, UTF-16 without one (zero bytes), zip and OLE signatures.
      if (bytes[0] === 0xef || bytes[0] === 0xfe || bytes[0] === 0xff) bytes.unshift(0x41);
      for (let offset = 0; offset < 4; offset++) {
        const view = atOffset(bytes, offset);
        const expected = expectedEncoding(view);
        if (expected === 'refused' && view.length >= 4 && view.filter((byte) => byte === 0).length * 2 >= view.length * 0.9) continue;
        const context = `${JSON.stringify(bytes)} at offset ${offset}`;
        expect(encodingOf(view), context).toBe(expected);
        if (expected !== 'refused') expect(decodeDelimited(view, 'x.csv').encoding, context).toBe(expected);
      }
    }
  });
});

// ── Faults the drawn inputs found, each kept with its right answer ────────────────────────────

describe('inputs the drawn tests found', () => {
  it('reads a file of fewer bytes than lie before the next 4-byte boundary of its buffer (a view at an odd offset)', () => {
    // Was: RangeError "start offset of Uint32Array should be a multiple of 4" from the UTF-8 check.
    const buffer = new Uint8Array([0x20, 0x41, 0x3b, 0x20]);
    expect(decodeText(buffer.subarray(1, 3))).toEqual({ text: 'A;', encoding: 'utf-8' });
    expect(decodeText(buffer.subarray(1, 2))).toEqual({ text: 'A', encoding: 'utf-8' });
    expect(decodeText(buffer.subarray(2, 2))).toEqual({ text: '', encoding: 'utf-8' });
    expect(decodeText(new Uint8Array([0x41, 0xe6]).subarray(1))).toEqual({ text: 'æ', encoding: 'windows-1252' });
    expect(() => decodeText(new Uint8Array([0x41, 0x00]).subarray(1))).toThrow(DelimitedTextError);
    expect(decodeDelimited(buffer.subarray(1, 3), 'x.csv').body).toBe('A;');
  });

  it('keeps a byte-order mark after the `sep=` line of a UTF-8 file with a mark as text, as decodeText does and as its bytes decode', () => {
    // Was: the body's decoder dropped a U+FEFF opening the body, so body and decode(bodyBytes) differed.
    const text = 'sep=;\r\n\ufeffKundenr;Ordredato;Beløb\r\nK-1;2024-03-01;10\r\n';
    const decoded = decodeDelimited(new TextEncoder().encode(`\ufeff${text}`), 'log.csv');
    expect(decoded.body).toBe('\ufeffKundenr;Ordredato;Beløb\r\nK-1;2024-03-01;10\r\n');
    expect(decoded.decode(decoded.bodyBytes)).toBe(decoded.body);
    // papaparse drops one mark opening its text: of two after the `sep=` line, one stays in the header cell, as readDelimited read it before.
    const twice = decodeDelimited(new TextEncoder().encode(`\ufeffsep=;\r\n\ufeff${text.slice('sep=;\r\n'.length)}`), 'log.csv');
    expect(gridOfDelimited(twice).grid.rows[0]).toEqual(['\ufeffKundenr', 'Ordredato', 'Beløb']);
  });
});
