import type { SheetGrid } from '../grid';
import { UnreadableWorkbookError } from './errors';

export { UnreadableWorkbookError } from './errors';
import { readDateStyles } from './number-formats';
import { isType, readRelationships, resolveTarget, type Relationship } from './rels';
import { readSharedStrings } from './shared-strings';
import { readSheetGrid, type CellContext } from './sheet-read';
import { readTables } from './tables';
import { readWorkbookPart, type SheetState } from './workbook-part';
import { ZipArchive } from './zip';

/** A sheet of the workbook, in tab order, with the part that holds it. */
export interface WorkbookSheet {
  name: string;
  state: SheetState;
  /** The sheet's part name, e.g. "xl/worksheets/sheet1.xml"; undefined when the part is missing. */
  partName?: string;
  /** 'worksheet' holds cells; chart sheets and dialog sheets do not. */
  kind: 'worksheet' | 'chartsheet' | 'other';
  relationshipId: string;
  sheetId: string;
}

/** An opened .xlsx/.xlsm package: its sheets, read on demand, and its parts, for the writer. */
export interface WorkbookFile {
  archive: ZipArchive;
  /** The workbook part's name (usually "xl/workbook.xml"). */
  workbookPart: string;
  workbookRelationships: Relationship[];
  sheets: WorkbookSheet[];
  date1904: boolean;
  /** Every part in the package, in zip order. */
  partNames: string[];
  /** The cells of one worksheet, by its name; throws when there is no such worksheet. */
  readSheet(name: string): SheetGrid;
}

const CFB_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return magic.every((byte, index) => bytes[index] === byte);
}

/** Whether an OLE2 compound file's directory names a stream (names are UTF-16LE). */
function hasStreamName(bytes: Uint8Array, name: string): boolean {
  const needle = new Uint8Array(name.length * 2);
  for (let index = 0; index < name.length; index++) needle[index * 2] = name.charCodeAt(index);
  outer: for (let at = 512; at + needle.length <= bytes.length; at++) {
    for (let index = 0; index < needle.length; index++) if (bytes[at + index] !== needle[index]) continue outer;
    return true;
  }
  return false;
}

/** Text that reads as delimited lines: no NUL bytes, and a separator on the first line. */
function looksLikeDelimitedText(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, 4096);
  if (head.includes(0)) return false;
  const text = new TextDecoder('utf-8').decode(head);
  const firstLine = text.split(/\r?\n/)[0];
  return /[;,\t|]/.test(firstLine) && !/^\s*</.test(text);
}

/**
 * What a file that is not a zip package is, as an error that says what to do. Password-protected
 * .xlsx files are OLE2 compound files holding "EncryptionInfo" and "EncryptedPackage" (MS-OFFCRYPTO
 * 2.3.4); .xls files hold a "Workbook" (BIFF8) or "Book" (BIFF5) stream.
 */
function classifyNonZip(bytes: Uint8Array): UnreadableWorkbookError {
  if (bytes.length === 0) return new UnreadableWorkbookError('empty');
  if (startsWith(bytes, CFB_MAGIC)) {
    if (hasStreamName(bytes, 'EncryptedPackage') || hasStreamName(bytes, 'EncryptionInfo')) return new UnreadableWorkbookError('encrypted');
    if (hasStreamName(bytes, 'Workbook') || hasStreamName(bytes, 'Book')) return new UnreadableWorkbookError('legacyXls');
    return new UnreadableWorkbookError('notWorkbook', 'an OLE2 compound file without a workbook stream');
  }
  if (looksLikeDelimitedText(bytes)) return new UnreadableWorkbookError('csv');
  return new UnreadableWorkbookError('notZip');
}

function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5) && (bytes[3] === 4 || bytes[3] === 6);
}

/** The workbook part, found through the package's root relationships (Part 2, 9.3), as Excel does. */
function findWorkbookPart(archive: ZipArchive): string {
  const office = readRelationships(archive, '').find((relationship) => !relationship.external && isType(relationship, 'officeDocument'));
  const candidate = office ? resolveTarget('', office.target) : 'xl/workbook.xml';
  if (!archive.get(candidate)) throw new UnreadableWorkbookError('notWorkbook', `no workbook part (${candidate})`);
  return candidate;
}

function sheetKind(relationship: Relationship | undefined): WorkbookSheet['kind'] {
  if (!relationship) return 'other';
  if (isType(relationship, 'worksheet')) return 'worksheet';
  if (isType(relationship, 'chartsheet')) return 'chartsheet';
  return 'other';
}

/**
 * Opens an .xlsx or .xlsm package from its bytes. Sheets are found through the workbook's
 * relationships whatever the part names, zip order or target style (absolute or relative), so
 * workbooks from Excel, LibreOffice, Google Sheets, openpyxl, xlsxwriter, SheetJS and ExcelJS
 * read alike. Nothing is inflated until it is needed, and nothing beyond its declared size.
 * @throws UnreadableWorkbookError with one sentence for a file that is not a readable workbook
 */
export function openWorkbook(bytes: Uint8Array): WorkbookFile {
  if (!isZip(bytes)) throw classifyNonZip(bytes);
  const archive = new ZipArchive(bytes);
  const workbookPart = findWorkbookPart(archive);
  const workbookRelationships = readRelationships(archive, workbookPart);
  const byId = new Map(workbookRelationships.map((relationship) => [relationship.id, relationship]));
  const info = readWorkbookPart(archive, workbookPart);
  const partOf = (type: string) => {
    const relationship = workbookRelationships.find((candidate) => !candidate.external && isType(candidate, type));
    return relationship ? resolveTarget(workbookPart, relationship.target) : undefined;
  };
  const sheets: WorkbookSheet[] = info.sheets.map((sheet) => {
    const relationship = byId.get(sheet.relationshipId);
    const partName = relationship && !relationship.external ? resolveTarget(workbookPart, relationship.target) : undefined;
    return { ...sheet, partName: partName && archive.get(partName) ? partName : undefined, kind: sheetKind(relationship) };
  });
  let context: CellContext | undefined;
  const cellContext = () => (context ??= {
    sharedStrings: readSharedStrings(archive, partOf('sharedStrings')),
    dateStyles: readDateStyles(archive, partOf('styles')),
    date1904: info.date1904,
  });
  return {
    archive,
    workbookPart,
    workbookRelationships,
    sheets,
    date1904: info.date1904,
    // Folder entries ("xl/", as ExcelJS writes them) are not parts.
    partNames: archive.entries.map((entry) => entry.name).filter((name) => !name.endsWith('/')),
    readSheet(name) {
      const sheet = sheets.find((candidate) => candidate.name === name) ?? sheets.find((candidate) => candidate.name.toLowerCase() === name.toLowerCase());
      if (!sheet || sheet.kind !== 'worksheet' || !sheet.partName) throw new Error(`The workbook has no worksheet named "${name}".`);
      const grid = readSheetGrid(archive, archive.get(sheet.partName)!, sheet.name, cellContext());
      grid.tables = readTables(archive, sheet.partName);
      return grid;
    },
  };
}
