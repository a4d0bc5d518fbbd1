import ExcelJS from 'exceljs';
import { strFromU8, unzipSync } from 'fflate';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  buildCustomerTable, dateToSerial, defaultSettings, getModel, segment, tierName, todaySerial,
  type CellValue, type ModelChoice, type ModelSettings, type RoleId, type Segmentation,
  segmentColumnHeader,
} from '../src/engine';
import { buildPlan, rowFormulaAt, rowFormulaList, type PlanOptions, type WritePlan } from '../src/workbook/plan';
import type { TableSnapshot } from '../src/workbook/port';
import { PackageWorkbook } from '../src/workbook/xlsx/package-workbook';

/**
 * The file as someone without SegmentKit sees it: LibreOffice opens what SegmentKit wrote with
 * every formula recalculated on load (as Excel does with a file saved by another program), and
 * every segment cell must be what the engine computed; then a cut (and an input) is edited in the
 * file and the segments must follow, as the engine decides with the cut at its new value.
 */

const SAMPLE = path.resolve(__dirname, '..', 'assets', 'sample-customers.xlsx');
const RECALC = '/work/shared/tools/recalc-as-excel';
const PYTHON = '/usr/bin/python3';
const hasSoffice = spawnSync('sh', ['-c', 'command -v soffice'], { encoding: 'utf8' }).status === 0;
if (!hasSoffice) console.warn('portable-formulas.test.ts skipped: LibreOffice (soffice) is missing, so nothing can recalculate the files.');

const ALL_MODELS = ['abcd', 'pareto', 'quadrant', 'value', 'score', 'margin'];

/** A CSV as LibreOffice writes it (comma, double quotes, UTF-8), as rows of displayed text. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (char === '"') quoted = false; else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') { row.push(cell); cell = ''; } else if (char === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; } else if (char !== '\r') cell += char;
  }
  if (cell || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

/** Recalculates a workbook in LibreOffice; every sheet's displayed text by sheet name. */
function recalculate(file: string): Map<string, string[][]> {
  const out = mkdtempSync(path.join(tmpdir(), 'segmentkit-recalc-'));
  execFileSync(RECALC, [file, out], { stdio: 'pipe' });
  const book = path.basename(file).replace(/\.xlsx$/, '');
  const sheets = new Map<string, string[][]>();
  for (const name of readdirSync(out)) sheets.set(name.slice(book.length + 1, -'.csv'.length), parseCsv(readFileSync(path.join(out, name), 'utf8')));
  return sheets;
}

/** Sets cells of the saved file in place with openpyxl, which keeps every formula and name. */
function editCells(file: string, edits: { name?: string; sheet?: string; cell?: string; value: number }[]): void {
  const script = `
import json, sys, openpyxl
path, edits = sys.argv[1], json.loads(sys.argv[2])
wb = openpyxl.load_workbook(path)
for edit in edits:
    if edit.get('name'):
        sheet, cell = next(wb.defined_names[edit['name']].destinations)
    else:
        sheet, cell = edit['sheet'], edit['cell']
    wb[sheet][cell.replace('$', '')].value = edit['value']
wb.save(path)
`;
  execFileSync(PYTHON, ['-c', script, file, JSON.stringify(edits)], { stdio: 'pipe' });
}

interface Written {
  file: string;
  snapshot: TableSnapshot;
  segmentation: Segmentation;
  plan: WritePlan;
}

/** Runs the models on a workbook's table and writes the plan's formulas and values through the package port. */
async function writeSegmented(bytes: Uint8Array | ArrayBuffer, choices: ModelChoice[], options: Partial<PlanOptions> = {}): Promise<Written> {
  const port = PackageWorkbook.open(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes));
  const snapshot = await port.readTable();
  const table = buildCustomerTable(snapshot.headers, snapshot.rows, { origin: snapshot.origin });
  const segmentation = segment(table, choices);
  const plan = buildPlan(snapshot, segmentation, { mode: 'formulas', language: 'en', spill: false, ...options });
  await port.apply(plan);
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'segmentkit-live-')), 'segmented.xlsx');
  writeFileSync(file, port.toBytes());
  return { file, snapshot, segmentation, plan };
}

/** The segment columns' sheet columns (0-based) and the engine's segment per row, by model. */
function expectedSegments(written: Written, segmentation: Segmentation): { model: string; column: number; values: string[] }[] {
  const { plan } = written;
  return segmentation.results.map((result) => {
    const model = getModel(result.modelId);
    const column = plan.firstColumn + plan.tableColumnCount + plan.columns.findIndex((candidate) => candidate.header === segmentColumnHeader(model, plan.language));
    // The tier names of the plan's language: Gold in English, Guld in Danish.
    return { model: model.id, column, values: Array.from(result.tiers, (tier) => (tier < 0 ? '' : tierName(model.tiers[tier], plan.language))) };
  });
}

/**
 * Every segment cell of the recalculated table sheet, against the engine, row by row. After an
 * edit, rows written as values (inputs a formula cannot read) keep what the run computed.
 */
function expectSegments(sheets: Map<string, string[][]>, written: Written, segmentation: Segmentation, models = ALL_MODELS) {
  const rows = sheets.get(written.plan.sheetName)!;
  const run = expectedSegments(written, written.segmentation);
  for (const { model, column, values } of expectedSegments(written, segmentation)) {
    if (!models.includes(model)) continue;
    const formulas = rowFormulaList(written.plan.columns.find((candidate) => candidate.header === segmentColumnHeader(getModel(model), written.plan.language))!);
    const before = run.find((entry) => entry.model === model)!.values;
    const wanted = values.map((value, i) => (!formulas || formulas[i] ? value : before[i]));
    const shown = values.map((_, i) => rows[written.plan.headerRow + i]?.[column] ?? '');
    expect(shown, `${model} column`).toEqual(wanted);
  }
}

/** No cell of any sheet shows a formula error (#NAME? above all) or LibreOffice's Err:5xx. */
function expectNoErrors(sheets: Map<string, string[][]>) {
  const errors: string[] = [];
  for (const [name, rows] of sheets) {
    rows.forEach((row, r) => row.forEach((cell, c) => {
      if (/^#(NAME\?|VALUE!|REF!|DIV\/0!|N\/A|NUM!|NULL!)|^Err:\d+/.test(cell)) errors.push(`${name} row ${r + 1} column ${c + 1}: ${cell}`);
    }));
  }
  expect(errors).toEqual([]);
}

/** The models' settings with every cut frozen at the value the run wrote (or an edited one): what the file's cells hold. */
function frozenChoices(segmentation: Segmentation, edited: Record<string, number> = {}, changes: Record<string, ModelSettings> = {}): ModelChoice[] {
  return segmentation.results.map((result, index) => {
    const settings: ModelSettings = { ...segmentation.settings[index], ...changes[result.modelId] };
    for (const cut of result.cuts) {
      const level = edited[`${result.modelId}.${cut.key}`] ?? cut.value;
      settings[cut.key] = { method: 'value', level };
    }
    return { id: result.modelId, settings };
  });
}

function choicesOf(ids: string[], changes: Record<string, ModelSettings> = {}): ModelChoice[] {
  return ids.map((id) => ({ id, settings: { ...defaultSettings(getModel(id)), ...changes[id] } }));
}

/** The i-th smallest present value of a column: a cut there makes at least one row tie with it. */
function valueAt(values: Float64Array, share: number): number {
  const present = Array.from(values).filter((value) => !Number.isNaN(value)).sort((a, b) => a - b);
  return present[Math.floor(share * (present.length - 1))];
}

/**
 * A hand-worked table: ties at every cut, blanks, text in number columns, a number and a date
 * typed as text, share of wallet as 0.35 and as 35, costs and hours, customers exactly 12 months
 * old, 11 months old and starting after the as-of day.
 */
async function handWorkedWorkbook(): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Kunder');
  const day = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d));
  sheet.addRow(['Kundenr', 'Kunde', 'Omsætning', 'Potentiale', 'Dækningsbidrag', 'Serviceomkostninger', 'Timer', 'Share of wallet', 'Tilfredshed', 'Kunde siden']);
  const rows: CellValue[][] = [
    ['K1', 'Alfa', 500, 1000, 400, 10, 1, 0.35, 4, day(2026, 6, 15)],
    ['K2', 'Beta', 300, 800, 300, 0, 0, 35, 3, day(2025, 6, 15)],
    ['K3', 'Gamma', 300, 400, 300, 0, 0, 0.5, 3.5, day(2025, 6, 16)],
    ['K4', 'Delta', 100, 400, -50, 0, 0, 50, 2, day(2027, 1, 1)],
    ['K5', 'Epsilon', 60, null, 30, 0, 0, 1, 5, null],
    ['K6', 'Zeta', 'ukendt', 500, 20, 5, 0, 0.2, 4, day(2020, 1, 1)],
    ['K7', 'Eta', '1.234,50', 2000, 100, 0, 0, 0.9, 1, day(2019, 5, 5)],
    ['K8', 'Theta', 0, 300, 0, 0, 0, 0, 3, day(2024, 2, 29)],
    ['K9', 'Iota', -20, 300, -10, 0, 2, 0.1, 3, day(2025, 6, 30)],
    ['K10', 'Kappa', 300, 800, 300, 0, 0, 'n/a', 4, day(2023, 1, 31)],
    ['K11', 'Lambda', 40, 400, 300, 0, 0, 0.35, null, '2024-03-01'],
    ['K12', 'My', 80, 400, 120, 'x', 1, 0.6, 3, day(2026, 1, 31)],
    ['K13', 'Ny', 300, 400, 300, 0, 0, 1.5, 3.5, day(2025, 7, 1)],
  ];
  for (const row of rows) sheet.addRow(row);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}


describe.skipIf(!hasSoffice)('live segment columns recalculated without SegmentKit (LibreOffice)', () => {
  it('the 2,000-customer sample with all six models: every segment as the engine, and they follow edited cuts and inputs', async () => {
    const written = await writeSegmented(readFileSync(SAMPLE), choicesOf(ALL_MODELS));
    const { segmentation, plan } = written;
    // Live models read their cuts by name; the deep-dive score is values and says so.
    expect(plan.definedNames.map((defined) => defined.name)).toEqual([
      'SK_ABCD_RevenueCut', 'SK_ABCD_PotentialCut', 'SK_Pareto_ACut', 'SK_Pareto_BCut', 'SK_Quadrant_ShareCut', 'SK_Quadrant_SatisfactionCut',
      'SK_Value_GoldCut', 'SK_Value_SilverCut', 'SK_Value_NewMonths', 'SK_Value_AsOf', 'SK_Value_NewSince',
    ]);
    const scoreColumn = plan.columns.find((column) => column.header === 'Segment Score')!;
    expect(scoreColumn.rowFormula).toBeUndefined();
    // The sample holds a few numbers and dates as text ("1.250.000", "kr. 2.400.000"): a formula
    // would not read them as the engine does, so exactly those rows keep the engine's values.
    const inputs: Record<string, RoleId[]> = {
      abcd: ['revenue', 'potential'], pareto: ['revenue'], quadrant: ['shareOfWallet', 'satisfaction'], value: ['margin', 'since'],
      // The margin model's columns share one set of value rows, and its margin % reads revenue.
      margin: ['margin', 'revenue'],
    };
    for (const [id, roles] of Object.entries(inputs)) {
      const column = plan.columns.find((candidate) => candidate.header === getModel(id).columnHeader)!;
      const textRows = segmentation.table.cells.flatMap((row, i) => (roles.some((role) => {
        const cell = row[segmentation.table.mapping[role]!];
        return typeof cell === 'string' && !Number.isNaN(segmentation.table.numbers[role]![i]);
      }) ? [i] : []));
      expect(textRows.length, id).toBeLessThan(10);
      expect(rowFormulaList(column)!.flatMap((formula, i) => (formula ? [] : [i])), id).toEqual(textRows);
      expect(rowFormulaList(column)!.some((formula) => formula.includes('SEGMENT.')), id).toBe(false);
    }
    expect(rowFormulaAt(plan.columns.find((column) => column.header === 'Segment ABCD')!, 0)).toBe(
      'IF(COUNT(D2,E2)=2,IF(AND(D2>0,D2>=SK_ABCD_RevenueCut),IF(AND(E2>0,E2>=SK_ABCD_PotentialCut),"A","C"),IF(AND(E2>0,E2>=SK_ABCD_PotentialCut),"B","D")),"")',
    );

    const sheets = recalculate(written.file);
    expectNoErrors(sheets);
    expectSegments(sheets, written, segmentation);
    // The true margin next to the table is arithmetic: the engine's amount, to the whole number shown.
    // The sample has a margin column and no cost to serve or hours: the column says it is before cost to serve.
    const trueMargin = segmentation.results.find((result) => result.modelId === 'margin')!.metrics.find((metric) => metric.key === 'trueMargin')!;
    expect(trueMargin.label.en).toBe('Margin before cost to serve');
    const marginColumn = plan.firstColumn + plan.tableColumnCount + plan.columns.findIndex((column) => column.header === trueMargin.label.en);
    expect(marginColumn).toBeGreaterThan(plan.firstColumn + plan.tableColumnCount);
    const shown = sheets.get(plan.sheetName)!.slice(1, 1 + plan.rowCount).map((row) => (row[marginColumn] === '' ? null : Math.round(Number(row[marginColumn].replace(/,/g, '')))));
    expect(shown).toEqual(Array.from((trueMargin as { values: Float64Array }).values, (value) => (Number.isNaN(value) ? null : Math.round(value))));

    // Edit one cut per model in the file (each onto a value some row has, so ties at the new cut
    // count), the new-customer months, and two inputs: the segments follow.
    const { table } = segmentation;
    const valueResult = segmentation.results.find((result) => result.modelId === 'value')!;
    const margins = (valueResult.metrics.find((metric) => metric.key === 'trueMargin') as { values: Float64Array }).values;
    const edited = {
      'abcd.potentialCut': valueAt(table.numbers.potential!, 0.6),
      'pareto.aCut': valueAt(table.numbers.revenue!, 0.7),
      'quadrant.shareCut': valueAt(table.numbers.shareOfWallet!, 0.4),
      'value.silverCut': valueAt(margins, 0.5),
    };
    const revenueColumn = table.mapping.revenue!;
    const marginInput = table.mapping.margin!;
    const letter = (column: number) => String.fromCharCode(65 + column);
    editCells(written.file, [
      { name: 'SK_ABCD_PotentialCut', value: edited['abcd.potentialCut'] },
      { name: 'SK_Pareto_ACut', value: edited['pareto.aCut'] },
      { name: 'SK_Quadrant_ShareCut', value: edited['quadrant.shareCut'] },
      { name: 'SK_Value_SilverCut', value: edited['value.silverCut'] },
      { name: 'SK_Value_NewMonths', value: 30 },
      { sheet: 'Kunder', cell: `${letter(revenueColumn)}2`, value: 99_000_000 },
      { sheet: 'Kunder', cell: `${letter(marginInput)}3`, value: -5_000 },
    ]);
    const rows = table.cells.map((row) => [...row]);
    rows[0][revenueColumn] = 99_000_000;
    rows[1][marginInput] = -5_000;
    const editedTable = buildCustomerTable(written.snapshot.headers, rows, { origin: written.snapshot.origin });
    const after = segment(editedTable, frozenChoices(segmentation, edited, { value: { newMonths: 30 } }));
    const recalculated = recalculate(written.file);
    expectNoErrors(recalculated);
    expectSegments(recalculated, written, after, ALL_MODELS.filter((id) => id !== 'score'));
    // The score is values: it keeps what the run computed.
    expectSegments(recalculated, written, segmentation, ['score']);
    // The edits really moved segments, so the check above is not the first one again.
    const moved = after.results.map((result, m) => result.tiers.reduce((count, tier, i) => count + (tier !== segmentation.results[m].tiers[i] ? 1 : 0), 0));
    expect(moved.filter((_, m) => segmentation.results[m].modelId !== 'score').every((count) => count > 0)).toBe(true);
  }, 240_000);

  it.each([
    ['Pareto cuts (the defaults)', {}],
    ['quantile and value cuts', {
      abcd: { revenueCut: { method: 'quantile', level: 0.5 }, potentialCut: { method: 'value', level: 400 } },
      pareto: { aCut: { method: 'quantile', level: 0.75 }, bCut: { method: 'value', level: 60 } },
      quadrant: { shareCut: { method: 'value', level: 35 }, satisfactionCut: { method: 'quantile', level: 0.5 } },
      value: { goldCut: { method: 'quantile', level: 0.8 }, silverCut: { method: 'value', level: 0 }, newMonths: 0.5 },
    }],
  ] as [string, Record<string, ModelSettings>][])('a hand-worked table with %s: every segment as the engine, before and after editing the cuts', async (_, changes) => {
    const asOf = dateToSerial(2026, 6, 15);
    const ids = ['abcd', 'pareto', 'quadrant', 'value', 'margin'];
    const written = await writeSegmented(await handWorkedWorkbook(), choicesOf(ids, { ...changes, value: { asOf, ...changes.value } }));
    const { segmentation, plan } = written;
    // K7's revenue and K11's customer-since are text the engine reads: those rows keep values.
    const abcd = plan.columns.find((column) => column.header === 'Segment ABCD')!;
    expect(rowFormulaList(abcd)!.map((formula, i) => (formula ? null : i + 2)).filter(Boolean)).toEqual([8]);
    const value = plan.columns.find((column) => column.header === 'Segment Value')!;
    expect(rowFormulaList(value)!.map((formula, i) => (formula ? null : i + 2)).filter(Boolean)).toEqual([12]);

    const sheets = recalculate(written.file);
    expectNoErrors(sheets);
    expectSegments(sheets, written, segmentation);

    // Each cut moved onto a value some row has; the months and the as-of day moved too.
    const edited = {
      'abcd.revenueCut': 100, 'abcd.potentialCut': 800, 'pareto.aCut': 300, 'pareto.bCut': 60,
      'quadrant.shareCut': 0.35, 'quadrant.satisfactionCut': 3.5, 'value.goldCut': 300, 'value.silverCut': 30,
    };
    const newAsOf = dateToSerial(2026, 2, 28);
    editCells(written.file, [
      ...Object.entries(edited).map(([key, level]) => {
        const [model, cut] = key.split('.');
        const header = getModel(model).columnHeader.replace('Segment ', '');
        return { name: `SK_${header}_${cut.charAt(0).toUpperCase()}${cut.slice(1)}`, value: level };
      }),
      { name: 'SK_Value_NewMonths', value: 12 },
      { name: 'SK_Value_AsOf', value: newAsOf },
    ]);
    const after = segment(segmentation.table, frozenChoices(segmentation, edited, { value: { newMonths: 12, asOf: newAsOf } }));
    const recalculated = recalculate(written.file);
    expectNoErrors(recalculated);
    // Rows whose inputs are text a formula cannot read (K7's revenue, K11's start) keep the run's values.
    expectSegments(recalculated, written, after);
  }, 240_000);

  it('a Danish run: the ordinary formulas return the Danish tier names the values and colour rules hold (Guld, Tab, Overskud)', async () => {
    const ids = ['abcd', 'pareto', 'quadrant', 'value', 'margin'];
    const written = await writeSegmented(await handWorkedWorkbook(), choicesOf(ids, { value: { asOf: dateToSerial(2026, 6, 15) } }), { language: 'da' });
    const { segmentation, plan } = written;
    // The headers are Danish too where the model's name is ("Segment Værdi", "Segment DB").
    const value = plan.columns.find((column) => column.header === 'Segment Værdi')!;
    const margin = plan.columns.find((column) => column.header === 'Segment DB')!;
    expect(plan.columns.filter((column) => column.tierColors).map((column) => column.header)).toEqual(['Segment ABCD', 'Segment Pareto', 'Segment Kvadrant', 'Segment Værdi', 'Segment DB']);
    expect(rowFormulaAt(value, 0)).toContain('"Guld"');
    expect(rowFormulaAt(margin, 0)).toMatch(/"Tab".*"Overskud"/);
    expect(value.tierColors!.map((color) => color.value)).toEqual(['Guld', 'Sølv', 'Bronze', 'Tab']);
    expect(margin.tierColors!.map((color) => color.value)).toEqual(['Tab', 'Overskud']);
    const sheets = recalculate(written.file);
    expectNoErrors(sheets);
    expectSegments(sheets, written, segmentation, ids);
    // What LibreOffice calculated is, cell by cell, the value the plan holds, and every name has a colour rule.
    const rows = sheets.get(plan.sheetName)!;
    for (const column of plan.columns.filter((candidate) => candidate.tierColors)) {
      const at = plan.firstColumn + plan.tableColumnCount + plan.columns.indexOf(column);
      const shown = column.values.map((_, i) => rows[plan.headerRow + i][at]);
      expect(shown, column.header).toEqual(column.values.map((cell) => cell ?? ''));
      const names = new Set(column.tierColors!.map((color) => color.value));
      expect(shown.filter((cell) => cell !== '' && !names.has(cell)), column.header).toEqual([]);
    }
    expect(rows.slice(plan.headerRow).map((row) => row[plan.firstColumn + plan.tableColumnCount + plan.columns.indexOf(margin)])).toContain('Tab');
  }, 240_000);
});

/** Every part of a zip package by name, as text. */
function packageText(file: string): Map<string, string> {
  return new Map(Object.entries(unzipSync(readFileSync(file))).map(([name, bytes]) => [name, strFromU8(bytes)]));
}

/** A relationship's target as a part name: relative to its source part's folder, or absolute from the package root. */
function resolvePart(source: string, target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  return path.posix.normalize(path.posix.join(path.posix.dirname(source), target));
}

/** The relationships of a part ('' for the package's own), each with its target resolved to a part name. */
function relationshipsOf(parts: Map<string, string>, source: string): { id: string; type: string; part: string }[] {
  const relsName = source ? `${path.posix.dirname(source)}/_rels/${path.posix.basename(source)}.rels`.replace(/^\.\//, '') : '_rels/.rels';
  const xml = parts.get(relsName) ?? '';
  return Array.from(xml.matchAll(/<Relationship\b[^>]*>/g), ([tag]) => {
    const attribute = (name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(tag)?.[1] ?? '';
    return { id: attribute('Id'), type: attribute('Type'), part: resolvePart(source || 'package-root', attribute('Target')) };
  });
}

/** Converts a workbook to OpenDocument with LibreOffice (a profile of its own); the .ods parts. */
function toOds(file: string): Map<string, string> {
  const work = mkdtempSync(path.join(tmpdir(), 'segmentkit-ods-'));
  mkdirSync(path.join(work, 'out'));
  execFileSync('soffice', [`-env:UserInstallation=file://${work}/profile`, '--headless', '--convert-to', 'ods', '--outdir', path.join(work, 'out'), file], { stdio: 'pipe', timeout: 120_000 });
  return packageText(path.join(work, 'out', path.basename(file).replace(/\.xlsx$/, '.ods')));
}

describe.skipIf(!hasSoffice)('the Summary chart in the file SegmentKit writes', () => {
  it('is a chart part the Summary sheet\'s drawing points at, over the Summary cells, and LibreOffice shows it on the Summary', async () => {
    const written = await writeSegmented(readFileSync(SAMPLE), choicesOf(['abcd', 'pareto']));
    const summary = written.plan.sheets.find((sheet) => sheet.purpose === 'summary')!;
    const specs = summary.charts.filter((chart) => chart.toRow >= chart.fromRow);
    expect(specs.map((spec) => spec.title)).toEqual(['ABCD accounts: Share of revenue per segment', 'Pareto ABC: Share of revenue per segment']);
    const parts = packageText(written.file);

    // Workbook → Summary sheet → its drawing → the chart parts, each through its relationships.
    const workbookPart = relationshipsOf(parts, '').find((relationship) => relationship.type.endsWith('/officeDocument'))!.part;
    const sheetTag = /<sheet\b[^>]*\bname="Summary"[^>]*>/.exec(parts.get(workbookPart)!)![0];
    const sheetId = /\b\w+:id="([^"]+)"/.exec(sheetTag)![1];
    const sheetPart = relationshipsOf(parts, workbookPart).find((relationship) => relationship.id === sheetId)!.part;
    const drawings = relationshipsOf(parts, sheetPart).filter((relationship) => relationship.type.endsWith('/drawing'));
    expect(drawings).toHaveLength(1);
    expect(parts.get(sheetPart)).toMatch(new RegExp(`<drawing \\w+:id="${drawings[0].id}"/>`));
    const charts = relationshipsOf(parts, drawings[0].part).filter((relationship) => relationship.type.endsWith('/chart'));
    expect(charts).toHaveLength(specs.length);
    const drawing = parts.get(drawings[0].part)!;
    const types = parts.get('[Content_Types].xml')!;
    charts.forEach((chart, index) => {
      const xml = parts.get(chart.part);
      expect(xml, chart.part).toBeDefined();
      expect(drawing).toContain(`r:id="${chart.id}"`);
      expect(types).toContain(`<Override PartName="/${chart.part}" ContentType="application/vnd.openxmlformats-officedocument.drawingml.chart+xml"/>`);
      const spec = specs[index];
      const letter = (column: number) => String.fromCharCode(65 + column);
      expect(xml).toContain('<c:barChart>');
      expect(xml).toContain(`<a:t>${spec.title}</a:t>`);
      expect(xml).toContain(`<c:f>'Summary'!$${letter(spec.valueColumn)}$${spec.fromRow + 1}:$${letter(spec.valueColumn)}$${spec.toRow + 1}</c:f>`);
    });
    // The sample had no chart of its own: these are all the package holds.
    expect([...parts.keys()].filter((name) => /^xl\/charts\/chart\d+\.xml$/.test(name))).toHaveLength(specs.length);

    // LibreOffice reads them as charts on the Summary sheet, over the same cells.
    const ods = toOds(written.file);
    const content = ods.get('content.xml')!;
    const summaryTable = /<table:table table:name="Summary"[\s\S]*?<\/table:table>/.exec(content)![0];
    const objects = Array.from(summaryTable.matchAll(/<draw:object [^>]*xlink:href="\.\/([^"]+)"/g), (match) => match[1]);
    expect(objects).toHaveLength(specs.length);
    objects.forEach((name, index) => {
      const chart = ods.get(`${name}/content.xml`)!;
      const spec = specs[index];
      const column = String.fromCharCode(65 + spec.valueColumn);
      expect(chart).toContain('chart:class="chart:bar"');
      expect(chart).toContain(`chart:values-cell-range-address="Summary.${column}${spec.fromRow + 1}:Summary.${column}${spec.toRow + 1}"`);
      expect(chart).toContain(`<text:p>${spec.title}</text:p>`);
    });
  }, 120_000);
});

describe('the run date beside the cuts', () => {
  it('labels every cut with the day it was computed, today by default', async () => {
    const written = await writeSegmented(readFileSync(SAMPLE), choicesOf(['abcd']));
    const summary = written.plan.sheets.find((sheet) => sheet.purpose === 'summary')!;
    const header = summary.rows.findIndex((row) => row[0] === 'Cut');
    expect(summary.rows[header]).toEqual(['Cut', 'Method', 'Level', 'Value', 'Computed on']);
    expect(summary.rows[header + 1].slice(0, 3)).toEqual(['Revenue cut', 'Pareto share', 0.8]);
    expect(summary.rows[header + 1][4]).toBe(todaySerial());
    expect(summary.formulas).toEqual([]);
  });

  it('writes the value tiers\' new-customer rule against one worked-out day on the Summary, and the true margin as arithmetic', async () => {
    const asOf = dateToSerial(2026, 6, 15);
    const written = await writeSegmented(await handWorkedWorkbook(), choicesOf(['value'], { value: { asOf } }), { runDate: asOf });
    const summary = written.plan.sheets.find((sheet) => sheet.purpose === 'summary')!;
    const at = (label: string) => summary.rows.findIndex((row) => row[0] === label);
    expect(summary.rows[at('Customer age as of')][3]).toBe(asOf);
    expect(summary.rows[at('New customers (Bronze raised to Silver) younger than, months')][3]).toBe(12);
    // 2026-06-15 less 12 months: a customer since 2025-06-16 or later is new.
    expect(summary.rows[at('New customers: customer since after')][3]).toBe(dateToSerial(2025, 6, 15));
    const months = at('New customers (Bronze raised to Silver) younger than, months') + 1;
    const day = at('Customer age as of') + 1;
    expect(summary.formulas).toEqual([{ row: at('New customers: customer since after'), column: 3, formula: `IF($D$${months}>0,EDATE($D$${day},-ROUNDUP($D$${months},0)),2958465)` }]);
    expect(written.plan.definedNames.slice(2).map((defined) => defined.name)).toEqual(['SK_Value_NewMonths', 'SK_Value_AsOf', 'SK_Value_NewSince']);
    const value = written.plan.columns.find((column) => column.header === 'Segment Value')!;
    expect(rowFormulaAt(value, 0)).toBe(
      'IF(COUNT(E2,F2,G2)=3,IF(E2-F2-G2*650<0,"Loss",'
      + 'IF(AND(E2-F2-G2*650>0,E2-F2-G2*650>=SK_Value_GoldCut),"Gold",IF(AND(E2-F2-G2*650>0,E2-F2-G2*650>=SK_Value_SilverCut),"Silver",'
      + 'IF(IF(ISNUMBER(J2),INT(J2)>SK_Value_NewSince,FALSE),"Silver","Bronze")))),"")',
    );
  });
});
