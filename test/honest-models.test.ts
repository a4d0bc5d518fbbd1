import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  buildCustomerTable, defaultSettings, flattenTree, getModel, inputsNotes, modelAvailability, MissingRoleError, NoModelCanRunError, requireTrueMargin,
  segment, summarize, tierMeaning, type CellValue, type FactorNode, type ModelSettings, type RoleId,
} from '../src/engine';
import { PackageWorkbook } from '../src/workbook/xlsx/package-workbook';

/**
 * Issue 10, sections 1 and 2: a model runs only on what the table allows, and never names a
 * quantity it did not compute. Tables are built from columns given by header, so each names
 * exactly the columns it has.
 */

function tableOf(columns: Record<string, CellValue[]>) {
  const headers = Object.keys(columns);
  const count = columns[headers[0]].length;
  return buildCustomerTable(headers, Array.from({ length: count }, (_, i) => headers.map((header) => columns[header][i])));
}

/** modelAvailability over a set of mapped roles. */
function availability(modelId: string, roles: RoleId[]) {
  return modelAvailability(getModel(modelId), (role) => roles.includes(role));
}

function run(modelId: string, table: ReturnType<typeof tableOf>, changes: ModelSettings = {}) {
  const model = getModel(modelId);
  const result = model.run(table, { ...defaultSettings(model), ...changes });
  return { labels: Array.from(result.tiers, (tier) => (tier < 0 ? '' : model.tiers[tier].id)), result };
}

const SAMPLE = path.resolve(__dirname, '..', 'assets', 'sample-customers.xlsx');

async function sampleTable() {
  const snapshot = await PackageWorkbook.open(readFileSync(SAMPLE)).readTable();
  return buildCustomerTable(snapshot.headers, snapshot.rows, { origin: snapshot.origin });
}

describe('modelAvailability: which model a table can run, and which column would let it', () => {
  it('ABCD needs revenue and potential, and names the one missing', () => {
    expect(availability('abcd', ['revenue', 'potential'])).toEqual({ supported: true });
    expect(availability('abcd', ['revenue'])).toEqual({
      supported: false, needs: [['potential']], why: { en: 'the table has no column for Potential', da: 'tabellen har ingen kolonne til Potentiale' },
    });
    expect(availability('abcd', [])).toEqual({
      supported: false, needs: [['revenue', 'potential']],
      why: { en: 'the table has no column for Revenue and Potential', da: 'tabellen har ingen kolonne til Omsætning og Potentiale' },
    });
  });

  it('Pareto runs on revenue or on a margin column alone', () => {
    expect(availability('pareto', ['revenue'])).toEqual({ supported: true });
    expect(availability('pareto', ['margin'])).toEqual({ supported: true });
    expect(availability('pareto', ['potential'])).toEqual({
      supported: false, needs: [['revenue'], ['margin']],
      why: { en: 'the table has no column for Revenue or Contribution margin', da: 'tabellen har ingen kolonne til Omsætning eller Dækningsbidrag' },
    });
  });

  it('the quadrant needs satisfaction in every case, and share of wallet or revenue and potential', () => {
    expect(availability('quadrant', ['shareOfWallet', 'satisfaction'])).toEqual({ supported: true });
    expect(availability('quadrant', ['revenue', 'potential', 'satisfaction'])).toEqual({ supported: true });
    expect(availability('quadrant', ['shareOfWallet'])).toMatchObject({ supported: false, needs: [['satisfaction']] });
    // Retail: revenue only. Potential would stand in for the share together with revenue.
    const retail = availability('quadrant', ['revenue']);
    expect(retail).toMatchObject({ supported: false, needs: [['shareOfWallet', 'satisfaction'], ['potential', 'satisfaction']] });
    expect(!retail.supported && retail.why.en).toBe('the table has no column for Satisfaction, and none for Share of wallet or Potential');
    expect(!retail.supported && retail.why.da).toBe('tabellen har ingen kolonne til Tilfredshed, og ingen til Andel af køb eller Potentiale');
    const none = availability('quadrant', ['revenue', 'potential']);
    expect(none).toMatchObject({ supported: false, needs: [['satisfaction']] });
  });

  it('the margin and the value tiers need a margin column, or revenue and at least one cost: revenue alone is no margin', () => {
    for (const modelId of ['margin', 'value']) {
      expect(availability(modelId, ['margin'])).toEqual({ supported: true });
      expect(availability(modelId, ['revenue', 'costOfGoods'])).toEqual({ supported: true });
      expect(availability(modelId, ['revenue', 'costToServe'])).toEqual({ supported: true });
      expect(availability(modelId, ['revenue', 'hours'])).toEqual({ supported: true });
      expect(availability(modelId, ['revenue'])).toEqual({
        supported: false, needs: [['margin'], ['costOfGoods'], ['costToServe'], ['hours']],
        why: {
          en: 'the table has no column for Contribution margin, Cost of goods, Cost to serve or Hours',
          da: 'tabellen har ingen kolonne til Dækningsbidrag, Vareforbrug, Serviceomkostninger eller Tidsforbrug',
        },
      });
      // Costs without revenue are no margin either.
      expect(availability(modelId, ['costToServe'])).toMatchObject({ supported: false, needs: [['margin'], ['revenue']] });
      expect(availability(modelId, [])).toMatchObject({
        supported: false, needs: [['margin'], ['revenue', 'costOfGoods'], ['revenue', 'costToServe'], ['revenue', 'hours']],
      });
    }
  });

  it('the rating runs on any table: its factors say what they lack', () => {
    expect(availability('score', [])).toEqual({ supported: true });
  });
});

describe('segment: a model the table cannot support is left out and never blocks the others', () => {
  const retail = tableOf({ 'Customer ID': ['C1', 'C2', 'C3', 'C4'], Revenue: [500, 300, 150, 50] });

  it('runs what the table allows and names each model left out with why', () => {
    const ids = ['abcd', 'pareto', 'quadrant', 'value', 'score', 'margin'];
    const segmentation = segment(retail, ids.map((id) => ({ id, settings: defaultSettings(getModel(id)) })));
    expect(segmentation.results.map((result) => result.modelId)).toEqual(['pareto', 'score']);
    expect(segmentation.settings).toEqual([defaultSettings(getModel('pareto')), defaultSettings(getModel('score'))]);
    expect(segmentation.leftOut!.map(({ modelId, why }) => [modelId, why.en])).toEqual([
      ['abcd', 'the table has no column for Potential'],
      ['quadrant', 'the table has no column for Satisfaction, and none for Share of wallet or Potential'],
      ['value', 'the table has no column for Contribution margin, Cost of goods, Cost to serve or Hours'],
      ['margin', 'the table has no column for Contribution margin, Cost of goods, Cost to serve or Hours'],
    ]);
    // Pareto: 500 + 300 ≥ 80 % of 1,000.
    expect(Array.from(segmentation.results[0].tiers)).toEqual([0, 0, 1, 2]);
  });

  it('leaves out a model whose setting asks for a column the table lacks (Pareto on revenue with only a margin)', () => {
    const margins = tableOf({ DB: [100, 50, 10] });
    const segmentation = segment(margins, [{ id: 'pareto', settings: defaultSettings(getModel('pareto')) }, { id: 'margin', settings: defaultSettings(getModel('margin')) }]);
    expect(segmentation.results.map((result) => result.modelId)).toEqual(['margin']);
    expect(segmentation.leftOut).toEqual([{ modelId: 'pareto', why: { en: 'the table has no column for Revenue', da: 'tabellen har ingen kolonne til Omsætning' } }]);
  });

  it('refuses, in both languages, when no chosen model can run', () => {
    const attempt = () => segment(retail, [{ id: 'abcd', settings: defaultSettings(getModel('abcd')) }]);
    expect(attempt).toThrow(NoModelCanRunError);
    expect(attempt).toThrow('ABCD accounts cannot run on this table: the table has no column for Potential.');
    try {
      attempt();
    } catch (error) {
      expect((error as NoModelCanRunError).text.da).toBe('ABCD-kunder kan ikke køre på denne tabel: tabellen har ingen kolonne til Potentiale.');
    }
    // Two models, neither able to run: each is named with why.
    const both = () => segment(retail, ['abcd', 'margin'].map((id) => ({ id, settings: defaultSettings(getModel(id)) })));
    expect(both).toThrow('None of the chosen models can run on this table. ABCD accounts: the table has no column for Potential; Margin and cost to serve: ');
  });

  it('shows no margin in the summary where the table has no margin column: none was computed', () => {
    const segmentation = segment(retail, [{ id: 'pareto', settings: defaultSettings(getModel('pareto')) }]);
    const lines = summarize(retail, getModel('pareto'), segmentation.results[0]);
    expect(lines.map((line) => [line.customers, line.revenue, line.margin])).toEqual([[2, 800, NaN], [1, 150, NaN], [1, 50, NaN]]);
  });
});

describe('no silent stand-ins: the margin says what it is after', () => {
  it('is not computed from revenue alone', () => {
    const retail = tableOf({ Revenue: [500, 300] });
    expect(() => requireTrueMargin(retail, defaultSettings(getModel('margin')))).toThrow(MissingRoleError);
    expect(() => getModel('margin').run(retail, defaultSettings(getModel('margin')))).toThrow('The table has no column for the role "margin"');
  });

  it('with a margin column and no cost to serve or hours, says negative margin, not "after cost to serve", in note, label, reason and tiers', () => {
    const table = tableOf({ Omsætning: [1000, 800, 200], Dækningsbidrag: [400, -20, null] });
    const { labels, result } = run('margin', table);
    expect(labels).toEqual(['Profit', 'Loss', '']);
    expect(result.notes).toEqual([{
      en: 'Customers with a negative margin: 1 (cost to serve and hours are not in the table).',
      da: 'Kunder med negativt dækningsbidrag: 1 (serviceomkostninger og timer er ikke i tabellen).',
    }]);
    const metric = result.metrics.find((candidate) => candidate.key === 'trueMargin')!;
    expect(metric.label).toEqual({ en: 'Margin before cost to serve', da: 'DB før serviceomkostninger' });
    expect(result.explain(0).en).toBe('Margin 400 (cost to serve and hours are not in the table)');
    expect(result.explain(1).da).toBe(`Dækningsbidrag ${(-20).toLocaleString('da-DK')} (serviceomkostninger og timer er ikke i tabellen)`);
    expect(result.explain(2).en).toBe('Margin is missing');
    expect(result.inputs).toEqual({ used: ['margin', 'revenue'], absent: ['costToServe', 'hours'] });
    const model = getModel('margin');
    for (const text of [model.name, ...model.tiers.map((tier) => tier.label)]) {
      expect(text.en).not.toContain('after cost to serve');
      expect(text.da).not.toContain('efter serviceomkostninger');
    }
    expect(model.tiers.map((tier) => tierMeaning(tier, 'en'))).toEqual(['costs money today', 'margin of 0 or more']);
  });

  it('on the sample (margin column, no cost to serve, no hours): 142 customers have a negative margin, said as such', async () => {
    const table = await sampleTable();
    const { labels, result } = run('margin', table);
    expect(labels.filter((label) => label === 'Loss')).toHaveLength(142);
    expect(result.notes.map((note) => note.en)).toEqual(['Customers with a negative margin: 142 (cost to serve and hours are not in the table).']);
    expect(inputsNotes(result.inputs).map((note) => note.en)).toEqual([
      'Columns used: Contribution margin, Revenue.',
      'Not in the table, so not used: Cost to serve, Hours.',
    ]);
  });

  it('after cost of goods only: a negative margin after cost of goods, still not after cost to serve', () => {
    const table = tableOf({ Revenue: [1000, 500], 'Cost of goods': [600, 700] });
    const { result } = run('margin', table);
    expect(result.notes[0].en).toBe('Customers with a negative margin after cost of goods: 1 (cost to serve and hours are not in the table).');
    expect(result.explain(1).en).toBe('Revenue 500 − cost of goods 700 = -200 (cost to serve and hours are not in the table)');
    expect(result.metrics[0].label.en).toBe('Margin before cost to serve');
    expect(result.inputs).toEqual({ used: ['revenue', 'costOfGoods'], absent: ['margin', 'costToServe', 'hours'] });
  });

  it('after cost to serve where the table has it, naming the hourly rate only with hours and what is still missing', () => {
    const serve = run('margin', tableOf({ Revenue: [1000, 500], 'Cost to serve': [100, 600] })).result;
    expect(serve.notes[0].en).toBe('Customers who lose money after cost to serve: 1 (hours are not in the table).');
    expect(serve.metrics[0].label.en).toBe('True margin');
    expect(serve.explain(0).en).toBe('Revenue 1,000 − cost to serve 100 = 900');
    const all = run('margin', tableOf({ Revenue: [1000, 500], 'Cost to serve': [100, 250], Hours: [0.2, 1] })).result;
    expect(all.notes[0]).toEqual({
      en: 'Hourly rate 650 kr. Customers who lose money after cost to serve: 1.',
      da: 'Timepris 650 kr. Kunder med underskud efter serviceomkostninger: 1.',
    });
    expect(all.inputs).toEqual({ used: ['revenue', 'costToServe', 'hours'], absent: ['margin', 'costOfGoods'] });
  });

  it('value tiers say when they are by a margin before cost to serve, and label their margin so', () => {
    const table = tableOf({ DB: [500, 300, -5] });
    const { result } = run('value', table);
    expect(result.notes.at(-1)).toEqual({
      en: 'Tiers by margin before cost to serve: cost to serve and hours are not in the table.',
      da: 'Segmenter efter dækningsbidrag før serviceomkostninger: serviceomkostninger og timer er ikke i tabellen.',
    });
    expect(result.metrics[0].label.en).toBe('Margin before cost to serve');
    const served = run('value', tableOf({ DB: [500, 300, -5], 'Cost to serve': [10, 10, 10], Hours: [1, 1, 1] })).result;
    expect(served.notes.map((note) => note.en).filter((note) => note.includes('cost to serve'))).toEqual([]);
    expect(served.metrics[0].label.en).toBe('True margin');
  });

  it('the rating leaves the true-margin leaf out on revenue alone instead of scoring revenue twice', () => {
    const tree: FactorNode = { id: 'root', name: 'Score', weight: 1, children: [
      { id: 'revenue', name: 'Revenue', weight: 1, source: 'role:revenue', direction: 'higher' },
      { id: 'margin', name: 'Margin', weight: 1, source: 'computed:trueMargin', direction: 'higher' },
    ] };
    const retail = tableOf({ Revenue: [100, 50, 0] });
    const flat = flattenTree(retail, tree, 650);
    expect(flat.leaves.map((leaf) => [leaf.node.id, leaf.weight])).toEqual([['revenue', 1]]);
    expect(flat.leftOut.map((note) => note.en)).toEqual(['Margin: no margin or cost column to compute it from, left out.']);
    const { result } = run('score', retail, { factors: tree });
    expect(result.inputs).toEqual({ used: ['revenue'], absent: ['margin', 'costOfGoods', 'costToServe', 'hours'] });
    // With a margin column and no cost to serve, the leaf counts and says what it is.
    const withMargin = run('score', tableOf({ Revenue: [100, 50, 0], DB: [30, 10, -5] }), { factors: tree }).result;
    expect(withMargin.notes.map((note) => note.en)).toEqual([
      'Margin: margin before cost to serve (cost to serve and hours are not in the table).',
      'Weights in the score, after leaving out factors without a column: Revenue 50 % (percentile rank); Margin 50 % (percentile rank).',
    ]);
    expect(withMargin.inputs).toEqual({ used: ['revenue', 'margin'], absent: ['costToServe', 'hours'] });
  });
});

describe('every model says which columns it read and which it took as absent', () => {
  const full = tableOf({
    Revenue: [1000, 600, 300, 100], Potential: [2000, 700, 1200, 150], 'Share of wallet': [0.5, 0.86, 0.25, 0.67],
    Satisfaction: [4, 2, 5, 3], DB: [400, 100, 50, -10],
  });

  it('ABCD and Pareto read their measures', () => {
    expect(run('abcd', full).result.inputs).toEqual({ used: ['revenue', 'potential'], absent: [] });
    expect(run('pareto', full).result.inputs).toEqual({ used: ['revenue'], absent: [] });
    expect(run('pareto', full, { measure: 'margin' }).result.inputs).toEqual({ used: ['margin'], absent: [] });
  });

  it('the quadrant says when it computed share of wallet from revenue and potential', () => {
    expect(run('quadrant', full).result.inputs).toEqual({ used: ['shareOfWallet', 'satisfaction', 'revenue', 'potential'], absent: [] });
    const computed = run('quadrant', tableOf({ Revenue: [100, 300], Potential: [400, 400], Satisfaction: [4, 3] })).result;
    expect(computed.inputs).toEqual({
      used: ['satisfaction', 'revenue', 'potential'], absent: ['shareOfWallet'],
      computed: [{ en: 'Share of wallet computed as revenue ÷ potential.', da: 'Andel af køb beregnet som omsætning ÷ potentiale.' }],
    });
    expect(inputsNotes(computed.inputs)).toEqual([
      { en: 'Columns used: Satisfaction, Revenue, Potential.', da: 'Kolonner brugt: Tilfredshed, Omsætning, Potentiale.' },
      { en: 'Share of wallet computed as revenue ÷ potential.', da: 'Andel af køb beregnet som omsætning ÷ potentiale.' },
      { en: 'Not in the table, so not used: Share of wallet.', da: 'Ikke i tabellen og derfor ikke brugt: Andel af køb.' },
    ]);
    // A share column without revenue or potential: those are absent, the share read as it is.
    expect(run('quadrant', tableOf({ SoW: [0.2, 0.7], CSI: [1, 5] })).result.inputs).toEqual({ used: ['shareOfWallet', 'satisfaction'], absent: ['revenue', 'potential'] });
  });

  it('the value tiers read the margin and the policy columns the table has', () => {
    expect(run('value', full).result.inputs).toEqual({ used: ['margin'], absent: ['costToServe', 'hours', 'since', 'daysLate'] });
  });

  it('the rating reads the columns of the leaves that count and names those the tree wanted', () => {
    const { result } = run('score', full);
    expect(result.inputs).toEqual({ used: ['revenue', 'margin', 'satisfaction', 'shareOfWallet'], absent: ['costToServe', 'hours', 'orders', 'daysLate'] });
  });
});
