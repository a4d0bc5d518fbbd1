import { describe, expect, it } from 'vitest';
import { buildCustomerTable, defaultSettings, getModel, segment, type CellValue } from '../src/engine';
import { buildPlan, type PlanCell } from '../src/workbook/plan';
import type { TableSnapshot } from '../src/workbook/port';
import { nameWithData, ONLINE_RETAIL, onlineRetailCustomers } from './support/public-data';

/**
 * The Summary sheet of issue 10's sections 1 and 2, read back cell by cell from the plan: each
 * model says which columns it read and which it took as absent, and each chosen model the table
 * cannot support is named with the column it lacks.
 */

function snapshotOf(headers: string[], rows: CellValue[][]): TableSnapshot {
  return { sheetName: 'Kunder', origin: { headerRow: 1, firstColumn: 0 }, headers, rows, sheetNames: ['Kunder'], marker: null };
}

function summaryRows(snapshot: TableSnapshot, ids: string[]): PlanCell[][] {
  const table = buildCustomerTable(snapshot.headers, snapshot.rows, { origin: snapshot.origin });
  const segmentation = segment(table, ids.map((id) => ({ id, settings: defaultSettings(getModel(id)) })));
  const plan = buildPlan(snapshot, segmentation, { mode: 'values', language: 'en', runDate: 46000 });
  return plan.sheets.find((sheet) => sheet.purpose === 'summary')!.rows;
}

/** The rows under a model's "Rules and notes" title, up to the first empty row. */
function notesOf(rows: PlanCell[][], modelName: string): PlanCell[] {
  const heading = rows.findIndex((row) => row[0] === modelName);
  const title = rows.findIndex((row, index) => index > heading && row[0] === 'Rules and notes');
  const notes: PlanCell[] = [];
  for (let row = title + 1; row < rows.length && rows[row].length > 0; row++) notes.push(...rows[row]);
  return notes;
}

describe('the Summary sheet names what each model read and each model left out', () => {
  const retail = snapshotOf(['Customer ID', 'Revenue'], [['C1', 500], ['C2', 300], ['C3', 150], ['C4', 50]]);

  it('writes what the supported models give, with a note for each model left out', () => {
    const rows = summaryRows(retail, ['abcd', 'pareto', 'value', 'margin']);
    // Pareto ran: its lines, with no margin shown where the table has no margin column.
    const pareto = rows.findIndex((row) => row[0] === 'Pareto ABC');
    expect(rows[pareto + 1]).toEqual(['Segment', 'Meaning', 'Customers', 'Revenue', 'Share of revenue', 'Margin', 'Recommended action']);
    expect(rows.slice(pareto + 2, pareto + 5).map((row) => row.slice(0, 6))).toEqual([
      ['A', 'A: first 80 %', 2, 800, 0.8, null],
      ['B', 'B: next 15 %', 1, 150, 0.15, null],
      ['C', 'C: the rest', 1, 50, 0.05, null],
    ]);
    expect(notesOf(rows, 'Pareto ABC')).toEqual(['Columns used: Revenue.']);
    // The three left out follow the models that ran, in the order chosen.
    // The recommendation rule's table closes the sheet, after them.
    const leftOut = rows.slice(rows.findIndex((row) => row[0] === 'ABCD accounts') - 1, rows.findIndex((row) => row[0] === 'Recommended action: the rule') - 1);
    expect(rows.findIndex((row) => row[0] === 'ABCD accounts')).toBeGreaterThan(pareto);
    expect(leftOut).toEqual([
      [], ['ABCD accounts'], ['Not run: the table has no column for Potential; map a column to it and run SegmentKit again.'],
      [], ['Value tiers and terms'],
      ['Not run: the table has no column for Contribution margin, Cost of goods, Cost to serve or Hours; map a column to it and run SegmentKit again.'],
      [], ['Margin and cost to serve'],
      ['Not run: the table has no column for Contribution margin, Cost of goods, Cost to serve or Hours; map a column to it and run SegmentKit again.'],
    ]);
  });

  it('says, in Danish too, which columns the margin read and that cost to serve and hours were absent', () => {
    const snapshot = snapshotOf(['Kundenr', 'Omsætning', 'Dækningsbidrag'], [['K1', 1000, 400], ['K2', 800, -20], ['K3', 300, 60]]);
    const rows = summaryRows(snapshot, ['margin', 'quadrant']);
    expect(notesOf(rows, 'Margin and cost to serve')).toEqual([
      'Columns used: Contribution margin, Revenue.',
      'Not in the table, so not used: Cost to serve, Hours.',
      'Customers with a negative margin: 1 (cost to serve and hours are not in the table).',
    ]);
    // Segments and margin per segment (the margin column's own sum).
    const heading = rows.findIndex((row) => row[0] === 'Margin and cost to serve');
    expect(rows.slice(heading + 2, heading + 4).map((row) => row.slice(0, 6))).toEqual([
      ['Loss', 'Loss: costs money today', 1, 800, 800 / 2100, -20],
      ['Profit', 'Profit: margin of 0 or more', 2, 1300, 1300 / 2100, 460],
    ]);
    expect(rows[rows.findIndex((row) => row[0] === 'Recommended action: the rule') - 2]).toEqual(['Not run: the table has no column for Satisfaction, and none for Share of wallet or Potential; map a column to it and run SegmentKit again.']);

    const table = buildCustomerTable(snapshot.headers, snapshot.rows);
    const danish = buildPlan(snapshot, segment(table, [{ id: 'margin', settings: defaultSettings(getModel('margin')) }]), { mode: 'values', language: 'da', runDate: 46000 });
    const summary = danish.sheets.find((sheet) => sheet.purpose === 'summary')!.rows;
    const title = summary.findIndex((row) => row[0] === 'Regler og bemærkninger');
    expect(summary.slice(title + 1, title + 4)).toEqual([
      ['Kolonner brugt: Dækningsbidrag, Omsætning.'],
      ['Ikke i tabellen og derfor ikke brugt: Serviceomkostninger, Tidsforbrug.'],
      ['Kunder med negativt dækningsbidrag: 1 (serviceomkostninger og timer er ikke i tabellen).'],
    ]);
    // The margin column next to the table says what it holds.
    expect(danish.columns.map((column) => column.header)).toEqual(['Segment DB', 'DB før serviceomkostninger', 'DB %']);
  });

  it('names a share of wallet the quadrant computed from revenue and potential', () => {
    const snapshot = snapshotOf(['Kundenr', 'Omsætning', 'Potentiale', 'Tilfredshed'], [['K1', 100, 400, 4], ['K2', 300, 400, 3], ['K3', 50, 500, 5]]);
    expect(notesOf(summaryRows(snapshot, ['quadrant']), 'Grow / Fix / Model / Move')).toEqual([
      'Columns used: Satisfaction, Revenue, Potential.',
      'Share of wallet computed as revenue ÷ potential.',
      'Not in the table, so not used: Share of wallet.',
    ]);
  });
});

describe('UCI Online Retail summarised per customer (revenue, no potential, no costs)', () => {
  it.skipIf(!ONLINE_RETAIL.present)(nameWithData('all six models chosen: Pareto and the rating run, the other four are named with the column they lack', ONLINE_RETAIL), () => {
    const customers = onlineRetailCustomers();
    const snapshot = snapshotOf(['Customer ID', 'Country', 'Revenue'], customers.map((customer) => [customer.id, customer.country, customer.revenue]));
    const table = buildCustomerTable(snapshot.headers, snapshot.rows);
    const ids = ['abcd', 'pareto', 'quadrant', 'value', 'score', 'margin'];
    const segmentation = segment(table, ids.map((id) => ({ id, settings: defaultSettings(getModel(id)) })));
    expect(segmentation.results.map((result) => result.modelId)).toEqual(['pareto', 'score']);
    const rows = buildPlan(snapshot, segmentation, { mode: 'values', language: 'en', runDate: 46000 }).sheets.find((sheet) => sheet.purpose === 'summary')!.rows;
    expect(rows.filter((row) => typeof row[0] === 'string' && row[0].startsWith('Not run:')).map((row) => row[0])).toEqual([
      'Not run: the table has no column for Potential; map a column to it and run SegmentKit again.',
      'Not run: the table has no column for Satisfaction, and none for Share of wallet or Potential; map a column to it and run SegmentKit again.',
      'Not run: the table has no column for Contribution margin, Cost of goods, Cost to serve or Hours; map a column to it and run SegmentKit again.',
      'Not run: the table has no column for Contribution margin, Cost of goods, Cost to serve or Hours; map a column to it and run SegmentKit again.',
    ]);
    expect(notesOf(rows, 'Pareto ABC')).toEqual(['Columns used: Revenue.']);
    // The rating scores revenue alone: the margin leaf is left out, not filled with revenue again.
    expect(notesOf(rows, 'Deep-dive rating')).toContain('Economy › Margin: no margin or cost column to compute it from, left out.');
    expect(notesOf(rows, 'Deep-dive rating')[0]).toBe('Columns used: Revenue.');
  });
});

describe('the Summary adds up only what the run computed', () => {
  it('shows the margin the segments were cut on: a Loss line after cost to serve is negative, not the margin column', () => {
    // Alfa: margin 200,000 − cost to serve 150,000 − 100 h × 650 = −15,000: Loss. Beta: 50,000 − 10,000 − 10 h × 650 = 33,500.
    const snapshot = snapshotOf(['Kundenr', 'Omsætning', 'Dækningsbidrag', 'Serviceomkostninger', 'Timer'], [
      ['Alfa', 900_000, 200_000, 150_000, 100], ['Beta', 300_000, 50_000, 10_000, 10],
    ]);
    const rows = summaryRows(snapshot, ['margin']);
    const heading = rows.findIndex((row) => row[0] === 'Margin and cost to serve');
    expect(rows.slice(heading + 2, heading + 4).map((row) => [row[0], row[2], row[5]])).toEqual([['Loss', 1, -15_000], ['Profit', 1, 33_500]]);
  });

  it('leaves revenue and its share blank where the table has no revenue column, instead of 0', () => {
    const snapshot = snapshotOf(['Kunde', 'Share of wallet', 'Tilfredshed'], [['A', 0.8, 5], ['B', 0.2, 1], ['C', 0.6, 2]]);
    const rows = summaryRows(snapshot, ['quadrant']);
    const heading = rows.findIndex((row) => row[0] === 'Grow / Fix / Model / Move');
    // Satisfaction 5, 1, 2: the median split (1.5 below) is equally near 1 and 2 below; the lower cut, 2, wins.
    expect(rows.slice(heading + 2, heading + 6).map((row) => row.slice(0, 6))).toEqual([
      ['Model', 'Model: high share, high satisfaction', 2, null, null, null],
      ['Fix', 'Fix: high share, low satisfaction', 0, null, null, null],
      ['Grow', 'Grow: low share, high satisfaction', 0, null, null, null],
      ['Move', 'Move: low share, low satisfaction', 1, null, null, null],
    ]);
  });
});

describe('a Danish run written with SegmentKit\'s functions', () => {
  it('holds and colours the English tier ids the functions return, while ordinary formulas hold the Danish names', () => {
    const snapshot = snapshotOf(['Kundenr', 'Omsætning', 'Dækningsbidrag'], [['K1', 1000, 400], ['K2', 800, -20], ['K3', 300, 60]]);
    const table = buildCustomerTable(snapshot.headers, snapshot.rows, { origin: snapshot.origin });
    const segmentation = segment(table, ['value'].map((id) => ({ id, settings: defaultSettings(getModel(id)) })));
    const valueColumn = (formulas: 'segmentkit' | 'excel') => buildPlan(snapshot, segmentation, { mode: 'formulas', formulas, language: 'da', runDate: 46000 })
      .columns.find((column) => column.header === 'Segment Værdi')!;
    const functions = valueColumn('segmentkit');
    expect(functions.spillFormula ?? functions.rowFormula).toBeDefined();
    expect(functions.values).toEqual(['Gold', 'Loss', 'Bronze']);
    expect(functions.tierColors!.map((color) => color.value)).toEqual(['Gold', 'Silver', 'Bronze', 'Loss']);
    const ordinary = valueColumn('excel');
    expect(ordinary.values).toEqual(['Guld', 'Tab', 'Bronze']);
    expect(ordinary.tierColors!.map((color) => color.value)).toEqual(['Guld', 'Sølv', 'Bronze', 'Tab']);
  });
});
