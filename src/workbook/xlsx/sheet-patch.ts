import { columnLetter, type Localized } from '../../engine';
import { SHEET_COLUMNS, SHEET_ROWS } from '../grid';
import { OccupiedCellsError } from '../port';
import * as xmlScan from './xml-scan';
import { SPREADSHEETML_NAMESPACES } from './xml';

// Local bindings, read once: ES-module interop (tsx, bundlers without scope hoisting) reads each
// imported name through a getter, which costs a third of the time in this per-token loop.
const {
  END_TAG, OTHER_MARKUP, START_TAG, attributeValue, attributeValueEnd, attributeValueStart, attributes, columnOfReference,
  integerAt, isSelfClosing, markupEnd, markupKind, rowOfReference, tagName, tagNameEnd,
} = xmlScan;

/**
 * The streaming rewrite of the user's table sheet part (`xl/worksheets/sheetN.xml`): SegmentKit's
 * own cells are added to (and, on a re-run, removed from) the rows; `<dimension>`, `<cols>`, row
 * `spans` and `<conditionalFormatting>` follow; every other byte is copied as it was (shared
 * formulas, rich text, styles, row attributes, merges, hyperlinks, validations, autofilter,
 * protection, tableParts, extLst, comments, processing instructions, CDATA).
 *
 * Element order follows CT_Worksheet in ECMA-376 Part 1, §18.3.1.99 (sml.xsd).
 */



/** Children of <worksheet>, in schema order. */
const WORKSHEET_CHILDREN = [
  'sheetPr', 'dimension', 'sheetViews', 'sheetFormatPr', 'cols', 'sheetData', 'sheetCalcPr', 'sheetProtection',
  'protectedRanges', 'scenarios', 'autoFilter', 'sortState', 'dataConsolidate', 'customSheetViews', 'mergeCells',
  'phoneticPr', 'conditionalFormatting', 'dataValidations', 'hyperlinks', 'printOptions', 'pageMargins', 'pageSetup',
  'headerFooter', 'rowBreaks', 'colBreaks', 'customProperties', 'cellWatches', 'ignoredErrors', 'smartTags', 'drawing',
  'legacyDrawing', 'legacyDrawingHF', 'drawingHF', 'picture', 'oleObjects', 'controls', 'webPublishItems', 'tableParts',
  'extLst',
];
const SCHEMA_RANK = new Map(WORKSHEET_CHILDREN.map((name, rank) => [name, rank]));
const CONDITIONAL_FORMATTING_RANK = SCHEMA_RANK.get('conditionalFormatting')!;

/** Output is handed on in pieces of about this many characters. */
const OUTPUT_PIECE = 1 << 16;

/** What SegmentKit changes on the user's table sheet. Rows are 1-based, columns 0-based. */
export interface SheetEdit {
  /** Columns whose cells SegmentKit wrote on an earlier run: their cells, and the conditional formats lying wholly inside them, are removed on every row. */
  clearColumns: ReadonlySet<number>;
  /**
   * Columns SegmentKit writes now. The caller has already refused user values there
   * (OccupiedCellsError from the read grid); a user cell there without a value (styled-empty,
   * `<c r="F5" s="3"/>`) is replaced by SegmentKit's. A user cell with `<v>`, `<f>` or `<is>`
   * there is refused again here rather than overwritten.
   */
  writeColumns: ReadonlySet<number>;
  /**
   * SegmentKit's cells for one 1-based row: complete `<c>` elements from `cellXml`, sorted by
   * column, every column in `writeColumns`, or '' for none. Called exactly once per row from
   * `firstRow` to `lastRow`, in order.
   */
  cellsForRow(row: number): string;
  /** First and last 1-based row that may get SegmentKit cells (header row and data rows), inclusive. */
  firstRow: number;
  lastRow: number;
  /**
   * Complete `<conditionalFormatting>` elements to add, unprefixed. Their rule priorities should
   * start at `nextConditionalFormatPriority` of this part, so they never clash with the user's.
   */
  conditionalFormatting: readonly string[];
  /** Widths for SegmentKit's columns: 0-based column → width in characters (ECMA-376 §18.3.1.13). */
  columnWidths: ReadonlyMap<number, number>;
  /** Sheet name, for messages. */
  sheetName?: string;
}

/** Thrown before anything is written when SegmentKit's columns would pass column XFD. */
export class NoRoomForColumnsError extends Error {
  readonly text: Localized;

  constructor(readonly lastUserColumn: number, readonly columnsNeeded: number) {
    const text = {
      en: `SegmentKit needs ${columnsNeeded} empty column${columnsNeeded === 1 ? '' : 's'} to the right of column ${columnLetter(lastUserColumn)}, but a sheet ends at column XFD (16,384 columns): delete or move columns to the right of the table, or choose fewer models, then run again.`,
      da: `SegmentKit skal bruge ${columnsNeeded} ${columnsNeeded === 1 ? 'tom kolonne' : 'tomme kolonner'} til højre for kolonne ${columnLetter(lastUserColumn)}, men et ark slutter ved kolonne XFD (16.384 kolonner): slet eller flyt kolonner til højre for tabellen, eller vælg færre modeller, og kør igen.`,
    };
    super(text.en);
    this.text = text;
    this.name = 'NoRoomForColumnsError';
  }
}

/**
 * Refuses, before anything is written, when `columnsNeeded` columns do not fit to the right of
 * `lastUserColumn` (0-based). Returns the first 0-based column SegmentKit may use.
 *
 * @throws NoRoomForColumnsError
 */
export function checkColumnRoom(lastUserColumn: number, columnsNeeded: number): number {
  if (lastUserColumn + columnsNeeded > SHEET_COLUMNS - 1) throw new NoRoomForColumnsError(lastUserColumn, columnsNeeded);
  return lastUserColumn + 1;
}

/** Thrown when a worksheet part is not well-formed enough to patch safely. */
export class MalformedSheetError extends Error {
  constructor(detail: string, sheetName?: string) {
    super(`The worksheet${sheetName ? ` "${sheetName}"` : ''} could not be updated: ${detail}. Open the workbook in Excel, save it, and run again.`);
    this.name = 'MalformedSheetError';
  }
}

/**
 * Push-based scan for the highest conditional-formatting rule priority in a worksheet part,
 * counting both `<cfRule>` and the x14 rules in `<extLst>` (they share one priority order).
 * Feed it the same decoded chunks the reader sees, or use `nextConditionalFormatPriority`.
 *
 * It looks only at `cfRule` start tags found by string search, so a rule written inside a
 * comment or CDATA section would count too: that can only raise the priority SegmentKit starts
 * from, which is harmless, and it lets the scan run at memory speed.
 */
export class ConditionalPriorityScan {
  private tail = '';
  private highest = 0;

  push(chunk: string): void {
    const buf = this.tail + chunk;
    for (let at = buf.indexOf('cfRule'); at >= 0; at = buf.indexOf('cfRule', at + 6)) this.readRule(buf, at);
    // Keep an unfinished last tag for the next chunk; re-reading a rule is harmless for a maximum.
    const lastLt = buf.lastIndexOf('<');
    this.tail = lastLt >= 0 && buf.length - lastLt <= PRIORITY_TAIL ? buf.slice(lastLt) : buf.slice(-1024);
  }

  private readRule(buf: string, at: number): void {
    let lt = at - 1;
    if (buf[lt] === ':') while (lt > 0 && buf[lt] !== '<' && !/[\s>]/.test(buf[lt])) lt--;
    if (buf[lt] !== '<' || !/[\s/>]/.test(buf[at + 6] ?? '')) return;
    const end = markupEnd(buf, lt);
    if (end < 0) return;
    const value = attributeValue(buf, lt, end, 'priority');
    const priority = value === undefined ? -1 : integerAt(value, 0, value.length);
    if (priority > this.highest) this.highest = priority;
  }

  /** Highest priority seen so far; 0 when the part has no rules. */
  get max(): number {
    return this.highest;
  }
}

/** Longest unfinished tag `ConditionalPriorityScan` carries over between chunks. */
const PRIORITY_TAIL = 1 << 16;

/** The first free conditional-formatting priority in a worksheet part (streamed; 1 when there are none). */
export function nextConditionalFormatPriority(xmlChunks: Iterable<string>): number {
  const scan = new ConditionalPriorityScan();
  for (const chunk of xmlChunks) scan.push(chunk);
  return scan.max + 1;
}

// States of the rewrite.
const PROLOG = 0;
const WORKSHEET = 1;
const SUBTREE = 2;
const SHEET_DATA = 3;
const ROW = 4;
const CELL = 5;
const EPILOG = 6;

function isNameEndAt(text: string, index: number): boolean {
  const ch = text.charCodeAt(index);
  return ch === 32 || ch === 9 || ch === 10 || ch === 13 || ch === 47 || ch === 62;
}

interface OurCells {
  columns: number[];
  xml: string[];
}

const NO_CELLS: OurCells = { columns: [], xml: [] };
const OUR_CELL_START = '<c r="';

/**
 * The rewrite as a push/pull transformer, for callers whose input arrives by callback (fflate's
 * `Inflate.ondata`): `push` decoded text, `pull` output until it returns null, `close` at the end
 * of input and `pull` again. `patchSheet` wraps it for iterables.
 *
 * Memory: the unconsumed tail of the input (at most one piece of markup), about `OUTPUT_PIECE`
 * characters of output, one row's SegmentKit cells, and the `<cols>` element.
 */
export class SheetPatcher {
  private buf = '';
  private pos = 0;
  private copyFrom = 0;
  private final = false;
  private out: string[] = [];
  private outSize = 0;
  private dropping = false;
  private capture: string[] | null = null;

  private state = PROLOG;
  private subtreeDepth = 0;
  private subtreeReturn = WORKSHEET;
  private cellDepth = 0;
  private cellMustBeEmpty = false;
  private cellReference = '';

  private mainPrefixes = new Set<string>();
  private prefix = '';
  private cellName = 'c';
  private rowName = 'row';
  private readonly localNames = new Map<string, string | null>();

  private seenCols = false;
  private seenSheetData = false;
  private afterSheetData = false;
  private conditionalFormattingAdded = false;

  private previousRow = 0;
  private nextRowToAsk: number;
  private gapEnd = 0;
  /** Set while SegmentKit fills a `<sheetData/>`: it becomes `<sheetData>`…`</sheetData>` only if a row gets cells. */
  private selfClosingSheetData: { open: string; close: string; opened: boolean } | null = null;

  private ours: OurCells = NO_CELLS;
  private oursIndex = 0;
  private previousInputColumn = -1;
  private lastOutputColumn = -1;

  private readonly writeFirst: number;
  private readonly writeLast: number;

  constructor(private readonly edit: SheetEdit) {
    let first = Infinity;
    let last = -Infinity;
    for (const column of edit.writeColumns) {
      if (!Number.isInteger(column) || column < 0) throw new RangeError(`${column} is not a 0-based column`);
      first = Math.min(first, column);
      last = Math.max(last, column);
    }
    if (last >= SHEET_COLUMNS) throw new NoRoomForColumnsError(first - 1, last - first + 1);
    for (const column of edit.columnWidths.keys()) {
      if (!edit.writeColumns.has(column)) throw new RangeError(`columnWidths names column ${columnLetter(column)}, which is not one of SegmentKit's columns`);
    }
    if (edit.firstRow < 1 || edit.lastRow > SHEET_ROWS) throw new RangeError(`rows ${edit.firstRow}..${edit.lastRow} are outside a sheet`);
    this.writeFirst = first;
    this.writeLast = last;
    this.nextRowToAsk = edit.firstRow;
  }

  /** Adds decoded text of the part; chunks may end anywhere. */
  push(chunk: string): void {
    this.emitUpTo(this.pos);
    this.buf = this.buf.slice(this.pos) + chunk;
    this.copyFrom -= this.pos;
    this.pos = 0;
  }

  /** Marks the end of input; `pull` then drains the rest and checks the part was complete. */
  close(): void {
    this.final = true;
  }

  /** The next piece of output, or null when more input is needed (or, after close, when done). */
  pull(): string | null {
    while (this.outSize < OUTPUT_PIECE && this.step()) { /* step until input or output bound */ }
    this.emitUpTo(this.pos);
    if (this.final && this.outSize < OUTPUT_PIECE) this.checkComplete();
    if (this.out.length === 0) return null;
    const piece = this.out.join('');
    this.out = [];
    this.outSize = 0;
    return piece;
  }

  private checkComplete(): void {
    if (this.gapEnd >= this.nextRowToAsk) return;
    if (this.pos < this.buf.length && this.buf.indexOf('<', this.pos) >= 0) throw new MalformedSheetError('the part ends inside a tag', this.edit.sheetName);
    if (this.state !== EPILOG) throw new MalformedSheetError('the part ends before </worksheet>', this.edit.sheetName);
  }

  // ---- output -------------------------------------------------------------------------------

  private emitUpTo(index: number): void {
    if (!this.dropping && index > this.copyFrom) this.put(this.buf.slice(this.copyFrom, index));
    this.copyFrom = index;
  }

  private put(text: string): void {
    if (text.length === 0) return;
    if (this.capture) { this.capture.push(text); return; }
    this.out.push(text);
    this.outSize += text.length;
  }

  private insert(at: number, text: string): void {
    this.emitUpTo(at);
    this.put(text);
  }

  private startDropping(at: number): void {
    this.emitUpTo(at);
    this.dropping = true;
  }

  private stopDropping(at: number): void {
    this.dropping = false;
    this.copyFrom = at;
  }

  // ---- scanning -----------------------------------------------------------------------------

  /** Handles one piece of markup or one row SegmentKit creates; false when input is needed. */
  private step(): boolean {
    if (this.gapEnd >= this.nextRowToAsk) {
      this.createRow(this.nextRowToAsk++);
      return true;
    }
    const buf = this.buf;
    const lt = buf.indexOf('<', this.pos);
    if (lt < 0) {
      this.pos = buf.length;
      return false;
    }
    this.pos = lt;
    const end = markupEnd(buf, lt);
    if (end < 0) {
      if (this.final) throw new MalformedSheetError('the part ends inside a tag', this.edit.sheetName);
      return false;
    }
    const kind = markupKind(buf, lt);
    this.pos = end;
    if (kind === OTHER_MARKUP) return true;
    const isEnd = kind === END_TAG;
    switch (this.state) {
      case ROW: this.onRowContent(lt, end, isEnd); break;
      case CELL: this.onCellContent(lt, end, isEnd); break;
      case SUBTREE: this.onSubtree(end, isEnd); break;
      case SHEET_DATA: this.onSheetDataContent(lt, end, isEnd); break;
      case WORKSHEET: this.onWorksheetChild(lt, end, isEnd); break;
      case PROLOG: this.onRoot(lt, end, isEnd); break;
      default: break;
    }
    return true;
  }

  /** Leaves the tag at `lt` unconsumed, to be handled again after the rows SegmentKit creates. */
  private deferTo(lt: number, gapEnd: number): void {
    this.emitUpTo(lt);
    this.pos = lt;
    this.gapEnd = gapEnd;
  }

  private mainLocal(qname: string): string | null {
    let local = this.localNames.get(qname);
    if (local === undefined) {
      const colon = qname.indexOf(':');
      local = this.mainPrefixes.has(colon < 0 ? '' : qname.slice(0, colon)) ? qname.slice(colon + 1) : null;
      this.localNames.set(qname, local);
    }
    return local;
  }

  /**
   * Whether the start tag at `lt` is the main-namespace element `local`: a string comparison in
   * the producer's own prefix first (no slicing per cell), the full lookup otherwise.
   */
  private isMain(lt: number, local: string, qualifiedName: string): boolean {
    const buf = this.buf;
    const after = lt + 1 + qualifiedName.length;
    if (buf.startsWith(qualifiedName, lt + 1) && after < buf.length && isNameEndAt(buf, after)) return true;
    return this.mainLocal(tagName(buf, lt)) === local;
  }

  private qualified(local: string): string {
    return this.prefix ? `${this.prefix}:${local}` : local;
  }

  /** SegmentKit's own unprefixed markup, put into the prefix the producer bound to the main namespace. */
  private inMainNamespace(xml: string): string {
    if (!this.prefix) return xml;
    return xml.replace(/<(\/?)([A-Za-z_][\w.-]*)(?=[\s/>])/g, `<$1${this.prefix}:$2`);
  }

  private enterSubtree(end: number, returnTo: number): void {
    if (isSelfClosing(this.buf, end)) return;
    this.state = SUBTREE;
    this.subtreeDepth = 1;
    this.subtreeReturn = returnTo;
  }

  private onSubtree(end: number, isEnd: boolean): void {
    if (isEnd) this.subtreeDepth--;
    else if (!isSelfClosing(this.buf, end)) this.subtreeDepth++;
    if (this.subtreeDepth > 0) return;
    this.state = this.subtreeReturn;
    if (this.dropping) this.stopDropping(end);
  }

  // ---- <worksheet> ----------------------------------------------------------------------------

  private onRoot(lt: number, end: number, isEnd: boolean): void {
    if (isEnd) throw new MalformedSheetError('an end tag comes before the worksheet element', this.edit.sheetName);
    for (const attribute of attributes(this.buf, lt, end)) {
      if (!SPREADSHEETML_NAMESPACES.has(attribute.value)) continue;
      if (attribute.name === 'xmlns') this.mainPrefixes.add('');
      else if (attribute.name.startsWith('xmlns:')) this.mainPrefixes.add(attribute.name.slice(6));
    }
    const qname = tagName(this.buf, lt);
    if (this.mainLocal(qname) !== 'worksheet') throw new MalformedSheetError(`the part's root element is <${qname}>, not a SpreadsheetML worksheet`, this.edit.sheetName);
    this.prefix = this.mainPrefixes.has('') ? '' : qname.slice(0, qname.indexOf(':'));
    this.cellName = this.qualified('c');
    this.rowName = this.qualified('row');
    if (isSelfClosing(this.buf, end)) throw new MalformedSheetError('the worksheet has no sheetData', this.edit.sheetName);
    this.state = WORKSHEET;
  }

  private onWorksheetChild(lt: number, end: number, isEnd: boolean): void {
    if (isEnd) {
      this.finishCols(lt);
      if (!this.seenSheetData) throw new MalformedSheetError('the worksheet has no sheetData', this.edit.sheetName);
      this.addConditionalFormatting(lt);
      this.state = EPILOG;
      return;
    }
    const local = this.mainLocal(tagName(this.buf, lt));
    if (local !== 'cols') this.finishCols(lt);
    if (this.afterSheetData && !this.conditionalFormattingAdded && (local === null ? Infinity : SCHEMA_RANK.get(local) ?? Infinity) > CONDITIONAL_FORMATTING_RANK) {
      this.addConditionalFormatting(lt);
    }
    switch (local) {
      case 'dimension': this.widenDimension(lt, end); break;
      case 'cols': this.startCols(lt); break;
      case 'sheetData': this.startSheetData(lt, end); return;
      case 'conditionalFormatting': this.dropOldConditionalFormatting(lt, end); return;
      default: break;
    }
    this.enterSubtree(end, WORKSHEET);
  }

  /** Widens `<dimension ref>` to the union of the user's range and SegmentKit's cells. */
  private widenDimension(lt: number, end: number): void {
    if (this.writeFirst > this.writeLast || this.edit.firstRow > this.edit.lastRow) return;
    const start = attributeValueStart(this.buf, lt, end, 'ref');
    if (start < 0) return;
    const valueEnd = attributeValueEnd(this.buf, start);
    const ref = this.buf.slice(start, valueEnd);
    const [from, to = from] = ref.split(':');
    const bounds = [columnOfReference(from, 0), rowOfReference(from, 0), columnOfReference(to, 0), rowOfReference(to, 0)];
    if (bounds.some((value) => value < 0)) return;
    const widened = `${columnLetter(Math.min(bounds[0], this.writeFirst))}${Math.min(bounds[1], this.edit.firstRow)}:${columnLetter(Math.max(bounds[2], this.writeLast))}${Math.max(bounds[3], this.edit.lastRow)}`;
    if (widened === ref) return;
    this.insert(start, widened);
    this.copyFrom = valueEnd;
  }

  private dropOldConditionalFormatting(lt: number, end: number): void {
    const sqref = attributeValue(this.buf, lt, end, 'sqref') ?? '';
    if (this.edit.clearColumns.size > 0 && liesWithinColumns(sqref, this.edit.clearColumns)) {
      this.startDropping(lt);
      if (isSelfClosing(this.buf, end)) { this.stopDropping(end); return; }
    }
    this.enterSubtree(end, WORKSHEET);
  }

  private addConditionalFormatting(at: number): void {
    if (this.conditionalFormattingAdded) return;
    this.conditionalFormattingAdded = true;
    if (this.edit.conditionalFormatting.length === 0) return;
    this.insert(at, this.inMainNamespace(this.edit.conditionalFormatting.join('')));
  }

  // ---- <cols> ---------------------------------------------------------------------------------

  private startCols(lt: number): void {
    this.seenCols = true;
    if (this.edit.columnWidths.size === 0 || this.capture) return;
    this.emitUpTo(lt);
    this.capture = [];
  }

  /** Ends the capture of one or more consecutive <cols> elements and puts them back rewritten. */
  private finishCols(at: number): void {
    if (!this.capture) return;
    this.emitUpTo(at);
    const captured = this.capture.join('');
    this.capture = null;
    this.put(rewriteCols(captured, this.edit.columnWidths, (name) => this.mainLocal(name), this.qualified('col')));
  }

  // ---- <sheetData> ----------------------------------------------------------------------------

  private startSheetData(lt: number, end: number): void {
    if (!this.seenSheetData) {
      this.seenSheetData = true;
      if (!this.seenCols && this.edit.columnWidths.size > 0) this.insert(lt, newColsXml(this.edit.columnWidths, (local) => this.qualified(local)));
    }
    if (!isSelfClosing(this.buf, end)) {
      this.state = SHEET_DATA;
      return;
    }
    if (this.nextRowToAsk <= this.edit.lastRow) {
      const qname = tagName(this.buf, lt);
      this.selfClosingSheetData = { open: `${this.buf.slice(lt, end - 2)}>`, close: `</${qname}>`, opened: false };
      // The tag is read again in SHEET_DATA once the created rows are out (onSheetDataContent).
      this.deferTo(lt, this.edit.lastRow);
      this.state = SHEET_DATA;
      return;
    }
    this.endSheetData();
  }

  private endSheetData(): void {
    this.state = WORKSHEET;
    this.afterSheetData = true;
  }

  private onSheetDataContent(lt: number, end: number, isEnd: boolean): void {
    if (this.selfClosingSheetData) {
      const { opened, close } = this.selfClosingSheetData;
      if (opened) { this.emitUpTo(lt); this.put(close); this.copyFrom = end; }
      this.selfClosingSheetData = null;
      this.endSheetData();
      return;
    }
    if (isEnd) {
      if (this.nextRowToAsk <= this.edit.lastRow) { this.deferTo(lt, this.edit.lastRow); return; }
      this.endSheetData();
      return;
    }
    if (!this.isMain(lt, 'row', this.rowName)) { this.enterSubtree(end, SHEET_DATA); return; }
    this.startRow(lt, end);
  }

  private createRow(row: number): void {
    const cells = this.edit.cellsForRow(row);
    if (!cells) return;
    const ours = this.ourCells(cells, row);
    const sheetData = this.selfClosingSheetData;
    if (sheetData && !sheetData.opened) { this.put(sheetData.open); sheetData.opened = true; }
    const rowName = this.qualified('row');
    this.put(`<${rowName} r="${row}">${ours.xml.join('')}</${rowName}>`);
  }

  private startRow(lt: number, end: number): void {
    const buf = this.buf;
    const rStart = attributeValueStart(buf, lt, end, 'r');
    const row = rStart < 0 ? this.previousRow + 1 : integerAt(buf, rStart, attributeValueEnd(buf, rStart));
    if (row <= this.previousRow || row > SHEET_ROWS) throw new MalformedSheetError(`row ${row} is out of order or outside the sheet`, this.edit.sheetName);
    const lastGapRow = Math.min(row - 1, this.edit.lastRow);
    if (this.nextRowToAsk <= lastGapRow) { this.deferTo(lt, lastGapRow); return; }
    this.previousRow = row;
    this.ours = NO_CELLS;
    if (row >= this.edit.firstRow && row <= this.edit.lastRow) {
      this.nextRowToAsk = row + 1;
      const cells = this.edit.cellsForRow(row);
      if (cells) this.ours = this.ourCells(cells, row);
    }
    if (this.ours.columns.length > 0) this.fitSpans(lt, end);
    if (isSelfClosing(buf, end)) {
      if (this.ours.columns.length === 0) return;
      const qname = tagName(buf, lt);
      this.insert(end - 2, `>${this.ours.xml.join('')}</${qname}>`);
      this.copyFrom = end;
      return;
    }
    if (this.ours.columns.length === 0 && this.edit.clearColumns.size === 0) { this.enterSubtree(end, SHEET_DATA); return; }
    this.oursIndex = 0;
    this.previousInputColumn = -1;
    this.lastOutputColumn = -1;
    this.state = ROW;
  }

  /** Widens a single-range `spans` to take SegmentKit's cells, or drops a list it cannot widen simply. */
  private fitSpans(lt: number, end: number): void {
    const buf = this.buf;
    const start = attributeValueStart(buf, lt, end, 'spans');
    if (start < 0) return;
    const valueEnd = attributeValueEnd(buf, start);
    const spans = buf.slice(start, valueEnd);
    const first = this.ours.columns[0] + 1;
    const last = this.ours.columns[this.ours.columns.length - 1] + 1;
    const colon = spans.indexOf(':');
    const from = integerAt(spans, 0, colon);
    const to = integerAt(spans, colon + 1, spans.length);
    if (from > 0 && to >= from) {
      if (first >= from && last <= to) return;
      this.insert(start, `${Math.min(from, first)}:${Math.max(to, last)}`);
      this.copyFrom = valueEnd;
      return;
    }
    const ranges = spans.trim().split(/\s+/).map((range) => range.split(':').map(Number));
    const covered = this.ours.columns.every((column) => ranges.some(([low, high]) => column + 1 >= low && column + 1 <= high));
    if (covered) return;
    const tag = buf.slice(lt, end);
    const attribute = /\s+spans\s*=\s*(["'])[^"']*\1/.exec(tag)!;
    this.emitUpTo(lt + attribute.index);
    this.copyFrom = lt + attribute.index + attribute[0].length;
  }

  /** One row's cells from `cellsForRow`, split per cell (each starts with `<c r="`, as cellXml writes it). */
  private ourCells(cells: string, row: number): OurCells {
    const columns: number[] = [];
    const starts: number[] = [];
    for (let at = cells.indexOf(OUR_CELL_START); at >= 0; at = cells.indexOf(OUR_CELL_START, at + 1)) {
      const referenceStart = at + OUR_CELL_START.length;
      const column = columnOfReference(cells, referenceStart);
      if (rowOfReference(cells, referenceStart) !== row || !this.edit.writeColumns.has(column) || (columns.length > 0 && column <= columns[columns.length - 1])) {
        throw new RangeError(`cellsForRow(${row}) returned ${cells.slice(referenceStart, cells.indexOf('"', referenceStart))}, which is not in row ${row}, not one of SegmentKit's columns, or out of column order`);
      }
      columns.push(column);
      starts.push(at);
    }
    if (starts[0] !== 0) throw new RangeError(`cellsForRow(${row}) must return <c r="..."> elements from cellXml`);
    const xml = starts.map((start, index) => this.inMainNamespace(cells.slice(start, starts[index + 1] ?? cells.length)));
    return { columns, xml };
  }

  // ---- <row> and <c> --------------------------------------------------------------------------

  private putOursBefore(column: number, at: number): void {
    const { columns, xml } = this.ours;
    while (this.oursIndex < columns.length && columns[this.oursIndex] < column) {
      this.insert(at, xml[this.oursIndex]);
      this.lastOutputColumn = columns[this.oursIndex];
      this.oursIndex++;
    }
  }

  private onRowContent(lt: number, end: number, isEnd: boolean): void {
    if (isEnd) {
      this.putOursBefore(Infinity, lt);
      this.state = SHEET_DATA;
      return;
    }
    if (!this.isMain(lt, 'c', this.cellName)) {
      // <extLst> closes a row's content: SegmentKit's cells go before it.
      this.putOursBefore(Infinity, lt);
      this.enterSubtree(end, ROW);
      return;
    }
    this.onCell(lt, end);
  }

  private onCell(lt: number, end: number): void {
    const buf = this.buf;
    const rStart = attributeValueStart(buf, lt, end, 'r');
    const column = rStart < 0 ? this.previousInputColumn + 1 : columnOfReference(buf, rStart);
    this.previousInputColumn = column;
    this.putOursBefore(column, lt);
    const selfClosing = isSelfClosing(buf, end);
    if (this.edit.clearColumns.has(column)) {
      this.dropCell(lt, end, selfClosing, false);
      return;
    }
    const { columns, xml } = this.ours;
    if (this.oursIndex < columns.length && columns[this.oursIndex] === column) {
      this.insert(lt, xml[this.oursIndex]);
      this.oursIndex++;
      this.lastOutputColumn = column;
      this.cellReference = `${columnLetter(column)}${this.previousRow}`;
      this.dropCell(lt, end, selfClosing, true);
      return;
    }
    // A cell without r takes its column from the cell before it; give it one when that cell was removed.
    if (rStart < 0 && this.lastOutputColumn !== column - 1) this.insert(tagNameEnd(buf, lt), ` r="${columnLetter(column)}${this.previousRow}"`);
    this.lastOutputColumn = column;
    if (!selfClosing) { this.state = CELL; this.cellDepth = 1; this.cellMustBeEmpty = false; }
  }

  private dropCell(lt: number, end: number, selfClosing: boolean, mustBeEmpty: boolean): void {
    this.startDropping(lt);
    if (selfClosing) { this.stopDropping(end); return; }
    this.state = CELL;
    this.cellDepth = 1;
    this.cellMustBeEmpty = mustBeEmpty;
  }

  private onCellContent(lt: number, end: number, isEnd: boolean): void {
    if (isEnd) {
      if (--this.cellDepth > 0) return;
      this.state = ROW;
      if (this.dropping) this.stopDropping(end);
      return;
    }
    if (this.cellMustBeEmpty && this.cellDepth === 1) {
      const local = this.mainLocal(tagName(this.buf, lt));
      if (local === 'v' || local === 'f' || local === 'is') {
        throw new OccupiedCellsError(this.edit.sheetName ? `'${this.edit.sheetName.replace(/'/g, "''")}'!${this.cellReference}` : this.cellReference);
      }
    }
    if (!isSelfClosing(this.buf, end)) this.cellDepth++;
  }
}

/** Whether every range of a space-separated sqref lies in `columns` (0-based). */
function liesWithinColumns(sqref: string, columns: ReadonlySet<number>): boolean {
  const ranges = sqref.trim().split(/\s+/).filter(Boolean);
  if (ranges.length === 0) return false;
  return ranges.every((range) => {
    const [from, to = from] = range.split(':');
    const first = columnOfReference(from, 0);
    const last = columnOfReference(to, 0);
    if (first < 0 || last < first) return false;
    for (let column = first; column <= last; column++) if (!columns.has(column)) return false;
    return true;
  });
}

function formatWidth(width: number): string {
  return String(Math.round(width * 1e6) / 1e6);
}

/**
 * A `<cols>` element for a sheet that has none, giving SegmentKit's columns (0-based → width in
 * characters) their widths, in column order; `qualified` puts a local name into the producer's prefix.
 */
export function newColsXml(widths: ReadonlyMap<number, number>, qualified: (local: string) => string = (local) => local): string {
  const cols = [...widths].sort((a, b) => a[0] - b[0]).map(([column, width]) => newCol(qualified('col'), column, width));
  return `<${qualified('cols')}>${cols.join('')}</${qualified('cols')}>`;
}

function newCol(qname: string, column: number, width: number): string {
  return `<${qname} min="${column + 1}" max="${column + 1}" width="${formatWidth(width)}" customWidth="1"/>`;
}

interface ColElement {
  start: number;
  end: number;
  qname: string;
  min: number;
  max: number;
  attributes: { name: string; quote: string; value: string }[];
}

interface ColsElement {
  start: number;
  openEnd: number;
  /** Where `</cols>` starts; -1 for `<cols/>`. */
  closeStart: number;
}

/**
 * One or more consecutive `<cols>` elements (with the text between them) rewritten so SegmentKit's
 * columns have their widths: a user `<col>` range covering one of them is split around it (the
 * piece keeps the user's other attributes, such as style or hidden), and columns no range covers
 * get a `<col>` of their own in the last `<cols>`, in column order. Untouched `<col>` elements keep
 * their bytes.
 */
function rewriteCols(text: string, widths: ReadonlyMap<number, number>, mainLocal: (qname: string) => string | null, colName: string): string {
  const elements: ColElement[] = [];
  let last: ColsElement | null = null;
  for (let lt = text.indexOf('<'); lt >= 0; lt = text.indexOf('<', lt)) {
    let end = markupEnd(text, lt);
    const kind = markupKind(text, lt);
    const local = kind === OTHER_MARKUP ? null : mainLocal(tagName(text, lt));
    if (kind === END_TAG && local === 'cols' && last) last.closeStart = lt;
    if (kind === START_TAG && local === 'cols') last = { start: lt, openEnd: end, closeStart: -1 };
    if (kind === START_TAG && local === 'col') {
      const attributeList = attributes(text, lt, end);
      const qname = tagName(text, lt);
      if (!isSelfClosing(text, end)) end = text.indexOf('>', text.indexOf(`</${qname}`, end)) + 1;
      const bound = (name: string) => Number(attributeList.find((attribute) => attribute.name === name)?.value);
      elements.push({ start: lt, end, qname, min: bound('min'), max: bound('max'), attributes: attributeList });
    }
    lt = end;
  }
  if (!last) return text;
  const covered = (column: number) => elements.some((element) => column + 1 >= element.min && column + 1 <= element.max);
  const uncovered = [...widths.keys()].filter((column) => !covered(column)).sort((a, b) => a - b);
  const pieces: string[] = [];
  let pending = 0;
  const putNewBefore = (limit: number) => {
    for (; pending < uncovered.length && uncovered[pending] + 1 < limit; pending++) {
      pieces.push(newCol(colName, uncovered[pending], widths.get(uncovered[pending])!));
    }
  };
  let copied = 0;
  for (const element of elements) {
    pieces.push(text.slice(copied, element.start));
    if (element.start > last.start) putNewBefore(element.min);
    pieces.push(splitCol(text.slice(element.start, element.end), element, widths));
    copied = element.end;
  }
  if (last.closeStart < 0) {
    pieces.push(text.slice(copied, last.start), `${text.slice(last.start, last.openEnd - 2)}>`);
    putNewBefore(Infinity);
    pieces.push(`</${tagName(text, last.start)}>`);
    copied = last.openEnd;
  } else {
    pieces.push(text.slice(copied, last.closeStart));
    putNewBefore(Infinity);
    copied = last.closeStart;
  }
  pieces.push(text.slice(copied));
  return pieces.join('');
}

/** A user `<col>` split so each SegmentKit column it covers is a range of its own with SegmentKit's width. */
function splitCol(original: string, element: ColElement, widths: ReadonlyMap<number, number>): string {
  const inside = [...widths.keys()].filter((column) => column + 1 >= element.min && column + 1 <= element.max).sort((a, b) => a - b);
  if (inside.length === 0) return original;
  const pieces: string[] = [];
  let from = element.min;
  for (const column of inside) {
    if (column + 1 > from) pieces.push(colTag(element, from, column, {}));
    pieces.push(colTag(element, column + 1, column + 1, { width: formatWidth(widths.get(column)!), customWidth: '1' }));
    from = column + 2;
  }
  if (from <= element.max) pieces.push(colTag(element, from, element.max, {}));
  const joined = pieces.join('');
  return pieces.length === 1 && sameAttributes(element, joined) ? original : joined;
}

function colTag(element: ColElement, min: number, max: number, overrides: Record<string, string>): string {
  const values = new Map(element.attributes.map((a) => [a.name, a.value]));
  values.set('min', String(min));
  values.set('max', String(max));
  for (const [name, value] of Object.entries(overrides)) values.set(name, value);
  return `<${element.qname}${[...values].map(([name, value]) => ` ${name}="${value.replace(/"/g, '&quot;')}"`).join('')}/>`;
}

/** Whether the rebuilt single piece carries exactly the original attribute values (a re-run). */
function sameAttributes(element: ColElement, rebuilt: string): boolean {
  const after = attributes(rebuilt, 0, rebuilt.length);
  return after.length === element.attributes.length && after.every((a, index) => a.name === element.attributes[index].name && a.value === element.attributes[index].value);
}

/**
 * Streams the user's table sheet part through SegmentKit's edit. Input: the part's decoded text in
 * chunks of any size, split anywhere. Output: the patched part in pieces of about 64K characters.
 * Bytes SegmentKit does not change are copied exactly.
 *
 * @throws OccupiedCellsError if a user cell with a value sits where SegmentKit writes
 * @throws NoRoomForColumnsError if a write column is past XFD (call `checkColumnRoom` first)
 * @throws MalformedSheetError for a part that is not a complete worksheet, rows out of order
 * @throws UnreadableWorkbookError 'unsafeXml' for a DOCTYPE
 */
export function* patchSheet(xmlChunks: Iterable<string>, edit: SheetEdit): Generator<string> {
  const patcher = new SheetPatcher(edit);
  for (const chunk of xmlChunks) {
    patcher.push(chunk);
    for (let piece = patcher.pull(); piece !== null; piece = patcher.pull()) yield piece;
  }
  patcher.close();
  for (let piece = patcher.pull(); piece !== null; piece = patcher.pull()) yield piece;
}
