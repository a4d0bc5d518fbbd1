import type { CellValue } from './types';

/** Which character separates decimals in a column of numbers written as text. */
export type DecimalSeparator = '.' | ',';

const CURRENCY = /^(?:kr\.?|dkk|eur|€|usd|\$|sek|nok|£|gbp)\s*|\s*(?:kr\.?|dkk|eur|€|usd|\$|sek|nok|,-|\.-)$/giu;
const SPACES = /[\s\u00a0\u202f']/g;

/** Strips currency, spaces and signs down to digits and separators, noting sign and percent. */
function clean(text: string): { body: string; negative: boolean; percent: boolean } | null {
  let body = text.trim();
  if (!body) return null;
  let negative = false;
  if (/^\(.*\)$/.test(body)) { negative = true; body = body.slice(1, -1).trim(); }
  let percent = false;
  if (body.endsWith('%')) { percent = true; body = body.slice(0, -1).trim(); }
  body = body.replace(CURRENCY, '').replace(CURRENCY, '').trim();
  body = body.replace(/^[-\u2212]\s*/, () => { negative = !negative; return ''; });
  body = body.replace(/^\+/, '');
  if (body.endsWith('-')) { negative = !negative; body = body.slice(0, -1); }
  body = body.replace(CURRENCY, '').trim();
  if (body.endsWith('%')) { percent = true; body = body.slice(0, -1).trim(); }
  body = body.replace(SPACES, '');
  return /^[\d.,]*\d[\d.,]*$/.test(body) ? { body, negative, percent } : null;
}

/**
 * What one text says about the column's decimal separator: ',' or '.' when it settles it, null
 * when it could be either ("1.234" is a thousand in Danish and one point two in English).
 */
function decimalEvidence(body: string): DecimalSeparator | null {
  const lastDot = body.lastIndexOf('.');
  const lastComma = body.lastIndexOf(',');
  if (lastDot >= 0 && lastComma >= 0) return lastDot > lastComma ? '.' : ',';
  const separator = lastDot >= 0 ? '.' : lastComma >= 0 ? ',' : null;
  if (!separator) return null;
  const parts = body.split(separator);
  if (parts.length > 2) return separator === '.' ? ',' : '.';
  const decimals = parts[1];
  if (decimals.length !== 3 || parts[0] === '' || parts[0] === '0') return separator;
  return null;
}

/** Digits with at most one separator, and a minus: the usual shape, whose body clean() would only strip of the minus. */
const SIMPLE_NUMBER = /^-?\d+(?:[.,]\d+)?$/;

/** clean(text).body, without clean's passes for the usual shape. */
function numberBody(text: string): string | undefined {
  if (SIMPLE_NUMBER.test(text)) return text.charCodeAt(0) === 0x2d ? text.slice(1) : text;
  return clean(text)?.body;
}

/**
 * Whether parseNumber can read a present (not blank) cell as a number under some decimal
 * separator: false for a text that is no number whichever the separator ("Nord", "ja"), a
 * boolean, a Date and a non-finite number. Tells a column of words from one of numbers without
 * deciding its separator first.
 */
export function mayReadAsNumber(value: CellValue): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  return typeof value === 'string' && numberBody(value) !== undefined;
}

/**
 * Decides a column's decimal separator once, from all its texts, so that a column holding
 * "1.234,56" reads "1.234" as one thousand two hundred thirty-four. Without evidence, a lone
 * separator followed by three digits is read as a thousands separator, as both languages mean it.
 * @param weights how many times each value occurs (values[i] weights[i] times), for a column
 *   given as its distinct values: the same answer as passing every cell, for a fraction of the work
 */
export function detectDecimalSeparator(values: Iterable<CellValue>, weights?: ArrayLike<number>): DecimalSeparator | null {
  let comma = 0;
  let dot = 0;
  let index = 0;
  for (const value of values) {
    const weight = weights ? weights[index++] : 1;
    if (typeof value !== 'string') continue;
    const body = numberBody(value);
    if (body === undefined) continue;
    const evidence = decimalEvidence(body);
    if (evidence === ',') comma += weight;
    else if (evidence === '.') dot += weight;
  }
  if (comma === 0 && dot === 0) return null;
  return comma > dot ? ',' : '.';
}

/** Reads a number from a cell; NaN for blank, undefined when the text is not a number. */
export function parseNumber(value: CellValue, decimal: DecimalSeparator | null): number | undefined {
  if (value === null || value === undefined) return NaN;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'boolean') return undefined;
  if (value instanceof Date) return undefined;
  if (value.trim() === '') return NaN;
  const cleaned = clean(value);
  if (!cleaned) return undefined;
  let { body } = cleaned;
  const separator = decimal ?? decimalEvidence(body) ?? (body.includes(',') ? '.' : ',');
  const thousands = separator === ',' ? '.' : ',';
  if (body.split(separator).length > 2) return undefined;
  body = body.split(thousands).join('');
  if (separator === ',') body = body.replace(',', '.');
  if (!/^\d*\.?\d+$|^\d+\.$/.test(body)) return undefined;
  let result = Number(body);
  if (cleaned.percent) result /= 100;
  return cleaned.negative ? -result : result;
}

const EXCEL_EPOCH_UTC = Date.UTC(1899, 11, 30);
const DAY_MS = 86_400_000;

/** Excel's serial day number for a calendar date (the 1900 system, as Windows Excel uses). */
export function dateToSerial(year: number, month: number, day: number): number {
  return Math.round((Date.UTC(year, month - 1, day) - EXCEL_EPOCH_UTC) / DAY_MS);
}

export function jsDateToSerial(date: Date): number {
  return (date.getTime() - EXCEL_EPOCH_UTC) / DAY_MS;
}

export function serialToJsDate(serial: number): Date {
  return new Date(EXCEL_EPOCH_UTC + serial * DAY_MS);
}

function validDate(year: number, month: number, day: number): number | undefined {
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCMonth() !== month - 1) return undefined;
  return dateToSerial(year, month, day);
}

/**
 * A date written as the number yyyymmdd (19970101, as order logs such as CDNOW write them), as a
 * serial day; undefined for anything else. Unambiguous: Excel's serials end at 2,958,465
 * (9999-12-31), below every eight-digit number of this form.
 */
function compactDate(value: number): number | undefined {
  if (!Number.isInteger(value) || value < 19000101 || value > 99991231) return undefined;
  return validDate(Math.floor(value / 10000), Math.floor(value / 100) % 100, value % 100);
}

/**
 * Where the day stands in a date written with day and month both as numbers (01-03-2024): first,
 * as Danish and European sheets write it, or second, as an American export writes it (12/13/2010
 * 8:26, UCI Online Retail's original format). A column's order is decided once, from all its texts
 * (detectDateOrder), as its decimal separator is.
 */
export type DateOrder = 'dayFirst' | 'monthFirst';

/** d-m-yyyy or m/d/yyyy with -, . or /, and an optional time (8:26, 08:26:00, 8:26 PM), which a day does not need. */
const NUMERIC_DATE = /^(\d{1,2})[-./](\d{1,2})[-./](\d{4})(?:[T ]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[AaPp]\.?[Mm]\.?)?)?$/;

/** What a column's texts say about its date order (see detectDateOrder). */
export interface DateOrderEvidence {
  order: DateOrder;
  /** Texts (times their weight) that can only be day first (the first number above 12), and only month first. */
  dayFirst: number;
  monthFirst: number;
  /** Texts with day and month as numbers at all; when neither order has evidence, every one of them reads either way. */
  numeric: number;
}

/**
 * Decides a column's date order once, from all its texts: month first when more texts can only be
 * month first (12/13/2010) than only day first (13/12/2010); day first otherwise, which is also the
 * reading when no text tells (every day 12 or lower; the caller says so). A text against the
 * decided order is then not a date, and is reported by row and column.
 * @param weights how many times each value occurs, as detectDecimalSeparator takes them
 */
export function detectDateOrder(values: Iterable<CellValue>, weights?: ArrayLike<number>): DateOrderEvidence {
  let dayFirst = 0;
  let monthFirst = 0;
  let numeric = 0;
  let index = 0;
  for (const value of values) {
    const weight = weights ? weights[index++] : 1;
    if (typeof value !== 'string') continue;
    const match = NUMERIC_DATE.exec(value.trim());
    if (!match) continue;
    numeric += weight;
    const [first, second] = [Number(match[1]), Number(match[2])];
    if (first > 12 && second <= 12) dayFirst += weight;
    else if (second > 12 && first <= 12) monthFirst += weight;
  }
  return { order: monthFirst > dayFirst ? 'monthFirst' : 'dayFirst', dayFirst, monthFirst, numeric };
}

/**
 * Reads a date as an Excel serial; NaN for blank, undefined when unreadable. Text dates are ISO
 * (2024-03-01) or day and month as numbers in the column's order (01-03-2024, 1.3.2024,
 * 01/03/2024 day first, as Danish sheets write them; 3/1/2024 8:26 month first), a time of day
 * allowed and dropped; numbers are serials, or yyyymmdd (19970101) beyond the last serial.
 */
export function parseDate(value: CellValue, order: DateOrder = 'dayFirst'): number | undefined {
  if (value === null || value === undefined) return NaN;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : Math.floor(jsDateToSerial(value));
  if (typeof value === 'number') {
    if (Number.isFinite(value) && value > 0 && value < 2958466) return Math.floor(value);
    return compactDate(value);
  }
  if (typeof value === 'boolean') return undefined;
  const text = value.trim();
  if (!text) return NaN;
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+Z?)?$/.exec(text);
  if (iso) return validDate(+iso[1], +iso[2], +iso[3]);
  const numeric = NUMERIC_DATE.exec(text);
  if (numeric) return order === 'dayFirst' ? validDate(+numeric[3], +numeric[2], +numeric[1]) : validDate(+numeric[3], +numeric[1], +numeric[2]);
  if (/^\d+(?:[.,]\d+)?$/.test(text)) return parseDate(Number(text.replace(',', '.')));
  return undefined;
}

/**
 * Words for yes and no, lower case, as customer lists write them; the churn label's words too
 * (Churned/Left/Opsagt against Active/Aktiv), since the churned role is the one yes/no column.
 */
const TRUE_WORDS = new Set(['yes', 'y', 'ja', 'j', 'true', 'sand', '1', 'x', 'churn', 'churned', 'left', 'lost', 'cancelled', 'canceled', 'terminated',
  'opsagt', 'stoppet', 'ophørt', 'tabt', 'mistet', 'udmeldt']);
const FALSE_WORDS = new Set(['no', 'n', 'nej', 'false', 'falsk', '0', 'active', 'retained', 'stayed', 'current', 'aktiv', 'fortsat', 'nuværende']);

/** Reads yes/no as 1/0; NaN for blank, undefined when unreadable. */
export function parseBoolean(value: CellValue): number | undefined {
  if (value === null || value === undefined) return NaN;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return value === 1 ? 1 : value === 0 ? 0 : undefined;
  if (value instanceof Date) return undefined;
  // "1.0" as some exports write a flag.
  const word = value.trim().toLocaleLowerCase('da').replace(/^([01])\.0+$/, '$1');
  if (word === '') return NaN;
  if (TRUE_WORDS.has(word)) return 1;
  if (FALSE_WORDS.has(word)) return 0;
  return undefined;
}

/** Column letters as Excel shows them: 0 → A, 25 → Z, 26 → AA. */
/**
 * 0-based column of an A1 reference whose letters start at `start` ("F5" → 5, "XFD1" → 16383);
 * -1 when no letter is there (a '$' is skipped).
 */
export function columnOfReference(text: string, start: number): number {
  let i = text.charCodeAt(start) === 36 /* $ */ ? start + 1 : start;
  let column = 0;
  let letters = 0;
  for (;;) {
    const ch = text.charCodeAt(i);
    if (ch >= 65 && ch <= 90) column = column * 26 + (ch - 64);
    else if (ch >= 97 && ch <= 122) column = column * 26 + (ch - 96);
    else break;
    letters++;
    i++;
  }
  return letters === 0 ? -1 : column - 1;
}

/** 1-based row of an A1 reference whose letters start at `start` ("F5" → 5); -1 when absent. */
export function rowOfReference(text: string, start: number): number {
  let i = start;
  while (i < text.length && !(text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57)) i++;
  let row = 0;
  let digits = 0;
  for (; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch < 48 || ch > 57) break;
    row = row * 10 + (ch - 48);
    digits++;
  }
  return digits === 0 ? -1 : row;
}

export function columnLetter(index: number): string {
  let letters = '';
  let rest = index + 1;
  while (rest > 0) {
    const digit = (rest - 1) % 26;
    letters = String.fromCharCode(65 + digit) + letters;
    rest = Math.floor((rest - 1) / 26);
  }
  return letters;
}

export function cellText(value: CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value);
}
