import { cellXml, escapeXml } from './cell-xml';
import { zipToBytes, type ZipCodec } from './zip-write';
import { columnLetter } from '../../engine';
import { SHEET_COLUMNS } from '../grid';
import { newColsXml, NoRoomForColumnsError, type SheetEdit } from './sheet-patch';
import { PACKAGE_RELATIONSHIPS_NAMESPACE, RELATIONSHIPS_NAMESPACE, SPREADSHEETML_NAMESPACE, XML_DECLARATION } from './xml';

/** A cell SegmentKit writes into a new workbook: text stays text, never a formula. */
export type NewCell = string | number | boolean | null;


/** Excel refuses these in a sheet name; a name is at most 31 characters and not "History". */
const NOT_IN_SHEET_NAME = /[[\]:*?/\\]/g;
const MAX_SHEET_NAME = 31;

/** Rows encoded and deflated together: enough to keep the compressor busy, small enough to stream. */
const ROWS_PER_CHUNK = 2_000;

/**
 * A name Excel accepts for a sheet, made from any text (a CSV's file name, say): the characters
 * Excel forbids (`[ ] : * ? / \`) removed, apostrophes at either end dropped (Excel refuses them
 * there), cut to 31 characters, "History" (reserved by Excel) and empty names replaced.
 */
export function excelSheetName(name: string): string {
  const cleaned = name.replace(NOT_IN_SHEET_NAME, '').replace(/^'+|'+$/g, '').trim();
  const cut = Array.from(cleaned).slice(0, MAX_SHEET_NAME).join('').replace(/'+$/, '');
  if (!cut) return 'Sheet1';
  return cut.toLowerCase() === 'history' ? 'History1' : cut;
}

/**
 * A minimal, valid .xlsx package with one sheet holding `rows`: the parts Excel, LibreOffice,
 * openpyxl and ExcelJS need ([Content_Types].xml, _rels/.rels, docProps/app.xml and core.xml,
 * xl/workbook.xml and its relationships, xl/styles.xml, xl/worksheets/sheet1.xml), per
 * ECMA-376 Part 1 (SpreadsheetML) and Part 2 (Open Packaging Conventions).
 *
 * Cells are written by `cellXml`: numbers as numbers, booleans as booleans, text as inline
 * strings that no reader turns into a formula, number or date; null and '' leave the cell out.
 * The sheet part is deflated in chunks of rows, so a sheet of a million rows never exists as one
 * string. This is how a CSV becomes the workbook that SegmentKit then segments and writes.
 *
 * @param sheetName the sheet's name; made acceptable to Excel by `excelSheetName`
 * @param rows rows[r][c], 0-based; rows beyond 1,048,576 or columns beyond 16,384 are the caller's
 *   to refuse (readDelimited does)
 * @param codec deflate and CRC-32 (zipToBytes); the CLI passes Node's native zlib, the portable one otherwise
 * @returns the .xlsx file's bytes
 */
export function createWorkbookPackage(sheetName: string, rows: NewCell[][], codec?: ZipCodec): Uint8Array {
  return zipToBytes((zip) => {
    zip.add('[Content_Types].xml', contentTypesXml());
    zip.add('_rels/.rels', packageRelationshipsXml());
    zip.add('docProps/app.xml', appPropertiesXml());
    zip.add('docProps/core.xml', corePropertiesXml(new Date()));
    zip.add('xl/workbook.xml', workbookXml(excelSheetName(sheetName)));
    zip.add('xl/_rels/workbook.xml.rels', workbookRelationshipsXml());
    zip.add('xl/styles.xml', STYLES_XML);
    zip.add('xl/worksheets/sheet1.xml', worksheetXmlChunks(rows));
  }, codec);
}

/**
 * The worksheet part of a new sheet holding `rows`, in pieces of ROWS_PER_CHUNK rows; rows without
 * cells are left out, as Excel does. With `edit`, SegmentKit's columns are written into it as it is
 * made: the same text patchSheet(worksheetXmlChunks(rows), edit) gives (dimension widened, `<cols>`
 * for the widths, each row's cells from `edit.cellsForRow` after the row's own, rows created where
 * only SegmentKit has cells, the conditional formats last), without writing the sheet, inflating it
 * and scanning it again (the CLI's Customers sheet of a transaction log).
 *
 * @param edit as patchSheet takes it; SegmentKit's columns lie right of every cell in `rows`, and
 *   nothing is cleared (a new sheet has no earlier SegmentKit columns)
 * @throws RangeError when a cell of `rows` lies in or right of SegmentKit's first column, or the
 *   edit would clear columns
 */
export function* worksheetXmlChunks(rows: NewCell[][], edit?: SheetEdit): Generator<string> {
  const used = usedRange(rows);
  const written = edit ? writtenRange(edit) : undefined;
  if (written && used.lastColumn >= written.firstColumn) throw new RangeError(`A new sheet's cells reach column ${columnLetter(used.lastColumn)}, where SegmentKit writes`);
  if (edit && edit.clearColumns.size > 0) throw new RangeError('A new sheet has no earlier SegmentKit columns to clear');
  const cols = edit && edit.columnWidths.size > 0 ? newColsXml(edit.columnWidths) : '';
  yield `${XML_DECLARATION}<worksheet xmlns="${SPREADSHEETML_NAMESPACE}" xmlns:r="${RELATIONSHIPS_NAMESPACE}">`
    + `<dimension ref="${dimensionRef(used, written)}"/><sheetViews><sheetView tabSelected="1" workbookViewId="0"/></sheetViews>${cols}<sheetData>`;
  const lastRow = Math.max(rows.length, written?.lastRow ?? 0);
  let piece: string[] = [];
  for (let row = 0; row < lastRow; row++) {
    const cells = rows[row] ?? [];
    let xml = '';
    for (let column = 0; column < cells.length; column++) xml += cellXml(row, column, cells[column]);
    // patchSheet asks for every row from the first to the last, once each, in order.
    if (written && row + 1 >= written.firstRow && row + 1 <= written.lastRow) xml += edit!.cellsForRow(row + 1);
    if (xml) piece.push(`<row r="${row + 1}">${xml}</row>`);
    if (piece.length >= ROWS_PER_CHUNK) {
      yield piece.join('');
      piece = [];
    }
  }
  yield `${piece.join('')}</sheetData>${edit ? edit.conditionalFormatting.join('') : ''}</worksheet>`;
}

/** The filled cells' extent: 0-based last column and last row, -1 for an empty sheet. */
interface UsedRange { lastRow: number; lastColumn: number }

/** Where an edit writes: 0-based first and last column, 1-based first and last row; undefined when it writes no cell. */
function writtenRange(edit: SheetEdit): { firstColumn: number; lastColumn: number; firstRow: number; lastRow: number } | undefined {
  let firstColumn = Infinity;
  let lastColumn = -Infinity;
  for (const column of edit.writeColumns) {
    firstColumn = Math.min(firstColumn, column);
    lastColumn = Math.max(lastColumn, column);
  }
  if (lastColumn >= SHEET_COLUMNS) throw new NoRoomForColumnsError(firstColumn - 1, lastColumn - firstColumn + 1);
  return firstColumn > lastColumn || edit.firstRow > edit.lastRow ? undefined : { firstColumn, lastColumn, firstRow: edit.firstRow, lastRow: edit.lastRow };
}

/** The used range, e.g. A1:D120 (A1 for an empty sheet), widened to SegmentKit's cells as patchSheet widens it. */
function dimensionRef(used: UsedRange, written?: { firstColumn: number; lastColumn: number; firstRow: number; lastRow: number }): string {
  const own = used.lastRow < 0 ? 'A1' : `A1:${columnLetter(used.lastColumn)}${used.lastRow + 1}`;
  if (!written) return own;
  const lastColumn = Math.max(used.lastColumn, 0, written.lastColumn);
  const lastRow = Math.max(used.lastRow + 1, 1, written.lastRow);
  return `${columnLetter(Math.min(0, written.firstColumn))}${Math.min(1, written.firstRow)}:${columnLetter(lastColumn)}${lastRow}`;
}

function usedRange(rows: NewCell[][]): UsedRange {
  let lastRow = -1;
  let lastColumn = -1;
  for (let row = 0; row < rows.length; row++) {
    const cells = rows[row] ?? [];
    for (let column = cells.length - 1; column >= 0; column--) {
      if (cells[column] === null || cells[column] === '') continue;
      lastRow = row;
      if (column > lastColumn) lastColumn = column;
      break;
    }
  }
  return { lastRow, lastColumn };
}

function contentTypesXml(): string {
  const override = (part: string, type: string) => `<Override PartName="${part}" ContentType="${type}"/>`;
  return `${XML_DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">`
    + '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    + '<Default Extension="xml" ContentType="application/xml"/>'
    + override('/xl/workbook.xml', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml')
    + override('/xl/worksheets/sheet1.xml', 'application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml')
    + override('/xl/styles.xml', 'application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml')
    + override('/docProps/core.xml', 'application/vnd.openxmlformats-package.core-properties+xml')
    + override('/docProps/app.xml', 'application/vnd.openxmlformats-officedocument.extended-properties+xml')
    + '</Types>';
}

function relationshipsXml(relationships: [id: string, type: string, target: string][]): string {
  const items = relationships.map(([id, type, target]) => `<Relationship Id="${id}" Type="${type}" Target="${target}"/>`);
  return `${XML_DECLARATION}<Relationships xmlns="${PACKAGE_RELATIONSHIPS_NAMESPACE}">${items.join('')}</Relationships>`;
}

function packageRelationshipsXml(): string {
  return relationshipsXml([
    ['rId1', `${RELATIONSHIPS_NAMESPACE}/officeDocument`, 'xl/workbook.xml'],
    ['rId2', 'http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties', 'docProps/core.xml'],
    ['rId3', `${RELATIONSHIPS_NAMESPACE}/extended-properties`, 'docProps/app.xml'],
  ]);
}

function workbookRelationshipsXml(): string {
  return relationshipsXml([
    ['rId1', `${RELATIONSHIPS_NAMESPACE}/worksheet`, 'worksheets/sheet1.xml'],
    ['rId2', `${RELATIONSHIPS_NAMESPACE}/styles`, 'styles.xml'],
  ]);
}

function workbookXml(sheetName: string): string {
  return `${XML_DECLARATION}<workbook xmlns="${SPREADSHEETML_NAMESPACE}" xmlns:r="${RELATIONSHIPS_NAMESPACE}">`
    + '<bookViews><workbookView/></bookViews>'
    + `<sheets><sheet name="${escapeXml(sheetName)}" sheetId="1" r:id="rId1"/></sheets></workbook>`;
}

function appPropertiesXml(): string {
  return `${XML_DECLARATION}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" `
    + 'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Application>SegmentKit</Application></Properties>';
}

/** Created and modified now, in W3CDTF (no fractional seconds, as Excel writes it). No author: nothing personal. */
function corePropertiesXml(now: Date): string {
  const stamp = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return `${XML_DECLARATION}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" `
    + 'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    + 'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    + `<dcterms:created xsi:type="dcterms:W3CDTF">${stamp}</dcterms:created>`
    + `<dcterms:modified xsi:type="dcterms:W3CDTF">${stamp}</dcterms:modified></cp:coreProperties>`;
}

/** The least styles.xml Excel opens without repair: one font, the two fills Excel reserves, one border, the Normal style. */
const STYLES_XML = `${XML_DECLARATION}<styleSheet xmlns="${SPREADSHEETML_NAMESPACE}">`
  + '<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
  + '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
  + '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
  + '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
  + '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
  + '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
  + '</styleSheet>';
