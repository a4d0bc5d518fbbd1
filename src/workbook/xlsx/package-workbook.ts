import { cellText, columnLetter } from '../../engine';
import type { SheetGrid } from '../grid';
import { MARKER_SHEET, ownColumnsOnGrid, parseMarker, serializeMarker, type MarkerState } from '../marker';
import type { PlannedSheet, WritePlan } from '../plan';
import { OccupiedCellsError, SheetNotFoundError, type ApplyReport, type ProgressListener, type SheetSummary, type TableSnapshot, type WorkbookPort } from '../port';
import { locateTable } from '../region';
import { cellXml, formulaCellXml } from './cell-xml';
import { drawnCharts, sheetChartParts } from './chart';
import { filledSize, recordedSheetSize, type SheetSize } from './dimension';
import { CONTENT_TYPES, patchContentTypesXml } from './content-types';
import { plannedSheetChunks, tierColorsXml } from './plan-sheet';
import { createWorkbookPackage, worksheetXmlChunks, type NewCell } from './new-package';
import { openWorkbook, type WorkbookFile, type WorkbookSheet } from './read';
import { freeRelationshipId, isType, patchRelationshipsXml, readRelationships, relativeTarget, relsPartName, resolveTarget, RELATIONSHIP_TYPES } from './rels';
import { isDateFormatCode, serialInDateSystem } from './number-formats';
import { SharedFormulaColumn } from './shared-formulas';
import { checkColumnRoom, patchSheet, type SheetEdit } from './sheet-patch';
import { StyleBook } from './styles';
import { patchWorkbookXml, type WorkbookEdit } from './workbook-write';
import { SPREADSHEETML_NAMESPACE, XML_DECLARATION } from './xml';
import { zipToBytes, ZipWriter, type ZipCodec } from './zip-write';

/** How many rows go between progress reports while reading. */
const PROGRESS_EVERY = 50_000;

export { SheetNotFoundError } from '../port';

/** What apply() decided, written when the package is. */
interface PendingWrite {
  plan: WritePlan;
  /** SegmentKit's columns from the last run, to clear. */
  clearColumns: Set<number>;
  /** 0-based sheet column of the plan's first column. */
  firstColumn: number;
  marker: MarkerState;
  /** The user's highest conditional-format priority on the table's sheet. */
  maxRulePriority?: number;
  /** The user's highest shared-formula index on that sheet. */
  maxSharedIndex?: number;
}

/** Everything SegmentKit changes in a package, collected before a byte is written. */
interface PackageChanges {
  replaced: Map<string, () => string | Iterable<string>>;
  added: { name: string; content: () => string | Iterable<string> }[];
  removed: Set<string>;
  /** Part names in use, lower-cased (zip names are compared without case by Excel); a removed part's name is free again. */
  taken: Set<string>;
  contentTypes: { partName: string; contentType: string }[];
  workbookRels: { id: string; type: string; target: string }[];
  workbookRelsRemoved: Set<string>;
  workbook: WorkbookEdit;
}

/**
 * The workbook port over an .xlsx/.xlsm package, for the browser version and the CLI alike. It
 * reads the table a person sees, and writes by patching: the output is the input package with
 * SegmentKit's changes applied, every other part copied as its stored bytes, and on the table's
 * sheet only SegmentKit's own cells changed (DESIGN.md, Output).
 */
export class PackageWorkbook implements WorkbookPort {
  private facts: SheetFacts | null = null;
  private pending: PendingWrite | null = null;
  private markerState: MarkerState | null | undefined;
  private readonly sizes = new Map<string, SheetSize>();
  /** The rows of the one sheet of a workbook made by `created`, from which that sheet is written. */
  private createdRows: NewCell[][] | null = null;

  private constructor(readonly file: WorkbookFile, private readonly sheetChoice?: string) {}

  /** @throws UnreadableWorkbookError for a file that is not a readable workbook */
  static open(bytes: Uint8Array, options: { sheet?: string } = {}): PackageWorkbook {
    return new PackageWorkbook(openWorkbook(bytes), options.sheet);
  }

  /**
   * A new workbook of one sheet, `sheet`, holding `rows` as one table filling it from A1 (the CLI's
   * customers of a transaction log), made by createWorkbookPackage: nothing right of the table, no
   * formulas, rules or earlier SegmentKit columns, so a plan is checked against it without reading
   * the sheet back, and the sheet is written with the plan's columns straight from `rows`
   * (worksheetXmlChunks) instead of being inflated and patched.
   * @param rows rows[r][c], 0-based, as createWorkbookPackage takes them; kept, not copied
   * @param codec deflate and CRC-32 for the package (the CLI passes Node's zlib)
   */
  static created(sheet: string, rows: NewCell[][], codec?: ZipCodec): PackageWorkbook {
    const workbook = new PackageWorkbook(openWorkbook(createWorkbookPackage(sheet, rows, codec)), sheet);
    workbook.facts = { name: sheet, ownColumns: new Set(), filledRight: [], maxRulePriority: 0, maxSharedIndex: -1 };
    workbook.createdRows = rows;
    return workbook;
  }

  /** The sheets a user can pick a table from: visible worksheets that are not SegmentKit's own. */
  sheetNames(): string[] {
    const own = new Set(Object.values(this.marker()?.sheets ?? {}));
    return this.file.sheets
      .filter((sheet) => sheet.kind === 'worksheet' && sheet.state === 'visible' && sheet.name !== MARKER_SHEET && !own.has(sheet.name))
      .map((sheet) => sheet.name);
  }

  /** The marker SegmentKit left on an earlier run, read from its very hidden sheet. */
  marker(): MarkerState | null {
    if (this.markerState !== undefined) return this.markerState;
    const sheet = this.file.sheets.find((candidate) => candidate.name === MARKER_SHEET && candidate.kind === 'worksheet');
    this.markerState = sheet ? parseMarker(this.file.readSheet(sheet.name).rows.map((row) => cellText(row?.[0])).join('')) : null;
    return this.markerState;
  }

  private tableSheetName(): string {
    const names = this.sheetNames();
    const name = this.sheetChoice ?? names[0];
    const sheet = name === undefined ? undefined : this.file.sheets.find((candidate) => candidate.name === name && candidate.kind === 'worksheet');
    if (!sheet) throw new SheetNotFoundError(this.sheetChoice, names);
    return sheet.name;
  }

  async readTable(onProgress?: ProgressListener): Promise<TableSnapshot> {
    const { snapshot, facts } = this.locate(this.tableSheetName(), onProgress);
    // What apply needs of the sheet, kept instead of the grid: the read rows go with the snapshot.
    this.facts = facts;
    return snapshot;
  }

  /**
   * The sheets sheetNames() offers, each with the size its part records (`<dimension>`), or, where
   * it records none, the size of its filled cells (the sheet is read for that). Sizes are kept:
   * the package does not change under this object.
   */
  async listSheets(): Promise<SheetSummary[]> {
    return this.sheetNames().map((name) => ({ name, ...this.sheetSize(name) }));
  }

  /** The table on another sheet (an order log beside the customer table), found as readTable finds one; apply is not affected. */
  async readSheetTable(sheetName: string, onProgress?: ProgressListener): Promise<TableSnapshot> {
    const sheet = this.file.sheets.find((candidate) => candidate.name === sheetName && candidate.kind === 'worksheet' && candidate.partName);
    if (!sheet) throw new SheetNotFoundError(sheetName, this.sheetNames());
    return this.locate(sheet.name, onProgress).snapshot;
  }

  private sheetSize(name: string): SheetSize {
    const known = this.sizes.get(name);
    if (known) return known;
    const sheet = this.file.sheets.find((candidate) => candidate.name === name);
    const entry = sheet?.partName ? this.file.archive.get(sheet.partName) : undefined;
    const size = (entry && recordedSheetSize(this.file.archive, entry)) ?? filledSize(this.file.readSheet(name));
    this.sizes.set(name, size);
    return size;
  }

  /** A sheet's table as a snapshot, SegmentKit's own columns left out, and what apply needs of the sheet. */
  private locate(sheetName: string, onProgress?: ProgressListener): { snapshot: TableSnapshot; facts: SheetFacts } {
    const grid = this.file.readSheet(sheetName);
    const marker = this.marker();
    const ownColumns = ownColumnsOnGrid(grid, marker);
    const located = locateTable(grid, { ownColumns });
    const facts = sheetFacts(grid, ownColumns, located.lastColumn);
    const total = located.rows.length;
    for (let done = PROGRESS_EVERY; onProgress && done < total; done += PROGRESS_EVERY) onProgress({ phase: 'read', done, total });
    onProgress?.({ phase: 'read', done: total, total });
    const snapshot: TableSnapshot = {
      sheetName,
      origin: located.origin,
      headers: located.headers,
      rows: located.rows,
      excelTableName: located.excelTableName,
      marker,
      sheetNames: this.file.sheets.map((sheet) => sheet.name),
      notes: located.notes,
    };
    return { snapshot, facts };
  }

  /**
   * Checks the plan against the sheet and keeps it for writing: nothing is written until
   * `write`/`toBytes`, and a plan that cannot be written fails here, before any byte.
   * @throws OccupiedCellsError where a user's cell holds data in a column SegmentKit would write
   * @throws NoRoomForColumnsError when SegmentKit's columns would pass column XFD
   */
  async apply(plan: WritePlan, onProgress?: ProgressListener): Promise<ApplyReport> {
    const firstColumn = plan.firstColumn + plan.tableColumnCount;
    const facts = this.facts?.name === plan.sheetName ? this.facts : this.factsOf(plan.sheetName, firstColumn - 1);
    const clearColumns = facts.ownColumns;
    // One sentence naming the table's last column, before any byte is written.
    checkColumnRoom(firstColumn - 1, plan.columns.length);
    checkFree(facts, plan, firstColumn);
    const written = plan.columns.map((_, index) => {
      const letter = columnLetter(firstColumn + index);
      return `${plan.sheetName}!${letter}${plan.headerRow}:${letter}${plan.headerRow + plan.rowCount}`;
    });
    for (const sheet of plan.sheets) written.push(`${sheet.name}!A1`);
    const markerState: MarkerState = {
      ...plan.marker,
      headerRow: plan.headerRow,
      // Parallel to the marker's columns, which leave out the columns handed over as the user's data.
      columnPositions: plan.columns.flatMap((column, index) => (column.userData ? [] : [firstColumn + index])),
    };
    this.pending = { plan, clearColumns, firstColumn, marker: markerState, maxRulePriority: facts.maxRulePriority, maxSharedIndex: facts.maxSharedIndex };
    onProgress?.({ phase: 'write', done: 1, total: 1 });
    return { written };
  }

  /** The facts of a sheet read afresh, for a plan applied without reading the table first. */
  private factsOf(sheetName: string, tableEnd: number): SheetFacts {
    const grid = this.file.readSheet(sheetName);
    return sheetFacts(grid, ownColumnsOnGrid(grid, this.marker()), tableEnd);
  }

  /** The package with the applied plan, as bytes (for the browser's download and tests). */
  toBytes(): Uint8Array {
    return zipToBytes((writer) => this.writeTo(writer));
  }

  /** Streams the package with the applied plan into a zip writer (the CLI writes it to a temporary file). */
  writeTo(writer: ZipWriter): void {
    const { archive } = this.file;
    if (!this.pending) {
      for (const entry of archive.entries) writer.copy(archive, entry);
      return;
    }
    const changes = this.collectChanges(this.pending);
    const deferred: { name: string; content: () => string | Iterable<string> }[] = [];
    for (const entry of archive.entries) {
      if (changes.removed.has(entry.name)) continue;
      const replacement = changes.replaced.get(entry.name);
      if (!replacement) writer.copy(archive, entry);
      // Parts whose content depends on what the sheets register (styles) are written last.
      else deferred.push({ name: entry.name, content: replacement });
    }
    const last = [...changes.added, ...deferred].sort((a, b) => Number(isStylesPart(a.name)) - Number(isStylesPart(b.name)));
    for (const part of last) writer.add(part.name, part.content());
  }

  private collectChanges(pending: PendingWrite): PackageChanges {
    const { file } = this;
    const { archive } = file;
    const { plan } = pending;
    const takenParts = new Set(archive.entries.map((entry) => entry.name.toLowerCase()));
    const changes: PackageChanges = {
      replaced: new Map(), added: [], removed: new Set(), taken: takenParts, contentTypes: [], workbookRels: [], workbookRelsRemoved: new Set(),
      workbook: {
        addSheets: [], removeSheets: new Set(), removeNames: new Set([...(this.marker()?.names ?? []), ...(plan.definedNames ?? []).map((name) => name.name)]), addNames: plan.definedNames ?? [],
      },
    };
    const takenIds = new Set(file.workbookRelationships.map((relationship) => relationship.id));
    // Named as Excel names them (sheet7.xml, chart2.xml): some readers find parts only by that pattern.
    const freePart = (stem: string) => {
      for (let n = 1; ; n++) {
        const name = `${stem}${n}.xml`;
        if (!takenParts.has(name.toLowerCase())) { takenParts.add(name.toLowerCase()); return name; }
      }
    };
    const stylesPart = this.stylesPart();
    const styles = new StyleBook(stylesPart && archive.get(stylesPart) ? archive.text(archive.get(stylesPart)!) : undefined);

    const sheetsByName = new Map(file.sheets.map((sheet) => [sheet.name, sheet]));
    const ownSheets = this.marker()?.sheets ?? {};
    const keptOwn = new Set<string>();

    for (const planned of plan.sheets) {
      const previous = ownSheets[planned.purpose] === planned.name ? sheetsByName.get(planned.name) : undefined;
      let partName: string;
      if (previous?.partName) {
        partName = previous.partName;
        keptOwn.add(previous.name);
        this.removeSheetAttachments(previous.partName, changes);
      } else {
        partName = freePart('xl/worksheets/sheet');
        const id = freeRelationshipId(takenIds);
        changes.workbook.addSheets.push({ name: planned.name, relationshipId: id });
        changes.workbookRels.push({ id, type: RELATIONSHIP_TYPES.worksheet, target: relativeTarget(file.workbookPart, partName) });
        changes.contentTypes.push({ partName, contentType: CONTENT_TYPES.worksheet });
      }
      const drawingRelId = this.addCharts(planned, partName, freePart, changes);
      const content = () => plannedSheetChunks(planned, styles, { drawingRelId, date1904: file.date1904 });
      if (previous?.partName) changes.replaced.set(archive.get(partName)!.name, content);
      else changes.added.push({ name: partName, content });
    }

    // SegmentKit's sheets that this plan no longer has (a model no longer chosen) go, with their parts.
    for (const name of Object.values(ownSheets)) {
      const sheet = name ? sheetsByName.get(name) : undefined;
      if (sheet && !keptOwn.has(sheet.name)) this.removeSheet(sheet, changes);
    }

    this.writeMarker(pending.marker, freePart, takenIds, changes);
    this.patchTableSheet(pending, styles, changes);
    this.dropCalcChain(changes);

    changes.replaced.set(archive.get(file.workbookPart)!.name, () => patchWorkbookXml(archive.text(archive.get(file.workbookPart)!), changes.workbook));
    const workbookRelsName = relsPartName(file.workbookPart);
    const workbookRelsEntry = archive.get(workbookRelsName);
    if (stylesPart && archive.get(stylesPart)) changes.replaced.set(archive.get(stylesPart)!.name, () => styles.toXml());
    else {
      const name = freePart('xl/styles');
      const id = freeRelationshipId(takenIds);
      changes.workbookRels.push({ id, type: RELATIONSHIP_TYPES.styles, target: relativeTarget(file.workbookPart, name) });
      changes.contentTypes.push({ partName: name, contentType: CONTENT_TYPES.styles });
      changes.added.push({ name, content: () => styles.toXml() });
    }
    const relsContent = () => patchRelationshipsXml(workbookRelsEntry ? archive.text(workbookRelsEntry) : undefined, changes.workbookRels, changes.workbookRelsRemoved);
    if (workbookRelsEntry) changes.replaced.set(workbookRelsEntry.name, relsContent);
    else changes.added.push({ name: workbookRelsName, content: relsContent });
    const typesEntry = archive.get('[Content_Types].xml')!;
    changes.replaced.set(typesEntry.name, () => patchContentTypesXml(archive.text(typesEntry), changes.contentTypes, changes.removed));
    return changes;
  }

  private stylesPart(): string | undefined {
    const relationship = this.file.workbookRelationships.find((candidate) => !candidate.external && isType(candidate, 'styles'));
    return relationship ? resolveTarget(this.file.workbookPart, relationship.target) : undefined;
  }

  /** The chart parts of a plan sheet, and the sheet's rels part pointing at its drawing; the drawing's relationship id. */
  private addCharts(planned: PlannedSheet, sheetPart: string, freePart: (stem: string) => string, changes: PackageChanges): string | undefined {
    // A sheet without a chart takes no drawing name, so the names stay as Excel would number them.
    if (drawnCharts(planned).length === 0) return undefined;
    const parts = sheetChartParts(planned, freePart('xl/drawings/drawing'), () => freePart('xl/charts/chart'))!;
    for (const part of [parts.drawing, parts.drawingRels, ...parts.charts]) changes.added.push({ name: part.path, content: () => part.xml });
    changes.contentTypes.push({ partName: parts.drawing.path, contentType: CONTENT_TYPES.drawing });
    for (const chart of parts.charts) changes.contentTypes.push({ partName: chart.path, contentType: CONTENT_TYPES.chart });
    const drawingRelId = 'rIdSK1';
    const sheetRels = patchRelationshipsXml(undefined, [{ id: drawingRelId, type: RELATIONSHIP_TYPES.drawing, target: relativeTarget(sheetPart, parts.drawing.path) }]);
    const relsName = relsPartName(sheetPart);
    const existing = this.file.archive.get(relsName);
    if (existing) {
      // On a re-run removeSheetAttachments marked this rels part for removal with the old drawing;
      // left so, the sheet's <drawing r:id> would point at nothing and Excel would repair the file.
      changes.removed.delete(existing.name);
      changes.taken.add(existing.name.toLowerCase());
      changes.replaced.set(existing.name, () => sheetRels);
    } else changes.added.push({ name: relsName, content: () => sheetRels });
    return drawingRelId;
  }

  /** The drawing and chart parts an own sheet had from the last run (its rels part is rewritten or removed). */
  private removeSheetAttachments(sheetPart: string, changes: PackageChanges): void {
    const { archive } = this.file;
    for (const relationship of readRelationships(archive, sheetPart)) {
      if (relationship.external || !isType(relationship, 'drawing')) continue;
      const drawing = resolveTarget(sheetPart, relationship.target);
      for (const inner of readRelationships(archive, drawing)) {
        if (!inner.external && isType(inner, 'chart')) this.removePart(resolveTarget(drawing, inner.target), changes);
      }
      this.removePart(relsPartName(drawing), changes);
      this.removePart(drawing, changes);
    }
    this.removePart(relsPartName(sheetPart), changes);
  }

  private removeSheet(sheet: WorkbookSheet, changes: PackageChanges): void {
    changes.workbook.removeSheets = new Set([...changes.workbook.removeSheets, sheet.relationshipId]);
    changes.workbookRelsRemoved.add(sheet.relationshipId);
    if (!sheet.partName) return;
    this.removeSheetAttachments(sheet.partName, changes);
    this.removePart(sheet.partName, changes);
  }

  /** Marks a part for removal; its name may then be given to a part SegmentKit writes now (a re-run's charts keep their names). */
  private removePart(partName: string, changes: PackageChanges): void {
    const entry = this.file.archive.get(partName);
    if (!entry) return;
    changes.removed.add(entry.name);
    changes.taken.delete(entry.name.toLowerCase());
  }

  /** The marker in its very hidden sheet: the part replaced when it exists, else a new sheet. */
  private writeMarker(marker: MarkerState, freePart: (stem: string) => string, takenIds: Set<string>, changes: PackageChanges): void {
    const xml = markerSheetXml(serializeMarker(marker));
    const existing = this.file.sheets.find((sheet) => sheet.name === MARKER_SHEET && sheet.partName);
    if (existing?.partName) {
      changes.replaced.set(this.file.archive.get(existing.partName)!.name, () => xml);
      return;
    }
    const partName = freePart('xl/worksheets/sheet');
    const id = freeRelationshipId(takenIds);
    changes.workbook.addSheets.push({ name: MARKER_SHEET, relationshipId: id, state: 'veryHidden' });
    changes.workbookRels.push({ id, type: RELATIONSHIP_TYPES.worksheet, target: relativeTarget(this.file.workbookPart, partName) });
    changes.contentTypes.push({ partName, contentType: CONTENT_TYPES.worksheet });
    changes.added.push({ name: partName, content: () => xml });
  }

  /** The table's sheet, streamed through the patcher: only SegmentKit's cells, formats and widths change. */
  private patchTableSheet(pending: PendingWrite, styles: StyleBook, changes: PackageChanges): void {
    const { plan, firstColumn, clearColumns } = pending;
    const sheet = this.file.sheets.find((candidate) => candidate.name === plan.sheetName);
    if (!sheet?.partName) throw new Error(`The sheet "${plan.sheetName}" is gone; read the table again.`);
    const entry = this.file.archive.get(sheet.partName)!;
    const headerStyle = styles.cellStyle({ bold: true });
    const columnStyles = plan.columns.map((column) => (column.numberFormat ? styles.cellStyle({ numberFormat: column.numberFormat }) : undefined));
    // The plan's dates are 1900-system serials; a 1904 workbook stores the same day 1,462 less.
    const date1904 = this.file.date1904;
    const dateColumns = plan.columns.map((column) => date1904 && column.numberFormat !== undefined && isDateFormatCode(column.numberFormat));
    const writeColumns = new Set(plan.columns.map((_, index) => firstColumn + index));
    const lastRow = plan.headerRow + plan.rowCount;
    const formulas = plan.mode === 'formulas';
    const conditionalFormatting: string[] = [];
    let sharedIndex = pending.maxSharedIndex ?? -1;
    const nextSharedIndex = () => ++sharedIndex;
    const sharedFormulas = plan.columns.map((column, index) => (formulas && column.rowFormula ? new SharedFormulaColumn(column, firstColumn + index, nextSharedIndex) : undefined));
    const edit: SheetEdit = {
      clearColumns,
      writeColumns,
      firstRow: plan.headerRow,
      lastRow,
      cellsForRow(row) {
        let xml = '';
        if (row === plan.headerRow) {
          plan.columns.forEach((column, index) => { xml += cellXml(row - 1, firstColumn + index, column.header, undefined, headerStyle); });
          return xml;
        }
        const i = row - plan.headerRow - 1;
        plan.columns.forEach((column, index) => {
          const value = column.values[i];
          const stored = dateColumns[index] && typeof value === 'number' ? serialInDateSystem(value, true) : value;
          const f = sharedFormulas[index]?.elementAt(i);
          xml += f ? formulaCellXml(row - 1, firstColumn + index, stored, f, columnStyles[index]) : cellXml(row - 1, firstColumn + index, stored, undefined, columnStyles[index]);
        });
        return xml;
      },
      conditionalFormatting,
      columnWidths: new Map(plan.columns.map((column, index) => [firstColumn + index, Math.max(14, column.header.length + 2)])),
    };
    let priority = (pending.maxRulePriority ?? 0) + 1;
    plan.columns.forEach((column, index) => {
      if (!column.tierColors || plan.rowCount === 0) return;
      const letter = columnLetter(firstColumn + index);
      conditionalFormatting.push(tierColorsXml(`${letter}${plan.headerRow + 1}:${letter}${lastRow}`, column.tierColors, styles, priority));
      priority += column.tierColors.length;
    });
    const created = this.createdRows;
    changes.replaced.set(entry.name, () => (created ? worksheetXmlChunks(created, edit) : patchSheet(this.file.archive.textChunks(entry), edit)));
  }

  /** calcChain.xml lists formula cells; SegmentKit changes which cells hold formulas, and Excel rebuilds a missing chain silently. */
  private dropCalcChain(changes: PackageChanges): void {
    const relationship = this.file.workbookRelationships.find((candidate) => !candidate.external && isType(candidate, 'calcChain'));
    if (!relationship) return;
    changes.workbookRelsRemoved.add(relationship.id);
    this.removePart(resolveTarget(this.file.workbookPart, relationship.target), changes);
  }
}

function isStylesPart(name: string): boolean {
  return /(^|\/)styles[^/]*\.xml$/i.test(name);
}

/** What apply needs to know of the table's sheet once the table is read (the grid itself can go). */
interface SheetFacts {
  name: string;
  /** SegmentKit's columns from the last run. */
  ownColumns: Set<number>;
  /** The user's filled cells right of the table (0-based), in sheet order: where SegmentKit may not write. */
  filledRight: { row: number; column: number }[];
  maxRulePriority?: number;
  maxSharedIndex?: number;
}

function sheetFacts(grid: SheetGrid, ownColumns: Set<number>, tableEnd: number): SheetFacts {
  const filledRight: { row: number; column: number }[] = [];
  grid.rows.forEach((cells, row) => {
    if (!cells) return;
    for (let column = tableEnd + 1; column < cells.length; column++) {
      const value = cells[column];
      if (!ownColumns.has(column) && value !== null && value !== undefined && value !== '') filledRight.push({ row, column });
    }
  });
  return { name: grid.name, ownColumns, filledRight, maxRulePriority: grid.maxRulePriority, maxSharedIndex: grid.maxSharedIndex };
}

/** Refuses to write where a user's cell holds anything, before any byte is written. */
function checkFree(facts: SheetFacts, plan: WritePlan, firstColumn: number): void {
  const lastColumn = firstColumn + plan.columns.length - 1;
  const lastRow = plan.headerRow + plan.rowCount - 1;
  const blocking = facts.filledRight.find(({ row, column }) => column >= firstColumn && column <= lastColumn && row >= plan.headerRow - 1 && row <= lastRow);
  if (blocking) throw new OccupiedCellsError(`${plan.sheetName}!${columnLetter(blocking.column)}${blocking.row + 1}`);
}

/** Characters of the marker per cell, under Excel's 32,767 (a big factor tree and terms table can pass one cell). */
const MARKER_CELL_CHARACTERS = 30_000;

/** The marker's very hidden sheet: the JSON in column A from A1 down, in pieces that fit a cell. */
function markerSheetXml(json: string): string {
  let rows = '';
  for (let start = 0, row = 0; start < json.length; row++) {
    let end = Math.min(json.length, start + MARKER_CELL_CHARACTERS);
    // Never split a surrogate pair: half of one is not XML.
    if (end < json.length && /[\uD800-\uDBFF]/.test(json[end - 1])) end--;
    rows += `<row r="${row + 1}">${cellXml(row, 0, json.slice(start, end))}</row>`;
    start = end;
  }
  return `${XML_DECLARATION}<worksheet xmlns="${SPREADSHEETML_NAMESPACE}"><sheetData>${rows}</sheetData></worksheet>`;
}
