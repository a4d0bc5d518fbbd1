import { columnOfReference, serialToJsDate, type CellValue } from '../../engine';
import { boxKey, SHEET_COLUMNS, SHEET_ROWS, type CellBox, type SheetGrid } from '../grid';
import { DAYS_1900_TO_1904 } from './number-formats';
import { parseBoxRef } from './tables';
import type { ZipArchive, ZipEntry } from './zip';
import { ownString, XmlStream } from './xml';

/** What the workbook says about reading its cells. */
export interface CellContext {
  sharedStrings: readonly string[];
  /** Per cell format index: 1 when it shows a date. */
  dateStyles: Uint8Array;
  date1904: boolean;
  /** Dates made so far, by serial (see sharedDate). */
  dates?: Map<number, Date>;
}


/**
 * A date serial as the UTC day (and time) a person sees in Excel: the engine's 1900-system day,
 * shifted for the 1904 system. Serials 1–60 lie before Lotus's phantom 1900-02-29 (serial 60), so
 * they are one day later than the plain count from 1899-12-30.
 */
export function serialToDate(serial: number, date1904: boolean): Date {
  if (date1904) return serialToJsDate(serial + DAYS_1900_TO_1904);
  return serialToJsDate(serial < 61 ? serial + 1 : serial);
}

/** A function that a totals row uses: its cells aggregate the column above. */
const AGGREGATE = /^\s*(?:_xlfn\.)?(SUM|SUBTOTAL|AGGREGATE|SUMIF|SUMIFS|AVERAGE|COUNT|COUNTA|MAX|MIN)\s*\(/i;


/** A cell being read: its type, style and the text of its value. */
interface PendingCell {
  column: number;
  type: string;
  style: number;
  value: string;
  inlineText: string;
  formula: string;
  sharedIndex: string;
}

/**
 * Reads one worksheet part into a SheetGrid, streaming: the part is inflated chunk by chunk and
 * parsed as it comes, so the XML of a 1,048,576-row sheet is never held whole.
 *
 * Cell values (ECMA-376 Part 1, 18.3.1.4 `c` and 18.18.11 ST_CellType): `s` a shared string,
 * `inlineStr` the text of `is`, `str` a formula's text result, `b` a boolean, `e` the error text
 * (#N/A), `d` an ISO date, `n` (or none) a number, handed over as a Date where the cell's format
 * shows a date. A formula cell gives its stored result; one without a stored result is blank.
 */
export function readSheetGrid(archive: ZipArchive, entry: ZipEntry, name: string, context: CellContext): SheetGrid {
  const grid: SheetGrid = { name, rows: [], merges: [], tables: [], aggregateFormulas: new Map(), maxRulePriority: 0, maxSharedIndex: -1 };
  const aggregateShared = new Set<string>();
  let row: CellValue[] | null = null;
  let rowIndex = -1;
  let column = -1;
  // One cell object, reset for each cell: twelve million short-lived objects would cost more in GC than the parse.
  const cell: PendingCell = { column: 0, type: 'n', style: 0, value: '', inlineText: '', formula: '', sharedIndex: '' };
  let inCell = false;
  let textTarget: 'value' | 'inline' | 'formula' | null = null;
  let phoneticDepth = 0;

  const finishCell = (pending: PendingCell) => {
    if (pending.formula || pending.sharedIndex) {
      const isAggregate = pending.formula ? AGGREGATE.test(pending.formula) : aggregateShared.has(pending.sharedIndex);
      if (pending.formula && pending.sharedIndex && isAggregate) aggregateShared.add(pending.sharedIndex);
      if (isAggregate) grid.aggregateFormulas.set(boxKey(rowIndex, pending.column), pending.formula || `(shared ${pending.sharedIndex})`);
    }
    const value = cellValue(pending, context);
    if (value === null) return;
    row ??= grid.rows[rowIndex] = [];
    row[pending.column] = value;
  };

  const stream = new XmlStream(entry.name, {
    open(tag, local) {
      const attributes = tag.attributes;
      switch (local) {
        case 'row': {
          const r = attributes.r;
          rowIndex = r ? Number(r) - 1 : rowIndex + 1;
          if (!(rowIndex >= 0 && rowIndex < SHEET_ROWS)) throw new Error(`row ${r} is outside the sheet`);
          row = grid.rows[rowIndex] ?? null;
          column = -1;
          return;
        }
        case 'c': {
          const ref = attributes.r;
          column = ref ? columnOfReference(ref, 0) : column + 1;
          if (!(column >= 0 && column < SHEET_COLUMNS)) throw new Error(`cell ${ref} is outside the sheet`);
          cell.column = column;
          cell.type = attributes.t ?? 'n';
          cell.style = attributes.s ? Number(attributes.s) : 0;
          cell.value = cell.inlineText = cell.formula = cell.sharedIndex = '';
          inCell = true;
          return;
        }
        case 'v':
          if (inCell) textTarget = 'value';
          return;
        case 'f':
          if (inCell) {
            textTarget = 'formula';
            if (attributes.t === 'shared') {
              cell.sharedIndex = attributes.si ?? '';
              const index = Number(cell.sharedIndex);
              if (index > (grid.maxSharedIndex ?? -1)) grid.maxSharedIndex = index;
            }
          }
          return;
        case 'rPh':
          phoneticDepth++;
          return;
        case 't':
          if (inCell && phoneticDepth === 0) textTarget = 'inline';
          return;
        case 'cfRule': {
          const priority = Number(attributes.priority);
          if (priority > (grid.maxRulePriority ?? 0)) grid.maxRulePriority = priority;
          return;
        }
        case 'mergeCell': {
          const box = parseBoxRef(attributes.ref ?? '');
          if (box) grid.merges.push(box as CellBox);
          return;
        }
      }
    },
    close(local) {
      switch (local) {
        case 'c':
          if (inCell) finishCell(cell);
          inCell = false;
          return;
        case 'row':
          row = null;
          return;
        case 'rPh':
          phoneticDepth--;
          return;
        case 'v': case 'f': case 't':
          textTarget = null;
      }
    },
    text(text) {
      if (!textTarget || !inCell) return;
      if (textTarget === 'value') cell.value += text;
      else if (textTarget === 'inline') cell.inlineText += text;
      else cell.formula += text;
    },
  });
  const decoder = new TextDecoder('utf-8');
  archive.inflate(entry, (chunk) => stream.write(decoder.decode(chunk, { stream: true })));
  stream.write(decoder.decode());
  stream.close();
  return grid;
}

/**
 * Text as Excel means it: ST_Xstring escapes a character XML cannot carry, or a carriage return
 * XML would normalise away, as _xHHHH_ (ECMA-376 Part 1, 22.9.2.19); _x005F_ escapes the underscore.
 */
export function decodeXstring(text: string): string {
  return text.includes('_x') ? text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))) : text;
}

/** Distinct days kept as one Date each: a Date costs about 100 bytes, and a million rows of order dates hold a few thousand days. */
const DATE_CACHE_LIMIT = 100_000;

/**
 * The Date for a serial, shared between cells of the same day (never changed by any reader of the
 * grid: Dates are read only). Two date columns of a 1,048,576-row sheet cost 190 MB as Dates of
 * their own, and a few hundred kilobytes shared.
 */
function sharedDate(serial: number, context: CellContext): Date {
  const cache = (context.dates ??= new Map());
  let date = cache.get(serial);
  if (!date) {
    date = serialToDate(serial, context.date1904);
    if (cache.size < DATE_CACHE_LIMIT) cache.set(serial, date);
  }
  return date;
}

/** A cell's value as a person sees it; null for blank. */
function cellValue(cell: PendingCell, context: CellContext): CellValue {
  switch (cell.type) {
    case 's': {
      if (cell.value === '') return null;
      const text = context.sharedStrings[Number(cell.value)];
      return text === undefined || text === '' ? null : text;
    }
    case 'inlineStr':
      return cell.inlineText === '' ? (cell.value === '' ? null : ownString(decodeXstring(cell.value))) : ownString(decodeXstring(cell.inlineText));
    case 'str':
      return cell.value === '' ? null : ownString(decodeXstring(cell.value));
    case 'b':
      return cell.value === '' ? null : cell.value === '1' || cell.value === 'true';
    case 'e':
      return cell.value === '' ? null : ownString(cell.value);
    case 'd': {
      if (cell.value === '') return null;
      const date = new Date(cell.value.length <= 10 ? `${cell.value}T00:00:00Z` : cell.value.endsWith('Z') ? cell.value : `${cell.value}Z`);
      return Number.isNaN(date.getTime()) ? cell.value : date;
    }
    default: {
      if (cell.value === '') return null;
      const number = Number(cell.value);
      if (!Number.isFinite(number)) return cell.value;
      return context.dateStyles[cell.style] === 1 ? sharedDate(number, context) : number;
    }
  }
}
