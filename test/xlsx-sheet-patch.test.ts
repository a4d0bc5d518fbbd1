import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { columnLetter } from '../src/engine';
import { OccupiedCellsError } from '../src/workbook/port';
import { cellXml } from '../src/workbook/xlsx/cell-xml';
import {
  checkColumnRoom, MalformedSheetError, nextConditionalFormatPriority, NoRoomForColumnsError, patchSheet, SheetPatcher, type SheetEdit,
} from '../src/workbook/xlsx/sheet-patch';

/**
 * Producer sheets come from test/support/sheet-patch-producers.py (openpyxl 3.0 and xlsxwriter 3.0,
 * run by Debian's /usr/bin/python3) and from LibreOffice re-saving the xlsxwriter workbook. The
 * openpyxl sheet is then given what openpyxl cannot write: a shared formula filled down, an
 * inline rich-text cell with a CDATA section holding "</c></row>", a comment holding
 * "</sheetData>" between rows, and a processing instruction inside a row.
 */

const PYTHON = '/usr/bin/python3';
const SHEET_PART = 'xl/worksheets/sheet1.xml';
const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';

/** Revenue (column C) of sheet rows 2..12 as the producers write it; row 10 is empty. */
const REVENUE: Record<number, number> = { 2: 1200, 3: 800, 4: 450, 5: 3000, 6: 150, 7: 90, 8: 60, 9: 40, 11: 25, 12: 10 };
const E = 4;
const F = 5;

function segmentLetter(revenue: number): string {
  return revenue >= 1000 ? 'A' : revenue >= 100 ? 'B' : 'C';
}

/** SegmentKit's cells as the writer would make them: a value column and a live formula column. */
function segmentCells(columns: [number, number], lastRow: number) {
  const [valueColumn, formulaColumn] = columns;
  const byRow = new Map<number, string[]>();
  for (let row = 1; row <= lastRow; row++) {
    const revenue = REVENUE[row];
    const cells = row === 1
      ? [cellXml(0, valueColumn, 'Segment ABCD'), cellXml(0, formulaColumn, 'Revenue tier')]
      : [cellXml(row - 1, valueColumn, revenue === undefined ? null : segmentLetter(revenue)),
        cellXml(row - 1, formulaColumn, (revenue ?? 0) >= 500 ? 'high' : 'low', `IF(C${row}>=500,"high","low")`)];
    byRow.set(row, cells.filter(Boolean));
  }
  return byRow;
}

function expectedValue(row: number, column: number, columns: [number, number]): string | undefined {
  if (row === 1) return column === columns[0] ? 'Segment ABCD' : 'Revenue tier';
  const revenue = REVENUE[row];
  if (column === columns[0]) return revenue === undefined ? undefined : segmentLetter(revenue);
  return (revenue ?? 0) >= 500 ? 'high' : 'low';
}

function conditionalFormat(column: number, lastRow: number, priority: number): string {
  const letter = columnLetter(column);
  return `<conditionalFormatting sqref="${letter}2:${letter}${lastRow}"><cfRule type="cellIs" dxfId="0" priority="${priority}" operator="equal"><formula>"A"</formula></cfRule></conditionalFormatting>`;
}

interface Case {
  edit: SheetEdit;
  cells: Map<number, string[]>;
  calls: number[];
}

function segmentEdit(input: string, options: { columns?: [number, number]; clear?: number[]; lastRow?: number; widths?: boolean } = {}): Case {
  const columns = options.columns ?? [E, F];
  const lastRow = options.lastRow ?? 14;
  const cells = segmentCells(columns, lastRow);
  const calls: number[] = [];
  const priority = nextConditionalFormatPriority([input]);
  return {
    cells,
    calls,
    edit: {
      clearColumns: new Set(options.clear ?? []),
      writeColumns: new Set(columns),
      firstRow: 1,
      lastRow,
      cellsForRow: (row) => { calls.push(row); return (cells.get(row) ?? []).join(''); },
      conditionalFormatting: [conditionalFormat(columns[0], lastRow, priority)],
      columnWidths: options.widths === false ? new Map() : new Map([[columns[0], 14], [columns[1], 11.5]]),
      sheetName: 'Kunder',
    },
  };
}

function patch(input: string, edit: SheetEdit, chunkSize = input.length): string {
  const chunks: string[] = [];
  for (let at = 0; at < input.length; at += chunkSize) chunks.push(input.slice(at, at + chunkSize));
  return [...patchSheet(chunks, edit)].join('');
}

function removeOnce(text: string, piece: string, what: string): string {
  const at = text.indexOf(piece);
  expect(at, `${what} is in the output`).toBeGreaterThanOrEqual(0);
  expect(text.indexOf(piece, at + 1), `${what} is in the output once`).toBe(-1);
  return text.slice(0, at) + text.slice(at + piece.length);
}

const ROW_TAG = /<((?:\w+:)?row)\b[^>]*?\/?>/g;

function rowTags(xml: string): Map<number, string> {
  const tags = new Map<number, string>();
  for (const match of xml.matchAll(ROW_TAG)) tags.set(Number(/\sr="(\d+)"/.exec(match[0])?.[1]), match[0]);
  return tags;
}

function colsElement(xml: string): string | undefined {
  return /<((?:\w+:)?cols)\b[^>]*>[\s\S]*?<\/\1>/.exec(xml)?.[0];
}

/** Attributes of every column 1..24 as the <col> elements give them (a later element wins, as in Excel). */
function columnAttributes(xml: string): Map<number, Record<string, string>> {
  const columns = new Map<number, Record<string, string>>();
  for (const match of (colsElement(xml) ?? '').matchAll(/<(?:\w+:)?col\b([^>]*?)\/?>/g)) {
    const attributes = Object.fromEntries([...match[1].matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    const { min, max, ...rest } = attributes;
    for (let column = Number(min); column <= Math.min(Number(max), 24); column++) columns.set(column, rest);
  }
  return columns;
}

/**
 * The input again, from the output: SegmentKit's cells, created rows and conditional formats taken
 * out, and the three attributes it widens (dimension, spans, cols, checked on their own) put back.
 */
function undoPatch(output: string, input: string, test: Case): string {
  let text = output;
  for (const cells of test.cells.values()) for (const cell of cells) text = removeOnce(text, cell, `cell ${cell.slice(0, 12)}`);
  for (const format of test.edit.conditionalFormatting) text = removeOnce(text, format, 'the new conditional format');
  const inputRows = rowTags(input);
  for (const [row, tag] of rowTags(text)) {
    if (!inputRows.has(row)) {
      const name = /^<([^\s>]+)/.exec(tag)![1];
      text = removeOnce(text, `${tag}</${name}>`, `created row ${row}`);
    }
  }
  text = text.replace(/(<(?:\w+:)?dimension ref=")[^"]*/, `$1${/<(?:\w+:)?dimension ref="([^"]*)/.exec(input)?.[1]}`);
  text = text.replace(ROW_TAG, (tag) => inputRows.get(Number(/\sr="(\d+)"/.exec(tag)?.[1])) ?? tag);
  const inputCols = colsElement(input);
  const outputCols = colsElement(text);
  if (outputCols) text = text.replace(outputCols, inputCols ?? '');
  return text;
}

/** The openpyxl sheet plus what openpyxl cannot write (see the note at the top). */
function enrichOpenpyxlSheet(xml: string): string {
  let enriched = xml.replace(/<c r="D(\d+)"><f>C\1\*2<\/f><v><\/v><\/c>/g, (_, row: string) => {
    const value = REVENUE[Number(row)] * 2;
    return row === '2' ? `<c r="D2"><f t="shared" ref="D2:D12" si="0">C2*2</f><v>${value}</v></c>` : `<c r="D${row}"><f t="shared" si="0"/><v>${value}</v></c>`;
  });
  enriched = enriched.replace('<c r="G3" t="inlineStr"><is><t>call before Q3</t></is></c>',
    '<c r="G3" t="inlineStr"><is><r><rPr><b/><sz val="11"/></rPr><t>call</t></r><r><t xml:space="preserve"><![CDATA[ before </c></row> Q3]]></t></r></is></c>');
  enriched = enriched.replace('<row r="6">', '<!-- rows below come from the CRM export </sheetData> --><row r="6">');
  enriched = enriched.replace('<row r="2" ht="30" customHeight="1">', '<row r="2" ht="30" customHeight="1"><?crm-export id="2"?>');
  expect(enriched.match(/t="shared"/g)).toHaveLength(10);
  return enriched;
}

/** A sheet as the Open XML SDK writes it with an x: prefix: rows and cells without r, a user column at E. */
const PREFIXED = `<?xml version="1.0" encoding="utf-8"?><x:worksheet xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:x="${MAIN}"><x:sheetViews><x:sheetView workbookViewId="0"/></x:sheetViews><x:sheetData>`
  + '<x:row><x:c t="inlineStr"><x:is><x:t>Customer</x:t></x:is></x:c><x:c t="inlineStr"><x:is><x:t>Revenue</x:t></x:is></x:c><x:c r="E1" t="inlineStr"><x:is><x:t>Notes</x:t></x:is></x:c></x:row>'
  + '<x:row><x:c t="inlineStr"><x:is><x:t>Nordlys</x:t></x:is></x:c><x:c><x:v>1200</x:v></x:c></x:row>'
  + '<x:row r="4"><x:c t="inlineStr"><x:is><x:t>Fjord</x:t></x:is></x:c><x:c><x:v>800</x:v></x:c><x:c r="E4" t="inlineStr"><x:is><x:t>VIP</x:t></x:is></x:c></x:row>'
  + '</x:sheetData><x:pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></x:worksheet>';

let dir = '';
const packages: Record<string, Record<string, Uint8Array>> = {};
const sheets: Record<string, string> = {};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sheet-patch-'));
  execFileSync(PYTHON, [join(__dirname, 'support', 'sheet-patch-producers.py'), dir]);
  execFileSync('soffice', [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--convert-to', 'xlsx', '--outdir', join(dir, 'libreoffice'), join(dir, 'xlsxwriter.xlsx')], { stdio: 'ignore' });
  for (const [name, path] of [['openpyxl', 'openpyxl.xlsx'], ['xlsxwriter', 'xlsxwriter.xlsx'], ['libreoffice', 'libreoffice/xlsxwriter.xlsx']]) {
    packages[name] = unzipSync(readFileSync(join(dir, path)));
    sheets[name] = strFromU8(packages[name][SHEET_PART]);
  }
  sheets.openpyxl = enrichOpenpyxlSheet(sheets.openpyxl);
  packages.openpyxl = { ...packages.openpyxl, [SHEET_PART]: strToU8(sheets.openpyxl) };
}, 120_000);

afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

const PRODUCERS = ['openpyxl', 'xlsxwriter', 'libreoffice'] as const;

describe('patchSheet on producer sheets', () => {
  it.each(PRODUCERS)('%s: everything but SegmentKit\'s cells, dimension, spans and cols is the input, byte for byte', (producer) => {
    const input = sheets[producer];
    const test = segmentEdit(input);
    const output = patch(input, test.edit);
    expect(test.calls).toEqual(Array.from({ length: 14 }, (_, index) => index + 1));
    expect(undoPatch(output, input, test)).toBe(input);
    // The three widened attributes, one by one.
    expect(/<dimension ref="([^"]*)"/.exec(output)?.[1]).toBe(producer === 'openpyxl' ? 'A1:I14' : 'A1:L14');
    for (const [row, tag] of rowTags(output)) {
      const spans = /spans="(\d+):(\d+)"/.exec(tag);
      if (spans) expect([row, Number(spans[1]) <= E + 1 && Number(spans[2]) >= F + 1]).toEqual([row, true]);
    }
    const before = columnAttributes(input);
    const after = columnAttributes(output);
    for (let column = 1; column <= 24; column++) {
      if (column === E + 1 || column === F + 1) {
        const withoutWidth = (attributes: Record<string, string> = {}) => Object.fromEntries(Object.entries(attributes).filter(([name]) => name !== 'width' && name !== 'customWidth'));
        const { width, customWidth } = after.get(column)!;
        expect([column, width, customWidth, withoutWidth(after.get(column))]).toEqual([column, column === E + 1 ? '14' : '11.5', '1', withoutWidth(before.get(column))]);
      } else {
        expect([column, after.get(column)]).toEqual([column, before.get(column)]);
      }
    }
  });

  it.each(PRODUCERS)('%s: the same output whatever the chunk boundaries (1, 7, 64 characters, whole)', (producer) => {
    const input = sheets[producer];
    const whole = patch(input, segmentEdit(input).edit);
    for (const size of [1, 7, 64]) expect(patch(input, segmentEdit(input).edit, size)).toBe(whole);
  });

  it.each(PRODUCERS)('%s: a re-run on its own output, clearing its columns, gives the same output (nothing doubled)', (producer) => {
    const input = sheets[producer];
    const first = patch(input, segmentEdit(input).edit);
    const second = patch(first, segmentEdit(input, { clear: [E, F] }).edit);
    expect(second).toBe(first);
  });

  it('a re-run that moves SegmentKit\'s columns leaves exactly what a first run there would', () => {
    const input = sheets.openpyxl;
    const first = patch(input, segmentEdit(input, { widths: false }).edit);
    const moved = segmentEdit(input, { columns: [9, 10], clear: [E, F], widths: false });
    const direct = segmentEdit(input, { columns: [9, 10], widths: false });
    expect(patch(first, moved.edit)).toBe(patch(input, direct.edit));
    expect(patch(first, moved.edit)).not.toMatch(/<c r="[EF]\d+"/);
  });

  it('puts SegmentKit\'s cells before a user column to their right and creates absent rows in order', () => {
    const input = sheets.openpyxl;
    const output = patch(input, segmentEdit(input).edit);
    const row3 = /<row r="3">.*?<\/row>/s.exec(output)![0];
    expect([...row3.matchAll(/<c r="([A-Z]+)3"/g)].map((m) => m[1])).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'G']);
    const rows = [...output.matchAll(/<row r="(\d+)"/g)].map((m) => Number(m[1]));
    expect(rows).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    expect(output).toContain(`<row r="10">${cellXml(9, F, 'low', 'IF(C10>=500,"high","low")')}</row>`);
  });

  it('removes only conditional formats lying wholly in the cleared columns, and numbers new rules after every existing one', () => {
    const input = sheets.libreoffice;
    expect(nextConditionalFormatPriority([input])).toBe(4);
    const userFormatOverOurs = '<conditionalFormatting sqref="A2:F14"><cfRule type="expression" priority="9"><formula>$C2&gt;0</formula></cfRule></conditionalFormatting>';
    const withUserFormat = input.replace('<dataValidations', `${userFormatOverOurs}<dataValidations`);
    const first = patch(withUserFormat, segmentEdit(withUserFormat).edit);
    expect(first).toContain(`${userFormatOverOurs}${conditionalFormat(E, 14, 10)}<dataValidations`);
    const second = patch(first, segmentEdit(withUserFormat, { columns: [12, 13], clear: [E, F] }).edit);
    expect(second).not.toContain('sqref="E2:E14"');
    expect(second).toContain(userFormatOverOurs);
    expect(second.match(/<conditionalFormatting /g)).toHaveLength(4);
  });
});

describe('patchSheet on hand-made sheets', () => {
  const plainEdit = (columns: number[], cells: Record<number, string>, lastRow: number, more: Partial<SheetEdit> = {}): SheetEdit => ({
    clearColumns: new Set(), writeColumns: new Set(columns), firstRow: 1, lastRow,
    cellsForRow: (row) => cells[row] ?? '', conditionalFormatting: [], columnWidths: new Map(), ...more,
  });

  it('writes into an x:-prefixed sheet with rows and cells without r, in the producer\'s prefix', () => {
    const cells = { 1: cellXml(0, 2, 'Segment'), 2: cellXml(1, 2, 'A'), 3: cellXml(2, 2, 'B'), 4: cellXml(3, 2, 'B') };
    const output = patch(PREFIXED, plainEdit([2], cells, 4, { columnWidths: new Map([[2, 12]]), conditionalFormatting: [conditionalFormat(2, 4, 1)] }));
    expect(output).toBe(PREFIXED
      .replace('<x:sheetData>', '<x:cols><x:col min="3" max="3" width="12" customWidth="1"/></x:cols><x:sheetData>')
      .replace('<x:c r="E1"', '<x:c r="C1" t="inlineStr"><x:is><x:t>Segment</x:t></x:is></x:c><x:c r="E1"')
      .replace('<x:v>1200</x:v></x:c></x:row>', '<x:v>1200</x:v></x:c><x:c r="C2" t="inlineStr"><x:is><x:t>A</x:t></x:is></x:c></x:row><x:row r="3"><x:c r="C3" t="inlineStr"><x:is><x:t>B</x:t></x:is></x:c></x:row>')
      .replace('<x:c r="E4"', '<x:c r="C4" t="inlineStr"><x:is><x:t>B</x:t></x:is></x:c><x:c r="E4"')
      .replace('<x:pageMargins', '<x:conditionalFormatting sqref="C2:C4"><x:cfRule type="cellIs" dxfId="0" priority="1" operator="equal"><x:formula>"A"</x:formula></x:cfRule></x:conditionalFormatting><x:pageMargins'));
    for (const size of [1, 7, 64]) expect(patch(PREFIXED, plainEdit([2], cells, 4, { columnWidths: new Map([[2, 12]]), conditionalFormatting: [conditionalFormat(2, 4, 1)] }), size)).toBe(output);
  });

  it('gives a cell without r its reference when the cell before it was cleared', () => {
    const input = `<worksheet xmlns="${MAIN}"><sheetData><row><c><v>1</v></c><c><v>2</v></c><c><v>3</v></c></row></sheetData></worksheet>`;
    expect(patch(input, plainEdit([], {}, 1, { clearColumns: new Set([1]) })))
      .toBe(`<worksheet xmlns="${MAIN}"><sheetData><row><c><v>1</v></c><c r="C1"><v>3</v></c></row></sheetData></worksheet>`);
  });

  it('fills an empty <sheetData/>, and leaves it as it was when no row gets a cell', () => {
    const input = `<worksheet xmlns="${MAIN}"><dimension ref="A1"/><sheetData/><pageMargins left="0.7"/></worksheet>`;
    expect(patch(input, plainEdit([0], { 2: cellXml(1, 0, 'A') }, 3)))
      .toBe(`<worksheet xmlns="${MAIN}"><dimension ref="A1:A3"/><sheetData><row r="2"><c r="A2" t="inlineStr"><is><t>A</t></is></c></row></sheetData><pageMargins left="0.7"/></worksheet>`);
    expect(patch(input, plainEdit([0], {}, 3))).toBe(input.replace('ref="A1"', 'ref="A1:A3"'));
  });

  it('expands a self-closing row and drops a spans list it cannot widen', () => {
    const input = `<worksheet xmlns="${MAIN}"><sheetData><row r="1" spans="1:2 4:4" ht="20" customHeight="1" /></sheetData></worksheet>`;
    expect(patch(input, plainEdit([5], { 1: cellXml(0, 5, 7) }, 1)))
      .toBe(`<worksheet xmlns="${MAIN}"><sheetData><row r="1" ht="20" customHeight="1" ><c r="F1"><v>7</v></c></row></sheetData></worksheet>`);
  });

  it('replaces a styled-empty user cell where it writes, and refuses a user value there', () => {
    const input = (cell: string) => `<worksheet xmlns="${MAIN}"><sheetData><row r="5"><c r="A5"><v>1</v></c>${cell}<c r="H5"><v>2</v></c></row></sheetData></worksheet>`;
    const edit = () => plainEdit([5], { 5: cellXml(4, 5, 'A') }, 5);
    expect(patch(input('<c r="F5" s="3"/>'), edit())).toBe(input(cellXml(4, 5, 'A')));
    expect(patch(input('<c r="F5" s="3"></c>'), edit())).toBe(input(cellXml(4, 5, 'A')));
    expect(() => patch(input('<c r="F5" s="3"><v>9</v></c>'), edit())).toThrow(OccupiedCellsError);
  });

  it('puts its cells before a row\'s extLst, and drops a cleared cell with the comment inside it', () => {
    const input = `<worksheet xmlns="${MAIN}"><sheetData><row r="2"><c r="A2"><v>1</v></c><c r="B2"><!-- old </c> --><v>5</v></c><extLst><ext uri="{x}"><c r="Z2"/></ext></extLst></row></sheetData></worksheet>`;
    expect(patch(input, plainEdit([2], { 2: cellXml(1, 2, 'A') }, 2, { clearColumns: new Set([1]) })))
      .toBe(`<worksheet xmlns="${MAIN}"><sheetData><row r="2"><c r="A2"><v>1</v></c>${cellXml(1, 2, 'A')}<extLst><ext uri="{x}"><c r="Z2"/></ext></extLst></row></sheetData></worksheet>`);
  });

  it('adds widths to a self-closing <cols/> and splits only the range that covers its column', () => {
    const input = `<worksheet xmlns="${MAIN}"><cols/><sheetData/></worksheet>`;
    expect(patch(input, plainEdit([3], {}, 1, { columnWidths: new Map([[3, 9]]) })))
      .toBe(`<worksheet xmlns="${MAIN}"><cols><col min="4" max="4" width="9" customWidth="1"/></cols><sheetData/></worksheet>`);
    const ranges = `<worksheet xmlns="${MAIN}"><cols><col min="1" max="2" width="5" customWidth="1"/><col min="3" max="6" width="8" style="4" customWidth="1"/></cols><sheetData/></worksheet>`;
    expect(patch(ranges, plainEdit([3], {}, 1, { columnWidths: new Map([[3, 12]]) })))
      .toBe(`<worksheet xmlns="${MAIN}"><cols><col min="1" max="2" width="5" customWidth="1"/><col min="3" max="3" width="8" style="4" customWidth="1"/><col min="4" max="4" width="12" style="4" customWidth="1"/><col min="5" max="6" width="8" style="4" customWidth="1"/></cols><sheetData/></worksheet>`);
  });

  it('counts x14 rule priorities in extLst when numbering new rules', () => {
    const input = `<worksheet xmlns="${MAIN}"><sheetData/><conditionalFormatting sqref="A1"><cfRule type="expression" priority="3"><formula>1</formula></cfRule></conditionalFormatting><extLst><ext uri="{78C0D931-6437-407d-A8EE-F0AAD7539E65}"><x14:conditionalFormattings xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"><x14:conditionalFormatting><x14:cfRule type="expression" priority="7"/></x14:conditionalFormatting></x14:conditionalFormattings></ext></extLst></worksheet>`;
    expect(nextConditionalFormatPriority([input])).toBe(8);
    expect(nextConditionalFormatPriority([`<worksheet xmlns="${MAIN}"><sheetData/></worksheet>`])).toBe(1);
  });

  it('refuses columns past XFD before writing anything', () => {
    expect(checkColumnRoom(16_381, 2)).toBe(16_382);
    expect(() => checkColumnRoom(16_382, 2)).toThrow(NoRoomForColumnsError);
    expect(() => checkColumnRoom(16_382, 2)).toThrow(/2 empty columns to the right of column XFC, but a sheet ends at column XFD \(16,384 columns\)/);
    const pieces = patchSheet([`<worksheet xmlns="${MAIN}"><sheetData/></worksheet>`], plainEdit([16_383, 16_384], {}, 1));
    expect(() => pieces.next()).toThrow(NoRoomForColumnsError);
  });

  it('refuses a truncated part and rows out of order', () => {
    expect(() => patch(`<worksheet xmlns="${MAIN}"><sheetData><row r="1"><c r="A1"`, plainEdit([1], {}, 1))).toThrow(MalformedSheetError);
    expect(() => patch(`<worksheet xmlns="${MAIN}"><sheetData><row r="3"/><row r="2"/></sheetData></worksheet>`, plainEdit([1], {}, 3))).toThrow(MalformedSheetError);
  });

  it('hands output on in bounded pieces when it creates many rows', () => {
    const patcher = new SheetPatcher(plainEdit([0], {}, 200_000, { cellsForRow: (row) => cellXml(row - 1, 0, row) }));
    patcher.push(`<worksheet xmlns="${MAIN}"><sheetData/></worksheet>`);
    patcher.close();
    let longest = 0;
    let total = 0;
    for (let piece = patcher.pull(); piece !== null; piece = patcher.pull()) { longest = Math.max(longest, piece.length); total += piece.length; }
    expect(longest).toBeLessThan(70_000);
    expect(total).toBeGreaterThan(200_000 * 20);
  });
});

describe('a patched package read back by openpyxl and LibreOffice', () => {
  type Cells = Record<string, unknown>;
  const READ = `
import json, sys, openpyxl
out = {}
for path in sys.argv[1:]:
    result = {}
    for data_only in (False, True):
        ws = openpyxl.load_workbook(path, data_only=data_only)["Kunder"]
        result["values" if data_only else "formulas"] = {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value is not None}
    out[path] = result
print(json.dumps(out))
`;

  it.each(PRODUCERS)('%s: every user cell reads the same, and SegmentKit\'s cells read as written', (producer) => {
    const input = sheets[producer];
    const output = patch(input, segmentEdit(input).edit);
    const original = join(dir, `original-${producer}.xlsx`);
    const patched = join(dir, `patched-${producer}.xlsx`);
    writeFileSync(original, zipSync(packages[producer]));
    writeFileSync(patched, zipSync({ ...packages[producer], [SHEET_PART]: strToU8(output) }));
    const read = JSON.parse(execFileSync(PYTHON, ['-W', 'ignore', '-c', READ, original, patched]).toString()) as Record<string, { formulas: Cells; values: Cells }>;
    const ours = new Map<string, string>();
    for (let row = 1; row <= 14; row++) {
      for (const column of [E, F]) {
        const value = expectedValue(row, column, [E, F]);
        if (value !== undefined) ours.set(`${columnLetter(column)}${row}`, value);
      }
    }
    const expectedValues = { ...read[original].values, ...Object.fromEntries(ours) };
    expect(read[patched].values).toEqual(expectedValues);
    const formulas = { ...read[original].formulas, ...Object.fromEntries(ours) };
    for (let row = 2; row <= 14; row++) formulas[`F${row}`] = `=IF(C${row}>=500,"high","low")`;
    expect(read[patched].formulas).toEqual(formulas);
    if (producer === 'openpyxl') {
      expect(read[patched].formulas.D7).toBe('=C7*2');
      expect(read[patched].values.G3).toBe('call before </c></row> Q3');
    }

    const csvDir = join(dir, `csv-${producer}`);
    mkdirSync(csvDir, { recursive: true });
    execFileSync('soffice', [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76', '--outdir', csvDir, original, patched], { stdio: 'ignore' });
    const grid = (path: string) => Papa.parse<string[]>(readFileSync(path, 'utf8').replace(/^\uFEFF/, ''), { skipEmptyLines: false }).data;
    const before = grid(join(csvDir, `original-${producer}.csv`));
    const after = grid(join(csvDir, `patched-${producer}.csv`));
    for (let row = 1; row <= Math.max(before.length, 14); row++) {
      for (let column = 0; column < 12; column++) {
        const seen = after[row - 1]?.[column] ?? '';
        const wanted = column === E || column === F ? expectedValue(row, column, [E, F]) ?? '' : before[row - 1]?.[column] ?? '';
        expect([`${columnLetter(column)}${row}`, seen]).toEqual([`${columnLetter(column)}${row}`, wanted]);
      }
    }
  }, 60_000);
});
