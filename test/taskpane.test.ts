import { describe, expect, it } from 'vitest';
import { buildCustomerTable, CATALOG, type RowProblem } from '../src/engine';
import type { TableSnapshot } from '../src/workbook/port';
import { detectLanguage, formatNumber, formatShare, problemText, translate } from '../src/taskpane/i18n';
import {
  assignRole, chosenModels, cutProblem, initialSelection, previewModels, resultFileName, roleOfColumn,
  selectionReady, tableAddress, unavailableText,
} from '../src/taskpane/state/session';

const PROBLEM: RowProblem = { row: 17, column: 'Omsætning', columnLetter: 'E', value: 'abc', kind: 'notNumber' };

describe('i18n', () => {
  it('formats a row problem with row, column letter, header and raw value in both languages', () => {
    expect(problemText(PROBLEM, 'da')).toBe("Række 17, kolonne E (Omsætning): 'abc' er ikke et tal; rækken får intet segment ud fra den.");
    expect(problemText(PROBLEM, 'en')).toBe("Row 17, column E (Omsætning): 'abc' is not a number; the row gets no segment from it.");
  });

  it('follows Office, then the browser, to Danish only for da and da-*', () => {
    expect(detectLanguage('da-DK', 'en-US')).toBe('da');
    expect(detectLanguage('en-GB', 'da')).toBe('en');
    expect(detectLanguage(undefined, 'da')).toBe('da');
    expect(detectLanguage(undefined, 'de-DE')).toBe('en');
    expect(detectLanguage('', '')).toBe('en');
  });

  it('fills placeholders and formats numbers for the language', () => {
    expect(translate('da', 'tableFound', { sheet: 'Kunder', address: 'A1:L2001', rows: 2000, columns: 12 })).toBe('Kunder!A1:L2001: 2.000 kunder, 12 kolonner');
    expect(translate('en', 'tableFound', { sheet: 'Kunder', address: 'A1:L2001', rows: 2000, columns: 12 })).toBe('Kunder!A1:L2001: 2,000 customers, 12 columns');
    expect(formatNumber(781500, 'da')).toBe('781.500');
    expect(formatNumber(781500, 'en')).toBe('781,500');
    expect(formatShare(0.4903572, 'en')).toBe('49.0%');
    expect(formatShare(0.4903572, 'da').replace(/\s/g, ' ')).toBe('49,0 %');
  });
});

describe('role mapping', () => {
  it('moves a role to the column that takes it and frees the column it had', () => {
    const mapping = { revenue: 3, potential: 4 };
    expect(assignRole(mapping, 5, 'revenue')).toEqual({ revenue: 5, potential: 4 });
    expect(assignRole(mapping, 4, 'margin')).toEqual({ revenue: 3, margin: 4 });
    expect(assignRole(mapping, 3, null)).toEqual({ potential: 4 });
    expect(roleOfColumn(mapping, 4)).toBe('potential');
    expect(roleOfColumn(mapping, 0)).toBeUndefined();
  });

  it('names the table cells with the header row, offset by its origin', () => {
    const snapshot = { sheetName: 'Kunder', origin: { headerRow: 2, firstColumn: 1 }, headers: ['a', 'b', 'c'], rows: [[], [], []] } as unknown as TableSnapshot;
    expect(tableAddress(snapshot)).toBe('B2:D5');
  });
});

describe('models and preview', () => {
  it('starts with the first catalog model on and its defaults', () => {
    const selection = initialSelection();
    expect(chosenModels(selection)).toEqual([{ id: CATALOG[0].id, settings: CATALOG[0].defaults }]);
    expect(selectionReady(selection)).toBe(true);
  });

  it('explains a cut level out of range in the UI language and blocks the preview', () => {
    expect(cutProblem({ method: 'pareto', level: 80 }, 'da')).toBe('En skæring efter pareto-andel tager et niveau over 0 og højst 1 (fx 0,8), ikke 80.');
    expect(cutProblem({ method: 'quantile', level: NaN }, 'en')).toBe('The cut level must be a number.');
    expect(cutProblem({ method: 'value', level: 250000 }, 'en')).toBeNull();
    const selection = initialSelection();
    selection.abcd.settings = { ...selection.abcd.settings, revenueCut: { method: 'pareto', level: 1.5 } };
    expect(selectionReady(selection)).toBe(false);
  });

  it('previews each model on its own and names a missing column instead of failing', () => {
    const table = buildCustomerTable(['Kunde', 'Omsætning'], [['Alfa', 500], ['Beta', 300], ['Gamma', 200]]);
    const previews = previewModels(table, [
      { id: 'abcd', settings: CATALOG[0].defaults },
      { id: 'pareto', settings: { measure: 'revenue', aCut: { method: 'pareto', level: 0.8 }, bCut: { method: 'pareto', level: 0.95 } } },
    ], 'da');
    expect(previews[0].error).toBe('Kan ikke køre: tabellen har ingen kolonne til Potentiale. Tildel en på trinnet Data.');
    expect(previews[1].lines.map((line) => [line.tierIndex, line.customers, line.revenue])).toEqual([[0, 2, 800], [1, 1, 200], [2, 0, 0]]);
    expect(unavailableText(CATALOG[0], table.mapping, 'en')).toBe('Cannot run: the table has no column for Potential. Map one on the Data step.');
  });

  it('names the result file after the original', () => {
    expect(resultFileName('kunder.xlsx')).toBe('kunder-segmented.xlsx');
    expect(resultFileName('C:\\data\\Kunder 2024.XLSX')).toBe('Kunder 2024-segmented.xlsx');
  });
});
