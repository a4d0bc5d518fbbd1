// @vitest-environment jsdom
// jsdom gives the tests DOMParser: an XML reader independent of the saxes-based one under test.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCustomerTable, columnLetter, defaultSettings, getModel, segment } from '../src/engine';
import { buildPlan, type PlannedSheet } from '../src/workbook/plan';
import { sheetChartParts } from '../src/workbook/xlsx/chart';
import { CONTENT_TYPES } from '../src/workbook/xlsx/content-types';
import { RELATIONSHIP_TYPES, relativeTarget, relsPartName } from '../src/workbook/xlsx/rels';
import { plannedSheetChunks, plannedSheetXml, tierColorsXml } from '../src/workbook/xlsx/plan-sheet';
import { StyleBook } from '../src/workbook/xlsx/styles';
import { HEADERS, ROWS } from './support/customers';

const PYTHON = '/usr/bin/python3';
const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const work = mkdtempSync(join(tmpdir(), 'segmentkit-parts-'));
const hasPython = spawnSync(PYTHON, ['-c', 'import openpyxl, xlsxwriter']).status === 0;
const hasOffice = spawnSync('soffice', ['--version']).status === 0;
if (!hasPython) console.log(`skipped: ${PYTHON} with openpyxl and xlsxwriter is missing, so the producers' stylesheets and the openpyxl checks are not tried`);
if (!hasOffice) console.log('skipped: LibreOffice (soffice) is missing, so its stylesheet and the LibreOffice checks are not tried');
/** Set to keep the packages, CSVs and page pictures the test makes, to look at them. */
const keepFiles = Boolean(process.env.SEGMENTKIT_KEEP_TEST_FILES);
afterAll(() => {
  if (!keepFiles) rmSync(work, { recursive: true, force: true });
});

/**
 * Runs LibreOffice with a profile of its own, so it neither meets nor waits for anyone else's, set
 * to recalculate every formula on load as Excel does with a file another program saved.
 */
function soffice(args: string[]): void {
  const settings = join(work, 'profile', 'user', 'registrymodifications.xcu');
  if (!existsSync(settings)) {
    mkdirSync(dirname(settings), { recursive: true });
    writeFileSync(settings, '<?xml version="1.0" encoding="UTF-8"?>\n<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
      + '<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item></oor:items>');
  }
  const result = spawnSync('soffice', [`-env:UserInstallation=file://${work}/profile`, '--headless', ...args], { timeout: 180_000, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`soffice ${args.join(' ')} failed: ${result.stderr}`);
}

function python(script: string, ...args: string[]): string {
  const result = spawnSync(PYTHON, ['-c', script, ...args], { encoding: 'utf8', timeout: 120_000 });
  if (result.status !== 0) throw new Error(result.stderr);
  return result.stdout;
}

function partOf(file: string, part: string): string {
  const entry = unzipSync(readFileSync(file))[part];
  if (!entry) throw new Error(`${file} has no ${part}`);
  return strFromU8(entry);
}

// ---------------------------------------------------------------------------------------------
// Stylesheets as producers write them.

/**
 * Excel's stylesheet for a new blank workbook (Excel 2016 and later), hand-typed in the exact shape
 * Excel writes it: markup-compatibility namespaces, x14ac:knownFonts, an empty self-closing <dxfs/>,
 * no <numFmts>, and an extLst after tableStyles.
 */
const EXCEL_BLANK = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
  + '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="x14ac x16r2 xr" xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac" xmlns:x16r2="http://schemas.microsoft.com/office/spreadsheetml/2015/02/main" xmlns:xr="http://schemas.microsoft.com/office/spreadsheetml/2014/revision">'
  + '<fonts count="1" x14ac:knownFonts="1"><font><sz val="11"/><color theme="1"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font></fonts>'
  + '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
  + '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
  + '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
  + '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
  + '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
  + '<dxfs count="0"/><tableStyles count="0" defaultTableStyle="TableStyleMedium2" defaultPivotStyle="PivotStyleLight16"/>'
  + '<extLst><ext uri="{EB79DEF2-80B8-43e5-95BD-54CBDDF9020C}" xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"><x14:slicerStyles defaultSlicerStyle="SlicerStyleLight1"/></ext></extLst>'
  + '</styleSheet>';

/**
 * A prefixed stylesheet of the kind Open XML SDK-based producers write (hand-typed): every element
 * in x:, no <cellStyleXfs>, a count that lies, and a dxf with its own number format id 170, which
 * a new custom format must not reuse.
 */
const PREFIXED = '<?xml version="1.0" encoding="utf-8"?>'
  + '<x:styleSheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
  + '<x:numFmts count="1"><x:numFmt numFmtId="164" formatCode="&quot;kr.&quot; #,##0.00"/></x:numFmts>'
  + '<x:fonts count="5"><x:font><x:sz val="10"/><x:name val="Arial"/></x:font></x:fonts>'
  + '<x:fills count="2"><x:fill><x:patternFill patternType="none"/></x:fill><x:fill><x:patternFill patternType="gray125"/></x:fill></x:fills>'
  + '<x:borders count="1"><x:border/></x:borders>'
  + '<x:cellXfs count="2"><x:xf numFmtId="0" fontId="0" fillId="0" borderId="0"/><x:xf numFmtId="164" fontId="0" fillId="0" borderId="0" applyNumberFormat="1"/></x:cellXfs>'
  + '<x:dxfs count="1"><x:dxf><x:numFmt numFmtId="170" formatCode="0.000"/></x:dxf></x:dxfs>'
  + '</x:styleSheet>';

/** Workbooks from openpyxl and xlsxwriter, and LibreOffice's rewrite of the xlsxwriter one. */
const FIXTURE_SCRIPT = `
import sys, xlsxwriter, openpyxl
from openpyxl.styles import Font, PatternFill
folder = sys.argv[1]
wb = xlsxwriter.Workbook(folder + '/xlsxwriter.xlsx')
ws = wb.add_worksheet('Data')
bold = wb.add_format({'bold': True})
ws.write_row(0, 0, ['Segment', 'Share'], bold)
for i, (segment, share) in enumerate([('A', 0.5), ('B', 0.3), ('C', 0.2)]):
    ws.write(i + 1, 0, segment)
    ws.write(i + 1, 1, share, wb.add_format({'num_format': '0.0%'}))
ws.conditional_format('A2:A4', {'type': 'cell', 'criteria': '==', 'value': '"A"', 'format': wb.add_format({'bg_color': '#FF0000', 'font_color': '#FFFFFF'})})
wb.close()
wb = openpyxl.Workbook()
ws = wb.active
ws['A1'] = 'x'
ws['A1'].font = Font(bold=True, italic=True)
ws['B1'] = 1.5
ws['B1'].number_format = '0.000'
ws['C1'] = 3
ws['C1'].fill = PatternFill('solid', fgColor='FFFF00')
wb.save(folder + '/openpyxl.xlsx')
`;

const producers: { name: string; xml: string }[] = [];

beforeAll(() => {
  if (!hasPython) return;
  python(FIXTURE_SCRIPT, work);
  producers.push({ name: 'xlsxwriter', xml: partOf(join(work, 'xlsxwriter.xlsx'), 'xl/styles.xml') });
  producers.push({ name: 'openpyxl', xml: partOf(join(work, 'openpyxl.xlsx'), 'xl/styles.xml') });
  if (hasOffice) {
    soffice(['--convert-to', 'xlsx', '--outdir', join(work, 'libreoffice'), join(work, 'xlsxwriter.xlsx')]);
    producers.push({ name: 'LibreOffice', xml: partOf(join(work, 'libreoffice', 'xlsxwriter.xlsx'), 'xl/styles.xml') });
  }
}, 300_000);

function parseXml(xml: string): Document {
  const document = new DOMParser().parseFromString(xml, 'application/xml');
  const error = document.getElementsByTagName('parsererror')[0];
  if (error) throw new Error(`not well-formed: ${error.textContent}`);
  return document;
}

function childElements(element: Element, local?: string): Element[] {
  return Array.from(element.children).filter((child) => child.namespaceURI === MAIN && (local === undefined || child.localName === local));
}

function container(document: Document, local: string): Element | undefined {
  return childElements(document.documentElement, local)[0];
}

function entries(document: Document, local: string): Element[] {
  const found = container(document, local);
  return found ? childElements(found) : [];
}

const serialize = (element: Element) => new XMLSerializer().serializeToString(element);

const CONTAINERS = ['numFmts', 'fonts', 'fills', 'borders', 'cellStyleXfs', 'cellXfs', 'cellStyles', 'dxfs', 'tableStyles', 'colors', 'extLst'];

/** The styles SegmentKit asks for in one run. */
function requestStyles(book: StyleBook) {
  return {
    bold: book.cellStyle({ bold: true }),
    percent: book.cellStyle({ numberFormat: '0.0%' }),
    boldAmount: book.cellStyle({ numberFormat: '#,##0', bold: true }),
    decimal: book.cellStyle({ numberFormat: '0.0' }),
    plain: book.cellStyle({}),
    tierA: book.differentialStyle({ fill: '#0072B2', font: '#FFFFFF' }),
    tierB: book.differentialStyle({ fill: '#E69F00', font: '#000000' }),
  };
}

/** What a cell format index stands for, read from the output with DOMParser. */
function describeXf(document: Document, index: number) {
  const xf = entries(document, 'cellXfs')[index];
  const numFmtId = Number(xf.getAttribute('numFmtId'));
  const custom = entries(document, 'numFmts').find((entry) => Number(entry.getAttribute('numFmtId')) === numFmtId);
  const font = entries(document, 'fonts')[Number(xf.getAttribute('fontId'))];
  const b = childElements(font, 'b')[0];
  return {
    numFmtId,
    formatCode: custom?.getAttribute('formatCode') ?? null,
    bold: b !== undefined && !['0', 'false'].includes(b.getAttribute('val') ?? ''),
    fontWithoutBold: childElements(font).filter((child) => child.localName !== 'b').map(serialize),
    fillId: xf.getAttribute('fillId'),
    borderId: xf.getAttribute('borderId'),
  };
}

function describeDxf(document: Document, index: number) {
  const dxf = entries(document, 'dxfs')[index];
  const fill = dxf.getElementsByTagNameNS(MAIN, 'patternFill')[0];
  return {
    font: dxf.getElementsByTagNameNS(MAIN, 'font')[0].getElementsByTagNameNS(MAIN, 'color')[0].getAttribute('rgb'),
    pattern: fill.getAttribute('patternType'),
    fg: fill.getElementsByTagNameNS(MAIN, 'fgColor')[0].getAttribute('rgb'),
    bg: fill.getElementsByTagNameNS(MAIN, 'bgColor')[0].getAttribute('rgb'),
  };
}

/** The checks every producer's stylesheet must pass after SegmentKit's styles are added. */
function expectStylesAdded(input: string) {
  const book = new StyleBook(input);
  const indexes = requestStyles(book);
  const output = book.toXml();
  const before = parseXml(input);
  const after = parseXml(output);
  for (const local of CONTAINERS) {
    const old = entries(before, local).map(serialize);
    const now = entries(after, local).map(serialize);
    // Every entry the producer wrote keeps its place and its content.
    expect(now.slice(0, old.length), local).toEqual(old);
    const element = container(after, local);
    if (element?.hasAttribute('count') && ['numFmts', 'fonts', 'cellXfs', 'dxfs'].includes(local) && now.length > old.length) {
      expect(Number(element.getAttribute('count')), `${local} count`).toBe(now.length);
    }
  }
  // The containers stand in CT_Stylesheet's order.
  const order = childElements(after.documentElement).map((element) => CONTAINERS.indexOf(element.localName));
  expect(order).toEqual([...order].sort((a, b) => a - b));
  const defaultFont = childElements(entries(after, 'fonts')[0]).filter((child) => child.localName !== 'b').map(serialize);
  expect(describeXf(after, indexes.bold)).toMatchObject({ numFmtId: 0, bold: true, fontWithoutBold: defaultFont, fillId: '0', borderId: '0' });
  expect(describeXf(after, indexes.percent)).toMatchObject({ formatCode: '0.0%', bold: false, fillId: '0' });
  expect(describeXf(after, indexes.boldAmount)).toMatchObject({ numFmtId: 3, bold: true, fontWithoutBold: defaultFont });
  expect(describeXf(after, indexes.decimal)).toMatchObject({ formatCode: '0.0', bold: false });
  expect(indexes.plain).toBe(0);
  expect(new Set(Object.values(indexes).slice(0, 4)).size).toBe(4);
  expect(describeDxf(after, indexes.tierA)).toEqual({ font: 'FFFFFFFF', pattern: 'solid', fg: 'FF0072B2', bg: 'FF0072B2' });
  expect(describeDxf(after, indexes.tierB)).toEqual({ font: 'FF000000', pattern: 'solid', fg: 'FFE69F00', bg: 'FFE69F00' });
  const ids = entries(after, 'numFmts').map((entry) => Number(entry.getAttribute('numFmtId')));
  expect(new Set(ids).size).toBe(ids.length);
  for (const id of ids.slice(entries(before, 'numFmts').length)) expect(id).toBeGreaterThanOrEqual(164);
  return { book, indexes, output };
}

function expectRerunReuses(output: string, indexes: ReturnType<typeof requestStyles>) {
  const again = new StyleBook(output);
  expect(requestStyles(again)).toEqual(indexes);
  expect(again.changed).toBe(false);
  expect(again.toXml()).toBe(output);
}

describe('StyleBook', () => {
  it.skipIf(!hasPython)("keeps every entry of xlsxwriter's, openpyxl's and LibreOffice's stylesheets and appends SegmentKit's", () => {
    expect(producers.length).toBeGreaterThanOrEqual(2);
    for (const producer of producers) {
      const { indexes, output } = expectStylesAdded(producer.xml);
      expectRerunReuses(output, indexes);
    }
  });

  it.skipIf(!hasPython)('inserts <dxfs> before tableStyles in openpyxl\'s stylesheet, which has none, and leaves its <colors> last', () => {
    const openpyxl = producers.find((producer) => producer.name === 'openpyxl')!;
    expect(openpyxl.xml).not.toContain('<dxfs');
    const book = new StyleBook(openpyxl.xml);
    expect(book.differentialStyle({ fill: '#0072B2', font: '#FFFFFF' })).toBe(0);
    const output = book.toXml();
    const dxfs = '<dxfs count="1"><dxf><font><color rgb="FFFFFFFF"/></font><fill><patternFill patternType="solid"><fgColor rgb="FF0072B2"/><bgColor rgb="FF0072B2"/></patternFill></fill></dxf></dxfs>';
    expect(output).toBe(openpyxl.xml.replace('<tableStyles', `${dxfs}<tableStyles`));
  });

  it("adds to Excel's blank stylesheet byte for byte where expected: numFmts first, a self-closing dxfs opened", () => {
    const book = new StyleBook(EXCEL_BLANK);
    const indexes = requestStyles(book);
    expect(indexes).toEqual({ bold: 1, percent: 2, boldAmount: 3, decimal: 4, plain: 0, tierA: 0, tierB: 1 });
    const boldFont = '<font><b/><sz val="11"/><color theme="1"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font>';
    const dxf = (fill: string, font: string) => `<dxf><font><color rgb="${font}"/></font><fill><patternFill patternType="solid"><fgColor rgb="${fill}"/><bgColor rgb="${fill}"/></patternFill></fill></dxf>`;
    const expected = EXCEL_BLANK
      .replace('<fonts count="1" x14ac:knownFonts="1">', '<numFmts count="2"><numFmt numFmtId="164" formatCode="0.0%"/><numFmt numFmtId="165" formatCode="0.0"/></numFmts><fonts count="2" x14ac:knownFonts="1">')
      .replace('</font></fonts>', `</font>${boldFont}</fonts>`)
      .replace('<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>', '<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        + '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
        + '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        + '<xf numFmtId="3" fontId="1" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1"/>'
        + '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>')
      .replace('<dxfs count="0"/>', `<dxfs count="2">${dxf('FF0072B2', 'FFFFFFFF')}${dxf('FFE69F00', 'FF000000')}</dxfs>`);
    expect(book.toXml()).toBe(expected);
    expectStylesAdded(EXCEL_BLANK);
    expectRerunReuses(expected, indexes);
  });

  it('writes new elements in the prefix of a prefixed stylesheet, with a number format id no dxf uses', () => {
    const book = new StyleBook(PREFIXED);
    expect(book.cellStyle({ numberFormat: '"kr." #,##0.00' })).toBe(1);
    expect(book.cellStyle({ numberFormat: '0.0%', bold: true })).toBe(2);
    expect(book.differentialStyle({ fill: '#009E73', font: '#FFFFFF' })).toBe(1);
    const output = book.toXml();
    expect(output).toContain('<x:numFmts count="2"><x:numFmt numFmtId="164" formatCode="&quot;kr.&quot; #,##0.00"/><x:numFmt numFmtId="171" formatCode="0.0%"/></x:numFmts>');
    // The stated font count was wrong (5 for 1 font): the bold font is index 1 and the count says 2.
    expect(output).toContain('<x:fonts count="2"><x:font><x:sz val="10"/><x:name val="Arial"/></x:font><x:font><x:b/><x:sz val="10"/><x:name val="Arial"/></x:font></x:fonts>');
    // No cellStyleXfs to point at, so the new xf has no xfId.
    expect(output).toContain('<x:xf numFmtId="171" fontId="1" fillId="0" borderId="0" applyNumberFormat="1" applyFont="1"/></x:cellXfs>');
    const document = parseXml(output);
    expect(document.documentElement.getElementsByTagNameNS(MAIN, 'dxf')).toHaveLength(2);
    expect(describeDxf(document, 1)).toEqual({ font: 'FFFFFFFF', pattern: 'solid', fg: 'FF009E73', bg: 'FF009E73' });
    expect(output.replace(/<x:numFmt numFmtId="171"[^>]*>|<x:font><x:b\/>.*?<\/x:font>|<x:xf numFmtId="171"[^>]*>|<x:dxf><x:font>.*?<\/x:dxf>/g, '').replace(/count="\d+"/g, ''))
      .toBe(PREFIXED.replace(/count="\d+"/g, ''));
  });

  it('writes a minimal valid stylesheet when the package has none, and leaves an untouched one byte for byte', () => {
    const book = new StyleBook();
    expect(book.cellStyle({ bold: true })).toBe(1);
    const document = parseXml(book.toXml());
    expect(entries(document, 'fills')).toHaveLength(2);
    expect(describeXf(document, 1)).toMatchObject({ bold: true, numFmtId: 0 });
    expect(new StyleBook(EXCEL_BLANK).toXml()).toBe(EXCEL_BLANK);
  });

  it('rejects what is not a stylesheet, and colors not written #RRGGBB', () => {
    expect(() => new StyleBook('<styleSheet xmlns="urn:other"/>')).toThrow(/SpreadsheetML <styleSheet>/);
    expect(() => new StyleBook('<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts>')).toThrow(/not well-formed/);
    expect(() => new StyleBook(EXCEL_BLANK).differentialStyle({ fill: 'red', font: '#000000' })).toThrow(/#RRGGBB/);
  });
});

// ---------------------------------------------------------------------------------------------
// SegmentKit's sheets and chart in a package, read back by openpyxl and LibreOffice.

/** The Priority and Summary sheets of ABCD and Pareto on the shared customer table. */
function plannedSheets() {
  const origin = { headerRow: 1, firstColumn: 0 };
  const table = buildCustomerTable(HEADERS, ROWS, { origin });
  const segmentation = segment(table, ['abcd', 'pareto'].map((id) => ({ id, settings: defaultSettings(getModel(id)) })));
  const plan = buildPlan({ sheetName: 'Kunder', origin, headers: HEADERS, rows: ROWS, marker: null, sheetNames: ['Kunder'] }, segmentation, { mode: 'values', language: 'en' });
  const summary = plan.sheets.find((sheet) => sheet.purpose === 'summary')!;
  const priority = plan.sheets.find((sheet) => sheet.purpose === 'priority')!;
  // A formula with its cached result: the customers per ABCD segment (rows 7–11) add up to 6.
  expect(summary.rows[1]).toEqual(['Customers', 6]);
  summary.formulas.push({ row: 1, column: 1, formula: 'SUM(C7:C11)' });
  return { summary, priority };
}

function assemblePackage(stylesXml: string | null, summary: PlannedSheet, priority: PlannedSheet): Uint8Array {
  const book = new StyleBook(stylesXml);
  const charts = sheetChartParts(summary, 'xl/drawings/drawing1.xml', (index) => `xl/charts/chart${index + 1}.xml`)!;
  const sheets = [
    { sheet: summary, xml: plannedSheetXml(summary, book, { drawingRelId: 'rId1' }) },
    // The big sheet goes through the chunk generator, as the writer will use it.
    { sheet: priority, xml: Array.from(plannedSheetChunks(priority, book)).join('') },
  ];
  const files: Record<string, string> = {
    '[Content_Types].xml': '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
      + '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
      + '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
      + '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
      + sheets.map((_, index) => `<Override PartName="/xl/worksheets/sheet${index + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`).join('')
      + `<Override PartName="/${charts.drawing.path}" ContentType="${CONTENT_TYPES.drawing}"/>`
      + charts.charts.map((chart) => `<Override PartName="/${chart.path}" ContentType="${CONTENT_TYPES.chart}"/>`).join('')
      + '</Types>',
    '_rels/.rels': '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
      + '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    'xl/workbook.xml': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="${MAIN}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>`
      + sheets.map(({ sheet }, index) => `<sheet name="${sheet.name}" sheetId="${index + 1}" r:id="rId${index + 1}"/>`).join('')
      + '</sheets></workbook>',
    'xl/_rels/workbook.xml.rels': '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
      + sheets.map((_, index) => `<Relationship Id="rId${index + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${index + 1}.xml"/>`).join('')
      + '<Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>',
    'xl/worksheets/_rels/sheet1.xml.rels': '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
      + `<Relationship Id="rId1" Type="${RELATIONSHIP_TYPES.drawing}" Target="${relativeTarget('xl/worksheets/sheet1.xml', charts.drawing.path)}"/></Relationships>`,
    [charts.drawing.path]: charts.drawing.xml,
    [charts.drawingRels.path]: charts.drawingRels.xml,
  };
  sheets.forEach(({ xml }, index) => { files[`xl/worksheets/sheet${index + 1}.xml`] = xml; });
  for (const chart of charts.charts) files[chart.path] = chart.xml;
  // The stylesheet last: the sheets added their formats to it.
  files['xl/styles.xml'] = book.toXml();
  const zipped: Record<string, Uint8Array> = {};
  for (const [path, text] of Object.entries(files)) zipped[path] = strToU8(text);
  return zipSync(zipped);
}

const OPENPYXL_READER = `
import datetime, json, sys, openpyxl
def rgb(color):
    return color.rgb if color is not None else None
def plain(value):
    # openpyxl hands date-formatted cells over as datetime: back to the Excel serial the plan holds.
    if isinstance(value, datetime.datetime):
        delta = value - datetime.datetime(1899, 12, 30)
        return delta.days + delta.seconds / 86400
    return value
result = {}
for path in sys.argv[1:]:
    workbook = openpyxl.load_workbook(path)
    sheets = {}
    for ws in workbook.worksheets:
        cells = {}
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    cells[cell.coordinate] = [plain(cell.value), cell.number_format, bool(cell.font.b)]
        rules = []
        for formatting in ws.conditional_formatting:
            for rule in formatting.rules:
                dxf = rule.dxf
                rules.append([str(formatting.sqref), rule.type, rule.operator, list(rule.formula), rule.priority,
                              dxf.fill.patternType, rgb(dxf.fill.fgColor), rgb(dxf.fill.bgColor), rgb(dxf.font.color)])
        widths = {key: dim.width for key, dim in ws.column_dimensions.items() if dim.customWidth}
        sheets[ws.title] = {'cells': cells, 'freeze': ws.freeze_panes, 'rules': rules, 'widths': widths}
    result[path] = sheets
print(json.dumps(result))
`;

type CellReport = [string | number | boolean, string, boolean];
interface SheetReport {
  cells: Record<string, CellReport>;
  freeze: string | null;
  rules: [string, string, string, string[], number, string, string, string, string][];
  widths: Record<string, number>;
}

function numberFormatAt(sheet: PlannedSheet, row: number, column: number): string | undefined {
  return sheet.numberFormats.find((range) => range.column === column && row >= range.fromRow && row <= range.toRow)?.format;
}

/** Every cell openpyxl should find, worked out from the plan: value (or '=formula'), format, bold. */
function expectedCells(sheet: PlannedSheet): Record<string, CellReport> {
  const expected: Record<string, CellReport> = {};
  const bold = new Set(sheet.boldRows);
  sheet.rows.forEach((cells, row) => cells.forEach((value, column) => {
    const formula = sheet.formulas.find((entry) => entry.row === row && entry.column === column);
    if (formula) expected[`${columnLetter(column)}${row + 1}`] = [`=${formula.formula}`, numberFormatAt(sheet, row, column) ?? 'General', bold.has(row)];
    else if (value !== null && value !== '') expected[`${columnLetter(column)}${row + 1}`] = [value, numberFormatAt(sheet, row, column) ?? 'General', bold.has(row)];
  }));
  return expected;
}

function expectedRules(sheet: PlannedSheet): SheetReport['rules'] {
  let priority = 1;
  return sheet.tierColorRanges.flatMap((range) => range.colors.map((color) => [
    `${columnLetter(range.column)}${range.fromRow + 1}:${columnLetter(range.column)}${range.toRow + 1}`, 'cellIs', 'equal', [`"${color.value}"`], priority++,
    'solid', `FF${color.fill.slice(1)}`, `FF${color.fill.slice(1)}`, `FF${color.font.slice(1)}`,
  ] as SheetReport['rules'][number]));
}

/** A number as LibreOffice shows it in en-US under the plan's formats. */
function shown(value: number, format: string | undefined): string {
  if (format === 'yyyy-mm-dd') return new Date(Date.UTC(1899, 11, 30) + value * 86_400_000).toISOString().slice(0, 10);
  if (format === '#,##0') return value.toLocaleString('en-US', { maximumFractionDigits: 0 });
  if (format === '0.0%') return `${(value * 100).toFixed(1)}%`;
  if (format === '0.00') return value.toFixed(2);
  if (format === '0.0') return value.toFixed(1);
  return String(value);
}

describe('plan sheets and chart in a package', () => {
  const { summary, priority } = plannedSheets();
  const withProducerStyles = join(work, 'segmentkit-openpyxl-styles.xlsx');
  const withOwnStyles = join(work, 'segmentkit-own-styles.xlsx');

  beforeAll(() => {
    const stylesXml = hasPython ? partOf(join(work, 'openpyxl.xlsx'), 'xl/styles.xml') : EXCEL_BLANK;
    writeFileSync(withProducerStyles, assemblePackage(stylesXml, summary, priority));
    writeFileSync(withOwnStyles, assemblePackage(null, summary, priority));
  });

  it('writes the sheet XML SegmentKit means: frozen header, widths, styled cells, formula with its value, tier rules, drawing', () => {
    const book = new StyleBook(EXCEL_BLANK);
    const xml = plannedSheetXml(priority, book);
    // Why is column M, after Decided by in L.
    expect(xml).toContain('<dimension ref="A1:M7"/>');
    expect(xml).toContain('<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>');
    expect(xml).toContain('<col min="1" max="1" width="22" customWidth="1"/>');
    // K2 (Beta ApS) leads Jonas's list; bold header is xf 1, '#,##0' xf 2, '0.0%' xf 3.
    expect(xml).toContain('<row r="1"><c r="A1" s="1" t="inlineStr"><is><t>Account manager</t></is></c>');
    expect(xml).toContain('<c r="G2" s="2"><v>300</v></c><c r="H2" s="2"><v>800</v></c><c r="I2" s="2"><v>500</v></c><c r="J2" s="3"><v>0.375</v></c>');
    expect(xml).toContain('<conditionalFormatting sqref="D2:D7"><cfRule type="cellIs" dxfId="0" priority="1" operator="equal"><formula>&quot;A&quot;</formula></cfRule>');
    expect(xml).toContain('<conditionalFormatting sqref="E2:E7"><cfRule type="cellIs" dxfId="0" priority="5" operator="equal"><formula>&quot;A&quot;</formula></cfRule>');
    const summaryXml = plannedSheetXml(summary, book, { drawingRelId: 'rId7' });
    expect(summaryXml).toContain('<c r="B2"><f>SUM(C7:C11)</f><v>6</v></c>');
    expect(summaryXml).toMatch(/<\/conditionalFormatting><drawing r:id="rId7"\/><\/worksheet>$/);
    expect(summaryXml).toContain('<sheetViews><sheetView workbookViewId="0"/></sheetViews>');
    parseXml(summaryXml);
  });

  it('quotes text in a tier rule as an Excel string constant', () => {
    const xml = tierColorsXml('B2:B9', [{ value: 'Say "hi" & go', fill: '#000000', font: '#FFFFFF' }], new StyleBook(), 3);
    expect(xml).toBe('<conditionalFormatting sqref="B2:B9"><cfRule type="cellIs" dxfId="0" priority="3" operator="equal"><formula>&quot;Say &quot;&quot;hi&quot;&quot; &amp; go&quot;</formula></cfRule></conditionalFormatting>');
  });

  it('streams a long sheet in bounded chunks, rows in order, none lost', () => {
    const rowCount = 100_000;
    const rows: (string | number | null)[][] = [['Customer', 'Revenue']];
    for (let i = 0; i < rowCount; i++) rows.push([`K${i}`, i]);
    const sheet: PlannedSheet = {
      purpose: 'priority', name: 'Priority', rows, formulas: [], boldRows: [0], columnWidths: [], frozenRows: 1, charts: [],
      numberFormats: [{ column: 1, fromRow: 1, toRow: rowCount, format: '#,##0' }], tierColorRanges: [],
    };
    let longest = 0;
    let rowElements = 0;
    let last = '';
    for (const chunk of plannedSheetChunks(sheet, new StyleBook())) {
      longest = Math.max(longest, chunk.length);
      rowElements += chunk.split('<row ').length - 1;
      last = chunk;
    }
    expect(rowElements).toBe(rowCount + 1);
    expect(longest).toBeLessThan(512 * 1024);
    expect(last).toContain(`<row r="${rowCount + 1}"><c r="A${rowCount + 1}" t="inlineStr"><is><t>K${rowCount - 1}</t></is></c><c r="B${rowCount + 1}" s="2"><v>${rowCount - 1}</v></c></row></sheetData>`);
  });

  it('gives the drawing, its relationships and one chart part per drawn chart, pointing at the Summary cells', () => {
    const parts = sheetChartParts(summary, 'xl/drawings/drawing1.xml', (index) => `xl/charts/chart${index + 1}.xml`)!;
    expect(parts.drawingRels.path).toBe('xl/drawings/_rels/drawing1.xml.rels');
    expect(parts.drawingRels.xml).toContain('<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart" Target="../charts/chart2.xml"/>');
    expect(parts.charts.map((chart) => chart.path)).toEqual(['xl/charts/chart1.xml', 'xl/charts/chart2.xml']);
    const abcd = parts.charts[0].xml;
    expect(abcd).toContain("<c:f>'Summary'!$A$7:$A$10</c:f><c:strCache><c:ptCount val=\"4\"/><c:pt idx=\"0\"><c:v>A</c:v></c:pt><c:pt idx=\"1\"><c:v>B</c:v></c:pt>");
    expect(abcd).toContain("<c:f>'Summary'!$E$7:$E$10</c:f><c:numCache><c:formatCode>0.0%</c:formatCode><c:ptCount val=\"4\"/><c:pt idx=\"0\"><c:v>0.3</c:v></c:pt><c:pt idx=\"1\"><c:v>0.14</c:v></c:pt><c:pt idx=\"2\"><c:v>0.5</c:v></c:pt><c:pt idx=\"3\"><c:v>0.06</c:v></c:pt></c:numCache>");
    expect(abcd).toContain('<a:t>ABCD accounts: Share of revenue per segment</a:t>');
    expect(abcd).not.toContain('<c:legend');
    // Anchored at I6 (column 8, row 5), eight columns by fifteen rows.
    expect(parts.drawing.xml).toContain('<xdr:from><xdr:col>8</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>5</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:to><xdr:col>16</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>20</xdr:row>');
    for (const part of [parts.drawing, parts.drawingRels, ...parts.charts]) parseXml(part.xml);
    expect(relativeTarget('xl/worksheets/sheet1.xml', 'xl/drawings/drawing1.xml')).toBe('../drawings/drawing1.xml');
    expect(relsPartName('xl/charts/chart1.xml')).toBe('xl/charts/_rels/chart1.xml.rels');
    expect(sheetChartParts(priority, 'xl/drawings/drawing9.xml', () => 'unused')).toBeNull();
  });

  it.skipIf(!hasPython)('reads back in openpyxl cell by cell: values, formula, number formats, bold, frozen pane, widths, tier rules', () => {
    const report = JSON.parse(python(OPENPYXL_READER, withProducerStyles, withOwnStyles)) as Record<string, Record<string, SheetReport>>;
    for (const path of [withProducerStyles, withOwnStyles]) {
      for (const sheet of [summary, priority]) {
        const read = report[path][sheet.name];
        expect(read.cells, `${path} ${sheet.name}`).toEqual(expectedCells(sheet));
        expect(read.rules).toEqual(expectedRules(sheet));
        expect(read.freeze).toBe(sheet.frozenRows ? `A${sheet.frozenRows + 1}` : null);
        expect(read.widths).toEqual(Object.fromEntries(sheet.columnWidths.map((width, column) => [columnLetter(column), width])));
      }
    }
  });

  it.skipIf(!hasOffice)('shows in LibreOffice as planned: every cell as formatted text, the formula recalculated on load', () => {
    const folder = join(work, 'csv');
    soffice(['--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1', '--outdir', folder, withProducerStyles]);
    for (const sheet of [summary, priority]) {
      const csv = readFileSync(join(folder, `segmentkit-openpyxl-styles-${sheet.name}.csv`), 'utf8');
      const read = Papa.parse<string[]>(csv.trim(), { skipEmptyLines: false }).data;
      sheet.rows.forEach((cells, row) => cells.forEach((value, column) => {
        const text = read[row]?.[column] ?? '';
        const expected = value === null ? '' : typeof value === 'number' ? shown(value, numberFormatAt(sheet, row, column)) : value;
        expect(text, `${sheet.name}!${columnLetter(column)}${row + 1}`).toBe(expected);
      }));
    }
    // With a stale cached result, the cell still shows what the formula computes.
    const stale = { ...summary, rows: summary.rows.map((cells, row) => (row === 1 ? ['Customers', 99] : cells)) };
    const stalePath = join(work, 'stale.xlsx');
    writeFileSync(stalePath, assemblePackage(null, stale, priority));
    soffice(['--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1', '--outdir', folder, stalePath]);
    expect(Papa.parse<string[]>(readFileSync(join(folder, 'stale-Summary.csv'), 'utf8')).data[1].slice(0, 2)).toEqual(['Customers', '6']);
  });

  it.skipIf(!hasOffice)('carries both Summary charts into LibreOffice as column charts over the Summary cells', () => {
    const folder = join(work, 'ods');
    soffice(['--convert-to', 'ods', '--outdir', folder, withProducerStyles]);
    const ods = unzipSync(readFileSync(join(folder, 'segmentkit-openpyxl-styles.ods')));
    const content = strFromU8(ods['content.xml']);
    const objects = Array.from(content.matchAll(/<draw:object [^>]*xlink:href="\.\/([^"]+)"/g), (match) => match[1]);
    expect(objects).toHaveLength(2);
    const charts = objects.map((name) => strFromU8(ods[`${name}/content.xml`]));
    expect(charts.every((chart) => chart.includes('chart:class="chart:bar"'))).toBe(true);
    expect(charts[0]).toContain('chart:values-cell-range-address="Summary.E7:Summary.E10"');
    expect(charts[1]).toContain('chart:values-cell-range-address="Summary.E25:Summary.E27"');
    expect(charts[0]).toContain('<text:p>ABCD accounts: Share of revenue per segment</text:p>');
  });

  it.skipIf(!hasOffice)('prints the charts: their titles are in the PDF LibreOffice makes, and pictures of its pages can be kept to look at', () => {
    const folder = join(work, 'pdf');
    soffice(['--convert-to', 'pdf', '--outdir', folder, withProducerStyles]);
    const pdf = join(folder, 'segmentkit-openpyxl-styles.pdf');
    const text = spawnSync('pdftotext', [pdf, '-'], { encoding: 'utf8' });
    if (text.status !== 0) {
      console.log('skipped: pdftotext (poppler-utils) is missing, so the printed charts are not checked');
      return;
    }
    // The titles are in the chart parts only; the sheet's cells say "ABCD accounts" and "Pareto ABC".
    expect(text.stdout.replace(/\s+/g, ' ')).toContain('ABCD accounts: Share of revenue per segment');
    expect(text.stdout).toContain('Pareto ABC: Share of revenue per segment');
    spawnSync('pdftoppm', ['-png', '-r', '60', pdf, join(folder, 'page')]);
    const pages = readdirSync(folder).filter((name) => name.endsWith('.png'));
    expect(pages.length).toBeGreaterThan(0);
    if (keepFiles) console.log(`pages as LibreOffice prints them: ${folder} (${pages.join(', ')})`);
  });
});
