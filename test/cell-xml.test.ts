import { describe, expect, it } from 'vitest';
import { cellXml, escapeCellText } from '../src/workbook/xlsx/cell-xml';
import { createWorkbookPackage } from '../src/workbook/xlsx/new-package';
import { openWorkbook } from '../src/workbook/xlsx/read';

/** Texts a user's table holds that an XML writer or Excel would change if written naively. */
const AWKWARD = ['Account\r\nmanager', 'literal _x000D_ in a name', '=1+1', '+45 Tele ApS', '-Minus A/S', '00123', '2024-01', '1E5', 'TRUE', ' leading and trailing ', 'A & B <C> "D"', 'tab\there'];

describe('SegmentKit\'s own cells', () => {
  it('escape text as Excel does: _x000D_ for a carriage return, _x005F_ before a literal escape', () => {
    expect(escapeCellText('a\rb')).toBe('a_x000D_b');
    expect(escapeCellText('_x000D_')).toBe('_x005F_x000D_');
    expect(escapeCellText('A & B <C>')).toBe('A &amp; B &lt;C&gt;');
  });

  it('write text that reads back as exactly the same text, never a formula, number, date or boolean', () => {
    const bytes = createWorkbookPackage('Kunder', AWKWARD.map((text) => [text]));
    const grid = openWorkbook(bytes).readSheet('Kunder');
    expect(grid.rows.map((row) => row?.[0])).toEqual(AWKWARD);
    expect(cellXml(0, 0, '=1+1')).toBe('<c r="A1" t="inlineStr"><is><t>=1+1</t></is></c>');
  });
});
