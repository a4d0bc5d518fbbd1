import ExcelJS from 'exceljs';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main';
import {
  buildCustomerTable, defaultSettings, getModel, inputsNotes, isProspectText, modelAvailability, NoModelCanRunError, prospectRows, segment, summarize,
  type CellValue, type CustomerTable, type ModelResult, type ModelSettings, type NumberMetric, type RoleId, type Segmentation, type TextMetric,
} from '../src/engine';
import { twinsCells } from '../src/functions/twins';
import { buildPlan } from '../src/workbook/plan';
import { PackageWorkbook } from '../src/workbook/xlsx/package-workbook';
import { runCli } from './support/cli-run';
import { plainValue } from './support/exceljs-cells';
import { nameWithData, ONLINE_RETAIL } from './support/public-data';

const SAMPLE = path.resolve(__dirname, '..', 'assets', 'sample-customers.xlsx');

function numbers(result: ModelResult, key: string): Float64Array {
  return (result.metrics.find((metric) => metric.key === key) as NumberMetric).values;
}

function texts(result: ModelResult, key: string, language: 'en' | 'da' = 'en'): string[] {
  const metric = result.metrics.find((candidate) => candidate.key === key) as TextMetric;
  return Array.from({ length: result.tiers.length }, (_, row) => metric.text(row)[language]);
}

function tierIds(result: ModelResult): (string | null)[] {
  const model = getModel(result.modelId);
  return Array.from(result.tiers, (tier) => (tier < 0 ? null : model.tiers[tier].id));
}

function twinsSettings(changes: ModelSettings): ModelSettings {
  return { ...defaultSettings(getModel('twins')), ...changes };
}

/*
 * A table worked by hand. Pareto A on revenue (1,000 + 800 + 600 = 2,400 ≥ 80 % of 2,600) is the
 * reference group: Alfa, Beta, Gamma with 20, 24 and 32 employees. With two neighbours each member's
 * mean distance to its two nearest fellow members is 8 (Alfa: 4, 12), 6 (Beta: 4, 8) and 10 (Gamma:
 * 8, 12). Distances on z-scores are the raw distances over one standard deviation, so a similarity
 * (a share of members) is the same on the raw numbers:
 *   Eta, 21: 1 from Alfa, 3 from Beta, mean 2, closer than all three members → 100, Close twin.
 *   Theta, 37: 5 from Gamma, 13 from Beta, mean 9, closer than Gamma (10) only → 100/3, Twin.
 *   Iota, 120: 88 and 96 away → 0, Not alike.
 * Estimated potential = the median of the two twins' potential: Eta (2,000, 1,500) 1,750; Theta and
 * Iota (900, 1,500) 1,200; Epsilon, a customer without a potential at 10 employees (Alfa, Beta) 1,750.
 */
const HEADERS = ['Kundenr', 'Kunde', 'Type', 'Omsætning', 'Potentiale', 'Ansatte'];
const ROWS: CellValue[][] = [
  ['K1', 'Alfa A/S', 'Kunde', 1000, 2000, 20],
  ['K2', 'Beta ApS', 'Kunde', 800, 1500, 24],
  ['K3', 'Gamma I/S', 'Kunde', 600, 900, 32],
  ['K4', 'Delta A/S', 'Kunde', 100, 500, 80],
  ['K5', 'Epsilon ApS', 'Kunde', 50, null, 10],
  ['K6', 'Zeta A/S', 'Kunde', 50, 300, 60],
  ['E1', 'Eta ApS', 'Emne', null, null, 21],
  ['E2', 'Theta A/S', 'Lead', null, null, 37],
  ['E3', 'Iota ApS', 'Potentiel kunde', null, null, 120],
];
const HAND_SETTINGS = twinsSettings({ neighbours: 2, features: ['Ansatte', 'Potentiale'], skew: 'none' });

describe('twins on a table worked by hand', () => {
  const table = buildCustomerTable(HEADERS, ROWS);
  const segmentation = segment(table, [{ id: 'twins', settings: HAND_SETTINGS }, { id: 'abcd', settings: defaultSettings(getModel('abcd')) }]);
  const [twins, abcd] = segmentation.results;

  it('reads Emne, Lead and Potentiel kunde as prospects, and Kunde as a customer', () => {
    expect(Array.from(prospectRows(table)!)).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 1]);
    expect(['Prospect', 'lead (kvalificeret)', 'Kundeemne', 'Potential customer', 'Kunde', 'Customer', 'Aktiv', ''].map(isProspectText))
      .toEqual([true, true, true, true, false, false, false, false]);
  });

  it('gives the exact similarity, the tiers and the nearest customers by name', () => {
    const similarity = numbers(twins, 'twins.similarity');
    expect(Array.from(similarity.subarray(0, 6))).toEqual([NaN, NaN, NaN, NaN, NaN, NaN]);
    expect(similarity[6]).toBe(100);
    expect(similarity[7]).toBeCloseTo(100 / 3, 12);
    expect(similarity[8]).toBe(0);
    expect(tierIds(twins)).toEqual(['Reference', 'Reference', 'Reference', null, null, null, 'Close twin', 'Twin', 'Not alike']);
    expect(texts(twins, 'twins.nearest')).toEqual(['', '', '', '', 'Alfa A/S, Beta ApS', '', 'Alfa A/S, Beta ApS', 'Gamma I/S, Beta ApS', 'Gamma I/S, Beta ApS']);
    // Eta is 0.03, Theta 0.27 and Epsilon 0.36 standard deviations from their twins' mean; Iota 2.7.
    expect(texts(twins, 'twins.matching')).toEqual(['', '', '', '', 'Ansatte 10', '', 'Ansatte 21', 'Ansatte 37', '']);
    expect([6, 7, 8].map((row) => twins.priorityWithinTier(row))).toEqual([100, similarity[7], 0]);
  });

  it('estimates the potential of every row without one from its twins, labelled as an estimate', () => {
    expect(Array.from(numbers(twins, 'twins.estimatedPotential'))).toEqual([NaN, NaN, NaN, NaN, 1750, NaN, 1750, 1200, 1200]);
    const metric = twins.metrics.find((candidate) => candidate.key === 'twins.estimatedPotential')!;
    expect(metric.label).toEqual({ en: 'Estimated potential (from twins)', da: 'Estimeret potentiale (fra tvillinger)' });
  });

  it('explains each row in words, in both languages', () => {
    expect(twins.explain(0).en).toBe('In the reference group (Pareto ABC: A)');
    expect(twins.explain(7).en).toBe('Similarity 33.3 ≥ twin cut 20: closer to the group than 33.3 % of its own members are to each other; '
      + 'nearest: Gamma I/S, Beta ApS; matching: Ansatte 37; estimated potential 1,200 (median of the twins\' potential)');
    expect(twins.explain(7).da).toBe('Lighed 33,3 ≥ skæring for tvilling 20: tættere på gruppen end 33,3 % af dens egne medlemmer er på hinanden; '
      + 'nærmeste: Gamma I/S, Beta ApS; fælles: Ansatte 37; estimeret potentiale 1.200 (median af tvillingernes potentiale)');
    expect(twins.explain(8).en).toBe('Similarity 0 < twin cut 20: closer to the group than 0 % of its own members are to each other; '
      + 'nearest: Gamma I/S, Beta ApS; no matching features; estimated potential 1,200 (median of the twins\' potential)');
    expect(twins.explain(4).en).toBe('Not a candidate: a customer outside the reference group, and the table has prospects; '
      + 'nearest: Alfa A/S, Beta ApS; matching: Ansatte 10; estimated potential 1,750 (median of the twins\' potential)');
  });

  it('says the group, the candidates and the features used, and what it left out', () => {
    expect(inputsNotes(twins.inputs).map((note) => note.en)).toEqual(['Columns used: Customer type, Customer, Potential.']);
    expect(twins.notes.map((note) => note.en)).toEqual([
      'Reference group: Pareto ABC: A, 3 customers.',
      'Candidates: the 3 prospects (Type says Lead, Prospect, Emne or the like).',
      'Features used: Ansatte (number).',
      'Left out as blank for most candidates: Potentiale (3 of 3 blank).',
      'Similarity 0–100: the share of the reference customers farther from their 2 nearest fellow members than the row is from its 2 nearest reference customers (Euclidean distance on z-scores); 50 is as close as a typical member.',
      'Estimated potential (from twins), for 4 rows without a potential: the median potential of their 2 nearest reference customers, never below the row\'s own revenue. An estimate, not the customer\'s own figure.',
    ]);
    expect(twins.cuts.map((cut) => [cut.key, cut.value])).toEqual([['closeCut', 50], ['twinCut', 20]]);
  });

  it('lets ABCD use the estimate as potential and count a prospect\'s blank revenue as 0', () => {
    // Revenue cut 600 (Pareto 80 %); potential cut 900 over the table's potentials (2,000 + 1,500 + 900 ≥ 80 % of 5,200).
    expect(abcd.cuts.map((cut) => cut.value)).toEqual([600, 900]);
    expect(tierIds(abcd)).toEqual(['A', 'A', 'A', 'D', 'B', 'D', 'B', 'B', 'B']);
    expect(abcd.explain(6).en).toBe('Revenue (a prospect: none yet) 0 < cut 600; estimated potential 1,750 ≥ cut 900');
    expect(abcd.explain(4).da).toBe('Omsætning 50 < skæring 600; estimeret potentiale 1.750 ≥ skæring 900');
    expect(inputsNotes(abcd.inputs).map((note) => note.en)).toEqual([
      'Columns used: Customer type, Revenue, Potential.',
      'Potential estimated from twins for 4 rows without one (Twins\' Estimated potential (from twins)).',
      'Revenue counted as 0 for 3 prospects (their customer type says so and their revenue is blank).',
    ]);
    expect(abcd.valuesOnly?.en).toMatch(/^ABCD is written as values in this run: 4 rows use potential estimated from twins/);
  });

  it('leaves ABCD as it was when twins is not chosen beside it', () => {
    const alone = segment(table, [{ id: 'abcd', settings: defaultSettings(getModel('abcd')) }]).results[0];
    expect(tierIds(alone)).toEqual(['A', 'A', 'A', 'D', null, 'D', null, null, null]);
    expect(inputsNotes(alone.inputs).map((note) => note.en)).toEqual(['Columns used: Revenue, Potential.']);
    expect(alone.valuesOnly).toBeUndefined();
  });

  it('writes ABCD as values, and the twins columns beside the table', () => {
    const snapshot = { sheetName: 'Kunder', origin: { headerRow: 1, firstColumn: 0 }, headers: HEADERS, rows: ROWS, marker: null, sheetNames: ['Kunder'] };
    const plan = buildPlan(snapshot, segmentation, { mode: 'formulas', formulas: 'excel', language: 'en' });
    const headers = plan.columns.map((column) => column.header);
    expect(headers).toEqual(['Segment Twins', 'Similarity', 'Nearest customers', 'Matching features', 'Estimated potential (from twins)', 'Segment ABCD']);
    expect(plan.columns.every((column) => column.rowFormula === undefined && column.spillFormula === undefined)).toBe(true);
    expect(plan.columns[5].values).toEqual(['A', 'A', 'A', 'D', 'B', 'D', 'B', 'B', 'B']);
    expect(plan.columns[4].values).toEqual([null, null, null, null, 1750, null, 1750, 1200, 1200]);
  });
});

describe('twins and ABCD on a table without a potential column', () => {
  const headers = HEADERS.filter((header) => header !== 'Potentiale');
  const rows = ROWS.map((row) => row.filter((_, column) => column !== 4));
  const table = buildCustomerTable(headers, rows);
  const mapped = (role: RoleId) => table.mapping[role] !== undefined;

  it('counts ABCD runnable only when twins, which provides the potential, is chosen', () => {
    expect(modelAvailability(getModel('abcd'), mapped)).toMatchObject({ supported: false, needs: [['potential']] });
    expect(modelAvailability(getModel('abcd'), mapped, [getModel('abcd'), getModel('twins')])).toEqual({ supported: true });
    expect(() => segment(table, [{ id: 'abcd', settings: defaultSettings(getModel('abcd')) }])).toThrow(NoModelCanRunError);
  });

  it('estimates every row\'s potential from its twins\' revenue, never below its own, and ABCD segments on it', () => {
    // Chosen ABCD first: twins runs when ABCD asks for it, and the results keep the order chosen.
    const abcdSettings = { ...defaultSettings(getModel('abcd')), potentialCut: { method: 'value', level: 850 } };
    const run = segment(table, [{ id: 'abcd', settings: abcdSettings }, { id: 'twins', settings: twinsSettings({ neighbours: 2, features: ['Ansatte'], skew: 'none' }) }]);
    const [abcd, twins] = run.results;
    expect(run.results.map((result) => result.modelId)).toEqual(['abcd', 'twins']);
    // Alfa: twins Beta and Gamma (800, 600) give 700, below its own 1,000. Beta: (1,000 + 600) / 2 = 800.
    expect(Array.from(numbers(twins, 'twins.estimatedPotential'))).toEqual([1000, 800, 900, 700, 900, 700, 900, 700, 700]);
    expect(twins.explain(0).en).toBe('In the reference group (Pareto ABC: A); estimated potential 1,000 (its own revenue, above the median of the twins\' revenue)');
    expect(twins.notes.at(-1)!.en).toBe('Estimated potential (from twins), for 9 rows: the median revenue of their 2 nearest reference customers (the table has no potential column), never below the row\'s own revenue. An estimate, not the customer\'s own figure.');
    expect(tierIds(abcd)).toEqual(['A', 'C', 'A', 'D', 'B', 'D', 'B', 'D', 'D']);
    expect(abcd.explain(1).en).toBe('Revenue 800 ≥ cut 600; estimated potential 800 < cut 850');
    expect(inputsNotes(abcd.inputs)[0].en).toBe('Columns used: Customer type, Revenue.');
    expect(abcd.notes.map((note) => note.en)).toEqual(['The potential cut is taken over the estimated potentials: the table has no potential.']);
  });
});

describe('the reference group', () => {
  it('is the rows a flag column marks, or the segment of another model run with its chosen settings', () => {
    const headers = [...HEADERS, 'Nøglekunde'];
    const rows = ROWS.map((row, i) => [...row, i === 3 || i === 5 ? 'x' : null]);
    const table = buildCustomerTable(headers, rows);
    const flagged = segment(table, [{ id: 'twins', settings: twinsSettings({ reference: 'column:Nøglekunde', neighbours: 1, skew: 'none' }) }]).results[0];
    expect(tierIds(flagged).slice(0, 6)).toEqual([null, null, null, 'Reference', null, 'Reference']);
    expect(flagged.notes[0].en).toBe('Reference group: the rows Nøglekunde marks yes, 2 customers.');
    // A stricter Pareto A chosen beside twins is the group: only Alfa (1,000 ≥ 38 % of 2,600) and Beta.
    const paretoSettings = { ...defaultSettings(getModel('pareto')), aCut: { method: 'pareto', level: 0.6 } };
    const chosen = segment(table, [
      { id: 'twins', settings: twinsSettings({ neighbours: 1, skew: 'none' }) }, { id: 'pareto', settings: paretoSettings },
    ]).results[0];
    expect(tierIds(chosen).slice(0, 3)).toEqual(['Reference', 'Reference', null]);
  });

  it('refuses a reference that names no model segment or column, naming what there is', () => {
    const table = buildCustomerTable(HEADERS, ROWS);
    expect(() => segment(table, [{ id: 'twins', settings: twinsSettings({ reference: 'value:Platinum' }) }]))
      .toThrow('Twins: the reference group "value:Platinum" names no segment of value; its segments: Gold, Silver, Bronze, Loss.');
    expect(() => segment(table, [{ id: 'twins', settings: twinsSettings({ reference: 'column:Nøgle' }) }]))
      .toThrow(/^Twins: the reference group "column:Nøgle" names no column; columns: "Kundenr", "Kunde"/);
  });

  it('leaves twins out, saying why, when the reference model cannot run on the table', () => {
    const table = buildCustomerTable(HEADERS, ROWS);
    const run = segment(table, [{ id: 'twins', settings: twinsSettings({ reference: 'clv:Top' }) }, { id: 'pareto', settings: defaultSettings(getModel('pareto')) }]);
    expect(run.leftOut).toEqual([{ modelId: 'twins', why: {
      en: 'the reference group (Customer lifetime value) cannot be formed: the table has no column for Repeat purchases, Recency (weeks), Age (weeks) and Mean repeat spend',
      da: 'referencegruppen (Kundelevetidsværdi) kan ikke dannes: tabellen har ingen kolonne til Genkøb, Seneste køb (uger), Alder (uger) og Gns. genkøbsbeløb',
    } }]);
  });
});

/** The sample's customer sheet as the CLI reads it. */
async function sampleTable(): Promise<CustomerTable> {
  const snapshot = await PackageWorkbook.open(readFileSync(SAMPLE), { sheet: 'Kunder' }).readTable();
  return buildCustomerTable(snapshot.headers, snapshot.rows, { origin: snapshot.origin });
}

describe('twins on the sample workbook', () => {
  let table: CustomerTable;
  let run: Segmentation;
  beforeAll(async () => {
    table = await sampleTable();
    run = segment(table, [{ id: 'twins', settings: defaultSettings(getModel('twins')) }, { id: 'abcd', settings: defaultSettings(getModel('abcd')) }]);
  });

  it('ranks the prospects against Pareto A customers who have not left, on Branche, Antal ansatte and Region', () => {
    const [twins] = run.results;
    const prospects = prospectRows(table)!;
    const pareto = segment(table, [{ id: 'pareto', settings: defaultSettings(getModel('pareto')) }]).results[0];
    const churned = table.numbers.churned!;
    let group = 0;
    let churnedA = 0;
    for (let i = 0; i < table.rowCount; i++) {
      if (pareto.tiers[i] !== 0) continue;
      if (churned[i] === 1) churnedA++;
      else group++;
      expect(twins.tiers[i], `row ${i}`).toBe(churned[i] === 1 ? -1 : 0);
    }
    const similarity = numbers(twins, 'twins.similarity');
    const counts = [0, 0, 0];
    for (let i = 0; i < table.rowCount; i++) {
      if (!prospects[i]) continue;
      expect(similarity[i]).toBeGreaterThanOrEqual(0);
      expect(similarity[i]).toBeLessThanOrEqual(100);
      const tier = similarity[i] >= 50 ? 1 : similarity[i] >= 20 ? 2 : 3;
      expect(twins.tiers[i], `row ${i}`).toBe(tier);
      counts[tier - 1]++;
    }
    expect(counts[0] + counts[1] + counts[2]).toBe(300);
    const lines = summarize(table, getModel('twins'), twins).map((line) => [line.tierIndex, line.customers]);
    expect(lines).toEqual([[0, group], [1, counts[0]], [2, counts[1]], [3, counts[2]], [-1, table.rowCount - group - 300]]);
    expect(twins.notes.slice(0, 3).map((note) => note.en)).toEqual([
      `Reference group: Pareto ABC: A, ${group} customers (${churnedA} marked as churned left out).`,
      'Candidates: the 300 prospects (Type says Lead, Prospect, Emne or the like).',
      'Features used: Branche (category, 12 levels), Antal ansatte (number), Region (category, 5 levels).',
    ]);
    expect(twins.notes[3].en).toMatch(/^Left out as blank for most candidates: Potentiale \(300 of 300 blank\), Dækningsbidrag \(300 of 300 blank\)/);
    expect(twins.notes[4].en).toBe('Left out as what made the reference group: Omsætning.');
  });

  it('gives every prospect an estimated potential, and ABCD a segment on it', () => {
    const [twins, abcd] = run.results;
    const prospects = prospectRows(table)!;
    const estimate = numbers(twins, 'twins.estimatedPotential');
    const potential = table.numbers.potential!;
    for (let i = 0; i < table.rowCount; i++) {
      const needs = Number.isNaN(potential[i]) && !table.blankRows![i];
      expect(Number.isNaN(estimate[i]), `row ${i}`).toBe(!needs);
      if (prospects[i]) expect(['B', 'D'], `row ${i}`).toContain(getModel('abcd').tiers[abcd.tiers[i]].id);
    }
    const prospectEstimates = Array.from({ length: table.rowCount }, (_, i) => i).filter((i) => prospects[i]).map((i) => estimate[i]);
    expect(prospectEstimates.every((value) => value > 0)).toBe(true);
    expect(abcd.inputs.computed![0].en).toMatch(/^Potential estimated from twins for \d+ rows without one/);
    expect(abcd.inputs.computed![1].en).toBe('Revenue counted as 0 for 300 prospects (their customer type says so and their revenue is blank).');
  });
});

describe('segmentkit segment -m twins,abcd on the sample', () => {
  it('writes the twins columns and ABCD on the estimate, cell by cell as the engine computes them, and says the group, candidates and features', async () => {
    const target = path.join(mkdtempSync(path.join(tmpdir(), 'segmentkit-twins-')), 'out.xlsx');
    const out: string[] = [];
    const err: string[] = [];
    expect(await main(['segment', SAMPLE, '-m', 'twins,abcd', '-o', target], { out: (line) => out.push(line), err: (line) => err.push(line) })).toBe(0);
    const table = await sampleTable();
    const expected = segment(table, [{ id: 'twins', settings: defaultSettings(getModel('twins')) }, { id: 'abcd', settings: defaultSettings(getModel('abcd')) }]);
    const [twins, abcd] = expected.results;
    const countsLine = (result: ModelResult) => {
      const model = getModel(result.modelId);
      return `${model.name.en}: ${summarize(table, model, result).map((line) => `${line.tierIndex < 0 ? '-' : model.tiers[line.tierIndex].id} ${line.customers}`).join(', ')}`;
    };
    expect(out[1]).toBe(countsLine(twins));
    expect(out.slice(2, 6)).toEqual(['  Columns used: Customer type, Customer, Potential.', ...twins.notes.slice(0, 3).map((note) => `  ${note.en}`)]);
    expect(out).toContain(countsLine(abcd));

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(target);
    const sheet = workbook.getWorksheet('Kunder')!;
    expect(['R', 'S', 'T', 'U', 'V', 'W'].map((column) => sheet.getCell(`${column}1`).value))
      .toEqual(['Segment Twins', 'Similarity', 'Nearest customers', 'Matching features', 'Estimated potential (from twins)', 'Segment ABCD']);
    const similarity = numbers(twins, 'twins.similarity');
    const nearest = texts(twins, 'twins.nearest');
    const matching = texts(twins, 'twins.matching');
    const estimate = numbers(twins, 'twins.estimatedPotential');
    const [twinIds, abcdIds] = [tierIds(twins), tierIds(abcd)];
    const orNull = (value: number) => (Number.isNaN(value) ? null : value);
    for (let i = 0; i < table.rowCount; i++) {
      const row = sheet.getRow(i + 2);
      expect([18, 19, 20, 21, 22, 23].map((column) => plainValue(row.getCell(column).value)), `row ${i + 2}`)
        .toEqual([twinIds[i], orNull(similarity[i]), nearest[i] || null, matching[i] || null, orNull(estimate[i]), abcdIds[i]]);
    }
    // Values, not formulas: neither model's result can be written as one here.
    expect(typeof sheet.getCell('W2').value).toBe('string');

    // The Priority sheet ranks each account manager's prospects: close twins first, most alike first.
    const priority = workbook.getWorksheet('Priority')!;
    const header = (priority.getRow(1).values as ExcelJS.CellValue[]).slice(1);
    const [owner, segmentColumn, similarityColumn] = ['Account manager', 'Segment Twins', 'Similarity'].map((name) => header.indexOf(name) + 1);
    const firstOwner = priority.getRow(2).getCell(owner).value;
    const closeTwins: number[] = [];
    for (let r = 2; priority.getRow(r).getCell(owner).value === firstOwner; r++) {
      if (priority.getRow(r).getCell(segmentColumn).value === 'Close twin') closeTwins.push(priority.getRow(r).getCell(similarityColumn).value as number);
    }
    expect(closeTwins.length).toBeGreaterThan(0);
    expect(closeTwins).toEqual([...closeTwins].sort((a, b) => b - a));
  });

  it('takes the reference group from --set twins.reference, and refuses a flag column whose rows all left', async () => {
    const target = path.join(mkdtempSync(path.join(tmpdir(), 'segmentkit-twins-')), 'out.xlsx');
    const out: string[] = [];
    const output = { out: (line: string) => out.push(line), err: () => undefined };
    expect(await main(['segment', SAMPLE, '-m', 'twins', '-o', target, '--set', 'twins.reference=value:Gold'], output)).toBe(0);
    const table = await sampleTable();
    const twins = segment(table, [{ id: 'twins', settings: twinsSettings({ reference: 'value:Gold' }) }]).results[0];
    expect(out[3]).toBe(`  ${twins.notes[0].en}`);
    expect(out[3]).toMatch(/^ {2}Reference group: Value tiers and terms: Gold, \d+ customers \(\d+ marked as churned left out\)\.$/);
    // A flag column of customers who left makes no group: churned customers are never in it.
    const errors: string[] = [];
    expect(await main(['segment', SAMPLE, '-m', 'twins', '-o', target, '--set', 'twins.reference=column:Opsagt'], { out: () => undefined, err: (line) => errors.push(line) })).toBe(1);
    expect(errors.at(-1)).toBe('segmentkit: Twins of the best customers cannot run on this table: the reference group has 0 customer(s); twins need at least two to compare with.');
  });
});

describe('=SEGMENT.TWINS', () => {
  // References at 20, 24, 26 and 32: their mean distances to their 3 nearest fellows are 22/3, 14/3, 14/3 and 26/3.
  // 21 is 3 from its nearest three on average (100), 37 is 29/3 (0), 34 is 20/3, below 22/3 and 26/3 only (50).
  const candidates = [['Ansatte'], [21], [37], [34]];
  const references = [['Ansatte'], [20], [24], [32], [26]];

  it('spills the similarity per candidate row, with an empty cell on the header row', () => {
    expect(twinsCells(candidates, references)).toEqual([[''], [100], [0], [50]]);
    // Without headers the same numbers give the same similarities.
    expect(twinsCells(candidates.slice(1), references.slice(1))).toEqual([[100], [0], [50]]);
  });

  it('agrees with the twins model on the same rows', () => {
    const table = buildCustomerTable(['Type', 'Nøgle', 'Ansatte'], [
      ...candidates.slice(1).map((row) => ['Emne', null, row[0]]), ...references.slice(1).map((row) => ['Kunde', 'x', row[0]]),
    ]);
    const model = segment(table, [{ id: 'twins', settings: twinsSettings({ reference: 'column:Nøgle' }) }]).results[0];
    expect(Array.from(numbers(model, 'twins.similarity').subarray(0, 3))).toEqual([100, 0, 50]);
  });

  it('reads text as categories and numbers alike, a blank row as empty, and an error cell as that row\'s problem', () => {
    const cells = twinsCells(
      [['Region', 'Ansatte'], ['Nord', 21], [null, null], ['Syd', { type: 'Error', basicValue: '#N/A' }], ['Syd', 37]],
      [['Region', 'Ansatte'], ['Nord', 20], ['Nord', 24], ['Nord', 32], ['Syd', 26]],
    );
    expect(cells[0]).toEqual(['']);
    expect(cells[1][0]).toBe(100);
    expect(cells[2]).toEqual(['']);
    expect(cells[3][0]).toEqual({ kind: 'invalidValue', text: {
      en: 'Row 4, candidateFeatures: the cell holds #N/A, which cannot be read; this row gets no similarity.',
      da: 'Række 4, kandidaters kendetegn: cellen indeholder #N/A, som ikke kan læses; rækken får ingen lighed.',
    } });
    expect(typeof cells[4][0]).toBe('number');
  });

  it('refuses ranges of different widths, and fewer than two reference rows, in English and Danish', () => {
    expect(() => twinsCells([[1, 2]], [[1], [2]])).toThrow('CandidateFeatures has 2 columns and referenceFeatures has 1: give both the same columns, in the same order.');
    try {
      twinsCells([[21]], [[20], [null]]);
      expect.unreachable();
    } catch (error) {
      expect((error as { problem: unknown }).problem).toEqual({ kind: 'invalidValue', text: {
        en: 'The reference group has 1 customer(s); twins need at least two to compare with.',
        da: 'Referencegruppen har 1 kunde(r); tvillinger kræver mindst to at sammenligne med.',
      } });
    }
  });
});

describe('twins on a table without a customer type column', () => {
  it('takes every customer outside the reference group as a candidate, and says there is no type column to mark prospects', () => {
    // The hand-worked customers without Type and without the prospects: Pareto A is Alfa, Beta, Gamma.
    const headers = HEADERS.filter((header) => header !== 'Type');
    const rows = ROWS.slice(0, 6).map((row) => row.filter((_, column) => column !== 2));
    const table = buildCustomerTable(headers, rows);
    const result = segment(table, [{ id: 'twins', settings: HAND_SETTINGS }]).results[0];
    expect(tierIds(result).slice(0, 3)).toEqual(['Reference', 'Reference', 'Reference']);
    expect(tierIds(result).slice(3).every((tier) => tier !== null && tier !== 'Reference')).toBe(true);
    expect(result.notes.map((note) => note.en)).toContain('Candidates: the 3 customers outside the reference group (the table has no customer type column to mark prospects).');
    expect(result.notes.map((note) => note.da)).toContain('Kandidater: de 3 kunder uden for referencegruppen (tabellen har ingen kolonne med kundetype, der markerer emner).');
    // Runnable on any table, so only when chosen by name: the CLI's default run leaves it out.
    expect(getModel('twins').onlyWhenChosen).toBe(true);
  });
});

describe('twins on the UCI Online Retail customers (public data)', () => {
  it.skipIf(!ONLINE_RETAIL.present)(nameWithData('ranks the customers outside Pareto A by how much their history looks like the customers inside it', ONLINE_RETAIL), async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'segmentkit-twins-retail-'));
    const input = path.join(dir, 'online_retail.csv');
    writeFileSync(input, gunzipSync(readFileSync(ONLINE_RETAIL.path)));
    const run = await runCli(['segment', input, '-m', 'twins', '-o', path.join(dir, 'out.xlsx')]);
    expect(run.code).toBe(0);
    const counts = run.out.find((line) => line.startsWith('Twins of the best customers: '))!;
    const numbers = Object.fromEntries(counts.replace('Twins of the best customers: ', '').split(', ').map((part) => [part.replace(/ \d+$/, ''), Number(part.match(/\d+$/)![0])]));
    // 4,372 customers: the Pareto A group, and every other customer with a purchase is a candidate.
    expect(numbers.Reference).toBe(1178);
    expect(numbers['Close twin'] + numbers.Twin + numbers['Not alike']).toBe(3194);
    expect(run.out).toContain('  Reference group: Pareto ABC: A, 1,178 customers.');
    expect(run.out).toContain('  Candidates: the 3,194 customers outside the reference group (the table has no customer type column to mark prospects).');
    expect(run.out).toContain('  Left out as what made the reference group: Revenue.');
  }, 120_000);
});

describe('=SEGMENT.TWINS with two columns named alike', () => {
  it('reads both as features ("Size", "Size (2)"), never one of them twice', () => {
    const candidates = [['Size', 'Size'], [10, 200], [30, 50]];
    const references = [['Size', 'Size'], [12, 190], [28, 60], [20, 120]];
    const renamed = (rows: (string | number)[][]) => [['Size', 'Other'], ...rows.slice(1)];
    expect(twinsCells(candidates, references)).toEqual(twinsCells(renamed(candidates), renamed(references)));
  });
});
