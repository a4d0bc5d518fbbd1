import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { buildCustomerTable, dateToSerial, defaultSettings, getModel, segment, type FactorNode, type ModelChoice } from '../src/engine';
import { MARKER_SHEET, parseMarker } from '../src/workbook/marker';
import { buildPlan } from '../src/workbook/plan';
import { PackageWorkbook } from '../src/workbook/xlsx/package-workbook';
import { plainValue } from './support/exceljs-cells';

/**
 * The consultancies' models written to an .xlsx file and read back cell by cell. Hand-worked:
 * - value: positive margin 950, Gold cut 500 (50 %), Silver cut 300 (80 %). K1 Gold but 22 days late
 *   (Bronze discount 0 %); K2 Silver; K3 Bronze (exactly 12 months: not raised); K4 Bronze raised to
 *   Silver (5 months); K5 Loss raised to Silver (1 month).
 * - quadrant: shares 50 %, 80 %, 20 %, 50 %, 20 %; satisfaction median 3 → Model, Fix, Grow, Model, Move.
 * - score (revenue higher, complaints lower, equal weights): revenue 1, .75, .25, .125, 0 and complaints
 *   1, .25, .75, .5, 0 → 100, 50, 50, 31.25, 0. Top cut (90 % quantile: 4.5 of 5 below, so the split
 *   after 4 and the cut is the fifth value) 100; middle cut (60 %: 3 of 5 below falls inside the two 50s,
 *   kept together; 2 and 4 below are as near, the lower cut wins) 50.
 * - margin: no costs, so the true margin is the margin column: K5 is a Loss.
 */
const HEADERS = ['Kundenr', 'Kunde', 'Kundeansvarlig', 'Omsætning', 'Potentiale', 'Dækningsbidrag', 'Share of wallet', 'Tilfredshed', 'Kunde siden', 'Dage for sent', 'Klager'];
const ROWS = [
  ['K1', 'Alfa A/S', 'Mette', 1000, 2000, 500, '50 %', 4, '2015-01-01', 22, 0],
  ['K2', 'Beta ApS', 'Jonas', 800, 1000, 300, 0.8, 2, '2018-06-01', 15, 3],
  ['K3', 'Gamma I/S', 'Mette', 400, 2000, 100, 20, 5, '2025-10-31', 0, 1],
  ['K4', 'Delta A/S', 'Jonas', 300, 600, 50, 0.5, 3, '2026-05-31', 0, 2],
  ['K5', 'Epsilon', 'Mette', 200, 1000, -20, 0.2, 1, '2026-09-15', 5, 4],
];
const TREE: FactorNode = { id: 'root', name: 'Score', weight: 1, children: [
  { id: 'economy', name: 'Economy', weight: 1, children: [{ id: 'revenue', name: 'Revenue', weight: 1, source: 'role:revenue', direction: 'higher' }] },
  { id: 'quality', name: 'Quality', weight: 1, children: [
    { id: 'complaints', name: 'Complaints', weight: 1, source: 'column:Klager', direction: 'lower' },
    { id: 'empty', name: 'Meetings', weight: 1, children: [] },
  ] },
] };

function choices(): ModelChoice[] {
  const settings = (id: string) => defaultSettings(getModel(id));
  return [
    { id: 'value', settings: { ...settings('value'), asOf: dateToSerial(2026, 10, 31) } },
    { id: 'quadrant', settings: settings('quadrant') },
    { id: 'score', settings: { ...settings('score'), factors: TREE } },
    { id: 'margin', settings: settings('margin') },
  ];
}

async function applied(language: 'en' | 'da' = 'en') {
  const source = new ExcelJS.Workbook();
  const sheet = source.addWorksheet('Kunder');
  sheet.addRow(HEADERS);
  for (const row of ROWS) sheet.addRow(row);
  const port = await PackageWorkbook.open(new Uint8Array(await source.xlsx.writeBuffer() as ArrayBuffer));
  const snapshot = await port.readTable();
  const table = buildCustomerTable(snapshot.headers, snapshot.rows, { origin: snapshot.origin });
  await port.apply(buildPlan(snapshot, segment(table, choices()), { mode: 'values', language, reasons: true }));
  const reread = new ExcelJS.Workbook();
  await reread.xlsx.load(port.toBytes() as unknown as ExcelJS.Buffer);
  return { reread, port };
}

function rowsOf(sheet: ExcelJS.Worksheet) {
  const rows = [];
  for (let row = 1; row <= sheet.rowCount; row++) rows.push(Array.from((sheet.getRow(row).values as ExcelJS.CellValue[]).slice(1), plainValue));
  return rows;
}

describe('the consultancies\' models in the workbook', () => {
  it('writes segment, metric and reason columns next to the table', async () => {
    const { reread } = await applied();
    const rows = rowsOf(reread.getWorksheet('Kunder')!);
    expect(rows[0].slice(11)).toEqual([
      'Segment Value', 'Reason Value', 'Segment Quadrant', 'Reason Quadrant', 'Segment Score', 'Score', 'Rank', 'Reason Score',
      'Segment Margin', 'True margin', 'Margin %', 'Reason Margin',
    ]);
    const columnAt = (index: number) => rows.slice(1).map((row) => row[index]);
    expect(columnAt(11)).toEqual(['Gold', 'Silver', 'Bronze', 'Silver', 'Silver']);
    expect(columnAt(13)).toEqual(['Model', 'Fix', 'Grow', 'Model', 'Move']);
    expect(columnAt(15)).toEqual(['Top', 'Middle', 'Middle', 'Low', 'Low']);
    expect(columnAt(16)).toEqual([100, 50, 50, 31.25, 0]);
    expect(columnAt(17)).toEqual([1, 2, 2, 4, 5]);
    expect(columnAt(19)).toEqual(['Profit', 'Profit', 'Profit', 'Profit', 'Loss']);
    expect(columnAt(20)).toEqual([500, 300, 100, 50, -20]);
    expect(columnAt(21)).toEqual([0.5, 0.375, 0.25, 50 / 300, -0.1]);
    expect(rows[4][12]).toBe('Margin tier Bronze (Margin 50 < cut 300); raised to Silver: customer for 5 months');
    expect(rows[1][12]).toBe('Margin tier Gold (Margin 500 ≥ cut 500); pays 22 days late on average: Bronze discount (0 %)');
    expect(rows[3][14]).toBe('Share of wallet 20 % < cut 50 %; satisfaction 5 ≥ cut 3');
  });

  it('writes the Terms sheet with every tier, its customers and the rules applied', async () => {
    const { reread } = await applied();
    const rows = rowsOf(reread.getWorksheet('Terms')!);
    expect(rows[2]).toEqual(['Tier', 'Meaning', 'Customers', 'Discount', 'Payment days', 'Invoice fee (kr.)', 'Service level', 'Phone queue priority', 'Meetings', 'Reprice']);
    expect(rows.slice(3, 7).map((row) => [row[0], row[2], ...row.slice(3)])).toEqual([
      ['Gold', 1, 0.08, 30, 0, 'Key account manager', 1, 'Monthly'],
      ['Silver', 3, 0.04, 30, 0, 'Named contact', 2, 'Quarterly'],
      ['Bronze', 1, 0, 14, 29, 'Standard service desk', 3, 'Yearly'],
      ['Loss', 0, 0, 8, 49, 'Self-service', 3, 'None', 'Yes'],
    ]);
    expect(rows[9][0]).toBe('Customers younger than 12 months (as of 2026-10-31) raised to at least Silver: 2.');
    expect(rows[10][0]).toBe('Late payers (more than 15 days late on average) given the Bronze discount: 1.');
  });

  it('writes the Priority sheet per account manager with terms, score and the best and worst lists', async () => {
    const { reread } = await applied();
    const rows = rowsOf(reread.getWorksheet('Priority')!);
    const header = rows[0];
    expect(header.slice(0, 24)).toEqual([
      'Account manager', 'Customer ID', 'Customer', 'Segment Value', 'Segment Quadrant', 'Segment Score', 'Segment Margin', 'Priority',
      'Revenue', 'Potential', 'Potential gap', 'Utilization', 'Recommended action', 'True margin', 'Discount', 'Payment days',
      'Invoice fee (kr.)', 'Service level', 'Phone queue priority', 'Meetings', 'Reprice', 'Share of wallet', 'Score', 'Why',
    ]);
    // Jonas: K2 and K4 are Silver, K2 first by its larger margin. Mette: K1 Gold, K5 Silver (raised), K3 Bronze.
    expect(rows.slice(1, 6).map((row) => [row[0], row[1], row[3], row[7], row[14], row[16], row[19]])).toEqual([
      ['Jonas', 'K2', 'Silver', 1, 0.04, 0, 'Quarterly'],
      ['Jonas', 'K4', 'Silver', 2, 0.04, 0, 'Quarterly'],
      // K1 is Gold but pays late: the Bronze discount.
      ['Mette', 'K1', 'Gold', 1, 0, 0, 'Monthly'],
      ['Mette', 'K5', 'Silver', 2, 0.04, 0, 'Quarterly'],
      ['Mette', 'K3', 'Bronze', 3, 0, 29, 'Yearly'],
    ]);
    // Best and worst lists start one column after Why.
    expect(rows.slice(0, 6).map((row) => row.slice(25, 29))).toEqual([
      ['Best 50: Rank', 'Customer', 'Score', 'Group'],
      [1, 'Alfa A/S', 100, 'Best 10'],
      [2, 'Beta ApS', 50, 'Best 10'],
      [3, 'Gamma I/S', 50, 'Best 10'],
      [4, 'Delta A/S', 31.25, 'Best 10'],
      [5, 'Epsilon', 0, 'Best 10'],
    ]);
    expect(rows[1].slice(30, 34)).toEqual([1, 'Epsilon', 0, 'Worst 10']);
  });

  it('writes the Factors sheet with the shares each factor gets, and keeps the settings in the marker', async () => {
    const { reread, port } = await applied('da');
    const rows = rowsOf(reread.getWorksheet('Faktorer')!);
    expect(rows[2][0]).toBe('Niveau');
    // Economy and Quality half each; the empty Meetings group is left out, so Complaints gets all of Quality.
    expect(rows.slice(3, 8).map((row) => row.slice(0, 5))).toEqual([
      [1, 'Economy', 1, 0.5, 0.5],
      [2, '    Revenue', 1, 1, 0.5],
      [1, 'Quality', 1, 0.5, 0.5],
      [2, '    Complaints', 1, 1, 0.5],
      [2, '    Meetings', 1, 0, 0],
    ]);
    expect(rows[6].slice(5, 7)).toEqual(['Klager', 'lavere']);
    expect(rows[10][0]).toBe('Quality › Meetings: tom gruppe, udeladt.');
    const marker = parseMarker(plainValue(reread.getWorksheet(MARKER_SHEET)!.getCell('A1').value))!;
    expect(marker.sheets).toEqual({ priority: 'Prioritet', summary: 'Oversigt', terms: 'Vilkår', factors: 'Faktorer' });
    expect(marker.settings?.score.factors).toEqual(TREE);
    // The next read finds the settings again, so the pane can start from them.
    expect((await PackageWorkbook.open(port.toBytes()).readTable()).marker?.settings?.value.asOf).toBe(dateToSerial(2026, 10, 31));
  });
});

describe('the Priority sheet under Grow / Fix / Model / Move', () => {
  it('lists Grow first by potential gap, then Fix by revenue at risk, then Model and Move', async () => {
    // Satisfaction median 4: A, B and E are satisfied. Shares 20 %, 10 % (low) and 80 %, 60 %, 90 % (high).
    // Grow: A (gap 1,000) and B (gap 3,000) → B first. Fix: C (revenue 500) and D (900) → D first. E is Model.
    const source = new ExcelJS.Workbook();
    source.addWorksheet('Kunder').addRows([
      ['Kundenr', 'Kundeansvarlig', 'Omsætning', 'Potentiale', 'Share of wallet', 'Tilfredshed'],
      ['A', 'Mette', 500, 1500, 0.2, 5],
      ['B', 'Mette', 300, 3300, 0.1, 4],
      ['C', 'Mette', 500, 700, 0.8, 1],
      ['D', 'Mette', 900, 1500, 0.6, 2],
      ['E', 'Mette', 100, 200, 0.9, 5],
    ]);
    const port = await PackageWorkbook.open(new Uint8Array(await source.xlsx.writeBuffer() as ArrayBuffer));
    const snapshot = await port.readTable();
    const table = buildCustomerTable(snapshot.headers, snapshot.rows, { origin: snapshot.origin });
    const plan = buildPlan(snapshot, segment(table, [{ id: 'quadrant', settings: defaultSettings(getModel('quadrant')) }]), { mode: 'values', language: 'en' });
    const priority = plan.sheets.find((sheet) => sheet.purpose === 'priority')!;
    expect(priority.rows.slice(1).map((row) => [row[1], row[3], row[4]])).toEqual([
      ['B', 'Grow', 1], ['A', 'Grow', 2], ['D', 'Fix', 3], ['C', 'Fix', 4], ['E', 'Model', 5],
    ]);
  });
});
