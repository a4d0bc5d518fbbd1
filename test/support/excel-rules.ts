/**
 * Excel's rules for what a cell is given through the JavaScript API, for the in-memory Excel:
 * how `Range.values` converts a string, what makes a formula #REF! or #NAME?, and the syntax of
 * structured references. Sources are cited per rule.
 */

/** Excel's cell text limit: "Total number of characters that a cell can contain: 32,767". (Excel specifications and limits) */
export const CELL_TEXT_LIMIT = 32_767;
/** Excel's formula length limit: "Length of formula contents: 8,192 characters". (Excel specifications and limits) */
export const FORMULA_LENGTH_LIMIT = 8_192;

/** The error values a cell can hold; typed into a cell (or sent through `values`) they become errors. */
export const ERROR_VALUES = ['#NULL!', '#DIV/0!', '#VALUE!', '#REF!', '#NAME?', '#NUM!', '#N/A', '#GETTING_DATA', '#SPILL!', '#CALC!', '#FIELD!', '#BLOCKED!', '#CONNECT!', '#BUSY!', '#UNKNOWN!'];

/** What a string sent through `Range.values` becomes. */
export type Converted =
  | { kind: 'text'; text: string }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'error'; error: string }
  | { kind: 'formula'; formula: string };

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** Days from 1899-12-30 (Excel's 1900-system day 0, leap-year bug included for days after 1900-03-01). */
function serial(year: number, month: number, day: number): number | null {
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  const time = Date.UTC(year, month - 1, day);
  const check = new Date(time);
  if (check.getUTCMonth() !== month - 1) return null;
  return Math.round((time - Date.UTC(1899, 11, 30)) / 86_400_000);
}

function asNumber(text: string): number | null {
  // "1,234.5", "00123", "1E5", "12%", "(100)", "$100": Excel's en-US parse of a typed number.
  const match = /^([-+])?\(?\$?((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|\.\d+)(?:e([-+]?\d+))?\)?(%)?$/i.exec(text);
  if (!match) return null;
  if (text.includes('(') !== text.includes(')')) return null;
  let value = Number(match[2].replace(/,/g, '')) * 10 ** Number(match[3] ?? 0);
  if (match[4]) value /= 100;
  if (match[1] === '-' || text.startsWith('(')) value = -value;
  return Number.isFinite(value) ? value : null;
}

function asDate(text: string): number | null {
  let match = /^(\d{4})[-/](\d{1,2})(?:[-/](\d{1,2}))?$/.exec(text);
  if (match) return serial(Number(match[1]), Number(match[2]), Number(match[3] ?? 1));
  match = /^(\d{1,2})[-/](\d{1,2})(?:[-/](\d{2,4}))?$/.exec(text);
  if (match) {
    const year = match[3] ? (match[3].length === 2 ? 2000 + Number(match[3]) : Number(match[3])) : new Date().getUTCFullYear();
    return serial(year, Number(match[1]), Number(match[2]));
  }
  match = /^([a-z]{3})[a-z]*\.?[-\s/](\d{2,4})$/i.exec(text);
  if (match && MONTHS.includes(match[1].toLowerCase())) {
    const year = match[2].length === 2 ? 2000 + Number(match[2]) : Number(match[2]);
    return serial(year, MONTHS.indexOf(match[1].toLowerCase()) + 1, 1);
  }
  match = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(text);
  if (match) return (Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3] ?? 0)) / 86_400;
  return null;
}

/**
 * What Excel makes of a string given through `Range.values`. "If the returned value starts with a
 * plus ("+"), minus ("-"), or equal sign ("="), Excel interprets this value as a formula" (Excel
 * JavaScript API, Range.values); number-, date-, time-, boolean- and error-like text is parsed as
 * typed; a leading apostrophe keeps the rest as text (and is not part of the value).
 */
export function convertInput(input: string): Converted {
  if (input.startsWith("'")) return { kind: 'text', text: input.slice(1) };
  const trimmed = input.trim();
  if (trimmed === '') return { kind: 'text', text: input };
  const number = asNumber(trimmed);
  if (number !== null) return { kind: 'number', value: number };
  if (/^[=+\-@]/.test(input) && input.length > 1) return { kind: 'formula', formula: input.startsWith('=') ? input : `=${input}` };
  if (/^(true|false)$/i.test(trimmed)) return { kind: 'boolean', value: trimmed.toLowerCase() === 'true' };
  const error = ERROR_VALUES.find((candidate) => candidate === trimmed.toUpperCase());
  if (error) return { kind: 'error', error };
  const date = asDate(trimmed);
  if (date !== null) return { kind: 'number', value: date };
  return { kind: 'text', text: input };
}

/** Excel's built-in functions SegmentKit's formulas may use (a formula naming any other is #NAME? unless an add-in defines it). */
export const BUILT_IN_FUNCTIONS = new Set([
  'ABS', 'AGGREGATE', 'AND', 'AVERAGE', 'AVERAGEIF', 'AVERAGEIFS', 'CHOOSE', 'CONCAT', 'CONCATENATE', 'COUNT', 'COUNTA', 'COUNTBLANK', 'COUNTIF', 'COUNTIFS',
  'DATE', 'DATEDIF', 'DAY', 'DAYS', 'EDATE', 'EOMONTH', 'EXP', 'IF', 'IFERROR', 'IFNA', 'IFS', 'INDEX', 'INT', 'ISBLANK', 'ISERROR', 'ISNUMBER', 'ISTEXT',
  'LARGE', 'LEFT', 'LEN', 'LN', 'LOG', 'MATCH', 'MAX', 'MEDIAN', 'MID', 'MIN', 'MOD', 'MONTH', 'NOT', 'NOW', 'OR', 'PERCENTILE.EXC', 'PERCENTILE.INC',
  'PERCENTRANK.INC', 'POWER', 'QUARTILE.INC', 'RANK.EQ', 'RIGHT', 'ROUND', 'ROUNDDOWN', 'ROUNDUP', 'SIGN', 'SMALL', 'SQRT', 'SUBTOTAL', 'SUM', 'SUMIF',
  'SUMIFS', 'SUMPRODUCT', 'TEXT', 'TEXTJOIN', 'TODAY', 'VALUE', 'VLOOKUP', 'XLOOKUP', 'YEAR',
]);

/**
 * Characters that make Excel require a structured reference's column specifier to be in its own
 * brackets (`Tabel[[Oms. (kr.)]]`), and the four that must be escaped with an apostrophe inside it:
 * "Using structured references with Excel tables", section "Use escape characters and special
 * characters in column headers" (support.microsoft.com).
 */
const NEEDS_INNER_BRACKETS = /[\t\n\r ,:.[\]#'"{}$^&*+=\-></]/;
const MUST_ESCAPE = /['#[\]]/;

/** A column specifier as it stands between brackets: its header, or null when the escaping is broken. */
function unescapeColumn(raw: string): string | null {
  let header = '';
  for (let i = 0; i < raw.length; i++) {
    const char = raw[i];
    if (char === "'") {
      if (i + 1 >= raw.length || !MUST_ESCAPE.test(raw[i + 1])) return null;
      header += raw[++i];
    } else if (MUST_ESCAPE.test(char)) {
      return null;
    } else {
      header += char;
    }
  }
  return header;
}

/** One structured reference found in a formula: table name and the column headers it names. */
export interface StructuredReference {
  table: string;
  columns: string[];
}

/**
 * Reads the bracketed part after a table name starting at `open` (the '['). Returns the columns
 * named and where it ends, or an error sentence. Special items (#This Row, #Headers, …) and '@'
 * name no column.
 */
function readStructured(formula: string, open: number): { columns: string[]; end: number } | { error: string } {
  // Find the matching bracket, honouring apostrophe escapes.
  let depth = 0;
  let end = -1;
  for (let i = open; i < formula.length; i++) {
    const char = formula[i];
    if (char === "'") { i++; continue; }
    if (char === '[') depth++;
    else if (char === ']' && --depth === 0) { end = i; break; }
  }
  if (end < 0) return { error: 'unbalanced brackets' };
  const inner = formula.slice(open + 1, end);
  if (!inner.includes('[')) {
    // The single-bracket form: only a header without special characters may stand like this.
    if (inner.startsWith('#') || inner === '') return { columns: [], end };
    const plain = inner.startsWith('@') ? inner.slice(1) : inner;
    if (NEEDS_INNER_BRACKETS.test(plain)) return { error: `the column "${plain}" has special characters and needs its own brackets (Table[[${plain}]])` };
    return { columns: [plain], end };
  }
  const columns: string[] = [];
  const parts = /\[((?:[^'\]]|'.)*)\]/g;
  for (const part of inner.matchAll(parts)) {
    const raw = part[1];
    if (raw.startsWith('#')) continue;
    const header = unescapeColumn(raw);
    if (header === null) return { error: `the column specifier [${raw}] is not escaped as Excel requires (' before ' # [ ])` };
    columns.push(header);
  }
  const outside = inner.replace(parts, '').replace(/[\s,:@]/g, '');
  if (outside !== '') return { error: `"${inner}" is not a structured reference` };
  return { columns, end };
}

/** Parts of a formula, with string literals and quoted sheet names taken out. */
export interface FormulaParts {
  /** Sheet names the formula refers to (`'Summary'!$D$14`, `Kunder!A1`). */
  sheets: string[];
  functions: string[];
  /** Identifiers that are neither functions, cells nor sheets: defined names (or table names without brackets). */
  names: string[];
  structured: StructuredReference[];
  /** The first syntax error, if any. */
  error?: string;
}

const CELL = /^\$?[A-Z]{1,3}\$?\d+$/i;

/** Takes a formula ('=…') apart well enough to check what it refers to. */
export function formulaParts(formula: string): FormulaParts {
  const parts: FormulaParts = { sheets: [], functions: [], names: [], structured: [] };
  let text = formula.replace(/"(?:[^"]|"")*"/g, '""');
  text = text.replace(/'((?:[^']|'')+)'!/g, (_, name: string) => {
    parts.sheets.push(name.replace(/''/g, "'"));
    return 'SHEET!';
  });
  let rest = '';
  const identifier = /[A-Za-z_\\][A-Za-z0-9_.\\]*/y;
  for (let i = 0; i < text.length; i++) {
    identifier.lastIndex = i;
    const match = identifier.exec(text);
    if (!match || (i > 0 && /[A-Za-z0-9_.$]/.test(text[i - 1]))) { rest += text[i]; continue; }
    const word = match[0];
    const after = text[i + word.length];
    if (after === '[') {
      const read = readStructured(text, i + word.length);
      if ('error' in read) { parts.error ??= read.error; i += word.length - 1; continue; }
      parts.structured.push({ table: word, columns: read.columns });
      i = read.end;
      rest += ' ';
      continue;
    }
    if (after === '!') { if (word !== 'SHEET') parts.sheets.push(word); }
    else if (after === '(') parts.functions.push(word.toUpperCase());
    else if (!CELL.test(word) && !/^(TRUE|FALSE)$/i.test(word) && !/^[A-Z]{1,3}$/i.test(word) && !/^E\d*$/i.test(word)) parts.names.push(word);
    rest += ' ';
    i += word.length - 1;
  }
  if (/\[|\]/.test(rest)) parts.error ??= 'a bracket outside a structured reference';
  return parts;
}

/** Replaces every reference to `sheet` in a formula with #REF!, as Excel does when the sheet goes. */
export function breakSheetReferences(formula: string, sheet: string): string {
  const quoted = `'${sheet.replace(/'/g, "''")}'`;
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const reference = '\\$?[A-Z]{1,3}\\$?\\d+(?::\\$?[A-Z]{1,3}\\$?\\d+)?';
  return formula
    .replace(new RegExp(`${escape(quoted)}!${reference}`, 'gi'), '#REF!')
    .replace(new RegExp(`(^|[^A-Za-z0-9_.'])${escape(sheet)}!${reference}`, 'gi'), '$1#REF!');
}

/** UTF-8 bytes of a text: what a request or response weighs on the wire (æ, ø, å are two). */
export function utf8Length(text: string): number {
  // Encoded for real, not counted the way the adapter counts: the fake must not share its mistakes.
  return encoder.encode(text).length;
}

const encoder = new TextEncoder();
