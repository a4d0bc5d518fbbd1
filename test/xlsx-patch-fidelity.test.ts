/**
 * Issue 8, part 1, "Lose nothing": SegmentKit writes a file by patching the input package, so the
 * output is the input with SegmentKit's changes applied and nothing else different. Checked part
 * by part (inflated bytes) and, on the table's sheet, cell by cell and element by element, on
 * workbooks with what Excel users have around a table (test/fixtures/real/, made by
 * scripts/fixtures/make_real_workbooks.py), on the macro workbook with an external link and a
 * database connection, through the CLI and through PackageWorkbook, first runs and re-runs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import Papa from 'papaparse';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main';
import {
  buildCustomerTable, CATALOG, cellText, columnLetter, dateToSerial, defaultSettings, detectRoles, getModel, missingInputs, segment, todaySerial,
  type CellValue, type Segmentation,
} from '../src/engine';
import { MARKER_SHEET } from '../src/workbook/marker';
import { buildPlan, type WritePlan } from '../src/workbook/plan';
import type { TableSnapshot } from '../src/workbook/port';
import { PackageWorkbook } from '../src/workbook/xlsx/package-workbook';
import { EXTERNAL_LINK_PARTS, minimalWorkbook, withExternalLinkAndConnections } from './support/hostile';

const FIXTURES = path.resolve(__dirname, 'fixtures');
const REAL = path.join(FIXTURES, 'real');
const MACROS = path.join(FIXTURES, 'producers', 'xlsxwriter-macros.xlsm');
const PYTHON = '/usr/bin/python3';
const hasOpenpyxl = spawnSync(PYTHON, ['-c', 'import openpyxl']).status === 0;
const hasSoffice = spawnSync('soffice', ['--version']).status === 0;
if (!hasOpenpyxl) console.warn(`SKIPPED: the openpyxl checks of every output: ${PYTHON} with openpyxl is missing.`);
if (!hasSoffice) console.warn('SKIPPED: the LibreOffice checks of every output: soffice (LibreOffice) is not on PATH.');

const work = mkdtempSync(path.join(tmpdir(), 'segmentkit-fidelity-'));
afterAll(() => {
  if (!process.env.SEGMENTKIT_KEEP_TEST_FILES) rmSync(work, { recursive: true, force: true });
});

interface Spec {
  sheet: string;
  headerRow: number;
  headers: string[];
  customers: { id: string; name: string; owner: string; revenue: number; potential: number; margin: number; since: string; daysLate: number; segment: string }[];
}
const SPEC = JSON.parse(readFileSync(path.join(REAL, 'real-workbook.json'), 'utf8')) as Spec;
/** The user's last table column, headed "Segment ABCD" as SegmentKit's ABCD column is (0-based J). */
const USER_SEGMENT_COLUMN = SPEC.headers.indexOf('Segment ABCD');
/** SegmentKit's own ABCD column beside the user's of the same header: the plan names it apart. */
const OWN_ABCD = 'Segment ABCD (SegmentKit)';
const LAST_USER_COLUMN = SPEC.headers.length - 1;

const VARIANTS = [
  { file: 'real-xlsxwriter.xlsx', families: ['xl/charts/', 'xl/drawings/', 'xl/media/', 'xl/tables/', 'xl/comments', 'xl/drawings/vmlDrawing', 'xl/theme/', 'xl/chartsheets/', 'docProps/custom.xml', 'xl/calcChain.xml'] },
  { file: 'real-xlsxwriter-1904.xlsx', families: ['xl/charts/', 'xl/drawings/', 'xl/media/', 'xl/comments', 'xl/theme/', 'xl/chartsheets/', 'docProps/custom.xml', 'xl/calcChain.xml'] },
  { file: 'real-libreoffice-pivot.xlsx', families: ['xl/charts/', 'xl/drawings/', 'xl/media/', 'xl/tables/', 'xl/comments', 'xl/pivotTables/', 'xl/pivotCache/', 'docProps/custom.xml'] },
] as const;

// ---------------------------------------------------------------------------------------------
// A package, read by the test itself: parts, workbook sheets, relationships.

type Parts = Record<string, Uint8Array>;

const unzip = (bytes: Uint8Array): Parts => unzipSync(bytes);
const partText = (parts: Parts, name: string): string => {
  if (!parts[name]) throw new Error(`no part ${name}`);
  return strFromU8(parts[name]);
};

function decodeXml(text: string): string {
  return text.replace(/&(lt|gt|quot|apos|amp|#x[0-9a-f]+|#\d+);/gi, (_, entity: string) => {
    if (entity[0] === '#') return String.fromCodePoint(entity[1].toLowerCase() === 'x' ? parseInt(entity.slice(2), 16) : Number(entity.slice(1)));
    return { lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' }[entity.toLowerCase()]!;
  });
}

function attributesOf(tag: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const match of tag.matchAll(/([\w:.-]+)\s*=\s*(["'])(.*?)\2/g)) attributes[match[1]] = decodeXml(match[3]);
  return attributes;
}

/** Every element `<name …/>` or `<name …>…</name>` (not nested in itself) in `xml`, as written. */
function elements(xml: string, name: string): string[] {
  return [...xml.matchAll(new RegExp(`<${name}\\b[^>]*?(?:/>|>[\\s\\S]*?</${name}>)`, 'g'))].map((match) => match[0]);
}

interface Relationship { id: string; type: string; target: string; external: boolean; raw: string }

function relsName(part: string): string {
  const slash = part.lastIndexOf('/');
  return `${part.slice(0, slash + 1)}_rels/${part.slice(slash + 1)}.rels`;
}

function resolve(source: string, target: string): string {
  const parts = target.startsWith('/') ? [] : source.split('/').slice(0, -1);
  for (const segment of target.replace(/^\//, '').split('/')) {
    if (segment === '..') parts.pop();
    else if (segment !== '.') parts.push(segment);
  }
  return parts.join('/');
}

function relationships(parts: Parts, part: string): Relationship[] {
  const name = relsName(part);
  if (!parts[name]) return [];
  return elements(strFromU8(parts[name]), 'Relationship').map((raw) => {
    const attributes = attributesOf(raw.slice(0, raw.indexOf('>')));
    return { id: attributes.Id, type: attributes.Type, target: attributes.Target, external: attributes.TargetMode === 'External', raw };
  });
}

interface SheetListing { name: string; state?: string; id: string; part: string; raw: string }

function sheetsOf(parts: Parts): SheetListing[] {
  const rels = relationships(parts, 'xl/workbook.xml');
  return elements(partText(parts, 'xl/workbook.xml'), 'sheet').map((raw) => {
    const attributes = attributesOf(raw);
    const id = attributes['r:id'];
    const rel = rels.find((candidate) => candidate.id === id)!;
    return { name: attributes.name, state: attributes.state, id, part: resolve('xl/workbook.xml', rel.target), raw };
  });
}

function sheetPart(parts: Parts, name: string): string {
  const sheet = sheetsOf(parts).find((candidate) => candidate.name === name);
  if (!sheet) throw new Error(`no sheet ${name}`);
  return sheet.part;
}

/** SegmentKit's own sheets in a package, by the marker it stores (none before a first run). */
function ownSheetNames(bytes: Uint8Array): string[] {
  const marker = PackageWorkbook.open(bytes).marker();
  if (!marker) return [];
  return [...Object.values(marker.sheets).filter((name): name is string => Boolean(name)), MARKER_SHEET];
}

/** The parts of SegmentKit's own sheets: the sheet parts, their rels, drawings and charts. */
function ownParts(bytes: Uint8Array): Set<string> {
  const parts = unzip(bytes);
  const own = new Set<string>();
  const follow = (part: string) => {
    if (!parts[part] || own.has(part)) return;
    own.add(part);
    if (parts[relsName(part)]) own.add(relsName(part));
    for (const rel of relationships(parts, part)) if (!rel.external) follow(resolve(part, rel.target));
  };
  const names = new Set(ownSheetNames(bytes));
  for (const sheet of sheetsOf(parts)) if (names.has(sheet.name)) follow(sheet.part);
  return own;
}

// ---------------------------------------------------------------------------------------------
// The table's sheet, read by the test: cells as written, rows' attributes, the other elements.

interface Cell { ref: string; column: number; row: number; raw: string; type?: string; style?: string; formula?: string; formulaAttributes?: Record<string, string>; value?: string; inline?: string }
interface SheetXml { cells: Map<string, Cell>; rows: Map<number, Record<string, string>>; children: Map<string, string[]>; header: Map<number, string> }

/** Children of <worksheet> in schema order (ECMA-376 Part 1, 18.3.1.99). */
const WORKSHEET_CHILDREN = [
  'sheetPr', 'dimension', 'sheetViews', 'sheetFormatPr', 'cols', 'sheetCalcPr', 'sheetProtection', 'protectedRanges', 'scenarios',
  'autoFilter', 'sortState', 'dataConsolidate', 'customSheetViews', 'mergeCells', 'phoneticPr', 'conditionalFormatting',
  'dataValidations', 'hyperlinks', 'printOptions', 'pageMargins', 'pageSetup', 'headerFooter', 'rowBreaks', 'colBreaks',
  'customProperties', 'cellWatches', 'ignoredErrors', 'smartTags', 'drawing', 'legacyDrawing', 'legacyDrawingHF', 'drawingHF',
  'picture', 'oleObjects', 'controls', 'webPublishItems', 'tableParts', 'extLst',
];

function columnIndex(letters: string): number {
  let column = 0;
  for (const letter of letters) column = column * 26 + letter.charCodeAt(0) - 64;
  return column - 1;
}

function readSheetXml(xml: string, sharedStrings: string[]): SheetXml {
  const open = xml.search(/<sheetData\b/);
  const close = xml.indexOf('</sheetData>');
  const data = close < 0 ? '' : xml.slice(open, close);
  const outside = close < 0 ? xml : xml.slice(0, open) + xml.slice(close + '</sheetData>'.length);
  const cells = new Map<string, Cell>();
  const rows = new Map<number, Record<string, string>>();
  for (const rowMatch of data.matchAll(/<row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/row>)/g)) {
    const attributes = attributesOf(rowMatch[1]);
    rows.set(Number(attributes.r), attributes);
    for (const cellMatch of (rowMatch[2] ?? '').matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const a = attributesOf(cellMatch[1]);
      const [, letters, digits] = /^([A-Z]+)(\d+)$/.exec(a.r)!;
      const inner = cellMatch[2] ?? '';
      const f = /<f\b([^>]*?)(?:\/>|>([\s\S]*?)<\/f>)/.exec(inner);
      const v = /<v>([\s\S]*?)<\/v>/.exec(inner);
      const inline = /<is>([\s\S]*?)<\/is>/.exec(inner);
      cells.set(a.r, {
        ref: a.r, column: columnIndex(letters), row: Number(digits), raw: cellMatch[0], type: a.t, style: a.s,
        formula: f ? decodeXml(f[2] ?? '') : undefined, formulaAttributes: f ? attributesOf(f[1]) : undefined,
        value: v ? decodeXml(v[1]) : undefined,
        inline: inline ? decodeXml([...inline[1].matchAll(/<t\b[^>]*>([\s\S]*?)<\/t>/g)].map((t) => t[1]).join('')) : undefined,
      });
    }
  }
  const children = new Map<string, string[]>();
  for (const name of WORKSHEET_CHILDREN) {
    const found = elements(outside, name);
    if (found.length) children.set(name, found);
  }
  const header = new Map<number, string>();
  for (const cell of cells.values()) if (cell.row === SPEC.headerRow) header.set(cell.column, cellString(cell, sharedStrings));
  return { cells, rows, children, header };
}

function sharedStringsOf(parts: Parts): string[] {
  if (!parts['xl/sharedStrings.xml']) return [];
  // _xHHHH_ is ST_Xstring's escape (ECMA-376 Part 1, 22.9.2.19): xlsxwriter writes a carriage return as _x000D_.
  return elements(partText(parts, 'xl/sharedStrings.xml'), 'si').map((si) => decodeXml([...si.matchAll(/<t\b[^>]*>([\s\S]*?)<\/t>/g)].map((t) => t[1]).join(''))
    .replace(/_x([0-9a-f]{4})_/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))));
}

function cellString(cell: Cell | undefined, sharedStrings: string[]): string {
  if (!cell) return '';
  if (cell.type === 's') return sharedStrings[Number(cell.value)] ?? '';
  if (cell.type === 'inlineStr') return cell.inline ?? '';
  return cell.value ?? '';
}

function tableSheet(bytes: Uint8Array, sheet = SPEC.sheet): SheetXml {
  const parts = unzip(bytes);
  return readSheetXml(partText(parts, sheetPart(parts, sheet)), sharedStringsOf(parts));
}

/** SegmentKit's columns on the table's sheet, by the marker's recorded positions, checked against the header row. */
function ownColumns(bytes: Uint8Array, sheet = SPEC.sheet): number[] {
  const marker = PackageWorkbook.open(bytes).marker();
  if (!marker) return [];
  const header = tableSheet(bytes, sheet).header;
  expect(marker.columnPositions!.map((column) => header.get(column))).toEqual(marker.columns);
  return marker.columnPositions!;
}

// ---------------------------------------------------------------------------------------------
// The assertions of "lose nothing".

/**
 * 1. Every part SegmentKit does not write is byte-identical (inflated); the parts that differ are
 * exactly the table's sheet, the workbook part, its rels, [Content_Types].xml, styles.xml and
 * SegmentKit's own sheets with their rels, drawings and charts; calcChain.xml is removed.
 */
function expectOnlyOwnPartsChanged(inputBytes: Uint8Array, outputBytes: Uint8Array, sheet = SPEC.sheet, run: 'first' | 'again' = 'first'): void {
  expectPackageWhole(outputBytes);
  const input = unzip(inputBytes);
  const output = unzip(outputBytes);
  const ownBefore = ownParts(inputBytes);
  const ownAfter = ownParts(outputBytes);
  const written = new Set([sheetPart(input, sheet), 'xl/workbook.xml', 'xl/_rels/workbook.xml.rels', '[Content_Types].xml', 'xl/styles.xml']);
  const changed = Object.keys(input).filter((name) => output[name] && !ownBefore.has(name) && !bytesEqual(input[name], output[name]));
  // A first run writes each of them; a re-run may find some (styles, names) as it left them.
  if (run === 'first') expect(changed.sort()).toEqual([...written].sort());
  else for (const name of changed) expect(written, name).toContain(name);
  const removed = Object.keys(input).filter((name) => !output[name]);
  expect(removed.filter((name) => !ownBefore.has(name))).toEqual(input['xl/calcChain.xml'] ? ['xl/calcChain.xml'] : []);
  const added = Object.keys(output).filter((name) => !input[name] || ownBefore.has(name));
  expect(added.sort()).toEqual([...ownAfter].sort());
  // Nothing of the user's is among SegmentKit's parts.
  for (const name of ownAfter) expect(ownBefore.has(name) || !input[name]).toBe(true);
}

/**
 * The package holds together: every internal relationship's target is a part of it, every r:id a
 * part uses names one of its relationships, and every part but the rels has a content type
 * (ECMA-376 Part 2, 9.3 and 10.1.2). Excel "repairs" a file where one of these fails.
 */
function expectPackageWhole(bytes: Uint8Array): void {
  const parts = unzip(bytes);
  const types = partText(parts, '[Content_Types].xml');
  const defaults = new Set(elements(types, 'Default').map((raw) => attributesOf(raw).Extension.toLowerCase()));
  const overrides = new Set(elements(types, 'Override').map((raw) => attributesOf(raw).PartName.toLowerCase()));
  for (const name of Object.keys(parts)) {
    if (name.endsWith('/') || name === '[Content_Types].xml') continue;
    const extension = name.slice(name.lastIndexOf('.') + 1).toLowerCase();
    expect(overrides.has(`/${name.toLowerCase()}`) || defaults.has(extension), `content type of ${name}`).toBe(true);
    if (name.includes('_rels/')) continue;
    const source = name;
    const ids = new Set(relationships(parts, source).map((rel) => rel.id));
    for (const rel of relationships(parts, source)) if (!rel.external) expect(parts[resolve(source, rel.target)], `${source} → ${rel.target}`).toBeDefined();
    if (/\.(xml|vml)$/.test(name)) {
      for (const match of strFromU8(parts[name]).matchAll(/\br:(?:id|embed|link|pict)="([^"]+)"/g)) expect(ids.has(match[1]), `${name} uses ${match[1]}`).toBe(true);
    }
  }
  for (const override of overrides) expect(parts[override.slice(1)] ?? Object.keys(parts).find((name) => name.toLowerCase() === override.slice(1)), `override ${override}`).toBeDefined();
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, index) => byte === b[index]);
}

/** The workbook part, rels and content types: every entry of the user's still there as written. */
function expectWorkbookEntriesKept(inputBytes: Uint8Array, outputBytes: Uint8Array): void {
  const input = unzip(inputBytes);
  const output = unzip(outputBytes);
  const own = new Set(ownSheetNames(inputBytes));
  const ownNames = new Set(PackageWorkbook.open(inputBytes).marker()?.names ?? []);
  const inputWorkbook = partText(input, 'xl/workbook.xml');
  const outputWorkbook = partText(output, 'xl/workbook.xml');
  const userSheets = sheetsOf(input).filter((sheet) => !own.has(sheet.name));
  // The user's sheets keep their order and every attribute, and come first.
  expect(sheetsOf(output).slice(0, userSheets.length).map((sheet) => sheet.raw)).toEqual(userSheets.map((sheet) => sheet.raw));
  for (const name of ['fileVersion', 'workbookPr', 'workbookProtection', 'bookViews', 'externalReferences', 'pivotCaches', 'extLst']) {
    expect(elements(outputWorkbook, name), name).toEqual(elements(inputWorkbook, name));
  }
  const userNames = elements(inputWorkbook, 'definedName').filter((raw) => !ownNames.has(attributesOf(raw.slice(0, raw.indexOf('>'))).name));
  const outputNames = elements(outputWorkbook, 'definedName');
  for (const raw of userNames) expect(outputNames).toContain(raw);
  const names = outputNames.map((raw) => `${attributesOf(raw.slice(0, raw.indexOf('>'))).localSheetId ?? ''}!${attributesOf(raw.slice(0, raw.indexOf('>'))).name}`);
  expect(new Set(names).size).toBe(names.length);
  const calcChainId = relationships(input, 'xl/workbook.xml').find((rel) => rel.type.endsWith('/calcChain'))?.id;
  const ownIds = new Set(sheetsOf(input).filter((sheet) => own.has(sheet.name)).map((sheet) => sheet.id));
  const outputRels = relationships(output, 'xl/workbook.xml').map((rel) => rel.raw);
  for (const rel of relationships(input, 'xl/workbook.xml')) {
    if (rel.id !== calcChainId && !ownIds.has(rel.id)) expect(outputRels).toContain(rel.raw);
  }
  const ownPartNames = new Set([...ownParts(inputBytes)].map((name) => `/${name}`));
  const outputTypes = partText(output, '[Content_Types].xml');
  for (const entry of [...elements(partText(input, '[Content_Types].xml'), 'Default'), ...elements(partText(input, '[Content_Types].xml'), 'Override')]) {
    const partName = attributesOf(entry).PartName;
    if (partName !== '/xl/calcChain.xml' && !ownPartNames.has(partName)) expect(outputTypes).toContain(entry);
  }
}

/**
 * 2. On the table's sheet only SegmentKit's cells change: every user cell is as written (value,
 * formula text and shared-formula attributes, style, type: the whole element byte for byte), every
 * row keeps its attributes (spans aside, which grow to take SegmentKit's cells), every other element
 * (merges, hyperlinks, validations, autofilter, protection, views, print settings, tableParts,
 * drawing, legacyDrawing, …) is byte for byte the same, and user columns keep their widths.
 */
function expectOnlyOwnCellsChanged(inputBytes: Uint8Array, outputBytes: Uint8Array, sheet = SPEC.sheet): void {
  const before = tableSheet(inputBytes, sheet);
  const after = tableSheet(outputBytes, sheet);
  const ownBefore = new Set(ownColumns(inputBytes, sheet));
  const ownAfter = new Set(ownColumns(outputBytes, sheet));
  expect(ownAfter.size).toBeGreaterThan(0);
  for (const [ref, cell] of before.cells) {
    if (ownBefore.has(cell.column) || ownAfter.has(cell.column)) continue;
    expect(after.cells.get(ref)?.raw, ref).toBe(cell.raw);
  }
  for (const [ref, cell] of after.cells) {
    if (!ownAfter.has(cell.column)) expect(before.cells.get(ref)?.raw, `${ref} is new but not SegmentKit's`).toBe(cell.raw);
  }
  for (const [row, attributes] of before.rows) {
    const withoutSpans = (all: Record<string, string>) => Object.fromEntries(Object.entries(all).filter(([name]) => name !== 'spans'));
    expect(withoutSpans(after.rows.get(row) ?? {}), `row ${row}`).toEqual(withoutSpans(attributes));
  }
  const changeable = new Set(['dimension', 'cols', 'conditionalFormatting']);
  for (const name of WORKSHEET_CHILDREN) {
    if (!changeable.has(name)) expect(after.children.get(name), name).toEqual(before.children.get(name));
  }
  const userConditionalFormats = before.children.get('conditionalFormatting') ?? [];
  for (const raw of userConditionalFormats) {
    const columns = (attributesOf(raw).sqref ?? '').split(/\s+/).map((range) => columnIndex(/^[A-Z]+/.exec(range)![0]));
    if (columns.some((column) => !ownBefore.has(column))) expect(after.children.get('conditionalFormatting')).toContain(raw);
  }
  for (let column = 0; column <= LAST_USER_COLUMN; column++) expect(colOf(after, column), `width of ${columnLetter(column)}`).toEqual(colOf(before, column));
}

function colOf(sheet: SheetXml, column: number): Record<string, string> | undefined {
  for (const raw of elements((sheet.children.get('cols') ?? []).join(''), 'col')) {
    const { min, max, ...rest } = attributesOf(raw);
    if (column + 1 >= Number(min) && column + 1 <= Number(max)) return rest;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Running SegmentKit: through the CLI, and through the package port as the browser does.

interface CliRun { code: number; out: string[]; err: string[]; file: string }

async function cli(input: string, args: string[], output?: string): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const target = output ?? path.join(path.dirname(input), `${path.basename(input).replace(/\.\w+$/, '')}-out${path.extname(input)}`);
  const code = await main(['segment', input, '-o', target, ...args], { out: (line) => out.push(line), err: (line) => err.push(line) });
  return { code, out, err, file: target };
}

function fileIn(name: string, bytes: Uint8Array): string {
  const dir = mkdtempSync(path.join(work, 'run-'));
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

/** The models the CLI runs by default: every one the table has the columns for, but those run only when named. */
function supportedModels(headers: string[]): string[] {
  const mapping = detectRoles(headers);
  return CATALOG.filter((model) => !model.onlyWhenChosen && missingInputs(model, (role) => mapping[role] !== undefined).length === 0).map((model) => model.id);
}

interface PortRun { bytes: Uint8Array; snapshot: TableSnapshot; plan: WritePlan; segmentation: Segmentation }

async function viaPort(bytes: Uint8Array, options: { models?: string[]; reasons?: boolean; sheet?: string } = {}): Promise<PortRun> {
  const workbook = PackageWorkbook.open(bytes, { sheet: options.sheet ?? SPEC.sheet });
  const snapshot = await workbook.readTable();
  const headers = snapshot.headers.map((header) => cellText(header).trim());
  const table = buildCustomerTable(snapshot.headers, snapshot.rows, { origin: snapshot.origin, mapping: detectRoles(headers) });
  const models = options.models ?? supportedModels(headers);
  const segmentation = segment(table, models.map((id) => ({ id, settings: defaultSettings(getModel(id)) })));
  const plan = buildPlan(snapshot, segmentation, { mode: 'formulas', formulas: 'excel', language: 'en', spill: false, reasons: options.reasons });
  await workbook.apply(plan);
  return { bytes: workbook.toBytes(), snapshot, plan, segmentation };
}

/**
 * The day the value model counts customer age to in the CLI runs: fixed, so that two customers
 * (since 2023) are new and raised to Silver, which only comes out right if the date cells
 * SegmentKit writes are in the workbook's date system.
 */
const AS_OF = '2023-12-31';
const AS_OF_ARGS = ['--set', `value.asOf=${AS_OF}`];

/** The engine's own run on the customers as the fixture generator wrote them, read by no SegmentKit reader. */
function engineRun(models?: string[], asOf?: string): Segmentation {
  const rows: CellValue[][] = SPEC.customers.map((customer) => {
    const [year, month, day] = customer.since.split('-').map(Number);
    return [customer.id, customer.name, customer.owner, customer.revenue, customer.potential, customer.margin,
      new Date(Date.UTC(year, month - 1, day)), customer.daysLate, Math.round((customer.potential - customer.revenue) * 100) / 100, customer.segment];
  });
  const headers = SPEC.headers.map((header) => header.trim());
  const table = buildCustomerTable(SPEC.headers, rows, { origin: { headerRow: SPEC.headerRow, firstColumn: 0 }, mapping: detectRoles(headers) });
  const [year, month, day] = (asOf ?? '').split('-').map(Number);
  return segment(table, (models ?? supportedModels(headers)).map((id) => {
    const settings = defaultSettings(getModel(id));
    if (asOf && id === 'value') settings.asOf = dateToSerial(year, month, day);
    return { id, settings };
  }));
}

/** Each model's segment header (as the plan writes it) and the tier id the engine gives each row. */
function expectedSegments(segmentation: Segmentation): { header: string; tiers: string[] }[] {
  return segmentation.results.map((result) => {
    const model = getModel(result.modelId);
    return { header: model.columnHeader, tiers: Array.from(result.tiers, (tier) => (tier < 0 ? '' : model.tiers[tier].id)) };
  });
}

/**
 * The 0-based column of SegmentKit's column with this header, by the marker: the user's table may
 * have a column of the same header ("Segment ABCD"), which is never SegmentKit's.
 */
function marker(bytes: Uint8Array) {
  return PackageWorkbook.open(bytes).marker()!;
}

function ownColumnHeaded(bytes: Uint8Array, header: string): number {
  const marker = PackageWorkbook.open(bytes).marker()!;
  // Where the user's table has a column of the same header, the plan names SegmentKit's apart.
  const index = marker.columns.includes(header) ? marker.columns.indexOf(header) : marker.columns.indexOf(`${header} (SegmentKit)`);
  if (index < 0) throw new Error(`SegmentKit wrote no column headed ${header}`);
  return marker.columnPositions![index];
}

/** The cells of one column under the header, as the test's own reader sees them in the package (cached values). */
function columnCells(bytes: Uint8Array, column: number): string[] {
  const strings = sharedStringsOf(unzip(bytes));
  const sheet = tableSheet(bytes);
  return SPEC.customers.map((_, index) => cellString(sheet.cells.get(`${columnLetter(column)}${SPEC.headerRow + 1 + index}`), strings));
}

const segmentCells = (bytes: Uint8Array, header: string) => columnCells(bytes, ownColumnHeaded(bytes, header));
const userSegmentCells = (bytes: Uint8Array) => columnCells(bytes, USER_SEGMENT_COLUMN);

// ---------------------------------------------------------------------------------------------
// Independent readers: LibreOffice and openpyxl.

function libreOfficeProfile(): string {
  const profile = path.join(work, 'lo-profile');
  const settings = path.join(profile, 'user', 'registrymodifications.xcu');
  if (!existsSync(settings)) {
    mkdirSync(path.dirname(settings), { recursive: true });
    // Recalculate every formula on load, as Excel does with a file another program saved.
    writeFileSync(settings, '<?xml version="1.0" encoding="UTF-8"?>\n<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
      + '<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item></oor:items>');
  }
  return profile;
}

/** The first sheet of each file as CSV rows, as LibreOffice converts it (recalculated). */
function libreOfficeCsv(files: string[]): Map<string, string[][]> {
  const outdir = mkdtempSync(path.join(work, 'csv-'));
  const result = spawnSync('soffice', [`-env:UserInstallation=file://${libreOfficeProfile()}`, '--headless', '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76', '--outdir', outdir, ...files], { encoding: 'utf8', timeout: 300_000 });
  if (result.status !== 0) throw new Error(`soffice failed: ${result.stderr}`);
  const csv = new Map<string, string[][]>();
  for (const file of files) {
    const converted = path.join(outdir, path.basename(file).replace(/\.\w+$/, '.csv'));
    if (!existsSync(converted)) throw new Error(`LibreOffice did not convert ${file}: ${result.stderr}${result.stdout}`);
    csv.set(file, Papa.parse<string[]>(readFileSync(converted, 'utf8'), { skipEmptyLines: false }).data);
  }
  return csv;
}

const OPENPYXL_READ = `
import json, sys, openpyxl
out = {}
for path in sys.argv[1:]:
    formulas = openpyxl.load_workbook(path)
    values = openpyxl.load_workbook(path, data_only=True)
    rows = lambda sheet: [[None if c is None else str(c) for c in row] for row in sheet.iter_rows(values_only=True)]
    out[path] = {
        "sheets": values.sheetnames,
        "date1904": values.epoch.year == 1904,
        "rows": rows(values.worksheets[0]),
        "summary": rows(values["Summary"]),
    }
print(json.dumps(out))
`;

function openpyxlRead(files: string[]): Record<string, { sheets: string[]; date1904: boolean; rows: (string | null)[][]; summary: (string | null)[][] }> {
  const result = spawnSync(PYTHON, ['-c', OPENPYXL_READ, ...files], { encoding: 'utf8', timeout: 120_000 });
  if (result.status !== 0) throw new Error(`openpyxl could not open the output: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

/** A segment column out of rows read by another program, found by its header in the header row. */
function columnFrom(rows: (string | null)[][], header: string, column: number): string[] {
  expect(rows[SPEC.headerRow - 1][column]).toBe(header);
  return SPEC.customers.map((_, index) => rows[SPEC.headerRow + index]?.[column] ?? '');
}

// ---------------------------------------------------------------------------------------------

interface FirstRun { input: string; run: CliRun }
const firstRuns = new Map<string, Promise<FirstRun>>();

/** The CLI's first run on a fixture, made once and shared by the checks that read its output. */
function firstRun(file: string): Promise<FirstRun> {
  let pending = firstRuns.get(file);
  if (!pending) {
    const input = fileIn(file, readFileSync(path.join(REAL, file)));
    pending = cli(input, AS_OF_ARGS).then((run) => ({ input, run }));
    firstRuns.set(file, pending);
  }
  return pending;
}

interface OutputToOpen { file: string; expected: { header: string; column: number; tiers: string[] }[]; sheets: string[]; valueModel: boolean }

function outputToOpen(file: string, expected: { header: string; tiers: string[] }[], valueModel: boolean): OutputToOpen {
  const bytes = readFileSync(file);
  return {
    file,
    expected: expected.map((segments) => {
      const column = ownColumnHeaded(bytes, segments.header);
      // The header as written: the marker knows it, with " (SegmentKit)" where the user's table has the plain one.
      return { ...segments, header: marker(bytes).columns[marker(bytes).columnPositions!.indexOf(column)], column };
    }),
    sheets: sheetsOf(unzip(bytes)).map((sheet) => sheet.name),
    valueModel,
  };
}

/**
 * The outputs other programs must open: each variant's first run and a re-run on it (with the
 * engine's segments to find in them), and the .xlsm with macros (opened, its sheets listed).
 */
async function outputsToOpen(): Promise<OutputToOpen[]> {
  const expected = expectedSegments(engineRun(undefined, AS_OF));
  const outputs: OutputToOpen[] = [];
  for (const { file } of VARIANTS) {
    const { run } = await firstRun(file);
    expect(run.code).toBe(0);
    outputs.push(outputToOpen(run.file, expected, true));
    const again = await cli(run.file, AS_OF_ARGS, run.file.replace(/-out\.xlsx$/, '-rerun.xlsx'));
    expect(again.code).toBe(0);
    outputs.push(outputToOpen(again.file, expected, true));
  }
  const macros = await cli(fileIn('macros.xlsm', withExternalLinkAndConnections(readFileSync(MACROS))), ['-s', 'Kunder', '-m', 'abcd,pareto']);
  expect(macros.code).toBe(0);
  outputs.push(outputToOpen(macros.file, [], false));
  return outputs;
}

/** Today as the engine dates a run, as ISO (the Summary's "Computed on"). */
function runDay(): string {
  return new Date(Date.UTC(1899, 11, 30) + todaySerial() * 86_400_000).toISOString().slice(0, 10);
}

describe.each(VARIANTS)('$file through the CLI', ({ file, families }) => {
  const source = path.join(REAL, file);

  it('has what the fixture promises: the part families, the user "Segment ABCD" column, the carriage-return header', () => {
    const parts = unzip(readFileSync(source));
    for (const family of families) expect(Object.keys(parts).some((name) => name.startsWith(family)), family).toBe(true);
    const header = tableSheet(readFileSync(source)).header;
    expect(header.get(USER_SEGMENT_COLUMN)).toBe('Segment ABCD');
    expect(header.get(LAST_USER_COLUMN + 1)).toBeUndefined();
    expect(header.get(2)).toMatch(/^Account\r?\nmanager$/);
  });

  it('changes only the parts and cells it owns, and its cells equal the engine', async () => {
    const { input, run } = await firstRun(file);
    // Besides models skipped and the title row, the CLI may point at the workbook's Orders sheet as an order log for RFM and CLV.
    expect(run.err.filter((line) => !/skipped|title|has an order log on the sheet "Orders"/.test(line))).toEqual([]);
    expect(run.code).toBe(0);
    const inputBytes = readFileSync(input);
    const outputBytes = readFileSync(run.file);
    expectOnlyOwnPartsChanged(inputBytes, outputBytes);
    expectWorkbookEntriesKept(inputBytes, outputBytes);
    expectOnlyOwnCellsChanged(inputBytes, outputBytes);
    // SegmentKit's columns start right of the table, after the user's own "Segment ABCD".
    expect(ownColumns(outputBytes)[0]).toBe(LAST_USER_COLUMN + 1);
    const expected = expectedSegments(engineRun(undefined, AS_OF));
    // The day matters: without it the new customers would not be raised.
    expect(expected).not.toEqual(expectedSegments(engineRun()));
    for (const { header, tiers } of expected) expect(segmentCells(outputBytes, header), header).toEqual(tiers);
    expect(userSegmentCells(outputBytes)).toEqual(SPEC.customers.map((customer) => customer.segment));
    // The carriage return in the header is still there: sharedStrings is carried over, the header cell too.
    expect(tableSheet(outputBytes).header.get(2)).toBe(tableSheet(inputBytes).header.get(2));
  });

  it('re-run on its own output: only its cells change, its columns, sheets and names replaced in place', async () => {
    const first = await cli(fileIn(file, readFileSync(source)), []);
    const second = await cli(first.file, [], first.file.replace(/-out\.xlsx$/, '-again.xlsx'));
    expect(second.code).toBe(0);
    const once = readFileSync(first.file);
    const twice = readFileSync(second.file);
    expectOnlyOwnPartsChanged(once, twice, SPEC.sheet, 'again');
    expectWorkbookEntriesKept(once, twice);
    expectOnlyOwnCellsChanged(once, twice);
    expectOnlyOwnCellsChanged(readFileSync(source), twice);
    expect(ownColumns(twice)).toEqual(ownColumns(once));
    expect(sheetsOf(unzip(twice)).map((sheet) => sheet.name)).toEqual(sheetsOf(unzip(once)).map((sheet) => sheet.name));
    // Same header row: no column of SegmentKit's appended a second time.
    expect([...tableSheet(twice).header].sort(([a], [b]) => a - b)).toEqual([...tableSheet(once).header].sort(([a], [b]) => a - b));
    const namesOf = (bytes: Uint8Array) => elements(partText(unzip(bytes), 'xl/workbook.xml'), 'definedName').sort();
    expect(namesOf(twice)).toEqual(namesOf(once));
    // The user's own "Segment ABCD" values are untouched on every run.
    expect(userSegmentCells(twice)).toEqual(SPEC.customers.map((customer) => customer.segment));
  });
});

/** One run of SegmentKit on package bytes, through the CLI or through PackageWorkbook as the browser does. */
type Runner = (bytes: Uint8Array, options?: { models?: string[]; reasons?: boolean }) => Promise<Uint8Array>;

const RUNNERS: { name: string; run: Runner }[] = [
  {
    name: 'CLI',
    async run(bytes, options = {}) {
      const args = [...(options.models ? ['-m', options.models.join(',')] : []), ...(options.reasons ? ['--reasons'] : [])];
      const result = await cli(fileIn('book.xlsx', bytes), args);
      expect(result.code, result.err.join('\n')).toBe(0);
      return readFileSync(result.file);
    },
  },
  { name: 'PackageWorkbook', run: async (bytes, options = {}) => (await viaPort(bytes, options)).bytes },
];

describe.each(RUNNERS)('re-runs that write less ($name)', ({ run }) => {
  const source = readFileSync(path.join(REAL, 'real-xlsxwriter.xlsx'));

  it('fewer models: the dropped models\' columns, Terms and Factors sheets, their parts and names go', async () => {
    const allBytes = await run(source);
    const all = PackageWorkbook.open(allBytes).marker()!;
    expect(all.sheets.terms).toBe('Terms');
    expect(all.sheets.factors).toBe('Factors');
    const fewerBytes = await run(allBytes, { models: ['abcd', 'pareto'] });
    const fewer = PackageWorkbook.open(fewerBytes).marker()!;
    expect(fewer.columns).toEqual([OWN_ABCD, 'Segment Pareto']);
    expect(fewer.columnPositions).toEqual([LAST_USER_COLUMN + 1, LAST_USER_COLUMN + 2]);
    const sheet = tableSheet(fewerBytes);
    const dropped = all.columnPositions!.filter((column) => !fewer.columnPositions!.includes(column));
    expect(dropped.length).toBeGreaterThan(0);
    for (const cell of sheet.cells.values()) expect(dropped, `${cell.ref} in a dropped column`).not.toContain(cell.column);
    const names = sheetsOf(unzip(fewerBytes)).map((listing) => listing.name);
    expect(names).toEqual(['Customers', 'Orders', 'Revenue chart', 'Lookup', 'Priority', 'Summary', MARKER_SHEET]);
    for (const part of [sheetPart(unzip(allBytes), 'Terms'), sheetPart(unzip(allBytes), 'Factors')]) expect(unzip(fewerBytes)[part]).toBeUndefined();
    const workbookXml = partText(unzip(fewerBytes), 'xl/workbook.xml');
    const droppedNames = (all.names ?? []).filter((name) => !(fewer.names ?? []).includes(name));
    expect(droppedNames.length).toBeGreaterThan(0);
    for (const name of droppedNames) expect(workbookXml).not.toContain(`name="${name}"`);
    for (const name of fewer.names ?? []) expect(workbookXml.split(`name="${name}"`).length - 1, name).toBe(1);
    expectOnlyOwnPartsChanged(allBytes, fewerBytes, SPEC.sheet, 'again');
    expectOnlyOwnCellsChanged(source, fewerBytes);
    expectOnlyOwnPartsChanged(source, fewerBytes);
    const expected = expectedSegments(engineRun(['abcd', 'pareto']));
    for (const { header, tiers } of expected) expect(segmentCells(fewerBytes, header), header).toEqual(tiers);
  });

  it('--reasons, then without: the Reason columns go', async () => {
    const reasonsBytes = await run(source, { models: ['abcd', 'pareto'], reasons: true });
    const withReasons = PackageWorkbook.open(reasonsBytes).marker()!;
    expect(withReasons.columns).toEqual([OWN_ABCD, 'Reason ABCD', 'Segment Pareto', 'Reason Pareto']);
    const plainBytes = await run(reasonsBytes, { models: ['abcd', 'pareto'] });
    const plain = PackageWorkbook.open(plainBytes).marker()!;
    expect(plain.columns).toEqual([OWN_ABCD, 'Segment Pareto']);
    const header = tableSheet(plainBytes).header;
    expect([...header.values()].filter((text) => text.startsWith('Reason'))).toEqual([]);
    for (const cell of tableSheet(plainBytes).cells.values()) expect(cell.column, cell.ref).toBeLessThanOrEqual(LAST_USER_COLUMN + 2);
    expectOnlyOwnCellsChanged(source, plainBytes);
    expectOnlyOwnPartsChanged(reasonsBytes, plainBytes, SPEC.sheet, 'again');
  });
});

/** The output with a "Notes" column typed by the user right of SegmentKit's columns (header and every customer row). */
function withNotesColumn(bytes: Uint8Array, column: number): Uint8Array {
  const parts = unzip(bytes);
  const name = sheetPart(parts, SPEC.sheet);
  let xml = partText(parts, name);
  const letter = columnLetter(column);
  for (let row = SPEC.headerRow; row <= SPEC.headerRow + SPEC.customers.length; row++) {
    const text = row === SPEC.headerRow ? 'Notes' : `note ${row}`;
    xml = xml.replace(new RegExp(`(<row r="${row}"[^>]*>[\\s\\S]*?)(</row>)`), (_, head: string, end: string) => `${head}<c r="${letter}${row}" t="inlineStr"><is><t>${text}</t></is></c>${end}`);
    xml = xml.replace(new RegExp(`(<row r="${row}"[^>]*?) spans="[^"]*"`), '$1');
  }
  expect(xml.split('<t>Notes</t>').length).toBe(2);
  return rezip({ ...parts, [name]: strToU8(xml) });
}

function rezip(parts: Parts): Uint8Array {
  return zipSync(parts);
}

describe.each(['real-xlsxwriter.xlsx', 'real-xlsxwriter-1904.xlsx'])('the user\'s own columns beside SegmentKit\'s (%s, PackageWorkbook)', (file) => {
  const source = readFileSync(path.join(REAL, file));

  it('a user "Segment ABCD" as the last column: ours goes after it, every user value stays on every run', async () => {
    const first = await viaPort(source);
    expect(ownColumns(first.bytes)[0]).toBe(LAST_USER_COLUMN + 1);
    const second = await viaPort(first.bytes);
    expect(second.snapshot.headers.map((header) => cellText(header).trim())).toEqual(SPEC.headers.map((header) => header.trim()));
    for (const bytes of [first.bytes, second.bytes]) {
      expect(userSegmentCells(bytes)).toEqual(SPEC.customers.map((customer) => customer.segment));
      expectOnlyOwnCellsChanged(source, bytes);
    }
    expect(ownColumns(second.bytes)).toEqual(ownColumns(first.bytes));
  });

  it('a "Notes" column right of SegmentKit\'s: it stays, ours are replaced in place, none of ours is read as data', async () => {
    const first = await viaPort(source);
    const own = ownColumns(first.bytes);
    const notesColumn = own[own.length - 1] + 1;
    const withNotes = withNotesColumn(first.bytes, notesColumn);
    const second = await viaPort(withNotes);
    expect(second.snapshot.headers.map((header) => cellText(header).trim())).toEqual(SPEC.headers.map((header) => header.trim()));
    expect(ownColumns(second.bytes)).toEqual(own);
    const before = tableSheet(withNotes);
    const after = tableSheet(second.bytes);
    for (const [ref, cell] of before.cells) if (cell.column === notesColumn) expect(after.cells.get(ref)?.raw, ref).toBe(cell.raw);
    expect([...after.cells.values()].filter((cell) => cell.column > notesColumn)).toEqual([]);
    expectOnlyOwnCellsChanged(withNotes, second.bytes);
    expectOnlyOwnPartsChanged(withNotes, second.bytes, SPEC.sheet, 'again');
    const expected = expectedSegments(engineRun());
    for (const { header, tiers } of expected) expect(segmentCells(second.bytes, header), header).toEqual(tiers);
  });
});

describe('no room for the columns', () => {
  /** A one-sheet workbook whose header row fills every column, A to XFD, with two customers under it. */
  function fullWidthWorkbook(): Uint8Array {
    const headers = ['Customer ID', 'Revenue', 'Potential'];
    const header = Array.from({ length: 16_384 }, (_, column) => `<c r="${columnLetter(column)}1" t="inlineStr"><is><t>${headers[column] ?? `Field ${column + 1}`}</t></is></c>`).join('');
    const row = (r: number, id: string, revenue: number) => `<row r="${r}"><c r="A${r}" t="inlineStr"><is><t>${id}</t></is></c><c r="B${r}"><v>${revenue}</v></c><c r="C${r}"><v>${revenue * 2}</v></c><c r="XFD${r}"><v>1</v></c></row>`;
    const sheet = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:XFD3"/><sheetData>'
      + `<row r="1">${header}</row>${row(2, 'K1', 500)}${row(3, 'K2', 300)}</sheetData></worksheet>`;
    const parts = unzip(minimalWorkbook());
    return rezip({ ...parts, [sheetPart(parts, 'Kunder')]: strToU8(sheet) });
  }

  it('the CLI exits 1 with one sentence and leaves no output file and no temporary file', async () => {
    const input = fileIn('full.xlsx', fullWidthWorkbook());
    const dir = path.dirname(input);
    const run = await cli(input, ['-m', 'abcd']);
    expect(run.code).toBe(1);
    expect(run.err).toHaveLength(1);
    expect(run.err[0]).toMatch(/^segmentkit: (SegmentKit stopped: )?SegmentKit needs 1 empty column to the right of column XFD, but a sheet ends at column XFD \(16,384 columns\): delete or move columns to the right of the table, or choose fewer models, then run again\.$/);
    expect(readdirSync(dir).sort()).toEqual(['full.xlsx']);
  });

  it('an output file that existed before is left as it was', async () => {
    const input = fileIn('full.xlsx', fullWidthWorkbook());
    const target = path.join(path.dirname(input), 'existing.xlsx');
    const earlier = readFileSync(path.join(REAL, 'real-xlsxwriter.xlsx'));
    writeFileSync(target, earlier);
    const modified = statSync(target).mtimeMs;
    const run = await cli(input, ['-m', 'abcd'], target);
    expect(run.code).toBe(1);
    expect(bytesEqual(readFileSync(target), earlier)).toBe(true);
    expect(statSync(target).mtimeMs).toBe(modified);
    expect(readdirSync(path.dirname(input)).sort()).toEqual(['existing.xlsx', 'full.xlsx']);
  });
});

describe('an .xlsm with macros, an external link and a database connection', () => {
  const macroBook = withExternalLinkAndConnections(readFileSync(MACROS));

  it('stays an .xlsm: named so by default, vbaProject.bin, the link and the connection byte for byte, the macro content type kept', async () => {
    const input = fileIn('Kunder med makroer.xlsm', macroBook);
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(['segment', input, '-s', 'Kunder', '-m', 'abcd,pareto'], { out: (line) => out.push(line), err: (line) => err.push(line) });
    expect(err).toEqual([]);
    expect(code).toBe(0);
    const target = input.replace(/\.xlsm$/, '-segmented.xlsm');
    expect(readdirSync(path.dirname(input)).sort()).toEqual(['Kunder med makroer-segmented.xlsm', 'Kunder med makroer.xlsm']);
    const inputParts = unzip(macroBook);
    const outputBytes = readFileSync(target);
    const outputParts = unzip(outputBytes);
    for (const name of ['xl/vbaProject.bin', EXTERNAL_LINK_PARTS.externalLink, EXTERNAL_LINK_PARTS.externalLinkRels, EXTERNAL_LINK_PARTS.connections]) {
      expect(bytesEqual(outputParts[name], inputParts[name]), name).toBe(true);
    }
    expect(partText(outputParts, '[Content_Types].xml')).toContain('<Override PartName="/xl/workbook.xml" ContentType="application/vnd.ms-excel.sheet.macroEnabled.main+xml"/>');
    expect(partText(outputParts, '[Content_Types].xml')).toContain('ContentType="application/vnd.ms-office.vbaProject"');
    expectOnlyOwnPartsChanged(macroBook, outputBytes, 'Kunder');
    expectWorkbookEntriesKept(macroBook, outputBytes);
    expect(partText(outputParts, 'xl/workbook.xml')).toContain('<externalReferences><externalReference r:id="rIdSkExternal1"/></externalReferences>');
  });
});

describe('every output opens in other programs with the engine\'s segments', () => {
  it.skipIf(!hasOpenpyxl)(`openpyxl opens every output and reads the engine's segments${hasOpenpyxl ? '' : ' [skipped: no openpyxl]'}`, async () => {
    const outputs = await outputsToOpen();
    const read = openpyxlRead(outputs.map((output) => output.file));
    for (const output of outputs) {
      const book = read[output.file];
      expect(book.sheets).toEqual(output.sheets);
      expect(book.date1904).toBe(output.file.includes('1904'));
      for (const { header, column, tiers } of output.expected) expect(columnFrom(book.rows, header, column), `${output.file} ${header}`).toEqual(tiers);
      if (!output.valueModel) continue;
      // Date cells SegmentKit writes read as the same day in either date system.
      const asOfRow = book.summary.find((row) => row[0] === 'Customer age as of');
      expect(asOfRow?.[3], output.file).toBe(`${AS_OF} 00:00:00`);
      const today = runDay();
      const computedOn = book.summary.filter((row) => row[4]?.match(/^\d{4}-\d\d-\d\d /)).map((row) => row[4]!.slice(0, 10));
      expect(computedOn.length).toBeGreaterThan(0);
      expect(new Set(computedOn), output.file).toEqual(new Set([today]));
    }
  }, 120_000);

  it.skipIf(!hasSoffice)(`LibreOffice opens every output, recalculates, and shows the engine's segments${hasSoffice ? '' : ' [skipped: no soffice]'}`, async () => {
    const outputs = await outputsToOpen();
    const csv = libreOfficeCsv(outputs.map((output) => output.file));
    for (const output of outputs) {
      const rows = csv.get(output.file)!;
      expect(rows.length, output.file).toBeGreaterThan(1);
      for (const { header, column, tiers } of output.expected) expect(columnFrom(rows, header, column), `${output.file} ${header}`).toEqual(tiers);
    }
  }, 300_000);
});
