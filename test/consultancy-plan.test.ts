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
  { id: 'economy', name: 'Economy', weight: 1, children: [{ id: 'revenue', name: 'Revenue', weight: 1, source: 'role:revenue', direction: 'higher', scale: 'minmax' }] },
  { id: 'quality', name: 'Quality', weight: 1, children: [
    { id: 'complaints', name: 'Complaints', weight: 1, source: 'column:Klager', direction: 'lower', scale: 'minmax' },
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

/** Each model's reason per table row, as the engine gives it. */
function engineExplanations(): Record<string, string[]> {
  const table = buildCustomerTable(HEADERS, ROWS);
  const segmentation = segment(table, choices());
  return Object.fromEntries(segmentation.results.map((result) => [result.modelId, ROWS.map((_, row) => result.explain(row).en)]));
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
      'Segment Margin', 'Margin before cost to serve', 'Margin %', 'Reason Margin',
    ]);
    const columnAt = (index: number) => rows.slice(1).map((row) => row[index]);
    // K5 is new but loses money: it stays Loss, so its terms follow the loss (never Silver's discount).
    expect(columnAt(11)).toEqual(['Gold', 'Silver', 'Bronze', 'Silver', 'Loss']);
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
      ['Silver', 2, 0.04, 30, 0, 'Named contact', 2, 'Quarterly'],
      ['Bronze', 1, 0, 14, 29, 'Standard service desk', 3, 'Yearly'],
      ['Loss', 1, 0, 8, 49, 'Self-service', 3, 'None', 'Yes'],
    ]);
    expect(rows[9][0]).toBe('Customers younger than 12 months (as of 2026-10-31) raised from Bronze to Silver: 1; a new customer that loses money stays Loss.');
    expect(rows[10][0]).toBe('Late payers (more than 15 days late on average) given the Bronze discount: 1.');
  });

  it('writes the Priority sheet per account manager with one action from the rule, what decided it, terms, score and the best and worst lists', async () => {
    const { reread } = await applied();
    const rows = rowsOf(reread.getWorksheet('Priority')!);
    const header = rows[0];
    expect(header.slice(0, 25)).toEqual([
      'Account manager', 'Customer ID', 'Customer', 'Segment Value', 'Segment Quadrant', 'Segment Score', 'Segment Margin', 'Priority',
      'Revenue', 'Potential', 'Potential gap', 'Utilization', 'Recommended action', 'Decided by', 'Margin before cost to serve', 'Discount', 'Payment days',
      'Invoice fee (kr.)', 'Service level', 'Phone queue priority', 'Meetings', 'Reprice', 'Share of wallet', 'Score', 'Why',
    ]);
    // The rule: K5 loses money (margin Loss, priority 1; its value tier is Loss too, with Loss's terms);
    // K2 is Fix (priority 2); K3 Grow and K1 Top (both growth, priority 3: Grow is the earlier rule);
    // K4 Model (priority 4). Jonas: K2, K4. Mette: K5, K3, K1.
    expect(rows.slice(1, 6).map((row) => [row[0], row[1], row[3], row[7], row[15], row[17], row[20]])).toEqual([
      ['Jonas', 'K2', 'Silver', 1, 0.04, 0, 'Quarterly'],
      ['Jonas', 'K4', 'Silver', 2, 0.04, 0, 'Quarterly'],
      ['Mette', 'K5', 'Loss', 1, 0, 49, 'None'],
      ['Mette', 'K3', 'Bronze', 2, 0, 29, 'Yearly'],
      // K1 is Gold but pays late: the Bronze discount.
      ['Mette', 'K1', 'Gold', 3, 0, 0, 'Monthly'],
    ]);
    expect(rows.slice(1, 6).map((row) => [row[1], row[12], row[13]])).toEqual([
      ['K2', 'Repair before upselling: find and fix the complaint before the revenue leaves', 'Grow / Fix / Model / Move: Fix'],
      ['K4', 'Capitalize: references, cases and cross-sell', 'Grow / Fix / Model / Move: Model'],
      ['K5', 'Reprice or cut the cost to serve before anything else: this customer costs money today', 'Margin and cost to serve: Loss'],
      ['K3', 'Grow: call first and realize the easy potential', 'Grow / Fix / Model / Move: Grow'],
      ['K1', 'Invest: these customers set the standard', 'Deep-dive rating: Top'],
    ]);
    // Why explains the deciding model's segment, not the first model's.
    const explained = engineExplanations();
    expect(rows.slice(1, 6).map((row) => row[24])).toEqual([
      explained.quadrant[1], explained.quadrant[3], explained.margin[4], explained.quadrant[2], explained.score[0],
    ]);
    expect(rows[1][24]).toBe('Share of wallet 80 % ≥ cut 50 %; satisfaction 2 < cut 3');
    // Best and worst lists start one column after Why.
    expect(rows.slice(0, 6).map((row) => row.slice(26, 30))).toEqual([
      ['Best 50: Rank', 'Customer', 'Score', 'Group'],
      [1, 'Alfa A/S', 100, 'Best 10'],
      [2, 'Beta ApS', 50, 'Best 10'],
      [3, 'Gamma I/S', 50, 'Best 10'],
      [4, 'Delta A/S', 31.25, 'Best 10'],
      [5, 'Epsilon', 0, 'Best 10'],
    ]);
    expect(rows[1].slice(31, 35)).toEqual([1, 'Epsilon', 0, 'Worst 10']);
  });

  it('writes a Danish run in Danish: tier names in the segment columns, the Priority sheet and the Terms sheet, the rule\'s actions and what decided them', async () => {
    const { reread } = await applied('da');
    const table = rowsOf(reread.getWorksheet('Kunder')!);
    const columnAt = (index: number) => table.slice(1).map((row) => row[index]);
    expect(columnAt(11)).toEqual(['Guld', 'Sølv', 'Bronze', 'Sølv', 'Tab']);
    expect(columnAt(13)).toEqual(['Model', 'Fix', 'Grow', 'Model', 'Move']);
    expect(columnAt(15)).toEqual(['Top', 'Midte', 'Midte', 'Lav', 'Lav']);
    expect(columnAt(19)).toEqual(['Overskud', 'Overskud', 'Overskud', 'Overskud', 'Tab']);
    const rows = rowsOf(reread.getWorksheet('Prioritet')!);
    expect(rows[0].slice(12, 14)).toEqual(['Anbefalet handling', 'Afgjort af']);
    expect(rows.slice(1, 6).map((row) => [row[1], ...row.slice(3, 7), row[12], row[13]])).toEqual([
      ['K2', 'Sølv', 'Fix', 'Midte', 'Overskud', 'Reparér før mersalg: find og løs utilfredsheden, før omsætningen forsvinder', 'Grow / Fix / Model / Move: Fix'],
      ['K4', 'Sølv', 'Model', 'Lav', 'Overskud', 'Kapitalisér: referencer, cases og mersalg', 'Grow / Fix / Model / Move: Model'],
      ['K5', 'Tab', 'Move', 'Lav', 'Tab', 'Prisjustér eller skær i serviceomkostningerne før alt andet: kunden koster penge i dag',
        'Dækningsbidrag og serviceomkostninger: Tab'],
      ['K3', 'Bronze', 'Grow', 'Midte', 'Overskud', 'Vækst: ring først og indfri det lette potentiale', 'Grow / Fix / Model / Move: Grow'],
      ['K1', 'Guld', 'Model', 'Top', 'Overskud', 'Investér: disse kunder sætter standarden', 'Dybdegående kundevurdering: Top'],
    ]);
    const terms = rowsOf(reread.getWorksheet('Vilkår')!);
    expect(terms.slice(3, 7).map((row) => row[0])).toEqual(['Guld', 'Sølv', 'Bronze', 'Tab']);
  });

  it.each([
    ['en', 'Summary', [
      ['Recommended action: the rule'],
      ['Order', 'Condition', 'Customers', 'Priority', 'Recommended action'],
      [1, 'Margin and cost to serve: Loss', 1, 1, 'Reprice or cut the cost to serve before anything else: this customer costs money today'],
      [2, 'Value tiers and terms: Loss', 0, 1, 'Reprice or cut the cost to serve before anything else: the margin is below 0'],
      [3, 'Contribution margin < 0', 0, 1, 'Reprice or cut the cost to serve before anything else: the margin is below 0'],
      [4, 'Grow / Fix / Model / Move: Fix', 1, 2, 'Repair before upselling: find and fix the complaint before the revenue leaves'],
      [5, 'Grow / Fix / Model / Move: Grow', 1, 3, 'Grow: call first and realize the easy potential'],
      [6, 'Deep-dive rating: Top', 1, 3, 'Invest: these customers set the standard'],
      [7, 'Value tiers and terms: Gold', 0, 4, 'Protect: best terms, key account manager, monthly meeting'],
      [8, 'Grow / Fix / Model / Move: Model', 1, 4, 'Capitalize: references, cases and cross-sell'],
    ]],
    ['da', 'Oversigt', [
      ['Anbefalet handling: reglen'],
      ['Rækkefølge', 'Betingelse', 'Kunder', 'Prioritet', 'Anbefalet handling'],
      [1, 'Dækningsbidrag og serviceomkostninger: Tab', 1, 1, 'Prisjustér eller skær i serviceomkostningerne før alt andet: kunden koster penge i dag'],
      [2, 'Værdisegmenter og vilkår: Tab', 0, 1, 'Prisjustér eller skær i serviceomkostningerne før alt andet: dækningsbidraget er under 0'],
      [3, 'Dækningsbidrag < 0', 0, 1, 'Prisjustér eller skær i serviceomkostningerne før alt andet: dækningsbidraget er under 0'],
      [4, 'Grow / Fix / Model / Move: Fix', 1, 2, 'Reparér før mersalg: find og løs utilfredsheden, før omsætningen forsvinder'],
      [5, 'Grow / Fix / Model / Move: Grow', 1, 3, 'Vækst: ring først og indfri det lette potentiale'],
      [6, 'Dybdegående kundevurdering: Top', 1, 3, 'Investér: disse kunder sætter standarden'],
      [7, 'Værdisegmenter og vilkår: Guld', 0, 4, 'Beskyt: bedste vilkår, key account manager, månedligt møde'],
      [8, 'Grow / Fix / Model / Move: Model', 1, 4, 'Kapitalisér: referencer, cases og mersalg'],
    ]],
  ] as const)('writes the recommendation rule on the Summary sheet in %s, with the customers each rule decided', async (language, sheetName, expected) => {
    const { reread } = await applied(language);
    const rows = rowsOf(reread.getWorksheet(sheetName)!);
    const title = rows.findIndex((row) => row[0] === expected[0][0]);
    expect(title).toBeGreaterThan(0);
    // Title, the sentence saying how the rule is applied, then the table.
    expect(rows.slice(title, title + 1)).toEqual([expected[0]]);
    expect(rows.slice(title + 2, title + 2 + expected.length - 1)).toEqual(expected.slice(1));
    // 13 rules name a chosen model (value 4, quadrant 4, score 3, margin 2 tiers, each once) and one
    // the table's margin column; then the fallback line.
    const table = rows.slice(title + 3);
    const fallback = table.findIndex((row) => row[0] !== null && typeof row[0] === 'number' && row[4] === (language === 'en' ? 'That segment\'s own action' : 'Segmentets egen handling'));
    expect(fallback).toBe(14);
    expect(table[fallback].slice(0, 3)).toEqual([15, language === 'en' ? 'Otherwise: the first model run that gave the customer a segment' : 'Ellers: den første kørte model, der gav kunden et segment', 0]);
    // Every customer is decided by exactly one rule.
    expect(table.slice(0, fallback + 1).reduce((total, row) => total + (row[2] as number), 0)).toBe(5);
  });

  it('shows on the Summary how much each factor of the score counts and on which scale', async () => {
    const { reread } = await applied();
    const rows = rowsOf(reread.getWorksheet('Summary')!);
    const title = rows.findIndex((row) => row[0] === getModel('score').name.en);
    const notes = rows.slice(title).filter((row) => typeof row[0] === 'string' && row[0].startsWith('Weights in the score'));
    expect(notes.map((row) => row[0])).toEqual([
      'Weights in the score, after leaving out factors without a column: Economy › Revenue 50 % (min–max of the data); Quality › Complaints 50 % (min–max of the data).',
    ]);
  });

  it('writes the Factors sheet with the shares each factor gets, and keeps the settings in the marker', async () => {
    const { reread, port } = await applied('da');
    const rows = rowsOf(reread.getWorksheet('Faktorer')!);
    expect(rows[2][0]).toBe('Niveau');
    // Economy and Quality half each; the empty Meetings group is left out, so Complaints gets all of Quality.
    // Names still at their default are written in the sheet's language; the user's own stay as typed.
    expect(rows.slice(3, 8).map((row) => row.slice(0, 5))).toEqual([
      [1, 'Økonomi', 1, 0.5, 0.5],
      [2, '    Omsætning', 1, 1, 0.5],
      [1, 'Quality', 1, 0.5, 0.5],
      [2, '    Complaints', 1, 1, 0.5],
      [2, '    Meetings', 1, 0, 0],
    ]);
    expect(rows[2].slice(5)).toEqual(['Kolonne', 'Bedre når', 'Skala', 'Skala min', 'Skala maks']);
    // A min–max scale has no ends of its own to show: the two cells after it stay empty.
    expect(rows[6].slice(5)).toEqual(['Klager', 'lavere', 'dataenes min–maks']);
    expect(rows[10][0]).toBe('Quality › Meetings: tom gruppe, udeladt.');
    const marker = parseMarker(plainValue(reread.getWorksheet(MARKER_SHEET)!.getCell('A1').value))!;
    expect(marker.sheets).toEqual({ priority: 'Prioritet', summary: 'Oversigt', terms: 'Vilkår', factors: 'Faktorer' });
    expect(marker.settings?.score.factors).toEqual(TREE);
    // The next read finds the settings again, so the pane can start from them.
    expect((await PackageWorkbook.open(port.toBytes()).readTable()).marker?.settings?.value.asOf).toBe(dateToSerial(2026, 10, 31));
  });
});

describe('the Priority sheet under Grow / Fix / Model / Move', () => {
  it('lists Fix first by revenue at risk (repair before upselling), then Grow by potential gap, then Model and Move', async () => {
    // Satisfaction median 4: A, B and E are satisfied. Shares 20 %, 10 % (low) and 80 %, 60 %, 90 % (high).
    // Fix: C (revenue 500) and D (900) → D first. Grow: A (gap 1,000) and B (gap 3,000) → B first. E is Model.
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
      ['D', 'Fix', 1], ['C', 'Fix', 2], ['B', 'Grow', 3], ['A', 'Grow', 4], ['E', 'Model', 5],
    ]);
  });
});
