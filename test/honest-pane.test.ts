import { describe, expect, it } from 'vitest';
import { buildCustomerTable, CATALOG, getModel, HOURLY_RATE_SETTING, type SettingDefinition } from '../src/engine';
import {
  chosenModels, cutHint, initialSelection, isSharedSetting, previewModels, selectionForTable, selectionFromSaved, selectionReady, sharedSettingModels,
  withSharedSetting, type Selection,
} from '../src/taskpane/state/session';

/** The pane's state for issue 10: models a table cannot support, the one hourly rate, and cut hints that fit. */

/** Retail summarised per customer: an id and revenue, nothing else. */
const RETAIL_MAPPING = { id: 0, revenue: 1 };
/** The sample's columns: revenue, potential, margin, share of wallet, satisfaction, … */
const SAMPLE_MAPPING = { id: 0, name: 1, owner: 2, revenue: 3, potential: 4, margin: 5, shareOfWallet: 6, satisfaction: 7, since: 8, lastOrder: 9, orders: 10, daysLate: 11 };

function enabled(selection: Selection): string[] {
  return CATALOG.filter((model) => selection[model.id].enabled).map((model) => model.id);
}

function cut(modelId: string, key: string): Extract<SettingDefinition, { kind: 'cut' }> {
  const setting = getModel(modelId).settings.find((candidate) => candidate.key === key);
  if (setting?.kind !== 'cut') throw new Error(`${modelId}.${key} is not a cut`);
  return setting;
}

describe('models the table cannot support', () => {
  it('are not ticked for a table that lacks their columns; the first supported one is', () => {
    // ABCD is the default, but retail has no potential: Pareto is ticked instead.
    expect(enabled(selectionForTable(initialSelection(), RETAIL_MAPPING))).toEqual(['pareto']);
    expect(enabled(selectionForTable(initialSelection(), SAMPLE_MAPPING))).toEqual(['abcd']);
    const all = initialSelection();
    for (const model of CATALOG) all[model.id].enabled = true;
    // Clusters and twins read any column, so they run on every table.
    expect(enabled(selectionForTable(all, RETAIL_MAPPING))).toEqual(['pareto', 'score', 'clusters', 'twins']);
    // The sample customer table has no purchase-history summary, so CLV cannot run; this mapping
    // has no churn label, so churn cannot either.
    expect(enabled(selectionForTable(all, SAMPLE_MAPPING))).toEqual(CATALOG.map((model) => model.id).filter((id) => !['clv', 'churn'].includes(id)));
    // Settings are kept as they were.
    expect(selectionForTable(all, RETAIL_MAPPING).abcd.settings).toBe(all.abcd.settings);
  });

  it('never block the others: the pane may go on when any chosen model can run', () => {
    const selection = initialSelection();
    selection.pareto.enabled = true;
    // ABCD cannot run on retail and even has a bad cut: it is left out, so it blocks nothing.
    selection.abcd.settings = { ...selection.abcd.settings, revenueCut: { method: 'pareto', level: 1.5 } };
    expect(selectionReady(selection)).toBe(false);
    expect(selectionReady(selection, RETAIL_MAPPING)).toBe(true);
    // With only models the table cannot support, there is nothing to run.
    selection.pareto.enabled = false;
    expect(selectionReady(selection, RETAIL_MAPPING)).toBe(false);
    expect(selectionReady(initialSelection(), SAMPLE_MAPPING)).toBe(true);
  });

  it('say in the preview why they cannot run and which column would let them, while the others run', () => {
    const table = buildCustomerTable(['Customer ID', 'Revenue'], [['C1', 500], ['C2', 300], ['C3', 200]]);
    const selection = initialSelection();
    for (const model of CATALOG) selection[model.id].enabled = true;
    const previews = previewModels(table, chosenModels(selection), 'en');
    expect(previews.map((preview) => [preview.model.id, preview.error ?? null, preview.lines.length])).toEqual([
      // Twins, chosen beside it, would estimate the potential, but cannot run here either: both are said.
      ['abcd', 'Cannot run: the table has no column for Potential (Twins of the best customers: no column describes the candidates; add columns both customers and prospects have (industry, size, region)). Map one on the Data step.', 0],
      ['pareto', null, 3],
      ['quadrant', 'Cannot run: the table has no column for Satisfaction, and none for Share of wallet or Potential. Map one on the Data step.', 0],
      ['value', 'Cannot run: the table has no column for Contribution margin, Cost of goods, Cost to serve or Hours. Map one on the Data step.', 0],
      ['score', null, 3],
      ['margin', 'Cannot run: the table has no column for Contribution margin, Cost of goods, Cost to serve or Hours. Map one on the Data step.', 0],
      ['rfm', 'Cannot run: the table has no column for Last order and Orders. Map one on the Data step, or open an order log or choose an Order log sheet there.', 0],
      ['clv', 'Cannot run: the table has no column for Repeat purchases, Recency (weeks), Age (weeks) and Mean repeat spend. Map one on the Data step, or open an order log or choose an Order log sheet there.', 0],
      ['churn', 'Cannot run: the table has no column for Churned. Map one on the Data step.', 0],
      ['clusters', null, 2],
      // Twins runs without a Type column (the candidates are then the customers outside the group), but here no column describes anyone.
      ['twins', 'Twins of the best customers cannot run on this table: no column describes the candidates; add columns both customers and prospects have (industry, size, region).', 0],
    ]);
    expect(previewModels(table, [chosenModels(selection)[5]], 'da')[0].error)
      .toBe('Kan ikke køre: tabellen har ingen kolonne til Dækningsbidrag, Vareforbrug, Serviceomkostninger eller Tidsforbrug. Tildel en på trinnet Data.');
  });
});

describe('the hourly rate: one setting, one value, for every model that prices hours', () => {
  it('is the one setting the margin, the value tiers and the rating share', () => {
    expect(isSharedSetting(HOURLY_RATE_SETTING)).toBe(true);
    expect(CATALOG.flatMap((model) => model.settings).filter(isSharedSetting).map((setting) => setting.key)).toEqual(['hourlyRate', 'hourlyRate', 'hourlyRate']);
    expect(isSharedSetting(getModel('value').settings[0])).toBe(false);
  });

  it('is shown in the first chosen model that has it and set on all of them, chosen or not', () => {
    const selection = initialSelection();
    expect(sharedSettingModels(selection, HOURLY_RATE_SETTING)).toEqual([]);
    selection.margin.enabled = true;
    selection.score.enabled = true;
    expect(sharedSettingModels(selection, HOURLY_RATE_SETTING).map((model) => model.id)).toEqual(['score', 'margin']);
    selection.value.enabled = true;
    expect(sharedSettingModels(selection, HOURLY_RATE_SETTING).map((model) => model.id)).toEqual(['value', 'score', 'margin']);

    const changed = withSharedSetting(selection, HOURLY_RATE_SETTING, 700);
    expect(['value', 'score', 'margin'].map((id) => changed[id].settings.hourlyRate)).toEqual([700, 700, 700]);
    // Stored as before, in each model's own settings; nothing else changes.
    expect(changed.value.settings.goldCut).toEqual(selection.value.settings.goldCut);
    expect(selection.margin.settings.hourlyRate).toBe(650);
    expect(changed.abcd).toBe(selection.abcd);
    // A model ticked later starts from the shared value.
    const unticked = withSharedSetting(initialSelection(), HOURLY_RATE_SETTING, 720);
    expect(unticked.margin.settings.hourlyRate).toBe(720);
  });

  it('takes one value when a workbook saved different rates for different models', () => {
    const restored = selectionFromSaved({ value: { hourlyRate: 600 }, margin: { hourlyRate: 900 } })!;
    expect(['value', 'score', 'margin'].map((id) => restored[id].settings.hourlyRate)).toEqual([600, 600, 600]);
  });
});

describe('cut hints that fit the cut', () => {
  it('show the Pareto level actually set', () => {
    expect(cutHint(cut('pareto', 'bCut'), { method: 'pareto', level: 0.95 }, 'en')).toBe('Share of the total, above 0 and at most 1 (0.95 = 95 %).');
    expect(cutHint(cut('pareto', 'aCut'), { method: 'pareto', level: 0.8 }, 'en')).toBe('Share of the total, above 0 and at most 1 (0.8 = 80 %).');
    expect(cutHint(cut('value', 'goldCut'), { method: 'pareto', level: 0.5 }, 'da')).toBe('Andel af totalen, over 0 og højst 1 (0,5 = 50 %).');
    expect(cutHint(cut('abcd', 'revenueCut'), { method: 'pareto', level: 0.125 }, 'da')).toBe('Andel af totalen, over 0 og højst 1 (0,125 = 12,5 %).');
  });

  it('call a value cut on share of wallet a share, on a score a score, on an amount an amount', () => {
    expect(cutHint(cut('quadrant', 'shareCut'), { method: 'value', level: 0.5 }, 'en')).toBe('A share of wallet: 0.5 and 50 both mean 50 %; shares at or above it are high.');
    expect(cutHint(cut('quadrant', 'shareCut'), { method: 'value', level: 0.5 }, 'da')).toBe('En andel af køb: 0,5 og 50 betyder begge 50 %; andele på eller over den er høje.');
    expect(cutHint(cut('abcd', 'revenueCut'), { method: 'value', level: 250000 }, 'en')).toBe('An amount: values at or above it are high.');
    expect(cutHint(cut('score', 'topCut'), { method: 'value', level: 80 }, 'en')).toBe('A score from 0 to 100: scores at or above it are high.');
    // Cuts on computed values say what the value is: CLV is an amount, churn risk a probability.
    expect(cutHint(cut('clv', 'topCut'), { method: 'value', level: 5000 }, 'en')).toBe('An amount: values at or above it are high.');
    expect(cutHint(cut('churn', 'highCut'), { method: 'value', level: 0.5 }, 'en')).toBe('A probability from 0 to 1 (0.5 = 50 %): risks at or above it are high.');
    expect(cutHint(cut('churn', 'highCut'), { method: 'value', level: 0.5 }, 'da')).toBe('En sandsynlighed fra 0 til 1 (0,5 = 50 %): risici på eller over den er høje.');
    expect(cutHint(cut('quadrant', 'satisfactionCut'), { method: 'value', level: 4 }, 'en')).toBe('A value on the column\'s own scale: values at or above it are high.');
    expect(cutHint(cut('quadrant', 'satisfactionCut'), { method: 'quantile', level: 0.5 }, 'en')).toBe('Quantile, above 0 and at most 1 (0.5 = median).');
  });
});
