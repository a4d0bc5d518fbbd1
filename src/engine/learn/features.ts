import { formatAmount, formatNumber, type ModelSettings } from '../model';
import { cellText, detectDecimalSeparator, mayReadAsNumber, parseBoolean, parseDate, parseNumber } from '../parse';
import { ROLES, type RoleId } from '../roles';
import { quantile } from '../stats';
import { isBlankRow, type CustomerTable } from '../table';
import type { CellValue, Language, Localized } from '../types';
import { findHeader, type JoinedColumns } from './join';
import type { FeatureMatrix } from './matrix';

/*
 * The feature layer the churn, clusters and twins models share: which columns of a customer table
 * (and of a table joined to it) can describe a customer, what kind each is, and the standardised
 * matrix the learners work on, with what was imputed and transformed said per feature.
 *
 * Decisions, in the order a column meets them (analyseColumn):
 * 1. Left out by role: the column the caller excludes (the churn label), the mapped customer ID,
 *    name and account manager (who serves a customer, not what it needs; unless the column holds
 *    numbers, which no name does), and a column whose header says CVR or phone number
 *    (identifiers written as numbers).
 * 2. A column whose only value is "x" beside blanks is a yes/no marker: x = 1, blank = 0.
 * 3. Left out when more than half of the customer rows are blank (MOSTLY_BLANK_SHARE), or when
 *    every value is the same (constant).
 * 4. A date column (a date role, or every value a date) becomes the age in days on `asOf`.
 * 5. A code column by its header (postcode/Postnummer, Branche/DB07/NACE industry code) is a
 *    category, never an amount: up to CATEGORY_LEVEL_LIMIT codes as they are; more are grouped
 *    where the grouping means something: a 4-digit (Danish) postcode by its first digit (the
 *    region: 1–2 Copenhagen, 3 North Zealand, …, 9 North Jutland), an industry code by its first
 *    two digits (the DB07/NACE main group), and past the limit by Statistics Denmark's
 *    10-grouping of industries; otherwise left out as too many levels.
 * 6. Yes/no columns (yes/no, ja/nej, 1/0, TRUE/FALSE, sand/falsk) become 0/1.
 * 7. Numbers (text numbers read with the column's decimal separator, as the table reads them):
 *    kept when at least NUMBER_READ_SHARE of the values read, the rest counted as missing; a
 *    column of whole numbers nearly all distinct under an id-like header ("Ordre nr", "AccountId")
 *    is an identifier.
 * 8. Text: free text when values run to three words or more on average and mostly differ (at least
 *    half of them distinct, or more than the level limit). Else a category with at most
 *    CATEGORY_LEVEL_LIMIT levels is one-hot encoded, one 0/1
 *    feature per level (every level, none dropped: regularised regression does not need a
 *    reference level, and k-means and twin distances then treat levels alike). More levels: an
 *    identifier when nearly every value differs (IDENTIFIER_DISTINCT_SHARE), else too many levels.
 *
 * Missing values are imputed, never silently zero, and flagged: numbers and ages by the median of
 * the fitted rows, yes/no by their mode (a tie gives 0), and a category by no level at all (every
 * one-hot feature 0: the mode would claim a level the customer is not known to have); a source
 * with any missing customer row gets an extra 0/1 feature "<header> missing". Then every feature
 * is standardised: z = (x − mean) / sd, the mean and population standard deviation taken over the
 * fitted rows; a feature constant on them keeps sd 0 and is centred only (scikit-learn's
 * StandardScaler does the same).
 */

/** Most levels a category may have and still be one-hot encoded. */
export const CATEGORY_LEVEL_LIMIT = 12;
/** A column with more than this share of its customer rows blank is left out. */
export const MOSTLY_BLANK_SHARE = 0.5;
/** A text column with at least this share of distinct values (and more than the level limit) is an identifier. */
export const IDENTIFIER_DISTINCT_SHARE = 0.95;
/** A column is a number column when at least this share of its values read as numbers. */
export const NUMBER_READ_SHARE = 0.95;
/**
 * Skew setting `auto` log-transforms (log1p) a column of amounts ≥ 0 whose skewness (the
 * Fisher–Pearson moment coefficient g1 over the fitted rows) exceeds this: 1, the usual line for
 * "highly skewed" (Bulmer, Principles of Statistics, 1979).
 */
export const SKEWNESS_THRESHOLD = 1;

/** What a usable column becomes: a number, an age in days, 0/1, or one-hot levels. */
export type ColumnKind = 'number' | 'date' | 'boolean' | 'category';

/** How a code column's values were grouped into levels. */
export type Grouping = 'none' | 'postcodeRegion' | 'industryDivision' | 'industryGroup10';

export type LeftOutReason =
  | 'excluded' | 'notChosen' | 'identifier' | 'name' | 'owner' | 'freeText' | 'tooManyLevels' | 'constant' | 'mostlyBlank';

export type SkewSetting = 'auto' | 'log' | 'none';

/** One column of the table or of the joined table, and what the feature layer makes of it. */
export interface CandidateColumn {
  header: string;
  origin: 'table' | 'joined';
  /** Its index in table.headers, or in joined.headers. */
  column: number;
  usable: boolean;
  /** What it becomes when usable. */
  kind?: ColumnKind;
  /** Why it is left out, when not usable. */
  reason?: LeftOutReason;
  /** For a usable column what it becomes ("category, 3 levels"), else why it is left out, in both languages. */
  why: Localized;
  /** A category's levels (grouped codes as their group), most frequent first. */
  levels?: string[];
  grouping: Grouping;
  /** Customer rows blank, or holding a value that did not read as the column's kind. */
  missing: number;
  /** Of those, values that were there but did not read (text in a number column). */
  unreadable: number;
}

export interface CandidateOptions {
  /** Headers left out whatever they hold (the churn label, a twins reference flag). */
  exclude?: readonly string[];
  /** Columns joined on a key; table.joined when left out. */
  joined?: JoinedColumns;
  /**
   * 1 for the rows the model describes (churn: customers, not prospects; twins: the reference group
   * and the candidates); every data row when left out. Kinds, levels, constant and mostly-blank
   * columns and missing counts are decided on these rows alone; blank lines never count.
   */
  rows?: Uint8Array;
}

/** A column as analysed: the candidate and, when usable, its values per data row. */
export interface AnalysedColumn {
  candidate: CandidateColumn;
  /** Numbers, date serials (made ages later) or 0/1; NaN = missing. */
  values?: Float64Array;
  /** Categories: the level per row, -1 = missing. */
  codes?: Int32Array;
}

/**
 * Every column of the table, then every joined column, with its kind or the reason it is left
 * out (see the decisions above). Kinds and levels are decided on the customer rows (blank lines
 * inside the table are not customers).
 * @throws Error when the table's cells were released (releaseCells): read features before
 */
export function candidateFeatures(table: CustomerTable, options: CandidateOptions = {}): CandidateColumn[] {
  return analyseFeatures(table, options).candidates;
}

/**
 * A table's columns analysed once: each column's kind or reason, levels and values read per data
 * row, the step of buildFeatures that reads cells. fitFeatures makes feature sets from it (with
 * other chosen columns, skew or fitted rows) without reading a cell again.
 */
export interface FeatureAnalysis {
  table: CustomerTable;
  /** The joined columns analysed (options.joined, else table.joined). */
  joined?: JoinedColumns;
  /** length table.rowCount: 1 for a data row the model describes (options.rows) that is not a blank line. */
  customers: Uint8Array;
  /** Every table column, then every joined column (table.headers.length + j), as analysed. */
  columns: AnalysedColumn[];
  /** columns' candidates, in the same order (what candidateFeatures returns). */
  candidates: CandidateColumn[];
}

/**
 * Analyses every column of the table and of the joined table once (the decisions at the top of
 * this file), for fitFeatures and candidate lists alike.
 * @throws Error when options.rows has not table.rowCount entries, or the table's cells were released
 */
export function analyseFeatures(table: CustomerTable, options: CandidateOptions = {}): FeatureAnalysis {
  const joined = options.joined ?? table.joined;
  const customers = customerRows(table, options.rows);
  const columns = analyseColumns(table, joined, customers, options.exclude);
  return { table, ...(joined ? { joined } : {}), customers, columns, candidates: columns.map((column) => column.candidate) };
}

function analyseColumns(table: CustomerTable, joined: JoinedColumns | undefined, customers: Uint8Array, exclude: readonly string[] | undefined): AnalysedColumn[] {
  const excluded = new Set<string>();
  const allHeaders = [...table.headers, ...(joined?.headers ?? [])];
  for (const header of exclude ?? []) {
    const index = findHeader(allHeaders, header);
    if (index >= 0) excluded.add(`${index}`);
  }
  const result: AnalysedColumn[] = [];
  table.headers.forEach((header, column) => {
    const role = roleOfColumn(table, column);
    const cell = (row: number) => table.cells[row]?.[column];
    result.push(analyseColumn(header, 'table', column, cell, customers, { role, excluded: excluded.has(`${column}`) }));
  });
  joined?.headers.forEach((header, column) => {
    const cells = joined.columns[column];
    const cell = (row: number) => cells[row];
    result.push(analyseColumn(header, 'joined', column, cell, customers, { excluded: excluded.has(`${table.headers.length + column}`) }));
  });
  return result;
}

/** 1 for each data row that is a customer (not a blank line inside the table) among `chosen` (all rows when left out). */
function customerRows(table: CustomerTable, chosen?: Uint8Array): Uint8Array {
  if (chosen && chosen.length !== table.rowCount) throw new Error(`rows has ${chosen.length} entries for ${table.rowCount} rows.`);
  const rows = new Uint8Array(table.rowCount);
  for (let i = 0; i < table.rowCount; i++) rows[i] = isBlankRow(table, i) || (chosen && !chosen[i]) ? 0 : 1;
  return rows;
}

function roleOfColumn(table: CustomerTable, column: number): RoleId | undefined {
  return ROLES.find((role) => table.mapping[role.id] === column)?.id;
}

/** Values that stand for "no value" in exported data: read as blank, never as a level. */
const MISSING_MARKERS = new Set(['na', 'n/a', '#n/a', 'null', '-', '–', '—']);

/** Whether a cell holds no value: empty, spaces, NaN, or a missing marker (NA, n/a, #N/A, null, -). */
export function isBlank(value: CellValue): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === 'number') return Number.isNaN(value);
  if (typeof value !== 'string') return false;
  const text = value.trim();
  return text === '' || MISSING_MARKERS.has(text.toLowerCase());
}

/** A code column by its header: postcode and industry codes are categories; CVR and phone numbers identifiers. */
type CodeHeader = 'postcode' | 'industry' | 'identifier';

const CODE_HEADERS: [CodeHeader, RegExp][] = [
  ['identifier', /^(cvr|cvrnr|cvrnummer|vat|vatnumber|phone|phonenumber|telephone|telefon|telefonnummer|tlf|tlfnr|mobil|mobile)$/],
  ['postcode', /^(postnummer|postnr|postcode|postalcode|zip|zipcode)$/],
  ['industry', /^(branche|branchekode|db07|db07kode|nace|nacekode|nacecode|industrycode)$/],
];

function codeHeader(header: string): CodeHeader | undefined {
  const normalized = header.toLocaleLowerCase('da').replace(/[^\p{L}\p{N}]+/gu, '');
  return CODE_HEADERS.find(([, pattern]) => pattern.test(normalized))?.[0];
}

/** Headers that name a row's number rather than a quantity: "Ordre nr", "AccountId", "Customer number". */
const ID_LIKE_HEADER = /(?:ID|Id|(?:^|[\s_.-])id|nr\.?|nummer|number|(?:^|[\s_.-])no\.?)$/;

interface ColumnContext {
  role?: RoleId;
  excluded: boolean;
}

function leftOut(header: string, origin: 'table' | 'joined', column: number, reason: LeftOutReason, why: Localized, missing = 0): AnalysedColumn {
  return { candidate: { header, origin, column, usable: false, reason, why, grouping: 'none', missing, unreadable: 0 } };
}

/** Decides one column's kind, or why it is left out, and reads its values (the numbered decisions at the top). */
function analyseColumn(
  header: string, origin: 'table' | 'joined', column: number, cell: (row: number) => CellValue, customers: Uint8Array, context: ColumnContext,
): AnalysedColumn {
  const out = (reason: LeftOutReason, why: Localized, missing = 0) => leftOut(header, origin, column, reason, why, missing);
  if (context.excluded) return out('excluded', REASONS.excluded);
  if (context.role === 'id') return out('identifier', REASONS.idRole);
  // A name or owner role on a column of numbers is a header match gone wrong (MLC's
  // "number_customer_service_calls" holds "customer"): the values decide, as for any column.
  const namesPeople = (context.role === 'name' || context.role === 'owner') && !readsAsNumbers(cell, customers);
  if (namesPeople && context.role === 'name') return out('name', REASONS.name);
  if (namesPeople) return out('owner', REASONS.owner);
  const code = codeHeader(header);
  if (code === 'identifier') return out('identifier', REASONS.identifierCode);

  const rows = customers.length;
  const { customerCount, blanks, markers, onlyText } = tallyColumn(cell, customers);
  const present = customerCount - blanks;
  if (present > 0 && markers === present && blanks > 0) return markerColumn(header, origin, column, cell, rows);
  if (present === 0 || blanks > MOSTLY_BLANK_SHARE * customerCount) return out('mostlyBlank', REASONS.mostlyBlank(blanks, customerCount), blanks);
  if (onlyText !== undefined) return out('constant', REASONS.constant(onlyText), blanks);
  // Counting the distinct texts is left to the columns that need it (text, codes, identifiers): a number column of a million rows would hold a million keys.
  let counted: Map<string, number> | undefined;
  const counts = () => (counted ??= textCounts(cell, customers));

  const usable = (kind: ColumnKind, why: Localized, read: { values?: Float64Array; codes?: Int32Array; levels?: string[]; grouping?: Grouping }) => {
    const missing = countMissing(read, customers);
    const candidate: CandidateColumn = {
      header, origin, column, usable: true, kind, why, grouping: read.grouping ?? 'none', missing, unreadable: missing - blanks,
      ...(read.levels ? { levels: read.levels } : {}),
    };
    return { candidate, ...(read.values ? { values: read.values } : {}), ...(read.codes ? { codes: read.codes } : {}) };
  };

  const roleKind = context.role ? ROLES.find((role) => role.id === context.role)!.kind : undefined;
  if (roleKind === 'date' || isDateColumn(cell, customers)) return usable('date', KINDS.date, { values: readColumn(cell, rows, parseDate) });
  if (code === 'postcode' || code === 'industry') {
    const coded = codeColumn(code, cell, customers);
    if (coded === 'tooMany') return out('tooManyLevels', REASONS.tooManyCodes(counts().size), blanks);
    if (coded) return usable('category', KINDS.code(code, coded.grouping, coded.levels.length), coded);
  }
  if (everyPresentReadsAsBoolean(cell, customers)) return usable('boolean', KINDS.boolean, { values: readColumn(cell, rows, parseBoolean) });

  if (!tooFewCanBeNumbers(cell, customers, present)) {
    const decimal = detectDecimalSeparator(presentValues(cell, customers));
    const numbers = readColumn(cell, rows, (value) => parseNumber(value, decimal));
    const read = countRead(numbers, customers);
    if (read >= NUMBER_READ_SHARE * present) {
      if (ID_LIKE_HEADER.test(header) && wholeAndDistinct(numbers, customers, read)) return out('identifier', REASONS.identifier(counts().size, present), blanks);
      return usable('number', KINDS.number, { values: numbers });
    }
  }
  return textColumn(counts(), present, blanks, out, (levels) => usable('category', KINDS.category(levels.length), { ...categoryCodes(cell, rows, levels), levels }));
}

/**
 * A column's customer rows, blank ones, "x" markers, and the text every present value has when
 * they all have the same one (cellText, trimmed; absent when they differ or none is present).
 */
function tallyColumn(cell: (row: number) => CellValue, customers: Uint8Array): { customerCount: number; blanks: number; markers: number; onlyText?: string } {
  let customerCount = 0;
  let blanks = 0;
  let markers = 0;
  let first: CellValue | undefined;
  let same = true;
  for (let i = 0; i < customers.length; i++) {
    if (!customers[i]) continue;
    customerCount++;
    const value = cell(i);
    if (isBlank(value)) { blanks++; continue; }
    // Only a text can be an "x" (cellText of a number, date or boolean never is).
    if (typeof value === 'string') {
      const text = value.trim();
      if (text === 'x' || text === 'X') markers++;
    }
    if (first === undefined) first = value;
    else if (same && !sameText(first, value)) same = false;
  }
  const onlyText = same && first !== undefined ? cellText(first).trim() : undefined;
  return { customerCount, blanks, markers, ...(onlyText === undefined ? {} : { onlyText }) };
}

const DAY_MS = 86_400_000;

/**
 * Whether two present cells have the same text (cellText, trimmed), without making the texts where
 * the kinds allow: two numbers have the same text exactly when they are equal, two valid dates
 * when they fall on the same UTC day (cellText writes a Date as its ISO day).
 */
function sameText(a: CellValue, b: CellValue): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  if (a instanceof Date && b instanceof Date && Number.isFinite(a.getTime()) && Number.isFinite(b.getTime())) {
    return Math.floor(a.getTime() / DAY_MS) === Math.floor(b.getTime() / DAY_MS);
  }
  return cellText(a).trim() === cellText(b).trim();
}

/** How often each present value's text (cellText, trimmed) occurs on the customer rows, in the order first met. */
function textCounts(cell: (row: number) => CellValue, customers: Uint8Array): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i < customers.length; i++) {
    if (!customers[i]) continue;
    const value = cell(i);
    if (isBlank(value)) continue;
    const text = cellText(value).trim();
    counts.set(text, (counts.get(text) ?? 0) + 1);
  }
  return counts;
}

/** Text: one-hot when few levels; else an identifier, free text or too many levels. */
function textColumn(
  counts: Map<string, number>, present: number, blanks: number,
  out: (reason: LeftOutReason, why: Localized, missing?: number) => AnalysedColumn, category: (levels: string[]) => AnalysedColumn,
): AnalysedColumn {
  let words = 0;
  for (const [text, count] of counts) words += text.split(/\s+/).length * count;
  // Sentences that mostly differ: a note column, even in a table too small to pass the level limit.
  const freeText = words / present >= 3 && (counts.size > CATEGORY_LEVEL_LIMIT || counts.size >= 0.5 * present);
  if (freeText) return out('freeText', REASONS.freeText, blanks);
  if (counts.size <= CATEGORY_LEVEL_LIMIT) return category(levelsByCount(counts));
  if (counts.size >= IDENTIFIER_DISTINCT_SHARE * present) return out('identifier', REASONS.identifier(counts.size, present), blanks);
  return out('tooManyLevels', REASONS.tooManyLevels(counts.size), blanks);
}

/** Levels most frequent first; ties in the order they first appear (a Map keeps it). */
function levelsByCount(counts: Map<string, number>): string[] {
  const order = [...counts.keys()];
  return order.map((text, index) => ({ text, index, count: counts.get(text)! }))
    .sort((a, b) => b.count - a.count || a.index - b.index).map((level) => level.text);
}

function categoryCodes(cell: (row: number) => CellValue, rows: number, levels: string[], levelOf: (text: string) => string = (text) => text): { codes: Int32Array } {
  const index = new Map(levels.map((level, k) => [level, k]));
  const codes = new Int32Array(rows).fill(-1);
  for (let i = 0; i < rows; i++) {
    const value = cell(i);
    if (isBlank(value)) continue;
    codes[i] = index.get(levelOf(cellText(value).trim())) ?? -1;
  }
  return { codes };
}

/** A column of "x" beside blanks: marked = 1, blank = 0, nothing missing. */
function markerColumn(header: string, origin: 'table' | 'joined', column: number, cell: (row: number) => CellValue, rows: number): AnalysedColumn {
  const values = new Float64Array(rows);
  for (let i = 0; i < rows; i++) values[i] = isBlank(cell(i)) ? 0 : 1;
  return { candidate: { header, origin, column, usable: true, kind: 'boolean', why: KINDS.marker, grouping: 'none', missing: 0, unreadable: 0 }, values };
}

function readColumn(cell: (row: number) => CellValue, rows: number, parse: (value: CellValue) => number | undefined): Float64Array {
  const values = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const value = cell(i);
    values[i] = isBlank(value) ? NaN : parse(value) ?? NaN;
  }
  return values;
}

function* presentValues(cell: (row: number) => CellValue, customers: Uint8Array): Iterable<CellValue> {
  for (let i = 0; i < customers.length; i++) if (customers[i] && !isBlank(cell(i))) yield cell(i);
}

/** Whether at least NUMBER_READ_SHARE of a column's present values read as numbers. */
function readsAsNumbers(cell: (row: number) => CellValue, customers: Uint8Array): boolean {
  let present = 0;
  for (let i = 0; i < customers.length; i++) if (customers[i] && !isBlank(cell(i))) present++;
  if (present === 0 || tooFewCanBeNumbers(cell, customers, present)) return false;
  const decimal = detectDecimalSeparator(presentValues(cell, customers));
  let read = 0;
  for (const value of presentValues(cell, customers)) if (parseNumber(value, decimal) !== undefined) read++;
  return read >= NUMBER_READ_SHARE * present;
}

/**
 * Whether so many of the `present` values can be no number whatever the decimal separator
 * (mayReadAsNumber) that fewer than NUMBER_READ_SHARE of them can read; stops as soon as that is
 * certain, so a column of words costs a few rows, not a separator decided and every row parsed.
 */
function tooFewCanBeNumbers(cell: (row: number) => CellValue, customers: Uint8Array, present: number): boolean {
  let never = 0;
  for (let i = 0; i < customers.length; i++) {
    if (!customers[i]) continue;
    const value = cell(i);
    if (isBlank(value) || mayReadAsNumber(value)) continue;
    never++;
    if (present - never < NUMBER_READ_SHARE * present) return true;
  }
  return false;
}

/** Whether every present customer value reads as yes/no (parseBoolean); stops at the first that does not. */
function everyPresentReadsAsBoolean(cell: (row: number) => CellValue, customers: Uint8Array): boolean {
  for (let i = 0; i < customers.length; i++) {
    if (!customers[i]) continue;
    const value = cell(i);
    if (isBlank(value)) continue;
    const read = parseBoolean(value);
    if (read === undefined || Number.isNaN(read)) return false;
  }
  return true;
}

function countRead(values: Float64Array, customers: Uint8Array): number {
  let read = 0;
  for (let i = 0; i < values.length; i++) if (customers[i] && !Number.isNaN(values[i])) read++;
  return read;
}

function countMissing(read: { values?: Float64Array; codes?: Int32Array }, customers: Uint8Array): number {
  let missing = 0;
  for (let i = 0; i < customers.length; i++) {
    if (!customers[i]) continue;
    if (read.values ? Number.isNaN(read.values[i]) : read.codes![i] < 0) missing++;
  }
  return missing;
}

function wholeAndDistinct(values: Float64Array, customers: Uint8Array, read: number): boolean {
  const seen = new Set<number>();
  for (let i = 0; i < values.length; i++) {
    if (!customers[i] || Number.isNaN(values[i])) continue;
    if (!Number.isInteger(values[i])) return false;
    seen.add(values[i]);
  }
  return seen.size >= IDENTIFIER_DISTINCT_SHARE * read;
}

/** Every present value a date: a Date cell, or a text date (2024-03-01, 01-03-2024) that is not a plain number. */
function isDateColumn(cell: (row: number) => CellValue, customers: Uint8Array): boolean {
  let any = false;
  for (const value of presentValues(cell, customers)) {
    if (value instanceof Date) { any = true; continue; }
    if (typeof value !== 'string' || /^\s*[\d.,]+\s*$/.test(value) || parseDate(value) === undefined) return false;
    any = true;
  }
  return any;
}

/** Statistics Denmark's 10-grouping of industries (DB07 10-gruppering) by the first two digits (NACE division). */
const INDUSTRY_GROUPS_10: { from: number; to: number; group: number }[] = [
  { from: 1, to: 3, group: 1 }, { from: 5, to: 39, group: 2 }, { from: 41, to: 43, group: 3 }, { from: 45, to: 56, group: 4 },
  { from: 58, to: 63, group: 5 }, { from: 64, to: 66, group: 6 }, { from: 68, to: 68, group: 7 }, { from: 69, to: 82, group: 8 },
  { from: 84, to: 88, group: 9 }, { from: 90, to: 99, group: 10 },
];

const INDUSTRY_GROUP_NAMES: Record<number, Localized> = {
  1: { en: 'Agriculture, forestry and fishing', da: 'Landbrug, skovbrug og fiskeri' },
  2: { en: 'Manufacturing, mining and utilities', da: 'Industri, råstofindvinding og forsyning' },
  3: { en: 'Construction', da: 'Bygge og anlæg' },
  4: { en: 'Trade and transport', da: 'Handel og transport' },
  5: { en: 'Information and communication', da: 'Information og kommunikation' },
  6: { en: 'Financial and insurance', da: 'Finansiering og forsikring' },
  7: { en: 'Real estate', da: 'Ejendomshandel og udlejning' },
  8: { en: 'Business services', da: 'Erhvervsservice' },
  9: { en: 'Public administration, education and health', da: 'Offentlig administration, undervisning og sundhed' },
  10: { en: 'Arts, entertainment and other services', da: 'Kultur, fritid og anden service' },
  11: { en: 'Unknown activity', da: 'Uoplyst aktivitet' },
};

function industryGroup(division: string): string {
  const number = Number(division);
  return String(INDUSTRY_GROUPS_10.find(({ from, to }) => number >= from && number <= to)?.group ?? 11);
}

/** A code's digits, padded to an even length where a leading zero was lost (011100 stored as 11100). */
function codeDigits(text: string): string | undefined {
  const digits = text.replace(/[\s.-]/g, '');
  if (!/^\d+$/.test(digits)) return undefined;
  return digits.length % 2 === 1 && digits.length > 2 ? `0${digits}` : digits;
}

/**
 * A postcode or industry code column as levels: the codes themselves when few, else grouped (see
 * the decisions at the top). undefined when the values are not codes (a Branche column of
 * industry names is an ordinary text column); 'tooMany' when no grouping fits.
 */
function codeColumn(
  code: 'postcode' | 'industry', cell: (row: number) => CellValue, customers: Uint8Array,
): { codes: Int32Array; levels: string[]; grouping: Grouping } | 'tooMany' | undefined {
  const digits: string[] = [];
  for (const value of presentValues(cell, customers)) {
    const read = codeDigits(cellText(value).trim());
    if (read === undefined) return undefined;
    digits.push(read);
  }
  const groupings: [Grouping, (text: string) => string][] = code === 'postcode'
    ? [['none', (text) => text], ...(digits.every((text) => text.length === 4) ? [['postcodeRegion', (text: string) => `${text[0]}xxx`] as [Grouping, (text: string) => string]] : [])]
    : [['none', (text) => text], ['industryDivision', (text) => text.slice(0, 2)], ['industryGroup10', (text) => industryGroup(text.slice(0, 2))]];
  for (const [grouping, group] of groupings) {
    const counts = new Map<string, number>();
    for (const text of digits) counts.set(group(text), (counts.get(group(text)) ?? 0) + 1);
    if (counts.size > CATEGORY_LEVEL_LIMIT) continue;
    const levels = levelsByCount(counts);
    const levelOf = (text: string) => group(codeDigits(text) ?? text);
    return { ...categoryCodes(cell, customers.length, levels, levelOf), levels, grouping };
  }
  return 'tooMany';
}

const REASONS = {
  excluded: { en: 'the model\'s label or reference column', da: 'modellens mærke- eller referencekolonne' },
  notChosen: { en: 'not among the chosen features', da: 'ikke blandt de valgte kendetegn' },
  idRole: { en: 'the customer ID: an identifier, not a trait', da: 'kundenummeret: en identifikator, ikke en egenskab' },
  identifierCode: { en: 'a CVR or phone number: an identifier, not a trait', da: 'et CVR- eller telefonnummer: en identifikator, ikke en egenskab' },
  name: { en: 'the customer\'s name', da: 'kundens navn' },
  owner: { en: 'the account manager: who serves the customer, not what the customer needs', da: 'kundeansvarlig: hvem der betjener kunden, ikke hvad kunden har brug for' },
  freeText: { en: 'free text', da: 'fritekst' },
  identifier: (distinct: number, present: number): Localized => ({
    en: `an identifier: ${distinct} different values in ${present} rows`, da: `en identifikator: ${distinct} forskellige værdier i ${present} rækker`,
  }),
  tooManyLevels: (levels: number): Localized => ({
    en: `${levels} categories, more than ${CATEGORY_LEVEL_LIMIT}`, da: `${levels} kategorier, flere end ${CATEGORY_LEVEL_LIMIT}`,
  }),
  tooManyCodes: (levels: number): Localized => ({
    en: `a code with ${levels} values and no grouping to ${CATEGORY_LEVEL_LIMIT} or fewer`, da: `en kode med ${levels} værdier og ingen gruppering til højst ${CATEGORY_LEVEL_LIMIT}`,
  }),
  constant: (value: string): Localized => ({ en: `the same value in every row: ${value}`, da: `samme værdi i alle rækker: ${value}` }),
  mostlyBlank: (blanks: number, rows: number): Localized => ({ en: `${blanks} of ${rows} rows blank`, da: `${blanks} af ${rows} rækker tomme` }),
};

const KINDS = {
  number: { en: 'number', da: 'tal' },
  date: { en: 'date, as age in days', da: 'dato, som alder i dage' },
  boolean: { en: 'yes/no as 1/0', da: 'ja/nej som 1/0' },
  marker: { en: 'marked with x as 1, blank as 0', da: 'markeret med x som 1, tom som 0' },
  category: (levels: number): Localized => ({ en: `category, ${levels} levels, one-hot`, da: `kategori, ${levels} niveauer, one-hot` }),
  code: (code: 'postcode' | 'industry', grouping: Grouping, levels: number): Localized => {
    const what = code === 'postcode' ? { en: 'postcode', da: 'postnummer' } : { en: 'industry code', da: 'branchekode' };
    const how: Record<Grouping, Localized> = {
      none: { en: '', da: '' },
      postcodeRegion: { en: ' grouped by first digit (region)', da: ' grupperet efter første ciffer (landsdel)' },
      industryDivision: { en: ' grouped by main group (first two digits)', da: ' grupperet efter hovedgruppe (de to første cifre)' },
      industryGroup10: { en: ' grouped by Statistics Denmark\'s 10 industry groups', da: ' grupperet efter Danmarks Statistiks 10-gruppering' },
    };
    return { en: `${what.en}${how[grouping].en} as a category, ${levels} levels, one-hot`, da: `${what.da}${how[grouping].da} som kategori, ${levels} niveauer, one-hot` };
  },
};

/** A column a feature set read: its raw values, so a driver or profile can say the customer's own value. */
export interface SourceColumn {
  header: string;
  origin: 'table' | 'joined';
  column: number;
  kind: ColumnKind;
  grouping: Grouping;
  /** Numbers as read, ages in days (on FeatureSet.asOf), or 0/1, untransformed; NaN = missing. Not for categories. */
  values?: Float64Array;
  /** Categories: the level per data row (index into levels), -1 = missing. */
  codes?: Int32Array;
  levels?: string[];
  /** Missing customer rows (imputed). */
  missing: number;
  transform: 'log' | 'none';
  /** Skewness g1 over the fitted rows, for numbers (what `auto` decided on). */
  skewness?: number;
}

/** One column of the matrix. */
export interface Feature {
  /** label.en: "Contract: Month-to-month", "tenure", "TotalCharges missing". */
  name: string;
  label: Localized;
  /** The header of the column it comes from. */
  source: string;
  /** Index into FeatureSet.sources. */
  sourceIndex: number;
  /** The source's kind, or 'missing' for the 0/1 flag of its missing values. */
  kind: ColumnKind | 'missing';
  /** A one-hot feature's level (a grouped code's group). */
  level?: string;
  transform: 'log' | 'none';
  /** Mean and population standard deviation over the fitted rows, after imputing and transforming: z = (x − mean) / sd (sd 0: x − mean). */
  mean: number;
  sd: number;
  /** Customer rows whose value was imputed. */
  imputed: number;
  /** The raw value put in for a missing number, age or yes/no (before the log); absent for categories and flags. */
  imputedValue?: number;
}

/** A column left out, and why in both languages. */
export interface LeftOutColumn {
  header: string;
  origin: 'table' | 'joined';
  reason: LeftOutReason;
  why: Localized;
}

export interface FeatureSet {
  /** rows = table.rowCount (blank lines inside the table included, imputed: learners skip them), columns = features.length. */
  matrix: FeatureMatrix;
  features: Feature[];
  sources: SourceColumn[];
  leftOut: LeftOutColumn[];
  /** The day ages are counted to (Excel serial); undefined when no date column is used. */
  asOf?: number;
  skew: SkewSetting;
  /** What was transformed and imputed, for the Summary sheet and the pane. */
  notes: Localized[];
}

export interface BuildFeaturesOptions {
  /** Headers chosen by the user (table or joined); every usable column when left out. */
  columns?: readonly string[];
  /** 'auto' (default): log1p where amounts ≥ 0 have skewness > SKEWNESS_THRESHOLD; 'log': every amount column ≥ 0; 'none'. */
  skew?: SkewSetting;
  /** Day ages are counted to (Excel serial); default table.observedUntil + 1, else the day after the latest date in the used date columns. */
  asOf?: number;
  /** Columns joined on a key; table.joined when left out. */
  joined?: JoinedColumns;
  /** Headers always left out (the churn label). */
  exclude?: readonly string[];
  /** 1 for rows the medians, skewness, means and sds are computed on (a training fold); every customer row when left out. */
  fitRows?: Uint8Array;
  /** The rows the model describes (see CandidateOptions.rows); the matrix still has one row per data row. */
  rows?: Uint8Array;
}

/** A chosen feature header that is neither a table column nor a joined one. */
export class UnknownFeatureError extends Error {
  readonly text: Localized;
  /** The first header not found (of `headers`). */
  readonly header: string;

  /** @param headers every chosen header that names no column, so the user can correct them at once */
  constructor(readonly headers: readonly string[], readonly known: string[]) {
    const list = known.filter(Boolean).map((candidate) => `"${candidate}"`).join(', ');
    const missing = headers.map((header) => `"${header}"`).join(', ');
    const text = headers.length === 1
      ? { en: `There is no column ${missing} to use as a feature. Columns: ${list}.`, da: `Der er ingen kolonne ${missing} at bruge som kendetegn. Kolonner: ${list}.` }
      : { en: `There are no columns ${missing} to use as features. Columns: ${list}.`, da: `Der er ingen kolonner ${missing} at bruge som kendetegn. Kolonner: ${list}.` };
    super(text.en);
    this.name = 'UnknownFeatureError';
    this.header = headers[0];
    this.text = text;
  }
}

/**
 * Where each chosen header stands in `all` (findHeader), in the headers' order.
 * @throws UnknownFeatureError naming every header that stands nowhere
 */
export function featureColumns(all: readonly string[], headers: readonly string[]): number[] {
  const indexes = headers.map((header) => findHeader(all, header));
  const missing = headers.filter((_, k) => indexes[k] < 0);
  if (missing.length > 0) throw new UnknownFeatureError(missing, [...all]);
  return indexes;
}

/**
 * The standardised feature matrix of a table (and its joined columns): one row per data row,
 * one column per feature (a number, an age, a 0/1, a one-hot level, a missing flag), with each
 * feature's mean, sd, transform and imputation, the raw values per source column, and the columns
 * left out with why (see the decisions at the top of this file). analyseFeatures then fitFeatures,
 * in one step.
 * @throws UnknownFeatureError when a chosen header names no column
 */
export function buildFeatures(table: CustomerTable, options: BuildFeaturesOptions = {}): FeatureSet {
  const analysis = analyseFeatures(table, { exclude: options.exclude, joined: options.joined, rows: options.rows });
  return fitFeatures(analysis, options);
}

/** What fitFeatures takes: buildFeatures' options that do not change how a column is analysed. */
export type FitFeaturesOptions = Pick<BuildFeaturesOptions, 'columns' | 'skew' | 'asOf' | 'fitRows'>;

/**
 * The feature set (as buildFeatures makes it) of an analysed table: the chosen columns' features,
 * imputed, transformed and standardised over options.fitRows (every customer row when left out).
 * The matrix is filled once, a feature at a time; the analysis is read, never changed, so one
 * analysis serves any number of fits.
 * @throws UnknownFeatureError when a chosen header names no column
 * @throws Error when fitRows has not table.rowCount entries
 */
export function fitFeatures(analysis: FeatureAnalysis, options: FitFeaturesOptions = {}): FeatureSet {
  const { table, columns: analysed, customers } = analysis;
  const chosen = chosenColumns(analysed, table, analysis.joined, options.columns);
  const fit = fitMask(customers, options.fitRows);
  const skew = options.skew ?? 'auto';
  const used = analysed.filter((column, index) => column.candidate.usable && chosen.has(index));
  const asOf = used.some((column) => column.candidate.kind === 'date') ? options.asOf ?? defaultAsOf(table, used) : undefined;

  const leftOut: LeftOutColumn[] = analysed.flatMap(({ candidate }, index) => {
    if (!candidate.usable) return [{ header: candidate.header, origin: candidate.origin, reason: candidate.reason!, why: candidate.why }];
    return chosen.has(index) ? [] : [{ header: candidate.header, origin: candidate.origin, reason: 'notChosen' as const, why: REASONS.notChosen }];
  });
  const sources: SourceColumn[] = [];
  const features: Feature[] = [];
  const fills: FeatureFill[] = [];
  for (const column of used) {
    const source = sourceOf(column, asOf, skew, fit, customers);
    const sourceIndex = sources.push(source) - 1;
    for (const made of featuresOf(source, sourceIndex, fit, customers)) {
      features.push(made.feature);
      fills.push(made.fill);
    }
  }
  const matrix = standardise(fills, features, fit, table.rowCount);
  return { matrix, features, sources, leftOut, ...(asOf === undefined ? {} : { asOf }), skew, notes: featureNotes(sources, features) };
}

/**
 * Per data row, how many of the sources a fit of these chosen `columns` (every usable column when
 * left out) has hold a value as read (before imputing); `sources` is how many sources that fit has.
 * @returns filled: length table.rowCount
 * @throws UnknownFeatureError when a chosen header names no column
 */
export function filledSources(analysis: FeatureAnalysis, columns?: readonly string[]): { sources: number; filled: Int32Array } {
  const chosen = chosenColumns(analysis.columns, analysis.table, analysis.joined, columns);
  const used = analysis.columns.filter((column, index) => column.candidate.usable && chosen.has(index));
  const filled = new Int32Array(analysis.table.rowCount);
  for (const { codes, values } of used) {
    for (let i = 0; i < filled.length; i++) if (codes ? codes[i] >= 0 : !Number.isNaN(values![i])) filled[i]++;
  }
  return { sources: used.length, filled };
}

/** Indexes (into the analysed columns) of the columns chosen: the user's headers, or all. */
function chosenColumns(analysed: AnalysedColumn[], table: CustomerTable, joined: JoinedColumns | undefined, headers: readonly string[] | undefined): Set<number> {
  if (!headers) return new Set(analysed.map((_, index) => index));
  const all = [...table.headers, ...(joined?.headers ?? [])];
  return new Set(featureColumns(all, headers));
}

function fitMask(customers: Uint8Array, fitRows: Uint8Array | undefined): Uint8Array {
  if (fitRows && fitRows.length !== customers.length) throw new Error(`fitRows has ${fitRows.length} entries for ${customers.length} rows.`);
  const fit = new Uint8Array(customers.length);
  for (let i = 0; i < customers.length; i++) fit[i] = customers[i] && (fitRows ? fitRows[i] : 1) ? 1 : 0;
  return fit;
}

/** The day after the last day the data covers (an order log's end), else the day after the latest date in the used date columns. */
function defaultAsOf(table: CustomerTable, used: AnalysedColumn[]): number {
  if (table.observedUntil !== undefined) return table.observedUntil + 1;
  let latest = -Infinity;
  for (const column of used) {
    if (column.candidate.kind !== 'date') continue;
    const values = column.values!;
    for (let i = 0; i < values.length; i++) if (values[i] > latest) latest = values[i];
  }
  return latest + 1;
}

/** A used column's raw values (dates made ages) and its transform. */
function sourceOf(column: AnalysedColumn, asOf: number | undefined, skew: SkewSetting, fit: Uint8Array, customers: Uint8Array): SourceColumn {
  const { candidate } = column;
  const base = { header: candidate.header, origin: candidate.origin, column: candidate.column, kind: candidate.kind!, grouping: candidate.grouping, missing: candidate.missing };
  if (candidate.kind === 'category') return { ...base, codes: column.codes!, levels: candidate.levels!, transform: 'none' };
  const values = candidate.kind === 'date' ? column.values!.map((serial) => asOf! - serial) : column.values!;
  if (candidate.kind !== 'number') return { ...base, values, transform: 'none' };
  const skewness = sampleSkewness(values, fit);
  const nonNegative = minimum(values, customers) >= 0;
  const log = nonNegative && (skew === 'log' || (skew === 'auto' && skewness > SKEWNESS_THRESHOLD));
  return { ...base, values, transform: log ? 'log' : 'none', skewness };
}

/** The Fisher–Pearson coefficient g1 = m3 / m2^1.5 (population moments) over the fitted rows' values; 0 for a constant. */
export function sampleSkewness(values: Float64Array, rows: Uint8Array): number {
  let count = 0;
  let sum = 0;
  for (let i = 0; i < values.length; i++) if (rows[i] && !Number.isNaN(values[i])) { count++; sum += values[i]; }
  if (count === 0) return 0;
  const mean = sum / count;
  let m2 = 0;
  let m3 = 0;
  for (let i = 0; i < values.length; i++) {
    if (!rows[i] || Number.isNaN(values[i])) continue;
    const d = values[i] - mean;
    m2 += d * d;
    m3 += d * d * d;
  }
  m2 /= count;
  m3 /= count;
  return m2 === 0 ? 0 : m3 / m2 ** 1.5;
}

function minimum(values: Float64Array, rows: Uint8Array): number {
  let min = Infinity;
  for (let i = 0; i < values.length; i++) if (rows[i] && values[i] < min) min = values[i];
  return min;
}

/** The median of the fitted rows' present values (stats' quantile at ½: the mean of the middle two for an even count); NaN when there are none. */
function maskedMedian(values: Float64Array, rows: Uint8Array): number {
  let count = 0;
  for (let i = 0; i < values.length; i++) if (rows[i] && !Number.isNaN(values[i])) count++;
  if (count === 0) return NaN;
  // A typed array of exactly the present values: no growing list of a million boxed numbers.
  const present = new Float64Array(count);
  let k = 0;
  for (let i = 0; i < values.length; i++) if (rows[i] && !Number.isNaN(values[i])) present[k++] = values[i];
  return quantile(present, 0.5);
}

/** The more frequent of 0 and 1 among the fitted rows; a tie gives 0. */
function mode01(values: Float64Array, rows: Uint8Array): number {
  let ones = 0;
  let zeros = 0;
  for (let i = 0; i < values.length; i++) {
    if (!rows[i]) continue;
    if (values[i] === 1) ones++;
    else if (values[i] === 0) zeros++;
  }
  return ones > zeros ? 1 : 0;
}

/** Writes one feature's values before standardising (one per data row) into `into`, of length table.rowCount. */
type FeatureFill = (into: Float64Array) => void;

/** A source's features before standardising: the value (imputed, transformed) or one 0/1 per level, then its missing flag. */
function featuresOf(source: SourceColumn, sourceIndex: number, fit: Uint8Array, customers: Uint8Array): { feature: Feature; fill: FeatureFill }[] {
  const rows = customers.length;
  const made: { feature: Feature; fill: FeatureFill }[] = [];
  const base = { source: source.header, sourceIndex, mean: 0, sd: 0 };
  if (source.kind === 'category') {
    const codes = source.codes!;
    source.levels!.forEach((level, k) => {
      const label = levelFeatureLabel(source, level);
      const fill = (into: Float64Array) => { for (let i = 0; i < rows; i++) into[i] = codes[i] === k ? 1 : 0; };
      made.push({ feature: { ...base, name: label.en, label, kind: 'category', level, transform: 'none', imputed: source.missing }, fill });
    });
  } else {
    const raw = source.values!;
    // Numbers, ages and 0/1 from the fitted rows alone, so a held-out fold never informs its own imputation.
    const fitted = source.kind === 'boolean' ? mode01(raw, fit) : maskedMedian(raw, fit);
    const imputedValue = Number.isNaN(fitted) ? (source.kind === 'boolean' ? mode01(raw, customers) : maskedMedian(raw, customers)) : fitted;
    const log = source.transform === 'log';
    const fill = (into: Float64Array) => {
      for (let i = 0; i < rows; i++) {
        const value = Number.isNaN(raw[i]) ? imputedValue : raw[i];
        into[i] = log ? Math.log1p(value) : value;
      }
    };
    const label = { en: source.header, da: source.header };
    made.push({
      feature: { ...base, name: source.header, label, kind: source.kind, transform: source.transform, imputed: source.missing, ...(source.missing > 0 ? { imputedValue } : {}) },
      fill,
    });
  }
  if (source.missing > 0) {
    const label = missingLabel(source.header);
    made.push({ feature: { ...base, name: label.en, label, kind: 'missing', transform: 'none', imputed: 0 }, fill: (into) => fillMissingFlags(source, into) });
  }
  return made;
}

/** 1 where the source has no value (NaN, or no level), else 0. */
function fillMissingFlags(source: SourceColumn, into: Float64Array): void {
  const { codes, values } = source;
  if (codes) for (let i = 0; i < into.length; i++) into[i] = codes[i] < 0 ? 1 : 0;
  else for (let i = 0; i < into.length; i++) into[i] = Number.isNaN(values![i]) ? 1 : 0;
}

function missingLabel(header: string): Localized {
  return { en: `${header} missing`, da: `${header} mangler` };
}

/** "Contract: Month-to-month"; a grouped code says its group ("Branche: main group 47", "Postnummer: 2xxx"). */
function levelFeatureLabel(source: SourceColumn, level: string): Localized {
  const text = levelText(source, level);
  return { en: `${source.header}: ${text.en}`, da: `${source.header}: ${text.da}` };
}

function levelText(source: SourceColumn, level: string): Localized {
  if (source.grouping === 'industryDivision') return { en: `main group ${level}`, da: `hovedgruppe ${level}` };
  if (source.grouping === 'industryGroup10') return INDUSTRY_GROUP_NAMES[Number(level)];
  return { en: level, da: level };
}

/**
 * z-scores per feature over the fitted rows (population sd), into one row-major matrix of
 * rows × fills.length; each feature's mean and sd filled in. One scratch column is reused, so the
 * values before standardising never take more than one column of memory.
 */
function standardise(fills: FeatureFill[], features: Feature[], fit: Uint8Array, rows: number): FeatureMatrix {
  const width = fills.length;
  const data = new Float64Array(rows * width);
  const values = new Float64Array(rows);
  fills.forEach((fill, j) => {
    fill(values);
    let count = 0;
    let sum = 0;
    for (let i = 0; i < rows; i++) if (fit[i]) { count++; sum += values[i]; }
    const mean = count > 0 ? sum / count : 0;
    let squares = 0;
    for (let i = 0; i < rows; i++) if (fit[i]) squares += (values[i] - mean) ** 2;
    const sd = count > 0 ? Math.sqrt(squares / count) : 0;
    features[j].mean = mean;
    features[j].sd = sd;
    const scale = sd > 0 ? sd : 1;
    for (let i = 0; i < rows; i++) data[i * width + j] = (values[i] - mean) / scale;
  });
  return { rows, columns: width, data };
}

function featureNotes(sources: SourceColumn[], features: Feature[]): Localized[] {
  const notes: Localized[] = [];
  const logged = sources.filter((source) => source.transform === 'log').map((source) => source.header);
  if (logged.length > 0) {
    notes.push({ en: `Log-transformed (log(1 + x)) as heavily skewed: ${logged.join(', ')}.`, da: `Log-transformeret (log(1 + x)) som stærkt skæve: ${logged.join(', ')}.` });
  }
  for (const feature of features) {
    if (feature.imputed === 0 || feature.kind === 'missing') continue;
    if (feature.kind === 'category') {
      if (feature.level !== sources[feature.sourceIndex].levels![0]) continue;
      notes.push({
        en: `${feature.source}: ${feature.imputed} missing, given no level and flagged.`,
        da: `${feature.source}: ${feature.imputed} mangler, givet intet niveau og markeret.`,
      });
      continue;
    }
    const how = feature.kind === 'boolean' ? { en: 'the most common value', da: 'den hyppigste værdi' } : { en: 'the median', da: 'medianen' };
    notes.push({
      en: `${feature.source}: ${feature.imputed} missing, imputed with ${how.en} ${formatAmount(feature.imputedValue!, 'en')} and flagged.`,
      da: `${feature.source}: ${feature.imputed} mangler, udfyldt med ${how.da} ${formatAmount(feature.imputedValue!, 'da')} og markeret.`,
    });
  }
  return notes;
}

/**
 * A customer's value on a feature in a few words, for a churn driver or a cluster profile:
 * "Contract: Month-to-month", "tenure 2", "Customer since 412 days ago", "Partner: yes",
 * "TotalCharges missing". A one-hot feature says the customer's own level of its source, not the
 * feature's level; a value that was imputed says it is missing. Numbers are the raw values
 * (before any log), written as formatAmount writes them.
 */
export function describeFeatureValue(set: FeatureSet, featureIndex: number, row: number, language: Language): string {
  const feature = set.features[featureIndex];
  const source = set.sources[feature.sourceIndex];
  const missing = missingLabel(source.header)[language];
  if (feature.kind === 'missing') return missing;
  if (source.kind === 'category') {
    const code = source.codes![row];
    return code < 0 ? missing : levelFeatureLabel(source, source.levels![code])[language];
  }
  const value = source.values![row];
  if (Number.isNaN(value)) return missing;
  if (source.kind === 'boolean') return `${source.header}: ${value === 1 ? (language === 'da' ? 'ja' : 'yes') : (language === 'da' ? 'nej' : 'no')}`;
  if (source.kind === 'date') {
    const days = formatNumber(Math.abs(value), language, 0);
    if (value < 0) return language === 'da' ? `${source.header} om ${days} dage` : `${source.header} in ${days} days`;
    return language === 'da' ? `${source.header} for ${days} dage siden` : `${source.header} ${days} days ago`;
  }
  return `${source.header} ${formatAmount(value, language)}`;
}

/**
 * A churn label cell as 1 (left), 0 (stayed) or undefined (blank: a current customer to score;
 * or a value that says neither). The table's own yes/no reading (parseBoolean: yes/no, ja/nej,
 * 1/0, TRUE/FALSE, x, Churned/Left/Opsagt against Active/Aktiv), so the label a model trains on
 * is the one the table reports problems for. A blank is never "stayed": it is the customer the
 * model is for.
 */
export function parseLabel(value: CellValue): 0 | 1 | undefined {
  const read = parseBoolean(value);
  return read === 1 ? 1 : read === 0 ? 0 : undefined;
}

/**
 * The `features` model setting (a list of headers the user chose; the churn, clusters and twins
 * models declare it) as buildFeatures' `columns`: undefined, meaning every usable column, when
 * unset, empty or not a list of texts.
 */
export function featureSetting(settings: ModelSettings): string[] | undefined {
  const value = settings.features;
  if (!Array.isArray(value) || value.length === 0 || !value.every((header) => typeof header === 'string')) return undefined;
  return value as string[];
}
