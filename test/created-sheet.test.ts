import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { buildCustomerTable, defaultSettings, getModel, segment } from '../src/engine';
import { buildPlan, type PlanOptions } from '../src/workbook/plan';
import { cellXml } from '../src/workbook/xlsx/cell-xml';
import { createWorkbookPackage, worksheetXmlChunks, type NewCell } from '../src/workbook/xlsx/new-package';
import { PackageWorkbook } from '../src/workbook/xlsx/package-workbook';
import { patchSheet, type SheetEdit } from '../src/workbook/xlsx/sheet-patch';
import { HEADERS, ROWS } from './support/customers';

/** An edit writing columns B and C over rows firstRow..lastRow: a header, then the row number and a text; row 4 left empty. */
function editOf(firstRow: number, lastRow: number): SheetEdit & { asked: number[] } {
  const asked: number[] = [];
  return {
    asked,
    clearColumns: new Set(),
    writeColumns: new Set([1, 2]),
    firstRow,
    lastRow,
    cellsForRow(row) {
      asked.push(row);
      if (row === firstRow) return cellXml(row - 1, 1, 'Score') + cellXml(row - 1, 2, 'Tier');
      return row === 4 ? '' : cellXml(row - 1, 1, row * 10, undefined, 2) + cellXml(row - 1, 2, `T${row}`);
    },
    conditionalFormatting: [`<conditionalFormatting sqref="C${firstRow + 1}:C${lastRow}"><cfRule type="cellIs" dxfId="0" priority="1" operator="equal"><formula>"T2"</formula></cfRule></conditionalFormatting>`],
    columnWidths: new Map([[2, 16], [1, 14]]),
  };
}

/** A table in column A with a blank row (3) and an empty cell (row 5). */
const ID_ROWS: NewCell[][] = [['Customer ID'], ['C1'], [], ['C3'], [null], ['C5']];

const written = (chunks: Iterable<string>) => [...chunks].join('');

describe('worksheetXmlChunks with an edit', () => {
  it('writes the text patchSheet makes of the new sheet, when SegmentKit writes past its last row', () => {
    const direct = editOf(1, 8);
    const patched = editOf(1, 8);
    const xml = written(worksheetXmlChunks(ID_ROWS, direct));
    expect(xml).toBe(written(patchSheet(worksheetXmlChunks(ID_ROWS), patched)));
    expect(direct.asked).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(xml).toContain('<dimension ref="A1:C8"/>');
    expect(xml).toContain('<cols><col min="2" max="2" width="14" customWidth="1"/><col min="3" max="3" width="16" customWidth="1"/></cols><sheetData>');
    // Row 3 had no cell of its own: it is made for SegmentKit's; row 4 gets none, row 5 only SegmentKit's.
    expect(xml).toContain('<row r="3"><c r="B3" s="2"><v>30</v></c><c r="C3" t="inlineStr"><is><t>T3</t></is></c></row>'
      + '<row r="4"><c r="A4" t="inlineStr"><is><t>C3</t></is></c></row>'
      + '<row r="5"><c r="B5" s="2"><v>50</v></c><c r="C5" t="inlineStr"><is><t>T5</t></is></c></row>');
    expect(xml).toMatch(/<\/sheetData><conditionalFormatting sqref="C2:C8">.*<\/conditionalFormatting><\/worksheet>$/);
  });

  it('writes the text patchSheet makes when the sheet goes on below SegmentKit\'s rows, or starts empty', () => {
    expect(written(worksheetXmlChunks(ID_ROWS, editOf(2, 4)))).toBe(written(patchSheet(worksheetXmlChunks(ID_ROWS), editOf(2, 4))));
    const empty = written(worksheetXmlChunks([], editOf(1, 3)));
    expect(empty).toBe(written(patchSheet(worksheetXmlChunks([]), editOf(1, 3))));
    expect(empty).toContain('<dimension ref="A1:C3"/>');
  });

  it('refuses a sheet whose own cells reach SegmentKit\'s columns', () => {
    expect(() => written(worksheetXmlChunks([['Customer ID', 'Name']], editOf(1, 2)))).toThrow(RangeError);
  });
});

const CHOICES = ['abcd', 'pareto'].map((id) => ({ id, settings: defaultSettings(getModel(id)) }));

/** The package after one run of abcd and pareto on the workbook, part by part (the timestamped docProps/core.xml left out). */
async function partsAfterRun(workbook: PackageWorkbook, options: PlanOptions): Promise<Record<string, string>> {
  const snapshot = await workbook.readTable();
  const table = buildCustomerTable(snapshot.headers, snapshot.rows, { origin: snapshot.origin });
  await workbook.apply(buildPlan(snapshot, segment(table, CHOICES), options));
  const parts = unzipSync(workbook.toBytes());
  delete parts['docProps/core.xml'];
  return Object.fromEntries(Object.entries(parts).map(([name, bytes]) => [name, strFromU8(bytes)]));
}

describe('PackageWorkbook.created', () => {
  const rows: NewCell[][] = [HEADERS, ...ROWS];

  it.each([
    { mode: 'values', language: 'en' },
    { mode: 'formulas', language: 'da' },
  ] as PlanOptions[])('writes the same package as the new workbook opened and patched ($mode, $language)', async (options) => {
    const direct = await partsAfterRun(PackageWorkbook.created('Kunder', rows), options);
    const patched = await partsAfterRun(PackageWorkbook.open(createWorkbookPackage('Kunder', rows), { sheet: 'Kunder' }), options);
    expect(Object.keys(direct)).toEqual(Object.keys(patched));
    for (const name of Object.keys(patched)) expect(direct[name], name).toBe(patched[name]);
    // The segment columns are there: ABCD's tier of K1 (revenue 500 ≥ cut 300, potential 100 < cut 400) is C.
    expect(direct['xl/worksheets/sheet1.xml']).toMatch(/<c r="E2"><v>100<\/v><\/c><c r="F2"[^>]*>(<is><t>C<\/t><\/is>|<f[^>]*>[^<]+<\/f><v>C<\/v>)<\/c>/);
  });
});
