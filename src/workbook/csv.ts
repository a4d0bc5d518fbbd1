import Papa from 'papaparse';
import { detectDecimalSeparator, parseNumber, type CellValue, type DecimalSeparator, type Localized } from '../engine';
import { SHEET_COLUMNS, SHEET_ROWS, type SheetGrid } from './grid';
import type { SpanDecoder } from './csv-scan';
import { createWorkbookPackage, excelSheetName, type NewCell } from './xlsx/new-package';

/** Excel's sheet limits: a CSV that becomes a workbook must fit in one sheet. */

export type Delimiter = ';' | ',' | '\t' | '|';
export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/**
 * The delimiters SegmentKit recognises, in the order that breaks a tie: ';' first, because a
 * Danish export uses it precisely because ',' is the decimal separator inside its numbers.
 */
const DELIMITERS: Delimiter[] = [';', '\t', ',', '|'];

/** How much of the text the delimiter is decided from, and from how many of its rows. */
const SAMPLE_CHARACTERS = 64 * 1024;
const SAMPLE_ROWS = 200;

/** A CSV or TSV file read into the one shape every reader fills. */
export interface DelimitedText {
  grid: SheetGrid;
  encoding: TextEncodingName;
  delimiter: Delimiter;
}

/** A file that cannot be read as CSV/TSV, with one sentence in English and Danish saying what to do. */
export class DelimitedTextError extends Error {
  constructor(readonly text: Localized) {
    super(text.en);
    this.name = 'DelimitedTextError';
  }
}

/**
 * Reads a CSV or TSV file into a SheetGrid (rows[r][c], 0-based; the sheet named after the file).
 *
 * Encoding: UTF-8 with or without BOM; UTF-16 LE/BE with BOM (or without, recognised by its zero
 * bytes); otherwise Windows-1252 when the bytes are not valid UTF-8, as Excel on Windows saves
 * "CSV (semicolon delimited)". Delimiter: a first line `sep=;` (Excel's hint) decides; a .tsv or
 * .tab file is tab-separated; otherwise the one of `;` `,` tab `|` that splits the header and the
 * rows into the same number of fields (see chooseDelimiter). Quoting is RFC 4180's, parsed by
 * papaparse; line ends may be CRLF, LF or CR.
 *
 * Values stay the text the file holds (the engine decides a column's decimal separator); an empty
 * field is null, a line without any field is a missing (blank) row, trailing blank rows and empty
 * trailing fields are dropped, and a row shorter than the others is simply shorter.
 *
 * @param bytes the file's bytes
 * @param fileName the file's name or path: names the sheet, tells .tsv, and appears in messages
 * @param options sheetRowLimit false reads past 1,048,576 rows: a transaction log that is
 *   summarised per customer, never written as a sheet (the CLI's log input)
 * @throws DelimitedTextError for a file that is not text (zip, old .xls, NUL bytes), a quote that
 *   is never closed, or more than 1,048,576 rows (unless sheetRowLimit is false) or 16,384 columns (Excel's sheet limits)
 */
export function readDelimited(bytes: Uint8Array, fileName: string, options: { sheetRowLimit?: boolean } = {}): DelimitedText {
  return gridOfDelimited(decodeDelimited(bytes, fileName), options);
}

/**
 * A CSV or TSV file with its encoding recognised and its delimiter decided, not yet split into rows
 * (see readDelimited). The text is decoded when first read: a log read by its bytes (csv-log.ts)
 * never needs it whole.
 */
export interface DecodedDelimited {
  /** The text after a `sep=` line, if any. */
  readonly body: string;
  /**
   * The same body as bytes in an encoding whose ASCII bytes stand only for ASCII characters
   * (UTF-8 or Windows-1252 as the file holds it; a UTF-16 file's text encoded as UTF-8), so a
   * delimiter, a quote or a line break is found byte by byte; `decode` turns any part into text.
   */
  readonly bodyBytes: Uint8Array;
  readonly decode: SpanDecoder;
  readonly encoding: TextEncodingName;
  readonly delimiter: Delimiter;
  /** The file's name without its folder, as messages name it. */
  readonly displayName: string;
  /** The sheet the file becomes: its name without the extension, as Excel allows it. */
  readonly sheetName: string;
}

/** Excel's `sep=;` first line, which names the delimiter. */
const SEP_LINE = /^sep=([;,\t|])\r?\n/i;

/**
 * Bytes decoded to find the `sep=` line and choose the delimiter: chooseDelimiter samples 64 Ki
 * UTF-16 units, and UTF-8 spends at most 3 bytes on one.
 */
const HEAD_BYTES = 4 * SAMPLE_CHARACTERS;

/**
 * The first half of readDelimited: the encoding recognised, a `sep=` line honoured, the delimiter
 * decided, from the bytes and the head of the text only.
 * @throws DelimitedTextError when the bytes are not text
 */
export function decodeDelimited(bytes: Uint8Array, fileName: string): DecodedDelimited {
  const displayName = baseName(fileName);
  const names = { displayName, sheetName: excelSheetName(stripExtension(displayName)) };
  const ascii = recogniseText(bytes, displayName);
  if (!ascii.asciiCompatible) {
    const text = ascii.decodeBody(ascii.content);
    const hinted = SEP_LINE.exec(text);
    const body = hinted ? text.slice(hinted[0].length) : text;
    const delimiter = (hinted?.[1] as Delimiter | undefined) ?? chooseDelimiter(body, fileName);
    return new DelimitedFile({ body }, ascii.encoding, delimiter, names);
  }
  const head = ascii.decodeBody(ascii.content.subarray(0, HEAD_BYTES));
  const hinted = SEP_LINE.exec(head);
  // The `sep=` line is ASCII: as many bytes as characters.
  const bodyBytes = hinted ? ascii.content.subarray(hinted[0].length) : ascii.content;
  const delimiter = (hinted?.[1] as Delimiter | undefined) ?? chooseDelimiter(hinted ? head.slice(hinted[0].length) : head, fileName);
  return new DelimitedFile({ bodyBytes, decodeBody: ascii.decodeBody, decode: ascii.decode }, ascii.encoding, delimiter, names);
}

/** DecodedDelimited from either side: the text (UTF-16) or the bytes (everything else), the other made when first asked for. */
class DelimitedFile implements DecodedDelimited {
  private text?: string;
  private bytes?: Uint8Array;
  readonly decode: SpanDecoder;

  constructor(
    private readonly from: { body: string } | { bodyBytes: Uint8Array; decodeBody: SpanDecoder; decode: SpanDecoder },
    readonly encoding: TextEncodingName,
    readonly delimiter: Delimiter,
    names: { displayName: string; sheetName: string },
  ) {
    this.displayName = names.displayName;
    this.sheetName = names.sheetName;
    this.decode = 'decode' in from ? from.decode : decodeUtf8Span;
  }

  readonly displayName: string;
  readonly sheetName: string;

  get body(): string {
    return (this.text ??= 'body' in this.from ? this.from.body : this.from.decodeBody(this.from.bodyBytes));
  }

  get bodyBytes(): Uint8Array {
    return (this.bytes ??= 'bodyBytes' in this.from ? this.from.bodyBytes : new TextEncoder().encode(this.from.body));
  }
}

/** The second half of readDelimited: every row of the decoded text as a SheetGrid. */
export function gridOfDelimited(decoded: DecodedDelimited, options: { sheetRowLimit?: boolean } = {}): DelimitedText {
  const rows = parseRows(decoded.body, decoded.delimiter, decoded.displayName, options.sheetRowLimit ?? true);
  const grid: SheetGrid = { name: decoded.sheetName, rows, merges: [], tables: [], aggregateFormulas: new Map() };
  return { grid, encoding: decoded.encoding, delimiter: decoded.delimiter };
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];

/** A field of a UTF-8 file: a byte-order mark inside the text is a character like any other. */
const utf8Fields = new TextDecoder('utf-8', { ignoreBOM: true });
const decodeUtf8Span: SpanDecoder = (bytes) => utf8Fields.decode(bytes);

/** A text file's encoding as its bytes tell it, the content after any byte-order mark, and how to decode it whole and in parts. */
interface RecognisedText {
  encoding: TextEncodingName;
  content: Uint8Array;
  decodeBody: SpanDecoder;
  decode: SpanDecoder;
  /**
   * The content's ASCII bytes stand only for ASCII characters (UTF-8, Windows-1252), so the byte
   * scanner can read it; false for UTF-16, and for a second UTF-8 mark right after the first, which
   * the decoder drops as it always has.
   */
  asciiCompatible: boolean;
}

/**
 * Recognises a text file's encoding (see readDelimited): UTF-8 after a byte-order mark (bytes that
 * are not UTF-8 become replacement characters, never Windows-1252); UTF-16 with a mark or by its
 * zero bytes; else UTF-8 when the bytes are valid UTF-8, Windows-1252 when not.
 * @throws DelimitedTextError when the bytes are not text (a zip, an old .xls, NUL bytes)
 */
function recogniseText(bytes: Uint8Array, displayName: string): RecognisedText {
  if (startsWith(bytes, UTF8_BOM)) {
    const content = bytes.subarray(3);
    // The mark is cut already: a U+FEFF further on (after a `sep=` line) is text, as in any field.
    if (!startsWith(content, UTF8_BOM)) return { encoding: 'utf-8', content, decodeBody: decodeUtf8Span, decode: decodeUtf8Span, asciiCompatible: true };
    const dropsSecondMark = new TextDecoder('utf-8');
    return { encoding: 'utf-8', content, decodeBody: (part) => dropsSecondMark.decode(part), decode: decodeUtf8Span, asciiCompatible: false };
  }
  if (startsWith(bytes, [0xff, 0xfe])) return utf16Text(bytes.subarray(2), 'utf-16le');
  if (startsWith(bytes, [0xfe, 0xff])) return utf16Text(bytes.subarray(2), 'utf-16be');
  refuseBinary(bytes, displayName);
  const unmarked = utf16WithoutBom(bytes);
  if (unmarked) return utf16Text(bytes, unmarked);
  const utf8 = utf8Validity(bytes);
  if (utf8 === 'nul') throw new DelimitedTextError(notText(displayName));
  if (utf8 === 'valid') return { encoding: 'utf-8', content: bytes, decodeBody: decodeUtf8Span, decode: decodeUtf8Span, asciiCompatible: true };
  return { encoding: 'windows-1252', content: bytes, decodeBody: decodeWindows1252, decode: decodeWindows1252, asciiCompatible: true };
}

function utf16Text(content: Uint8Array, encoding: 'utf-16le' | 'utf-16be'): RecognisedText {
  const decoder = new TextDecoder(encoding);
  const decode = (part: Uint8Array) => decoder.decode(part);
  return { encoding, content, decodeBody: decode, decode, asciiCompatible: false };
}

/**
 * Whether bytes are well-formed UTF-8 (The Unicode Standard, Table 3-7: no overlong forms, no
 * surrogates, nothing past U+10FFFF; what a fatal TextDecoder accepts), or hold a NUL byte, which
 * no text file does. Four ASCII bytes are passed at a time (a 48 MB log in 14 ms, where
 * TextDecoder takes 77 ms to make its string); a word with a byte outside ASCII or a zero byte is
 * looked at byte by byte.
 */
function utf8Validity(bytes: Uint8Array): 'valid' | 'invalid' | 'nul' {
  const length = bytes.length;
  // The words start at the first 4-byte boundary of the underlying buffer; bytes that end before it have none.
  const skew = (4 - (bytes.byteOffset & 3)) & 3;
  const words = length < skew ? new Uint32Array(0) : new Uint32Array(bytes.buffer, bytes.byteOffset + skew, (length - skew) >>> 2);
  let valid = true;
  let at = 0;
  while (at < length) {
    if (at >= skew && ((at - skew) & 3) === 0) {
      // On a word boundary: pass every clean word in one tight loop, the whole file's time.
      let word = (at - skew) >>> 2;
      while (word < words.length && isAsciiWithoutZero(words[word])) word++;
      at = skew + 4 * word;
      if (at >= length) break;
    }
    const byte = bytes[at];
    if (byte === 0) return 'nul';
    if (byte < 0x80 || !valid) {
      at++;
      continue;
    }
    const size = utf8SequenceSize(bytes, at);
    valid = size > 0;
    at += Math.max(1, size);
  }
  return valid ? 'valid' : 'invalid';
}

/** Whether four bytes are all in 1..0x7f: no high bit set, and no zero byte (the exact "has a zero byte" test, Bit Twiddling Hacks). */
function isAsciiWithoutZero(word: number): boolean {
  return ((word | ((word - 0x01010101) & ~word)) & 0x80808080) === 0;
}

/** The length of the well-formed UTF-8 sequence starting with the non-ASCII byte at `at`, 0 when there is none (Table 3-7). */
function utf8SequenceSize(bytes: Uint8Array, at: number): number {
  const lead = bytes[at];
  const continuation = (offset: number, low = 0x80, high = 0xbf) => at + offset < bytes.length && bytes[at + offset] >= low && bytes[at + offset] <= high;
  if (lead >= 0xc2 && lead <= 0xdf) return continuation(1) ? 2 : 0;
  if (lead >= 0xe0 && lead <= 0xef) {
    const low = lead === 0xe0 ? 0xa0 : 0x80;
    const high = lead === 0xed ? 0x9f : 0xbf;
    return continuation(1, low, high) && continuation(2) ? 3 : 0;
  }
  if (lead >= 0xf0 && lead <= 0xf4) {
    const low = lead === 0xf0 ? 0x90 : 0x80;
    const high = lead === 0xf4 ? 0x8f : 0xbf;
    return continuation(1, low, high) && continuation(2) && continuation(3) ? 4 : 0;
  }
  return 0;
}

/**
 * Decodes a text file's bytes, recognising its encoding (see readDelimited).
 * @throws DelimitedTextError when the bytes are not text
 */
export function decodeText(bytes: Uint8Array, displayName = 'The file'): { text: string; encoding: TextEncodingName } {
  const recognised = recogniseText(bytes, displayName);
  return { text: recognised.decodeBody(recognised.content), encoding: recognised.encoding };
}

/**
 * WHATWG's windows-1252 index for bytes 0x80–0x9F (€ ‚ ƒ „ … † ‡ ˆ ‰ Š ‹ Œ Ž ‘ ’ “ ” • – — ˜ ™ š › œ ž Ÿ;
 * the five bytes Windows leaves undefined map to themselves).
 */
const WINDOWS_1252_HIGH = '\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F'
  + '\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178';

/**
 * Windows-1252 as browsers decode it. Node 20's TextDecoder('windows-1252') decodes it as
 * Latin-1, turning € – “ ” ’ into invisible control characters (nodejs/node#56542); those code
 * points are mapped here, which leaves a correct decoder's output unchanged.
 */
function decodeWindows1252(bytes: Uint8Array): string {
  return new TextDecoder('windows-1252').decode(bytes).replace(/[\u0080-\u009f]/g, (char) => WINDOWS_1252_HIGH[char.charCodeAt(0) - 0x80]);
}

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.every((byte, index) => bytes[index] === byte);
}

/** Zip (an .xlsx, .ods, .docx) and OLE compound files (an old .xls, an encrypted workbook) by their signatures. */
function refuseBinary(bytes: Uint8Array, displayName: string): void {
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06])) {
    throw new DelimitedTextError({
      en: `${displayName} is a zip package (an .xlsx workbook, perhaps), not CSV text: if it is a workbook, give it the .xlsx extension; otherwise save the table from Excel as CSV.`,
      da: `${displayName} er en zip-pakke (måske en .xlsx-projektmappe), ikke CSV-tekst: er det en projektmappe, så giv den endelsen .xlsx; ellers gem tabellen fra Excel som CSV.`,
    });
  }
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) {
    throw new DelimitedTextError({
      en: `${displayName} is an old Excel .xls workbook or a password-protected workbook, not CSV text: open it in Excel and save it as .xlsx or CSV, without a password.`,
      da: `${displayName} er en gammel Excel .xls-projektmappe eller en adgangskodebeskyttet projektmappe, ikke CSV-tekst: åbn den i Excel, og gem den som .xlsx eller CSV uden adgangskode.`,
    });
  }
}

function notText(displayName: string): Localized {
  return {
    en: `${displayName} is not text (it holds binary data), so it cannot be read as CSV: save the table from Excel as CSV or .xlsx.`,
    da: `${displayName} er ikke tekst (den indeholder binære data), så den kan ikke læses som CSV: gem tabellen fra Excel som CSV eller .xlsx.`,
  };
}

/**
 * UTF-16 saved without a byte-order mark: in text of Latin letters every other byte is zero.
 * Decided from the first 4 KB; binary files have zeros at both positions and are refused later.
 */
function utf16WithoutBom(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const sample = bytes.subarray(0, 4096 - (Math.min(bytes.length, 4096) % 2));
  if (sample.length < 4) return null;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < sample.length; i += 2) {
    if (sample[i] === 0) evenZeros++;
    if (sample[i + 1] === 0) oddZeros++;
  }
  const pairs = sample.length / 2;
  if (oddZeros >= pairs * 0.9 && evenZeros === 0) return 'utf-16le';
  if (evenZeros >= pairs * 0.9 && oddZeros === 0) return 'utf-16be';
  return null;
}

/**
 * Decides the delimiter from the first rows (up to 200, within 64 KB): for each candidate,
 * papaparse splits the rows (quotes respected), and the most common field count is the table's
 * width. A candidate needs a width of at least 2; the winner is, in order, the one whose first
 * row (the header) has that width, then whose rows most often have it, then the widest, then the
 * earlier in `; tab , |`. So a Danish file with decimal commas in its numbers reads as `;`: its
 * header has no commas, so ',' never gives the header the rows' width.
 * Papaparse's own guess is not used: it looks at 10 rows and counts a trailing empty line against
 * every delimiter, so a three-line Danish file comes back as ','. A .tsv or .tab file is tab.
 * With no candidate, the file is one column and the delimiter returned is ','.
 */
export function chooseDelimiter(text: string, fileName = ''): Delimiter {
  if (/\.(tsv|tab)$/i.test(fileName)) return '\t';
  const sample = textSample(text);
  let best: { delimiter: Delimiter; score: number[] } | undefined;
  for (const delimiter of DELIMITERS) {
    const score = delimiterScore(sample, delimiter);
    if (score && (!best || isBetter(score, best.score))) best = { delimiter, score };
  }
  return best?.delimiter ?? ',';
}

function textSample(text: string): string {
  if (text.length <= SAMPLE_CHARACTERS) return text;
  const cut = text.lastIndexOf('\n', SAMPLE_CHARACTERS);
  return cut > 0 ? text.slice(0, cut) : text.slice(0, SAMPLE_CHARACTERS);
}

/** [header has the width, share of rows with the width, the width], or null when the width is under 2. */
function delimiterScore(sample: string, delimiter: Delimiter): number[] | null {
  const rows = Papa.parse<string[]>(sample, { delimiter, preview: SAMPLE_ROWS }).data
    .filter((row) => row.some((field) => field !== ''));
  if (rows.length === 0) return null;
  const frequency = new Map<number, number>();
  for (const row of rows) frequency.set(row.length, (frequency.get(row.length) ?? 0) + 1);
  let width = 0;
  let count = 0;
  for (const [fields, times] of frequency) {
    if (times > count || (times === count && fields > width)) [width, count] = [fields, times];
  }
  if (width < 2) return null;
  return [rows[0].length === width ? 1 : 0, count / rows.length, width];
}

function isBetter(score: number[], than: number[]): boolean {
  for (let i = 0; i < score.length; i++) {
    if (score[i] !== than[i]) return score[i] > than[i];
  }
  return false;
}

/** Parses every row with papaparse, row by row, refusing past Excel's sheet limits. */
function parseRows(text: string, delimiter: Delimiter, displayName: string, rowLimit: boolean): (CellValue[] | undefined)[] {
  const rows: (CellValue[] | undefined)[] = [];
  let lastFilled = -1;
  eachRecord(text, delimiter, displayName, { rowLimit }, (fields, width, index) => {
    const row: CellValue[] = new Array(width);
    for (let column = 0; column < width; column++) row[column] = fields[column] === '' ? null : fields[column];
    rows[index] = row;
    lastFilled = index;
  });
  rows.length = lastFilled + 1;
  return rows;
}

/**
 * Hands every record with a field to `visit` as papaparse splits it: its fields, its width
 * without trailing empty fields, and its 0-based index (the sheet row it would be; records
 * without a field count too, so indices stay sheet rows). `visit` returning false stops there,
 * as does `preview` records.
 * @returns how many records were read
 * @throws DelimitedTextError for a quote never closed, more than 16,384 fields, or (rowLimit)
 *   more than 1,048,576 records, naming the row
 */
export function eachRecord(
  text: string, delimiter: Delimiter, displayName: string, options: { rowLimit: boolean; preview?: number },
  visit: (fields: string[], width: number, index: number) => boolean | void,
): number {
  let rowIndex = 0;
  let failure: Localized | undefined;
  Papa.parse<string[]>(text, {
    delimiter,
    preview: options.preview ?? 0,
    step: (result, parser) => {
      const index = rowIndex++;
      if (result.errors.some((error) => error.code === 'MissingQuotes')) {
        failure = unclosedQuote(displayName, index + 1);
        return parser.abort();
      }
      const fields = result.data;
      let width = fields.length;
      while (width > 0 && fields[width - 1] === '') width--;
      if (width === 0) return;
      if (options.rowLimit && index >= SHEET_ROWS) failure = tooManyRows(displayName);
      else if (width > SHEET_COLUMNS) failure = tooManyColumns(displayName, index + 1);
      if (failure || visit(fields, width, index) === false) return parser.abort();
    },
  });
  if (failure) throw new DelimitedTextError(failure);
  return rowIndex;
}

function unclosedQuote(displayName: string, row: number): Localized {
  return {
    en: `${displayName}, row ${row}: a quoted field is never closed, so the rest of the file would read as one cell: check the quotes (") in that row.`,
    da: `${displayName}, række ${row}: et felt i anførselstegn lukkes aldrig, så resten af filen ville blive læst som én celle: tjek anførselstegnene (") i den række.`,
  };
}

export function tooManyRows(displayName: string): Localized {
  return {
    en: `${displayName} has more than 1,048,576 rows, more than an Excel sheet holds: split it into files of at most 1,048,576 rows, header included.`,
    da: `${displayName} har mere end 1.048.576 rækker, mere end et Excel-ark kan rumme: del den op i filer på højst 1.048.576 rækker, overskriften medregnet.`,
  };
}

function tooManyColumns(displayName: string, row: number): Localized {
  return {
    en: `${displayName}, row ${row}, has more than 16,384 columns, more than an Excel sheet holds: check that the file is a table, or remove columns.`,
    da: `${displayName}, række ${row}, har mere end 16.384 kolonner, mere end et Excel-ark kan rumme: tjek at filen er en tabel, eller fjern kolonner.`,
  };
}

function baseName(fileName: string): string {
  return fileName.split(/[\\/]/).pop() || fileName;
}

function stripExtension(name: string): string {
  return name.replace(/\.[^.]*$/, '') || name;
}

/**
 * The cells of a CSV as a person expects them in a workbook: a column whose values (below the
 * first non-blank row, the header) are all plain numbers becomes numbers, read with the column's
 * decimal separator exactly as the engine reads it (detectDecimalSeparator, parseNumber), so
 * "1.234,50" in a Danish column is 1234.5; every other column, and the header row, stays text.
 * Never a formula, a date or a boolean: "=SUM(A1)", "2024-03-01" and "TRUE" stay text, since
 * cellXml writes text as inline strings. A plain number is an optional minus, digits (grouped by
 * thousands or not) and decimals: so "00123" (an id), "+45 12 34 56 78" (a phone), "12 %",
 * "kr. 1.000" and numbers of more than 15 significant digits (an account number Excel would
 * round) keep a column as text, which the engine still reads.
 *
 * @returns dense rows for createWorkbookPackage (blank rows as [])
 */
export function workbookRowsFromGrid(grid: SheetGrid): NewCell[][] {
  const header = grid.rows.findIndex((row) => row !== undefined && row.some((value) => value !== null && value !== undefined && value !== ''));
  let width = 0;
  for (const row of grid.rows) if (row && row.length > width) width = row.length;
  const numberColumns = new Map<number, Float64Array>();
  for (let column = 0; column < width; column++) {
    const numbers = numberColumn(grid, column, header + 1);
    if (numbers) numberColumns.set(column, numbers);
  }
  const rows: NewCell[][] = new Array(grid.rows.length);
  for (let r = 0; r < grid.rows.length; r++) {
    const source = grid.rows[r] ?? [];
    const row: NewCell[] = new Array(source.length);
    for (let column = 0; column < source.length; column++) {
      const numbers = numberColumns.get(column);
      row[column] = numbers && r > header && !Number.isNaN(numbers[r]) ? numbers[r] : plainCell(source[column]);
    }
    rows[r] = row;
  }
  return rows;
}

function plainCell(value: CellValue): NewCell {
  if (value === undefined || value === '') return null;
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return value;
}

function* columnValues(grid: SheetGrid, column: number, fromRow: number): Generator<CellValue> {
  for (let r = fromRow; r < grid.rows.length; r++) yield grid.rows[r]?.[column];
}

function isEmpty(value: CellValue): value is null | undefined | '' {
  return value === null || value === undefined || value === '';
}

/**
 * The column's values as numbers by row (NaN where blank) when every value from `fromRow` down is
 * a plain number; undefined when the column is text or empty. A cheap look at the shapes first,
 * so a text column costs one pass that stops at its first text.
 */
function numberColumn(grid: SheetGrid, column: number, fromRow: number): Float64Array | undefined {
  let any = false;
  for (const value of columnValues(grid, column, fromRow)) {
    if (isEmpty(value)) continue;
    if (!looksPlain(value)) return undefined;
    any = true;
  }
  if (!any) return undefined;
  const separator = detectDecimalSeparator(columnValues(grid, column, fromRow));
  const numbers = new Float64Array(grid.rows.length).fill(NaN);
  for (let r = fromRow; r < grid.rows.length; r++) {
    const value = grid.rows[r]?.[column];
    if (isEmpty(value)) continue;
    const number = plainNumber(value as string, separator);
    if (number === undefined) return undefined;
    numbers[r] = number;
  }
  return numbers;
}

/** The shape of a plain number under either decimal separator (which one is decided for the column). */
export function looksPlain(value: CellValue): boolean {
  return typeof value === 'string' && (PLAIN_NUMBER[','].test(value) || PLAIN_NUMBER['.'].test(value));
}

/**
 * workbookRowsFromGrid's reading of one column, given as its distinct non-empty texts and how
 * often each occurs below the header: their numbers when every one is a plain number (the column
 * becomes numbers), undefined when the column stays text. Deciding on distinct texts gives the same
 * answer as deciding on every cell, since the decimal separator is decided from the weighted texts.
 */
export function plainNumbers(texts: readonly string[], counts: ArrayLike<number>): Float64Array | undefined {
  if (texts.length === 0 || !texts.every(looksPlain)) return undefined;
  const separator = detectDecimalSeparator(texts, counts);
  const numbers = new Float64Array(texts.length);
  for (let k = 0; k < texts.length; k++) {
    const number = plainNumber(texts[k], separator);
    if (number === undefined) return undefined;
    numbers[k] = number;
  }
  return numbers;
}

const PLAIN_NUMBER: Record<'.' | ',' | 'none', RegExp> = {
  ',': /^-?(?:0|[1-9]\d*|[1-9]\d{0,2}(?:\.\d{3})+)(?:,\d+)?$/,
  '.': /^-?(?:0|[1-9]\d*|[1-9]\d{0,2}(?:,\d{3})+)(?:\.\d+)?$/,
  // No decimal evidence in the column: whole numbers, grouped by either separator.
  none: /^-?(?:0|[1-9]\d*|[1-9]\d{0,2}(?:\.\d{3})+|[1-9]\d{0,2}(?:,\d{3})+)$/,
};

/** Excel keeps 15 significant digits; more would be rounded away. */
const MAX_SIGNIFICANT_DIGITS = 15;

/**
 * Plain numbers without thousands grouping, written with the column's decimal separator: the
 * usual shape ("2.55", "-6", "17850.0"), which JavaScript's Number reads as parseNumber does.
 */
const UNGROUPED_NUMBER: Record<'.' | ',' | 'none', RegExp> = {
  ',': /^-?(?:0|[1-9]\d*)(?:,\d+)?$/,
  '.': /^-?(?:0|[1-9]\d*)(?:\.\d+)?$/,
  none: /^-?(?:0|[1-9]\d*)$/,
};

/** The number the engine reads from a plain number text, or undefined for any other text. */
function plainNumber(text: string, separator: DecimalSeparator | null): number | undefined {
  // Up to 15 characters hold at most 15 digits: the ungrouped shape needs neither the digit count nor parseNumber.
  if (text.length <= MAX_SIGNIFICANT_DIGITS && UNGROUPED_NUMBER[separator ?? 'none'].test(text)) return Number(separator === ',' ? text.replace(',', '.') : text);
  if (!PLAIN_NUMBER[separator ?? 'none'].test(text)) return undefined;
  const significant = text.replace(/\D/g, '').replace(/^0+/, '');
  if (significant.length > MAX_SIGNIFICANT_DIGITS) return undefined;
  const value = parseNumber(text, separator);
  return value !== undefined && Number.isFinite(value) ? value : undefined;
}

/**
 * A CSV or TSV file as a new .xlsx package holding one sheet (named after the file), ready for
 * the package reader and SegmentKit's writer: readDelimited, then workbookRowsFromGrid, then
 * createWorkbookPackage.
 * @throws DelimitedTextError as readDelimited does
 */
export function delimitedToWorkbook(bytes: Uint8Array, fileName: string): { workbook: Uint8Array; sheetName: string; encoding: TextEncodingName; delimiter: Delimiter } {
  const { grid, encoding, delimiter } = readDelimited(bytes, fileName);
  return { workbook: createWorkbookPackage(grid.name, workbookRowsFromGrid(grid)), sheetName: grid.name, encoding, delimiter };
}
