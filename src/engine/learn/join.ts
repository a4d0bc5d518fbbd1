import { cellText, columnLetter } from '../parse';
import { normalizeHeader } from '../roles';
import type { CustomerTable } from '../table';
import type { CellValue, Localized } from '../types';

/**
 * Columns of another table (bought or public data: industry, size, region) joined to a customer
 * table on a key, aligned to the table's rows. The table itself is never changed; the feature
 * layer (features.ts) reads these columns beside the table's own (CustomerTable.joined).
 */
export interface JoinedColumns {
  /** What the other table is called in notes and prefixes: "branche.xlsx:Data", or "joined" when not given. */
  name: string;
  /** The table's key header and the other table's, as found. */
  key: string;
  otherKey: string;
  /** The other table's non-key columns, as headers beside the table's: a header that clashes is prefixed "name: header". */
  headers: string[];
  /** The same columns' headers as the other table writes them. */
  originalHeaders: string[];
  /** columns[j][i]: column j's cell for the table's data row i; null where row i found no match. */
  columns: CellValue[][];
  /** Per table data row, the other table's data row (0-based) it was matched to; -1 for none. */
  matchedRow: Int32Array;
  /** Table rows whose key found a row in the other table. */
  matched: number;
  /** Table rows with a key that found none. */
  unmatched: number;
  /** Table rows with a blank key (never matched). */
  blankKeys: number;
  /** Keys the other table holds more than once, with their sheet rows there: the first row is the one used. */
  duplicates: { key: string; rows: number[] }[];
  /** What the join did, for the pane, the Summary and the CLI: matches, duplicates, renamed headers. */
  notes: Localized[];
}

/** Another table as read: a header row and its data rows (cells as any reader hands them over). */
export interface OtherTable {
  headers: readonly CellValue[];
  rows: readonly (readonly CellValue[])[];
  /** Its name in notes and prefixes ("branche.xlsx:Data"). */
  name?: string;
  /** 1-based sheet row of its header row, so duplicate keys are reported by the rows a person sees (default 1). */
  headerRow?: number;
}

/** A key column that is not there: which side lacks it and the headers it has, in both languages. */
export class JoinKeyError extends Error {
  readonly text: Localized;

  constructor(readonly side: 'table' | 'other', readonly key: string, readonly known: string[], readonly otherName: string) {
    const list = known.filter(Boolean).map((header) => `"${header}"`).join(', ') || '–';
    const text: Localized = side === 'table'
      ? { en: `The customer table has no key column "${key}" to join ${otherName} on. Columns: ${list}.`,
        da: `Kundetabellen har ingen nøglekolonne "${key}" at forbinde ${otherName} via. Kolonner: ${list}.` }
      : { en: `${otherName} has no key column "${key}". Columns: ${list}.`, da: `${otherName} har ingen nøglekolonne "${key}". Kolonner: ${list}.` };
    super(text.en);
    this.name = 'JoinKeyError';
    this.text = text;
  }
}

/**
 * A join in which no table row found its key in the other table, though both have keys: almost
 * always the wrong column, or keys written differently (upper and lower case count). Refused with
 * an example key from each side, since every joined column would be blank.
 */
export class JoinNoMatchError extends Error {
  readonly text: Localized;

  constructor(key: string, otherKey: string, otherName: string, examples: { table: string; other: string }) {
    const on = key === otherKey ? `"${key}"` : `"${key}" = "${otherKey}"`;
    const text: Localized = {
      en: `No customer's key matched a key of ${otherName} on ${on} (the table has e.g. "${examples.table}", ${otherName} e.g. "${examples.other}"; keys are compared as written, upper and lower case apart): nothing would be joined. Check that both columns hold the same keys, written the same way.`,
      da: `Ingen kundes nøgle fandtes i ${otherName} via ${on} (tabellen har fx "${examples.table}", ${otherName} fx "${examples.other}"; nøgler sammenlignes som skrevet, store og små bogstaver for sig): intet ville blive forbundet. Tjek at begge kolonner har de samme nøgler, skrevet ens.`,
    };
    super(text.en);
    this.name = 'JoinNoMatchError';
    this.text = text;
  }
}

/**
 * A key as the join compares it: the cell's text trimmed; a number as its text, and a text
 * number with a zero fraction ("12345.0", as pandas writes ids) without it, so 12345, "12345"
 * and "12345.0" meet. Case and inner spaces count: "ab-1" and "AB-1" are two keys. '' is no key.
 */
export function joinKey(value: CellValue): string {
  const text = cellText(value).trim();
  return /^-?\d+\.0+$/.test(text) ? text.slice(0, text.indexOf('.')) : text;
}

/** The column a header names: exactly, else by normalizeHeader ("Kunde-nr." meets "kundenr"); -1 when none. */
export function findHeader(headers: readonly string[], header: string): number {
  const exact = headers.indexOf(header.trim());
  if (exact >= 0) return exact;
  const wanted = normalizeHeader(header);
  return wanted ? headers.findIndex((candidate) => normalizeHeader(candidate) === wanted) : -1;
}

/**
 * Joins another table's columns to a customer table on a key column (customer id, CVR,
 * postcode): a left join, so every table row keeps its place and a row without a match gets
 * null in each joined column. Keys compare as joinKey says. Where the other table holds a key more
 * than once, its first row is used and the duplicates are reported with their sheet rows.
 * @param key the table's key header (found as findHeader finds it)
 * @param otherKey the other table's key header; the same as `key` when left out
 * @throws JoinKeyError when either key column is not found (naming the side, the key and the headers it has)
 * @throws JoinNoMatchError when both sides have keys and not one table row finds its own
 */
export function joinColumns(table: CustomerTable, other: OtherTable, key: string, otherKey: string = key): JoinedColumns {
  const name = other.name ?? 'joined';
  const otherHeaders = other.headers.map((header) => cellText(header).trim());
  const keyColumn = findHeader(table.headers, key);
  if (keyColumn < 0) throw new JoinKeyError('table', key, table.headers, name);
  const otherKeyColumn = findHeader(otherHeaders, otherKey);
  if (otherKeyColumn < 0) throw new JoinKeyError('other', otherKey, otherHeaders, name);

  const headerRow = other.headerRow ?? 1;
  const firstRowOfKey = new Map<string, number>();
  const repeats = new Map<string, number[]>();
  other.rows.forEach((row, index) => {
    const value = joinKey(row[otherKeyColumn]);
    if (!value) return;
    const first = firstRowOfKey.get(value);
    if (first === undefined) firstRowOfKey.set(value, index);
    else {
      const rows = repeats.get(value) ?? [headerRow + 1 + first];
      rows.push(headerRow + 1 + index);
      repeats.set(value, rows);
    }
  });

  const kept = otherHeaders.map((_, column) => column).filter((column) => column !== otherKeyColumn);
  const matchedRow = new Int32Array(table.rowCount).fill(-1);
  let matched = 0;
  let blankKeys = 0;
  for (let i = 0; i < table.rowCount; i++) {
    const value = joinKey(table.cells[i]?.[keyColumn]);
    if (!value) { blankKeys++; continue; }
    const found = firstRowOfKey.get(value);
    if (found === undefined) continue;
    matchedRow[i] = found;
    matched++;
  }
  if (matched === 0 && firstRowOfKey.size > 0 && blankKeys < table.rowCount) {
    const tableExample = Array.from({ length: table.rowCount }, (_, i) => joinKey(table.cells[i]?.[keyColumn])).find(Boolean)!;
    throw new JoinNoMatchError(table.headers[keyColumn], otherHeaders[otherKeyColumn], name, { table: tableExample, other: firstRowOfKey.keys().next().value! });
  }
  const columns = kept.map((column) => Array.from(matchedRow, (row) => (row < 0 ? null : other.rows[row][column] ?? null)));
  const { headers, renamed } = joinedHeaders(table.headers, kept.map((column) => otherHeaders[column] || `${columnLetter(column)}`), name);
  const duplicates = [...repeats].map(([value, rows]) => ({ key: value, rows }));
  const result: JoinedColumns = {
    name, key: table.headers[keyColumn], otherKey: otherHeaders[otherKeyColumn], headers, originalHeaders: kept.map((column) => otherHeaders[column]),
    columns, matchedRow, matched, unmatched: table.rowCount - matched - blankKeys, blankKeys, duplicates, notes: [],
  };
  result.notes = joinNotes(result, renamed);
  return result;
}

/** The joined headers beside the table's: one that clashes with a table header (or an earlier joined one) is prefixed with the other table's name. */
export function joinedHeaders(tableHeaders: readonly string[], otherHeaders: string[], name: string): { headers: string[]; renamed: string[] } {
  const taken = new Set(tableHeaders.map(normalizeHeader));
  const renamed: string[] = [];
  const headers = otherHeaders.map((header) => {
    let result = header;
    if (taken.has(normalizeHeader(header))) {
      result = `${name}: ${header}`;
      renamed.push(result);
    }
    taken.add(normalizeHeader(result));
    return result;
  });
  return { headers, renamed };
}

/** Duplicate keys named one by one in the notes; the rest are counted. */
const DUPLICATES_NAMED = 10;

function joinNotes(joined: JoinedColumns, renamed: string[]): Localized[] {
  const { name, key, otherKey, matched, unmatched, blankKeys } = joined;
  const on = key === otherKey ? `"${key}"` : `"${key}" = "${otherKey}"`;
  const notes: Localized[] = [{
    en: `Joined ${joined.headers.length} column(s) of ${name} on ${on}: ${matched} row(s) matched, ${unmatched} without a match${blankKeys ? `, ${blankKeys} with a blank key` : ''}.`,
    da: `Forbandt ${joined.headers.length} kolonne(r) fra ${name} via ${on}: ${matched} række(r) fundet, ${unmatched} uden match${blankKeys ? `, ${blankKeys} med tom nøgle` : ''}.`,
  }];
  // Each duplicate by name up to a few; a file with thousands says how many more.
  for (const { key: value, rows } of joined.duplicates.slice(0, DUPLICATES_NAMED)) {
    notes.push({
      en: `${name} holds the key "${value}" on rows ${rows.join(', ')}: row ${rows[0]} is used.`,
      da: `${name} har nøglen "${value}" i række ${rows.join(', ')}: række ${rows[0]} bruges.`,
    });
  }
  const more = joined.duplicates.length - DUPLICATES_NAMED;
  if (more > 0) notes.push({ en: `${more} more key(s) occur more than once in ${name}; the first row of each is used.`, da: `${more} nøgle(r) mere står mere end én gang i ${name}; den første række af hver bruges.` });
  if (renamed.length > 0) {
    const list = renamed.map((header) => `"${header}"`).join(', ');
    notes.push({ en: `Headers the table already has were renamed: ${list}.`, da: `Overskrifter, tabellen allerede har, fik nyt navn: ${list}.` });
  }
  return notes;
}
