// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Language } from '../src/engine';
import { App } from '../src/taskpane/App';
import { translator } from '../src/taskpane/i18n';
import { MARKER_SHEET } from '../src/workbook/marker';
import { OfficeWorkbook } from '../src/workbook/office';
import { HEADERS, ROWS } from './support/customers';
import { FakeExcel } from './support/fake-excel';
import { customFunctionNames } from './support/function-metadata';

// jsdom has no Web Worker: the plan is built in-process, by the same steps plan.worker.ts takes.
vi.mock('../src/taskpane/compute/planInWorker', () => import('./support/plan-in-process'));

// Fluent's focus manager outlives a test unless the tree is unmounted (NodeFilter is gone after teardown).
afterEach(cleanup);

/** The task pane in Office mode over the in-memory Excel, Excel's display language `language`. */
async function applyInPane(language: Language, mode: 'formulas' | 'segmentkit') {
  const excel = new FakeExcel();
  excel.customFunctionNames = customFunctionNames(language);
  excel.addSheet('Kunder', { at: 'B2', rows: [HEADERS, ...ROWS] });
  excel.select('Kunder', 'C3');
  const t = translator(language);
  render(<App environment={{ kind: 'office', port: new OfficeWorkbook(excel.run, excel.isSetSupported) }} initialLanguage={language} />);
  fireEvent.click(await screen.findByRole('tab', { name: t('stepApply') }));
  if (mode === 'segmentkit') fireEvent.click(screen.getByRole('radio', { name: t('modeSegmentKit') }));
  fireEvent.click(screen.getByRole('button', { name: t('applyButton') }));
  await screen.findByText(t('applied'), undefined, { timeout: 10_000 });
  return excel;
}

describe('the task pane in Office mode, end to end on the in-memory Excel', () => {
  it('writes live ordinary formulas in Danish Excel with no #REF! or #NAME?', async () => {
    const excel = await applyInPane('da', 'formulas');
    expect(excel.sheetNames()).toEqual(['Kunder', MARKER_SHEET, 'Prioritet', 'Oversigt']);
    const written = excel.formulas('Kunder', 'G3:G8').map((row) => String(row[0]));
    expect(written.every((formula) => formula.startsWith('=IF('))).toBe(true);
    expect(excel.formulaErrors()).toEqual([]);
    expect(excel.values('Kunder', 'G2')).toEqual([['Segment ABCD']]);
  });

  it('writes SegmentKit functions in English Excel with no #REF! or #NAME?', async () => {
    const excel = await applyInPane('en', 'segmentkit');
    expect(excel.formulas('Kunder', 'G2:G3')).toEqual([['Segment ABCD'], ["=SEGMENT.ABCD('Kunder'!$E$3:$E$8,'Kunder'!$F$3:$F$8,'Summary'!$D$14,'Summary'!$D$15)"]]);
    expect(excel.formulaErrors()).toEqual([]);
  });

  // Function names are the same in every language (issue 9 item 2): a translated name could not be
  // entered through the API, and every live column would show #NAME? in Danish Excel.
  it('writes SegmentKit functions in Danish Excel under names the Danish metadata defines', async () => {
    const excel = await applyInPane('da', 'segmentkit');
    expect(excel.formulas('Kunder', 'G3')[0][0]).toMatch(/^=SEGMENT\./);
    expect(excel.formulaErrors()).toEqual([]);
    await waitFor(() => expect(excel.calculationSuspended).toBe(false));
  });
});
