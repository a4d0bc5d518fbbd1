// @vitest-environment jsdom
import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Language } from '../src/engine';
import { ApplyStep } from '../src/taskpane/components/ApplyStep';
import { translator } from '../src/taskpane/i18n';
import type { Workflow, WriteMode } from '../src/taskpane/state/useWorkflow';

// Fluent's focus manager outlives a test unless the tree is unmounted (NodeFilter is gone after teardown).
afterEach(cleanup);

/** The Apply step over the part of a workflow it reads; setMode is recorded. */
function renderApply(language: Language, office: boolean, mode: WriteMode = 'formulas') {
  const setMode = vi.fn<(mode: WriteMode) => void>();
  const workflow = { mode, setMode, busy: null, reasons: false, setReasons: () => {}, written: null, file: null, apply: async () => {}, download: async () => {} };
  render(
    <FluentProvider theme={webLightTheme}>
      <ApplyStep t={translator(language)} language={language} workflow={workflow as unknown as Workflow} office={office} />
    </FluentProvider>,
  );
  return setMode;
}

const radio = (name: string) => screen.getByRole('radio', { name }) as HTMLInputElement;

describe('ApplyStep: how the segments are written', () => {
  it('offers ordinary formulas first, SegmentKit functions as a choice that says what it costs, and values (English, in Excel)', () => {
    const setMode = renderApply('en', true);
    expect(screen.getAllByRole('radio').map((element) => element.getAttribute('value'))).toEqual(['formulas', 'segmentkit', 'values']);
    expect(radio('Live Excel formulas: recalculate in any spreadsheet program').checked).toBe(true);
    const segmentKit = radio('SegmentKit functions: everyone who opens the file needs SegmentKit');
    expect(segmentKit.disabled).toBe(false);
    fireEvent.click(segmentKit);
    expect(setMode).toHaveBeenCalledWith('segmentkit');
    expect(screen.getByText('Live formulas compare each row with the cuts on the Summary sheet: change a cut and the segments and colours follow.')).toBeTruthy();
  });

  it('says the same in Danish, and in the browser version keeps SegmentKit functions out of a downloaded file', () => {
    renderApply('da', false, 'segmentkit');
    expect(radio('Levende Excel-formler: genberegnes i ethvert regnearksprogram').checked).toBe(true);
    expect(radio('SegmentKit-funktioner: alle, der åbner filen, skal have SegmentKit').disabled).toBe(true);
    expect(radio('Værdier').disabled).toBe(false);
    expect(screen.getByText('SegmentKit-funktioner kræver Excel med SegmentKit installeret; browserversionen skriver Excel-formler eller værdier.')).toBeTruthy();
  });
});
