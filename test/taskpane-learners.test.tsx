// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  applyRenames, buildCustomerTable, cellText, detectRoles, fitClusters, getModel, segment, summarize, tierName,
  type CustomerTable, type DataSetting, type Language, type ModelSettings, type SettingDefinition,
} from '../src/engine';
import { App } from '../src/taskpane/App';
import { FeaturesEditor } from '../src/taskpane/components/FeaturesEditor';
import { translator } from '../src/taskpane/i18n';
import { clusterNameRows, clustersSeen, rememberClusters, unappliedRenames, withClusterName, withoutUnapplied } from '../src/taskpane/state/clusterNames';
import { initialSelection, paneDefaults, selectionReady, settingProblem, settingProblems } from '../src/taskpane/state/session';
import { PackageWorkbook } from '../src/workbook/xlsx/package-workbook';

// jsdom has no Web Worker: the plan is built in-process, by the same steps plan.worker.ts takes.
vi.mock('../src/taskpane/compute/planInWorker', () => import('./support/plan-in-process'));

// Fluent's focus manager outlives a test unless the tree is unmounted (NodeFilter is gone after teardown).
afterEach(cleanup);

const settingOf = (modelId: string, key: string): SettingDefinition => getModel(modelId).settings.find((setting) => setting.key === key)!;

describe('the settings of churn, clusters and twins are checked for what they are', () => {
  it('takes a feature list as column names (empty = every usable column) and names what is not one in both languages', () => {
    for (const modelId of ['churn', 'clusters', 'twins']) {
      const features = settingOf(modelId, 'features');
      expect(settingProblem(features, [], 'en')).toBeNull();
      expect(settingProblem(features, ['Omsætning', 'Region'], 'en')).toBeNull();
    }
    const features = settingOf('churn', 'features');
    expect(settingProblem(features, ['Omsætning', 7, ' '], 'en')).toBe('Entries in the feature list that are not column names: 2.');
    expect(settingProblem(features, ['Omsætning', 7, ' '], 'da')).toBe('Punkter i listen over kendetegn, der ikke er kolonnenavne: 2.');
    // A text where a list belongs ("A,B" typed into a settings file) is one problem, not every column.
    expect(settingProblem(features, 'Omsætning,Region', 'en')).toBe('Entries in the feature list that are not column names: 1.');
  });

  it('takes cluster names in the shape clusters.ts reads, counting each entry it cannot read once', () => {
    const names = settingOf('clusters', 'names');
    expect(settingProblem(names, [], 'en')).toBeNull();
    expect(settingProblem(names, [{ cluster: 2, name: 'Storkunder', generated: 'High revenue' }, { cluster: 1, name: 'Små' }], 'en')).toBeNull();
    // Cluster 0 with a blank name is one entry with two problems; a generated name that is no text is another.
    const broken: DataSetting = [{ cluster: 0, name: ' ' }, { cluster: 1, name: 'A', generated: 3 }, { cluster: 2, name: 'B' }];
    expect(settingProblem(names, broken, 'en')).toBe('Cluster names that cannot be read: 2.');
    expect(settingProblem(names, broken, 'da')).toBe('Klyngenavne, der ikke kan læses: 2.');
    expect(settingProblem(names, { cluster: 1, name: 'A' }, 'en')).toBe('Cluster names that cannot be read: 1.');
  });

  it('takes twins\' reference as a model segment or a flag column, and asks for the column when only its form is chosen', () => {
    const reference = settingOf('twins', 'reference');
    for (const value of ['pareto:A', 'value:Gold', 'abcd:A', 'clv:Top', 'rfm:Champions', 'column:Nøglekunde', 'COLUMN: Key account']) {
      expect(settingProblem(reference, value, 'en')).toBeNull();
    }
    expect(settingProblem(reference, 'column:', 'en')).toBe('Choose the column.');
    expect(settingProblem(reference, 'column:  ', 'da')).toBe('Vælg kolonnen.');
    expect(settingProblem(reference, 'gold', 'en')).toBe('Choose one of the options.');
    // A choice without the prefixed form takes no prefix either.
    expect(settingProblem(settingOf('clusters', 'k'), 'column:k', 'en')).toBe('Choose one of the options.');
  });

  it('lets each model through to the preview on its defaults and holds it back on a broken list', () => {
    const mapping = detectRoles(['Kundenr', 'Kunde', 'Omsætning', 'Type', 'Opsagt']);
    for (const modelId of ['churn', 'clusters', 'twins']) {
      const selection = initialSelection();
      for (const id of Object.keys(selection)) selection[id].enabled = id === modelId;
      expect(settingProblems(getModel(modelId), paneDefaults(getModel(modelId)), 'en')).toEqual({});
      expect(selectionReady(selection, mapping)).toBe(true);
      selection[modelId].settings = { ...selection[modelId].settings, features: [''] };
      expect(selectionReady(selection, mapping)).toBe(false);
    }
  });
});

/** Forty customers in three clear groups on revenue and satisfaction, with a few orders each. */
function clusteredTable(): CustomerTable {
  const headers = ['Kundenr', 'Kunde', 'Omsætning', 'Tilfredshed', 'Antal ordrer'];
  const rows = Array.from({ length: 42 }, (_, i) => {
    const group = i % 3;
    return [`K${i}`, `Kunde ${i}`, [20_000, 400_000, 2_000_000][group] + 1000 * (i % 7), [4.5, 2.0, 3.5][group] + 0.1 * (i % 4), 2 + (i % 5)];
  });
  return buildCustomerTable(headers, rows);
}

describe('renaming clusters', () => {
  const generated = [
    { en: 'High revenue', da: 'Høj omsætning' }, { en: 'Low satisfaction', da: 'Lav tilfredshed' }, { en: 'Few orders', da: 'Få ordrer' },
  ];

  it('stores a rename with the generated name it replaces, replaces it on a second edit and forgets it when the field is emptied', () => {
    const once = withClusterName(generated, [], 2, '  Utilfredse ');
    expect(once).toEqual([{ cluster: 2, name: 'Utilfredse', generated: 'Low satisfaction' }]);
    const twice = withClusterName(generated, withClusterName(generated, once, 1, 'Storkunder'), 2, 'Klagere');
    expect(twice).toEqual([{ cluster: 1, name: 'Storkunder', generated: 'High revenue' }, { cluster: 2, name: 'Klagere', generated: 'Low satisfaction' }]);
    expect(clusterNameRows(generated, twice).map((row) => row.name)).toEqual(['Storkunder', 'Klagere', '']);
    expect(withClusterName(generated, twice, 1, '')).toEqual([{ cluster: 2, name: 'Klagere', generated: 'Low satisfaction' }]);
    // A rename by number only (typed into a settings file) is replaced by the field's edit, not doubled.
    expect(withClusterName(generated, [{ cluster: 3, name: 'Old' }], 3, 'New')).toEqual([{ cluster: 3, name: 'New', generated: 'Few orders' }]);
  });

  it('follows its cluster when a rerun numbers the clusters otherwise, and lists a rename whose profile is gone', () => {
    const names = withClusterName(generated, [], 2, 'Utilfredse');
    // The rerun found the same profiles in another order of size: the name stays with "Low satisfaction".
    const rerun = [generated[1], generated[2], generated[0]];
    expect(applyRenames(rerun, names as never).names.map((name) => name.en)).toEqual(['Utilfredse', 'Few orders', 'High revenue']);
    expect(clusterNameRows(rerun, names).map((row) => row.name)).toEqual(['Utilfredse', '', '']);
    const other = [generated[0], { en: 'Many orders', da: 'Mange ordrer' }];
    expect(unappliedRenames(other, names)).toEqual([{ cluster: 2, name: 'Utilfredse', generated: 'Low satisfaction' }]);
    expect(withoutUnapplied(other, names)).toEqual([]);
  });

  it('ties a rename to the number when two clusters share a generated name', () => {
    const same = [{ en: 'Close to average', da: 'Tæt på gennemsnittet' }, { en: 'Close to average', da: 'Tæt på gennemsnittet' }];
    const names = withClusterName(same, withClusterName(same, [], 1, 'A'), 2, 'B');
    expect(names).toEqual([{ cluster: 1, name: 'A' }, { cluster: 2, name: 'B' }]);
    expect(clusterNameRows(same, names).map((row) => row.name)).toEqual(['A', 'B']);
  });

  it('is what the clusters model names the cluster and its rows by on the next run', () => {
    const table = clusteredTable();
    const settings: ModelSettings = { ...paneDefaults(getModel('clusters')), k: '3' };
    const first = fitClusters(table, settings);
    const names = withClusterName(first.generatedNames, settings.names, 2, 'Storkunder');
    const second = fitClusters(table, { ...settings, names });
    expect(second.names.map((name) => name.en)).toEqual([first.generatedNames[0].en, 'Storkunder', first.generatedNames[2].en]);
    const row = Array.from(second.labels).indexOf(1);
    const result = getModel('clusters').run(table, { ...settings, names });
    expect(result.explain(row).da).toMatch(/^Klynge 2 · Storkunder: /);
  });
});

const SAMPLE = path.join(__dirname, '..', 'assets', 'sample-customers.xlsx');

/** The sample's table as the pane reads it: roles as detected. */
async function sampleTable(): Promise<CustomerTable> {
  const snapshot = await PackageWorkbook.open(new Uint8Array(readFileSync(SAMPLE))).readTable();
  const mapping = detectRoles(snapshot.headers.map((header) => cellText(header).trim()));
  return buildCustomerTable(snapshot.headers, snapshot.rows, { mapping, origin: snapshot.origin });
}

/** The browser version over the bundled sample workbook (the fetch of the sample answered from assets/). */
async function openSampleInBrowserPane(language: Language) {
  const bytes = readFileSync(SAMPLE);
  // jsdom has no ResizeObserver; Fluent's message bars watch their width with one.
  vi.stubGlobal('ResizeObserver', class { observe() {} unobserve() {} disconnect() {} });
  vi.stubGlobal('fetch', async () => ({ ok: true, arrayBuffer: async () => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) }));
  const t = translator(language);
  render(<App environment={{ kind: 'browser', sampleUrl: 'assets/sample-customers.xlsx' }} initialLanguage={language} />);
  await act(async () => { fireEvent.click(screen.getByRole('button', { name: t('useSample') })); });
  await screen.findByTestId('table-found', undefined, { timeout: 30_000 });
  await act(async () => { fireEvent.click(screen.getByRole('tab', { name: t('stepModels') })); });
  return t;
}

/** Ticks only `modelId` (the sample starts on ABCD). */
async function chooseOnly(modelId: string, language: Language) {
  for (const id of ['abcd', 'pareto', 'value', 'quadrant', 'margin', 'score', 'rfm', 'clv', 'churn', 'clusters', 'twins']) {
    const box = screen.queryByRole('checkbox', { name: getModel(id).name[language] }) as HTMLInputElement | null;
    if (box && box.checked !== (id === modelId)) await act(async () => { fireEvent.click(box); });
  }
}

/** Next, and the counts per segment on the preview as the engine's summary gives them for `settings`. */
async function nextToPreview(t: ReturnType<typeof translator>, table: CustomerTable, modelId: string, settings: ModelSettings, language: Language) {
  const next = screen.getByRole('button', { name: t('next') }) as HTMLButtonElement;
  expect(next.disabled).toBe(false);
  await act(async () => { fireEvent.click(next); });
  const card = await screen.findByTestId(`preview-${modelId}`, undefined, { timeout: 30_000 });
  const model = getModel(modelId);
  const result = segment(table, [{ id: modelId, settings }]).results[0];
  const lines = summarize(table, model, result);
  expect(lines.length).toBeGreaterThan(1);
  for (const line of lines) {
    const row = within(card).getByTestId(`preview-${modelId}-${line.tierIndex >= 0 ? model.tiers[line.tierIndex].id : 'none'}`);
    expect(within(row).getByTestId('customers').textContent).toBe(new Intl.NumberFormat(language === 'da' ? 'da-DK' : 'en-US').format(line.customers));
  }
  return { card, result };
}

/** Apply, then the written workbook (what the download holds) read back: the model's column by header. */
async function applyAndReadBack(t: ReturnType<typeof translator>, header: string) {
  const toBytes = vi.spyOn(PackageWorkbook.prototype, 'toBytes');
  await act(async () => { fireEvent.click(screen.getByRole('tab', { name: t('stepApply') })); });
  await act(async () => { fireEvent.click(screen.getByRole('button', { name: t('applyButton') })); });
  await screen.findByText(t('applied'), undefined, { timeout: 60_000 });
  const bytes = toBytes.mock.results.at(-1)!.value as Uint8Array;
  toBytes.mockRestore();
  // Read with another reader (ExcelJS), as Excel would find the cells: the segment column by its header.
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  const sheet = workbook.getWorksheet('Kunder')!;
  const headers = (sheet.getRow(1).values as unknown[]).map((value) => String(value ?? ''));
  const column = headers.indexOf(header);
  expect(column, headers.join('|')).toBeGreaterThan(0);
  return Array.from({ length: sheet.rowCount - 1 }, (_, i) => {
    const value = sheet.getRow(i + 2).getCell(column).value as unknown;
    const shown = value !== null && typeof value === 'object' && 'result' in value ? (value as { result: unknown }).result : value;
    return shown === null || shown === undefined ? '' : String(shown);
  });
}

describe('the browser version runs churn, clusters and twins on the sample workbook', () => {
  beforeEach(() => { vi.unstubAllGlobals(); });

  it('churn: the feature list, Next, the counts and AUCs on the preview, and the tiers written', async () => {
    const table = await sampleTable();
    const t = await openSampleInBrowserPane('en');
    await chooseOnly('churn', 'en');
    await act(async () => { fireEvent.click(screen.getByRole('button', { name: /^Features/ })); });
    const editor = screen.getByTestId('features-editor');
    expect((within(editor).getByRole('checkbox', { name: 'Tilfredshed' }) as HTMLInputElement).checked).toBe(true);
    // The label is no feature; no "Problems in the factor tree" holds the step back.
    expect(within(editor).queryByRole('checkbox', { name: 'Opsagt' })).toBeNull();
    expect(screen.queryByText(/factor tree/)).toBeNull();
    await act(async () => { fireEvent.click(within(editor).getByRole('checkbox', { name: 'Region' })); });
    const settings = { ...paneDefaults(getModel('churn')), features: table.headers.filter((header) => within(editor).queryByRole('checkbox', { name: header }) && header !== 'Region') };
    expect(settings.features).not.toContain('Region');
    expect(settings.features).toContain('Tilfredshed');
    const { card, result } = await nextToPreview(t, table, 'churn', settings, 'en');
    expect(within(card).getByTestId('notes-churn').textContent).toContain('Cross-validated AUC (5 folds): logistic regression');
    const written = await applyAndReadBack(t, 'Segment Churn');
    const model = getModel('churn');
    expect(written).toEqual(Array.from(result.tiers, (tier) => (tier < 0 ? '' : tierName(model.tiers[tier], 'en'))));
  }, 120_000);

  it('clusters in Danish: the names editor, renames kept with the settings, and the clusters written under their numbers', async () => {
    const table = await sampleTable();
    const t = await openSampleInBrowserPane('da');
    await chooseOnly('clusters', 'da');
    // The list ticks what the clusters use by default, the number and date columns, not every usable column.
    await act(async () => { fireEvent.click(screen.getByRole('button', { name: /^Kendetegn/ })); });
    const editor = screen.getByTestId('features-editor');
    const ticked = (name: string) => (within(editor).getByRole('checkbox', { name }) as HTMLInputElement).checked;
    expect(['Omsætning', 'Kunde siden', 'Antal ansatte', 'Branche', 'Region', 'Type', 'Opsagt'].map(ticked)).toEqual([true, true, true, false, false, false, false]);
    expect(within(editor).getByText('Kolonnerne med flueben beskriver hver kunde. Modellens eget valg har flueben, til du ændrer det.')).toBeTruthy();
    await act(async () => { fireEvent.click(within(editor).getByRole('checkbox', { name: 'Region' })); });
    expect(ticked('Region')).toBe(true);
    await act(async () => { fireEvent.click(within(editor).getByRole('button', { name: 'Tilbage til modellens eget valg' })); });
    expect(ticked('Region')).toBe(false);
    // Before a preview the names panel says where the names come from.
    await act(async () => { fireEvent.click(screen.getByRole('button', { name: /^Klyngenavne/ })); });
    expect(within(screen.getByTestId('cluster-names')).getByText(/De genererede navne vises, når trinnet Forhåndsvisning/)).toBeTruthy();
    expect(screen.queryByText(/faktortræet/)).toBeNull();
    const defaults = paneDefaults(getModel('clusters'), 'da');
    const { card } = await nextToPreview(t, table, 'clusters', defaults, 'da');
    const fit = fitClusters(table, defaults);
    expect(within(card).getByTestId('notes-clusters').textContent).toContain(`k = ${fit.k}: valgt efter silhouet`);
    // One field per cluster, the generated name as placeholder; the segment line says the name.
    const fields = within(card).getAllByRole('textbox');
    expect(fields.map((field) => field.getAttribute('placeholder'))).toEqual(fit.generatedNames.map((name) => name.da));
    const field = within(card).getByRole('textbox', { name: 'Klynge 1' });
    fireEvent.change(field, { target: { value: 'Kernekunder' } });
    await act(async () => { fireEvent.blur(field); });
    await waitFor(() => expect(within(screen.getByTestId('preview-clusters-Cluster 1')).getByText('Kernekunder')).toBeTruthy());
    expect(within(card).getByText(`Genereret navn: ${fit.generatedNames[0].da}`)).toBeTruthy();
    // Back on the Models step the names panel offers the same clusters, the rename in its field.
    await act(async () => { fireEvent.click(screen.getByRole('tab', { name: t('stepModels') })); });
    await act(async () => { fireEvent.click(screen.getByRole('button', { name: /^Klyngenavne/ })); });
    expect((within(screen.getByTestId('cluster-names')).getByRole('textbox', { name: 'Klynge 1' }) as HTMLInputElement).value).toBe('Kernekunder');
    const written = await applyAndReadBack(t, 'Segment Klynger');
    expect(written).toEqual(Array.from(fit.labels, (label) => (label < 0 ? '' : tierName(getModel('clusters').tiers[label], 'da'))));
  }, 120_000);

  it('twins: the reference group from a model or a flag column, the reference and candidates on the preview, and the tiers written', async () => {
    const table = await sampleTable();
    const t = await openSampleInBrowserPane('en');
    await chooseOnly('twins', 'en');
    // By default twins leave out who is a prospect or gone and what made the group (Pareto A: revenue).
    await act(async () => { fireEvent.click(screen.getByRole('button', { name: /^Features/ })); });
    const editor = screen.getByTestId('features-editor');
    const ticked = (name: string) => (within(editor).getByRole('checkbox', { name }) as HTMLInputElement).checked;
    expect(['Branche', 'Antal ansatte', 'Region', 'Tilfredshed', 'Type', 'Opsagt', 'Omsætning'].map(ticked)).toEqual([true, true, true, true, false, false, false]);
    const reference = screen.getByRole('combobox', { name: 'Reference group (the best customers)' });
    expect(reference.textContent).toBe('Pareto A: the customers making the first 80 % of revenue');
    fireEvent.click(reference);
    expect(screen.getAllByRole('option').map((option) => option.textContent)).toEqual([
      'Pareto A: the customers making the first 80 % of revenue', 'Value tier Gold', 'ABCD A: high revenue, high potential',
      'CLV Top: the highest lifetime value', 'RFM Champions: bought recently, buy often', 'A flag column: the rows it marks yes, x or 1',
    ]);
    await act(async () => { fireEvent.click(screen.getByRole('option', { name: 'A flag column: the rows it marks yes, x or 1' })); });
    // The form alone is not a group: the column is asked for, and the step waits for it.
    expect(screen.getByText('Choose the column.')).toBeTruthy();
    expect((screen.getByRole('button', { name: t('next') }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole('combobox', { name: 'Flag column' }));
    // The yes/no column (Opsagt) comes first, in a group of its own.
    expect(within(screen.getByRole('group', { name: 'Yes/no columns' })).getAllByRole('option').map((option) => option.textContent)).toEqual(['Opsagt']);
    await act(async () => { fireEvent.click(screen.getByRole('option', { name: 'Opsagt' })); });
    expect(screen.queryByText('Choose the column.')).toBeNull();
    // Back to the model's segment for the run: Value tier Gold.
    fireEvent.click(screen.getByRole('combobox', { name: 'Reference group (the best customers)' }));
    await act(async () => { fireEvent.click(screen.getByRole('option', { name: 'Value tier Gold' })); });
    expect(screen.queryByRole('combobox', { name: 'Flag column' })).toBeNull();
    const settings = { ...paneDefaults(getModel('twins')), reference: 'value:Gold' };
    const { card, result } = await nextToPreview(t, table, 'twins', settings, 'en');
    const notes = within(card).getByTestId('notes-twins').textContent!;
    expect(notes).toContain(result.notes[0].en);
    expect(result.notes[0].en).toMatch(/^Reference group: Value tiers and terms: Gold, [\d,]+ customers/);
    expect(notes).toContain('Candidates: the 300 prospects (Type says Lead, Prospect, Emne or the like).');
    const written = await applyAndReadBack(t, 'Segment Twins');
    expect(written).toEqual(Array.from(result.tiers, (tier) => (tier < 0 ? '' : tierName(getModel('twins').tiers[tier], 'en'))));
  }, 120_000);

  it('remembers a preview\'s clusters per table only while k, features and skew stay as previewed', () => {
    const table = clusteredTable();
    const settings: ModelSettings = { ...paneDefaults(getModel('clusters')), k: '3' };
    expect(clustersSeen(table, settings)).toBeUndefined();
    const result = getModel('clusters').run(table, settings);
    // The Preview step remembers what it ran; a rename does not make the clusters stale, another k does.
    rememberClusters(table, settings, result);
    expect(clustersSeen(table, { ...settings, names: [{ cluster: 1, name: 'A' }] })?.map((name) => name.en)).toEqual(fitClusters(table, settings).generatedNames.map((name) => name.en));
    expect(clustersSeen(table, { ...settings, k: '4' })).toBeUndefined();
    expect(clustersSeen(clusteredTable(), settings)).toBeUndefined();
  });
});

describe('the feature list', () => {
  afterEach(cleanup);

  it('keeps the last ticked column ticked: an empty choice would mean the model\'s own choice again', () => {
    const table = buildCustomerTable(['Kundenr', 'Omsætning', 'Tilfredshed', 'Region'], [['K1', 100, 3, 'Nord'], ['K2', 250, 4, 'Syd'], ['K3', 80, 2, 'Nord']]);
    const changes: string[][] = [];
    const t = translator('en');
    const view = (chosen: string[]) => (
      <FluentProvider theme={webLightTheme}>
        <FeaturesEditor t={t} language="en" table={table} chosen={chosen} exclude={[]} onChange={(headers) => changes.push(headers)} />
      </FluentProvider>
    );
    const { rerender } = render(view(['Omsætning', 'Tilfredshed']));
    fireEvent.click(screen.getByRole('checkbox', { name: 'Tilfredshed' }));
    expect(changes.at(-1)).toEqual(['Omsætning']);
    rerender(view(['Omsætning']));
    expect((screen.getByRole('checkbox', { name: 'Omsætning' }) as HTMLInputElement).disabled).toBe(true);
    expect((screen.getByRole('checkbox', { name: 'Region' }) as HTMLInputElement).disabled).toBe(false);
    // Every usable column ticked again is the default, kept as the empty list.
    fireEvent.click(screen.getByRole('checkbox', { name: 'Tilfredshed' }));
    rerender(view(['Omsætning', 'Tilfredshed']));
    fireEvent.click(screen.getByRole('checkbox', { name: 'Region' }));
    expect(changes.at(-1)).toEqual([]);
  });
});
