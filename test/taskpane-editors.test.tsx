// @vitest-environment jsdom
import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  buildCustomerTable, DEFAULT_FACTORS, DEFAULT_TERMS, getModel, type FactorNode, type ModelSettings, type TermsTable,
} from '../src/engine';
import { SheetNotFoundError, type TableSnapshot, type WorkbookPort } from '../src/workbook/port';
import { App } from '../src/taskpane/App';
import { FactorTreeEditor } from '../src/taskpane/components/FactorTreeEditor';
import { PreviewStep } from '../src/taskpane/components/PreviewStep';
import { TermsEditor } from '../src/taskpane/components/TermsEditor';
import { translator } from '../src/taskpane/i18n';
import { reweightNode } from '../src/taskpane/state/factorTree';
import { initialSelection } from '../src/taskpane/state/session';
import { setTermsField } from '../src/taskpane/state/terms';

/** A workbook of one sheet holding `snapshot`'s table: nothing else to list or read. */
function oneSheetPort(snapshot: TableSnapshot): WorkbookPort {
  return {
    readTable: async () => snapshot,
    listSheets: async () => [{ name: snapshot.sheetName, rowCount: snapshot.rows.length + 1, columnCount: snapshot.headers.length }],
    readSheetTable: async (name) => { throw new SheetNotFoundError(name, [snapshot.sheetName]); },
    apply: async () => ({ written: [] }),
  };
}

// Fluent's focus manager outlives a test unless the tree is unmounted (NodeFilter is gone after teardown).
afterEach(cleanup);

const HEADERS = ['Kundenr', 'Kunde', 'Omsætning', 'Dækningsbidrag', 'Tilfredshed', 'Antal ordrer', 'Dage for sent'];
const ROWS = Array.from({ length: 40 }, (_, i) => [`K${100 + i}`, `Kunde ${i}`, 1000 * (i + 1), 300 * ((i * 7) % 11) - 400, 1 + (i % 5), (i * 3) % 17, i % 9]);

function TermsHarness(props: { onChange: (terms: TermsTable) => void }) {
  const [terms, setTerms] = useState<TermsTable>(structuredClone(DEFAULT_TERMS));
  return (
    <FluentProvider theme={webLightTheme}>
      <TermsEditor t={translator('da')} language="da" tiers={getModel('value').tiers} terms={terms}
        onChange={(next) => { setTerms(next); props.onChange(next); }} />
    </FluentProvider>
  );
}

describe('TermsEditor', () => {
  it('stores a typed discount as a fraction, explains a negative one and resets to the defaults', () => {
    const onChange = vi.fn<(terms: TermsTable) => void>();
    render(<TermsHarness onChange={onChange} />);
    const discount = screen.getByRole('textbox', { name: 'Guld: Rabat' }) as HTMLInputElement;
    expect(discount.value).toBe('8');

    fireEvent.change(discount, { target: { value: '8,5' } });
    expect(onChange.mock.lastCall![0].Gold.discount).toBe(0.085);
    expect(discount.value).toBe('8,5');

    fireEvent.change(discount, { target: { value: '-5' } });
    expect(onChange.mock.lastCall![0].Gold.discount).toBe(-0.05);
    expect(screen.getByText('En rabat fra 0 til (men ikke med) 100 %.')).toBeTruthy();
    expect(discount.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByLabelText('Fejl: 1')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Nulstil til standard' }));
    expect(onChange.mock.lastCall![0]).toEqual(DEFAULT_TERMS);
    expect(discount.value).toBe('8');
    expect(screen.queryByText('En rabat fra 0 til (men ikke med) 100 %.')).toBeNull();
  });

  it('shows and edits one tier at a time, with the choices named in the UI language', () => {
    const onChange = vi.fn<(terms: TermsTable) => void>();
    render(<TermsHarness onChange={onChange} />);
    fireEvent.click(screen.getByRole('tab', { name: 'Tab' }));
    expect((screen.getByRole('textbox', { name: 'Tab: Fakturagebyr (kr.)' }) as HTMLInputElement).value).toBe('49');
    expect(screen.getByRole('combobox', { name: 'Tab: Serviceniveau' }).textContent).toBe('Selvbetjening');
    const reprice = screen.getByRole('switch', { name: 'Tab: Prisjustér' }) as HTMLInputElement;
    expect(reprice.checked).toBe(true);
    fireEvent.click(reprice);
    expect(onChange.mock.lastCall![0].Loss.reprice).toBe(false);
    fireEvent.change(screen.getByRole('textbox', { name: 'Tab: Betalingsfrist (dage)' }), { target: { value: '10' } });
    expect(onChange.mock.lastCall![0].Loss).toMatchObject({ paymentDays: 10, reprice: false });
  });
});

function FactorsHarness(props: { onChange: (factors: FactorNode) => void }) {
  const table = buildCustomerTable(HEADERS, ROWS);
  const [settings, setSettings] = useState<ModelSettings>(structuredClone(getModel('score').defaults));
  return (
    <FluentProvider theme={webLightTheme}>
      <FactorTreeEditor t={translator('en')} language="en" table={table} settings={settings}
        onChange={(factors) => { setSettings({ ...settings, factors }); props.onChange(factors); }} />
    </FluentProvider>
  );
}

describe('FactorTreeEditor', () => {
  it('reweights the selected group and shows the new shares, adds a factor and says what the table lacks', async () => {
    const onChange = vi.fn<(factors: FactorNode) => void>();
    render(<FactorsHarness onChange={onChange} />);
    const tree = screen.getByRole('tree', { name: 'Factor tree' });
    // The sample has no share of wallet: the engine leaves that leaf out, and the pane says so.
    expect(screen.getByTestId('factor-notes').textContent).toContain('Relationship › Share of wallet: no column for Share of wallet, left out.');
    expect(within(tree).getByText('50 · 50.0%')).toBeTruthy();

    // Economy is selected first; its weight 50 → 150 of 150 + 30 + 20.
    const weight = screen.getByRole('textbox', { name: 'Weight' });
    fireEvent.change(weight, { target: { value: '150' } });
    expect(onChange.mock.lastCall![0]).toEqual(reweightNode(DEFAULT_FACTORS, 'economy', 150));
    expect(within(tree).getByText('150 · 75.0%')).toBeTruthy();
    expect(screen.getByText('Share of the score: 75.0%')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Add factor' }));
    const added = onChange.mock.lastCall![0].children![0].children!;
    expect(added).toHaveLength(3);
    // The first mapped column the tree does not read yet (it reads the true margin, not the margin column).
    // It weighs as its siblings do (their mean, 50), so it gets a third of Economy's 75 %, and says so; it is ranked.
    expect(added[2]).toMatchObject({ name: 'Contribution margin', source: 'role:margin', weight: 50, direction: 'higher', scale: 'rank' });
    expect(screen.getByText('Factor: Contribution margin')).toBeTruthy();
    expect(screen.getByText('Share of the score: 25.0%')).toBeTruthy();
    expect((screen.getByRole('radio', { name: 'Rank' }) as HTMLInputElement).checked).toBe(true);
    // Min and max belong to a fixed scale only.
    expect(screen.queryByRole('textbox', { name: 'Scale from' })).toBeNull();
    fireEvent.click(screen.getByRole('radio', { name: 'Fixed' }));
    expect(onChange.mock.lastCall![0].children![0].children![2]).toMatchObject({ id: added[2].id, scale: 'fixed' });
    expect(screen.getByRole('textbox', { name: 'Scale from' })).toBeTruthy();

    // The live preview follows the tree: three tiers and the best three customers.
    await waitFor(() => expect(within(screen.getByTestId('score-preview')).getAllByRole('row')).toHaveLength(3));
  });

  it('refuses a group on the third level', () => {
    render(<FactorsHarness onChange={() => undefined} />);
    fireEvent.click(screen.getByRole('button', { name: 'Add group' }));
    // The new group is on level 2: it takes factors but no further group.
    expect(screen.getByText('Group: New group')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Add group' }) as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByRole('button', { name: 'Add factor' }) as HTMLButtonElement).disabled).toBe(false);
  });
});

describe('settings saved in the workbook', () => {
  it('start the pane from the models and settings applied last time', async () => {
    const terms = setTermsField(structuredClone(DEFAULT_TERMS), 'Gold', 'discount', 0.1);
    const snapshot: TableSnapshot = {
      sheetName: 'Kunder', origin: { headerRow: 1, firstColumn: 0 }, headers: HEADERS, rows: ROWS, sheetNames: ['Kunder'],
      marker: {
        version: 1, tableSheet: 'Kunder', columns: ['Segment Value'], sheets: {},
        settings: { value: { terms, goldCut: { method: 'pareto', level: 0.6 }, silverCut: { method: 'pareto', level: 80 } } },
      },
    };
    const port = oneSheetPort(snapshot);
    render(<App environment={{ kind: 'office', port }} initialLanguage="en" />);
    await screen.findByTestId('table-found');
    await act(async () => { fireEvent.click(screen.getByRole('tab', { name: 'Models' })); });
    expect((screen.getByRole('checkbox', { name: 'Value tiers and terms' }) as HTMLInputElement).checked).toBe(true);
    expect((screen.getByRole('checkbox', { name: 'ABCD accounts' }) as HTMLInputElement).checked).toBe(false);
    expect((screen.getByRole('textbox', { name: 'Gold cut: Level' }) as HTMLInputElement).value).toBe('0.6');
    // A saved cut out of range is not taken over.
    expect((screen.getByRole('textbox', { name: 'Silver cut: Level' }) as HTMLInputElement).value).toBe('0.8');
    fireEvent.click(screen.getByRole('button', { name: 'Terms per tier' }));
    expect((screen.getByRole('textbox', { name: 'Gold: Discount' }) as HTMLInputElement).value).toBe('10');
  });
});

describe('ModelsStep on a table without potential or cost to serve', () => {
  it('shows why a model cannot run and which column would let it, cannot tick it, shows the hourly rate once and Pareto hints at their levels', async () => {
    const snapshot: TableSnapshot = { sheetName: 'Kunder', origin: { headerRow: 1, firstColumn: 0 }, headers: HEADERS, rows: ROWS, sheetNames: ['Kunder'], marker: null };
    const port = oneSheetPort(snapshot);
    render(<App environment={{ kind: 'office', port }} initialLanguage="en" />);
    await screen.findByTestId('table-found');
    await act(async () => { fireEvent.click(screen.getByRole('tab', { name: 'Models' })); });
    const abcd = screen.getByRole('checkbox', { name: 'ABCD accounts' }) as HTMLInputElement;
    expect([abcd.checked, abcd.disabled]).toEqual([false, true]);
    expect(screen.getByTestId('unavailable-abcd').textContent).toBe('Cannot run: the table has no column for Potential. Map one on the Data step.');
    expect(screen.getByTestId('unavailable-quadrant').textContent)
      .toBe('Cannot run: the table has no column for Share of wallet or Potential. Map one on the Data step.');
    expect(screen.queryByTestId('unavailable-margin')).toBeNull();
    // ABCD was the default; Pareto, the first model this table supports, is ticked instead.
    expect((screen.getByRole('checkbox', { name: 'Pareto ABC' }) as HTMLInputElement).checked).toBe(true);
    expect(screen.getByText('Share of the total, above 0 and at most 1 (0.8 = 80 %).')).toBeTruthy();
    expect(screen.getByText('Share of the total, above 0 and at most 1 (0.95 = 95 %).')).toBeTruthy();
    for (const name of ['Value tiers and terms', 'Deep-dive rating', 'Margin and cost to serve']) {
      await act(async () => { fireEvent.click(screen.getByRole('checkbox', { name })); });
    }
    expect(screen.getAllByRole('textbox', { name: 'Hourly rate' })).toHaveLength(1);
    expect(screen.getByTestId('shared-hourlyRate').textContent).toBe('One value for Value tiers and terms, Deep-dive rating, Margin and cost to serve.');
  });
});

describe('PreviewStep: why this segment', () => {
  it('finds a customer as the user types and shows each model\'s segment, reason and numbers for it', async () => {
    const table = buildCustomerTable(HEADERS, ROWS);
    const selection = initialSelection();
    selection.abcd.enabled = false;
    selection.margin.enabled = true;
    selection.score.enabled = true;
    render(<FluentProvider theme={webLightTheme}><PreviewStep t={translator('en')} language="en" table={table} selection={selection} /></FluentProvider>);
    // The notes of each model are listed with its cuts: the table has a margin column and no cost to serve, and says so.
    expect(screen.getByTestId('notes-margin').textContent).toBe('Customers with a negative margin: 7 (cost to serve and hours are not in the table).');
    // Each model names the columns it read and those it took as absent.
    expect(screen.getByTestId('inputs-margin').textContent).toBe('Columns used: Contribution margin, Revenue.Not in the table, so not used: Cost to serve, Hours.');
    expect(screen.getByTestId('inputs-score').textContent).toBe('Columns used: Revenue, Contribution margin, Satisfaction, Orders, Days late.'
      + 'Not in the table, so not used: Cost to serve, Hours, Share of wallet.');
    const picker = screen.getByRole('combobox', { name: 'Customer' });
    fireEvent.click(picker);
    fireEvent.change(picker, { target: { value: 'kunde 1' } });
    // "Kunde 1" and "Kunde 10" … "Kunde 19" start with it.
    await waitFor(() => expect(screen.getAllByRole('option')).toHaveLength(11));
    fireEvent.click(screen.getByRole('option', { name: 'K112 · Kunde 12' }));
    const margin = screen.getByTestId('why-margin');
    const result = getModel('margin').run(table, selection.margin.settings);
    expect(within(margin).getByTestId('why-margin-reason').textContent).toBe(result.explain(12).en);
    // Revenue 13,000, margin 300 × (84 mod 11 = 7) − 400 = 1,700: 13.1 % of revenue.
    expect(within(margin).getByText('1,700')).toBeTruthy();
    expect(within(margin).getByText('13.1%')).toBeTruthy();
    expect(within(screen.getByTestId('why-score')).getByText('Rank')).toBeTruthy();
  });
});

describe('PreviewStep in Danish', () => {
  it('names the tiers on the badges as a Danish run writes them (Guld, Tab, Overskud, Midte)', () => {
    const table = buildCustomerTable(HEADERS, ROWS);
    const selection = initialSelection();
    selection.abcd.enabled = false;
    selection.margin.enabled = true;
    selection.value.enabled = true;
    selection.score.enabled = true;
    render(<FluentProvider theme={webLightTheme}><PreviewStep t={translator('da')} language="da" table={table} selection={selection} /></FluentProvider>);
    const badge = (model: string, tier: string) => within(screen.getByTestId(`preview-${model}-${tier}`)).getAllByText(/./)[0].textContent;
    expect(['Gold', 'Silver', 'Bronze', 'Loss'].map((tier) => badge('value', tier))).toEqual(['Guld', 'Sølv', 'Bronze', 'Tab']);
    expect(['Loss', 'Profit'].map((tier) => badge('margin', tier))).toEqual(['Tab', 'Overskud']);
    expect(['Top', 'Middle', 'Low'].map((tier) => badge('score', tier))).toEqual(['Top', 'Midte', 'Lav']);
  });
});
